import type { FormState } from "@/app/_lib/form-state";

export interface CertificateFormState extends FormState {
  created?: { id: string; name: string; domains: string[]; daysLeft: number };
  warnings?: string[];
}
