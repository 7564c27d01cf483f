import { describe, expect, it } from "vitest";
import type { WorkerToPrimary } from "../ipc";
import { SharedLimits } from "../security/shared-limits";
import { isLimitAnswersMessage, isLimitsMessage } from "../security/limit-messages";
import { LimitAuthority } from "./limit-authority";

type LimitsMessage = Extract<WorkerToPrimary, { type: "limits" }>;

/** Workers talking to one authority through a structured-clone hop each way, as over IPC. */
function cluster(size: number) {
  const authority = new LimitAuthority();
  const sent: LimitsMessage[] = [];
  const workers = Array.from({ length: size }, (_, index) => {
    const limits: SharedLimits = new SharedLimits({
      connected: () => true,
      send: (message) => {
        sent.push(message);
        const received: unknown = structuredClone(message);
        if (!isLimitsMessage(received)) throw new Error("invalid limits message");
        const answers = authority.handle(index, received.asks, received.releases);
        const reply: unknown = structuredClone({ type: "limit-answers", answers });
        setImmediate(() => isLimitAnswersMessage(reply) && limits.answer(reply.answers));
      },
    });
    return limits;
  });
  return { authority, workers, sent };
}

describe("limits shared by workers", () => {
  it("grants an address exactly its burst over two workers asked at once, and refuses the rest with the time to wait", async () => {
    const { workers } = cluster(2);
    const limiters = workers.map((worker) => worker.rateLimiter("site {}", { requestsPerSecond: 0.01, burst: 6 }));
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => limiters[i % 2]!.take("203.0.113.7")));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(6);
    expect(decisions.filter((decision) => !decision.allowed).every((decision) => !decision.allowed && decision.retryAfterSeconds === 100)).toBe(true);
    // Another address has its own burst.
    expect(await limiters[1]!.take("203.0.113.8")).toEqual({ allowed: true });
  });

  it("refuses an address the primary refused without asking again until its next token", async () => {
    const { workers, sent } = cluster(1);
    const limiter = workers[0]!.rateLimiter("site {}", { requestsPerSecond: 0.01, burst: 1 });
    expect(await limiter.take("a")).toEqual({ allowed: true });
    expect((await limiter.take("a")).allowed).toBe(false);
    const questions = sent.length;
    const again = limiter.take("a");
    expect(again).not.toBeInstanceOf(Promise);
    expect((again as { allowed: boolean }).allowed).toBe(false);
    expect(sent.length).toBe(questions);
  });

  it("caps an address's requests in progress over all workers, and frees a slot when it is released", async () => {
    const { workers } = cluster(2);
    const caps = workers.map((worker) => worker.connectionLimiter("site {}", 3));
    const granted = await Promise.all(Array.from({ length: 8 }, (_, i) => caps[i % 2]!.acquire("a")));
    expect(granted.filter(Boolean)).toHaveLength(3);
    const holder = granted.findIndex(Boolean) % 2;
    caps[holder]!.release("a");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await caps[1 - holder]!.acquire("a")).toBe(true);
    expect(await caps[holder]!.acquire("a")).toBe(false);
  });

  it("frees the slots of a worker that died, and lets no worker free slots it does not hold", async () => {
    const { authority, workers } = cluster(2);
    const caps = workers.map((worker) => worker.connectionLimiter("site {}", 2));
    expect(await caps[0]!.acquire("a")).toBe(true);
    expect(await caps[0]!.acquire("a")).toBe(true);
    // Worker 1 holds nothing: its release changes nothing.
    caps[1]!.release("a");
    expect(await caps[1]!.acquire("a")).toBe(false);
    authority.workerGone(0);
    expect(await caps[1]!.acquire("a")).toBe(true);
  });

  it("forgets the limits of sites no longer configured", async () => {
    const { authority, workers } = cluster(1);
    const limiter = workers[0]!.rateLimiter("old {}", { requestsPerSecond: 0.01, burst: 1 });
    expect((await limiter.take("a")).allowed).toBe(true);
    authority.retain(new Set(["new {}"]));
    // A fresh bucket: the old one is gone (and so is its memory).
    const fresh = workers[0]!.rateLimiter("old {}", { requestsPerSecond: 0.01, burst: 1 });
    expect((await fresh.take("a")).allowed).toBe(true);
  });

  it("lets waiting requests through when the primary is gone, rather than hanging them", async () => {
    const limits = new SharedLimits({ connected: () => true, send: () => undefined });
    const pending = limits.rateLimiter("site {}", { requestsPerSecond: 1, burst: 1 }).take("a");
    await new Promise((resolve) => setImmediate(resolve));
    limits.abandon();
    expect(await pending).toEqual({ allowed: true });
  });
});
