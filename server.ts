// The StayWell server: opens the database (embedded PGlite or PostgreSQL), migrates, seeds demo
// data on an empty database, serves the Remix app with express, delivers the mail outbox, and on
// SIGTERM stops taking requests, finishes those in flight, and closes the database.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { openConfiguredDatabase } from "./db/open-from-env";
import { DatabaseLockedError, queryRows, sql } from "./db/client";
import { setDatabase } from "./db/current";
import { env } from "./app/.server/env";
import { isAllowedOrigin, originMatchesHost } from "./app/.server/csrf.server";
import {
  bodyLimit,
  bodyLimitBytes,
  clientErrorHandler,
  declaresTooLarge,
  refuseTooLarge,
  remixHandler,
  requestTargetGuard,
  streamedUploadFor,
} from "./app/.server/http-guards.server";
import { STREAMED_UPLOADS } from "./app/.server/uploads.server";
import {
  headersAndTransport,
  precompressed,
  precompressedStatic,
  staticUnderBuiltNames,
} from "./app/.server/headers.server";
import { nhsukDistDir, readPrecompressedNhsukCss, servedNhsukCss } from "./app/.server/nhsuk-css.server";
import { deliverDueMail, mailWorkWaiting } from "./app/.server/mail/outbox.server";
import { handlePasswordResetRequests } from "./app/.server/models/account.server";
import { healthReport } from "./app/.server/health.server";
import { createTransport } from "./app/.server/mail/transport.server";
import { deleteExpiredSessions } from "./app/.server/auth/lucia.server";
import { productionTwoStepProblems } from "./app/.server/auth/two-step.server";
import { runScheduledJobs } from "./app/.server/jobs/scheduler.server";
import { log } from "./app/.server/log.server";
import { requestLogging } from "./app/.server/request-log.server";

const root = path.dirname(fileURLToPath(import.meta.url));
const config = env();
const production = config.NODE_ENV === "production";

// A real deployment (production on PostgreSQL) must require two-step verification of coordinators
// and administrators and encrypt its secrets (docs/decisions/029): refuse to start otherwise,
// unless STAYWELL_ALLOW_INSECURE_2SV=1 says so on purpose — then say so at every start.
const twoStepProblems = productionTwoStepProblems(config);
if (twoStepProblems.length > 0) {
  const what = twoStepProblems.join("; ");
  if (config.STAYWELL_ALLOW_INSECURE_2SV) {
    log.warn(
      `INSECURE: two-step verification is not configured for production (${what}). Starting anyway because STAYWELL_ALLOW_INSECURE_2SV=1: never do this for real users.`,
    );
  } else {
    log.fatal(
      `StayWell will not start: a production deployment on PostgreSQL needs two-step verification configured: ${what}. See .env.example and docs/decisions/029. (STAYWELL_ALLOW_INSECURE_2SV=1 starts it anyway, for a rehearsal only.)`,
    );
    process.exit(1);
  }
}

let database;
try {
  database = await openConfiguredDatabase();
} catch (err) {
  if (err instanceof DatabaseLockedError) {
    log.fatal(err.message);
    process.exit(1);
  }
  throw err;
}
const handle = database;
setDatabase(handle);
// Several instances may start together: migrate() takes a PostgreSQL advisory lock, so one applies
// the migrations and the others wait and find nothing to do (docs/decisions/015-production-migrations.md).
// MIGRATE_ON_START=false leaves migrations to a separate `npm run db:migrate` step.
if (config.MIGRATE_ON_START) await handle.migrate();

let seededAccountLines: string[] = [];
if (config.SEED_DEMO_DATA) {
  const { DEMO_ACCOUNTS, demoAccountLines } = await import("./db/seed-data/accounts");
  // Demo data goes into an empty database only: a database in use is never touched. Checked and
  // seeded under the start-up lock, so two instances starting together seed once. The seed's
  // modules are loaded only to seed (~0.3 s of CPU at every other start).
  await handle.runExclusive(async () => {
    const [{ count }] = await queryRows<{ count: number }>(
      handle.db,
      sql`select count(*)::int as count from organisations`,
    );
    if (count === 0) {
      log.info("empty database: adding the demo data");
      const { seedDemoData } = await import("./db/seed");
      await seedDemoData(handle.db, { log: (line) => log.info({ job: "seed" }, line) });
    }
  });
  seededAccountLines = demoAccountLines(DEMO_ACCOUNTS);
}

