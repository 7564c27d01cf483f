import { db } from "../db";
import { chunked, findInParts } from "../db-chunks";
import type { UpstreamState } from "../schemas/upstream-health";
import type { UpstreamHealthRow } from "./saved-fields";

/** Health history is kept for this long, and at most this many changes per upstream. */
export const HISTORY_DAYS = 7;
const MAX_EVENTS_PER_UPSTREAM = 2_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface HealthObservation {
  state: UpstreamState;
  checkedAt: Date;
  latencyMs: number | null;
  message: string | null;
}

export interface UpstreamObservation {
  upstreamId: string;
  observation: HealthObservation;
}

/**
 * Written by the proxy primary after checks of sites' upstreams (by their stable ids), each
 * judged by its site's own check, in one transaction. The current state is one row per upstream;
 * a change of state also appends to the timeline. Returns, in order, whether each observation
 * changed the state.
 *
 * Refreshes (the state unchanged) that say the same thing are one statement: sites that check
 * one address the same way share one probe, so its result refreshes a thousand rows at once.
 */
export async function recordHealthBatch(observations: readonly UpstreamObservation[]): Promise<boolean[]> {
  if (observations.length === 0) return [];
  return db().$transaction(async (tx) => {
    const ids = [...new Set(observations.map((each) => each.upstreamId))];
    const rows = await findInParts(ids, (part) =>
      tx.upstreamHealth.findMany({ where: { upstreamId: { in: part } }, select: { upstreamId: true, state: true, changedAt: true } }),
    );
    const current = new Map(rows.map((row) => [row.upstreamId, { state: row.state, changedAt: row.changedAt }]));
    /** Upstream id -> its latest refresh in this batch, written after the changes. */
    const refreshes = new Map<string, HealthObservation>();
    const changes: boolean[] = [];
    for (const { upstreamId, observation } of observations) {
      const previous = current.get(upstreamId);
      const changed = previous?.state !== observation.state;
      changes.push(changed);
      if (!changed) {
        refreshes.set(upstreamId, observation);
        continue;
      }
      refreshes.delete(upstreamId);
      const changedAt = observation.checkedAt;
      await tx.upstreamHealth.upsert({
        where: { upstreamId },
        create: { upstreamId, ...observation, changedAt },
        update: { ...observation, changedAt },
      });
      await tx.upstreamHealthEvent.create({
        data: { upstreamId, state: observation.state, at: observation.checkedAt, message: observation.message },
      });
      current.set(upstreamId, { state: observation.state, changedAt });
    }
    const alike = new Map<string, { observation: HealthObservation; ids: string[] }>();
    for (const [upstreamId, observation] of refreshes) {
      const key = JSON.stringify(observation);
      const group = alike.get(key) ?? { observation, ids: [] };
      group.ids.push(upstreamId);
      alike.set(key, group);
    }
    for (const { observation, ids: refreshed } of alike.values()) {
      for (const part of chunked(refreshed)) {
        await tx.upstreamHealth.updateMany({ where: { upstreamId: { in: part } }, data: observation });
      }
    }
    return changes;
  });
}

/** One observation (see recordHealthBatch). */
export async function recordHealth(upstreamId: string, observation: HealthObservation): Promise<boolean> {
  const [changed] = await recordHealthBatch([{ upstreamId, observation }]);
  return changed === true;
}

/**
 * Drops history older than HISTORY_DAYS, except each upstream's latest change (it says what the
 * state has been since), and the oldest changes of an upstream that flaps a lot.
 */
