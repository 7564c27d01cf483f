import { snapshotStreamSchema, type SnapshotStream } from "../lib/schemas/snapshot";

export interface TestStreamInput extends Partial<Omit<SnapshotStream, "upstreams">> {
  id: string;
  listenPort: number;
  /** URLs (weight 1, ids derived). */
  upstreams: string[];
}

/** A snapshot stream with a fresh stream's defaults (TCP, round robin, 600 s idle, no access list). */
export function testStream(input: TestStreamInput): SnapshotStream {
  const { upstreams, ...rest } = input;
  return snapshotStreamSchema.parse({
    name: input.id,
    protocol: "tcp",
    ...rest,
    upstreams: upstreams.map((url, index) => ({ id: `${input.id}-u${index}`, url, weight: 1 })),
  });
}
