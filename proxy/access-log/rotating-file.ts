import { appendFile, chmod, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";

export interface RotatingFileOptions {
  path: string;
  /** The live file is rotated before a write would take it past this many bytes. */
  maxBytes: number;
  /** Rotated files kept besides the live one: path.1 (newest) ... path.N (oldest). */
  maxFiles: number;
  logger: Logger;
  /**
   * Bytes waiting for a slow disk beyond which new batches are dropped (with a warning) rather
   * than held in memory. Default 32 MiB.
   */
  maxPendingBytes?: number;
}

const OWNER_ONLY = 0o600;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

/**
 * An append-only file of lines, rotated by size like logrotate: path -> path.1 -> path.2 ..., the
 * oldest beyond maxFiles deleted, so disk use stays under (maxFiles + 1) x maxBytes. Each append()
 * is one batch written with as few system calls as rotation allows, in order. A failing disk costs
 * the lines, with one warning until it recovers, and never an exception: the caller is the proxy.
 */
export class RotatingFile {
  /** Bytes in the live file; null until read from disk (and again after a failed write). */
  private size: number | null = null;
  private queue: Promise<void> = Promise.resolve();
  private pendingBytes = 0;
  private failing = false;
  /** False for a device or pipe such as /dev/stdout: written to, never rotated or chmod-ed. */
  private regularFile = true;
  private closed = false;
  private readonly maxPendingBytes: number;

  constructor(private readonly options: RotatingFileOptions) {
    this.maxPendingBytes = options.maxPendingBytes ?? 32 * 1024 * 1024;
  }

  /** Appends these lines (without their newlines) in order; resolves once written or given up. Never rejects. */
  append(lines: readonly string[]): Promise<void> {
    if (this.closed || lines.length === 0) return this.queue;
    const sizes = lines.map((line) => Buffer.byteLength(line) + 1);
    const bytes = sizes.reduce((sum, size) => sum + size, 0);
    if (this.pendingBytes + bytes > this.maxPendingBytes) {
      this.warn(new Error(`${this.pendingBytes} bytes still waiting for the disk`), lines.length);
      return this.queue;
    }
    this.pendingBytes += bytes;
    this.queue = this.queue
      .then(() => this.write(lines, sizes))
      .then(
        () => {
          if (this.failing) this.options.logger.info({ file: this.options.path }, "access log file: writing again");
          this.failing = false;
        },
        (error: unknown) => {
          this.size = null;
          this.warn(error, lines.length);
        },
      )
      .finally(() => {
        this.pendingBytes -= bytes;
      });
    return this.queue;
  }

  /** Waits for the writes already accepted; later appends are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  private async write(lines: readonly string[], sizes: readonly number[]): Promise<void> {
    let size = this.size ?? (await this.currentSize());
    if (!this.regularFile) {
      await this.appendLive(lines.map((line) => `${line}\n`).join(""));
      this.size = 0;
      return;
    }
    let chunk = "";
    let chunkBytes = 0;
    for (let i = 0; i < lines.length; i++) {
      const lineBytes = sizes[i]!;
      // A line longer than maxBytes on its own still gets a file of its own rather than being lost.
      if (size + chunkBytes + lineBytes > this.options.maxBytes && size + chunkBytes > 0) {
        if (chunkBytes > 0) await this.appendLive(chunk);
        await this.rotate();
        size = 0;
        this.size = 0;
        chunk = "";
        chunkBytes = 0;
      }
      chunk += `${lines[i]}\n`;
      chunkBytes += lineBytes;
    }
    if (chunkBytes > 0) await this.appendLive(chunk);
    this.size = size + chunkBytes;
  }

  private async appendLive(text: string): Promise<void> {
    await appendFile(this.options.path, text, { mode: OWNER_ONLY, flag: "a" });
  }

  /** The live file's size on disk; also makes sure it and its folder exist with owner-only rights. */
  private async currentSize(): Promise<number> {
    await mkdir(path.dirname(this.options.path), { recursive: true, mode: 0o700 });
    try {
      const stats = await stat(this.options.path);
      if (stats.isDirectory()) throw new Error(`${this.options.path} is a folder, not a file`);
      this.regularFile = stats.isFile();
      if (!this.regularFile) return 0;
      // Access logs name clients: the same owner-only rule as the other data files.
      if ((stats.mode & 0o077) !== 0) await chmod(this.options.path, OWNER_ONLY);
      return stats.size;
    } catch (error) {
      if (!isMissing(error)) throw error;
      this.regularFile = true;
      return 0;
    }
  }

  private async rotate(): Promise<void> {
    const file = this.options.path;
    await rm(`${file}.${this.options.maxFiles}`, { force: true });
    for (let n = this.options.maxFiles - 1; n >= 1; n--) await renameIfPresent(`${file}.${n}`, `${file}.${n + 1}`);
    await renameIfPresent(file, `${file}.1`);
  }

  private warn(error: unknown, lostLines: number): void {
    if (this.failing) return; // one warning per outage, not one per batch
    this.failing = true;
    this.options.logger.warn(
      { err: error, file: this.options.path, lostLines },
      "access log file: cannot write; entries are lost until the disk recovers (the proxy keeps serving)",
    );
  }
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}
