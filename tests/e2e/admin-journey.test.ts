// Administration of the support catalogue, in Chromium against the built app, with three people:
// the demo admin adds a support offer handled by the "General support" team (first sending the
// form with mistakes, which come back with an error summary and what was typed), and it is in the
// list of support; a member of staff (staff@uhnm) asks for it; a coordinator of that team
// (coordinator@icb) finds the request in the hub by its reference; the admin retires the offer
// (after the confirmation step) and it is gone from the list of support, its page saying it is no
// longer taking requests. axe checks the offers list, the new-offer form with its errors, the edit
// page and the confirmation. The new-offer form is also sent without JavaScript (server checks).
//
// Steps share state in order; a step whose prerequisite failed fails too, naming what it needed.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { rememberSession, reuseSession } from "./support/session";
import { submitAndWait } from "./support/steps";

const ADMIN = "admin@icb.staywell.test";
const STAFF = "staff@uhnm.staywell.test";
const COORDINATOR = "coordinator@icb.staywell.test";
const TEAM = "General support";

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === false) {
    throw new Error(`This step needs ${what}, which an earlier step did not produce (see its failure).`);
  }
  return value;
}

/** Clicks and waits for the page that answers (a document load, or a client navigation). */

/** Waits (up to 20 s) for the text of `locator` to match: with JavaScript, React renders a moment after the URL changes. */
async function expectText(locator: Locator, expected: RegExp | string) {
  const matches = (text: string) => (typeof expected === "string" ? text.includes(expected) : expected.test(text));
  await expect
    .poll(
      async () => {
        const text = await locator
          .first()
          .innerText()
          .catch(() => "");
        return matches(text) ? true : text.slice(0, 400);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}

async function signIn(page: Page, email: string, javaScript: boolean, redirectTo?: string) {
  if (await reuseSession(page, email, javaScript, redirectTo)) return;
  await visit(page, redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login", javaScript);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => !u.pathname.startsWith("/login"));
  await waitForHydration(page, javaScript);
  await rememberSession(page, email, redirectTo);
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/admin-offers-${name}.png`, fullPage: true }).catch(() => {});
}

/** The catalogue's offer titles (every card link on /support). */
async function catalogueTitles(page: Page, javaScript: boolean): Promise<string[]> {
  const response = await visit(page, "/support", javaScript);
  expect(response?.status()).toBe(200);
  return page.locator("main .nhsuk-card__link").allInnerTexts();
}

describe.sequential("administration journey: a support offer from creation to retirement", () => {
  const javaScript = true;
  const admin: BrowserFixture = useBrowser({ javaScript });
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const title = `Bike repair clinic ${stamp}`;
  const slug = `bike-repair-${stamp}`;
  const details = `My commuting bike needs its brakes looked at (${stamp}).`;
  const state: { signedIn?: boolean; offerPath?: string; reference?: string; retired?: boolean } = {};

  async function a11y(page: Page, label: string) {
    const report = await axeReport(page, label);
    if (report) admin.defer(report);
  }

  it("the demo admin opens /admin/offers: the catalogue's offers by category, with a way to add one", async () => {
    const page = admin.page();
    await signIn(page, ADMIN, javaScript, "/admin/offers");
    expect(new URL(page.url()).pathname).toBe("/admin/offers");
    state.signedIn = true;
    await expect.poll(() => page.title()).toBe("Support offers – Administration – StayWell");
    await expectText(page.getByRole("heading", { level: 1 }), "Support offers");
    // The seeded offers, with their teams, and move buttons named for each offer.
    await expectText(page.locator("main"), "Fast-track physiotherapy");
    await expectText(page.locator("main"), "MSK & occupational health");
    // (Chromium's accessible name puts a space before the visually hidden part: "Move down : Fast-track…".)
    expect(await page.getByRole("button", { name: /^Move down\b.*Fast-track physiotherapy/ }).count()).toBe(1);
    await a11y(page, "admin: support offers");
    await screenshot(page, "list");
  });

  it("adds an offer handled by General support: mistakes first (error summary, typed values kept), then saved", async () => {
    need(state.signedIn, "the admin signed in");
    const page = admin.page();
    await submitAndWait(
      page,
      page.getByRole("link", { name: "Add a support offer" }),
      (u) => u.pathname === "/admin/offers/new",
    );
    await waitForHydration(page, javaScript);
    await expect.poll(() => page.title()).toBe("Add a support offer – Administration – StayWell");

    // Mistakes: no title, a slug with capitals and spaces, a target out of range.
    await page.getByLabel("Web address name").fill("Bike Repair");
    await page.getByLabel("Category").fill("Physical health");
    await page.getByLabel("Summary").fill("Free safety checks and small repairs for your bike.");
    await page.getByLabel("First contact target").fill("0");
    await page.getByRole("button", { name: "Add support offer" }).click();
    const summary = page.locator(".nhsuk-error-summary");
    await expectText(summary, "Enter the title");
    await expectText(summary, "lower case letters, numbers and hyphens");
    await expectText(summary, "between 1 and 30 working days");
    await expectText(summary, "Choose the team that handles requests for this support");
    expect(await page.getByLabel("Summary").inputValue()).toBe("Free safety checks and small repairs for your bike.");
    expect(new URL(page.url()).pathname).toBe("/admin/offers/new");
    await a11y(page, "admin: new offer form with errors");
    await screenshot(page, "new-errors");

    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Web address name").fill(slug);
    await page
      .getByLabel("Description")
      .fill(
        `A mechanic checks your brakes, gears and tyres.\n\n## What to bring\n\n- your bike\n- a lock\n\n<script>alert("x")</script>`,
      );
    await page.getByLabel("Who it is for").fill("Anyone who works for a partner organisation in the ICS.");
    await page.getByLabel("Who provides it").fill("Active travel partners");
    await page
      .getByLabel("What happens next")
      .fill("The clinic will contact you within 3 working days to book a time.");
    await page.getByLabel("First contact target").fill("3");
    await page.getByLabel("Handling team").selectOption({ label: TEAM });
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Add support offer" }),
      (u) => /^\/admin\/offers\/\d+$/.test(u.pathname) && u.searchParams.get("saved") === "created",
    );
    await waitForHydration(page, javaScript);
    state.offerPath = new URL(page.url()).pathname;
    await expectText(page.locator(".nhsuk-notification-banner--success"), "The support offer has been added.");
    await expectText(page.getByRole("heading", { level: 1 }), title);
    await expectText(page.locator(".nhsuk-summary-list"), `/support/${slug}`);
    await expectText(page.locator(".nhsuk-summary-list"), TEAM);
    expect(await page.getByLabel("Web address name").count(), "the slug is not editable").toBe(0);
    await a11y(page, "admin: edit offer page");
    await screenshot(page, "edit");
  });

  it("adds a saved response for the hub on the offer's saved responses page", async () => {
    const offerPath = need(state.offerPath, "the new offer");
    const page = admin.page();
    await visit(page, offerPath, javaScript);
    await submitAndWait(
      page,
      page.getByRole("link", { name: /^0 saved responses/ }),
      (u) => u.pathname === `${offerPath}/responses`,
    );
    await waitForHydration(page, javaScript);
    await page.getByLabel("Name", { exact: true }).fill("Booking your slot");
    await page
      .getByLabel("Message", { exact: true })
      .fill("Reply with a day that suits you and we will book your bike in.");
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Add saved response" }),
      (u) => u.searchParams.get("done") === "added",
    );
    await expectText(page.locator(".nhsuk-notification-banner--success"), "The saved response has been added.");
    await expectText(page.locator("main .nhsuk-card"), "Booking your slot");
    await a11y(page, "admin: saved responses");
    await screenshot(page, "responses-added");
  });

  it("the new offer is in the list of support, its description rendered from Markdown without the script", async () => {
    const offerPath = need(state.offerPath, "the new offer");
    const page = admin.page();
    expect(await catalogueTitles(page, javaScript)).toContain(title);
    const response = await visit(page, `/support/${slug}`, javaScript);
    expect(response?.status()).toBe(200);
    await expectText(page.getByRole("heading", { level: 1 }), title);
    await expectText(page.locator("main h2", { hasText: "What to bring" }), "What to bring");
    expect(await page.locator("main ul.nhsuk-list--bullet li").allInnerTexts()).toEqual(["your bike", "a lock"]);
    expect(await page.locator("main").innerText()).not.toContain("alert(");
    expect(await page.getByRole("link", { name: "Request this support" }).count()).toBe(1);
    await screenshot(page, "offer-page");
    expect(offerPath).toMatch(/^\/admin\/offers\/\d+$/);
  });

  it("staff@uhnm asks for it, and coordinator@icb (General support) finds the request in the hub by its reference", async () => {
    need(state.offerPath, "the new offer");
    const staff = await admin.newSession();
    await signIn(staff, STAFF, javaScript);
    await visit(staff, `/support/${slug}`, javaScript);
    await submitAndWait(
      staff,
      staff.getByRole("link", { name: "Request this support" }),
      (u) => u.pathname === `/support/${slug}/request`,
    );
    await waitForHydration(staff, javaScript);
    await staff.getByLabel("What would you like help with?").fill(details);
    await staff
      .getByRole("group", { name: "How would you like the people hub to contact you?" })
      .getByLabel("Email", { exact: true })
      .check();
    await submitAndWait(
      staff,
      staff.getByRole("button", { name: "Send request" }),
      (u) => /^\/my\/requests\/[^/]+$/.test(u.pathname) && u.searchParams.get("submitted") === "1",
    );
    const reference = decodeURIComponent(new URL(staff.url()).pathname.split("/").pop()!);
    expect(reference).toMatch(/^SW-\d{4}-\d+$/);
    state.reference = reference;

    const hub = await admin.newSession();
    await signIn(hub, COORDINATOR, javaScript, "/hub");
    expect(new URL(hub.url()).pathname).toBe("/hub");
    await hub.locator("summary", { hasText: "Filter requests" }).click();
    await hub.getByLabel("Reference", { exact: true }).fill(reference);
    await submitAndWait(
      hub,
      hub.getByRole("button", { name: "Apply filters" }),
      (u) => u.pathname === "/hub" && u.searchParams.get("q") === reference,
    );
    const rows = hub.locator("main table tbody tr");
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);
    const row = (await rows.first().innerText()).replace(/\s+/g, " ");
    expect(row).toContain(reference);
    expect(row).toContain(title);
  });

  it("the admin retires it after the confirmation step; it disappears from the list of support", async () => {
    const offerPath = need(state.offerPath, "the new offer");
    const page = admin.page();
    await visit(page, offerPath, javaScript);
    await submitAndWait(
      page,
      page.getByRole("link", { name: "Retire this support offer" }),
      (u) => u.searchParams.get("confirm") === "retire",
    );
    await waitForHydration(page, javaScript);
    await expectText(page.getByRole("heading", { level: 1 }), `Retire ${title}?`);
    await expectText(page.locator(".nhsuk-warning-callout"), "Requests already made go on");
    await expectText(page.locator(".nhsuk-warning-callout"), "1 open request");
    await a11y(page, "admin: retire confirmation");
    await screenshot(page, "retire-confirm");
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Yes, retire this support offer" }),
      (u) => u.pathname === offerPath && u.searchParams.get("saved") === "retired",
    );
    await expectText(page.locator(".nhsuk-notification-banner--success"), "The support offer has been retired.");
    await expectText(page.locator(".nhsuk-summary-list"), "Retired");
    state.retired = true;

    expect(await catalogueTitles(page, javaScript)).not.toContain(title);
    await visit(page, `/support/${slug}`, javaScript);
    await expectText(page.locator("main"), "No longer taking requests");
    expect(await page.getByRole("link", { name: "Request this support" }).count()).toBe(0);

    // The offers list shows it under Retired.
    await visit(page, "/admin/offers?show=retired", javaScript);
    await expectText(page.locator("main"), title);
    await a11y(page, "admin: retired offers");
  });
});

