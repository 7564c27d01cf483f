"use client";

import { useState } from "react";
import { ERROR_PAGE_STATUSES, type ErrorPageStatus } from "@/lib/schemas/site-routing";
import { Field } from "@/app/_components/ui/field";
import { SwitchField } from "@/app/_components/ui/switch";
import { Textarea } from "@/app/_components/ui/textarea";
import { hasErrorsUnder } from "@/app/_lib/form-state";
import { Section } from "./form-section";
import type { SiteFormValues } from "./form-values";
import { RedirectFields } from "./redirect-fields";
import { RoutesEditor } from "./routes-editor";

const ERROR_PAGE_WORDS: Record<ErrorPageStatus, string> = {
  "404": "404 · Not found (no route or upstream has the page)",
  "502": "502 · Bad gateway (the upstream server could not be reached)",
  "503": "503 · Unavailable (maintenance, or no healthy upstream)",
  "504": "504 · Gateway timeout (the upstream server took too long)",
};

/** The Routing tab: routes by path, the whole site as a redirect, maintenance, and the proxy's own error pages. */
export function RoutingSection({
  initial,
  errors,
  redirecting,
  onRedirecting,
}: {
  initial: SiteFormValues;
  errors: Record<string, string[]>;
  /** Whether the whole site redirects: SiteForm tells the upstream servers field it is then not needed. */
  redirecting: boolean;
  onRedirecting: (on: boolean) => void;
}) {
  const [redirect, setRedirect] = useState({
    to: initial["redirect.to"],
    status: initial["redirect.status"],
    preservePath: initial["redirect.preservePath"],
  });
  const [maintenance, setMaintenance] = useState(initial["maintenance.enabled"]);

  return (
    <>
      <Section
        id="routes"
        title="Routes"
        description="Send parts of the site elsewhere by their path: an API to other servers, an old page to its new address, a fixed answer. The proxy tries the longest path first; for equal paths, the one listed first. Requests no route takes go to the site's upstream servers."
      >
        <RoutesEditor initial={initial.routes} errors={errors} />
      </Section>

      <Section title="Redirection host" description="Move a whole site: every request to its hostnames goes to another address.">
        <SwitchField
          id="site-redirect"
          name="redirect"
          label="Redirect the whole site"
          description={
            redirecting
              ? "On: visitors are sent to the address below, so the site needs no upstream servers."
              : "When on, the site needs no upstream servers."
          }
          checked={redirecting}
          onChange={onRedirecting}
          error={errors.redirect}
        />
        {redirecting ? (
          <RedirectFields
            id="site-redirect"
            name="redirect"
            values={redirect}
            onChange={(change) => setRedirect((current) => ({ ...current, ...change }))}
            errors={errors}
          />
        ) : null}
      </Section>

      <Section title="Maintenance" description="Show visitors a short “back soon” page while you work on the site.">
        <SwitchField
          id="site-maintenance"
          name="maintenance.enabled"
          label="Maintenance mode"
          description="Visitors get a 503 page with your message. Addresses your access list lets in still get through, so you can check the site."
          checked={maintenance}
          onChange={setMaintenance}
          error={errors["maintenance.enabled"]}
        />
        <Field
          id="site-maintenance-message"
          label="Message for visitors"
          optional
          error={errors["maintenance.message"]}
          hint="Plain text, like “Back at 14:00 UTC.”"
        >
          <Textarea name="maintenance.message" rows={2} defaultValue={initial["maintenance.message"]} />
        </Field>
      </Section>

      <ErrorPagesSection initial={initial} errors={errors} />
    </>
  );
}

function ErrorPagesSection({ initial, errors }: { initial: SiteFormValues; errors: Record<string, string[]> }) {
  const [pages, setPages] = useState(() => Object.fromEntries(ERROR_PAGE_STATUSES.map((code) => [code, initial[`errorPages.${code}`]])));
  // Folded by default (the built-in pages suit most sites); a problem inside unfolds it.
  const [open, setOpen] = useState(false);
  const [seenErrors, setSeenErrors] = useState(errors);
  if (errors !== seenErrors) {
    setSeenErrors(errors);
    if (hasErrorsUnder(errors, "errorPages")) setOpen(true);
  }
  const own = ERROR_PAGE_STATUSES.filter((code) => (pages[code] ?? "").trim() !== "");

  return (
    <Section title="Error pages" description="The pages the proxy shows when it answers by itself. Empty: the built-in page.">
      <details
        open={open}
        onToggle={(event) => setOpen(event.currentTarget.open)}
        className="group rounded-lg border border-slate-200 bg-slate-50/50"
      >
        <summary
          data-testid="error-pages-toggle"
          className="flex cursor-pointer list-none items-start gap-2 px-4 py-3 text-sm select-none [&::-webkit-details-marker]:hidden"
        >
          <svg viewBox="0 0 16 16" aria-hidden="true" className="mt-0.5 size-4 shrink-0 fill-slate-500 transition-transform group-open:rotate-90">
            <path d="M6 3.5 10.5 8 6 12.5V3.5Z" />
          </svg>
          <span className="min-w-0">
            <span className="font-medium text-slate-800">Custom error pages</span>
            {hasErrorsUnder(errors, "errorPages") ? <span className="ml-2 font-medium text-red-700">· needs attention</span> : null}
            <span className="block text-slate-500">{own.length === 0 ? "Built-in pages for all." : `Your own page for ${own.join(", ")}.`}</span>
          </span>
        </summary>
        <div className="space-y-5 border-t border-slate-200 px-4 py-4">
          {ERROR_PAGE_STATUSES.map((code) => (
            <Field
              key={code}
              id={`site-error-page-${code}`}
              label={ERROR_PAGE_WORDS[code]}
              optional
              error={errors[`errorPages.${code}`]}
              hint="HTML. Empty: the built-in page."
            >
              <Textarea
                name={`errorPages.${code}`}
                rows={3}
                mono
                value={pages[code] ?? ""}
                onChange={(event) => {
                  const page = event.currentTarget.value;
                  setPages((current) => ({ ...current, [code]: page }));
                }}
                placeholder="<!doctype html><title>Not found</title><h1>Not found</h1>"
              />
            </Field>
          ))}
        </div>
      </details>
    </Section>
  );
}
