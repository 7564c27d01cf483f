import type { AcmeChallenge, Certificate, ProgressStep } from "@/lib/schemas/certificate";

/**
 * Pure helpers about certificates for pages and client components alike (no server imports), so
 * the failure banner renders the same text on the server and after a client-side refresh.
 */

/** An ACME certificate that was never issued has no issuer or serial yet and placeholder dates. */
export function isIssued(certificate: Pick<Certificate, "source" | "issuer" | "serialNumber">): boolean {
  return certificate.source !== "acme" || certificate.issuer !== "" || certificate.serialNumber !== "";
}

/** An order or renewal is queued or running, or the proxy is still reporting a step as running. */
export function isOrderLive(certificate: Pick<Certificate, "ordering" | "progress">): boolean {
  return certificate.ordering || certificate.progress.some((step) => step.state === "running");
}

/** A message as a sentence that ends with one full stop, to put in running text. */
export function asSentence(message: string | null | undefined): string {
  const trimmed = (message ?? "").trim().replace(/[.\s]+$/, "");
  return trimmed === "" ? "" : `${trimmed}.`;
}

/**
 * The steps of the order that is running or last ran. Right after "Renew now" or "Try again now"
 * the stored steps are still those of the finished run (the proxy clears them when it starts the
 * new one): show none rather than old ones as if they were current.
 */
export function currentProgress(certificate: Pick<Certificate, "ordering" | "progress">): ProgressStep[] {
  const { progress } = certificate;
  if (!certificate.ordering || progress.length === 0) return progress;
  const finished = progress.some((step) => step.state === "failed") || (progress.at(-1)?.step === "installed" && progress.at(-1)?.state === "done");
  return finished ? [] : progress;
}

/** "12 Mar 2026" (UTC, so server and browser agree). */
export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** "14:03:07 UTC". */
export function formatClock(iso: string): string {
  const time = new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });
  return `${time} UTC`;
}

/**
 * The steps an order goes through, in order, so the stepper can show what is still to come. Over
 * DNS-01 each name's TXT record is created and seen on the zone's name servers before the CA is
 * asked to check it, and the records are removed once the certificate is issued. The names are
 * worked on at once, so the proxy reports all records, then all "seen", then all challenges (a
 * host with one TXT value per name goes name by name: upcomingSteps takes either order).
 */
export function expectedSteps(domains: readonly string[], challenge: AcmeChallenge): string[] {
  if (challenge === "dns-01") {
    const each = (kind: string) => domains.map((domain) => `${kind} ${domain}`);
    return ["account", "order", ...each("record"), ...each("seen"), ...each("challenge"), "validation", "issued", "cleanup", "installed"];
  }
  return ["account", "order", ...domains.map((domain) => `challenge ${domain}`), "validation", "issued", "installed"];
}

/** A short title for a step name from the proxy ("challenge shop.example.com" -> "Prove control of shop.example.com"). */
export function stepTitle(step: string): string {
  if (step.startsWith("challenge ")) return `Prove control of ${step.slice("challenge ".length)}`;
  if (step.startsWith("record ")) return `Create the TXT record for ${step.slice("record ".length)}`;
  // Each name's "seen" follows its "record" step, which names it.
  if (step.startsWith("seen ")) return "Seen on the name servers";
  switch (step) {
    case "account":
      return "Account with the certificate authority";
    case "order":
      return "Place the order";
    case "validation":
      return "Every name validated";
    case "issued":
      return "Certificate issued";
    case "cleanup":
      return "Remove the TXT records";
    case "installed":
      return "Installed on the proxy";
    default:
      return step.charAt(0).toUpperCase() + step.slice(1);
  }
}

const PER_NAME_STEP = /^(record|seen|challenge) /;

/**
 * Steps of the expected list that have not been reported yet and come after the last reported one.
 * The names are worked on at once, so their steps arrive interleaved: they count as one block, and
 * a name's step still to come stays in sight while another name's later step is reported.
 */
export function upcomingSteps(certificate: Pick<Certificate, "domains" | "challenge">, progress: readonly ProgressStep[]): string[] {
  const expected = expectedSteps(certificate.domains, certificate.challenge);
  const block = expected.findIndex((step) => PER_NAME_STEP.test(step));
  const rank = (step: string) => (PER_NAME_STEP.test(step) ? block : expected.indexOf(step));
  const reported = new Set(progress.map((step) => step.step));
  const last = Math.max(-1, ...progress.map((step) => rank(step.step)));
  return expected.filter((step) => rank(step) >= last && !reported.has(step));
}

