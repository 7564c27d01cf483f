import { caName, caPossessive } from "./ca-directory";
import { CaFileError } from "./ca-trust";
import type { AcmeProblem } from "./problem-capture";

/** What the dashboard shows for a failed step: plain words, and the CA's own words underneath. */
export interface PlainFailure {
  message: string;
  detail?: string;
}

export interface FailureContext {
  directoryUrl: string;
  /** The name being validated, when the failure belongs to one. */
  hostname?: string;
  /** All names of the order, to find the one a CA message is about. */
  domains?: string[];
  email?: string;
  /** ACME_CA_FILE, when set. */
  caFile?: string;
  now?: Date;
}

const PREFIX = "urn:ietf:params:acme:error:";

const TLS_TRUST_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: "its name does not resolve",
  EAI_AGAIN: "its name could not be looked up (is DNS working on this machine?)",
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was cut",
  ETIMEDOUT: "it did not answer in time",
  ECONNABORTED: "it did not answer in time",
  EHOSTUNREACH: "there is no route to it (is this machine online?)",
  ENETUNREACH: "there is no route to it (is this machine online?)",
  EPROTO: "the secure connection failed",
};

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ERR_BAD_REQUEST" && code !== "ERR_BAD_RESPONSE") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The CA's words, with each name's own problem when it sent several. */
function caDetail(problem: AcmeProblem): string {
  const lines = [problem.detail, ...(problem.subproblems ?? []).map((sub) => sub.detail)].filter((line) => line !== "");
  return [...new Set(lines)].join("\n");
}

/** When a rate limit ends: from Retry-After (seconds or a date), else from the CA's text. */
export function retryAfterText(problem: AcmeProblem, now = new Date()): string | null {
  const header = problem.retryAfter?.trim();
  let when: Date | null = null;
  if (header) {
    if (/^\d+$/.test(header)) when = new Date(now.getTime() + Number(header) * 1000);
    else if (!Number.isNaN(Date.parse(header))) when = new Date(header);
  }
  if (!when) {
    const stated = /retry after (\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:UTC|Z)?)/i.exec(problem.detail)?.[1];
    if (stated) {
      const parsed = Date.parse(
        stated
          .replace(" ", "T")
          .replace(/\s*UTC$/i, "Z")
          .replace(/(\d)$/, "$1Z"),
      );
      if (!Number.isNaN(parsed)) when = new Date(parsed);
    }
  }
  if (!when) return null;
  return `${when.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function hostnameOf(problem: AcmeProblem | undefined, context: FailureContext): string | undefined {
  if (context.hostname) return context.hostname;
  const fromSub = problem?.subproblems?.find((sub) => sub.identifier?.value)?.identifier?.value;
  if (fromSub) return fromSub;
  const text = problem ? caDetail(problem).toLowerCase() : "";
  return context.domains?.find((domain) => text.includes(domain.toLowerCase()));
}

function connectionReason(detail: string): string {
  const text = detail.toLowerCase();
  if (text.includes("refused")) return "the connection was refused (nothing listens there, or a firewall rejects it)";
  if (/timeout|timed out|deadline exceeded/.test(text)) {
    return "the connection timed out (a firewall or the router may block port 80, or the DNS points elsewhere)";
  }
  if (text.includes("no route")) return "there is no route to its address";
  if (text.includes("reset")) return "the connection was cut";
  return "see the CA's detail below";
}

/** Plain words for one ACME problem type. */
function fromProblem(problem: AcmeProblem, context: FailureContext): string {
  const ca = caName(context.directoryUrl);
  const host = hostnameOf(problem, context);
  const name = host ?? "a name of this certificate";
  const subtype = problem.subproblems?.[0]?.type;
  const type = (problem.type === `${PREFIX}compound` && subtype ? subtype : problem.type).replace(PREFIX, "");
  switch (type) {
    case "rateLimited": {
      const when = retryAfterText(problem, context.now);
      return `${caPossessive(context.directoryUrl)} rate limit was reached: try again after ${when ?? "the time the CA gives below"}`;
    }
    case "dns":
      return `${host ?? "A name of this certificate"} does not resolve: point its DNS at this server`;
    case "connection":
      return `The CA could not connect to ${name} on port 80: ${connectionReason(problem.detail)}`;
    case "unauthorized":
    case "incorrectResponse":
      return `The CA reached ${name} on port 80 but got the wrong answer: another server or proxy answers there instead of this one (check the DNS and any CDN or router in front)`;
    case "caa":
      return `A CAA record in the DNS of ${name} does not allow ${ca} to issue certificates for it: add ${ca === "Let's Encrypt" || ca === "Let's Encrypt (staging)" ? '0 issue "letsencrypt.org"' : "this CA"} to it, or remove it`;
    case "rejectedIdentifier":
      return `${ca} does not issue certificates for ${name}: the name is not allowed by its policy (for example an internal name or a blocked domain)`;
    case "tls":
      return `The CA could not check ${name}: a redirect sent it to HTTPS, which failed`;
    case "invalidContact":
    case "unsupportedContact":
      return `${ca} does not accept the email address${context.email ? ` ${context.email}` : ""}: use a real address you read`;
    case "externalAccountRequired":
      return `${ca} requires an external account binding (EAB), which this proxy does not support yet: choose another CA`;
    case "userActionRequired":
      return `${ca} needs you to act on the account (for example to accept new terms of service): see the CA's detail below`;
    case "serverInternal":
      return `${ca} had an internal error; the order will be retried automatically`;
    case "badCSR":
      return `${ca} refused the certificate request`;
    case "accountDoesNotExist":
      return `${ca} no longer knows this proxy's ACME account; a new one is made on the next try`;
    default:
      return `${ca} refused the request`;
  }
}

/** Turns whatever an order step threw, and the CA's problem document if any, into plain words. */
export function describeAcmeFailure(error: unknown, problem: AcmeProblem | undefined, context: FailureContext): PlainFailure {
  if (error instanceof CaFileError) return { message: error.message };
  if (problem) {
    const detail = caDetail(problem);
    return { message: fromProblem(problem, context), ...(detail ? { detail } : {}) };
  }
  const text = errorText(error);
  const code = errorCode(error);
  if (code && TLS_TRUST_CODES.has(code)) {
    const message = context.caFile
      ? `The ACME server at ${context.directoryUrl} presented a certificate that the CA in ACME_CA_FILE (${context.caFile}) did not sign: put that server's CA certificate in the file`
      : `The ACME server at ${context.directoryUrl} presented a certificate this proxy does not trust: if it uses a private CA, set ACME_CA_FILE to that CA's certificate (PEM)`;
    return { message, detail: `${code}: ${text}` };
  }
  if (code && NETWORK_REASONS[code]) {
    return { message: `Could not reach the ACME server at ${context.directoryUrl}: ${NETWORK_REASONS[code]}`, detail: `${code}: ${text}` };
  }
  const directory = /^Attempting to read ACME directory returned error (\d+)/.exec(text);
  if (directory) {
    return {
      message: `The ACME server at ${context.directoryUrl} answered HTTP ${directory[1]} instead of its directory: check ACME_DIRECTORY_URL`,
      detail: text,
    };
  }
  if (text === "Operation is pending or processing") {
    return {
      message: `${caName(context.directoryUrl)} did not finish checking${context.hostname ? ` ${context.hostname}` : ""} in time; the order will be retried`,
      detail: text,
    };
  }
  return { message: "The order failed unexpectedly", detail: text };
}
