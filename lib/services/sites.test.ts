import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { AppError } from "../errors";
import { createSite, deleteSite, getSite, listSites, updateSite } from "./sites";
import { currentRevision } from "./revision";
import { recordApplied } from "./proxy-state";
import { listAccessListOptions } from "./site-security-options";
import { db } from "../db";
import { defaultSecurityHeaders } from "../schemas/site-security";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

const blog = { name: "Blog", hostnames: ["blog.example.com", "*.blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("sites service", () => {
  it("creates a site with defaults and bumps the revision in the same write", async () => {
    const site = await createSite(blog);
    expect(site).toMatchObject({
      name: "Blog",
      hostnames: ["blog.example.com", "*.blog.example.com"],
      upstreams: [{ url: "http://10.0.0.5:8080", weight: 1 }],
      enabled: true,
      websockets: true,
      status: { applied: false, appliedRevision: null, error: null },
    });
    expect(await currentRevision()).toBe(1);
  });

  it("refuses a hostname that belongs to another site, naming both, and saves nothing", async () => {
    await createSite(blog);
    const error = await rejection(
      createSite({ name: "Shop", hostnames: ["shop.example.com", "BLOG.example.com"], upstreams: [{ url: "http://10.0.0.6" }] }),
    );
    expect(error.code).toBe("conflict");
    expect(error.details).toEqual({ "hostnames.1": 'blog.example.com already belongs to the site "Blog"' });
    expect((await listSites()).map((s) => s.name)).toEqual(["Blog"]);
    expect(await currentRevision()).toBe(1);
  });

  it("lets a site keep its own hostnames on update", async () => {
    const site = await createSite(blog);
    const updated = await updateSite(site.id, { upstreams: [{ url: "http://10.0.0.9:9000" }] });
    expect(updated.hostnames).toEqual(blog.hostnames);
    expect(updated.upstreams.map((u) => u.url)).toEqual(["http://10.0.0.9:9000"]);
    expect(await currentRevision()).toBe(2);
  });

  it("keeps each upstream's id while its URL stays, whatever else a save changes", async () => {
    const site = await createSite({ ...blog, upstreams: [{ url: "http://10.0.0.5:8080" }, { url: "http://10.0.0.6:8080", weight: 2 }] });
    const [five, six] = site.upstreams;
    const renamed = await updateSite(site.id, { name: "Journal" });
    expect(renamed.upstreams).toEqual(site.upstreams);

    const reordered = await updateSite(site.id, {
      upstreams: [{ url: "http://10.0.0.7:8080" }, { url: "http://10.0.0.6:8080", weight: 5 }, { url: "http://10.0.0.5:8080" }],
    });
    expect(reordered.upstreams.map(({ id, url, weight }) => ({ id, url, weight }))).toEqual([
      { id: expect.any(String), url: "http://10.0.0.7:8080", weight: 1 },
      { id: six!.id, url: "http://10.0.0.6:8080", weight: 5 },
      { id: five!.id, url: "http://10.0.0.5:8080", weight: 1 },
    ]);
    expect([five!.id, six!.id]).not.toContain(reordered.upstreams[0]!.id);

    const trimmed = await updateSite(site.id, { upstreams: [{ url: "http://10.0.0.6:8080", weight: 5 }] });
    expect(trimmed.upstreams.map((u) => u.id)).toEqual([six!.id]);
    expect(await db().upstream.count()).toBe(1);
  });

  it("keeps the stored site when a patch is invalid", async () => {
    const site = await createSite(blog);
    const error = await rejection(updateSite(site.id, { hostnames: ["ok.example.com", "bad name"], name: "" }));
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.details).sort()).toEqual(["hostnames.1", "name"]);
    expect(await getSite(site.id)).toEqual(site);
  });

  it("refuses a certificate that does not exist", async () => {
    const error = await rejection(createSite({ ...blog, certificateId: "missing" }));
    expect(error.details).toEqual({ certificateId: "There is no certificate with this id" });
  });

  it("reports not found for unknown ids", async () => {
    expect((await rejection(getSite("nope"))).code).toBe("not_found");
    expect((await rejection(updateSite("nope", { name: "x" }))).code).toBe("not_found");
    expect((await rejection(deleteSite("nope"))).code).toBe("not_found");
  });

  it("frees the hostnames of a deleted site", async () => {
    const site = await createSite(blog);
    await deleteSite(site.id);
    expect(await listSites()).toEqual([]);
    await expect(createSite(blog)).resolves.toMatchObject({ name: "Blog" });
  });

  it("shows the proxy's per-site result as status", async () => {
    const good = await createSite(blog);
    const bad = await createSite({ name: "Bad", hostnames: ["bad.example.com"], upstreams: [{ url: "http://10.0.0.7" }] });
    await recordApplied({
      revision: await currentRevision(),
      snapshotHash: "h",
      siteErrors: { [bad.id]: "The certificate's key does not match" },
    });
    expect((await getSite(good.id)).status).toEqual({ applied: true, appliedRevision: 2, error: null });
    expect((await getSite(bad.id)).status).toEqual({
      applied: false,
      appliedRevision: null,
      error: "The certificate's key does not match",
    });
    // A later change makes the site pending again until the proxy applies it.
    expect((await updateSite(good.id, { name: "Blog 2" })).status.applied).toBe(false);
  });

  it("counts a disabled site as applied once the proxy has stopped serving it, but not a later save", async () => {
    const site = await createSite({ ...blog, enabled: false });
    await recordApplied({ revision: 1, snapshotHash: "h", siteErrors: {} });
    expect((await getSite(site.id)).status).toEqual({ applied: true, appliedRevision: 1, error: null });
    await updateSite(site.id, { name: "Saved after the snapshot" });
    await recordApplied({ revision: 1, snapshotHash: "h", siteErrors: {} });
    expect((await getSite(site.id)).status.applied).toBe(false);
  });
});

