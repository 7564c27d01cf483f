import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { createAccessList } from "../services/access-lists";
import { accessListsForSnapshot } from "./load-access-lists";
import { loadSnapshot } from "./load-snapshot";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
});
afterEach(() => cleanup());

/** Written directly: the sites service learns accessListId in separate work. */
async function siteUsing(accessListId: string, name: string, enabled = true): Promise<void> {
  await db().site.create({
    data: {
      name,
      enabled,
      accessListId,
      hostnames: { create: [{ hostname: `${name}.example.com`, position: 0 }] },
      upstreams: { create: [{ url: "http://10.0.0.5:8080", position: 0 }] },
    },
  });
}

describe("accessListsForSnapshot", () => {
  it("carries the lists enabled sites use, with password hashes and never passwords", async () => {
    const used = await createAccessList({
      name: "Office",
      allow: ["10.0.0.0/8"],
      basicAuth: [
        { username: "ann", password: "ann's long password" },
        { username: "bob", password: "bob's long password" },
      ],
      satisfy: "any",
    });
    const onlyDisabled = await createAccessList({ name: "Old" });
    await createAccessList({ name: "Unused" });
    await siteUsing(used.id, "blog");
    await siteUsing(used.id, "shop");
    await siteUsing(onlyDisabled.id, "old", false);

    const lists = await accessListsForSnapshot();
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({ id: used.id, name: "Office", allow: ["10.0.0.0/8"], deny: [], satisfy: "any" });
    expect(lists[0]?.users.map((user) => user.username)).toEqual(["ann", "bob"]);
    expect(lists[0]?.users.every((user) => user.passwordHash.startsWith("scrypt$"))).toBe(true);
    expect(JSON.stringify(lists)).not.toContain("long password");

    const { snapshot } = await loadSnapshot();
    expect(snapshot.accessLists).toEqual(lists);
  });

  it("leaves out a list whose stored rows are unusable, and only that one", async () => {
    const good = await createAccessList({ name: "Good", allow: ["192.0.2.0/24"] });
    const broken = await createAccessList({ name: "Broken" });
    await siteUsing(good.id, "good");
    await siteUsing(broken.id, "broken");
    await db().accessList.update({ where: { id: broken.id }, data: { allow: "not json" } });
    expect((await accessListsForSnapshot()).map((list) => list.id)).toEqual([good.id]);
  });
});
