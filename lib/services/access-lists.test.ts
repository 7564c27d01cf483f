import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { verifyPassword } from "../auth/password";
import { db } from "../db";
import { AppError } from "../errors";
import { createAccessList, deleteAccessList, getAccessList, listAccessLists, updateAccessList } from "./access-lists";
import { currentRevision } from "./revision";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

const office = {
  name: "Office",
  allow: [" 10.0.0.0/8", "2001:DB8::/32", "2001:db8::/32"],
  deny: ["10.0.0.13"],
  basicAuth: [{ username: "ann", password: "ann's long password" }],
  satisfy: "any",
};

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const storedUsers = (accessListId: string) =>
  db().accessListUser.findMany({ where: { accessListId }, orderBy: { position: "asc" }, select: { username: true, passwordHash: true } });

/**
 * A site row written directly, not through the sites service: these tests are about access lists,
 * and the site schema learns accessListId in separate work.
 */
function site(name: string, accessListId: string | null = null) {
  return db().site.create({
    data: {
      name,
      accessListId,
      hostnames: { create: [{ hostname: `${name.toLowerCase()}.example.com`, position: 0 }] },
      upstreams: { create: [{ url: "http://10.0.0.5:8080", position: 0 }] },
    },
  });
}

describe("access lists service", () => {
  it("creates a list with normalised ranges, hashes the password, and never returns it", async () => {
    const list = await createAccessList(office);
    expect(list).toMatchObject({
      name: "Office",
      allow: ["10.0.0.0/8", "2001:db8::/32"],
      deny: ["10.0.0.13"],
      basicAuth: [{ username: "ann" }],
      satisfy: "any",
      siteIds: [],
    });
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password/i);
    const [ann] = await storedUsers(list.id);
    expect(ann?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("ann's long password", ann!.passwordHash)).toBe(true);
    expect(await currentRevision()).toBe(1);
  });

  it("defaults to no rules and satisfy all", async () => {
    expect(await createAccessList({ name: "Empty" })).toMatchObject({ allow: [], deny: [], basicAuth: [], satisfy: "all" });
  });

  it("names each bad field, asks for a password for a new user, and saves nothing", async () => {
    const bad = await rejection(
      createAccessList({ ...office, allow: ["10.0.0.0/33"], basicAuth: [{ username: "ann" }, { username: "ann", password: "long enough" }] }),
    );
    expect(bad.code).toBe("validation_failed");
    expect(Object.keys(bad.details).sort()).toEqual(["allow.0", "basicAuth.0.password", "basicAuth.1.username"]);

    const noPassword = await rejection(createAccessList({ ...office, basicAuth: [{ username: "ann" }] }));
    expect(noPassword.details).toEqual({ "basicAuth.0.password": "Set a password for the new user" });

    const typo = await rejection(createAccessList({ name: "Typo", users: [{ username: "ann", password: "long enough" }] }));
    expect(typo.code).toBe("validation_failed");
    expect(await listAccessLists()).toEqual([]);
    expect(await currentRevision()).toBe(0);
  });

  it("refuses a second list with the same name, whatever its case", async () => {
    const first = await createAccessList(office);
    const clash = await rejection(createAccessList({ name: "  office " }));
    expect(clash.code).toBe("conflict");
    expect(clash.details.name).toContain("“Office”");
    const other = await createAccessList({ name: "Partners" });
    expect((await rejection(updateAccessList(other.id, { name: "OFFICE" }))).code).toBe("conflict");
    // Renaming a list to itself (another case) is no clash.
    expect((await updateAccessList(first.id, { name: "OFFICE" })).name).toBe("OFFICE");
  });

  it("keeps a user's stored password when an update sends the user without one", async () => {
    const list = await createAccessList(office);
    const [before] = await storedUsers(list.id);
    const updated = await updateAccessList(list.id, {
      basicAuth: [{ username: "bob", password: "bob's long password" }, { username: "ann" }],
    });
    expect(updated.basicAuth).toEqual([{ username: "bob" }, { username: "ann" }]);
    const after = await storedUsers(list.id);
    expect(after.map((user) => user.username)).toEqual(["bob", "ann"]);
    expect(after[1]?.passwordHash).toBe(before?.passwordHash);

    const renamed = await rejection(updateAccessList(list.id, { basicAuth: [{ username: "anne" }] }));
    expect(renamed.details).toEqual({ "basicAuth.0.password": "Set a password for the new user" });
    // Shown with the other problems of the same save, not only once those are fixed.
    const both = await rejection(updateAccessList(list.id, { deny: ["nope"], basicAuth: [{ username: "ann" }, { username: "carl" }] }));
    expect(Object.keys(both.details).sort()).toEqual(["basicAuth.1.password", "deny.0"]);
    expect((await getAccessList(list.id)).basicAuth).toEqual([{ username: "bob" }, { username: "ann" }]);

    await updateAccessList(list.id, { basicAuth: [{ username: "ann", password: "a new long password" }] });
    const [changed] = await storedUsers(list.id);
    expect(await verifyPassword("a new long password", changed!.passwordHash)).toBe(true);
  });

  it("leaves out what a patch does not send", async () => {
    const list = await createAccessList(office);
    const [before] = await storedUsers(list.id);
    const renamed = await updateAccessList(list.id, { name: "Head office" });
    expect(renamed).toMatchObject({
      name: "Head office",
      allow: ["10.0.0.0/8", "2001:db8::/32"],
      deny: ["10.0.0.13"],
      satisfy: "any",
      basicAuth: [{ username: "ann" }],
    });
    expect((await storedUsers(list.id))[0]?.passwordHash).toBe(before?.passwordHash);
    expect((await updateAccessList(list.id, { allow: [], satisfy: "all" })).allow).toEqual([]);
    expect((await rejection(updateAccessList(list.id, { bogus: true }))).code).toBe("validation_failed");
    expect((await rejection(updateAccessList(list.id, []))).code).toBe("validation_failed");
  });

  it("marks every site behind a changed list as pending, so the proxy applies it", async () => {
    const list = await createAccessList(office);
    const blog = await site("Blog", list.id);
    const shop = await site("Shop");
    await updateAccessList(list.id, { deny: ["192.0.2.0/24"] });
    const revision = await currentRevision();
    const rows = await db().site.findMany({ select: { id: true, revision: true } });
    expect(rows.find((row) => row.id === blog.id)?.revision).toBe(revision);
    expect(rows.find((row) => row.id === shop.id)?.revision).toBeLessThan(revision);
    expect((await getAccessList(list.id)).siteIds).toEqual([blog.id]);
  });

  it("refuses to delete a list in use, naming the sites, and deletes it once unused", async () => {
    const list = await createAccessList(office);
    const blog = await site("Blog", list.id);
    const refused = await rejection(deleteAccessList(list.id));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain('"Blog"');
    expect(refused.details).toEqual({ siteIds: blog.id });

    await db().site.update({ where: { id: blog.id }, data: { accessListId: null } });
    await deleteAccessList(list.id);
    expect((await rejection(getAccessList(list.id))).code).toBe("not_found");
    expect(await db().accessListUser.count()).toBe(0);
  });

  it("answers not_found for an unknown id", async () => {
    expect((await rejection(getAccessList("nope"))).code).toBe("not_found");
    expect((await rejection(updateAccessList("nope", { name: "x" }))).code).toBe("not_found");
    expect((await rejection(deleteAccessList("nope"))).code).toBe("not_found");
  });
});
