import type { X509Certificate } from "node:crypto";

export interface AltName {
  /** Node's prefix: "DNS", "IP Address", "email", "URI", ... */
  type: string;
  value: string;
}

/**
 * Reads node's `subjectAltName` text ("DNS:a.com, IP Address:10.0.0.1"). Node JSON-quotes
 * values containing commas, quotes or control characters, so a plain split on ", " would
 * let a hostile certificate smuggle in extra names.
 */
export function parseSubjectAltName(text: string | undefined): AltName[] {
  if (!text) return [];
  const names: AltName[] = [];
  let pos = 0;
  while (pos < text.length) {
    const colon = text.indexOf(":", pos);
    if (colon < 0) break;
    const type = text.slice(pos, colon).trim();
    let value: string;
    let end: number;
    if (text[colon + 1] === '"') {
      end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      end += 1;
      try {
        const parsed: unknown = JSON.parse(text.slice(colon + 1, end));
        value = typeof parsed === "string" ? parsed : "";
      } catch {
        value = "";
      }
    } else {
      const comma = text.indexOf(",", colon + 1);
      end = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, end).trim();
    }
    names.push({ type, value });
    const next = text.indexOf(",", end);
    pos = next < 0 ? text.length : next + 1;
  }
  return names;
}

/** Attribute values of a distinguished name, e.g. { CN: ["example.com"], O: ["Acme"] }. */
export type NameAttributes = Readonly<Record<string, readonly string[]>>;

function toAttributes(value: unknown): NameAttributes {
  const out: Record<string, string[]> = {};
  if (typeof value !== "object" || value === null) return out;
  for (const [key, raw] of Object.entries(value)) {
    // Repeated attributes (two CNs, two OUs) come back as arrays.
    const list: unknown[] = Array.isArray(raw) ? raw : [raw];
    out[key] = list.filter((item): item is string => typeof item === "string");
  }
  return out;
}

/** Node's legacy object already unescapes DN values, unlike the `subject` string. */
export function subjectAttributes(cert: X509Certificate): NameAttributes {
  return toAttributes(cert.toLegacyObject().subject);
}

export function issuerAttributes(cert: X509Certificate): NameAttributes {
  return toAttributes(cert.toLegacyObject().issuer);
}

export function firstAttribute(attributes: NameAttributes, key: string): string | undefined {
  return attributes[key]?.find((value) => value.trim() !== "")?.trim();
}

/** One line for people: the preferred attributes first, the whole name as a last resort. */
export function readableName(attributes: NameAttributes, prefer: readonly string[]): string {
  for (const key of prefer) {
    const value = firstAttribute(attributes, key);
    if (value !== undefined) return value;
  }
  const all = Object.entries(attributes).flatMap(([key, values]) => values.map((v) => `${key}=${v}`));
  return all.length > 0 ? all.join(", ") : "(no name)";
}
