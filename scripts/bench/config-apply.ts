import http from "node:http";
import { updateSite } from "@/lib/services/sites";

const POLL_MS = 1;

export interface ApplyDelays {
  rounds: number;
  medianMs: number;
  worstMs: number;
}

/**
 * Save -> serving: how long after a saved upstream change the proxy answers from the new
 * upstream, switching the site between two backends that answer different bodies.
 */
export async function measureConfigApply(
  siteId: string,
  proxyUrl: string,
  backends: Array<{ port: number; body: string }>,
  rounds: number,
): Promise<ApplyDelays> {
  const delays: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const { port, body } = backends[(round + 1) % backends.length]!;
    const started = performance.now();
    await updateSite(siteId, { upstreams: [{ url: `http://127.0.0.1:${port}` }] });
    while ((await fetchBody(proxyUrl)) !== body) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    delays.push(performance.now() - started);
  }
  delays.sort((a, b) => a - b);
  return { rounds, medianMs: delays[rounds >> 1]!, worstMs: delays.at(-1)! };
}

function fetchBody(url: string): Promise<string> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve(body));
      })
      .on("error", () => resolve(""));
  });
}
