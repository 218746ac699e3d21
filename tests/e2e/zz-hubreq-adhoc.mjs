import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
const base = "http://localhost:3947";
const ref = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
async function signIn(ctx, email) {
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error") console.log("CONSOLE", email, m.text()); });
  page.on("pageerror", (e) => console.log("PAGEERROR", e.message));
  await page.goto(base + "/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("staywell-demo-2026");
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}
const ctxA = await browser.newContext();
const a = await signIn(ctxA, "coordinator@icb.staywell.test");
await a.goto(`${base}/hub/requests/${ref}`);
await a.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
const axe = await new AxeBuilder({ page: a }).withTags(["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22a","wcag22aa"]).analyze();
console.log("axe violations:", axe.violations.map((v) => `${v.id}: ${v.nodes.map(n=>n.target.join(" ")).join(", ")}`));
// canned link
const canned = a.locator('a[href*="canned="]').first();
if (await canned.count()) {
  await a.getByText("Start from a ready-made message").click();
  await canned.click();
  await a.waitForURL(/canned=/);
  console.log("textarea after canned:", (await a.locator("#message").inputValue()).slice(0, 60));
}
// client validation: empty note
await a.locator("#note").fill("");
await a.getByRole("button", { name: "Add internal note" }).click();
await a.waitForTimeout(300);
console.log("note error:", await a.locator(".nhsuk-error-summary").first().innerText().catch(() => "none"));
// second coordinator in another context changes it meanwhile
const ctxB = await browser.newContext();
const b = await signIn(ctxB, "coordinator@icb.staywell.test");
await b.goto(`${base}/hub/requests/${ref}`);
await b.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
await b.locator("#note").fill("Note from the other tab");
await b.getByRole("button", { name: "Add internal note" }).click();
await b.waitForURL(/done=note/);
console.log("B banner:", await b.locator(".nhsuk-notification-banner").innerText());
// A now sends a message on the stale version
console.log("A version before:", await a.locator('input[name=version]').first().getAttribute("value"));
a.on("request", (r) => { if (r.url().includes(".data")) console.log("REQ", r.method(), r.url()); });
a.on("response", (r) => { if (r.url().includes(".data")) console.log("RES", r.status(), r.url()); });
await a.locator("#message").fill("Stale message typed in A");
await a.getByRole("button", { name: /Send message to/ }).click();
await a.waitForTimeout(1500);
console.log("A summary:", await a.locator(".nhsuk-error-summary").first().innerText().catch(() => "none"));
console.log("router state:", await a.evaluate(() => { const s = window.__remixRouter.state; const d = s.loaderData["routes/hub.requests.$reference"]; return JSON.stringify({ v: d?.request?.version, n: d?.request?.timeline?.length, nav: s.navigation.state, rev: s.revalidation, errors: s.errors }); }));
await a.waitForTimeout(3000);
console.log("DOM:", await a.evaluate(() => JSON.stringify({ versions: [...document.querySelectorAll("input[name=version]")].map((i) => i.value + "/" + i.getAttribute("value")), lis: document.querySelectorAll(".staywell-hub-timeline > li").length })));
console.log("A textarea kept:", await a.locator("#message").inputValue());
console.log("A version now:", await a.locator('input[name=version]').first().getAttribute("value"), "note in timeline:", await a.getByText("Note from the other tab").count());
// resubmit succeeds
await a.getByRole("button", { name: /Send message to/ }).click();
await a.waitForURL(/done=message/);
console.log("A banner:", await a.locator(".nhsuk-notification-banner").innerText(), "textarea:", JSON.stringify(await a.locator("#message").inputValue()));
// close without outcome (client) then with
await a.getByLabel("Closed").check();
await a.getByRole("button", { name: "Change status" }).click();
await a.waitForTimeout(300);
console.log("close error:", await a.locator(".nhsuk-error-summary").first().innerText().catch(() => "none"));
await a.getByLabel("No response").check();
await a.getByRole("button", { name: "Change status" }).click();
await a.waitForURL(/done=status/);
console.log("status now:", await a.locator("h1 + p").innerText());
const axe2 = await new AxeBuilder({ page: a }).withTags(["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22a","wcag22aa"]).analyze();
console.log("axe violations 2:", axe2.violations.map((v) => `${v.id}: ${v.nodes.map(n=>n.target.join(" ")).join(", ")}`));
await browser.close();
