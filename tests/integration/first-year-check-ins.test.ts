// First-year check-ins (issue 14 part 1, ADR 039): when they fall due (start dates at month ends,
// 29 February, someone who joins StayWell part-way through their first year), mailed once even when
// two instances run the job at the same moment, expiry after 21 days, turning them off, answering
// (and the support request an answer makes) and need-to-know: another person's check-in is not found.
// Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import { and, eq, like } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { checkInPoints, checkIns, mailOutbox, supportRequests, type CheckInPointUnit } from "@db/schema";
import { sendDueCheckIns } from "~/.server/jobs/check-ins.server";
import {
  addCheckInPoint,
  answerCheckIn,
  getMyCheckIn,
  myOpenCheckIn,
  setMyCheckIns,
} from "~/.server/models/check-ins.server";
import { getHubRequest } from "~/.server/models/hub-requests.server";
import * as checkInRoute from "~/routes/check-ins.$id";
import * as preferencesRoute from "~/routes/account.preferences";
import * as adminCheckInsRoute from "~/routes/admin.check-ins";
import { describeAnswers } from "~/schemas/request-forms";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const DAY = 24 * 60 * 60_000;
/** Noon UTC on a date: the same date in London, summer or winter. */
const at = (date: string) => new Date(`${date}T12:00:00Z`);

let organisationId: number;
let newStarterCoordinator: TestUser;
let retentionCoordinator: TestUser;

async function setPoints(points: [number, CheckInPointUnit][]) {
  await getDb().delete(checkInPoints);
  await getDb()
    .insert(checkInPoints)
    .values(points.map(([amount, unit]) => ({ amount, unit })));
}

async function starter(startDate: string, extra: { checkInsOff?: boolean } = {}) {
  const user = await createUser({ organisationId, startDate });
  if (extra.checkInsOff) await setMyCheckIns(asCurrentUser(user), false);
  return user;
}

async function checkInsOf(user: TestUser) {
  return getDb().select().from(checkIns).where(eq(checkIns.userId, user.id)).orderBy(checkIns.dueOn);
}

async function mailsTo(user: TestUser) {
  return getDb()
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, user.email), like(mailOutbox.subject, "How is your first year going%")));
}

beforeAll(async () => {
  organisationId = (await createOrganisation()).id;
  newStarterCoordinator = await createUser({ role: "coordinator", organisationId });
  retentionCoordinator = await createUser({ role: "coordinator", organisationId });
  const general = await createTeam({ name: "General support", members: [newStarterCoordinator.id] });
  const retention = await createTeam({ name: "Retention and careers", members: [retentionCoordinator.id] });
  await createOffer({ slug: "new-starter-support", formKind: "general", teamId: general.id });
  await createOffer({
    slug: "thinking-of-leaving",
    formKind: "thinking_of_leaving",
    sensitive: true,
    teamId: retention.id,
  });
});

beforeEach(async () => {
  // Only the people of each test are due anything: everyone before is moved out of their first year.
  await setPoints([
    [4, "weeks"],
    [3, "months"],
    [6, "months"],
    [9, "months"],
  ]);
});

