import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminApiToken, apiError, callRoute, type RouteCall, type RouteHandler } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import { db } from "@/lib/db";
import * as listsRoute from "./route";
import * as listRoute from "./[id]/route";

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

interface AccessListBody {
  id: string;
  name: string;
  allow: string[];
  deny: string[];
  basicAuth: { username: string }[];
  satisfy: string;
  siteIds: string[];
}

const PASSWORD = "ann's secret words";
const office = { name: "Office", allow: ["10.0.0.0/8"], deny: ["10.0.0.13"], basicAuth: [{ username: "ann", password: PASSWORD }], satisfy: "any" };

/** The body as text, checked to hold no password and no hash, then parsed. */
async function safeJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  expect(text).not.toContain("scrypt");
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toMatch(/password/i);
  return JSON.parse(text) as T;
}

describe("/api/v1/access-lists", () => {
  it("requires a session or a token", async () => {
    for (const response of [
      await call(listsRoute.GET, "GET", "/api/v1/access-lists", { auth: false }),
      await call(listsRoute.POST, "POST", "/api/v1/access-lists", { auth: false, body: office }),
      await call(listRoute.GET, "GET", "/api/v1/access-lists/x", { auth: false }, { id: "x" }),
      await call(listRoute.PATCH, "PATCH", "/api/v1/access-lists/x", { auth: false, body: { name: "y" } }, { id: "x" }),
      await call(listRoute.DELETE, "DELETE", "/api/v1/access-lists/x", { auth: false }, { id: "x" }),
    ]) {
      expect(await errorOf(response)).toMatchObject({ status: 401, code: "unauthorized" });
    }
    expect(await db().accessList.count()).toBe(0);
  });

  it("creates, lists, reads, patches and deletes a list, never returning a password or hash", async () => {
    const created = await call(listsRoute.POST, "POST", "/api/v1/access-lists", { body: office });
    expect(created.status).toBe(201);
    const list = await safeJson<AccessListBody>(created);
    expect(list).toMatchObject({
      name: "Office",
      allow: ["10.0.0.0/8"],
      deny: ["10.0.0.13"],
      basicAuth: [{ username: "ann" }],
      satisfy: "any",
      siteIds: [],
    });

    const all = await safeJson<AccessListBody[]>(await call(listsRoute.GET, "GET", "/api/v1/access-lists"));
    expect(all.map((entry) => entry.id)).toEqual([list.id]);
    const one = await safeJson<AccessListBody>(await call(listRoute.GET, "GET", `/api/v1/access-lists/${list.id}`, {}, { id: list.id }));
    expect(one).toEqual(list);

    const patched = await call(
      listRoute.PATCH,
      "PATCH",
      `/api/v1/access-lists/${list.id}`,
      { body: { satisfy: "all", basicAuth: [{ username: "ann" }, { username: "bob", password: "bob's secret words" }] } },
      { id: list.id },
    );
    expect(patched.status).toBe(200);
    expect(await safeJson<AccessListBody>(patched)).toMatchObject({
      satisfy: "all",
      allow: ["10.0.0.0/8"],
      basicAuth: [{ username: "ann" }, { username: "bob" }],
    });

    expect((await call(listRoute.DELETE, "DELETE", `/api/v1/access-lists/${list.id}`, {}, { id: list.id })).status).toBe(204);
    const gone = await call(listRoute.GET, "GET", `/api/v1/access-lists/${list.id}`, {}, { id: list.id });
    expect(await errorOf(gone)).toMatchObject({ status: 404, code: "not_found" });
  });

  it("answers 400 naming each bad field, and saves nothing", async () => {
    const badRange = await errorOf(await call(listsRoute.POST, "POST", "/api/v1/access-lists", { body: { ...office, allow: ["10.0.0.0/33"] } }));
    expect(badRange).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(badRange.details)).toEqual(["allow.0"]);
    expect(badRange.details["allow.0"]).toContain("10.0.0.0/33");

    const noPassword = await errorOf(
      await call(listsRoute.POST, "POST", "/api/v1/access-lists", { body: { ...office, basicAuth: [{ username: "ann" }] } }),
    );
    expect(noPassword).toMatchObject({ status: 400, details: { "basicAuth.0.password": "Set a password for the new user" } });

    const twice = await errorOf(
      await call(listsRoute.POST, "POST", "/api/v1/access-lists", {
        body: {
          ...office,
          basicAuth: [
            { username: "ann", password: PASSWORD },
            { username: "ann", password: PASSWORD },
          ],
        },
      }),
    );
    expect(twice).toMatchObject({ status: 400, details: { "basicAuth.1.username": expect.stringContaining("listed twice") } });
    expect(JSON.stringify(twice)).not.toContain(PASSWORD);

    expect(await safeJson<unknown[]>(await call(listsRoute.GET, "GET", "/api/v1/access-lists"))).toEqual([]);
  });

  it("answers 409 for a name in use", async () => {
    await call(listsRoute.POST, "POST", "/api/v1/access-lists", { body: office });
    const clash = await errorOf(await call(listsRoute.POST, "POST", "/api/v1/access-lists", { body: { name: "office" } }));
    expect(clash).toMatchObject({ status: 409, code: "conflict", details: { name: expect.stringContaining("Office") } });
  });

  it("refuses with 409 to delete a list a site uses, naming the site", async () => {
    const list = await safeJson<AccessListBody>(await call(listsRoute.POST, "POST", "/api/v1/access-lists", { body: office }));
    // Written directly, so this test does not depend on the site API learning accessListId.
    const site = await db().site.create({
      data: {
        name: "Blog",
        accessListId: list.id,
        hostnames: { create: [{ hostname: "blog.example.com", position: 0 }] },
        upstreams: { create: [{ url: "http://10.0.0.5:8080", position: 0 }] },
      },
    });

    const refused = await errorOf(await call(listRoute.DELETE, "DELETE", `/api/v1/access-lists/${list.id}`, {}, { id: list.id }));
    expect(refused).toMatchObject({ status: 409, code: "conflict", message: expect.stringContaining('"Blog"') });
    const still = await safeJson<AccessListBody>(await call(listRoute.GET, "GET", `/api/v1/access-lists/${list.id}`, {}, { id: list.id }));
    expect(still.siteIds).toEqual([site.id]);
  });
});
