import { domainToASCII } from "node:url";
import { z } from "zod";

const MAX_LABEL_LENGTH = 63;
const MAX_NAME_LENGTH = 253;
const LABEL = /^[a-z0-9-]+$/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Lower-cases, drops a trailing dot, and checks an exact or `*.` wildcard DNS name. An
 * internationalised name (bücher.example) is stored in its ASCII (punycode) form, the one DNS,
 * TLS and the Host header use: xn--bcher-kva.example. Show it with `displayHostname`.
 */
export const hostnameSchema = z
  .string()
  .trim()
  .transform((input, ctx) => {
    const problem = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    // IDNA treats the ideographic full stops as dots: so do we, before splitting into labels.
    const name = input
      .toLowerCase()
      .replace(/[\u3002\uff0e\uff61]/g, ".")
      .replace(/\.$/, "");
    if (name.length === 0) return problem("Enter a hostname such as example.com");
    if (/\s/.test(name)) {
      return problem(`"${name}" is not a hostname: it has a space, and a hostname has none`);
    }
    if (/[:/]/.test(name)) {
      return problem(`"${name}" is not a hostname: leave out the scheme, port and path (just example.com)`);
    }
    const labels = name.split(".");
    const wildcard = labels[0] === "*";
    const rest = wildcard ? labels.slice(1) : labels;
    if (wildcard && rest.length < 2) return problem(`"${name}": a wildcard needs a domain under it, like *.example.com`);
    if (rest.some((label) => label.includes("*"))) return problem(`"${name}": a wildcard may only be the first label, like *.example.com`);

    const ascii: string[] = [];
    for (const label of rest) {
      const converted = asciiLabel(label);
      if (converted === null) {
        return problem(`"${name}" is not a valid hostname: "${label}" is not a valid international name part (punycode cannot encode it)`);
      }
      const labelError = labelProblem(converted, label);
      if (labelError !== null) return problem(`"${name}" is not a valid hostname: ${labelError}`);
      ascii.push(converted);
    }
    const stored = [...(wildcard ? ["*"] : []), ...ascii].join(".");
    if (stored.length > MAX_NAME_LENGTH) {
      return problem(
        `"${name}" is ${stored.length} characters long${stored === name ? "" : ` as stored (${stored})`}; a hostname may have at most ${MAX_NAME_LENGTH}`,
      );
    }
    return stored;
  });

/**
 * One label in ASCII: plain labels as they are; Unicode ones (and "xn--" ones, which must decode)
 * through IDNA. null when IDNA refuses it (a disallowed character, broken punycode).
 */
function asciiLabel(label: string): string | null {
  if (label === "" || (!NON_ASCII.test(label) && !label.startsWith("xn--"))) return label;
  const converted = domainToASCII(label);
  return converted === "" || converted.includes(".") ? null : converted;
}

/** What is wrong with one part of a name (between dots), in words; null when nothing is. */
function labelProblem(label: string, typed: string = label): string | null {
  if (label === "") return "it has an empty part (two dots in a row, or a dot at the start)";
  if (label.length > MAX_LABEL_LENGTH) {
    const shown = typed === label ? `"${label.slice(0, 20)}…"` : `"${typed.slice(0, 20)}${typed.length > 20 ? "…" : ""}" (${label} in punycode)`;
    return `${shown} is ${label.length} characters long; each part between dots may have at most ${MAX_LABEL_LENGTH}`;
  }
  if ([label, typed].some((part) => part.startsWith("-") || part.endsWith("-"))) return `"${typed}" may not start or end with a hyphen`;
  return LABEL.test(label) ? null : `"${typed}" may use only letters, digits and inner hyphens`;
}

export const isWildcard = (hostname: string): boolean => hostname.startsWith("*.");
