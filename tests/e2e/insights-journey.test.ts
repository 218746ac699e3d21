// Manager insights in Chromium against the built app (demo seed: a year of past requests).
// manager@icb signs in, opens Insights from the header, sees the figures and the privacy rule,
// narrows to one organisation and to a quarter (a GET form: the URL changes), downloads the CSV
// (the same total as the page); axe finds nothing on the page. manager@uhnm sees UHNM only.
// /insights is an overview (key figures, requests by month) with a contents list of the sections,
// each on its own page (?show=…), every page checked with axe; the filter form keeps the section,
// with JavaScript and without.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";
import { parseCsv } from "../helpers/csv";
import { signIn as signInWith } from "./support/steps";

const ICS_MANAGER = "manager@icb.staywell.test";
const UHNM_MANAGER = "manager@uhnm.staywell.test";
const UHNM = "University Hospitals of North Midlands NHS Trust";
const MPFT = "Midlands Partnership University NHS Foundation Trust";

/** Signs in as a demo manager (a session kept on this worker when there is one: support/session.ts). */
async function signIn(page: Page, email: string) {
  await signInWith(page, email, DEMO_PASSWORD, true);
}

const scopeLine = (page: Page) => page.locator("#insights-scope");
const firstQuarter = async (page: Page) =>
  (await page.locator('select#period optgroup[label="Quarters"] option').first().getAttribute("value"))!;
const pageTotal = async (page: Page) => (await page.locator("#insights-total strong").innerText()).trim();
const contents = (page: Page) => page.getByRole("navigation", { name: "Insights sections" });
const SECTION_HEADINGS = [
  "Requests by organisation",
  "Requests by staff group",
  "Requests by years in post",
  "How quickly the people hub responds",
  "Where the requests stand now",
  "Satisfaction",
];

/** Follows the contents list's link to a section and waits for its page. */
async function openSection(page: Page, heading: string, javaScript: boolean) {
  await Promise.all([
    waitForPage(page, (u) => u.pathname === "/insights" && (u.searchParams.get("show") ?? "") !== ""),
    contents(page).getByRole("link", { name: heading, exact: true }).click(),
  ]);
  if (javaScript) await waitForHydration(page, true);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toContain(heading);
}

