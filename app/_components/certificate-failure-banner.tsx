"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import type { Certificate } from "@/lib/schemas/certificate";
import { certificateFailures, DISMISSED_FAILURES_COOKIE, type CertificateFailure } from "../_lib/certificate-view";

const RECHECK_MS = 15_000;
const YEAR_S = 365 * 24 * 60 * 60;

/** Keeps only the keys of failures that still exist, so one that recovers and fails again shows again. */
function saveDismissed(dismissed: Set<string>, failures: CertificateFailure[]): Set<string> {
  const present = new Set(failures.map((failure) => failure.key));
  const kept = new Set([...dismissed].filter((key) => present.has(key)));
  // Nothing left to remember: no cookie at all, rather than an empty one.
  const lifetime = kept.size > 0 ? YEAR_S : 0;
  // biome-ignore lint/suspicious/noDocumentCookie: one plain value of our own keys; the Cookie Store API is missing in older Firefox and Safari
  document.cookie = `${DISMISSED_FAILURES_COOKIE}=${[...kept].join(",")}; path=/; max-age=${lifetime}; samesite=lax`;
  return kept;
}

/**
 * A red banner on every dashboard page while a certificate's order or renewal has failed: a
 * pointer to the certificate's page, where the error and the next step are. Each failure can be
 * dismissed (remembered in a cookie, so the server leaves it out too) and comes back if it fails
 * differently. It stays off the certificates pages, which show the failure themselves.
 * Layouts do not re-render on client navigation, so it re-reads the certificates on every page
 * change and every few seconds.
 */
export function CertificateFailureBanner({ initial, initialDismissed }: { initial: CertificateFailure[]; initialDismissed: string[] }) {
  const [failures, setFailures] = useState(initial);
  const [dismissed, setDismissed] = useState(() => new Set(initialDismissed));
  const pathname = usePathname();

  // A fresh server render (router.refresh, a server action) brings newer data: take it.
  const [seen, setSeen] = useState(initial);
  if (seen !== initial) {
    setSeen(initial);
    setFailures(initial);
  }

  useEffect(() => {
    let cancelled = false;
    async function recheck() {
      if (document.visibilityState !== "visible") return;
      try {
        const response = await fetch("/api/v1/certificates", { cache: "no-store" });
        if (!response.ok) return;
        const current = certificateFailures((await response.json()) as Certificate[]);
        if (cancelled) return;
        setFailures(current);
        setDismissed((keys) => saveDismissed(keys, current));
      } catch {
        // Offline or signed out: keep what is shown.
      }
    }
    void recheck();
    const timer = window.setInterval(() => void recheck(), RECHECK_MS);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
  }, [pathname]);

  if (pathname === "/certificates" || pathname.startsWith("/certificates/")) return null;
  const shown = failures.filter((failure) => !dismissed.has(failure.key));
  if (shown.length === 0) return null;

  function dismiss(failure: CertificateFailure) {
    setDismissed((keys) => saveDismissed(new Set([...keys, failure.key]), failures));
  }

  return (
    <div
      role="alert"
      data-testid="certificate-failure-banner"
      className="mb-6 flex gap-3 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 shadow-sm"
    >
      <svg viewBox="0 0 16 16" aria-hidden="true" className="mt-0.5 size-4.5 shrink-0 fill-red-600">
        <path d="M8.87 2.5a1 1 0 0 0-1.74 0l-5.5 9.75A1 1 0 0 0 2.5 13.75h11a1 1 0 0 0 .87-1.5L8.87 2.5ZM8 5.5a.75.75 0 0 1 .75.75v3a.75.75 0 0 1-1.5 0v-3A.75.75 0 0 1 8 5.5Zm0 6.5a.9.9 0 1 1 0-1.8.9.9 0 0 1 0 1.8Z" />
      </svg>
      <ul className="min-w-0 flex-1 space-y-1.5">
        {shown.map((failure) => (
          <li key={failure.key} data-certificate-id={failure.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 break-words">
            <span className="min-w-0">
              {failure.text}{" "}
              <Link href={`/certificates/${failure.id}`} className="font-semibold underline hover:text-red-700">
                See why and what happens next
              </Link>
            </span>
            <button
              type="button"
              onClick={() => dismiss(failure)}
              aria-label={`Dismiss: ${failure.text}`}
              className="ml-auto rounded px-1.5 text-red-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-red-600"
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
