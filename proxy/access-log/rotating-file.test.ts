import { execFileSync } from "node:child_process";
import {
  chmodSync,
  createReadStream,
  openSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RotatingFile } from "./rotating-file";

let dir: string;
let file: string;
const warnings: string[] = [];
const logger = pino({ level: "info" }, { write: (line: string) => void warnings.push(line) });

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "gk-rotating-"));
  file = path.join(dir, "access.log");
  warnings.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** "line-007" plus padding: every line is exactly `width` bytes with its newline. */
const line = (n: number, width = 10) => `line-${String(n).padStart(3, "0")}`.padEnd(width - 1, ".");
const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
const linesOf = (name: string) => read(name).split("\n").filter(Boolean);
const files = () => readdirSync(dir).sort();

describe("RotatingFile", () => {
  it("appends batches in order, one line each, owner-only", async () => {
    const log = new RotatingFile({ path: file, maxBytes: 1_000, maxFiles: 3, logger });
    await log.append([line(1), line(2)]);
    await log.append([line(3)]);
    expect(linesOf("access.log")).toEqual([line(1), line(2), line(3)]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(files()).toEqual(["access.log"]);
  });

  it("rotates before a write would exceed maxBytes, numbering newest first", async () => {
    // 10-byte lines, 30 bytes per file: three lines fit, the fourth starts a new file.
    const log = new RotatingFile({ path: file, maxBytes: 30, maxFiles: 5, logger });
    await log.append([line(1), line(2), line(3), line(4)]);
    expect(files()).toEqual(["access.log", "access.log.1"]);
    expect(linesOf("access.log.1")).toEqual([line(1), line(2), line(3)]);
    expect(linesOf("access.log")).toEqual([line(4)]);
    await log.append([line(5), line(6), line(7), line(8)]);
    expect(files()).toEqual(["access.log", "access.log.1", "access.log.2"]);
    expect(linesOf("access.log.2")).toEqual([line(1), line(2), line(3)]);
    expect(linesOf("access.log.1")).toEqual([line(4), line(5), line(6)]);
    expect(linesOf("access.log")).toEqual([line(7), line(8)]);
    for (const name of files()) {
      expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(30);
      expect(statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
    }
  });

  it("keeps at most maxFiles rotated files, dropping the oldest", async () => {
    const log = new RotatingFile({ path: file, maxBytes: 20, maxFiles: 3, logger });
    // Two lines per file; 12 lines make 6 files' worth, of which the live one and 3 old ones stay.
    for (let n = 1; n <= 12; n++) await log.append([line(n)]);
    expect(files()).toEqual(["access.log", "access.log.1", "access.log.2", "access.log.3"]);
    expect(linesOf("access.log")).toEqual([line(11), line(12)]);
    expect(linesOf("access.log.1")).toEqual([line(9), line(10)]);
    expect(linesOf("access.log.2")).toEqual([line(7), line(8)]);
    expect(linesOf("access.log.3")).toEqual([line(5), line(6)]);
  });

  it("counts what the file already holds after a restart", async () => {
    writeFileSync(file, `${line(1)}\n${line(2)}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    const log = new RotatingFile({ path: file, maxBytes: 30, maxFiles: 2, logger });
    await log.append([line(3), line(4)]);
    expect(linesOf("access.log.1")).toEqual([line(1), line(2), line(3)]);
    expect(linesOf("access.log")).toEqual([line(4)]);
    expect(statSync(path.join(dir, "access.log.1")).mode & 0o777).toBe(0o600);
  });

  it("gives a line longer than maxBytes a file of its own rather than losing it", async () => {
    const log = new RotatingFile({ path: file, maxBytes: 20, maxFiles: 5, logger });
    const long = "x".repeat(50);
    await log.append([line(1), long, line(2)]);
    expect(linesOf("access.log.2")).toEqual([line(1)]);
    expect(linesOf("access.log.1")).toEqual([long]);
    expect(linesOf("access.log")).toEqual([line(2)]);
  });

  it("creates a missing folder", async () => {
    const nested = path.join(dir, "logs", "proxy", "access.log");
    const log = new RotatingFile({ path: nested, maxBytes: 100, maxFiles: 1, logger });
    await log.append([line(1)]);
    expect(readFileSync(nested, "utf8")).toBe(`${line(1)}\n`);
  });

  it("warns once when the disk fails, never throws, and writes again once it recovers", async () => {
    // A directory where the file should be: every write fails with EISDIR.
    mkdirSync(file);
    const log = new RotatingFile({ path: file, maxBytes: 100, maxFiles: 1, logger });
    await expect(log.append([line(1)])).resolves.toBeUndefined();
    await log.append([line(2)]);
    const warned = warnings.filter((w) => w.includes("cannot write"));
    expect(warned).toHaveLength(1);
    expect(JSON.parse(warned[0]!)).toMatchObject({ level: 40, file, lostLines: 1 });
    rmSync(file, { recursive: true });
    await log.append([line(3)]);
    expect(linesOf("access.log")).toEqual([line(3)]);
    expect(warnings.some((w) => w.includes("writing again"))).toBe(true);
  });

  it("drops batches beyond the pending limit instead of holding them in memory", async () => {
    const log = new RotatingFile({ path: file, maxBytes: 1_000_000, maxFiles: 1, logger, maxPendingBytes: 25 });
    const first = log.append([line(1), line(2)]);
    const second = log.append([line(3)]); // 30 bytes pending: dropped
    await Promise.all([first, second]);
    await log.append([line(4)]);
    expect(linesOf("access.log")).toEqual([line(1), line(2), line(4)]);
    expect(warnings.some((w) => w.includes("cannot write"))).toBe(true);
  });

  it("finishes accepted writes on close and ignores later ones", async () => {
    const log = new RotatingFile({ path: file, maxBytes: 1_000, maxFiles: 1, logger });
    void log.append([line(1)]);
    await log.close();
    await log.append([line(2)]);
    expect(linesOf("access.log")).toEqual([line(1)]);
    expect(existsSync(`${file}.1`)).toBe(false);
  });
});

describe("RotatingFile on something that is not a regular file", () => {
  it("writes to a pipe (like /dev/stdout in a container) without rotating it", async () => {
    const fifo = path.join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    let received = "";
    // Held open read-write, as a container runtime holds stdout: batches never meet a closed pipe.
    const reader = createReadStream("", { fd: openSync(fifo, "r+") });
    reader.on("data", (chunk) => (received += chunk.toString()));
    const log = new RotatingFile({ path: fifo, maxBytes: 5, maxFiles: 1, logger });
    await log.append([line(1), line(2)]);
    await log.append([line(3)]);
    await vi.waitFor(() => expect(received).toBe(`${line(1)}\n${line(2)}\n${line(3)}\n`));
    reader.destroy();
    expect(warnings).toEqual([]);
    expect(files()).toEqual(["pipe"]);
  });
});