const viteDevServer = production
  ? undefined
  : await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }));

const app = express();
app.disable("x-powered-by");
// Whose X-Forwarded-For names the client (ADR 017): a number of hops, or addresses / CIDR ranges.
app.set(
  "trust proxy",
  /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY.split(",").map((p) => p.trim()),
);
const bodyLimitInBytes = bodyLimitBytes(config.MAX_BODY_KB);

// "GET *", "/support/%FF", "/x/%00": 400 before anything else looks at the path.
app.use(requestTargetGuard);

// --- Logging (docs/decisions/016): first, so every request gets an id, a log context and an
// access line, whatever answers it (static files, /healthz, the CSRF refusal, Remix).
app.use(requestLogging());
// --- end logging

app.use((_req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (config.APP_URL.startsWith("https://")) res.setHeader("Strict-Transport-Security", "max-age=31536000");
  next();
});

// ---- Headers and transport (issue 10; docs/decisions/020-headers-and-csp.md) -------------------
// Compression (br/gzip), a per-request CSP nonce with the policy, COOP and CORP, on every response.
// Caching is set with the static files below: hashed build assets (/assets/*) a year and
// immutable, other files an hour or a day, Remix responses (pages, .data) no-store.
app.use(headersAndTransport({ development: !production }));
// ---- end of headers and transport ---------------------------------------------------------------

app.get("/healthz", async (req, res) => {
  const report = await healthReport(handle, req.get("cookie"));
  res.status(report.status).json(report.body);
});

// CSRF: refuse any state-changing request that does not come from our own pages.
app.use((req, res, next) => {
  const origin = req.get("origin");
  if (
    isAllowedOrigin(req.method, origin, config.APP_URL) &&
    originMatchesHost(req.method, origin, req.get("host"), req.get("x-forwarded-host"))
  ) {
    return next();
  }
  res.status(403).type("text/plain").send("This request did not come from a StayWell page, so it was refused.");
});

