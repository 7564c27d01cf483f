import { REDIRECT_STATUSES } from "@/lib/schemas/site-routing";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import type { RouteRow } from "./routing-form";

type RedirectValues = RouteRow["redirect"];

const STATUS_WORDS: Record<(typeof REDIRECT_STATUSES)[number], string> = {
  301: "301 · Moved for good",
  302: "302 · Moved for now",
  307: "307 · Moved for now, keep the method (forms)",
  308: "308 · Moved for good, keep the method (forms)",
};

/** Where a redirect goes: for the whole site and for a route. Inputs are named `${name}.to`, `${name}.status`, `${name}.preservePath`. */
export function RedirectFields({
  id,
  name,
  values,
  onChange,
  errors,
}: {
  id: string;
  name: string;
  values: RedirectValues;
  onChange: (change: Partial<RedirectValues>) => void;
  errors: Record<string, string[]>;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,15rem)]">
      <Field
        id={`${id}-to`}
        label="Redirect to"
        error={errors[`${name}.to`]}
        hint="A full address like https://www.example.com, or a path on this site like /new-place."
      >
        <Input
          name={`${name}.to`}
          value={values.to}
          onChange={(event) => onChange({ to: event.currentTarget.value })}
          placeholder="https://www.example.com"
          className="font-mono"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
        />
      </Field>
      <Field id={`${id}-status`} label="Kind of redirect" error={errors[`${name}.status`]}>
        <Select name={`${name}.status`} value={values.status} onChange={(event) => onChange({ status: event.currentTarget.value })}>
          {!REDIRECT_STATUSES.some((status) => String(status) === values.status) ? <option value={values.status}>{values.status}</option> : null}
          {REDIRECT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_WORDS[status]}
            </option>
          ))}
        </Select>
      </Field>
      <CheckboxField
        id={`${id}-preserve-path`}
        name={`${name}.preservePath`}
        label="Keep the path and query"
        description="/shop/cart?id=3 goes to the same /shop/cart?id=3 at the new address. Off: every page goes to the address as written."
        checked={values.preservePath}
        onChange={(preservePath) => onChange({ preservePath })}
        error={errors[`${name}.preservePath`]}
        className="sm:col-span-2"
      />
    </div>
  );
}
