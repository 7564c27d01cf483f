import type { z } from "zod";
import { DNS_PROVIDERS } from "@/lib/dns/providers";
import { DNS_PROVIDER_TYPES, type DnsProviderType } from "@/lib/schemas/dns-provider";
import type { ProviderFieldView, ProviderTypeView } from "./form-values";

/**
 * Every type's fields as plain data for the form. Server only: the definitions import node modules
 * (the RFC 2136 client, the AWS SDK). Whether a field is an enum, optional or has a default is
 * read from its zod schema, so the form never disagrees with what the service accepts.
 */
export function providerTypeViews(): ProviderTypeView[] {
  return DNS_PROVIDER_TYPES.map(providerTypeView);
}

export function providerTypeView(type: DnsProviderType): ProviderTypeView {
  const definition = DNS_PROVIDERS[type];
  const labels = definition.labels as { settings: Record<string, ProviderFieldView>; credentials: Record<string, ProviderFieldView> };
  const fields = (object: z.ZodObject, group: "settings" | "credentials"): ProviderFieldView[] =>
    Object.entries(object.shape).map(([key, schema]) => {
      const { label, help, placeholder } = labels[group][key] ?? { label: key };
      return { key, label, help, placeholder, ...shapeOf(schema as z.ZodType) };
    });
  return {
    type,
    label: definition.label,
    settings: fields(definition.settings, "settings"),
    credentials: fields(definition.credentials, "credentials"),
  };
}

/** Looks through .default() and .optional() for an enum's options. */
function shapeOf(schema: z.ZodType): Pick<ProviderFieldView, "options" | "defaultValue" | "optional"> {
  let inner = schema;
  let defaultValue: string | undefined;
  let optional = false;
  for (;;) {
    const def = inner.def as { type: string; innerType?: z.ZodType; defaultValue?: unknown };
    if (def.type === "default") {
      defaultValue = String(def.defaultValue);
      optional = true;
    } else if (def.type === "optional") {
      optional = true;
    } else {
      break;
    }
    inner = def.innerType as z.ZodType;
  }
  const options = inner.def.type === "enum" ? (inner as z.ZodEnum).options.map(String) : undefined;
  return { ...(options ? { options } : {}), ...(defaultValue !== undefined ? { defaultValue } : {}), optional };
}
