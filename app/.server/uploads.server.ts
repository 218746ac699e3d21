// Routes that take a file upload streamed into Remix rather than buffered by bodyLimit (server.ts;
// app/.server/http-guards.server.ts). One today: the ESR leavers import (docs/decisions/035).
import type { IncomingMessage } from "node:http";
import { getOptionalUser } from "./auth/session.server";
import { isAllowedOrigin, originMatchesHost } from "./csrf.server";
import { env } from "./env";
import { type StreamedUploadRoute } from "./http-guards.server";
import { can } from "./permissions.server";

/** The largest ESR extract accepted, in bytes (the route checks the file itself as it streams). */
export const ESR_UPLOAD_FILE_LIMIT = 20 * 1024 * 1024;

const ESR_TOO_LARGE_PAGE =
  `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>The file is larger than 20 MB – StayWell</title><link rel="stylesheet" href="/nhsuk/nhsuk-frontend.min.css?v=10.6.1"></head>` +
  `<body><div class="nhsuk-width-container"><main class="nhsuk-main-wrapper" id="maincontent">` +
  `<h1>The file is larger than 20 MB</h1><p>StayWell accepts ESR leavers extracts of up to 20 MB (about 150,000 leavers). ` +
  `Nothing was imported. Split the extract, for example by year of termination, and upload each part.</p>` +
  `<p><a href="/admin/leavers">Go back to ESR leavers</a></p></main></div></body></html>`;

/**
 * Whether a request may stream an ESR extract: from our own origin (the CSRF check, again here so
 * this holds whatever runs before it) and with the session cookie of a signed-in administrator
 * (permission module: admin:manage). Read from the headers only; a failed lookup answers no.
 */
export async function mayStreamEsrUpload(
  req: Pick<IncomingMessage, "method" | "headers">,
  appUrl = env().APP_URL,
): Promise<boolean> {
  const origin = req.headers.origin;
  const forwardedHost = req.headers["x-forwarded-host"];
  if (!isAllowedOrigin(req.method ?? "POST", origin, appUrl)) return false;
  if (
    !originMatchesHost(
      req.method ?? "POST",
      origin,
      req.headers.host,
      Array.isArray(forwardedHost) ? forwardedHost[0] : forwardedHost,
    )
  ) {
    return false;
  }
  const cookie = req.headers.cookie;
  if (!cookie) return false;
  try {
    const user = await getOptionalUser(
      new Request("http://staywell.invalid/admin/leavers", { headers: { Cookie: cookie } }),
    );
    return can(user, "admin:manage");
  } catch {
    return false;
  }
}

export const STREAMED_UPLOADS: readonly StreamedUploadRoute[] = [
  {
    paths: ["/admin/leavers", "/admin/leavers.data"],
    // The file plus the multipart framing around it.
    limit: ESR_UPLOAD_FILE_LIMIT + 64 * 1024,
    tooLargePage: ESR_TOO_LARGE_PAGE,
    mayStream: (req) => mayStreamEsrUpload(req),
  },
];

/**
 * Largest chunk handed to Remix's multipart parser. That parser (@web3-storage/multipart-parser
 * 1.0.0) splits each chunk at every CRLF and joins the pieces with `mergeArrays(...pieces)`: one
 * argument per line, so a chunk holding a whole 100,000-line CSV overflows the call stack
 * ("Maximum call stack size exceeded", which the page reported as "The upload could not be
 * read"). 16 KiB holds at most 8,192 lines: far below any engine's argument limit.
 */
export const MULTIPART_CHUNK_BYTES = 16 * 1024;

/** The request again, its body cut into chunks of at most `chunkBytes` (nothing is buffered). */
export function withSmallChunks(request: Request, chunkBytes = MULTIPART_CHUNK_BYTES): Request {
  if (!request.body) return request;
  const cutting = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      for (let at = 0; at < chunk.byteLength; at += chunkBytes) {
        controller.enqueue(chunk.subarray(at, Math.min(at + chunkBytes, chunk.byteLength)));
      }
    },
  });
  const init: RequestInit & { duplex: "half" } = {
    method: request.method,
    headers: request.headers,
    body: request.body.pipeThrough(cutting),
    signal: request.signal,
    duplex: "half",
  };
  return new Request(request.url, init);
}
