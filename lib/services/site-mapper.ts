import type { Prisma } from "../db";
import { siteFields, type Site, type SiteData } from "../schemas/site";
import { byPosition, savedFields, type UpstreamHealthRow } from "./saved-fields";

export const siteInclude = {
  hostnames: { orderBy: { position: "asc" } },
  upstreams: { orderBy: { position: "asc" } },
} as const;

export type SiteRow = Prisma.SiteGetPayload<{ include: typeof siteInclude }>;

/**
 * Every field of the schema is the column of the same name, but for the two lists (rows of their
 * own) and these: objects, stored as JSON text, and enums, stored as text.
 */
const TEXT_FIELDS = [
  "loadBalancing",
  "healthCheck",
  "rateLimit",
  "securityHeaders",
  "customHeaders",
  "tlsPolicy",
  "tlsMode",
  "routes",
  "redirect",
  "maintenance",
  "errorPages",
  "compression",
  "cache",
] as const;
const JSON_FIELDS: ReadonlySet<string> = new Set<TextField>(TEXT_FIELDS.filter((field) => field !== "tlsPolicy" && field !== "tlsMode"));
type TextField = (typeof TEXT_FIELDS)[number];
type ColumnField = Exclude<keyof SiteData, TextField | "hostnames" | "upstreams">;

/** The columns of a site's own row that hold its fields. */
export type SiteColumns = Pick<SiteData, ColumnField> & Pick<SiteRow, TextField>;

/** A site as stored: its columns, hostname and upstream rows. */
export type StoredSite = SiteColumns & {
  hostnames: { hostname: string; position: number }[];
  upstreams: { id: string; url: string; weight: number; position: number }[];
};

// Fails to compile when a field of the schema has no column of its name and type.
const columnsMatchTheSchema = (row: SiteRow): StoredSite => row;
void columnsMatchTheSchema;

const COLUMN_FIELDS = Object.keys(siteFields.shape).filter(
  (key): key is ColumnField => key !== "hostnames" && key !== "upstreams" && !(TEXT_FIELDS as readonly string[]).includes(key),
);

/**
 * The stored fields. Rows are written validated, but a text field that an older or newer version
 * wrote may not parse today: it takes the schema's default (no rate limit rather than a made-up
 * one, the security headers on when they were on) instead of failing a whole list; the dashboard
 * and the proxy both read through here, so what is shown is what is served.
 */
export function siteDataFromRow(row: StoredSite): SiteData {
  const data: Record<string, unknown> = {
    hostnames: byPosition(row.hostnames).map((h) => h.hostname),
    upstreams: byPosition(row.upstreams).map(({ url, weight }) => ({ url, weight })),
  };
  for (const field of COLUMN_FIELDS) data[field] = row[field];
  for (const field of TEXT_FIELDS) data[field] = storedValue(field, row[field]);
  return data as SiteData;
}

/** The site's own row, from validated data. */
export function siteColumns(site: SiteData): SiteColumns {
  const columns: Record<string, unknown> = {};
  for (const field of COLUMN_FIELDS) columns[field] = site[field];
  for (const field of TEXT_FIELDS) {
    const value = site[field];
    columns[field] = JSON_FIELDS.has(field) && value !== null ? JSON.stringify(value) : value;
  }
  return columns as SiteColumns;
}

function storedValue(field: TextField, text: string | null): unknown {
  const schema = siteFields.shape[field];
  let value: unknown = text;
  if (JSON_FIELDS.has(field) && text !== null) {
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : schema.parse(undefined);
}

/** `health`: each upstream's verdict by upstream id. */
export function toSite(row: SiteRow, health: ReadonlyMap<string, UpstreamHealthRow> = new Map()): Site {
  return { ...siteDataFromRow(row), ...savedFields(row, health) };
}

/** The stored site as validated input, so a patch can be merged onto it and checked whole. */
export function toSiteData(site: Site): SiteData {
  const data: Record<string, unknown> = Object.fromEntries(Object.keys(siteFields.shape).map((key) => [key, site[key as keyof Site]]));
  data.upstreams = site.upstreams.map(({ url, weight }) => ({ url, weight }));
  return data as SiteData;
}
