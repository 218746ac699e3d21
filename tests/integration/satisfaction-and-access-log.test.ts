// Satisfaction: the person rates a closed request 1–5 (with an optional comment) once.
// The access log: the person sees who in the people hub viewed or changed their request.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { requestAccessLog, requestEvents, supportRequests, type SupportOffer } from "@db/schema";
import { recordAccess } from "~/.server/models/hub-access.server";
import { createRequest, getMyRequest, getMyRequestAccessLog, rateMyRequest } from "~/.server/models/requests.server";
import * as detailRoute from "~/routes/my.requests.$reference";
import {
  addTeamMembers,
  createOffer,
  createTeam,
  createUser,
  asCurrentUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, signInCookie, runRoute } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const asCaller = asCurrentUser;

const run = runRoute;

let offer: SupportOffer;
let coordinator: TestUser;
let admin: TestUser;

async function newRequest(user: TestUser) {
  const created = await createRequest(asCaller(user), offer.slug, {
    details: "Something I would rather keep private",
    contactMethod: "email",
    submissionKey: randomUUID(),
  });
  return created;
}

async function close(reference: string) {
  await getDb()
    .update(supportRequests)
    .set({ status: "closed", closeOutcome: "support_given", closedAt: new Date() })
    .where(eq(supportRequests.reference, reference));
}

async function stored(reference: string) {
  const [row] = await getDb()
    .select({
      rating: supportRequests.satisfactionRating,
      comment: supportRequests.satisfactionComment,
      ratedAt: supportRequests.ratedAt,
      status: supportRequests.status,
      version: supportRequests.version,
    })
    .from(supportRequests)
    .where(eq(supportRequests.reference, reference));
  return row;
}

beforeAll(async () => {
  coordinator = await createUser({ role: "coordinator", name: "Cora Coordinator" });
  admin = await createUser({ role: "admin", name: "Adam Administrator" });
  const team = await createTeam({ name: "Physio team" });
  await addTeamMembers(team.id, [coordinator.id, admin.id]);
  offer = await createOffer({ teamId: team.id, formKind: "general", title: "Help with anything" });
});

