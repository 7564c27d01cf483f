import type { InputHTMLAttributes, Ref } from "react";
import { cn } from "@/app/_lib/cn";

export const controlClasses =
  "block w-full rounded-md border border-slate-300 bg-surface px-3 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 " +
  "focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20 focus:outline-none " +
  "aria-invalid:border-red-500 aria-invalid:focus:ring-red-500/20 disabled:bg-slate-100 disabled:text-slate-500";

export function Input({ className, ref, ...props }: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  return <input ref={ref} className={cn(controlClasses, "h-10", className)} {...props} />;
}
