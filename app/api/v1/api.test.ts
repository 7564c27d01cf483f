import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_OIDC } from "@/lib/schemas/oidc";
import { adminApiToken, apiError, callRoute, type RouteCall, type RouteHandler } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import { createFirstAdmin } from "@/lib/auth/users";
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import * as sitesRoute from "./sites/route";
import * as siteRoute from "./sites/[id]/route";
import * as certificatesRoute from "./certificates/route";
import * as certificateRoute from "./certificates/[id]/route";
import * as renewRoute from "./certificates/[id]/renew/route";
import * as settingsRoute from "./settings/route";
import { TestCertificateFactory } from "@/test-support/certs";
import * as tokensRoute from "./tokens/route";
import * as tokenRoute from "./tokens/[id]/route";
import * as statusRoute from "./status/route";
import { recordHealth } from "@/lib/services/upstream-health";
import { currentRevision } from "@/lib/services/revision";
import { db } from "@/lib/db";

let cleanup: () => Promise<void>;
let token: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
});
afterEach(() => cleanup());

interface CallOptions extends Omit<RouteCall, "token"> {
  /** false: send no token. */
  auth?: boolean;
}

function call<P>(handler: RouteHandler<P>, method: string, path: string, options: CallOptions = {}, params = {} as P) {
  const { auth, ...rest } = options;
  return callRoute(handler, method, path, { ...rest, token: auth === false ? undefined : token }, params);
}

const errorOf = apiError;

const blog = { name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] };

