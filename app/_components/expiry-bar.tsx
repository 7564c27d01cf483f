import { expiryColour } from "@/lib/certs/expiry";
import { cn } from "../_lib/cn";

const DAY_MS = 24 * 60 * 60 * 1000;

const FILL = { green: "bg-emerald-500", amber: "bg-amber-500", red: "bg-red-500" } as const;
const TEXT = { green: "text-emerald-700", amber: "text-amber-700", red: "text-red-700" } as const;

export function expiryText(daysLeft: number): string {
  if (daysLeft < 0) {
    const ago = -daysLeft;
    return `Expired ${ago} ${ago === 1 ? "day" : "days"} ago`;
  }
  if (daysLeft === 0) return "Expires today";
  return `${daysLeft} ${daysLeft === 1 ? "day" : "days"} left`;
}

/**
 * How much of the certificate's lifetime is left, as a bar coloured by expiryColour: green, then
 * amber within 30 days, red within 7 days or once expired.
 */
export function ExpiryBar({ daysLeft, notBefore, notAfter, compact }: { daysLeft: number; notBefore: string; notAfter: string; compact?: boolean }) {
  const colour = expiryColour(daysLeft);
  const lifetimeDays = Math.max(1, (Date.parse(notAfter) - Date.parse(notBefore)) / DAY_MS);
  const fraction = daysLeft < 0 ? 1 : Math.min(1, Math.max(0.03, daysLeft / lifetimeDays));
  const expires = new Date(notAfter).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
  return (
    <div data-testid="expiry" data-colour={colour} data-days-left={daysLeft} className={cn(compact ? "w-36" : "w-full")}>
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className={cn("font-semibold", TEXT[colour])}>{expiryText(daysLeft)}</span>
        {compact ? null : (
          <span className="text-slate-500">
            {daysLeft < 0 ? "expired" : "expires"} {expires}
          </span>
        )}
      </div>
      <div className="mt-1 h-1.5 w-full overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
        <div className={cn("h-full rounded-full", FILL[colour])} style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
