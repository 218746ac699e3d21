// Issue 9, part 4 in Chromium against the built app, with and without JavaScript: a second
// request for the same support while one is open.
// - A form opened before the first request was sent (another tab) is held back when sent: the
//   page shows the warning callout (reference, link) and keeps everything typed; sending again
//   makes the request, and the confirmation mentions the open one.
// - A form opened while one is open shows the warning at once; sending it is sending anyway.
// - The offer page mentions the open request next to "Request this support".
// staff2@mpft has no requests in the demo data; each mode uses its own offer, so the two runs
// (same server, same database) do not see each other's requests.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { axeReport } from "./support/axe";
import { useBrowser, visit, waitForHydration } from "./support/browser";
import { signIn, submitAndWait } from "./support/steps";

const STAFF = "staff2@mpft.staywell.test";

function group(page: Page, legend: string): Locator {
  return page.getByRole("group", { name: legend, exact: true });
}

function dateParts(daysFromToday: number) {
  const d = new Date(Date.now() + daysFromToday * 86_400_000);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) };
}

const MODES = [
  { javaScript: true, slug: "flexible-working", title: "Flexible working and shift patterns" },
  { javaScript: false, slug: "carers-support", title: "Support if you are a carer" },
] as const;

/** Fills the offer's form; `words` goes in its first free-text box. */
async function fill(page: Page, slug: string, words: string) {
  if (slug === "flexible-working") {
    await page.getByLabel("What is your current working pattern?").fill(words);
    await page.getByLabel("What working pattern would you like?").fill("No nights, school-day starts after 9:15");
    const date = group(page, "When would you like the new pattern to start?");
    const parts = dateParts(60);
    await date.getByLabel("Day", { exact: true }).fill(parts.day);
    await date.getByLabel("Month", { exact: true }).fill(parts.month);
    await date.getByLabel("Year", { exact: true }).fill(parts.year);
    await page
      .getByLabel("How might the change affect your team, and how could that be managed?")
      .fill("Swap with a colleague");
    await group(page, "How many flexible working requests have you made in the last 12 months?")
      .getByLabel("None", { exact: true })
      .check();
  } else {
    await page.getByLabel("What would you like help with?").fill(words);
  }
  await group(page, "How would you like the people hub to contact you?").getByLabel("Email", { exact: true }).check();
}

const sent = (u: URL) => /^\/my\/requests\/SW-\d{4}-\d+$/.test(u.pathname) && u.searchParams.get("submitted") === "1";
const referenceOf = (page: Page) => decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);

for (const { javaScript, slug, title } of MODES) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  describe.sequential(`a second request for ${slug} while one is open (${mode})`, () => {
    const staff = useBrowser({ javaScript });
    const state: { first?: string } = {};

    async function a11y(page: Page, label: string) {
      const report = await axeReport(page, `${label} (${mode})`);
      if (report) staff.defer(report);
    }

    it("a form opened before the first request was sent is held back with the warning and everything typed; sending again makes it", async () => {
      // The held-back form comes back with status 409 (what the browser logs for it is expected).
      staff.allowConsoleError(/status of 409/);
      const page = staff.page();
      await signIn(page, STAFF, DEMO_PASSWORD, javaScript, `/support/${slug}/request`);
      expect(new URL(page.url()).pathname).toBe(`/support/${slug}/request`);
      // No open request yet: no warning.
      expect(await page.getByTestId("open-request-warning").count()).toBe(0);

      // Meanwhile, in another tab, the first request is sent.
      const other = await staff.context().newPage();
      await visit(other, `/support/${slug}/request`, javaScript);
      await fill(other, slug, `First request (${mode})`);
      await submitAndWait(other, other.getByRole("button", { name: "Send request" }), sent);
      state.first = referenceOf(other);
      await other.close();

      // The first tab's form, typed and sent: held back, nothing sent, the warning, the words kept.
      const words = `Second request <b>kept</b> (${mode}, ${Date.now()})`;
      await fill(page, slug, words);
      await page.getByRole("button", { name: "Send request" }).click();
      const warning = page.getByTestId("open-request-warning");
      await expect.poll(() => warning.count(), { timeout: 20_000 }).toBe(1);
      expect(new URL(page.url()).pathname).toBe(`/support/${slug}/request`);
      const text = (await warning.innerText()).replace(/\s+/g, " ");
      expect(text).toContain(`Your request for ${title} (${state.first}, sent`);
      expect(text).toContain("is still open. Status: new.");
      // Said once: the heading, not repeated in the text.
      expect(text.match(/You already have an open request/g)).toHaveLength(1);
      expect(text).toContain("We have not sent this request yet.");
      expect(
        await warning.getByRole("link", { name: `View your open request ${state.first}` }).getAttribute("href"),
      ).toBe(`/my/requests/${state.first}`);
      const box =
        slug === "flexible-working" ? "What is your current working pattern?" : "What would you like help with?";
      expect(await page.getByLabel(box).inputValue()).toBe(words);
      expect(
        await group(page, "How would you like the people hub to contact you?")
          .getByLabel("Email", { exact: true })
          .isChecked(),
      ).toBe(true);
      if (slug === "flexible-working") {
        expect(
          await group(page, "When would you like the new pattern to start?")
            .getByLabel("Year", { exact: true })
            .inputValue(),
        ).toBe(dateParts(60).year);
      }
      if (javaScript) {
        // Focus moves to the warning, so a screen reader user hears why nothing was sent.
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("open-request");
      }
      await a11y(page, "request form held back by an open request");

      // Send anyway.
      await submitAndWait(page, page.getByRole("button", { name: "Send request" }), sent);
      const second = referenceOf(page);
      expect(second).not.toBe(state.first);
      const also = page.getByTestId("also-open-notice");
      expect((await also.innerText()).replace(/\s+/g, " ")).toContain(
        `You also have an open request for ${title}: ${state.first}`,
      );
      await a11y(page, "request sent while another was open");
    });

    it("the offer page mentions the open request, and a form opened now warns at once and sends anyway", async () => {
      const page = staff.page();
      await visit(page, `/support/${slug}`, javaScript);
      const notice = page.getByTestId("open-request-notice");
      expect(await notice.count()).toBe(1);
      expect(await notice.innerText()).toMatch(/You already have an open request for/);
      await a11y(page, "offer page with an open request");

      await submitAndWait(
        page,
        page.getByRole("link", { name: "Request this support" }),
        (u) => u.pathname === `/support/${slug}/request`,
      );
      await waitForHydration(page, javaScript);
      const warning = page.getByTestId("open-request-warning");
      expect(await warning.count()).toBe(1);
      expect(await warning.innerText()).toContain("You can still send a new request");
      await fill(page, slug, `Third request, sent anyway (${mode})`);
      await submitAndWait(page, page.getByRole("button", { name: "Send request" }), sent);
      expect(await page.locator("main").innerText()).toContain("Request sent");
    });
  });
}
