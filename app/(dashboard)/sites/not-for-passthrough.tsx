import type { ReactNode } from "react";

/**
 * Settings a pass-through site cannot use: the proxy never decrypts its connections, so it sees no
 * request, status or header. While pass-through is chosen they are hidden behind one line saying
 * why; they stay in the form (only hidden), so switching back to "Decrypt here" loses nothing.
 */
export function NotForPassthrough({ passthrough, what, why, children }: { passthrough: boolean; what: string; why: string; children: ReactNode }) {
  return (
    <>
      {passthrough ? (
        <p data-testid="not-for-passthrough" className="px-5 py-4 text-sm text-slate-500 sm:px-6">
          <span className="font-medium text-slate-700">{what}</span>: not used with TLS pass-through. {why}
        </p>
      ) : null}
      <div hidden={passthrough} className="divide-y divide-slate-100">
        {children}
      </div>
    </>
  );
}
