"use client";

import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { saveDownload } from "@/app/_lib/save-download";

/** Recovery codes, shown this once: to copy or download before leaving the page. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const asText = `Gatekeeper recovery codes: each signs in once without the authenticator app.\n\n${codes.join("\n")}\n`;
  return (
    <div role="status" data-testid="recovery-codes" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4">
      <p className="text-sm font-semibold text-emerald-900">Your recovery codes, shown only now</p>
      <p className="mt-1 text-sm text-emerald-900">
        Keep them somewhere safe, apart from your phone. Each one signs you in once if you lose your authenticator app.
      </p>
      <ul className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-sm text-slate-900 sm:grid-cols-5" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(codes.join("\n"));
              setCopied("yes");
            } catch {
              setCopied("failed");
            }
          }}
        >
          {copied === "yes" ? "Copied" : "Copy codes"}
        </Button>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => saveDownload(new Blob([asText], { type: "text/plain" }), "gatekeeper-recovery-codes.txt")}
        >
          Download as text
        </Button>
      </div>
      {copied === "failed" ? (
        <p className="mt-2 text-xs text-amber-800">Your browser blocked copying: select the codes and copy them by hand.</p>
      ) : null}
    </div>
  );
}
