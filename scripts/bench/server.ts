// The built server (NODE_ENV=production tsx server.ts, as `npm run serve`) on a free port, run from
// a private copy of the build so a rebuild in the tree cannot change it half-way.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BenchError } from "./load";

export interface RunningServer {
  baseURL: string;
  /** The last 20,000 characters the server wrote (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

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

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Why build/ needs (re)building, as `npm start` decides it: missing, or older than the sources; else undefined. */
function buildNeeded(root: string): string | undefined {
  const builtServer = path.join(root, "build/server/index.js");
  if (!existsSync(builtServer)) return "no build/ yet";
  const built = statSync(builtServer).mtimeMs;
  const sources = ["app", "public", "db"].map((d) => path.join(root, d)).filter(existsSync);
  const configs = ["vite.config.ts", "package-lock.json"].map((f) => path.join(root, f)).filter(existsSync);
  const newest = Math.max(...sources.map(newestMtime), ...configs.map((f) => statSync(f).mtimeMs));
  return newest > built ? "the sources are newer than build/" : undefined;
}

/** Builds the app when it is missing or stale (or always, with `force`). */
export function ensureBuilt(root: string, force: boolean) {
  const reason = force ? "--build" : buildNeeded(root);
  if (!reason) return;
  console.log(`Building the app (${reason})…`);
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  if (result.status !== 0) throw new BenchError("The build failed: see the messages above.");
}

/**
 * Starts the server with `databaseUrl` (PostgreSQL) or, when undefined, the embedded database under
 * `dataDir` with the demo data seeded on first start. Resolves when /healthz answers 200.
 */
export async function startServer(
  appDir: string,
  o: { databaseUrl?: string; dataDir: string; seedDemo: boolean; register: (stop: () => Promise<void>) => void },
): Promise<RunningServer> {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: o.dataDir,
    APP_URL: baseURL,
    SEED_DEMO_DATA: o.seedDemo ? "true" : "false",
    // The benchmark signs in as the demo accounts with a password (MFA_REQUIRED_FOR empty), which a
    // production server on PostgreSQL refuses without this (docs/decisions/029); it logs a warning.
    STAYWELL_ALLOW_INSECURE_2SV: "1",
  };
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  else delete env.DATABASE_URL;
  delete env.SMTP_URL;
  delete env.TEST_DATABASE_URL;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", pathToFileURL(path.join(appDir, "node_modules/tsx/dist/loader.mjs")).href, "server.ts"],
    {
      cwd: appDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so the embedded database's child (if any) stops with it
    },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      child.kill(sig);
    }
  };
  const stop = async () => {
    if (exited) return;
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 15_000);
    await exit;
    clearTimeout(timer);
  };
  o.register(stop);

  const started = performance.now();
  for (;;) {
    if (exited) throw new BenchError(`The server exited before answering /healthz.\n--- server output ---\n${output}`);
    if (performance.now() - started > 300_000) {
      await stop();
      throw new BenchError(`The server did not answer /healthz within 300 s.\n--- server output ---\n${output}`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`Server up at ${baseURL} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return { baseURL, output: () => output, stop };
}
