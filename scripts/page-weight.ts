// npm run page-weight -- [BASE_URL] [ACCEPT_ENCODING]
//   BASE_URL default http://localhost:3000 (a demo-seeded server); ACCEPT_ENCODING default "gzip"
//   (the budgets are gzipped; pass "gzip, deflate, br, zstd" to see what Chromium takes
//   over HTTPS, or "identity" for the raw sizes).
// What a browser loads on a first visit to each page type: the HTML plus every stylesheet and
// script it links (stylesheets, modulepreloads, script src, the route modules Remix's inline
// script imports), counted as bytes on the wire (the body as sent, after any Content-Encoding;
// headers not counted). Signs in with the demo accounts over HTTP and finds a request reference
// for the request pages from the lists. Prints one row per page with its JavaScript budget
// (issue 11: ≤ 100 KB gzipped on the catalogue and offer pages, ≤ 150 KB on every page) and
// exits 1 when a page is over budget.
//
// measurePageWeights() is the same measurement for other scripts (scripts/bench.ts prints bytes
// per page); it returns numbers and prints nothing.
import http from "node:http";
import { pathToFileURL } from "node:url";
import { DEMO_PASSWORD } from "../db/seed-data/accounts";

/** First-load JavaScript budgets in bytes (issue 11, goal 4). */
export const JS_BUDGET_STATIC = 100 * 1024;
export const JS_BUDGET_ANY = 150 * 1024;

/** A page type, how to reach it, and who can see it. `path` may be found from another page. */
interface PageSpec {
  page: string;
  who: string;
  budget: number;
  path: string | ((find: FindLink) => Promise<string>);
}
type FindLink = (listPath: string, who: string, pattern: RegExp) => Promise<string>;

const STAFF = "staff@uhnm.staywell.test";
const COORDINATOR = "coordinator@icb.staywell.test";
const MANAGER = "manager@icb.staywell.test";
const ADMIN = "admin@icb.staywell.test";
const OFFER = "financial-wellbeing";

export const PAGE_TYPES: PageSpec[] = [
  { page: "catalogue", who: STAFF, budget: JS_BUDGET_STATIC, path: "/support" },
  { page: "offer", who: STAFF, budget: JS_BUDGET_STATIC, path: `/support/${OFFER}` },
  { page: "request form", who: STAFF, budget: JS_BUDGET_ANY, path: `/support/${OFFER}/request` },
  { page: "my requests", who: STAFF, budget: JS_BUDGET_ANY, path: "/my/requests" },
  {
    page: "request page",
    who: STAFF,
    budget: JS_BUDGET_ANY,
    path: (find) => find("/my/requests", STAFF, /href="(\/my\/requests\/SW-[^"?#]+)"/),
  },
  { page: "hub", who: COORDINATOR, budget: JS_BUDGET_ANY, path: "/hub" },
  {
    page: "hub request",
    who: COORDINATOR,
    budget: JS_BUDGET_ANY,
    path: (find) => find("/hub", COORDINATOR, /href="(\/hub\/requests\/SW-[^"?#]+)"/),
  },
  { page: "insights", who: MANAGER, budget: JS_BUDGET_ANY, path: "/insights" },
  { page: "admin", who: ADMIN, budget: JS_BUDGET_ANY, path: "/admin" },
];

export interface PageWeight {
  page: string;
  path: string;
  who: string;
  /** Content-Encoding of the HTML as sent ("none" when uncompressed). */
  encoding: string;
  /** Bytes on the wire. */
  html: number;
  css: number;
  js: number;
  /** How many script files the first load fetches. */
  jsFiles: number;
  budget: number;
}

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(
  base: URL,
  path: string,
  headers: Record<string, string>,
  method = "GET",
  body?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

async function signIn(base: URL, email: string) {
  const body = new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "" }).toString();
  const res = await request(
    base,
    "/login",
    {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: base.origin,
      "Content-Length": String(Buffer.byteLength(body)),
    },
    "POST",
    body,
  );
  const cookie = (res.headers["set-cookie"] ?? [])
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("staywell_session="));
  if (res.status !== 302 || !cookie) throw new Error(`Sign-in as ${email} failed: ${res.status}`);
  return cookie;
}

