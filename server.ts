// The StayWell server: opens the database (embedded PGlite or PostgreSQL), migrates, seeds demo
// data on an empty database, serves the Remix app with express, delivers the mail outbox, and on
// SIGTERM stops taking requests, finishes those in flight, and closes the database.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { openConfiguredDatabase } from "./db/open-from-env";
import { DatabaseLockedError, queryRows, sql } from "./db/client";
import { setDatabase } from "./db/current";
import { env } from "./app/.server/env";
import { isAllowedOrigin } from "./app/.server/csrf.server";
import { headersAndTransport, precompressed } from "./app/.server/headers.server";
import { deliverDueMail } from "./app/.server/mail/outbox.server";
import { healthReport } from "./app/.server/health.server";
import { createTransport } from "./app/.server/mail/transport.server";
import { deleteExpiredSessions } from "./app/.server/auth/lucia.server";
import { runScheduledJobs } from "./app/.server/jobs/scheduler.server";

const root = path.dirname(fileURLToPath(import.meta.url));
const config = env();
const production = config.NODE_ENV === "production";

let database;
try {
  database = await openConfiguredDatabase();
} catch (err) {
  if (err instanceof DatabaseLockedError) {
    console.error(`\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
const handle = database;
setDatabase(handle);
await handle.migrate();

let seededAccounts: { email: string; description: string }[] = [];
if (config.SEED_DEMO_DATA) {
  const { seedDemoData } = await import("./db/seed");
  const { DEMO_ACCOUNTS } = await import("./db/seed-data/accounts");
  // Demo data goes into an empty database only: a database in use is never touched.
  const [{ count }] = await queryRows<{ count: number }>(handle.db, sql`select count(*)::int as count from organisations`);
  if (count === 0) {
    console.log("Empty database: adding the demo data…");
    await seedDemoData(handle.db, { log: (line) => console.log(`[seed] ${line}`) });
  }
  seededAccounts = DEMO_ACCOUNTS.map((a) => ({ email: a.email, description: a.description }));
}

const viteDevServer = production
  ? undefined
  : await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }));

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", "loopback");

app.use((_req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (config.APP_URL.startsWith("https://")) res.setHeader("Strict-Transport-Security", "max-age=31536000");
  next();
});

// ---- Headers and transport (issue 10; docs/decisions/018-headers-and-csp.md) -------------------
// Compression (br/gzip), a per-request CSP nonce with the policy, COOP and CORP, on every response.
// Caching is set with the static files below: hashed build assets (/assets/*) a year and
// immutable, other files an hour or a day, Remix responses (pages, .data) no-store.
app.use(headersAndTransport({ development: !production }));
// ---- end of headers and transport ---------------------------------------------------------------

app.get("/healthz", async (_req, res) => {
  const report = await healthReport(handle);
  res.status(report.status).json(report.body);
});

// CSRF: refuse any state-changing request that does not come from our own pages.
app.use((req, res, next) => {
  if (isAllowedOrigin(req.method, req.get("origin"), config.APP_URL)) return next();
  res.status(403).type("text/plain").send("This request did not come from a StayWell page, so it was refused.");
});

// The NHS.UK stylesheet, served as shipped; it refers to its icons under /assets/images.
// Its @font-face rules load Frutiger from assets.nhs.uk: they are left out, so no page makes a
// third-party request (staff privacy, and networks that block it); the stack falls back to Arial.
const nhsukDist = path.join(root, "node_modules/nhsuk-frontend/dist/nhsuk");
const nhsukCss = readFileSync(path.join(nhsukDist, "nhsuk-frontend.min.css"), "utf8").replace(/@font-face\{[^}]*\}/g, "");
// Compressed once at start-up at the highest settings (ADR 018).
app.get("/nhsuk/nhsuk-frontend.min.css", precompressed(nhsukCss, "css", "public, max-age=86400"));
if (viteDevServer) {
  app.use(viteDevServer.middlewares);
} else {
  app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
}
app.use("/assets", express.static(path.join(nhsukDist, "assets"), { maxAge: "1d" }));

const build = viteDevServer
  ? () => viteDevServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(path.join(root, "build/server/index.js"))) as ServerBuild);
// Pages hold personal and sensitive details: never kept in a shared computer's cache or history
// after sign-out. (Only Remix responses: the static files above keep their own caching.)
app.use((_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
});
app.all(
  "*",
  createRequestHandler({ build, mode: config.NODE_ENV, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }) }),
);

// Last resort for errors outside Remix (a malformed request body, say): a plain page, no stack.
app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  console.error(err);
  if (res.headersSent) return;
  res
    .status(500)
    .type("html")
    .send(
      '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Sorry, there is a problem with the service – StayWell</title></head>' +
        '<body><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p><p><a href="/">Go to the StayWell home page</a></p></body></html>',
    );
});

// Mail outbox worker: any instance may run it; rows are claimed with SKIP LOCKED.
const transport = createTransport();
let delivering: Promise<unknown> | undefined;
const outboxTimer = setInterval(() => {
  if (delivering) return;
  delivering = deliverDueMail(transport)
    .catch((err) => console.error("[mail] outbox delivery failed", err))
    .finally(() => (delivering = undefined));
}, 1000);
// Scheduled jobs (the daily digest from 07:00 London): every instance checks each minute; the
// job_runs claim makes each run happen once across instances.
let scheduling: Promise<unknown> | undefined;
const scheduleTimer = setInterval(() => {
  if (scheduling) return;
  scheduling = runScheduledJobs()
    .catch((err) => console.error("[jobs] scheduled jobs failed", err))
    .finally(() => (scheduling = undefined));
}, 60_000);
const sessionSweep = setInterval(() => void deleteExpiredSessions().catch(() => {}), 60 * 60 * 1000);

const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const lines = [
    "",
    `StayWell is running at http://localhost:${port} (${production ? "production" : "development"} build)`,
    `Database: ${handle.kind === "pglite" ? "embedded PGlite" : "PostgreSQL"} at ${handle.location}`,
  ];
  if (seededAccounts.length) {
    lines.push("Demo accounts (password: staywell-demo-2026):");
    for (const account of seededAccounts) lines.push(`  ${account.email.padEnd(36)} ${account.description}`);
  }
  if (!config.SMTP_URL) lines.push(`Mail is written to ${path.resolve(config.DATA_DIR, "mail")} (no SMTP_URL set).`);
  console.log(lines.join("\n") + "\n");
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: finishing requests in flight, then stopping.`);
  const force = setTimeout(() => {
    console.error("Requests still running after 10 s; stopping anyway.");
    process.exit(1);
  }, 10_000);
  force.unref();
  clearInterval(outboxTimer);
  clearInterval(scheduleTimer);
  clearInterval(sessionSweep);
  server.close(async () => {
    try {
      await delivering;
      await scheduling;
      await viteDevServer?.close();
      await handle.close();
      console.log("Stopped.");
      process.exit(0);
    } catch (err) {
      console.error(err);
      process.exit(1);
    }
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
