import type { TlsMode } from "@/lib/schemas/site";

/**
 * What a pass-through site cannot hold (lib/schemas/site.ts checkPassthrough refuses them): the
 * proxy never decrypts its connections, so it has no certificate of its own, sees no request to
 * route or redirect, and sends no header. The form hides these while pass-through is chosen and
 * says that saving removes them; the values typed in them are not sent.
 */
const CLEARED_FOR_PASSTHROUGH = { certificateId: null, hsts: false, redirect: null, routes: [] } as const;

/** The TLS mode the form sent; anything else is sent as it is, for the schema to name. */
export function tlsModeOf(value: string): TlsMode | string {
  return value === "" ? "terminate" : value;
}

/**
 * The form's input for its TLS mode: for a pass-through site, what cannot apply is cleared, and
 * what the form itself found wrong in those hidden fields (a route's status that is not a number)
 * is dropped, so it never stops a save the person cannot see the reason of.
 */
export function inputForTlsMode<T extends Record<string, unknown>>(
  input: T,
  problems: Record<string, string>,
): { input: T; problems: Record<string, string> } {
  if (input.tlsMode !== "passthrough") return { input, problems };
  const cleared = Object.keys(CLEARED_FOR_PASSTHROUGH);
  const kept = Object.fromEntries(
    Object.entries(problems).filter(([path]) => !cleared.some((field) => path === field || path.startsWith(`${field}.`))),
  );
  return { input: { ...input, ...CLEARED_FOR_PASSTHROUGH }, problems: kept };
}

/** What saving as pass-through removes, so it never happens unannounced. */
export interface PassthroughLosses {
  certificate: boolean;
  hsts: boolean;
  routes: number;
  redirect: boolean;
}

/** "the certificate choice, HSTS and 2 routes", or "" when nothing would be lost. */
export function lossWords({ certificate, hsts, routes, redirect }: PassthroughLosses): string {
  const words = [
    certificate ? "the certificate choice" : null,
    hsts ? "HSTS" : null,
    routes > 0 ? `${routes} ${routes === 1 ? "route" : "routes"}` : null,
    redirect ? "the whole-site redirect" : null,
  ].filter((word) => word !== null);
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
