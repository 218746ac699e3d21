// Stay conversations in Chromium against the built app (issue 13 part 1, docs/decisions/032), with
// and without JavaScript: the card on the home page and at the top of /support, search for
// "resign", a staff member asking for a stay conversation (a refused empty form first), the
// Retention and careers coordinator finding it in the hub, being refused a close without a
// retention outcome, closing it with "Moved to another ICS organisation", and the staff member
// seeing what happened. Every page is checked with axe.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { rememberSession, reuseSession } from "./support/session";
import { submitAndWait } from "./support/steps";

const STAFF = { email: "staff2@mpft.staywell.test", firstName: "Tomasz" };
const RETENTION_COORDINATOR = "retention.coordinator@icb.staywell.test";
const OFFER = "thinking-of-leaving";
const TITLE = "Thinking about leaving? Talk to us first";
const MOVED = "Moved to another ICS organisation";

function group(page: Page, legend: string): Locator {
  return page.getByRole("group", { name: legend, exact: true });
}

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

function summaryRow(page: Page, label: string) {
  return page
    .locator(".nhsuk-summary-list__row", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
    .first();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  describe.sequential(`a stay conversation, asked for and closed (${mode})`, () => {
    const staff = useBrowser({ javaScript });
    const hub = useBrowser({ javaScript });
    const state: { reference?: string; closed?: boolean } = {};

    async function a11y(fixture: BrowserFixture, page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) fixture.defer(report);
    }

    it("the card is on the home page and at the top of /support, and search for 'resign' finds the offer", async () => {
      const page = staff.page();
      await signIn(page, STAFF.email, javaScript);
      await visit(page, "/", javaScript);
      const homeCard = page.getByTestId("stay-conversation-card");
      await expectText(homeCard, TITLE);
      await a11y(staff, page, "home page with the stay-conversation card");

      await visit(page, "/support", javaScript);
      const card = page.getByTestId("stay-conversation-card");
      await expectText(card, TITLE);
      // Above the catalogue: before the first category heading.
      const cardTop = (await card.boundingBox())!.y;
      const firstCategory = (await page.locator("main h2[id^='category-']").first().boundingBox())!.y;
      expect(cardTop).toBeLessThan(firstCategory);
      await a11y(staff, page, "/support with the stay-conversation card");

      await visit(page, "/support?q=resign", javaScript);
      const results = page.getByRole("list", { name: "Search results" });
      await expectText(results, TITLE);

      await visit(page, "/", javaScript);
      await submitAndWait(
        page,
        page.getByTestId("stay-conversation-card").getByRole("link"),
        (u) => u.pathname === `/support/${OFFER}`,
      );
      await a11y(staff, page, "the stay-conversation offer page");
    });

    it("the staff member is told what is missing, then asks for a stay conversation", async () => {
      const page = staff.page();
      staff.allowConsoleError(/status of 400/);
      await visit(page, `/support/${OFFER}/request`, javaScript);
      await expectText(page.locator("main"), "Your employer and your manager are not told");
      await a11y(staff, page, "stay-conversation form");
      await page.getByRole("button", { name: "Send request" }).click();
      const summary = page.locator(".nhsuk-error-summary");
      await expectText(summary, "Select what is making you think about leaving");
      await expectText(summary, "Select what might help you stay");
      await expectText(summary, "Select how soon you might leave");
      await expectText(summary, "Select what you would like the people hub to do");
      await a11y(staff, page, "stay-conversation form with errors");

      const reasons = group(page, "What is making you think about leaving?");
      await reasons.getByLabel("Work-life balance", { exact: true }).check();
      await reasons.getByLabel("Shift patterns or hours", { exact: true }).check();
      await group(page, "What might help you stay?")
        .getByLabel(MOVED.replace("Moved to", "A move to"), { exact: true })
        .check();
      await group(page, "How soon might you leave?").getByLabel("In 1 to 3 months", { exact: true }).check();
      await group(page, "What would you like the people hub to do?")
        .getByLabel("Have a conversation with me", { exact: true })
        .check();
      await group(page, "How would you like the people hub to contact you?")
        .getByLabel("Email", { exact: true })
        .check();
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Send request" }),
        (u) => /^\/my\/requests\/[^/]+$/.test(u.pathname) && u.searchParams.get("submitted") === "1",
      );
      state.reference = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
      expect(state.reference).toMatch(/^SW-\d{4}-\d+$/);
      await expectText(page.locator("main"), "Work-life balance");
      await a11y(staff, page, "stay conversation sent");
    });

    it("the Retention and careers coordinator finds it, is refused a close without a retention outcome, then closes it", async () => {
      const reference = state.reference;
      expect(reference, "the request's reference (previous step)").toBeTruthy();
      hub.allowConsoleError(/status of 400/);
      const page = hub.page();
      await signIn(page, RETENTION_COORDINATOR, javaScript, "/hub");
      await visit(page, `/hub?status=all&q=${encodeURIComponent(reference!)}`, javaScript);
      const row = page.locator("main table tbody tr", { hasText: reference! });
      await expectText(row, TITLE);
      await a11y(hub, page, "hub queue with the stay conversation");
      await submitAndWait(
        page,
        row.getByRole("link", { name: reference!, exact: true }),
        (u) => u.pathname === `/hub/requests/${encodeURIComponent(reference!)}`,
      );
      await waitForHydration(page, javaScript);
      await expectText(page.locator("main"), "Shift patterns or hours");
      await a11y(hub, page, "hub: stay conversation request page");

      await group(page, "New status").getByLabel("Closed", { exact: true }).check();
      await group(page, "Outcome").getByLabel("Support given", { exact: true }).check();
      await page.getByRole("button", { name: "Change status", exact: true }).click();
      const summary = page.locator(".nhsuk-error-summary");
      await expectText(summary, "Choose what happened to the person to close this stay conversation");
      await expectText(
        group(page, "Retention outcome").locator(".nhsuk-error-message"),
        "Choose what happened to the person",
      );
      expect(await group(page, "Outcome").getByLabel("Support given", { exact: true }).isChecked()).toBe(true);
      expect(new URL(page.url()).searchParams.get("done")).toBeNull();
      await a11y(hub, page, "hub: closing a stay conversation without a retention outcome");

      await group(page, "New status").getByLabel("Closed", { exact: true }).check();
      await group(page, "Outcome").getByLabel("Support given", { exact: true }).check();
      await group(page, "Retention outcome").getByLabel(MOVED, { exact: true }).check();
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Change status", exact: true }),
        (u) => u.searchParams.get("done") === "status",
      );
      await expectText(summaryRow(page, "Status"), "Closed");
      await expectText(summaryRow(page, "Retention outcome"), MOVED);
      await expectText(
        page.locator(`ol.staywell-hub-timeline > li[data-kind="status_changed"]`).last(),
        `(retention outcome: ${MOVED})`,
      );
      await a11y(hub, page, "hub: stay conversation closed");
      state.closed = true;
    });

    it("the staff member sees what happened on their request page", async () => {
      expect(state.closed, "the closed request (previous step)").toBe(true);
      const page = staff.page();
      await visit(page, `/my/requests/${encodeURIComponent(state.reference!)}`, javaScript);
      await expectText(summaryRow(page, "What happened"), MOVED);
      await a11y(staff, page, "staff: closed stay conversation");
    });
  });
}