describe("REST API v1", () => {
  it("requires a session or a token on every endpoint", async () => {
    for (const response of [
      await call(sitesRoute.GET, "GET", "/api/v1/sites", { auth: false }),
      await call(certificatesRoute.GET, "GET", "/api/v1/certificates", { auth: false }),
      await call(statusRoute.GET, "GET", "/api/v1/status", { auth: false }),
      await call(tokensRoute.GET, "GET", "/api/v1/tokens", { auth: false }),
      await call(sitesRoute.GET, "GET", "/api/v1/sites", { auth: false, headers: { authorization: "Bearer gkt_wrong" } }),
    ]) {
      expect(await errorOf(response)).toMatchObject({ status: 401, code: "unauthorized" });
    }
  });

  it("creates, reads, patches and deletes a site", async () => {
    const created = await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: blog });
    expect(created.status).toBe(201);
    const site = (await created.json()) as { id: string; websockets: boolean };
    expect(site.websockets).toBe(true);

    const patched = await call(siteRoute.PATCH, "PATCH", `/api/v1/sites/${site.id}`, { body: { enabled: false } }, { id: site.id });
    expect(((await patched.json()) as { enabled: boolean }).enabled).toBe(false);

    const list = (await (await call(sitesRoute.GET, "GET", "/api/v1/sites")).json()) as unknown[];
    expect(list).toHaveLength(1);

    expect((await call(siteRoute.DELETE, "DELETE", `/api/v1/sites/${site.id}`, {}, { id: site.id })).status).toBe(204);
    const gone = await call(siteRoute.GET, "GET", `/api/v1/sites/${site.id}`, {}, { id: site.id });
    expect(await errorOf(gone)).toMatchObject({ status: 404, code: "not_found" });
  });

  it("answers malformed bodies with a specific 400 and saves nothing", async () => {
    const notJson = await call(sitesRoute.POST, "POST", "/api/v1/sites", { rawBody: "{name: 'x'" });
    expect(await errorOf(notJson)).toMatchObject({ status: 400, code: "validation_failed" });
    expect((await errorOf(await call(sitesRoute.POST, "POST", "/api/v1/sites", { rawBody: "" }))).message).toContain("empty");

    const bad = await call(sitesRoute.POST, "POST", "/api/v1/sites", {
      body: { name: "x", hostnames: ["ok.example.com", "http://bad"], upstreams: "not a list" },
    });
    const error = await errorOf(bad);
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(error.details).sort()).toEqual(["hostnames.1", "upstreams"]);
    expect(await (await call(sitesRoute.GET, "GET", "/api/v1/sites")).json()).toEqual([]);
  });

  it("answers a hostname conflict with 409 naming the field", async () => {
    await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: blog });
    const clash = await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: { ...blog, name: "Other" } });
    expect(await errorOf(clash)).toMatchObject({ status: 409, code: "conflict", details: { "hostnames.0": expect.stringContaining("Blog") } });
  });

  it("generates a self-signed certificate, never returns its key, and refuses to delete it while used", async () => {
    const created = await call(certificatesRoute.POST, "POST", "/api/v1/certificates", {
      body: { type: "self-signed", domains: ["blog.example.com"] },
    });
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toMatch(/PRIVATE KEY|privateKey/);
    const certificate = JSON.parse(text) as { id: string; source: string; daysLeft: number; status: string };
    expect(certificate).toMatchObject({ source: "self-signed", status: "valid" });

    const site = (await (await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: { ...blog, certificateId: certificate.id } })).json()) as {
      id: string;
    };
    const refused = await call(certificateRoute.DELETE, "DELETE", `/api/v1/certificates/${certificate.id}`, {}, { id: certificate.id });
    expect(await errorOf(refused)).toMatchObject({ status: 409, code: "conflict" });

    const fetched = (await (
      await call(certificateRoute.GET, "GET", `/api/v1/certificates/${certificate.id}`, {}, { id: certificate.id })
    ).json()) as { siteIds: string[] };
    expect(fetched.siteIds).toEqual([site.id]);
  });

  it("rejects a garbage certificate upload with the field named", async () => {
    const response = await call(certificatesRoute.POST, "POST", "/api/v1/certificates", {
      body: { type: "upload", certificatePem: "hello", privateKeyPem: "world" },
    });
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(error.details).toHaveProperty("certificatePem");
    const unknownType = await call(certificatesRoute.POST, "POST", "/api/v1/certificates", { body: { type: "magic" } });
    expect((await errorOf(unknownType)).details).toHaveProperty("type");
  });

  it("reports the config and applied revisions in status", async () => {
    await call(sitesRoute.POST, "POST", "/api/v1/sites", { body: blog });
    const status = (await (await call(statusRoute.GET, "GET", "/api/v1/status")).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ configRevision: 1, appliedRevision: null, proxy: { up: false } });
  });

  it("lists and revokes tokens; a revoked token stops working", async () => {
    const list = (await (await call(tokensRoute.GET, "GET", "/api/v1/tokens")).json()) as { id: string; name: string }[];
    expect(list.map((t) => t.name)).toEqual(["tests"]);
    expect(JSON.stringify(list)).not.toContain(token);
    expect((await call(tokenRoute.DELETE, "DELETE", `/api/v1/tokens/${list[0]!.id}`, {}, { id: list[0]!.id })).status).toBe(204);
    expect((await call(sitesRoute.GET, "GET", "/api/v1/sites")).status).toBe(401);
  });

  it("refuses a token request with a wrong password", async () => {
    const response = await call(tokensRoute.POST, "POST", "/api/v1/tokens", {
      body: { email: "admin@example.com", password: "nope", name: "x" },
      auth: false,
    });
    expect(await errorOf(response)).toMatchObject({ status: 401, message: "Wrong email or password" });
  });

  it("refuses cross-site mutations made with a session cookie", async () => {
    const user = await createFirstAdmin("unused@example.com", "long enough pw").catch(() => null);
    expect(user).toBeNull(); // only one admin can exist
    const admin = await import("@/lib/db").then(({ db }) => db().user.findFirstOrThrow());
    const session = await createSession(admin.id);
    const cookie = `${SESSION_COOKIE}=${session.token}`;
    const crossSite = await call(sitesRoute.POST, "POST", "/api/v1/sites", {
      body: blog,
      auth: false,
      headers: { cookie, origin: "https://evil.example", host: "dashboard.local" },
    });
    expect(await errorOf(crossSite)).toMatchObject({ status: 403, code: "forbidden" });
    const sameSite = await call(sitesRoute.POST, "POST", "/api/v1/sites", {
      body: blog,
      auth: false,
      headers: { cookie, origin: "http://dashboard.local", host: "dashboard.local" },
    });
    expect(sameSite.status).toBe(201);
  });
});

