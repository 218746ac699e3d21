// The server entry: Remix's default Node entry (streaming render; bots get the whole page at
// once), with the StayWell logger in place of console and `handleError` (docs/decisions/016), and
// the Content-Security-Policy nonce (docs/decisions/018): server.ts puts a fresh one in the load
// context and sends it in the CSP header; here it goes to React, which puts it on the inline
// scripts it streams (Suspense boundaries), to <RemixServer> (single-fetch data scripts), and
// through NonceContext to <Scripts> and <ScrollRestoration> in root.tsx.
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { log, logRouteError } from "~/.server/log.server";
import { NonceContext } from "~/lib/nonce";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // Crawlers get the whole document at once; browsers get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
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

// --- Logging (docs/decisions/016) --------------------------------------------------------------
// Remix calls this for every error a loader, action or render throws, and for unmatched URLs. An
// expected 404/403/405 is one line without a stack; anything else is logged with the request id
// (from the log context server.ts opened) and a sanitised error: never database parameters.
export const handleError: HandleErrorFunction = (error, { request }) => {
  logRouteError(error, request);
};
