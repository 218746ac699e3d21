// Headers and transport (issue 10, ADR 020): the middleware server.ts mounts first, on a small
// express app of its own: the CSP and its nonce, COOP/CORP, br/gzip as asked, and streaming that
// still streams through compression (written the way Remix's express adapter writes: one
// res.write + res.flush per chunk). The built app's pages are checked in tests/e2e/headers-csp.test.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { writeReadableStreamToWritable } from "@remix-run/node";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  contentSecurityPolicy,
  createNonce,
  headersAndTransport,
  precompressed,
  precompressedStatic,
} from "~/.server/headers.server";
import { precompressDirectory } from "../../scripts/precompress-assets";

/** Directive name → its sources. */
function directives(policy: string) {
  return new Map(
    policy.split(";").map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );
}

describe("the Content-Security-Policy", () => {
  it("allows scripts from our origin and the request's nonce only, and nothing inline otherwise", () => {
    const nonce = createNonce();
    const d = directives(contentSecurityPolicy(nonce));
    expect(d.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(d.get("style-src")).toEqual(["'self'"]);
    expect(d.get("default-src")).toEqual(["'self'"]);
    expect(d.get("img-src")).toEqual(["'self'", "data:"]);
    expect(d.get("connect-src")).toEqual(["'self'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    const all = [...d.values()].flat();
    expect(all).not.toContain("'unsafe-inline'");
    expect(all).not.toContain("'unsafe-eval'");
    expect(all).not.toContain("*");
  });

  it("is relaxed for the Vite dev server only in what HMR needs (its WebSocket, injected <style>)", () => {
    const nonce = createNonce();
    const dev = directives(contentSecurityPolicy(nonce, { development: true }));
    expect(dev.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(dev.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get("connect-src")).toEqual(["'self'", "ws:", "wss:"]);
  });

  it("nonces are 128 random bits, different every time, and a malformed one is refused", () => {
    const nonces = new Set(Array.from({ length: 200 }, () => createNonce()));
    expect(nonces.size).toBe(200);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
    expect(() => contentSecurityPolicy("x'; script-src *")).toThrow();
  });
});

// ---- the middleware on a real socket ------------------------------------------------------------

const PAGE = `<!doctype html><p>${"Support for health and care staff. ".repeat(200)}</p>`;
const CSS = Array.from(
  { length: 3000 },
  (_, i) => `.c${i}{margin:${i % 9}px;color:#${(i * 4099).toString(16).slice(-6).padStart(6, "0")}}`,
).join("");
const JS = Array.from({ length: 400 }, (_, i) => `export const v${i} = "value ${i}";`).join("\n");
const TINY_JS = `export const tiny = 1;`;
let release: () => void = () => {};
let server: http.Server;
let base: string;
let assetsDir: string;
let precompressedTotals: Awaited<ReturnType<typeof precompressDirectory>>;

beforeAll(async () => {
  // A built assets folder as `remix vite:build` + scripts/precompress-assets.ts leave it.
  assetsDir = mkdtempSync(path.join(tmpdir(), "staywell-assets-"));
  mkdirSync(path.join(assetsDir, "nested"));
  writeFileSync(path.join(assetsDir, "entry-abc123.js"), JS);
  writeFileSync(path.join(assetsDir, "nested", "chunk-def456.js"), JS);
  writeFileSync(path.join(assetsDir, "tiny-789.js"), TINY_JS);
  writeFileSync(path.join(assetsDir, "only-gzip.css"), CSS);
  precompressedTotals = await precompressDirectory(assetsDir);
  rmSync(path.join(assetsDir, "only-gzip.css.br"));

  const app = express();
  app.use(headersAndTransport());
  app.use("/assets", precompressedStatic(assetsDir, { maxAgeSeconds: 31_536_000, immutable: true }));
  app.use("/assets", express.static(assetsDir, { immutable: true, maxAge: "1y" }));
  app.get("/page", (_req, res) => {
    res.type("html").send(PAGE);
  });
  app.get("/fixed.css", precompressed(CSS, "css", "public, max-age=86400"));
  app.get("/small", (_req, res) => {
    res.type("html").send("<p>short</p>");
  });
  app.get("/nonce", (_req, res) => {
    res.type("text").send(String(res.locals.cspNonce));
  });
  app.get("/stream", async (_req, res) => {
    // A document whose second half comes later (as a deferred loader's data would).
    const later = new Promise<void>((resolve) => (release = resolve));
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(`<!doctype html><p id="first">${"a".repeat(4000)}</p>`));
        await later;
        controller.enqueue(encoder.encode(`<p id="second">${"b".repeat(4000)}</p>`));
        controller.close();
      },
    });
    res.status(200).type("html");
    await writeReadableStreamToWritable(body, res);
  });
  app.get("/many-chunks", async (_req, res) => {
    // Like React through Remix: a page in many small chunks, each written and flushed.
    const encoder = new TextEncoder();
    const parts = PAGE.match(/.{1,200}/gs)!;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(encoder.encode(p));
        controller.close();
      },
    });
    res.status(200).type("html");
    await writeReadableStreamToWritable(body, res);
  });
  server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  release();
  await new Promise((resolve) => server.close(resolve));
  rmSync(assetsDir, { recursive: true, force: true });
});

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  text: string;
}

