// Two-step verification in Chromium against the built app (docs/decisions/029): a new account
// (signed up at a partner domain, so no demo account the other journeys use is touched) turns on
// two-step verification at /account/security — the QR code and the key as text, a code computed
// here from that key, 10 recovery codes shown once — signs out, and signs in again: the password
// leads to the code page (no session yet), a wrong code is refused with an NHS.UK error summary,
// and a code computed from the key signs in. axe checks every page on the way. Then, without
// JavaScript: she has lost her phone; the demo administrator proposes resetting her two-step
// verification at /admin/people/<id>/two-step (the button pressed from the keyboard), the second
// demo administrator approves it on /admin, she is told by mail, and the password alone signs her
// in again (MFA_REQUIRED_FOR is empty on this server: that a required role is then sent to set it
// up again is tested in tests/integration/two-step.test.ts).
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { Secret, TOTP } from "otpauth";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { url, useBrowser, visit, waitForHydration, waitForPage } from "./support/browser";
import { extractLink, waitForMail } from "./support/mail";
import { submitAndWait } from "./support/steps";

const PARTNER_DOMAIN = "uhnm.staywell.test";
const PASSWORD = "violet harbour kettle meadow";
const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const email = `two.step.${stamp}@${PARTNER_DOMAIN}`;
const NAME = "Tess Stepwise";
const ADMIN = "admin@icb.staywell.test";
const SECOND_ADMIN = "admin2@icb.staywell.test";

/** Shared by the two journeys below, in order. */
const journey: { signedInWithCode?: boolean } = {};

function totpFor(secret: string) {
  return new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}
const stepNow = () => Math.floor(Date.now() / 30_000);

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null)
    throw new Error(`This step needs ${what}, which an earlier step did not produce (see its failure).`);
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
        return matches(text) ? true : text.slice(0, 300);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}

describe.sequential("two-step verification: turn it on, then sign in with a computed code", () => {
  const javaScript = true;
  const browser = useBrowser({ javaScript });
  const state: {
    signedIn?: boolean;
    secret?: string;
    setupStep?: number;
    recoveryCodes?: string[];
    signedOut?: boolean;
  } = {};

  async function a11y(page: Page, label: string) {
    const report = await axeReport(page, label);
    if (report) browser.defer(report);
  }

  it("signs up with a work address, chooses a password and signs in", async () => {
    const page = browser.page();
    await visit(page, "/signup", javaScript);
    await page.getByLabel("Work email address").fill(email);
    await page.getByLabel("Full name").fill(NAME);
    await page.getByRole("group", { name: "Staff group" }).getByLabel("Nursing and midwifery", { exact: true }).check();
    const start = page.getByRole("group", { name: "When did you start working for your organisation?" });
    await start.getByLabel("Day", { exact: true }).fill("3");
    await start.getByLabel("Month", { exact: true }).fill("2");
    await start.getByLabel("Year", { exact: true }).fill("2021");
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
    await waitForHydration(page, javaScript);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => u.pathname === "/my/requests");
    state.signedIn = true;
  });

  it("turns on two-step verification with the key shown as text, and sees 10 recovery codes once", async () => {
    need(state.signedIn, "a signed-in account");
    // The wrong code's 400 answer to the form's fetch is logged by Chromium.
    browser.allowConsoleError(/status of 400/);
    const page = browser.page();
    const response = await visit(page, "/account/security", javaScript);
    expect(response?.status()).toBe(200);
    await expectText(page.getByRole("heading", { level: 1 }), "Two-step verification");
    const qr = page.getByRole("img", { name: /QR code/ });
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = (await page.getByTestId("two-step-secret").innerText()).replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await a11y(page, "two-step verification: set up");

    const totp = totpFor(secret);
    const wrong = totp.generate() === "000000" ? "111111" : "000000";
    await page.getByLabel("6-digit code").fill(wrong);
    await page.getByRole("button", { name: "Turn on two-step verification" }).click();
    await expectText(page.locator(".nhsuk-error-summary"), "The code is not right");
    await a11y(page, "two-step verification: wrong code");

    await page.getByLabel("6-digit code").fill(totp.generate());
    state.setupStep = stepNow();
    await page.getByRole("button", { name: "Turn on two-step verification" }).click();
    await expectText(page.locator("main"), "Save your recovery codes");
    const codes = await page.getByRole("list", { name: "Recovery codes" }).locator("li").allInnerTexts();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code.trim()).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await a11y(page, "two-step verification: recovery codes");

    // Shown once: the page opened again says it is on, and lists no codes.
    await visit(page, "/account/security", javaScript);
    await expectText(page.locator("main"), /Two-step verification is on/);
    await expectText(page.locator("main"), "You have 10 unused recovery codes");
    expect(await page.getByRole("list", { name: "Recovery codes" }).count()).toBe(0);
    await a11y(page, "two-step verification: on");
    // She is told by mail (so someone else who turned it on would be noticed).
    const told = await waitForMail(email, { subject: /two-step verification was turned on/i });
    expect(told.body).toContain("If this was not you");
    state.secret = secret;
    state.recoveryCodes = codes;
  });

  it("signs out, and the password alone no longer signs in: the code page asks for a code", async () => {
    const secret = need(state.secret, "two-step verification turned on");
    browser.allowConsoleError(/status of 400/);
    const page = browser.page();
    await submitAndWait(page, page.getByRole("button", { name: "Sign out" }), (u) => u.pathname === "/");
    await visit(page, "/login", javaScript);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => u.pathname === "/login/two-step");
    await waitForHydration(page, javaScript);
    await expectText(page.getByRole("heading", { level: 1 }), "Enter the code from your authenticator app");
    await a11y(page, "sign in: enter your code");

    // Not signed in yet: a page that needs an account sends back to sign in.
    const other = await browser.newSession();
    await other.context().addCookies(await page.context().cookies());
    await other.goto(url("/my/requests"), { waitUntil: "load" });
    expect(new URL(other.url()).pathname).toBe("/login");

    const wrong = totpFor(secret).generate() === "000000" ? "111111" : "000000";
    await page.getByLabel("Code", { exact: true }).fill(wrong);
    await page.getByRole("button", { name: "Continue" }).click();
    await expectText(page.locator(".nhsuk-error-summary"), "The code is not right");
    await a11y(page, "sign in: wrong code");
    state.signedOut = true;
  });

  it("signs in with a code computed from the key", async () => {
    const secret = need(state.secret, "two-step verification turned on");
    need(state.signedOut, "the code page");
    const page = browser.page();
    // The code used to turn it on cannot be used again: wait for the app's next code.
    while (stepNow() <= need(state.setupStep, "the setup step")) await new Promise((r) => setTimeout(r, 500));
    await page.getByLabel("Code", { exact: true }).fill(totpFor(secret).generate());
    await submitAndWait(page, page.getByRole("button", { name: "Continue" }), (u) => u.pathname === "/my/requests");
    await expectText(page.getByRole("heading", { level: 1 }), "Your requests");
    await a11y(page, "signed in after the code");
    journey.signedInWithCode = true;
  });
});

