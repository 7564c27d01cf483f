import type { SelectableUpstream, SelectionContext, SelectionPolicy } from "../proxy/upstream/selection-policy";

/** Upstreams a, b, c, ... with these weights; each address is "http://<id>". */
export function upstreams(...weights: number[]): SelectableUpstream[] {
  return weights.map((weight, i) => {
    const id = String.fromCharCode(97 + i);
    return { id, address: `http://${id}`, weight };
  });
}

/** These upstream ids, as a skip set. */
export function skipping(...ids: string[]): ReadonlySet<string> {
  return new Set(ids);
}

/** The ids of `picks` consecutive picks, as one string ("abcabc"); "-" where nothing was picked. */
export function pickSequence(
  policy: SelectionPolicy,
  list: readonly SelectableUpstream[],
  picks: number,
  ctx: SelectionContext | (() => SelectionContext) = {},
): string {
  let sequence = "";
  for (let i = 0; i < picks; i++) sequence += policy.pick(list, typeof ctx === "function" ? ctx() : ctx)?.id ?? "-";
  return sequence;
}

/** How many of `picks` picks went to each id. */
export function pickCounts(
  policy: SelectionPolicy,
  list: readonly SelectableUpstream[],
  picks: number,
  ctx: SelectionContext | ((i: number) => SelectionContext) = {},
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < picks; i++) {
    const id = policy.pick(list, typeof ctx === "function" ? ctx(i) : ctx)?.id ?? "-";
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}
