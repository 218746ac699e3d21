// First-load JavaScript and CSS of a page, gzipped: what its HTML makes a browser fetch on the
// first visit (stylesheets, modulepreloads, script src and the modules Remix's inline script
// imports), each file fetched uncompressed from the running server and gzipped here at level 9,
// so the figure does not depend on the server's compression settings. Same-origin files only.
// (scripts/page-weight.ts measures bytes on the wire for a few pages; this is the bench's goal check.)
import { gzipSync } from "node:zlib";
import { BenchError, type Client } from "./load";

export interface FirstLoad {
  js: number;
  css: number;
  jsFiles: number;
  cssFiles: number;
}

/** The same-origin stylesheets and scripts a page's HTML loads. */
export function subresources(html: string, origin: string): string[] {
  const found = new Set<string>();
  const unescape = (s: string) => s.replace(/&amp;/g, "&");
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/\brel="?(stylesheet|modulepreload)"?/i.test(tag)) continue;
    const href = /\bhref="([^"]+)"/i.exec(tag)?.[1];
    if (href) found.add(unescape(href));
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gi)) found.add(unescape(m[1]!));
  // Remix's inline module script imports the entry and route modules (normally also modulepreloaded).
  for (const m of html.matchAll(/import\s*(?:[\w*{}\s,]+from\s*)?["'](\/[^"']+\.js)["']/g)) found.add(m[1]!);
  return [...found].filter((u) => new URL(u, origin).origin === origin);
}

const gzippedSizes = new Map<string, { bytes: number; css: boolean }>();

async function gzippedSize(client: Client, href: string): Promise<{ bytes: number; css: boolean }> {
  const cached = gzippedSizes.get(href);
  if (cached) return cached;
  const res = await client.request(href, { headers: { "Accept-Encoding": "identity" } });
  if (res.status !== 200) throw new BenchError(`First-load file ${href} answered ${res.status}`);
  const type = String(res.headers["content-type"] ?? "");
  const size = { bytes: gzipSync(res.body, { level: 9 }).length, css: type.includes("css") || href.endsWith(".css") };
  gzippedSizes.set(href, size);
  return size;
}

export async function firstLoad(client: Client, pathname: string, cookie: string): Promise<FirstLoad> {
  const page = await client.request(pathname, { cookie, headers: { "Accept-Encoding": "identity" } });
  if (page.status !== 200) throw new BenchError(`GET ${pathname} answered ${page.status} while weighing it`);
  const result: FirstLoad = { js: 0, css: 0, jsFiles: 0, cssFiles: 0 };
  for (const href of subresources(page.body.toString("utf8"), new URL(client.baseURL).origin)) {
    const size = await gzippedSize(client, href);
    if (size.css) {
      result.css += size.bytes;
      result.cssFiles++;
    } else {
      result.js += size.bytes;
      result.jsFiles++;
    }
  }
  return result;
}