describe.sequential("manager insights journey", () => {
  const browser = useBrowser({ javaScript: true });
  const state: { signedIn?: boolean; narrowed?: boolean } = {};

  it("manager@icb opens Insights from the header and sees the figures and the privacy rule", async () => {
    const page = browser.page();
    await signIn(page, ICS_MANAGER);
    state.signedIn = true;
    const nav = page.getByRole("navigation", { name: "Menu" });
    await Promise.all([
      waitForPage(page, (u) => u.pathname === "/insights"),
      nav.getByRole("link", { name: "Insights" }).click(),
    ]);
    await expect
      .poll(() => page.title())
      .toMatch(/^Insights: All organisations in the ICS, the 12 months to \w+ \d{4} .*– StayWell$/);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).innerText())
      .toBe("Support uptake and responsiveness");
    expect(await scopeLine(page).innerText()).toMatch(/^All organisations in the ICS: the 12 months to \w+ \d{4}/);
    expect(await page.locator(".nhsuk-inset-text").innerText()).toContain("numbers from 1 to 7 are shown as *");
    // The demo year of requests: a total above the suppression threshold, shown as a number.
    expect(await pageTotal(page)).toMatch(/^[\d,]+$/);
    // The overview: key figures, requests by month (one chart, its table) and the contents list.
    expect(await page.locator("svg.staywell-chart[role=img]").count()).toBe(1);
    expect(await page.locator("main table").count()).toBe(1);
    const firstTable = page.locator("#table-trend tbody tr").first();
    expect(await firstTable.locator("th[scope=row]").count()).toBe(1);
    expect(await page.locator("main dl.nhsuk-summary-list").innerText()).toContain("Requests made");
    expect(await contents(page).locator("li").count()).toBe(7);
    expect(await contents(page).locator('li[aria-current="page"]').innerText()).toBe(
      "Overview and requests by month and support",
    );

    await expectNoAxeViolations(page, "/insights (manager@icb)");
  });

  it("opens each section from the contents list: one chart and its tables a page, axe finds nothing", async () => {
    expect(state.signedIn, "signed in by the first step").toBe(true);
    const page = browser.page();
    for (const heading of SECTION_HEADINGS) {
      await openSection(page, heading, true);
      await expect
        .poll(() => page.title())
        .toMatch(new RegExp(`^Insights: ${heading}, All organisations in the ICS, the 12 months to .*– StayWell$`));
      expect(await page.locator("svg.staywell-chart[role=img]").count(), heading).toBe(1);
      expect(await page.locator("main table").count(), heading).toBeGreaterThanOrEqual(1);
      expect(await contents(page).locator('li[aria-current="page"]').innerText(), heading).toBe(heading);
      expect(await contents(page).locator('li[aria-current="page"] a').count(), heading).toBe(0);
      await expectNoAxeViolations(page, `/insights: ${heading} (manager@icb)`);
    }
    await Promise.all([
      waitForPage(page, (u) => u.pathname === "/insights" && !u.searchParams.has("show")),
      contents(page).getByRole("link", { name: "Overview and requests by month and support" }).click(),
    ]);
    await waitForHydration(page, true);
    await expect.poll(() => page.locator("#insights-total").count()).toBe(1);
  });

  it("sends the browser only published values: no statistic at full precision, no key, no raw count", async () => {
    expect(state.signedIn, "signed in by the first step").toBe(true);
    const page = browser.page();
    const quarter = await firstQuarter(page);
    for (const path of ["/insights.data", `/insights.data?period=${quarter}&for=organisation:uhnm`, "/insights.csv"]) {
      const url = new URL(path, page.url()).toString();
      const response = await page.request.get(url);
      expect(response.status(), url).toBe(200);
      const body = await response.text();
      // Averages have one decimal place, percentages and days none: two or more decimals would be
      // an unrounded statistic (4.3478… gave away 100/23).
      expect(body.match(/\d\.\d{2,}/g) ?? [], url).toEqual([]);
      expect(body, url).not.toMatch(/record_?key|key_?sum|ratingSum|"raw"/i);
    }
    // The page itself carries the same data in window.__remixContext.
    const context = await page.evaluate(() =>
      JSON.stringify((window as unknown as { __remixContext: unknown }).__remixContext),
    );
    expect(context.match(/\d\.\d{2,}/g) ?? []).toEqual([]);
  });

  it("narrows to one organisation: the URL and the line under the heading change", async () => {
    expect(state.signedIn, "signed in by the previous step").toBe(true);
    const page = browser.page();
    await page.getByLabel("Show figures for", { exact: true }).selectOption({ label: UHNM });
    await Promise.all([
      waitForPage(page, (u) => u.pathname === "/insights" && u.searchParams.get("for") === "organisation:uhnm"),
      page.getByRole("button", { name: "Show figures" }).click(),
    ]);
    await waitForHydration(page, true);
    const line = await scopeLine(page).innerText();
    expect(line).toMatch(new RegExp(`^${UHNM}: the 12 months to \\w+ \\d{4}`));
    expect(await page.getByLabel("Show figures for", { exact: true }).inputValue()).toBe("organisation:uhnm");
    state.narrowed = true;
  });

  it("downloads these figures as a CSV: a BOM, the period in the file name, the page's total", async () => {
    expect(state.narrowed, "narrowed by the previous step").toBe(true);
    const page = browser.page();
    const total = await pageTotal(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download these figures (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^staywell-insights-uhnm-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv$/);
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text).toContain("\r\n");
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(["StayWell insights", expect.stringMatching(/^The 12 months to /), UHNM]);
    expect(text).not.toContain(MPFT);
    // The trend table's last row is the total: the same figure as the page.
    const caption = rows.findIndex((r) => r[0] === "Requests by month and type of support");
    expect(caption).toBeGreaterThan(0);
    const totalRow = rows.slice(caption).find((r) => r[0] === "Total")!;
    expect(totalRow.at(-1)).toBe(total);
  });

  it("the organisation section keeps the filter, and a new choice there stays on the section", async () => {
    expect(state.narrowed, "narrowed by the earlier step").toBe(true);
    const page = browser.page();
    await openSection(page, "Requests by organisation", true);
    const url = new URL(page.url());
    expect(url.searchParams.get("show")).toBe("organisations");
    expect(url.searchParams.get("for")).toBe("organisation:uhnm");
    expect(await page.locator("#table-organisations tbody th[scope=row]").allInnerTexts()).toEqual([UHNM, "Total"]);
  });

  it("chooses a whole quarter from the fixed set of periods", async () => {
    expect(state.narrowed, "narrowed by the earlier step").toBe(true);
    const page = browser.page();
    const period = page.getByLabel("Period", { exact: true });
    const quarter = await period.locator('optgroup[label="Quarters"] option').first();
    const [value, label] = [await quarter.getAttribute("value"), await quarter.innerText()];
    await period.selectOption(value!);
    await page.getByLabel("Show figures for", { exact: true }).selectOption("");
    await Promise.all([
      waitForPage(page, (u) => u.searchParams.get("period") === value),
      page.getByRole("button", { name: "Show figures" }).click(),
    ]);
    await waitForHydration(page, true);
    expect(await scopeLine(page).innerText()).toBe(`All organisations in the ICS: ${label}`);
    // Still on the organisation section (the form carries it), now for every organisation.
    expect(new URL(page.url()).searchParams.get("show")).toBe("organisations");
    expect(await page.locator("#table-organisations tbody th[scope=row]").count()).toBeGreaterThan(2);
    // Back to the overview by the contents list, with the quarter kept: three months and the total row.
    await Promise.all([
      waitForPage(page, (u) => !u.searchParams.has("show") && u.searchParams.get("period") === value),
      contents(page).getByRole("link", { name: "Overview and requests by month and support" }).click(),
    ]);
    await waitForHydration(page, true);
    expect(await page.locator("#table-trend tbody tr").count()).toBe(4);
  });

  it("manager@uhnm sees UHNM's figures only, with no organisation to choose, and 403 for another's", async () => {
    const page = await browser.newSession();
    await signIn(page, UHNM_MANAGER);
    const response = await visit(page, "/insights?show=organisations", true);
    expect(response?.status()).toBe(200);
    expect(await scopeLine(page).innerText()).toMatch(new RegExp(`^${UHNM}: `));
    expect(await page.locator("select#for").count()).toBe(0);
    expect(await page.locator("form").getByText(UHNM).count()).toBeGreaterThan(0);
    expect(await page.locator("main").innerText()).not.toContain(MPFT);
    expect(await page.locator("#table-organisations tbody th[scope=row]").allInnerTexts()).toEqual([UHNM, "Total"]);

    browser.allowConsoleError(/403/);
    const refused = await visit(page, "/insights?for=organisation:mpft", true);
    expect(refused?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("You do not have access to this page");
  });
});

