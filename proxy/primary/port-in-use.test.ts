import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { unusedPort } from "@/test-support/backend";
import { portErrorMessage } from "@/lib/env/port-error";

let cleanup: () => Promise<void>;
const blocker = net.createServer();
let takenPort: number;

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  takenPort = (blocker.address() as net.AddressInfo).port;
});

afterAll(async () => {
  blocker.close();
  await cleanup();
});

it("says in one line what to do when the HTTP port is taken, and exits without a stack trace", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "..", "main.ts")], {
    env: {
      ...process.env,
      HTTP_PORT: String(takenPort),
      HTTPS_PORT: String(await unusedPort()),
      PROXY_CONTROL_PORT: String(await unusedPort()),
      PROXY_HOST: "127.0.0.1",
      PROXY_WORKERS: "1",
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));

  expect(code).toBe(78);
  expect(stderr.trim()).toBe(portErrorMessage(takenPort, "EADDRINUSE", "HTTP_PORT"));
  expect(stderr).toContain(`Cannot listen on port ${takenPort}: another program already uses it`);
  expect(stderr).not.toMatch(/\n\s+at /);
});

it.each([
  [80, "EACCES", "HTTP_PORT", /root or the CAP_NET_BIND_SERVICE capability.*HTTP_PORT=8080/],
  [443, "EACCES", "HTTPS_PORT", /HTTPS_PORT=8443/],
  [3000, "EADDRINUSE", "DASHBOARD_PORT", /DASHBOARD_PORT=3001/],
])("explains port %i %s with the setting to change", (port, code, setting, expected) => {
  const message = portErrorMessage(port, code, setting);
  expect(message).toMatch(expected);
  expect(message).not.toContain("\n");
});
