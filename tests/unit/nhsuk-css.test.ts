// The NHS.UK stylesheet's compressed forms made at build time (app/.server/nhsuk-css.server.ts):
// used only when they were made from exactly the CSS a start is about to serve, and then they
// decode to it; otherwise the server compresses at start-up as before.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  nhsukDistDir,
  nhsukPrecompressedDir,
  readPrecompressedNhsukCss,
  servedNhsukCss,
  writePrecompressedNhsukCss,
} from "../../app/.server/nhsuk-css.server";

const SHIPPED = `@font-face{font-family:Frutiger;src:url(https://assets.nhs.uk/f.woff2)}body{color:#212b32}${".nhsuk-x{margin:0}".repeat(200)}`;

let root: string;
function ship(css: string) {
  mkdirSync(nhsukDistDir(root), { recursive: true });
  writeFileSync(path.join(nhsukDistDir(root), "nhsuk-frontend.min.css"), css);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "staywell-nhsuk-css-"));
  ship(SHIPPED);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the NHS.UK stylesheet compressed at build time", () => {
  it("serves the shipped CSS without its @font-face rules", () => {
    expect(servedNhsukCss(root)).toBe(SHIPPED.replace(/@font-face\{[^}]*\}/, ""));
  });

  it("is read back when made from the CSS served, and its br and gzip forms decode to that CSS", async () => {
    await writePrecompressedNhsukCss(root);
    const css = servedNhsukCss(root);
    const forms = readPrecompressedNhsukCss(root, css);
    expect(forms).toBeDefined();
    expect(brotliDecompressSync(forms!.br).toString("utf8")).toBe(css);
    expect(gunzipSync(forms!.gzip).toString("utf8")).toBe(css);
  });

  it("is not used once the stylesheet has changed since the build (nhsuk-frontend updated)", async () => {
    await writePrecompressedNhsukCss(root);
    ship(`${SHIPPED}.nhsuk-new{padding:0}`);
    expect(readPrecompressedNhsukCss(root, servedNhsukCss(root))).toBeUndefined();
  });

  it("is not used without a build, or when the digest is missing", async () => {
    expect(readPrecompressedNhsukCss(root, servedNhsukCss(root))).toBeUndefined();
    await writePrecompressedNhsukCss(root);
    rmSync(path.join(nhsukPrecompressedDir(root), "nhsuk-frontend.min.css.sha256"));
    expect(readPrecompressedNhsukCss(root, servedNhsukCss(root))).toBeUndefined();
  });
});
