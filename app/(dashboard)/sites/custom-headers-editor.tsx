"use client";

import { IfMayChange } from "@/app/_components/role-scope";
import { useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { FieldErrorText, describedBy } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import type { CustomHeaderRow } from "./form-values";
import { HEADER_KINDS, isRemoval, type HeaderKind } from "./security-labels";
import { headerRowField } from "./security-form";

interface KeyedRow extends CustomHeaderRow {
  key: number;
}

/**
 * Rows of headers to set or remove. Each row posts headerKind, headerName and headerValue in
 * order (a removal posts an empty value), so the server reads the rows back by position.
 */
export function CustomHeadersEditor({ initial, errors }: { initial: CustomHeaderRow[]; errors: Record<string, string[]> }) {
  const nextKey = useRef(initial.length);
  const [rows, setRows] = useState<KeyedRow[]>(() => initial.map((row, key) => ({ ...row, key })));
  // Errors name rows by position: once a row is added or removed they may point at the wrong one.
  const [shownErrors, setShownErrors] = useState(errors);
  const [moved, setMoved] = useState(false);
  if (errors !== shownErrors) {
    setShownErrors(errors);
    setMoved(false);
  }
  const rowErrors = moved ? {} : errors;
  const listRef = useRef<HTMLDivElement>(null);

  /** Adding or removing a row types nothing, so tell the form it has unsaved edits. */
  const markEdited = () => listRef.current?.dispatchEvent(new Event("input", { bubbles: true }));

  const update = (key: number, change: Partial<CustomHeaderRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  return (
    <div ref={listRef} className="space-y-3" data-testid="custom-headers">
      {rows.length === 0 ? <p className="text-sm text-slate-500">No custom headers.</p> : null}
      {rows.map((row, index) => (
        <HeaderRowFields
          key={row.key}
          row={row}
          index={index}
          errors={rowErrors}
          onChange={(change) => update(row.key, change)}
          onRemove={() => {
            setRows((current) => current.filter((other) => other.key !== row.key));
            setMoved(true);
            markEdited();
          }}
        />
      ))}
      <FieldErrorText id="site-custom-headers" error={errors.customHeaders} />
      <IfMayChange>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            setRows((current) => [...current, { key: nextKey.current++, kind: "responseSet", name: "", value: "" }]);
            setMoved(true);
            markEdited();
          }}
        >
          Add header
        </Button>
      </IfMayChange>
    </div>
  );
}

function HeaderRowFields({
  row,
  index,
  errors,
  onChange,
  onRemove,
}: {
  row: CustomHeaderRow;
  index: number;
  errors: Record<string, string[]>;
  onChange: (change: Partial<CustomHeaderRow>) => void;
  onRemove: () => void;
}) {
  const nameField = headerRowField(index, "name");
  const valueField = headerRowField(index, "value");
  const nameId = `site-header-${index}-name`;
  const valueId = `site-header-${index}-value`;
  const removal = isRemoval(row.kind);
  return (
    <fieldset className="rounded-lg border border-slate-200 p-3" data-testid="custom-header-row">
      <legend className="sr-only">Header {index + 1}</legend>
      <div className="grid gap-2 sm:grid-cols-[minmax(0,12rem)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start">
        <Select
          name="headerKind"
          aria-label={`What to do with header ${index + 1}`}
          value={row.kind}
          onChange={(event) => onChange({ kind: event.currentTarget.value as HeaderKind })}
        >
          {HEADER_KINDS.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </Select>
        <div>
          <Input
            id={nameId}
            name="headerName"
            aria-label={`Name of header ${index + 1}`}
            aria-invalid={(errors[nameField]?.length ?? 0) > 0 || undefined}
            aria-describedby={describedBy(nameId, null, errors[nameField])}
            value={row.name}
            onChange={(event) => onChange({ name: event.currentTarget.value })}
            placeholder="X-Served-By"
            className="font-mono"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
          />
          <FieldErrorText id={nameId} error={errors[nameField]} />
        </div>
        <div>
          {removal ? (
            // Keeps the rows' fields in step: every row posts a value.
            <input type="hidden" name="headerValue" value="" />
          ) : (
            <>
              <Input
                id={valueId}
                name="headerValue"
                aria-label={`Value of header ${index + 1}`}
                aria-invalid={(errors[valueField]?.length ?? 0) > 0 || undefined}
                aria-describedby={describedBy(valueId, null, errors[valueField])}
                value={row.value}
                onChange={(event) => onChange({ value: event.currentTarget.value })}
                placeholder="Value"
                className="font-mono"
                autoComplete="off"
                spellCheck={false}
              />
              <FieldErrorText id={valueId} error={errors[valueField]} />
            </>
          )}
        </div>
        <IfMayChange>
          <Button variant="ghost" size="sm" className="h-10" onClick={onRemove} aria-label={`Remove header ${index + 1}`}>
            Remove
          </Button>
        </IfMayChange>
      </div>
    </fieldset>
  );
}