describe("when check-ins fall due", () => {
  it("a month after 31 January is the last day of February (28th, and 29th in a leap year)", async () => {
    await setPoints([[1, "months"]]);
    const plain = await starter("2027-01-31");
    expect((await sendDueCheckIns(at("2027-02-27"))).sent).toBe(0);
    await sendDueCheckIns(at("2027-02-28"));
    expect((await checkInsOf(plain)).map((c) => [c.dueOn, c.pointLabel])).toEqual([["2027-02-28", "1 month"]]);

    const leap = await starter("2028-01-31");
    await sendDueCheckIns(at("2028-02-28"));
    expect(await checkInsOf(leap)).toEqual([]);
    await sendDueCheckIns(at("2028-02-29"));
    expect((await checkInsOf(leap)).map((c) => c.dueOn)).toEqual(["2028-02-29"]);
  });

  it("someone who started on 29 February gets the 3-month check-in on 29 May, and the 9-month one on 29 November", async () => {
    const leapling = await starter("2028-02-29");
    await sendDueCheckIns(at("2028-03-28")); // the 4-week one (28 March)
    await sendDueCheckIns(at("2028-05-28"));
    expect((await checkInsOf(leapling)).map((c) => c.pointLabel)).toEqual(["4 weeks"]);
    await sendDueCheckIns(at("2028-05-29"));
    await sendDueCheckIns(at("2028-11-29"));
    expect((await checkInsOf(leapling)).map((c) => [c.pointLabel, c.dueOn])).toEqual([
      ["4 weeks", "2028-03-28"],
      ["3 months", "2028-05-29"],
      ["9 months", "2028-11-29"],
    ]);
  });

  it("someone who joins part-way through their first year gets the next due check-in only, not the missed ones", async () => {
    // Started 1 January; joins StayWell in April: the 4-week check-in (29 January) is long gone.
    const late = await starter("2027-01-01");
    const run = await sendDueCheckIns(at("2027-04-10"));
    expect(run.sent).toBeGreaterThanOrEqual(1);
    const sent = await checkInsOf(late);
    expect(sent.map((c) => [c.pointLabel, c.dueOn])).toEqual([["3 months", "2027-04-01"]]);
    // The next run sends nothing more until 6 months.
    await sendDueCheckIns(at("2027-04-11"));
    await sendDueCheckIns(at("2027-06-30"));
    expect(await checkInsOf(late)).toHaveLength(1);
    await sendDueCheckIns(at("2027-07-01"));
    expect((await checkInsOf(late)).map((c) => c.pointLabel)).toEqual(["3 months", "6 months"]);
    expect(await mailsTo(late)).toHaveLength(2);
  });

  it("a start date five weeks ago gets the 4-week check-in at once; 12 months after the start, nothing more", async () => {
    const fresh = await starter("2027-03-01");
    await sendDueCheckIns(at("2027-04-05"));
    expect((await checkInsOf(fresh)).map((c) => c.pointLabel)).toEqual(["4 weeks"]);
    // Five weeks, not four: the mail names the start date rather than claiming "4 weeks ago".
    const [mail] = await mailsTo(fresh);
    expect(mail!.textBody).toContain("This is your 4-week check-in: you started in your post on 1 March 2027.");
    expect(mail!.textBody).not.toContain("4 weeks ago");
    const open = await myOpenCheckIn(asCurrentUser(fresh), at("2027-04-06"));
    expect(open?.startDate).toBe("2027-03-01");

    await setPoints([[12, "months"]]);
    const yearAgo = await starter("2026-04-05");
    await sendDueCheckIns(at("2027-04-05"));
    expect(await checkInsOf(yearAgo)).toEqual([]);
  });

  it("nobody who turned check-ins off, or whose account is unconfirmed or disabled, is sent one", async () => {
    const off = await starter("2027-03-01", { checkInsOff: true });
    const unconfirmed = await createUser({ organisationId, startDate: "2027-03-01", verified: false });
    const disabled = await createUser({ organisationId, startDate: "2027-03-01", disabled: true });
    await sendDueCheckIns(at("2027-04-05"));
    for (const person of [off, unconfirmed, disabled]) {
      expect(await checkInsOf(person)).toEqual([]);
      expect(await mailsTo(person)).toEqual([]);
    }
  });

  it("a retired point sends nothing", async () => {
    await getDb().update(checkInPoints).set({ active: false }).where(eq(checkInPoints.unit, "weeks"));
    const person = await starter("2027-03-01");
    await sendDueCheckIns(at("2027-04-05"));
    expect(await checkInsOf(person)).toEqual([]);
  });

  it("mails each check-in once, even when two instances run the job at the same moment", async () => {
    const people = await Promise.all([starter("2027-03-02"), starter("2027-03-02"), starter("2027-03-02")]);
    const now = at("2027-04-06");
    const runs = await Promise.all([sendDueCheckIns(now), sendDueCheckIns(now), sendDueCheckIns(now)]);
    // Each check-in made is counted by exactly one of the runs (someone from an earlier test may be due too).
    const made = await getDb().select().from(checkIns).where(eq(checkIns.sentAt, now));
    expect(runs.reduce((sum, r) => sum + r.sent, 0)).toBe(made.length);
    expect(made.length).toBeGreaterThanOrEqual(3);
    for (const person of people) {
      expect(await checkInsOf(person)).toHaveLength(1);
      const mails = await mailsTo(person);
      expect(mails).toHaveLength(1);
      const [checkIn] = await checkInsOf(person);
      expect(mails[0]!.textBody).toContain(`/check-ins/${checkIn!.id}`);
    }
    expect((await sendDueCheckIns(now)).sent).toBe(0);
  });
});

