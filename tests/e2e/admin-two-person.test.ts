// The two-person rule in Chromium against the built app (docs/decisions/009-two-person-rule-for-confidential-support.md):
// the demo admin (admin@icb) adds a coordinator to the psychological wellbeing hub team, which
// handles confidential support: the page says the change needs a second administrator, and the
// coordinator is NOT a member; on /admin the proposer can only withdraw it; the second demo admin
// (admin2@icb) approves it there, and the coordinator is then listed in the team. axe checks the
// team page with its banner and both views of /admin. Then, without JavaScript, the second admin
// proposes adding another colleague and the first declines it: plain forms both ways. Last, the
// first admin chooses "Administrator" for a colleague: it is proposed (her role unchanged), and the
// second admin sees it with Approve / Decline and declines it.
//
// The coordinator added is a generated demo colleague (daniel.mensah@icb: cannot sign in), so the
// other browser journeys, which sign in as the demo coordinators, see the same hub as before.
//
// Steps share state in order; a step whose prerequisite failed fails too, naming what it needed.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration } from "./support/browser";
import { rememberSession, reuseSession } from "./support/session";
import { submitAndWait } from "./support/steps";

const ADMIN = "admin@icb.staywell.test";
const SECOND_ADMIN = "admin2@icb.staywell.test";
const TEAM = "Psychological wellbeing hub";
const JOINER = "Daniel Mensah";
const JOINER_EMAIL = "daniel.mensah@icb.staywell.test";
const SUMMARY = `Add ${JOINER} (${JOINER_EMAIL}) to team ${TEAM}`;

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === false) {
    throw new Error(`This step needs ${what}, which an earlier step did not produce (see its failure).`);
  }
  return value;
}

async function expectText(locator: Locator, expected: string) {
  await expect
    .poll(
      async () => {
        const text = await locator
          .first()
          .innerText()
          .catch(() => "");
        return text.includes(expected) ? true : text.slice(0, 400);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}

async function signIn(page: Page, email: string, javaScript: boolean, redirectTo: string) {
  if (await reuseSession(page, email, javaScript, redirectTo)) return;
  await visit(page, `/login?redirectTo=${encodeURIComponent(redirectTo)}`, javaScript);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await submitAndWait(page, page.getByRole("button", { name: "Sign in" }), (u) => !u.pathname.startsWith("/login"));
  await waitForHydration(page, javaScript);
  await rememberSession(page, email, redirectTo);
}

/** The names in the team's members table. */
async function memberNames(page: Page): Promise<string> {
  const table = page.locator("section[aria-labelledby='team-members'] table");
  return (await table.count()) ? table.innerText() : "";
}

describe.sequential("two administrators: adding a coordinator to the psychological wellbeing hub team", () => {
  const javaScript = true;
  const browser = useBrowser({ javaScript });
  const state: { teamPath?: string; proposed?: boolean } = {};

  async function a11y(page: Page, label: string) {
    const report = await axeReport(page, label);
    if (report) browser.defer(report);
  }

  it("admin A adds Daniel Mensah: the change is proposed, and he is not in the team", async () => {
    const page = browser.page();
    await signIn(page, ADMIN, javaScript, "/admin/teams");
    await submitAndWait(page, page.getByRole("link", { name: TEAM }), (u) => /^\/admin\/teams\/\d+$/.test(u.pathname));
    await waitForHydration(page, javaScript);
    state.teamPath = new URL(page.url()).pathname;
    expect(await memberNames(page)).not.toContain(JOINER);
    await expectText(page.locator("main"), "This team handles confidential support");

    // Find him (the list of candidates is capped), choose him, add.
    await page.getByLabel("Find by name or email").fill("daniel");
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Search" }),
      (u) => u.searchParams.get("q") === "daniel",
    );
    await waitForHydration(page, javaScript);
    await page.getByLabel("Person to add").selectOption({ label: `${JOINER} (${JOINER_EMAIL}) – Coordinator` });
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Add to team" }),
      (u) => u.searchParams.get("done") === "member_proposed",
    );
    await waitForHydration(page, javaScript);
    await expectText(
      page.locator(".nhsuk-notification-banner"),
      "This needs a second administrator: your change has been proposed",
    );
    expect(await memberNames(page)).not.toContain(JOINER);
    state.proposed = true;
    await a11y(page, "admin: team page after proposing a member");
    await page.screenshot({ path: "/tmp/admin-two-person-proposed.png", fullPage: true }).catch(() => {});
  });

  it("on /admin, admin A sees the proposal with who, when, what and expiry, and can only withdraw it", async () => {
    need(state.proposed, "the proposal made by admin A");
    const page = browser.page();
    await visit(page, "/admin", javaScript);
    const card = page.locator("#proposals ~ ul li", { hasText: SUMMARY });
    await expect.poll(() => card.count()).toBe(1);
    await expectText(card, "Helen Price (admin@icb.staywell.test) – you");
    await expectText(card, "Expires");
    await expectText(card, "After approval: Open to them");
    expect(await card.getByRole("button", { name: /^Approve/ }).count()).toBe(0);
    expect(await card.getByRole("button", { name: /^Withdraw/ }).count()).toBe(1);
    await a11y(page, "admin: overview with the proposer's own proposal");
    await page.screenshot({ path: "/tmp/admin-two-person-overview.png", fullPage: true }).catch(() => {});
  });

  it("admin B approves it on /admin, and Daniel Mensah is then listed in the team", async () => {
    need(state.proposed, "the proposal made by admin A");
    const teamPath = need(state.teamPath, "the team page's address");
    const page = await browser.newSession();
    await signIn(page, SECOND_ADMIN, javaScript, "/admin");
    const card = page.locator("#proposals ~ ul li", { hasText: SUMMARY });
    await expect.poll(() => card.count()).toBe(1);
    await expectText(card, "Helen Price (admin@icb.staywell.test)");
    await a11y(page, "admin: overview with a proposal to approve");
    await submitAndWait(
      page,
      card.getByRole("button", { name: /^Approve/ }),
      (u) => u.searchParams.get("decided") === "approved",
    );
    await waitForHydration(page, javaScript);
    await expectText(page.locator(".nhsuk-notification-banner"), "The change has been approved and made.");
    expect(await page.locator("#proposals ~ ul li", { hasText: SUMMARY }).count()).toBe(0);

    await visit(page, teamPath, javaScript);
    await expect.poll(() => memberNames(page)).toContain(JOINER);
  });
});

