// Screens that fit the work and fewer mistakes (issue 9, parts 4 and 5), in Chromium against the
// built app and the demo data:
// - each role lands where it works after signing in (coordinator /hub, manager /insights,
//   administrator /admin, staff /my/requests), and redirectTo wins over the landing;
// - after a reply on the staff request page the box is empty and focus is on the success banner;
// - a saved response goes into the hub message box at the cursor (with JavaScript) or after what was
//   typed (without: the choice is a submit button of the message form), never instead of it;
// - My requests, the admin people list and a team's page do not scroll sideways at 375 px.
// axe checks every page it arrives on.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { type BrowserFixture, useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";
import { rememberSession, reuseSession } from "./support/session";

const STAFF = "staff@uhnm.staywell.test";
const COORDINATOR = "coordinator@icb.staywell.test";
const MANAGER = "manager@icb.staywell.test";
const ADMIN = "admin@icb.staywell.test";

async function expectText(locator: Locator, expected: RegExp | string) {
  const matches = (text: string) => (typeof expected === "string" ? text.includes(expected) : expected.test(text));
  await expect
    .poll(
      async () => {
        const text = await locator
          .first()
          .innerText()
          .catch(() => "");
        return matches(text) ? true : text.slice(0, 300);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}

/** Through the sign-in form, always (the landing tests are about signing in); the session is kept for later tests. */
async function signInWithForm(page: Page, email: string, javaScript: boolean, redirectTo?: string) {
  await visit(page, redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login", javaScript);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await Promise.all([
    waitForPage(page, (u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  await waitForHydration(page, javaScript);
  await rememberSession(page, email, redirectTo);
}

/** Signed in as `email`: a session kept from earlier in this file when there is one (support/session.ts). */
async function signIn(page: Page, email: string, javaScript: boolean, redirectTo?: string) {
  if (await reuseSession(page, email, javaScript, redirectTo)) return;
  await signInWithForm(page, email, javaScript, redirectTo);
}

async function a11y(fixture: BrowserFixture, page: Page, label: string) {
  const report = await axeReport(page, label);
  if (report) fixture.defer(report);
}

/** The first request on My requests that is still open (the demo gives staff@uhnm a few). */
async function openOwnOpenRequest(page: Page, javaScript: boolean): Promise<string> {
  await visit(page, "/my/requests", javaScript);
  const rows = page.locator("table tbody tr");
  const count = await rows.count();
  for (let i = 0; i < count; i++) {
    const text = await rows.nth(i).innerText();
    if (/Closed|Withdrawn/i.test(text)) continue;
    const link = rows.nth(i).getByRole("link").first();
    const reference = (await link.innerText()).trim();
    await visit(page, `/my/requests/${encodeURIComponent(reference)}`, javaScript);
    if ((await page.locator('textarea[name="message"]').count()) === 1) return reference;
  }
  throw new Error("staff@uhnm has no open request in the demo data to reply to");
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  describe.sequential(`landing after sign-in (${mode})`, () => {
    const browser = useBrowser({ javaScript });

    it.each([
      [STAFF, "/my/requests", /Your requests/i],
      [COORDINATOR, "/hub", /./],
      [MANAGER, "/insights", /Support uptake and responsiveness/],
      [ADMIN, "/admin", /./],
    ])("%s lands on %s", async (email, path, heading) => {
      const page = await browser.newSession();
      await signInWithForm(page, email, javaScript);
      expect(new URL(page.url()).pathname).toBe(path);
      await expectText(page.getByRole("heading", { level: 1 }), heading);
      await a11y(browser, page, `${email} landing (${mode})`);
    });

    it("redirectTo wins over the landing", async () => {
      const page = await browser.newSession();
      await signInWithForm(page, COORDINATOR, javaScript, "/support");
      expect(new URL(page.url()).pathname).toBe("/support");
    });
  });
}

describe.sequential("the staff reply box after sending (with JavaScript)", () => {
  const browser = useBrowser({ javaScript: true });

  it("is empty, and focus is on the success banner, which is on screen", async () => {
    const page = browser.page();
    await signIn(page, STAFF, true);
    const reference = await openOwnOpenRequest(page, true);
    const message = `Landing test reply ${Date.now()}`;
    const box = page.locator('textarea[name="message"]');
    await box.fill(message);
    await Promise.all([
      waitForPage(page, (u) => u.searchParams.get("replied") === "1"),
      page.getByRole("button", { name: "Send message" }).click(),
    ]);
    await expect.poll(() => box.inputValue(), { timeout: 20_000 }).toBe("");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id ?? ""), { timeout: 20_000 })
      .toBe("reply-sent");
    const banner = page.locator("#reply-sent");
    await expectText(banner, "Your message has been sent to the people hub");
    const inView = await banner.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight;
    });
    expect(inView, "the success banner is on screen").toBe(true);
    await expect.poll(() => page.getByText(message, { exact: true }).count()).toBe(1);
    await expect.poll(() => page.locator(".staywell-timeline").getByText(message).count()).toBe(1);
    await a11y(browser, page, `my request ${reference} after a reply (with JavaScript)`);

    // A second message from the same URL is cleared and focused in the same way.
    await box.fill(`${message} again`);
    await page.getByRole("button", { name: "Send message" }).click();
    await expect
      .poll(() => page.locator(".staywell-timeline").getByText(`${message} again`).count(), { timeout: 20_000 })
      .toBe(1);
    await expect.poll(() => box.inputValue()).toBe("");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? "")).toBe("reply-sent");
  });
});

