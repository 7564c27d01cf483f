import type { ReactNode } from "react";
import { cn } from "@/app/_lib/cn";
import { describedBy, ToggleText, type FieldError } from "./field";

/**
 * An on/off setting: a real checkbox (role="switch") styled as a toggle, its label, and a one-line
 * explanation kept outside the label so the accessible name stays short.
 */
export function SwitchField({
  id,
  name,
  label,
  description,
  defaultChecked,
  checked,
  onChange,
  error,
  disabled,
}: {
  id: string;
  name: string;
  label: ReactNode;
  description?: ReactNode;
  defaultChecked?: boolean;
  checked?: boolean;
  onChange?: (checked: boolean) => void;
  error?: FieldError;
  disabled?: boolean;
}) {
  const invalid = error !== undefined && (Array.isArray(error) ? error.length > 0 : true);
  return (
    <div className="flex items-start gap-3 py-3">
      <input
        type="checkbox"
        // biome-ignore lint/a11y/useAriaPropsForRole: a checkbox's own checked state is its aria-checked; ARIA in HTML says not to set both.
        role="switch"
        id={id}
        name={name}
        defaultChecked={defaultChecked}
        checked={checked}
        onChange={onChange ? (event) => onChange(event.currentTarget.checked) : undefined}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, description, error)}
        className={cn(
          "relative mt-0.5 h-5 w-9 shrink-0 cursor-pointer appearance-none rounded-full bg-slate-300 transition-colors",
          "checked:bg-indigo-600 disabled:cursor-not-allowed disabled:opacity-50 aria-invalid:ring-2 aria-invalid:ring-red-500",
          "before:absolute before:top-0.5 before:left-0.5 before:size-4 before:rounded-full before:bg-white before:shadow before:transition-transform",
          "checked:before:translate-x-4",
        )}
      />
      <ToggleText id={id} label={label} description={description} error={error} />
    </div>
  );
}
