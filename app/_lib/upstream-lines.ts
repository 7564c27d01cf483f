/** One upstream as the form sends it: weight only when the line says weight=N (otherwise the default, 1). */
export interface UpstreamLine {
  url: string;
  weight?: number;
}

export interface ParsedUpstreamLines {
  items: UpstreamLine[];
  /** The textarea line of each item, for "Line 3: ...". */
  lines: number[];
  /** What is wrong with an item's extras, by item index (keyed like the service: upstreams.<i>.weight). */
  errors: Record<string, string>;
}

export const WEIGHT_MESSAGE = "weight must be a whole number from 1 to 100, like weight=3";

/**
 * Reads the Upstream servers textarea: one address per line, optionally followed by weight=N
 * ("http://10.0.0.5:8080 weight=3"). Spaces around "=" are forgiven.
 */
export function parseUpstreamLines(text: string): ParsedUpstreamLines {
  const items: UpstreamLine[] = [];
  const lines: number[] = [];
  const errors: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, lineIndex) => {
    const [url, ...extras] = raw
      .trim()
      .replace(/\s*=\s*/g, "=")
      .split(/\s+/);
    if (!url) return;
    const index = items.length;
    const item: UpstreamLine = { url };
    for (const extra of extras) {
      const match = /^weight=(.*)$/i.exec(extra);
      if (!match) {
        errors[`upstreams.${index}`] ??= looksLikeAddress(extra)
          ? `Put each server on its own line (“${extra}” is on the same line as “${url}”)`
          : `Unexpected “${extra}”: after the address, only weight=N may follow (like weight=3)`;
        continue;
      }
      if (item.weight !== undefined) {
        errors[`upstreams.${index}.weight`] ??= "weight is given twice: keep one";
        continue;
      }
      const value = match[1] ?? "";
      const weight = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!(weight >= 1 && weight <= 100)) errors[`upstreams.${index}.weight`] = WEIGHT_MESSAGE;
      item.weight = weight;
    }
    items.push(item);
    lines.push(lineIndex + 1);
  });
  return { items, lines, errors };
}

const looksLikeAddress = (word: string) => word.includes("://") || (/^[\w.-]+(:\d+)?$/.test(word) && /[.:]/.test(word));

/** The textarea text for saved upstreams: weight=N is written only where it is not the default. */
export function formatUpstreamLines(upstreams: readonly { url: string; weight: number }[]): string {
  return upstreams.map(({ url, weight }) => (weight === 1 ? url : `${url} weight=${weight}`)).join("\n");
}
