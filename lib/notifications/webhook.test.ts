import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver } from "./webhook";
import { unusedPort } from "@/test-support/backend";

let receiver: http.Server;
let url: string;
const received: { headers: http.IncomingHttpHeaders; body: unknown }[] = [];
let answer = 204;

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ headers: request.headers, body: JSON.parse(body) });
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

describe("webhook delivery", () => {
  it("POSTs the event as JSON with a timestamp", async () => {
    const at = new Date("2026-11-23T12:00:00Z");
    const result = await deliver(url, { event: "test", message: "hello" }, at);
    expect(result).toEqual({ ok: true, message: "Delivered (HTTP 204)" });
    expect(received.at(-1)).toEqual({
      headers: expect.objectContaining({ "content-type": "application/json" }),
      body: { event: "test", message: "hello", at: at.toISOString(), product: "gatekeeper" },
    });
  });

  it("reports a receiver's error status in plain words", async () => {
    answer = 500;
    expect(await deliver(url, { event: "test", message: "x" })).toEqual({ ok: false, message: "The receiver answered HTTP 500" });
    answer = 204;
  });

  it("reports an unreachable receiver without throwing", async () => {
    const result = await deliver(`http://127.0.0.1:${await unusedPort()}/hook`, { event: "test", message: "x" });
    expect(result.ok).toBe(false);
    expect(result.message).toBe("Could not reach the webhook: ECONNREFUSED");
  });
});
