import { randomBytes } from "node:crypto";
import QRCode from "qrcode";
import { recordAudit } from "../audit/record";
import { openTotpSecret, sealTotpSecret } from "../certs/key-crypto";
import { db, type Prisma } from "../db";
import type { z } from "zod";
import { AppError, notFound } from "../errors";
import { currentPasswordSchema, secondFactorSchema, totpCodeSchema } from "../schemas/two-factor";
import { verifyPassword } from "./password";
import { hashToken } from "./secret-token";
import { base32Decode, base32Encode, matchingStep, newTotpSecret, otpauthUri } from "./totp";

/**
 * Two-factor sign-in for one user: enrolment (a secret that counts only once a code from it was
 * confirmed), one-time recovery codes, turning it off, and checking a code at sign-in.
 */
export const RECOVERY_CODE_COUNT = 10;

export interface TwoFactorEnrolment {
  /** Base32, for typing into an app that cannot scan. */
  secret: string;
  uri: string;
  /** The URI as a QR code, an SVG document. */
  qrSvg: string;
}

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { totpEnabled: true } });
  if (!user) throw notFound("User");
  const recoveryCodesLeft = user.totpEnabled ? await db().recoveryCode.count({ where: { userId, usedAt: null } }) : 0;
  return { enabled: user.totpEnabled, recoveryCodesLeft };
}

/** A new secret for the user's app; sign-in asks for codes only after confirmTwoFactor. */
export async function beginTwoFactor(userId: string): Promise<TwoFactorEnrolment> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true, totpEnabled: true } });
  if (!user) throw notFound("User");
  if (user.totpEnabled) throw new AppError("conflict", "Two-factor sign-in is on already: turn it off first to use another app");
  const secret = newTotpSecret();
  await db().user.update({ where: { id: userId }, data: { totpSecretEnc: sealTotpSecret(secret), totpLastStep: null } });
  const uri = otpauthUri(user.email, secret);
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { secret, uri, qrSvg };
}

/** Turns two-factor sign-in on with a code from the new secret; returns the recovery codes, shown once. */
export async function confirmTwoFactor(userId: string, input: unknown, now = new Date()): Promise<string[]> {
  const parsed = totpCodeSchema.safeParse(input);
  if (!parsed.success) throw invalid("code", parsed.error);
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user) throw notFound("User");
  if (user.totpEnabled) throw new AppError("conflict", "Two-factor sign-in is on already");
  if (!user.totpSecretEnc) throw new AppError("conflict", "Start again with Turn on: there is no secret waiting to be confirmed");
  const step = matchingStep(secretKeyOf(user.totpSecretEnc), parsed.data, now);
  if (step === null) {
    throw new AppError("validation_failed", "That code does not match", {
      code: "That code does not match: check the app shows Gatekeeper with your email, and enter its current code",
    });
  }
  const codes = await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { totpEnabled: true, totpLastStep: step } });
    return replaceRecoveryCodes(tx, userId);
  });
  await recordAudit({ action: "two-factor-enabled", objectType: "user", objectId: userId });
  return codes;
}

/** Turns two-factor sign-in off; the user proves it is them with their password. */
export async function disableTwoFactor(userId: string, password: unknown): Promise<void> {
  const parsed = currentPasswordSchema.safeParse(password);
  if (!parsed.success) throw invalid("password", parsed.error);
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user) throw notFound("User");
  if (!user.totpEnabled) throw new AppError("conflict", "Two-factor sign-in is off already");
  if (!(await verifyPassword(parsed.data, user.passwordHash))) {
    throw new AppError("validation_failed", "That is not your password", { password: "That is not your current password" });
  }
  await db().$transaction((tx) => clearTwoFactor(tx, userId));
  await recordAudit({ action: "two-factor-disabled", objectType: "user", objectId: userId });
}

/** New recovery codes (the old ones stop working), with a current code from the app. */
export async function regenerateRecoveryCodes(userId: string, input: unknown, now = new Date()): Promise<string[]> {
  const parsed = totpCodeSchema.safeParse(input);
  if (!parsed.success) throw invalid("code", parsed.error);
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user) throw notFound("User");
  if (!user.totpEnabled || !user.totpSecretEnc) throw new AppError("conflict", "Turn on two-factor sign-in first");
  if (!(await acceptTotp(userId, user.totpSecretEnc, parsed.data, now))) {
    throw new AppError("validation_failed", "That code does not match", {
      code: "That code does not match, or was used already: enter the app's current code",
    });
  }
  const codes = await db().$transaction((tx) => replaceRecoveryCodes(tx, userId));
  await recordAudit({ action: "recovery-codes-regenerated", objectType: "user", objectId: userId });
  return codes;
}

/**
 * The second step of a sign-in: a code from the app (each accepted once: a step at or before the
 * last accepted one is refused) or an unused recovery code (then used up). False when neither.
 */
export async function checkSecondFactor(userId: string, input: unknown, now = new Date(), field = "code"): Promise<boolean> {
  const parsed = secondFactorSchema.safeParse(input);
  if (!parsed.success) throw invalid(field, parsed.error);
  const user = await db().user.findUnique({ where: { id: userId }, select: { totpEnabled: true, totpSecretEnc: true } });
  if (!user?.totpEnabled || !user.totpSecretEnc) return false;
  const compact = parsed.data.replace(/[\s-]/g, "");
  if (/^\d{6}$/.test(compact)) return acceptTotp(userId, user.totpSecretEnc, compact, now);
  const { count } = await db().recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(compact), usedAt: null },
    data: { usedAt: now },
  });
  return count === 1;
}

/** Turns two-factor sign-in off without a password: an admin's reset for a user who lost their phone. */
export async function clearTwoFactor(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { totpEnabled: false, totpSecretEnc: null, totpLastStep: null } });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.pendingSignIn.deleteMany({ where: { userId } });
}

/** Accepts a code once: the step is stored only if it is after the last one, in one statement. */
async function acceptTotp(userId: string, sealedSecret: string, code: string, now: Date): Promise<boolean> {
  const step = matchingStep(secretKeyOf(sealedSecret), code, now);
  if (step === null) return false;
  const { count } = await db().user.updateMany({
    where: { id: userId, totpEnabled: true, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return count === 1;
}

const secretKeyOf = (sealed: string): Buffer => base32Decode(openTotpSecret(sealed));

async function replaceRecoveryCodes(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
  return codes;
}

/** Ten base32 characters (50 random bits) as "abcde-fghij": never mistaken for a 6-digit app code. */
function newRecoveryCode(): string {
  const text = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
  return `${text.slice(0, 5)}-${text.slice(5)}`;
}

/** Hashed as typed loosely: any case, with or without the dash. */
const hashRecoveryCode = (code: string): string => hashToken(`recovery:${code.replace(/[\s-]/g, "").toLowerCase()}`);

/** A single value's problem, named by the form field it came from. */
function invalid(field: string, error: z.ZodError): AppError {
  const message = error.issues[0]?.message ?? "Check this value";
  return new AppError("validation_failed", message, { [field]: message });
}
