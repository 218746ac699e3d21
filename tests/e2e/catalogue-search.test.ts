// Catalogue search in Chromium against the built app, with and without JavaScript (issue 9 part 3,
// docs/decisions/013-catalogue-search.md): staff's own words find the offer, best match first; a
// search that finds nothing shows the crisis numbers and suggests the kinds of support. Every
// page is checked with axe (WCAG 2.2 AA).
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectNoAxeViolations } from "./support/axe";
import { useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";

/** Types into the search box and presses the button, as a person does; waits for the answer. */
async function search(page: Page, words: string, javaScript: boolean) {
  await visit(page, "/support", javaScript);
  await page.getByLabel("Search for support").fill(words);
  await Promise.all([
    waitForPage(page, (u) => u.pathname === "/support" && u.searchParams.get("q") === words),
    page.getByRole("button", { name: "Search", exact: true }).click(),
  ]);
  await waitForHydration(page, javaScript);
  await expect.poll(() => page.getByRole("status").first().innerText(), { timeout: 20_000 }).toContain(`“${words}”`);
}

async function resultTitles(page: Page) {
  return page.getByRole("list", { name: "Search results" }).getByRole("heading").allInnerTexts();
}

const STAY_CONVERSATION = "Thinking about leaving? Talk to us first";
const STAY_TITLES = [
  STAY_CONVERSATION,
  "Flexible working and shift patterns",
  "Career pathways and apprenticeships",
  "Retire and return, partial retirement and the reservist bank",
] as const;

for (const javaScript of [true, false]) {
  describe(`catalogue search with JavaScript ${javaScript ? "on" : "off"}`, () => {
    const browser = useBrowser({ javaScript });

    it("'burnout' finds the psychological wellbeing hub first", async () => {
      const page = browser.page();
      await search(page, "burnout", javaScript);
      expect((await resultTitles(page))[0]).toBe("Psychological wellbeing hub");
      await expectNoAxeViolations(page, `search results (JavaScript ${javaScript ? "on" : "off"})`);
    });

    it("'anxiety' shows the crisis numbers above its results (mental health support found); 'MSK' does not", async () => {
      const page = browser.page();
      await search(page, "anxiety", javaScript);
      const help = page.locator("#urgent-help");
      expect(await help.isVisible()).toBe(true);
      const text = (await help.innerText()).replace(/\s+/g, " ");
      for (const number of ["NHS 111", "116 123", "85258", "999"]) expect(text).toContain(number);
      // Above the results: the box comes first in the page.
      const results = page.getByRole("list", { name: "Search results" });
      const [helpTop, resultsTop] = [(await help.boundingBox())!.y, (await results.boundingBox())!.y];
      expect(helpTop).toBeLessThan(resultsTop);
      expect((await resultTitles(page))[0]).toBe("Psychological wellbeing hub");
      await expectNoAxeViolations(
        page,
        `search results with the crisis numbers (JavaScript ${javaScript ? "on" : "off"})`,
      );

      await search(page, "MSK", javaScript);
      expect((await resultTitles(page))[0]).toBe("Fast-track physiotherapy");
      expect(await page.locator("#urgent-help").count()).toBe(0);
    });

    it("'resign' finds the offers that help people stay, the stay conversation first", async () => {
      const page = browser.page();
      await search(page, "resign", javaScript);
      const titles = await resultTitles(page);
      expect(titles).toEqual(expect.arrayContaining([...STAY_TITLES]));
      // Someone about to resign is offered the stay conversation before anything else (issue 13).
      expect(titles[0]).toBe(STAY_CONVERSATION);
    });

    it("each word of issue 9 finds its offer first (the search's web address, as a bookmark or shared link)", async () => {
      const page = browser.page();
      const expected: [string, string[]][] = [
        ["anxiety", ["Psychological wellbeing hub"]],
        ["burnout", ["Psychological wellbeing hub"]],
        ["MSK", ["Fast-track physiotherapy"]],
        ["leaving", [...STAY_TITLES]],
        ["resign", [...STAY_TITLES]],
        ["bills", ["Money advice from Citizens Advice"]],
        ["nights", ["Flexible working and shift patterns", "Support if you are a carer"]],
        ["childcare", ["Flexible working and shift patterns", "Support if you are a carer"]],
      ];
      for (const [q, titles] of expected) {
        const response = await visit(page, `/support?q=${encodeURIComponent(q)}`, javaScript);
        expect(response?.status()).toBe(200);
        expect(titles, q).toContain((await resultTitles(page))[0]);
      }
    });

    it("'zzzz' finds nothing, shows the crisis numbers and suggests the kinds of support", async () => {
      const page = browser.page();
      await search(page, "zzzz", javaScript);
      expect(await page.getByRole("status").first().innerText()).toContain("No support matches “zzzz”");
      const help = page.locator("#urgent-help");
      expect(await help.isVisible()).toBe(true);
      const text = (await help.innerText()).replace(/\s+/g, " ");
      for (const number of ["NHS 111", "116 123", "85258", "999"]) expect(text).toContain(number);
      const suggestions = page.getByRole("region", { name: /look at these kinds of support/ }).getByRole("link");
      expect(await suggestions.allInnerTexts()).toContain("Mental health and wellbeing");
      await expectNoAxeViolations(page, `search with no result (JavaScript ${javaScript ? "on" : "off"})`);

      // A suggestion leads to its category in the catalogue.
      await Promise.all([
        waitForPage(page, (u) => u.pathname === "/support" && !u.searchParams.get("q")),
        suggestions.filter({ hasText: "Money and housing" }).click(),
      ]);
      await expect
        .poll(() => page.getByRole("heading", { name: "Money and housing", level: 2 }).isVisible(), { timeout: 20_000 })
        .toBe(true);
    });
  });
}