describe("answering", () => {
  async function sentCheckIn(startDate = "2027-03-01", on = "2027-04-05") {
    const person = await starter(startDate);
    await sendDueCheckIns(at(on));
    const [checkIn] = await checkInsOf(person);
    return { person, checkIn: checkIn!, sentAt: at(on) };
  }

  const answers = {
    workScore: "4",
    supportedScore: "3",
    hasWhatNeeded: "partly",
    thinkingOfLeaving: "no",
    comments: "",
  };

  it("is open for 21 days, then off the home page and not answerable", async () => {
    const { person, checkIn, sentAt } = await sentCheckIn();
    const me = asCurrentUser(person);
    expect((await myOpenCheckIn(me, new Date(sentAt.getTime() + 20 * DAY)))?.id).toBe(checkIn.id);
    const later = new Date(sentAt.getTime() + 21 * DAY);
    expect(await myOpenCheckIn(me, later)).toBeNull();
    expect((await getMyCheckIn(me, checkIn.id, later))?.state).toBe("expired");
    expect(await answerCheckIn(me, checkIn.id, answers, later)).toEqual({ ok: false, reason: "expired" });
  });

  it("stores the codes only when no contact is wanted, and cannot be answered twice", async () => {
    const { person, checkIn, sentAt } = await sentCheckIn();
    const me = asCurrentUser(person);
    const when = new Date(sentAt.getTime() + DAY);
    const result = await answerCheckIn(me, checkIn.id, { ...answers, comments: "Settling in fine" }, when);
    expect(result).toEqual({ ok: true, requestReference: null, signpost: false });
    const [row] = await checkInsOf(person);
    expect(row).toMatchObject({ workScore: 4, supportedScore: 3, hasWhatNeeded: "partly", requestId: null });
    expect(JSON.stringify(row)).not.toContain("Settling in fine");
    expect(await answerCheckIn(me, checkIn.id, answers, when)).toEqual({ ok: false, reason: "answered" });
    expect(await myOpenCheckIn(me, when)).toBeNull();
  });

  it("refuses bad answers field by field, writing nothing", async () => {
    const { person, checkIn, sentAt } = await sentCheckIn();
    const result = await answerCheckIn(
      asCurrentUser(person),
      checkIn.id,
      { workScore: "6", hasWhatNeeded: "maybe", thinkingOfLeaving: "no" },
      sentAt,
    );
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason === "invalid" && Object.keys(result.errors).sort()).toEqual([
      "hasWhatNeeded",
      "supportedScore",
      "workScore",
    ]);
    expect((await checkInsOf(person))[0]!.answeredAt).toBeNull();
  });

  it("leaving “yes” with contact wanted makes a confidential stay conversation with the answers attached", async () => {
    const { person, checkIn, sentAt } = await sentCheckIn();
    const result = await answerCheckIn(
      asCurrentUser(person),
      checkIn.id,
      {
        ...answers,
        workScore: "1",
        thinkingOfLeaving: "yes",
        comments: "My rota changes every week",
        contactWanted: "on",
      },
      sentAt,
    );
    expect(result.ok && result.requestReference).toMatch(/^SW-/);
    const reference = result.ok ? result.requestReference! : "";
    const [request] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, reference));
    expect((await checkInsOf(person))[0]!.requestId).toBe(request!.id);

    // In the Retention and careers queue, with the answers; not visible to the other team.
    const found = await getHubRequest(asCurrentUser(retentionCoordinator), reference, sentAt);
    if (found.outcome !== "found") throw new Error(`expected the request, got ${found.outcome}`);
    const view = found.request;
    expect(view.offer.formKind).toBe("thinking_of_leaving");
    const rows = describeAnswers(view.offer.formKind, view.answers);
    expect(rows.find((r) => r.key === "details")?.answer).toBe("My rota changes every week");
    expect(rows.find((r) => r.key === "checkInLeaving")?.answer).toBe("Yes");
    expect(rows.find((r) => r.key === "checkInWork")?.answer).toBe("1 out of 5");
    // The thinking-of-leaving form's own questions were never asked: none is listed as "Not given".
    expect(rows.filter((r) => r.answer === "Not given")).toEqual([]);
    expect(rows.map((r) => r.key)).toEqual([
      "details",
      "checkInPoint",
      "checkInWork",
      "checkInSupported",
      "checkInHasWhatNeeded",
      "checkInLeaving",
    ]);
    expect((await getHubRequest(asCurrentUser(newStarterCoordinator), reference, sentAt)).outcome).not.toBe("found");
  });

  it("contact wanted without thinking of leaving goes to new-starter support", async () => {
    const { person, checkIn, sentAt } = await sentCheckIn();
    const result = await answerCheckIn(asCurrentUser(person), checkIn.id, { ...answers, contactWanted: "on" }, sentAt);
    const reference = result.ok ? result.requestReference! : "";
    const found = await getHubRequest(asCurrentUser(newStarterCoordinator), reference, sentAt);
    if (found.outcome !== "found") throw new Error(`expected the request, got ${found.outcome}`);
    expect(found.request.offer.title).toBe("Test offer new-starter-support");
    expect(found.request.status).toBe("new");
  });

  it("a 1 without consent makes no request but points the person to support", async () => {
    const { person, checkIn, sentAt } = await sentCheckIn();
    const result = await answerCheckIn(asCurrentUser(person), checkIn.id, { ...answers, supportedScore: "1" }, sentAt);
    expect(result).toEqual({ ok: true, requestReference: null, signpost: true });
    expect(await getDb().select().from(supportRequests).where(eq(supportRequests.requesterId, person.id))).toEqual([]);
  });
});

