"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { upstreamUrlSchema } from "../../../lib/schemas/upstream";
import type { Site } from "../../../lib/schemas/site";
import { createSite, deleteSite, getSite, updateSite } from "../../../lib/services/sites";
import { checked, splitLines, stateFromError, success, text, type FormState, type LineMap } from "../../_lib/form-state";
import { requireUser } from "../../_lib/session";

const FIELDS = [
  "name",
  "hostnames",
  "upstreams",
  "certificateId",
  "enabled",
  "forceHttps",
  "hsts",
  "websockets",
  "preserveHost",
  "verifyUpstreamTls",
] as const;

function readSiteForm(formData: FormData, existing: Site | null): { input: Record<string, unknown>; lines: LineMap } {
  const hostnames = splitLines(text(formData, "hostnames"), { splitWords: true });
  const upstreams = splitLines(text(formData, "upstreams"));
  // The form does not show weights yet: keep the stored weight of every upstream that stays.
  const weights = new Map(existing?.upstreams.map((upstream) => [upstream.url, upstream.weight]) ?? []);
  const upstreamInputs = upstreams.items.map((url) => {
    const normalized = upstreamUrlSchema.safeParse(url);
    const weight = normalized.success ? weights.get(normalized.data) : undefined;
    return weight === undefined ? { url } : { url, weight };
  });
  const certificateId = text(formData, "certificateId");
  return {
    input: {
      name: text(formData, "name"),
      hostnames: hostnames.items,
      upstreams: upstreamInputs,
      certificateId: certificateId === "" ? null : certificateId,
      enabled: checked(formData, "enabled"),
      forceHttps: checked(formData, "forceHttps"),
      hsts: checked(formData, "hsts"),
      websockets: checked(formData, "websockets"),
      preserveHost: checked(formData, "preserveHost"),
      verifyUpstreamTls: checked(formData, "verifyUpstreamTls"),
    },
    lines: { hostnames: hostnames.lines, upstreams: upstreams.lines },
  };
}

/** Creates a site (siteId null) or saves the whole form onto an existing one. */
export async function saveSite(siteId: string | null, previous: FormState, formData: FormData): Promise<FormState> {
  await requireUser();
  let lines: LineMap = {};
  let saved: Site;
  try {
    const existing = siteId === null ? null : await getSite(siteId);
    const form = readSiteForm(formData, existing);
    lines = form.lines;
    saved = siteId === null ? await createSite(form.input) : await updateSite(siteId, form.input);
  } catch (error) {
    // Keep the last save's nonce: the form keys its fields on it, and must not reset on an error.
    return { ...stateFromError(error, FIELDS, lines), nonce: previous.nonce };
  }
  revalidatePath("/", "layout");
  if (siteId === null) redirect(`/sites/${saved.id}?created=1`);
  return success("Site saved. The proxy applies the change within a few seconds.");
}

export async function setSiteEnabled(siteId: string, enabled: boolean, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireUser();
  try {
    await updateSite(siteId, { enabled });
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  return success(enabled ? "Site enabled." : "Site disabled.");
}

export async function removeSite(siteId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireUser();
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
