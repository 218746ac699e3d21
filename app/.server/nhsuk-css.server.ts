// The NHS.UK stylesheet as StayWell serves it (server.ts, /nhsuk/nhsuk-frontend.min.css): the
// shipped file without its @font-face rules (they load Frutiger from assets.nhs.uk; left out so no
// page makes a third-party request, and the stack falls back to Arial).
//
// Its brotli 11 and gzip 9 forms are made at build time (scripts/precompress-assets.ts writes
// build/nhsuk/) next to the SHA-256 of the CSS they were made from; a server start reads them when
// that digest matches the CSS it is about to serve, and compresses at start-up otherwise (no build,
// `npm run dev`, or nhsuk-frontend changed since the build). Brotli 11 of 277 KB cost ~0.45 s of
// CPU at every start (ADR 023, addendum of 1 December 2026, morning, h-serve).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";

const FILE = "nhsuk-frontend.min.css";

export interface CompressedForms {
  br: Buffer;
  gzip: Buffer;
}

/** nhsuk-frontend's dist folder (the stylesheet, and its icons under assets/). */
export function nhsukDistDir(root: string) {
  return path.join(root, "node_modules/nhsuk-frontend/dist/nhsuk");
}

/** Where the build leaves the stylesheet's compressed forms. */
export function nhsukPrecompressedDir(root: string) {
  return path.join(root, "build/nhsuk");
}

/** The stylesheet as served: the shipped file without its @font-face rules. */
export function servedNhsukCss(root: string): string {
  return readFileSync(path.join(nhsukDistDir(root), FILE), "utf8").replace(/@font-face\{[^}]*\}/g, "");
}

/** Brotli 11 and gzip 9 (the highest settings): what the build and, without it, a start make. */
export function compressAtHighest(plain: Buffer): CompressedForms {
  return {
    br: brotliCompressSync(plain, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: plain.length },
    }),
    gzip: gzipSync(plain, { level: 9 }),
  };
}

function digest(css: string) {
  return createHash("sha256").update(css, "utf8").digest("hex");
}

/** The build's compressed forms of exactly `css`, or undefined (none, or made from other CSS). */
export function readPrecompressedNhsukCss(root: string, css: string): CompressedForms | undefined {
  const dir = nhsukPrecompressedDir(root);
  try {
    if (readFileSync(path.join(dir, `${FILE}.sha256`), "utf8").trim() !== digest(css)) return undefined;
    return { br: readFileSync(path.join(dir, `${FILE}.br`)), gzip: readFileSync(path.join(dir, `${FILE}.gz`)) };
  } catch {
    return undefined;
  }
}

/** Build step: writes the compressed forms, then (last, so a half-written set never matches) the digest. */
export async function writePrecompressedNhsukCss(root: string): Promise<{ plainBytes: number; brBytes: number }> {
  const css = servedNhsukCss(root);
  const plain = Buffer.from(css, "utf8");
  const { br, gzip } = compressAtHighest(plain);
  const dir = nhsukPrecompressedDir(root);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${FILE}.br`), br);
  await writeFile(path.join(dir, `${FILE}.gz`), gzip);
  await writeFile(path.join(dir, `${FILE}.sha256`), `${digest(css)}\n`);
  return { plainBytes: plain.length, brBytes: br.length };
}