describe("rateMyRequest", () => {
  let amy: TestUser;
  let ben: TestUser;

  beforeAll(async () => {
    amy = await createUser({ name: "Amy Asker" });
    ben = await createUser({ name: "Ben Other" });
  });

  it("stores a rating and comment on a closed request, once", async () => {
    const { reference } = await newRequest(amy);
    await close(reference);
    const before = await stored(reference);
    const now = new Date("2030-05-01T10:00:00Z");
    const result = await rateMyRequest(asCaller(amy), reference, { rating: 4, comment: "  Quick and kind.  " }, now);
    expect(result).toEqual({ rating: 4, comment: "Quick and kind.", ratedAt: now });
    expect(await stored(reference)).toMatchObject({
      rating: 4,
      comment: "Quick and kind.",
      ratedAt: now,
      status: "closed",
      version: before.version,
    });

    const again = await rateMyRequest(asCaller(amy), reference, { rating: 1, comment: "Changed my mind" }).catch(
      (e) => e,
    );
    expect(again).toMatchObject({
      code: "already_rated",
      message: "You have already rated this request. You can only rate it once.",
    });
    expect(await stored(reference)).toMatchObject({ rating: 4, comment: "Quick and kind.", ratedAt: now });

    const mine = await getMyRequest(asCaller(amy), reference);
    expect(mine).toMatchObject({ satisfactionRating: 4, satisfactionComment: "Quick and kind.", ratedAt: now });
  });

  it("accepts a rating without a comment, and the form's string values", async () => {
    const { reference } = await newRequest(amy);
    await close(reference);
    await rateMyRequest(asCaller(amy), reference, { rating: "5", comment: "   " });
    expect(await stored(reference)).toMatchObject({ rating: 5, comment: null });
  });

  it("refuses a request that is not closed, and changes nothing", async () => {
    const { reference } = await newRequest(amy);
    const err = await rateMyRequest(asCaller(amy), reference, { rating: 3 }).catch((e) => e);
    expect(err).toMatchObject({ code: "not_closed" });
    expect(await stored(reference)).toMatchObject({ rating: null, comment: null, ratedAt: null });
    // Withdrawn is finished but not closed by the hub: no rating either.
    await getDb()
      .update(supportRequests)
      .set({ status: "withdrawn", closedAt: new Date() })
      .where(eq(supportRequests.reference, reference));
    expect(await rateMyRequest(asCaller(amy), reference, { rating: 3 }).catch((e) => e)).toMatchObject({
      code: "not_closed",
    });
  });

  it("enforces 1–5 and the comment limit", async () => {
    const { reference } = await newRequest(amy);
    await close(reference);
    for (const rating of [0, 6, -1, 2.5, "abc", "", undefined, null]) {
      const err = await rateMyRequest(asCaller(amy), reference, { rating }).catch((e) => e);
      expect(err, `rating ${String(rating)}`).toMatchObject({
        code: "invalid",
        errors: { rating: "Select how helpful the people hub was" },
      });
    }
    const tooLong = await rateMyRequest(asCaller(amy), reference, { rating: 3, comment: "x".repeat(1001) }).catch(
      (e) => e,
    );
    expect(tooLong).toMatchObject({
      code: "invalid",
      errors: { comment: "Your comment must be 1000 characters or fewer" },
    });
    expect(await stored(reference)).toMatchObject({ rating: null, ratedAt: null });
    await rateMyRequest(asCaller(amy), reference, { rating: 2, comment: "y".repeat(1000) });
    expect(await stored(reference)).toMatchObject({ rating: 2, comment: "y".repeat(1000) });
  });

  it("only the requester: another person's reference (even the team's coordinator) is not found", async () => {
    const { reference } = await newRequest(amy);
    await close(reference);
    for (const who of [ben, coordinator, admin]) {
      const err = await rateMyRequest(asCaller(who), reference, { rating: 1 }).catch((e) => e);
      expect(err).toMatchObject({ code: "not_found", message: "There is no request with that reference." });
    }
    expect(await rateMyRequest(asCaller(amy), "SW-1999-00001", { rating: 1 }).catch((e) => e)).toMatchObject({
      code: "not_found",
    });
    expect(await stored(reference)).toMatchObject({ rating: null });
  });

  it("two submissions at once: one rating lands, the other is refused", async () => {
    const { reference } = await newRequest(amy);
    await close(reference);
    const results = await Promise.allSettled([
      rateMyRequest(asCaller(amy), reference, { rating: 5 }),
      rateMyRequest(asCaller(amy), reference, { rating: 1 }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ rating: number }>[];
    const refused = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toMatchObject({ code: "already_rated" });
    expect((await stored(reference)).rating).toBe(ok[0].value.rating);
  });

  it("the page: the form when closed, 400s kept on the page, a redirect, then the rating shown", async () => {
    const cookie = await signInCookie(amy.id);
    const benCookie = await signInCookie(ben.id);
    const { reference } = await newRequest(amy);
    const path = `/my/requests/${reference}`;
    const params = { reference };

    const open = await run(() =>
      detailRoute.action({
        request: formRequest(path, { intent: "rate", rating: "4" }, { cookie }),
        params,
        context: {},
      }),
    );
    expect(open.status).toBe(400);
    expect(open.data).toMatchObject({
      intent: "rate",
      errors: { _form: "You can rate the people hub's help once your request is closed." },
    });

    await close(reference);
    const missing = await run(() =>
      detailRoute.action({
        request: formRequest(path, { intent: "rate", comment: "No number" }, { cookie }),
        params,
        context: {},
      }),
    );
    expect(missing).toMatchObject({
      status: 400,
      data: {
        intent: "rate",
        errors: { rating: "Select how helpful the people hub was" },
        values: { comment: "No number" },
      },
    });
    const long = await run(() =>
      detailRoute.action({
        request: formRequest(path, { intent: "rate", rating: "3", comment: "z".repeat(1001) }, { cookie }),
        params,
        context: {},
      }),
    );
    expect(long).toMatchObject({
      status: 400,
      data: { errors: { comment: "Your comment must be 1000 characters or fewer" }, values: { rating: "3" } },
    });

    const other = await run(() =>
      detailRoute.action({
        request: formRequest(path, { intent: "rate", rating: "1" }, { cookie: benCookie }),
        params,
        context: {},
      }),
    );
    expect(other.status).toBe(404);

    const done = await run(() =>
      detailRoute.action({
        request: formRequest(path, { intent: "rate", rating: "4", comment: "Thank you" }, { cookie }),
        params,
        context: {},
      }),
    );
    expect(done).toMatchObject({ status: 302, location: `${path}?rated=1#satisfaction` });

    const page = await run(() =>
      detailRoute.loader({ request: getRequest(`${path}?rated=1`, { cookie }), params, context: {} }),
    );
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      rated: true,
      request: { satisfactionRating: 4, satisfactionComment: "Thank you" },
    });

    const twice = await run(() =>
      detailRoute.action({
        request: formRequest(path, { intent: "rate", rating: "2" }, { cookie }),
        params,
        context: {},
      }),
    );
    expect(twice).toMatchObject({
      status: 400,
      data: { errors: { _form: "You have already rated this request. You can only rate it once." } },
    });
    expect(await stored(reference)).toMatchObject({ rating: 4, comment: "Thank you" });
  });
});

