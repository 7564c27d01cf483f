import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminApiToken, apiError, callRoute } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import * as sitesRoute from "../sites/route";
import * as restoreRoute from "../restore/route";
import * as backupRoute from "./route";
import * as scheduleRoute from "./schedule/route";

/** Backup and restore through the REST API, as a script would use them. */
let cleanup: () => Promise<void>;
let token: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
});
afterEach(() => cleanup());

const PASSPHRASE = "a long enough passphrase";

function restore(fields: Record<string, string | Blob>, authorization = `Bearer ${token}`) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const request = new NextRequest("http://dashboard.local/api/v1/restore", { method: "POST", body: form, headers: { authorization } });
  return restoreRoute.POST(request, { params: Promise.resolve({}) });
}

const siteNames = async () =>
  ((await (await callRoute(sitesRoute.GET, "GET", "/api/v1/sites", { token })).json()) as { name: string }[]).map((site) => site.name);

describe("POST /api/v1/backup and /api/v1/restore", () => {
  it("downloads a backup, previews it, and restores it", async () => {
    await callRoute(sitesRoute.POST, "POST", "/api/v1/sites", {
      token,
      body: { name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] },
    });
    const response = await callRoute(backupRoute.POST, "POST", "/api/v1/backup", { token, body: { passphrase: PASSPHRASE } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="gatekeeper-.*\.gkbackup"$/);
    const file = new Blob([await response.arrayBuffer()]);

    const [blog] = (await (await callRoute(sitesRoute.GET, "GET", "/api/v1/sites", { token })).json()) as { id: string }[];
    const { DELETE } = await import("../sites/[id]/route");
    await callRoute(DELETE, "DELETE", `/api/v1/sites/${blog!.id}`, { token }, { id: blog!.id });
    expect(await siteNames()).toEqual([]);

    const preview = await restore({ file, passphrase: PASSPHRASE, dryRun: "true" });
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      applied: false,
      changes: { sites: { added: [{ id: blog!.id, name: "Blog" }], changed: [], removed: [] } },
    });
    expect(await siteNames()).toEqual([]);

    const applied = await restore({ file, passphrase: PASSPHRASE, dryRun: "false" });
    expect(await applied.json()).toMatchObject({ applied: true });
    expect(await siteNames()).toEqual(["Blog"]);
  });

  it("refuses bad input with 400 naming the field, and without a token 401", async () => {
    expect(await apiError(await callRoute(backupRoute.POST, "POST", "/api/v1/backup", { token, body: {} }))).toMatchObject({
      status: 400,
      details: { passphrase: expect.stringMatching(/at least 10 characters/) },
    });
    expect(await apiError(await callRoute(backupRoute.POST, "POST", "/api/v1/backup", { token, body: [] }))).toMatchObject({ status: 400 });
    expect(await apiError(await callRoute(backupRoute.POST, "POST", "/api/v1/backup", { body: { passphrase: PASSPHRASE } }))).toMatchObject({
      status: 401,
    });
    expect(await apiError(await restore({ passphrase: PASSPHRASE }))).toMatchObject({ status: 400, details: { file: "Attach the backup file" } });
    expect(await apiError(await restore({ file: new Blob(["not a backup"]), passphrase: PASSPHRASE }))).toMatchObject({
      status: 400,
      details: { file: "This file is not a Gatekeeper backup" },
    });
    expect(await apiError(await restore({ file: new Blob(["x"]), passphrase: PASSPHRASE, dryRun: "maybe" }))).toMatchObject({
      status: 400,
      details: { dryRun: expect.any(String) },
    });
    const json = await callRoute(restoreRoute.POST, "POST", "/api/v1/restore", { token, body: { passphrase: PASSPHRASE } });
    expect(await apiError(json)).toMatchObject({ status: 400, message: expect.stringMatching(/multipart\/form-data/) });
  });

  it("GET and PATCH /api/v1/backup/schedule: a passphrase is needed to turn it on, and never returned", async () => {
    const patch = (body: unknown) => callRoute(scheduleRoute.PATCH, "PATCH", "/api/v1/backup/schedule", { token, body });
    expect(await apiError(await patch({ enabled: true }))).toMatchObject({ status: 400, details: { passphrase: expect.any(String) } });
    expect(await apiError(await patch({ enabled: "yes", extra: 1 }))).toMatchObject({
      status: 400,
      details: { enabled: "Choose on or off", extra: expect.stringMatching(/Unknown field/) },
    });
    const saved = await patch({ enabled: true, keep: 3, passphrase: PASSPHRASE });
    expect(saved.status).toBe(200);
    const text = await (await callRoute(scheduleRoute.GET, "GET", "/api/v1/backup/schedule", { token })).text();
    expect(JSON.parse(text)).toMatchObject({ enabled: true, everyHours: 24, keep: 3, hasPassphrase: true, files: [] });
    expect(text).not.toContain(PASSPHRASE);
  });
});
