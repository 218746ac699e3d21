// The people hub's journey, in Chromium against the built app, with two people at once: a member
// of staff (staff@uhnm) asks for physiotherapy (a sensitive offer); a coordinator of its team
// (coordinator@icb) finds it in the queue, assigns it to themself, writes the person a message and
// an internal note; the person reads the message (never the note) and replies; the coordinator
// closes it with an outcome (and, first, is refused when closing without one); the person rates
// it and sees who in the hub looked at or changed it. On the way, consent to involve the line
// manager: the person agreed on the form; the coordinator records a contact with the line manager;
// the person sees that it happened (never the note) and withdraws their consent after a
// confirmation; the hub page then shows a warning callout at the top and neither offers nor
// accepts (a hand-made POST is refused) recording a manager contact. Then access: a coordinator of another team
// gets the same 404 as for a reference that does not exist; staff and managers get 403 on /hub;
// the person's emails say only that there is something to read, and the team's email does not
// name the (confidential) support. Every page is checked with axe.
//
// The journey runs twice: with JavaScript (client validation, client-side navigation) and without
// it (plain HTML forms). Steps share state in order; a step whose prerequisite failed fails too,
// naming the step it needed.
import { describe, expect, it } from "vitest";
import type { Locator, Page, Response } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { url, useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { readAllMail, waitForMail } from "./support/mail";
import { signIn as signInWith, submitAndWait } from "./support/steps";

const STAFF = { email: "staff@uhnm.staywell.test", name: "Sarah Bennett", firstName: "Sarah" };
const COORDINATOR = { email: "coordinator@icb.staywell.test", name: "Priya Sharma" };
const PSYCH_COORDINATOR = "psych.coordinator@icb.staywell.test";
const MANAGER = "manager@icb.staywell.test";

const OFFER_SLUG = "physiotherapy";

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === false) {
    throw new Error(`This step needs ${what}, which an earlier step did not produce (see its failure).`);
  }
  return value;
}

function group(page: Page, legend: string | RegExp): Locator {
  return page.getByRole("group", { name: legend, exact: typeof legend === "string" ? true : undefined });
}

async function choose(page: Page, legend: string, label: string) {
  await group(page, legend).getByLabel(label, { exact: true }).check();
}

/** Clicks a submit button (or link) and waits for the page that answers (a document load, or a client navigation). */

/** Waits (up to 10 s) for the text of `locator` to match: with JavaScript, React renders a moment after the URL changes. */
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

function hubPath(reference: string) {
  return `/hub/requests/${encodeURIComponent(reference)}`;
}

