// Server entry: Remix's default rendering (streamed to browsers, complete for bots), plus
// handleError, which sorts failures (docs/decisions/019-hostile-input.md) and logs them through the
// StayWell logger with the request id (docs/decisions/016-logging-and-redaction.md):
// - an expected 404 (no such page) is one log line, not a stack trace;
// - a database outage is logged as one line with its code and answered 503 with the friendly
//   "service unavailable" page (the root ErrorBoundary), never 500;
// - a value PostgreSQL refused as invalid data (SQLSTATE class 22) is answered 400;
// - anything else is logged in full (server side only) and is a 500.
// Nothing here prints an error's message for database errors: drizzle's message holds the query's
// parameters (passwords' hashes, answers, phone numbers).
// The Content-Security-Policy nonce (docs/decisions/020): server.ts puts a fresh one in the load
// context and sends it in the CSP header; here it goes to React, which puts it on the inline
// scripts it streams (Suspense boundaries), to <RemixServer> (single-fetch data scripts), and
// through NonceContext to <Scripts> and <ScrollRestoration> in root.tsx.
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { CoalescingStream } from "~/.server/coalescing-stream.server";
import { log, logRouteError } from "~/.server/log.server";
import {
  classifyFailure,
  errorCodeOf,
  FAILURE_STATUS,
  failureOf,
  markFailure,
} from "~/.server/request-failures.server";
import { NonceContext } from "~/lib/nonce";

const ABORT_DELAY = 5_000;

function pathOf(request: Request) {
  try {
    return new URL(request.url).pathname;
  } catch {
    return "?";
  }
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (error instanceof Response) {
    // A Response thrown by a loader (404 for another person's record, 403, 503 on purpose): one line.
    logRouteError(error, request);
    return;
  }
  if (isRouteErrorResponse(error)) {
    // No route matched (Remix attaches an internal Error with a stack): one line.
    if (error.status === 404 || error.status === 405) {
      logRouteError(error, request);
      return;
    }
  }
  const failure = classifyFailure(error);
  if (failure) {
    markFailure(request, failure);
    const code = errorCodeOf(error) ?? "unknown";
    if (failure === "outage")
      log.error({ status: 503, code, method: request.method, path: pathOf(request) }, "the database is unavailable");
    else
      log.warn(
        { status: 400, code, method: request.method, path: pathOf(request) },
        "the database refused a value from the request",
      );
    return;
  }
  logRouteError(error, request);
};

const MESSAGES = {
  outage: "The service is unavailable at the moment.",
  bad_input: "StayWell could not read part of what was sent.",
} as const;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const failure = failureOf(request);
  if (failure && responseStatusCode >= 500 && responseStatusCode !== FAILURE_STATUS[failure]) {
    // Remix renders again with this as the route error: the root ErrorBoundary's page for the
    // status, and the status itself (503 or 400) on the response. (That second render arrives
    // here with the 503 and goes on to render.)
    const headers = failure === "outage" ? { "Retry-After": "30" } : undefined;
    throw new Response(MESSAGES[failure], { status: FAILURE_STATUS[failure], headers });
  }
  const nonce = loadContext.cspNonce;
  // Crawlers get the whole document at once; browsers get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new CoalescingStream();
      const stream = createReadableStreamFromReadable(body);
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady: waitForAll ? undefined : ready,
        onAllReady: waitForAll ? ready : undefined,
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors while rendering the shell reject above and Remix logs them; log the later ones.
          if (shellRendered) log.error({ err: error }, "error while streaming a page");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