describe("sites service: security settings", () => {
  it("gives a new site exploit blocking and security headers, and nothing else switched on", async () => {
    const site = await createSite(blog);
    expect(site).toMatchObject({
      accessListId: null,
      rateLimit: null,
      blockExploits: true,
      securityHeaders: defaultSecurityHeaders,
      customHeaders: { requestSet: [], requestRemove: [], responseSet: [], responseRemove: [] },
      tlsPolicy: "intermediate",
    });
  });

  it("stores each setting and reads it back, in the list too", async () => {
    const list = await db().accessList.create({ data: { name: "Office" } });
    const site = await createSite({
      ...blog,
      accessListId: list.id,
      rateLimit: { requestsPerSecond: 5, burst: 10 },
      blockExploits: false,
      securityHeaders: { frameOptions: "DENY" },
      customHeaders: { requestSet: [{ name: "X-Team", value: "web" }] },
      tlsPolicy: "modern",
    });
    const expected = {
      accessListId: list.id,
      rateLimit: { requestsPerSecond: 5, burst: 10 },
      blockExploits: false,
      securityHeaders: { ...defaultSecurityHeaders, frameOptions: "DENY" },
      customHeaders: { requestSet: [{ name: "x-team", value: "web" }], requestRemove: [], responseSet: [], responseRemove: [] },
      tlsPolicy: "modern",
    };
    expect(site).toMatchObject(expected);
    expect(await getSite(site.id)).toMatchObject(expected);
    expect((await listSites())[0]).toMatchObject(expected);
  });

  it("changes only what a patch sends, and switches protections off with null", async () => {
    const site = await createSite({ ...blog, rateLimit: { requestsPerSecond: 5, burst: 10, maxConnectionsPerIp: 4 } });
    const patched = await updateSite(site.id, { securityHeaders: { referrerPolicy: "no-referrer" }, rateLimit: { burst: 30 } });
    expect(patched.securityHeaders).toEqual({ ...defaultSecurityHeaders, referrerPolicy: "no-referrer" });
    expect(patched.rateLimit).toEqual({ requestsPerSecond: 5, burst: 30, maxConnectionsPerIp: 4 });
    expect(patched.blockExploits).toBe(true);
    const off = await updateSite(site.id, { securityHeaders: null, rateLimit: null });
    expect([off.securityHeaders, off.rateLimit]).toEqual([null, null]);
    expect((await getSite(site.id)).securityHeaders).toBeNull();
  });

  it("refuses an access list that does not exist, and saves nothing", async () => {
    const site = await createSite(blog);
    const error = await rejection(updateSite(site.id, { accessListId: "missing", name: "Renamed" }));
    expect(error.code).toBe("validation_failed");
    expect(error.details).toEqual({ accessListId: "There is no access list with this id" });
    expect(await getSite(site.id)).toEqual(site);
  });

  it("reads a stored value that no longer parses as a safe default, without failing the list", async () => {
    const site = await createSite(blog);
    await db().site.update({
      where: { id: site.id },
      data: { rateLimit: "{broken", securityHeaders: '{"frameOptions":"ALLOW"}', customHeaders: "null", tlsPolicy: "sslv3" },
    });
    const [listed] = await listSites();
    expect(listed).toMatchObject({
      rateLimit: null,
      securityHeaders: defaultSecurityHeaders,
      customHeaders: { requestSet: [], requestRemove: [], responseSet: [], responseRemove: [] },
      tlsPolicy: "intermediate",
    });
  });

  it("keeps sites made before the security settings as they were", async () => {
    const site = await createSite(blog);
    // What the migration leaves on an existing row: the column defaults.
    await db().site.update({ where: { id: site.id }, data: { blockExploits: false, securityHeaders: null, customHeaders: "{}" } });
    expect(await getSite(site.id)).toMatchObject({ blockExploits: false, securityHeaders: null, rateLimit: null });
    // A patch of something else leaves them so.
    expect(await updateSite(site.id, { name: "Old blog" })).toMatchObject({ blockExploits: false, securityHeaders: null });
  });

  it("lists access lists by name for the site form", async () => {
    await db().accessList.create({ data: { name: "Office", allow: JSON.stringify(["10.0.0.0/8"]) } });
    await db().accessList.create({ data: { name: "Admins" } });
    expect((await listAccessListOptions()).map((option) => Object.keys(option).sort().join() + ":" + option.name)).toEqual([
      "id,name:Admins",
      "id,name:Office",
    ]);
  });
});
