// Accessibility: axe-core against WCAG 2.0, 2.1 and 2.2, levels A and AA. Fails with a readable
// list of violations (rule, impact, help, and the elements involved).
//
// axe needs timers, which never fire in a page whose JavaScript is disabled; for such a page the
// check runs on a copy: the same HTML (its <script> elements removed, so nothing hydrates),
// served at the same URL in a JavaScript-enabled context, with the app's own stylesheets.
//
// axe runs once per distinct page state in a run (ADR 023): before a check, the page's structure is
// reduced to a fingerprint (every element's tag, its accessibility-relevant attributes, whether it
// has text of its own; runs of identical siblings, such as table rows, count once) and, with the
// viewport width, hashed. The first test to reach a state claims its hash in a folder shared by
// every file and worker of the run (E2E axeDir) and runs axe; a later page with the same hash is the
// same markup with other words in it, and is skipped. E2E_AXE_EVERY_PAGE=1 checks every page;
// E2E_AXE_LOG=1 lists the pages checked and skipped after each file.
import { createHash } from "node:crypto";
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page, Route } from "playwright-core";
import { e2e, isJavaScriptDisabled, listExternalRequests } from "./browser";
import { stats } from "./stats";

/**
 * axe-core's source as injected into a page (ADR 023, addendum of 30 November 2026, night, h-e2e;
 * and of 1 December 2026, morning, h-chrome):
 * - the minified build (axe.min.js, 0.6 MB) of the axe-core that @axe-core/playwright itself loads,
 *   not the unminified one it sends by default (1.3 MB): the same rules and messages, less to send
 *   over the DevTools protocol and to parse in the page;
 * - once per check: in legacy mode AxeBuilder.analyze() evaluates the source twice in the main
 *   frame (once to see whether axe.runPartial exists, once more while injecting into every frame),
 *   so axe-core was parsed and set up twice per check. analyze() below clears a flag in the page
 *   before each check and the source sets it, so the second evaluation returns at once: each check
 *   still gets an axe-core set up afresh on that document. The text is the same for every check,
 *   so V8's compilation cache in the renderer still applies (a text that differed per check made
 *   things slower).
 * - sent once per check and frame: analyze() evaluates it in every frame itself, and AxeBuilder is
 *   given AXE_INJECTED (a no-op) as its source, so the 0.6 MB text crosses the DevTools protocol
 *   (serialised by Node, relayed by the browser process, parsed by the renderer) once per check
 *   instead of twice. AxeBuilder still configures axe in each frame and runs it as before.
 */
const AXE_SOURCE = `(function () {
if (window.__staywellAxeInjected) return;
window.__staywellAxeInjected = true;
${readFileSync(
  createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright")).resolve("axe-core/axe.min.js"),
  "utf8",
)}
// pageStructure's text, as the test runner compiled it (a runner that keeps function names wraps
// them in __name(), which is defined here for that case).
var __name = function (f) { return f; };
var pageStructure = ${pageStructure.toString()};
var run = window.axe.run;
window.axe.run = function () {
  if (!window.__staywellAxeLeaveOutRepeats) return run.apply(this, arguments);
  window.__staywellAxeLeaveOutRepeats = false;
  var restore = pageStructure(true);
  var result;
  try {
    result = run.apply(this, arguments);
  } catch (err) {
    restore();
    throw err;
  }
  return Promise.resolve(result).then(
    function (r) { restore(); return r; },
    function (err) { restore(); throw err; }
  );
};
}).call(this);`;

/** What AxeBuilder evaluates in each frame as "axe-core's source": analyze() has injected the real one. */
const AXE_INJECTED = "void 0;";

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/** Pages checked so far in this file (emptied by resetAxeForFile()). */
export const checkedPages: string[] = [];

