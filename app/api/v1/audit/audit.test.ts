import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminApiToken, apiError, callRoute } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import * as sitesRoute from "../sites/route";
import * as undoRoute from "./[id]/undo/route";
import * as auditRoute from "./route";

let cleanup: () => Promise<void>;
let token: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
});
afterEach(() => cleanup());

describe("GET /api/v1/audit and POST /api/v1/audit/:id/undo", () => {
  it("lists a change made through the API under its token's user, and undoes it", async () => {
    const created = await callRoute(sitesRoute.POST, "POST", "/api/v1/sites", {
      token,
      body: { name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] },
    });
    const site = (await created.json()) as { id: string };
    const history = (await (await callRoute(auditRoute.GET, "GET", `/api/v1/audit?objectType=site&objectId=${site.id}`, { token })).json()) as {
      id: string;
      actor: string;
      action: string;
    }[];
    expect(history).toMatchObject([{ actor: "admin@example.com (API)", action: "create" }]);
    const undone = await callRoute(undoRoute.POST, "POST", `/api/v1/audit/${history[0]!.id}/undo`, { token }, { id: history[0]!.id });
    expect(undone.status).toBe(200);
    expect(await (await callRoute(sitesRoute.GET, "GET", "/api/v1/sites", { token })).json()).toEqual([]);
  });

  it("refuses a bad filter, an unknown change, and a change that cannot be undone", async () => {
    expect(await apiError(await callRoute(auditRoute.GET, "GET", "/api/v1/audit?to=soon&color=red", { token }))).toMatchObject({
      status: 400,
      details: { to: expect.stringMatching(/date and time/), color: expect.stringMatching(/Unknown field/) },
    });
    expect(await apiError(await callRoute(undoRoute.POST, "POST", "/api/v1/audit/nope/undo", { token }, { id: "nope" }))).toMatchObject({
      status: 404,
    });
    const [tokenUse] = (await (await callRoute(auditRoute.GET, "GET", "/api/v1/audit?objectType=apiToken", { token })).json()) as { id: string }[];
    expect(
      await apiError(await callRoute(undoRoute.POST, "POST", `/api/v1/audit/${tokenUse!.id}/undo`, { token }, { id: tokenUse!.id })),
    ).toMatchObject({
      status: 409,
      message:
        "This entry (token-used) cannot be undone: only changes to sites, streams, access lists, DNS providers and settings, and added certificates, can be",
    });
  });
});
