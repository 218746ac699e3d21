// Which failures are not the server's fault (docs/decisions/019-hostile-input.md):
//
// - "outage": the database cannot be reached (refused, reset, timed out, shut down, too many
//   connections, not accepting connections — any FATAL from PostgreSQL —, PGlite closed). The answer is 503 with a friendly page, not 500.
// - "bad_input": PostgreSQL refused a value as invalid data (SQLSTATE class 22: a NUL byte, a
//   number or date out of range, text where a uuid belongs). Every such value came from the
//   request, so the answer is 400. Routes and models check their input first; this is the
//   backstop for a check that was missed, and it is still logged as a warning so it gets fixed.
//
// drizzle wraps driver errors (DrizzleQueryError, whose message holds the query and its
// parameters): the cause chain is walked, and nothing here ever prints a message or parameters.
export type RequestFailure = "outage" | "bad_input";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "EAI_AGAIN",
  // postgres.js
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/** SQLSTATEs meaning the server is going away, not ready, or full. */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = err;
  while (current && typeof current === "object" && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** The error's code: a SQLSTATE from PostgreSQL or PGlite, or a Node / postgres.js code. */
export function errorCodeOf(err: unknown): string | undefined {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code) return code;
  }
  return undefined;
}

export function classifyFailure(err: unknown): RequestFailure | null {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (CONNECTION_CODES.has(code) || code.startsWith("08") || UNAVAILABLE_SQLSTATES.has(code)) return "outage";
      if (/^22[0-9A-Z]{3}$/.test(code)) return "bad_input";
    }
    // PostgreSQL ends the session with FATAL (or PANIC) when it will not serve us at all: the
    // database is not accepting connections (55000), does not exist, shutting down, full…
    const severity = (e as { severity?: unknown }).severity;
    if (severity === "FATAL" || severity === "PANIC") return "outage";
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && /^PGlite is closed/i.test(message)) return "outage";
    // AggregateError from a connection attempt to every address of a host.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length && errors.every((inner) => classifyFailure(inner) === "outage"))
      return "outage";
  }
  return null;
}

export const FAILURE_STATUS: Record<RequestFailure, number> = { outage: 503, bad_input: 400 };

// The mark lives on the Request object itself (a global symbol): the Remix bundle's handleError
// sets it, and server.ts's adapter — another copy of this module — reads it.
const MARK = Symbol.for("staywell.requestFailure");
type Marked = Request & { [MARK]?: RequestFailure };

export function markFailure(request: Request, failure: RequestFailure) {
  const marked = request as Marked;
  // An outage outranks bad input: the page should say the service is unavailable.
  if (marked[MARK] !== "outage") marked[MARK] = failure;
}

export function failureOf(request: Request): RequestFailure | undefined {
  return (request as Marked)[MARK];
}
