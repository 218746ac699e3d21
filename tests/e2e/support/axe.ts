// Accessibility: axe-core against WCAG 2.0, 2.1 and 2.2, levels A and AA. Fails with a readable
// list of violations (rule, impact, help, and the elements involved).
//
// axe needs timers, which never fire in a page whose JavaScript is disabled; for such a page the
// check runs on a copy: the same HTML (its <script> elements removed, so nothing hydrates),
// served at the same URL in a JavaScript-enabled context, with the app's own stylesheets.
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { isJavaScriptDisabled, keepToAppOrigin } from "./browser";

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/** Pages checked so far in this process. */
export const checkedPages: string[] = [];

async function analyze(page: Page) {
  // @axe-core/playwright's types name the full `playwright` Page; playwright-core's is the same object.
  return new AxeBuilder({ page: page as never }).withTags(WCAG_TAGS).analyze();
}

async function analyzeWithoutScripts(page: Page) {
  const pageUrl = page.url();
  const html = (await page.content())
    .replace(/<script\b[\s\S]*?<\/script>/gi, "")
    .replace(/<link\b[^>]*rel=["']?modulepreload["']?[^>]*>/gi, "");
  const browser = page.context().browser();
  if (!browser) throw new Error("axe: the page has no browser");
  const ctx = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() ?? undefined });
  try {
    await keepToAppOrigin(ctx);
    const copy = await ctx.newPage();
    await copy.route(pageUrl, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    );
    await copy.goto(pageUrl, { waitUntil: "load" });
    return await analyze(copy);
  } finally {
    await ctx.close();
  }
}

/** Throws at once when the page has WCAG A/AA violations. */
export async function expectNoAxeViolations(page: Page, label = page.url()) {
  const report = await axeReport(page, label);
  if (report) throw new Error(report);
}

/** A readable list of the page's WCAG A/AA violations, or null when there are none. */
export async function axeReport(page: Page, label = page.url()): Promise<string | null> {
  const results = isJavaScriptDisabled(page) ? await analyzeWithoutScripts(page) : await analyze(page);
  checkedPages.push(label);
  if (results.violations.length === 0) return null;
  const lines = results.violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 5)
      .map((n) => `      ${n.target.join(" ")}\n        ${n.failureSummary?.replace(/\n/g, "\n        ") ?? ""}`)
      .join("\n");
    const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : "";
    return `  - ${v.id} (${v.impact ?? "?"}): ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
  });
  return `Accessibility: ${results.violations.length} WCAG A/AA violation(s) on ${label} (${page.url()}):\n${lines.join("\n")}`;
}
