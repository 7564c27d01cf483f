import type { LimitAnswer, LimitAsk, LimitRelease, PrimaryToWorker, WorkerToPrimary } from "../ipc";

type LimitsMessage = Extract<WorkerToPrimary, { type: "limits" }>;
type LimitAnswersMessage = Extract<PrimaryToWorker, { type: "limit-answers" }>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isAsk(value: unknown): value is LimitAsk {
  if (!isRecord(value) || !isCount(value.id) || typeof value.key !== "string" || typeof value.client !== "string") return false;
  if ("maxPerClient" in value) return isCount(value.maxPerClient) && value.maxPerClient > 0;
  const rate = value.rate;
  return (
    isRecord(rate) && typeof rate.requestsPerSecond === "number" && rate.requestsPerSecond > 0 && typeof rate.burst === "number" && rate.burst > 0
  );
}

function isRelease(value: unknown): value is LimitRelease {
  return isRecord(value) && typeof value.key === "string" && typeof value.client === "string" && isCount(value.count);
}

function isAnswer(value: unknown): value is LimitAnswer {
  return Array.isArray(value) && value.length === 2 && isCount(value[0]) && typeof value[1] === "number" && value[1] >= 0;
}

/** The "limits" channel, worker to primary. */
export function isLimitsMessage(message: unknown): message is LimitsMessage {
  return (
    isRecord(message) &&
    message.type === "limits" &&
    Array.isArray(message.asks) &&
    message.asks.every(isAsk) &&
    Array.isArray(message.releases) &&
    message.releases.every(isRelease)
  );
}

/** The "limit-answers" channel, primary to worker. */
export function isLimitAnswersMessage(message: unknown): message is LimitAnswersMessage {
  return isRecord(message) && message.type === "limit-answers" && Array.isArray(message.answers) && message.answers.every(isAnswer);
}