/** Stylesheets, modulepreloads and script src of a page (the same-origin ones). */
function subresources(base: URL, html: string) {
  const found = new Set<string>();
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/rel="(stylesheet|modulepreload)"/i.test(tag)) continue;
    const href = /href="([^"]+)"/i.exec(tag)?.[1];
    if (href) found.add(href.replace(/&amp;/g, "&"));
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gi)) found.add(m[1].replace(/&amp;/g, "&"));
  // Remix's inline module script imports the route modules: normally also modulepreloaded.
  for (const m of html.matchAll(/import\s*(?:\*\s*as\s*\w+\s*from\s*)?"(\/assets\/[^"]+)"/g)) found.add(m[1]);
  return [...found].filter((u) => new URL(u, base).origin === base.origin);
}

// Pages are opened as from a StayWell link (the hub's request page asks first for a cross-site one).
const NAVIGATION = { "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate" };

/**
 * First-load bytes of every page type (PAGE_TYPES) on a running demo-seeded server, as sent for
 * `acceptEncoding` (default gzip). Sign-ins are made once per account.
 */
export async function measurePageWeights(baseUrl: string | URL, acceptEncoding = "gzip"): Promise<PageWeight[]> {
  const base = new URL(baseUrl);
  const cookies = new Map<string, string>();
  const cookieFor = async (who: string) => {
    if (!cookies.has(who)) cookies.set(who, await signIn(base, who));
    return cookies.get(who)!;
  };
  const find: FindLink = async (listPath, who, pattern) => {
    const list = await request(base, listPath, {
      Cookie: await cookieFor(who),
      "Accept-Encoding": "identity",
      ...NAVIGATION,
    });
    const path = pattern.exec(list.body.toString("utf8"))?.[1];
    if (!path) throw new Error(`No link matching ${pattern} on ${listPath} for ${who}: is the server demo-seeded?`);
    return path;
  };
  const assetCache = new Map<string, Raw>();
  const results: PageWeight[] = [];
  for (const spec of PAGE_TYPES) {
    const cookie = await cookieFor(spec.who);
    const path = typeof spec.path === "string" ? spec.path : await spec.path(find);
    const page = await request(base, path, { Cookie: cookie, "Accept-Encoding": acceptEncoding, ...NAVIGATION });
    if (page.status !== 200) throw new Error(`${path}: ${page.status}`);
    // The links are read from the uncompressed page (same markup either way).
    const plain =
      acceptEncoding === "identity"
        ? page
        : await request(base, path, { Cookie: cookie, "Accept-Encoding": "identity", ...NAVIGATION });
    const weight: PageWeight = {
      page: spec.page,
      path,
      who: spec.who,
      encoding: String(page.headers["content-encoding"] ?? "none"),
      html: page.body.length,
      css: 0,
      js: 0,
      jsFiles: 0,
      budget: spec.budget,
    };
    for (const href of subresources(base, plain.body.toString("utf8"))) {
      let res = assetCache.get(href);
      if (!res) {
        res = await request(base, href, { "Accept-Encoding": acceptEncoding });
        if (res.status !== 200) throw new Error(`${href}: ${res.status}`);
        assetCache.set(href, res);
      }
      const type = String(res.headers["content-type"] ?? "");
      if (type.includes("css")) weight.css += res.body.length;
      else {
        weight.js += res.body.length;
        weight.jsFiles += 1;
      }
    }
    results.push(weight);
  }
  return results;
}

const kb = (n: number) => (n / 1024).toFixed(1);

/** A Markdown table of the weights, with each page's JavaScript budget. */
export function pageWeightTable(weights: PageWeight[], acceptEncoding = "gzip") {
  const rows = [
    `| Page | Path (who) | JS KB (files) | CSS KB | HTML KB | JS budget KB | (${acceptEncoding}) |`,
    "|---|---|---|---|---|---|---|",
  ];
  for (const w of weights) {
    // The budgets are for gzip: other encodings are shown without a verdict.
    const verdict = acceptEncoding !== "gzip" ? "" : w.js <= w.budget ? "ok" : "**over**";
    rows.push(
      `| ${w.page} | ${w.path.replace(/SW-[^/]+$/, "SW-…")} (${w.who.split("@")[0]}) | ${kb(w.js)} (${w.jsFiles}) | ${kb(w.css)} | ${kb(w.html)} | ≤ ${kb(w.budget)} | ${verdict} |`,
    );
  }
  return rows.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const base = process.argv[2] ?? "http://localhost:3000";
  const encoding = process.argv[3] ?? "gzip";
  const weights = await measurePageWeights(base, encoding);
  console.log(pageWeightTable(weights, encoding));
  const over = weights.filter((w) => w.js > w.budget);
  if (over.length && encoding === "gzip") {
    console.error(`Over the JavaScript budget: ${over.map((w) => w.page).join(", ")}`);
    process.exitCode = 1;
  }
}
