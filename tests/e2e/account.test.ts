// "Your account" in Chromium against the built app (docs/decisions/028-your-account.md): a new
// member of staff (signed up here, so no demo account's password changes) forgets their password,
// follows the link from the mail file in another browser, chooses a new one, and the session they
// had is ended; they sign in with the new password. Then they change their details from "Your
// account" in the header. Each account page is checked with axe (WCAG 2.2 AA). The journey runs
// with JavaScript and without it.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { expectNoAxeViolations } from "./support/axe";
import { url, useBrowser, visit, waitForHydration } from "./support/browser";
import { extractLink, waitForMail } from "./support/mail";
import { submitAndWait } from "./support/steps";

const FIRST_PASSWORD = "harbour violet compass 31";
const NEW_PASSWORD = "granite meadow lantern 58";

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

async function signIn(page: Page, email: string, password: string, javaScript: boolean) {
  await visit(page, "/login", javaScript);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => !u.pathname.startsWith("/login"));
}

for (const javaScript of [true, false]) {
  describe(`your account with JavaScript ${javaScript ? "on" : "off"}`, () => {
    const browser = useBrowser({ javaScript });
    const stamp = `${Date.now()}${javaScript ? "j" : "n"}`;
    const email = `account.${stamp}@uhnm.staywell.test`;
    const state: { signedIn?: boolean; reset?: boolean } = {};

    it("signs up and signs in (a fresh account)", async () => {
      const page = browser.page();
      await visit(page, "/signup", javaScript);
      await page.getByLabel("Work email address").fill(email);
      await page.getByLabel("Full name").fill("Alex Morgan");
      await page
        .getByRole("group", { name: "Staff group" })
        .getByLabel("Nursing and midwifery", { exact: true })
        .check();
      const date = page.getByRole("group", { name: "When did you start working for your organisation?" });
      await date.getByLabel("Day", { exact: true }).fill("5");
      await date.getByLabel("Month", { exact: true }).fill("9");
      await date.getByLabel("Year", { exact: true }).fill("2019");
      await submitAndWait(page, page.getByRole("button", { name: "Create account" }), /\/signup\/check-email/);
      const mail = await waitForMail(email, { subject: /choose your password/i });
      await page.goto(extractLink(mail, "/verify-email"));
      await waitForHydration(page, javaScript);
      await page.getByLabel("Create a password", { exact: true }).fill(FIRST_PASSWORD);
      await page.getByLabel("Enter the password again", { exact: true }).fill(FIRST_PASSWORD);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Save password and confirm my email address" }),
        /\/login\?.*verified=1/,
      );
      await signIn(page, email, FIRST_PASSWORD, javaScript);
      await expectText(page.getByRole("navigation", { name: "Menu" }), "Your account");
      state.signedIn = true;
    });

    it("forgot password: from the mail file to signing in with the new password; the old session has ended", async () => {
      expect(state.signedIn, "needs the sign-up step").toBe(true);
      // The deliberately wrong password below is answered 400 (logged by Chromium).
      browser.allowConsoleError(/status of 400/);
      const other = await browser.newSession();
      await visit(other, "/login", javaScript);
      await submitAndWait(other, other.getByRole("link", { name: "Forgot your password?" }), /\/forgot-password$/);
      await waitForHydration(other, javaScript);
      await expectNoAxeViolations(other, `forgot-password-js-${javaScript}`);
      await other.getByLabel("Email address").fill(email);
      await submitAndWait(other, other.getByRole("button", { name: "Send me a link" }), /\/forgot-password\?sent=1/);
      await expectText(other.getByRole("heading", { level: 1 }), "Check your email");
      await expectNoAxeViolations(other, `forgot-password-sent-js-${javaScript}`);

      const mail = await waitForMail(email, { subject: /reset your staywell password/i });
      const link = extractLink(mail, "/reset-password");
      expect(new URL(link).origin).toBe(new URL(url("/")).origin);
      await other.goto(link);
      await waitForHydration(other, javaScript);
      await expectText(other.getByRole("heading", { level: 1 }), "Choose a new password");
      await expectNoAxeViolations(other, `reset-password-js-${javaScript}`);
      await other.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
      await other.getByLabel("Enter the new password again", { exact: true }).fill(NEW_PASSWORD);
      await submitAndWait(other, other.getByRole("button", { name: "Save new password" }), /\/login\?reset=1/);
      await expectText(other.locator("main"), /signed out everywhere/);

      // The session from before the reset has ended: the account page asks to sign in.
      const page = browser.page();
      await page.goto(url("/account"), { waitUntil: "load" });
      expect(new URL(page.url()).pathname).toBe("/login");

      // The old password no longer works; the new one does.
      await visit(page, "/login", javaScript);
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill(FIRST_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expectText(page.locator(".nhsuk-error-summary"), "Enter a correct email address and password");
      await signIn(page, email, NEW_PASSWORD, javaScript);
      // The link works once.
      await other.goto(link);
      await expectText(other.locator(".nhsuk-error-summary"), /already been used/);
      state.reset = true;
    }, 300_000);

    it("changes details from Your account, and every account page passes axe", async () => {
      expect(state.reset, "needs the reset step").toBe(true);
      // The deliberately empty name below is answered 400 (logged by Chromium).
      browser.allowConsoleError(/status of 400/);
      const page = browser.page();
      await submitAndWait(
        page,
        page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Your account" }),
        (u) => u.pathname === "/account",
      );
      await waitForHydration(page, javaScript);
      await expectText(page.getByRole("heading", { level: 1 }), "Your details");
      await expectNoAxeViolations(page, `account-js-${javaScript}`);
      // A name left empty: an error summary, and the rest kept.
      await page.getByLabel("Full name").fill("");
      await page.getByLabel("Job title (optional)").fill("Ward sister");
      await page.getByRole("button", { name: "Save your details" }).click();
      await expectText(page.locator(".nhsuk-error-summary"), "Enter your full name");
      expect(await page.getByLabel("Job title (optional)").inputValue()).toBe("Ward sister");
      await expectNoAxeViolations(page, `account-error-js-${javaScript}`);
      await page.getByLabel("Full name").fill("Alex Morgan-Reid");
      await page
        .getByRole("group", { name: "Staff group" })
        .getByLabel("Allied health professionals", { exact: true })
        .check();
      await submitAndWait(page, page.getByRole("button", { name: "Save your details" }), /\/account$/);
      await expectText(page.locator(".nhsuk-notification-banner"), "Your details have been saved");
      expect(await page.getByLabel("Full name").inputValue()).toBe("Alex Morgan-Reid");
      expect(await page.getByLabel("Job title (optional)").inputValue()).toBe("Ward sister");
      expect(
        await page
          .getByRole("group", { name: "Staff group" })
          .getByLabel("Allied health professionals", { exact: true })
          .isChecked(),
      ).toBe(true);
      await expectText(page.locator("header"), "Alex Morgan-Reid");

      for (const [path, heading] of [
        ["/account/preferences", "Contact and emails"],
        ["/account/password", "Change your password"],
        ["/account/sessions", "Where you are signed in"],
      ] as const) {
        await visit(page, path, javaScript);
        await expectText(page.getByRole("heading", { level: 1 }), heading);
        await expectNoAxeViolations(page, `${path}-js-${javaScript}`);
      }
      await expectText(page.locator("main"), "This browser");
    }, 300_000);
  });
}
