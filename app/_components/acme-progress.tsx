import type { Certificate, ProgressStep } from "@/lib/schemas/certificate";
import { cn } from "../_lib/cn";
import { currentProgress, formatClock, isOrderLive, progressSummary, stepTitle, upcomingSteps } from "../_lib/certificate-view";

type OrderView = Pick<Certificate, "domains" | "challenge" | "progress" | "ordering">;

/**
 * An ACME order step by step, as a vertical stepper: done = green check, running = spinner,
 * failed = red cross with the plain message and the CA's own words underneath. While the order
 * runs, the steps still to come are drawn in grey so people see how far along it is.
 */
export function AcmeProgress({
  certificate,
  proxyUp = true,
  errorShownAbove,
}: {
  certificate: OrderView;
  proxyUp?: boolean;
  /** The failure the page already states: the failed step then keeps only its title and the CA's words. */
  errorShownAbove?: string | null;
}) {
  const progress = currentProgress(certificate);
  const live = isOrderLive(certificate);
  const upcoming = live ? upcomingSteps(certificate, progress) : [];
  const waiting = certificate.ordering && progress.length === 0;
  return (
    <ol data-testid="acme-progress" data-live={live} aria-label="Order progress" className="relative">
      {waiting ? (
        <StepItem
          testId="progress-waiting"
          state="running"
          title="Waiting for the proxy"
          message={
            proxyUp
              ? "The order is queued; the proxy starts it within a few seconds."
              : "The order is queued, but the proxy is not running: it starts when the proxy runs again."
          }
          last={upcoming.length === 0}
        />
      ) : null}
      {progress.map((step, index) => (
        <StepItem
          key={`${step.step}-${index}`}
          testId="progress-step"
          step={step.step}
          state={step.state}
          title={stepTitle(step.step)}
          message={step.state === "failed" && step.message === errorShownAbove ? undefined : step.message}
          detail={step.detail}
          at={step.at}
          last={index === progress.length - 1 && upcoming.length === 0}
        />
      ))}
      {upcoming.map((step, index) => (
        <StepItem
          key={step}
          testId="progress-step-upcoming"
          step={step}
          state="upcoming"
          title={stepTitle(step)}
          last={index === upcoming.length - 1}
        />
      ))}
    </ol>
  );
}

type StepState = ProgressStep["state"] | "upcoming";

function StepItem({
  testId,
  step,
  state,
  title,
  message,
  detail,
  at,
  last,
}: {
  testId: string;
  step?: string;
  state: StepState;
  title: string;
  message?: string;
  detail?: string;
  at?: string;
  last: boolean;
}) {
  return (
    <li data-testid={testId} data-step={step} data-state={state} className="relative flex gap-3 pb-4 last:pb-0">
      {last ? null : (
        <span aria-hidden="true" className={cn("absolute top-6 bottom-0 left-[11px] w-0.5", state === "done" ? "bg-emerald-200" : "bg-slate-200")} />
      )}
      <StepIcon state={state} />
      <div className="min-w-0 flex-1 pt-0.5">
        <p className="flex flex-wrap items-baseline justify-between gap-x-3">
          <span
            className={cn("text-sm font-medium", state === "upcoming" ? "text-slate-500" : state === "failed" ? "text-red-800" : "text-slate-900")}
          >
            <span className="sr-only">{STATE_WORDS[state]}: </span>
            {title}
          </span>
          {at ? (
            <time dateTime={at} className="text-xs text-slate-500">
              {formatClock(at)}
            </time>
          ) : null}
        </p>
        {message ? <p className={cn("mt-0.5 text-sm break-words", state === "failed" ? "text-red-700" : "text-slate-600")}>{message}</p> : null}
        {detail ? (
          <p
            data-testid="progress-detail"
            className="mt-1 rounded border border-slate-200 bg-slate-50 px-2 py-1 font-mono text-xs break-words text-slate-600"
          >
            <span className="font-sans text-slate-500">
              {step && DNS_HOST_STEPS.test(step) ? "The DNS provider said: " : "The certificate authority said: "}
            </span>
            {detail}
          </p>
        ) : null}
      </div>
    </li>
  );
}

/** Steps where the words in a failure's detail come from the DNS host, not from the CA. */
const DNS_HOST_STEPS = /^(record |cleanup$)/;

const STATE_WORDS: Record<StepState, string> = { done: "Done", running: "In progress", failed: "Failed", upcoming: "Not started" };

function StepIcon({ state }: { state: StepState }) {
  const base = "relative z-[1] flex size-6 shrink-0 items-center justify-center rounded-full";
  if (state === "done") {
    return (
      <span aria-hidden="true" className={cn(base, "bg-emerald-500 text-white")}>
        <svg viewBox="0 0 16 16" fill="none" aria-hidden="true" className="size-3.5">
          <path d="M3.5 8.5 6.5 11.5 12.5 5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </span>
    );
  }
  if (state === "failed") {
    return (
      <span aria-hidden="true" className={cn(base, "bg-red-600 text-white")}>
        <svg viewBox="0 0 16 16" fill="none" aria-hidden="true" className="size-3.5">
          <path d="M4.5 4.5 11.5 11.5M11.5 4.5 4.5 11.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      </span>
    );
  }
  if (state === "running") {
    return (
      <span aria-hidden="true" className={cn(base, "bg-indigo-50 ring-1 ring-indigo-200")}>
        <span className="inline-block size-3.5 animate-spin rounded-full border-2 border-indigo-600 border-r-transparent" />
      </span>
    );
  }
  return <span aria-hidden="true" className={cn(base, "border-2 border-slate-200 bg-surface")} />;
}

/**
 * One line and a segmented bar for lists: where an order stands, instead of an expiry bar for a
 * certificate that does not exist yet.
 */
export function AcmeProgressSummary({ certificate, renewal = false }: { certificate: OrderView; renewal?: boolean }) {
  const summary = progressSummary(certificate);
  const live = isOrderLive(certificate);
  const progress = currentProgress(certificate);
  const segments = Array.from({ length: Math.max(summary.total, 1) }, (_, index) => {
    const step = progress[index];
    return step ? step.state : "upcoming";
  });
  let headline: string;
  if (summary.failed) headline = renewal ? "Renewal failed" : "Order failed";
  else if (live && progress.length === 0) headline = renewal ? "Renewal queued" : "Order queued";
  else if (live) headline = `${renewal ? "Renewing" : "Ordering"}: step ${Math.min(summary.done + 1, summary.total)} of ${summary.total}`;
  else headline = renewal ? "Renewed" : "Issued";
  return (
    <div data-testid="acme-progress-summary" data-live={live} data-failed={summary.failed} className="w-full">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-xs">
        <span className={cn("font-semibold", summary.failed ? "text-red-700" : "text-indigo-700")}>{headline}</span>
        {/* A failure's message is shown once, by the row under the bar. */}
        {summary.current && !summary.failed ? <span className="min-w-0 truncate text-slate-500">{summary.current.message}</span> : null}
      </div>
      <div className="mt-1 flex gap-0.5" aria-hidden="true">
        {segments.map((state, index) => (
          <span
            key={index}
            className={cn(
              "h-1.5 flex-1 rounded-full",
              state === "done" && "bg-emerald-500",
              state === "running" && "animate-pulse bg-indigo-500",
              state === "failed" && "bg-red-500",
              state === "upcoming" && "bg-slate-200",
            )}
          />
        ))}
      </div>
    </div>
  );
}
