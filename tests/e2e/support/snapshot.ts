// A private copy of the built app for the browser tests, so that work going on in the tree while
// they run (another engineer's rebuild, a new migration, a changed server module) cannot change
// the app under test half-way. The build, the server entry and the sources it imports directly
// (app/, db/, the drizzle/ migrations) are copied; node_modules is symlinked.
// scripts/test.ts makes one right after building and passes it to both browser runs (E2E_APP_DIR);
// run on its own, the e2e globalSetup makes one itself.
import { existsSync, statSync } from "node:fs";
import { copyFile, cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const COPIED_DIRS = ["build", "app", "db", "drizzle", "public"];
const COPIED_FILES = ["server.ts", "package.json", "tsconfig.json"];

function buildStamp(root: string) {
  const server = path.join(root, "build/server/index.js");
  const client = path.join(root, "build/client");
  if (!existsSync(server) || !existsSync(client)) return undefined;
  return `${statSync(server).mtimeMs}:${statSync(client).mtimeMs}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Copies the built app; waits (up to `waitMs`) while a build is missing or being written. */
export async function snapshotApp(root = repoRoot, waitMs = 60_000): Promise<string> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const before = buildStamp(root);
    if (before) {
      await sleep(500);
      if (buildStamp(root) === before) {
        const dir = await mkdtemp(path.join(tmpdir(), "staywell-e2e-app-"));
        for (const name of COPIED_DIRS) {
          if (existsSync(path.join(root, name)))
            await cp(path.join(root, name), path.join(dir, name), { recursive: true });
        }
        if (buildStamp(root) === before && existsSync(path.join(dir, "build/server/index.js"))) {
          for (const name of COPIED_FILES) await copyFile(path.join(root, name), path.join(dir, name));
          await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"));
          return dir;
        }
        await rm(dir, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The app is not built (or is being rebuilt) at ${path.join(root, "build")}: run \`npm run build\` or \`npm test\` first.`,
      );
    }
    await sleep(1000);
  }
}

export async function removeSnapshot(dir: string) {
  await rm(dir, { recursive: true, force: true });
}
