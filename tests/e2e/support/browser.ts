// Chromium through playwright-core (never `npx playwright install`: Debian's chromium is used).
//
//   const browser = useBrowser({ javaScript: true });   // at the top of a describe
//   it("…", async () => { const page = browser.page(); await page.goto(url("/")); … });
//
// Every test fails when the page logs a console error or throws an uncaught error, unless the
// test said it expects one with browser.allowConsoleError(/pattern/).
import { afterAll, afterEach, beforeAll, beforeEach, inject } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { stats } from "./stats";

/**
 * Where Chromium sends every request for an origin other than the app's: a proxy that is not there
 * (the discard port on loopback, where nothing listens), so such a request fails at once with
 * net::ERR_PROXY_CONNECTION_FAILED and never leaves the machine. Chromium always connects to
 * loopback directly (its implicit proxy bypass), so the app on localhost is unaffected. This
 * replaced a context.route() on every context, which paused every request (each stylesheet, script
 * and document) for a round trip to Node: ~13 % of the browser files' CPU (ADR 023, addendum of
 * 1 December 2026, morning). harness.test.ts checks that such requests fail and are listed.
 */
export const NOWHERE_PROXY = "http://127.0.0.1:9";

export const CHROMIUM_ARGS = [
  "--headless",
  `--proxy-server=${NOWHERE_PROXY}`,
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The server this worker's files test: worker VITEST_POOL_ID n has the n-th (support/global-setup.ts). */
export function e2e() {
  const servers = inject("e2eServers");
  if (!servers?.length)
    throw new Error("The e2e server is not running: use vitest.e2e.config.ts (its globalSetup starts it).");
  const worker = Number(process.env.VITEST_POOL_ID) || 1;
  const info = servers[(worker - 1) % servers.length];
  if (!info) throw new Error(`No e2e server for worker ${worker}`);
  return info;
}

/** Absolute URL on the server under test. */
export function url(path: string) {
  return new URL(path, e2e().baseURL).toString();
}

export async function launchBrowser(): Promise<Browser> {
  // launch() gives every browser a fresh temporary user-data-dir.
  const started = performance.now();
  const browser = await chromium.launch({ executablePath: e2e().chromiumPath, headless: true, args: CHROMIUM_ARGS });
  stats.launchMs += performance.now() - started;
  return browser;
}

// One Chromium per worker PROCESS, shared by every file the worker runs and by their useBrowser()
// fixtures (vitest.e2e.config.ts runs the files with isolate: false, so a worker is one process and
// this module is loaded once in it). Each fixture still gets its own context (its own cookies,
// storage and cache, as a separate browser profile would), and when a file ends every context it
// opened is closed (endFileInBrowser(), from tests/e2e/support/setup.ts), so the next file starts
// with none: what it shares with the previous file is the Chromium process, not a page, cookie or
// cache. Launching once per worker instead of once per file saves a Chromium start (and, with the
// worker process reused, a fresh worker) per file: ADR 023, addendum of 1 December 2026 (h-proc).
// The worker's Chromium ends with the worker process (Playwright kills the browsers it launched when
// the process exits).
//
// If Chromium goes away during a file (a crash, or killed), that file fails at its end with a clear
// message (setup.ts) even when its own tests happened to pass, and the next file launches a new one.
let sharedBrowser: Promise<Browser> | undefined;
const closedOnPurpose = new WeakSet<Browser>();
let lostBrowser: string | undefined;
export function workerBrowser(): Promise<Browser> {
  if (!sharedBrowser) {
    const pending = launchBrowser().then((b) => {
      b.on("disconnected", () => {
        if (sharedBrowser === pending) sharedBrowser = undefined;
        if (!closedOnPurpose.has(b)) {
          lostBrowser = `Chromium ${b.version()} disconnected unexpectedly`;
          console.error(`[e2e] ${lostBrowser}; the next file launches a new one`);
        }
      });
      return b;
    });
    // A failed launch is not kept: the next fixture tries again.
    pending.catch(() => {
      if (sharedBrowser === pending) sharedBrowser = undefined;
    });
    sharedBrowser = pending;
  }
  return sharedBrowser;
}

/** A file starts: a browser lost between files (nothing was using it) is not this file's failure. */
export function startFileInBrowser() {
  lostBrowser = undefined;
}

/**
 * The end of a file: closes every context the file opened (its fixtures close their own; this also
 * closes axe's copy page and anything a test left open) and keeps the worker's Chromium for the next
 * file. Returns why the file must fail when its browser was lost during it, else undefined.
 */
export async function endFileInBrowser(): Promise<string | undefined> {
  const browser = await sharedBrowser?.catch(() => undefined);
  if (browser?.isConnected()) {
    await Promise.all(browser.contexts().map((ctx) => ctx.close().catch(() => {})));
  }
  const lost = lostBrowser;
  lostBrowser = undefined;
  return lost;
}

/** Closes the worker's Chromium (not needed between files; for a caller that wants it gone now). */
export async function closeWorkerBrowser() {
  const pending = sharedBrowser;
  sharedBrowser = undefined;
  const browser = await pending?.catch(() => undefined);
  if (!browser) return;
  closedOnPurpose.add(browser);
  await browser.close().catch(() => {});
}

// Contexts created with javaScriptEnabled: false (axe.ts cannot run inside them: timers never fire).
const noScriptContexts = new WeakSet<BrowserContext>();
export function isJavaScriptDisabled(page: Page) {
  return noScriptContexts.has(page.context());
}

/**
 * Requests to any origin but the app's fail (NOWHERE_PROXY): the test machine has no internet, and
 * a test must behave the same with or without it. They are listed here, not failed; a failed load's
 * console error is not counted as the page's problem (isBlockedExternalLoad).
 */
export const externalRequests = new Set<string>();
export function listExternalRequests(ctx: BrowserContext) {
  const appOrigin = new URL(e2e().baseURL).origin;
  ctx.on("request", (request) => {
    const u = new URL(request.url());
    if (u.origin !== appOrigin && u.protocol !== "data:" && u.protocol !== "blob:") externalRequests.add(u.href);
  });
}

/** Counts sign-ins (a POST to /login) and document loads for the file's statistics (stats.ts). */
export function countRequests(ctx: BrowserContext) {
  ctx.on("request", (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() === "POST" && /^\/login(\.data)?$/.test(pathname)) stats.signIns++;
    if (request.isNavigationRequest() && request.resourceType() === "document") stats.documents++;
  });
}

