// `npm start`: build the app when the build is missing or older than the source, then serve it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const builtServer = path.join(root, "build/server/index.js");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale() {
  if (!existsSync(builtServer)) return true;
  const built = statSync(builtServer).mtimeMs;
  const sources = ["app", "public", "db"].map((d) => path.join(root, d)).filter(existsSync);
  const configs = ["vite.config.ts", "package-lock.json"].map((f) => path.join(root, f)).filter(existsSync);
  return Math.max(...sources.map(newestMtime), ...configs.map((f) => statSync(f).mtimeMs)) > built;
}

if (buildIsStale()) {
  console.log("Building StayWell (first start, or the source changed)…");
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  if (result.status !== 0) {
    console.error("The build failed: see the messages above.");
    process.exit(result.status ?? 1);
  }
}

process.env.NODE_ENV = "production";
await import("../server");
