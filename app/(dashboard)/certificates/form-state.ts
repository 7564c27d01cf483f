import type { FormState } from "../../_lib/form-state";

export interface CertificateFormState extends FormState {
  created?: { id: string; name: string; domains: string[]; daysLeft: number };
  warnings?: string[];
}