function myPath(reference: string) {
  return `/my/requests/${encodeURIComponent(reference)}`;
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The timeline entries of one kind on the hub request page (app/components/hub-timeline.tsx). */
function hubEntries(page: Page, kind: string) {
  return page.locator(`ol.staywell-hub-timeline > li[data-kind="${kind}"]`);
}

/** The "Status" row of the hub page's request summary. */
function hubStatusRow(page: Page) {
  return page.locator(".nhsuk-summary-list__row", { has: page.locator("dt", { hasText: /^Status$/ }) }).first();
}

function defineHubJourney(javaScript: boolean) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  describe.sequential(`people hub journey with ${mode}`, () => {
    // Two browsers, one per person, each keeping its cookies across the steps.
    const staff: BrowserFixture = useBrowser({ javaScript });
    const hub: BrowserFixture = useBrowser({ javaScript });
    const stamp = `${javaScript ? "js" : "nojs"}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const details = `Lower back pain since moving a patient on nights (${stamp}).`;
    const message = `Please book your assessment — reply with a good day (${stamp}).`;
    const note = `Internal: check OH referral history — never show (${stamp}).`;
    const reply = `Tuesday mornings are best (${stamp}).`;
    const ratingComment = `Quick and kind (${stamp}).`;
    const managerNote = `Agreed lighter duties with the ward manager (${stamp}).`;
    const state: {
      reference?: string;
      staffSignedIn?: boolean;
      hubSignedIn?: boolean;
      opened?: boolean;
      assigned?: boolean;
      messaged?: boolean;
      noted?: boolean;
      replied?: boolean;
      managerContacted?: boolean;
      consentWithdrawn?: boolean;
      closed?: boolean;
      rated?: boolean;
    } = {};

    /** axe on the page: a violation fails the test at its end, so the journey goes on. */
    async function a11y(fixture: BrowserFixture, page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) fixture.defer(report);
    }

    async function open(fixture: BrowserFixture, path: string, label: string, page = fixture.page()) {
      const response = await visit(page, path, javaScript);
      expect(response?.status(), `${path} status`).toBe(200);
      await a11y(fixture, page, label);
      return page;
    }

    /** A demo person's session (kept on this worker when there is one: support/session.ts). */
    async function signIn(page: Page, email: string, redirectTo?: string) {
      await signInWith(page, email, DEMO_PASSWORD, javaScript, redirectTo);
    }

    /** The hub request page as the coordinator sees it now (a fresh load). */
    async function openHubRequest(label: string) {
      const reference = need(state.reference, "the physiotherapy request's reference");
      const page = await open(hub, hubPath(reference), label);
      await expectText(page.getByRole("heading", { level: 1 }), reference);
      return page;
    }

    it("staff@uhnm signs in and requests physiotherapy (body area, how long, effect on work, contact by email)", async () => {
      const page = staff.page();
      await signIn(page, STAFF.email);
      expect(new URL(page.url()).pathname).toBe("/my/requests");
      await a11y(staff, page, "staff: your requests");
      state.staffSignedIn = true;

      await open(staff, `/support/${OFFER_SLUG}`, "staff: physiotherapy offer");
      await submitAndWait(
        page,
        page.getByRole("link", { name: "Request this support" }),
        (u) => u.pathname === `/support/${OFFER_SLUG}/request`,
      );
      await waitForHydration(page, javaScript);
      await a11y(staff, page, "staff: physiotherapy request form");
      await choose(page, "Where is the problem?", "Back");
      await choose(page, "How long have you had it?", "2 to 6 weeks");
      await choose(page, "How is it affecting your work?", "I am working, with difficulty");
      await page.getByLabel("Is there anything else you want to tell us? (optional)").fill(details);
      await choose(page, "How would you like the people hub to contact you?", "Email");
      await page.getByLabel("I agree that the people hub can talk to my line manager about this request").check();
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Send request" }),
        (u) => /^\/my\/requests\/[^/]+$/.test(u.pathname) && u.searchParams.get("submitted") === "1",
      );
      const reference = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
      expect(reference).toMatch(/^SW-\d{4}-\d+$/);
      await expectText(page.locator("main"), "Request sent");
      await expectText(page.locator(".nhsuk-panel"), reference);
      await a11y(staff, page, "staff: request sent");
      state.reference = reference;
    });

    it("coordinator@icb finds it in the queue: in the default open view, and by searching for its reference", async () => {
      const reference = need(state.reference, "the physiotherapy request's reference");
      const page = hub.page();
      await signIn(page, COORDINATOR.email, "/hub");
      expect(new URL(page.url()).pathname).toBe("/hub");
      await expectText(page.getByRole("heading", { level: 1 }), "People hub queue");
      await a11y(hub, page, "hub: queue (open)");
      state.hubSignedIn = true;

      // The default view: every open request the coordinator may see, attention first, 25 a page.
      // The new one may be on a later page when the demo data has many that are due sooner.
      const link = () => page.locator("main table").getByRole("link", { name: reference, exact: true });
      for (let pages = 1; ; pages++) {
        if ((await link().count()) > 0) break;
        const next = page.locator("a.nhsuk-pagination__link--next");
        expect(await next.count(), `${reference} in the open queue (page ${pages} has no Next link)`).toBeGreaterThan(
          0,
        );
        expect(pages, "pages of the open queue looked through").toBeLessThan(20);
        const before = page.url();
        const tableBefore = await page.locator("main table").innerText();
        await submitAndWait(page, next, (u) => u.toString() !== before && u.searchParams.has("cursor"));
        // With JavaScript the address changes a moment before the next page's rows replace this
        // page's: wait for the new rows, or the next look would search (and page on from) the old ones.
        await expect
          .poll(
            () =>
              page
                .locator("main table")
                .innerText()
                .catch(() => ""),
            { timeout: 20_000 },
          )
          .not.toBe(tableBefore);
      }
      const row = page
        .locator("main table tbody tr")
        .filter({ has: page.getByRole("link", { name: reference, exact: true }) });
      const rowText = (await row.innerText()).replace(/\s+/g, " ");
      expect(rowText).toMatch(/physiotherapy/i);
      expect(rowText).toContain("New");
      expect(rowText).toContain("Unassigned");

      // The filter form (a GET: the filters go in the URL).
      await visit(page, "/hub", javaScript);
      // The filters sit behind a "Filter requests" disclosure (closed while no filter is in use).
      expect(await page.getByLabel("Reference", { exact: true }).isVisible()).toBe(false);
      await page.locator("summary", { hasText: "Filter requests" }).click();
      await page.getByLabel("Reference", { exact: true }).fill(reference);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Apply filters" }),
        (u) => u.pathname === "/hub" && u.searchParams.get("q") === reference,
      );
      await expectText(page.locator("main table caption"), /matching the filters \(1\)/);
      const rows = page.locator("main table tbody tr");
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(reference);
      // The filter keeps what was typed.
      expect(await page.getByLabel("Reference", { exact: true }).inputValue()).toBe(reference);
      await a11y(hub, page, "hub: queue filtered by reference");

      await submitAndWait(
        page,
        page.locator("main table").getByRole("link", { name: reference, exact: true }),
        (u) => u.pathname === hubPath(reference),
      );
      await waitForHydration(page, javaScript);
      await expectText(page.getByRole("heading", { level: 1 }), reference);
      const main = page.locator("main");
      await expectText(main, details);
      await expectText(main, STAFF.name);
      await expectText(main, "Back");
      await expectText(main, "2 to 6 weeks");
      await expectText(main, "I am working, with difficulty");
      await expectText(hubStatusRow(page), "New");
      await a11y(hub, page, "hub: request page");
      state.opened = true;
    });

    it("assigns it to themself, writes the person a message and an internal note, shown visibly different", async () => {
      need(state.opened, "the coordinator on the request page");
      const reference = state.reference!;
      const page = hub.page();
      const main = page.locator("main");

      // Assign to me.
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Assign to me", exact: true }),
        (u) => u.pathname === hubPath(reference) && u.searchParams.get("done") === "assign",
      );
      await expectText(page.locator(".nhsuk-notification-banner--success"), "The request has been assigned.");
      await expectText(page.locator(".nhsuk-summary-list__row", { hasText: "Looked after by" }), COORDINATOR.name);
      await expectText(hubEntries(page, "assigned").last(), `Assigned to ${COORDINATOR.name}`);
      expect(await page.getByRole("button", { name: "Assign to me", exact: true }).count()).toBe(0);
      await a11y(hub, page, "hub: after assigning");
      state.assigned = true;

      // A message to the person.
      await page.getByLabel(`Your message to ${STAFF.firstName}`, { exact: true }).fill(message);
      await submitAndWait(
        page,
        page.getByRole("button", { name: `Send message to ${STAFF.firstName}` }),
        (u) => u.pathname === hubPath(reference) && u.searchParams.get("done") === "message",
      );
      await expectText(page.locator(".nhsuk-notification-banner--success"), "Your message has been sent.");
      const sent = hubEntries(page, "message_to_staff").filter({ hasText: message });
      await expect.poll(() => sent.count(), { timeout: 20_000 }).toBe(1);
      await expectText(sent, `Message to ${STAFF.name}`);
      await expectText(sent, `Sent by ${COORDINATOR.name}`);
      // The message box is empty again.
      expect(await page.getByLabel(`Your message to ${STAFF.firstName}`, { exact: true }).inputValue()).toBe("");
      await a11y(hub, page, "hub: after sending a message");
      state.messaged = true;

      // An internal note.
      await page.getByLabel("Internal note", { exact: true }).fill(note);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Add internal note" }),
        (u) => u.pathname === hubPath(reference) && u.searchParams.get("done") === "note",
      );
      await expectText(page.locator(".nhsuk-notification-banner--success"), "Your internal note has been added.");
      const noted = hubEntries(page, "internal_note").filter({ hasText: note });
      await expect.poll(() => noted.count(), { timeout: 20_000 }).toBe(1);
      await expectText(noted, `Internal note — not shown to ${STAFF.firstName}`);
      await a11y(hub, page, "hub: after adding an internal note");
      state.noted = true;

      // Visibly different: the note is a warning card (yellow), the message a plain card; and the
      // two look different on screen (background colour).
      expect(await noted.locator(".nhsuk-card--warning").count()).toBe(1);
      expect(await sent.locator(".nhsuk-card--warning").count()).toBe(0);
      const background = (entry: Locator) =>
        entry
          .locator(".nhsuk-card")
          .first()
          .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await background(noted)).not.toBe(await background(sent));
      // Each entry names who wrote it.
      expect(await main.innerText()).toContain(`Written by ${COORDINATOR.name}`);
    });

    it("staff@uhnm reads the message, never the internal note, and replies", async () => {
      need(state.messaged && state.noted, "the message and the internal note");
      const reference = state.reference!;
      const page = await open(staff, myPath(reference), "staff: request with a message");
      const updates = page.locator("ol.staywell-timeline");
      await expectText(updates, message);
      await expectText(updates, `Message from ${COORDINATOR.name}`);
      // The internal note is nowhere: not in the page, not in the HTML the server sent, not in the
      // data a client-side navigation loads.
      expect(await page.content()).not.toContain(note);
      const html = await (await page.request.get(url(myPath(reference)))).text();
      expect(html).toContain(message.slice(0, 20));
      expect(html).not.toContain(note);
      expect(html).not.toContain("check OH referral");
      const dataResponse = await page.request.get(url(`${myPath(reference)}.data`));
      expect(dataResponse.status()).toBe(200);
      const payload = await dataResponse.text();
      expect(payload).toContain(message.slice(0, 20));
      expect(payload).not.toContain("check OH referral");

      await page.getByLabel("Your message", { exact: true }).fill(reply);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Send message", exact: true }),
        (u) => u.pathname === myPath(reference) && u.searchParams.get("replied") === "1",
      );
      await expectText(page.locator("main"), "Your message has been sent to the people hub.");
      await expectText(page.locator("ol.staywell-timeline"), reply);
      expect(await page.content()).not.toContain(note);
      await a11y(staff, page, "staff: after replying");
      state.replied = true;
    });

    it("coordinator records that the line manager was contacted, while the person's consent is given", async () => {
      need(state.replied, "the person's reply");
      const reference = state.reference!;
      const page = await openHubRequest("hub: request page with consent given");
      expect(await page.locator("#manager-consent").count()).toBe(0);
      await page.getByLabel("What was discussed with the line manager", { exact: true }).fill(managerNote);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Record that the line manager was contacted" }),
        (u) => u.pathname === hubPath(reference) && u.searchParams.get("done") === "manager_contact",
      );
      await expectText(
        page.locator(".nhsuk-notification-banner--success"),
        "The contact with the line manager has been recorded.",
      );
      const recorded = hubEntries(page, "manager_contacted").filter({ hasText: managerNote });
      await expect.poll(() => recorded.count(), { timeout: 20_000 }).toBe(1);
      await expectText(recorded, `Line manager contacted — the note is not shown to ${STAFF.firstName}`);
      await a11y(hub, page, "hub: after recording a manager contact");
      state.managerContacted = true;
    });

    it("staff@uhnm sees that the line manager was contacted (not the note) and withdraws consent after a confirmation", async () => {
      need(state.managerContacted, "the recorded manager contact");
      const reference = state.reference!;
      const page = await open(staff, myPath(reference), "staff: request with a manager contact");
      await expectText(
        page.locator("ol.staywell-timeline"),
        `${COORDINATOR.name} recorded that the people hub talked to your line manager`,
      );
      expect(await page.content()).not.toContain(managerNote);
      const payload = await (await page.request.get(url(`${myPath(reference)}.data`))).text();
      expect(payload).not.toContain(managerNote);

      const section = page.locator("section[aria-labelledby='line-manager']");
      await expectText(section, "You agreed that the people hub can talk to your line manager about this request.");
      await submitAndWait(
        page,
        section.getByRole("link", { name: "Withdraw your consent" }),
        (u) => u.pathname === myPath(reference) && u.searchParams.get("consent") === "withdraw",
      );
      await expectText(
        page.getByRole("heading", { level: 1 }),
        "Withdraw your consent for the people hub to talk to your line manager?",
      );
      await expectText(
        page.locator("main"),
        "the people hub will not contact your line manager about this request from now on",
      );
      await a11y(staff, page, "staff: withdraw consent confirmation");
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Yes, withdraw my consent" }),
        (u) => u.pathname === myPath(reference) && u.searchParams.get("consent") === "changed",
      );
      await expectText(page.locator("section[aria-labelledby='line-manager']"), "You have withdrawn your consent.");
      await expectText(
        page.locator("ol.staywell-timeline"),
        "You withdrew your consent for the people hub to talk to your line manager",
      );
      // Now the page offers to agree again instead.
      expect(
        await page.getByRole("link", { name: "Agree that the people hub can talk to your line manager" }).count(),
      ).toBe(1);
      await a11y(staff, page, "staff: after withdrawing consent");
      state.consentWithdrawn = true;
    });

    it("the hub page shows the withdrawal at the top and neither offers nor accepts recording a manager contact", async () => {
      need(state.consentWithdrawn, "the withdrawn consent");
      const reference = state.reference!;
      const page = await openHubRequest("hub: request page with consent withdrawn");
      const callout = page.locator("#manager-consent.nhsuk-card--warning");
      await expectText(callout, /Consent to contact the line manager withdrawn on \d{1,2} [A-Z][a-z]+ \d{4}/);
      await expectText(callout, "Do not contact their line manager.");
      // At the top: before the request's details.
      const beforeDetails = await callout.evaluate((el) => {
        const details = [...document.querySelectorAll("main h2")].find((h) => h.textContent?.trim() === "Request");
        return !!details && (el.compareDocumentPosition(details) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      });
      expect(beforeDetails).toBe(true);
      await expectText(hubEntries(page, "consent_withdrawn"), "Consent to contact the line manager withdrawn");
      await expectText(hubEntries(page, "consent_withdrawn"), `${STAFF.name} (the person who asked)`);
      // Not offered.
      expect(await page.getByRole("button", { name: "Record that the line manager was contacted" }).count()).toBe(0);
      expect(await page.getByLabel("What was discussed with the line manager").count()).toBe(0);
      await expectText(page.locator("section[aria-labelledby='hub-manager-contact']"), "has withdrawn their consent");
      await a11y(hub, page, "hub: request page with consent withdrawn");

      // Not accepted: the form sent by hand, with the request's current version, is refused.
      const version = await page.locator("input[name='version']").first().inputValue();
      const refused = await page.request.post(url(hubPath(reference)), {
        form: { intent: "manager_contact", managerNote: `Called anyway (${stamp})`, version },
        headers: { Origin: new URL(url("/")).origin },
        maxRedirects: 0,
      });
      expect(refused.status()).toBe(400);
      expect(await refused.text()).toContain(
        "withdrawn their consent for the people hub to contact their line manager",
      );
      await openHubRequest("hub: request page after the refused manager contact");
      expect(await hubEntries(page, "manager_contacted").count()).toBe(1);
      expect(await page.content()).not.toContain(`Called anyway (${stamp})`);
    });

    it("coordinator sees the reply; closing without an outcome is refused and changes nothing; closing with one works", async () => {
      need(state.replied, "the person's reply");
      const reference = state.reference!;
      // A JavaScript-enabled page logs the 400 of a refused form.
      hub.allowConsoleError(/status of 400/);
      const page = await openHubRequest("hub: request page with the reply");
      const replied = hubEntries(page, "message_from_staff").filter({ hasText: reply });
      await expect.poll(() => replied.count(), { timeout: 20_000 }).toBe(1);
      await expectText(replied, `Message from ${STAFF.name}`);
      const statusBefore = (await hubStatusRow(page).innerText()).replace(/\s+/g, " ");
      expect(statusBefore).not.toContain("Closed");
      const eventsBefore = await page.locator("ol.staywell-hub-timeline > li").count();

      // Close without an outcome.
      const statusGroup = group(page, "New status");
      await statusGroup.getByLabel("Closed", { exact: true }).check();
      await page.getByRole("button", { name: "Change status", exact: true }).click();
      const summary = page.locator(".nhsuk-error-summary");
      await expectText(summary, /Choose an outcome/);
      await expectText(summary, "There is a problem");
      // The outcome question is marked too, and what was chosen is still chosen.
      await expectText(group(page, "Outcome").locator(".nhsuk-error-message"), /Choose an outcome/);
      expect(await statusGroup.getByLabel("Closed", { exact: true }).isChecked()).toBe(true);
      expect(new URL(page.url()).searchParams.get("done")).toBeNull();
      await a11y(hub, page, "hub: closing without an outcome (error)");
      // Nothing changed: a fresh load shows the same status and the same timeline.
      await openHubRequest("hub: request page after the refused close");
      expect((await hubStatusRow(page).innerText()).replace(/\s+/g, " ")).toBe(statusBefore);
      expect(await page.locator("ol.staywell-hub-timeline > li").count()).toBe(eventsBefore);
      expect(await page.locator(".nhsuk-error-summary").count()).toBe(0);

      // Close with an outcome.
      await group(page, "New status").getByLabel("Closed", { exact: true }).check();
      await group(page, "Outcome").getByLabel("Support given", { exact: true }).check();
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Change status", exact: true }),
        (u) => u.pathname === hubPath(reference) && u.searchParams.get("done") === "status",
      );
      await expectText(page.locator(".nhsuk-notification-banner--success"), "The status has been changed.");
      await expectText(hubStatusRow(page), "Closed");
      await expectText(hubStatusRow(page), "Support given");
      await expectText(hubEntries(page, "status_changed").last(), /to Closed \(outcome: Support given\)/);
      await a11y(hub, page, "hub: after closing");
      state.closed = true;
    });

    it("staff@uhnm rates it 4 with a comment and sees who in the hub looked at or changed the request", async () => {
      need(state.closed, "the closed request");
      const reference = state.reference!;
      const page = await open(staff, myPath(reference), "staff: closed request with the rating form");
      await expectText(page.locator(".nhsuk-summary-list__row", { hasText: "Status" }).first(), "Closed");
      // A closed request takes no more replies.
      expect(await page.getByRole("button", { name: "Send message", exact: true }).count()).toBe(0);
      await choose(page, "How helpful was the people hub?", "4 – Very helpful");
      await page.getByLabel("Is there anything you would like to tell us? (optional)").fill(ratingComment);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Send feedback" }),
        (u) => u.pathname === myPath(reference) && u.searchParams.get("rated") === "1",
      );
      await expectText(page.locator("#satisfaction").locator(".."), "You rated this 4 out of 5");
      await expectText(page.locator("main"), ratingComment);
      await expectText(page.locator("main"), "Thank you for your feedback.");
      // Once only: no form any more.
      expect(await page.getByRole("button", { name: "Send feedback" }).count()).toBe(0);
      await a11y(staff, page, "staff: after rating");
      state.rated = true;

      // The access log: the coordinator, as a people hub coordinator, with what they did.
      const log = page.locator("section[aria-labelledby='access-log'] table");
      await expectText(log, COORDINATOR.name);
      const rows = log.locator("tbody tr").filter({ hasText: COORDINATOR.name });
      const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
      expect(texts.length).toBeGreaterThanOrEqual(4);
      for (const text of texts) expect(text).toContain("People hub coordinator");
      const actions = texts.join("\n");
      expect(actions).toContain("Viewed your request"); // physiotherapy is sensitive: every view is recorded
      expect(actions).toContain("Assigned your request");
      expect(actions).toContain("Sent you a message");
      expect(actions).toContain("Changed the status");
      // Never what the note said.
      expect(await page.content()).not.toContain(note);

      // The coordinator sees the rating.
      const hubPage = await openHubRequest("hub: closed request with the rating");
      await expectText(hubPage.locator("main"), "4 out of 5");
      await expectText(hubPage.locator("main"), ratingComment);
    });

    it("a link on another site asks 'Open request …?' first, shows nothing and records no view until the coordinator opens it", async () => {
      const reference = need(state.reference, "the physiotherapy request's reference");
      need(state.opened, "the coordinator on the request page");
      need(state.staffSignedIn, "staff@uhnm signed in");

      // How many views of theirs the person's access log lists now.
      const views = async () => {
        const page = await open(staff, myPath(reference), "staff: request with its access log");
        const rows = page
          .locator("section[aria-labelledby='access-log'] table tbody tr")
          .filter({ hasText: COORDINATOR.name });
        return (await rows.allInnerTexts()).filter((t) => t.includes("Viewed your request")).length;
      };
      const before = await views();

      // Another site (a data: page has an opaque origin: Sec-Fetch-Site cross-site) links to the request.
      const page = hub.page();
      const link = `<!doctype html><title>Elsewhere</title><a href="${url(hubPath(reference))}">See this</a>`;
      await page.goto(`data:text/html,${encodeURIComponent(link)}`);
      await submitAndWait(page, page.getByRole("link", { name: "See this" }), (u) => u.pathname === hubPath(reference));
      await waitForHydration(page, javaScript);
      await expectText(page.getByRole("heading", { level: 1 }), `Open request ${reference}?`);
      const html = await page.content();
      for (const secret of [details, message, note, STAFF.name, "physiotherapy"]) {
        expect(html, `the step must not mention ${secret}`).not.toContain(secret);
      }
      await a11y(hub, page, "hub: open request step (from another site)");
      expect(await views(), "no view recorded by the step").toBe(before);

      // Opening it from the step is a StayWell navigation: the request, and one view recorded.
      await Promise.all([
        expectText(page.locator("main"), details),
        page.getByRole("link", { name: "Open the request" }).click(),
      ]);
      await expectText(page.getByRole("heading", { level: 1 }), reference);
      expect(await views(), "one view recorded once opened").toBe(before + 1);
    });

    it("another team's coordinator gets the same 404 as for a made-up reference, and cannot find it by searching", async () => {
      const reference = need(state.reference, "the physiotherapy request's reference");
      hub.allowConsoleError(/status of 404/);

      // psych.coordinator@icb: the psychological hub only; physiotherapy is sensitive and not theirs.
      const psych = await hub.newSession();
      await signIn(psych, PSYCH_COORDINATOR, "/hub");
      expect(new URL(psych.url()).pathname).toBe("/hub");
      await a11y(hub, psych, "hub: psychological hub coordinator's queue");
      expect(await psych.locator("main").innerText()).not.toContain(reference);

      const pageFor = async (
        path: string,
        label: string,
      ): Promise<{ response: Response | null; title: string; main: string; html: string }> => {
        const response = await psych.goto(url(path), { waitUntil: "load" });
        await waitForHydration(psych, javaScript);
        await a11y(hub, psych, label);
        return {
          response,
          title: await psych.title(),
          main: (await psych.locator("main").innerText()).trim(),
          html: await psych.content(),
        };
      };
      const theirs = await pageFor(hubPath(reference), "hub: another team's sensitive request (404)");
      const madeUp = await pageFor(hubPath("SW-1999-99999"), "hub: a reference that does not exist (404)");
      expect(theirs.response?.status()).toBe(404);
      expect(madeUp.response?.status()).toBe(404);
      expect(theirs.title).toBe(madeUp.title);
      expect(theirs.main).toBe(madeUp.main);
      expect(theirs.main).toMatch(/page not found/i);
      for (const secret of [details, message, note, reply, STAFF.name, "Fast-track physiotherapy", "MSK"]) {
        expect(theirs.html, `the 404 page must not mention ${secret}`).not.toContain(secret);
      }
      // Searching for it finds nothing either.
      const search = await psych.goto(url(`/hub?q=${encodeURIComponent(reference)}&status=all`), { waitUntil: "load" });
      expect(search?.status()).toBe(200);
      await waitForHydration(psych, javaScript);
      expect(await psych.locator("main").innerText()).not.toContain(reference);
      await expectText(psych.locator("main"), "No requests to show");
      await a11y(hub, psych, "hub: psychological hub coordinator's search for it (nothing)");
    });

    it("staff and managers, who are not coordinators, get 403 on /hub", async () => {
      const reference = need(state.reference, "the physiotherapy request's reference");
      need(state.staffSignedIn, "staff@uhnm signed in");
      staff.allowConsoleError(/status of 403/);
      hub.allowConsoleError(/status of 403/);

      // staff@uhnm: not a coordinator.
      const staffPage = staff.page();
      const staffHub = await staffPage.goto(url("/hub"), { waitUntil: "load" });
      expect(staffHub?.status()).toBe(403);
      await waitForHydration(staffPage, javaScript);
      await expectText(staffPage.getByRole("heading", { level: 1 }), /do not have access/i);
      await a11y(staff, staffPage, "staff: /hub (403)");
      const staffRequest = await staffPage.goto(url(hubPath(reference)), { waitUntil: "load" });
      expect(staffRequest?.status()).toBe(403);

      // manager@icb: not a coordinator either.
      const manager = await hub.newSession();
      await signIn(manager, MANAGER);
      const managerHub = await manager.goto(url("/hub"), { waitUntil: "load" });
      expect(managerHub?.status()).toBe(403);
      await waitForHydration(manager, javaScript);
      await expectText(manager.getByRole("heading", { level: 1 }), /do not have access/i);
      await a11y(hub, manager, "manager: /hub (403)");
    });

    it("the person was emailed that there is a new message and an update, without the message or the note", async () => {
      const reference = need(state.reference, "the physiotherapy request's reference");
      need(state.messaged, "the message");
      const ref = escapeRegExp(reference);
      const newMessage = await waitForMail(STAFF.email, { subject: new RegExp(`new message on your request ${ref}$`) });
      expect(newMessage.body).toContain(`/my/requests/${reference}`);
      if (state.closed) await waitForMail(STAFF.email, { subject: new RegExp(`an update on your request ${ref}$`) });
      // The team was told of the new request with its reference only: physiotherapy is confidential.
      const teamMail = await waitForMail(COORDINATOR.email, {
        subject: new RegExp(`^New confidential request ${ref} for your team$`),
      });
      expect(teamMail.body).toContain(`A new confidential request is waiting: ${reference}.`);
      expect(`${teamMail.subject}\n${teamMail.body}`).not.toMatch(/physio|MSK|occupational/i);
      expect(teamMail.body).not.toContain(details);
      expect(teamMail.body).not.toContain(STAFF.name);

      // No email at all holds what anyone wrote.
      const all = await readAllMail();
      for (const mail of all) {
        for (const secret of [message, note, reply, details, ratingComment, managerNote]) {
          expect(
            mail.body.includes(secret) || mail.subject.includes(secret),
            `"${mail.subject}" to ${mail.to} holds "${secret}"`,
          ).toBe(false);
        }
      }
      const toStaff = all.filter((m) => m.to.toLowerCase().includes(STAFF.email) && m.subject.includes(reference));
      expect(toStaff.map((m) => m.subject)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/new message/),
          ...(state.closed ? [expect.stringMatching(/an update/)] : []),
        ]),
      );
    });
  });
}

defineHubJourney(true);
defineHubJourney(false);