describe.sequential("manager insights without JavaScript", () => {
  const browser = useBrowser({ javaScript: false });

  it("moves between the overview and the sections by links, and the GET form keeps the section", async () => {
    const page = browser.page();
    await signInWith(page, ICS_MANAGER, DEMO_PASSWORD, false, "/insights");
    await visit(page, "/insights", false);
    expect(await contents(page).locator('li[aria-current="page"]').innerText()).toBe(
      "Overview and requests by month and support",
    );
    await openSection(page, "Requests by staff group", false);
    expect(await page.locator("#chart-staff-groups").count()).toBe(1);
    await page.getByLabel("Show figures for", { exact: true }).selectOption({ label: UHNM });
    await Promise.all([
      waitForPage(page, (u) => u.searchParams.get("for") === "organisation:uhnm"),
      page.getByRole("button", { name: "Show figures" }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get("show")).toBe("staff-groups");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toContain("Requests by staff group");
    expect(await scopeLine(page).innerText()).toMatch(new RegExp(`^${UHNM}: `));
    await expectNoAxeViolations(page, "/insights: Requests by staff group, no JavaScript");

    // An unknown section: the overview, with an error summary linking to the contents list.
    await visit(page, "/insights?show=nope", false);
    const summary = page.locator(".nhsuk-error-summary");
    expect(await summary.innerText()).toContain("Choose a section from the list");
    expect(await summary.getByRole("link", { name: "Choose a section from the list" }).getAttribute("href")).toBe(
      "#insights-contents",
    );
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Support uptake and responsiveness");
  });
});
