import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardServerAction, SERVER_ACTION_BODY_LIMIT_MB } from "./server-action-body";

/** The guard in front of a stand-in for Next that echoes the body it reads, on a real socket. */
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    void guardServerAction(req).then((guarded) => {
      if ("refused" in guarded) return res.writeHead(guarded.refused.status).end(guarded.refused.message);
      const chunks: Buffer[] = [];
      guarded.request.on("data", (chunk: Buffer) => chunks.push(chunk));
      guarded.request.on("end", () => res.writeHead(200, { "x-method": guarded.request.method ?? "" }).end(Buffer.concat(chunks)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ACTION = { "next-action": "603275c009ccc1c655214906913a4c303b9e7d0392" };
const MULTIPART = { "content-type": "multipart/form-data; boundary=XYZ" };
const form = (...fields: [string, string][]) =>
  fields.map(([name, value]) => `--XYZ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("") + "--XYZ--\r\n";

const post = (path: string, headers: Record<string, string>, body: string | Blob) => fetch(base + path, { method: "POST", headers, body });

describe("guardServerAction", () => {
  it.each([
    ["arguments that are not JSON", { ...ACTION, "content-type": "text/plain;charset=UTF-8" }, "garbage{"],
    ["an empty body", { ...ACTION, "content-type": "text/plain;charset=UTF-8" }, ""],
    ["a multipart form cut off mid-field", { ...ACTION, ...MULTIPART }, '--XYZ\r\nContent-Disposition: form-data; name="1_email"\r\n\r\nabc'],
    ["a multipart form with no parts at all", { ...ACTION, ...MULTIPART }, "zzzz"],
    ["arguments in a multipart form that are not JSON", { ...ACTION, ...MULTIPART }, form(["1_email", "a@example.com"], ["0", "[garbage"])],
    ["a multipart form with no boundary", { ...ACTION, "content-type": "multipart/form-data" }, "zzzz"],
    ["a form posted without script, cut off", MULTIPART, '--XYZ\r\nContent-Disposition: form-data; name="$ACTION_ID_x"\r\n\r\n'],
  ])("refuses %s with 400", async (_case, headers, body) => {
    const response = await post("/login", headers, body);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/reload the page/);
  });

  it("refuses a body over the limit with 413", async () => {
    const response = await post(
      "/login",
      { ...ACTION, "content-type": "text/plain" },
      new Blob([new Uint8Array(SERVER_ACTION_BODY_LIMIT_MB * 1024 * 1024 + 1)]),
    );
    expect(response.status).toBe(413);
  });

  it("hands a readable action to Next with the body it came with", async () => {
    const body = form(["1_email", "ann@example.com"], ["1_password", "ünïcode ✓"], ["0", '[{"status":"idle"},"$K1"]']);
    const response = await post("/login", { ...ACTION, ...MULTIPART }, body);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-method")).toBe("POST");
    expect(await response.text()).toBe(body);
    const plain = await post("/sites/x", { ...ACTION, "content-type": "text/plain" }, '["$undefined"]');
    expect(await plain.text()).toBe('["$undefined"]');
  });

  it("leaves other requests alone: API calls, plain page posts, reads", async () => {
    expect(await (await post("/api/v1/sites", { "content-type": "application/json" }, "{not json")).text()).toBe("{not json");
    expect(await (await post("/api/v1/restore", MULTIPART, "zzzz")).text()).toBe("zzzz");
    expect(await (await post("/login", { "content-type": "text/plain" }, "zzzz")).text()).toBe("zzzz");
    expect((await fetch(base + "/login")).status).toBe(200);
  });
});
