import type { ReactNode } from "react";
import { cn } from "@/app/_lib/cn";
import { describedBy, ToggleText, type FieldError } from "./field";

/**
 * A plain checkbox with its label beside it and a one-line explanation underneath (kept outside
 * the label so the accessible name stays short). For choices made once, such as order options.
 */
export function CheckboxField({
  id,
  name,
  value,
  label,
  description,
  defaultChecked,
  checked,
  onChange,
  error,
  disabled,
  className,
}: {
  id: string;
  name: string;
  /** What the form sends when ticked, when several boxes share a name. */
  value?: string;
  label: ReactNode;
  description?: ReactNode;
  defaultChecked?: boolean;
  checked?: boolean;
  onChange?: (checked: boolean) => void;
  error?: FieldError;
  disabled?: boolean;
  className?: string;
}) {
  const invalid = error !== undefined && (Array.isArray(error) ? error.length > 0 : true);
  return (
    <div className={cn("flex items-start gap-3", className)}>
      <input
        type="checkbox"
        id={id}
        name={name}
        value={value}
        defaultChecked={defaultChecked}
        checked={checked}
        onChange={onChange ? (event) => onChange(event.currentTarget.checked) : undefined}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, description, error)}
        className="mt-0.5 size-4 shrink-0 cursor-pointer rounded border-slate-300 accent-indigo-600 disabled:cursor-not-allowed"
      />
      <ToggleText id={id} label={label} description={description} error={error} disabled={disabled} />
    </div>
  );
}
