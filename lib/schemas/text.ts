import { z } from "zod";

/**
 * The one rule for free text that people type and others read back (every entity's name, a
 * basic-auth user name): text that cannot be stored (a lone UTF-16 surrogate), that hides
 * (control characters, NUL among them) or that shows something other than what it is
 * (bidirectional overrides, U+202A-U+202E and U+2066-U+2069, the "Trojan Source" trick).
 */
export function textProblem(text: string): string | null {
  const surrogate = loneSurrogate(text);
  if (surrogate !== null) return surrogateProblem(surrogate);
  const control = /\p{Cc}/u.exec(text)?.[0];
  if (control !== undefined) {
    return control === "\0" ? "contains a NUL character (U+0000)" : `contains an invisible control character (${codePoint(control)})`;
  }
  const override = /[\u202A-\u202E\u2066-\u2069]/.exec(text)?.[0];
  if (override !== undefined) {
    return `contains a bidirectional override (${codePoint(override)}), which can make it display as something else`;
  }
  return null;
}

/** The first unpaired surrogate, as "U+D800", or null for well-formed text. */
export function loneSurrogate(text: string): string | null {
  // Without the u flag a regex sees UTF-16 code units, so it can find a half of a pair alone.
  const unit = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text)?.[0];
  return unit === undefined ? null : codePoint(unit);
}

const surrogateProblem = (unit: string): string => `contains a lone UTF-16 surrogate (${unit}), which is not valid text`;

const codePoint = (char: string): string => "U+" + char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");

/** A trimmed string held to textProblem; `label` starts the message ("The name contains ..."). */
export const plainText = (label: string) =>
  z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      const problem = textProblem(text);
      if (problem !== null) ctx.addIssue({ code: "custom", message: `The ${label} ${problem}` });
    });

/** An entity's name: required, at most 100 characters, plain text. */
export const nameSchema = (emptyMessage: string) => plainText("name").min(1, emptyMessage).max(100, "Keep the name under 100 characters");

/** A name that may be left out or blank (the service then picks one). */
export const optionalNameSchema = plainText("name").max(100, "Keep the name under 100 characters").optional();

/**
 * Where a parsed JSON body holds a lone surrogate (JSON allows "\ud800"; nothing downstream can
 * store it), as error details by field path, like zod's. Empty when there is none.
 */
export function loneSurrogateDetails(value: unknown, path: string[] = []): Record<string, string> {
  const here = path.length > 0 ? path.join(".") : "_";
  if (typeof value === "string") {
    const surrogate = loneSurrogate(value);
    return surrogate === null ? {} : { [here]: `The value ${surrogateProblem(surrogate)}` };
  }
  if (typeof value !== "object" || value === null) return {};
  const details: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const surrogate = loneSurrogate(key);
    if (surrogate !== null) details[here] ??= `A field name ${surrogateProblem(surrogate)}`;
    Object.assign(details, loneSurrogateDetails(item, [...path, key]));
  }
  return details;
}