describe.sequential("the staff reply box after sending (without JavaScript)", () => {
  const browser = useBrowser({ javaScript: false });

  it("comes back empty, under a success banner at the top of the page", async () => {
    const page = browser.page();
    await signIn(page, STAFF, false);
    await openOwnOpenRequest(page, false);
    const message = `Landing test reply without script ${Date.now()}`;
    await page.locator('textarea[name="message"]').fill(message);
    await Promise.all([
      waitForPage(page, (u) => u.searchParams.get("replied") === "1"),
      page.getByRole("button", { name: "Send message" }).click(),
    ]);
    expect(new URL(page.url()).hash).toBe("");
    expect(await page.locator('textarea[name="message"]').inputValue()).toBe("");
    await expectText(page.locator("#reply-sent"), "Your message has been sent to the people hub");
    await a11y(browser, page, "my request after a reply (without JavaScript)");
  });
});

/** A request in coordinator@icb's queue whose message form offers saved responses; the page is left on it. */
async function openMessageableRequest(page: Page, javaScript: boolean) {
  await visit(page, "/hub", javaScript);
  const references = await page
    .locator('a[href^="/hub/requests/"]')
    .evaluateAll((links) =>
      links.map((a) => a.getAttribute("href") ?? "").filter((h) => /^\/hub\/requests\/[^/?#]+$/.test(h)),
    );
  for (const href of references.slice(0, 15)) {
    await visit(page, href, javaScript);
    if (
      (await page.locator('textarea[name="message"]').count()) === 1 &&
      (await page.getByText("Start from a ready-made message").count()) === 1
    ) {
      return href;
    }
  }
  throw new Error("no request in coordinator@icb's queue that can be messaged and has saved responses");
}

describe.sequential("a saved response in the hub message box (with JavaScript)", () => {
  const browser = useBrowser({ javaScript: true });

  it("goes in at the cursor as a paragraph of its own, keeping what the coordinator typed, and focus stays in the box", async () => {
    const page = browser.page();
    await signIn(page, COORDINATOR, true);
    await openMessageableRequest(page, true);
    const pathBefore = new URL(page.url()).pathname + new URL(page.url()).search;

    const box = page.locator('textarea[name="message"]');
    await box.fill("Dear Sam, Kind regards, Jo");
    // The cursor after "Dear Sam, ".
    await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(10, 10));
    await page.getByText("Start from a ready-made message").click();
    const choice = page.locator(".nhsuk-details__text button[name='canned']").first();
    await choice.click();

    const value = await box.inputValue();
    // A blank line before and after the saved text.
    expect(value.startsWith("Dear Sam,\n\n")).toBe(true);
    expect(value.endsWith("\n\nKind regards, Jo")).toBe(true);
    expect(value.length).toBeGreaterThan("Dear Sam,\n\n\n\nKind regards, Jo".length + 10);
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.name ?? "")).toBe(
      "message",
    );
    // No navigation and no POST: the page did not reload with a new box.
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(pathBefore);
    expect(new URL(page.url()).hash).toBe("");

    // A second choice, with the caret at the end, goes after what is there.
    const withFirst = await box.inputValue();
    await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(el.value.length, el.value.length));
    await choice.click();
    const after = await box.inputValue();
    expect(after.startsWith(`${withFirst}\n\n`)).toBe(true);
    expect(after.length).toBeGreaterThan(withFirst.length + 10);
    await a11y(browser, page, "hub request with a saved response inserted (with JavaScript)");
  });
});

