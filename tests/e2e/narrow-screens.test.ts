// Screens that fit the work (issue 9, part 5), in Chromium against the built app and the demo data:
// - the hub request page at 1280 x 800 shows, without scrolling, the person (name, contact,
//   organisation), the priority, the response target and the controls of the four actions (assign,
//   change status, message the person, internal note), with and without JavaScript;
// - at 375 px no page with a table scrolls sideways (every table in app/ but the hub queue's, which
//   landing.test.ts and the queue's own tests cover), nor does the hub request page.
// Screenshots of the hub request page, My requests and the admin people list at 1280 and 375 px go
// to /work/screens/ (SCREENS_DIR) for a person to look at; axe checks each page it measures.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { type BrowserFixture, useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";
import { rememberSession, reuseSession } from "./support/session";

const STAFF = "staff@uhnm.staywell.test";
const COORDINATOR = "coordinator@icb.staywell.test";
const MANAGER = "manager@icb.staywell.test";
const ADMIN = "admin@icb.staywell.test";
const RESERVIST_COORDINATOR = "reservists.coordinator@icb.staywell.test";

const SCREENS = process.env.SCREENS_DIR ?? "/work/screens";
const FIRST_SCREEN = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

async function signIn(page: Page, email: string, javaScript: boolean) {
  if (await reuseSession(page, email, javaScript, undefined)) return;
  await visit(page, "/login", javaScript);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await Promise.all([
    waitForPage(page, (u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  await waitForHydration(page, javaScript);
  await rememberSession(page, email, undefined);
}

async function a11y(fixture: BrowserFixture, page: Page, label: string) {
  const report = await axeReport(page, label);
  if (report) fixture.defer(report);
}

async function screenshot(page: Page, name: string, fullPage = true) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage }).catch(() => {});
}

/** The width of the page's content: more than the window means the page scrolls sideways. */
async function pageWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** The innermost elements reaching past the window's right edge (tag, right edge, text), to say what widens a page. */
async function overflowingElements(page: Page) {
  return page.evaluate(() => {
    const windowWidth = document.documentElement.clientWidth;
    const found: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const rect = el.getBoundingClientRect();
      if (rect.right <= windowWidth + 1 || rect.width === 0) continue;
      const childOverflows = Array.from(el.children).some((c) => c.getBoundingClientRect().right > windowWidth + 1);
      if (childOverflows) continue;
      const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 80);
      found.push(
        `<${el.tagName.toLowerCase()} class="${el.getAttribute("class") ?? ""}"> to ${Math.round(rect.right)} px: ${text}`,
      );
      if (found.length >= 3) break;
    }
    return found;
  });
}

/**
 * Tables that do not fit the window: wider than it, or scrolling sideways inside a region (which
 * keeps the page's own width but still hides columns off-screen). Each as "caption: N px".
 */
async function tablesTooWide(page: Page) {
  return page.locator("table").evaluateAll((tables) => {
    const windowWidth = document.documentElement.clientWidth;
    const problems: string[] = [];
    tables.forEach((table, i) => {
      const name =
        table.querySelector("caption")?.textContent?.trim() ||
        table.getAttribute("aria-label") ||
        (table.getAttribute("aria-labelledby") &&
          document.getElementById(table.getAttribute("aria-labelledby")!)?.textContent?.trim()) ||
        `table ${i + 1}`;
      const rect = table.getBoundingClientRect();
      if (rect.left < 0 || rect.right > windowWidth) problems.push(`${name}: ${Math.round(rect.width)} px wide`);
      for (let el = table.parentElement; el && el !== document.body; el = el.parentElement) {
        if (el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX !== "visible") {
          problems.push(`${name}: scrolls sideways inside its region (${el.scrollWidth} px in ${el.clientWidth} px)`);
          break;
        }
      }
    });
    return problems;
  });
}

