import { recordAudit } from "../audit/record";
import { db } from "../db";
import { AppError, validationError } from "../errors";
import { loginSchema, passwordSchema, emailSchema } from "../schemas/auth";
import { hashPassword, verifyPassword } from "./password";
import { createSession, type SessionUser } from "./sessions";
import { LoginThrottle, loginThrottle } from "./login-throttle";
import { waitText } from "./wait-text";

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
    return tx.user.create({ data: { email: parsedEmail.data, passwordHash }, select: { id: true, email: true } });
  });
}

/**
 * Checks a password, throttled per client address and email together (see login-throttle.ts):
 * the attempt is counted before the password is checked, so attempts sent at once cannot all
 * get through, and one from another address is not held up by them.
 */
export async function checkCredentials(input: unknown, clientIp: string): Promise<SessionUser> {
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { email, password } = parsed.data;

  const attempt = loginThrottle.begin(LoginThrottle.keys(clientIp, email));
  if (!attempt.allowed) {
    throw new AppError("rate_limited", `Too many attempts: try again in ${waitText(attempt.retryAfterSeconds)}.`, {
      retryAfter: String(attempt.retryAfterSeconds),
    });
  }

  const user = await db().user.findUnique({ where: { email } });
  // Hash even for an unknown email, so timing does not reveal which emails exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    await recordAudit({ action: "sign-in-failed", objectType: "user", objectId: user?.id ?? null, actor: email });
    throw new AppError("unauthorized", "Wrong email or password");
  }
  attempt.succeeded();
  return { id: user.id, email: user.email };
}

export async function logIn(input: unknown, clientIp: string): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  const user = await checkCredentials(input, clientIp);
  const session = await createSession(user.id);
  await recordAudit({ action: "sign-in", objectType: "user", objectId: user.id, actor: user.email });
  return { user, ...session };
}

const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
