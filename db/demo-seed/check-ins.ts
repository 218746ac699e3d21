// Demo first-year check-ins (issue 14 part 1, ADR 039): generated new starters (who cannot sign in)
// with start dates over the last year, and their check-ins at the points that have fallen due, most
// answered, so /insights/first-year has figures. Once per database (none are added when any demo
// check-in exists). Some answers asked for contact (mostly from people who are struggling): each of
// those made a support request as answerCheckIn makes it (the offer, the coded answers attached,
// the submission key "check-in:<id>", check_ins.request_id), written here in bulk and already closed
// (only answers a month old or more ask), so "led to support" is a figure and the queues are unchanged.
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { pointAdjective } from "../../app/lib/check-ins";
import { firstContactFacts } from "../../app/lib/insights/facts";
import { addWorkingDays } from "../../app/lib/working-days";
import type { Tx } from "../client";
import {
  checkInPoints,
  checkIns,
  referenceCounters,
  requestAccessLog,
  requestEvents,
  requestReads,
  supportOffers,
  supportRequests,
  teamMembers,
  users,
} from "../schema";
import { FIRST_NAMES, LAST_NAMES } from "../seed-data/names";
import { BATCH, chunks, DAY, emailPart, HOUR, isoDate, Rng } from "./common";

const STAFF_GROUPS = [
  ["nursing_midwifery", 30],
  ["support_worker", 20],
  ["allied_health", 12],
  ["medical_dental", 8],
  ["admin_estates", 12],
  ["social_care", 12],
  ["scientific_technical", 6],
] as const;

const NEW_STARTERS = 160;

function addToDate(iso: string, amount: number, unit: "weeks" | "months"): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  if (unit === "weeks") return isoDate(Date.UTC(y, m - 1, d) + amount * 7 * DAY);
  // A month after 31 January is the end of February, as PostgreSQL's date + interval.
  const last = new Date(Date.UTC(y, m - 1 + amount + 1, 0)).getUTCDate();
  return isoDate(Date.UTC(y, m - 1 + amount, Math.min(d, last)));
}

export async function insertDemoCheckIns(
  tx: Tx,
  input: { now: Date; seed: number; orgs: { id: number; domain: string }[] },
): Promise<number> {
  const [already] = await tx
    .select({ id: checkIns.id })
    .from(checkIns)
    .innerJoin(users, eq(users.id, checkIns.userId))
    .where(eq(users.isDemo, true))
    .limit(1);
  if (already) return 0;
  // The default points (the migration adds them; a database emptied by tests has none).
  await tx
    .insert(checkInPoints)
    .values([
      { amount: 4, unit: "weeks" as const },
      { amount: 3, unit: "months" as const },
      { amount: 6, unit: "months" as const },
      { amount: 9, unit: "months" as const },
    ])
    .onConflictDoNothing();
  const points = await tx.select().from(checkInPoints).where(eq(checkInPoints.active, true));
  const rng = new Rng(input.seed);
  // Who asks for contact: a second generator, so the check-ins themselves are as they always were.
  const askRng = new Rng(input.seed + 1);
  const today = isoDate(input.now.getTime());
  const people: (typeof users.$inferInsert)[] = [];
  const rows: (typeof checkIns.$inferInsert)[] = [];
  for (let i = 0; i < NEW_STARTERS; i++) {
    const org = rng.pick(input.orgs);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const startDate = isoDate(input.now.getTime() - rng.int(10, 360) * DAY);
    const id = randomUUID();
    const staffGroup = rng.weighted(STAFF_GROUPS);
    const createdAt = new Date(`${startDate}T09:00:00Z`);
    people.push({
      id,
      email: `${emailPart(first)}.${emailPart(last)}.${1_400_000 + i}@${org.domain}`,
      name: `${first} ${last}`,
      organisationId: org.id,
      staffGroup,
      startDate,
      role: "staff",
      passwordHash: "!", // can never verify
      emailVerifiedAt: createdAt,
      isDemo: true,
      createdAt,
      updatedAt: createdAt,
    });
    // How this person's year is going: most fine, some struggling (and more of those think of leaving).
    const mood = rng.weighted([
      [4, 5],
      [3, 3],
      [2, 1.5],
    ] as const);
    for (const p of points) {
      const dueOn = addToDate(startDate, p.amount, p.unit);
      if (dueOn > today) continue;
      const sentAt = new Date(`${dueOn}T08:00:00Z`);
      const expiresAt = new Date(sentAt.getTime() + 21 * DAY);
      const answered = expiresAt.getTime() < input.now.getTime() ? rng.chance(0.7) : rng.chance(0.4);
      const score = () => Math.max(1, Math.min(5, mood + rng.int(-1, 1)));
      const leaving =
        mood <= 2
          ? rng.weighted([
              ["yes", 3],
              ["sometimes", 4],
              ["no", 3],
            ] as const)
          : rng.weighted([
              ["yes", 0.5],
              ["sometimes", 2],
              ["no", 7.5],
            ] as const);
      rows.push({
        id: randomUUID().replace(/-/g, ""),
        userId: id,
        pointId: p.id,
        pointLabel: p.unit === "weeks" ? `${p.amount} weeks` : `${p.amount} ${p.amount === 1 ? "month" : "months"}`,
        pointDays: p.unit === "weeks" ? p.amount * 7 : p.amount * 30,
        dueOn,
        organisationId: org.id,
        staffGroup,
        sentAt,
        expiresAt,
        ...(answered
          ? {
              answeredAt: new Date(
                Math.min(sentAt.getTime() + rng.int(1, 20) * DAY, input.now.getTime() - 60 * 60_000),
              ),
              workScore: score(),
              supportedScore: score(),
              hasWhatNeeded: rng.weighted([
                ["yes", mood],
                ["partly", 2],
                ["no", 5 - mood],
              ] as const),
              thinkingOfLeaving: leaving,
              contactWanted: false,
            }
          : {}),
      });
    }
  }
  // An address already taken (an earlier demo) is skipped, with that person's check-ins.
  const inserted = new Set<string>();
  for (const batch of chunks(people, BATCH)) {
    const ids = await tx.insert(users).values(batch).onConflictDoNothing().returning({ id: users.id });
    for (const { id } of ids) inserted.add(id);
  }
  const kept = rows.filter((r) => inserted.has(r.userId));
  for (const r of kept) {
    // Answered a month ago or more; half of those who scored a 1 or said "yes" to leaving asked, and
    // a few others.
    if (!r.answeredAt || r.answeredAt.getTime() > input.now.getTime() - 30 * DAY) continue;
    const struggling = r.thinkingOfLeaving === "yes" || r.workScore === 1 || r.supportedScore === 1;
    r.contactWanted = askRng.chance(struggling ? 0.5 : 0.06);
  }
  await insertCheckInRequests(
    tx,
    kept.filter((r) => r.contactWanted),
  );
  for (const batch of chunks(kept, BATCH)) await tx.insert(checkIns).values(batch).onConflictDoNothing();
  return kept.length;
}

