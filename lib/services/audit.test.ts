import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { createApiToken, userForApiToken } from "../auth/api-tokens";
import { actingAs } from "../audit/actor";
import { createFirstAdmin, logIn } from "../auth/users";
import { db } from "../db";
import { AppError } from "../errors";
import { createAccessList, getAccessList, updateAccessList } from "./access-lists";
import { listAuditChanges, undoAuditChange } from "./audit";
import { createDnsProvider, deleteDnsProvider, listDnsProviders } from "./dns-providers";
import { getAppSettings, updateAppSettings } from "./settings";
import { createSite, deleteSite, getSite, listSites, updateSite } from "./sites";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

const ANN = "ann@example.com";
const blog = { name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("the change history", () => {
  it("records who changed what, field by field, and filters", async () => {
    const site = await actingAs(ANN, () => createSite(blog));
    await actingAs("bob@example.com", () => updateSite(site.id, { upstreams: [{ url: "http://127.0.0.1:9090" }], hsts: false }));
    const [update, create] = await listAuditChanges({ objectType: "site", objectId: site.id });
    expect(update).toMatchObject({
      actor: "bob@example.com",
      action: "update",
      objectType: "site",
      objectId: site.id,
      undoable: true,
      diff: [{ field: "upstreams.0.url", before: "http://127.0.0.1:8080", after: "http://127.0.0.1:9090" }],
    });
    expect(create).toMatchObject({ actor: ANN, action: "create" });
    expect(create?.diff).toContainEqual({ field: "name", before: null, after: "Blog" });
    expect((await listAuditChanges({ actor: ANN })).map((change) => change.action)).toEqual(["create"]);
    expect(await listAuditChanges({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect((await rejection(listAuditChanges({ from: "yesterday", limit: "0" }))).details).toEqual({
      from: "Give from as a date and time, like 2026-12-07T14:00:00Z",
      limit: "Give a limit of at least 1",
    });
    expect((await listAuditChanges({})).every((change) => change.actor !== "system")).toBe(true);
  });

  it("undo puts a site back, and is itself a change", async () => {
    const site = await createSite(blog);
    await updateSite(site.id, { upstreams: [{ url: "http://127.0.0.1:9090" }] });
    const [update] = await listAuditChanges({ objectType: "site" });
    await actingAs(ANN, () => undoAuditChange(update!.id));
    expect((await getSite(site.id)).upstreams.map((upstream) => upstream.url)).toEqual(["http://127.0.0.1:8080"]);
    const [undo] = await listAuditChanges({ objectType: "site" });
    expect(undo).toMatchObject({
      actor: ANN,
      action: "update",
      diff: [{ field: "upstreams.0.url", before: "http://127.0.0.1:9090", after: "http://127.0.0.1:8080" }],
    });

    await deleteSite(site.id);
    const [deletion] = await listAuditChanges({ objectType: "site" });
    await undoAuditChange(deletion!.id);
    const [again] = await listSites();
    expect(again).toMatchObject({ name: "Blog", hostnames: ["blog.example.com"] });
    const [creation] = await listAuditChanges({ objectType: "site", objectId: again!.id });
    await undoAuditChange(creation!.id);
    expect(await listSites()).toEqual([]);
  });

  it("undoes settings and access lists, and says why a deleted provider with credentials cannot come back", async () => {
    await updateAppSettings({ acmeEmail: "first@example.com" });
    await updateAppSettings({ acmeEmail: "second@example.com", trustedProxies: ["10.0.0.1"] });
    const [settings] = await listAuditChanges({ objectType: "settings" });
    expect(settings?.diff).toEqual([
      { field: "acmeEmail", before: "first@example.com", after: "second@example.com" },
      { field: "trustedProxies", before: [], after: ["10.0.0.1"] },
    ]);
    await undoAuditChange(settings!.id);
    expect(await getAppSettings()).toMatchObject({ acmeEmail: "first@example.com", trustedProxies: [] });

    const list = await createAccessList({ name: "Office", allow: ["10.0.0.0/8"] });
    await updateAccessList(list.id, { allow: ["192.168.0.0/16"] });
    const [listChange] = await listAuditChanges({ objectType: "accessList" });
    await undoAuditChange(listChange!.id);
    expect((await getAccessList(list.id)).allow).toEqual(["10.0.0.0/8"]);

    const cloudflare = await createDnsProvider({ name: "Cloudflare", type: "cloudflare", credentials: { apiToken: "secret" } });
    await deleteDnsProvider(cloudflare.id);
    const [providerDeletion] = await listAuditChanges({ objectType: "dnsProvider" });
    expect(JSON.stringify(providerDeletion)).not.toContain("secret");
    expect((await rejection(undoAuditChange(providerDeletion!.id))).message).toBe(
      "The history keeps no credentials: add the DNS provider again with them",
    );
    expect(await listDnsProviders()).toEqual([]);
  });

  it("records sign-ins, failed sign-ins and token use (once an hour per token), and forgets after 90 days", async () => {
    const admin = await createFirstAdmin("admin@example.com", "a long admin password");
    await logIn({ email: "admin@example.com", password: "a long admin password" }, "127.0.0.1");
    await logIn({ email: "admin@example.com", password: "wrong password!" }, "127.0.0.2").catch(() => undefined);
    const { token } = await createApiToken(admin.id, "deploy");
    const now = new Date();
    await userForApiToken(token, now);
    await userForApiToken(token, new Date(now.getTime() + 60_000));
    const history = await listAuditChanges({ objectType: "user" });
    expect(history.map((change) => [change.action, change.actor])).toEqual([
      ["sign-in-failed", "admin@example.com"],
      ["sign-in", "admin@example.com"],
    ]);
    expect((await listAuditChanges({ objectType: "apiToken" })).map((change) => change.actor)).toEqual(["admin@example.com (API)"]);

    await db().auditEntry.updateMany({ data: { at: new Date(now.getTime() - 91 * 24 * 60 * 60 * 1000) } });
    await userForApiToken(token, new Date(now.getTime() + 2 * 60 * 60 * 1000));
    expect((await listAuditChanges({})).map((change) => change.action)).toEqual(["token-used"]);
  });
});
