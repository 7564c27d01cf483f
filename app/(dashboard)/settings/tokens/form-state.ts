import type { FormState } from "@/app/_lib/form-state";

export interface TokenFormState extends FormState {
  token?: string;
  tokenName?: string;
}
