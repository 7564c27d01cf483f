import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatSoakReport, runSoak } from "./bench-soak";
import { BODY, startBenchBackend } from "./bench/backend";
import { BENCH_HOSTNAME, makeBenchCertificate } from "./bench/certificate";
import { measureConfigApply } from "./bench/config-apply";
import { measureDefaultsCost } from "./bench/defaults-cost";
import { measureFootprint } from "./bench/footprint";
import { formatFootprints } from "./bench/footprint-report";
import { isSkipped, type Outcome } from "./bench/load-result";
import { commandExists, runWrk, type LoadShape } from "./bench/load-tools";
import { benchOptions } from "./bench/options";
import { findBinary, PEERS, startPeer, type RunningPeer } from "./bench/peers";
import { prepareProduct } from "./bench/product";
import { formatCacheGain, formatCompressionCost, formatProductCosts, formatResultsTable, type ScenarioResults } from "./bench/report";
import { CACHE_HIT, PAGE_BROTLI, PAGE_GZIP, PAGE_PLAIN, PROXIED, SCENARIOS, type Scenario } from "./bench/scenarios";
import { targetOn, type Target } from "./bench/targets";

/**
 * `npm run bench`: one backend, and the same load straight to it, through the product (primary and
 * workers, as shipped) and through nginx, HAProxy and Caddy where installed, in one run: figures
 * are only comparable within a run, so the report gives ratios. Also the cost of a new site's
 * defaults, the delay from a saved change to serving it, a memory soak (bench-soak.ts), and the
 * footprint of everything `npm start` runs with 1, 1,000 and 10,000 sites (footprint.ts).
 */
