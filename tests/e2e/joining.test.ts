// Joining in Chromium against the built app (docs/decisions/027-joining.md): a nurse signs up with
// an @nhs.net address choosing her organisation, opens the mailed link, chooses a password and
// signs in; an administrator sees her organisation as "Self-declared" in /admin/people. Then a care
// worker with a personal address requests access, an administrator approves it from the queue, and
// the care worker opens the mailed link and signs in. axe checks every new page.
//
// Steps share state in order; a step whose prerequisite failed fails too, naming what it needed.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration } from "./support/browser";
import { extractLink, waitForMail } from "./support/mail";
import { choosePassword, expectText, fillPerson, need, NEW_PASSWORD, signIn, submitAndWait } from "./support/steps";

const ADMIN = "admin@icb.staywell.test";
const stamp = Date.now().toString(36);
const NURSE = `nurse.${stamp}@nhs.net`;
const CARER = `carer.${stamp}@example.com`;
const STARTED = new Date(Date.UTC(2022, 5, 4));

describe.sequential("joining: nhs.net sign-up and request access", () => {
  const javaScript = true;
  const browser = useBrowser({ javaScript });
  const state: { organisation?: string; nurseSignedIn?: boolean; requested?: boolean; approved?: boolean } = {};

  async function a11y(page: Page, label: string) {
    const report = await axeReport(page, label);
    if (report) browser.defer(report);
  }

  it("signs up with an @nhs.net address choosing an organisation, opens the mail link and signs in", async () => {
    const page = browser.page();
    await visit(page, "/signup", javaScript);
    await page.getByLabel("Work email address").fill(NURSE);
    const select = page.getByLabel("Your organisation (nhs.net addresses only)");
    const option = select.locator("option").nth(1);
    state.organisation = (await option.innerText()).trim();
    await select.selectOption({ index: 1 });
    await fillPerson(page, "Grace Okafor", STARTED);
    await a11y(page, "sign up with an nhs.net address");
    await submitAndWait(page, page.getByRole("button", { name: "Create account" }), (u) =>
      u.pathname.startsWith("/signup/check-email"),
    );
    const mail = await waitForMail(NURSE, { subject: /Choose your password/ });
    await choosePassword(page, extractLink(mail, "/verify-email"), javaScript);
    await signIn(page, NURSE, NEW_PASSWORD, javaScript, undefined, { form: true });
    expect(new URL(page.url()).pathname).not.toBe("/login");
    state.nurseSignedIn = true;
  });

  it("an administrator sees her organisation as self-declared in /admin/people", async () => {
    need(state.nurseSignedIn, "the nhs.net sign-up");
    const organisation = need(state.organisation, "the organisation chosen");
    const page = await browser.newSession();
    await signIn(page, ADMIN, DEMO_PASSWORD, javaScript);
    await visit(page, `/admin/people?q=${encodeURIComponent(NURSE)}`, javaScript);
    const row = page.locator("tr", { hasText: "Grace Okafor" });
    await expectText(row, organisation);
    await expectText(row, "Self-declared");
  });

  it("a care worker with a personal address requests access", async () => {
    const page = await browser.newSession();
    await visit(page, "/request-access", javaScript);
    await a11y(page, "request access");
    await page.getByLabel("Email address").fill(CARER);
    await fillPerson(page, "Tomasz Nowak", STARTED);
    await page.getByLabel("If it is not in the list, the organisation you work for").fill("Brookside Care Home");
    await page.getByLabel("Your job or role").fill("Senior care assistant");
    await submitAndWait(page, page.getByRole("button", { name: "Send request" }), (u) =>
      u.pathname.startsWith("/request-access/sent"),
    );
    await expectText(page.locator("main"), "Request sent");
    await a11y(page, "request access: sent");
    await waitForMail(CARER, { subject: /We have your request/ });
    state.requested = true;
  });

  it("an administrator approves it from the queue", async () => {
    need(state.requested, "the access request");
    const page = await browser.newSession();
    await signIn(page, ADMIN, DEMO_PASSWORD, javaScript);
    await visit(page, "/admin/access-requests", javaScript);
    await a11y(page, "admin: access requests queue");
    await submitAndWait(page, page.getByRole("link", { name: "Tomasz Nowak" }), (u) =>
      /^\/admin\/access-requests\/\d+$/.test(u.pathname),
    );
    await waitForHydration(page, javaScript);
    await expectText(page.locator("main"), "Brookside Care Home");
    await a11y(page, "admin: one access request");
    await page.getByLabel("Which organisation do they work for?").selectOption({ index: 1 });
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Approve and send the link" }),
      (u) => u.searchParams.get("done") === "approved",
    );
    await expectText(page.locator(".nhsuk-notification-banner"), "has been sent a link to choose their password");
    await visit(page, "/admin/shared-domains", javaScript);
    await expectText(page.locator("main"), "nhs.net");
    await a11y(page, "admin: shared email domains");
    state.approved = true;
  });

  it("the care worker opens the mailed link, chooses a password and signs in", async () => {
    need(state.approved, "the approval");
    const page = await browser.newSession();
    const mail = await waitForMail(CARER, { subject: /You can now create your StayWell account/ });
    await choosePassword(page, extractLink(mail, "/verify-email"), javaScript);
    await signIn(page, CARER, NEW_PASSWORD, javaScript, undefined, { form: true });
    expect(new URL(page.url()).pathname).not.toBe("/login");
  });
});
