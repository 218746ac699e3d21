// The retention schedule (docs/decisions/031-retention-schedule.md), with the clock moved: each rule
// does exactly what it says and nothing younger is touched; the insights' rollups do not move; the
// run is claimed once however many instances start it, recorded for /admin/retention and bounded
// per run; the retention hold is audited and respected; /admin/retention is for administrators only.
// On PGlite and (TEST_DATABASE_URL) PostgreSQL.
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import {
  accessRequests,
  adminAudit,
  authThrottleEvents,
  emailVerificationTokens,
  jobRuns,
  passwordResetTokens,
  mailOutbox,
  requestEvents,
  sessions,
  supportRequests,
  teamMembers,
  users,
  type RequestStatus,
  type SupportOffer,
} from "@db/schema";
import {
  applyRetention,
  monthsBefore,
  RETENTION_JOB,
  RETENTION_RULES,
  runRetentionOnceToday,
} from "~/.server/jobs/retention.server";
import { runScheduledJobs } from "~/.server/jobs/scheduler.server";
import { isAdminError } from "~/.server/models/admin/common.server";
import { setRetentionHold } from "~/.server/models/admin/people.server";
import { loadRetentionOverview } from "~/.server/models/admin/retention.server";
import { ANONYMISED_NAME, anonymiseRequest, anonymisedEmail } from "~/.server/models/anonymise.server";
import * as personRoute from "~/routes/admin.people.$userId";
import * as retentionRoute from "~/routes/admin.retention";
import {
  addTeamMembers,
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

// 04:00 in London (BST): after the job's 02:00 start, before the digest's 07:00.
const NOW = new Date("2030-06-15T03:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const SECRET = "I cannot sleep since the incident on ward 7";
const PHONE = "07700 900123";

let counter = 0;
let offer: SupportOffer;
let admin: TestUser;

async function addRequest(
  requester: TestUser,
  status: RequestStatus,
  closedAt: Date | null,
  submittedAt = new Date(NOW.getTime() - 1200 * DAY),
) {
  counter += 1;
  const [row] = await getDb()
    .insert(supportRequests)
    .values({
      reference: `SW-2027-${String(20000 + counter).padStart(5, "0")}`,
      requesterId: requester.id,
      organisationId: requester.organisationId,
      staffGroup: requester.staffGroup,
      tenureBand: "1_to_2",
      offerId: offer.id,
      status,
      answers: { details: SECRET, safety: "safe" },
      contactMethod: "phone",
      contactPhone: PHONE,
      contactTimes: "Mornings before my shift",
      submissionKey: randomUUID(),
      submittedAt,
      dueAt: new Date(submittedAt.getTime() + 5 * DAY),
      firstContactAt: new Date(submittedAt.getTime() + DAY),
      firstContactWorkingDays: 1,
      firstContactWithinTarget: true,
      closedAt,
      closeOutcome: status === "closed" ? "support_given" : null,
      satisfactionRating: status === "closed" ? 5 : null,
      satisfactionComment: status === "closed" ? `Thanks, ${SECRET}` : null,
    })
    .returning();
  await getDb()
    .insert(requestEvents)
    .values([
      {
        requestId: row!.id,
        actorId: requester.id,
        kind: "submitted",
        visibleToRequester: true,
        createdAt: submittedAt,
      },
      {
        requestId: row!.id,
        actorId: requester.id,
        kind: "message_from_staff",
        body: `Reply: ${SECRET}`,
        visibleToRequester: true,
        createdAt: submittedAt,
      },
      {
        requestId: row!.id,
        actorId: admin.id,
        kind: "internal_note",
        body: `Note: ${SECRET}`,
        visibleToRequester: false,
        createdAt: submittedAt,
      },
      {
        requestId: row!.id,
        actorId: admin.id,
        kind: "status_changed",
        visibleToRequester: true,
        data: { from: "new", to: status },
        createdAt: submittedAt,
      },
    ]);
  return row!;
}

const requestRow = async (id: number) =>
  (await getDb().select().from(supportRequests).where(eq(supportRequests.id, id)))[0]!;
const eventBodies = async (id: number) =>
  (
    await getDb()
      .select({ body: requestEvents.body, kind: requestEvents.kind, data: requestEvents.data })
      .from(requestEvents)
      .where(eq(requestEvents.requestId, id))
      .orderBy(asc(requestEvents.id))
  ).map((e) => e.body);
const userRow = async (id: string) => (await getDb().select().from(users).where(eq(users.id, id)))[0]!;

/** Every rollup row: what /insights reads (ADR 006). */
async function rollups() {
  const db = getDb();
  return {
    cube: await queryRows(db, sql`select * from insight_cube order by 1, 2, 3, 4, 5, 6`),
    firstContact: await queryRows(db, sql`select * from insight_first_contact_cube order by 1, 2, 3, 4, 5, 6`),
    outcomes: await queryRows(db, sql`select * from insight_outcomes_cube order by 1, 2, 3, 4, 5`),
  };
}

async function addSession(userId: string, createdAt: Date, expiresAt: Date) {
  const id = randomUUID();
  await getDb().insert(sessions).values({ id, userId, createdAt, expiresAt });
  return id;
}

async function addToken(userId: string, expiresAt: Date) {
  const [row] = await getDb()
    .insert(emailVerificationTokens)
    .values({ userId, tokenHash: randomUUID(), expiresAt, createdAt: new Date(expiresAt.getTime() - DAY) })
    .returning();
  return row!.id;
}

async function addMail(status: "sent" | "pending" | "failed", at: Date) {
  const [row] = await getDb()
    .insert(mailOutbox)
    .values({
      toAddress: "someone@test.staywell.test",
      subject: "An update on your request SW-2027-00001",
      textBody: `Body: ${SECRET}`,
      status,
      createdAt: at,
      nextAttemptAt: at,
      sentAt: status === "sent" ? at : null,
      failedAt: status === "failed" ? at : null,
    })
    .returning();
  return row!.id;
}

async function addThrottle(occurredAt: Date) {
  const [row] = await getDb()
    .insert(authThrottleEvents)
    .values({ kind: "sign_in_failure", client: "192.0.2.1", emailHash: "ab".repeat(32), occurredAt })
    .returning();
  return row!.id;
}

async function addAccessRequest(
  status: "pending" | "approved" | "declined" | "expired",
  expiresAt: Date,
  decidedAt: Date | null,
  extra: { email?: string; userId?: string } = {},
) {
  counter += 1;
  const [row] = await getDb()
    .insert(accessRequests)
    .values({
      email: extra.email ?? `asker.${counter}.${randomUUID().slice(0, 8)}@example.org`,
      name: "Priya Asker",
      organisationText: "Sunnyside Care Home",
      jobTitle: "Carer",
      staffGroup: "nursing_midwifery",
      startDate: "2024-01-01",
      status,
      expiresAt,
      decidedAt,
      declineReason: status === "declined" ? `Not in the ICS: ${SECRET}` : null,
      userId: extra.userId ?? null,
      createdAt: new Date(expiresAt.getTime() - 30 * DAY),
    })
    .returning({ id: accessRequests.id });
  return row!.id;
}

async function disabledUser(disabledAt: Date, options: { name: string; hold?: boolean }) {
  const user = await createUser({ name: options.name });
  await getDb()
    .update(users)
    .set({ disabledAt, retentionHold: options.hold ?? false })
    .where(eq(users.id, user.id));
  return user;
}

beforeAll(async () => {
  const org = await createOrganisation();
  admin = await createUser({ role: "admin", organisationId: org.id, name: "Ann Admin" });
  offer = await createOffer();
});

describe("the retention job at a moved clock", () => {
  const justOver24Months = new Date(monthsBefore(NOW, 24).getTime() - 60_000);
  const justUnder24Months = new Date(monthsBefore(NOW, 24).getTime() + 60_000);
  const ids: Record<string, number> = {};
  const sessionIds: Record<string, string> = {};
  const tokenIds: Record<string, number> = {};
  const mailIds: Record<string, number> = {};
  const throttleIds: Record<string, number> = {};
  const people: Record<string, TestUser> = {};
  let before: Awaited<ReturnType<typeof rollups>>;

  beforeAll(async () => {
    const staff = await createUser({ name: "Sam Staff" });
    people.staff = staff;
    ids.oldClosed = (await addRequest(staff, "closed", justOver24Months)).id;
    ids.oldWithdrawn = (await addRequest(staff, "withdrawn", new Date(NOW.getTime() - 800 * DAY))).id;
    ids.youngClosed = (await addRequest(staff, "closed", justUnder24Months)).id;
    ids.oldOpen = (await addRequest(staff, "in_progress", null)).id;

    sessionIds.idle = await addSession(staff.id, new Date(NOW.getTime() - 13 * 3600_000), new Date(NOW.getTime() - 1));
    sessionIds.absolute = await addSession(
      staff.id,
      new Date(NOW.getTime() - 24 * 3600_000 - 1000),
      new Date(NOW.getTime() + 3600_000),
    );
    sessionIds.live = await addSession(
      staff.id,
      new Date(NOW.getTime() - 3600_000),
      new Date(NOW.getTime() + 3600_000),
    );

    tokenIds.expired = await addToken(staff.id, new Date(NOW.getTime() - 1000));
    tokenIds.live = await addToken(staff.id, new Date(NOW.getTime() + 3600_000));
    // "Forgot your password?" links expire too (an hour after they are made).
    for (const [key, expiresAt] of [
      ["resetExpired", new Date(NOW.getTime() - 1000)],
      ["resetLive", new Date(NOW.getTime() + 3600_000)],
    ] as const) {
      const [row] = await getDb()
        .insert(passwordResetTokens)
        .values({ userId: staff.id, tokenHash: `hash-${randomUUID()}`, expiresAt })
        .returning({ id: passwordResetTokens.id });
      tokenIds[key] = row!.id;
    }

    throttleIds.old = await addThrottle(new Date(NOW.getTime() - 25 * 3600_000));
    throttleIds.young = await addThrottle(new Date(NOW.getTime() - 23 * 3600_000));

    mailIds.oldSent = await addMail("sent", new Date(NOW.getTime() - 91 * DAY));
    mailIds.youngSent = await addMail("sent", new Date(NOW.getTime() - 89 * DAY));
    mailIds.oldPending = await addMail("pending", new Date(NOW.getTime() - 120 * DAY));
    mailIds.oldFailed = await addMail("failed", new Date(NOW.getTime() - 120 * DAY));

    people.gone = await disabledUser(justOver24Months, { name: "Gina Gone" });
    ids.goneClosed = (await addRequest(people.gone, "closed", new Date(NOW.getTime() - 100 * DAY))).id;
    // Requests for access: 90 days after decided, else after expiring (review finding 3).
    const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
    ids.arDeclinedOld = await addAccessRequest("declined", daysAgo(100), daysAgo(91));
    // Expired long ago but decided (approved) just under 90 days ago: counts from the decision.
    ids.arApprovedYoung = await addAccessRequest("approved", daysAgo(100), daysAgo(89.5));
    ids.arPendingExpiredOld = await addAccessRequest("pending", daysAgo(91), null);
    ids.arPendingExpiredYoung = await addAccessRequest("pending", daysAgo(89.5), null);
    ids.arReplacedOld = await addAccessRequest("expired", daysAgo(91), null);
    ids.arOpen = await addAccessRequest("pending", new Date(NOW.getTime() + 10 * DAY), null);
    // The anonymised account's own request for access (approved recently): goes with the account.
    ids.arGone = await addAccessRequest("approved", new Date(NOW.getTime() + 10 * DAY), daysAgo(5), {
      email: people.gone.email,
      userId: people.gone.id,
    });
    sessionIds.gone = await addSession(
      people.gone.id,
      new Date(NOW.getTime() - 3600_000),
      new Date(NOW.getTime() + 3600_000),
    );
    const team = await createTeam({ name: "Retention team" });
    await addTeamMembers(team.id, [people.gone.id]);
    people.held = await disabledUser(justOver24Months, { name: "Harry Held", hold: true });
    people.recent = await disabledUser(justUnder24Months, { name: "Rita Recent" });
    people.openRequest = await disabledUser(justOver24Months, { name: "Owen Open" });
    ids.openOfDisabled = (await addRequest(people.openRequest, "waiting_on_staff", null)).id;

    before = await rollups();
  });

  it("anonymises exactly the requests finished more than 24 months ago, and nothing younger or open", async () => {
    const run = await runRetentionOnceToday(NOW);
    expect(run.claimed).toBe(true);
    expect(run.errors).toEqual({});
    expect(run.more).toEqual([]);
    expect(run.counts).toEqual({
      // oldClosed and oldWithdrawn (the anonymised account's own request goes with the account).
      requests: 2,
      sessions: 2,
      // One verification link and one password reset link.
      verificationTokens: 2,
      unverifiedAccounts: 0,
      signInAttempts: 1,
      mailBodies: 1,
      // arDeclinedOld, arPendingExpiredOld, arReplacedOld (arGone goes with its account, uncounted).
      accessRequests: 3,
      disabledAccounts: 1,
      // No leaving questionnaires in this file (tests/integration/leaving.test.ts has them).
      leavingAnswers: 0,
      leavingContacts: 0,
      leavingLinks: 0,
      checkIns: 0,
    });

    for (const key of ["oldClosed", "oldWithdrawn"]) {
      const row = await requestRow(ids[key]!);
      expect(row.anonymisedAt, key).toEqual(NOW);
      expect(row.answers, key).toEqual({});
      expect(row.contactPhone, key).toBeNull();
      expect(row.contactTimes, key).toBeNull();
      expect(row.satisfactionComment, key).toBeNull();
      expect(await eventBodies(ids[key]!), key).toEqual([null, null, null, null]);
      // What the insights count stays.
      expect(row.requesterId).toBe(people.staff!.id);
      expect(row.offerId).toBe(offer.id);
      expect(row.closeOutcome).toBe(key === "oldClosed" ? "support_given" : null);
      expect(row.satisfactionRating).toBe(key === "oldClosed" ? 5 : null);
    }
    const closedRating = await requestRow(ids.oldClosed!);
    expect(closedRating.status).toBe("closed");
    const events = await getDb()
      .select({ data: requestEvents.data })
      .from(requestEvents)
      .where(and(eq(requestEvents.requestId, ids.oldClosed!), eq(requestEvents.kind, "status_changed")));
    expect(events[0]!.data).toEqual({ from: "new", to: "closed" });

    for (const key of ["youngClosed", "oldOpen", "openOfDisabled"]) {
      const row = await requestRow(ids[key]!);
      expect(row.anonymisedAt, key).toBeNull();
      expect(row.answers, key).toEqual({ details: SECRET, safety: "safe" });
      expect(row.contactPhone, key).toBe(PHONE);
      expect(await eventBodies(ids[key]!), key).toEqual([null, `Reply: ${SECRET}`, `Note: ${SECRET}`, null]);
    }
  });

  it("leaves the insights' rollups exactly as they were", async () => {
    expect(await rollups()).toEqual(before);
    expect(before.cube.length).toBeGreaterThan(0);
    expect(before.outcomes.length).toBeGreaterThan(0);
  });

  it("deletes expired sessions, verification links and old sign-in attempts only", async () => {
    const sessionLeft = (await getDb().select({ id: sessions.id }).from(sessions)).map((s) => s.id);
    expect(sessionLeft).toContain(sessionIds.live);
    expect(sessionLeft).not.toContain(sessionIds.idle);
    expect(sessionLeft).not.toContain(sessionIds.absolute);
    const tokensLeft = (await getDb().select({ id: emailVerificationTokens.id }).from(emailVerificationTokens)).map(
      (t) => t.id,
    );
    expect(tokensLeft).toEqual([tokenIds.live]);
    const resetsLeft = (await getDb().select({ id: passwordResetTokens.id }).from(passwordResetTokens)).map(
      (t) => t.id,
    );
    expect(resetsLeft).toEqual([tokenIds.resetLive]);
    const throttleLeft = (await getDb().select({ id: authThrottleEvents.id }).from(authThrottleEvents)).map(
      (t) => t.id,
    );
    expect(throttleLeft).toEqual([throttleIds.young]);
  });

  it("deletes requests for access 90 days after they were decided or expired, and the anonymised account's", async () => {
    const left = await getDb()
      .select({ id: accessRequests.id })
      .from(accessRequests)
      .where(
        inArray(
          accessRequests.id,
          Object.entries(ids)
            .filter(([key]) => key.startsWith("ar"))
            .map(([, id]) => id),
        ),
      )
      .orderBy(asc(accessRequests.id));
    expect(left.map((r) => r.id)).toEqual([ids.arApprovedYoung, ids.arPendingExpiredYoung, ids.arOpen]);
    expect(await getDb().select().from(accessRequests).where(eq(accessRequests.email, people.gone!.email))).toEqual([]);
  });

  it("erases the text of mail sent more than 90 days ago, and keeps unsent and younger mail", async () => {
    const rows = await getDb()
      .select({ id: mailOutbox.id, body: mailOutbox.textBody, subject: mailOutbox.subject, to: mailOutbox.toAddress })
      .from(mailOutbox)
      .where(inArray(mailOutbox.id, Object.values(mailIds)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(mailIds.oldSent!)!.body).toBe("");
    expect(byId.get(mailIds.oldSent!)!.subject).toBe("An update on your request SW-2027-00001");
    // Failed 120 days ago: given up for longer than FAILED_MAIL_RETENTION_DAYS, so blanked too.
    expect(byId.get(mailIds.oldFailed!)!.body).toBe("");
    for (const key of ["youngSent", "oldPending"]) {
      expect(byId.get(mailIds[key]!)!.body, key).toBe(`Body: ${SECRET}`);
    }
  });

  it("anonymises an account disabled more than 24 months ago, but not one on hold, recent, or with an open request", async () => {
    const gone = await userRow(people.gone!.id);
    expect(gone.name).toBe(ANONYMISED_NAME);
    expect(gone.email).toBe(anonymisedEmail(gone.id));
    expect(gone.erasedAt).toEqual(NOW);
    expect(gone.passwordHash).not.toBe(people.gone!.passwordHash);
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, gone.id))).toEqual([]);
    expect(await getDb().select().from(teamMembers).where(eq(teamMembers.userId, gone.id))).toEqual([]);
    const theirs = await requestRow(ids.goneClosed!);
    expect(theirs.anonymisedAt).toEqual(NOW);
    expect(theirs.answers).toEqual({});

    for (const key of ["held", "recent", "openRequest", "staff"]) {
      const row = await userRow(people[key]!.id);
      expect(row.name, key).toBe(people[key]!.name);
      expect(row.email, key).toBe(people[key]!.email);
      expect(row.erasedAt, key).toBeNull();
    }
  });

  it("records the run (counts only) and a second run the same day does nothing", async () => {
    const [row] = await getDb()
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.name, RETENTION_JOB), eq(jobRuns.runKey, "2030-06-15")));
    expect(row!.startedAt).toEqual(NOW);
    expect(row!.finishedAt!.getTime()).toBeGreaterThanOrEqual(NOW.getTime());
    expect(row!.error).toBeNull();
    expect((row!.result as { counts: Record<string, number> }).counts.requests).toBe(2);
    expect(JSON.stringify(row)).not.toContain(SECRET);

    const again = await runRetentionOnceToday(new Date(NOW.getTime() + 3600_000));
    expect(again.claimed).toBe(false);

    // The next day: only what came of age in that day — the request closed just under 24 months
    // ago, the account disabled just under 24 months ago, the live session, link and attempt.
    const tomorrow = await runRetentionOnceToday(new Date(NOW.getTime() + DAY));
    expect(tomorrow.claimed).toBe(true);
    expect(tomorrow.counts).toEqual({
      requests: 1,
      sessions: 1,
      // The live verification link and the live password reset link.
      verificationTokens: 2,
      unverifiedAccounts: 0,
      signInAttempts: 1,
      mailBodies: 0,
      // arApprovedYoung and arPendingExpiredYoung came of age.
      accessRequests: 2,
      disabledAccounts: 1,
      leavingAnswers: 0,
      leavingContacts: 0,
      leavingLinks: 0,
      checkIns: 0,
    });
    const accessLeft = (await getDb().select({ id: accessRequests.id }).from(accessRequests)).map((r) => r.id);
    expect(accessLeft).toEqual([ids.arOpen]);
    expect((await requestRow(ids.youngClosed!)).anonymisedAt).toEqual(new Date(NOW.getTime() + DAY));
    expect((await userRow(people.recent!.id)).name).toBe(ANONYMISED_NAME);
    expect((await userRow(people.held!.id)).name).toBe("Harry Held");

    const overview = await loadRetentionOverview(asCurrentUser(admin));
    expect(overview.runs.map((r) => r.runKey)).toEqual(["2030-06-16", "2030-06-15"]);
    expect(overview.runs[1]!.counts.disabledAccounts).toBe(1);
    expect(overview.rules.map((r) => r.key)).toEqual(RETENTION_RULES.map((r) => r.key));
    expect(overview.accountsOnHold).toBe(1);
  });
});

