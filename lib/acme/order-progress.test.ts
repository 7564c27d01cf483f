import { describe, expect, it } from "vitest";
import type { ProgressStep } from "../schemas/certificate";
import { OrderProgress } from "./order-progress";

describe("OrderProgress", () => {
  it("hands over the whole list after every change, in order, even when saves are slow", async () => {
    const saved: ProgressStep[][] = [];
    let clock = 0;
    const progress = new OrderProgress(
      async (steps) => {
        // The first save is the slowest: a later, faster one must still land after it.
        await new Promise((resolve) => setTimeout(resolve, steps.length === 1 && steps[0]!.state === "running" ? 30 : 1));
        saved.push(steps);
      },
      () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)),
    );
    void progress.running("account", "Checking");
    void progress.done("account", "Using the account");
    await progress.failed("order", "Refused", "the CA's words");
    expect(saved.map((steps) => steps.map((step) => `${step.step}:${step.state}`))).toEqual([
      ["account:running"],
      ["account:done"],
      ["account:done", "order:failed"],
    ]);
    expect(saved.at(-1)).toEqual([
      { step: "account", state: "done", at: "2026-01-01T00:00:01.000Z", message: "Using the account" },
      { step: "order", state: "failed", at: "2026-01-01T00:00:02.000Z", message: "Refused", detail: "the CA's words" },
    ]);
  });

  it("does not fail the order when a save fails", async () => {
    const progress = new OrderProgress(() => Promise.reject(new Error("database is locked")));
    await expect(progress.running("account", "Checking")).resolves.toBeUndefined();
    expect(progress.steps).toHaveLength(1);
  });
});