function get(path: string, acceptEncoding?: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding };
    http
      .get(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const enc = res.headers["content-encoding"];
          const text = (
            enc === "br" ? zlib.brotliDecompressSync(raw) : enc === "gzip" ? zlib.gunzipSync(raw) : raw
          ).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text });
        });
      })
      .on("error", reject);
  });
}

describe("compression", () => {
  it("sends br when the client takes br and gzip, gzip when it takes only gzip, the bytes unchanged", async () => {
    const br = await get("/page", "gzip, deflate, br, zstd");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.text).toBe(PAGE);
    expect(br.raw.length).toBeLessThan(PAGE.length / 10);
    const gzip = await get("/page", "gzip, deflate");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.text).toBe(PAGE);
    for (const r of [br, gzip]) expect(String(r.headers.vary)).toMatch(/Accept-Encoding/i);
  });

  it("sends the body as it is when the client asks for no encoding, or the body is under 1 KB", async () => {
    const identity = await get("/page", "identity");
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(identity.raw.toString("utf8")).toBe(PAGE);
    const none = await get("/page");
    expect(none.headers["content-encoding"]).toBeUndefined();
    const small = await get("/small", "gzip, br");
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.text).toBe("<p>short</p>");
  });

  for (const encoding of ["gzip", "br"] as const) {
    it(`a streamed document still streams (${encoding}): the first part arrives before the rest is written`, async () => {
      const received = await new Promise<{ firstBeforeRelease: string; all: string }>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("the first part never arrived: compression buffered it")),
          5_000,
        );
        http
          .get(`${base}/stream`, { headers: { "Accept-Encoding": encoding } }, (res) => {
            expect(res.headers["content-encoding"]).toBe(encoding);
            const decoder = encoding === "br" ? zlib.createBrotliDecompress() : zlib.createGunzip();
            let text = "";
            let firstBeforeRelease = "";
            decoder.on("data", (c: Buffer) => {
              text += c.toString("utf8");
              if (!firstBeforeRelease && text.includes("</p>")) {
                // The first part is here, decompressed, while the server still waits to write the rest.
                firstBeforeRelease = text;
                clearTimeout(timer);
                release();
              }
            });
            decoder.on("end", () => resolve({ firstBeforeRelease, all: text }));
            decoder.on("error", reject);
            res.pipe(decoder);
          })
          .on("error", reject);
      });
      expect(received.firstBeforeRelease).toContain('<p id="first">');
      expect(received.firstBeforeRelease).not.toContain('id="second"');
      expect(received.all).toContain(`<p id="second">${"b".repeat(4000)}</p>`);
    });
  }

  it("the flushes of one event-loop turn make one compressed block (a page in small chunks is not bloated)", async () => {
    const chunked = await get("/many-chunks", "gzip");
    expect(chunked.headers["content-encoding"]).toBe("gzip");
    expect(chunked.text).toBe(PAGE);
    const oneShot = zlib.gzipSync(PAGE).length;
    // A flush per 200-byte chunk would cost a block header each (several times the one-shot size).
    expect(chunked.raw.length).toBeLessThan(oneShot * 1.2 + 64);
  });
});

