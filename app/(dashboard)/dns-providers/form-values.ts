import type { DnsProvider, DnsProviderType } from "@/lib/schemas/dns-provider";

/** One setting or credential of a provider type, as plain data the browser can have. */
export interface ProviderFieldView {
  /** The key under settings or credentials ("server", "tsigSecret"). */
  key: string;
  label: string;
  help?: string;
  placeholder?: string;
  /** The choices, when the field is an enum: shown as a select. */
  options?: string[];
  /** What the service fills in when the field is left empty. */
  defaultValue?: string;
  /** Empty is fine: the service fills in a default or does without. */
  optional: boolean;
}

/** A type of DNS host and its fields, read from lib/dns/providers on the server (it imports node modules). */
export interface ProviderTypeView {
  type: DnsProviderType;
  label: string;
  settings: ProviderFieldView[];
  credentials: ProviderFieldView[];
}

export interface DnsProviderFormValues {
  name: string;
  type: DnsProviderType;
  /** The saved settings as text; credentials are never sent to the browser. */
  settings: Record<string, string>;
  /** The saved type (null for a new provider): only with it may credential fields stay empty. */
  savedType: DnsProviderType | null;
}

export function formValuesOf(provider: DnsProvider): DnsProviderFormValues {
  const settings = Object.fromEntries(
    Object.entries(provider.settings)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => [key, String(value)]),
  );
  return { name: provider.name, type: provider.type, settings, savedType: provider.type };
}

// The first choice of the type select: a name server that takes signed updates needs no account anywhere.
export const NEW_DNS_PROVIDER: DnsProviderFormValues = { name: "", type: "rfc2136", settings: {}, savedType: null };

/** The form field of a setting or credential: named by its path in the service's input, so errors land there. */
export const fieldName = (group: "settings" | "credentials", key: string): string => `${group}.${key}`;
