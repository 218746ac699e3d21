// The bench's measuring parts (scripts/bench/): which files count as a page's first load, the
// percentiles, and the interleaved load against a tiny local server whose "page" is slower than
// its "bare" route, so the ratio must come out below 1.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subresources } from "../../scripts/bench/first-load";
import { alone, BenchError, Client, interleave, percentile, reqPerSec } from "../../scripts/bench/load";

describe("first-load files", () => {
  it("counts stylesheets, modulepreloads, script src and the modules Remix's inline script imports, same origin only", () => {
    const html = `<head>
      <link rel="stylesheet" href="/nhsuk/nhsuk-frontend.min.css"/>
      <link rel="stylesheet" href="/assets/app-1.css"/>
      <link rel="modulepreload" href="/assets/manifest-1.js"/>
      <link rel="icon" href="/favicon.ico"/>
      <link rel="stylesheet" href="https://cdn.example/x.css"/>
      <script src="/assets/legacy.js?a=1&amp;b=2"></script>
      <script type="module">import "/assets/manifest-1.js"; import * as route0 from "/assets/root-1.js"; import("/assets/lazy.js");</script>
    </head>`;
    expect(subresources(html, "http://127.0.0.1:3000").sort()).toEqual(
      [
        "/assets/app-1.css",
        "/assets/legacy.js?a=1&b=2",
        "/assets/manifest-1.js",
        "/assets/root-1.js",
        "/nhsuk/nhsuk-frontend.min.css",
      ].sort(),
    );
  });
});

describe("percentile", () => {
  it("takes the nearest-rank value, whatever the order", () => {
    const times = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(times, 0.5)).toBe(5);
    expect(percentile(times, 0.95)).toBe(10);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe("load against a local server", () => {
  let server: http.Server;
  let client: Client;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/missing") {
        res.statusCode = 404;
        return res.end("not here");
      }
      if (req.headers.cookie !== "s=1") {
        res.statusCode = 302;
        res.setHeader("Location", "/login");
        return res.end();
      }
      // The "page" takes 15 ms, the "bare" route answers at once.
      setTimeout(() => res.end("ok"), req.url === "/page" ? 15 : 0);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    client = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 4);
  });
  afterAll(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("interleaves the page with the bare route and finds the slower page's ratio below 1", async () => {
    const { page, bare } = await interleave(client, {
      page: "/page",
      bare: "/bare",
      cookie: "s=1",
      connections: 4,
      seconds: 0.6,
      slices: 2,
    });
    expect(page.requests).toBeGreaterThan(0);
    expect(bare.requests).toBeGreaterThan(page.requests);
    expect(reqPerSec(page) / reqPerSec(bare)).toBeLessThan(0.8);
    expect(percentile(page.times, 0.5)).toBeGreaterThanOrEqual(14);
  });

  it("sends exactly --requests per route when counting requests instead of time", async () => {
    const { page, bare } = await interleave(client, {
      page: "/page",
      bare: "/bare",
      cookie: "s=1",
      connections: 4,
      seconds: Infinity,
      slices: 2,
      requests: 10,
    });
    expect(page.requests).toBe(10);
    expect(bare.requests).toBe(10);
  });

  it("times the single-connection pass one request at a time", async () => {
    const m = await alone(client, "/page", "s=1", 6, 10);
    expect(m.requests).toBe(6);
    expect(m.seconds * 1000).toBeGreaterThanOrEqual(6 * 14);
  });

  it("stops on anything but 200, saying what came back", async () => {
    await expect(client.get("/missing", "s=1")).rejects.toThrow(BenchError);
    await expect(client.get("/page", "s=2")).rejects.toThrow(/answered 302 \(Location: \/login\)/);
  });
});
