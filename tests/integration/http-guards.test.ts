// The express guards in front of Remix (app/.server/http-guards.server.ts), on a real socket:
// over-limit bodies get 413 before they are read, odd request-targets get 400.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import net from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bodyLimit,
  clientErrorHandler,
  declaresTooLarge,
  isAcceptableRequestTarget,
  refuseTooLarge,
  requestTargetGuard,
} from "~/.server/http-guards.server";

const LIMIT = 1024;
let server: ReturnType<express.Express["listen"]>;
let port: number;
let bodiesSeen = 0;

beforeAll(async () => {
  const app = express();
  app.use(requestTargetGuard);
  app.use(bodyLimit(LIMIT));
  app.all("*", (req, res) => {
    const body = (Object.getOwnPropertySymbols(req)
      .map((s) => (req as unknown as Record<symbol, unknown>)[s])
      .find(Buffer.isBuffer) ?? Buffer.alloc(0)) as Buffer;
    bodiesSeen += 1;
    res.type("text").send(`ok ${body.length}`);
  });
  app.use(clientErrorHandler);
  server = app.listen(0, "127.0.0.1");
  server.on("checkContinue", (req, res) => {
    if (declaresTooLarge(req, LIMIT)) return refuseTooLarge(res);
    res.writeContinue();
    app(req, res);
  });
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes raw bytes; resolves with everything the server sent back before closing (or after `waitMs`). */
function raw(write: (socket: net.Socket) => void, waitMs = 2000): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, "127.0.0.1");
    let text = "";
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({ text, ms: performance.now() - started });
    };
    socket.on("data", (d) => {
      text += d.toString("latin1");
      if (/\r\n\r\n/.test(text) && /^HTTP\/1\.1 \d+/.test(text) && /Content-Length: (\d+)/i.test(text)) {
        const length = Number(/Content-Length: (\d+)/i.exec(text)![1]);
        if (text.length - text.indexOf("\r\n\r\n") - 4 >= length) done();
      }
    });
    socket.on("error", done);
    socket.on("close", done);
    socket.on("connect", () => write(socket));
    setTimeout(done, waitMs);
  });
}

function statusLine(text: string) {
  return /^HTTP\/1\.1 (\d+)/.exec(text)?.[1];
}

describe("request-targets", () => {
  it("accepts ordinary paths and refuses *, absolute-form, undecodable and control-character paths", () => {
    expect(isAcceptableRequestTarget("/support?q=%00")).toBe(true);
    expect(isAcceptableRequestTarget("/support/back-care")).toBe(true);
    expect(isAcceptableRequestTarget("*")).toBe(false);
    expect(isAcceptableRequestTarget("http://evil.test/")).toBe(false);
    expect(isAcceptableRequestTarget("//evil.test/")).toBe(false);
    expect(isAcceptableRequestTarget("/support/%FF")).toBe(false);
    expect(isAcceptableRequestTarget("/support/%00")).toBe(false);
    expect(isAcceptableRequestTarget("/support/%0A")).toBe(false);
  });

  it("answers GET * and /support/%FF with 400 on the wire", async () => {
    const star = await raw((s) => s.write("GET * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    expect(statusLine(star.text)).toBe("400");
    const ff = await raw((s) => s.write("GET /support/%FF HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    expect(statusLine(ff.text)).toBe("400");
    expect(ff.text).not.toMatch(/URIError|at \w+ \(/);
  });
});

describe("body limit", () => {
  it("passes a body within the limit through whole", async () => {
    const body = "a=" + "x".repeat(LIMIT - 2);
    const res = await fetch(`http://127.0.0.1:${port}/login`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`ok ${LIMIT}`);
  });

  it("refuses a Content-Length over the limit at once, without reading the body", async () => {
    const before = bodiesSeen;
    // Declares 100 MB and sends only the first kilobyte: the answer cannot have waited for the rest.
    const { text, ms } = await raw((s) => {
      s.write(
        `POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`,
      );
      s.write("x".repeat(1024));
    });
    expect(statusLine(text)).toBe("413");
    expect(text).toMatch(/Connection: close/i);
    expect(text).toContain("too large");
    expect(ms).toBeLessThan(1000);
    expect(bodiesSeen).toBe(before);
  });

  it("counts a chunked body as it arrives and stops at the limit", async () => {
    const before = bodiesSeen;
    const { text } = await raw((s) => {
      s.write("POST /login HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
      const chunk = "y".repeat(600);
      // Two chunks pass the limit; the body never ends (no terminating 0-chunk): only counting can answer.
      s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    expect(statusLine(text)).toBe("413");
    expect(bodiesSeen).toBe(before);
  });

  it("answers Expect: 100-continue with 413 instead of inviting the body", async () => {
    const { text } = await raw((s) =>
      s.write(
        `POST /login HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`,
      ),
    );
    expect(statusLine(text)).toBe("413");
    expect(text).not.toMatch(/100 Continue/);
  });
});
