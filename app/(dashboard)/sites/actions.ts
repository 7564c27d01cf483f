"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError, zodDetails } from "@/lib/errors";
import { mergeSitePatch, siteInputSchema, type Site } from "@/lib/schemas/site";
import { createSite, getSite, updateSite, deleteSite } from "@/lib/services/sites";
import { toSiteData } from "@/lib/services/site-mapper";
import { checked, splitLines, stateFromError, success, text, type FormState, type LineMap } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import { parseUpstreamLines, WEIGHT_MESSAGE } from "@/app/_lib/upstream-lines";
import { SITE_FIELDS } from "./form-values";
import { readRoutingForm, routeHeaderErrorField } from "./routing-form";
import { readCompressionForm } from "./compression-form";
import { readCacheForm } from "./cache-form";
import { customHeaderField, readSecurityForm, type HeaderRowIndex } from "./security-form";
import { inputForTlsMode, tlsModeOf } from "./tls-mode-form";

/** Plain words where the schema leaves zod's generic ones ("Too small: expected number to be >=1"). */
function friendlyMessage(path: string, message: string): string {
  if (!/^(Too (small|big)|Invalid input)/.test(message)) return message;
  if (/^(routes\.\d+\.)?upstreams\.\d+\.weight$/.test(path)) return WEIGHT_MESSAGE;
  if (path === "healthCheck.healthyThreshold" || path === "healthCheck.unhealthyThreshold") {
    return "Use a whole number of checks from 1 to 20";
  }
  return message;
}

/** The same error worded for people, with each custom header's and route header's details named by the form row it came from. */
function forTheForm(error: unknown, form: ReadForm | undefined): unknown {
  if (!(error instanceof AppError)) return error;
  const details: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.details)) {
    const field = (form && (customHeaderField(path, form.headerRows) ?? routeHeaderErrorField(path, form.routeHeaderRows))) ?? path;
    // Several paths can land on one field (a header entry's own and its name's): the first says enough.
    details[field] ??= friendlyMessage(path, message);
  }
  return new AppError(error.code, error.message, details);
}

/** The shape lib/schemas/upstream-health.ts accepts for an expected status: "200" or "200-399". */
const STATUS_RANGE = /^[1-5]\d\d(?:-[1-5]\d\d)?$/;

interface ReadForm {
  input: Record<string, unknown>;
  lines: LineMap;
  /** What the form itself found wrong (a number that is not one, an unknown word on an upstream line), by service path. */
  problems: Record<string, string>;
  /** Which custom-header row each entry of the four header lists came from. */
  headerRows: HeaderRowIndex;
  /** Which header-match row of each route each header came from. */
  routeHeaderRows: Map<string, number>[];
  /** The fields errors can be shown at, the custom-header rows' and the routes' included. */
  fields: string[];
}