describe.sequential("a saved response in the hub message box (without JavaScript)", () => {
  const browser = useBrowser({ javaScript: false });

  it("comes back after what the coordinator typed, with the focus in the box, and sends nothing", async () => {
    const page = browser.page();
    await signIn(page, COORDINATOR, false);
    const href = await openMessageableRequest(page, false);
    const timelineBefore = await page.locator("ol.staywell-hub-timeline > li").count();

    const typed = `Dear Sam,\nThank you for waiting (${Date.now()}).`;
    const box = page.locator('textarea[name="message"]');
    await box.fill(typed);
    await page.getByText("Start from a ready-made message").click(); // a native <details>
    const choice = page.locator(".nhsuk-details__text button[name='canned']").first();
    const title = (await choice.innerText()).trim();
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), choice.click()]);

    const value = await page.locator('textarea[name="message"]').inputValue();
    expect(value.startsWith(`${typed}\n\n`)).toBe(true);
    expect(value.length).toBeGreaterThan(typed.length + 10);
    // Back at the box: the address ends in #message and the box has the focus.
    expect(new URL(page.url()).pathname).toBe(href);
    expect(new URL(page.url()).hash).toBe("#message");
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.name ?? "")).toBe(
      "message",
    );
    await expectText(page.locator(".nhsuk-details__text li", { hasText: title }), "(in the message box above)");
    // Nothing was sent: no new timeline entry, no success banner.
    expect(await page.locator("ol.staywell-hub-timeline > li").count()).toBe(timelineBefore);
    expect(await page.getByText("Your message has been sent").count()).toBe(0);

    // A second choice is added after the first, keeping both.
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.locator(".nhsuk-details__text button[name='canned']").first().click(),
    ]);
    const twice = await page.locator('textarea[name="message"]').inputValue();
    expect(twice.startsWith(`${value}\n\n`)).toBe(true);
    await a11y(browser, page, "hub request with a saved response inserted (without JavaScript)");

    // The same POST from another site is refused (CSRF), as every other action is.
    const canned = await page.locator(".nhsuk-details__text button[name='canned']").first().getAttribute("value");
    const version = await page.locator("input[name='version']").first().inputValue();
    const forged = await page.request.post(new URL(href, page.url()).toString(), {
      form: { message: "x", canned: canned!, version },
      headers: { Origin: "https://evil.example" },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
  });
});

describe.sequential("tables at 375 px", () => {
  const browser = useBrowser({ javaScript: true });

  async function expectNoSidewaysScroll(page: Page, path: string, label: string) {
    await page.setViewportSize({ width: 375, height: 812 });
    await visit(page, path, true);
    expect(await page.locator("table").count(), `${label} has a table`).toBeGreaterThan(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page
      .screenshot({ path: `/tmp/landing-375-${label.replace(/\W+/g, "-")}.png`, fullPage: true })
      .catch(() => {});
    expect(width, `${label}: page width at 375 px`).toBeLessThanOrEqual(375);
    await a11y(browser, page, `${label} at 375 px`);
  }

  it("My requests fits", async () => {
    const page = await browser.newSession();
    await signIn(page, STAFF, true);
    await expectNoSidewaysScroll(page, "/my/requests", "my requests");
  });

  it("the admin people list and a team's page fit", async () => {
    const page = await browser.newSession();
    await signIn(page, ADMIN, true);
    await expectNoSidewaysScroll(page, "/admin/people", "admin people");
    await visit(page, "/admin/teams", true);
    const href = await page
      .locator('main a[href^="/admin/teams/"]')
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute("href") ?? "").find((h) => /^\/admin\/teams\/\d+$/.test(h)),
      );
    expect(href, "a team to open").toBeTruthy();
    await expectNoSidewaysScroll(page, href!, "admin team");
  });
});
