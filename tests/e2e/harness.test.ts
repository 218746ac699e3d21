// The browser-test harness itself: the built server answers, pages load in Chromium with and
// without JavaScript, and axe runs in both.
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "@db/seed-data/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { e2e, url, useBrowser, visit } from "./support/browser";

describe("harness", () => {
  it("the built server answers /healthz: up to anyone, the database and outbox to an administrator", async () => {
    const res = await fetch(url("/healthz"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    // Signed in as the demo administrator (a plain form POST, as a browser without JavaScript sends it).
    const login = await fetch(url("/login"), {
      method: "POST",
      redirect: "manual",
      headers: { Origin: new URL(url("/")).origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "admin@icb.staywell.test", password: DEMO_PASSWORD }).toString(),
    });
    expect(login.status).toBe(302);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const admin = await fetch(url("/healthz"), { headers: { Cookie: cookie } });
    expect(admin.status).toBe(200);
    const body = (await admin.json()) as {
      database: { kind: string; reachable: boolean };
      mailOutbox: { pending: number; failed: number };
    };
    expect(body.database).toMatchObject({ kind: e2e().database, reachable: true });
    expect(typeof body.mailOutbox.failed).toBe("number");
  });

  it("refuses a POST without our Origin (CSRF)", async () => {
    const res = await fetch(url("/logout"), {
      method: "POST",
      headers: { Origin: "https://evil.example" },
      redirect: "manual",
    });
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
