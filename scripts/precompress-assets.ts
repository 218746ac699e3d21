// Build-time compression of the hashed client assets (ADR 020 "not done", ADR 023): every
// build/client/assets file worth compressing gets a `.br` (brotli 11) and a `.gz` (gzip 9) next to
// it, once, at build time. server.ts serves them with precompressedStatic()
// (app/.server/headers.server.ts) instead of compressing the same bytes at brotli 4 / gzip 6 on
// every request: smaller (JS about 16 % under brotli 4) and no CPU per request.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { brotliCompress, constants as zlibConstants, gzip } from "node:zlib";
import { promisify } from "node:util";
import type { Plugin } from "vite";
import { writePrecompressedNhsukCss } from "../app/.server/nhsuk-css.server";

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Text-like assets; images and fonts are compressed already. Under 1 KB is not worth a header. */
export const PRECOMPRESSED_EXTENSIONS = new Set([".js", ".mjs", ".css", ".svg", ".json", ".map", ".txt", ".html"]);
const MIN_BYTES = 1024;

export async function precompressDirectory(
  dir: string,
): Promise<{ files: number; plainBytes: number; brBytes: number; gzBytes: number }> {
  const totals = { files: 0, plainBytes: 0, brBytes: 0, gzBytes: 0 };
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return totals;
  }
  for (const name of entries) {
    const file = path.join(dir, name);
    if (!PRECOMPRESSED_EXTENSIONS.has(path.extname(file)) || !(await stat(file)).isFile()) continue;
    const plain = await readFile(file);
    if (plain.length < MIN_BYTES) continue;
    const [br, gzipped] = await Promise.all([
      brotli(plain, {
        params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: plain.length },
      }),
      gz(plain, { level: 9 }),
    ]);
    // Written only when smaller; the server then falls back to the plain file (and compression).
    if (br.length < plain.length) await writeFile(`${file}.br`, br);
    if (gzipped.length < plain.length) await writeFile(`${file}.gz`, gzipped);
    totals.files += 1;
    totals.plainBytes += plain.length;
    totals.brBytes += br.length;
    totals.gzBytes += gzipped.length;
  }
  return totals;
}

/**
 * Vite plugin: after the client build, precompress its assets folder, and the NHS.UK stylesheet
 * server.ts serves from node_modules (build/nhsuk/, app/.server/nhsuk-css.server.ts).
 */
export function precompressAssets(): Plugin {
  let assetsDir: string | undefined;
  let root = "";
  return {
    name: "staywell-precompress-assets",
    apply: "build",
    configResolved(config) {
      // Remix builds the client, then the server (build.ssr): only the client's assets are served.
      assetsDir = config.build.ssr ? undefined : path.resolve(config.root, config.build.outDir, config.build.assetsDir);
      root = config.root;
    },
    async closeBundle() {
      if (!assetsDir) return;
      const t = await precompressDirectory(assetsDir);
      const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
      console.log(`precompressed ${t.files} assets: ${kb(t.plainBytes)} -> br ${kb(t.brBytes)}, gzip ${kb(t.gzBytes)}`);
      const css = await writePrecompressedNhsukCss(root);
      console.log(`precompressed the NHS.UK stylesheet: ${kb(css.plainBytes)} -> br ${kb(css.brBytes)}`);
    },
  };
}
