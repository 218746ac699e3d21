// npx tsx scripts/bench-embedded.ts [--seconds N] [--connections 1,10] [--keep-data]
// Concurrent GETs against the BUILT server on the embedded database with demo data (a fresh
// DATA_DIR, seeded at start): /privacy (no data) and /hub signed in as the demo coordinator, each
// with 1 and 10 connections in a closed loop (each connection sends its next request when the
// last one has finished). Prints req/s, p50 and p95 per page and connection count.
// Written for ADR 022 (PGlite off the event loop): run it before and after a change to compare.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEMO_PASSWORD } from "../db/seed-data/accounts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const COORDINATOR = "coordinator@icb.staywell.test";

function option(name: string, fallback: string) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const seconds = Number(option("seconds", "8"));
const connectionCounts = option("connections", "1,10").split(",").map(Number);
const pages = option("pages", "/privacy,/hub").split(",");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  if (!existsSync(path.join(root, "build/server/index.js"))) throw new Error("Run `npm run build` first.");
  const dataDir = await mkdtemp(path.join(tmpdir(), "staywell-bench-embedded-"));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: baseURL,
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: "true",
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  const server = spawn(
    process.execPath,
    ["--import", pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href, "server.ts"],
    {
      cwd: root,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let output = "";
  server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.on("exit", () => resolve()));
  try {
    const started = performance.now();
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited:\n${output}`);
      try {
        if ((await fetch(`${baseURL}/healthz`)).status === 200) break;
      } catch {
        // not yet
      }
      if (performance.now() - started > 600_000) throw new Error(`server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`server up in ${Math.round(performance.now() - started)} ms (data in ${dataDir})`);

    const login = await fetch(`${baseURL}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseURL },
      body: new URLSearchParams({ email: COORDINATOR, password: DEMO_PASSWORD, redirectTo: "/" }).toString(),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");
    if (!cookie) throw new Error(`sign-in gave ${login.status} and no cookie`);

    // A failed request (not 200, or no answer) is counted and reported, not timed.
    const failures = new Map<string, number>();
    const get = async (page: string) => {
      const t = performance.now();
      try {
        const res = await fetch(`${baseURL}${page}`, { redirect: "manual", headers: { Cookie: cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${page} answered ${res.status}`);
      } catch (err) {
        const key = `${page}: ${(err as Error).message}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
      return performance.now() - t;
    };

    const rows: string[] = [];
    for (const page of pages) for (let i = 0; i < 20; i++) await get(page); // warm-up
    for (const connections of connectionCounts) {
      for (const page of pages) {
        const times: number[] = [];
        const until = performance.now() + seconds * 1000;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: connections }, async () => {
            while (performance.now() < until) times.push(await get(page));
          }),
        );
        const elapsed = (performance.now() - t0) / 1000;
        times.sort((a, b) => a - b);
        const row = `| ${page.padEnd(9)} | ${String(connections).padStart(2)} | ${(times.length / elapsed).toFixed(1).padStart(7)} | ${percentile(times, 50).toFixed(1).padStart(7)} | ${percentile(times, 95).toFixed(1).padStart(7)} | ${String(times.length).padStart(6)} |`;
        console.log(row);
        rows.push(row);
      }
    }
    // Does the database block the server? A file that needs no database (the NHS.UK stylesheet),
    // fetched on one connection while 5 others load /hub: with PGlite on the event loop it waits
    // behind the hub's queries.
    const STATIC = "/nhsuk/nhsuk-frontend.min.css";
    const staticAlone: number[] = [];
    const aloneUntil = performance.now() + seconds * 1000;
    while (performance.now() < aloneUntil) staticAlone.push(await get(STATIC));
    const staticBusy: number[] = [];
    let hubDone = 0;
    const busyUntil = performance.now() + seconds * 1000;
    await Promise.all([
      (async () => {
        while (performance.now() < busyUntil) staticBusy.push(await get(STATIC));
      })(),
      ...Array.from({ length: 5 }, async () => {
        while (performance.now() < busyUntil) {
          await get("/hub");
          hubDone++;
        }
      }),
    ]);
    for (const [label, times] of [
      ["static alone", staticAlone],
      ["static + 5×/hub", staticBusy],
    ] as const) {
      times.sort((a, b) => a - b);
      rows.push(
        `| ${label} | 1 | ${(times.length / seconds).toFixed(1)} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${times.length} |`,
      );
    }
    rows.push(`| (/hub alongside) | 5 | ${(hubDone / seconds).toFixed(1)} | | | ${hubDone} |`);
    console.log("\n| page      | conns | req/s | p50 ms | p95 ms | requests |\n|---|---|---|---|---|---|");
    for (const row of rows) console.log(row);
    for (const [failure, count] of failures) console.log(`failed ${count}×: ${failure}`);
  } finally {
    server.kill("SIGTERM");
    await exited;
    if (server.exitCode !== 0) console.error(`server stopped with code ${server.exitCode}:\n${output.slice(-2000)}`);
    if (!process.argv.includes("--keep-data")) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
