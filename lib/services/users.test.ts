import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { createApiToken, userForApiToken } from "../auth/api-tokens";
import { createSession, endAllSessions, userForSession } from "../auth/sessions";
import { checkCredentials, createFirstAdmin } from "../auth/users";
import { AppError } from "../errors";
import { acceptInvite, deleteUser, inviteUser, listUsers, updateUser } from "./users";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
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

const PASSWORD = "a long enough password";

describe("users and roles", () => {
  it("invites by a one-time link, which sets the password and then stops working", async () => {
    const { user, inviteToken } = await inviteUser({ email: "Olga@Example.com", role: "operator" });
    expect(user).toMatchObject({ email: "olga@example.com", role: "operator", invited: true, lastSignInAt: null, totpEnabled: false });
    await expect(checkCredentials({ email: "olga@example.com", password: "" }, "127.0.0.1")).rejects.toThrow();
    expect((await rejection(acceptInvite(inviteToken, { password: "short" }))).details.password).toMatch(/at least 10/);
    expect(await acceptInvite(inviteToken, { password: PASSWORD })).toMatchObject({ email: "olga@example.com", role: "operator" });
    expect((await rejection(acceptInvite(inviteToken, { password: PASSWORD }))).message).toMatch(/^This invite link is not valid/);
    expect(await checkCredentials({ email: "olga@example.com", password: PASSWORD }, "127.0.0.1")).toMatchObject({ role: "operator" });
    expect((await rejection(inviteUser({ email: "olga@example.com", role: "viewer" }))).details.email).toBe(
      "There is already a user with this email",
    );
    expect((await rejection(inviteUser({ email: "x@example.com", role: "owner" }))).details.role).toMatch(/^Choose one of: viewer, operator, admin/);
  });

  it("an expired invite link does not work", async () => {
    const { inviteToken } = await inviteUser({ email: "late@example.com", role: "viewer" }, new Date(Date.now() - 8 * 24 * 60 * 60 * 1000));
    expect((await rejection(acceptInvite(inviteToken, { password: PASSWORD }))).code).toBe("not_found");
  });

  it("keeps the last admin, and nobody removes themselves", async () => {
    const admin = await createFirstAdmin("admin@example.com", PASSWORD);
    expect((await rejection(updateUser(admin.id, { role: "viewer" }))).message).toBe("This is the last admin: make someone else an admin first");
    expect((await rejection(deleteUser(admin.id, admin))).message).toBe("You cannot remove yourself: ask another admin");
    const { user: second } = await inviteUser({ email: "second@example.com", role: "admin" });
    await updateUser(admin.id, { role: "viewer" });
    expect((await rejection(deleteUser(second.id, { ...admin, role: "viewer" }))).message).toBe(
      "This is the last admin: make someone else an admin first",
    );
    expect((await listUsers()).map((user) => [user.email, user.role])).toEqual([
      ["admin@example.com", "viewer"],
      ["second@example.com", "admin"],
    ]);
  });

  it("a token never does more than its owner, now or after the owner is given less", async () => {
    await createFirstAdmin("admin@example.com", PASSWORD);
    const { inviteToken, user } = await inviteUser({ email: "op@example.com", role: "operator" });
    const operator = await acceptInvite(inviteToken, { password: PASSWORD });
    expect((await rejection(createApiToken(operator, "too much", "admin"))).details.role).toMatch(/at most yours: you are an operator/);
    const { token } = await createApiToken(operator, "deploy");
    const { token: readOnly } = await createApiToken(operator, "dashboards", "viewer");
    expect((await userForApiToken(token))?.role).toBe("operator");
    expect((await userForApiToken(readOnly))?.role).toBe("viewer");
    await updateUser(user.id, { role: "viewer" });
    expect((await userForApiToken(token))?.role).toBe("viewer");
  });

  it("signs a user out everywhere", async () => {
    const admin = await createFirstAdmin("admin@example.com", PASSWORD);
    const sessions = [await createSession(admin.id), await createSession(admin.id)];
    expect(await endAllSessions(admin.id)).toBe(2);
    for (const session of sessions) expect(await userForSession(session.token)).toBeNull();
  });
});
