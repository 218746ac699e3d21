// /admin/retention in Chromium against the built app, with and without JavaScript: the demo
// administrator reaches "Data retention" from the administration menu and finds every rule of the
// schedule with its period, and the last run (or that there has been none yet); the page passes
// axe. The job itself, the hold and the page's authorization are covered against both databases in
// tests/integration/retention.test.ts.
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { signIn } from "./support/steps";
import { useBrowser, waitForPage } from "./support/browser";

for (const javaScript of [true, false]) {
  describe(`/admin/retention with JavaScript ${javaScript ? "on" : "off"}`, () => {
    const browser = useBrowser({ javaScript });

    it("is reached from the administration menu, shows the schedule and the last run, and passes axe", async () => {
      const page = browser.page();
      await signIn(page, "admin@icb.staywell.test", DEMO_PASSWORD, javaScript, "/admin");
      expect(new URL(page.url()).pathname).toBe("/admin");
      await Promise.all([
        waitForPage(page, (u) => u.pathname === "/admin/retention"),
        page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Data retention" }).click(),
      ]);
      await expect.poll(() => page.locator("h1").first().innerText(), { timeout: 20_000 }).toBe("Data retention");

      const schedule = page.getByRole("table", { name: "Retention schedule" });
      for (const rule of [
        "Closed and withdrawn requests",
        "Sign-in sessions",
        "Email verification, password reset and change-of-address links; two-step sign-in challenges",
        "Sign-in and sign-up attempts",
        "Sent and failed mail",
        "Requests for access",
        "Accounts never confirmed",
        "Disabled accounts",
        "Leaving questionnaires",
        "Leavers' consent to be contacted about coming back",
        "Leaving questionnaire links",
        "First-year check-ins",
      ]) {
        expect(await schedule.getByRole("rowheader", { name: rule }).count(), rule).toBe(1);
      }
      expect(await schedule.getByText("24 months after the request was closed or withdrawn").isVisible()).toBe(true);
      expect(await schedule.getByText("90 days after it was sent").isVisible()).toBe(true);
      // The server's scheduler may or may not have run today's job yet: either is shown plainly.
      const lastRun = page.locator("#last-run + *");
      const text = await lastRun.innerText();
      expect(text === "The job has not run yet." || /Started[\s\S]*Finished[\s\S]*Result/.test(text), text).toBe(true);
      await expectNoAxeViolations(page, `admin-retention-js-${javaScript ? "on" : "off"}`);
    });
  });
}
