import type { PrimaryToWorker, WorkerToPrimary } from "../ipc";
import type { CachePurgeScope } from "@/lib/schemas/cache-purge";
import type { WrittenEntry } from "./cache-coordinator";

type LeaseMessage = Extract<WorkerToPrimary, { type: "cache-lease" }>;
type ReleaseMessage = Extract<WorkerToPrimary, { type: "cache-release" }>;
type PurgedMessage = Extract<WorkerToPrimary, { type: "cache-purged" }>;
type LeaseAnswerMessage = Extract<PrimaryToWorker, { type: "cache-lease-answer" }>;
type PurgeMessage = Extract<PrimaryToWorker, { type: "cache-purge" }>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isText = (value: unknown): value is string => typeof value === "string" && value !== "";

function isWritten(value: unknown): value is WrittenEntry {
  return (
    isRecord(value) &&
    isText(value.id) &&
    /^[0-9a-f]+$/.test(value.id) &&
    typeof value.key === "string" &&
    isCount(value.size) &&
    typeof value.answer === "boolean"
  );
}

function isScope(value: unknown): value is CachePurgeScope {
  if (!isRecord(value)) return false;
  if (value.kind === "all") return true;
  if (value.kind === "prefix") return typeof value.prefix === "string";
  return value.kind === "url" && typeof value.target === "string" && (value.host === null || typeof value.host === "string");
}

/** The cache channels, worker to primary. */
export function isCacheLeaseMessage(message: unknown): message is LeaseMessage {
  return isRecord(message) && message.type === "cache-lease" && isCount(message.id) && isText(message.siteId) && typeof message.key === "string";
}

export function isCacheReleaseMessage(message: unknown): message is ReleaseMessage {
  return (
    isRecord(message) &&
    message.type === "cache-release" &&
    isText(message.siteId) &&
    typeof message.key === "string" &&
    Array.isArray(message.written) &&
    message.written.every(isWritten)
  );
}

export function isCachePurgedMessage(message: unknown): message is PurgedMessage {
  return isRecord(message) && message.type === "cache-purged" && isCount(message.id) && isCount(message.removed);
}

/** The cache channels, primary to worker. */
export function isCacheLeaseAnswerMessage(message: unknown): message is LeaseAnswerMessage {
  return isRecord(message) && message.type === "cache-lease-answer" && isCount(message.id) && typeof message.granted === "boolean";
}

export function isCachePurgeMessage(message: unknown): message is PurgeMessage {
  return isRecord(message) && message.type === "cache-purge" && isCount(message.id) && isText(message.siteId) && isScope(message.scope);
}