export interface ProgressSummary {
  done: number;
  total: number;
  /** The step being worked on or the one that failed, if any. */
  current: ProgressStep | null;
  failed: boolean;
}

export function progressSummary(certificate: Pick<Certificate, "domains" | "challenge" | "progress" | "ordering">): ProgressSummary {
  const progress = currentProgress(certificate);
  const done = progress.filter((step) => step.state === "done").length;
  const total = Math.max(progress.length + upcomingSteps(certificate, progress).length, done);
  const current = progress.find((step) => step.state === "failed") ?? progress.find((step) => step.state === "running") ?? null;
  return { done, total, current, failed: progress.some((step) => step.state === "failed") };
}

/** A Let's Encrypt order that never produced a certificate and is not running now: not a certificate yet. */
export function isFailedOrder(certificate: Pick<Certificate, "source" | "issuer" | "serialNumber" | "status">): boolean {
  return !isIssued(certificate) && certificate.status === "failed";
}

/** "14:35 UTC" today, "8 Dec 2026, 02:10 UTC" on another day. */
function formatWhen(iso: string, now: Date): string {
  const clock = new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? `${clock} UTC` : `${formatDay(iso)}, ${clock} UTC`;
}

/**
 * The one next step after a failed order or renewal, as the proxy will really act: it tries again
 * by itself with backoff (lib/acme/renewal-schedule.ts) and never gives up, and "Try again now"
 * skips the wait once the cause is fixed.
 */
export function nextStep(
  certificate: Pick<Certificate, "source" | "issuer" | "serialNumber" | "ordering" | "progress" | "nextAttemptAt">,
  now = new Date(),
): string {
  if (isOrderLive(certificate)) return "Trying again now.";
  return `The proxy tries again by itself ${nextAttemptWords(certificate, now)}; once you have fixed the cause, “${renewLabel(certificate)}” does not wait.`;
}

/** When the proxy tries a failed order or renewal again: "at 14:05 UTC", or "within a few seconds" when it is due. */
export function nextAttemptWords(certificate: Pick<Certificate, "nextAttemptAt">, now = new Date()): string {
  const at = certificate.nextAttemptAt;
  return at && new Date(at).getTime() > now.getTime() ? `at ${formatWhen(at, now)}` : "within a few seconds";
}

/** The button that queues an order at once: a new try for a failed order, a renewal for an issued certificate. */
export function renewLabel(certificate: Pick<Certificate, "source" | "issuer" | "serialNumber">): string {
  return isIssued(certificate) ? "Renew now" : "Try again now";
}

/** What the banner on every page says about one failed certificate; the error itself is on its page. */
export interface CertificateFailure {
  id: string;
  name: string;
  text: string;
  /** Changes with the error: a dismissed failure comes back when it fails differently. */
  key: string;
}

/** A short, stable fingerprint of a text, to keep cookie values small. */
function fingerprint(text: string): string {
  let hash = 5381;
  for (let index = 0; index < text.length; index++) hash = ((hash * 33) ^ text.charCodeAt(index)) >>> 0;
  return hash.toString(36);
}

export function certificateFailure(
  certificate: Pick<Certificate, "id" | "name" | "source" | "issuer" | "serialNumber" | "lastError" | "notAfter" | "daysLeft">,
): CertificateFailure {
  let text: string;
  if (!isIssued(certificate)) {
    text = `The Let's Encrypt order for “${certificate.name}” failed.`;
  } else if (certificate.daysLeft < 0) {
    text = `Renewal of “${certificate.name}” failed, and the current certificate expired on ${formatDay(certificate.notAfter)}.`;
  } else {
    text = `Renewal of “${certificate.name}” failed; the current certificate keeps serving until ${formatDay(certificate.notAfter)}.`;
  }
  return { id: certificate.id, name: certificate.name, text, key: `${certificate.id}.${fingerprint(certificate.lastError ?? "")}` };
}

export function certificateFailures(certificates: Certificate[]): CertificateFailure[] {
  return certificates.filter((certificate) => certificate.status === "failed").map(certificateFailure);
}

/** The cookie that holds dismissed failures' keys, read by the layout so a dismissed banner never flashes. */
export const DISMISSED_FAILURES_COOKIE = "gk-dismissed-failures";

export function parseDismissed(value: string | undefined): Set<string> {
  return new Set((value ?? "").split(",").filter(Boolean));
}
