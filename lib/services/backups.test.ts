import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { TestCertificateFactory } from "@/test-support/certs";
import { createApiToken, listApiTokens } from "../auth/api-tokens";
import { createFirstAdmin } from "../auth/users";
import { loadCertificateMaterial } from "../config/load-certificate-material";
import { actingAs } from "../audit/actor";
import { AppError } from "../errors";
import { createAccessList, listAccessLists } from "./access-lists";
import { listAuditChanges, undoAuditChange } from "./audit";
import { backupFileName, createBackup, restoreBackup } from "./backups";
import { createCertificate, deleteCertificate, listCertificates } from "./certificates";
import { connectDnsProvider, createDnsProvider, listDnsProviders } from "./dns-providers";
import { getAppSettings, readOidcWithSecret, updateAppSettings } from "./settings";
import { createSite, deleteSite, listSites, updateSite } from "./sites";
import { createStream, deleteStream, listStreams, updateStream } from "./streams";
import { recordApplied } from "./proxy-state";
import { currentRevision } from "./revision";
import type { Stream } from "../schemas/stream";
import { unusedPort } from "@/test-support/backend";

const PASSPHRASE = "correct horse battery staple";
const certificates = new TestCertificateFactory();

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

/** An install with one of everything a person configures. */
async function populate() {
  const admin = await createFirstAdmin("admin@example.com", "a long admin password");
  await createApiToken(admin, "deploy");
  const rsa = certificates.selfSigned(["shop.example.com"], "rsa-2048");
  const { certificate } = await createCertificate({
    type: "upload",
    name: "Shop",
    certificatePem: rsa.certificatePem,
    privateKeyPem: rsa.privateKeyPem,
  });
  await createCertificate({ type: "self-signed", domains: ["blog.example.com"] });
  const list = await createAccessList({ name: "Office", allow: ["10.0.0.0/8"], basicAuth: [{ username: "ann", password: "ann's long password" }] });
  await createDnsProvider({ name: "Cloudflare", type: "cloudflare", credentials: { apiToken: "token-123" } });
  await updateAppSettings({ acmeEmail: "ops@example.com", trustedProxies: ["10.0.0.1"] });
  await updateAppSettings({ oidc: { enabled: true, issuer: "https://idp.example.com", clientId: "gatekeeper", clientSecret: "idp secret" } });
  const shop = await createSite({
    name: "Shop",
    hostnames: ["shop.example.com"],
    upstreams: [{ url: "http://127.0.0.1:8080" }, { url: "http://[::1]:8081", weight: 2 }],
    certificateId: certificate.id,
    accessListId: list.id,
    routes: [{ pathPrefix: "/api", upstreams: [{ url: "http://127.0.0.1:9090" }] }],
  });
  const blog = await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8082" }] });
  return { admin, shop, blog, certificateId: certificate.id };
}

/** Every listing, without what only the proxy's progress changes. */
async function everything() {
  const sites = (await listSites()).map(({ status: _status, updatedAt: _updatedAt, ...site }) => site);
  return {
    sites,
    certificates: await listCertificates(),
    accessLists: await listAccessLists(),
    dnsProviders: await listDnsProviders(),
    settings: await getAppSettings(),
  };
}