export async function pruneHealthHistory(now = new Date()): Promise<void> {
  const latest = await db().upstreamHealthEvent.groupBy({ by: ["upstreamId"], _max: { id: true } });
  const keep = new Set(latest.map((row) => row._max.id));
  const old = await db().upstreamHealthEvent.findMany({
    where: { at: { lt: new Date(now.getTime() - HISTORY_DAYS * DAY_MS) } },
    select: { id: true },
  });
  const expired = old.map((row) => row.id).filter((id) => !keep.has(id));
  for (const part of chunked(expired)) await db().upstreamHealthEvent.deleteMany({ where: { id: { in: part } } });
  const busy = await db().upstreamHealthEvent.groupBy({
    by: ["upstreamId"],
    _count: { _all: true },
    having: { upstreamId: { _count: { gt: MAX_EVENTS_PER_UPSTREAM } } },
  });
  for (const { upstreamId } of busy) {
    const keepFrom = await db().upstreamHealthEvent.findMany({
      where: { upstreamId },
      orderBy: { at: "desc" },
      skip: MAX_EVENTS_PER_UPSTREAM - 1,
      take: 1,
      select: { id: true },
    });
    if (keepFrom[0]) await db().upstreamHealthEvent.deleteMany({ where: { upstreamId, id: { lt: keepFrom[0].id } } });
  }
}

/** Each upstream's own verdict (its site's or stream's check), by upstream id. */
export async function healthOf(upstreamIds: readonly string[]): Promise<Map<string, UpstreamHealthRow>> {
  const rows = await findInParts(upstreamIds, (part) => db().upstreamHealth.findMany({ where: { upstreamId: { in: part } } }));
  return new Map(rows.map((row) => [row.upstreamId, row]));
}

/**
 * The last verdict recorded for each upstream, by id: the site's own upstreams and its routes'
 * alike ("unknown" is left out), so that checks resume from it after a restart.
 */
export async function lastKnownStates(): Promise<Map<string, "up" | "down">> {
  const rows = await db().upstreamHealth.findMany({ where: { state: { in: ["up", "down"] } }, select: { upstreamId: true, state: true } });
  return new Map(rows.map((row) => [row.upstreamId, row.state as "up" | "down"]));
}

/** Forgets upstreams no site has any more, so the tables hold only what is configured. */
export async function forgetUnusedUpstreams(inUse: string[]): Promise<void> {
  // A stream's upstreams keep their health as long as the stream exists, served or not.
  const streamUpstreams = await db().streamUpstream.findMany({ select: { id: true } });
  const used = new Set([...inUse, ...streamUpstreams.map((row) => row.id)]);
  const known = await db().upstreamHealthEvent.groupBy({ by: ["upstreamId"] });
  const states = await db().upstreamHealth.findMany({ select: { upstreamId: true } });
  const unused = [...new Set([...known, ...states].map((row) => row.upstreamId))].filter((id) => !used.has(id));
  for (const part of chunked(unused)) {
    await db().upstreamHealth.deleteMany({ where: { upstreamId: { in: part } } });
    await db().upstreamHealthEvent.deleteMany({ where: { upstreamId: { in: part } } });
  }
}

export interface HealthChange {
  state: UpstreamState;
  at: string;
  message: string | null;
}

export interface UpstreamHistory {
  upstreamId: string;
  /** Share of the window the upstream was up, 0..1, or null when it was never checked in it. */
  uptime: number | null;
  changes: HealthChange[];
}

/**
 * The timeline of state changes in the window (default 24 h) and the uptime over it, counting
 * "unknown" time as neither up nor down.
 */
export async function healthHistory(upstreamId: string, now = new Date(), windowMs = DAY_MS): Promise<UpstreamHistory> {
  const since = new Date(now.getTime() - windowMs);
  const [before, inWindow] = await Promise.all([
    db().upstreamHealthEvent.findFirst({ where: { upstreamId, at: { lt: since } }, orderBy: { at: "desc" } }),
    db().upstreamHealthEvent.findMany({ where: { upstreamId, at: { gte: since, lte: now } }, orderBy: { at: "asc" } }),
  ]);
  const segments = [...(before ? [{ state: before.state, at: since }] : []), ...inWindow];
  let up = 0;
  let known = 0;
  segments.forEach((segment, index) => {
    const end = segments[index + 1]?.at ?? now;
    const length = end.getTime() - segment.at.getTime();
    if (segment.state === "up") up += length;
    if (segment.state !== "unknown") known += length;
  });
  return {
    upstreamId,
    uptime: known > 0 ? up / known : null,
    changes: inWindow.map((event) => ({ state: event.state as UpstreamState, at: event.at.toISOString(), message: event.message })),
  };
}
