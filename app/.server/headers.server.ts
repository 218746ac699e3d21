// Headers and transport (issue 10; docs/decisions/020-headers-and-csp.md): compression, the
// Content-Security-Policy with a per-request nonce, and the cross-origin headers, as express
// middleware that server.ts mounts before everything else.
//
// headersAndTransport() makes a fresh nonce for every request, sends the policy, and leaves the
// nonce in res.locals.cspNonce; server.ts hands it to Remix through the load context;
// app/entry.server.tsx gives it to React (renderToPipeableStream's
// `nonce`, and <RemixServer nonce>) and, through NonceContext, to <Scripts> and
// <ScrollRestoration> in app/root.tsx. Every inline script Remix and React write carries it; no
// other inline script runs, and no inline style at all (style attributes are not used: app.css).
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import compression from "compression";
import type { RequestHandler } from "express";
import { compressAtHighest, type CompressedForms } from "./nhsuk-css.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This request's CSP nonce (server.ts); absent when a loader is called directly in tests. */
    cspNonce?: string;
  }
}

/** 128 random bits, base64: a fresh one for every response. */
export function createNonce() {
  return randomBytes(16).toString("base64");
}

export interface PolicyOptions {
  /**
   * The Vite dev server (npm run dev) only: its HMR client opens a WebSocket and injects CSS
   * updates as <style> elements. Never true for the production build.
   */
  development?: boolean;
}

