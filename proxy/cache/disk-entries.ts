import { mkdir, open, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { decodeEntry, encodeEntry, LENGTH_BYTES, type StoredEntry } from "./stored-answer";

/** Where a site's entries live: one directory per site, one file per entry, named by its id. */
function siteCacheDir(root: string, siteId: string): string {
  return path.join(root, siteId);
}

export function entryPath(root: string, siteId: string, id: string): string {
  return path.join(root, siteId, id);
}

export async function readEntry(root: string, siteId: string, id: string): Promise<StoredEntry | null> {
  try {
    return decodeEntry(await readFile(entryPath(root, siteId, id)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Written beside and renamed into place: a reader never sees half a file, and a crash leaves none. */
export async function writeEntry(root: string, siteId: string, id: string, entry: StoredEntry): Promise<number> {
  const file = entryPath(root, siteId, id);
  const data = encodeEntry(entry);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  await rename(temporary, file);
  return data.length;
}

export async function removeEntry(root: string, siteId: string, id: string): Promise<void> {
  await unlink(entryPath(root, siteId, id)).catch(() => undefined);
}

export async function removeSiteEntries(root: string, siteId: string): Promise<void> {
  await rm(siteCacheDir(root, siteId), { recursive: true, force: true });
}

/** What an entry file holds (its key, and whether it is an answer), reading only its description; null for anything else. */
export async function readEntryHead(file: string): Promise<{ key: string; answer: boolean } | null> {
  const handle = await open(file, "r").catch(() => null);
  if (handle === null) return null;
  try {
    const length = Buffer.alloc(LENGTH_BYTES);
    if ((await handle.read(length, 0, LENGTH_BYTES, 0)).bytesRead < LENGTH_BYTES) return null;
    const meta = Buffer.alloc(LENGTH_BYTES + length.readUInt32BE(0));
    length.copy(meta);
    await handle.read(meta, LENGTH_BYTES, meta.length - LENGTH_BYTES, LENGTH_BYTES);
    const entry = decodeEntry(meta);
    return entry === null ? null : { key: entry.key, answer: entry.kind === "answer" };
  } finally {
    await handle.close();
  }
}
