import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callRoute } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import { base32Decode, hotp, timeStep } from "@/lib/auth/totp";
import { beginTwoFactor, confirmTwoFactor } from "@/lib/auth/two-factor";
import { createFirstAdmin } from "@/lib/auth/users";
import * as tokensRoute from "./route";

/** POST /api/v1/tokens with a password, for an account with two-factor sign-in on. */
let cleanup: () => Promise<void>;
let secret: string;
let recoveryCodes: string[];
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  const { id } = await createFirstAdmin("admin@example.com", "the right password");
  ({ secret } = await beginTwoFactor(id));
  recoveryCodes = await confirmTwoFactor(id, hotp(base32Decode(secret), timeStep(new Date())));
});
afterEach(() => cleanup());

let address = 0;
const signIn = (extra: Record<string, unknown>) =>
  callRoute(tokensRoute.POST, "POST", "/api/v1/tokens", {
    body: { email: "admin@example.com", password: "the right password", name: "script", ...extra },
    headers: { "x-forwarded-for": `198.51.100.${++address}` },
  });

describe("tokens for an account with two-factor sign-in", () => {
  it("answers 401 saying to add totp when only the password is sent", async () => {
    const answer = await signIn({});
    expect(answer.status).toBe(401);
    const { error } = (await answer.json()) as { error: { message: string; details: Record<string, string> } };
    expect(error.message).toBe(
      'This account signs in with two factors: add "totp" with the 6-digit code from your authenticator app, or a recovery code',
    );
    expect(error.details.totp).toBeDefined();
  });

  it("refuses a wrong code and a code used already, and makes the token with a fresh code or a recovery code", async () => {
    expect((await signIn({ totp: "000000" })).status).toBe(401);
    const next = hotp(base32Decode(secret), timeStep(new Date()) + 1);
    const made = await signIn({ totp: next });
    expect(made.status).toBe(201);
    expect(((await made.json()) as { token: string }).token).toMatch(/^gk/);
    expect((await signIn({ totp: next })).status).toBe(401);
    expect((await signIn({ totp: recoveryCodes[3] })).status).toBe(201);
    expect((await signIn({ totp: recoveryCodes[3] })).status).toBe(401);
  });

  it("says what is wrong with a totp that is not text, or empty", async () => {
    for (const totp of [123456, ""]) {
      const answer = await signIn({ totp });
      expect(answer.status).toBe(400);
      const { error } = (await answer.json()) as { error: { details: Record<string, string> } };
      expect(Object.keys(error.details)).toEqual(["totp"]);
    }
  });
});
