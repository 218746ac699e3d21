// The request journey's loaders and actions, called as Remix calls them (plain form POSTs, as a
// browser without JavaScript sends them).
import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { supportRequests } from "@db/schema";
import * as requestRoute from "~/routes/support.$slug.request";
import * as detailRoute from "~/routes/my.requests.$reference";
import * as listRoute from "~/routes/my.requests._index";
import { createOffer, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, signInCookie, runRoute } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const run = runRoute;

describe("request routes", () => {
  let amy: TestUser;
  let ben: TestUser;
  let amyCookie: string;
  let benCookie: string;
  let physioSlug: string;
  let closedSlug: string;

  beforeAll(async () => {
    amy = await createUser();
    ben = await createUser();
    amyCookie = await signInCookie(amy.id);
    benCookie = await signInCookie(ben.id);
    physioSlug = (await createOffer({ formKind: "physiotherapy" })).slug;
    closedSlug = (await createOffer({ formKind: "general", active: false })).slug;
  });

  it("sends a signed-out person to sign in", async () => {
    const out = await run(() =>
      requestRoute.loader({
        request: getRequest(`/support/${physioSlug}/request`),
        params: { slug: physioSlug },
        context: {},
      }),
    );
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/login?redirectTo=${encodeURIComponent(`/support/${physioSlug}/request`)}`);
  });

  it("404s an unknown offer and gives a fresh submission key", async () => {
    const missing = await run(() =>
      requestRoute.loader({
        request: getRequest("/support/nope/request", { cookie: amyCookie }),
        params: { slug: "nope" },
        context: {},
      }),
    );
    expect(missing.status).toBe(404);
    const ok = await run(() =>
      requestRoute.loader({
        request: getRequest(`/support/${physioSlug}/request`, { cookie: amyCookie }),
        params: { slug: physioSlug },
        context: {},
      }),
    );
    expect(ok.data).toMatchObject({
      offer: { formKind: "physiotherapy", active: true },
      submissionKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it("answers 400 with errors and the typed values; then redirects once valid, only once per key", async () => {
    const submissionKey = randomUUID();
    const path = `/support/${physioSlug}/request`;
    const bad = await run(() =>
      requestRoute.action({
        request: formRequest(
          path,
          { submissionKey, bodyArea: "knee", contactMethod: "phone", details: "<script>x</script>" },
          { cookie: amyCookie },
        ),
        params: { slug: physioSlug },
        context: {},
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({
      errors: { duration: "Select how long you have had the problem", contactPhone: "Enter a phone number" },
      values: { bodyArea: "knee", details: "<script>x</script>", submissionKey },
    });

    const fields = {
      submissionKey,
      bodyArea: "knee",
      duration: "under_2_weeks",
      effectOnWork: "coping",
      contactMethod: "email",
    };
    const first = await run(() =>
      requestRoute.action({
        request: formRequest(path, fields, { cookie: amyCookie }),
        params: { slug: physioSlug },
        context: {},
      }),
    );
    expect(first.status).toBe(302);
    expect(first.location).toMatch(/^\/my\/requests\/SW-\d{4}-\d{5}\?submitted=1$/);
    const second = await run(() =>
      requestRoute.action({
        request: formRequest(path, fields, { cookie: amyCookie }),
        params: { slug: physioSlug },
        context: {},
      }),
    );
    expect(second.location).toBe(first.location);
    const [{ n }] = await getDb()
      .select({ n: count() })
      .from(supportRequests)
      .where(eq(supportRequests.requesterId, amy.id));
    expect(Number(n)).toBe(1);

    const reference = first.location!.split("/")[3].split("?")[0];
    // The owner sees it; someone else gets the same 404 as for a reference that does not exist.
    const mine = await run(() =>
      detailRoute.loader({
        request: getRequest(`/my/requests/${reference}?submitted=1`, { cookie: amyCookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(mine.data).toMatchObject({ submitted: true, request: { reference, open: true } });
    const theirs = await run(() =>
      detailRoute.loader({
        request: getRequest(`/my/requests/${reference}`, { cookie: benCookie }),
        params: { reference },
        context: {},
      }),
    );
    const nothing = await run(() =>
      detailRoute.loader({
        request: getRequest("/my/requests/SW-1999-00001", { cookie: benCookie }),
        params: { reference: "SW-1999-00001" },
        context: {},
      }),
    );
    expect(theirs).toEqual(nothing);
    expect(theirs.status).toBe(404);

    // Reply and withdraw re-check scope.
    const benReply = await run(() =>
      detailRoute.action({
        request: formRequest(`/my/requests/${reference}`, { intent: "reply", message: "hi" }, { cookie: benCookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(benReply.status).toBe(404);
    const benWithdraw = await run(() =>
      detailRoute.action({
        request: formRequest(`/my/requests/${reference}`, { intent: "withdraw" }, { cookie: benCookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(benWithdraw.status).toBe(404);

    const emptyReply = await run(() =>
      detailRoute.action({
        request: formRequest(`/my/requests/${reference}`, { intent: "reply", message: " " }, { cookie: amyCookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(emptyReply).toMatchObject({ status: 400, data: { errors: { message: "Enter your message" } } });
    const withdraw = await run(() =>
      detailRoute.action({
        request: formRequest(
          `/my/requests/${reference}`,
          { intent: "withdraw", reason: "Sorted" },
          { cookie: amyCookie },
        ),
        params: { reference },
        context: {},
      }),
    );
    expect(withdraw).toMatchObject({ status: 302, location: `/my/requests/${reference}` });
    const again = await run(() =>
      detailRoute.action({
        request: formRequest(`/my/requests/${reference}`, { intent: "withdraw" }, { cookie: amyCookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(again).toMatchObject({
      status: 400,
      data: { errors: { _form: "You have already withdrawn this request." } },
    });

    const list = await run(() =>
      listRoute.loader({ request: getRequest("/my/requests", { cookie: amyCookie }), params: {}, context: {} }),
    );
    expect(list.data).toMatchObject({ page: { total: 1, items: [{ reference, status: "withdrawn" }] } });
    const benList = await run(() =>
      listRoute.loader({ request: getRequest("/my/requests", { cookie: benCookie }), params: {}, context: {} }),
    );
    expect(benList.data).toMatchObject({ page: { total: 0, items: [] } });
  });

  it("refuses an inactive offer", async () => {
    const out = await run(() =>
      requestRoute.action({
        request: formRequest(
          `/support/${closedSlug}/request`,
          { submissionKey: randomUUID(), details: "x", contactMethod: "email" },
          { cookie: benCookie },
        ),
        params: { slug: closedSlug },
        context: {},
      }),
    );
    expect(out).toMatchObject({ status: 409, data: { inactive: true } });
    const [{ n }] = await getDb()
      .select({ n: count() })
      .from(supportRequests)
      .where(eq(supportRequests.requesterId, ben.id));
    expect(Number(n)).toBe(0);
  });
});
