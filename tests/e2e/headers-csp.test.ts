// Headers and transport on the BUILT server (issue 10, ADR 020):
// - over HTTP, every page of every role (and the 404 page) carries a Content-Security-Policy whose
//   nonce is on every <script> of the page and on nothing else, no style attribute or <style>,
//   COOP and CORP, no-store, and arrives br- or gzip-compressed as the client asks; the stylesheets
//   and scripts it links are compressed too, hashed build assets are cached a year, immutable;
// - in Chromium with JavaScript on, the main pages of each role hydrate with no
//   `securitypolicyviolation` and no console error, client-side validation of the sign-in form
//   works without a round trip, and a link is followed client-side (single-fetch .data under
//   connect-src 'self').
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { url, useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";

const STAFF = "staff@uhnm.staywell.test";
const COORDINATOR = "coordinator@icb.staywell.test";
const MANAGER = "manager@icb.staywell.test";
const ADMIN = "admin@icb.staywell.test";
const BROWSER_ENCODINGS = "gzip, deflate, br, zstd";

// ---- over HTTP ------------------------------------------------------------------------------------

async function signInCookie(email: string) {
  const res = await fetch(url("/login"), {
    method: "POST",
    redirect: "manual",
    headers: { Origin: new URL(url("/")).origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "" }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("staywell_session=") && !c.endsWith("="));
  if (res.status !== 302 || !cookie) throw new Error(`signing in as ${email} gave ${res.status}`);
  return cookie;
}

/** GET as a browser would (same-origin navigation); fetch decompresses, the headers stay. */
async function get(path: string, cookie: string | null, acceptEncoding = BROWSER_ENCODINGS) {
  const headers: Record<string, string> = { "Accept-Encoding": acceptEncoding, "Sec-Fetch-Site": "same-origin" };
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(url(path), { headers, redirect: "manual" });
  return { res, body: await res.text() };
}

/** The first link on `path` whose href matches `pattern` (to find a real id in the demo data). */
async function firstLink(path: string, cookie: string, pattern: RegExp) {
  const { body } = await get(path, cookie);
  for (const m of body.matchAll(/href="([^"]+)"/g)) {
    const href = m[1].replace(/&amp;/g, "&");
    if (pattern.test(href)) return href;
  }
  throw new Error(`no link matching ${pattern} on ${path}`);
}

function nonceOf(policy: string | null) {
  const m = /script-src 'self' 'nonce-([A-Za-z0-9+/]+={0,2})'/.exec(policy ?? "");
  return m?.[1];
}

/** What is wrong with one HTML response (empty when nothing). */
function problemsWithPage(path: string, res: Response, body: string, expectedStatus: number) {
  const problems: string[] = [];
  if (res.status !== expectedStatus) problems.push(`status ${res.status}, expected ${expectedStatus}`);
  if (!/^text\/html/.test(res.headers.get("content-type") ?? ""))
    problems.push(`content-type ${res.headers.get("content-type")}`);
  const policy = res.headers.get("content-security-policy");
  const nonce = nonceOf(policy);
  if (!nonce) problems.push(`no CSP with a script nonce: ${policy}`);
  if (
    /unsafe-inline|unsafe-eval/.test((policy ?? "").split(";").find((d) => d.trim().startsWith("script-src")) ?? "")
  ) {
    problems.push("script-src allows unsafe-inline/eval");
  }
  for (const directive of [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
  ]) {
    if (!(policy ?? "").split(/;\s*/).includes(directive)) problems.push(`CSP lacks "${directive}"`);
  }
  const scripts = [...body.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
  if (scripts.length === 0) problems.push("no <script> at all (the page would not hydrate)");
  for (const tag of scripts) {
    if (!nonce || !tag.includes(` nonce="${nonce}"`)) problems.push(`script without the response's nonce: ${tag}`);
  }
  const styleAttributes = body.match(/<[a-z][^>]*\sstyle="[^"]*"/gi) ?? [];
  if (styleAttributes.length)
    problems.push(`style attribute(s) the CSP blocks: ${styleAttributes.slice(0, 3).join(" | ")}`);
  if (/<style[\s>]/i.test(body)) problems.push("a <style> element the CSP blocks");
  if (res.headers.get("cross-origin-opener-policy") !== "same-origin") problems.push("no COOP same-origin");
  if (res.headers.get("cross-origin-resource-policy") !== "same-origin") problems.push("no CORP same-origin");
  if (res.headers.get("cache-control") !== "no-store")
    problems.push(`cache-control ${res.headers.get("cache-control")}`);
  if (res.headers.get("content-encoding") !== "br")
    problems.push(`content-encoding ${res.headers.get("content-encoding")}, expected br`);
  return problems.map((p) => `${path}: ${p}`);
}

describe("headers on every page, per role (HTTP)", () => {
  it("every page carries a CSP whose nonce is on each of its scripts, COOP/CORP, no-store, and is compressed", async () => {
    const staff = await signInCookie(STAFF);
    const coordinator = await signInCookie(COORDINATOR);
    const manager = await signInCookie(MANAGER);
    const admin = await signInCookie(ADMIN);

    const pages: { path: string; cookie: string | null; status?: number }[] = [
      ...[
        "/",
        "/login",
        "/signup",
        "/signup/check-email",
        "/privacy",
        "/accessibility",
        "/support",
        "/support/financial-wellbeing",
      ].map((path) => ({ path, cookie: null })),
      { path: "/no-such-page", cookie: null, status: 404 },
      ...["/", "/support", "/support/financial-wellbeing", "/support/financial-wellbeing/request", "/my/requests"].map(
        (path) => ({
          path,
          cookie: staff,
        }),
      ),
      { path: await firstLink("/my/requests", staff, /^\/my\/requests\/[^/?#]+$/), cookie: staff },
      { path: "/hub", cookie: coordinator },
      { path: "/hub?status=all", cookie: coordinator },
      { path: await firstLink("/hub", coordinator, /^\/hub\/requests\/[^/?#]+$/), cookie: coordinator },
      { path: "/insights", cookie: manager },
      ...[
        "/admin",
        "/admin/audit",
        "/admin/mail",
        "/admin/offers",
        "/admin/offers/new",
        "/admin/organisations",
        "/admin/organisations/new",
        "/admin/people",
        "/admin/teams",
        "/admin/teams/new",
      ].map((path) => ({ path, cookie: admin })),
      { path: await firstLink("/admin/offers", admin, /^\/admin\/offers\/\d+$/), cookie: admin },
      { path: await firstLink("/admin/organisations", admin, /^\/admin\/organisations\/\d+$/), cookie: admin },
      { path: await firstLink("/admin/people", admin, /^\/admin\/people\/[^/?#]+$/), cookie: admin },
      { path: await firstLink("/admin/teams", admin, /^\/admin\/teams\/\d+$/), cookie: admin },
    ];
    const offerId = /\/admin\/offers\/(\d+)/.exec(pages.find((p) => /^\/admin\/offers\/\d+$/.test(p.path))!.path)![1];
    pages.push({ path: `/admin/offers/${offerId}/responses`, cookie: admin });

    const problems: string[] = [];
    const nonces = new Set<string>();
    for (const { path, cookie, status } of pages) {
      const { res, body } = await get(path, cookie);
      problems.push(...problemsWithPage(path, res, body, status ?? 200));
      const nonce = nonceOf(res.headers.get("content-security-policy"));
      if (nonce) nonces.add(nonce);
    }
    expect(problems).toEqual([]);
    // A fresh nonce for every response.
    expect(nonces.size).toBe(pages.length);
  });

  it("gzip when the client takes only gzip, nothing when it takes no encoding", async () => {
    const gzip = await get("/support", null, "gzip, deflate");
    expect(gzip.res.headers.get("content-encoding")).toBe("gzip");
    expect(gzip.body).toContain("</html>");
    const identity = await get("/support", null, "identity");
    expect(identity.res.headers.get("content-encoding")).toBeNull();
    // The same page either way (but for the nonce, fresh on every response).
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]*"/g, "");
    expect(withoutNonce(identity.body)).toBe(withoutNonce(gzip.body));
  });

  it("stylesheets and scripts are compressed; hashed build assets are cached a year, immutable", async () => {
    const { body } = await get("/support", null);
    const hrefs = [...body.matchAll(/<link\b[^>]*rel="(?:stylesheet|modulepreload)"[^>]*href="([^"]+)"/g)].map((m) =>
      m[1].replace(/&amp;/g, "&"),
    );
    expect(hrefs.some((h) => h.startsWith("/nhsuk/"))).toBe(true);
    const built = hrefs.filter((h) => h.startsWith("/assets/"));
    expect(built.filter((h) => h.endsWith(".css")).length).toBeGreaterThan(0);
    expect(built.filter((h) => h.endsWith(".js")).length).toBeGreaterThan(1);
    for (const href of hrefs) {
      const res = await fetch(url(href), { headers: { "Accept-Encoding": BROWSER_ENCODINGS } });
      await res.arrayBuffer();
      expect(res.status, href).toBe(200);
      // A file under 1 KB goes as it is; anything larger is compressed (the hashed assets by the
      // build, ADR 023: their compressed Content-Length may well be under 1 KB).
      const plain = await fetch(url(href), { headers: { "Accept-Encoding": "identity" } });
      const plainBytes = (await plain.arrayBuffer()).byteLength;
      expect(plain.headers.get("content-encoding"), href).toBeNull();
      if (plainBytes < 1024) expect(res.headers.get("content-encoding"), href).toBeNull();
      else expect(res.headers.get("content-encoding"), href).toBe("br");
      expect(res.headers.get("cross-origin-resource-policy"), href).toBe("same-origin");
      if (href.startsWith("/assets/")) {
        expect(res.headers.get("cache-control"), href).toBe("public, max-age=31536000, immutable");
      }
    }
    // The 277 KB NHS.UK stylesheet, compressed.
    const css = await fetch(url("/nhsuk/nhsuk-frontend.min.css?v=10.6.1"), { headers: { "Accept-Encoding": "gzip" } });
    const text = await css.text();
    expect(css.headers.get("content-encoding")).toBe("gzip");
    expect(text.length).toBeGreaterThan(200_000);
  });

  it("single-fetch .data responses are compressed and never cached", async () => {
    const manager = await signInCookie(MANAGER);
    const { res, body } = await get("/insights.data", manager);
    expect(res.status).toBe(200);
    expect(body.length).toBeGreaterThan(1024);
    expect(res.headers.get("content-encoding")).toBe("br");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

// ---- in Chromium, JavaScript on --------------------------------------------------------------------

const PAGES_BY_ROLE: { who: string | null; paths: string[] }[] = [
  { who: null, paths: ["/", "/support", "/support/financial-wellbeing", "/login", "/signup", "/privacy"] },
  { who: STAFF, paths: ["/support/financial-wellbeing/request", "/my/requests"] },
  { who: COORDINATOR, paths: ["/hub"] },
  { who: MANAGER, paths: ["/insights"] },
  { who: ADMIN, paths: ["/admin", "/admin/people", "/admin/audit", "/admin/mail", "/admin/offers", "/admin/teams"] },
];

/** Records securitypolicyviolation events in every document the context opens. */
async function recordViolations(page: Page) {
  await page.context().addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__cspViolations.push(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
}

async function violations(page: Page) {
  return page.evaluate(
    () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ["(recorder missing)"],
  );
}

async function signIn(page: Page, email: string) {
  await visit(page, "/login", true);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await Promise.all([
    waitForPage(page, (u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  await waitForHydration(page, true);
}

describe("the pages work under the CSP (Chromium, JavaScript on)", () => {
  const browser = useBrowser({ javaScript: true });

  it.each(PAGES_BY_ROLE.map((r) => [r.who ?? "signed out", r] as const))(
    "%s: every page hydrates with no CSP violation and no console error",
    async (_label, { who, paths }) => {
      const page = await browser.newSession();
      await recordViolations(page);
      if (who) {
        await signIn(page, who);
        expect(await violations(page)).toEqual([]);
      }
      for (const path of paths) {
        const response = await visit(page, path, true); // waits for hydration: the nonce'd scripts ran
        expect(response?.status(), path).toBe(200);
        expect(response?.headers()["content-security-policy"], path).toMatch(/'nonce-/);
        expect(await violations(page), path).toEqual([]);
      }
      // Console errors (a CSP refusal logs one) fail the test in useBrowser's afterEach.
    },
  );

  it("sign-in: client-side validation shows the errors without sending the form", async () => {
    const page = await browser.newSession();
    await recordViolations(page);
    await visit(page, "/login", true);
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() !== "GET") posts.push(`${r.method()} ${r.url()}`);
    });
    await page.getByRole("button", { name: "Sign in" }).click();
    const summary = page.locator(".nhsuk-error-summary");
    await summary.waitFor({ state: "visible", timeout: 10_000 });
    expect(await summary.innerText()).toContain("There is a problem");
    expect(await summary.innerText()).toMatch(/Enter your (work )?email address/);
    expect(posts).toEqual([]);
    expect(await violations(page)).toEqual([]);
  });

  it("a link is followed client-side: the next page's data comes by fetch (.data), no new document", async () => {
    const page = await browser.newSession();
    await recordViolations(page);
    await visit(page, "/support", true);
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    const requests: { type: string; url: string }[] = [];
    page.on("request", (r) => requests.push({ type: r.resourceType(), url: r.url() }));
    await Promise.all([
      waitForPage(page, (u) => u.pathname === "/support/financial-wellbeing"),
      page.locator('a[href="/support/financial-wellbeing"]').first().click(),
    ]);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    expect(requests.filter((r) => r.type === "document")).toEqual([]);
    expect(requests.some((r) => r.type === "fetch" && new URL(r.url).pathname.endsWith(".data"))).toBe(true);
    expect(await violations(page)).toEqual([]);
  });
});
