import type { ReactNode } from "react";
import { IfMayChange } from "@/app/_components/role-scope";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { describedBy, Field, FieldErrorText } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Textarea } from "@/app/_components/ui/textarea";
import { ordinal, routeExample, type TryOrder } from "./route-example";
import { RedirectFields } from "./redirect-fields";
import { routeField, routeHeaderField, type RouteAction, type RouteRow } from "./routing-form";

const ACTIONS: { value: RouteAction; label: string; hint: string }[] = [
  { value: "upstreams", label: "Send to upstream servers", hint: "Other servers than the site's own, like an API behind /api." },
  { value: "redirect", label: "Redirect", hint: "Send visitors to another address, like an old page to its new place." },
  { value: "respond", label: "Answer with fixed content", hint: "The proxy answers by itself, like a robots.txt or a short notice." },
];

/** "route 1, route 3" */
const routeList = (places: number[]) => places.map((place) => `route ${place}`).join(", ");

/** One route: what it takes (prefix, headers), what it does (one action), and what that means for a request. */
export function RouteFields({
  route,
  index,
  count,
  order,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  route: RouteRow;
  index: number;
  count: number;
  order: TryOrder | null;
  errors: Record<string, string[]>;
  onChange: (change: Partial<RouteRow>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const place = index + 1;
  const id = (part: string) => `site-route-${index}-${part}`;
  const name = (path: string) => routeField(index, path);
  const example = routeExample(route);
  const rewrites = route.action === "upstreams" || (route.action === "redirect" && route.redirect.preservePath);

  return (
    <fieldset className="min-w-0 space-y-4 rounded-lg border border-slate-200 p-4" data-testid="route">
      <legend className="px-1 text-sm font-semibold text-slate-900">Route {place}</legend>
      <div className="flex flex-wrap items-center justify-between gap-2">
        {order && count > 1 ? (
          <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700" data-testid="route-try-order">
            Tried {ordinal(order.rank)}
          </span>
        ) : (
          <span />
        )}
        <div className="flex flex-wrap gap-1">
          {/* The route's number is heard, not shown: the accessible name starts with the words on the button. */}
          <IfMayChange>
            <Button id={id("up")} variant="ghost" size="sm" disabled={index === 0} onClick={() => onMove(-1)}>
              Move up<span className="sr-only"> route {place}</span>
            </Button>
          </IfMayChange>
          <IfMayChange>
            <Button id={id("down")} variant="ghost" size="sm" disabled={place === count} onClick={() => onMove(1)}>
              Move down<span className="sr-only"> route {place}</span>
            </Button>
          </IfMayChange>
          <IfMayChange>
            <Button variant="ghost" size="sm" onClick={onRemove} aria-label={`Remove route ${place}`}>
              Remove
            </Button>
          </IfMayChange>
        </div>
      </div>
      <input type="hidden" name={name("id")} value={route.id} />

      <Field
        id={id("prefix")}
        label="Path prefix"
        error={errors[name("pathPrefix")]}
        hint="Takes this path and everything under it: /api takes /api and /api/users, not /apis."
      >
        <Input
          name={name("pathPrefix")}
          value={route.pathPrefix}
          onChange={(event) => onChange({ pathPrefix: event.currentTarget.value })}
          placeholder="/api"
          className="font-mono"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
        />
      </Field>

      <HeaderMatches route={route} index={index} errors={errors} onChange={onChange} />

      <fieldset aria-describedby={errors[name("action")]?.length ? `${id("action")}-error` : undefined}>
        <legend className="text-sm font-medium text-slate-800">What to do</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          {ACTIONS.map((action) => (
            <label
              key={action.value}
              className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 px-3 py-2 has-checked:border-indigo-300 has-checked:bg-indigo-50/50"
            >
              <input
                type="radio"
                name={name("action")}
                value={action.value}
                checked={route.action === action.value}
                onChange={() => onChange({ action: action.value })}
                aria-describedby={id(`action-${action.value}-hint`)}
                className="mt-1 size-4 shrink-0 accent-indigo-600"
              />
              <span className="min-w-0">
                <span className="block text-sm font-medium text-slate-800">{action.label}</span>
                <span id={id(`action-${action.value}-hint`)} className="block text-xs text-slate-500">
                  {action.hint}
                </span>
              </span>
            </label>
          ))}
        </div>
        <FieldErrorText id={id("action")} error={errors[name("action")]} />
      </fieldset>

      {route.action === "upstreams" ? (
        <Field
          id={id("upstreams")}
          label="Upstream servers for this route"
          error={errors[name("upstreams")]}
          hint="One per line, like http://10.0.0.7:8080, with weight=N to give one a bigger share. The site's load balancing and health checks apply."
        >
          <Textarea
            name={name("upstreams")}
            rows={2}
            mono
            value={route.upstreams}
            onChange={(event) => onChange({ upstreams: event.currentTarget.value })}
            placeholder="http://10.0.0.7:8080"
            autoCapitalize="off"
          />
        </Field>
      ) : null}

      {route.action === "redirect" ? (
        <RedirectFields
          id={id("redirect")}
          name={name("redirect")}
          values={route.redirect}
          onChange={(change) => onChange({ redirect: { ...route.redirect, ...change } })}
          errors={errors}
        />
      ) : null}

      {rewrites ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <CheckboxField
            id={id("strip")}
            name={name("stripPrefix")}
            label="Strip the prefix"
            description={route.action === "redirect" ? "Leave the prefix out of the path that is kept." : "The upstream gets /users, not /api/users."}
            checked={route.stripPrefix}
            onChange={(stripPrefix) => onChange({ stripPrefix })}
            error={errors[name("stripPrefix")]}
          />
          <Field id={id("add-prefix")} label="Add a prefix" optional error={errors[name("addPrefix")]} hint="Put in front of the path, like /v2.">
            <Input
              name={name("addPrefix")}
              value={route.addPrefix}
              onChange={(event) => onChange({ addPrefix: event.currentTarget.value })}
              placeholder="/v2"
              className="font-mono"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
            />
          </Field>
        </div>
      ) : null}

      {route.action === "respond" ? <RespondFields route={route} index={index} errors={errors} onChange={onChange} /> : null}

      <div className="rounded-md bg-slate-50 px-3 py-2 text-sm break-words text-slate-700">
        <p data-testid="route-example">
          <span className="font-medium">Example: </span>
          {example ?? "enter a path prefix like /api to see what happens to a request."}
        </p>
        {order && order.triedBefore.length > 0 ? (
          <p data-testid="route-try-note">
            {capitalized(routeList(order.triedBefore))} could take the same requests and {order.triedBefore.length === 1 ? "is" : "are"} tried before
            this one.
          </p>
        ) : null}
        {order && order.triedAfter.length > 0 ? (
          <p data-testid="route-try-note">Tried before {routeList(order.triedAfter)}, which could take the same requests.</p>
        ) : null}
      </div>
    </fieldset>
  );
}

const capitalized = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

function RespondFields({
  route,
  index,
  errors,
  onChange,
}: {
  route: RouteRow;
  index: number;
  errors: Record<string, string[]>;
  onChange: (change: Partial<RouteRow>) => void;
}) {
  const id = (part: string) => `site-route-${index}-respond-${part}`;
  const name = (part: string) => routeField(index, `respond.${part}`);
  const set = (change: Partial<RouteRow["respond"]>) => onChange({ respond: { ...route.respond, ...change } });
  return (
    <div className="grid gap-4 sm:grid-cols-[minmax(0,8rem)_minmax(0,1fr)]">
      <Field id={id("status")} label="Status" error={errors[name("status")]} hint="200 for a page.">
        <Input
          name={name("status")}
          value={route.respond.status}
          onChange={(event) => set({ status: event.currentTarget.value })}
          inputMode="numeric"
          autoComplete="off"
        />
      </Field>
      <Field id={id("content-type")} label="Content type" error={errors[name("contentType")]} hint="text/plain, text/html or application/json, say.">
        <Input
          name={name("contentType")}
          value={route.respond.contentType}
          onChange={(event) => set({ contentType: event.currentTarget.value })}
          className="font-mono"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
        />
      </Field>
      <Field id={id("body")} label="Body" optional error={errors[name("body")]} className="sm:col-span-2">
        <Textarea name={name("body")} rows={4} mono value={route.respond.body} onChange={(event) => set({ body: event.currentTarget.value })} />
      </Field>
    </div>
  );
}

/** Optional header rows: the route takes a request only when it carries every one with exactly that value. */
function HeaderMatches({
  route,
  index,
  errors,
  onChange,
}: {
  route: RouteRow;
  index: number;
  errors: Record<string, string[]>;
  onChange: (change: Partial<RouteRow>) => void;
}) {
  const setRow = (row: number, change: Partial<RouteRow["headers"][number]>) =>
    onChange({ headers: route.headers.map((header, at) => (at === row ? { ...header, ...change } : header)) });
  const listError = errors[routeField(index, "headers")];
  return (
    <fieldset aria-describedby={listError?.length ? `site-route-${index}-headers-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">
        Only with these headers <span className="font-normal text-slate-500">(optional)</span>
      </legend>
      <p className="text-xs text-slate-500">The request must carry each header with exactly this value, like X-Version = 2.</p>
      <div className="mt-2 space-y-2">
        {route.headers.map((header, row) => (
          <HeaderMatchRow
            // Rows have no identity of their own; their place is what the form posts.
            key={row}
            index={index}
            row={row}
            header={header}
            errors={errors}
            onChange={(change) => setRow(row, change)}
            onRemove={() => onChange({ headers: route.headers.filter((_, at) => at !== row) })}
          />
        ))}
        <FieldErrorText id={`site-route-${index}-headers`} error={listError} />
        <IfMayChange>
          <Button variant="secondary" size="sm" onClick={() => onChange({ headers: [...route.headers, { name: "", value: "" }] })}>
            Add header match
          </Button>
        </IfMayChange>
      </div>
    </fieldset>
  );
}

function HeaderMatchRow({
  index,
  row,
  header,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  row: number;
  header: { name: string; value: string };
  errors: Record<string, string[]>;
  onChange: (change: Partial<{ name: string; value: string }>) => void;
  onRemove: () => void;
}) {
  const control = (part: "name" | "value", placeholder: string): ReactNode => {
    const field = routeHeaderField(index, row, part);
    const id = `site-route-${index}-header-${row}-${part}`;
    return (
      <div className="min-w-0">
        <Input
          id={id}
          name={field}
          aria-label={`Header ${row + 1} ${part} of route ${index + 1}`}
          aria-invalid={(errors[field]?.length ?? 0) > 0 || undefined}
          aria-describedby={describedBy(id, null, errors[field])}
          value={header[part]}
          onChange={(event) => onChange({ [part]: event.currentTarget.value })}
          placeholder={placeholder}
          className="font-mono"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
        />
        <FieldErrorText id={id} error={errors[field]} />
      </div>
    );
  };
  return (
    <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)_auto] sm:items-start" data-testid="route-header">
      {control("name", "X-Version")}
      <span aria-hidden="true" className="hidden h-10 items-center text-slate-500 sm:flex">
        =
      </span>
      {control("value", "2")}
      <IfMayChange>
        <Button variant="ghost" size="sm" className="h-10" onClick={onRemove} aria-label={`Remove header ${row + 1} of route ${index + 1}`}>
          Remove
        </Button>
      </IfMayChange>
    </div>
  );
}
