"use client";

import Link from "next/link";
import { useState } from "react";
import type { StreamProtocol } from "@/lib/schemas/stream-options";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import type { AccessListOption } from "@/lib/services/site-security-options";
import { ActionForm } from "@/app/_components/action-form";
import { FormFooter } from "@/app/_components/form-footer";
import { Card } from "@/app/_components/ui/card";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field, FieldErrorText } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { Textarea } from "@/app/_components/ui/textarea";
import { POLICY_OPTIONS, POLICY_TEXT } from "@/app/_lib/load-balancing";
import { parseUpstreamLines } from "@/app/_lib/upstream-lines";
import { type FormAction, useEditForm } from "@/app/_lib/use-edit-form";
import { Section } from "../sites/form-section";
import { PROTOCOL_TEXT, type StreamFormValues } from "./form-values";

export function StreamForm({
  action,
  initial,
  version = "new",
  accessLists,
  submitLabel,
  cancelHref,
}: {
  action: FormAction;
  initial: StreamFormValues;
  /** Changes whenever the saved stream changes (its updatedAt), also from outside this form. */
  version?: string;
  accessLists: AccessListOption[];
  submitLabel: string;
  cancelHref: string;
}) {
  const { state, dispatch, pending, formRef, fieldsKey, markDirty } = useEditForm(action, version);
  return (
    <ActionForm ref={formRef} action={dispatch} noValidate aria-label="Stream settings" onInput={markDirty}>
      <Card className="divide-y divide-slate-100">
        <StreamFields key={fieldsKey} initial={initial} accessLists={accessLists} errors={state.fieldErrors ?? {}} />
        <FormFooter state={state} cancelHref={cancelHref} pending={pending} submitLabel={submitLabel} />
      </Card>
    </ActionForm>
  );
}

const PROTOCOL_HINTS: Record<StreamProtocol, string> = {
  tcp: "Databases, mail, SSH, MQTT, game servers over TCP: most services.",
  udp: "DNS, WireGuard, syslog, game servers over UDP.",
  both: "Services that answer on both, like DNS.",
};

/** Where the policy's site wording (requests, visitors) does not fit connections. */
const STREAM_POLICY_HINTS: Partial<Record<LoadBalancingPolicy, string>> = {
  round_robin: "Each server gets the next connection in turn: an even share for all. Right for most streams.",
  least_conn: "Each new connection goes to the server with the fewest open connections. Good when some connections last much longer than others.",
  ip_hash: "A client keeps landing on the same server. Pick this when the service keeps a client's state in one server's memory.",
};

