import * as client from "openid-client";
import { recordAudit } from "../audit/record";
import { openCredentials, sealCredentials } from "../certs/key-crypto";
import { db } from "../db";
import { logger } from "../log";
import { emailSchema } from "../schemas/auth";
import { isLoopbackHost, type OidcStored } from "../schemas/oidc";
import { getAppSettings, readOidcWithSecret } from "../services/settings";
import { OidcSignInError } from "./oidc-failure";
import { roleOf } from "./roles";
import { createSession, type SessionUser } from "./sessions";

/** Holds the sign-in's PKCE verifier, state and nonce between the trip to the provider and back. */
export const OIDC_FLOW_COOKIE = "gk_oidc";
export const OIDC_FLOW_COOKIE_PATH = "/api/auth/oidc";
/** Long enough to type a password and a second factor at the provider, short enough to be useless later. */
export const OIDC_FLOW_TTL_MS = 10 * 60 * 1000;
const CALLBACK_PATH = "/api/auth/oidc/callback";
const ACTOR = "single sign-on";

/** The address to register at the identity provider. */
export const oidcRedirectUri = (dashboardOrigin: string): string => `${dashboardOrigin}${CALLBACK_PATH}`;

/** What the sign-in button needs: its name while single sign-on is on, null otherwise. */
export async function oidcButtonName(): Promise<string | null> {
  const { oidc } = await getAppSettings();
  return oidc.enabled ? oidc.displayName : null;
}

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  expiresAt: number;
}

type Enabled = OidcStored & { clientSecret: string | null };

async function enabledSettings(): Promise<Enabled> {
  const settings = await readOidcWithSecret();
  if (!settings.enabled || settings.issuer === "" || settings.clientId === "") throw new OidcSignInError("disabled");
  return settings;
}

/**
 * Reads the provider's metadata each time: a sign-in is rare, and a change of settings or of the
 * provider's keys then needs no restart. Plain http is allowed only for a loopback issuer (the
 * settings refuse any other).
 */
async function discover(settings: Enabled): Promise<client.Configuration> {
  const issuer = new URL(settings.issuer);
  const auth = settings.clientSecret === null ? client.None() : client.ClientSecretBasic(settings.clientSecret);
  const insecure = issuer.protocol === "http:" && isLoopbackHost(issuer.hostname);
  try {
    return await client.discovery(issuer, settings.clientId, undefined, auth, {
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: 10,
    });
  } catch (error) {
    logger.warn({ err: error, issuer: settings.issuer }, "single sign-on: the provider's metadata could not be read");
    throw new OidcSignInError("unavailable", { cause: error });
  }
}

/** Starts a sign-in: where to send the browser, and the sealed flow cookie to set on the way. */
export async function beginOidcSignIn(dashboardOrigin: string, now = Date.now()): Promise<{ url: string; flowCookie: string }> {
  const settings = await enabledSettings();
  const config = await discover(settings);
  const flow: Flow = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    expiresAt: now + OIDC_FLOW_TTL_MS,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(dashboardOrigin),
    scope: "openid email profile",
    response_type: "code",
    code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  // Sealed, so that the browser can neither read the verifier nor forge a flow.
  return { url: url.href, flowCookie: sealCredentials({ ...flow }) };
}

function openFlow(flowCookie: string | undefined, now: number): Flow {
  if (!flowCookie) throw new OidcSignInError("expired");
  let flow: Partial<Flow>;
  try {
    flow = openCredentials(flowCookie) as Partial<Flow>;
  } catch {
    throw new OidcSignInError("expired");
  }
  if (typeof flow.state !== "string" || typeof flow.nonce !== "string" || typeof flow.verifier !== "string") {
    throw new OidcSignInError("expired");
  }
  if (typeof flow.expiresAt !== "number" || flow.expiresAt <= now) throw new OidcSignInError("expired");
  return flow as Flow;
}

/**
 * Finishes a sign-in from the provider's answer (the callback's query): checks state, exchanges
 * the code with the PKCE verifier, validates the ID token and its nonce, and lets in the person
 * its verified email names, by the policy in the settings. Every refusal is an OidcSignInError.
 */