// The NHS.UK stylesheet, served as shipped; it refers to its icons under /assets/images.
// Its @font-face rules load Frutiger from assets.nhs.uk: they are left out, so no page makes a
// third-party request (staff privacy, and networks that block it); the stack falls back to Arial.
const nhsukDist = nhsukDistDir(root);
const nhsukCss = servedNhsukCss(root);
// At the highest settings (ADR 020): compressed at build time when the build's forms were made from
// this very CSS, else once here at start-up (app/.server/nhsuk-css.server.ts).
app.get(
  "/nhsuk/nhsuk-frontend.min.css",
  precompressed(nhsukCss, "css", "public, max-age=86400", readPrecompressedNhsukCss(root, nhsukCss)),
);
if (viteDevServer) {
  app.use(viteDevServer.middlewares);
} else {
  // The hashed assets' .br/.gz made at build time (ADR 023), else the plain file.
  app.use(
    "/assets",
    precompressedStatic(path.join(root, "build/client/assets"), { maxAgeSeconds: 31_536_000, immutable: true }),
  );
  app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  // Only for names the build put there (favicon.ico, assets/, …): a page request skips the stat.
  const clientDir = path.join(root, "build/client");
  app.use(staticUnderBuiltNames(clientDir, express.static(clientDir, { maxAge: "1h" })));
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
// Bodies over MAX_BODY_KB: 413 before the rest is read (docs/decisions/019-hostile-input.md).
// The ESR leavers upload streams into its route instead, with its own 20 MB limit (ADR 035).
app.use(bodyLimit(bodyLimitInBytes, STREAMED_UPLOADS));
// The client's address for sign-in throttling (ADR 017): req.ip is the socket's peer, or, behind a
// reverse proxy on loopback (`trust proxy`), the address that proxy put in X-Forwarded-For.
// The CSP nonce for Remix's inline scripts (ADR 020): made by headersAndTransport() above.
app.all(
  "*",
  remixHandler({
    build,
    mode: config.NODE_ENV,
    getLoadContext: (req, res) => ({ clientAddress: req.ip, cspNonce: res.locals.cspNonce as string }),
  }),
);

// Last resort for errors outside Remix: the 4xx an error carries (a path express cannot decode),
// otherwise a plain 500 page; never a stack trace.
app.use(clientErrorHandler);

// Mail outbox worker: any instance may run it; each row is claimed with a lease (SKIP LOCKED, then
// committed) and sent outside any transaction (docs/decisions/015-production-migrations.md).
const transport = createTransport();
let delivering: Promise<unknown> | undefined;
const outboxTimer = setInterval(() => {
  if (delivering) return;
  // "Forgot your password?" asks first (docs/decisions/028): their links then go out in this round.
  // An idle round is one statement (mailWorkWaiting): measured, an idle server spent ~13 ms of CPU a
  // second (its own and its embedded database's) on the four statements this round used to send.
  delivering = mailWorkWaiting()
    .then(async ({ resetAsks, dueMail }) => {
      if (resetAsks) await handlePasswordResetRequests();
      if (resetAsks || dueMail) await deliverDueMail(transport);
    })
    .catch((err) => log.error({ err, job: "mail" }, "outbox delivery failed"))
    .finally(() => (delivering = undefined));
}, 1000);
// Scheduled jobs (the daily digest from 07:00 London): every instance checks each minute; the
// job_runs claim makes each run happen once across instances.
let scheduling: Promise<unknown> | undefined;
const scheduleTimer = setInterval(() => {
  if (scheduling) return;
  scheduling = runScheduledJobs()
    .then(({ digest }) => {
      if (digest?.claimed)
        log.info(
          { job: "digest", runKey: digest.runKey, mails: digest.mails, teams: digest.teams },
          "daily digest queued",
        );
    })
    .catch((err) => log.error({ err, job: "scheduler" }, "scheduled jobs failed"))
    .finally(() => (scheduling = undefined));
}, 60_000);
const sessionSweep = setInterval(
  () =>
    void deleteExpiredSessions().catch((err) => log.error({ err, job: "sessions" }, "expired session sweep failed")),
  60 * 60 * 1000,
);

const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const lines = [
    "",
    `StayWell is running at http://localhost:${port} (${production ? "production" : "development"} build)`,
    `Database: ${handle.kind === "pglite" ? "embedded PGlite" : "PostgreSQL"} at ${handle.location}`,
  ];
  if (seededAccountLines.length) lines.push("Demo accounts (password: staywell-demo-2026):", ...seededAccountLines);
  if (!config.SMTP_URL) lines.push(`Mail is written to ${path.resolve(config.DATA_DIR, "mail")} (no SMTP_URL set).`);
  log.info({ port, database: handle.kind, build: production ? "production" : "development" }, "listening");
  // The welcome text (with the demo accounts) is for the person who started the server: on
  // stderr, so stdout stays one JSON object a line for log collectors.
  process.stderr.write(lines.join("\n") + "\n\n");
});

// A client that asks before sending a large body (Expect: 100-continue) is told 413 without being
// invited to send it.
server.on("checkContinue", (req, res) => {
  const upload = streamedUploadFor(req, STREAMED_UPLOADS);
  if (declaresTooLarge(req, upload?.limit ?? bodyLimitInBytes)) return refuseTooLarge(res, upload?.tooLargePage);
  res.writeContinue();
  app(req, res);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping: finishing requests in flight");
  const force = setTimeout(() => {
    log.error("requests still running after 10 s; stopping anyway");
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
      log.info("stopped");
      process.exit(0);
    } catch (err) {
      log.error({ err }, "error while stopping");
      process.exit(1);
    }
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
