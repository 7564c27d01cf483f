import { cloneElement, type ReactElement, type ReactNode } from "react";
import { cn } from "@/app/_lib/cn";

export type FieldError = string | string[] | undefined;

export function errorLines(error: FieldError): string[] {
  if (error === undefined) return [];
  return Array.isArray(error) ? error : [error];
}

/** The ids a control points at with aria-describedby: its error first, then its hint. */
export function describedBy(id: string, hint: unknown, error: FieldError): string | undefined {
  const ids = [errorLines(error).length > 0 ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

export function FieldErrorText({ id, error }: { id: string; error: FieldError }) {
  const lines = errorLines(error);
  if (lines.length === 0) return null;
  return (
    <div id={`${id}-error`} role="alert" className="mt-1.5 space-y-0.5 text-sm text-red-700">
      {lines.map((line, index) => (
        <p key={index} className="flex gap-1.5">
          <svg viewBox="0 0 16 16" aria-hidden="true" className="mt-0.5 size-4 shrink-0 fill-red-600">
            <path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm0 3a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 8 4.5Zm0 7.25a.9.9 0 1 1 0-1.8.9.9 0 0 1 0 1.8Z" />
          </svg>
          <span className="min-w-0 break-words">{line}</span>
        </p>
      ))}
    </div>
  );
}

/**
 * A label, one control, a hint and the field's error. The control gets the id, aria-invalid and
 * aria-describedby, so screen readers and tests find the error by the field.
 */
export function Field({
  id,
  label,
  hint,
  error,
  optional,
  labelAside,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: FieldError;
  optional?: boolean;
  /** Something small on the label's line, such as a "Load from file" button. */
  labelAside?: ReactNode;
  className?: string;
  children: ReactElement;
}) {
  const invalid = errorLines(error).length > 0;
  const control = cloneElement(children as ReactElement<Record<string, unknown>>, {
    id,
    "aria-invalid": invalid || undefined,
    "aria-describedby": describedBy(id, hint, error),
  });
  return (
    <div className={className}>
      <div className="mb-1.5 flex flex-wrap items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
          {optional ? <span className="font-normal text-slate-500"> (optional)</span> : null}
        </label>
        {labelAside}
      </div>
      {control}
      <FieldErrorText id={id} error={error} />
      {hint ? (
        <p id={`${id}-hint`} className={cn("mt-1.5 text-xs text-slate-500")}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** The text beside a checkbox or switch: its label, a one-line explanation, and its error. */
export function ToggleText({
  id,
  label,
  description,
  error,
  disabled = false,
}: {
  id: string;
  label: ReactNode;
  description?: ReactNode;
  error?: FieldError;
  disabled?: boolean;
}) {
  return (
    <div className="min-w-0">
      <label htmlFor={id} className={cn("cursor-pointer text-sm font-medium", disabled ? "text-slate-400" : "text-slate-800")}>
        {label}
      </label>
      {description ? (
        <p id={`${id}-hint`} className="text-sm text-slate-500">
          {description}
        </p>
      ) : null}
      <FieldErrorText id={id} error={error} />
    </div>
  );
}
