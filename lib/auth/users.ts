import { recordAudit } from "../audit/record";
import { db } from "../db";
import { AppError, validationError } from "../errors";
import { credentialsSchema, loginSchema, passwordSchema, emailSchema } from "../schemas/auth";
import { beginPendingSignIn, finishPendingSignIn, pendingSignIn } from "./pending-sign-in";
import { checkSecondFactor } from "./two-factor";
import { hashPassword, verifyPassword } from "./password";
import { createSession, type SessionUser } from "./sessions";
import { LoginThrottle, loginThrottle } from "./login-throttle";
import { waitText } from "./wait-text";
import { roleOf } from "./roles";

export async function hasUsers(): Promise<boolean> {
  return (await db().user.count()) > 0;
}

/** Creates the first admin; refuses once any account exists, so it cannot be used to add more. */
export async function createFirstAdmin(email: string, password: string): Promise<SessionUser> {
  const parsedEmail = emailSchema.safeParse(email);
  const parsedPassword = passwordSchema.safeParse(password);
  if (!parsedEmail.success) throw validationError(parsedEmail.error);
  if (!parsedPassword.success) throw validationError(parsedPassword.error);
  const passwordHash = await hashPassword(parsedPassword.data);
  return db().$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) throw new AppError("conflict", "An admin account already exists");
    const user = await tx.user.create({ data: { email: parsedEmail.data, passwordHash, role: "admin" }, select: { id: true, email: true } });
    return { ...user, role: "admin" as const };
  });
}

/**
 * Checks a password, throttled per client address and email together (see login-throttle.ts):
 * the attempt is counted before the password is checked, so attempts sent at once cannot all
 * get through, and one from another address is not held up by them. The attempt is cleared only
 * when the whole sign-in succeeds, so a right password cannot reset the count of wrong codes.
 */
async function checkPassword(email: string, password: string, clientIp: string) {
  const attempt = loginThrottle.begin(LoginThrottle.keys(clientIp, email));
  if (!attempt.allowed) throw throttled(attempt.retryAfterSeconds);

  const user = await db().user.findUnique({ where: { email } });
  // Hash even for an unknown email (or an invite not yet accepted), so timing reveals nothing.
  const ok = await verifyPassword(password, user?.passwordHash || DUMMY_HASH);
  if (!user || !ok) {
    await recordAudit({ action: "sign-in-failed", objectType: "user", objectId: user?.id ?? null, actor: email });
    throw new AppError("unauthorized", "Wrong email or password");
  }
  return { user, attempt };
}

export const throttled = (retryAfterSeconds: number): AppError =>
  new AppError("rate_limited", `Too many attempts: try again in ${waitText(retryAfterSeconds)}.`, { retryAfter: String(retryAfterSeconds) });

/**
 * Email and password, and for a user with two-factor sign-in a code (`totp`) in the same call:
 * for API clients, which have no second step to come back to.
 */
export async function checkCredentials(input: unknown, clientIp: string): Promise<SessionUser> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { email, password, totp } = parsed.data;
  const { user, attempt } = await checkPassword(email, password, clientIp);
  if (user.totpEnabled) {
    if (totp === undefined) {
      throw new AppError(
        "unauthorized",
        'This account signs in with two factors: add "totp" with the 6-digit code from your authenticator app, or a recovery code',
        { totp: "Add the 6-digit code from your authenticator app, or a recovery code" },
      );
    }
    if (!(await checkSecondFactor(user.id, totp, new Date(), "totp"))) throw await wrongCode(user);
  }
  attempt.succeeded();
  return { id: user.id, email: user.email, role: roleOf(user.role) };
}

/** A sign-in's first step: with two-factor sign-in on, the password only earns a pending sign-in. */
export type SignInStep =
  | { codeNeeded: false; user: SessionUser; token: string; expiresAt: Date }
  | { codeNeeded: true; pendingToken: string; expiresAt: Date };

export async function logIn(input: unknown, clientIp: string): Promise<SignInStep> {
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { user, attempt } = await checkPassword(parsed.data.email, parsed.data.password, clientIp);
  if (user.totpEnabled) return { codeNeeded: true, ...(await beginPendingSignIn(user.id)) };
  attempt.succeeded();
  return { codeNeeded: false, ...(await startSession({ id: user.id, email: user.email, role: roleOf(user.role) })) };
}

/**
 * The second step: the pending sign-in's code, throttled like passwords (and per account, so
 * guesses from many addresses add up). The pending sign-in works once.
 */
export async function completeSignIn(
  pendingToken: string | undefined,
  code: unknown,
  clientIp: string,
): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  const pending = await pendingSignIn(pendingToken);
  if (!pending) throw new AppError("unauthorized", "This sign-in took too long or was finished: enter your email and password again");
  const attempt = loginThrottle.begin([...LoginThrottle.keys(clientIp, pending.email), `user:${pending.userId}`]);
  if (!attempt.allowed) throw throttled(attempt.retryAfterSeconds);
  const user = await db().user.findUniqueOrThrow({ where: { id: pending.userId } });
  if (!(await checkSecondFactor(user.id, code))) throw await wrongCode(user);
  if (!(await finishPendingSignIn(pending.id))) {
    throw new AppError("unauthorized", "This sign-in was finished already: enter your email and password again");
  }
  // Clears this address's count too, which the password step left standing.
  attempt.succeeded();
  return startSession({ id: user.id, email: user.email, role: roleOf(user.role) });
}

async function wrongCode(user: { id: string; email: string }): Promise<AppError> {
  await recordAudit({
    action: "sign-in-failed",
    objectType: "user",
    objectId: user.id,
    actor: user.email,
    after: { reason: "wrong two-factor code" },
  });
  return new AppError("unauthorized", "Wrong code: enter the 6-digit code from your authenticator app, or a recovery code", {
    code: "Wrong code, or used already",
  });
}

async function startSession(user: SessionUser): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  const session = await createSession(user.id);
  await db().user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await recordAudit({ action: "sign-in", objectType: "user", objectId: user.id, actor: user.email });
  return { user, ...session };
}

const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
