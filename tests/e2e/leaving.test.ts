// The leaving questionnaire in Chromium (issue 13 part 2), with and without JavaScript: a demo
// staff member opens /leaving, is told what is missing (what they typed kept), completes it with
// consent to be contacted at a personal address, confirms the address through the mailed link, sees
// their own answers and deletes them. Every page state is checked with axe.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { extractLink, waitForMail } from "./support/mail";
import { expectText, group, need, signIn, submitAndWait } from "./support/steps";

function defineJourney(javaScript: boolean, staffEmail: string) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  describe.sequential(`the leaving questionnaire with ${mode}`, () => {
    const browser: BrowserFixture = useBrowser({ javaScript });
    const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const personal = `leaver.${stamp}@example.org`;
    const state: { signedIn?: boolean; sent?: boolean } = {};

    async function a11y(page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) browser.defer(report);
    }

    it("signs in and opens /leaving", async () => {
      const page = browser.page();
      await signIn(page, staffEmail, DEMO_PASSWORD, javaScript, "/leaving");
      expect(new URL(page.url()).pathname).toBe("/leaving");
      await expectText(page.getByRole("heading", { level: 1 }), "Leaving");
      // The help the app already shows elsewhere, for a leaver in distress.
      await expectText(page.locator("main"), "Samaritans");
      await a11y(page, "leaving questionnaire");
      state.signedIn = true;
    });

    it("says what is missing and keeps what was typed", async () => {
      need(state.signedIn, "a sign-in");
      browser.allowConsoleError(/status of 400/);
      const page = browser.page();
      await page.getByLabel("Is there anything else you would like to tell us? (optional)").fill(`Rota ${stamp}`);
      await page.getByRole("button", { name: "Send my answers" }).click();
      const summary = page.locator(".nhsuk-error-summary");
      await expectText(summary, "Enter your leaving date");
      await expectText(summary, "Select where you are going");
      expect(await page.getByLabel("Is there anything else you would like to tell us? (optional)").inputValue()).toBe(
        `Rota ${stamp}`,
      );
      await a11y(page, "leaving questionnaire with errors");
    });

    it("completes the questionnaire with consent to be contacted", async () => {
      need(state.signedIn, "a sign-in");
      const page = browser.page();
      const date = group(page, "When is (or was) your last working day?");
      await date.getByLabel("Day", { exact: true }).fill("30");
      await date.getByLabel("Month", { exact: true }).fill("4");
      await date.getByLabel("Year", { exact: true }).fill("2026");
      await group(page, "Where are you going?").getByLabel("Social care", { exact: true }).check();
      const reasons = group(page, /^Why are you leaving\?/);
      await reasons.getByLabel("Work-life balance, hours or shift patterns", { exact: true }).check();
      await reasons.getByLabel("Looking after children", { exact: true }).check();
      await group(page, /^What is the main reason\?/)
        .getByLabel("Work-life balance, hours or shift patterns", { exact: true })
        .check();
      await group(page, /^What might have kept you\?/)
        .getByLabel("Flexible working or different hours", { exact: true })
        .check();
      await group(page, /^Which StayWell support did you use\?/)
        .getByLabel("I did not use any StayWell support", { exact: true })
        .check();
      await group(page, /^Would you consider coming back\?/)
        .getByLabel("Working on the staff bank", { exact: true })
        .check();
      await page.getByLabel("Yes, contact me at a personal email address").check();
      await page.getByLabel("Personal email address (if you would like to be contacted)").fill(personal);
      await page.getByRole("button", { name: "Send my answers" }).click();
      // On failure, say what the page shows instead (an error summary names the field).
      await expect
        .poll(
          async () =>
            new URL(page.url()).searchParams.get("done") === "sent"
              ? true
              : await page
                  .locator(".nhsuk-error-summary")
                  .innerText({ timeout: 500 })
                  .catch(() => "still waiting"),
          { timeout: 30_000 },
        )
        .toBe(true);
      await waitForHydration(page, javaScript);
      await expectText(page.locator("main"), "Your answers have been saved");
      await expectText(page.locator("main"), "waiting for you to open the link");
      await expectText(page.locator("main"), `Rota ${stamp}`);
      await a11y(page, "leaving answers");
      state.sent = true;
    });

    it("confirms the personal address through the mailed link", async () => {
      need(state.sent, "answers sent");
      const mail = await waitForMail(personal, { subject: /confirm your email address/i });
      const link = extractLink(mail, "/leaving/confirm-contact");
      const page = browser.page();
      await page.goto(link);
      await waitForHydration(page, javaScript);
      await expectText(page.getByRole("heading", { level: 1 }), "Confirm your email address");
      await a11y(page, "confirm contact address");
      await page.getByRole("button", { name: "Confirm my email address" }).click();
      await expectText(page.getByRole("heading", { level: 1 }), "Email address confirmed");
      await visit(page, "/leaving", javaScript);
      await expectText(page.locator("main"), `${personal} (confirmed)`);
    });

    it("deletes their own answers", async () => {
      need(state.sent, "answers sent");
      const page = browser.page();
      await visit(page, "/leaving", javaScript);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Delete my answers" }),
        (u) => u.searchParams.get("done") === "withdrawn",
      );
      await expectText(page.locator("main"), "Your answers have been deleted");
      await expect(page.getByRole("button", { name: "Send my answers" }).count()).resolves.toBe(1);
    });
  });
}

defineJourney(true, "staff@uhnm.staywell.test");
defineJourney(false, "staff2@mpft.staywell.test");