function isBlockedExternalLoad(problem: PageProblem) {
  if (problem.kind !== "console.error" || !/^Failed to load resource/.test(problem.text)) return false;
  try {
    return new URL(problem.url).origin !== new URL(e2e().baseURL).origin;
  } catch {
    return false;
  }
}

export interface PageProblem {
  kind: "console.error" | "pageerror";
  text: string;
  url: string;
}

export interface BrowserFixture {
  browser(): Browser;
  context(): BrowserContext;
  page(): Page;
  /** Problems recorded so far in this test. */
  problems(): PageProblem[];
  /** Allow console errors matching this pattern in the current test (e.g. an expected 404). */
  allowConsoleError(pattern: RegExp): void;
  /**
   * Records a failure that should not stop the test (e.g. an accessibility violation mid-journey):
   * the test carries on and fails at its end with every deferred failure listed.
   */
  defer(failure: string): void;
  /** A fresh context + page (new cookies), e.g. to sign in as someone else. Closed after the test. */
  newSession(): Promise<Page>;
  javaScript: boolean;
}

export function watchPage(page: Page, problems: PageProblem[]) {
  page.on("console", (message) => {
    if (message.type() === "error") {
      const location = message.location();
      problems.push({ kind: "console.error", text: message.text(), url: location.url || page.url() });
    }
  });
  page.on("pageerror", (error) => {
    problems.push({
      kind: "pageerror",
      text: `${error.name}: ${error.message}\n${error.stack ?? ""}`,
      url: page.url(),
    });
  });
}

/**
 * The worker's browser (workerBrowser()); one context of its own for the describe block (cookies kept)
 * across its tests, so a journey can go step by step. With javaScript: false the pages get no script at all, as a user whose
 * scripts failed to load.
 */
