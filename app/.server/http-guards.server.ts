// Express-side defences against hostile requests, in front of Remix (docs/decisions/019-hostile-input.md):
//
// - requestTargetGuard: a request-target that is not an absolute path ("GET *", "GET http://…"),
//   a path that does not percent-decode ("/support/%FF"), or a path with control characters
//   ("/support/%00") is answered 400 before anything else runs.
// - bodyLimit: a request body over the limit is answered 413 BEFORE the rest is read: a
//   Content-Length over the limit is refused at once; a chunked body is counted as it arrives and
//   refused the moment it passes the limit. Either way the connection is closed, so the rest of
//   the upload is never read. A body within the limit is kept (at most `limit` bytes in memory)
//   and handed to Remix by remixHandler (the express adapter would read the stream itself).
//   Exception: a streamed upload route (the ESR leavers import, docs/decisions/035) is not buffered
//   when the request may stream (its mayStream: a signed-in administrator, from our own origin,
//   decided from the headers before any of the body is read): its body reaches Remix as a stream,
//   counted as it is read and cut off past the route's own limit; a Content-Length over that limit
//   is refused at once with a page saying so. Anyone else gets the ordinary limit above.
// - remixHandler: @remix-run/express's handler, with the body from bodyLimit.
// - clientErrorHandler: express errors that carry a 4xx status (a path express cannot decode,
//   say) keep it; anything else is a plain 500 page. Never a stack trace.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createRequestHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type express from "express";
import { FAILURE_STATUS, failureOf } from "./request-failures.server";
import { log } from "./log.server";

const CONTROL = /[\u0000-\u001f\u007f]/;
const BODY_METHODS_WITHOUT = new Set(["GET", "HEAD", "OPTIONS"]);

function page(title: string, text: string) {
  return (
    `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${title} – StayWell</title><link rel="stylesheet" href="/nhsuk/nhsuk-frontend.min.css?v=10.6.1"></head>` +
    `<body><div class="nhsuk-width-container"><main class="nhsuk-main-wrapper" id="maincontent">` +
    `<h1>${title}</h1><p>${text}</p><p><a href="/">Go to the StayWell home page</a></p></main></div></body></html>`
  );
}

export const BAD_REQUEST_PAGE = page(
  "Sorry, we could not read that web address",
  "Check the web address is correct, or go back and try again.",
);
export const TOO_LARGE_PAGE = page(
  "What you sent is too large",
  "The form you sent was larger than StayWell accepts. Go back, shorten what you typed, and send it again.",
);
export const SERVER_ERROR_PAGE = page("Sorry, there is a problem with the service", "Try again later.");

/** Whether the raw request-target is an absolute path whose path part decodes without control characters. */
export function isAcceptableRequestTarget(target: string | undefined): boolean {
  if (!target || !target.startsWith("/") || target.startsWith("//")) return false;
  const pathPart = target.split("?")[0].split("#")[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return false;
  }
  return !CONTROL.test(decoded);
}

export const requestTargetGuard: express.RequestHandler = (req, res, next) => {
  if (isAcceptableRequestTarget(req.url)) return next();
  res.status(400).type("html").send(BAD_REQUEST_PAGE);
};

/** The body limit in bytes from a number of kilobytes (the MAX_BODY_KB setting). */
export function bodyLimitBytes(kilobytes: number) {
  return Math.max(1, Math.floor(kilobytes)) * 1024;
}

/** A Content-Length header that already says the body is over the limit. */
export function declaresTooLarge(req: IncomingMessage, limit: number) {
  const header = req.headers["content-length"];
  if (header === undefined) return false;
  // A malformed length is refused by Node's parser before we see the request; be strict anyway.
  return !/^\d+$/.test(header) || Number(header) > limit;
}

/** Answers 413 and closes the connection, so the rest of the body is never read. */
export function refuseTooLarge(res: ServerResponse, page = TOO_LARGE_PAGE) {
  if (res.headersSent) return;
  const body = Buffer.from(page);
  res.writeHead(413, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": body.length,
    Connection: "close",
    "Cache-Control": "no-store",
  });
  res.end(body);
}

const BODY = Symbol("staywell.body");
const STREAMED = Symbol("staywell.streamed");
type WithBody = IncomingMessage & { [BODY]?: Buffer; [STREAMED]?: number };

/** A route whose multipart uploads stream into Remix instead of being buffered. */
export interface StreamedUploadRoute {
  /** Paths as Remix sees them (the page and its single-fetch `.data` twin). */
  paths: readonly string[];
  /** Whole request body, in bytes (the file's own limit is checked by the route). */
  limit: number;
  /** The 413 page when Content-Length already says the body is over the limit. */
  tooLargePage: string;
  /**
   * Whether this request may stream (decided from its headers alone, BEFORE a byte of the body is
   * read): for the ESR import, a signed-in administrator posting from our own origin. Otherwise the
   * request gets the ordinary buffered body limit (MAX_BODY_KB), and the route's own checks answer.
   */
  mayStream(req: IncomingMessage): Promise<boolean>;
}

export class UploadTooLargeError extends Error {
  constructor() {
    super("The upload is larger than this page accepts");
    this.name = "UploadTooLargeError";
  }
}

