import { builtInPage } from "../data-plane/error-pages";
import { answer } from "./answer";
import type { Stage } from "./stages";

/** How long a visitor (or a crawler) is asked to wait before trying again, in seconds. */
export const MAINTENANCE_RETRY_AFTER_SECONDS = 300;

const DEFAULT_MESSAGE = "This website is down for maintenance. Please try again later.";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

/** The owner's message is text, never markup: it is shown as typed, and cannot inject a script. */
export function maintenancePage(message: string): string {
  return builtInPage("Down for maintenance", escapeHtml(message === "" ? DEFAULT_MESSAGE : message));
}

/**
 * A site in maintenance answers 503 to everyone but the addresses its access list allows, so that
 * the owner can check the site before opening it again; those go on to the protections as always.
 * Without an access list nobody passes. Only visitors are turned away: health checks go straight
 * from the primary to the upstreams, past this pipeline.
 */
export const maintenance: Stage = (ctx) => {
  const site = ctx.site!;
  if (!site.maintenance.enabled || site.protection.accessList?.allowListed(ctx.client.ip) === true) return true;
  return answer(ctx, 503, { "retry-after": String(MAINTENANCE_RETRY_AFTER_SECONDS) }, maintenancePage(site.maintenance.message));
};