export function useBrowser(options: { javaScript: boolean }): BrowserFixture {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const problems: PageProblem[] = [];
  let allowed: RegExp[] = [];
  let extra: BrowserContext[] = [];
  let deferred: string[] = [];

  const newContext = async () => {
    const ctx = await browser!.newContext({
      javaScriptEnabled: options.javaScript,
      locale: "en-GB",
      timezoneId: "Europe/London",
      viewport: { width: 1280, height: 900 },
    });
    if (!options.javaScript) noScriptContexts.add(ctx);
    countRequests(ctx);
    listExternalRequests(ctx);
    ctx.setDefaultTimeout(30_000);
    ctx.setDefaultNavigationTimeout(60_000);
    return ctx;
  };

  beforeAll(async () => {
    browser = await workerBrowser();
    context = await newContext();
    page = await context.newPage();
    watchPage(page, problems);
  });
  beforeEach(() => {
    problems.length = 0;
    allowed = [];
    deferred = [];
  });
  afterEach(async () => {
    for (const ctx of extra) await ctx.close().catch(() => {});
    extra = [];
    const unexpected = problems.filter(
      (p) => !isBlockedExternalLoad(p) && !(p.kind === "console.error" && allowed.some((re) => re.test(p.text))),
    );
    problems.length = 0;
    const failures = [...deferred];
    deferred = [];
    if (unexpected.length) {
      failures.push(
        `The page reported ${unexpected.length} error(s):\n` +
          unexpected.map((p) => `  - [${p.kind}] ${p.text.trim()} (at ${p.url})`).join("\n"),
      );
    }
    if (failures.length) throw new Error(failures.join("\n\n"));
  });
  afterAll(async () => {
    // The browser is the worker's: kept for its next file (tests/e2e/support/setup.ts).
    await context?.close().catch(() => {});
  });

  return {
    javaScript: options.javaScript,
    browser: () => browser ?? fail("browser"),
    context: () => context ?? fail("context"),
    page: () => page ?? fail("page"),
    problems: () => [...problems],
    allowConsoleError: (pattern) => allowed.push(pattern),
    defer: (failure) => deferred.push(failure),
    async newSession() {
      const ctx = await newContext();
      extra.push(ctx);
      const p = await ctx.newPage();
      watchPage(p, problems);
      return p;
    },
  };
}

function fail(what: string): never {
  throw new Error(`useBrowser(): the ${what} is created in beforeAll; use it inside tests.`);
}

/**
 * With JavaScript on: wait until React has hydrated (root.tsx sets <html data-hydrated="true">
 * in an effect), so typing and clicking reach React's handlers. Without JavaScript: nothing to wait for.
 */
export async function waitForHydration(page: Page, javaScript: boolean) {
  if (!javaScript) return;
  await page.waitForSelector('html[data-hydrated="true"]', { state: "attached", timeout: 30_000 });
}

/**
 * Waits for the page at an address `expectedUrl` accepts. With JavaScript on, a client-side
 * navigation changes the address before React has committed the new page (the router pushes
 * history, then renders in a transition), so reading the page straight after the address changed
 * can read the old one: this also waits until root.tsx's effect has recorded the new address on
 * <html data-rendered-location>, which runs after the commit. A page React has not hydrated yet
 * is the server's own render of that address, so there is nothing more to wait for.
 */
export async function waitForPage(
  page: Page,
  expectedUrl: RegExp | ((u: URL) => boolean),
  options: { timeout?: number } = {},
) {
  await page.waitForURL(expectedUrl, { waitUntil: "load", ...options });
  if (isJavaScriptDisabled(page)) return;
  await page.waitForFunction(
    () => {
      const html = document.documentElement;
      return html.dataset.hydrated !== "true" || html.dataset.renderedLocation === location.pathname + location.search;
    },
    undefined,
    { polling: 50, ...options },
  );
}

/** Navigates and, with JavaScript on, waits for hydration. Returns the response. */
export async function visit(page: Page, path: string, javaScript: boolean) {
  const response = await page.goto(url(path), { waitUntil: "load" });
  await waitForHydration(page, javaScript);
  return response;
}
