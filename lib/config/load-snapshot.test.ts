import { afterEach, beforeEach, expect, it } from "vitest";
import { unusedPort } from "@/test-support/backend";
import { useTempDatabase } from "@/test-support/database";
import { generateSelfSigned } from "../certs/self-signed";
import { db } from "../db";
import { createCertificate } from "../services/certificates";
import { bumpRevision } from "../services/revision";
import { updateAppSettings } from "../services/settings";
import { createSite, deleteSite, updateSite } from "../services/sites";
import { createStream, updateStream } from "../services/streams";
import { createAccessList } from "../services/access-lists";
import { SnapshotParts } from "./build-snapshot";
import { loadSnapshot } from "./load-snapshot";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
});
afterEach(() => cleanup());

async function siteWithCertificate(name: string): Promise<{ siteId: string; certificateId: string }> {
  const generated = await generateSelfSigned([name]);
  const { certificate } = await createCertificate({ type: "upload", name, ...generated });
  const site = await createSite({ name, hostnames: [name], upstreams: [{ url: "http://127.0.0.1:8080" }], certificateId: certificate.id });
  return { siteId: site.id, certificateId: certificate.id };
}

it("after each kind of change, a load that reads only what changed builds what a full load builds", async () => {
  const a = await siteWithCertificate("a.example.test");
  const b = await siteWithCertificate("b.example.test");
  const c = await siteWithCertificate("c.example.test");
  const parts = new SnapshotParts();
  const loads: string[][] = [];
  const sameAsFullLoad = async () => {
    const incremental = await loadSnapshot(parts);
    expect(incremental).toEqual(await loadSnapshot());
    loads.push(incremental.snapshot.sites.map((site) => site.name).sort());
    return incremental;
  };

  const first = await sameAsFullLoad();
  await updateSite(a.siteId, { forceHttps: true });
  const edited = await sameAsFullLoad();
  expect(edited.snapshot.sites.find((site) => site.id === a.siteId)?.forceHttps).toBe(true);
  expect(edited.hash).not.toBe(first.hash);

  await deleteSite(b.siteId);
  await updateSite(c.siteId, { enabled: false });
  await sameAsFullLoad();
  await updateSite(c.siteId, { enabled: true });
  await siteWithCertificate("d.example.test");
  await sameAsFullLoad();

  // A renewal: new material for the certificate, and the revision bumped on the sites it serves.
  const renewed = await generateSelfSigned(["a.example.test"]);
  const before = (await sameAsFullLoad()).snapshot.certificates.find((each) => each.id === a.certificateId)!;
  await db().$transaction(async (tx) => {
    const revision = await bumpRevision(tx);
    await tx.certificate.update({ where: { id: a.certificateId }, data: { certificatePem: renewed.certificatePem } });
    await tx.site.updateMany({ where: { certificateId: a.certificateId }, data: { revision } });
  });
  const after = (await sameAsFullLoad()).snapshot.certificates.find((each) => each.id === a.certificateId)!;
  expect(after.fingerprint256).not.toBe(before.fingerprint256);

  // A certificate written on its own, its sites untouched.
  await db().$transaction(async (tx) => {
    await bumpRevision(tx);
    await tx.certificate.update({ where: { id: a.certificateId }, data: { chainPem: renewed.certificatePem } });
  });
  await sameAsFullLoad();

  await updateAppSettings({ trustedProxies: ["10.0.0.0/8"] });
  expect((await sameAsFullLoad()).snapshot.trustedProxies).toEqual(["10.0.0.0/8"]);

  // One site gone and one new between two loads: as many sites as before.
  await deleteSite(c.siteId);
  await siteWithCertificate("e.example.test");
  await sameAsFullLoad();
  expect(loads).toEqual([
    ["a.example.test", "b.example.test", "c.example.test"],
    ["a.example.test", "b.example.test", "c.example.test"],
    ["a.example.test"],
    ["a.example.test", "c.example.test", "d.example.test"],
    ["a.example.test", "c.example.test", "d.example.test"],
    ["a.example.test", "c.example.test", "d.example.test"],
    ["a.example.test", "c.example.test", "d.example.test"],
    ["a.example.test", "c.example.test", "d.example.test"],
    ["a.example.test", "d.example.test", "e.example.test"],
  ]);
});

it("carries the enabled streams whole, with their upstreams' ids in order and the access lists they use; a stream whose rows do not validate is left out", async () => {
  process.env.PROXY_HOST = "127.0.0.1";
  try {
    const list = await createAccessList({ name: "Office", allow: ["127.0.0.0/8"] });
    const dns = await createStream({
      name: "DNS",
      protocol: "udp",
      listenPort: await unusedPort(),
      upstreams: [{ url: "127.0.0.1:1053", weight: 2 }, { url: "127.0.0.1:2053" }],
      accessListId: list.id,
    });
    await createStream({ name: "Off", protocol: "tcp", listenPort: await unusedPort(), upstreams: [{ url: "127.0.0.1:1" }], enabled: false });
    const broken = await createStream({ name: "Broken", protocol: "tcp", listenPort: await unusedPort(), upstreams: [{ url: "127.0.0.1:2" }] });
    // Written by something other than the service: a UDP upstream on a TCP stream.
    await db().streamUpstream.updateMany({ where: { streamId: broken.id }, data: { url: "udp://127.0.0.1:2" } });

    const parts = new SnapshotParts();
    const { snapshot, hash } = await loadSnapshot(parts);
    expect(snapshot.streams).toEqual([
      {
        id: dns.id,
        name: "DNS",
        protocol: "udp",
        listenPort: dns.listenPort,
        upstreams: [
          { id: dns.upstreams[0]!.id, url: "udp://127.0.0.1:1053", weight: 2 },
          { id: dns.upstreams[1]!.id, url: "udp://127.0.0.1:2053", weight: 1 },
        ],
        loadBalancing: { policy: "round_robin" },
        healthCheck: dns.healthCheck,
        accessListId: list.id,
        idleTimeoutSeconds: 600,
        proxyProtocol: false,
      },
    ]);
    expect(snapshot.accessLists.map((each) => each.id)).toEqual([list.id]);

    await updateStream(dns.id, { idleTimeoutSeconds: 30 });
    const edited = await loadSnapshot(parts);
    expect(edited.snapshot.streams[0]?.idleTimeoutSeconds).toBe(30);
    expect(edited.hash).not.toBe(hash);
  } finally {
    delete process.env.PROXY_HOST;
  }
});
