// How many distinct statement texts a hub session sends: the most named prepared statements one
// pooled connection can end up holding for it (postgres.js keeps one per distinct text and types
// per connection; IN lists of different lengths are different texts). docs/decisions/041, addendum
// "PostgreSQL prepares too".
//
//   NODE_ENV=production npx tsx scripts/count-statement-texts.ts --url postgres://…/h_prep_1m [--as coordinator]
//
// Runs the BUILT app (build/server/index.js) in this process through Remix's request handler, as
// scripts/measure-server-cost.ts does, signed in as a demo coordinator, and walks what a
// coordinator does in a day's reading: every queue view and filter, searches, the next pages, the
// request pages of the first rows, My work, the leavers and reservist pages where allowed, the
// account pages. It prints the distinct texts after each step, and the statements sent.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { openDatabase, queryRows, sql } from "../db/client";
import { setDatabase } from "../db/current";
import { STATUS_NAV_ORDER } from "../app/components/hub-queue-table";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
function option(name: string, fallback?: string) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const url = option("url");
const who = option("as", "coordinator")!;
const EMAILS: Record<string, string> = {
  coordinator: "coordinator@icb.staywell.test",
  psych: "psych.coordinator@icb.staywell.test",
  retention: "retention.coordinator@icb.staywell.test",
};
if (!url || process.env.NODE_ENV !== "production" || !EMAILS[who]) {
  console.error(
    "Usage: NODE_ENV=production npx tsx scripts/count-statement-texts.ts --url postgres://… [--as coordinator|psych|retention]",
  );
  process.exit(2);
}

const texts = new Map<string, number>();
let sent = 0;
const handle = await openDatabase({
  url,
  max: 4,
  onQuery: (statement) => {
    sent++;
    texts.set(statement, (texts.get(statement) ?? 0) + 1);
  },
});
setDatabase(handle);
const build = (await import(path.join(root, "build/server/index.js"))) as ServerBuild;
const handler = createRequestHandler(build, "production");
const { startSession } = await import("../app/.server/auth/lucia.server");
const { newRequestId, runWithRequestContext } = await import("../app/.server/log.server");
const [user] = await queryRows<{ id: string }>(handle.db, sql`select id from users where email = ${EMAILS[who]}`);
if (!user) throw new Error(`no demo account ${EMAILS[who]}`);
const cookie = (await startSession(user.id)).split(";")[0]!;
texts.clear();
sent = 0;

async function get(pathname: string): Promise<string> {
  const request = new Request(`http://localhost:3000${pathname}`, { headers: { Cookie: cookie } });
  return runWithRequestContext({ requestId: newRequestId() }, async () => {
    const response = await handler(request, { clientAddress: "127.0.0.1", cspNonce: "count" });
    return response.status === 200 ? await response.text() : "";
  });
}
const links = (html: string, pattern: RegExp) => [
  ...new Set([...html.matchAll(pattern)].map((m) => m[1]!.replace(/&amp;/g, "&"))),
];
let pages = 0;
async function step(title: string, paths: string[]) {
  for (const p of paths) {
    await get(p);
    pages++;
  }
  console.log(`| ${title} | ${paths.length} | ${pages} | ${texts.size} |`);
}

console.log(`${EMAILS[who]} on ${url.replace(/\/\/[^@]*@/, "//")}\n`);
console.log("| step | pages | pages so far | distinct statement texts so far |");
console.log("| --- | ---: | ---: | ---: |");
const first = await get("/hub");
await step("/hub (default view), twice", ["/hub", "/hub"]);
await step(
  "each status",
  STATUS_NAV_ORDER.map((s) => `/hub?status=${s}`),
);
await step("assignee me / unassigned, overdue, urgent", [
  "/hub?assignee=me",
  "/hub?assignee=unassigned",
  "/hub?overdue=1",
  "/hub?urgent=1",
  "/hub?overdue=1&urgent=1&assignee=me",
]);
const selectOptions = (html: string, name: string) => {
  const select = new RegExp(`<select[^>]*name="${name}"[\\s\\S]*?</select>`).exec(html);
  return select ? links(select[0], /<option value="([^"]+)"/g).filter(Boolean) : [];
};
const offers = selectOptions(first, "offer");
const organisations = selectOptions(first, "organisation");
await step(
  `each offer filter (${offers.length})`,
  offers.map((o) => `/hub?offer=${o}`),
);
await step(
  `each organisation filter (${organisations.length})`,
  organisations.map((o) => `/hub?organisation=${o}`),
);
const reference = links(first, /href="\/hub\/requests\/(SW-[0-9]+-[0-9]+)"/g)[0] ?? "SW-2026-000001";
await step("searches (reference, number, prefix, words)", [
  `/hub?status=all&q=${reference}`,
  `/hub?status=all&q=${reference.slice(-5)}`,
  "/hub?status=all&q=SW-2023",
  "/hub?q=physio",
  "/hub?status=closed&q=SW-2024-1",
]);
const next = async (start: string, n: number) => {
  const out: string[] = [];
  let html = await get(start);
  for (let i = 0; i < n; i++) {
    const link = links(html, /href="(\/hub\?[^"]*cursor=[^"]+)"/g).at(-1);
    if (!link) break;
    out.push(link);
    html = await get(link);
  }
  return out;
};
await step("next pages (3 forward, default and closed)", [
  ...(await next("/hub", 3)),
  ...(await next("/hub?status=closed", 3)),
]);
await step("My work", ["/hub?view=mine"]);
await step(
  "request pages of the first page (25)",
  links(first, /href="(\/hub\/requests\/SW-[0-9]+-[0-9]+)"/g).slice(0, 25),
);
await step("leavers, reservists, account, home, support", [
  "/hub/leavers",
  "/hub/reservists",
  "/account",
  "/",
  "/support",
  "/privacy",
]);
console.log(`\n${sent} statements sent, ${texts.size} distinct texts; the most repeated:`);
for (const [text, n] of [...texts].sort((a, b) => b[1] - a[1]).slice(0, 5))
  console.log(`  ${n}× ${text.replace(/\s+/g, " ").slice(0, 140)}`);
await handle.close();
