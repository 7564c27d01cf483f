"use client";

import { useRef, type KeyboardEvent } from "react";
import { cn } from "@/app/_lib/cn";
import { SITE_TABS, type SiteTab, tabAfterKey } from "./site-tabs";

export const SITE_TAB_PANEL_ID = "site-editor-panel";
export const siteTabId = (tab: SiteTab) => `site-tab-${tab}`;

/**
 * The editor's tabs as an ARIA tablist: one tab stop (the selected tab), the arrows, Home and End
 * move and select at once (every panel is already rendered, so selecting costs nothing). The tabs
 * wrap onto a second line on a phone instead of scrolling out of sight.
 */
export function SiteTabList({
  selected,
  onSelect,
  withErrors,
}: {
  selected: SiteTab;
  onSelect: (tab: SiteTab) => void;
  /** Tabs that hold a field the last save found wrong: each gets a marker. */
  withErrors: ReadonlySet<SiteTab>;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = tabAfterKey(selected, event.key);
    if (next === null) return;
    event.preventDefault();
    onSelect(next);
    listRef.current?.querySelector<HTMLElement>(`#${siteTabId(next)}`)?.focus();
  };

  return (
    <div
      ref={listRef}
      role="tablist"
      aria-label="Site settings"
      onKeyDown={onKeyDown}
      className="mb-4 flex flex-wrap gap-1 rounded-lg border border-slate-200 bg-slate-100 p-1"
    >
      {SITE_TABS.map((tab) => {
        const isSelected = tab.id === selected;
        const hasError = withErrors.has(tab.id);
        return (
          <button
            key={tab.id}
            id={siteTabId(tab.id)}
            type="button"
            role="tab"
            aria-selected={isSelected}
            aria-controls={SITE_TAB_PANEL_ID}
            tabIndex={isSelected ? 0 : -1}
            data-tab={tab.id}
            data-error={hasError || undefined}
            onClick={() => onSelect(tab.id)}
            className={cn(
              "inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-colors",
              "focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600",
              isSelected ? "bg-surface text-indigo-700 shadow-sm ring-1 ring-slate-300" : "text-slate-700 hover:bg-slate-200/70 hover:text-slate-900",
            )}
          >
            {tab.label}
            {hasError ? (
              <>
                <span aria-hidden="true" className="size-2 rounded-full bg-red-600" />
                <span className="sr-only"> (needs attention)</span>
              </>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}
