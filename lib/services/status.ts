import { db } from "../db";
import { currentRevision } from "./revision";

/** A proxy that has not written a heartbeat for this long is shown as down. */
const HEARTBEAT_STALE_MS = 10_000;

export interface ProxyStatus {
  configRevision: number;
  appliedRevision: number | null;
  appliedAt: string | null;
  proxy: { up: boolean; workers: number; http: { port: number | null }; https: { port: number | null } };
}

export async function getStatus(now = new Date()): Promise<ProxyStatus> {
  const [configRevision, state] = await Promise.all([currentRevision(), db().proxyState.findUnique({ where: { id: 1 } })]);
  const up = state?.heartbeatAt ? now.getTime() - state.heartbeatAt.getTime() < HEARTBEAT_STALE_MS : false;
  return {
    configRevision,
    appliedRevision: state?.appliedRevision ?? null,
    appliedAt: state?.appliedAt?.toISOString() ?? null,
    proxy: {
      up,
      workers: up ? (state?.workers ?? 0) : 0,
      http: { port: state?.httpPort ?? null },
      https: { port: state?.httpsPort ?? null },
    },
  };
}
