// Routes that take a file upload streamed into Remix rather than buffered by bodyLimit (server.ts;
// app/.server/http-guards.server.ts). One today: the ESR leavers import (docs/decisions/032).
import { type StreamedUploadRoute } from "./http-guards.server";

/** The largest ESR extract accepted, in bytes (the route checks the file itself as it streams). */
export const ESR_UPLOAD_FILE_LIMIT = 20 * 1024 * 1024;

const ESR_TOO_LARGE_PAGE =
  `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>The file is larger than 20 MB – StayWell</title><link rel="stylesheet" href="/nhsuk/nhsuk-frontend.min.css?v=10.6.1"></head>` +
  `<body><div class="nhsuk-width-container"><main class="nhsuk-main-wrapper" id="maincontent">` +
  `<h1>The file is larger than 20 MB</h1><p>StayWell accepts ESR leavers extracts of up to 20 MB (about 150,000 leavers). ` +
  `Nothing was imported. Split the extract, for example by year of termination, and upload each part.</p>` +
  `<p><a href="/admin/leavers">Go back to ESR leavers</a></p></main></div></body></html>`;

export const STREAMED_UPLOADS: readonly StreamedUploadRoute[] = [
  {
    paths: ["/admin/leavers", "/admin/leavers.data"],
    // The file plus the multipart framing around it.
    limit: ESR_UPLOAD_FILE_LIMIT + 64 * 1024,
    tooLargePage: ESR_TOO_LARGE_PAGE,
  },
];
