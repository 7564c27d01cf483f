"use client";

import { useState, type RefObject } from "react";
import { cn } from "@/app/_lib/cn";

const MAX_BYTES = 200_000;

/**
 * "Load from file…": reads a PEM file in the browser and puts its text into the textarea. The file
 * input has no name, so the file itself is never posted; only the textarea's text is.
 */
export function PemFileButton({
  label,
  target,
  accept = ".pem,.crt,.cer,.key,.txt",
}: {
  label: string;
  target: RefObject<HTMLTextAreaElement | null>;
  accept?: string;
}) {
  const [note, setNote] = useState<{ text: string; bad: boolean } | null>(null);

  async function load(file: File | undefined) {
    if (!file || !target.current) return;
    if (file.size > MAX_BYTES) {
      setNote({ text: `${file.name} is too large to be a PEM file`, bad: true });
      return;
    }
    const content = await file.text();
    target.current.value = content.trim() + "\n";
    target.current.dispatchEvent(new Event("input", { bubbles: true }));
    setNote(
      content.includes("-----BEGIN")
        ? { text: `Loaded ${file.name}`, bad: false }
        : { text: `${file.name} is not PEM text (it should start with -----BEGIN). Convert .der or .pfx files first.`, bad: true },
    );
  }

  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      {note ? (
        <span role="status" className={cn("text-xs", note.bad ? "text-amber-700" : "text-emerald-700")}>
          {note.text}
        </span>
      ) : null}
      <label className="inline-flex cursor-pointer items-center rounded-md border border-slate-300 bg-surface px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm focus-within:ring-2 focus-within:ring-indigo-500 hover:bg-slate-50">
        Load from file…
        <input
          type="file"
          accept={accept}
          aria-label={label}
          className="sr-only"
          onChange={(event) => {
            void load(event.currentTarget.files?.[0]);
            event.currentTarget.value = "";
          }}
        />
      </label>
    </span>
  );
}