async function rejection(work: () => unknown): Promise<AppError> {
  const error = await Promise.resolve()
    .then(work)
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("backup and restore", () => {
  it("round-trips a populated install: a preview names each change, the restore equals the original", async () => {
    const { admin, shop, blog, certificateId } = await populate();
    const original = await everything();
    const file = createBackup(PASSPHRASE);
    expect(file.toString()).not.toContain("token-123");
    expect(file.toString()).not.toContain("shop.example.com");

    await deleteSite(blog.id);
    await updateSite(shop.id, { name: "Shop (renamed)" });
    const added = await createSite({ name: "New", hostnames: ["new.example.com"], upstreams: [{ url: "http://127.0.0.1:8083" }] });
    await updateAppSettings({ acmeEmail: "other@example.com" });
    const changed = await everything();

    const preview = await restoreBackup(file, PASSPHRASE, { dryRun: true });
    expect(preview.applied).toBe(false);
    expect(preview.changes.sites).toEqual({
      added: [{ id: blog.id, name: "Blog" }],
      changed: [{ id: shop.id, name: "Shop" }],
      removed: [{ id: added.id, name: "New" }],
    });
    expect(preview.changes.certificates).toEqual({ added: [], changed: [], removed: [] });
    expect(preview.changes.settings.changed.map((setting) => setting.name)).toEqual(["acme.email"]);
    expect(await everything()).toEqual(changed);

    const result = await restoreBackup(file, PASSPHRASE, { dryRun: false });
    expect(result.applied).toBe(true);
    expect(path.basename(result.before ?? "")).toMatch(/^before-restore-.*\.gkbackup$/);
    expect(await everything()).toEqual(original);
    expect((await listApiTokens(admin.id)).map((token) => token.name)).toEqual(["deploy"]);
    expect((await loadCertificateMaterial(certificateId)).privateKeyPem).toMatch(/BEGIN PRIVATE KEY/);

    // The state before was saved, and restores too.
    await restoreBackup(readFileSync(result.before!), PASSPHRASE, { dryRun: false });
    expect((await listSites()).map((site) => site.name).sort()).toEqual(["New", "Shop (renamed)"]);
  });

  it("restores another install's backup there: private keys and credentials are sealed again with its key", async () => {
    const { certificateId } = await populate();
    const file = createBackup(PASSPHRASE);
    const original = await everything();
    await cleanup();
    ({ cleanup } = await useTempDatabase()); // another install: another DATA_DIR, another secret.key

    const preview = await restoreBackup(file, PASSPHRASE, { dryRun: true });
    expect(preview.changes.sites.added.map((site) => site.name).sort()).toEqual(["Blog", "Shop"]);
    await restoreBackup(file, PASSPHRASE, { dryRun: false });
    expect(await everything()).toEqual(original);
    expect((await loadCertificateMaterial(certificateId)).privateKeyPem).toMatch(/BEGIN PRIVATE KEY/);
    const [provider] = await listDnsProviders();
    await expect(connectDnsProvider(provider!.id)).resolves.toMatchObject({ name: "Cloudflare" });
    expect((await readOidcWithSecret()).clientSecret).toBe("idp secret");
  });

  it("refuses a wrong passphrase, a damaged file and a file that is no backup, changing nothing", async () => {
    const { blog } = await populate();
    const file = createBackup(PASSPHRASE);
    await deleteSite(blog.id);
    const before = await everything();

    const wrong = await rejection(() => restoreBackup(file, "not the passphrase", { dryRun: false }));
    expect(wrong.details).toEqual({ passphrase: "The passphrase does not open this backup (or the file was changed after it was made)" });
    const envelope = JSON.parse(file.toString()) as { data: string };
    const bytes = Buffer.from(envelope.data, "base64");
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    const damaged = Buffer.from(JSON.stringify({ ...envelope, data: bytes.toString("base64") }));
    expect((await rejection(() => restoreBackup(damaged, PASSPHRASE, { dryRun: false }))).details.passphrase).toMatch(/changed after it was made/);
    expect((await rejection(() => restoreBackup(file.subarray(0, 200), PASSPHRASE, { dryRun: false }))).details).toEqual({
      file: "This file is not a Gatekeeper backup",
    });
    const cut = Buffer.from(JSON.stringify({ ...envelope, tag: undefined }));
    expect((await rejection(() => restoreBackup(cut, PASSPHRASE, { dryRun: false }))).details).toEqual({
      file: "The backup file is damaged: parts of it are missing",
    });
    expect((await rejection(() => restoreBackup(file, "short", { dryRun: true }))).details.passphrase).toMatch(/at least 10 characters/);
    expect(await everything()).toEqual(before);
  });

  it("asks for a passphrase long enough, and names files by time", async () => {
    expect((await rejection(() => createBackup("short"))).details.passphrase).toMatch(/^Choose a passphrase of at least 10 characters/);
    expect(backupFileName(new Date("2026-12-07T14:03:00.123Z"))).toBe("gatekeeper-2026-12-07T14-03-00Z.gkbackup");
  });
});

describe("a restore in the history", () => {
  it("is one entry with counts per kind when applied, none on a dry run, and undo on it is refused in words", async () => {
    const { blog } = await populate();
    const file = createBackup(PASSPHRASE);
    await deleteSite(blog.id);
    await createSite({ name: "Docs", hostnames: ["docs.example.com"], upstreams: [{ url: "http://127.0.0.1:8083" }] });
    const restores = async () => (await listAuditChanges({})).filter((change) => change.action === "restore");

    await restoreBackup(file, PASSPHRASE, { dryRun: true });
    expect(await restores()).toEqual([]);

    const result = await actingAs("admin@example.com", () => restoreBackup(file, PASSPHRASE, { dryRun: false }));
    const [entry, ...more] = await restores();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: "admin@example.com", objectType: "backup", objectId: null, undoable: false });
    const diff = Object.fromEntries(entry!.diff.map(({ field, after }) => [field, after]));
    expect(diff).toMatchObject({ "sites.added": 1, "sites.removed": 1, "sites.changed": 0, savedBefore: path.basename(result.before!) });

    const refusal = await rejection(() => undoAuditChange(entry!.id));
    expect(refusal.code).toBe("conflict");
    expect(refusal.message).toBe(
      `A restore cannot be undone from the history: restore the backup saved just before it (${path.basename(result.before!)}, in the data folder's backups) instead`,
    );
    expect((await listSites()).map((site) => site.name).sort()).toEqual(["Blog", "Shop"]);
  });
});

