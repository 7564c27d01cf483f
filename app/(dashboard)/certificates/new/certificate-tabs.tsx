"use client";

import { useState, type KeyboardEvent } from "react";
import { Card } from "@/app/_components/ui/card";
import { cn } from "@/app/_lib/cn";
import { SelfSignedForm } from "./self-signed-form";
import { UploadForm } from "./upload-form";

const TABS = [
  { id: "upload", label: "Upload" },
  { id: "self-signed", label: "Self-signed (for testing)" },
] as const;

type TabId = (typeof TABS)[number]["id"];

/** Two ways to add a certificate. Only the open tab is rendered, so labels never repeat on the page. */
export function CertificateTabs({ initialTab }: { initialTab: TabId }) {
  const [tab, setTab] = useState<TabId>(initialTab);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const index = TABS.findIndex((item) => item.id === tab);
    const next = TABS[(index + (event.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
    if (!next) return;
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  }

  return (
    <Card>
      <div
        role="tablist"
        aria-label="How to add the certificate"
        onKeyDown={onKeyDown}
        className="flex gap-1 border-b border-slate-200 px-3 pt-2 sm:px-4"
      >
        {TABS.map((item) => {
          const selected = item.id === tab;
          return (
            <button
              key={item.id}
              id={`tab-${item.id}`}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={`panel-${item.id}`}
              tabIndex={selected ? 0 : -1}
              onClick={() => setTab(item.id)}
              className={cn(
                "-mb-px border-b-2 px-3 py-2.5 text-sm font-medium transition-colors",
                selected ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-500 hover:text-slate-800",
              )}
            >
              {item.label}
            </button>
          );
        })}
      </div>
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="px-5 py-6 sm:px-6">
        {tab === "upload" ? <UploadForm /> : <SelfSignedForm />}
      </div>
    </Card>
  );
}
