// globalSetup for the browser tests: starts the BUILT server as a child process, on a free port,
// with a fresh DATA_DIR (embedded PGlite) or on E2E_DATABASE_URL (a PostgreSQL database the runner
// created for this run), waits for /healthz, and stops it with SIGTERM at the end. If a server does
// not come up, the run fails with the server's own output.
//
// One server per vitest worker (E2E_WORKERS, vitest.e2e.config.ts): worker n's files all talk to
// server n, one file at a time, each server with its own embedded database and mail folder, so
// files on different workers never see each other's data. The demo data is seeded ONCE: a first
// server seeds a PGlite folder and is stopped, and every worker's server starts on a copy of it (the
// server seeds only an empty database), instead of each paying the ~30 s seed. On PostgreSQL
// (E2E_DATABASE_URL: one database) there is one server, and the runner runs one worker.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TestProject } from "vitest/node";
import { chromiumMissingMessage, chromiumPath, hasChromium } from "./chromium";
import { removeSnapshot, snapshotApp } from "./snapshot";

export interface E2EServer {
  baseURL: string;
  dataDir: string;
  mailDir: string;
  /** Page states axe has checked in this run, one file per state, shared by every server (support/axe.ts). */
  axeDir: string;
  chromiumPath: string;
  database: "pglite" | "postgres";
}

declare module "vitest" {
  export interface ProvidedContext {
    /** One server per worker: worker VITEST_POOL_ID n uses e2eServers[n - 1] (support/browser.ts e2e()). */
    e2eServers: E2EServer[];
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// Generous: the seeding start takes ~35 s on an idle 2-core machine and over 100 s on a loaded one.
const STARTUP_TIMEOUT_MS = Number(process.env.E2E_STARTUP_TIMEOUT_MS ?? 300_000);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function redact(url: string) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres";
  }
}

interface RunningServer {
  port: number;
  baseURL: string;
  dataDir: string;
  logFile: string;
  /** Stops the server (SIGTERM, SIGKILL after 15 s); resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>;
  exitedEarly(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/** Starts the built server in `appDir` on `dataDir` (and `databaseUrl` when given); waits for /healthz. */
async function startServer(options: {
  appDir: string;
  dataDir: string;
  databaseUrl?: string;
  port?: number;
  label: string;
}): Promise<RunningServer> {
  const { appDir, dataDir, databaseUrl } = options;
  const port = options.port || (await freePort());
  const baseURL = `http://localhost:${port}`;
  const logFile = path.join(dataDir, "server.log");
  const log = createWriteStream(logFile);
  let output = "";

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: baseURL,
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: process.env.E2E_SEED_DEMO_DATA ?? "true",
    // Two-step secrets are stored encrypted, as in production (a key for this run only).
    TWO_STEP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    // The demo accounts sign in with a password (MFA_REQUIRED_FOR empty), which a production server
    // on PostgreSQL refuses without this (ADR 029); it logs a warning instead.
    STAYWELL_ALLOW_INSECURE_2SV: "1",
  };
  delete childEnv.SMTP_URL;
  delete childEnv.DATABASE_URL;
  delete childEnv.TEST_DATABASE_URL;
  delete childEnv.VITEST;
  delete childEnv.VITEST_MODE;
  delete childEnv.VITEST_POOL_ID;
  if (databaseUrl) childEnv.DATABASE_URL = databaseUrl;

  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", pathToFileURL(path.join(appDir, "node_modules/tsx/dist/loader.mjs")).href, "server.ts"],
    { cwd: appDir, env: childEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
    if (process.env.E2E_SERVER_OUTPUT === "1") process.stdout.write(`[server ${options.label}] ${chunk}`);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );

