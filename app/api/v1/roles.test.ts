import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { type Role, ROLES } from "@/lib/auth/roles";
import { createFirstAdmin } from "@/lib/auth/users";
import { acceptInvite, inviteUser } from "@/lib/services/users";
import { callRoute, type RouteHandler } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";

/**
 * Every endpoint with every role: a role below the one an endpoint needs gets 403 `forbidden`
 * before anything happens; a role that may gets past the check. A new endpoint must be added here.
 */
const REQUIRED: Record<string, Role> = {
  "GET /sites": "viewer",
  "POST /sites": "operator",
  "GET /sites/[id]": "viewer",
  "PATCH /sites/[id]": "operator",
  "DELETE /sites/[id]": "operator",
  "GET /sites/[id]/access-log": "viewer",
  "POST /sites/[id]/cache/purge": "operator",
  "GET /streams": "viewer",
  "POST /streams": "operator",
  "GET /streams/[id]": "viewer",
  "PATCH /streams/[id]": "operator",
  "DELETE /streams/[id]": "operator",
  "GET /certificates": "viewer",
  "POST /certificates": "operator",
  "GET /certificates/[id]": "viewer",
  "DELETE /certificates/[id]": "operator",
  "POST /certificates/[id]/renew": "operator",
  "GET /access-lists": "viewer",
  "POST /access-lists": "operator",
  "GET /access-lists/[id]": "viewer",
  "PATCH /access-lists/[id]": "operator",
  "DELETE /access-lists/[id]": "operator",
  "GET /dns-providers": "viewer",
  "POST /dns-providers": "operator",
  "GET /dns-providers/[id]": "viewer",
  "PATCH /dns-providers/[id]": "operator",
  "DELETE /dns-providers/[id]": "operator",
  "POST /dns-providers/[id]/test": "operator",
  "POST /explain": "viewer",
  "GET /settings": "viewer",
  "PATCH /settings": "admin",
  "GET /status": "viewer",
  "GET /traffic": "viewer",
  "GET /traffic/top": "viewer",
  "GET /tokens": "viewer",
  "POST /tokens": "viewer",
  "DELETE /tokens/[id]": "viewer",
  "DELETE /sessions": "viewer",
  "POST /backup": "admin",
  "GET /backup/schedule": "viewer",
  "PATCH /backup/schedule": "admin",
  "POST /restore": "admin",
  "GET /audit": "viewer",
  "POST /audit/[id]/undo": "admin",
  "GET /users": "admin",
  "POST /users": "admin",
  "PATCH /users/[id]": "admin",
  "DELETE /users/[id]": "admin",
};
/** Reached without signing in: the link or the password is the credential. */
const WITHOUT_SIGN_IN = new Set(["POST /invites/[token]"]);

const API_DIR = path.resolve(import.meta.dirname);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

let cleanup: () => Promise<void>;
const tokens = {} as Record<Role, string>;
beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  const admin = await createFirstAdmin("admin@example.com", "a long admin password");
  tokens.admin = (await createApiToken(admin, "admin")).token;
  for (const role of ["operator", "viewer"] as const) {
    const { inviteToken } = await inviteUser({ email: `${role}@example.com`, role });
    tokens[role] = (await createApiToken(await acceptInvite(inviteToken, { password: "a long enough password" }), role)).token;
  }
});
afterAll(() => cleanup());

const endpoints: [string, RouteHandler<Record<string, string>>][] = [];
for (const file of routeFiles(API_DIR)) {
  const route = path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/");
  const module = (await import(file)) as Record<string, RouteHandler<Record<string, string>>>;
  for (const method of METHODS) if (module[method]) endpoints.push([`${method} /${route}`, module[method]!]);
}

describe("roles", () => {
  it("lists every endpoint with the role it needs", () => {
    const listed = endpoints.map(([name]) => name).filter((name) => !WITHOUT_SIGN_IN.has(name));
    expect(listed.filter((name) => !(name in REQUIRED))).toEqual([]);
    expect(Object.keys(REQUIRED).filter((name) => !listed.includes(name))).toEqual([]);
  });

  const cases = endpoints.filter(([name]) => name in REQUIRED).flatMap(([name, handler]) => ROLES.map((role) => [name, role, handler] as const));
  it.each(cases)("%s as %s", async (name, role, handler) => {
    const [method, route] = name.split(" ") as [string, string];
    const url = `/api/v1${route.replace(/\[(\w+)\]/g, "nope")}`;
    const params = Object.fromEntries([...route.matchAll(/\[(\w+)\]/g)].map((match) => [match[1]!, "nope"]));
    const response = await callRoute(handler, method, url, { token: tokens[role], ...(method === "GET" ? {} : { rawBody: "{}" }) }, params);
    const allowed = ROLES.indexOf(role) >= ROLES.indexOf(REQUIRED[name]!);
    if (allowed) {
      expect(response.status, `${name} as ${role}`).not.toBe(403);
    } else {
      expect(response.status, `${name} as ${role}`).toBe(403);
      expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: "forbidden",
        message: expect.stringMatching(/^This needs an? (operator|admin)/),
      });
    }
  });
});
