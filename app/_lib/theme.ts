export const THEMES = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
] as const;
export type Theme = (typeof THEMES)[number]["value"];

/** localStorage, not a cookie: the choice is per browser, and the server never needs it. */
export const THEME_STORAGE_KEY = "gatekeeper-theme";
/** Dispatched on window after the choice changes in this tab (other tabs get a storage event). */
export const THEME_CHANGE_EVENT = "gatekeeper-theme-change";

/**
 * Inlined in <head>, so the class is on <html> before the first paint (no light flash), and kept
 * running for the page's life: a "System" choice follows the system's setting as it changes. The one
 * place that decides whether a page is dark.
 */
export const THEME_SCRIPT = `(function () {
  var media = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    var choice = null;
    try { choice = localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)}); } catch (error) {}
    var dark = choice === "dark" || (choice !== "light" && media.matches);
    document.documentElement.classList.toggle("dark", dark);
  }
  apply();
  media.addEventListener("change", apply);
  window.addEventListener(${JSON.stringify(THEME_CHANGE_EVENT)}, apply);
  window.addEventListener("storage", apply);
})();`;

export function isTheme(value: unknown): value is Theme {
  return THEMES.some((theme) => theme.value === value);
}
