import type { FormState } from "@/app/_lib/form-state";

/** The result of "Send test": the receiver's answer in plain words. */
export interface WebhookTestState extends FormState {
  ok?: boolean;
}
