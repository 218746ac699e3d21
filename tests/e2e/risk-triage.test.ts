// Risk-first triage in Chromium against the built app (issue 9 part 1, docs/decisions/012):
// - "I am not sure" whether you feel safe shows the crisis card, worded for uncertainty, at once
//   with JavaScript and on the confirmation after sending without it;
// - an at-risk request sent now appears in the psychological hub coordinator's queue above every
//   older urgent request (only older at-risk / safety-check requests not yet contacted may be
//   above it: oldest first), with an "At risk" tag; after the coordinator's first message it leaves
//   the top block, falls back into due-time order and keeps its tag.
// Every page is checked with axe.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { rememberSession, reuseSession } from "./support/session";
import { nextHubOpening } from "~/lib/working-days";
import { submitAndWait } from "./support/steps";

const STAFF = { email: "staff@uhnm.staywell.test", firstName: "Sarah" };
const PSYCH_COORDINATOR = "psych.coordinator@icb.staywell.test";
const OFFER = "psychological-wellbeing-hub";
const UNSURE_HEADING = "If you are not sure you are safe, help is there now";

function group(page: Page, legend: string): Locator {
  return page.getByRole("group", { name: legend, exact: true });
}

async function choose(page: Page, legend: string, label: string) {
  await group(page, legend).getByLabel(label, { exact: true }).check();
}

async function signIn(fixture: BrowserFixture, page: Page, email: string, javaScript: boolean, redirectTo?: string) {
  if (await reuseSession(page, email, javaScript, redirectTo)) return;
  await visit(page, redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login", javaScript);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => !u.pathname.startsWith("/login"));
  await waitForHydration(page, javaScript);
  await rememberSession(page, email, redirectTo);
}

/** Fills the psychological wellbeing form up to the safety question. */
async function fillPsychForm(page: Page, words: string) {
  await page.getByLabel("What is happening for you?").fill(words);
  await choose(page, "How is this affecting your work?", "I am at work but struggling");
  await choose(page, "How would you like the people hub to contact you?", "Email");
}

async function send(page: Page): Promise<string> {
  await submitAndWait(
    page,
    page.getByRole("button", { name: "Send request" }),
    (u) => /^\/my\/requests\/[^/]+$/.test(u.pathname) && u.searchParams.get("submitted") === "1",
  );
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
}

/** The queue's rows on the first page: reference, tag text and first-contact text. */
async function queueRows(page: Page) {
  const rows = page.locator("main table tbody tr");
  await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
  const out: Array<{ reference: string; text: string }> = [];
  for (const row of await rows.all()) {
    const reference = (await row.locator("th a").first().innerText()).trim();
    out.push({ reference, text: (await row.innerText()).replace(/\s+/g, " ") });
  }
  return out;
}

const isRiskUncontacted = (text: string) => /At risk|Safety check/.test(text) && !/Contacted/.test(text);

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  describe.sequential(`"I am not sure" shows the crisis card (${mode})`, () => {
    const staff = useBrowser({ javaScript });

    async function a11y(page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) staff.defer(report);
    }

    it("shows the card for uncertainty on the form (with JavaScript) and on the confirmation (always)", async () => {
      const page = staff.page();
      await signIn(staff, page, STAFF.email, javaScript);
      await visit(page, `/support/${OFFER}/request`, javaScript);
      await fillPsychForm(page, `Hard weeks on the ward (${mode}, ${Date.now()}).`);
      await choose(page, "Do you feel safe at the moment?", "I am not sure");
      const card = page.locator("#urgent-help");
      if (javaScript) {
        await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
        expect(await card.innerText()).toContain(UNSURE_HEADING);
        expect(await card.innerText()).toContain("116 123");
        expect(await card.innerText()).toMatch(/mark it for a safety check/);
        await a11y(page, "staff: psychological form, not sure");
      } else {
        // Without JavaScript nothing can appear before sending; it is shown after.
        expect(await card.count()).toBe(0);
      }
      const sentAt = new Date();
      const reference = await send(page);
      expect(reference).toMatch(/^SW-\d{4}-\d+$/);
      // With JavaScript the URL changes a moment before the confirmation replaces the form, whose
      // own card (worded "mark it for a safety check") can still be on screen: wait for the
      // confirmation's wording rather than for any card.
      const after = page.locator("#urgent-help");
      await expect
        .poll(async () => ((await after.count()) === 1 ? after.innerText() : ""), { timeout: 10_000 })
        .toMatch(/marked your request for a safety check/);
      const text = await after.innerText();
      expect(text).toContain(UNSURE_HEADING);
      expect(text).toContain("NHS 111");
      expect(text).toMatch(/marked your request for a safety check/);
      // Outside the hub's working hours (09:00–17:00 on working days) the page says when it next works.
      const outside = page.locator("#outside-hours");
      if (nextHubOpening(sentAt)) {
        expect(await outside.innerText()).toMatch(/outside the people hub.s working hours[\s\S]*next be working from/);
      } else {
        expect(await outside.count()).toBe(0);
      }
      await a11y(page, "staff: request sent, not sure");
    });
  });
}

