import { isSkipped, type LoadResult, type Outcome } from "./load-result";

export const PRODUCT = "product";

/** Outcomes of one scenario, by target name, in the order the targets were measured. */
export interface ScenarioResults {
  title: string;
  unit: string;
  outcomes: Map<string, Outcome>;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "n/a");

/**
 * One Markdown table of every scenario and target, with the product's rate divided by each
 * other target's in the last column (above 1: the product is faster).
 */
export function formatResultsTable(results: ScenarioResults[]): string {
  const lines = [
    "| scenario | target | per second | p50 ms | p99 ms | errors | product ÷ target |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const { title, unit, outcomes } of results) {
    const product = outcomes.get(PRODUCT);
    for (const [target, outcome] of outcomes) {
      if (isSkipped(outcome)) {
        lines.push(`| ${title} | ${target} | ${outcome.skipped} | | | | |`);
        continue;
      }
      const ratio = target !== PRODUCT && product && !isSkipped(product) ? `${(product.perSecond / outcome.perSecond).toFixed(2)}x` : "";
      lines.push(
        `| ${title} | ${target} | ${Math.round(outcome.perSecond)} ${unit} | ${ms(outcome.p50Ms)} | ${ms(outcome.p99Ms)} | ${outcome.errors} | ${ratio} |`,
      );
    }
  }
  return lines.join("\n");
}

/** Target for a new site's defaults (exploit blocking, security headers, traffic counting): at most this much slower than all off. */
const DEFAULTS_BUDGET = 0.1;

export interface ProductCosts {
  /** Rounds; each figure is the median round's. */
  rounds: number;
  /** A new site's defaults, traffic counting on. */
  defaults: LoadResult;
  /** The same site, traffic counting off (TRAFFIC_COUNTING=off). */
  countingOff: LoadResult;
  /** Exploit blocking and security headers off too. */
  allOff: LoadResult;
  /** Throughput with the defaults over throughput with all three off, within a round. */
  defaultsKeep: number;
  /** Throughput with counting over throughput without it, within a round. */
  countingKeeps: number;
}

export function formatProductCosts({ rounds, defaults, countingOff, allOff, defaultsKeep, countingKeeps }: ProductCosts): string {
  const cost = 1 - defaultsKeep;
  const verdict = cost <= DEFAULTS_BUDGET ? "within" : "over";
  return [
    `- A new site's defaults (exploit blocking, security headers, traffic counting) cost ${(cost * 100).toFixed(1)}% of HTTP keep-alive throughput ` +
      `(median of ${rounds} rounds, each comparing the two in turn; median throughput ${Math.round(defaults.perSecond)} req/s against ${Math.round(allOff.perSecond)} with all three off; ` +
      `${verdict} the ${DEFAULTS_BUDGET * 100}% budget).`,
    `- Traffic counting alone keeps ${countingKeeps.toFixed(3)}x of the throughput without it (median ${Math.round(countingOff.perSecond)} req/s off).`,
  ].join("\n");
}

/** The product's measured rate in a scenario, or null when it was skipped or not run. */
function productRate(results: ScenarioResults[], title: string): number | null {
  const outcome = results.find((result) => result.title === title)?.outcomes.get(PRODUCT);
  return outcome === undefined || isSkipped(outcome) ? null : outcome.perSecond;
}

/** Target for the cache: hits at least this many times the rate of the same answer proxied. */
const CACHE_GAIN = 2;

/** The product's cache-hit rate over its proxied rate, against the target. */
export function formatCacheGain(results: ScenarioResults[], proxied: string, hits: string): string {
  const base = productRate(results, proxied);
  const cached = productRate(results, hits);
  if (base === null || cached === null) return "- Cache: hits or the proxied answer were not measured.";
  const gain = cached / base;
  return `- ${hits}: ${gain.toFixed(2)}x the proxied rate (${gain >= CACHE_GAIN ? "meets" : "misses"} the target of at least ${CACHE_GAIN}x).`;
}

/** Target for compression: a Brotli-coded 100 KB page keeps at least this share of the plain page's rate. */
const COMPRESSION_KEEPS = 0.5;

/** The product's coded page rates over its plain page rate, against the target. */
export function formatCompressionCost(results: ScenarioResults[], plain: string, coded: string[]): string {
  const base = productRate(results, plain);
  if (base === null) return "- Compression: the plain page was not measured.";
  return coded
    .map((title) => {
      const keeps = (productRate(results, title) ?? 0) / base;
      const verdict = keeps >= COMPRESSION_KEEPS ? "meets" : "misses";
      return `- ${title}: ${(keeps * 100).toFixed(0)}% of the plain page's rate (${verdict} the target of at least ${COMPRESSION_KEEPS * 100}%).`;
    })
    .join("\n");
}
