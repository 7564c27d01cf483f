import { formatBytes } from "@/app/_components/charts/chart-scale";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { type CacheSavings, formatHitRatio } from "@/lib/traffic/cache-savings";

/** The cache's hit ratio and what the cache and compression saved, over the chosen site and range. */
export function CacheSummary({ savings, rangeLabel }: { savings: CacheSavings; rangeLabel: string }) {
  const { hits, misses, hitRatio } = savings;
  return (
    <Card className="lg:col-span-2" data-testid="cache-summary">
      <CardHeader title="Cache and compression" description={`Over the last ${rangeLabel}.`} />
      <CardContent>
        <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-3">
          <div className="min-w-0" data-testid="cache-hit-ratio" data-hits={hits} data-misses={misses}>
            <dt className="text-slate-500">Cache hit ratio</dt>
            {hitRatio === null ? (
              <dd className="mt-1 font-medium text-slate-800">
                No cacheable requests
                <span className="block font-normal text-slate-500">The cache is off, or no answer here was one it may keep.</span>
              </dd>
            ) : (
              <dd className="mt-1 font-medium text-slate-800">
                <span className="text-2xl font-semibold text-slate-900">{formatHitRatio(hitRatio)}</span>
                <span className="block font-normal text-slate-500">
                  {counted(hits, "hit", "hits")}, {counted(misses, "miss", "misses")}
                </span>
              </dd>
            )}
          </div>
          <div className="min-w-0" data-testid="bytes-saved-cache" data-bytes={savings.bytesSavedCache}>
            <dt className="text-slate-500">Saved by the cache</dt>
            <dd className="mt-1">
              <span className="text-2xl font-semibold text-slate-900">{formatBytes(savings.bytesSavedCache)}</span>
              <span className="block text-slate-500">answered from the cache, not fetched from the upstream</span>
            </dd>
          </div>
          <div className="min-w-0" data-testid="bytes-saved-compression" data-bytes={savings.bytesSavedCompression}>
            <dt className="text-slate-500">Saved by compression</dt>
            <dd className="mt-1">
              <span className="text-2xl font-semibold text-slate-900">{formatBytes(savings.bytesSavedCompression)}</span>
              <span className="block text-slate-500">kept off the wire to clients</span>
            </dd>
          </div>
        </dl>
      </CardContent>
    </Card>
  );
}

const counted = (count: number, one: string, many: string) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
