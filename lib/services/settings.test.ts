import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { AppError } from "../errors";
import { DEFAULT_OIDC } from "../schemas/oidc";
import { db } from "../db";
import { createMetricsToken, disableMetrics, getAppSettings, getMetricsSettings, readOidcWithSecret, updateAppSettings } from "./settings";
import { metricsAccess } from "../metrics/metrics-access";
import { currentRevision } from "./revision";
import { undoAuditChange } from "./audit";
import { loadSnapshot } from "../config/load-snapshot";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

it("starts empty and saves only what is sent", async () => {
  expect(await getAppSettings()).toEqual({
    acmeEmail: "",
    acmeStaging: false,
    webhookUrl: "",
    trustedProxies: [],
    unknownHost: { action: "not_found" },
    oidc: DEFAULT_OIDC,
  });
  await updateAppSettings({ acmeEmail: "Ops@Example.com" });
  expect(await updateAppSettings({ acmeStaging: true })).toEqual({
    acmeEmail: "ops@example.com",
    acmeStaging: true,
    webhookUrl: "",
    trustedProxies: [],
    unknownHost: { action: "not_found" },
    oidc: DEFAULT_OIDC,
  });
  // None of these is served by the proxy: the config revision stays.
  expect(await currentRevision()).toBe(0);
});

it("rejects bad values field by field and keeps what was saved", async () => {
  await updateAppSettings({ webhookUrl: "https://hooks.example.com/x" });
  const error = await updateAppSettings({ acmeEmail: "nope", webhookUrl: "ftp://x" }).catch((e: unknown) => e as AppError);
  expect(error).toBeInstanceOf(AppError);
  expect(Object.keys((error as AppError).details).sort()).toEqual(["acmeEmail", "webhookUrl"]);
  expect((await getAppSettings()).webhookUrl).toBe("https://hooks.example.com/x");
  await updateAppSettings({ webhookUrl: "" });
  expect((await getAppSettings()).webhookUrl).toBe("");
});

it("Prometheus metrics: off by default, on with a token, a new token retires the old one, off again", async () => {
  expect(await getMetricsSettings()).toEqual({ enabled: false, tokenCreatedAt: null });
  expect(await metricsAccess("Bearer anything")).toBe("disabled");

  const first = await createMetricsToken();
  expect(first.token).toMatch(/^gkm_/);
  expect(await getMetricsSettings()).toEqual({ enabled: true, tokenCreatedAt: first.tokenCreatedAt });
  const stored = await db().setting.findUniqueOrThrow({ where: { key: "metrics.tokenHash" } });
  expect(stored.value).not.toContain(first.token.slice(4));
  expect(await metricsAccess(`Bearer ${first.token}`)).toBe("granted");
  expect(await metricsAccess(`bearer   ${first.token}`)).toBe("granted");
  expect(await metricsAccess(null)).toBe("denied");
  expect(await metricsAccess(first.token)).toBe("denied");
  expect(await metricsAccess(`Bearer ${first.token}x`)).toBe("denied");

  const second = await createMetricsToken();
  expect(second.token).not.toBe(first.token);
  expect(await metricsAccess(`Bearer ${first.token}`)).toBe("denied");
  expect(await metricsAccess(`Bearer ${second.token}`)).toBe("granted");

  await disableMetrics();
  expect(await getMetricsSettings()).toEqual({ enabled: false, tokenCreatedAt: null });
  expect(await metricsAccess(`Bearer ${second.token}`)).toBe("disabled");
  // Disabling touches nothing else.
  expect(await getAppSettings()).toEqual({
    acmeEmail: "",
    acmeStaging: false,
    webhookUrl: "",
    trustedProxies: [],
    unknownHost: { action: "not_found" },
    oidc: DEFAULT_OIDC,
  });
});

