"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import type { Certificate } from "@/lib/schemas/certificate";
import { certificateFailures, type CertificateFailure } from "../_lib/certificate-view";

const RECHECK_MS = 15_000;

/**
 * A red banner on every dashboard page while any certificate's order or renewal has failed.
 * The layout renders it with the server's view; layouts do not re-render on client navigation,
 * so it re-reads the certificates on every page change and every few seconds.
 */
export function CertificateFailureBanner({ initial }: { initial: CertificateFailure[] }) {
  const [failures, setFailures] = useState(initial);
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
        const certificates = (await response.json()) as Certificate[];
        if (!cancelled) setFailures(certificateFailures(certificates));
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

  if (failures.length === 0) return null;
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
        {failures.map((failure) => (
          <li key={failure.id} data-certificate-id={failure.id} className="break-words">
            {failure.text}{" "}
            <Link href={`/certificates/${failure.id}`} className="font-semibold wrap-anywhere underline hover:text-red-700">
              View {failure.name}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