/**
 * The same rules and tags as always; two settings make a run cheaper without checking less (ADR 023,
 * addendum 2026-11-30), and axe-core is injected once per run, minified (AXE_SOURCE above):
 * - resultTypes ["violations"]: axe still runs every rule on every element, but keeps only one
 *   example node for passes, incomplete and inapplicable instead of every node (the violations,
 *   the only thing read here, stay complete), so the result sent back from the page is ~40 KB
 *   instead of up to 2-3 MB.
 * - legacy mode (axe.run in the page): the default path runs axe.runPartial in each frame, sends
 *   every partial result to Node, opens a blank page, injects axe again there and sends the
 *   partials back for axe.finishRun. The app has no iframes (and legacy mode still checks
 *   same-origin ones); the only thing it gives up is cross-origin frames, which the test browser
 *   cannot load anyway (every other origin fails: NOWHERE_PROXY in browser.ts).
 */
export async function analyze(page: Page) {
  await page.evaluate((leaveOut) => {
    const w = window as unknown as { __staywellAxeInjected?: boolean; __staywellAxeLeaveOutRepeats?: boolean };
    w.__staywellAxeInjected = false;
    w.__staywellAxeLeaveOutRepeats = leaveOut;
  }, process.env.E2E_AXE_ALL_REPEATS !== "1");
  // As AxeBuilder's own injection did: a child frame that cannot take axe is left out, the main
  // frame must.
  for (const frame of page.frames()) {
    try {
      await frame.evaluate(AXE_SOURCE);
    } catch (err) {
      if (frame === page.mainFrame()) throw err;
    }
  }
  // @axe-core/playwright's types name the full `playwright` Page; playwright-core's is the same object.
  return new AxeBuilder({ page: page as never, axeSource: AXE_INJECTED })
    .options({ resultTypes: ["violations"] })
    .withTags(WCAG_TAGS)
    .setLegacyMode(true)
    .analyze();
}

/**
 * One JavaScript-enabled page per browser and test file (resetAxeForFile()) on which the JS-off copies are checked,
 * instead of a new context for each: a new context costs ~0.7 s on the slow machine, and a reused
 * one keeps the app's stylesheets cached. The context has no cookies (the copy is served from
 * memory, and the stylesheets are public) and never runs the app's scripts (they are removed).
 */
let copyPages = new WeakMap<Browser, Promise<Page>>();
function copyPage(browser: Browser): Promise<Page> {
  let pending = copyPages.get(browser);
  if (!pending) {
    pending = (async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: true });
      listExternalRequests(ctx);
      return ctx.newPage();
    })();
    copyPages.set(browser, pending);
    // A failed start (or a closed page) is not kept: the next check makes a new one.
    pending.then(
      (p) => p.on("close", () => copyPages.get(browser) === pending && copyPages.delete(browser)),
      () => copyPages.get(browser) === pending && copyPages.delete(browser),
    );
  }
  return pending;
}

export async function analyzeWithoutScripts(page: Page) {
  const pageUrl = page.url();
  const html = (await page.content())
    .replace(/<script\b[\s\S]*?<\/script>/gi, "")
    .replace(/<link\b[^>]*rel=["']?modulepreload["']?[^>]*>/gi, "");
  const browser = page.context().browser();
  if (!browser) throw new Error("axe: the page has no browser");
  // One check at a time on the browser's copy page.
  const previous = copyQueue.get(browser) ?? Promise.resolve();
  const run = previous
    .catch(() => {})
    .then(async () => {
      const copy = await copyPage(browser);
      // As a new context's page had: the original's viewport, else Playwright's default.
      await copy.setViewportSize(page.viewportSize() ?? { width: 1280, height: 720 });
      // Going from /x#a to /x#b would only scroll: leave the previous copy first, so this one loads.
      if (withoutHash(copy.url()) === withoutHash(pageUrl)) await copy.goto("about:blank");
      const serve = (route: Route) =>
        route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html });
      await copy.route(pageUrl, serve);
      try {
        await copy.goto(pageUrl, { waitUntil: "load" });
        return await analyze(copy);
      } finally {
        await copy.unroute(pageUrl, serve);
      }
    });
  copyQueue.set(browser, run);
  return run;
}

