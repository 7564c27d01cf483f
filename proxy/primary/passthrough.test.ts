import { spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSelfSigned } from "@/lib/certs/self-signed";
import { db } from "@/lib/db";
import { createAccessList } from "@/lib/services/access-lists";
import { createCertificate } from "@/lib/services/certificates";
import { explainRequest } from "@/lib/services/explain";
import { NO_ANSWER } from "@/lib/schemas/explain";
import { getSite, updateSite } from "@/lib/services/sites";
import { startBackend, unusedPort, type Backend } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { eventually } from "@/test-support/proxy-process";

/**
 * TLS pass-through through the real proxy (primary and workers) on a real SQLite file: sites
 * whose HTTPS connections go, chosen by the ClientHello's server name, unread to upstreams that
 * hold their own certificates, beside a site whose TLS the proxy terminates on the same port.
 */
let product: ProxyOnDatabase;
let httpBackend: Backend;
let ecBackend: TlsBackend;
let rsaBackend: TlsBackend;
let nginx: Nginx;
let closedPort: number;
let termFingerprint: string;
const certs = new TestCertificateFactory();
const sites: Record<string, string> = {};
const noHealthChecks = { healthCheck: { enabled: false } };

interface TlsBackend {
  port: number;
  fingerprint256: string;
  close(): Promise<void>;
}

/** A TLS server with its own certificate: says who it is, which ALPN protocol it chose, and who it saw. */
async function tlsBackend(name: string, material: { certificatePem: string; privateKeyPem: string }, alpn: string[]): Promise<TlsBackend> {
  const server = tls.createServer({ cert: material.certificatePem, key: material.privateKeyPem, ALPNProtocols: alpn }, (socket) => {
    socket.on("error", () => undefined);
    socket.end(`${name} ${socket.alpnProtocol || "none"}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    fingerprint256: new X509Certificate(material.certificatePem).fingerprint256,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Nginx {
  port: number;
  stop(): Promise<void>;
}

/** Debian's nginx, reading the PROXY protocol and answering with the client address it names. */
async function startNginx(material: { certificatePem: string; privateKeyPem: string }): Promise<Nginx> {
  const dir = mkdtempSync(path.join(tmpdir(), "gk-nginx-"));
  const port = await unusedPort();
  writeFileSync(path.join(dir, "cert.pem"), material.certificatePem);
  writeFileSync(path.join(dir, "key.pem"), material.privateKeyPem);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((name) => `${name}_temp_path ${dir}/${name};`).join("\n  ");
  writeFileSync(
    path.join(dir, "nginx.conf"),
    `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
  ${temp}
  server {
    listen 127.0.0.1:${port} ssl proxy_protocol;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    location / { default_type text/plain; return 200 "$proxy_protocol_addr"; }
  }
}
`,
  );
  const child: ChildProcess = spawn("/usr/sbin/nginx", ["-p", `${dir}/`, "-c", path.join(dir, "nginx.conf"), "-e", "stderr"], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await eventually(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1", () => resolve(socket.destroy() === socket));
        socket.on("error", reject);
      }),
    (accepted) => accepted,
  );
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Handshake {
  fingerprint256: string;
  alpn: string | false;
  body: string;
}

/** A TLS client on the proxy's HTTPS port: the certificate it was shown, the protocol agreed, and all it read. */
function connect(servername: string, host = "127.0.0.1", ALPNProtocols = ["h2", "http/1.1"]): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port: product.proxy.httpsPort, servername, ALPNProtocols, rejectUnauthorized: false });
    let body = "";
    socket.on("data", (chunk: Buffer) => (body += chunk.toString()));
    socket.on("error", reject);
    socket.on("end", () =>
      resolve({ fingerprint256: socket.getPeerX509Certificate()?.fingerprint256 ?? "", alpn: socket.alpnProtocol ?? false, body }),
    );
  });
}

/** An HTTPS GET through the proxy (HTTP/1.1): the status, the body, and the certificate shown. */
function httpsGet(servername: string, host = "127.0.0.1"): Promise<{ status: number; body: string; fingerprint256: string }> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host, port: product.proxy.httpsPort, servername, headers: { host: servername }, path: "/", rejectUnauthorized: false, agent: false },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => {
          const fingerprint256 = (res.socket as tls.TLSSocket).getPeerX509Certificate()?.fingerprint256 ?? "";
          resolve({ status: res.statusCode ?? 0, body, fingerprint256 });
        });
      },
    );
    request.on("error", reject);
  });
}

async function applied(siteId: string): Promise<void> {
  await eventually(
    () => getSite(siteId),
    (site) => site.status.applied,
    { log: product.proxy.log },
  );
}

beforeAll(async () => {
  product = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::", TRAFFIC_FLUSH_MS: "200", TRAFFIC_WRITE_MS: "200" } });
  httpBackend = await startBackend({ name: "http-app" });
  // The EC backend's certificate is made by the product's own code, the RSA one with openssl.
  ecBackend = await tlsBackend("ec-backend", await generateSelfSigned(["pass.test"]), ["h2", "http/1.1"]);
  rsaBackend = await tlsBackend("rsa-backend", certs.selfSigned(["*.wild.test"], "rsa-2048"), ["http/1.1"]);
  nginx = await startNginx(certs.selfSigned(["pp.test"]));
  closedPort = await unusedPort();

  const term = certs.selfSigned(["term.test", "switch.test"]);
  termFingerprint = new X509Certificate(term.certificatePem).fingerprint256;
  const { certificate } = await createCertificate({ type: "upload", certificatePem: term.certificatePem, privateKeyPem: term.privateKeyPem });
  sites.term = (
    await product.addSite({ name: "Terminated", hostnames: ["term.test"], upstreams: [{ url: httpBackend.url }], certificateId: certificate.id })
  ).id;
  sites.switch = (
    await product.addSite({ name: "Switch", hostnames: ["switch.test"], upstreams: [{ url: httpBackend.url }], certificateId: certificate.id })
  ).id;
  sites.pass = (
    await product.addSite({
      name: "Passed",
      hostnames: ["pass.test"],
      tlsMode: "passthrough",
      upstreams: [{ url: `tcp://127.0.0.1:${closedPort}` }, { url: `tcp://127.0.0.1:${ecBackend.port}` }],
      healthCheck: { enabled: true, intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 1 },
    })
  ).id;
  sites.wild = (
    await product.addSite({
      name: "Wild",
      hostnames: ["*.wild.test"],
      tlsMode: "passthrough",
      upstreams: [{ url: `tcp://127.0.0.1:${closedPort}` }, { url: `tcp://127.0.0.1:${rsaBackend.port}` }],
      ...noHealthChecks,
    })
  ).id;
  sites.pp = (
    await product.addSite({
      name: "PROXY protocol",
      hostnames: ["pp.test"],
      tlsMode: "passthrough",
      proxyProtocol: true,
      upstreams: [{ url: `tcp://127.0.0.1:${nginx.port}` }],
      ...noHealthChecks,
    })
  ).id;
  const noIpv6 = await createAccessList({ name: "No IPv6", deny: ["::1"] });
  sites.guarded = (
    await product.addSite({
      name: "Guarded",
      hostnames: ["guarded.test"],
      tlsMode: "passthrough",
      upstreams: [{ url: `tcp://127.0.0.1:${ecBackend.port}` }],
      accessListId: noIpv6.id,
      ...noHealthChecks,
    })
  ).id;
}, 120_000);

