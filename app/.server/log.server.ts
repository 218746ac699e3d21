// The one logger (docs/decisions/016): structured JSON lines through pino, each carrying the id of
// the request it belongs to, with secrets censored twice over — by key (pino `redact`) and, for
// errors, by a serializer that never prints database parameters, row details or query text.
//
//   import { log } from "~/.server/log.server";
//   log.info({ mailId }, "mail sent");
//   log.error({ err }, "outbox delivery failed");   // `err` always goes through serializeError
//
// The logger, its output target and the per-request context live on globalThis, because the
// server (run by tsx) and the Remix server bundle each load their own copy of this module.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pino, { type Logger } from "pino";

// ---------------------------------------------------------------------------------------------
// Request context: one mutable record per request, reachable from anything that request runs.

export interface RequestContext {
  /** Ours, always generated here: a client cannot choose it (and so cannot tangle lines together). */
  requestId: string;
  /** A proxy's or client's X-Request-Id, when well formed: logged beside ours, for correlation only. */
  upstreamId?: string;
  /** Set once the request's session has been checked (getOptionalUser). */
  userId?: string;
}

const CONTEXT_KEY = Symbol.for("staywell.log.context");
const LOGGER_KEY = Symbol.for("staywell.log.logger");
const TARGET_KEY = Symbol.for("staywell.log.target");

type Holder = {
  [CONTEXT_KEY]?: AsyncLocalStorage<RequestContext>;
  [LOGGER_KEY]?: Logger;
  [TARGET_KEY]?: { write(line: string): unknown };
};
const holder = globalThis as Holder;

function storage() {
  return (holder[CONTEXT_KEY] ??= new AsyncLocalStorage<RequestContext>());
}

/** Runs `fn` with `context` as the current request: every log line inside carries its id. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage().run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage().getStore();
}

/** Records who is signed in on the current request (for the access log line). */
export function noteRequestUser(userId: string) {
  const context = storage().getStore();
  if (context) context.userId = userId;
}

/**
 * An incoming X-Request-Id (from a proxy or load balancer) is kept only when it is a short token
 * of safe characters; anything else — long, empty, with spaces, quotes or control characters —
 * is replaced, so a client cannot forge log structure or smuggle text into every line.
 */
/** A well-formed incoming X-Request-Id (a proxy's), or undefined. */
export function upstreamIdFrom(header: string | null | undefined): string | undefined {
  return header && /^[A-Za-z0-9._:-]{8,64}$/.test(header) ? header : undefined;
}

/** A new request id. */
export function newRequestId(): string {
  return randomUUID();
}

// ---------------------------------------------------------------------------------------------
// Redaction by key. `message` is also the key of an error's text, so it is censored where form
// data would carry it (top level and in form-like containers) rather than at every depth.

const SECRET_KEYS = [
  "password",
  "passwordHash",
  "password_hash",
  "hash",
  "token",
  "sessionId",
  "session_id",
  "cookie",
  "authorization",
  "answers",
  "note",
  "phone",
  "body",
  // Two-step verification (docs/decisions/029): the TOTP secret, codes typed, recovery codes.
  // ("code" is left alone: it is an error's SQLSTATE; the forms' field is "otp".)
  "secret",
  "otp",
  "recoveryCodes",
  "otpauthUri",
];
const FORM_CONTAINERS = ["values", "fields", "form", "input", "data", "body", "headers", "request", "req"];

export const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  "message",
  ...FORM_CONTAINERS.map((c) => `${c}.message`),
  'headers["set-cookie"]',
  'req.headers["set-cookie"]',
];

// ---------------------------------------------------------------------------------------------
// Errors: what a log line may say about one.

export interface LoggedError {
  type: string;
  message: string;
  /** SQLSTATE, or a Node/driver error code. */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  status?: number;
  stack?: string;
  cause?: LoggedError;
}

function isDrizzleQueryError(err: Error): boolean {
  return (
    err.name === "DrizzleQueryError" ||
    err.constructor?.name === "DrizzleQueryError" ||
    (/^Failed query: /.test(err.message) && "params" in err)
  );
}

/** A PostgreSQL error from postgres.js (PostgresError) or PGlite (DatabaseError). */
function isDatabaseError(err: Error): boolean {
  const e = err as Error & Record<string, unknown>;
  if (e.name === "PostgresError" || e.constructor?.name === "PostgresError") return true;
  if (e.constructor?.name === "DatabaseError") return true;
  return (
    typeof e.code === "string" &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    ("severity" in e || "severity_local" in e || "routine" in e)
  );
}

const SAFE_QUOTED = new Set(["UTF8", "SQL_ASCII", "LATIN1"]);

/**
 * A PostgreSQL message with every quoted part that is not one of the error's own identifiers
 * (table, column, constraint, type) replaced: `invalid input syntax for type uuid: "…"` quotes
 * the value typed, `duplicate key value violates unique constraint "users_email_key"` only a name.
 */
export function sanitiseDatabaseMessage(message: string, identifiers: Iterable<unknown> = []): string {
  const allowed = new Set([
    ...SAFE_QUOTED,
    ...[...identifiers].filter((v): v is string => typeof v === "string" && v !== ""),
  ]);
  return message
    .replace(/"((?:[^"]|"")*)"/g, (whole, inner: string) => (allowed.has(inner) ? whole : '"[redacted]"'))
    .replace(/'((?:[^']|'')*)'/g, "'[redacted]'")
    .slice(0, 300);
}

/** Only the "    at …" frames of a stack: its first line repeats the message, which may hold values. */
function framesOf(err: Error): string | undefined {
  if (typeof err.stack !== "string") return undefined;
  const frames = err.stack
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12);
  return frames.length ? frames.join("\n") : undefined;
}

