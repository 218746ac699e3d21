// Replies never go unseen, and the hub queue fits the screen (issue 9 parts 2 and 5,
// docs/decisions/018-unseen-activity.md), in Chromium against the built app, WITHOUT JavaScript
// (plain links and forms; the JavaScript journeys are covered by hub-journey):
// - staff send a psychological wellbeing request; the psych coordinator assigns it to themself;
// - staff reply → a mail to that coordinator (the reference, never the words) → a "New reply" tag on
//   the row in /hub and in My work (the first row there, and counted in the "My work (n new)" link) →
//   opening the request highlights the reply ("New since you last looked") → back in the queue and
//   My work the tag is gone;
// - layout: at 1280 x 800 at least 12 queue rows end inside the viewport; at 375 px nothing scrolls
//   sideways and each row's reference, support, status and first-contact cells are on screen.
// Screenshots of /hub at 1280 and 375 go to /work/screens/.
import { mkdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, type BrowserFixture } from "./support/browser";
import { waitForMail } from "./support/mail";
import { signIn as signInWith, submitAndWait } from "./support/steps";

const STAFF = { email: "staff@uhnm.staywell.test", firstName: "Sarah" };
const PSYCH_COORDINATOR = "psych.coordinator@icb.staywell.test";
const COORDINATOR = "coordinator@icb.staywell.test";
const OFFER = "psychological-wellbeing-hub";
const SCREENS = "/work/screens";
const javaScript = false;

/** A demo person's session (kept on this worker when there is one: support/session.ts). */
async function signIn(page: Page, email: string, redirectTo: string) {
  await signInWith(page, email, DEMO_PASSWORD, javaScript, redirectTo);
}

function choose(page: Page, legend: string, label: string) {
  return page.getByRole("group", { name: legend, exact: true }).getByLabel(label, { exact: true }).check();
}

/** The queue row of `reference` on the current page (searching by reference, so it is on page 1). */
function rowOf(page: Page, reference: string) {
  return page.locator("main table tbody tr").filter({ has: page.getByRole("link", { name: reference, exact: true }) });
}