/** Database sizes the footprint is measured at (BENCH_FOOTPRINT_SITES=1,1000 to leave out the largest). */
const FOOTPRINT_SITES = (process.env.BENCH_FOOTPRINT_SITES ?? "1,1000,10000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const WARMUP_SECONDS = 1;
/** Node's JIT takes seconds under load to reach steady state: each target gets this much keep-alive load first. */
const TARGET_WARMUP_SECONDS = 5;
const APPLY_ROUNDS = 10;
/** Rounds of the defaults-cost comparison: the median of five survives two disturbed ones. */
const COST_ROUNDS = 5;
/** Characters of the proxy's log shown when one of its runs fails. */
const PROXY_LOG_TAIL = 4000;

const options = benchOptions();
if (!commandExists("wrk")) {
  console.error("wrk not installed (apt install wrk): npm run bench needs it");
  process.exit(1);
}
const shape: LoadShape = { connections: options.connections, seconds: options.seconds };
const warmup: LoadShape = { connections: options.connections, seconds: WARMUP_SECONDS };
const targetWarmup: LoadShape = { connections: options.connections, seconds: TARGET_WARMUP_SECONDS };
const results: ScenarioResults[] = SCENARIOS.map(({ title, unit }) => ({ title, unit, outcomes: new Map<string, Outcome>() }));
const notes: string[] = [];

const dir = mkdtempSync(path.join(os.tmpdir(), "gk-bench-"));
const certificate = makeBenchCertificate(dir);
const backend = await startBenchBackend();
const other = await startBenchBackend("other");
const product = await prepareProduct(backend.port, certificate, options.workers);
const peers: RunningPeer[] = [];
try {
  console.log(
    `Load: wrk -t1 -c${shape.connections} -d${shape.seconds}s (h2load and a websocket client alike) after ${TARGET_WARMUP_SECONDS} s of warm-up per target and ${WARMUP_SECONDS} s per run; ` +
      `${options.workers} workers for the product and each peer; ${os.availableParallelism()} cores; one client address.\n`,
  );
  // First, as it restarts the proxy: what a new site's defaults cost.
  const costs = await measureDefaultsCost(
    product,
    COST_ROUNDS,
    (target) => runWrk(target.httpUrl, targetWarmup),
    async (target) => {
      await runWrk(target.httpUrl, warmup);
      return runWrk(target.httpUrl, shape);
    },
  );

  // Everything up at once (idle but for the one under load), so that each scenario measures every
  // target back to back and the machine's drift does not fall on one of them.
  const { target, proxy } = await product.start();
  const targets = [targetOn("direct", backend.port, null), target];
  for (const peer of PEERS) {
    const binary = findBinary(peer.binary);
    if (binary === null) {
      notes.push(`${peer.name}: not installed (no ${peer.binary} on PATH or in /usr/sbin), skipped.`);
      continue;
    }
    try {
      const running = await startPeer(peer, binary, dir, backend.port, options.workers, certificate);
      peers.push(running);
      targets.push(running.target);
    } catch (error) {
      notes.push(`${peer.name}: did not start, skipped (${String(error).split("\n")[0]}).`);
      console.error(error);
    }
  }
  for (const each of targets) await runWrk(each.httpUrl, targetWarmup);
  for (const [index, scenario] of SCENARIOS.entries()) {
    for (const each of targets) {
      const outcome = await measure(scenario, each);
      results[index]!.outcomes.set(each.name, outcome);
      // A failure of the product's is the finding itself: what it logged says why.
      if (each === target && isSkipped(outcome) && outcome.skipped.startsWith("failed"))
        console.error(`The proxy's log:\n${proxy.log().slice(-PROXY_LOG_TAIL)}`);
    }
  }
  await Promise.all(peers.map((peer) => peer.stop()));

  console.log(notes.map((note) => `${note}\n`).join(""));
  console.log(formatResultsTable(results));
  console.log("");
  console.log(formatCompressionCost(results, PAGE_PLAIN, [PAGE_BROTLI, PAGE_GZIP]));
  console.log(formatCacheGain(results, PROXIED, CACHE_HIT));
  console.log("");
  console.log(formatProductCosts(costs));

  const apply = await measureConfigApply(
    product.siteId,
    target.httpUrl,
    [
      { port: backend.port, body: BODY },
      { port: other.port, body: "other" },
    ],
    APPLY_ROUNDS,
  );
  console.log(
    `- A saved upstream change is served after a median of ${apply.medianMs.toFixed(0)} ms, worst ${apply.worstMs.toFixed(0)} ms (${apply.rounds} saves).`,
  );

  // The same proxy (counting on, after the saves): memory under random paths and client IPs.
  if (options.soakSeconds > 0) {
    if (proxy.child.pid === undefined) throw new Error("the proxy has no pid to watch");
    console.log(`\nSoak for ${options.soakSeconds} s (BENCH_SOAK_SECONDS=0 skips it):`);
    const report = await runSoak({
      seconds: options.soakSeconds,
      proxyPid: proxy.child.pid,
      proxyPort: proxy.httpPort,
      host: BENCH_HOSTNAME,
      backend: backend.server,
    });
    console.log(`\n${formatSoakReport(report)}`);
  }

  await product.close();
  console.log(`\nFootprint of everything \`npm start\` runs, compiled, idle after the dashboard showed each page once (${options.workers} workers):`);
  const footprints = [];
  for (const sites of FOOTPRINT_SITES) {
    footprints.push(
      await measureFootprint(
        sites,
        {
          backends: [
            { port: backend.port, body: BODY },
            { port: other.port, body: "other" },
          ],
        },
        options.workers,
      ),
    );
  }
  console.log(formatFootprints(footprints));
} finally {
  await Promise.all(peers.map((peer) => peer.stop()));
  await product.close();
  await backend.close();
  await other.close();
  rmSync(dir, { recursive: true, force: true });
}

/** One scenario against one target after a short warm-up; a failed run is reported in its cell. */
async function measure(scenario: Scenario, target: Target): Promise<Outcome> {
  let outcome: Outcome;
  try {
    await scenario.run(target, warmup);
    outcome = await scenario.run(target, shape);
  } catch (error) {
    console.error(`${scenario.title} through ${target.name} failed:`, error);
    outcome = { skipped: `failed: ${String(error).split("\n")[0]}` };
  }
  console.error(`  ${target.name}, ${scenario.title}: ${isSkipped(outcome) ? outcome.skipped : `${Math.round(outcome.perSecond)} ${scenario.unit}`}`);
  return outcome;
}