it("trusted proxies: saved as a list, carried into the snapshot, and each change bumps the revision and tells the proxy", async () => {
  const reloads: string[] = [];
  const control = http.createServer((request, response) => {
    reloads.push(`${request.method} ${request.url}`);
    response.end();
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  process.env.PROXY_CONTROL_PORT = String((control.address() as AddressInfo).port);
  try {
    const saved = await updateAppSettings({ trustedProxies: [" 203.0.113.0/24 ", "2001:db8::/32", "192.0.2.7"] });
    expect(saved.trustedProxies).toEqual(["203.0.113.0/24", "2001:db8::/32", "192.0.2.7"]);
    expect(await currentRevision()).toBe(1);
    const { snapshot } = await loadSnapshot();
    expect(snapshot).toMatchObject({ revision: 1, trustedProxies: ["203.0.113.0/24", "2001:db8::/32", "192.0.2.7"] });
    await expect.poll(() => reloads).toEqual(["POST /reload"]);

    expect((await updateAppSettings({ trustedProxies: [] })).trustedProxies).toEqual([]);
    expect(await currentRevision()).toBe(2);
    expect((await loadSnapshot()).snapshot.trustedProxies).toEqual([]);
  } finally {
    await new Promise((resolve) => control.close(resolve));
  }
});

it("trusted proxies: a bad entry is named by its position and nothing is saved", async () => {
  await updateAppSettings({ trustedProxies: ["10.0.0.0/8"] });
  const error = await updateAppSettings({ trustedProxies: ["10.0.0.1", "10.0.0.0/33", "proxy.example.com"], acmeEmail: "ops@example.com" }).catch(
    (e: unknown) => e as AppError,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).details).toEqual({
    "trustedProxies.1": "“10.0.0.0/33” is not an IP address or a range like 10.0.0.0/8 or 2001:db8::/32",
    "trustedProxies.2": "“proxy.example.com” is not an IP address or a range like 10.0.0.0/8 or 2001:db8::/32",
  });
  expect(await getAppSettings()).toMatchObject({ acmeEmail: "", trustedProxies: ["10.0.0.0/8"] });
  expect(await currentRevision()).toBe(1);
});

it("trusted proxies: a stored list that no longer parses trusts nobody", async () => {
  await db().setting.create({ data: { key: "proxy.trustedProxies", value: '["10.0.0.0/8", "not an address"]' } });
  expect((await getAppSettings()).trustedProxies).toEqual([]);
  expect((await loadSnapshot()).snapshot.trustedProxies).toEqual([]);
});

it("unknown hosts: saved whole, carried into the snapshot, and each change bumps the revision", async () => {
  const page = "<h1>Nothing here</h1>";
  expect((await updateAppSettings({ unknownHost: { action: "not_found", page } })).unknownHost).toEqual({ action: "not_found", page });
  expect(await currentRevision()).toBe(1);
  expect((await loadSnapshot()).snapshot.unknownHost).toEqual({ action: "not_found", page });

  // Empty form fields mean "none".
  const redirect = { action: "redirect", redirectTo: " https://www.example.com/ ", page: "" };
  expect((await updateAppSettings({ unknownHost: redirect })).unknownHost).toEqual({ action: "redirect", redirectTo: "https://www.example.com/" });
  expect(await currentRevision()).toBe(2);
  expect((await loadSnapshot()).snapshot.unknownHost).toEqual({ action: "redirect", redirectTo: "https://www.example.com/" });
});

it("unknown hosts: a redirect without an address, a non-web address or an oversized page is refused at its field, and nothing is lost", async () => {
  const saved = { action: "redirect", redirectTo: "https://www.example.com/" } as const;
  await updateAppSettings({ unknownHost: saved, acmeEmail: "ops@example.com" });
  const refused = async (unknownHost: unknown) => {
    const error = await updateAppSettings({ unknownHost, acmeEmail: "other@example.com" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details;
  };
  expect(await refused({ action: "redirect" })).toEqual({
    "unknownHost.redirectTo": "Enter the address to send visitors to, like https://www.example.com",
  });
  expect(await refused({ action: "redirect", redirectTo: "" })).toEqual({
    "unknownHost.redirectTo": "Enter the address to send visitors to, like https://www.example.com",
  });
  expect(await refused({ action: "redirect", redirectTo: "ftp://files.example.com" })).toEqual({
    "unknownHost.redirectTo": "Enter a URL that starts with http:// or https://",
  });
  expect(await refused({ action: "redirect", redirectTo: "https://www.example.com/a\r\nSet-Cookie: x=1" })).toEqual({
    "unknownHost.redirectTo": "Remove the spaces or line breaks from the address",
  });
  expect(await refused({ action: "not_found", page: "x".repeat(64 * 1024 + 1) })).toEqual({ "unknownHost.page": "Keep the page under 64 KB" });
  expect(Object.keys(await refused({ action: "close" }))).toEqual(["unknownHost.action"]);
  expect(await getAppSettings()).toMatchObject({ acmeEmail: "ops@example.com", unknownHost: saved });
  expect(await currentRevision()).toBe(1);
});

it("unknown hosts: a stored value that no longer parses answers 404, as before the setting existed", async () => {
  await db().setting.create({ data: { key: "proxy.unknownHost", value: '{"action":"redirect"}' } });
  expect((await getAppSettings()).unknownHost).toEqual({ action: "not_found" });
  expect((await loadSnapshot()).snapshot.unknownHost).toEqual({ action: "not_found" });
});

it("keeps the single sign-on client secret write-only, sealed, and kept by a change that leaves it out", async () => {
  const saved = await updateAppSettings({
    oidc: {
      enabled: true,
      issuer: "https://idp.example.com/realms/main",
      clientId: "gatekeeper",
      clientSecret: "s3cret-value",
      displayName: "Keycloak",
    },
  });
  expect(saved.oidc).toEqual({
    enabled: true,
    issuer: "https://idp.example.com/realms/main",
    clientId: "gatekeeper",
    displayName: "Keycloak",
    newUsersRole: null,
    hasClientSecret: true,
  });
  expect(JSON.stringify(saved)).not.toContain("s3cret-value");
  const rows = await db().setting.findMany();
  expect(rows.map((row) => row.value).join("\n")).not.toContain("s3cret-value");
  expect((await readOidcWithSecret()).clientSecret).toBe("s3cret-value");

  await updateAppSettings({ oidc: { newUsersRole: "viewer", displayName: "Our SSO" } });
  expect(await readOidcWithSecret()).toMatchObject({
    clientSecret: "s3cret-value",
    newUsersRole: "viewer",
    displayName: "Our SSO",
    clientId: "gatekeeper",
  });
  await updateAppSettings({ oidc: { clientSecret: null } });
  expect((await getAppSettings()).oidc.hasClientSecret).toBe(false);
  expect(JSON.stringify(await db().auditEntry.findMany())).not.toContain("s3cret-value");
});

it("names the single sign-on field that is wrong, and changes nothing", async () => {
  const refused = async (oidc: unknown) => {
    const error = await updateAppSettings({ oidc }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details;
  };
  expect(await refused({ issuer: "not a url" })).toEqual({ "oidc.issuer": "Enter the issuer URL, like https://accounts.example.com" });
  expect((await refused({ issuer: "http://idp.example.com" }))["oidc.issuer"]).toMatch(/Use https:\/\/ for the issuer/);
  expect(await refused({ enabled: true, issuer: "https://idp.example.com" })).toEqual({
    "oidc.clientId": "Enter the client ID to turn on single sign-on",
  });
  expect(await refused({ enabled: true })).toMatchObject({ "oidc.issuer": "Enter the issuer URL to turn on single sign-on" });
  expect(Object.keys(await refused({ newUsersRole: "owner" }))).toEqual(["oidc.newUsersRole"]);
  expect(Object.keys(await refused({ displayName: "" }))).toEqual(["oidc.displayName"]);
  expect(Object.keys(await refused({ secret: "x" }))).toEqual(["oidc.secret"]);
  expect((await getAppSettings()).oidc).toEqual(DEFAULT_OIDC);
  // A provider on this machine may use plain http.
  await updateAppSettings({ oidc: { issuer: "http://127.0.0.1:9000", clientId: "x", enabled: true } });
  expect((await getAppSettings()).oidc).toMatchObject({ enabled: true, issuer: "http://127.0.0.1:9000" });
});

it("undoes a single sign-on change from the history, keeping the saved secret", async () => {
  await updateAppSettings({ oidc: { enabled: true, issuer: "https://idp.example.com", clientId: "gk", clientSecret: "kept secret" } });
  await updateAppSettings({ oidc: { displayName: "Okta", newUsersRole: "operator" } });
  const last = await db().auditEntry.findFirstOrThrow({ where: { objectType: "settings" }, orderBy: { at: "desc" } });
  await undoAuditChange(last.id);
  expect(await readOidcWithSecret()).toMatchObject({ displayName: "SSO", newUsersRole: null, clientSecret: "kept secret", enabled: true });
});
