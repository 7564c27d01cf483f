import type { LoadResult } from "./load-result";
import type { Product } from "./product";
import type { ProductCosts } from "./report";
import type { Target } from "./targets";

/**
 * What a new site's defaults cost, in alternating rounds so that the machine's drift falls on every
 * variant alike: the proxy with traffic counting off (an environment switch, so a restart) measures
 * the site with exploit blocking and security headers off, then on; the proxy as shipped measures
 * the site as created. Each variant's median round is kept.
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
  for (let round = 0; round < rounds; round++) {
    const { target: uncounted } = await product.start({ TRAFFIC_COUNTING: "off" });
    await warmUp(uncounted);
    await product.setSiteDefaults(false);
    allOff.push(await measure(uncounted));
    await product.setSiteDefaults(true);
    countingOff.push(await measure(uncounted));
    const { target } = await product.start();
    await warmUp(target);
    defaults.push(await measure(target));
  }
  await product.stop();
  return { rounds, defaults: median(defaults), countingOff: median(countingOff), allOff: median(allOff) };
}

function median(results: LoadResult[]): LoadResult {
  return [...results].sort((a, b) => a.perSecond - b.perSecond)[results.length >> 1]!;
}
