import type { UpstreamHealth, UpstreamState } from "../schemas/upstream-health";

/** A site's or a stream's own row, as far as what the product knows beside its fields goes. */
export interface SavedRow {
  id: string;
  revision: number;
  appliedRevision: number | null;
  applyError: string | null;
  createdAt: Date;
  updatedAt: Date;
  upstreams: { id: string; url: string; weight: number; position: number }[];
}

export interface UpstreamHealthRow {
  upstreamId: string;
  state: string;
  checkedAt: Date;
  latencyMs: number | null;
  message: string | null;
}

const UNKNOWN: UpstreamHealth = { state: "unknown", checkedAt: null, latencyMs: null, message: null };

/**
 * What a saved site or stream carries beside its fields: its id, its upstreams with their ids and
 * health (`health`: each upstream's verdict by upstream id), whether the proxy serves its latest
 * version, and when it was made and changed.
 */
export function savedFields(row: SavedRow, health: ReadonlyMap<string, UpstreamHealthRow>) {
  const applied = row.appliedRevision !== null && row.appliedRevision >= row.revision && row.applyError === null;
  return {
    id: row.id,
    upstreams: byPosition(row.upstreams).map(({ id, url, weight }) => ({ id, url, weight, health: toHealth(health.get(id)) })),
    status: { applied, appliedRevision: row.appliedRevision, error: row.applyError },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toHealth(row: UpstreamHealthRow | undefined): UpstreamHealth {
  if (!row) return UNKNOWN;
  return { state: row.state as UpstreamState, checkedAt: row.checkedAt.toISOString(), latencyMs: row.latencyMs, message: row.message };
}

export function byPosition<T extends { position: number }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.position - b.position);
}