describe.sequential(
  "a staff reply shows as New reply for the assigned coordinator until they open it (JavaScript off)",
  () => {
    const staff = useBrowser({ javaScript });
    const hub = useBrowser({ javaScript });
    const state: { reference?: string; reply?: string } = {};

    async function a11y(fixture: BrowserFixture, page: Page, label: string) {
      const report = await axeReport(page, label);
      if (report) fixture.defer(report);
    }

    it("staff send a psychological wellbeing request and the psych coordinator assigns it to themself", async () => {
      const page = staff.page();
      await signIn(page, STAFF.email, `/support/${OFFER}/request`);
      await page.getByLabel("What is happening for you?").fill("Unseen-activity test: things are hard at the moment.");
      await choose(page, "How is this affecting your work?", "I am at work but struggling");
      await choose(page, "How would you like the people hub to contact you?", "Email");
      await choose(page, "Do you feel safe at the moment?", "Yes, I feel safe");
      await submitAndWait(page, page.getByRole("button", { name: "Send request" }), (u) =>
        /^\/my\/requests\/[^/]+$/.test(u.pathname),
      );
      state.reference = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);

      const coordinator = hub.page();
      await signIn(coordinator, PSYCH_COORDINATOR, "/hub");
      await visit(coordinator, `/hub?status=all&q=${encodeURIComponent(state.reference)}`, javaScript);
      await submitAndWait(
        coordinator,
        coordinator.getByRole("link", { name: state.reference, exact: true }),
        (u) => u.pathname === `/hub/requests/${state.reference}`,
      );
      await submitAndWait(
        coordinator,
        coordinator.getByRole("button", { name: "Assign to me", exact: true }),
        (u) => u.searchParams.get("done") === "assign",
      );
      // Just opened: no marker for this coordinator.
      await visit(coordinator, `/hub?q=${encodeURIComponent(state.reference)}`, javaScript);
      expect(await rowOf(coordinator, state.reference).innerText()).not.toContain("New reply");
    });

    it("staff reply → a mail to the coordinator without the words → New reply in the queue and first in My work", async () => {
      const reference = state.reference!;
      const page = staff.page();
      state.reply = `Tuesday is better for me (${Date.now()}).`;
      await visit(page, `/my/requests/${encodeURIComponent(reference)}`, javaScript);
      await page.getByLabel("Your message", { exact: true }).fill(state.reply);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Send message", exact: true }),
        (u) => u.searchParams.get("replied") === "1",
      );

      const mail = await waitForMail(PSYCH_COORDINATOR, { subject: new RegExp(`New reply on ${reference}`) });
      expect(mail.body).toContain("Sign in to the people hub to read it");
      expect(`${mail.subject}\n${mail.body}`).not.toContain("Tuesday");

      const coordinator = hub.page();
      await visit(coordinator, `/hub?q=${encodeURIComponent(reference)}`, javaScript);
      const row = rowOf(coordinator, reference);
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.locator("[data-new-reply]").innerText()).toBe("New reply");
      expect(await row.innerText()).toMatch(/\d{2}:\d{2}|\d{1,2} [A-Z][a-z]{2}/); // Last updated
      // The link to My work says how many are new.
      const myWork = coordinator
        .getByRole("navigation", { name: "Queue views" })
        .getByRole("link", { name: /^My work/ });
      expect(await myWork.innerText()).toMatch(/^My work \(\d+ new\)$/);
      await submitAndWait(coordinator, myWork, (u) => u.searchParams.get("view") === "mine");
      expect(await coordinator.locator("h1").innerText()).toBe("My work");
      const firstRows = coordinator.locator("main table tbody tr");
      // New activity on open requests first, most recent first: the reply just sent is the first row.
      const mine = rowOf(coordinator, reference);
      expect(await mine.locator("[data-new-reply]").count()).toBe(1);
      const all = await firstRows.all();
      const index = (await Promise.all(all.map((r) => r.innerText()))).findIndex((t) => t.includes(reference));
      expect(index).toBe(0);
      await a11y(hub, coordinator, "hub: My work with a new reply");
    });

    it("opening the request highlights the reply; back in the queue and My work the marker is gone", async () => {
      const reference = state.reference!;
      const coordinator = hub.page();
      await submitAndWait(
        coordinator,
        coordinator.getByRole("link", { name: reference, exact: true }),
        (u) => u.pathname === `/hub/requests/${reference}`,
      );
      const fresh = coordinator.locator("ol.staywell-hub-timeline > li[data-new]");
      expect(await fresh.count()).toBe(1);
      const text = await fresh.innerText();
      expect(text).toContain("New since you last looked");
      expect(text).toContain(state.reply!);
      // The coordinator's own assignment is not highlighted.
      expect(await coordinator.locator('ol.staywell-hub-timeline > li[data-kind="assigned"][data-new]').count()).toBe(
        0,
      );
      await coordinator.screenshot({ path: `${SCREENS}/hub-request-new-entry-1280.png`, fullPage: true });
      await a11y(hub, coordinator, "hub: request with a highlighted new entry");

      await visit(coordinator, `/hub?q=${encodeURIComponent(reference)}`, javaScript);
      expect(await rowOf(coordinator, reference).locator("[data-new-reply]").count()).toBe(0);
      await visit(coordinator, "/hub?view=mine", javaScript);
      expect(await rowOf(coordinator, reference).locator("[data-new-reply]").count()).toBe(0);
      // Reloading the request: nothing is new any more.
      await visit(coordinator, `/hub/requests/${encodeURIComponent(reference)}`, javaScript);
      expect(await coordinator.locator("ol.staywell-hub-timeline > li[data-new]").count()).toBe(0);
    });
  },
);

