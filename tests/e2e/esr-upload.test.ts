// The ESR leavers import in Chromium (issue 13 part 3), with and without JavaScript: the demo
// administrator uploads a small generated ESR extract (the demo organisations' ESR codes, new
// assignment numbers) and sees it listed; uploads a file with two bad rows, which imports nothing
// and reports both (row, column, value, what is wrong) with a downloadable report; and removes the
// import after the confirmation step. axe checks each page state.
//
// Steps share state in order; a step whose prerequisite failed fails too, naming what it needed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { DEMO_ESR_CODES, esrExtractCsv, generateEsrExtract } from "@db/demo-seed/esr-leavers";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { signIn, submitAndWait } from "./support/steps";

const ADMIN = "admin@icb.staywell.test";
const ROWS = 40;

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === false) {
    throw new Error(`This step needs ${what}, which an earlier step did not produce (see its failure).`);
  }
  return value;
}

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
      { timeout: 30_000 },
    )
    .toBe(true);
}

function defineJourney(javaScript: boolean, firstAssignment: number) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  describe.sequential(`the ESR leavers import with ${mode}`, () => {
    const browser: BrowserFixture = useBrowser({ javaScript });
    const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const dir = mkdtempSync(path.join(tmpdir(), "staywell-esr-e2e-"));
    const state: { signedIn?: boolean; imported?: boolean } = {};
    const codes = Object.values(DEMO_ESR_CODES);
    const rows = generateEsrExtract({ now: new Date(), count: ROWS, seed: firstAssignment, firstAssignment }).map(
      (r, i) => ({ ...r, organisation_code: codes[i % codes.length] }),
    );
    const goodFile = path.join(dir, `esr-leavers-${stamp}.csv`);
    writeFileSync(goodFile, esrExtractCsv(rows));
    // Two bad rows: an unknown organisation code (spreadsheet row 3) and a reason ESR does not have (row 6).
    const bad = rows.map((r, i) =>
      i === 1 ? { ...r, organisation_code: "ZZZ" } : i === 4 ? { ...r, leaving_reason: "Fed up" } : r,
    );
    const badFile = path.join(dir, `esr-bad-${stamp}.csv`);
    writeFileSync(badFile, esrExtractCsv(bad));

    async function a11y(page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) browser.defer(report);
    }

    it("signs in as the administrator and opens ESR leavers", async () => {
      const page = browser.page();
      await signIn(page, ADMIN, DEMO_PASSWORD, javaScript, "/admin/leavers");
      expect(new URL(page.url()).pathname).toBe("/admin/leavers");
      await expectText(page.getByRole("heading", { level: 1 }), "ESR leavers");
      await a11y(page, "ESR leavers");
      state.signedIn = true;
    });

    it("uploads a file with two bad rows: nothing is imported and both are reported", async () => {
      need(state.signedIn, "a sign-in");
      browser.allowConsoleError(/status of 400/);
      const page = browser.page();
      await page.getByLabel("ESR leavers extract (CSV)").setInputFiles(badFile);
      await page.getByRole("button", { name: "Upload" }).click();
      const summary = page.locator(".nhsuk-error-summary");
      await expectText(summary, "The file has errors: nothing was imported");
      await expectText(summary, "2 problems");
      const errors = page.locator("#errors");
      await expectText(errors, /\b3\b[\s\S]*organisation_code[\s\S]*ZZZ[\s\S]*No organisation has this ESR code/);
      await expectText(errors, /\b6\b[\s\S]*leaving_reason[\s\S]*Fed up[\s\S]*Not an ESR leaving reason/);
      await expect(page.locator("main").innerText()).resolves.not.toMatch(
        new RegExp(`Imports, newest first[\\s\\S]*${path.basename(badFile)}`),
      );
      // The report downloads with both errors.
      const link = page.getByRole("link", { name: /Download the error report/ });
      const href = need(await link.getAttribute("href"), "the report link");
      const report = await page.request.get(new URL(href, page.url()).href);
      expect(report.status()).toBe(200);
      const text = await report.text();
      expect(text).toContain("3,organisation_code,ZZZ,");
      expect(text).toContain("6,leaving_reason,Fed up,");
      await a11y(page, "ESR upload with errors");
    });

    it("uploads a demo extract and sees it listed", async () => {
      need(state.signedIn, "a sign-in");
      const page = browser.page();
      await visit(page, "/admin/leavers", javaScript);
      await page.getByLabel("ESR leavers extract (CSV)").setInputFiles(goodFile);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Upload" }),
        (u) => u.pathname === "/admin/leavers" && u.searchParams.has("imported"),
      );
      await waitForHydration(page, javaScript);
      await expectText(
        page.locator(".nhsuk-notification-banner"),
        `Imported ${ROWS} leavers from ${path.basename(goodFile)}`,
      );
      await expectText(page.locator("main"), new RegExp(`${path.basename(goodFile)}[\\s\\S]*${ROWS}`));
      await a11y(page, "ESR import done");
      state.imported = true;

      // The same file again changes nothing.
      await page.getByLabel("ESR leavers extract (CSV)").setInputFiles(goodFile);
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Upload" }),
        (u) => u.pathname === "/admin/leavers" && u.searchParams.get("unchanged") === String(ROWS),
      );
      await expectText(page.locator(".nhsuk-notification-banner"), `Nothing changed: all ${ROWS} leavers`);
    });

    it("removes the import after confirming", async () => {
      need(state.imported, "an import");
      const page = browser.page();
      await visit(page, "/admin/leavers", javaScript);
      await submitAndWait(
        page,
        page.getByRole("link", { name: `Remove the import ${path.basename(goodFile)}` }),
        /\/admin\/leavers\/\d+\/remove$/,
      );
      await waitForHydration(page, javaScript);
      await a11y(page, "remove an ESR import");
      await submitAndWait(
        page,
        page.getByRole("button", { name: "Remove the import" }),
        (u) => u.pathname === "/admin/leavers" && u.searchParams.get("removed") === String(ROWS),
      );
      await expectText(
        page.locator(".nhsuk-notification-banner"),
        `The import has been removed, with its ${ROWS} leavers`,
      );
      await expect(page.locator("main").innerText()).resolves.not.toContain(path.basename(goodFile));
    });
  });
}

defineJourney(true, 70_000_000);
defineJourney(false, 71_000_000);
