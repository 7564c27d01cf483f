import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumPath } from "../e2e/support/chromium";

/**
 * `npm test`: type check, lint and format check (Biome), unit and integration tests (Vitest),
 * then the browser tests (Playwright in Debian's Chromium) against the product as `npm start`
 * runs it, compiled by the same build. Stops at the first failure.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

if (!existsSync(chromiumPath())) {
  console.error(
    `The browser tests need Chromium, and there is none at ${chromiumPath()}.\n` +
      "Install it with:  sudo apt-get install -y chromium\n" +
      "or point CHROMIUM_PATH at a Chromium or Chrome binary.",
  );
  process.exit(1);
}
// Certificates are made with openssl and ordered from Pebble, Let's Encrypt's test CA, which checks
// DNS-01 records on a real BIND; testssl.sh audits the HTTPS port.
const PACKAGE_OF: Record<string, string> = { "pebble-challtestsrv": "pebble", testssl: "testssl.sh", "/usr/sbin/named": "bind9" };
const missing = ["openssl", "pebble", "pebble-challtestsrv", "testssl", "/usr/sbin/named"].filter((tool) => spawnSync("which", [tool]).status !== 0);
if (missing.length > 0) {
  const packages = [...new Set(missing.map((tool) => PACKAGE_OF[tool] ?? tool))];
  console.error(`The tests need ${missing.join(", ")}. Install with:  sudo apt-get install -y ${packages.join(" ")}`);
  process.exit(1);
}

function stage(title: string, command: string, args: string[]): void {
  console.log(`\n=== ${title} ===`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error(`\n${title} failed.`);
    process.exit(result.status ?? 1);
  }
}

const bin = (tool: string) => path.join(root, "node_modules", ".bin", tool);
stage("Type check", bin("tsc"), ["--noEmit"]);
stage("Lint and format check (Biome)", bin("biome"), ["check", "."]);
stage("Unit and integration tests", bin("vitest"), ["run"]);
stage("Build", process.execPath, [path.join(root, "scripts", "build.mjs")]);
stage("Browser tests", bin("playwright"), ["test", ...process.argv.slice(2)]);