describe("running it more than once", () => {
  it("two instances starting the same day's run at once: one does it, once", async () => {
    const staff = await createUser();
    const day = new Date("2031-03-10T10:00:00Z");
    const old = new Date(monthsBefore(day, 25));
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await addRequest(staff, "closed", old)).id);
    // Due at `day`: these five and any earlier request that has come of age since.
    const [{ due }] = await queryRows<{ due: number }>(
      getDb(),
      sql`select count(*)::int as due from support_requests where status in ('closed', 'withdrawn')
           and anonymised_at is null and closed_at < ${monthsBefore(day, 24).toISOString()}::timestamptz`,
    );
    expect(due).toBeGreaterThanOrEqual(5);
    const runs = await Promise.all([runRetentionOnceToday(day), runRetentionOnceToday(day)]);
    expect(runs.filter((r) => r.claimed)).toHaveLength(1);
    expect(runs.find((r) => r.claimed)!.counts.requests).toBe(due);
    expect(runs.find((r) => !r.claimed)!.counts.requests).toBe(0);
    const rows = await getDb()
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.name, RETENTION_JOB), eq(jobRuns.runKey, "2031-03-10")));
    expect(rows).toHaveLength(1);
    for (const id of made) expect((await requestRow(id)).anonymisedAt).toEqual(day);
  });

  it("does bounded work per run: batches of the given size, at most maxBatches, the rest next time", async () => {
    const staff = await createUser();
    const day = new Date("2032-01-20T10:00:00Z");
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await addRequest(staff, "withdrawn", monthsBefore(day, 30))).id);
    const first = await applyRetention(day, { batchSize: 2, maxBatches: 2 });
    expect(first.counts.requests).toBe(4);
    expect(first.more).toEqual(["requests"]);
    const second = await applyRetention(day, { batchSize: 2, maxBatches: 2 });
    expect(second.counts.requests).toBe(1);
    expect(second.more).toEqual([]);
    for (const id of made) expect((await requestRow(id)).anonymisedAt).toEqual(day);
  });

  it("anonymiseRequest is idempotent: a second call changes nothing", async () => {
    const staff = await createUser();
    const { id } = await addRequest(staff, "closed", new Date());
    const at = new Date("2033-01-01T00:00:00Z");
    expect(await getDb().transaction((tx) => anonymiseRequest(tx, id, at))).toEqual({ requestId: id, eventsErased: 2 });
    expect(await getDb().transaction((tx) => anonymiseRequest(tx, id, new Date()))).toEqual({
      requestId: id,
      eventsErased: 0,
    });
    expect((await requestRow(id)).anonymisedAt).toEqual(at);
  });

  it("the scheduler starts it from 02:00 London, once a day", async () => {
    // 2034-01-10 01:59 GMT: too early; 02:00: runs; 02:01: already done.
    expect((await runScheduledJobs(new Date("2034-01-10T01:59:00Z"))).retention).toBeNull();
    const run = await runScheduledJobs(new Date("2034-01-10T02:00:00Z"));
    expect(run.retention?.claimed).toBe(true);
    expect((await runScheduledJobs(new Date("2034-01-10T02:01:00Z"))).retention).toBeNull();
  });
});