/**
 * The requests the check-ins asking for contact made, as answerCheckIn writes them (to
 * thinking-of-leaving for a "yes" to leaving, otherwise new-starter support; the coded answers in
 * answers.checkIn; details only on the general form), then worked as the hub works a request: a
 * coordinator of the offer's team takes it, contacts the person the next day and closes it two
 * weeks later with support given (events, access log and read markers to match). Sets each
 * check-in's requestId. Nothing when the offers or their teams are missing.
 */
async function insertCheckInRequests(tx: Tx, asked: (typeof checkIns.$inferInsert)[]): Promise<void> {
  const offers = await tx
    .select()
    .from(supportOffers)
    .where(inArray(supportOffers.slug, ["new-starter-support", "thinking-of-leaving"]));
  const starter = offers.find((o) => o.slug === "new-starter-support");
  const leaving = offers.find((o) => o.slug === "thinking-of-leaving");
  if (!starter || !leaving || asked.length === 0) return;
  const members = await tx
    .select({ teamId: teamMembers.teamId, id: users.id, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(
      inArray(
        teamMembers.teamId,
        offers.flatMap((o) => (o.teamId === null ? [] : [o.teamId])),
      ),
    )
    .orderBy(users.id);
  const teamOf = (offer: typeof starter) => members.filter((m) => m.teamId === offer.teamId);
  if (teamOf(starter).length === 0 || teamOf(leaving).length === 0) return;
  const rng = new Rng(asked.length);
  asked.sort((a, b) => a.answeredAt!.getTime() - b.answeredAt!.getTime());
  // References: a block per year reserved in one statement, numbered in time order (as requests.ts).
  const yearOf = (c: (typeof asked)[number]) => c.answeredAt!.getUTCFullYear();
  const perYear = new Map<number, number>();
  for (const c of asked) perYear.set(yearOf(c), (perYear.get(yearOf(c)) ?? 0) + 1);
  const next = new Map<number, number>();
  for (const [year, n] of [...perYear].sort((a, b) => a[0] - b[0])) {
    const [row] = await tx
      .insert(referenceCounters)
      .values({ year, last: n })
      .onConflictDoUpdate({
        target: referenceCounters.year,
        set: { last: sql`reference_counters.last + excluded.last` },
      })
      .returning({ last: referenceCounters.last });
    next.set(year, row!.last - n + 1);
  }
  const planned = asked.map((c) => {
    const offer = c.thinkingOfLeaving === "yes" ? leaving : starter;
    const coordinator = rng.pick(teamOf(offer));
    const at = c.answeredAt!;
    const n = next.get(yearOf(c))!;
    next.set(yearOf(c), n + 1);
    const dueAt = addWorkingDays(at, offer.firstContactTargetDays);
    const assignedAt = new Date(at.getTime() + 2 * HOUR);
    const contactAt = new Date(
      Math.max(assignedAt.getTime() + HOUR, Math.min(dueAt.getTime() - HOUR, at.getTime() + 26 * HOUR)),
    );
    const closedAt = new Date(at.getTime() + 14 * DAY);
    return {
      c,
      offer,
      coordinator,
      at,
      dueAt,
      assignedAt,
      contactAt,
      closedAt,
      reference: `SW-${yearOf(c)}-${String(n).padStart(5, "0")}`,
    };
  });
  const idByKey = new Map<string, number>();
  for (const batch of chunks(planned, BATCH)) {
    const made = await tx
      .insert(supportRequests)
      .values(
        batch.map((p) => ({
          reference: p.reference,
          requesterId: p.c.userId,
          organisationId: p.c.organisationId,
          staffGroup: p.c.staffGroup,
          tenureBand: "under_1" as const,
          offerId: p.offer.id,
          status: "closed" as const,
          answers: {
            ...(p.offer.formKind === "general"
              ? { details: `Asked through the ${pointAdjective(p.c.pointLabel)} first-year check-in` }
              : {}),
            checkIn: {
              point: p.c.pointLabel,
              workScore: p.c.workScore,
              supportedScore: p.c.supportedScore,
              hasWhatNeeded: p.c.hasWhatNeeded,
              thinkingOfLeaving: p.c.thinkingOfLeaving,
            },
          },
          contactMethod: "email" as const,
          submissionKey: `check-in:${p.c.id}`,
          submittedAt: p.at,
          assigneeId: p.coordinator.id,
          dueAt: p.dueAt,
          ...firstContactFacts(p.at, p.contactAt, p.dueAt),
          closedAt: p.closedAt,
          closeOutcome: "support_given" as const,
          lastUpdatedAt: p.closedAt,
          version: 4,
          createdAt: p.at,
          updatedAt: p.closedAt,
        })),
      )
      .returning({ id: supportRequests.id, key: supportRequests.submissionKey });
    for (const m of made) idByKey.set(m.key, m.id);
  }
  for (const c of asked) c.requestId = idByKey.get(`check-in:${c.id}`) ?? null;
  const events: (typeof requestEvents.$inferInsert)[] = [];
  const access: (typeof requestAccessLog.$inferInsert)[] = [];
  const reads: (typeof requestReads.$inferInsert)[] = [];
  for (const p of planned) {
    const requestId = idByKey.get(`check-in:${p.c.id}`)!;
    const by = p.coordinator.id;
    events.push(
      {
        requestId,
        actorId: p.c.userId,
        kind: "submitted",
        visibleToRequester: true,
        data: { offer: p.offer.slug, urgent: false, priority: "normal" },
        createdAt: p.at,
      },
      {
        requestId,
        actorId: by,
        kind: "assigned",
        visibleToRequester: false,
        data: { assigneeId: by, assigneeName: p.coordinator.name, previousAssigneeId: null },
        createdAt: p.assignedAt,
      },
      {
        requestId,
        actorId: by,
        kind: "status_changed",
        visibleToRequester: true,
        data: { from: "new", to: "in_progress" },
        createdAt: p.contactAt,
      },
      {
        requestId,
        actorId: by,
        kind: "status_changed",
        visibleToRequester: true,
        data: { from: "in_progress", to: "closed", outcome: "support_given" },
        createdAt: p.closedAt,
      },
    );
    // A sensitive request's every opening is logged: the coordinator read it before taking it.
    if (p.offer.sensitive)
      access.push({ requestId, actorId: by, action: "viewed", createdAt: new Date(p.assignedAt.getTime() - 60_000) });
    access.push(
      { requestId, actorId: by, action: "assigned", createdAt: p.assignedAt },
      { requestId, actorId: by, action: "status_changed", createdAt: p.contactAt },
      { requestId, actorId: by, action: "status_changed", createdAt: p.closedAt },
    );
    reads.push({ userId: by, requestId, seenAt: p.closedAt });
  }
  for (const batch of chunks(events, BATCH)) await tx.insert(requestEvents).values(batch);
  for (const batch of chunks(access, BATCH)) await tx.insert(requestAccessLog).values(batch);
  for (const batch of chunks(reads, BATCH)) await tx.insert(requestReads).values(batch).onConflictDoNothing();
}