let copyQueue = new WeakMap<Browser, Promise<unknown>>();

/**
 * A file has ended (setup.ts, after endFileInBrowser() closed every context, the copy page's too):
 * the next file on this worker's Chromium makes its own copy page, as with a browser of its own.
 */
export function resetAxeForFile() {
  copyPages = new WeakMap();
  copyQueue = new WeakMap();
  checkedPages.length = 0;
}

function withoutHash(u: string) {
  const i = u.indexOf("#");
  return i === -1 ? u : u.slice(0, i);
}

/**
 * The page's structure as a string: per element its tag, the attributes that change what axe sees
 * (roles, ARIA, ids, classes, types, names, state), and "t" when it has text of its own; text itself
 * and link targets are left out. Consecutive siblings with the same structure count once.
 *
 * With `leaveOutRepeats` (only in the page, inside axe.run: AXE_SOURCE) it hides (inline
 * `display: none !important`) every element after the first two of each run of consecutive
 * siblings with the same structure, by this very definition: the copies the fingerprint already
 * counts once, so axe's costly visual rules (color-contrast above all) skip them. Hidden, not
 * detached: the nodes stay where they are, so the selectors axe reports (nth-child) name the
 * element in the real page. It returns a function that puts back each element's own style
 * attribute exactly (or none) and the scroll positions, and throws when anything else changed the
 * document meanwhile (a MutationObserver). Nothing is hidden inside <head>, <select>, <datalist>,
 * <optgroup>, <tr> (cells: the table's columns), <colgroup> or <svg>, nor a <link>, <style>,
 * <meta> or <template>, nor an element holding the focus. When hiding changed whether any scroll
 * container scrolls (scrollable-region-focusable), everything is put back at once and the whole
 * page is checked. E2E_AXE_ALL_REPEATS=1 turns it off (to compare).
 */
function pageStructure(leaveOutRepeats?: boolean): string | (() => void) {
  const KEEP =
    /^(aria-.*|role|id|class|type|name|for|lang|alt|title|tabindex|scope|colspan|rowspan|headers|disabled|hidden|open|checked|selected|multiple|required|readonly|autocomplete|inputmode|style|href|src|content|rel|method|action|novalidate|placeholder|value|width|height|dir|accesskey|autofocus)$/;
  const PRESENCE_ONLY = /^(href|src|content|action|title|alt|placeholder|value)$/;
  const sigs = new Map<Element, string>();
  const sig = (el: Element): string => {
    const tag = el.tagName.toLowerCase();
    if (tag === "script" || (tag === "link" && el.getAttribute("rel") === "modulepreload")) return "";
    const attrs = [...el.attributes]
      .filter((a) => KEEP.test(a.name))
      .map((a) => (PRESENCE_ONLY.test(a.name) ? `${a.name}${a.value.trim() ? "+" : "-"}` : `${a.name}=${a.value}`))
      .sort()
      .join(" ");
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim()) ? " t" : "";
    const children: string[] = [];
    for (const child of el.children) {
      const s = sig(child);
      if (s && s !== children[children.length - 1]) children.push(s);
    }
    const result = `<${tag} ${attrs}${ownText}>${children.join("")}</>`;
    if (leaveOutRepeats) sigs.set(el, result);
    return result;
  };
  const structure = sig(document.documentElement);
  if (!leaveOutRepeats) return structure;

  const root = document.documentElement;
  const scrollers: [Element, boolean, boolean, number, number][] = [];
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (style.overflowX === "visible" && style.overflowY === "visible") continue;
    scrollers.push([
      el,
      el.scrollWidth > el.clientWidth,
      el.scrollHeight > el.clientHeight,
      el.scrollTop,
      el.scrollLeft,
    ]);
  }
  const windowScroll = [window.scrollX, window.scrollY];
  const active = document.activeElement;
  const KEEP_CHILDREN = /^(head|select|datalist|optgroup|tr|colgroup|svg)$/;
  const NEVER_LEFT_OUT = /^(link|style|meta|template|script)$/;
  const hidden: [HTMLElement, string | null][] = [];
  const walk = (el: Element) => {
    if (KEEP_CHILDREN.test(el.tagName.toLowerCase())) return;
    let last = "";
    let run = 0;
    for (const child of [...el.children]) {
      const s = sigs.get(child) ?? "";
      if (!s) continue;
      run = s === last ? run + 1 : 1;
      last = s;
      if (run > 2 && !NEVER_LEFT_OUT.test(child.tagName.toLowerCase()) && !(active && child.contains(active))) {
        const hide = child as HTMLElement;
        hidden.push([hide, hide.getAttribute("style")]);
        hide.style.setProperty("display", "none", "important");
      } else walk(child);
    }
  };
  walk(root);
  const putBack = () => {
    for (const [el, style] of hidden) {
      if (style === null) el.removeAttribute("style");
      else el.setAttribute("style", style);
    }
    hidden.length = 0;
    for (const [el, , , top, left] of scrollers) {
      if (el.scrollTop !== top) el.scrollTop = top;
      if (el.scrollLeft !== left) el.scrollLeft = left;
    }
    if (window.scrollX !== windowScroll[0] || window.scrollY !== windowScroll[1])
      window.scrollTo(windowScroll[0], windowScroll[1]);
  };
  const w = window as unknown as { __staywellAxeLeftOut?: number };
  w.__staywellAxeLeftOut = hidden.length;
  if (
    scrollers.some(([el, x, y]) => el.scrollWidth > el.clientWidth !== x || el.scrollHeight > el.clientHeight !== y)
  ) {
    putBack();
    w.__staywellAxeLeftOut = 0;
  }
  const observer = new MutationObserver(() => {});
  observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  return () => {
    const changed = observer.takeRecords().length;
    observer.disconnect();
    putBack();
    if (changed) throw new Error(`axe: the page changed during the check (${changed} mutation(s))`);
  };
}