  const started = performance.now();
  const dbLabel = databaseUrl ? `PostgreSQL ${redact(databaseUrl)}` : `embedded PGlite in ${dataDir}`;
  try {
    for (;;) {
      if (exited)
        throw new Error(`the server exited (code ${exited.code}, signal ${exited.signal}) before answering /healthz`);
      if (performance.now() - started > STARTUP_TIMEOUT_MS) {
        throw new Error(`/healthz did not answer 200 within ${STARTUP_TIMEOUT_MS / 1000} s`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    child.kill("SIGKILL");
    await exit;
    log.end();
    throw new Error(
      `The StayWell server (${options.label}) did not start for the browser tests: ${(err as Error).message}.\n` +
        `Command: node --import tsx server.ts in ${appDir} (a copy of the built app; PORT=${port}, DATA_DIR=${dataDir}, ${dbLabel})\n` +
        `--- server output ---\n${output || "(none)"}\n--- end of server output ---`,
    );
  }
  console.log(
    `[e2e] server ${options.label} up at ${baseURL} in ${Math.round(performance.now() - started)} ms (${dbLabel}; log ${logFile})`,
  );
  return {
    port,
    baseURL,
    dataDir,
    logFile,
    exitedEarly: () => exited,
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exit;
        clearTimeout(timer);
      }
      log.end();
      return exited;
    },
  };
}

export default async function setup(project: TestProject) {
  const browser = chromiumPath();
  if (!hasChromium(browser)) throw new Error(chromiumMissingMessage(browser));
  // The runner passes the copy it made right after building; otherwise copy the build now.
  const givenAppDir = process.env.E2E_APP_DIR;
  if (givenAppDir && !existsSync(path.join(givenAppDir, "build/server/index.js"))) {
    throw new Error(`E2E_APP_DIR=${givenAppDir} has no build/server/index.js`);
  }
  const appDir = givenAppDir || (await snapshotApp(root));
  const databaseUrl = process.env.E2E_DATABASE_URL;
  const workers = Math.max(1, Number(process.env.E2E_WORKERS) || 1);
  if (databaseUrl && workers > 1) {
    throw new Error(
      `E2E_WORKERS=${workers} with E2E_DATABASE_URL: the workers' servers would share one PostgreSQL database; run one worker.`,
    );
  }
  const basePort = Number(process.env.E2E_PORT) || 0;
  // Beside the servers' data (removed with it), not in it: the servers never read this folder.
  const runDir = await mkdtemp(path.join(tmpdir(), "staywell-e2e-"));
  // E2E_AXE_DIR: the runner's folder, shared by both browser runs (PGlite and PostgreSQL) so a page
  // state is checked once per `npm test`, as it is once per run within one (ADR 023).
  const axeDir = process.env.E2E_AXE_DIR || path.join(runDir, "e2e-axe-checked");
  mkdirSync(axeDir, { recursive: true });
  const servers: RunningServer[] = [];
  const kind = databaseUrl ? "postgres" : "pglite";

  const cleanUp = async () => {
    // Keep each server's log next to the other test output; the data directories go.
    const keepDir = path.join(root, "test-results");
    mkdirSync(keepDir, { recursive: true });
    for (const [i, server] of servers.entries()) {
      const exited = await server.stop();
      const kept = path.join(keepDir, `e2e-server-${kind}${servers.length > 1 ? `-${i + 1}` : ""}.log`);
      await cp(server.logFile, kept).catch(() => {});
      if (exited && exited.signal !== "SIGTERM" && exited.code !== 0) {
        console.error(`[e2e] server ${i + 1} stopped with code ${exited.code} (signal ${exited.signal}); log: ${kept}`);
      }
    }
    if (!givenAppDir) await removeSnapshot(appDir);
    if (process.env.E2E_KEEP_DATA === "1") console.log(`[e2e] kept ${runDir}`);
    // A server killed at start-up leaves its database process closing PGlite for a moment.
    else await rm(runDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  };

  try {
    const dataDirs = Array.from({ length: workers }, (_, i) => path.join(runDir, `server-${i + 1}`));
    if (workers > 1) {
      // Seed once: the first server seeds its folder; stopped (PGlite writes its files on close),
      // its database is copied to every other server's folder before they all start.
      const started = performance.now();
      mkdirSync(dataDirs[0]!);
      const seeder = await startServer({ appDir, dataDir: dataDirs[0]!, port: basePort, label: "1 (seeding)" });
      const exited = await seeder.stop();
      if (exited && exited.code !== 0) {
        throw new Error(
          `the seeding server stopped with code ${exited.code} (signal ${exited.signal}); log: ${seeder.logFile}`,
        );
      }
      for (const dir of dataDirs.slice(1)) {
        mkdirSync(dir);
        await cp(path.join(dataDirs[0]!, "pglite"), path.join(dir, "pglite"), { recursive: true });
      }
      console.log(
        `[e2e] demo database seeded once and copied ${workers - 1}× in ${Math.round(performance.now() - started)} ms`,
      );
    } else {
      mkdirSync(dataDirs[0]!);
    }
    const starts = await Promise.allSettled(
      dataDirs.map((dataDir, i) =>
        startServer({ appDir, dataDir, databaseUrl, port: basePort ? basePort + i : 0, label: String(i + 1) }),
      ),
    );
    for (const s of starts) if (s.status === "fulfilled") servers.push(s.value);
    const failed = starts.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
  } catch (err) {
    // The start-up error is the one to report, not a failure to clean up after it.
    await cleanUp().catch((cleanUpError: Error) =>
      console.error(`[e2e] cleaning up after a failed start: ${cleanUpError.message}`),
    );
    throw err;
  }

  project.provide(
    "e2eServers",
    servers.map((s) => ({
      baseURL: s.baseURL,
      dataDir: s.dataDir,
      mailDir: path.join(s.dataDir, "mail"),
      axeDir,
      chromiumPath: browser,
      database: kind,
    })),
  );

  return cleanUp;
}
