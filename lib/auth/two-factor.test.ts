import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { AppError } from "../errors";
import { listAuditChanges } from "../services/audit";
import { createBackup, restoreBackup } from "../services/backups";
import { updateUser } from "../services/users";
import { userForSession } from "./sessions";
import { base32Decode, hotp, timeStep } from "./totp";
import { beginTwoFactor, confirmTwoFactor, disableTwoFactor, regenerateRecoveryCodes, twoFactorStatus } from "./two-factor";
import { checkCredentials, completeSignIn, createFirstAdmin, logIn } from "./users";

let cleanup: () => Promise<void>;
let adminId: string;
const EMAIL = "admin@example.com";
const PASSWORD = "a long admin password";

beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  adminId = (await createFirstAdmin(EMAIL, PASSWORD)).id;
});
afterEach(() => cleanup());

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** The app's code `offset` steps from now: +1 is still accepted, and is never the step just used. */
const codeAt = (secret: string, offset: number) => hotp(base32Decode(secret), timeStep(new Date()) + offset);

// The throttle lives as long as the process: each test signs in from its own address.
let address = 0;
const nextAddress = () => `192.0.2.${++address}`;

async function enrol(): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secret } = await beginTwoFactor(adminId);
  const recoveryCodes = await confirmTwoFactor(adminId, codeAt(secret, 0));
  return { secret, recoveryCodes };
}

async function pendingToken(from: string): Promise<string> {
  const step = await logIn({ email: EMAIL, password: PASSWORD }, from);
  if (!step.codeNeeded) throw new Error("expected a second step");
  return step.pendingToken;
}

describe("enrolment", () => {
  it("stores the secret sealed, turns on only with a right code, and returns ten recovery codes once", async () => {
    const { secret, uri, qrSvg } = await beginTwoFactor(adminId);
    expect(uri).toBe(`otpauth://totp/Gatekeeper:admin%40example.com?secret=${secret}&issuer=Gatekeeper`);
    expect(qrSvg).toMatch(/^<svg[^>]*>/);
    const row = await db().user.findUniqueOrThrow({ where: { id: adminId } });
    expect(row.totpSecretEnc).toMatch(/^v1:/);
    expect(row.totpSecretEnc).not.toContain(secret);
    expect(await twoFactorStatus(adminId)).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    // Not yet confirmed: the password alone still signs in.
    expect((await logIn({ email: EMAIL, password: PASSWORD }, nextAddress())).codeNeeded).toBe(false);

    const wrong = await rejection(confirmTwoFactor(adminId, codeAt(secret, 5)));
    expect(wrong.details.code).toMatch(/^That code does not match/);
    expect((await rejection(confirmTwoFactor(adminId, "12ab"))).details.code).toBe("Enter the 6-digit code from your authenticator app");

    const codes = await confirmTwoFactor(adminId, codeAt(secret, 0));
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await twoFactorStatus(adminId)).toEqual({ enabled: true, recoveryCodesLeft: 10 });
    const stored = await db().recoveryCode.findMany({ where: { userId: adminId } });
    expect(stored.map((code) => code.codeHash).some((hash) => codes.some((code) => hash.includes(code)))).toBe(false);
    expect((await rejection(beginTwoFactor(adminId))).code).toBe("conflict");
    expect((await listAuditChanges({})).map((change) => change.action)).toContain("two-factor-enabled");
  });
});