/** Hash of the page's state for axe: its structure and viewport width. */
async function pageStateKey(page: Page) {
  const structure = (await page.evaluate(pageStructure, false)) as string;
  const width = page.viewportSize()?.width ?? 0;
  return createHash("sha256").update(`${width}\n${structure}`).digest("hex").slice(0, 32);
}

/**
 * Claims a page state for this run: true when no file has checked it yet (the caller then runs
 * axe), false with the label of the page that did.
 */
function claimPageState(key: string, label: string): { first: true } | { first: false; checkedAs: string } {
  const file = path.join(e2e().axeDir, key);
  try {
    writeFileSync(file, label, { flag: "wx" });
    return { first: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return { first: false, checkedAs: readFileSync(file, "utf8") };
  }
}

/** Throws at once when the page has WCAG A/AA violations. */
export async function expectNoAxeViolations(page: Page, label = page.url()) {
  const report = await axeReport(page, label);
  if (report) throw new Error(report);
}

/** A readable list of the page's WCAG A/AA violations, or null when there are none. */
export async function axeReport(page: Page, label = page.url()): Promise<string | null> {
  let key: string | undefined;
  if (process.env.E2E_AXE_EVERY_PAGE !== "1") {
    key = await pageStateKey(page);
    const claim = claimPageState(key, label);
    if (!claim.first) {
      stats.axeSkipped++;
      stats.skipped.push(`${label} (same page state as ${claim.checkedAs})`);
      return null;
    }
  }
  const started = performance.now();
  let results: Awaited<ReturnType<typeof analyze>>;
  try {
    results = isJavaScriptDisabled(page) ? await analyzeWithoutScripts(page) : await analyze(page);
  } catch (err) {
    // Not checked after all: let the next page in this state try again.
    if (key) unlinkSync(path.join(e2e().axeDir, key));
    throw err;
  }
  stats.axeRuns++;
  stats.axeMs += performance.now() - started;
  stats.checked.push(label);
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
