import type { FormState } from "@/app/_lib/form-state";

/** After "Enable and create token" or "Create a new token": the token, this once. */
export interface MetricsTokenState extends FormState {
  token?: string;
  /** Which token it is: shown only while it is still the current one. */
  tokenCreatedAt?: string;
}
