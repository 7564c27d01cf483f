import type { ReactNode } from "react";
import { cn } from "@/app/_lib/cn";

export type AlertTone = "error" | "warning" | "success" | "info";

const TONES: Record<AlertTone, string> = {
  error: "border-red-200 bg-red-50 text-red-800",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  success: "border-emerald-200 bg-emerald-50 text-emerald-800",
  info: "border-slate-200 bg-slate-50 text-slate-700",
};

// Drawn, not typed, so an alert's text is only its message.
const ICON_PATHS: Record<AlertTone, string> = {
  error:
    "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm0 3a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 8 4.5Zm0 7.25a.9.9 0 1 1 0-1.8.9.9 0 0 1 0 1.8Z",
  warning:
    "M8.87 2.5a1 1 0 0 0-1.74 0l-5.5 9.75A1 1 0 0 0 2.5 13.75h11a1 1 0 0 0 .87-1.5L8.87 2.5ZM8 5.5a.75.75 0 0 1 .75.75v3a.75.75 0 0 1-1.5 0v-3A.75.75 0 0 1 8 5.5Zm0 6.5a.9.9 0 1 1 0-1.8.9.9 0 0 1 0 1.8Z",
  success:
    "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm3.03 4.72a.75.75 0 0 1 0 1.06l-3.5 3.5a.75.75 0 0 1-1.06 0l-1.5-1.5a.75.75 0 1 1 1.06-1.06l.97.97 2.97-2.97a.75.75 0 0 1 1.06 0Z",
  info: "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm0 3.25a.9.9 0 1 1 0 1.8.9.9 0 0 1 0-1.8ZM8 7.5a.75.75 0 0 1 .75.75v3a.75.75 0 0 1-1.5 0v-3A.75.75 0 0 1 8 7.5Z",
};

const ICON_TONES: Record<AlertTone, string> = {
  error: "fill-red-600",
  warning: "fill-amber-500",
  success: "fill-emerald-600",
  info: "fill-slate-500",
};

/** A message box; errors are announced (role="alert"), the rest politely (role="status"). */
export function Alert({
  tone,
  title,
  children,
  className,
  id,
  testId,
}: {
  tone: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  id?: string;
  testId?: string;
}) {
  return (
    <div
      id={id}
      data-testid={testId}
      role={tone === "error" ? "alert" : "status"}
      className={cn("flex gap-3 rounded-lg border px-4 py-3 text-sm", TONES[tone], className)}
    >
      <svg viewBox="0 0 16 16" aria-hidden="true" className={cn("mt-0.5 size-4.5 shrink-0", ICON_TONES[tone])}>
        <path d={ICON_PATHS[tone]} />
      </svg>
      <div className="min-w-0 space-y-1 break-words">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children}
      </div>
    </div>
  );
}