describe("the retention hold", () => {
  it("is set and released by administrators only, versioned and audited, and keeps the account", async () => {
    const person = await disabledUser(new Date("2020-01-01T00:00:00Z"), { name: "Polly Person" });
    const staff = await createUser();
    expect(
      await setRetentionHold(asCurrentUser(staff), person.id, { version: 1, hold: true }).catch((e: unknown) =>
        isAdminError(e, "forbidden"),
      ),
    ).toBe(true);
    expect(
      await setRetentionHold(asCurrentUser(admin), person.id, { version: 99, hold: true }).catch((e: unknown) =>
        isAdminError(e, "conflict"),
      ),
    ).toBe(true);

    // Through the page's form (POST with the version seen).
    const cookie = await signInCookie(admin.id);
    const held = await runRoute(() =>
      personRoute.action({
        request: formRequest(`/admin/people/${person.id}`, { intent: "hold", version: 1 }, { cookie }),
        params: { userId: person.id },
        context: {},
      }),
    );
    expect(held.status).toBe(302);
    expect(held.location).toBe(`/admin/people/${person.id}?done=held`);
    const row = await userRow(person.id);
    expect(row.retentionHold).toBe(true);
    expect(row.version).toBe(2);
    const [audit] = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entityId, person.id), eq(adminAudit.action, "retention_hold")));
    expect(audit!.actorId).toBe(admin.id);
    expect(audit!.after).toEqual({ retentionHold: true });

    const result = await applyRetention(new Date("2035-01-01T12:00:00Z"));
    expect(result.counts.disabledAccounts).toBe(0);
    expect((await userRow(person.id)).name).toBe("Polly Person");

    expect(await setRetentionHold(asCurrentUser(admin), person.id, { version: 2, hold: false })).toBe(true);
    const released = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entityId, person.id), eq(adminAudit.action, "retention_released")));
    expect(released).toHaveLength(1);
    const after = await applyRetention(new Date("2035-01-02T12:00:00Z"));
    expect(after.counts.disabledAccounts).toBe(1);
    expect((await userRow(person.id)).name).toBe(ANONYMISED_NAME);
    // Nothing left to keep: a hold on an anonymised account is refused.
    expect(
      await setRetentionHold(asCurrentUser(admin), person.id, { version: 4, hold: true }).catch((e: unknown) =>
        isAdminError(e, "invalid"),
      ),
    ).toBe(true);
  });
});

