// Real HTTP timings of /hub's views through a RUNNING built server (docs/performance/hub-queue.md):
//
//   node node_modules/tsx/dist/cli.mjs scripts/time-hub-http.ts http://127.0.0.1:3111 [--n=40] [--concurrency=20] [--only=open,closed]
//
// Signs in as each demo hub coordinator (coordinator@icb: most requests; psych.coordinator@icb: one
// team) with the demo password, then per view: "alone" = --n sequential GETs (p50, p95), and "under
// load" = --concurrency connections each doing --n GETs alternating the view and the bare route
// (/privacy), giving req/s of each and their ratio. Any answer but 200 stops the script.
// Start the server yourself first (npm run build, then NODE_ENV=production DATABASE_URL=… PORT=… npm start).
// The bench of record is `npm run bench`; this is a quick check for one page family.
import { DEMO_PASSWORD } from "../db/seed-data/accounts";

const args = process.argv.slice(2);
const base = args.find((a) => !a.startsWith("--"));
const N = Number(args.find((a) => a.startsWith("--n="))?.slice(4) ?? 40);
const CONCURRENCY = Number(args.find((a) => a.startsWith("--concurrency="))?.slice(14) ?? 20);
if (!base) {
  console.error("time-hub-http needs the base URL of a running server, e.g. http://127.0.0.1:3111");
  process.exit(2);
}

const ONLY = args.find((a) => a.startsWith("--only="))?.slice(7);
const ALL_VIEWS: [string, string][] = [
  ["open (default)", "/hub"],
  ["overdue", "/hub?overdue=1"],
  ["assigned to me", "/hub?assignee=me"],
  ["My work", "/hub?view=mine"],
  ["closed", "/hub?status=closed"],
  ["withdrawn", "/hub?status=withdrawn"],
  ["all", "/hub?status=all"],
  ["search number", "/hub?status=all&q=12345"],
  ["search prefix", "/hub?status=all&q=SW-2026-001"],
];
/** --only=open,closed: a subset of the views by the start of their title. */
const VIEWS = ONLY ? ALL_VIEWS.filter(([t]) => ONLY.split(",").some((o) => t.startsWith(o))) : ALL_VIEWS;

async function signIn(email: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base! },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "/" }).toString(),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
  if (cookies.length === 0) throw new Error(`Signing in as ${email} gave ${res.status} and no cookie`);
  return cookies.join("; ");
}

async function get(path: string, cookie: string): Promise<number> {
  const s = performance.now();
  const res = await fetch(`${base}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
  await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  return performance.now() - s;
}

const pct = (times: number[], p: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main() {
  for (const email of ["coordinator@icb.staywell.test", "psych.coordinator@icb.staywell.test"]) {
    const cookie = await signIn(email);
    console.log(
      `\n## ${email}  (alone: ${N} sequential GETs; under load: ${CONCURRENCY} connections alternating with /privacy)`,
    );
    for (let i = 0; i < 3; i++) await get("/privacy", cookie);
    const bareAlone: number[] = [];
    for (let i = 0; i < N; i++) bareAlone.push(await get("/privacy", cookie));
    console.log(
      `bare route /privacy alone: p50 ${pct(bareAlone, 50).toFixed(0)} ms, p95 ${pct(bareAlone, 95).toFixed(0)} ms`,
    );
    console.log("| view | alone p50 ms | alone p95 ms | under load req/s (view / bare) | ratio |");
    console.log("|---|---|---|---|---|");
    for (const [title, path] of VIEWS) {
      for (let i = 0; i < 3; i++) await get(path, cookie); // warm
      const alone: number[] = [];
      for (let i = 0; i < N; i++) alone.push(await get(path, cookie));
      // Under load: each connection alternates the view and the bare route; each route's rate is its
      // completed requests over its own summed busy time per connection.
      const busy = { view: 0, bare: 0 };
      const done = { view: 0, bare: 0 };
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, c) => {
          for (let i = 0; i < N; i++) {
            const first = (i + c) % 2 === 0;
            for (const which of first ? (["view", "bare"] as const) : (["bare", "view"] as const)) {
              busy[which] += await get(which === "view" ? path : "/privacy", cookie);
              done[which] += 1;
            }
          }
        }),
      );
      const wall = (performance.now() - started) / 1000;
      // Throughput of each route at this concurrency: requests / (its share of busy time spread over the connections).
      const rate = (k: "view" | "bare") => done[k] / (busy[k] / 1000 / CONCURRENCY);
      console.log(
        `| ${title} | ${pct(alone, 50).toFixed(0)} | ${pct(alone, 95).toFixed(0)} | ${rate("view").toFixed(0)} / ${rate("bare").toFixed(0)} | ${(rate("view") / rate("bare")).toFixed(2)} |`,
      );
      void wall;
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