describe.sequential("the new-offer form without JavaScript", () => {
  const browser = useBrowser({ javaScript: false });

  it("the server checks it and shows the error summary, keeping what was typed", async () => {
    const page = browser.page();
    // The refused form comes back as a 400 page (what the browser logs for it is expected).
    browser.allowConsoleError(/status of 400/);
    await signIn(page, ADMIN, false, "/admin/offers/new");
    expect(new URL(page.url()).pathname).toBe("/admin/offers/new");
    // Everything right but a web address name that is taken: only the server can tell.
    await page.getByLabel("Title").fill("Kept title");
    await page.getByLabel("Web address name").fill("physiotherapy");
    await page.getByLabel("Category").fill("Physical health");
    await page.getByLabel("Summary").fill("A summary.");
    await page.getByLabel("Description").fill("A description.");
    await page.getByLabel("Who it is for").fill("All staff.");
    await page.getByLabel("Who provides it").fill("A provider");
    await page.getByLabel("What happens next").fill("Someone will call you.");
    await page.getByLabel("Handling team").selectOption({ label: TEAM });
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Add support offer" }),
      (u) => u.pathname === "/admin/offers/new",
    );
    const summary = page.locator(".nhsuk-error-summary");
    await expectText(summary, "The web address name physiotherapy is already used by another support offer");
    expect(await page.getByLabel("Title").inputValue()).toBe("Kept title");
    expect(await page.getByLabel("Handling team").inputValue()).not.toBe("");
    expect(await summary.locator("li").count()).toBe(1);
    const report = await axeReport(page, "admin: new offer form with errors (JavaScript off)");
    if (report) browser.defer(report);
  });
});
