import type { LoadResult } from "./load-result";
import type { Product } from "./product";
import type { ProductCosts } from "./report";
import type { Target } from "./targets";

/**
 * What a new site's defaults cost, in rounds that alternate which proxy is measured first, so that
 * the machine's drift falls on every variant alike: the proxy with traffic counting off (an
 * environment switch, so a restart) measures the site with exploit blocking and security headers
 * off, then on; the proxy as shipped measures the site as created. Costs are ratios within a round
 * (the machine as it was then), and the median round's is kept.
 */
export async function measureDefaultsCost(
  product: Product,
  rounds: number,
  warmUp: (target: Target) => Promise<unknown>,
  measure: (target: Target) => Promise<LoadResult>,
): Promise<ProductCosts> {
  const allOff: LoadResult[] = [];
  const countingOff: LoadResult[] = [];
  const defaults: LoadResult[] = [];
  const uncountedRuns = async () => {
    const { target } = await product.start({ TRAFFIC_COUNTING: "off" });
    await warmUp(target);
    await product.setSiteDefaults(false);
    allOff.push(await measure(target));
    await product.setSiteDefaults(true);
    countingOff.push(await measure(target));
  };
  const countedRun = async () => {
    const { target } = await product.start();
    await warmUp(target);
    defaults.push(await measure(target));
  };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await uncountedRuns();
      await countedRun();
    } else {
      await countedRun();
      await uncountedRuns();
    }
  }
  await product.stop();
  const perRound = (numerators: LoadResult[], denominators: LoadResult[]) =>
    median(numerators.map((result, round) => result.perSecond / denominators[round]!.perSecond));
  return {
    rounds,
    defaults: medianResult(defaults),
    countingOff: medianResult(countingOff),
    allOff: medianResult(allOff),
    defaultsKeep: perRound(defaults, allOff),
    countingKeeps: perRound(defaults, countingOff),
  };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1]!;
}

function medianResult(results: LoadResult[]): LoadResult {
  return [...results].sort((a, b) => a.perSecond - b.perSecond)[results.length >> 1]!;
}
