import { checked, text, type LineMap } from "@/app/_lib/form-state";
import { parseUpstreamLines, WEIGHT_MESSAGE } from "@/app/_lib/upstream-lines";

export interface ReadStreamForm {
  /** The stream as the service takes it (a whole stream: the edit form sends every field). */
  input: Record<string, unknown>;
  lines: LineMap;
  /** What the form itself found wrong (a number that is not one, an unknown word on an upstream line), by service path. */
  problems: Record<string, string>;
}

/** Reads the stream form. A number that is not one is sent as NaN, so the schema still checks every other field. */
export function readStreamForm(formData: FormData): ReadStreamForm {
  const problems: Record<string, string> = {};
  const upstreams = parseUpstreamLines(text(formData, "upstreams"));
  Object.assign(problems, upstreams.errors);

  const whole = (path: string, empty: string, example: string): number => {
    const value = text(formData, path).trim();
    if (/^\d+$/.test(value)) return Number(value);
    problems[path] = value === "" ? empty : `Use a whole number, like ${example}`;
    return Number.NaN;
  };
  const accessListId = text(formData, "accessListId");
  const protocol = text(formData, "protocol");

  return {
    input: {
      name: text(formData, "name"),
      protocol,
      listenPort: whole("listenPort", "Give the port to listen on, from 1 to 65535", "5432"),
      upstreams: upstreams.items,
      loadBalancing: { policy: text(formData, "loadBalancing.policy") },
      accessListId: accessListId === "" ? null : accessListId,
      idleTimeoutSeconds: whole("idleTimeoutSeconds", "Give the idle timeout in seconds, like 600", "600"),
      // The PROXY protocol is offered for TCP only; a UDP stream never sends it.
      proxyProtocol: protocol !== "udp" && checked(formData, "proxyProtocol"),
      healthCheck: {
        enabled: checked(formData, "healthCheck.enabled"),
        intervalSeconds: whole("healthCheck.intervalSeconds", "Enter a number of seconds, like 10", "10"),
        timeoutSeconds: whole("healthCheck.timeoutSeconds", "Enter a number of seconds, like 5", "5"),
        healthyThreshold: whole("healthCheck.healthyThreshold", "Enter a number of checks, like 2", "2"),
        unhealthyThreshold: whole("healthCheck.unhealthyThreshold", "Enter a number of checks, like 3", "3"),
      },
      enabled: checked(formData, "enabled"),
    },
    lines: { upstreams: upstreams.lines },
    problems,
  };
}

/** Plain words where the schema leaves zod's generic ones ("Too small: expected number to be >=1"). */
export function friendlyStreamMessage(path: string, message: string): string {
  if (!/^(Too (small|big)|Invalid input)/.test(message)) return message;
  if (/^upstreams\.\d+\.weight$/.test(path)) return WEIGHT_MESSAGE;
  if (path === "healthCheck.healthyThreshold" || path === "healthCheck.unhealthyThreshold") return "Use a whole number of checks from 1 to 20";
  return message;
}
