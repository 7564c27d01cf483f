"use client";

import { useEffect, useId, useState } from "react";
import { cn } from "../_lib/cn";
import { isTheme, THEME_CHANGE_EVENT, THEME_STORAGE_KEY, THEMES, type Theme } from "../_lib/theme";

/** System / Light / Dark; the inline theme script (app/_lib/theme.ts) does the switching. */
export function ThemeSwitch({ className }: { className?: string }) {
  const id = useId();
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => {
    const stored = readStoredTheme();
    if (stored) setTheme(stored);
  }, []);

  function choose(next: Theme) {
    setTheme(next);
    try {
      if (next === "system") localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage blocked: the choice lasts for this page only.
    }
    window.dispatchEvent(new Event(THEME_CHANGE_EVENT));
  }

  return (
    <div className={cn("flex items-center gap-1.5 text-sm", className)}>
      <label htmlFor={id} className="sr-only">
        Theme
      </label>
      <ThemeIcon />
      <select
        id={id}
        value={theme}
        onChange={(event) => {
          if (isTheme(event.target.value)) choose(event.target.value);
        }}
        className="h-8 rounded-md border border-slate-300 bg-surface px-1.5 text-sm text-slate-700 hover:bg-slate-50"
      >
        {THEMES.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function readStoredTheme(): Theme | null {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return isTheme(stored) ? stored : null;
  } catch {
    return null;
  }
}

function ThemeIcon() {
  // Half a disc: light and dark in one sign. Left out on phones, where the logo, the switch and
  // Sign out must share one row.
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" className="hidden size-4 shrink-0 text-slate-500 sm:block">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 2a6 6 0 0 1 0 12Z" fill="currentColor" />
    </svg>
  );
}