describe("need to know", () => {
  it("another person's check-in is not found, in the model and at /check-ins/<id>", async () => {
    const owner = await starter("2027-03-01");
    const other = await starter("2020-01-01");
    await sendDueCheckIns(at("2027-04-05"));
    const [checkIn] = await checkInsOf(owner);
    expect(await getMyCheckIn(asCurrentUser(other), checkIn!.id, at("2027-04-05"))).toBeNull();
    const refused = await answerCheckIn(
      asCurrentUser(other),
      checkIn!.id,
      { workScore: "3", supportedScore: "3", hasWhatNeeded: "yes", thinkingOfLeaving: "no" },
      at("2027-04-05"),
    );
    expect(refused).toEqual({ ok: false, reason: "not_found" });

    const cookie = await signInCookie(other.id);
    const page = await runRoute(() =>
      checkInRoute.loader({
        request: getRequest(`/check-ins/${checkIn!.id}`, { cookie }),
        params: { id: checkIn!.id },
        context: {},
      }),
    );
    expect(page.status).toBe(404);
    const post = await runRoute(() =>
      checkInRoute.action({
        request: formRequest(`/check-ins/${checkIn!.id}`, { workScore: "3" }, { cookie }),
        params: { id: checkIn!.id },
        context: {},
      }),
    );
    expect(post.status).toBe(404);
    const ownerCookie = await signInCookie(owner.id);
    const own = await runRoute(() =>
      checkInRoute.loader({
        request: getRequest(`/check-ins/${checkIn!.id}`, { cookie: ownerCookie }),
        params: { id: checkIn!.id },
        context: {},
      }),
    );
    expect(own.status).toBe(200);
  });

  it("only administrators add check-in points", async () => {
    const staff = await starter("2020-01-01");
    await expect(addCheckInPoint(asCurrentUser(staff), { amount: 2, unit: "weeks" })).rejects.toThrow(/administrators/);
  });

  it("administrators add a point at /admin/check-ins; a point past the first year is refused", async () => {
    const admin = await createUser({ role: "admin", organisationId });
    const cookie = await signInCookie(admin.id);
    const added = await runRoute(() =>
      adminCheckInsRoute.action({
        request: formRequest("/admin/check-ins", { intent: "add", amount: "2", unit: "weeks" }, { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(added.location).toBe("/admin/check-ins?done=added");
    expect((await getDb().select().from(checkInPoints).where(eq(checkInPoints.amount, 2)))[0]?.unit).toBe("weeks");
    const late = await runRoute(() =>
      adminCheckInsRoute.action({
        request: formRequest("/admin/check-ins", { intent: "add", amount: "12", unit: "months" }, { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(late.status).toBe(400);
    expect(JSON.stringify(late.data)).toContain("within the first year");
  });
});

describe("turning check-ins off in /account/preferences", () => {
  it("an unticked box turns them off, and nothing is sent", async () => {
    const person = await starter("2027-03-01");
    const cookie = await signInCookie(person.id);
    const saved = await runRoute(() =>
      preferencesRoute.action({
        request: formRequest("/account/preferences", { contactMethod: "email" }, { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(saved.location).toBe("/account/preferences?done=saved");
    await sendDueCheckIns(at("2027-04-05"));
    expect(await checkInsOf(person)).toEqual([]);

    await runRoute(() =>
      preferencesRoute.action({
        request: formRequest("/account/preferences", { contactMethod: "email", firstYearCheckIns: "on" }, { cookie }),
        params: {},
        context: {},
      }),
    );
    await sendDueCheckIns(at("2027-04-05"));
    expect(await checkInsOf(person)).toHaveLength(1);
  });
});
