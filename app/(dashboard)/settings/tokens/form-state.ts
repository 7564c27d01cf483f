import type { FormState } from "../../../_lib/form-state";

export interface TokenFormState extends FormState {
  token?: string;
  tokenName?: string;
}