function StreamFields({
  initial,
  accessLists,
  errors,
}: {
  initial: StreamFormValues;
  accessLists: AccessListOption[];
  errors: Record<string, string[]>;
}) {
  const [protocol, setProtocol] = useState<StreamProtocol>(initial.protocol);
  const [upstreams, setUpstreams] = useState(initial.upstreams);
  const [policy, setPolicy] = useState<LoadBalancingPolicy>(initial["loadBalancing.policy"]);
  const [checks, setChecks] = useState(initial["healthCheck.enabled"]);
  const knownList = initial.accessListId === "" || accessLists.some((list) => list.id === initial.accessListId);
  const lines = parseUpstreamLines(upstreams).items;
  const example = protocol === "udp" ? "udp://10.0.0.5:53" : "tcp://10.0.0.5:5432";

  return (
    <>
      <Section title="Stream" description="A port on the proxy whose connections go, byte for byte, to your servers. The name is for you.">
        <Field id="stream-name" label="Stream name" error={errors.name} hint="For example “Postgres” or “Game server”.">
          <Input name="name" defaultValue={initial.name} autoComplete="off" maxLength={100} />
        </Field>
        <SwitchField
          id="stream-enabled"
          name="enabled"
          label="Enabled"
          description="When off, the proxy stops listening on the stream's port. The port stays this stream's."
          defaultChecked={initial.enabled}
          error={errors.enabled}
        />
      </Section>

      <Section title="Listening" description="Where clients connect: this port on the proxy's addresses.">
        <fieldset aria-describedby={errors.protocol?.length ? "stream-protocol-error" : undefined}>
          <legend className="mb-2 text-sm font-medium text-slate-800">Protocol</legend>
          <div className="grid gap-2 sm:grid-cols-3">
            {(Object.keys(PROTOCOL_TEXT) as StreamProtocol[]).map((value) => (
              <label
                key={value}
                className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 px-3 py-2 has-checked:border-indigo-300 has-checked:bg-indigo-50/50"
              >
                <input
                  type="radio"
                  name="protocol"
                  value={value}
                  checked={protocol === value}
                  onChange={() => setProtocol(value)}
                  aria-describedby={`stream-protocol-${value}-hint`}
                  aria-invalid={errors.protocol?.length ? true : undefined}
                  className="mt-1 size-4 shrink-0 accent-indigo-600"
                />
                <span className="min-w-0">
                  <span className="block text-sm font-medium text-slate-800">{PROTOCOL_TEXT[value].label}</span>
                  <span id={`stream-protocol-${value}-hint`} className="block text-xs text-slate-500">
                    {PROTOCOL_HINTS[value]}
                  </span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrorText id="stream-protocol" error={errors.protocol} />
        </fieldset>
        <Field
          id="stream-listen-port"
          label="Listen port"
          error={errors.listenPort}
          hint="From 1 to 65535, not the proxy's own HTTP or HTTPS port, and not one another stream has. Below 1024 the proxy needs the right to bind it."
        >
          <Input
            name="listenPort"
            type="number"
            inputMode="numeric"
            min={1}
            max={65535}
            step={1}
            defaultValue={initial.listenPort}
            className="w-40"
          />
        </Field>
      </Section>

      <Section title="Upstream servers" description="Your servers behind the stream: each connection goes to one of them.">
        <Field
          id="stream-upstreams"
          label="Upstream servers"
          error={errors.upstreams}
          hint={
            <>
              One per line, as <span className="font-mono">host:port</span> (the stream&apos;s protocol) or{" "}
              <span className="font-mono">{example}</span>
              {protocol === "both" ? (
                <> (on a TCP and UDP stream, each server takes what it is written with: tcp:// or udp://; host:port is TCP)</>
              ) : null}
              . To give a server a bigger share, add a weight after it: <span className="font-mono">{example.replace(/\d+$/, "6")} weight=3</span>.
            </>
          }
        >
          <Textarea
            name="upstreams"
            rows={3}
            mono
            defaultValue={initial.upstreams}
            onChange={(event) => setUpstreams(event.currentTarget.value)}
            placeholder={protocol === "udp" ? "10.0.0.5:53\n10.0.0.6:53 weight=3" : "10.0.0.5:5432\n10.0.0.6:5432 weight=3"}
            autoCapitalize="off"
          />
        </Field>
        <Field
          id="stream-policy"
          label="Load balancing"
          error={errors["loadBalancing.policy"]}
          hint={
            <>
              {STREAM_POLICY_HINTS[policy] ?? POLICY_TEXT[policy]?.hint}
              {lines.length < 2 ? " With a single upstream server this changes nothing yet." : null}
            </>
          }
        >
          <Select name="loadBalancing.policy" defaultValue={policy} onChange={(event) => setPolicy(event.currentTarget.value as LoadBalancingPolicy)}>
            {POLICY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </Select>
        </Field>
      </Section>

      <Section title="Access and connections" description="Who may connect, and when a quiet connection is closed.">
        <Field
          id="stream-access-list"
          label="Access list"
          error={errors.accessListId}
          hint={
            <>
              Only clients from the addresses the list allows can connect. A stream cannot ask for a login: the list&apos;s users do not apply.{" "}
              <Link href="/access-lists" className="text-indigo-700 underline">
                Manage access lists
              </Link>
            </>
          }
        >
          <Select name="accessListId" defaultValue={initial.accessListId}>
            <option value="">None (anyone can connect)</option>
            {!knownList ? <option value={initial.accessListId}>Unknown access list</option> : null}
            {accessLists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          id="stream-idle-timeout"
          label="Idle timeout (seconds)"
          error={errors.idleTimeoutSeconds}
          hint="A connection, or a UDP client's session, with nothing sent either way for this long is closed. 600 is ten minutes."
        >
          <Input
            name="idleTimeoutSeconds"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            defaultValue={initial.idleTimeoutSeconds}
            className="w-40"
          />
        </Field>
        {protocol === "udp" ? (
          <p className="text-sm text-slate-500">
            The PROXY protocol is for TCP connections: choose TCP to tell the upstream the client&apos;s address.
          </p>
        ) : (
          <CheckboxField
            id="stream-proxy-protocol"
            name="proxyProtocol"
            label="Tell the upstream the client's address (PROXY protocol v2)"
            description={`Each TCP connection to the upstream starts with a short header naming the client's address. Only if the upstream expects it: others refuse the connection.${protocol === "both" ? " UDP traffic is sent without it." : ""}`}
            defaultChecked={initial.proxyProtocol}
            error={errors.proxyProtocol}
          />
        )}
      </Section>

      <Section
        id="stream-health-checks"
        title="Health checks"
        description="The proxy connects to each upstream server regularly (a TCP connect check) and sends no new connections to one that does not accept."
      >
        {protocol === "udp" ? (
          <p data-testid="udp-not-checked" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            UDP has no handshake to check, so a UDP-only stream&apos;s servers are not actively checked: a server that does not answer is set aside
            for a while, and shows grey here. These settings apply once the stream also takes TCP.
          </p>
        ) : null}
        <SwitchField
          id="stream-hc-enabled"
          name="healthCheck.enabled"
          label="Health checks"
          description={checks ? "On: a server that refuses connections gets no new ones until it accepts again." : "Off: nobody checks your servers."}
          checked={checks}
          onChange={setChecks}
          error={errors["healthCheck.enabled"]}
        />
        <div className="grid gap-5 sm:grid-cols-2">
          <NumberField
            id="stream-hc-interval"
            name="healthCheck.intervalSeconds"
            label="Check interval (seconds)"
            hint="How often each server is tried."
            initial={initial}
            errors={errors}
          />
          <NumberField
            id="stream-hc-timeout"
            name="healthCheck.timeoutSeconds"
            label="Check timeout (seconds)"
            hint="How long a connection may take before the check fails."
            initial={initial}
            errors={errors}
          />
          <NumberField
            id="stream-hc-healthy"
            name="healthCheck.healthyThreshold"
            label="Healthy after"
            hint="Good checks in a row before a server gets connections again."
            initial={initial}
            errors={errors}
          />
          <NumberField
            id="stream-hc-unhealthy"
            name="healthCheck.unhealthyThreshold"
            label="Unhealthy after"
            hint="Failed checks in a row before a server gets no new connections."
            initial={initial}
            errors={errors}
          />
        </div>
      </Section>
    </>
  );
}

type NumberName = "healthCheck.intervalSeconds" | "healthCheck.timeoutSeconds" | "healthCheck.healthyThreshold" | "healthCheck.unhealthyThreshold";

function NumberField({
  id,
  name,
  label,
  hint,
  initial,
  errors,
}: {
  id: string;
  name: NumberName;
  label: string;
  hint: string;
  initial: StreamFormValues;
  errors: Record<string, string[]>;
}) {
  return (
    <Field id={id} label={label} error={errors[name]} hint={hint}>
      <Input name={name} type="number" inputMode="numeric" min={1} step={1} defaultValue={initial[name]} />
    </Field>
  );
}