/** The Content-Security-Policy header value for a response whose inline scripts carry `nonce`. */
export function contentSecurityPolicy(nonce: string, options: PolicyOptions = {}) {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(nonce)) throw new Error("A CSP nonce is base64");
  const dev = options.development === true;
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // Our own modules (/assets/*.js) and the inline scripts Remix writes, which carry the nonce.
    // No 'unsafe-inline', no 'unsafe-eval', no other host.
    ["script-src", "'self'", `'nonce-${nonce}'`],
    // Stylesheets from our origin only; no style="…" attributes and no <style> (dev: Vite's HMR).
    ["style-src", "'self'", ...(dev ? ["'unsafe-inline'"] : [])],
    // The NHS.UK stylesheet draws a few icons as data: SVGs.
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    // fetch() for single-fetch .data, form submissions with JavaScript; dev: the HMR WebSocket.
    ["connect-src", "'self'", ...(dev ? ["ws:", "wss:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/**
 * Headers every response carries besides the CSP. COOP: no other site's window keeps a handle on
 * ours (and ours on theirs). CORP: no other site may embed our responses (images, scripts, JSON).
 */
export const CROSS_ORIGIN_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/**
 * Compression: br or gzip as the client asks, for every compressible type (HTML, CSS, JS, the
 * single-fetch .data stream, JSON, CSV); bodies under 1 KB go as they are.
 *
 * Remix's express adapter calls res.flush() after every chunk React writes (a few hundred bytes
 * each), and each flush closes a compressed block: gzip then sent /insights as 31 KB instead of
 * 17 KB. So the flushes of one event-loop turn become one, at its end: what has been rendered
 * still goes out straight away, and a part that streams later (a deferred loader, a Suspense
 * boundary) is flushed when it comes.
 */
export function compressionWithCoalescedFlush(): RequestHandler[] {
  return [
    compression(),
    (_req, res, next) => {
      const flush = res.flush;
      let queued = false;
      res.flush = () => {
        if (queued) return;
        queued = true;
        setImmediate(() => {
          queued = false;
          flush.call(res);
        });
      };
      next();
    },
  ];
}

/**
 * A fresh nonce per request (res.locals.cspNonce), the CSP that allows it, COOP and CORP. Every
 * response carries the policy, not only HTML: an SVG or a text file opened on its own is a
 * document too.
 */
export function securityPolicyHeaders(options: PolicyOptions = {}): RequestHandler {
  return (_req, res, next) => {
    const nonce = createNonce();
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, options));
    for (const [name, value] of Object.entries(CROSS_ORIGIN_HEADERS)) res.setHeader(name, value);
    next();
  };
}

/** Everything above, in order: mount before any route or static file. */
export function headersAndTransport(options: PolicyOptions = {}): RequestHandler[] {
  return [...compressionWithCoalescedFlush(), securityPolicyHeaders(options)];
}

/**
 * A fixed body (the NHS.UK stylesheet, held in memory) compressed once at the highest settings,
 * brotli 11 and gzip 9, instead of brotli 4 on every request: 277 KB of CSS goes out as 23.6 KB
 * rather than 30.8 KB. `compressed`: those forms made earlier (the build's, nhsuk-css.server.ts),
 * else they are made here, at start-up. The compression middleware leaves a response that already
 * has a Content-Encoding alone.
 */
export function precompressed(
  body: string,
  type: string,
  cacheControl: string,
  compressed?: CompressedForms,
): RequestHandler {
  const plain = Buffer.from(body, "utf8");
  const { br, gzip } = compressed ?? compressAtHighest(plain);
  return (req, res) => {
    res.type(type).setHeader("Cache-Control", cacheControl);
    res.vary("Accept-Encoding");
    // br first whenever it is taken (negotiation alone would follow the header's order).
    const encoding =
      req.acceptsEncodings("br") === "br" ? "br" : req.acceptsEncodings("gzip") === "gzip" ? "gzip" : null;
    if (encoding) {
      res.setHeader("Content-Encoding", encoding);
      res.send(encoding === "br" ? br : gzip);
    } else {
      res.send(plain);
    }
  };
}

/**
 * Static files compressed at build time (scripts/precompress-assets.ts writes `x.js.br` and
 * `x.js.gz` next to `x.js`): when the client takes br (or gzip) and the sibling exists, it is sent
 * as is, with the original file's Content-Type, `Content-Encoding` and `Vary: Accept-Encoding`;
 * the compression middleware leaves a response that already has a Content-Encoding alone. Anything
 * else falls through to express.static (and on-the-fly compression). Mount before express.static
 * on the same path. The siblings are listed once at start-up: the build does not change under a
 * running server.
 */
export function precompressedStatic(
  dir: string,
  options: { maxAgeSeconds: number; immutable?: boolean },
): RequestHandler {
  const root = path.resolve(dir);
  const available = new Set<string>();
  try {
    for (const name of readdirSync(root, { recursive: true }) as string[]) {
      if (name.endsWith(".br") || name.endsWith(".gz")) available.add(name.split(path.sep).join("/"));
    }
  } catch {
    // no build folder (npm run dev): nothing precompressed
  }
  const cacheControl = `public, max-age=${options.maxAgeSeconds}${options.immutable ? ", immutable" : ""}`;
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    let relative: string;
    try {
      relative = decodeURIComponent(req.path).replace(/^\/+/, "");
    } catch {
      return next();
    }
    // Only names the build wrote: no "..", no paths outside the folder.
    const br = available.has(`${relative}.br`);
    const gz = available.has(`${relative}.gz`);
    if (!br && !gz) return next();
    res.vary("Accept-Encoding");
    const encoding =
      br && req.acceptsEncodings("br") === "br" ? "br" : gz && req.acceptsEncodings("gzip") === "gzip" ? "gzip" : null;
    if (!encoding) return next();
    res.type(path.extname(relative));
    res.setHeader("Content-Encoding", encoding);
    res.setHeader("Cache-Control", cacheControl);
    res.sendFile(
      `${relative}.${encoding === "br" ? "br" : "gz"}`,
      { root, dotfiles: "deny", cacheControl: false },
      (err) => {
        if (err) next(err);
      },
    );
  };
}

/**
 * `handler` (express.static on `dir`) only for paths whose first segment names a file or folder
 * that `dir` holds; anything else goes straight on. Mounted at the root, express.static stats the
 * path for every request that reaches it, so each page and `.data` request paid a failed stat
 * (and the stream and error made for it) before Remix answered. The same files are served: a path
 * outside those names was never a file there. `dir` is listed once: the build does not change
 * under a running server.
 */
export function staticUnderBuiltNames(dir: string, handler: RequestHandler): RequestHandler {
  let names: Set<string>;
  try {
    names = new Set(readdirSync(path.resolve(dir)));
  } catch {
    names = new Set(); // no build folder: express.static would find nothing either
  }
  return (req, res, next) => {
    let first: string;
    try {
      first = decodeURIComponent(req.path).split("/")[1] ?? "";
    } catch {
      return handler(req, res, next); // express.static answers a malformed path as before
    }
    if (first === "" ? names.has("index.html") : names.has(first)) return handler(req, res, next);
    next();
  };
}