/** The streamed upload route a request is for (a multipart POST to one of its paths), if any. */
export function streamedUploadFor(
  req: Pick<IncomingMessage, "method" | "url" | "headers">,
  uploads: readonly StreamedUploadRoute[],
): StreamedUploadRoute | undefined {
  if (req.method !== "POST") return undefined;
  if (!/^multipart\/form-data\b/i.test(String(req.headers["content-type"] ?? ""))) return undefined;
  const path = (req.url ?? "").split("?")[0];
  return uploads.find((u) => u.paths.includes(path));
}

export function bodyLimit(limit: number, uploads: readonly StreamedUploadRoute[] = []): express.RequestHandler {
  return (req, res, next) => {
    if (BODY_METHODS_WITHOUT.has(req.method)) return next();
    const upload = streamedUploadFor(req, uploads);
    if (!upload) return buffered(req, res, next, limit);
    // Nothing is read from the body until the request is known to come from someone who may stream.
    req.pause();
    upload.mayStream(req).then(
      (allowed) => {
        if (!allowed) return buffered(req, res, next, limit);
        if (declaresTooLarge(req, upload.limit)) {
          refuseTooLarge(res, upload.tooLargePage);
          return;
        }
        (req as WithBody)[STREAMED] = upload.limit;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

/** The ordinary path: the whole body kept in memory, refused (413) the moment it passes `limit`. */
function buffered(req: express.Request, res: express.Response, next: express.NextFunction, limit: number) {
  if (declaresTooLarge(req, limit)) {
    // Stop reading: the socket closes after the 413 is written.
    req.pause();
    refuseTooLarge(res);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (err?: unknown) => {
    if (done) return;
    done = true;
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onError);
    if (err) return next(err);
    (req as WithBody)[BODY] = Buffer.concat(chunks, size);
    next();
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.pause();
      chunks.length = 0;
      refuseTooLarge(res);
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => finish();
  // A client that goes away mid-upload: nothing to answer.
  const onError = () => {
    done = true;
    req.off("data", onData);
    req.off("end", onEnd);
  };
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", onError);
  req.resume();
}

function headersOf(req: express.Request) {
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

async function sendRemixResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** The Fetch Request Remix sees: as @remix-run/express builds it, with the body bodyLimit kept. */
export function createRemixRequest(req: express.Request, res: express.Response): Request {
  const [, forwardedPortText] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPortText] = req.get("host")?.split(":") ?? [];
  const forwardedPort = Number.parseInt(forwardedPortText, 10);
  const hostPort = Number.parseInt(hostPortText, 10);
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : "";
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers: headersOf(req),
    signal: controller.signal,
  };
  const streamedLimit = (req as WithBody)[STREAMED];
  if (streamedLimit !== undefined) {
    init.body = countedBody(req, res, streamedLimit);
    init.duplex = "half";
  } else if (req.method !== "GET" && req.method !== "HEAD") {
    const body = (req as WithBody)[BODY];
    if (body === undefined) throw new Error("bodyLimit() must run before remixHandler()");
    init.body = new Uint8Array(body) as Uint8Array<ArrayBuffer>;
  }
  // Abort loaders and actions when the response can no longer be written (as the adapter does).
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

/**
 * The request body as a stream that errors with UploadTooLargeError the moment it passes `limit`
 * (reading stops; the connection is closed after the answer).
 */
function countedBody(req: IncomingMessage, res: ServerResponse, limit: number): ReadableStream<Uint8Array> {
  let size = 0;
  let finished = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (finished) return;
        size += chunk.length;
        if (size > limit) {
          finished = true;
          req.pause();
          if (!res.headersSent) res.setHeader("Connection", "close");
          controller.error(new UploadTooLargeError());
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on("end", () => {
        if (finished) return;
        finished = true;
        controller.close();
      });
      req.on("error", (err) => {
        if (finished) return;
        finished = true;
        controller.error(err);
      });
    },
    pull() {
      if (!finished) req.resume();
    },
    cancel() {
      finished = true;
      req.pause();
      if (!res.headersSent) res.setHeader("Connection", "close");
    },
  });
}

export function remixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode?: string;
  getLoadContext?: (req: express.Request, res: express.Response) => AppLoadContext;
}): express.RequestHandler {
  const handleRequest = createRequestHandler(options.build, options.mode);
  return async (req, res, next) => {
    try {
      const request = createRemixRequest(req, res);
      let response = await handleRequest(request, options.getLoadContext?.(req, res) ?? {});
      // Data and resource requests that failed for a database outage or a refused value
      // (marked by handleError in app/entry.server.tsx): 503 / 400 rather than 500.
      const failure = failureOf(request);
      if (failure && response.status >= 500) {
        const headers = new Headers(response.headers);
        if (failure === "outage") headers.set("Retry-After", "30");
        response = new Response(response.body, { status: FAILURE_STATUS[failure], headers });
      }
      await sendRemixResponse(res, response);
    } catch (err) {
      next(err);
    }
  };
}

function statusOf(err: unknown): number | undefined {
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? status : undefined;
}

/** Last resort for errors outside Remix: a 4xx the error carries (bad path encoding, say), else 500. */
export const clientErrorHandler: express.ErrorRequestHandler = (err, req, res, _next) => {
  const status = statusOf(err);
  if (status) {
    // req.path may be the undecodable path itself: not logged (the access line has what is safe).
    log.warn({ status }, "request refused before Remix");
  } else {
    log.error({ err }, "unexpected error outside Remix");
  }
  if (res.headersSent) return;
  res
    .status(status ?? 500)
    .type("html")
    .send(status === 413 ? TOO_LARGE_PAGE : status ? BAD_REQUEST_PAGE : SERVER_ERROR_PAGE);
};
