import { CustomHeadersEditor } from "./custom-headers-editor";
import { Section } from "./form-section";
import type { SiteFormValues } from "./form-values";

/** Headers the proxy adds to or removes from requests and responses; in Advanced, since most sites need none. */
export function CustomHeadersSection({ initial, errors }: { initial: SiteFormValues; errors: Record<string, string[]> }) {
  return (
    <Section
      id="custom-headers"
      title="Custom headers"
      description="Add or remove headers on the request to your server or the response back to the visitor."
    >
      <CustomHeadersEditor initial={initial.customHeaders} errors={errors} />
    </Section>
  );
}