describe.sequential("an administrator resets two-step verification, a second approves it (without JavaScript)", () => {
  const javaScript = false;
  const browser = useBrowser({ javaScript });
  const state: { resetPath?: string; proposed?: boolean; approved?: boolean } = {};
  const SUMMARY = `Reset two-step verification for ${NAME} (${email})`;

  async function a11y(page: Page, label: string) {
    const report = await axeReport(page, label);
    if (report) browser.defer(report);
  }

  async function signIn(page: Page, who: string, password: string, redirectTo: string) {
    await visit(page, `/login?redirectTo=${encodeURIComponent(redirectTo)}`, javaScript);
    await page.getByLabel("Email address").fill(who);
    await page.getByLabel("Password").fill(password);
    await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => !u.pathname.startsWith("/login"));
  }

  it("the first administrator finds her, opens her two-step page and proposes the reset from the keyboard", async () => {
    need(journey.signedInWithCode, "two-step verification turned on and used");
    const page = browser.page();
    await signIn(page, ADMIN, DEMO_PASSWORD, `/admin/people?q=${encodeURIComponent(email)}`);
    await submitAndWait(page, page.getByRole("link", { name: NAME }).first(), (u) =>
      /^\/admin\/people\/[^/]+$/.test(u.pathname),
    );
    await submitAndWait(page, page.getByRole("link", { name: "Two-step verification" }), (u) =>
      u.pathname.endsWith("/two-step"),
    );
    const resetPath = new URL(page.url()).pathname;
    await expectText(page.getByRole("heading", { level: 1 }), "Two-step verification");
    await expectText(page.locator("main"), `${NAME} turned on two-step verification on`);
    await expectText(page.locator("main"), "Check who is asking");
    await a11y(page, "admin: a person's two-step verification");

    const propose = page.getByRole("button", { name: "Propose resetting two-step verification" });
    await propose.focus();
    await Promise.all([
      waitForPage(page, (u) => u.searchParams.get("done") === "proposed"),
      page.keyboard.press("Enter"),
    ]);
    await expectText(page.locator("main"), `Resetting ${NAME}’s two-step verification needs a second administrator`);
    await expectText(page.locator("main"), "A reset is waiting for a second administrator");
    expect(await page.getByRole("button", { name: "Propose resetting two-step verification" }).count()).toBe(0);
    await a11y(page, "admin: a person's two-step verification, reset proposed");

    // Nothing changed yet: her two-step verification is still on (the page says so to anyone who looks).
    await visit(page, resetPath, javaScript);
    await expectText(page.locator("main"), `${NAME} turned on two-step verification on`);
    state.resetPath = resetPath;
    state.proposed = true;
  });

  it("the second administrator approves it on /admin", async () => {
    need(state.proposed, "the proposal made by the first administrator");
    const page = await browser.newSession();
    await signIn(page, SECOND_ADMIN, DEMO_PASSWORD, "/admin");
    const card = page.locator("#proposals ~ ul li", { hasText: SUMMARY });
    await expect.poll(() => card.count()).toBe(1);
    await a11y(page, "admin: a two-step reset to approve");
    await submitAndWait(
      page,
      card.getByRole("button", { name: /^Approve/ }),
      (u) => u.searchParams.get("decided") === "approved",
    );
    await expectText(page.locator(".nhsuk-notification-banner"), "The change has been approved and made.");
    await visit(page, need(state.resetPath, "the reset page's address"), javaScript);
    await expectText(page.locator("main"), `${NAME} does not have two-step verification on`);
    await a11y(page, "admin: a person's two-step verification, after the reset");
    state.approved = true;
  });

  it("she is told by mail, and signs in with her password alone", async () => {
    need(state.approved, "the approved reset");
    const mail = await waitForMail(email, { subject: /two-step verification was reset/i });
    expect(mail.body).toContain("/account/security");
    const page = await browser.newSession();
    await signIn(page, email, PASSWORD, "/my/requests");
    expect(new URL(page.url()).pathname).toBe("/my/requests");
    await visit(page, "/account/security", javaScript);
    await expectText(page.locator("main"), "Two-step verification is off");
    expect(await page.getByRole("img", { name: /QR code/ }).count()).toBe(1);
  });
});
