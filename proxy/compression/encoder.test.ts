import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { brotliWindowBits, createEncoder } from "./encoder";

async function coded(body: Buffer, length: number | undefined): Promise<Buffer> {
  return buffer(Readable.from([body.subarray(0, body.length >> 1), body.subarray(body.length >> 1)]).pipe(createEncoder("br", length)));
}

describe("Brotli's window", () => {
  it("is the smallest that holds the whole body, within Brotli's limits", () => {
    expect(brotliWindowBits(0)).toBe(10);
    expect(brotliWindowBits(1008)).toBe(10);
    expect(brotliWindowBits(1009)).toBe(11);
    expect(brotliWindowBits(100 * 1024)).toBe(17);
    expect(brotliWindowBits(64 * 1024 * 1024)).toBe(22);
  });

  it("is 512 KiB when the upstream gave no length", () => {
    expect(brotliWindowBits(undefined)).toBe(19);
  });

  it.each([
    ["just fits its window", (1 << 17) - 16],
    ["is one byte over a window", (1 << 17) - 15],
  ])("codes a body that %s, and the client reads it back whole", async (_, size) => {
    // Repeats far apart: a window too small for the body would still decode, but this one must match.
    const half = randomBytes(size >> 1);
    const body = Buffer.concat([half, half, Buffer.alloc(size - 2 * half.length, 7)]);
    const encoded = await coded(body, body.length);
    expect(zlib.brotliDecompressSync(encoded).equals(body)).toBe(true);
    expect(encoded.length).toBeLessThan(body.length * 0.6);
  });

  it("codes a body longer than its announced length without losing any of it", async () => {
    const body = Buffer.alloc(50_000, "gatekeeper ");
    expect(zlib.brotliDecompressSync(await coded(body, 1000)).equals(body)).toBe(true);
  });
});