describe.sequential("the hub queue fits the screen", () => {
  const hub = useBrowser({ javaScript: true });

  it("1280 x 800: at least 12 request rows without scrolling, references on one line", async () => {
    await mkdir(SCREENS, { recursive: true });
    const page = hub.page();
    await page.setViewportSize({ width: 1280, height: 800 });
    // The demo coordinator of five teams: a full first page (25 rows), more than fit any screen.
    await signIn(page, COORDINATOR, "/hub");
    await visit(page, "/hub", true);
    const rows = page.locator("main table tbody tr");
    await expect.poll(() => rows.count()).toBe(25);
    const fit = await page.evaluate(() => {
      const h = window.innerHeight;
      const trs = [...document.querySelectorAll("main table tbody tr")];
      return {
        inView: trs.filter((tr) => tr.getBoundingClientRect().bottom <= h).length,
        total: trs.length,
        // A reference link that wrapped would be taller than one line.
        brokenReferences: [...document.querySelectorAll("main table tbody th a")].filter(
          (a) => a.getClientRects().length > 1,
        ).length,
        scrollWidth: document.documentElement.scrollWidth,
      };
    });
    console.log(`hub queue at 1280x800: ${fit.inView} of ${fit.total} rows in view; scrollWidth ${fit.scrollWidth}`);
    await page.screenshot({ path: `${SCREENS}/hub-queue-1280.png` });
    expect(fit.inView).toBeGreaterThanOrEqual(12);
    expect(fit.brokenReferences).toBe(0);
    expect(fit.scrollWidth).toBeLessThanOrEqual(1280);
    // Short names shown ("UHNM"), the full name as a tooltip and for assistive technology.
    const orgs = await page.evaluate(() =>
      [...document.querySelectorAll("main table tbody tr")].map((tr) => {
        const cell = tr.querySelectorAll("td")[1]!;
        return {
          shown: cell.querySelector("[title]")?.textContent ?? cell.textContent,
          full: cell.querySelector("[title]")?.getAttribute("title") ?? null,
          hidden: cell.querySelector(".nhsuk-u-visually-hidden")?.textContent ?? null,
        };
      }),
    );
    const shortened = orgs.filter((o) => o.full !== null);
    expect(shortened.length).toBeGreaterThan(0);
    for (const o of shortened) {
      expect(o.shown!.length).toBeLessThan(o.full!.length);
      expect(o.hidden).toBe(o.full);
    }
    await a11y(page);
  });

  it("375 px: filters behind a 'Filter requests' disclosure, no sideways scroll, reference/support/status/first contact visible", async () => {
    const page = hub.page();
    await page.setViewportSize({ width: 375, height: 800 });
    await visit(page, "/hub", true);
    const details = page.locator("details.nhsuk-details").filter({ hasText: "Filter requests" });
    expect(await details.count()).toBe(1);
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.getByLabel("Reference").isVisible()).toBe(false);
    const measure = await page.evaluate(() => {
      const vw = 375;
      const headers = [...document.querySelectorAll("main table thead th")]
        .filter((th) => (th as HTMLElement).offsetParent !== null)
        .map((th) => th.textContent!.trim());
      const rows = [...document.querySelectorAll("main table tbody tr")].slice(0, 5).map((tr) =>
        [...tr.children]
          .filter((c) => (c as HTMLElement).offsetParent !== null)
          .map((c) => {
            const r = c.getBoundingClientRect();
            return { left: r.left, right: r.right, width: r.width };
          }),
      );
      return { scrollWidth: document.documentElement.scrollWidth, headers, rows, vw };
    });
    console.log(`hub queue at 375: scrollWidth ${measure.scrollWidth}; columns ${measure.headers.join(" | ")}`);
    await page.screenshot({ path: `${SCREENS}/hub-queue-375.png` });
    await page.screenshot({ path: `${SCREENS}/hub-queue-375-full.png`, fullPage: true });
    expect(measure.scrollWidth).toBeLessThanOrEqual(375);
    expect(measure.headers).toEqual(["Reference", "Support", "Status", "First contact"]);
    for (const cells of measure.rows) {
      expect(cells).toHaveLength(4);
      for (const c of cells) {
        expect(c.left).toBeGreaterThanOrEqual(0);
        expect(c.right).toBeLessThanOrEqual(375);
        expect(c.width).toBeGreaterThan(0);
      }
    }
    // The disclosure opens without JavaScript needed (a native details element) and the form is there.
    await details.locator("summary").click();
    expect(await page.getByLabel("Reference").isVisible()).toBe(true);
    await a11y(page);
  });

  async function a11y(page: Page) {
    const report = await axeReport(page, "hub queue layout");
    if (report) hub.defer(report);
  }
});