describe("signing in with two-factor sign-in on", () => {
  it("makes no session from the password alone, refuses a wrong code, and accepts the right one once", async () => {
    const { secret } = await enrol();
    const from = nextAddress();
    const token = await pendingToken(from);
    expect(await db().session.count()).toBe(0);

    const wrong = await rejection(completeSignIn(token, codeAt(secret, 4), from));
    expect(wrong.code).toBe("unauthorized");
    expect(wrong.message).toBe("Wrong code: enter the 6-digit code from your authenticator app, or a recovery code");
    const failed = (await listAuditChanges({})).find((change) => change.action === "sign-in-failed");
    expect(failed?.actor).toBe(EMAIL);

    const code = codeAt(secret, 1);
    const session = await completeSignIn(token, code, from);
    expect(await userForSession(session.token)).toMatchObject({ email: EMAIL });
    // The pending sign-in is used up, and the same code does not work a second time.
    expect((await rejection(completeSignIn(token, code, from))).message).toMatch(/^This sign-in took too long or was finished/);
    expect((await rejection(completeSignIn(await pendingToken(from), code, from))).message).toMatch(/^Wrong code/);
    // Nor does an older step's code once a later one was accepted.
    expect((await rejection(completeSignIn(await pendingToken(from), codeAt(secret, 0), from))).message).toMatch(/^Wrong code/);
  });

  it("accepts each recovery code once, typed in any case, with or without the dash", async () => {
    const { recoveryCodes } = await enrol();
    const from = nextAddress();
    const [first = "", second = ""] = recoveryCodes;
    await completeSignIn(await pendingToken(from), first.toUpperCase(), from);
    expect(await twoFactorStatus(adminId)).toEqual({ enabled: true, recoveryCodesLeft: 9 });
    expect((await rejection(completeSignIn(await pendingToken(from), first, from))).code).toBe("unauthorized");
    await completeSignIn(await pendingToken(from), second.replace("-", ""), from);
    expect(await twoFactorStatus(adminId)).toEqual({ enabled: true, recoveryCodesLeft: 8 });
  });

  it("throttles wrong codes like wrong passwords", async () => {
    const { secret } = await enrol();
    const from = nextAddress();
    const token = await pendingToken(from);
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await rejection(completeSignIn(token, "000000", from))).code);
    expect(answers).toContain("rate_limited");
    // The right code waits its turn too: guessing cannot go faster by mixing in the password.
    expect((await rejection(completeSignIn(token, codeAt(secret, 1), from))).code).toBe("rate_limited");
    expect((await rejection(logIn({ email: EMAIL, password: PASSWORD }, from))).code).toBe("rate_limited");
  });

  it("asks API clients for the code with the password, and says where it goes", async () => {
    const { secret, recoveryCodes } = await enrol();
    const missing = await rejection(checkCredentials({ email: EMAIL, password: PASSWORD }, nextAddress()));
    expect(missing.code).toBe("unauthorized");
    expect(missing.message).toMatch(/add "totp" with the 6-digit code/);
    expect((await rejection(checkCredentials({ email: EMAIL, password: PASSWORD, totp: "000000" }, nextAddress()))).message).toMatch(/^Wrong code/);
    expect(await checkCredentials({ email: EMAIL, password: PASSWORD, totp: codeAt(secret, 1) }, nextAddress())).toMatchObject({ id: adminId });
    expect(await checkCredentials({ email: EMAIL, password: PASSWORD, totp: recoveryCodes[0] }, nextAddress())).toMatchObject({ id: adminId });
    // A wrong password is still just that, code or not.
    expect((await rejection(checkCredentials({ email: EMAIL, password: "not it at all", totp: codeAt(secret, 1) }, nextAddress()))).message).toBe(
      "Wrong email or password",
    );
  });
});

describe("managing two-factor sign-in", () => {
  it("turns off only with the current password, and sign-in is one step again", async () => {
    await enrol();
    expect((await rejection(disableTwoFactor(adminId, "not my password"))).details.password).toBe("That is not your current password");
    expect((await rejection(disableTwoFactor(adminId, ""))).details.password).toBe("Enter your current password");
    expect((await twoFactorStatus(adminId)).enabled).toBe(true);
    await disableTwoFactor(adminId, PASSWORD);
    expect(await twoFactorStatus(adminId)).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    expect(await db().recoveryCode.count()).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: adminId } })).totpSecretEnc).toBeNull();
    expect((await logIn({ email: EMAIL, password: PASSWORD }, nextAddress())).codeNeeded).toBe(false);
    expect((await listAuditChanges({})).map((change) => change.action)).toContain("two-factor-disabled");
  });

  it("makes new recovery codes with a current code; the old ones stop working", async () => {
    const { secret, recoveryCodes } = await enrol();
    expect((await rejection(regenerateRecoveryCodes(adminId, "000000"))).details.code).toMatch(/^That code does not match/);
    const fresh = await regenerateRecoveryCodes(adminId, codeAt(secret, 1));
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);
    const from = nextAddress();
    expect((await rejection(completeSignIn(await pendingToken(from), recoveryCodes[0], from))).code).toBe("unauthorized");
    await completeSignIn(await pendingToken(from), fresh[0], from);
    expect((await listAuditChanges({})).map((change) => change.action)).toContain("recovery-codes-regenerated");
  });

  it("lets an admin turn off another user's two-factor sign-in, never on", async () => {
    await enrol();
    expect((await rejection(updateUser(adminId, { totpEnabled: true }))).details.totpEnabled).toBe(
      "Only false is accepted: an admin can turn two-factor sign-in off; only the user can turn it on, on their account page",
    );
    expect((await rejection(updateUser(adminId, {}))).details.role).toBe("Send a role, or totpEnabled: false");
    const user = await updateUser(adminId, { totpEnabled: false });
    expect(user).toMatchObject({ totpEnabled: false, role: "admin" });
    expect(await db().recoveryCode.count()).toBe(0);
    expect((await logIn({ email: EMAIL, password: PASSWORD }, nextAddress())).codeNeeded).toBe(false);
  });
});

describe("backups", () => {
  it("carry the sealed secret and the unused recovery codes to another install, which can open them", async () => {
    const { secret, recoveryCodes } = await enrol();
    const file = createBackup("correct horse battery staple");
    await cleanup();
    ({ cleanup } = await useTempDatabase()); // another install: another DATA_DIR, another secret.key
    restoreBackup(file, "correct horse battery staple", { dryRun: false });

    expect(await twoFactorStatus(adminId)).toEqual({ enabled: true, recoveryCodesLeft: 10 });
    const from = nextAddress();
    expect((await logIn({ email: EMAIL, password: PASSWORD }, from)).codeNeeded).toBe(true);
    await completeSignIn(await pendingToken(from), codeAt(secret, 1), from);
    await completeSignIn(await pendingToken(from), recoveryCodes[0], from);
    expect(await twoFactorStatus(adminId)).toEqual({ enabled: true, recoveryCodesLeft: 9 });
  });
});