describe("restoring with certificates deleted meanwhile", () => {
  it("brings them back with their keys", async () => {
    const { shop, certificateId } = await populate();
    const file = createBackup(PASSPHRASE);
    await updateSite(shop.id, { certificateId: null });
    await deleteCertificate(certificateId);
    const preview = await restoreBackup(file, PASSPHRASE, { dryRun: false });
    expect(preview.changes.certificates.added).toEqual([{ id: certificateId, name: "Shop" }]);
    expect((await loadCertificateMaterial(certificateId)).certificatePem).toMatch(/BEGIN CERTIFICATE/);
  });
});

describe("streams in a backup", () => {
  it("come back with their upstreams' ids and their access list, pending until the proxy applies them", async () => {
    process.env.PROXY_HOST = "127.0.0.1";
    try {
      const list = await createAccessList({ name: "Office", allow: ["127.0.0.0/8"] });
      const postgres = await createStream({
        name: "Postgres",
        protocol: "tcp",
        listenPort: await unusedPort(),
        upstreams: [{ url: "127.0.0.1:15432" }, { url: "127.0.0.1:15433", weight: 3 }],
        accessListId: list.id,
      });
      const dns = await createStream({ name: "DNS", protocol: "udp", listenPort: await unusedPort(), upstreams: [{ url: "127.0.0.1:1053" }] });
      // Applied when the backup is made: the restore, not the backup, decides they are pending.
      await recordApplied({ revision: await currentRevision(), snapshotHash: "a", siteErrors: {} });
      const file = createBackup(PASSPHRASE);

      await deleteStream(postgres.id);
      await updateStream(dns.id, { idleTimeoutSeconds: 30 });
      const preview = await restoreBackup(file, PASSPHRASE, { dryRun: true });
      expect(preview.changes.streams).toEqual({
        added: [{ id: postgres.id, name: "Postgres" }],
        changed: [{ id: dns.id, name: "DNS" }],
        removed: [],
      });

      await recordApplied({ revision: await currentRevision(), snapshotHash: "b", siteErrors: {} });
      await restoreBackup(file, PASSPHRASE, { dryRun: false });
      const restored = await listStreams();
      const shown = ({ status: _status, updatedAt: _updatedAt, ...stream }: Stream) => stream;
      expect(restored.map(shown)).toEqual([postgres, dns].map(shown));
      expect(restored.every((stream) => !stream.status.applied)).toBe(true);
    } finally {
      delete process.env.PROXY_HOST;
    }
  });
});
