import { defineConfig } from "@playwright/test";
import { chromiumPath } from "./e2e/support/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  // Each test file starts the whole product (launcher, dashboard, proxy); two cores fit one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        // Test hostnames like app.test resolve to this machine, as real DNS would point at the server.
        "--host-resolver-rules=MAP *.test 127.0.0.1",
      ],
    },
  },
});
