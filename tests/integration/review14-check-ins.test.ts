// Review of issue 14, findings 3, 7 and 12, and the first-year insights' filter and demo (ADR 039,
// addendum 2026-11-30): account deletion and the retention schedule leave no check-in behind;
// turning check-ins off takes the open one off the home page; the answer figures of
// /insights/first-year are by the calendar month of the answer (so a past month never changes as
// answers arrive); one filter (an organisation or a staff group) inside the manager's scope, the
// CSV following it; the demo data makes "led to support" a figure. PGlite and PostgreSQL.
import { randomUUID } from "node:crypto";
import { eq, inArray, isNotNull } from "drizzle-orm";
import { insertDemoCheckIns } from "@db/demo-seed/check-ins";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  checkInPoints,
  checkIns,
  leavingResponses,
  mailOutbox,
  organisations,
  supportRequests,
  users,
} from "@db/schema";
import { sendDueCheckIns } from "~/.server/jobs/check-ins.server";
import { applyRetention, CHECK_IN_RETENTION_MONTHS, RETENTION_RULES } from "~/.server/jobs/retention.server";
import { loadRetentionOverview } from "~/.server/models/admin/retention.server";
import { eraseAccountByAdmin } from "~/.server/models/anonymise.server";
import { answerCheckIn, getMyCheckIn, myOpenCheckIn, setMyCheckIns } from "~/.server/models/check-ins.server";
import { loadFirstYearInsights } from "~/.server/models/first-year-insights.server";
import { PermissionError } from "~/.server/permissions.server";
import * as firstYearCsvRoute from "~/routes/insights_.first-year[.]csv";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { getRequest, runRoute, signInCookie } from "../helpers/http";
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

// ---------------------------------------------------------------------------------------------
// /insights/first-year: answers by the month they were given (finding 12), and the one filter.

