import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import type { AppError } from "../errors";
import { completeSetup, issueSetupCode } from "./setup-code";
import { createFirstAdmin, hasUsers, logIn } from "./users";
import { endSession, userForSession } from "./sessions";
import { createApiToken, listApiTokens, revokeApiToken, userForApiToken } from "./api-tokens";
import { authenticate } from "./authenticate";
import { db } from "../db";

let cleanup: () => Promise<void>;
beforeEach(async () => ({ cleanup } = await useTempDatabase()));
afterEach(() => cleanup());

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as AppError,
  );

describe("first-run setup", () => {
  it("creates the admin only with the code from the log, then retires the code", async () => {
    const code = await issueSetupCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const wrong = await caught(completeSetup({ code: "AAAA-BBBB-CCCC", email: "admin@example.com", password: "long enough pw" }));
    expect(wrong.details.code).toContain("not the code from the log");
    expect(await hasUsers()).toBe(false);

    const session = await completeSetup({ code: code!.toLowerCase(), email: "Admin@Example.com", password: "long enough pw" });
    expect(await userForSession(session.token)).toMatchObject({ email: "admin@example.com" });
    expect(await issueSetupCode()).toBeNull();
    const again = await caught(completeSetup({ code: code!, email: "second@example.com", password: "long enough pw" }));
    expect(again.code).toBe("validation_failed");
  });

  it("validates the fields before anything else", async () => {
    await issueSetupCode();
    const error = await caught(completeSetup({ code: "", email: "not-an-email", password: "short" }));
    expect(Object.keys(error.details).sort()).toEqual(["code", "email", "password"]);
  });

  it("never creates a second admin through createFirstAdmin", async () => {
    await createFirstAdmin("a@example.com", "long enough pw");
    expect((await caught(createFirstAdmin("b@example.com", "long enough pw"))).code).toBe("conflict");
  });
});

describe("login and sessions", () => {
  beforeEach(() => createFirstAdmin("admin@example.com", "long enough pw").then(() => undefined));

  it("signs in with the right password only", async () => {
    const error = await caught(logIn({ email: "admin@example.com", password: "wrong password" }, "10.0.0.1"));
    expect(error.code).toBe("unauthorized");
    expect(error.message).toBe("Wrong email or password");
    const signIn = await logIn({ email: "ADMIN@example.com", password: "long enough pw" }, "10.0.0.1");
    const token = signIn.codeNeeded ? "" : signIn.token;
    expect((await authenticate(null, token))?.via).toBe("session");
    await endSession(token);
    expect(await userForSession(token)).toBeNull();
  });

  it("says the same for an unknown email", async () => {
    const error = await caught(logIn({ email: "nobody@example.com", password: "whatever" }, "10.0.0.2"));
    expect(error.message).toBe("Wrong email or password");
  });

  it("drops an expired session", async () => {
    const signIn = await logIn({ email: "admin@example.com", password: "long enough pw" }, "10.0.0.3");
    const token = signIn.codeNeeded ? "" : signIn.token;
    await db().session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await userForSession(token)).toBeNull();
    expect(await db().session.count()).toBe(0);
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, usable as bearer, and revocable", async () => {
    const user = await createFirstAdmin("admin@example.com", "long enough pw");
    const created = await createApiToken(user, "deploy script");
    expect(created.token).toMatch(/^gkt_/);
    const stored = await db().apiToken.findFirstOrThrow();
    expect(stored.tokenHash).not.toContain(created.token);
    expect(await listApiTokens(user.id)).toEqual([expect.not.objectContaining({ token: expect.anything() })]);

    expect(await authenticate(`Bearer ${created.token}`, undefined)).toMatchObject({ via: "token", user: { id: user.id } });
    expect(await authenticate("Bearer gkt_forged", "also-not-a-session")).toBeNull();

    await revokeApiToken(user.id, created.id);
    expect(await userForApiToken(created.token)).toBeNull();
  });
});
