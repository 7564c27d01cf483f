"use client";

import { useState, type ReactNode } from "react";
import { Button } from "./ui/button";

/** A newly created secret, shown once: a read-only field, a copy button, and how to use it. */
export function ShownOnceToken({
  token,
  title,
  inputId,
  inputLabel,
  testId,
  copyLabel = "Copy token",
  children,
}: {
  token: string;
  title: ReactNode;
  inputId: string;
  inputLabel: string;
  testId: string;
  copyLabel?: string;
  children: ReactNode;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div role="status" data-testid={testId} className="rounded-lg border border-emerald-200 bg-emerald-50 p-4">
      <p className="text-sm font-semibold text-emerald-900">{title}</p>
      <div className="mt-3 flex flex-wrap gap-2">
        <label htmlFor={inputId} className="sr-only">
          {inputLabel}
        </label>
        <input
          id={inputId}
          readOnly
          value={token}
          onFocus={(event) => event.currentTarget.select()}
          className="h-10 min-w-0 flex-1 rounded-md border border-emerald-300 bg-surface px-3 font-mono text-sm text-slate-900"
        />
        <Button
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(token);
              setCopied("yes");
            } catch {
              setCopied("failed");
            }
          }}
        >
          {copied === "yes" ? "Copied" : copyLabel}
        </Button>
      </div>
      {copied === "failed" ? <p className="mt-2 text-xs text-amber-800">Your browser blocked copying: select the text and copy it by hand.</p> : null}
      {children}
    </div>
  );
}
