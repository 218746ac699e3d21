// A member of staff's journey through StayWell, in Chromium against the built app: sign up with a
// partner work email, confirm it from the emailed link, sign in, browse the support catalogue,
// request each of the five core offers, see them in "Your requests", withdraw one, agree that the
// people hub may talk to their line manager about another and withdraw that consent again, each
// after a confirmation of what it means. Along the way:
// a non-partner email is refused; "at risk" on the psychological form shows urgent help (with
// JavaScript at once, without it after sending) and the request is flagged urgent; another
// person cannot open the request (404). Every page visited is checked with axe (WCAG 2.2 AA).
//
// The same journey runs twice: with JavaScript (client validation, client-side navigation) and
// without it (plain HTML forms). Steps share state in order; a step whose prerequisite failed
// fails too, naming the step it needed.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { url, useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { extractLink, waitForMail } from "./support/mail";
import { submitAndWait } from "./support/steps";

const PARTNER_DOMAIN = "uhnm.staywell.test";
const PASSWORD = "plum tractor evening lantern";

const CORE_OFFERS = [
  { slug: "financial-wellbeing", kind: "financial" },
  { slug: "psychological-wellbeing-hub", kind: "psychological" },
  { slug: "physiotherapy", kind: "physiotherapy" },
  { slug: "flexible-working", kind: "flexible_working" },
  { slug: "retire-and-return", kind: "retire_return" },
] as const;
type CoreOffer = (typeof CORE_OFFERS)[number];

/** The withdrawn one. */
const WITHDRAW_SLUG = "physiotherapy";
const URGENT_SLUG = "psychological-wellbeing-hub";

function dateParts(daysFromToday: number) {
  const d = new Date(Date.now() + daysFromToday * 86_400_000);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) };
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null)
    throw new Error(`This step needs ${what}, which an earlier step did not produce (see its failure).`);
  return value;
}

function group(page: Page, legend: string | RegExp): Locator {
  return page.getByRole("group", { name: legend });
}

async function fillDate(page: Page, legend: string | RegExp, parts: { day: string; month: string; year: string }) {
  const g = group(page, legend);
  await g.getByLabel("Day", { exact: true }).fill(parts.day);
  await g.getByLabel("Month", { exact: true }).fill(parts.month);
  await g.getByLabel("Year", { exact: true }).fill(parts.year);
}

async function choose(page: Page, legend: string | RegExp, label: string) {
  await group(page, legend).getByLabel(label, { exact: true }).check();
}

/** Clicks a submit button and waits for the page that answers (a document load, or a client navigation). */

/**
 * Waits (up to 10 s) for the text of `locator` to match. With JavaScript the URL changes a moment
 * before React renders the new route, so assertions after a navigation poll.
 */
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

/** The NHS.UK urgent care card, not the "if you need help now" inset that the form always shows. */
function urgentHelpCard(page: Page) {
  return page.locator("#urgent-help");
}

async function expectUrgentHelp(card: Locator) {
  await expect.poll(() => card.isVisible(), { timeout: 20_000 }).toBe(true);
  const text = (await card.innerText()).replace(/\s+/g, " ");
  expect(text).toContain("NHS 111");
  expect(text).toContain("116 123");
  expect(text).toContain("85258");
  expect(text).toContain("999");
}

async function fillOfferQuestions(
  page: Page,
  offer: CoreOffer,
  javaScript: boolean,
  a11y: (page: Page, label: string) => Promise<void>,
) {
  switch (offer.kind) {
    case "financial":
      await group(page, "What would you like advice about?").getByLabel("Debt", { exact: true }).check();
      await group(page, "Are any of these happening to you now?").getByLabel("None of these", { exact: true }).check();
      await page
        .getByLabel("Is there anything else you want to tell us? (optional)")
        .fill("Struggling with a payday loan.");
      break;
    case "psychological": {
      await page
        .getByLabel("What is happening for you?")
        .fill("Since the winter I have not been sleeping and I dread shifts.");
      await choose(page, "How is this affecting your work?", "I am at work but struggling");
      // Before answering the safety question there is no urgent care card.
      expect(await urgentHelpCard(page).count()).toBe(0);
      await choose(page, "Do you feel safe at the moment?", "No, I am at risk of harming myself or I do not feel safe");
      if (javaScript) {
        // With JavaScript the urgent help appears at once, before sending.
        await expectUrgentHelp(urgentHelpCard(page));
        await a11y(page, "psychological request form with urgent help");
      } else {
        // Without JavaScript nothing can change until the form is sent.
        expect(await urgentHelpCard(page).count()).toBe(0);
      }
      break;
    }
    case "physiotherapy":
      await choose(page, "Where is the problem?", "Back");
      await choose(page, "How long have you had it?", "2 to 6 weeks");
      await choose(page, "How is it affecting your work?", "I am working, with difficulty");
      break;
    case "flexible_working":
      await page.getByLabel("What is your current working pattern?").fill("37.5 hours, Monday to Friday, 8am to 4pm");
      await page.getByLabel("What working pattern would you like?").fill("30 hours over 4 days, no Fridays");
      await fillDate(page, "When would you like the new pattern to start?", dateParts(60));
      await page
        .getByLabel("How might the change affect your team, and how could that be managed?")
        .fill("A bank colleague could cover Fridays.");
      await choose(page, "How many flexible working requests have you made in the last 12 months?", "None");
      break;
    case "retire_return":
      await choose(page, "Which NHS Pension Scheme section are you in?", "2015 scheme");
      await fillDate(page, "When do you intend to retire or make the change?", dateParts(365));
      await group(page, "What are you interested in?")
        .getByLabel("Retiring and returning to work", { exact: true })
        .check();
      await page.getByLabel("How many hours a week would you like to work? (optional)").fill("24");
      break;
  }
  await choose(page, "How would you like the people hub to contact you?", "Email");
}

