"use client";

import Link from "next/link";
import { type ReactNode, useState } from "react";
import { coveringWildcard, uncoveredHostnames } from "@/lib/certs/covers";
import { ActionForm } from "@/app/_components/action-form";
import { expiryText } from "@/app/_components/expiry-bar";
import { FormFooter } from "@/app/_components/form-footer";
import { IfMayChange } from "@/app/_components/role-scope";
import { Alert } from "@/app/_components/ui/alert";
import { Card } from "@/app/_components/ui/card";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { Textarea } from "@/app/_components/ui/textarea";
import { hasErrorsUnder, splitLines, splitSummary } from "@/app/_lib/form-state";
import { type FormAction, useEditForm } from "@/app/_lib/use-edit-form";
import { displayHostname } from "@/lib/net/display-hostname";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import type { AccessListOption } from "@/lib/services/site-security-options";
import { CacheSection } from "./cache-section";
import { CompressionSection } from "./compression-section";
import { CustomHeadersSection } from "./custom-headers-section";
import { Section } from "./form-section";
import type { CertificateChoice, SiteFormValues } from "./form-values";
import { HealthCheckSection } from "./health-check-section";
import { HstsField } from "./hsts-field";
import { LoadBalancingSection } from "./load-balancing-section";
import { RoutingSection } from "./routing-section";
import { SecuritySection } from "./security-section";
import { SITE_TAB_PANEL_ID, SiteTabList, siteTabId } from "./site-tab-list";
import { SITE_TABS, type SiteTab } from "./site-tabs";
import { TlsModeSection } from "./tls-mode-section";
import { NotForPassthrough } from "./not-for-passthrough";
import { TlsPolicyField } from "./tls-policy-field";
import type { TlsMode } from "@/lib/schemas/site";
import { tabPanelProps, useSiteTab } from "./use-site-tab";

/**
 * The whole site in one form, shown a tab at a time. Every tab's fields stay rendered (hidden, not
 * unmounted), so switching tabs keeps unsaved edits and one save sends them all. `cards` are live
 * views shown above a tab's fields, outside the form (some hold forms of their own).
 */
export function SiteForm({
  action,
  initial,
  version = "new",
  certificates,
  accessLists,
  submitLabel,
  cancelHref,
  initialTab,
  cards = {},
}: {
  action: FormAction;
  initial: SiteFormValues;
  /** Changes whenever the saved site changes (its updatedAt), also from outside this form. */
  version?: string;
  certificates: CertificateChoice[];
  accessLists: AccessListOption[];
  submitLabel: string;
  cancelHref: string;
  initialTab: SiteTab;
  cards?: Partial<Record<SiteTab, ReactNode>>;
}) {
  const { state, dispatch, pending, formRef, fieldsKey, markDirty } = useEditForm(action, version);
  const { tab, select, withErrors } = useSiteTab(initialTab, formRef, state);

  // Whether the health check settings are unfolded lives here, not in the fields, so a save (which
  // re-reads the saved values) does not fold them away under the user. A problem inside unfolds them.
  const [checksOpen, setChecksOpen] = useState(false);
  const [seenState, setSeenState] = useState(state);
  if (state !== seenState) {
    setSeenState(state);
    if (hasErrorsUnder(state.fieldErrors ?? {}, "healthCheck")) setChecksOpen(true);
  }

  return (
    <>
      <SiteTabList selected={tab} onSelect={select} withErrors={withErrors} />
      {/* One panel for every tab: the form cannot be split, so the panel's content changes with the tab. */}
      <div role="tabpanel" id={SITE_TAB_PANEL_ID} aria-labelledby={siteTabId(tab)}>
        {SITE_TABS.map(({ id }) =>
          cards[id] ? (
            <div key={id} hidden={id !== tab} data-tab-cards={id}>
              {cards[id]}
            </div>
          ) : null,
        )}
        <ActionForm ref={formRef} action={dispatch} noValidate aria-label="Site settings" onInput={markDirty}>
          <Card className="divide-y divide-slate-100">
            {/* Re-read saved values after each successful save (the server normalizes them). */}
            <SiteFields
              key={fieldsKey}
              tab={tab}
              initial={initial}
              certificates={certificates}
              pickWildcard={version === "new"}
              accessLists={accessLists}
              errors={state.fieldErrors ?? {}}
              checksOpen={checksOpen}
              onChecksOpen={setChecksOpen}
            />
            <FormFooter state={state} cancelHref={cancelHref} pending={pending} submitLabel={submitLabel} />
          </Card>
        </ActionForm>
      </div>
    </>
  );
}

