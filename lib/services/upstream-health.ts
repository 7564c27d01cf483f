import { db } from "../db";
import type { UpstreamState } from "../schemas/upstream-health";

/** Health history is kept for this long, and at most this many changes per address. */
export const HISTORY_DAYS = 7;
const MAX_EVENTS_PER_ADDRESS = 2_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface HealthObservation {
  state: UpstreamState;
  checkedAt: Date;
  latencyMs: number | null;
  message: string | null;
}

/**
 * Written by the proxy primary after each check of an address. The current state is one row per
 * address; a change of state also appends to the timeline. Returns whether the state changed.
 */
export async function recordHealth(address: string, observation: HealthObservation): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const previous = await tx.upstreamHealth.findUnique({ where: { address }, select: { state: true, changedAt: true } });
    const changed = previous?.state !== observation.state;
    const changedAt = changed ? observation.checkedAt : previous.changedAt;
    await tx.upstreamHealth.upsert({
      where: { address },
      create: { address, ...observation, changedAt },
      update: { ...observation, changedAt },
    });
    if (changed) {
      await tx.upstreamHealthEvent.create({
        data: { address, state: observation.state, at: observation.checkedAt, message: observation.message },
      });
    }
    return changed;
  });
}

/**
 * Drops history older than HISTORY_DAYS, except each address's latest change (it says what the
 * state has been since), and the oldest changes of an address that flaps a lot.
 */
export async function pruneHealthHistory(now = new Date()): Promise<void> {
  const latest = await db().upstreamHealthEvent.groupBy({ by: ["address"], _max: { id: true } });
  const keep = latest.map((row) => row._max.id).filter((id): id is number => id !== null);
  await db().upstreamHealthEvent.deleteMany({
    where: { at: { lt: new Date(now.getTime() - HISTORY_DAYS * DAY_MS) }, id: { notIn: keep } },
  });
  const busy = await db().upstreamHealthEvent.groupBy({
    by: ["address"],
    _count: { _all: true },
    having: { address: { _count: { gt: MAX_EVENTS_PER_ADDRESS } } },
  });
  for (const { address } of busy) {
    const keepFrom = await db().upstreamHealthEvent.findMany({
      where: { address },
      orderBy: { at: "desc" },
      skip: MAX_EVENTS_PER_ADDRESS - 1,
      take: 1,
      select: { id: true },
    });
    if (keepFrom[0]) await db().upstreamHealthEvent.deleteMany({ where: { address, id: { lt: keepFrom[0].id } } });
  }
}

/** Forgets addresses no site uses any more, so the table holds only what is configured. */
export async function forgetUnusedAddresses(inUse: string[]): Promise<void> {
  await db().upstreamHealth.deleteMany({ where: { address: { notIn: inUse } } });
  await db().upstreamHealthEvent.deleteMany({ where: { address: { notIn: inUse } } });
}

export interface HealthChange {
  state: UpstreamState;
  at: string;
  message: string | null;
}

export interface UpstreamHistory {
  address: string;
  /** Share of the window the address was up, 0..1, or null when it was never checked in it. */
  uptime: number | null;
  changes: HealthChange[];
}

/**
 * The timeline of state changes in the window (default 24 h) and the uptime over it, counting
 * "unknown" time as neither up nor down.
 */
export async function healthHistory(address: string, now = new Date(), windowMs = DAY_MS): Promise<UpstreamHistory> {
  const since = new Date(now.getTime() - windowMs);
  const [before, inWindow] = await Promise.all([
    db().upstreamHealthEvent.findFirst({ where: { address, at: { lt: since } }, orderBy: { at: "desc" } }),
    db().upstreamHealthEvent.findMany({ where: { address, at: { gte: since, lte: now } }, orderBy: { at: "asc" } }),
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
    address,
    uptime: known > 0 ? up / known : null,
    changes: inWindow.map((event) => ({ state: event.state as UpstreamState, at: event.at.toISOString(), message: event.message })),
  };
}
