import type { PreflightResult } from "../acme/preflight-types";
import { askProxy } from "../config/control-client";

/**
 * Before ordering: does each name resolve, and does its HTTP-01 path reach this proxy? The proxy
 * primary runs the check, because it is the one that can publish a probe token on every worker.
 */
export function preflightHostnames(hostnames: string[]): Promise<PreflightResult[]> {
  return askProxy<PreflightResult[]>("/acme/preflight", { hostnames });
}