function defineJourney(javaScript: boolean) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  describe.sequential(`staff journey with ${mode}`, () => {
    const browser: BrowserFixture = useBrowser({ javaScript });
    const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const email = `e2e.${javaScript ? "js" : "nojs"}.${stamp}@${PARTNER_DOMAIN}`;
    const name = `Alex Test ${javaScript ? "Script" : "Plain"}`;
    const references = new Map<string, string>();
    const state: { signedUp?: boolean; verified?: boolean; signedIn?: boolean } = {};

    /**
     * axe on the page. A violation fails the test, but at its end: the journey goes on, so one
     * accessibility fault does not hide whether the rest works.
     */
    async function a11y(page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) browser.defer(report);
    }

    /** Navigates (waiting for hydration with JavaScript) and checks the page with axe. */
    async function open(path: string, label: string) {
      const page = browser.page();
      const response = await visit(page, path, javaScript);
      expect(response?.status(), `${path} status`).toBe(200);
      await a11y(page, label);
      return page;
    }

    async function fillSignup(page: Page, address: string) {
      await page.getByLabel("Work email address").fill(address);
      await page.getByLabel("Full name").fill(name);
      await choose(page, "Staff group", "Nursing and midwifery");
      await page.getByLabel("Job title (optional)").fill("Staff nurse");
      await fillDate(page, "When did you start working for your organisation?", { day: "5", month: "9", year: "2019" });
      // No password here: it is chosen on the page the emailed link opens (ADR 017).
      expect(await page.locator('input[type="password"]').count()).toBe(0);
    }

    it("refuses a sign-up with an email address from outside the partner organisations", async () => {
      // With JavaScript the server's 400 answer to the form's fetch is logged by Chromium.
      browser.allowConsoleError(/status of 400/);
      const page = await open("/signup", "sign up");
      await fillSignup(page, `someone.${stamp}@example.com`);
      await page.getByRole("button", { name: "Create account" }).click();
      const summary = page.locator(".nhsuk-error-summary");
      await expectText(summary, /partner organisation, or your nhs\.net address/i);
      // It says what to do instead of listing every partner domain.
      expect(await summary.textContent()).not.toContain(`@${PARTNER_DOMAIN}`);
      await page.getByRole("link", { name: "request access" }).first().waitFor();
      expect(new URL(page.url()).pathname).toBe("/signup");
      // What was typed is still there.
      expect(await page.getByLabel("Full name").inputValue()).toBe(name);
      await a11y(page, "sign up with an error");
    });

    it(`signs up with a work email at ${PARTNER_DOMAIN}`, async () => {
      const page = await open("/signup", "sign up");
      await fillSignup(page, email);
      await submitAndWait(page, page.getByRole("button", { name: "Create account" }), /\/signup\/check-email/);
      await expectText(page.getByRole("heading", { level: 1 }), /check your email/i);
      await expectText(page.locator("main"), email);
      await a11y(page, "check your email");
      state.signedUp = true;
    });

    it("chooses a password on the page the link from the mail opens, which confirms the email address", async () => {
      need(state.signedUp, "a sign-up");
      // Without JavaScript the server's 400 answer is a page; with it, the form's fetch (logged).
      browser.allowConsoleError(/status of 400/);
      const mail = await waitForMail(email, { subject: /choose your password/i });
      const link = extractLink(mail, "/verify-email");
      expect(new URL(link).origin).toBe(new URL(url("/")).origin);
      const page = browser.page();
      await page.goto(link);
      await waitForHydration(page, javaScript);
      await expectText(page.getByRole("heading", { level: 1 }), "Choose a password");
      await a11y(page, "choose a password");
      // Two different passwords: an NHS.UK error summary, and nothing typed is kept.
      await page.getByLabel("Create a password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Enter the password again", { exact: true }).fill(`${PASSWORD}x`);
      await page.getByRole("button", { name: "Save password and confirm my email address" }).click();
      await expectText(page.locator(".nhsuk-error-summary"), "Enter the same password in both boxes");
      await a11y(page, "choose a password with an error");
      if (!javaScript) expect(await page.getByLabel("Create a password", { exact: true }).inputValue()).toBe("");
      await page.getByLabel("Create a password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Enter the password again", { exact: true }).fill(PASSWORD);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Save password and confirm my email address" }),
        /\/login\?.*verified=1/,
      );
      await expectText(page.locator("main"), /email address is confirmed/i);
      await a11y(page, "sign in (after confirming)");
      // The link works once.
      const again = browser.page();
      await again.goto(link);
      await expectText(again.locator(".nhsuk-error-summary"), /already been used/);
      state.verified = true;
    });

    it("signs in", async () => {
      need(state.verified, "a confirmed email address");
      const page = browser.page();
      if (!new URL(page.url()).pathname.startsWith("/login")) await open("/login", "sign in");
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => u.pathname === "/my/requests");
      await expectText(page.getByRole("heading", { level: 1 }), "Your requests");
      await expectText(page.locator("main"), /not asked for any support yet/i);
      await a11y(page, "your requests (empty)");
      state.signedIn = true;
    });

    it("browses the support catalogue and finds the five core offers", async () => {
      need(state.signedIn, "a signed-in user");
      const page = await open("/support", "find support");
      for (const offer of CORE_OFFERS) {
        expect(
          await page.locator(`main a[href="/support/${offer.slug}"]`).count(),
          `a link to ${offer.slug}`,
        ).toBeGreaterThan(0);
      }
    });

    for (const offer of CORE_OFFERS) {
      const title =
        offer.slug === URGENT_SLUG
          ? `requests ${offer.slug}, answering "at risk": urgent help ${javaScript ? "at once on the form" : "after sending"}, flagged urgent`
          : `opens ${offer.slug} and requests it`;
      it(title, async () => {
        need(state.signedIn, "a signed-in user");
        const page = await open("/support", "find support");
        await submitAndWait(
          page,
          page.locator(`main a[href="/support/${offer.slug}"]`).first(),
          (u) => u.pathname === `/support/${offer.slug}`,
        );
        await a11y(page, `offer ${offer.slug}`);
        await submitAndWait(
          page,
          page.getByRole("link", { name: "Request this support" }),
          (u) => u.pathname === `/support/${offer.slug}/request`,
        );
        await a11y(page, `request form ${offer.slug}`);
        await fillOfferQuestions(page, offer, javaScript, a11y);
        await submitAndWait(
          page,
          page.getByRole("button", { name: "Send request" }),
          (u) => /^\/my\/requests\/[^/]+$/.test(u.pathname) && u.searchParams.get("submitted") === "1",
        );
        const reference = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
        expect(reference).toMatch(/^SW-\d{4}-\d+$/);
        references.set(offer.slug, reference);
        const main = page.locator("main");
        await expectText(main, "Request sent");
        await expectText(main, reference);
        if (offer.slug === URGENT_SLUG) {
          await expectUrgentHelp(urgentHelpCard(page));
          await expectText(page.locator(".nhsuk-summary-list__row", { hasText: "Status" }), "Urgent");
        } else {
          expect(await urgentHelpCard(page).count()).toBe(0);
        }
        await a11y(page, `request sent ${offer.slug}`);
      });
    }

    it("sees all five requests in Your requests, the psychological one marked urgent", async () => {
      need(references.size === CORE_OFFERS.length ? true : undefined, "all five requests");
      const page = await open("/my/requests", "your requests");
      const rows = page.locator("main table tbody tr");
      expect(await rows.count()).toBe(CORE_OFFERS.length);
      for (const [slug, reference] of references) {
        const row = rows.filter({ hasText: reference });
        expect(await row.count(), `row for ${reference} (${slug})`).toBe(1);
        const text = await row.innerText();
        expect(text).toContain("New");
        if (slug === URGENT_SLUG) expect(text).toContain("Urgent");
        else expect(text).not.toContain("Urgent");
      }
    });

    it("withdraws one request", async () => {
      const reference = need(references.get(WITHDRAW_SLUG), `the ${WITHDRAW_SLUG} request`);
      const page = await open("/my/requests", "your requests");
      await submitAndWait(
        page,
        page.getByRole("link", { name: reference, exact: true }),
        (u) => u.pathname === `/my/requests/${reference}`,
      );
      await a11y(page, "request details");
      await submitAndWait(
        page,
        page.getByRole("link", { name: "Withdraw this request" }),
        (u) => u.searchParams.get("withdraw") === "1",
      );
      await expectText(page.getByRole("heading", { level: 1 }), /withdraw this request/i);
      await a11y(page, "withdraw confirmation");
      await page.getByLabel("Why are you withdrawing it? (optional)").fill("I found help elsewhere.");
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Yes, withdraw my request" }),
        (u) => u.pathname === `/my/requests/${reference}` && !u.searchParams.has("withdraw"),
      );
      await expectText(page.locator(".nhsuk-summary-list__row", { hasText: "Status" }), "Withdrawn");
      await expectText(page.locator("main"), "You withdrew your request");
      await a11y(page, "withdrawn request");

      await open("/my/requests", "your requests after withdrawing");
      const row = page.locator("main table tbody tr").filter({ hasText: reference });
      expect(await row.innerText()).toContain("Withdrawn");
      expect(await page.locator("main table tbody tr").count()).toBe(CORE_OFFERS.length);
    });

    it("agrees that the hub may talk to their line manager, then withdraws that consent, each after a confirmation", async () => {
      const reference = need(references.get("flexible-working"), "the flexible-working request");
      const page = await open(`/my/requests/${reference}`, "request details (consent not given)");
      const section = page.locator("section[aria-labelledby='line-manager']");
      await expectText(section, "The people hub will not talk to your line manager about this request.");

      await submitAndWait(
        page,
        section.getByRole("link", { name: "Agree that the people hub can talk to your line manager" }),
        (u) => u.searchParams.get("consent") === "give",
      );
      await expectText(
        page.getByRole("heading", { level: 1 }),
        "Agree that the people hub can talk to your line manager?",
      );
      await a11y(page, "give consent confirmation");
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Yes, I agree" }),
        (u) => u.pathname === `/my/requests/${reference}` && u.searchParams.get("consent") === "changed",
      );
      await expectText(
        page.locator("section[aria-labelledby='line-manager']"),
        "You have agreed that the people hub can talk to your line manager",
      );
      await expectText(
        page.locator("ol.staywell-timeline"),
        "You agreed that the people hub can talk to your line manager",
      );
      await a11y(page, "after giving consent");

      // Changing one's mind: "No, keep my consent" changes nothing; then withdrawing does.
      await submitAndWait(
        page,
        page.getByRole("link", { name: "Withdraw your consent" }),
        (u) => u.searchParams.get("consent") === "withdraw",
      );
      await submitAndWait(
        page,
        page.getByRole("link", { name: "No, keep my consent" }),
        (u) => !u.searchParams.has("consent"),
      );
      await expectText(
        page.locator("section[aria-labelledby='line-manager']"),
        "You agreed that the people hub can talk to your line manager",
      );
      await submitAndWait(
        page,
        page.getByRole("link", { name: "Withdraw your consent" }),
        (u) => u.searchParams.get("consent") === "withdraw",
      );
      await a11y(page, "withdraw consent confirmation");
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Yes, withdraw my consent" }),
        (u) => u.pathname === `/my/requests/${reference}` && u.searchParams.get("consent") === "changed",
      );
      await expectText(page.locator("section[aria-labelledby='line-manager']"), "You have withdrawn your consent.");
      const timeline = page.locator("ol.staywell-timeline");
      await expectText(timeline, "You withdrew your consent for the people hub to talk to your line manager");
      expect(await timeline.locator("li").count()).toBe(3); // sent, agreed, withdrew
      await a11y(page, "after withdrawing consent");
    });

    it("answers 404 when another person opens this person's request", async () => {
      const reference = need(references.get(URGENT_SLUG), `the ${URGENT_SLUG} request`);
      const other = DEMO_ACCOUNTS.find((a) => a.role === "staff");
      if (!other) throw new Error("No demo staff account in db/seed-data/accounts.ts");
      browser.allowConsoleError(/status of 404/);
      const page = await browser.newSession();
      await visit(page, "/login", javaScript);
      await page.getByLabel("Email address").fill(other.email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => !u.pathname.startsWith("/login"));
      const response = await page.goto(url(`/my/requests/${encodeURIComponent(reference)}`));
      expect(response?.status()).toBe(404);
      await expectText(page.locator("main"), /page not found/i);
      expect(await page.content()).not.toContain("not been sleeping");
      await waitForHydration(page, javaScript);
      await a11y(page, "someone else's request (404)");
      // The owner still sees it.
      const own = await browser.page().goto(url(`/my/requests/${encodeURIComponent(reference)}`));
      expect(own?.status()).toBe(200);
    });
  });
}

defineJourney(true);
defineJourney(false);
