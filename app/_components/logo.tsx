import { cn } from "../_lib/cn";

/** The product mark: a gate in a rounded square, drawn inline (no remote assets). */
export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold tracking-tight text-slate-900", className)}>
      <span className="flex size-7 items-center justify-center rounded-lg bg-indigo-600 text-white shadow-sm">
        <svg viewBox="0 0 20 20" fill="none" aria-hidden="true" className="size-4">
          <path d="M4 17V8l6-4 6 4v9" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
          <path d="M8 17v-5h4v5" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
        </svg>
      </span>
      Gatekeeper
    </span>
  );
}