describe("REST API v1: load balancing and health checks", () => {
  interface HealthCheck {
    enabled: boolean;
    path: string;
    intervalSeconds: number;
    timeoutSeconds: number;
    expectedStatus: string;
    healthyThreshold: number;
    unhealthyThreshold: number;
  }
  interface SiteJson {
    id: string;
    loadBalancing: { policy: string };
    healthCheck: HealthCheck;
    upstreams: {
      id: string;
      url: string;
      weight: number;
      health: { state: string; checkedAt: string | null; latencyMs: number | null; message: string | null };
    }[];
  }

  const pool = {
    name: "Shop",
    hostnames: ["shop.example.com"],
    upstreams: [{ url: "http://10.0.0.5:8080", weight: 3 }, { url: "http://10.0.0.6:8080" }],
    loadBalancing: { policy: "weighted" },
    healthCheck: {
      enabled: true,
      path: "/healthz",
      intervalSeconds: 15,
      timeoutSeconds: 4,
      expectedStatus: "200",
      healthyThreshold: 1,
      unhealthyThreshold: 5,
    },
  };

  const create = async (body: unknown) => {
    const response = await call(sitesRoute.POST, "POST", "/api/v1/sites", { body });
    expect(response.status).toBe(201);
    return (await response.json()) as SiteJson;
  };
  const patch = (id: string, body: unknown) => call(siteRoute.PATCH, "PATCH", `/api/v1/sites/${id}`, { body }, { id });

  it("creates a site with a policy, weights and a health check, and reads them back", async () => {
    const site = await create(pool);
    expect(site.loadBalancing).toEqual({ policy: "weighted" });
    expect(site.healthCheck).toEqual(pool.healthCheck);
    expect(site.upstreams.map(({ url, weight }) => ({ url, weight }))).toEqual([
      { url: "http://10.0.0.5:8080", weight: 3 },
      { url: "http://10.0.0.6:8080", weight: 1 },
    ]);
    const fetched = (await (await call(siteRoute.GET, "GET", `/api/v1/sites/${site.id}`, {}, { id: site.id })).json()) as SiteJson;
    expect(fetched.loadBalancing).toEqual(site.loadBalancing);
    expect(fetched.healthCheck).toEqual(site.healthCheck);
  });

  it("gives a site without them round robin and health checks that just work", async () => {
    const site = await create(blog);
    expect(site.loadBalancing).toEqual({ policy: "round_robin" });
    expect(site.healthCheck).toEqual({
      enabled: true,
      path: "/",
      intervalSeconds: 10,
      timeoutSeconds: 5,
      expectedStatus: "200-399",
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    });
  });

  it("keeps upstream ids across PATCHes while their URLs stay", async () => {
    const site = await create(pool);
    const ids = site.upstreams.map((u) => u.id);
    const renamed = (await (await patch(site.id, { name: "Renamed", healthCheck: { path: "/status" } })).json()) as SiteJson;
    expect(renamed.upstreams.map((u) => u.id)).toEqual(ids);

    const response = await patch(site.id, { upstreams: [{ url: "http://10.0.0.6:8080", weight: 2 }, { url: "http://10.0.0.7:8080" }] });
    expect(response.status).toBe(200);
    const edited = (await response.json()) as SiteJson;
    expect(edited.upstreams[0]).toMatchObject({ id: ids[1], url: "http://10.0.0.6:8080", weight: 2 });
    expect(ids).not.toContain(edited.upstreams[1]!.id);
    const fetched = (await (await call(siteRoute.GET, "GET", `/api/v1/sites/${site.id}`, {}, { id: site.id })).json()) as SiteJson;
    expect(fetched.upstreams.map((u) => u.id)).toEqual(edited.upstreams.map((u) => u.id));
  });

  it("changes only the health check keys a PATCH sends", async () => {
    const site = await create(pool);
    const response = await patch(site.id, { healthCheck: { path: "/status" } });
    expect(response.status).toBe(200);
    const patched = (await response.json()) as SiteJson;
    expect(patched.healthCheck).toEqual({ ...pool.healthCheck, path: "/status" });
    expect(patched.loadBalancing).toEqual({ policy: "weighted" });
    expect(patched.upstreams.map((upstream) => upstream.weight)).toEqual([3, 1]);

    const policy = (await (await patch(site.id, { loadBalancing: { policy: "failover" } })).json()) as SiteJson;
    expect(policy.loadBalancing).toEqual({ policy: "failover" });
    expect(policy.healthCheck).toEqual({ ...pool.healthCheck, path: "/status" });
  });

  it("refuses bad health check and balancing values with 400 naming each field, and saves nothing", async () => {
    const bad = await errorOf(
      await call(sitesRoute.POST, "POST", "/api/v1/sites", {
        body: {
          ...pool,
          upstreams: [{ url: "http://10.0.0.5:8080" }, { url: "http://10.0.0.6:8080" }, { url: "http://10.0.0.7:8080", weight: 0 }],
          loadBalancing: { policy: "random" },
          healthCheck: { ...pool.healthCheck, path: "health", intervalSeconds: 7200, expectedStatus: "399-200", unhealthyThreshold: 50 },
        },
      }),
    );
    expect(bad).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(bad.details).sort()).toEqual(
      [
        "healthCheck.expectedStatus",
        "healthCheck.intervalSeconds",
        "healthCheck.path",
        "healthCheck.unhealthyThreshold",
        "loadBalancing.policy",
        "upstreams.2.weight",
      ].sort(),
    );
    expect(await (await call(sitesRoute.GET, "GET", "/api/v1/sites")).json()).toEqual([]);

    const site = await create(pool);
    const longTimeout = await errorOf(await patch(site.id, { healthCheck: { timeoutSeconds: 30 } }));
    expect(longTimeout).toMatchObject({ status: 400, details: { "healthCheck.timeoutSeconds": expect.stringMatching(/interval/) } });
    const unknownKey = await errorOf(await patch(site.id, { healthCheck: { port: 8081 } }));
    expect(unknownKey.status).toBe(400);
    const notANumber = await errorOf(await patch(site.id, { healthCheck: { intervalSeconds: "10" } }));
    expect(notANumber).toMatchObject({ status: 400, details: { "healthCheck.intervalSeconds": expect.any(String) } });

    const after = (await (await call(siteRoute.GET, "GET", `/api/v1/sites/${site.id}`, {}, { id: site.id })).json()) as SiteJson;
    expect(after.healthCheck).toEqual(pool.healthCheck);
  });

  it("refuses an expected status that is no status code with 400", async () => {
    const site = await create(pool);
    for (const expectedStatus of ["ok", "2xx", "200-"]) {
      const error = await errorOf(await patch(site.id, { healthCheck: { expectedStatus } }));
      expect(error).toMatchObject({ status: 400, details: { "healthCheck.expectedStatus": expect.stringContaining("200-399") } });
    }
  });

  it("reports every upstream's health as unknown until the proxy has checked it", async () => {
    const site = await create(pool);
    for (const upstream of site.upstreams) {
      expect(upstream.health).toEqual({ state: "unknown", checkedAt: null, latencyMs: null, message: null });
    }
    const listed = (await (await call(sitesRoute.GET, "GET", "/api/v1/sites")).json()) as SiteJson[];
    expect(listed[0]?.upstreams.map((upstream) => upstream.health.state)).toEqual(["unknown", "unknown"]);
  });

  it("reports the health the proxy recorded for each site's own upstream", async () => {
    const site = await create(pool);
    const other = await create({ ...pool, name: "Other", hostnames: ["other.example.com"] });
    const checkedAt = new Date();
    await recordHealth(site.upstreams[0]!.id, { state: "up", checkedAt, latencyMs: 12, message: null });
    await recordHealth(site.upstreams[1]!.id, { state: "down", checkedAt, latencyMs: null, message: "Connection refused" });
    await recordHealth(other.upstreams[0]!.id, { state: "down", checkedAt, latencyMs: null, message: "Answered HTTP 404 (expected 200)" });
    const fetched = (await (await call(siteRoute.GET, "GET", `/api/v1/sites/${site.id}`, {}, { id: site.id })).json()) as SiteJson;
    expect(fetched.upstreams.map((upstream) => upstream.health)).toEqual([
      { state: "up", checkedAt: checkedAt.toISOString(), latencyMs: 12, message: null },
      { state: "down", checkedAt: checkedAt.toISOString(), latencyMs: null, message: "Connection refused" },
    ]);
  });
});