describe("getMyRequestAccessLog", () => {
  let cat: TestUser;
  let dan: TestUser;

  beforeAll(async () => {
    cat = await createUser({ name: "Cat Requester" });
    dan = await createUser({ name: "Dan Other" });
  });

  it("is empty until someone in the hub opens the request", async () => {
    const { reference } = await newRequest(cat);
    expect(await getMyRequestAccessLog(asCaller(cat), reference)).toEqual({ total: 0, entries: [] });
    const cookie = await signInCookie(cat.id);
    const page = await run(() =>
      detailRoute.loader({
        request: getRequest(`/my/requests/${reference}`, { cookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(page.data).toMatchObject({ accessLog: { total: 0, entries: [] } });
  });

  it("shows who did what and when, newest first, with role labels; only to the requester", async () => {
    const { id, reference } = await newRequest(cat);
    const t = (minute: number) => new Date(Date.UTC(2030, 0, 10, 9, minute));
    await getDb().transaction(async (tx) => {
      await recordAccess(tx, id, coordinator.id, "viewed", t(0));
      await recordAccess(tx, id, coordinator.id, "assigned", t(1));
      await recordAccess(tx, id, admin.id, "status_changed", t(2));
      await recordAccess(tx, id, coordinator.id, "messaged", t(3));
      await recordAccess(tx, id, admin.id, "noted", t(4));
    });
    const log = await getMyRequestAccessLog(asCaller(cat), reference);
    expect(log?.total).toBe(5);
    expect(log?.entries.map(({ name, roleLabel, actionLabel, at }) => ({ name, roleLabel, actionLabel, at }))).toEqual([
      { name: "Adam Administrator", roleLabel: "Administrator", actionLabel: "Updated the hub's record", at: t(4) },
      { name: "Cora Coordinator", roleLabel: "People hub coordinator", actionLabel: "Sent you a message", at: t(3) },
      { name: "Adam Administrator", roleLabel: "Administrator", actionLabel: "Changed the status", at: t(2) },
      { name: "Cora Coordinator", roleLabel: "People hub coordinator", actionLabel: "Assigned your request", at: t(1) },
      { name: "Cora Coordinator", roleLabel: "People hub coordinator", actionLabel: "Viewed your request", at: t(0) },
    ]);

    // Another person, and the coordinator themself, cannot read it through the requester's side.
    expect(await getMyRequestAccessLog(asCaller(dan), reference)).toBeNull();
    expect(await getMyRequestAccessLog(asCaller(coordinator), reference)).toBeNull();
    const danCookie = await signInCookie(dan.id);
    const other = await run(() =>
      detailRoute.loader({
        request: getRequest(`/my/requests/${reference}`, { cookie: danCookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(other.status).toBe(404);

    const cookie = await signInCookie(cat.id);
    const page = await run(() =>
      detailRoute.loader({
        request: getRequest(`/my/requests/${reference}`, { cookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(page.data).toMatchObject({ accessLog: { total: 5 } });
    expect((page.data as { accessLog: { entries: unknown[] } }).accessLog.entries).toHaveLength(5);
  });

  it("a note is 'Updated the hub's record': its text is never given to the requester", async () => {
    const { id, reference } = await newRequest(cat);
    const secret = "Internal: manager mentioned a capability process";
    await getDb().transaction(async (tx) => {
      await tx.insert(requestEvents).values({
        requestId: id,
        actorId: coordinator.id,
        kind: "internal_note",
        body: secret,
        visibleToRequester: false,
      });
      await recordAccess(tx, id, coordinator.id, "noted");
    });
    const log = await getMyRequestAccessLog(asCaller(cat), reference);
    expect(log?.entries).toHaveLength(1);
    expect(log?.entries[0]).toMatchObject({
      action: "noted",
      actionLabel: "Updated the hub's record",
      name: "Cora Coordinator",
    });
    expect(JSON.stringify(log)).not.toContain("capability");

    const cookie = await signInCookie(cat.id);
    const page = await run(() =>
      detailRoute.loader({
        request: getRequest(`/my/requests/${reference}`, { cookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).not.toContain("capability");
  });

  it("gives the latest 100 entries and how many there are", async () => {
    const { id, reference } = await newRequest(cat);
    const base = Date.UTC(2030, 1, 1, 9, 0);
    await getDb()
      .insert(requestAccessLog)
      .values(
        Array.from({ length: 105 }, (_, i) => ({
          requestId: id,
          actorId: coordinator.id,
          action: "viewed" as const,
          createdAt: new Date(base + i * 60_000),
        })),
      );
    const log = await getMyRequestAccessLog(asCaller(cat), reference);
    expect(log?.total).toBe(105);
    expect(log?.entries).toHaveLength(100);
    expect(log?.entries[0].at).toEqual(new Date(base + 104 * 60_000));
    expect(log?.entries[99].at).toEqual(new Date(base + 5 * 60_000));
  });
});