afterAll(async () => {
  await product?.close();
  await Promise.all([httpBackend?.close(), ecBackend?.close(), rsaBackend?.close(), nginx?.stop()]);
  certs.cleanup();
});

describe("TLS pass-through", () => {
  it("shows the client the upstream's own certificate, over IPv4 and IPv6, and lets the upstream choose HTTP/2", async () => {
    for (const host of ["127.0.0.1", "::1"]) {
      const answer = await connect("pass.test", host);
      expect(answer).toEqual({ fingerprint256: ecBackend.fingerprint256, alpn: "h2", body: "ec-backend h2" });
    }
  });

  it("leaves a terminated site on the same port alone: the proxy's certificate, HTTP answered, HTTP/2 chosen by the proxy", async () => {
    const answer = await httpsGet("term.test");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ backend: "http-app", url: "/" });
    expect(answer.fingerprint256).toBe(termFingerprint);
    const h2 = await new Promise<string | false>((resolve, reject) => {
      const socket = tls.connect(
        { host: "::1", port: product.proxy.httpsPort, servername: "term.test", ALPNProtocols: ["h2", "http/1.1"], rejectUnauthorized: false },
        () => {
          resolve(socket.alpnProtocol ?? false);
          socket.destroy();
        },
      );
      socket.on("error", reject);
    });
    expect(h2).toBe("h2");
  });

  it("finds a wildcard hostname by its server name; the upstream's ALPN choice (HTTP/1.1 only) stands", async () => {
    for (const name of ["a.wild.test", "deep.b.wild.test"]) {
      expect(await connect(name, "::1")).toEqual({ fingerprint256: rsaBackend.fingerprint256, alpn: "http/1.1", body: "rsa-backend http/1.1" });
    }
  });

  it("goes on to the next upstream when one refuses the connection", async () => {
    // Round robin over a closed port and the RSA backend, with no active checks to hide the closed one.
    const answers = await Promise.all(Array.from({ length: 6 }, () => connect("x.wild.test")));
    expect(answers.map((answer) => answer.body)).toEqual(Array(6).fill("rsa-backend http/1.1"));
  });

  it("tells the upstream the client's address with a PROXY protocol v2 header, which nginx reads", async () => {
    for (const [host, expected] of [
      ["127.0.0.1", "127.0.0.1"],
      ["::1", "::1"],
    ]) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        https
          .get(
            { host, port: product.proxy.httpsPort, servername: "pp.test", headers: { host: "pp.test" }, rejectUnauthorized: false, agent: false },
            (res) => {
              let body = "";
              res.on("data", (chunk: Buffer) => (body += chunk.toString()));
              res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
            },
          )
          .on("error", reject);
      });
      expect(answer).toEqual({ status: 200, body: expected });
    }
  });

  it("closes the connection of a client the access list refuses by address", async () => {
    expect((await connect("guarded.test")).body).toBe("ec-backend h2");
    // Closed before any handshake: no certificate shown, nothing read (or a reset, depending on timing).
    const refused = await connect("guarded.test", "::1").catch(() => ({ fingerprint256: "", alpn: false, body: "" }));
    expect(refused).toEqual({ fingerprint256: "", alpn: false, body: "" });
  });

  it("checks its upstreams by connecting: the closed port is down with the reason, the backend up", async () => {
    const site = await eventually(
      () => getSite(sites.pass!),
      (current) => current.upstreams.every((upstream) => upstream.health.state !== "unknown"),
      { log: product.proxy.log },
    );
    expect(site.upstreams.map((upstream) => [upstream.health.state, upstream.health.message])).toEqual([
      ["down", "Connection refused"],
      ["up", null],
    ]);
  });

  it("redirects plain HTTP for its name to HTTPS with a 308, same host and path", async () => {
    const answer = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port: product.proxy.httpPort, path: "/a/b?c=1", headers: { host: "pass.test" }, agent: false }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: res.headers.location });
        })
        .on("error", reject);
    });
    expect(answer).toEqual({ status: 308, location: `https://pass.test:${product.proxy.httpsPort}/a/b?c=1` });
  });

  it("explains what happens to a visitor: passed through over HTTPS, the address rules, the 308 over HTTP", async () => {
    // Once the active check has benched the closed port, the backend is the one every visitor gets.
    const https = await eventually(
      () => explainRequest({ url: `https://pass.test:${product.proxy.httpsPort}/x`, clientIp: "127.0.0.1" }),
      (explanation) => explanation.upstreamUrl === `tcp://127.0.0.1:${ecBackend.port}`,
    );
    expect(https).toMatchObject({
      site: { id: sites.pass, name: "Passed" },
      upstreamUrl: `tcp://127.0.0.1:${ecBackend.port}`,
      upstreamHealth: "available",
      answer: { status: null },
    });
    expect(https.protections.map((protection) => protection.name)).toEqual(["tls-pass-through"]);
    const refused = await explainRequest({ url: `https://guarded.test:${product.proxy.httpsPort}/`, clientIp: "::1" });
    expect(refused).toMatchObject({ upstreamUrl: null, answer: { status: NO_ANSWER } });
    expect(refused.protections[1]).toEqual({ name: "access-list", decision: "closes the connection: the address is not allowed" });
    const plain = await explainRequest({ url: `http://pass.test:${product.proxy.httpPort}/x` });
    expect(plain.answer).toEqual({ status: 308, location: `https://pass.test:${product.proxy.httpsPort}/x` });
  });

  it("answers 421 to a request for it that arrives on a connection made for a terminated site", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(
          {
            host: "127.0.0.1",
            port: product.proxy.httpsPort,
            servername: "term.test",
            headers: { host: "pass.test" },
            rejectUnauthorized: false,
            agent: false,
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on("error", reject);
    });
    expect(status).toBe(421);
  });

  it("counts its connections and their bytes in the traffic series", async () => {
    const before = await connectionsOf(sites.pass!);
    for (let i = 0; i < 3; i += 1) await connect("pass.test");
    const rows = await eventually(
      () => db().trafficMinute.findMany({ where: { siteId: sites.pass! } }),
      (found) => found.reduce((sum, row) => sum + row.connections, 0) >= before + 3,
      { log: product.proxy.log },
    );
    expect(rows.reduce((sum, row) => sum + Number(row.bytesIn), 0)).toBeGreaterThan(3 * 100); // three ClientHellos at least
    expect(rows.reduce((sum, row) => sum + Number(row.bytesOut), 0)).toBeGreaterThan(3 * 300); // three certificates at least
  });

  it("switches a site from terminating to pass-through and back without a restart", async () => {
    expect((await httpsGet("switch.test")).fingerprint256).toBe(termFingerprint);
    await updateSite(sites.switch!, {
      tlsMode: "passthrough",
      certificateId: null,
      upstreams: [{ url: `tcp://127.0.0.1:${ecBackend.port}` }],
      ...noHealthChecks,
    });
    await applied(sites.switch!);
    expect(await connect("switch.test")).toMatchObject({ fingerprint256: ecBackend.fingerprint256, body: "ec-backend h2" });
    const termCertificate = (await getSite(sites.term!)).certificateId;
    await updateSite(sites.switch!, { tlsMode: "terminate", certificateId: termCertificate, upstreams: [{ url: httpBackend.url }] });
    await applied(sites.switch!);
    const back = await httpsGet("switch.test", "::1");
    expect(back.fingerprint256).toBe(termFingerprint);
    expect(JSON.parse(back.body)).toMatchObject({ backend: "http-app" });
  });
});

async function connectionsOf(siteId: string): Promise<number> {
  const rows = await db().trafficMinute.findMany({ where: { siteId } });
  return rows.reduce((sum, row) => sum + row.connections, 0);
}