describe.sequential(
  "an at-risk request sent now goes to the top of the psychological hub queue until first contact",
  () => {
    const javaScript = true;
    const staff = useBrowser({ javaScript });
    const hub = useBrowser({ javaScript });
    const state: { reference?: string } = {};

    async function a11y(fixture: BrowserFixture, page: Page, label: string) {
      const report = await axeReport(page, label);
      if (report) fixture.defer(report);
    }

    it("staff send an at-risk request and see the crisis card", async () => {
      const page = staff.page();
      await signIn(staff, page, STAFF.email, javaScript);
      await visit(page, `/support/${OFFER}/request`, javaScript);
      await fillPsychForm(page, `I cannot go on like this (${Date.now()}).`);
      await choose(page, "Do you feel safe at the moment?", "No, I am at risk of harming myself or I do not feel safe");
      state.reference = await send(page);
      expect(await page.locator("#urgent-help").innerText()).toContain("Get help now if you do not feel safe");
      await a11y(staff, page, "staff: request sent, at risk");
    });

    it("the psych coordinator sees it above every older urgent request, tagged At risk", async () => {
      const reference = state.reference;
      expect(reference, "the at-risk request's reference (previous step)").toBeTruthy();
      const page = hub.page();
      await signIn(hub, page, PSYCH_COORDINATOR, javaScript, "/hub");
      expect(new URL(page.url()).pathname).toBe("/hub");
      await a11y(hub, page, "hub: psych queue with an at-risk request");
      const rows = await queueRows(page);
      const index = rows.findIndex((r) => r.reference === reference);
      expect(index, `${reference} on the first page of the queue`).toBeGreaterThanOrEqual(0);
      expect(rows[index]!.text).toContain("At risk");
      // Only older at-risk / safety-check requests not yet contacted may be above it.
      for (const above of rows.slice(0, index)) expect(isRiskUncontacted(above.text), above.text).toBe(true);
      // Everything below it is either not an uncontacted risk request, or a newer one.
      const below = rows.slice(index + 1);
      expect(below.length, "the demo's older requests below it").toBeGreaterThan(0);
      for (const r of below) expect(isRiskUncontacted(r.text) && r.reference < reference!, r.text).toBe(false);
    });

    it("after the coordinator's first message it leaves the top, keeping its At risk tag", async () => {
      const reference = state.reference!;
      expect(reference).toBeTruthy();
      const page = hub.page();
      await visit(page, `/hub/requests/${encodeURIComponent(reference)}`, javaScript);
      await page
        .getByLabel(`Your message to ${STAFF.firstName}`, { exact: true })
        .fill("Hello, I am from the hub. I will phone you in ten minutes.");
      await submitAndWait(
        page,
        page.getByRole("button", { name: `Send message to ${STAFF.firstName}` }),
        (u) => u.searchParams.get("done") === "message",
      );
      await visit(page, "/hub", javaScript);
      await a11y(hub, page, "hub: psych queue after first contact");
      const rows = await queueRows(page);
      const topBlock = rows.findIndex((r) => !isRiskUncontacted(r.text));
      const index = rows.findIndex((r) => r.reference === reference);
      // Not in the block of uncontacted at-risk requests any more: either further down or on a later page.
      if (index >= 0) {
        expect(index).toBeGreaterThanOrEqual(topBlock);
        expect(rows[index]!.text).toContain("At risk");
        expect(rows[index]!.text).toContain("Contacted");
      }
      expect(rows.slice(0, Math.max(topBlock, 0)).map((r) => r.reference)).not.toContain(reference);
    });
  },
);