describe.sequential("without JavaScript: a proposal is made and declined with plain forms", () => {
  const javaScript = false;
  const browser = useBrowser({ javaScript });
  const GEMMA = "Gemma Hulme";
  const GEMMA_SUMMARY = `Add ${GEMMA} (gemma.hulme@icb.staywell.test) to team ${TEAM}`;
  const state: { proposed?: boolean } = {};

  it("admin B proposes adding Gemma Hulme to the psychological wellbeing hub team", async () => {
    const page = browser.page();
    await signIn(page, SECOND_ADMIN, javaScript, "/admin/teams");
    await submitAndWait(page, page.getByRole("link", { name: TEAM }), (u) => /^\/admin\/teams\/\d+$/.test(u.pathname));
    await page.getByLabel("Find by name or email").fill("gemma");
    await submitAndWait(page, page.getByRole("button", { name: "Search" }), (u) => u.searchParams.get("q") === "gemma");
    await page
      .getByLabel("Person to add")
      .selectOption({ label: `${GEMMA} (gemma.hulme@icb.staywell.test) – Coordinator` });
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Add to team" }),
      (u) => u.searchParams.get("done") === "member_proposed",
    );
    await expectText(
      page.locator(".nhsuk-notification-banner"),
      "This needs a second administrator: your change has been proposed",
    );
    expect(await memberNames(page)).not.toContain(GEMMA);
    state.proposed = true;
  });

  it("admin A declines it on /admin; Gemma Hulme is not added", async () => {
    need(state.proposed, "the proposal made by admin B");
    const page = await browser.newSession();
    await signIn(page, ADMIN, javaScript, "/admin");
    const card = page.locator("#proposals ~ ul li", { hasText: GEMMA_SUMMARY });
    await expect.poll(() => card.count()).toBe(1);
    await submitAndWait(
      page,
      card.getByRole("button", { name: /^Decline/ }),
      (u) => u.searchParams.get("decided") === "declined",
    );
    await expectText(
      page.locator(".nhsuk-notification-banner"),
      "The proposal has been declined. Nothing was changed.",
    );
    expect(await page.locator("#proposals ~ ul li", { hasText: GEMMA_SUMMARY }).count()).toBe(0);
    await visit(page, "/admin/teams", javaScript);
    await submitAndWait(page, page.getByRole("link", { name: TEAM }), (u) => /^\/admin\/teams\/\d+$/.test(u.pathname));
    expect(await memberNames(page)).not.toContain(GEMMA);
  });
});

describe.sequential("without JavaScript: making someone an administrator is a proposal (ADR 009, F1)", () => {
  const javaScript = false;
  const browser = useBrowser({ javaScript });
  const PERSON = "Gemma Hulme";
  const ROLE_SUMMARY = `Make ${PERSON} (gemma.hulme@icb.staywell.test) an administrator`;
  const state: { proposed?: boolean } = {};

  it("admin A chooses Administrator on Gemma Hulme's page: the change is proposed and her role is unchanged", async () => {
    const page = browser.page();
    await signIn(page, ADMIN, javaScript, "/admin/people?q=gemma.hulme&demo=on");
    await submitAndWait(page, page.getByRole("link", { name: PERSON }).first(), (u) =>
      /^\/admin\/people\/[^/]+$/.test(u.pathname),
    );
    await page.getByLabel("Administrator", { exact: true }).check();
    await submitAndWait(
      page,
      page.getByRole("button", { name: "Change role" }),
      (u) => u.searchParams.get("done") === "proposed",
    );
    await expectText(
      page.locator(".nhsuk-notification-banner"),
      "This needs a second administrator: your change has been proposed",
    );
    await expectText(page.locator(".nhsuk-summary-list"), "People hub coordinator");
    state.proposed = true;
  });

  it("admin B sees it on /admin with Approve and Decline, and declines it", async () => {
    need(state.proposed, "the proposal made by admin A");
    const page = await browser.newSession();
    await signIn(page, SECOND_ADMIN, javaScript, "/admin");
    const card = page.locator("#proposals ~ ul li", { hasText: ROLE_SUMMARY });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByRole("button", { name: /^Approve/ }).count()).toBe(1);
    await submitAndWait(
      page,
      card.getByRole("button", { name: /^Decline/ }),
      (u) => u.searchParams.get("decided") === "declined",
    );
    expect(await page.locator("#proposals ~ ul li", { hasText: ROLE_SUMMARY }).count()).toBe(0);
  });
});
