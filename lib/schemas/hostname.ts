import { z } from "zod";

const MAX_LABEL_LENGTH = 63;
const LABEL = /^[a-z0-9-]+$/;

/** Lower-cases, drops a trailing dot, and checks an exact or `*.` wildcard DNS name. */
export const hostnameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((name) => name.replace(/\.$/, ""))
  .superRefine((name, ctx) => {
    if (name.length === 0) {
      ctx.addIssue({ code: "custom", message: "Enter a hostname such as example.com" });
      return;
    }
    if (name.length > 253) {
      ctx.addIssue({ code: "custom", message: `"${name}" is longer than 253 characters` });
      return;
    }
    if (/[:/\s]/.test(name)) {
      ctx.addIssue({
        code: "custom",
        message: `"${name}" is not a hostname: leave out the scheme, port and path (just example.com)`,
      });
      return;
    }
    const labels = name.split(".");
    const wildcard = labels[0] === "*";
    const rest = wildcard ? labels.slice(1) : labels;
    if (wildcard && rest.length < 2) {
      ctx.addIssue({ code: "custom", message: `"${name}": a wildcard needs a domain under it, like *.example.com` });
      return;
    }
    if (rest.some((label) => label.includes("*"))) {
      ctx.addIssue({ code: "custom", message: `"${name}": a wildcard may only be the first label, like *.example.com` });
      return;
    }
    for (const label of rest) {
      const problem = labelProblem(label);
      if (problem !== null) {
        ctx.addIssue({ code: "custom", message: `"${name}" is not a valid hostname: ${problem}` });
        return;
      }
    }
  });

/** What is wrong with one part of a name (between dots), in words; null when nothing is. */
function labelProblem(label: string): string | null {
  if (label === "") return "it has an empty part (two dots in a row, or a dot at the start)";
  if (label.length > MAX_LABEL_LENGTH)
    return `"${label.slice(0, 20)}…" is ${label.length} characters long; each part between dots may have at most ${MAX_LABEL_LENGTH}`;
  if (label.startsWith("-") || label.endsWith("-")) return `"${label}" may not start or end with a hyphen`;
  return LABEL.test(label) ? null : `"${label}" may use only letters, digits and inner hyphens`;
}

export const isWildcard = (hostname: string): boolean => hostname.startsWith("*.");
