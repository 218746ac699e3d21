// "Your data" in Chromium (issue 12, part 3): a new member of staff signs up, asks for financial
// advice, downloads their data and finds their request reference in it, then deletes their
// account (password confirmation). The hub's request page no longer shows their name, and the
// /insights total is what it was before. Every page of the area is checked with axe.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { unzip } from "~/.server/zip.server";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration, type BrowserFixture } from "./support/browser";
import { extractLink, waitForMail } from "./support/mail";
import { submitAndWait } from "./support/steps";

const PASSWORD = "plum tractor evening lantern";
const COORDINATOR = "coordinator@icb.staywell.test";
const MANAGER = "manager@icb.staywell.test";

async function expectText(locator: Locator, expected: RegExp | string) {
  const matches = (text: string) => (typeof expected === "string" ? text.includes(expected) : expected.test(text));
  await expect
    .poll(async () => {
      const text = await locator
        .first()
        .innerText()
        .catch(() => "");
      return matches(text) ? true : text.slice(0, 300);
    })
    .toBe(true);
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`This step needs ${what} (see the earlier failure).`);
  return value;
}

describe.sequential("your data: download and delete your account (JavaScript on)", () => {
  const javaScript = true;
  const browser: BrowserFixture = useBrowser({ javaScript });
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `e2e.yourdata.${stamp}@uhnm.staywell.test`;
  const name = `Robin Erasable ${stamp}`;
  const state: { reference?: string; total?: string; signedIn?: boolean } = {};

  async function a11y(page: Page, label: string) {
    const report = await axeReport(page, label);
    if (report) browser.defer(report);
  }

  async function signIn(page: Page, address: string, password: string) {
    await visit(page, "/login", javaScript);
    await page.getByLabel("Email address").fill(address);
    await page.getByLabel("Password").fill(password);
    await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => !u.pathname.startsWith("/login"));
  }

  async function insightsTotal(): Promise<string> {
    const page = await browser.newSession();
    await signIn(page, MANAGER, DEMO_PASSWORD);
    await visit(page, "/insights", javaScript);
    const text = (await page.locator("#insights-total").innerText()).trim();
    await page.close();
    return text;
  }

  it("signs up, confirms the address and asks for financial advice", async () => {
    const page = browser.page();
    await visit(page, "/signup", javaScript);
    await page.getByLabel("Work email address").fill(email);
    await page.getByLabel("Full name").fill(name);
    await page.getByRole("group", { name: "Staff group" }).getByLabel("Nursing and midwifery", { exact: true }).check();
    const start = page.getByRole("group", { name: "When did you start working for your organisation?" });
    await start.getByLabel("Day", { exact: true }).fill("5");
    await start.getByLabel("Month", { exact: true }).fill("9");
    await start.getByLabel("Year", { exact: true }).fill("2019");
    await submitAndWait(page, page.getByRole("button", { name: "Create account" }), /\/signup\/check-email/);
    const mail = await waitForMail(email, { subject: /choose your password/i });
    await page.goto(extractLink(mail, "/verify-email"));
    await waitForHydration(page, javaScript);
    await page.getByLabel("Create a password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Enter the password again", { exact: true }).fill(PASSWORD);
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Save password and confirm my email address" }),
      /\/login\?.*verified=1/,
    );
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => u.pathname === "/my/requests");

    await visit(page, "/support/financial-wellbeing/request", javaScript);
    await page
      .getByRole("group", { name: "What would you like advice about?" })
      .getByLabel("Debt", { exact: true })
      .check();
    await page
      .getByRole("group", { name: "Are any of these happening to you now?" })
      .getByLabel("None of these", { exact: true })
      .check();
    await page.getByLabel("Is there anything else you want to tell us? (optional)").fill("A payday loan worry.");
    await page
      .getByRole("group", { name: "How would you like the people hub to contact you?" })
      .getByLabel("Email", { exact: true })
      .check();
    await submitAndWait(page, page.getByRole("button", { name: "Send request" }), (u) =>
      /^\/my\/requests\/[^/]+$/.test(u.pathname),
    );
    state.reference = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    expect(state.reference).toMatch(/^SW-\d{4}-\d+$/);
    state.signedIn = true;
  });

  it("downloads their data and finds the request reference in it", async () => {
    const reference = need(state.reference, "a request");
    state.total = await insightsTotal();
    const page = browser.page();
    const response = await visit(page, "/account/data", javaScript);
    expect(response?.status()).toBe(200);
    await expectText(page.getByRole("heading", { level: 1 }), "Your data");
    await a11y(page, "your data");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download your data" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^staywell-your-data-\d{4}-\d\d-\d\d\.zip$/);
    const files = unzip(await readFile(need(await download.path(), "the downloaded file")));
    expect(files["your-data.json"]).toContain(reference);
    expect(files["your-data.json"]).toContain(email);
    expect(files["your-data.html"]).toContain(reference);
    expect(files["your-data.html"]).toContain("A payday loan worry.");
  });

  it("deletes the account after entering the password: signed out, the hub no longer sees the name, totals unchanged", async () => {
    const reference = need(state.reference, "a request");
    const totalBefore = need(state.total, "the insights total before");
    const page = browser.page();
    await visit(page, "/account/data", javaScript);
    await submitAndWait(
      page,
      page.getByRole("link", { name: "Delete your account" }),
      (u) => u.pathname === "/account/data/delete",
    );
    await a11y(page, "delete your account");
    // A wrong password: an error, nothing deleted.
    browser.allowConsoleError(/status of 400/);
    await page.getByLabel("Enter your password to confirm").fill("not the right password");
    await page.getByRole("button", { name: "Delete your account" }).click();
    await expectText(page.locator(".nhsuk-error-summary"), "The password is not right");
    await a11y(page, "delete your account with an error");
    await page.getByLabel("Enter your password to confirm").fill(PASSWORD);
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Delete your account" }),
      (u) => u.pathname === "/account-deleted",
    );
    await expectText(page.getByRole("heading", { level: 1 }), "Your account has been deleted");
    await a11y(page, "account deleted");
    // Signed out: the request list asks to sign in.
    await visit(page, "/my/requests", javaScript);
    expect(new URL(page.url()).pathname).toBe("/login");
    // The old password no longer signs in.
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectText(page.locator(".nhsuk-error-summary"), "Enter a correct email address and password");

    // The hub: the request is there, withdrawn, without the person's name or what they wrote.
    const hub = await browser.newSession();
    await signIn(hub, COORDINATOR, DEMO_PASSWORD);
    await visit(hub, `/hub/requests/${reference}`, javaScript);
    const open = hub.getByRole("link", { name: "Open the request" });
    if (await open.count()) await open.click();
    await expectText(hub.getByRole("heading", { level: 1 }), reference);
    await expectText(hub.locator("main"), "Withdrawn");
    const html = await hub.content();
    expect(html).not.toContain(name);
    expect(html).not.toContain(email);
    expect(html).not.toContain("A payday loan worry.");
    await a11y(hub, "hub: the erased person's request");

    expect(await insightsTotal()).toBe(totalBefore);
  });
});
