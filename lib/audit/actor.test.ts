import { describe, expect, it } from "vitest";
import { beginActing, currentActor } from "./actor";

/** As the dashboard's requireUser: who it is becomes known only after an await. */
async function findUser(): Promise<string> {
  const settle = beginActing();
  await new Promise((resolve) => setTimeout(resolve, 5));
  settle("ann@example.com");
  return "ann@example.com";
}

async function serverAction(): Promise<string> {
  await findUser();
  await new Promise((resolve) => setTimeout(resolve, 5));
  return currentActor();
}

describe("who acts in a server action", () => {
  it("is the user found in a helper, for the rest of the action, and nobody else's", async () => {
    const [mine, other] = await Promise.all([serverAction(), (async () => currentActor())()]);
    expect(mine).toBe("ann@example.com");
    expect(other).toBe("system");
  });
});
