// Logs that help and never leak (issue 10, docs/decisions/016). Requests go through the server's
// own path — express, the request-logging middleware, Remix's handler and entry.server's
// handleError — while a trigger makes the database fail mid-write. What the logger would print
// must name the request and the error, and hold none of what the person typed, its hash, the
// query parameters or the session token.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { queryRows, sql } from "@db/client";
import { sessionTokenHash } from "~/.server/auth/lucia.server";
import { registerAccount } from "~/.server/models/accounts.server";
import * as signupRoute from "~/routes/signup";
import * as verifyEmailRoute from "~/routes/verify-email";
import * as requestRoute from "~/routes/support.$slug.request";
import * as myRequestsRoute from "~/routes/my.requests._index";
import { createOffer, createOrganisation, createUser } from "../helpers/factories";
import { signInCookie } from "../helpers/http";
import { captureLogs, type LogRecord } from "../helpers/logs";
import { startPipeline, type Pipeline } from "../helpers/server-pipeline";
import { useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();

let server: Pipeline;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  server = await startPipeline({
    "routes/signup": { path: "signup", module: signupRoute },
    "routes/verify-email": { path: "verify-email", module: verifyEmailRoute },
    "routes/support.$slug.request": { path: "support/:slug/request", module: requestRoute },
    "routes/my.requests._index": { path: "my/requests", module: myRequestsRoute },
  });
  logs = captureLogs();
});

afterAll(async () => {
  logs?.restore();
  await server?.close();
});

afterEach(async () => {
  logs.clear();
  await database().db.execute(sql`drop trigger if exists staywell_test_fail on users`);
  await database().db.execute(sql`drop trigger if exists staywell_test_fail on support_requests`);
  await database().db.execute(sql`drop function if exists staywell_test_fail()`);
});

/** Makes every insert (or update) of `table` fail, as a full disk or a lost connection would. */
async function failInsertsInto(table: "users" | "support_requests", event: "insert" | "update" = "insert") {
  await database().db.execute(
    sql.raw(`create or replace function staywell_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'could not extend file: simulated failure' using errcode = '53100'; end $$`),
  );
  await database().db.execute(
    sql.raw(
      `create trigger staywell_test_fail before ${event} on ${table} for each row execute function staywell_test_fail()`,
    ),
  );
}

function errorLine(records: LogRecord[]) {
  const errors = records.filter((r) => r.level === "error");
  expect(errors).toHaveLength(1);
  return errors[0] as LogRecord & {
    err: { type: string; message: string; code?: string; cause?: { code?: string; message: string } };
  };
}

