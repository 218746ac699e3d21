// "Send me a new link" and the one-time "Choose a password" links (docs/decisions/017, "Account
// pre-hijacking"), in Chromium against the built app, with and without JavaScript: a link that
// does not work offers a new one; the new link chooses the password; an older link is then used up.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { axeReport } from "./support/axe";
import { type BrowserFixture, useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";
import { extractLink, readAllMail, waitForMail } from "./support/mail";

const PASSWORD = "harbour lantern quietly 58";

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

async function a11y(fixture: BrowserFixture, page: Page, label: string) {
  const report = await axeReport(page, label);
  if (report) fixture.defer(report);
}

async function linksTo(email: string) {
  return (await readAllMail()).filter(
    (m) => m.to.toLowerCase().includes(email) && /choose your password/i.test(m.subject),
  );
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  describe.sequential(`a new link for a sign-up (${mode})`, () => {
    const browser = useBrowser({ javaScript });
    const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const email = `e2e.newlink.${javaScript ? "js" : "nojs"}.${stamp}@uhnm.staywell.test`;

    it("a link that does not work offers a new one, which chooses the password; the older link is then used up", async () => {
      const page = browser.page();
      // Its own network address (the server trusts X-Forwarded-For from this machine, as from a
      // proxy): the whole browser suite signs up from one address, and sign-ups are limited per
      // address and hour (ADR 017), so this journey would otherwise depend on how many ran before it.
      await page.context().setExtraHTTPHeaders({ "X-Forwarded-For": `198.51.100.${javaScript ? 11 : 12}` });
      await visit(page, "/signup", javaScript);
      await page.getByLabel("Work email address").fill(email);
      await page.getByLabel("Full name").fill("Sam Newlink");
      await page
        .getByRole("group", { name: "Staff group" })
        .getByLabel("Nursing and midwifery", { exact: true })
        .check();
      const date = page.getByRole("group", { name: /When did you start/ });
      await date.getByLabel("Day", { exact: true }).fill("1");
      await date.getByLabel("Month", { exact: true }).fill("2");
      await date.getByLabel("Year", { exact: true }).fill("2021");
      await Promise.all([
        waitForPage(page, /\/signup\/check-email/),
        page.getByRole("button", { name: "Create account" }).click(),
      ]);
      const first = extractLink(await waitForMail(email, { subject: /choose your password/i }), "/verify-email");

      // A link that does not work (copied in part, say).
      await visit(page, "/verify-email?token=not-the-whole-link", javaScript);
      await expectText(page.locator(".nhsuk-error-summary"), /not valid/);
      expect(await page.locator('input[type="password"]').count()).toBe(0);
      await a11y(browser, page, `a link that does not work (${mode})`);
      await Promise.all([
        waitForPage(page, /\/signup\/check-email$/),
        page.getByRole("link", { name: "Send me a new link" }).click(),
      ]);
      await waitForHydration(page, javaScript);
      await expectText(page.getByRole("heading", { level: 1 }), "Send me a new link");
      await a11y(browser, page, `send me a new link (${mode})`);
      await page.getByLabel("Work email address").fill(email);
      await Promise.all([
        waitForPage(page, /sent=1/),
        page.getByRole("button", { name: "Send me a new link" }).click(),
      ]);
      await expectText(page.locator("main"), `we have sent a new link to ${email}`);
      await expect.poll(async () => (await linksTo(email)).length, { timeout: 20_000 }).toBe(2);
      const second = extractLink((await linksTo(email)).at(-1)!, "/verify-email");
      expect(second).not.toBe(first);

      // The new link chooses the password.
      await visit(page, new URL(second).pathname + new URL(second).search, javaScript);
      await expectText(page.getByRole("heading", { level: 1 }), "Choose a password");
      await page.getByLabel("Create a password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Enter the password again", { exact: true }).fill(PASSWORD);
      await Promise.all([
        waitForPage(page, /\/login\?.*verified=1/),
        page.getByRole("button", { name: "Save password and confirm my email address" }).click(),
      ]);
      await waitForHydration(page, javaScript);
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await Promise.all([
        waitForPage(page, (u) => u.pathname === "/my/requests"),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);

      // The first link, still in the inbox, can no longer set a password.
      await visit(page, new URL(first).pathname + new URL(first).search, javaScript);
      await expectText(page.locator(".nhsuk-error-summary"), /already been used/);
      expect(await page.locator('input[type="password"]').count()).toBe(0);
    });
  });
}
