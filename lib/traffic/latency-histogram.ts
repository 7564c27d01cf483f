/**
 * A fixed-size latency histogram: log-scale buckets 5% wide from 0.1 ms to about 2 minutes, so
 * memory and storage are the same whatever the traffic, merging is exact, and a percentile read
 * from it is within 5% of the true value.
 */
const SMALLEST_MS = 0.1;
const GROWTH = 1.05;
export const BUCKET_COUNT = 290;
const LOG_GROWTH = Math.log(GROWTH);

/** The bucket holding a latency: bucket i covers (SMALLEST * GROWTH^(i-1), SMALLEST * GROWTH^i]. */
export function bucketOf(ms: number): number {
  if (!(ms > SMALLEST_MS)) return 0;
  return Math.min(BUCKET_COUNT - 1, Math.ceil(Math.log(ms / SMALLEST_MS) / LOG_GROWTH));
}

/** The upper bound of a bucket, in ms: what a percentile in that bucket reads as. */
export function bucketUpperMs(index: number): number {
  return SMALLEST_MS * GROWTH ** index;
}

export type SparseHistogram = Record<number, number>;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKET_COUNT);
  private total = 0;

  record(ms: number): void {
    this.counts[bucketOf(ms)]! += 1;
    this.total += 1;
  }

  get count(): number {
    return this.total;
  }

  merge(other: SparseHistogram): void {
    for (const [index, count] of Object.entries(other)) {
      const bucket = Number(index);
      if (Number.isInteger(bucket) && bucket >= 0 && bucket < BUCKET_COUNT && count > 0) {
        this.counts[bucket]! += count;
        this.total += count;
      }
    }
  }

  /** The latency below which a share p (0..1) of the recorded requests fall, or null when empty. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(p * this.total));
    let seen = 0;
    for (let index = 0; index < BUCKET_COUNT; index++) {
      seen += this.counts[index]!;
      if (seen >= rank) return bucketUpperMs(index);
    }
    return bucketUpperMs(BUCKET_COUNT - 1);
  }

  /** Only the buckets in use: what goes over IPC and into the database. */
  toSparse(): SparseHistogram {
    const sparse: SparseHistogram = {};
    this.counts.forEach((count, index) => {
      if (count > 0) sparse[index] = count;
    });
    return sparse;
  }

  static fromSparse(...parts: SparseHistogram[]): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const part of parts) histogram.merge(part);
    return histogram;
  }
}
