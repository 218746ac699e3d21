// The logger's safety rules on their own (docs/decisions/016): which request ids are kept, what an
// error line may say about a database error, and that redact paths censor secrets by key.
import { describe, expect, it } from "vitest";
import {
  configuredLevel,
  log,
  loggablePath,
  newRequestId,
  sanitiseDatabaseMessage,
  upstreamIdFrom,
  serializeError,
} from "~/.server/log.server";
import { captureLogs } from "../helpers/logs";

describe("request ids", () => {
  it("keeps a proxy's short safe token for correlation and drops anything else", () => {
    expect(upstreamIdFrom("abc-123_DEF.456:7")).toBe("abc-123_DEF.456:7");
    for (const bad of [
      undefined,
      null,
      "",
      "short",
      "has space inside",
      'quote"s-are-bad',
      "x".repeat(65),
      "newline\nin-it-x",
      "ünïcode-id-xx",
    ]) {
      expect(upstreamIdFrom(bad)).toBeUndefined();
    }
  });

  it("makes our own ids, different every time", () => {
    const a = newRequestId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(newRequestId()).not.toBe(a);
  });
});

describe("database errors", () => {
  function pgError(message: string, fields: Record<string, unknown>) {
    // The shape PGlite's DatabaseError and postgres.js's PostgresError share.
    return Object.assign(new Error(message), { severity: "ERROR", routine: "x", ...fields });
  }

  it("drizzle's wrapper loses its query and params; the cause keeps code, names and a censored message", () => {
    const cause = pgError('invalid input syntax for type uuid: "my-secret-value"', {
      code: "22P02",
      detail: "Failing row contains (1, 07700 900982).",
      where: "unnamed portal parameter $1 = '...'",
      params: ["07700 900982"],
      query: "select * from users where id = $1",
    });
    const wrapper = Object.assign(new Error(`Failed query: select * from users where id = $1\nparams: 07700 900982`), {
      query: "select…",
      params: ["07700 900982"],
      cause,
    });
    Object.defineProperty(wrapper, "name", { value: "DrizzleQueryError" });
    const out = serializeError(wrapper);
    const text = JSON.stringify(out);
    expect(text).not.toContain("07700");
    expect(text).not.toContain("my-secret-value");
    expect(text).not.toContain("select");
    expect(out).toMatchObject({
      message: "Database query failed",
      cause: { code: "22P02", message: 'invalid input syntax for type uuid: "[redacted]"' },
    });
    // The stack keeps only its frames: its first line would repeat the message with the params.
    expect(out.stack).toMatch(/^\s+at /);
  });

  it("keeps the error's own identifiers in its message", () => {
    const err = pgError('duplicate key value violates unique constraint "users_email_unique"', {
      code: "23505",
      constraint: "users_email_unique",
      table: "users",
      detail: "Key (email)=(amy@example.test) already exists.",
    });
    const out = serializeError(err);
    expect(out).toMatchObject({
      code: "23505",
      constraint: "users_email_unique",
      table: "users",
      message: 'duplicate key value violates unique constraint "users_email_unique"',
    });
    expect(JSON.stringify(out)).not.toContain("amy@example.test");
    expect(sanitiseDatabaseMessage('invalid byte sequence for encoding "UTF8": 0x00')).toBe(
      'invalid byte sequence for encoding "UTF8": 0x00',
    );
    expect(sanitiseDatabaseMessage("value 'secret' is odd")).toBe("value '[redacted]' is odd");
  });

  it("a thrown non-Error is described by its kind only", () => {
    expect(serializeError("my password is hunter2")).toEqual({
      type: "string",
      message: "A non-Error value was thrown",
    });
  });
});

describe("redaction by key and levels", () => {
  it("censors secrets wherever a log call puts them", () => {
    const logs = captureLogs();
    try {
      log.info(
        {
          password: "pw-1",
          values: { phone: "07700", message: "msg-1", answers: { a: "ans-1" } },
          user: { passwordHash: "$argon2id$x", sessionId: "sid-1" },
          headers: { cookie: "c-1", authorization: "Bearer t-1" },
          token: "tok-1",
        },
        "a careless line",
      );
    } finally {
      logs.restore();
    }
    const text = logs.text();
    for (const secret of ["pw-1", "07700", "msg-1", "ans-1", "$argon2id$", "sid-1", "c-1", "t-1", "tok-1"])
      expect(text).not.toContain(secret);
    expect(logs.records()[0]).toMatchObject({ level: "info", msg: "a careless line", password: "[redacted]" });
  });

  it("LOG_LEVEL wins; tests are silent and other environments log info by default", () => {
    expect(configuredLevel({ NODE_ENV: "test" })).toBe("silent");
    expect(configuredLevel({ NODE_ENV: "production" })).toBe("info");
    expect(configuredLevel({ NODE_ENV: "test", LOG_LEVEL: "debug" })).toBe("debug");
    expect(configuredLevel({ NODE_ENV: "production", LOG_LEVEL: "nonsense" })).toBe("info");
  });

  it("access paths drop the query and fragment", () => {
    expect(loggablePath("/verify-email?token=abc#x")).toBe("/verify-email");
    expect(loggablePath("/hub?q=name")).toBe("/hub");
  });
});

describe("errors handed to Remix's handleError", () => {
  it("an unexpected error is an error line; a 4xx one info line; a thrown 5xx response one warning", async () => {
    const { logRouteError } = await import("~/.server/log.server");
    const request = new Request("http://localhost/x?secret=1");
    const logs = captureLogs();
    try {
      logRouteError(new Error("boom"), request);
      logRouteError(
        {
          status: 404,
          statusText: "Not Found",
          internal: true,
          data: 'Error: No route matches URL "/x?secret=1"',
          error: new Error('No route matches URL "/x?secret=1"'),
        },
        request,
      );
      logRouteError(new Response(null, { status: 503 }), request);
    } finally {
      logs.restore();
    }
    const records = logs.records();
    expect(records.map((r) => [r.level, r.msg, r.status])).toEqual([
      ["error", "unexpected error while handling a request", 500],
      ["info", "expected error response", 404],
      ["warn", "error response", 503],
    ]);
    expect(records[0]).toMatchObject({
      err: { type: "Error", message: "boom", stack: expect.stringMatching(/^\s+at /) },
    });
    expect(logs.text()).not.toContain("secret=1");
  });
});
