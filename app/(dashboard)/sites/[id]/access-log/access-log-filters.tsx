import Link from "next/link";
import { ACCESS_LOG_METHODS, accessLogQuerySchema, type AccessLogQueryInput } from "@/lib/schemas/access-log-query";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";

const LIMITS = ["100", "500", "1000"] as const;

/**
 * The filters, as a plain GET form: the URL holds them, so a filtered view can be bookmarked or
 * shared, and the page (a server component) reads them like the API does.
 */
export function AccessLogFilters({
  action,
  values,
  errors,
  live,
}: {
  action: string;
  values: AccessLogQueryInput;
  errors: Record<string, string>;
  live: boolean;
}) {
  const methods: string[] = [...ACCESS_LOG_METHODS];
  // A method typed into the URL (or sent by the API) stays selectable.
  if (values.method && !methods.includes(values.method.toUpperCase())) methods.push(values.method.toUpperCase());
  const blocked = accessLogQuerySchema.shape.blocked.safeParse(values.blocked).data === true;
  return (
    <Card className="mb-6 p-5">
      <form
        method="get"
        action={action}
        aria-label="Filter requests"
        className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[8rem_9rem_1fr_12rem_7rem_auto]"
      >
        <Field id="status" label="Status" error={errors.status} hint="404 or 4xx">
          <Input name="status" defaultValue={values.status ?? ""} placeholder="Any" inputMode="text" autoComplete="off" />
        </Field>
        <Field id="method" label="Method" error={errors.method}>
          <Select name="method" defaultValue={values.method?.toUpperCase() ?? ""}>
            <option value="">Any</option>
            {methods.map((method) => (
              <option key={method} value={method}>
                {method}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="path" label="Path contains" error={errors.path} hint="Case-sensitive, query included">
          <Input name="path" defaultValue={values.path ?? ""} placeholder="/api/" autoComplete="off" />
        </Field>
        <Field id="clientIp" label="Client IP" error={errors.clientIp}>
          <Input name="clientIp" defaultValue={values.clientIp ?? ""} placeholder="203.0.113.7" autoComplete="off" />
        </Field>
        <Field id="limit" label="Show" error={errors.limit}>
          <Select name="limit" defaultValue={values.limit ?? "100"}>
            {(values.limit && !LIMITS.includes(values.limit as (typeof LIMITS)[number]) ? [values.limit, ...LIMITS] : LIMITS).map((limit) => (
              <option key={limit} value={limit}>
                {limit}
              </option>
            ))}
          </Select>
        </Field>
        {/* Its own row under the fields on wide screens, before the buttons in tab order. */}
        <CheckboxField
          id="blocked"
          name="blocked"
          label="Only blocked requests"
          description="Requests refused by the rate limit, the connection cap, the access list or exploit blocking. The proxy keeps up to 1,000 of them per site apart, so they stay here after other traffic has pushed them out of the full log."
          defaultChecked={blocked}
          error={errors.blocked}
          className="sm:col-span-2 lg:col-span-5 lg:row-start-2"
        />
        {live ? <input type="hidden" name="live" value="1" /> : null}
        <div className="flex items-start gap-2 sm:pt-6.5">
          <button type="submit" className={buttonClasses("primary", "md")}>
            Filter
          </button>
          <Link href={live ? `${action}?live=1` : action} className={buttonClasses("ghost", "md")}>
            Clear
          </Link>
        </div>
      </form>
    </Card>
  );
}
