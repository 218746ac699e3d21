// Manager insights in Chromium against the built app (demo seed: a year of past requests).
// manager@icb signs in, opens Insights from the header, sees the figures and the privacy rule,
// narrows to one organisation and to a quarter (a GET form: the URL changes), downloads the CSV
// (the same total as the page); axe finds nothing on the page. manager@uhnm sees UHNM only.
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
    expect(await page.locator("svg.staywell-chart[role=img]").count()).toBe(7);
    expect(await page.locator("main table").count()).toBe(7);
    const firstTable = page.locator("#table-trend tbody tr").first();
    expect(await firstTable.locator("th[scope=row]").count()).toBe(1);

    await expectNoAxeViolations(page, "/insights (manager@icb)");
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
    expect(await page.locator("#table-organisations tbody th[scope=row]").allInnerTexts()).toEqual([UHNM, "Total"]);
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
    // Three months in the trend table (and its total row).
    expect(await page.locator("#table-trend tbody tr").count()).toBe(4);
  });

  it("manager@uhnm sees UHNM's figures only, with no organisation to choose, and 403 for another's", async () => {
    const page = await browser.newSession();
    await signIn(page, UHNM_MANAGER);
    const response = await visit(page, "/insights", true);
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