export async function finishOidcSignIn(
  dashboardOrigin: string,
  query: URLSearchParams,
  flowCookie: string | undefined,
  now = new Date(),
): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  try {
    const settings = await enabledSettings();
    const flow = openFlow(flowCookie, now.getTime());
    if (query.get("state") !== flow.state) throw new OidcSignInError("state");
    if (query.has("error")) {
      logger.info({ error: query.get("error"), description: query.get("error_description") }, "single sign-on: the provider refused");
      throw new OidcSignInError(query.get("error") === "access_denied" ? "denied" : "failed");
    }
    const config = await discover(settings);
    const claims = await verifiedClaims(config, dashboardOrigin, query, flow);
    const user = await userFor(claims, settings);
    const session = await createSession(user.id, now);
    await db().user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
    await recordAudit({ action: "sign-in", objectType: "user", objectId: user.id, actor: user.email }, now);
    return { user, ...session };
  } catch (error) {
    const failure = error instanceof OidcSignInError ? error : new OidcSignInError("failed", { cause: error });
    if (!(error instanceof OidcSignInError)) logger.warn({ err: error }, "single sign-on failed");
    // A callback without a flow is most likely a stale tab or a bot: not worth a history entry.
    if (failure.reason !== "expired" && failure.reason !== "disabled") {
      await recordAudit({ action: "sign-in-failed", objectType: "user", objectId: null, actor: failedActor(failure) }, now);
    }
    throw failure;
  }
}

/** Names the email tried where the provider told us one. */
function failedActor(failure: OidcSignInError): string {
  const email = failure.cause instanceof RefusedEmail ? failure.cause.email : null;
  return email ?? ACTOR;
}

class RefusedEmail extends Error {
  constructor(readonly email: string) {
    super(email);
  }
}

interface Claims {
  email: string;
  emailVerified: boolean;
}

async function verifiedClaims(config: client.Configuration, origin: string, query: URLSearchParams, flow: Flow): Promise<Claims> {
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    // The redirect URI sent to the token endpoint is this URL without its query: the one registered.
    tokens = await client.authorizationCodeGrant(config, new URL(`${oidcRedirectUri(origin)}?${query}`), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    logger.warn({ err: error }, "single sign-on: the code exchange or the ID token was refused");
    throw new OidcSignInError(unreachable(error) ? "unavailable" : "failed", { cause: error });
  }
  const idToken = tokens.claims();
  if (!idToken) throw new OidcSignInError("failed");
  let source: Record<string, unknown> = idToken;
  // Many providers put the email in the ID token; the others (oidc-provider by default) only in userinfo.
  if (typeof idToken.email !== "string") {
    try {
      source = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    } catch (error) {
      throw new OidcSignInError(unreachable(error) ? "unavailable" : "failed", { cause: error });
    }
  }
  const email = emailSchema.safeParse(source.email);
  if (!email.success) throw new OidcSignInError("failed");
  // Some providers send the flag as the text "true".
  const verified = source.email_verified === true || source.email_verified === "true";
  return { email: email.data, emailVerified: verified };
}

function unreachable(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof TypeError || current.name === "TimeoutError" || current.name === "AbortError") return true;
  }
  return false;
}

/**
 * Only a verified email identifies a person: anyone can type any address into their own account
 * at a provider. Existing users are matched by it; new people get in only when the settings allow.
 */
export async function userFor(claims: Claims, settings: Pick<OidcStored, "newUsersRole">): Promise<SessionUser> {
  if (!claims.emailVerified) throw new OidcSignInError("unverified", { cause: new RefusedEmail(claims.email) });
  const existing = await db().user.findUnique({ where: { email: claims.email }, select: { id: true, email: true, role: true, inviteHash: true } });
  if (existing) {
    // The provider vouched for the address the invite was sent to: the invite has done its job.
    if (existing.inviteHash !== null) {
      await db().user.update({ where: { id: existing.id }, data: { inviteHash: null, inviteExpiresAt: null } });
    }
    return { id: existing.id, email: existing.email, role: roleOf(existing.role) };
  }
  if (settings.newUsersRole === null) throw new OidcSignInError("unknown_user", { cause: new RefusedEmail(claims.email) });
  // No password: this person signs in through the provider (an admin can send an invite for one).
  const created = await db().user.create({
    data: { email: claims.email, passwordHash: "", role: settings.newUsersRole },
    select: { id: true, email: true },
  });
  await recordAudit({
    action: "create",
    objectType: "user",
    objectId: created.id,
    actor: claims.email,
    after: { email: created.email, role: settings.newUsersRole, via: ACTOR },
  });
  return { ...created, role: settings.newUsersRole };
}
