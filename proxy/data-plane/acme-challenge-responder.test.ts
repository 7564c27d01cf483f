import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { rawExchange, request } from "@/test-support/http-client";
import { testCertificate, testSite, testSnapshot } from "@/test-support/snapshots";
import { challengeToken } from "./acme-challenge-responder";

const TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
const KEY_AUTHORIZATION = `${TOKEN}.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI`;

let certs: TestCertificateFactory;
let backend: Backend;
let proxy: RunningDataPlane;

beforeAll(async () => {
  certs = new TestCertificateFactory();
  backend = await startBackend({ name: "app" });
  proxy = await startDataPlane({ fallbackCertificate: certs.selfSigned(["fallback.invalid"]) });
  const secure = certs.selfSigned(["secure.test"]);
  proxy.plane.apply(
    testSnapshot(
      1,
      [
        testSite({ id: "plain", hostnames: ["plain.test"], upstreams: [backend.url] }),
        testSite({ id: "secure", hostnames: ["secure.test"], upstreams: [backend.url], certificateId: "c", forceHttps: true }),
      ],
      [testCertificate("c", secure)],
    ),
  );
  proxy.plane.setAcmeChallenges({ [TOKEN]: KEY_AUTHORIZATION });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.close();
  certs?.cleanup();
});

describe("challengeToken", () => {
  it.each([
    [`/.well-known/acme-challenge/${TOKEN}`, TOKEN],
    [`/.well-known/acme-challenge/${TOKEN}?x=1`, TOKEN],
    [`http://shop.test/.well-known/acme-challenge/${TOKEN}`, TOKEN],
    ["/.well-known/acme-challenge/", null],
    ["/.well-known/acme-challenge/a/b", null],
    ["/.well-known/acme-challenge/bad%20token", null],
    ["/.well-known/other/abc", null],
    ["/", null],
    [undefined, null],
  ])("%s -> %s", (url, expected) => {
    expect(challengeToken(url)).toBe(expected);
  });
});

describe("HTTP-01 answers in the data plane", () => {
  it("answers a known token with the key authorization as text/plain, for a site's name", async () => {
    const res = await request({ port: proxy.httpPort, host: "plain.test", path: `/.well-known/acme-challenge/${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.body).toBe(KEY_AUTHORIZATION);
  });

  it("answers before the force-HTTPS redirect", async () => {
    const res = await request({ port: proxy.httpPort, host: "secure.test", path: `/.well-known/acme-challenge/${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.body).toBe(KEY_AUTHORIZATION);
    // Any other path of that site still redirects.
    expect((await request({ port: proxy.httpPort, host: "secure.test", path: "/" })).status).toBe(301);
  });

  it("answers for a name no site serves yet, and for a Host with a port", async () => {
    for (const host of ["unknown.test", "plain.test:80", "UNKNOWN.test."]) {
      const res = await request({ port: proxy.httpPort, host, path: `/.well-known/acme-challenge/${TOKEN}` });
      expect([host, res.status, res.body]).toEqual([host, 200, KEY_AUTHORIZATION]);
    }
  });

  it("answers HEAD without a body, and an absolute-form request", async () => {
    const head = await request({ port: proxy.httpPort, host: "plain.test", method: "HEAD", path: `/.well-known/acme-challenge/${TOKEN}` });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    const raw = await rawExchange(
      proxy.httpPort,
      `GET http://plain.test/.well-known/acme-challenge/${TOKEN} HTTP/1.1\r\nHost: plain.test\r\nConnection: close\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    expect(raw.endsWith(KEY_AUTHORIZATION)).toBe(true);
  });

  it("leaves unknown tokens and other methods to normal routing", async () => {
    const unknown = await request({ port: proxy.httpPort, host: "plain.test", path: "/.well-known/acme-challenge/other-token" });
    expect((JSON.parse(unknown.body) as EchoResponse).url).toBe("/.well-known/acme-challenge/other-token");
    const post = await request({ port: proxy.httpPort, host: "plain.test", method: "POST", path: `/.well-known/acme-challenge/${TOKEN}`, body: "x" });
    expect((JSON.parse(post.body) as EchoResponse).method).toBe("POST");
    const noSite = await request({ port: proxy.httpPort, host: "unknown.test", path: "/.well-known/acme-challenge/other-token" });
    expect(noSite.status).toBe(404);
  });

  it("is not served on the HTTPS port", async () => {
    const res = await request({ port: proxy.httpsPort, host: "plain.test", path: `/.well-known/acme-challenge/${TOKEN}`, tls: {} });
    expect(res.body).not.toBe(KEY_AUTHORIZATION);
  });

  it("replaces the whole set: a removed token falls through", async () => {
    proxy.plane.setAcmeChallenges({ "second-token": "second-token.thumb" });
    const gone = await request({ port: proxy.httpPort, host: "unknown.test", path: `/.well-known/acme-challenge/${TOKEN}` });
    expect(gone.status).toBe(404);
    const added = await request({ port: proxy.httpPort, host: "unknown.test", path: "/.well-known/acme-challenge/second-token" });
    expect(added.body).toBe("second-token.thumb");
    proxy.plane.setAcmeChallenges({ [TOKEN]: KEY_AUTHORIZATION });
  });
});