describe("REST API v1: Let's Encrypt and settings", () => {
  const factory = new TestCertificateFactory();
  afterAll(() => factory.cleanup());

  interface Cert {
    id: string;
    source: string;
    status: string;
    progress: unknown[];
    ordering: boolean;
    domains: string[];
    issuer: string;
  }

  const order = (body: Record<string, unknown>) => call(certificatesRoute.POST, "POST", "/api/v1/certificates", { body: { type: "acme", ...body } });

  it("starts an ACME order with 202 and a pending certificate without progress yet", async () => {
    const response = await order({ domains: ["shop.example.com", "www.shop.example.com"], email: "ops@example.com" });
    expect(response.status).toBe(202);
    const certificate = (await response.json()) as Cert;
    expect(certificate).toMatchObject({
      source: "acme",
      status: "pending",
      progress: [],
      ordering: true,
      issuer: "",
      domains: ["shop.example.com", "www.shop.example.com"],
    });
    expect(JSON.stringify(certificate)).not.toMatch(/PRIVATE KEY|privateKey/);

    const listed = (await (await call(certificatesRoute.GET, "GET", "/api/v1/certificates")).json()) as Cert[];
    expect(listed.map((c) => [c.id, c.status])).toEqual([[certificate.id, "pending"]]);
  });

  it("still answers 201 for uploads and self-signed certificates", async () => {
    const good = factory.selfSigned(["upload.example.com"]);
    const uploaded = await call(certificatesRoute.POST, "POST", "/api/v1/certificates", {
      body: { type: "upload", certificatePem: good.certificatePem, privateKeyPem: good.privateKeyPem },
    });
    expect(uploaded.status).toBe(201);
    const generated = await call(certificatesRoute.POST, "POST", "/api/v1/certificates", {
      body: { type: "self-signed", domains: ["generated.example.com"] },
    });
    expect(generated.status).toBe(201);
  });

  it("asks for an email when none is sent and none is in settings, and saves nothing", async () => {
    const response = await order({ domains: ["shop.example.com"] });
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(error.details.email).toMatch(/email/i);
    expect(await (await call(certificatesRoute.GET, "GET", "/api/v1/certificates")).json()).toEqual([]);
  });

  it("uses the email from settings when the request has none", async () => {
    await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { acmeEmail: "ops@example.com" } });
    const response = await order({ domains: ["shop.example.com"] });
    expect(response.status).toBe(202);
  });

  it("refuses wildcard names, bad emails and unknown sites with the field named", async () => {
    const wildcard = await errorOf(await order({ domains: ["shop.example.com", "*.example.com"], email: "ops@example.com" }));
    expect(wildcard).toMatchObject({ status: 400, code: "validation_failed" });
    expect(wildcard.details["domains.1"]).toMatch(/wildcard/i);

    const badEmail = await errorOf(await order({ domains: ["shop.example.com"], email: "not an email" }));
    expect(badEmail).toMatchObject({ status: 400, details: { email: expect.any(String) } });

    const noSite = await errorOf(await order({ domains: ["shop.example.com"], email: "ops@example.com", siteId: "nope" }));
    expect(noSite).toMatchObject({ status: 400, details: { siteId: expect.any(String) } });

    expect(await (await call(certificatesRoute.GET, "GET", "/api/v1/certificates")).json()).toEqual([]);
  });

  it("renews ACME certificates with 202 and refuses others with 409", async () => {
    const good = factory.selfSigned(["upload.example.com"]);
    const upload = (await (
      await call(certificatesRoute.POST, "POST", "/api/v1/certificates", {
        body: { type: "upload", certificatePem: good.certificatePem, privateKeyPem: good.privateKeyPem },
      })
    ).json()) as Cert;
    const refused = await call(renewRoute.POST, "POST", `/api/v1/certificates/${upload.id}/renew`, {}, { id: upload.id });
    expect(await errorOf(refused)).toMatchObject({ status: 409, code: "conflict" });

    const acme = (await (await order({ domains: ["shop.example.com"], email: "ops@example.com" })).json()) as Cert;
    const renewed = await call(renewRoute.POST, "POST", `/api/v1/certificates/${acme.id}/renew`, {}, { id: acme.id });
    expect(renewed.status).toBe(202);
    expect((await renewed.json()) as Cert).toMatchObject({ id: acme.id, source: "acme", ordering: true });

    const missing = await call(renewRoute.POST, "POST", "/api/v1/certificates/nope/renew", {}, { id: "nope" });
    expect(await errorOf(missing)).toMatchObject({ status: 404, code: "not_found" });
  });

  it("reads and changes settings, and refuses bad values without saving any", async () => {
    const initial = await call(settingsRoute.GET, "GET", "/api/v1/settings");
    expect(await initial.json()).toEqual({
      acmeEmail: "",
      acmeStaging: false,
      webhookUrl: "",
      trustedProxies: [],
      unknownHost: { action: "not_found" },
      oidc: DEFAULT_OIDC,
      warnings: {},
    });

    const patched = await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", {
      body: { acmeEmail: "Ops@Example.com", acmeStaging: true },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({
      acmeEmail: "ops@example.com",
      acmeStaging: true,
      webhookUrl: "",
      trustedProxies: [],
      unknownHost: { action: "not_found" },
      oidc: DEFAULT_OIDC,
      warnings: {},
    });

    const bad = await errorOf(
      await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", {
        body: { acmeEmail: "nope", webhookUrl: "ftp://hooks.example.com", acmeStaging: false },
      }),
    );
    expect(bad).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(bad.details).sort()).toEqual(["acmeEmail", "webhookUrl"]);

    const unknown = await errorOf(await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { colour: "blue" } }));
    expect(unknown).toMatchObject({ status: 400, code: "validation_failed" });

    const after = await call(settingsRoute.GET, "GET", "/api/v1/settings");
    expect(await after.json()).toEqual({
      acmeEmail: "ops@example.com",
      acmeStaging: true,
      webhookUrl: "",
      trustedProxies: [],
      unknownHost: { action: "not_found" },
      oidc: DEFAULT_OIDC,
      warnings: {},
    });

    // Single sign-on: the client secret goes in, and never comes out.
    const sso = await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", {
      body: { oidc: { enabled: true, issuer: "https://idp.example.com", clientId: "gk", clientSecret: "top secret", newUsersRole: "viewer" } },
    });
    expect(sso.status).toBe(200);
    const ssoBody = await sso.text();
    expect(ssoBody).not.toContain("top secret");
    expect(JSON.parse(ssoBody).oidc).toEqual({
      enabled: true,
      issuer: "https://idp.example.com",
      clientId: "gk",
      displayName: "SSO",
      newUsersRole: "viewer",
      hasClientSecret: true,
    });
    const badSso = await errorOf(
      await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { oidc: { issuer: "idp.example.com", clientId: "" } } }),
    );
    expect(badSso).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(badSso.details).sort()).toEqual(["oidc.issuer"]);
    const notEnabled = await errorOf(await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { oidc: { clientId: "" } } }));
    expect(notEnabled.details).toEqual({ "oidc.clientId": "Enter the client ID to turn on single sign-on" });
    expect((await (await call(settingsRoute.GET, "GET", "/api/v1/settings")).json()).oidc.clientId).toBe("gk");

    const hooked = await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { webhookUrl: "https://hooks.example.com/x" } });
    expect(((await hooked.json()) as { webhookUrl: string }).webhookUrl).toBe("https://hooks.example.com/x");
  });

  it("requires a token for settings and renewals", async () => {
    expect((await call(settingsRoute.GET, "GET", "/api/v1/settings", { auth: false })).status).toBe(401);
    expect((await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { auth: false, body: { acmeStaging: true } })).status).toBe(401);
    expect((await call(renewRoute.POST, "POST", "/api/v1/certificates/x/renew", { auth: false }, { id: "x" })).status).toBe(401);
  });
});

