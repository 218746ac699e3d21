// Steps the browser journeys share: submitting and waiting for the next page, waiting for text,
// signing in, and the parts of a new account (the person's details on /signup and /request-access,
// choosing a password from the mailed link). A journey's own checks stay in its test file.
import { expect } from "vitest";
import type { Locator, Page } from "playwright-core";
import { visit, waitForHydration, waitForPage } from "./browser";
import { rememberSession, reuseSession } from "./session";

/** The password new accounts in the journeys choose. */
export const NEW_PASSWORD = "willow harbour lantern 93";

/** Clicks `button` and waits until the page at an address `expectedUrl` accepts has loaded and rendered. */
export async function submitAndWait(
  page: Page,
  button: Locator,
  expectedUrl: RegExp | ((u: URL) => boolean),
  options: { timeout?: number } = {},
) {
  await Promise.all([waitForPage(page, expectedUrl, options), button.click()]);
}

/**
 * Waits until the first element of `locator` shows `expected` (a part of its text, or a pattern);
 * on failure it says what the element showed. It polls for up to 20 s: a page after a redirect or
 * a hydration on a busy machine; nothing is timed.
 */
export async function expectText(locator: Locator, expected: RegExp | string) {
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

/** The fieldset (radios, checkboxes, a date) whose legend is `legend`. */
export function group(page: Page, legend: string | RegExp): Locator {
  return page.getByRole("group", { name: legend });
}

/** A step's prerequisite from an earlier step; a clear failure when that step failed. */
export function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === false)
    throw new Error(`This step needs ${what}, which an earlier step did not produce (see its failure).`);
  return value;
}

/**
 * Signs in as `email` (to `redirectTo` if given) and waits for the page it opens: with this worker's
 * kept session for them when there is one (support/session.ts), else through the login page, whose
 * session is then kept. `{ form: true }` for a test about signing in, or one that goes on to sign
 * out or change the person's password: always the form, and the session is kept for no one else.
 */
export async function signIn(
  page: Page,
  email: string,
  password: string,
  javaScript: boolean,
  redirectTo?: string,
  options: { form?: boolean } = {},
) {
  if (!options.form && (await reuseSession(page, email, javaScript, redirectTo))) return;
  await visit(page, redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login", javaScript);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => !u.pathname.startsWith("/login"));
  await waitForHydration(page, javaScript);
  if (!options.form) await rememberSession(page, email, redirectTo);
}

/** The person's details on /signup and /request-access: name, staff group (nursing) and start date. */
export async function fillPerson(page: Page, name: string, startDate: Date) {
  await page.getByLabel("Full name").fill(name);
  await group(page, "Staff group").getByLabel("Nursing and midwifery", { exact: true }).check();
  const date = group(page, "When did you start working for your organisation?");
  await date.getByLabel("Day", { exact: true }).fill(String(startDate.getUTCDate()));
  await date.getByLabel("Month", { exact: true }).fill(String(startDate.getUTCMonth() + 1));
  await date.getByLabel("Year", { exact: true }).fill(String(startDate.getUTCFullYear()));
}

/** Opens a mailed "choose your password" link, chooses NEW_PASSWORD and lands on the login page. */
export async function choosePassword(page: Page, link: string, javaScript: boolean) {
  const url = new URL(link);
  await visit(page, url.pathname + url.search, javaScript);
  await page.getByLabel("Create a password").fill(NEW_PASSWORD);
  await page.getByLabel("Enter the password again").fill(NEW_PASSWORD);
  await submitAndWait(
    page,
    page.getByRole("button", { name: "Save password and confirm my email address" }),
    (u) => u.pathname === "/login",
  );
}
