// /admin/mail in Chromium against the built app, with and without JavaScript: the demo admin
// reaches "Mail that could not be sent" from the administration menu; the page renders (with
// nothing failed on a fresh demo database) and passes axe. The list, Send again and its audit are
// covered against both databases in tests/integration/admin-mail.test.ts.
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { signIn } from "./support/steps";
import { useBrowser, waitForPage } from "./support/browser";

for (const javaScript of [true, false]) {
  describe(`/admin/mail with JavaScript ${javaScript ? "on" : "off"}`, () => {
    const browser = useBrowser({ javaScript });

    it("is reached from the administration menu, renders and passes axe", async () => {
      const page = browser.page();
      await signIn(page, "admin@icb.staywell.test", DEMO_PASSWORD, javaScript, "/admin");
      expect(new URL(page.url()).pathname).toBe("/admin");
      await Promise.all([
        waitForPage(page, (u) => u.pathname === "/admin/mail"),
        page
          .getByRole("navigation", { name: "Administration" })
          .getByRole("link", { name: "Mail that could not be sent" })
          .click(),
      ]);
      await expect
        .poll(() => page.locator("h1").first().innerText(), { timeout: 20_000 })
        .toBe("Mail that could not be sent");
      expect(await page.getByText("No message has failed.").isVisible()).toBe(true);
      await expectNoAxeViolations(page, `admin-mail-js-${javaScript ? "on" : "off"}`);
    });
  });
}
