"use client";

import { useRouter } from "next/navigation";
import { type RefObject, useCallback, useEffect, useLayoutEffect, useState } from "react";
import type { FormState } from "@/app/_lib/form-state";
import { siteTabOf, type SiteTab } from "./site-tabs";

/** A field the last save found wrong, or an error text that belongs to no single field. */
const PROBLEM = '[aria-invalid="true"], [role="alert"][id$="-error"]';
const PANEL = "data-tab-panel";

const tabOf = (element: Element) => {
  const value = element.closest(`[${PANEL}]`)?.getAttribute(PANEL);
  return value ? siteTabOf(value) : null;
};

/** Marks a group of the form's fields as belonging to a tab. */
export const tabPanelProps = (tab: SiteTab, selected: SiteTab) => ({ [PANEL]: tab, hidden: tab !== selected });

/**
 * The selected tab of the site editor, kept in the URL (`?tab=https`) so a reload or a link opens
 * it. After a save, the tabs holding a problem are reported; if the save failed, the tab with the
 * first problem is selected and its field focused (a field in a hidden tab cannot take the focus).
 */
export function useSiteTab(initial: SiteTab, formRef: RefObject<HTMLFormElement | null>, state: FormState) {
  const [tab, setTab] = useState(initial);
  const [withErrors, setWithErrors] = useState<ReadonlySet<SiteTab>>(() => new Set());
  const [focusRequest, setFocusRequest] = useState<{ element: HTMLElement } | null>(null);

  const router = useRouter();
  const select = useCallback(
    (next: SiteTab) => {
      setTab(next);
      const url = new URL(window.location.href);
      url.searchParams.set("tab", next);
      // Through the router, not history.replaceState: a raw URL change racing the page's auto
      // refresh made Next reload the whole page, losing unsaved edits. Replace, not push: going
      // back leaves the page instead of stepping through tabs.
      router.replace(`${url.pathname}${url.search}`, { scroll: false });
    },
    [router],
  );

  // A layout effect, so the tab is shown before the browser paints the failed save.
  useLayoutEffect(() => {
    if (state.status === "idle") return;
    const problems = [...(formRef.current?.querySelectorAll<HTMLElement>(PROBLEM) ?? [])];
    setWithErrors(new Set(problems.map(tabOf).filter((found) => found !== null)));
    const first = problems[0];
    if (state.status !== "error" || first === undefined) return;
    const firstTab = tabOf(first);
    if (firstTab !== null) select(firstTab);
    setFocusRequest({ element: first });
  }, [state, formRef, select]);

  useEffect(() => {
    if (focusRequest === null) return;
    const { element } = focusRequest;
    if (element.matches('[aria-invalid="true"]')) element.focus();
    else element.scrollIntoView({ block: "center" });
  }, [focusRequest]);

  return { tab, select, withErrors };
}