/** The links to requests in the signed-in coordinator's queue, in queue order. */
async function queueLinks(page: Page, javaScript: boolean) {
  await visit(page, "/hub", javaScript);
  return page
    .locator('a[href^="/hub/requests/"]')
    .evaluateAll((links) =>
      links.map((a) => a.getAttribute("href") ?? "").filter((h) => /^\/hub\/requests\/[^/?#]+$/.test(h)),
    );
}

/** An open request in the queue whose page offers all four actions (and a consent answer, when there is one). */
async function openActionableRequest(page: Page, javaScript: boolean) {
  for (const href of (await queueLinks(page, javaScript)).slice(0, 15)) {
    await visit(page, href, javaScript);
    const controls = await Promise.all(
      ['select[name="assigneeId"]', 'input[name="to"]', 'textarea[name="message"]', 'textarea[name="note"]'].map((s) =>
        page.locator(s).count(),
      ),
    );
    if (controls.every((n) => n > 0)) return href;
  }
  throw new Error("coordinator@icb's queue has no open request to measure in its first 15");
}

/** Top and bottom of the first element `selector` matches, in page pixels, with a readable failure. */
async function box(page: Page, selector: string, what: string) {
  const element = page.locator(selector).first();
  await expect(element.isVisible(), `${what} is visible`).resolves.toBe(true);
  const b = await element.boundingBox();
  if (!b) throw new Error(`${what} has no box`);
  return { top: Math.round(b.y), bottom: Math.round(b.y + b.height) };
}

function defineFirstScreen(javaScript: boolean) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";
  describe.sequential(`hub request page, first screen at 1280 x 800 (${mode})`, () => {
    const browser = useBrowser({ javaScript });

    it("shows the person, priority, target and the four actions without scrolling; nothing scrolls sideways at 375 px", async () => {
      const page = browser.page();
      await page.setViewportSize(FIRST_SCREEN);
      await signIn(page, COORDINATOR, javaScript);
      const href = await openActionableRequest(page, javaScript);
      await page.evaluate(() => window.scrollTo(0, 0));

      const measured: Record<string, { top: number; bottom: number }> = {
        "the person's name": await box(page, '[data-first-screen="person-name"]', "the person's name"),
        "their contact": await box(page, '[data-first-screen="person-contact"]', "their contact"),
        "their organisation": await box(page, '[data-first-screen="person-organisation"]', "their organisation"),
        "the priority": await box(page, '[data-first-screen="priority"]', "the priority"),
        "the target": await box(page, '[data-first-screen="target"]', "the target"),
        "the assign control": await box(page, 'select[name="assigneeId"]', "the assign control"),
        "the status control": await box(page, 'input[name="to"]', "the status control"),
        "the message box": await box(page, 'textarea[name="message"]', "the message box"),
        "the note box": await box(page, 'textarea[name="note"]', "the note box"),
      };
      console.log(`hub request ${href} at 1280 x 800 (${mode}):`, JSON.stringify(measured));
      await screenshot(page, `hub-request-1280${javaScript ? "" : "-nojs"}-first-screen`, false);
      if (javaScript) await screenshot(page, "hub-request-1280");
      for (const [what, b] of Object.entries(measured)) {
        expect(b.top, `${what} starts in the first screen (top ${b.top} px)`).toBeLessThan(FIRST_SCREEN.height);
        expect(b.top, `${what} is on the page`).toBeGreaterThanOrEqual(0);
      }
      // The text boxes show at least two lines (48 px) in the first screen, not just their top edge.
      for (const what of ["the message box", "the note box"]) {
        expect(measured[what].top + 48, `${what} shows two lines in the first screen`).toBeLessThanOrEqual(
          FIRST_SCREEN.height,
        );
      }
      // The answers and the timeline are still on the page (below or beside).
      await expect(page.locator("h2", { hasText: /^Answers$/ }).count()).resolves.toBe(1);
      await expect(page.locator("#timeline").count()).resolves.toBe(1);
      await a11y(browser, page, `hub request at 1280 px (${mode})`);

      await page.setViewportSize(PHONE);
      await visit(page, href, javaScript);
      const width = await pageWidth(page);
      console.log(`hub request ${href} at 375 px (${mode}): scrollWidth ${width}`);
      if (javaScript) await screenshot(page, "hub-request-375");
      expect(width, "hub request page width at 375 px").toBeLessThanOrEqual(PHONE.width);
      await a11y(browser, page, `hub request at 375 px (${mode})`);
    });
  });
}

defineFirstScreen(true);
defineFirstScreen(false);

describe.sequential("every table fits 375 px", () => {
  const browser = useBrowser({ javaScript: true });
  const widths: Record<string, number> = {};

  async function measure(page: Page, path: string, label: string, shots?: string, tablesRequired = true) {
    await page.setViewportSize(PHONE);
    await visit(page, path, true);
    if (tablesRequired) {
      expect(await page.locator("table").count(), `${label} (${path}) has a table`).toBeGreaterThan(0);
    }
    const width = await pageWidth(page);
    widths[label] = width;
    const tables = await tablesTooWide(page);
    if (shots) {
      await screenshot(page, `${shots}-375`);
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, `${shots}-1280`);
      await page.setViewportSize(PHONE);
    }
    return { width, tables };
  }

  /** `tablesRequired: false` for pages measured for their own width, whatever they hold. */
  async function expectFits(
    page: Page,
    pages: [path: string, label: string, shots?: string][],
    { tablesRequired = true } = {},
  ) {
    const tooWide: string[] = [];
    for (const [path, label, shots] of pages) {
      const { width, tables } = await measure(page, path, label, shots, tablesRequired);
      if (width > PHONE.width) {
        const culprits = await overflowingElements(page);
        tooWide.push(`${label} (${path}): the page is ${width} px wide; widened by ${culprits.join(" | ")}`);
      }
      for (const table of tables) tooWide.push(`${label} (${path}): ${table}`);
      await a11y(browser, page, `${label} at 375 px`);
    }
    console.log("page widths at 375 px:", JSON.stringify(widths));
    console.log("too wide at 375 px:", JSON.stringify(tooWide, null, 1));
    expect(tooWide, "pages or tables wider than 375 px").toEqual([]);
  }

  it("administration: overview, organisations, offers, saved responses, teams, a team, people and the audit log", async () => {
    const page = browser.page();
    await signIn(page, ADMIN, true);
    await visit(page, "/admin/teams", true);
    const team = await page
      .locator('main a[href^="/admin/teams/"]')
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute("href") ?? "").find((h) => /^\/admin\/teams\/\d+$/.test(h)),
      );
    expect(team, "a team to open").toBeTruthy();
    await expectFits(page, [
      ["/admin", "admin overview", "admin-overview"],
      ["/admin/organisations", "admin organisations"],
      ["/admin/offers", "admin offers"],
      ["/admin/teams", "admin teams"],
      [team!, "admin team"],
      ["/admin/people", "admin people", "admin-people"],
      ["/admin/retention", "admin retention", "admin-retention"],
    ]);

    // The audit log shows its values in a table once there is a change: move an offer down and
    // back up (two audit entries; the catalogue's order is as it was).
    await visit(page, "/admin/offers", true);
    const down = page.locator("main button", { hasText: "Move down" }).first();
    const title = ((await down.textContent()) ?? "").replace(/^Move down:\s*/, "").trim();
    expect(title, "an offer that can move down").not.toBe("");
    for (const button of [down, page.locator("main button", { hasText: `Move up: ${title}` }).first()]) {
      await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), button.click()]);
      await page.waitForLoadState("load");
      await expect.poll(() => page.locator("main button", { hasText: "Move" }).first().isEnabled()).toBe(true);
    }
    await expectFits(page, [["/admin/audit", "admin audit log"]]);
  });

  // Review of issue 12, finding 16: at 375 px the area's menu no longer comes before the page: the
  // page's heading is in the first screen, on every page of /admin and /account.
  it("the heading of every /admin and /account page is in the first screen at 375 px", async () => {
    const page = await browser.newSession();
    await signIn(page, ADMIN, true);
    await page.setViewportSize(PHONE);
    const late: string[] = [];
    const paths = [
      "/admin",
      "/admin/offers",
      "/admin/organisations",
      "/admin/teams",
      "/admin/people",
      "/admin/access-requests",
      "/admin/shared-domains",
      "/admin/audit",
      "/admin/mail",
      "/admin/leavers",
      "/admin/retention",
      "/admin/leaving-questionnaire",
      "/account",
      "/account/preferences",
      "/account/password",
      "/account/sessions",
      "/account/security",
      "/account/data",
    ];
    for (const path of paths) {
      await visit(page, path, true);
      const h1 = await box(page, "main h1", `the heading of ${path}`);
      if (h1.bottom > PHONE.height) late.push(`${path}: h1 ends at ${h1.bottom} px`);
      const width = await pageWidth(page);
      if (width > PHONE.width) late.push(`${path}: the page is ${width} px wide`);
    }
    // The menu is still there, collapsed, and opens by keyboard.
    await visit(page, "/admin/people", true);
    const summary = page.locator("nav summary", { hasText: "Administration menu" });
    await summary.focus();
    await page.keyboard.press("Enter");
    await expect(page.locator("nav details[open] a", { hasText: "Data retention" }).isVisible()).resolves.toBe(true);
    await a11y(browser, page, "admin menu open at 375 px");
    expect(late, "pages whose heading is below the first screen at 375 px").toEqual([]);
  });

  it("manager insights", async () => {
    const page = await browser.newSession();
    await signIn(page, MANAGER, true);
    // The overview and each section's own page: between them every chart and table of /insights.
    await expectFits(page, [
      ["/insights", "insights", "insights"],
      ...["organisations", "staff-groups", "tenure", "responsiveness", "outcomes", "satisfaction"].map(
        (key): [string, string, string] => [`/insights?show=${key}`, `insights: ${key}`, `insights-${key}`],
      ),
    ]);
  });

  it("staff: My requests and a request's access log", async () => {
    const page = await browser.newSession();
    await signIn(page, STAFF, true);
    await visit(page, "/my/requests", true);
    const references = await page
      .locator('main a[href^="/my/requests/"]')
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute("href") ?? "").filter((h) => /^\/my\/requests\/[^/?#]+$/.test(h)),
      );
    let withLog: string | undefined;
    for (const href of references) {
      await visit(page, href, true);
      if ((await page.locator("#access-log ~ table, section[aria-labelledby=access-log] table").count()) > 0) {
        withLog = href;
        break;
      }
    }
    expect(withLog, "a request of staff@uhnm with an access log").toBeTruthy();
    await expectFits(page, [
      ["/my/requests", "my requests", "my-requests"],
      [withLog!, "my request's access log"],
    ]);
  });

  // The reservist bank (ADR 040): the staff pages (a profile or the joining form, and invitations:
  // summary lists, measured for the page's width) and the coordinator's needs and a need's page.
  it("reservist bank: /reservists and /reservists/invitations for staff", async () => {
    const page = await browser.newSession();
    await signIn(page, STAFF, true);
    await expectFits(
      page,
      [
        ["/reservists", "reservist bank", "reservists"],
        ["/reservists/invitations", "reservist invitations"],
      ],
      { tablesRequired: false },
    );
  });

  it("reservist bank: the coordinator's needs and a need with its invitations and matches", async () => {
    const page = await browser.newSession();
    await signIn(page, RESERVIST_COORDINATOR, true);
    await visit(page, "/hub/reservists/needs", true);
    const needs = await page
      .locator('main a[href^="/hub/reservists/needs/"]')
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute("href") ?? "").filter((h) => /^\/hub\/reservists\/needs\/\d+$/.test(h)),
      );
    expect(needs.length, "the demo's reservist needs").toBeGreaterThan(0);
    await expectFits(page, [
      ["/hub/reservists/needs", "reservist needs", "reservist-needs"],
      [needs[needs.length - 1]!, "a reservist need", "reservist-need"],
    ]);
  });
});
