// npm run page-weight -- [BASE_URL] [ACCEPT_ENCODING]
//   BASE_URL default http://localhost:3000 (a demo-seeded server); ACCEPT_ENCODING default what
//   Chromium sends over HTTPS ("gzip, deflate, br, zstd"; over plain HTTP it sends no br).
// What a browser transfers for the main pages: the HTML plus every stylesheet and script it links
// (stylesheets, modulepreloads, script src), counted as bytes on the wire (the body as sent, after
// any Content-Encoding; headers not counted), once without compression (Accept-Encoding: identity)
// and once as Chromium asks (gzip, deflate, br). Signs in with the demo accounts over HTTP.
import http from "node:http";
import { DEMO_PASSWORD } from "../db/seed-data/accounts";

const base = new URL(process.argv[2] ?? "http://localhost:3000");
const BROWSER_ENCODINGS = process.argv[3] ?? "gzip, deflate, br, zstd";

const PAGES: { path: string; who: string }[] = [
  { path: "/support", who: "staff@uhnm.staywell.test" },
  { path: "/support/financial-wellbeing", who: "staff@uhnm.staywell.test" },
  { path: "/hub", who: "coordinator@icb.staywell.test" },
  { path: "/insights", who: "manager@icb.staywell.test" },
];

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(path: string, headers: Record<string, string>, method = "GET", body?: string): Promise<Raw> {
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

async function signIn(email: string) {
  const body = new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "" }).toString();
  const res = await get(
    "/login",
    { "Content-Type": "application/x-www-form-urlencoded", Origin: base.origin, "Content-Length": String(Buffer.byteLength(body)) },
    "POST",
    body,
  );
  const cookie = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).find((c) => c.startsWith("staywell_session="));
  if (res.status !== 302 || !cookie) throw new Error(`Sign-in as ${email} failed: ${res.status}`);
  return cookie;
}

/** Stylesheets, modulepreloads and script src of a page (the same-origin ones). */
function subresources(html: string) {
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

interface Weight {
  html: number;
  css: number;
  js: number;
  htmlEncoding: string;
}

async function weigh(path: string, cookie: string, acceptEncoding: string): Promise<Weight> {
  const page = await get(path, { Cookie: cookie, "Accept-Encoding": acceptEncoding });
  if (page.status !== 200) throw new Error(`${path}: ${page.status}`);
  // The links are read from the uncompressed page (same markup either way).
  const plain = acceptEncoding === "identity" ? page : await get(path, { Cookie: cookie, "Accept-Encoding": "identity" });
  const weight: Weight = { html: page.body.length, css: 0, js: 0, htmlEncoding: String(page.headers["content-encoding"] ?? "none") };
  for (const href of subresources(plain.body.toString("utf8"))) {
    const res = await get(href, { "Accept-Encoding": acceptEncoding });
    if (res.status !== 200) throw new Error(`${href}: ${res.status}`);
    const type = String(res.headers["content-type"] ?? "");
    if (type.includes("css")) weight.css += res.body.length;
    else weight.js += res.body.length;
  }
  return weight;
}

const kb = (n: number) => (n / 1024).toFixed(1);
const total = (w: Weight) => w.html + w.css + w.js;

const rows: string[] = [];
rows.push("| Page | Uncompressed: HTML / CSS / JS = total KB | Compressed (encoding): HTML / CSS / JS = total KB | Saved |");
rows.push("|---|---|---|---|");
const cookies = new Map<string, string>();
for (const { path, who } of PAGES) {
  if (!cookies.has(who)) cookies.set(who, await signIn(who));
  const cookie = cookies.get(who)!;
  const plain = await weigh(path, cookie, "identity");
  const packed = await weigh(path, cookie, BROWSER_ENCODINGS);
  const saved = 100 - (100 * total(packed)) / total(plain);
  rows.push(
    `| ${path} (${who.split("@")[0]}) | ${kb(plain.html)} / ${kb(plain.css)} / ${kb(plain.js)} = **${kb(total(plain))}** | ` +
      `(${packed.htmlEncoding}) ${kb(packed.html)} / ${kb(packed.css)} / ${kb(packed.js)} = **${kb(total(packed))}** | ${saved.toFixed(0)} % |`,
  );
}
console.log(rows.join("\n"));
