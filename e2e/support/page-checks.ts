import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 900 },
] as const;
export const COLOR_SCHEMES = ["light", "dark"] as const;

/** Null when the page does not scroll sideways; else names the elements that stick out. */
async function sidewaysScroll(page: Page): Promise<string | null> {
  const overflow = await page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return null;
    const culprits: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 1) continue;
      // Only the outermost: its children stick out with it.
      if (element.parentElement && element.parentElement.getBoundingClientRect().right > width + 1) continue;
      const classes = String(element.getAttribute("class") ?? "")
        .split(" ")
        .slice(0, 6)
        .join(".");
      culprits.push(
        `${element.tagName.toLowerCase()}.${classes} (right edge ${Math.round(box.right)} px): "${(element.textContent ?? "").trim().slice(0, 60)}"`,
      );
      if (culprits.length >= 5) break;
    }
    return { scrollWidth, culprits };
  });
  return overflow ? `scrolls sideways to ${overflow.scrollWidth} px:\n  ${overflow.culprits.join("\n  ")}` : null;
}

/** Null when axe-core finds no serious or critical violation; else names each rule and its elements. */
async function seriousAxeViolations(page: Page, scope: (builder: AxeBuilder) => AxeBuilder = (builder) => builder): Promise<string | null> {
  const results = await scope(new AxeBuilder({ page })).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  if (serious.length === 0) return null;
  return serious
    .map((violation) => {
      const nodes = violation.nodes
        .slice(0, 6)
        .map((node) => `  ${node.target.join(" ")}: ${node.failureSummary?.split("\n").slice(1).join(" ").trim()}`);
      return `axe ${violation.id} (${violation.impact}): ${violation.help}\n${nodes.join("\n")}`;
    })
    .join("\n");
}

export async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const problem = await sidewaysScroll(page);
  expect(problem, `${where}: ${problem}`).toBeNull();
}

/** `scope` narrows the check to part of the page (AxeBuilder's include and exclude). */
export async function expectNoSeriousAxeViolations(page: Page, where: string, scope?: (builder: AxeBuilder) => AxeBuilder): Promise<void> {
  const problem = await seriousAxeViolations(page, scope);
  expect(problem, `${where}: ${problem}`).toBeNull();
}

/**
 * Checks one page at a phone's and a desktop's width, with the system in light and in dark mode
 * (no stored choice: the page follows the system, which the dark class on <html> shows). All four
 * views are checked before failing, so that one run names every problem on the page.
 */
export async function checkPageEverywhere(page: Page, url: string, ready: (page: Page) => Promise<void>): Promise<void> {
  const problems: string[] = [];
  for (const viewport of VIEWPORTS) {
    for (const colorScheme of COLOR_SCHEMES) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await page.emulateMedia({ colorScheme });
      await page.goto(url);
      await ready(page);
      await expect(page.locator("html")).toHaveClass(colorScheme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      for (const problem of [await sidewaysScroll(page), await seriousAxeViolations(page)]) {
        if (problem) problems.push(`${url} at ${viewport.width} px, ${colorScheme}: ${problem}`);
      }
    }
  }
  expect(problems, problems.join("\n\n")).toEqual([]);
}