describe("/admin/retention", () => {
  const load = (cookie: string | undefined) =>
    runRoute(() =>
      retentionRoute.loader({ request: getRequest("/admin/retention", { cookie }), params: {}, context: {} }),
    );

  it("refuses staff, coordinators and managers (403, as every /admin page) and the model refuses them too", async () => {
    for (const role of ["staff", "coordinator", "manager"] as const) {
      const user = await createUser({ role });
      const out = await load(await signInCookie(user.id));
      expect(out.status, role).toBe(403);
      expect(out.data, role).toBeNull();
      expect(
        await loadRetentionOverview(asCurrentUser(user)).catch((e: unknown) => isAdminError(e, "forbidden")),
        role,
      ).toBe(true);
    }
    const anonymous = await load(undefined);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/login?redirectTo=%2Fadmin%2Fretention");
  });

  it("shows administrators the schedule and the last run", async () => {
    const out = await load(await signInCookie(admin.id));
    expect(out.status).toBe(200);
    const data = out.data as Awaited<ReturnType<typeof loadRetentionOverview>>;
    expect(data.rules).toHaveLength(RETENTION_RULES.length);
    expect(data.rules[0]).not.toHaveProperty("batchSize");
    expect(data.runs.length).toBeGreaterThan(0);
    expect(JSON.stringify(data)).not.toContain(SECRET);
  });
});
