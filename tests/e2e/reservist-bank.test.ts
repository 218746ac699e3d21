// The reservist bank in Chromium (issue 14 part 2, ADR 040), with and without JavaScript: a demo
// staff member joins at /reservists (told what is missing, what they typed kept), the Reservist bank
// coordinator posts a need that matches them and invites them, they accept at
// /reservists/invitations, and the need shows one place filled; the coordinator closes it, posts a
// second need (on Tuesdays), invites them and withdraws the invitation, which they see as withdrawn;
// a manager sees /insights/reservists.
// Every page state is checked with axe; screenshots at 1280 and 375 px go to /tmp/reservists-*.png.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { expectText, group, signIn, submitAndWait } from "./support/steps";

/** Words in a table's body cells that the browser split across two lines (each word's text range
 *  has more than one line box), such as "Curre / nt" under `overflow-wrap: anywhere`. A hyphen is an
 *  ordinary place to break ("Stoke-on- / Trent"), so the parts between hyphens are the words. */
async function wordsSplitAcrossLines(table: Locator): Promise<string[]> {
  return table.evaluate((el) => {
    const split: string[] = [];
    const walker = document.createTreeWalker(el.querySelector("tbody")!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      for (const match of text.matchAll(/[^\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
    return split;
  });
}

function defineJourney(javaScript: boolean, reservist: { email: string; name: string }) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  describe.sequential(`the reservist bank with ${mode}`, () => {
    const browser: BrowserFixture = useBrowser({ javaScript });
    const place = `Clinic ${Date.now().toString(36)}${javaScript ? "a" : "b"}`;
    const state: { joined?: boolean; needPath?: string; invited?: boolean; accepted?: boolean } = {};

    async function a11y(page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) browser.defer(report);
    }

    const signInAs = (page: Page, email: string, redirectTo: string) =>
      signIn(page, email, DEMO_PASSWORD, javaScript, redirectTo);

    async function shots(page: Page, name: string) {
      if (!javaScript) return;
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: `/tmp/reservists-${name}-${width}.png`, fullPage: true }).catch(() => {});
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    /** Fills and posts the need form (the page is on /hub/reservists/needs/new); `days` optional. */
    async function postNeed(page: Page, where: string, days: string[] = []) {
      await page.getByLabel("Organisation").selectOption({ index: 1 });
      await page.getByLabel("Place").fill(where);
      await group(page, "Staff group").getByLabel("Nursing and midwifery").check();
      await page.getByLabel("Registration needed").selectOption("nmc");
      await group(page, "Roles and skills").getByLabel("Vaccinator").check();
      for (const [legend, [d, m, y]] of [
        ["First date", ["4", "1", "2027"]],
        ["Last date", ["29", "1", "2027"]],
      ] as const) {
        await group(page, legend).getByLabel("Day").fill(d);
        await group(page, legend).getByLabel("Month").fill(m);
        await group(page, legend).getByLabel("Year").fill(y);
      }
      await page.getByLabel("Hours a week").fill("15");
      await page.getByLabel("How many people are needed?").fill("1");
      await group(page, "Why is it needed?").getByLabel("Vaccination clinic").check();
      for (const day of days)
        await group(page, /Days needed/)
          .getByLabel(day)
          .check();
      await a11y(page, "post a need");
      await submitAndWait(page, page.getByRole("button", { name: "Post the need" }), (u) =>
        u.search.includes("done=posted"),
      );
    }

    it("a staff member joins: told what is missing, then joined", async () => {
      const page = browser.page();
      await signInAs(page, reservist.email, "/reservists");
      expect(new URL(page.url()).pathname).toBe("/reservists");
      await expectText(page.getByRole("heading", { level: 1 }), "Reservist bank");
      await a11y(page, "reservist bank: join");
      await shots(page, "join");

      await group(page, /professional body/)
        .getByLabel("Nursing and Midwifery Council (NMC)")
        .check();
      await page.getByLabel("Registration number").fill("1234");
      await group(page, "Staff group").getByLabel("Nursing and midwifery").check();
      await group(page, /roles could you do/)
        .getByLabel("Vaccinator")
        .check();
      await group(page, /organisations would you work in/)
        .getByRole("checkbox")
        .first()
        .check();
      await page.getByLabel("How many hours a week could you work?").fill("16");
      await group(page, /days could you work/)
        .getByLabel("Tuesday")
        .check();
      await group(page, "Available from").getByLabel("Day").fill("1");
      await group(page, "Available from").getByLabel("Month").fill("1");
      await group(page, "Available from").getByLabel("Year").fill("2026");
      // The refused form answers 400 (no JavaScript: the page itself; with it, the action's fetch).
      browser.allowConsoleError(/status of 400/);
      await page.getByRole("button", { name: "Join the reservist bank" }).click();
      await expectText(page.locator(".nhsuk-error-summary"), /NMC\) number in the correct format/);
      await expectText(page.locator(".nhsuk-error-summary"), "Select whether you hold a current DBS check");
      expect(await page.getByLabel("Registration number").inputValue()).toBe("1234");
      await a11y(page, "reservist bank: join with errors");
      await shots(page, "join-errors");

      // Both journeys give the same number: it is not refused (ADR 040), the coordinator is told.
      await page.getByLabel("Registration number").fill("12A3456E");
      await group(page, /current DBS check/)
        .getByLabel("Yes")
        .check();
      await submitAndWait(page, page.getByRole("button", { name: "Join the reservist bank" }), (u) =>
        u.search.includes("done=joined"),
      );
      await expectText(page.locator("main"), "You have joined the reservist bank");
      await expectText(page.locator("main"), "Last confirmed");
      await a11y(page, "reservist bank: profile");
      await shots(page, "profile");
      state.joined = true;
    });

    it("the Reservist bank coordinator posts a need that matches them and invites them", async () => {
      expect(state.joined, "joined first").toBe(true);
      const page = await browser.newSession();
      await signInAs(page, "reservists.coordinator@icb.staywell.test", "/hub/reservists/needs");
      expect(new URL(page.url()).pathname).toBe("/hub/reservists/needs");
      await a11y(page, "reservist needs");
      await submitAndWait(page, page.getByRole("link", { name: "Post a need" }), (u) =>
        u.pathname.endsWith("/needs/new"),
      );
      await waitForHydration(page, javaScript);
      await postNeed(page, place);
      state.needPath = new URL(page.url()).pathname;
      await expectText(page.locator("#need-places"), "0 of 1 place filled, 1 open");
      await page.getByLabel(`Invite ${reservist.name}`).check();
      // At 1280 px the matches table keeps whole words: no name or "Yes"/"No" split mid-word.
      await page.setViewportSize({ width: 1280, height: 900 });
      const matchesTable = page.locator("table", { has: page.locator("caption", { hasText: /match/ }) });
      expect(await matchesTable.count()).toBe(1);
      // We do not check the registers: the coordinator is told the registration is self-declared.
      await expectText(matchesTable.locator("thead"), "Registration (self-declared)");
      if (!javaScript) {
        // This journey runs second: the first journey's reservist gave the same number.
        const row = matchesTable.locator("tr", { hasText: reservist.name });
        await expectText(row, "Also given by another reservist");
        await expectText(row, "Check the register before inviting");
      }
      expect(await wordsSplitAcrossLines(matchesTable)).toEqual([]);
      // At 375 px the rows stack: each value is left-aligned under its heading, and the orange tag
      // wraps between whole words.
      await page.setViewportSize({ width: 375, height: 900 });
      const aligns = await matchesTable
        .locator("tbody td")
        .evaluateAll((cells) => [...new Set(cells.map((c) => getComputedStyle(c).textAlign))]);
      expect(aligns).toEqual(["left"]);
      expect(await wordsSplitAcrossLines(matchesTable)).toEqual([]);
      await page.setViewportSize({ width: 1280, height: 900 });
      await a11y(page, "need with matches");
      await submitAndWait(page, page.getByRole("button", { name: "Invite the people ticked" }), (u) =>
        u.search.includes("done=invited"),
      );
      await expectText(page.locator("main"), "Invitations sent");
      await shots(page, "need");
      state.invited = true;
    });

    it("they accept at /reservists/invitations, and the need shows one place filled", async () => {
      expect(state.invited, "invited first").toBe(true);
      const page = await browser.newSession();
      await signInAs(page, reservist.email, "/reservists/invitations");
      const card = page.locator(".nhsuk-card", { hasText: place });
      await expectText(card, "Waiting for your answer");
      await a11y(page, "invitations");
      await shots(page, "invitations");
      await submitAndWait(page, card.getByRole("button", { name: "Accept" }), (u) =>
        u.search.includes("done=accepted"),
      );
      await expectText(page.locator("main"), "You have accepted");

      const hub = await browser.newSession();
      await signInAs(hub, "reservists.coordinator@icb.staywell.test", state.needPath!);
      await expectText(hub.locator("#need-places"), "1 of 1 place filled, 0 open");
      await expectText(hub.locator("main"), "Accepted");
      await expectText(hub.locator("#need-invitations"), "Every place is filled");
      state.accepted = true;
    });

    it("the coordinator closes the need, and withdraws an invitation to a second one; the reservist sees it withdrawn", async () => {
      expect(state.accepted, "accepted first").toBe(true);
      const hub = await browser.newSession();
      await signInAs(hub, "reservists.coordinator@icb.staywell.test", state.needPath!);
      await submitAndWait(hub, hub.getByRole("button", { name: "Close this need" }), (u) =>
        u.search.includes("done=closed"),
      );
      await expectText(hub.locator("#need-invitations"), "This need is closed");
      expect(await hub.getByRole("button", { name: "Close this need" }).count()).toBe(0);

      const second = `${place} Tuesdays`;
      await visit(hub, "/hub/reservists/needs/new", javaScript);
      await waitForHydration(hub, javaScript);
      await postNeed(hub, second, ["Tuesday"]);
      await expectText(hub.locator("main"), "Tuesday");
      await hub.getByLabel(`Invite ${reservist.name}`).check();
      await submitAndWait(hub, hub.getByRole("button", { name: "Invite the people ticked" }), (u) =>
        u.search.includes("done=invited"),
      );
      await submitAndWait(hub, hub.getByRole("button", { name: `Withdraw the invitation to ${reservist.name}` }), (u) =>
        u.search.includes("done=withdrawn"),
      );
      await expectText(hub.locator("main"), "The invitation has been withdrawn");
      await a11y(hub, "need with a withdrawn invitation");
      await shots(hub, "need-withdrawn");

      const page = await browser.newSession();
      await signInAs(page, reservist.email, "/reservists/invitations");
      const card = page.locator(".nhsuk-card", { hasText: second });
      await expectText(card, "Withdrawn by the reservist bank team");
      expect(await card.getByRole("button", { name: "Accept" }).count()).toBe(0);
    });

    it("having accepted, they can no longer go: they give the place back and the coordinator sees it", async () => {
      expect(state.accepted, "accepted first").toBe(true);
      const page = await browser.newSession();
      await signInAs(page, reservist.email, "/reservists/invitations");
      const card = page
        .locator(".nhsuk-card")
        .filter({ has: page.getByRole("heading", { name: new RegExp(`: ${place}$`) }) });
      await expectText(card, "Accepted");
      await submitAndWait(page, card.getByRole("button", { name: "I can no longer help" }), (u) =>
        u.search.includes("done=cancelled"),
      );
      await expectText(page.locator("main"), "You have given the place back");
      await expectText(card, "You accepted, then told the team you can no longer help");
      expect(await card.getByRole("button", { name: "I can no longer help" }).count()).toBe(0);
      await a11y(page, "invitations after giving a place back");

      const hub = await browser.newSession();
      await signInAs(hub, "reservists.coordinator@icb.staywell.test", state.needPath!);
      await expectText(hub.locator("main"), "Accepted, then could no longer help");
    });

    it("a manager sees /insights/reservists", async () => {
      const page = await browser.newSession();
      await signInAs(page, "manager@icb.staywell.test", "/insights/reservists");
      await expectText(page.getByRole("heading", { level: 1 }), "Reservist bank");
      expect(await page.locator("#table-reservists-groups").count()).toBe(1);
      expect(await page.locator("#table-reservist-needs").count()).toBe(1);
      // The disclosure notes speak of reservists, needs and hours, not of /insights' requests.
      const notes = page.locator(".nhsuk-inset-text");
      await expectText(notes, "nearest 50");
      await expectText(notes, "fewer than 20 reservists");
      expect(await notes.innerText()).not.toMatch(/request/i);
      await expectText(page.locator("#reservist-insights-scope"), /^The whole ICS: /);
      await a11y(page, "reservist insights");
      await shots(page, "insights");
    });

    // Last, as it deletes the profile (the other journey's reservist must stay for the shared number).
    it("leaving asks first: with JavaScript they cancel, without it they confirm and the profile is deleted", async () => {
      const page = await browser.newSession();
      await signInAs(page, reservist.email, "/reservists");
      await submitAndWait(page, page.getByRole("button", { name: "Leave the reservist bank" }), (u) =>
        u.pathname.endsWith("/reservists"),
      );
      await expectText(page.getByRole("heading", { level: 1 }), "Are you sure you want to leave the reservist bank?");
      await expectText(page.locator("#leave-warning"), "Your profile will be deleted");
      await a11y(page, "reservist bank: confirm leaving");
      await shots(page, "leave");
      if (javaScript) {
        await submitAndWait(page, page.getByRole("link", { name: "Cancel" }), (u) => u.pathname === "/reservists");
        await expectText(page.locator("main"), "Last confirmed");
        return;
      }
      await submitAndWait(page, page.getByRole("button", { name: "Yes, leave and delete my profile" }), (u) =>
        u.search.includes("done=left"),
      );
      await expectText(page.locator("main"), "You have left the reservist bank");
      expect(await page.getByRole("button", { name: "Join the reservist bank" }).count()).toBe(1);
    });
  });
}

defineJourney(true, { email: "staff@uhnm.staywell.test", name: "Sarah Bennett" });
defineJourney(false, { email: "staff2@mpft.staywell.test", name: "Tomasz Nowak" });
