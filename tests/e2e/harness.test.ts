// The browser-test harness itself: the built server answers, pages load in Chromium with and
// without JavaScript, and axe runs in both.
import { describe, expect, it } from "vitest";
import { expectNoAxeViolations } from "./support/axe";
import { e2e, url, useBrowser, visit } from "./support/browser";

describe("harness", () => {
  it("the built server reports a reachable database on /healthz", async () => {
    const res = await fetch(url("/healthz"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { database: { kind: string; reachable: boolean } };
    expect(body.database).toMatchObject({ kind: e2e().database, reachable: true });
  });

  it("refuses a POST without our Origin (CSRF)", async () => {
    const res = await fetch(url("/logout"), { method: "POST", headers: { Origin: "https://evil.example" }, redirect: "manual" });
    expect(res.status).toBe(403);
  });
});

for (const javaScript of [true, false]) {
  describe(`home page with JavaScript ${javaScript ? "on" : "off"}`, () => {
    const browser = useBrowser({ javaScript });
    it("renders, hydrates when it can, and passes axe", async () => {
      const page = browser.page();
      const response = await visit(page, "/", javaScript);
      expect(response?.status()).toBe(200);
      expect(await page.locator("h1").first().isVisible()).toBe(true);
      expect(await page.locator("html").getAttribute("data-hydrated")).toBe(javaScript ? "true" : null);
      await expectNoAxeViolations(page, "home");
    });
  });
}
