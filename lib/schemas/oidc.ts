import { z } from "zod";
import { ROLES } from "../auth/roles";

const MAX_URL_LENGTH = 2048;

/** Hosts whose traffic never leaves the machine: the only ones where a plain-http issuer is allowed. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The identity provider's issuer URL. https is required: the ID token, the client secret and the
 * code travel over it. Plain http only for a provider on this machine (a test or a local IdP).
 */
export const issuerSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, `Use at most ${MAX_URL_LENGTH} characters`)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter the issuer URL, like https://accounts.example.com" });
      return;
    }
    if (url.protocol === "https:") return;
    if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return;
    ctx.addIssue({
      code: "custom",
      message:
        url.protocol === "http:"
          ? "Use https:// for the issuer: plain http is allowed only for a provider on this machine (localhost)"
          : "Enter the issuer URL, like https://accounts.example.com",
    });
  });

/** Who may sign in: null means only people who already have an account; a role lets new people in with it. */
export const newUsersRoleSchema = z.enum(ROLES, { error: 'Choose null, "viewer", "operator" or "admin"' }).nullable();

const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Enter the name shown on the button, like Google or Keycloak")
  .max(40, "Use at most 40 characters for the button's name");

/** What is stored (without the secret, which is sealed in a setting of its own). */
export const oidcStoredSchema = z.object({
  enabled: z.boolean().default(false),
  issuer: z.union([z.literal(""), issuerSchema]).default(""),
  clientId: z.string().trim().max(256, "Use at most 256 characters").default(""),
  displayName: displayNameSchema.default("SSO"),
  newUsersRole: newUsersRoleSchema.default(null),
});
export type OidcStored = z.output<typeof oidcStoredSchema>;

/** What GET /settings shows: the secret only as whether one is kept. */
export type OidcSettings = OidcStored & { hasClientSecret: boolean };

export const DEFAULT_OIDC: OidcSettings = {
  enabled: false,
  issuer: "",
  clientId: "",
  displayName: "SSO",
  newUsersRole: null,
  hasClientSecret: false,
};

/**
 * A change: only the fields sent. `clientSecret` is write-only; a string replaces it, null forgets
 * it (a public client, PKCE only), and leaving it out keeps the one saved.
 */
export const oidcPatchSchema = z
  .object({
    enabled: z.boolean(),
    issuer: z.union([z.literal(""), issuerSchema]),
    clientId: z.string().trim().max(256, "Use at most 256 characters"),
    clientSecret: z.string().min(1, "Enter the client secret, or leave the field out to keep the saved one").max(1024).nullable(),
    displayName: displayNameSchema,
    newUsersRole: newUsersRoleSchema,
  })
  .partial()
  .strict();
export type OidcPatch = z.output<typeof oidcPatchSchema>;

/** The rule across fields: turning sign-in on needs somewhere to send people and a client to be. */
export const oidcEnabledSchema = oidcStoredSchema.superRefine((value, ctx) => {
  if (!value.enabled) return;
  if (value.issuer === "") ctx.addIssue({ code: "custom", path: ["issuer"], message: "Enter the issuer URL to turn on single sign-on" });
  if (value.clientId === "") ctx.addIssue({ code: "custom", path: ["clientId"], message: "Enter the client ID to turn on single sign-on" });
});
