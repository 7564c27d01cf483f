import type { Prisma } from "../db";
import { streamFields, type Stream, type StreamData } from "../schemas/stream";
import type { StreamProtocol } from "../schemas/stream-options";
import { byPosition, savedFields, type UpstreamHealthRow } from "./saved-fields";

export const streamInclude = { upstreams: { orderBy: { position: "asc" } } } as const;

export type StreamRow = Prisma.StreamGetPayload<{ include: typeof streamInclude }>;

/** Objects stored as JSON text. Every other field of the schema is the column of its name. */
const JSON_FIELDS = ["loadBalancing", "healthCheck"] as const;
type JsonField = (typeof JSON_FIELDS)[number];

/**
 * The stored fields. A JSON column that an older or newer version wrote and that does not parse
 * today takes the schema's default rather than failing the whole list, as a site's does.
 */
export function streamDataFromRow(row: StreamRow): StreamData {
  return {
    name: row.name,
    protocol: row.protocol as StreamProtocol,
    listenPort: row.listenPort,
    upstreams: byPosition(row.upstreams).map(({ url, weight }) => ({ url, weight })),
    enabled: row.enabled,
    loadBalancing: storedValue("loadBalancing", row.loadBalancing) as StreamData["loadBalancing"],
    healthCheck: storedValue("healthCheck", row.healthCheck) as StreamData["healthCheck"],
    accessListId: row.accessListId,
    idleTimeoutSeconds: row.idleTimeoutSeconds,
    proxyProtocol: row.proxyProtocol,
  };
}

/** The stream's own row, from validated data. */
export function streamColumns(stream: StreamData) {
  const { upstreams: _rows, loadBalancing, healthCheck, ...columns } = stream;
  return { ...columns, loadBalancing: JSON.stringify(loadBalancing), healthCheck: JSON.stringify(healthCheck) };
}

function storedValue(field: JsonField, text: string): unknown {
  const schema = streamFields.shape[field];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : schema.parse(undefined);
}

/** `health`: each upstream's verdict by upstream id. */
export function toStream(row: StreamRow, health: ReadonlyMap<string, UpstreamHealthRow> = new Map()): Stream {
  return { ...streamDataFromRow(row), ...savedFields(row, health) };
}

/** The stored stream as validated input, so a patch can be merged onto it and checked whole. */
export function toStreamData(stream: Stream): StreamData {
  const data: Record<string, unknown> = Object.fromEntries(Object.keys(streamFields.shape).map((key) => [key, stream[key as keyof Stream]]));
  data.upstreams = stream.upstreams.map(({ url, weight }) => ({ url, weight }));
  return data as StreamData;
}