/**
 * What the log may say about an error. Database errors keep their SQLSTATE, constraint, table
 * and column names and a sanitised message; their parameters, query text, row `detail`, `where`
 * context and internal query are never copied. drizzle's DrizzleQueryError (whose message is the
 * query and its params) becomes "Database query failed" with the database error as its cause.
 */
export function serializeError(value: unknown, depth = 0): LoggedError {
  if (!(value instanceof Error)) {
    // A thrown string or object could be anything a user typed: say only what kind it was.
    return { type: value === null ? "null" : typeof value, message: "A non-Error value was thrown" };
  }
  const err = value as Error & Record<string, unknown>;
  const type =
    (err.constructor?.name && err.constructor.name !== "Object" ? err.constructor.name : err.name) || "Error";
  let out: LoggedError;
  if (isDrizzleQueryError(err)) {
    out = { type, message: "Database query failed" };
  } else if (isDatabaseError(err)) {
    const pick = (key: string) => (typeof err[key] === "string" && err[key] !== "" ? (err[key] as string) : undefined);
    const identifiers = [
      pick("table"),
      pick("column"),
      pick("constraint"),
      pick("schema"),
      pick("dataType"),
      pick("data_type"),
      pick("constraint_name"),
      pick("table_name"),
      pick("column_name"),
    ];
    out = {
      type,
      message: sanitiseDatabaseMessage(err.message, identifiers),
      code: pick("code"),
      constraint: pick("constraint") ?? pick("constraint_name"),
      table: pick("table") ?? pick("table_name"),
      column: pick("column") ?? pick("column_name"),
      schema: pick("schema") ?? pick("schema_name"),
    };
  } else {
    out = { type, message: String(err.message).slice(0, 500) };
    if (typeof err.code === "string" || typeof err.code === "number") out.code = String(err.code);
    if (typeof err.status === "number") out.status = err.status;
  }
  const stack = framesOf(err);
  if (stack) out.stack = stack;
  if (err.cause !== undefined && depth < 3) out.cause = serializeError(err.cause, depth + 1);
  for (const key of Object.keys(out) as (keyof LoggedError)[]) if (out[key] === undefined) delete out[key];
  return out;
}

// ---------------------------------------------------------------------------------------------
// The logger.

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** LOG_LEVEL, or `info` (`silent` under NODE_ENV=test, so test output stays readable). */
export function configuredLevel(environment: NodeJS.ProcessEnv = process.env): string {
  const wanted = environment.LOG_LEVEL?.toLowerCase();
  if (wanted && (LEVELS as readonly string[]).includes(wanted)) return wanted;
  return environment.NODE_ENV === "test" ? "silent" : "info";
}

function createLogger(): Logger {
  holder[TARGET_KEY] ??= process.stdout;
  // Lines go to whatever target is current, so a test can capture them (captureLogOutput).
  const sink = { write: (line: string) => holder[TARGET_KEY]!.write(line) };
  return pino(
    {
      level: configuredLevel(),
      base: { service: "staywell" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: "msg",
      errorKey: "err",
      serializers: { err: (e: unknown) => serializeError(e), error: (e: unknown) => serializeError(e) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      mixin() {
        const context = storage().getStore();
        if (!context) return {};
        return {
          reqId: context.requestId,
          ...(context.upstreamId ? { upstreamId: context.upstreamId } : {}),
          ...(context.userId ? { userId: context.userId } : {}),
        };
      },
    },
    sink,
  );
}

export const log: Logger = (holder[LOGGER_KEY] ??= createLogger());

/**
 * Sends log lines to `write` instead of stdout at the given level, until the returned function
 * is called (tests: assert on what would have been printed).
 */
export function captureLogOutput(write: (line: string) => void, level = "debug"): () => void {
  const previousTarget = holder[TARGET_KEY];
  const previousLevel = log.level;
  holder[TARGET_KEY] = { write };
  log.level = level;
  return () => {
    holder[TARGET_KEY] = previousTarget ?? process.stdout;
    log.level = previousLevel;
  };
}

// ---------------------------------------------------------------------------------------------
// Errors that reach Remix (entry.server.tsx handleError).

function statusOf(error: unknown): number | undefined {
  if (error instanceof Response) return error.status;
  const e = error as { status?: unknown; internal?: unknown; data?: unknown } | null;
  // ErrorResponse (isRouteErrorResponse): status, statusText, internal, data.
  if (e && typeof e === "object" && typeof e.status === "number" && "internal" in e && "data" in e) return e.status;
  return undefined;
}

/**
 * Logs an error Remix hands to handleError. An expected response (a 404 for an unknown page or
 * record, a 403, a 405) is one info line, no stack: its message would repeat the URL, which is in
 * the access line already. Anything else is an error line with the sanitised error. A request the
 * client abandoned is not an error of ours.
 */
export function logRouteError(error: unknown, request: Request) {
  if (request.signal.aborted) {
    log.debug("request aborted by the client");
    return;
  }
  const status = statusOf(error);
  if (status !== undefined && status < 500) {
    log.info({ status }, "expected error response");
    return;
  }
  if (status !== undefined && !((error as { error?: unknown }).error instanceof Error)) {
    // A 5xx response thrown on purpose (a 503 while the database is away): no error to describe.
    log.warn({ status }, "error response");
    return;
  }
  const cause = status !== undefined ? (error as { error?: unknown }).error : error;
  log.error({ err: cause, status: status ?? 500 }, "unexpected error while handling a request");
}

/** The path of a URL for the access log: never the query string (tokens, searches, names). */
export function loggablePath(url: string): string {
  const path = url.split("?")[0].split("#")[0] || "/";
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
