import Link from "next/link";
import { expiryText } from "@/app/_components/expiry-bar";
import { Alert } from "@/app/_components/ui/alert";
import type { CertificateFormState } from "../form-state";
import { displayHostname } from "@/lib/net/display-hostname";

/** After a save: what was stored, any warnings about it, and where to go next. */
export function CreatedNotice({ state }: { state: CertificateFormState }) {
  if (state.status !== "success" || !state.created) return null;
  const { created, warnings = [] } = state;
  return (
    <div className="mb-6 space-y-3">
      <Alert tone="success" title={state.message} testId="certificate-created">
        <p>
          “{created.name}” covers <span className="font-mono">{created.domains.map(displayHostname).join(", ")}</span> ·{" "}
          {expiryText(created.daysLeft)}.
        </p>
        <p className="flex flex-wrap gap-x-4">
          <Link href="/certificates" className="font-medium underline">
            View certificates
          </Link>
          <Link href="/sites" className="font-medium underline">
            Use it on a site
          </Link>
        </p>
      </Alert>
      {warnings.length > 0 ? (
        <Alert tone="warning" title="Saved, with warnings" testId="certificate-warnings">
          <ul className="list-disc space-y-0.5 pl-4">
            {warnings.map((warning, index) => (
              <li key={index}>{warning}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
    </div>
  );
}
