"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { DNS_PROVIDER_TYPES, type DnsProvider, type DnsProviderTestResult, type DnsProviderType } from "@/lib/schemas/dns-provider";
import { createDnsProvider, deleteDnsProvider, getDnsProvider, testDnsProvider, updateDnsProvider } from "@/lib/services/dns-providers";
import { failure, stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import { fieldName, type ProviderTypeView } from "./form-values";
import { providerTypeView } from "./provider-types";

const isType = (value: string): value is DnsProviderType => (DNS_PROVIDER_TYPES as readonly string[]).includes(value);

/** The form's fields for one type: where the service's "settings.server" and "credentials.tsigSecret" are shown. */
const fieldsOf = (view: ProviderTypeView | undefined): string[] => [
  "name",
  "type",
  ...(view?.settings.map((field) => fieldName("settings", field.key)) ?? []),
  ...(view?.credentials.map((field) => fieldName("credentials", field.key)) ?? []),
];

interface ReadForm {
  input: { name: string; type: string; settings: Record<string, string>; credentials?: Record<string, string> };
  view: ProviderTypeView | undefined;
}

/**
 * The form as the service's input. An empty setting with a default is left out, so the service
 * fills the default in. Credentials are write-only: when editing a provider of the same type, all
 * of them left empty keep the saved ones (left out of the patch).
 */
function readForm(formData: FormData, savedType: DnsProviderType | null): ReadForm {
  const type = text(formData, "type");
  const view = isType(type) ? providerTypeView(type) : undefined;
  const settings: Record<string, string> = {};
  for (const field of view?.settings ?? []) {
    const value = text(formData, fieldName("settings", field.key));
    if (value.trim() !== "" || !field.optional) settings[field.key] = value;
  }
  const credentials = Object.fromEntries((view?.credentials ?? []).map((field) => [field.key, text(formData, fieldName("credentials", field.key))]));
  const keep = type === savedType && Object.values(credentials).every((value) => value === "");
  return { input: { name: text(formData, "name"), type, settings, ...(keep ? {} : { credentials }) }, view };
}

/**
 * Saved credentials are never shown, so they cannot be merged with a few new ones: changing one of
 * several means entering all of them again.
 */
function partialCredentials(read: ReadForm, savedType: DnsProviderType | null): FormState | null {
  const credentials = read.input.credentials;
  if (savedType === null || read.input.type !== savedType || credentials === undefined) return null;
  const empty = Object.entries(credentials).filter(([, value]) => value === "");
  if (empty.length === 0) return null;
  const message = "Enter this one too: the saved credentials are replaced together, and they are never shown.";
  return failure(
    "To change the credentials, enter all of them again.",
    Object.fromEntries(empty.map(([key]) => [fieldName("credentials", key), [message]])),
  );
}

/** Creates a provider (id null) or saves the whole form onto an existing one. */
export async function saveDnsProvider(id: string | null, previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let view: ProviderTypeView | undefined;
  let saved: DnsProvider;
  try {
    const savedType = id === null ? null : (await getDnsProvider(id)).type;
    const read = readForm(formData, savedType);
    view = read.view;
    const refused = partialCredentials(read, savedType);
    if (refused) return { ...refused, nonce: previous.nonce };
    saved = id === null ? await createDnsProvider(read.input) : await updateDnsProvider(id, read.input);
  } catch (error) {
    // Keep the last save's nonce: the form keys its fields on it, and must not reset on an error.
    return { ...stateFromError(error, fieldsOf(view)), nonce: previous.nonce };
  }
  revalidatePath("/", "layout");
  if (id === null) redirect(`/dns-providers/${saved.id}?created=1`);
  return success(
    saved.certificateIds.length > 0
      ? "DNS provider saved. Renewals of the certificates using it go through the new settings."
      : "DNS provider saved.",
  );
}

export async function removeDnsProvider(id: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let name: string;
  try {
    name = (await getDnsProvider(id)).name;
    await deleteDnsProvider(id);
  } catch (error) {
    // A provider in use is refused with 409: its message names the certificates.
    if (error instanceof AppError) return failure(error.message);
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  redirect(`/dns-providers?deleted=${encodeURIComponent(name)}`);
}

export interface TestState extends FormState {
  result?: DnsProviderTestResult;
}

/** "Test": a TXT record created, seen on the zone's servers and deleted, each step reported. */
export async function testProvider(id: string, _previous: TestState, formData: FormData): Promise<TestState> {
  await requireRole("operator");
  try {
    const result = await testDnsProvider(id, { domain: text(formData, "domain").trim() });
    return { status: result.ok ? "success" : "error", result, nonce: Date.now() };
  } catch (error) {
    return { ...stateFromError(error, ["domain"]), nonce: Date.now() };
  }
}
