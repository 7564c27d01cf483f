import { afterEach, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "@/test-support/api-server";
import { manual } from "./manual";

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("manual", () => {
  it("asks for nothing and calls nothing: the user creates the record", async () => {
    expect(manual.settings.parse({})).toEqual({});
    expect(manual.credentials.parse({})).toEqual({});
    server = await startApiServer(() => ({ status: 500 }));
    const client = manual.connect({}, {}, { baseUrl: server.url });
    const record = { fqdn: "_acme-challenge.example.com", zone: "example.com", value: "A".repeat(43) };
    await expect(client.createTxt(record)).resolves.toBeUndefined();
    await expect(client.deleteTxt(record)).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });
});