describe("REST API v1: site security settings", () => {
  interface SecuritySite {
    id: string;
    accessListId: string | null;
    rateLimit: { requestsPerSecond: number; burst: number; maxConnectionsPerIp?: number } | null;
    blockExploits: boolean;
    securityHeaders: Record<string, unknown> | null;
    customHeaders: Record<string, unknown[]>;
    tlsPolicy: string;
  }

  const create = async (body: Record<string, unknown>) => call(sitesRoute.POST, "POST", "/api/v1/sites", { body: { ...blog, ...body } });
  const patch = (id: string, body: unknown) => call(siteRoute.PATCH, "PATCH", `/api/v1/sites/${id}`, { body }, { id });

  it("gives a new site exploit blocking and security headers, and returns every security field", async () => {
    const response = await create({});
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      accessListId: null,
      rateLimit: null,
      blockExploits: true,
      securityHeaders: {
        hsts: { maxAge: 31536000, includeSubDomains: false },
        frameOptions: "SAMEORIGIN",
        contentTypeOptions: true,
        referrerPolicy: "strict-origin-when-cross-origin",
        permissionsPolicy: "",
        contentSecurityPolicy: "",
      },
      customHeaders: { requestSet: [], requestRemove: [], responseSet: [], responseRemove: [] },
      tlsPolicy: "intermediate",
    });
  });

  interface FieldCase {
    field: keyof Omit<SecuritySite, "id">;
    sent: () => Promise<unknown>;
    /** What comes back, when it is not what was sent (defaults filled in, names normalized). */
    expected?: unknown;
  }

  const cases: FieldCase[] = [
    { field: "accessListId", sent: async () => (await db().accessList.create({ data: { name: "Office" } })).id },
    { field: "rateLimit", sent: async () => ({ requestsPerSecond: 3, burst: 6, maxConnectionsPerIp: 2 }) },
    { field: "blockExploits", sent: async () => false },
    {
      field: "securityHeaders",
      sent: async () => ({ frameOptions: "DENY", contentSecurityPolicy: "default-src 'self'" }),
      expected: expect.objectContaining({ frameOptions: "DENY", contentSecurityPolicy: "default-src 'self'", contentTypeOptions: true }),
    },
    {
      field: "customHeaders",
      sent: async () => ({ responseSet: [{ name: "X-Served-By", value: "edge" }] }),
      expected: expect.objectContaining({ responseSet: [{ name: "x-served-by", value: "edge" }], requestSet: [] }),
    },
    { field: "tlsPolicy", sent: async () => "modern" },
  ];

  it.each(cases)("creates a site with $field and reads it back", async ({ field, sent, expected }) => {
    const value = await sent();
    const response = await create({ [field]: value });
    expect(response.status).toBe(201);
    const site = (await response.json()) as SecuritySite;
    expect(site[field]).toEqual(expected ?? value);
    const read = (await (await call(siteRoute.GET, "GET", `/api/v1/sites/${site.id}`, {}, { id: site.id })).json()) as SecuritySite;
    expect(read[field]).toEqual(expected ?? value);
  });

  it("changes only what a PATCH sends, and switches rate limiting and headers off with null", async () => {
    const site = (await (await create({ rateLimit: { requestsPerSecond: 10, burst: 20 }, tlsPolicy: "modern" })).json()) as SecuritySite;
    const revision = await currentRevision();
    const patched = (await (await patch(site.id, { securityHeaders: { frameOptions: "DENY" }, rateLimit: { burst: 50 } })).json()) as SecuritySite;
    expect(patched.securityHeaders).toEqual({ ...site.securityHeaders, frameOptions: "DENY" });
    expect(patched.rateLimit).toEqual({ requestsPerSecond: 10, burst: 50 });
    expect(patched).toMatchObject({ tlsPolicy: "modern", blockExploits: true, accessListId: null });
    expect(await currentRevision()).toBe(revision + 1);

    const off = (await (await patch(site.id, { rateLimit: null, securityHeaders: null })).json()) as SecuritySite;
    expect(off).toMatchObject({ rateLimit: null, securityHeaders: null, tlsPolicy: "modern" });
  });

  it("refuses bad values with 400 naming each field path, and saves nothing", async () => {
    const site = (await (await create({})).json()) as SecuritySite;
    const bad = await errorOf(
      await patch(site.id, {
        rateLimit: { requestsPerSecond: 10, burst: 0 },
        securityHeaders: { frameOptions: "ALLOW-FROM x" },
        customHeaders: { responseSet: [{ name: "Bad Header", value: "x" }] },
        tlsPolicy: "ssl3",
      }),
    );
    expect(bad).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(bad.details).sort()).toEqual([
      "customHeaders.responseSet.0.name",
      "rateLimit.burst",
      "securityHeaders.frameOptions",
      "tlsPolicy",
    ]);

    const created = await errorOf(
      await create({ name: "Other", hostnames: ["other.example.com"], securityHeaders: { referrerPolicy: "sometimes" } }),
    );
    expect(Object.keys(created.details)).toEqual(["securityHeaders.referrerPolicy"]);

    const unknownList = await errorOf(await patch(site.id, { accessListId: "nope" }));
    expect(unknownList).toMatchObject({ status: 400, code: "validation_failed", details: { accessListId: "There is no access list with this id" } });

    const unknownKey = await errorOf(await patch(site.id, { rateLimit: { requestsPerMinute: 5 } }));
    expect(unknownKey).toMatchObject({ status: 400, code: "validation_failed" });

    const read = await call(siteRoute.GET, "GET", `/api/v1/sites/${site.id}`, {}, { id: site.id });
    expect(await read.json()).toEqual(site);
  });

  it("reads and changes the trusted proxies, naming a bad entry by its position", async () => {
    const revision = await currentRevision();
    const saved = await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { trustedProxies: ["173.245.48.0/20", "2400:cb00::/32"] } });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { trustedProxies: string[] }).trustedProxies).toEqual(["173.245.48.0/20", "2400:cb00::/32"]);
    expect(await currentRevision()).toBe(revision + 1);

    const bad = await errorOf(
      await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { trustedProxies: ["10.0.0.0/8", "10.0.0.300"] } }),
    );
    expect(bad).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(bad.details)).toEqual(["trustedProxies.1"]);
    expect(bad.details["trustedProxies.1"]).toContain("10.0.0.300");

    const notAList = await errorOf(await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { trustedProxies: "10.0.0.0/8" } }));
    expect(Object.keys(notAList.details)).toEqual(["trustedProxies"]);

    const read = (await (await call(settingsRoute.GET, "GET", "/api/v1/settings")).json()) as { trustedProxies: string[] };
    expect(read.trustedProxies).toEqual(["173.245.48.0/20", "2400:cb00::/32"]);
  });

  it("changes what unknown hostnames get, naming the bad field and keeping what was saved", async () => {
    const revision = await currentRevision();
    const saved = await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { unknownHost: { action: "drop" } } });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { unknownHost: unknown }).unknownHost).toEqual({ action: "drop" });
    expect(await currentRevision()).toBe(revision + 1);

    for (const [unknownHost, field] of [
      [{ action: "redirect" }, "unknownHost.redirectTo"],
      [{ action: "redirect", redirectTo: "javascript:alert(1)" }, "unknownHost.redirectTo"],
      [{ action: "not_found", page: "x".repeat(64 * 1024 + 1) }, "unknownHost.page"],
      [{ action: "not_found", colour: "blue" }, "unknownHost.colour"],
    ] as const) {
      const bad = await errorOf(await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { unknownHost } }));
      expect(bad).toMatchObject({ status: 400, code: "validation_failed" });
      expect(Object.keys(bad.details)).toEqual([field]);
    }
    const read = (await (await call(settingsRoute.GET, "GET", "/api/v1/settings")).json()) as { unknownHost: unknown };
    expect(read.unknownHost).toEqual({ action: "drop" });
    expect(await currentRevision()).toBe(revision + 1);
    await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { unknownHost: { action: "not_found" } } });
  });

  it("saves trusted proxies that trust everyone, with a warning in the answer naming each entry", async () => {
    const saved = await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { trustedProxies: ["10.0.0.0/8", "0.0.0.0/0", "::/0"] } });
    expect(saved.status).toBe(200);
    const body = (await saved.json()) as { trustedProxies: string[]; warnings: Record<string, string> };
    expect(body.trustedProxies).toEqual(["10.0.0.0/8", "0.0.0.0/0", "::/0"]);
    expect(Object.keys(body.warnings)).toEqual(["trustedProxies.1", "trustedProxies.2"]);
    expect(body.warnings["trustedProxies.1"]).toMatch(/0\.0\.0\.0\/0 trusts every address/);
    const read = (await (await call(settingsRoute.GET, "GET", "/api/v1/settings")).json()) as { warnings: Record<string, string> };
    expect(read.warnings).toEqual(body.warnings);
    const narrowed = (await (await call(settingsRoute.PATCH, "PATCH", "/api/v1/settings", { body: { trustedProxies: ["10.0.0.0/8"] } })).json()) as {
      warnings: object;
    };
    expect(narrowed.warnings).toEqual({});
  });
});
