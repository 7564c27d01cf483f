import type { FormState } from "@/app/_lib/form-state";

/** What the two-factor forms answer: a secret to enrol with, or recovery codes, each shown once. */
export interface TwoFactorState extends FormState {
  enrolment?: { secret: string; qrSvg: string };
  recoveryCodes?: string[];
}
