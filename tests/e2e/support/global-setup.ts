// globalSetup for the browser tests: starts the BUILT server once, as a child process, on a free
// port with a fresh DATA_DIR (embedded PGlite) or on E2E_DATABASE_URL (a PostgreSQL database the
// runner created for this run), waits for /healthz, and stops it with SIGTERM at the end.
// If the server does not come up, the run fails with the server's own output.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { chromiumMissingMessage, chromiumPath, hasChromium } from "./chromium";
import { removeSnapshot, snapshotApp } from "./snapshot";

export interface E2EServer {
  baseURL: string;
  dataDir: string;
  mailDir: string;
  /** Page states axe has checked in this run, one file per state (support/axe.ts). */
  axeDir: string;
  chromiumPath: string;
  database: "pglite" | "postgres";
}

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2EServer;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const STARTUP_TIMEOUT_MS = Number(process.env.E2E_STARTUP_TIMEOUT_MS ?? 120_000);

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

export default async function setup(project: TestProject) {
  const browser = chromiumPath();
  if (!hasChromium(browser)) throw new Error(chromiumMissingMessage(browser));
  // The runner passes the copy it made right after building; otherwise copy the build now.
  const givenAppDir = process.env.E2E_APP_DIR;
  if (givenAppDir && !existsSync(path.join(givenAppDir, "build/server/index.js"))) {
    throw new Error(`E2E_APP_DIR=${givenAppDir} has no build/server/index.js`);
  }
  const appDir = givenAppDir || (await snapshotApp(root));
  const dropAppDir = async () => {
    if (!givenAppDir) await removeSnapshot(appDir);
  };

  const port = Number(process.env.E2E_PORT) || (await freePort());
  const baseURL = `http://localhost:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), "staywell-e2e-"));
  const databaseUrl = process.env.E2E_DATABASE_URL;
  const logFile = path.join(dataDir, "server.log");
  // Beside the server's data (removed with it), not in it: the server never reads this folder.
  const axeDir = path.join(dataDir, "e2e-axe-checked");
  mkdirSync(axeDir);
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
  if (databaseUrl) childEnv.DATABASE_URL = databaseUrl;

  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(appDir, "node_modules/tsx/dist/cli.mjs"), "server.ts"],
    {
      cwd: appDir,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
    if (process.env.E2E_SERVER_OUTPUT === "1") process.stdout.write(`[server] ${chunk}`);
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
    await dropAppDir();
    throw new Error(
      `The StayWell server did not start for the browser tests: ${(err as Error).message}.\n` +
        `Command: node node_modules/tsx/dist/cli.mjs server.ts in ${appDir} (a copy of the built app; PORT=${port}, DATA_DIR=${dataDir}, ${dbLabel})\n` +
        `--- server output ---\n${output || "(none)"}\n--- end of server output ---`,
    );
  }
  console.log(
    `[e2e] server up at ${baseURL} in ${Math.round(performance.now() - started)} ms (${dbLabel}; log ${logFile})`,
  );

  project.provide("e2e", {
    baseURL,
    dataDir,
    mailDir: path.join(dataDir, "mail"),
    axeDir,
    chromiumPath: browser,
    database: databaseUrl ? "postgres" : "pglite",
  });

  return async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exit;
      clearTimeout(timer);
    }
    log.end();
    // Keep the server's log next to the other test output; the data directory goes.
    const keepDir = path.join(root, "test-results");
    mkdirSync(keepDir, { recursive: true });
    const kept = path.join(keepDir, `e2e-server-${databaseUrl ? "postgres" : "pglite"}.log`);
    await cp(logFile, kept).catch(() => {});
    if (exited && exited.signal !== "SIGTERM" && exited.code !== 0) {
      console.error(`[e2e] the server stopped with code ${exited.code} (signal ${exited.signal}); log: ${kept}`);
    }
    await dropAppDir();
    if (process.env.E2E_KEEP_DATA === "1") console.log(`[e2e] kept ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  };
}
