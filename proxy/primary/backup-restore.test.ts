import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBackupSchedule, updateBackupSchedule } from "@/lib/services/backup-schedule";
import { createBackup, restoreBackup } from "@/lib/services/backups";
import { createCertificate, deleteCertificate } from "@/lib/services/certificates";
import { createSite, deleteSite } from "@/lib/services/sites";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { useTempDatabase } from "@/test-support/database";
import { peerCertificate, request } from "@/test-support/http-client";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";

/**
 * A restore through the real proxy process (primary + workers): the restored configuration is
 * served, with the same certificates, and requests that arrive meanwhile are all answered.
 */
let cleanup: () => Promise<void>;
let dataDir: string;
let proxy: ProxyProcess;
let shopBackend: Backend;
let blogBackend: Backend;
const PASSPHRASE = "restore under load passphrase";
const certificates = new TestCertificateFactory();
const log = () => proxy?.log() ?? "";

beforeAll(async () => {
  ({ cleanup, dataDir } = await useTempDatabase());
  shopBackend = await startBackend({ name: "shop" });
  blogBackend = await startBackend({ name: "blog", host: "::1" });
  proxy = await startProxyProcess({ env: { BACKUP_CHECK_MS: "200" } });
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await shopBackend?.close();
  await blogBackend?.close();
  await cleanup?.();
});

const secure = (host: string, ca: string) => request({ port: proxy.httpsPort, host, tls: { ca } });

describe("restoring a backup into the running proxy", () => {
  it("serves the restored sites and certificates, and loses no request meanwhile", { timeout: 90_000 }, async () => {
    const shopPem = certificates.selfSigned(["shop.test"], "ec-p256");
    const blogPem = certificates.selfSigned(["blog.test"], "rsa-2048");
    const upload = async (name: string, pem: { certificatePem: string; privateKeyPem: string }) =>
      (await createCertificate({ type: "upload", name, certificatePem: pem.certificatePem, privateKeyPem: pem.privateKeyPem })).certificate;
    const shopCertificate = await upload("Shop", shopPem);
    const blogCertificate = await upload("Blog", blogPem);
    await createSite({ name: "Shop", hostnames: ["shop.test"], upstreams: [{ url: shopBackend.url }], certificateId: shopCertificate.id });
    const blog = await createSite({
      name: "Blog",
      hostnames: ["blog.test"],
      upstreams: [{ url: blogBackend.url }],
      certificateId: blogCertificate.id,
    });
    await eventually(
      () => secure("blog.test", blogPem.certificatePem),
      (response) => response.status === 200,
      { log },
    );
    const file = createBackup(PASSPHRASE);

    // Meanwhile the blog was removed, with its certificate.
    await deleteSite(blog.id);
    await deleteCertificate(blogCertificate.id);
    await eventually(
      () => request({ port: proxy.httpPort, host: "blog.test" }),
      (response) => response.status === 404,
      { log },
    );

    const statuses: number[] = [];
    let stop = false;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!stop)
          statuses.push(
            await secure("shop.test", shopPem.certificatePem).then(
              (response) => response.status,
              () => 0,
            ),
          );
      }),
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await restoreBackup(file, PASSPHRASE, { dryRun: false })).changes.sites.added).toEqual([{ id: blog.id, name: "Blog" }]);
      const served = await eventually(
        () => secure("blog.test", blogPem.certificatePem),
        (response) => response.status === 200,
        { log },
      );
      expect((JSON.parse(served.body) as EchoResponse).backend).toBe("blog");
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      stop = true;
      await load;
    }
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const served = await peerCertificate(proxy.httpsPort, "blog.test", { ca: blogPem.certificatePem, rejectUnauthorized: true });
    expect(served.serialNumber.toUpperCase()).toBe(blogCertificate.serialNumber.toUpperCase());
  });

  it("makes the scheduled backups in the primary, which open with their passphrase", { timeout: 60_000 }, async () => {
    await updateBackupSchedule({ enabled: true, everyHours: 24, keep: 3, passphrase: PASSPHRASE });
    const [name] = await eventually(
      async () => (await getBackupSchedule()).files.map((file) => file.name),
      (names) => names.length === 1,
      { log },
    );
    const preview = await restoreBackup(readFileSync(path.join(dataDir, "backups", name!)), PASSPHRASE, { dryRun: true });
    const none = { added: [], changed: [], removed: [] };
    expect([preview.changes.sites, preview.changes.certificates]).toEqual([none, none]);
  });
});