describe("finding 12 and the filter: /insights/first-year", () => {
  /** The page is read on 10 March 2037: its 12 months run from March 2036 to February 2037. */
  const NOW = at("2037-03-10");
  let big: { id: number; slug: string; name: string };
  let small: { id: number; slug: string; name: string };
  let ics: TestUser;
  let bigManager: TestUser;

  /** `n` check-ins of new starters in `org`, sent on `sent`, answered on `answered` (or not) with work score `work`. */
  async function checkInsFor(
    org: number,
    n: number,
    sent: string,
    answered: string | null,
    work: number,
    staffGroup = "nursing_midwifery",
  ) {
    const people = await Promise.all(Array.from({ length: n }, () => createUser({ organisationId: org })));
    await getDb()
      .insert(checkIns)
      .values(
        people.map((p) => ({
          id: randomUUID().replace(/-/g, ""),
          userId: p.id,
          pointLabel: "4 weeks",
          pointDays: 28,
          dueOn: sent,
          organisationId: org,
          staffGroup,
          sentAt: at(sent),
          expiresAt: new Date(at(sent).getTime() + 21 * 24 * 60 * 60_000),
          ...(answered
            ? {
                answeredAt: at(answered),
                workScore: work,
                supportedScore: 3,
                hasWhatNeeded: "yes" as const,
                thinkingOfLeaving: "no" as const,
              }
            : {}),
        })),
      );
  }

  const page = (who: TestUser, query = "") =>
    loadFirstYearInsights(asCurrentUser(who), new URL(`http://localhost/insights/first-year${query}`), NOW);

  beforeAll(async () => {
    const made = await Promise.all([createOrganisation(), createOrganisation()]);
    const rows = await getDb()
      .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
      .from(organisations)
      .where(
        inArray(
          organisations.id,
          made.map((o) => o.id),
        ),
      );
    big = rows.find((r) => r.id === made[0]!.id)!;
    small = rows.find((r) => r.id === made[1]!.id)!;
    ics = await createUser({ role: "manager", organisationId: big.id });
    bigManager = await createUser({ role: "manager", organisationId: big.id, managesOrganisationId: big.id });
    // Sent in January 2037: ten answered in January (work 5), ten in February (work 1), five not.
    await checkInsFor(big.id, 10, "2037-01-12", "2037-01-20", 5);
    await checkInsFor(big.id, 10, "2037-01-22", "2037-02-05", 1);
    await checkInsFor(big.id, 5, "2037-01-22", null, 0);
    // Allied health in the same organisation: twelve answered in February (work 4).
    await checkInsFor(big.id, 12, "2037-02-01", "2037-02-03", 4, "allied_health");
    // Three in the small organisation.
    await checkInsFor(small.id, 3, "2037-01-12", "2037-01-14", 2);
  }, 180_000);

  it("counts answers, scores and shares in the calendar month the answer was given, labelled so", async () => {
    const data = await page(ics);
    const p = data.published!;
    expect(p).not.toBeNull();
    const month = (label: string) => p.byMonth.find((r) => r.label === label)!;
    // January's answers: ten of 5 and the small organisation's three of 2, (50 + 6) / 13 = 4.3.
    // February's: ten of 1 and twelve of 4, (10 + 48) / 22 = 2.6. (By month sent it would be 2.9 and 4.0.)
    expect(month("January 2037").work.text).toBe("4.3");
    expect(month("February 2037").work.text).toBe("2.6");
    expect(data.tables.find((t) => t.id === "table-months")!.caption).toBe("Answers by the month they were given");
    expect(data.tables.find((t) => t.id === "table-months")!.rowHeader).toBe("Month answered");
  });

  it("a month that is over never changes: a late answer to a check-in sent in it counts in the month it was given", async () => {
    const before = (await page(ics)).published!.byMonth.find((r) => r.label === "January 2037")!;
    await checkInsFor(big.id, 1, "2037-01-30", "2037-02-10", 1);
    const after = (await page(ics)).published!.byMonth.find((r) => r.label === "January 2037")!;
    expect(after).toEqual(before);
  });

  it("filters to one organisation: the ICS manager sees exactly the organisation's manager's figures", async () => {
    const filtered = await page(ics, `?for=organisation:${big.slug}`);
    expect(filtered.errors).toEqual([]);
    expect(filtered.filter).toEqual({ kind: "organisation", slug: big.slug });
    expect(filtered.scopeLabel).toBe(big.name);
    expect(filtered.published!.byOrganisation.map((r) => r.label)).toEqual([big.name]);
    expect(filtered.published).toEqual((await page(bigManager)).published);
    expect(filtered.csvFileName).toBe(`staywell-first-year-${big.slug}-2036-03-to-2037-02.csv`);
  });

  it("filters to one staff group, and disclosure control applies to the filtered set", async () => {
    const allied = await page(ics, "?for=group:allied_health");
    expect(allied.filter).toEqual({ kind: "group", value: "allied_health" });
    // Twelve sent: under the page minimum of 20, so no figure at all.
    expect(allied.published).toBeNull();
    const nursing = await page(ics, "?for=group:nursing_midwifery");
    expect(nursing.published!.byStaffGroup.map((r) => r.label)).toEqual(["Nursing and midwifery"]);
    // The small organisation alone: three check-ins, nothing published.
    expect((await page(ics, `?for=organisation:${small.slug}`)).published).toBeNull();
  });

  it("refuses a filter outside the manager's scope (403) or not in the list (a message, keeping the rest)", async () => {
    await expect(page(bigManager, `?for=organisation:${small.slug}`)).rejects.toBeInstanceOf(PermissionError);
    const narrowed = await page(bigManager, "?for=group:allied_health");
    expect(narrowed.errors.map((e) => e.field)).toEqual(["for"]);
    expect(narrowed.filter).toEqual({ kind: "all" });
    expect(narrowed.options).toEqual({ organisations: [], staffGroups: [] });
    const unknown = await page(ics, "?period=12m&for=group:astronauts");
    expect(unknown.errors).toEqual([{ field: "for", message: "Choose an organisation or staff group from the list" }]);
    expect(unknown.period.key).toBe("12m");
    const two = await page(ics, `?for=organisation:${big.slug}&for=group:allied_health`);
    expect(two.errors.map((e) => e.field)).toEqual(["for"]);
    expect(two.filter).toEqual({ kind: "all" });
  });

  it("the CSV follows the filter", async () => {
    const cookie = await signInCookie(ics.id);
    const outcome = await runRoute(() =>
      firstYearCsvRoute.loader({
        request: getRequest(`/insights/first-year.csv?for=organisation:${big.slug}`, { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(outcome.status).toBe(200);
    expect(outcome.headers!.get("Content-Disposition")).toContain(`staywell-first-year-${big.slug}-`);
    const csv = outcome.body!;
    expect(csv.split("\n")[0]).toContain(big.name);
    expect(csv).not.toContain(small.name);
  });
});

describe("the demo data: check-ins that led to support", () => {
  it("makes requests for some answered check-ins, so the ICS manager sees a non-zero, unsuppressed 'led to support'", async () => {
    const NOW = new Date("2026-11-20T12:00:00Z");
    const orgs = await Promise.all([createOrganisation(), createOrganisation(), createOrganisation()]);
    const rows = await getDb()
      .select({ id: organisations.id, slug: organisations.slug })
      .from(organisations)
      .where(
        inArray(
          organisations.id,
          orgs.map((o) => o.id),
        ),
      );
    // The demo seed's own seed (db/seed.ts: DEFAULT_PRNG_SEED + 14).
    await getDb().transaction((tx) =>
      insertDemoCheckIns(tx, {
        now: NOW,
        seed: 20_260_101 + 14,
        orgs: rows.map((o) => ({ id: o.id, domain: `${o.slug}.test` })),
      }),
    );
    const linked = await getDb()
      .select({ checkIn: checkIns, request: supportRequests })
      .from(checkIns)
      .innerJoin(supportRequests, eq(supportRequests.id, checkIns.requestId))
      .where(isNotNull(checkIns.requestId));
    expect(linked.length).toBeGreaterThanOrEqual(15);
    for (const { checkIn, request } of linked) {
      // As answerCheckIn writes it: the person's own request, keyed by the check-in, answered then.
      expect(checkIn.contactWanted).toBe(true);
      expect(request.requesterId).toBe(checkIn.userId);
      expect(request.submissionKey).toBe(`check-in:${checkIn.id}`);
      expect(request.submittedAt).toEqual(checkIn.answeredAt);
      expect(request.status).toBe("closed");
      expect(request.closedAt!.getTime()).toBeLessThan(NOW.getTime());
      expect((request.answers as { checkIn: { point: string } }).checkIn.point).toBe(checkIn.pointLabel);
    }
    const icsManager = await createUser({ role: "manager", organisationId: rows[0]!.id });
    const data = await loadFirstYearInsights(
      asCurrentUser(icsManager),
      new URL("http://localhost/insights/first-year"),
      NOW,
    );
    const total = data.published!.support.total;
    expect(total.suppressed).toBe(false);
    expect(total.value).toBeGreaterThan(0);
  });
});

describe("a new starter who has left (second review of issue 14)", () => {
  it("is sent no check-in once their leaving date has passed; one still working out their notice is", async () => {
    const left = await createUser({ organisationId, startDate: "2032-10-20" });
    const leaving = await createUser({ organisationId, startDate: "2032-10-20" });
    const response = (user: TestUser, leavingDate: string) => ({
      userId: user.id,
      organisationId,
      leavingDate,
      destination: "nhs_outside_ics",
      mainReason: "work_life_balance",
      usedSupport: false,
      wouldReturn: true,
    });
    await getDb()
      .insert(leavingResponses)
      .values([response(left, "2032-11-20"), response(leaving, "2032-12-31")]);
    await sendDueCheckIns(at("2032-11-30"));
    expect(await checkInsOf(left)).toEqual([]);
    expect(await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, left.id))).toEqual([]);
    expect(await checkInsOf(leaving)).toHaveLength(1);
  });
});
