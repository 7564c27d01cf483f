import type { PreflightResult } from "@/lib/acme/preflight-types";
import type { FormState } from "@/app/_lib/form-state";

export interface PreflightState extends FormState {
  /** One result per hostname; absent when the check could not run (message says why). */
  results?: PreflightResult[];
}
