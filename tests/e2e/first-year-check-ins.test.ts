// First-year check-ins in Chromium against the built app (issue 14 part 1, ADR 039), with and without
// JavaScript: a new account whose start date in post was five weeks ago gets the 4-week check-in
// (mailed, and as a card on the home page, from the scheduler's next run), answers it with
// "thinking about leaving: yes" and asks to be contacted; the request is in the Retention and careers
// queue for its coordinator, with the check-in's answers. A manager sees /insights/first-year.
// With E2E_SCREENSHOTS=1, screenshots at 1280 and 375 px wide go to /tmp/first-year-*.png. axe checks every page.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { type BrowserFixture, useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";
import { extractLink, waitForMail } from "./support/mail";
import { choosePassword, expectText, fillPerson, NEW_PASSWORD, signIn, submitAndWait } from "./support/steps";

const RETENTION_COORDINATOR = "retention.coordinator@icb.staywell.test";
const MANAGER = "manager@icb.staywell.test";
const stamp = Date.now().toString(36);

// Screenshots for a person to look at (/tmp/first-year-*.png): nothing compares them, so they are
// taken only when asked for (E2E_SCREENSHOTS=1); each is a full-page capture and PNG encoding at two
// widths (ADR 023, addendum of 1 December 2026, morning, h-chrome).
async function screenshots(page: Page, name: string) {
  if (process.env.E2E_SCREENSHOTS !== "1") return;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `/tmp/first-year-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const fiveWeeksAgo = new Date(Date.now() - 35 * 24 * 60 * 60_000);

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  const email = `new.starter.${stamp}.${javaScript ? "js" : "nojs"}@nhs.net`;
  describe.sequential(`a first-year check-in, answered (${mode})`, () => {
    const person = useBrowser({ javaScript });
    const hub = useBrowser({ javaScript });
    const state: { reference?: string } = {};

    async function a11y(fixture: BrowserFixture, page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) fixture.defer(report);
    }

    it("a new account started five weeks ago sees the 4-week check-in on the home page and answers it", async () => {
      person.allowConsoleError(/status of 400/);
      const page = person.page();
      await visit(page, "/signup", javaScript);
      await page.getByLabel("Work email address").fill(email);
      await page.getByLabel("Your organisation (nhs.net addresses only)").selectOption({ index: 1 });
      await fillPerson(page, `Nia Starter ${javaScript ? "One" : "Two"}`, fiveWeeksAgo);
      await submitAndWait(page, page.getByRole("button", { name: "Create account" }), (u) =>
        u.pathname.startsWith("/signup/check-email"),
      );
      const welcome = await waitForMail(email, { subject: /Choose your password/ });
      await choosePassword(page, extractLink(welcome, "/verify-email"), javaScript);

      // The scheduler checks each minute: the check-in is mailed once it has run.
      const mail = await waitForMail(email, { subject: /How is your first year going/, timeoutMs: 100_000 });
      const checkInPath = new URL(extractLink(mail, "/check-ins/")).pathname;
      await signIn(page, email, NEW_PASSWORD, javaScript, undefined, { form: true });
      await visit(page, "/", javaScript);
      const card = page.getByTestId("check-in-card");
      await expectText(card, "How is your first year going?");
      await expectText(card, "Your 4-week check-in is open (you started in your post on");
      await a11y(person, page, "home page with the check-in card");
      await screenshots(page, `home-${javaScript ? "js" : "nojs"}`);

      await submitAndWait(
        page,
        card.getByRole("link", { name: /Answer your 4-week check-in/ }),
        (u) => u.pathname === checkInPath,
      );
      await waitForHydration(page, javaScript);
      // An empty form is refused with the NHS.UK error summary.
      await page.getByRole("button", { name: "Send my answers" }).click();
      await expectText(page.locator(".nhsuk-error-summary"), "Select how you are finding your work");
      await a11y(person, page, "check-in refused");

      await page
        .getByRole("group", { name: /How are you finding your work/ })
        .getByLabel("2", { exact: true })
        .check();
      await page
        .getByRole("group", { name: /Do you feel supported by your team/ })
        .getByLabel("3", { exact: true })
        .check();
      await page
        .getByRole("group", { name: /Do you have what you need/ })
        .getByLabel("Partly", { exact: true })
        .check();
      await page
        .getByRole("group", { name: /Are you thinking about leaving/ })
        .getByLabel("Yes", { exact: true })
        .check();
      await page.getByLabel("Anything you want to tell us (optional)").fill("The rota is hard to plan around.");
      await page.getByLabel("I would like someone from the people hub to contact me").check();
      await screenshots(page, `form-${javaScript ? "js" : "nojs"}`);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Send my answers" }),
        (u) => u.pathname === checkInPath && !u.search,
      );
      await waitForHydration(page, javaScript);
      await expectText(page.locator("main"), "Thank you for your check-in");
      const reference = (await page.locator("main strong").first().innerText()).trim();
      expect(reference).toMatch(/^SW-/);
      state.reference = reference;
      await a11y(person, page, "check-in answered");
      await screenshots(page, `thanks-${javaScript ? "js" : "nojs"}`);

      // The card is gone once answered.
      await visit(page, "/", javaScript);
      expect(await page.getByTestId("check-in-card").count()).toBe(0);
    }, 180_000);

    it("the Retention and careers coordinator finds the request in the queue, with the answers", async () => {
      const reference = state.reference;
      expect(reference, "the request's reference (previous step)").toBeTruthy();
      const page = hub.page();
      await signIn(page, RETENTION_COORDINATOR, DEMO_PASSWORD, javaScript, "/hub");
      await visit(page, `/hub?status=all&q=${encodeURIComponent(reference!)}`, javaScript);
      const row = page.locator("main table tbody tr", { hasText: reference! });
      await expectText(row, "Thinking about leaving");
      await submitAndWait(
        page,
        row.getByRole("link", { name: reference!, exact: true }),
        (u) => u.pathname === `/hub/requests/${encodeURIComponent(reference!)}`,
      );
      await waitForHydration(page, javaScript);
      const main = page.locator("main");
      await expectText(main, "First-year check-in");
      await expectText(main, "4 weeks after starting");
      await expectText(main, "The rota is hard to plan around.");
      await a11y(hub, page, "hub: request from a check-in");
      await screenshots(page, `hub-${javaScript ? "js" : "nojs"}`);
    }, 60_000);
  });
}

describe.sequential("a manager sees /insights/first-year", () => {
  const manager = useBrowser({ javaScript: true });
  it("shows the tables, never a person, with a CSV link", async () => {
    const page = manager.page();
    await signIn(page, MANAGER, DEMO_PASSWORD, true, "/insights/first-year");
    await visit(page, "/insights/first-year", true);
    const main = page.locator("main");
    await expectText(main, "First-year check-ins");
    await expectText(main, "Check-ins sent in the period, by point after the start date");
    await expectText(main, "Answers by organisation");
    // Each chart says, visibly, what it measures; the points table has a "Still open" column.
    for (const caption of [
      "Check-ins answered, by point after the start date",
      "Share of answers thinking of leaving, by organisation (%)",
      "Average score for how new starters find their work (1 to 5), by staff group",
    ])
      expect(await main.getByRole("heading", { level: 3, name: caption }).isVisible()).toBe(true);
    expect(await page.locator("#table-points th", { hasText: "Still open" }).count()).toBe(1);
    expect(await main.innerText()).not.toMatch(/, The 12 months/);
    expect(await page.getByRole("link", { name: "Download these figures (CSV)" }).count()).toBe(1);
    expect(await main.innerText()).not.toContain("The rota is hard to plan around.");
    // The demo's check-ins that asked for contact made requests: "led to support" is a figure.
    // (The cell may carry its column's name for narrow screens before the figure.)
    const total = await page.locator("#table-support .staywell-total-row td").last().innerText();
    expect(total.trim()).toMatch(/(^|\s)[1-9]\d*$/);
    const report = await axeReport(page, "insights: first-year check-ins");
    if (report) manager.defer(report);
    await screenshots(page, "insights");

    // The one filter: an organisation; the page and its CSV link follow it.
    await page.locator("#for").selectOption({ label: "University Hospitals of North Midlands NHS Trust" });
    await Promise.all([
      waitForPage(page, (u) => u.searchParams.get("for")?.startsWith("organisation:") ?? false),
      page.getByRole("button", { name: "Show figures" }).click(),
    ]);
    await expectText(main.locator(".nhsuk-body-l").first(), "University Hospitals of North Midlands NHS Trust");
    const csv = await page.getByRole("link", { name: "Download these figures (CSV)" }).getAttribute("href");
    expect(csv).toContain("for=organisation%3A");
  }, 60_000);
});
