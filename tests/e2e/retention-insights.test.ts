// Retention insights in Chromium against the built app and the demo data (3,000 ESR leavers, the
// questionnaire answers and a year of stay conversations), with and without JavaScript: manager@icb
// goes from /insights to /insights/retention, sees the headline and the first-year curve (a table row
// for each tenure band), chooses a quarter (a GET form), downloads the CSV (text/csv, the tenure
// rows); manager@uhnm sees UHNM only and 403 for another organisation; axe finds nothing. Screenshots
// at 1280 and 375 px go to /work/screens/ (SCREENS_DIR) for a person to look at.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { LEAVER_TENURE_BANDS } from "~/lib/leaving";
import { expectNoAxeViolations } from "./support/axe";
import { useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";
import { parseCsv } from "../helpers/csv";
import { signIn as signInWith } from "./support/steps";

const ICS_MANAGER = "manager@icb.staywell.test";
const UHNM_MANAGER = "manager@uhnm.staywell.test";
const UHNM = "University Hospitals of North Midlands NHS Trust";
const MPFT = "Midlands Partnership University NHS Foundation Trust";
const SCREENS = process.env.SCREENS_DIR ?? "/work/screens";

/** Signs in as a demo manager (a session kept on this worker when there is one: support/session.ts). */
async function signIn(page: Page, email: string, javaScript: boolean) {
  await signInWith(page, email, DEMO_PASSWORD, javaScript);
}

async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
}

for (const javaScript of [true, false]) {
  describe.sequential(`retention insights (JavaScript ${javaScript ? "on" : "off"})`, () => {
    const browser = useBrowser({ javaScript });
    const state: { opened?: boolean } = {};

    it("manager@icb opens it from /insights and sees the headline and the first-year curve", async () => {
      const page = browser.page();
      await signIn(page, ICS_MANAGER, javaScript);
      await visit(page, "/insights", javaScript);
      await Promise.all([
        waitForPage(page, (u) => u.pathname === "/insights/retention"),
        page.getByRole("link", { name: /^Retention insights/ }).click(),
      ]);
      await waitForHydration(page, javaScript);
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(
        "Retention: who leaves, why, and what helps them stay",
      );
      expect(await page.locator("#retention-scope").innerText()).toMatch(
        /^All organisations in the ICS: the 12 months to \w+ \d{4}/,
      );
      // The headline: four figures, the leavers a number with its change from the previous period.
      const cards = page.locator("#retention-headline li");
      expect(await cards.count()).toBe(4);
      expect(await cards.first().innerText()).toMatch(/Leavers \(ESR\)\s+[\d,]+\s+(up|down|no change)/);
      // The first-year curve: a row for each tenure band (and the total), each with a count.
      const rows = page.locator("#table-leavers-tenure tbody tr");
      expect(await rows.locator("th[scope=row]").allInnerTexts()).toEqual([
        ...LEAVER_TENURE_BANDS.map((b) => b.label),
        "Total",
      ]);
      const underThree = (await rows.first().locator("td").last().innerText()).replace(/\D/g, "");
      const tenToTwelve = (await rows.nth(3).locator("td").last().innerText()).replace(/\D/g, "");
      expect(Number(underThree)).toBeGreaterThan(Number(tenToTwelve));
      expect(await page.locator("#chart-leavers-tenure").count()).toBe(1);
      // The stay conversations' headline figure, and their section: the demo's three years of stay
      // conversations publish in the 12 months (count, outcomes, time to first contact, reasons).
      expect(await cards.nth(3).innerText()).toMatch(/stayed or moved within the ICS\s+(\d+%|\*)/);
      expect(await page.locator("#retention-too-few-stay").count()).toBe(0);
      expect(await page.locator("section[aria-labelledby=retention-stay-heading]").innerText()).toMatch(
        /[\d,]+ people asked for a stay conversation\./,
      );
      expect(await page.locator("#table-stay-retained tbody tr").last().locator("td").innerText()).toMatch(/^\d/);
      // Turnover by staff group: the demo's staff in post by group give each group a rate.
      const groupRows = page.locator("#table-leavers-staff-group tbody tr");
      expect(await groupRows.first().locator("td").nth(2).innerText()).toMatch(/^\d+\.\d$/);
      expect(await groupRows.last().locator("td").nth(2).innerText()).toMatch(/^\d+\.\d$/);
      await expectNoAxeViolations(page, `/insights/retention (manager@icb, JavaScript ${javaScript})`);
      if (javaScript) {
        await screenshot(page, "retention-insights-1280");
        await page
          .locator("section[aria-labelledby=retention-stay-heading]")
          .screenshot({ path: `${SCREENS}/retention-stay-conversations-1280.png` });
        await page.setViewportSize({ width: 375, height: 812 });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        await expectNoAxeViolations(page, "/insights/retention at 375 px");
        await screenshot(page, "retention-insights-375");
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      state.opened = true;
    });

    it("chooses a quarter and downloads the CSV: text/csv with the tenure rows", async () => {
      expect(state.opened, "opened by the first step").toBe(true);
      const page = browser.page();
      const period = page.getByLabel("Period", { exact: true });
      const quarter = period.locator('optgroup[label="Quarters"] option').first();
      const value = (await quarter.getAttribute("value"))!;
      await period.selectOption(value);
      await Promise.all([
        waitForPage(page, (u) => u.searchParams.get("period") === value),
        page.getByRole("button", { name: "Show figures" }).click(),
      ]);
      await waitForHydration(page, javaScript);
      expect(await page.locator("#table-leavers-month tbody tr").count()).toBe(4);
      const href = (await page.getByRole("link", { name: "Download these figures (CSV)" }).getAttribute("href"))!;
      expect(href).toBe(`/insights/retention.csv?period=${value}`);
      const response = await page.request.get(new URL(href, page.url()).toString());
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
      expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="staywell-retention-/);
      const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
      const at = rows.findIndex((r) => r[0] === "Reasons for leaving by length of service");
      expect(at).toBeGreaterThan(0);
      expect(rows.slice(at + 2, at + 9).map((r) => r[0])).toEqual(LEAVER_TENURE_BANDS.map((b) => b.label));
      expect(rows.some((r) => r[0] === "Where leavers went, by whether they had used StayWell support")).toBe(true);
    });

    it("manager@uhnm sees UHNM only, and 403 for another organisation", async () => {
      const page = await browser.newSession();
      await signIn(page, UHNM_MANAGER, javaScript);
      const response = await visit(page, "/insights/retention", javaScript);
      expect(response?.status()).toBe(200);
      expect(await page.locator("#retention-scope").innerText()).toMatch(new RegExp(`^${UHNM}: `));
      expect(await page.locator("select#for").count()).toBe(0);
      expect(await page.locator("main").innerText()).not.toContain(MPFT);
      expect(await page.locator("#table-leavers-organisation tbody th[scope=row]").allInnerTexts()).toEqual([
        UHNM,
        "Total",
      ]);
      await expectNoAxeViolations(page, `/insights/retention (manager@uhnm, JavaScript ${javaScript})`);
      browser.allowConsoleError(/403/);
      const refused = await visit(page, "/insights/retention?for=organisation:mpft", javaScript);
      expect(refused?.status()).toBe(403);
    });
  });
}
