import { randomInt, timingSafeEqual } from "node:crypto";
import { db } from "../db";
import { AppError, validationError } from "../errors";
import { setupSchema } from "../schemas/auth";
import { hashToken } from "./secret-token";
import { createFirstAdmin } from "./users";
import { createSession } from "./sessions";

const SETTING_KEY = "setupCodeHash";
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: it is read off a log and typed

/**
 * On an empty database, makes a fresh one-time code (printed in the log by the launcher) and
 * stores only its hash. Returns null once an admin exists.
 */
export async function issueSetupCode(): Promise<string | null> {
  if ((await db().user.count()) > 0) {
    await db().setting.deleteMany({ where: { key: SETTING_KEY } });
    return null;
  }
  const groups = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""));
  const code = groups.join("-");
  await db().setting.upsert({
    where: { key: SETTING_KEY },
    create: { key: SETTING_KEY, value: hashToken(code) },
    update: { value: hashToken(code) },
  });
  return code;
}

export const WRONG_SETUP_CODE = "This is not the code from the log. Restarting prints a new one.";

/** Whether a typed code is the one in the log, so a form can report it beside its other fields' problems. */
export async function setupCodeMatches(code: string): Promise<boolean> {
  const stored = await db().setting.findUnique({ where: { key: SETTING_KEY } });
  const given = Buffer.from(hashToken(code.trim().toUpperCase()));
  return stored !== null && timingSafeEqual(Buffer.from(stored.value), given);
}

/** Creates the first admin when the code matches, and signs them in. */
export async function completeSetup(input: unknown): Promise<{ token: string; expiresAt: Date }> {
  const parsed = setupSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  if (!(await setupCodeMatches(parsed.data.code))) {
    throw new AppError("validation_failed", "The setup code does not match", { code: WRONG_SETUP_CODE });
  }
  const user = await createFirstAdmin(parsed.data.email, parsed.data.password);
  await db().setting.deleteMany({ where: { key: SETTING_KEY } });
  return createSession(user.id);
}
