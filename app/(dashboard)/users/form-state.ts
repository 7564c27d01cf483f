import type { FormState } from "@/app/_lib/form-state";

export interface InviteFormState extends FormState {
  /** The one-time link, sent only in the answer to the admin who made it. */
  inviteUrl?: string;
  email?: string;
}
