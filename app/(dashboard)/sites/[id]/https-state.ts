import type { PreflightResult } from "@/lib/acme/preflight-types";
import type { FormState } from "@/app/_lib/form-state";

export interface PreflightState extends FormState {
  /** One result per hostname; absent when the check could not run (message says why). */
  results?: PreflightResult[];
}

/** A saved DNS provider as the order form offers it (the rest of it stays on the server). */
export interface DnsProviderOption {
  id: string;
  name: string;
  /** The type's label, e.g. "Cloudflare". */
  typeLabel: string;
}