function accessLine(records: LogRecord[]) {
  const lines = records.filter((r) => r.msg === "request");
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe("a database error is logged with the request id and without what was typed", () => {
  it("during sign-up: no argon2 hash, no name or address, no query parameters", async () => {
    // Sign-up asks for no password (ADR 017): the password is chosen on the link's page, below.
    const organisation = await createOrganisation();
    const name = `Perpetua Fenwick-${randomUUID().slice(0, 6)}`;
    const email = `perpetua.${randomUUID().slice(0, 6)}@${organisation.domains[0]}`;
    await failInsertsInto("users");

    const res = await server.post(
      "/signup.data",
      {
        email,
        name,
        staffGroup: "nursing_midwifery",
        jobTitle: "Ward sister",
        "startDate-day": "1",
        "startDate-month": "4",
        "startDate-year": "2020",
      },
      { "X-Request-Id": "lb-7f3a9c21e0" },
    );
    expect(res.status).toBe(500);
    // Our own id answers; the proxy's is logged beside it, never in its place (a client cannot choose ours).
    const reqId = res.headers.get("X-Request-Id");
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    await res.text();

    const text = logs.text();
    for (const secret of [name, email, email.split("@")[0], "$argon2id$", "Ward sister", "2020-04-01", "params"]) {
      expect(text, `the log holds ${secret}`).not.toContain(secret);
    }
    const records = logs.records();
    const line = errorLine(records);
    expect(line.reqId).toBe(reqId);
    expect(line.upstreamId).toBe("lb-7f3a9c21e0");
    expect(line.msg).toBe("unexpected error while handling a request");
    // drizzle's wrapper says only that a query failed; the database error keeps its code.
    expect(line.err).toMatchObject({ type: "DrizzleQueryError", message: "Database query failed" });
    expect(line.err.cause).toMatchObject({ code: "53100", message: "could not extend file: simulated failure" });
    expect(JSON.stringify(line.err)).not.toMatch(/insert into|"users"\s*\(|\$1/i);
    expect(accessLine(records)).toMatchObject({
      reqId,
      upstreamId: "lb-7f3a9c21e0",
      method: "POST",
      path: "/signup.data",
      status: 500,
    });
  });

  it("while choosing the password on the link's page: no password, no hash, no link token", async () => {
    const organisation = await createOrganisation();
    const email = `cuthbert.${randomUUID().slice(0, 6)}@${organisation.domains[0]}`;
    await registerAccount(
      { email, name: "Cuthbert Ames", staffGroup: "nursing_midwifery", jobTitle: "", startDate: "2020-04-01" },
      "203.0.113.77",
    );
    const rows = await queryRows<{ text_body: string }>(
      database().db,
      sql`select text_body from mail_outbox where to_address = ${email}`,
    );
    const token = /token=([A-Za-z0-9_-]+)/.exec(rows[0].text_body)![1];
    const password = `Wombat-${randomUUID().slice(0, 8)}-Harbour`;
    await failInsertsInto("users", "update");

    const res = await server.post(`/verify-email.data?token=${token}`, { token, password, confirmPassword: password });
    expect(res.status).toBe(500);
    await res.text();
    const text = logs.text();
    for (const secret of [password, token, email, "$argon2id$", "confirmPassword"]) {
      expect(text, `the log holds ${secret}`).not.toContain(secret);
    }
    expect(errorLine(logs.records()).err.cause).toMatchObject({ code: "53100" });
    expect(accessLine(logs.records())).toMatchObject({ method: "POST", path: "/verify-email.data", status: 500 });
  });

  it("during a request submission: no answers, no phone number, no session token or its hash", async () => {
    const user = await createUser();
    const offer = await createOffer({ formKind: "psychological" });
    const cookie = await signInCookie(user.id);
    const token = cookie.split("=")[1];
    const story = `Since the incident on ward 9 I cannot sleep ${randomUUID().slice(0, 8)}`;
    const phone = "07700 900 982";
    await failInsertsInto("support_requests");

    const res = await server.post(
      `/support/${offer.slug}/request.data`,
      {
        submissionKey: randomUUID(),
        whatIsHappening: story,
        effectOnWork: "struggling",
        safety: "unsure",
        contactMethod: "phone",
        contactPhone: phone,
      },
      { Cookie: cookie },
    );
    expect(res.status).toBe(500);
    const requestId = res.headers.get("X-Request-Id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await res.text();

    const text = logs.text();
    for (const secret of [story, phone, "07700", token, sessionTokenHash(token), "struggling", "unsure", "params"]) {
      expect(text, `the log holds ${secret}`).not.toContain(secret);
    }
    const records = logs.records();
    const line = errorLine(records);
    expect(line.reqId).toBe(requestId);
    // Signed in: the error line and the access line say who, by id.
    expect(line.userId).toBe(user.id);
    expect(line.err.cause).toMatchObject({ code: "53100" });
    expect(accessLine(records)).toMatchObject({ reqId: requestId, userId: user.id, method: "POST", status: 500 });
  });

  it("when the session lookup itself fails (a database outage): neither the token nor its hash is logged", async () => {
    const user = await createUser();
    const cookie = await signInCookie(user.id);
    const token = cookie.split("=")[1];
    await database().db.execute(sql`alter table sessions rename to sessions_away`);
    try {
      const res = await server.get("/my/requests.data", { Cookie: cookie });
      expect(res.status).toBe(500);
      await res.text();
    } finally {
      await database().db.execute(sql`alter table sessions_away rename to sessions`);
    }
    const text = logs.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(sessionTokenHash(token));
    const line = errorLine(logs.records());
    // The SQLSTATE says what went wrong (42P01: no such relation); quoted parts of a database
    // message are censored unless the error names them as its table, column or constraint.
    expect(line.err.cause).toMatchObject({ code: "42P01", message: 'relation "[redacted]" does not exist' });
  });
});

describe("expected errors and odd request ids", () => {
  // React Router's development-only warning for an unmatched URL (absent from a production build).
  beforeEach(() => void vi.spyOn(console, "warn").mockImplementation(() => {}));

  it("a 404 for an unknown page is one info line with no stack, and the access line drops the query", async () => {
    const res = await server.get("/no-such-page?token=abc123secret&q=my+name");
    expect(res.status).toBe(404);
    await res.text();
    const records = logs.records();
    expect(records.filter((r) => r.level === "error" || r.level === "warn")).toEqual([]);
    const expected = records.filter((r) => r.msg === "expected error response");
    expect(expected).toHaveLength(1);
    expect(expected[0]).toMatchObject({ level: "info", status: 404 });
    expect(JSON.stringify(expected[0])).not.toMatch(/stack| {4}at /);
    expect(accessLine(records)).toMatchObject({ method: "GET", path: "/no-such-page", status: 404 });
    expect(logs.text()).not.toContain("abc123secret");
    expect(logs.text()).not.toContain("my+name");
  });

  it("an unsafe X-Request-Id is replaced, not copied into the log", async () => {
    const forged = 'x" injected\\n{"level":"fatal"}';
    const res = await server.get("/no-such-page", { "X-Request-Id": forged });
    await res.text();
    const id = res.headers.get("X-Request-Id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.text()).not.toContain("injected");
    expect(accessLine(logs.records()).reqId).toBe(id);
  });
});