/** `patch`: the form is saved onto an existing site (a cleared error page must then be sent as removed). */
function readSiteForm(formData: FormData, { patch }: { patch: boolean }): ReadForm {
  const problems: Record<string, string> = {};
  const hostnames = splitLines(text(formData, "hostnames"), { kind: "names" });
  const upstreams = parseUpstreamLines(text(formData, "upstreams"));
  Object.assign(problems, upstreams.errors);
  const certificateId = text(formData, "certificateId");
  const security = readSecurityForm(formData);
  Object.assign(problems, security.problems);
  const routing = readRoutingForm(formData, { patch });
  Object.assign(problems, routing.problems);

  /** A whole number as typed, or NaN (with a problem noted) so the schema still checks the rest. */
  const whole = (path: string, example: string, unit: string): number => {
    const value = text(formData, path).trim();
    if (/^\d+$/.test(value)) return Number(value);
    problems[path] = value === "" ? `Enter a number of ${unit}, like ${example}` : `Use a whole number of ${unit}, like ${example}`;
    return Number.NaN;
  };

  /**
   * The schema's own check throws on a value that is no status code at all (its range refine
   * runs after the regex failed), so such a value is caught here and never reaches it.
   */
  const statusRange = (value: string): string => {
    if (STATUS_RANGE.test(value.trim())) return value;
    problems["healthCheck.expectedStatus"] = 'Write a status code like "200" or a range like "200-399"';
    return "200-399";
  };

  const forMode = inputForTlsMode(
    {
      name: text(formData, "name"),
      hostnames: hostnames.items,
      upstreams: upstreams.items,
      certificateId: certificateId === "" ? null : certificateId,
      enabled: checked(formData, "enabled"),
      forceHttps: checked(formData, "forceHttps"),
      hsts: checked(formData, "hsts"),
      websockets: checked(formData, "websockets"),
      preserveHost: checked(formData, "preserveHost"),
      verifyUpstreamTls: checked(formData, "verifyUpstreamTls"),
      allowLinkLocalUpstreams: checked(formData, "allowLinkLocalUpstreams"),
      tlsMode: tlsModeOf(text(formData, "tlsMode")),
      proxyProtocol: checked(formData, "proxyProtocol"),
      loadBalancing: { policy: text(formData, "loadBalancing.policy") },
      healthCheck: {
        enabled: checked(formData, "healthCheck.enabled"),
        path: text(formData, "healthCheck.path"),
        intervalSeconds: whole("healthCheck.intervalSeconds", "10", "seconds"),
        timeoutSeconds: whole("healthCheck.timeoutSeconds", "5", "seconds"),
        expectedStatus: statusRange(text(formData, "healthCheck.expectedStatus")),
        healthyThreshold: whole("healthCheck.healthyThreshold", "2", "checks"),
        unhealthyThreshold: whole("healthCheck.unhealthyThreshold", "3", "checks"),
      },
      passiveHealthCountsServerErrors: checked(formData, "passiveHealthCountsServerErrors"),
      ...security.input,
      ...routing.input,
      ...readCompressionForm(formData),
      ...readCacheForm(formData),
    },
    problems,
  );
  return {
    input: forMode.input,
    lines: { hostnames: hostnames.lines, upstreams: upstreams.lines, ...routing.lines },
    problems: forMode.problems,
    headerRows: security.headerRows,
    routeHeaderRows: routing.headerRows,
    fields: [...SITE_FIELDS, ...security.headerFields, ...routing.fields],
  };
}

/**
 * When the form found problems of its own, nothing is saved: the schema still checks every other
 * field, so all the errors show at once (only what needs the database, such as a hostname another
 * site uses, waits for the next save).
 */
function refuseWithProblems(existing: Site | null, form: ReadForm): void {
  if (Object.keys(form.problems).length === 0) return;
  const checkedInput = existing ? mergeSitePatch(toSiteData(existing), form.input) : siteInputSchema.safeParse(form.input);
  const details = checkedInput.success ? {} : zodDetails(checkedInput.error);
  throw new AppError("validation_failed", "Some fields need attention", { ...details, ...form.problems });
}

/** Creates a site (siteId null) or saves the whole form onto an existing one. */
export async function saveSite(siteId: string | null, previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let form: ReadForm | undefined;
  let saved: Site;
  try {
    const existing = siteId === null ? null : await getSite(siteId);
    form = readSiteForm(formData, { patch: existing !== null });
    refuseWithProblems(existing, form);
    saved = siteId === null ? await createSite(form.input) : await updateSite(siteId, form.input);
  } catch (error) {
    // Keep the last save's nonce: the form keys its fields on it, and must not reset on an error.
    return { ...stateFromError(forTheForm(error, form), form?.fields ?? SITE_FIELDS, form?.lines), nonce: previous.nonce };
  }
  revalidatePath("/", "layout");
  if (siteId === null) redirect(`/sites/${saved.id}?created=1`);
  return success("Site saved. The proxy applies the change within a few seconds.");
}

export async function setSiteEnabled(siteId: string, enabled: boolean, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  try {
    await updateSite(siteId, { enabled });
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  return success(enabled ? "Site enabled." : "Site disabled.");
}

export async function removeSite(siteId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let name: string;
  try {
    name = (await getSite(siteId)).name;
    await deleteSite(siteId);
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  redirect(`/sites?deleted=${encodeURIComponent(name)}`);
}
