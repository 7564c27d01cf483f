import { createHash } from "node:crypto";
import type { CompressionCoding } from "@/lib/schemas/site-compression";
import type { AgeFacts, StoragePlan } from "./cache-policy";

/** One answer the cache keeps: the upstream's, as it sent it, and what the rules decided about it. */
export interface StoredAnswer {
  readonly kind: "answer";
  /** Where it is found: host and target (cache-key.ts). */
  readonly key: string;
  /** Which of the key's variants it is ("" when the answer does not vary). */
  readonly variant: string;
  readonly status: number;
  /** The upstream's headers, name and value in turn (names lower-case), less Age: the cache says its own. */
  readonly headers: readonly string[];
  readonly body: Buffer;
  readonly plan: StoragePlan;
  readonly age: AgeFacts;
  /** The validators a revalidation sends (If-None-Match, If-Modified-Since), as the upstream wrote them. */
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** The body coded for clients, per coding, made by the first hit that asked for each (memory only). */
  readonly coded: Map<CompressionCoding, Buffer>;
}

/** Stands where a key's answer would be when the answers vary: the request headers that pick one. */
export interface VaryMarker {
  readonly kind: "vary";
  readonly key: string;
  readonly names: readonly string[];
}

export type StoredEntry = StoredAnswer | VaryMarker;

/** A name per key and variant, safe as a file name: the key's marker, or its answer when it does not vary, is variant "". */
export function entryId(key: string, variant: string): string {
  return createHash("sha256").update(key).update("\n").update(variant).digest("hex").slice(0, 40);
}

/** What an entry costs its budget: the body, the coded copies and the headers, roughly. */
export function entrySize(entry: StoredEntry): number {
  if (entry.kind === "vary") return entry.key.length + 64;
  let size = entry.body.length + entry.key.length + entry.variant.length + 256;
  for (const header of entry.headers) size += header.length;
  for (const coded of entry.coded.values()) size += coded.length;
  return size;
}

const FORMAT = 1;
export const LENGTH_BYTES = 4;

/** The entry as a file: the length of its description, the description (JSON), then the body. */
export function encodeEntry(entry: StoredEntry): Buffer {
  const { coded: _coded, body: _body, ...described } = entry.kind === "answer" ? entry : { ...entry, coded: null, body: null };
  const meta = Buffer.from(JSON.stringify({ format: FORMAT, ...described }));
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(meta.length);
  return Buffer.concat(entry.kind === "answer" ? [length, meta, entry.body] : [length, meta]);
}

/** A file read back, or null when it is not one this version wrote whole. */
export function decodeEntry(file: Buffer): StoredEntry | null {
  if (file.length < LENGTH_BYTES) return null;
  const metaLength = file.readUInt32BE(0);
  if (LENGTH_BYTES + metaLength > file.length) return null;
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(file.subarray(LENGTH_BYTES, LENGTH_BYTES + metaLength).toString()) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (meta.format !== FORMAT || typeof meta.key !== "string") return null;
  if (meta.kind === "vary") return Array.isArray(meta.names) ? { kind: "vary", key: meta.key, names: meta.names as string[] } : null;
  if (meta.kind !== "answer") return null;
  const answer = meta as unknown as Omit<StoredAnswer, "body" | "coded">;
  // Copied out of the file's buffer: a slice would keep the description's bytes alive with it.
  return { ...answer, body: Buffer.from(file.subarray(LENGTH_BYTES + metaLength)), coded: new Map() };
}