function SiteFields({
  tab,
  initial,
  certificates,
  pickWildcard,
  accessLists,
  errors,
  checksOpen,
  onChecksOpen,
}: {
  tab: SiteTab;
  initial: SiteFormValues;
  certificates: CertificateChoice[];
  /** A new site: until a certificate is chosen, the wildcard certificate that covers its names is. */
  pickWildcard: boolean;
  accessLists: AccessListOption[];
  errors: Record<string, string[]>;
  checksOpen: boolean;
  onChecksOpen: (open: boolean) => void;
}) {
  // Tracked only to warn, live, when the chosen certificate does not cover every hostname.
  const [hostnames, setHostnames] = useState(initial.hostnames);
  // Tracked to explain the chosen policy against the upstream lines (weights, order) as they are typed.
  const [upstreams, setUpstreams] = useState(initial.upstreams);
  const [policy, setPolicy] = useState<LoadBalancingPolicy>(initial["loadBalancing.policy"]);
  const [certificateId, setCertificateId] = useState(initial.certificateId);
  const [certificateChosen, setCertificateChosen] = useState(!pickWildcard || initial.certificateId !== "");
  // A site that redirects as a whole needs no upstream servers: the Upstreams tab says so.
  const [redirecting, setRedirecting] = useState(initial.redirect);
  // Pass-through hides what the proxy cannot do without decrypting (the fields stay in the form).
  const [tlsMode, setTlsMode] = useState<TlsMode>(initial.tlsMode);
  const passthrough = tlsMode === "passthrough";
  // Enabled follows Disable/Enable site even while other fields hold unsaved edits, so a save
  // never silently turns a site back on.
  const [enabled, setEnabled] = useState(initial.enabled);
  const [savedEnabled, setSavedEnabled] = useState(initial.enabled);
  if (initial.enabled !== savedEnabled) {
    setSavedEnabled(initial.enabled);
    setEnabled(initial.enabled);
  }
  const hostnameList = splitLines(hostnames, { kind: "names" }).items;
  const picked = certificateChosen ? undefined : coveringWildcard(certificates, hostnameList);
  const selectedId = picked?.id ?? certificateId;
  const chosen = certificates.find((certificate) => certificate.id === selectedId);
  const hostnamesRead = splitSummary(hostnames, "names", ["hostname", "hostnames"]);
  const uncovered = chosen ? uncoveredHostnames(chosen.domains, hostnameList) : [];
  const knownCertificate = selectedId === "" || chosen !== undefined;

  return (
    <>
      <div {...tabPanelProps("details", tab)} className="divide-y divide-slate-100">
        <Section title="Site" description="A name for you; visitors never see it.">
          <Field id="site-name" label="Site name" error={errors.name} hint="For example “Company blog” or “Grafana”.">
            <Input name="name" defaultValue={initial.name} autoComplete="off" maxLength={100} />
          </Field>
          <SwitchField
            id="site-enabled"
            name="enabled"
            label="Enabled"
            description="When off, the proxy stops serving this site's hostnames."
            checked={enabled}
            onChange={setEnabled}
            error={errors.enabled}
          />
        </Section>

        <Section title="Addresses" description="Which web addresses this site answers.">
          <Field
            id="site-hostnames"
            label="Hostnames"
            error={errors.hostnames}
            hint={
              <>
                One per line, or separated by commas or spaces: example.com or *.example.com. Point their DNS at this server.
                {hostnamesRead ? (
                  <span className="mt-1 block text-slate-700" data-testid="hostnames-reading">
                    {hostnamesRead}
                  </span>
                ) : null}
              </>
            }
          >
            <Textarea
              name="hostnames"
              rows={3}
              mono
              defaultValue={initial.hostnames}
              onChange={(event) => setHostnames(event.currentTarget.value)}
              placeholder={"example.com\nwww.example.com"}
              autoCapitalize="off"
            />
          </Field>
        </Section>

        <TlsModeSection
          mode={tlsMode}
          onMode={setTlsMode}
          proxyProtocol={initial.proxyProtocol}
          losses={{ certificate: initial.certificateId !== "", hsts: initial.hsts, routes: initial.routes.length, redirect: initial.redirect }}
          errors={errors}
        />
      </div>

      <div {...tabPanelProps("upstreams", tab)} className="divide-y divide-slate-100">
        <Section title="Upstream servers" description="Your servers that do the work behind the site: the proxy sends visitors on to them.">
          <Field
            id="site-upstreams"
            label="Upstream servers"
            optional={redirecting && !passthrough}
            error={errors.upstreams}
            hint={
              passthrough ? (
                <>
                  One per line, written <span className="font-mono">tcp://host:port</span>, like tcp://10.0.0.5:443: the servers that hold this
                  site&apos;s certificate. The encrypted connection goes to them as it is. To give a server a bigger share, add a weight after it:{" "}
                  <span className="font-mono">tcp://10.0.0.6:443 weight=3</span>.
                </>
              ) : (
                <>
                  {redirecting ? "Not needed while the whole site redirects (see Routing). " : null}
                  One per line, like http://10.0.0.5:8080. With several, traffic is shared between them (see Load balancing). To give a server a
                  bigger share, add a weight after it: <span className="font-mono">http://10.0.0.6:8080 weight=3</span>.
                </>
              )
            }
          >
            <Textarea
              name="upstreams"
              rows={3}
              mono
              defaultValue={initial.upstreams}
              onChange={(event) => setUpstreams(event.currentTarget.value)}
              placeholder={passthrough ? "tcp://10.0.0.5:443\ntcp://10.0.0.6:443 weight=3" : "http://10.0.0.5:8080\nhttp://10.0.0.6:8080 weight=3"}
              autoCapitalize="off"
            />
          </Field>
        </Section>

        <LoadBalancingSection policy={policy} onPolicy={setPolicy} upstreams={upstreams} error={errors["loadBalancing.policy"]} />

        <HealthCheckSection initial={initial} errors={errors} open={checksOpen} onOpen={onChecksOpen} passthrough={passthrough} />
      </div>

      <div {...tabPanelProps("routing", tab)} className="divide-y divide-slate-100">
        <NotForPassthrough
          passthrough={passthrough}
          what="Routes, redirect, maintenance and error pages"
          why="The proxy never sees the requests, so it cannot route them or answer them itself. Saving as pass-through removes the routes and the redirect."
        >
          <RoutingSection initial={initial} errors={errors} redirecting={redirecting} onRedirecting={setRedirecting} />
        </NotForPassthrough>
      </div>

      <div {...tabPanelProps("https", tab)} className="divide-y divide-slate-100">
        <Section
          title="HTTPS"
          description={
            passthrough
              ? "The upstream servers hold the certificate and decrypt the connection themselves."
              : "Serve the site over an encrypted connection with a certificate for its hostnames."
          }
        >
          {passthrough ? (
            <p data-testid="not-for-passthrough" className="text-sm text-slate-500">
              <span className="font-medium text-slate-700">Certificate, HSTS and HTTPS versions</span>: not used with TLS pass-through. The upstream
              shows its own certificate, chooses the TLS versions and sends its own headers: turn HSTS on there.
            </p>
          ) : null}
          <div hidden={passthrough} className="space-y-5" data-testid="certificate-settings">
            <Field
              id="site-certificate"
              label="HTTPS certificate"
              error={errors.certificateId}
              hint={
                <>
                  {chosen ? <>Covers {chosen.domains.map(displayHostname).join(", ")}. </> : null}
                  {picked ? <>Chosen for you: it covers every hostname. </> : null}
                  <IfMayChange>
                    <Link href="/certificates/new" className="text-indigo-700 underline">
                      Add a certificate
                    </Link>{" "}
                    if yours is not in the list.
                  </IfMayChange>
                </>
              }
            >
              <Select
                name="certificateId"
                value={selectedId}
                onChange={(event) => {
                  setCertificateId(event.currentTarget.value);
                  setCertificateChosen(true);
                }}
              >
                <option value="">None (HTTP only)</option>
                {!knownCertificate ? <option value={selectedId}>Unknown certificate</option> : null}
                {certificates.map((certificate) => (
                  <option key={certificate.id} value={certificate.id}>
                    {certificate.name} · {expiryText(certificate.daysLeft)}
                    {certificate.source === "self-signed" ? " · self-signed" : ""}
                  </option>
                ))}
              </Select>
            </Field>
            {uncovered.length > 0 ? (
              <Alert tone="warning" testId="certificate-warning" title="This certificate does not cover every hostname">
                <p>
                  Not covered: <span className="font-mono">{uncovered.map(displayHostname).join(", ")}</span>. Visitors to{" "}
                  {uncovered.length === 1 ? "it" : "them"} will see a browser warning. You can still save.
                </p>
              </Alert>
            ) : null}
          </div>
          <div className="divide-y divide-slate-100">
            <SwitchField
              id="site-force-https"
              name="forceHttps"
              label="Force HTTPS"
              description={
                passthrough
                  ? "Send visitors who type http:// to the https:// address."
                  : "Send visitors who type http:// to the https:// address. Needs a certificate."
              }
              defaultChecked={initial.forceHttps}
              error={errors.forceHttps}
            />
            <div hidden={passthrough}>
              <HstsField initial={initial} errors={errors} />
            </div>
          </div>
          <div hidden={passthrough}>
            <TlsPolicyField initial={initial.tlsPolicy} error={errors.tlsPolicy} />
          </div>
        </Section>
      </div>

      <div {...tabPanelProps("protection", tab)} className="divide-y divide-slate-100">
        <SecuritySection initial={initial} accessLists={accessLists} errors={errors} passthrough={passthrough} />
      </div>

      <div {...tabPanelProps("advanced", tab)} className="divide-y divide-slate-100">
        <NotForPassthrough
          passthrough={passthrough}
          what="Custom headers, compression and cache"
          why="The proxy passes the encrypted bytes on as they are: it cannot read or change the answers."
        >
          <CustomHeadersSection initial={initial} errors={errors} />

          <CompressionSection initial={initial} errors={errors} />

          <CacheSection initial={initial} errors={errors} />
        </NotForPassthrough>

        <Section title="Connection" description="How the proxy talks to your upstream servers. The defaults suit most apps.">
          <div className="divide-y divide-slate-100">
            {passthrough ? (
              <p className="py-3 text-sm text-slate-500">
                Websockets, the Host header and checking the upstream&apos;s certificate are up to the visitor&apos;s browser and the upstream: the
                proxy only passes the connection on.
              </p>
            ) : null}
            <div hidden={passthrough} className="divide-y divide-slate-100">
              <SwitchField
                id="site-websockets"
                name="websockets"
                label="Websockets"
                description="Let live connections through (chat, notifications, live dashboards)."
                defaultChecked={initial.websockets}
                error={errors.websockets}
              />
              <SwitchField
                id="site-preserve-host"
                name="preserveHost"
                label="Keep original Host header"
                description="Tell the upstream which hostname the visitor asked for. Turn off if it only answers to its own name."
                defaultChecked={initial.preserveHost}
                error={errors.preserveHost}
              />
              <SwitchField
                id="site-verify-upstream-tls"
                name="verifyUpstreamTls"
                label="Verify upstream certificate"
                description="For https:// upstreams, check their certificate. Turn off only for internal servers with self-signed ones."
                defaultChecked={initial.verifyUpstreamTls}
                error={errors.verifyUpstreamTls}
              />
            </div>
            <SwitchField
              id="site-allow-link-local-upstreams"
              name="allowLinkLocalUpstreams"
              label="Allow link-local upstreams"
              description="Let upstreams use 169.254.x.x or fe80:: addresses. Cloud servers get their credentials from such an address (the metadata service): leave off unless your app really lives there."
              defaultChecked={initial.allowLinkLocalUpstreams}
              error={errors.allowLinkLocalUpstreams}
            />
          </div>
        </Section>
      </div>
    </>
  );
}
