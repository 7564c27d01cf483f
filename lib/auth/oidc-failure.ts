/**
 * Why a single sign-on did not work, as a code in the /login address (never the provider's own
 * text, which the page would otherwise show to anyone who crafts a link) and in plain words.
 */
export const OIDC_FAILURES = {
  disabled: "Single sign-on is not turned on. Sign in with your email and password.",
  unavailable: "The sign-in provider could not be reached. Try again in a moment, or sign in with your password.",
  expired: "The sign-in took too long or was started in another browser. Please try again.",
  state: "The answer from the sign-in provider did not belong to this sign-in, so it was refused. Please try again.",
  denied: "The sign-in was cancelled at the sign-in provider.",
  unverified: "Your sign-in provider has not verified your email address, so it cannot be used to sign in here.",
  unknown_user: "There is no account here for your email address. Ask an admin to invite you.",
  failed: "The sign-in provider's answer could not be used. Please try again, or ask an admin to check the single sign-on settings.",
} as const;

export type OidcFailure = keyof typeof OIDC_FAILURES;

export class OidcSignInError extends Error {
  readonly reason: OidcFailure;

  constructor(reason: OidcFailure, options?: { cause?: unknown }) {
    super(OIDC_FAILURES[reason], options);
    this.name = "OidcSignInError";
    this.reason = reason;
  }
}

/** The words for a code from the /login address, or null for none or one we never send. */
export function oidcFailureWords(code: string | undefined): string | null {
  return code !== undefined && Object.hasOwn(OIDC_FAILURES, code) ? OIDC_FAILURES[code as OidcFailure] : null;
}