describe("a fixed body compressed once at start-up (the NHS.UK stylesheet)", () => {
  it("sends brotli 11 for br, gzip 9 for gzip, the plain bytes otherwise, and varies on Accept-Encoding", async () => {
    const br = await get("/fixed.css", "gzip, deflate, br");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.text).toBe(CSS);
    // Smaller than what the middleware makes per request (brotli 4).
    expect(br.raw.length).toBeLessThan(
      zlib.brotliCompressSync(CSS, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }).length,
    );
    const gzip = await get("/fixed.css", "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.text).toBe(CSS);
    for (const acceptEncoding of ["identity", undefined]) {
      const plain = await get("/fixed.css", acceptEncoding);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.raw.toString("utf8")).toBe(CSS);
    }
    for (const r of [br, gzip]) {
      expect(String(r.headers.vary)).toMatch(/Accept-Encoding/i);
      expect(r.headers["content-type"]).toMatch(/^text\/css/);
      expect(r.headers["cache-control"]).toBe("public, max-age=86400");
      expect(r.headers["content-security-policy"]).toMatch(/'nonce-/);
    }
  });
});

describe("assets compressed at build time (.br/.gz next to each file)", () => {
  it("writes brotli 11 and gzip 9 siblings for text assets of 1 KB or more, none for smaller ones", () => {
    expect(precompressedTotals.files).toBe(3);
    expect(precompressedTotals.brBytes).toBeLessThan(precompressedTotals.plainBytes / 3);
  });

  it("sends the .br for br, the .gz for gzip, with the file's type, Vary and immutable caching", async () => {
    for (const file of ["/assets/entry-abc123.js", "/assets/nested/chunk-def456.js"]) {
      const br = await get(file, "gzip, deflate, br");
      expect(br.status, file).toBe(200);
      expect(br.headers["content-encoding"], file).toBe("br");
      expect(br.text, file).toBe(JS);
      // The build-time bytes (brotli 11), not a per-request compression by the middleware.
      const quality11 = zlib.brotliCompressSync(JS, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(JS),
        },
      });
      expect(br.raw, file).toEqual(quality11);
      expect(Number(br.headers["content-length"]), file).toBe(br.raw.length);
      const gzip = await get(file, "gzip");
      expect(gzip.headers["content-encoding"], file).toBe("gzip");
      expect(gzip.text, file).toBe(JS);
      expect(gzip.raw).toEqual(zlib.gzipSync(JS, { level: 9 }));
      for (const r of [br, gzip]) {
        expect(r.headers["content-type"], file).toMatch(/^(text|application)\/javascript/);
        expect(String(r.headers.vary), file).toMatch(/Accept-Encoding/i);
        expect(r.headers["cache-control"], file).toBe("public, max-age=31536000, immutable");
        expect(r.headers["content-security-policy"], file).toMatch(/'nonce-/);
      }
    }
  });

  it("sends the plain file to a client that takes no encoding, and gzip where only .gz exists", async () => {
    const plain = await get("/assets/entry-abc123.js", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.raw.toString("utf8")).toBe(JS);
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const css = await get("/assets/only-gzip.css", "br, gzip");
    expect(css.headers["content-encoding"]).toBe("gzip");
    expect(css.headers["content-type"]).toMatch(/^text\/css/);
    expect(css.text).toBe(CSS);
  });

  it("leaves files without siblings, unknown names and paths out of the folder to express.static", async () => {
    const tiny = await get("/assets/tiny-789.js", "br");
    expect(tiny.status).toBe(200);
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.raw.toString("utf8")).toBe(TINY_JS);
    expect((await get("/assets/missing.js", "br")).status).toBe(404);
    for (const sneaky of [
      "/assets/..%2Fentry-abc123.js",
      "/assets/%2e%2e/etc/passwd",
      "/assets/entry-abc123.js.br/..",
      "/assets/%E0%A4%A",
    ]) {
      const r = await get(sneaky, "br");
      expect(r.headers["content-encoding"], sneaky).toBeUndefined();
      expect([400, 403, 404], sneaky).toContain(r.status);
    }
  });
});

describe("policy headers on every response", () => {
  it("CSP with this request's nonce (the one handed to Remix), COOP and CORP", async () => {
    const a = await get("/nonce", "identity");
    const b = await get("/nonce", "identity");
    for (const r of [a, b]) {
      expect(r.headers["content-security-policy"]).toBe(contentSecurityPolicy(r.text));
      expect(r.headers["cross-origin-opener-policy"]).toBe("same-origin");
      expect(r.headers["cross-origin-resource-policy"]).toBe("same-origin");
    }
    expect(a.text).not.toBe(b.text);
    const page = await get("/page", "br");
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='/);
  });
});
