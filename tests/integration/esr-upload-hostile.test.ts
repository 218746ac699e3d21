// A hostile look at the streamed ESR upload (/admin/leavers; ADR 035): it skips the ordinary body
// limit, so only a signed-in administrator posting from our own origin may stream, decided from the
// headers before any of the body is read; the 20 MB limit holds while the body streams; a binary or
// non-CSV file imports nothing; the error report guards formula cells; and an error report is for
// the administrator whose upload it was (anyone else: 404).
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { esrLeaverImports, esrLeavers, organisations } from "@db/schema";
import { getDb } from "@db/current";
import { bodyLimit, createRemixRequest, UploadTooLargeError } from "~/.server/http-guards.server";
import { mayStreamEsrUpload } from "~/.server/uploads.server";
import { action } from "~/routes/admin.leavers";
import { loader as reportLoader } from "~/routes/admin.leavers_.errors.$reportId";
import { createOrganisation, createUser } from "../helpers/factories";
import { appOrigin, appUrl, getRequest, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const HEADER =
  "organisation_code,staff_group,assignment_start_date,termination_date,leaving_reason,age_band,assignment_number";
const GOOD_ROW = "HST,Nursing and Midwifery Registered,2023-01-02,2024-02-15,Retirement Age,61-65,10000001";

let adminCookie: string;
let otherAdminCookie: string;
let staffCookie: string;

beforeAll(async () => {
  const organisation = await createOrganisation();
  await getDb().update(organisations).set({ esrCode: "HST" }).where(eq(organisations.id, organisation.id));
  adminCookie = await signInCookie((await createUser({ role: "admin" })).id);
  otherAdminCookie = await signInCookie((await createUser({ role: "admin" })).id);
  staffCookie = await signInCookie((await createUser({ role: "staff", organisationId: organisation.id })).id);
});

function uploadRequest(body: BodyInit, cookie: string, contentType?: string) {
  const headers: Record<string, string> = { Cookie: cookie, Origin: appOrigin() };
  if (contentType) headers["Content-Type"] = contentType;
  const init: RequestInit & { duplex?: "half" } = { method: "POST", body, headers };
  if (body instanceof ReadableStream) init.duplex = "half";
  return new Request(appUrl("/admin/leavers"), init);
}

function fileForm(contents: BlobPart, name = "leavers.csv") {
  const form = new FormData();
  form.append("file", new File([contents], name, { type: "text/csv" }));
  return form;
}

async function storedCounts() {
  return {
    leavers: (await getDb().select().from(esrLeavers)).length,
    imports: (await getDb().select().from(esrLeaverImports)).length,
  };
}

function headersFor(cookie: string | undefined, origin: string | undefined, host = new URL(appOrigin()).host) {
  const headers: Record<string, string> = { host };
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return { method: "POST", headers };
}

describe("who may stream", () => {
  it("only a signed-in administrator posting from our own origin", async () => {
    const app = appOrigin();
    expect(await mayStreamEsrUpload(headersFor(adminCookie, app), app)).toBe(true);
    expect(await mayStreamEsrUpload(headersFor(undefined, app), app)).toBe(false);
    expect(await mayStreamEsrUpload(headersFor(staffCookie, app), app)).toBe(false);
    expect(await mayStreamEsrUpload(headersFor("staywell_session=forged", app), app)).toBe(false);
    expect(await mayStreamEsrUpload(headersFor(adminCookie, "https://evil.example"), app)).toBe(false);
    expect(await mayStreamEsrUpload(headersFor(adminCookie, undefined), app)).toBe(false);
  });
});

describe("the express layer", () => {
  const SMALL = 1024;
  const STREAM_LIMIT = 8 * 1024;
  let server: ReturnType<express.Express["listen"]>;
  let base: string;
  const seen: string[] = [];

  beforeAll(async () => {
    const app = express();
    app.use(
      bodyLimit(SMALL, [
        {
          paths: ["/admin/leavers"],
          limit: STREAM_LIMIT,
          tooLargePage: "upload too large",
          mayStream: (req) => mayStreamEsrUpload(req, base),
        },
      ]),
    );
    app.all("*", async (req, res) => {
      const request = createRemixRequest(req, res);
      try {
        const text = await request.text();
        seen.push(`read ${text.length}`);
        res.type("text").send(`ok ${text.length}`);
      } catch (err) {
        seen.push(err instanceof UploadTooLargeError ? "too large" : "error");
        res.status(413).type("text").send("cut off");
      }
    });
    server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const multipart = "multipart/form-data; boundary=x";

  it("gives anyone but a signed-in administrator the ordinary body limit", async () => {
    const body = "x".repeat(4 * 1024);
    for (const cookie of [undefined, staffCookie]) {
      const res = await fetch(`${base}/admin/leavers`, {
        method: "POST",
        body,
        headers: { "Content-Type": multipart, Origin: base, ...(cookie ? { Cookie: cookie } : {}) },
      });
      expect(res.status).toBe(413);
      expect(await res.text()).toContain("too large");
    }
    // The administrator's request streams past the ordinary limit.
    const res = await fetch(`${base}/admin/leavers`, {
      method: "POST",
      body,
      headers: { "Content-Type": multipart, Origin: base, Cookie: adminCookie },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`ok ${body.length}`);
  });

  it("cuts a streamed body off past its limit while it streams (no Content-Length)", async () => {
    const chunk = new TextEncoder().encode("y".repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Never ends by itself: only counting can stop it.
        sent += chunk.length;
        if (sent > 64 * STREAM_LIMIT) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${base}/admin/leavers`, {
      method: "POST",
      body: stream,
      headers: { "Content-Type": multipart, Origin: base, Cookie: adminCookie },
      duplex: "half",
    } as RequestInit).catch(() => null);
    // The server stops reading: either it answers 413 or closes the connection.
    if (res) expect(res.status).toBe(413);
    expect(seen).toContain("too large");
  });
});

describe("the route", () => {
  it("refuses a file over 20 MB as it streams, with a clear message, and imports nothing", async () => {
    const rowBytes = new TextEncoder().encode(`${GOOD_ROW}\n`);
    let sent = 0;
    const encoder = new TextEncoder();
    const boundary = "----hostile-boundary";
    const head = encoder.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\n`,
    );
    const block = new Uint8Array(rowBytes.length * 1000);
    for (let i = 0; i < 1000; i++) block.set(rowBytes, i * rowBytes.length);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
      },
      pull(controller) {
        sent += block.length;
        if (sent > 22 * 1024 * 1024) {
          controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
          controller.close();
        } else controller.enqueue(block);
      },
    });
    const outcome = await runRoute(() =>
      action({
        request: uploadRequest(body, adminCookie, `multipart/form-data; boundary=${boundary}`),
        params: {},
        context: {},
      }),
    );
    expect(outcome.status).toBe(413);
    expect((outcome.data as { message: string }).message).toMatch(/larger than 20 MB\. Nothing was imported/);
    // Reading stopped well before the end of the 22 MB body.
    expect(sent).toBeLessThan(22 * 1024 * 1024);
    expect(await storedCounts()).toEqual({ leavers: 0, imports: 0 });
    // A hang guard: it parses 20 MB before refusing (22 s alone on PGlite; more with the other runs).
  }, 300_000);

  it("imports nothing from a binary file and says what is wrong", async () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
    const outcome = await runRoute(() =>
      action({ request: uploadRequest(fileForm(bytes, "photo.csv"), adminCookie), params: {}, context: {} }),
    );
    expect(outcome.status).toBe(400);
    const data = outcome.data as { kind: string; errors: { row: number; problem: string }[] };
    expect(data.kind).toBe("errors");
    expect(data.errors[0].row).toBe(1);
    expect(data.errors[0].problem).toMatch(/header row has no organisation_code column|not a CSV StayWell can read/);
    expect(await storedCounts()).toEqual({ leavers: 0, imports: 0 });
  });

  it("refuses a spreadsheet by its name", async () => {
    const outcome = await runRoute(() =>
      action({
        request: uploadRequest(fileForm([HEADER, GOOD_ROW].join("\n"), "leavers.xlsx"), adminCookie),
        params: {},
        context: {},
      }),
    );
    expect(outcome.status).toBe(400);
    expect((outcome.data as { message: string }).message).toMatch(/spreadsheet file/);
  });

  it("guards cells starting = + - @ in the error report, which only the uploader may download", async () => {
    const csv = [
      HEADER,
      `"=HYPERLINK(""http://evil.example"")",Nursing and Midwifery Registered,2023-01-02,2024-02-15,Retirement Age,61-65,10000002`,
      `HST,+SUM(1;2),2023-01-02,2024-02-15,Retirement Age,61-65,10000003`,
      `HST,Nursing and Midwifery Registered,-1,2024-02-15,Retirement Age,61-65,10000004`,
      `HST,Nursing and Midwifery Registered,2023-01-02,2024-02-15,@cmd,61-65,10000005`,
    ].join("\n");
    const outcome = await runRoute(() =>
      action({ request: uploadRequest(fileForm(csv), adminCookie), params: {}, context: {} }),
    );
    expect(outcome.status).toBe(400);
    const { reportId } = outcome.data as { reportId: string };
    const download = (cookie: string) =>
      runRoute(() =>
        reportLoader({
          request: getRequest(`/admin/leavers/errors/${reportId}`, { cookie }),
          params: { reportId },
          context: {},
        }),
      );
    const mine = await download(adminCookie);
    expect(mine.status).toBe(200);
    const lines = (mine.body ?? "").replace(/^\uFEFF/, "").split("\r\n");
    expect(lines.find((l) => l.startsWith("2,organisation_code,"))).toMatch(
      /^2,organisation_code,"'=HYPERLINK\(""http:\/\/evil\.example""\)",/,
    );
    expect(lines.find((l) => l.startsWith("3,staff_group,"))).toMatch(/^3,staff_group,'\+SUM\(1;2\),/);
    expect(lines.find((l) => l.startsWith("4,assignment_start_date,"))).toMatch(/^4,assignment_start_date,'-1,/);
    expect(lines.find((l) => l.startsWith("5,leaving_reason,"))).toMatch(/^5,leaving_reason,'@cmd,/);
    // No cell of the report starts a formula.
    for (const line of lines) for (const cell of line.split(",")) expect(cell).not.toMatch(/^"?[=+\-@]/);

    // Another administrator, and a non-administrator, get 404 / 403: never the report.
    const other = await download(otherAdminCookie);
    expect(other.status).toBe(404);
    expect(other.body ?? "").not.toContain("HYPERLINK");
    const staff = await download(staffCookie);
    expect(staff.status).toBe(403);
    expect(await storedCounts()).toEqual({ leavers: 0, imports: 0 });
  });
});
