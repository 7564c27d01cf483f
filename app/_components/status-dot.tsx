import { cn } from "../_lib/cn";
import type { Tone } from "./ui/badge";

const DOTS: Record<Tone, string> = {
  green: "bg-emerald-500",
  amber: "bg-amber-500",
  red: "bg-red-500",
  slate: "bg-slate-400",
  blue: "bg-indigo-500",
};

const HALOS: Record<Tone, string> = {
  green: "bg-emerald-400/40",
  amber: "bg-amber-400/40",
  red: "bg-red-400/40",
  slate: "bg-slate-300/40",
  blue: "bg-indigo-400/40",
};

/** A coloured dot; `pulse` for states that are still changing. The meaning is always also written next to it. */
export function StatusDot({ tone, pulse, className }: { tone: Tone; pulse?: boolean; className?: string }) {
  return (
    <span aria-hidden="true" className={cn("relative inline-flex size-2.5 shrink-0", className)}>
      {pulse ? <span className={cn("absolute inline-flex size-full animate-ping rounded-full", HALOS[tone])} /> : null}
      <span className={cn("relative inline-flex size-2.5 rounded-full", DOTS[tone])} />
    </span>
  );
}
