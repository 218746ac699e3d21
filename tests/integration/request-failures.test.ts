// A database outage is a 503 and a value the database refuses is a 400, never a 500; an expected
// 404 is one log line (app/.server/request-failures.server.ts, app/entry.server.tsx).
// Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { sql } from "drizzle-orm";
import { UNSAFE_ErrorResponseImpl } from "@remix-run/router";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@db/client";
import { setDatabase } from "@db/current";
import { queryRows } from "@db/client";
import handleRequest, { handleError } from "~/entry.server";
import { classifyFailure, failureOf } from "~/.server/request-failures.server";
import { loader as rootLoader } from "~/root";
import { createUser } from "../helpers/factories";
import { getRequest, signInCookie } from "../helpers/http";
import { captureLogs } from "../helpers/logs";
import { createTestDatabase, useTestDatabase } from "../helpers/test-db";

const current = useTestDatabase();

async function failureFrom(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error("expected the work to fail");
}

describe("telling an outage and refused input from a bug", () => {
  it("a NUL or an out-of-range value refused by the database is bad input", async () => {
    const db = current().db;
    const nul = await failureFrom(() => queryRows(db, sql`select ${"a\u0000b"}::text as t`));
    expect(classifyFailure(nul)).toBe("bad_input");
    const range = await failureFrom(() => queryRows(db, sql`select ${"99999999999999999999"}::int as n`));
    expect(classifyFailure(range)).toBe("bad_input");
    const syntax = await failureFrom(() => queryRows(db, sql`select nonsense from nowhere`));
    expect(classifyFailure(syntax)).toBeNull();
  });

  it("a closed database handle is an outage, seen by every page's root loader", async () => {
    const user = await createUser();
    const cookie = await signInCookie(user.id);
    const doomed = await createTestDatabase();
    await doomed.handle.close();
    setDatabase(doomed.handle);
    try {
      const err = await failureFrom(() =>
        rootLoader({ request: getRequest("/", { cookie }), params: {}, context: {} }),
      );
      expect(classifyFailure(err)).toBe("outage");
    } finally {
      setDatabase(current());
      await doomed.dispose().catch(() => {});
    }
  });

  it("a PostgreSQL server that refuses connections is an outage", async () => {
    const dead = await openDatabase({ url: "postgres://postgres@127.0.0.1:1/none", max: 1 });
    try {
      const err = await failureFrom(() => dead.ping());
      expect(classifyFailure(err)).toBe("outage");
    } finally {
      await dead.close().catch(() => {});
    }
  });
});

describe("a FATAL from PostgreSQL", () => {
  it("(database not accepting connections, 55000) is an outage; an ordinary ERROR is not", () => {
    const fatal = Object.assign(new Error('database "x" is not currently accepting connections'), {
      code: "55000",
      severity: "FATAL",
    });
    expect(classifyFailure(new Error("Failed query: …", { cause: fatal }))).toBe("outage");
    const plain = Object.assign(new Error("object not in prerequisite state"), { code: "55000", severity: "ERROR" });
    expect(classifyFailure(plain)).toBeNull();
  });
});

describe("handleError and the document response", () => {
  function args(request: Request) {
    return { request, params: {}, context: {} };
  }

  it("an outage makes the page a 503 (Remix renders the root boundary for the thrown Response)", async () => {
    const request = getRequest("/support");
    const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const logs = captureLogs();
    handleError(err, args(request));
    logs.restore();
    expect(failureOf(request)).toBe("outage");
    expect(logs.records()).toHaveLength(1);
    expect(logs.records()[0]).toMatchObject({
      level: "error",
      msg: "the database is unavailable",
      status: 503,
      code: "ECONNREFUSED",
      method: "GET",
      path: "/support",
    });
    let thrown: unknown;
    try {
      handleRequest(request, 500, new Headers(), {} as never, {});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(503);
    expect((thrown as Response).headers.get("Retry-After")).toBe("30");
    // Remix's second render comes back with the 503: it must render, not throw again (which
    // would end in Remix's bare "Unexpected Server Error").
    expect(() => {
      const rendering = handleRequest(request, 503, new Headers(), {} as never, {});
      rendering.catch(() => {});
    }).not.toThrow();
  });

  it("a refused value makes the page a 400, logged without the query or its parameters", () => {
    const request = getRequest("/hub?q=x");
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: "22021" });
    const err = Object.assign(new Error("Failed query: select … params: secret-answer"), { cause });
    const logs = captureLogs();
    handleError(err, args(request));
    logs.restore();
    expect(failureOf(request)).toBe("bad_input");
    expect(logs.records()).toHaveLength(1);
    expect(logs.records()[0]).toMatchObject({
      level: "warn",
      msg: "the database refused a value from the request",
      status: 400,
      code: "22021",
      path: "/hub",
    });
    expect(logs.text()).not.toContain("secret-answer");
    expect(logs.text()).not.toContain("q=x");
    expect(() => handleRequest(request, 500, new Headers(), {} as never, {})).toThrow();
  });

  it("an unmatched page is one info line, not a stack trace", () => {
    const request = getRequest("/no-such-page?token=abc");
    const logs = captureLogs();
    handleError(new UNSAFE_ErrorResponseImpl(404, "Not Found", null, true) as unknown as Error, args(request));
    logs.restore();
    expect(logs.records()).toHaveLength(1);
    expect(logs.records()[0]).toMatchObject({ level: "info", msg: "expected error response", status: 404 });
    expect(logs.text()).not.toMatch(/stack|token=abc/);
    expect(failureOf(request)).toBeUndefined();
  });

  it("any other error is logged in full and stays a 500", () => {
    const request = getRequest("/support");
    const logs = captureLogs();
    handleError(new TypeError("a bug"), args(request));
    logs.restore();
    expect(logs.records()).toHaveLength(1);
    expect(logs.records()[0]).toMatchObject({
      level: "error",
      msg: "unexpected error while handling a request",
      status: 500,
    });
    expect(logs.text()).toContain("a bug");
    expect(failureOf(request)).toBeUndefined();
  });
});
