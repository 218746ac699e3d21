// Demo first-year check-ins (issue 14 part 1, ADR 039): generated new starters (who cannot sign in)
// with start dates over the last year, and their check-ins at the points that have fallen due, most
// answered, so /insights/first-year has figures. Once per database (none are added when any demo
// check-in exists). Some answers asked for contact (mostly from people who are struggling): each of
// those made a support request as answerCheckIn makes it (the offer, the coded answers attached,
// the submission key "check-in:<id>", check_ins.request_id), written here in bulk and already closed
// (only answers a month old or more ask), so "led to support" is a figure and the queues are unchanged.
import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { pointAdjective } from "../../app/lib/check-ins";
import { addWorkingDays } from "../../app/lib/working-days";
import type { Tx } from "../client";
import { checkInPoints, checkIns, supportOffers, teamMembers, users } from "../schema";
import { FIRST_NAMES, LAST_NAMES } from "../seed-data/names";
import { BATCH, chunks, DAY, emailPart, HOUR, isoDate, Rng } from "./common";
import { type PlannedRequest, REQUESTER } from "./request-plan";
import { writePlannedRequests } from "./requests";

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
    people,
    input.now,
  );
  for (const batch of chunks(kept, BATCH)) await tx.insert(checkIns).values(batch).onConflictDoNothing();
  return kept.length;
}

/**
 * The requests the check-ins asking for contact made, as answerCheckIn writes them (to
 * thinking-of-leaving for a "yes" to leaving, otherwise new-starter support; the coded answers in
 * answers.checkIn; details only on the general form), then worked as the hub works a request: a
 * coordinator of the offer's team takes it, contacts the person the next day and closes it two
 * weeks later with support given. Written by writePlannedRequests (references, events, access log
 * and read markers, as for the past requests). Sets each check-in's requestId. Nothing when the
 * offers or their teams are missing.
 */
async function insertCheckInRequests(
  tx: Tx,
  asked: (typeof checkIns.$inferInsert)[],
  people: (typeof users.$inferInsert)[],
  now: Date,
): Promise<void> {
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
  const personById = new Map(people.map((p) => [p.id!, p]));
  const personByEmail = new Map(people.map((p) => [p.email, p]));
  const checkInOf = new Map<PlannedRequest, (typeof asked)[number]>();
  const planned = asked.map((c) => {
    const person = personById.get(c.userId)!;
    const offer = c.thinkingOfLeaving === "yes" ? leaving : starter;
    const by = rng.pick(teamOf(offer)).id;
    const at = c.answeredAt!;
    const dueAt = addWorkingDays(at, offer.firstContactTargetDays);
    const assignedAt = new Date(at.getTime() + 2 * HOUR);
    const contactAt = new Date(
      Math.max(assignedAt.getTime() + HOUR, Math.min(dueAt.getTime() - HOUR, at.getTime() + 26 * HOUR)),
    );
    const closedAt = new Date(at.getTime() + 14 * DAY);
    const request: PlannedRequest = {
      reference: "", // numbered by writePlannedRequests
      requesterEmail: person.email,
      organisationId: c.organisationId,
      offerId: offer.id,
      status: "closed",
      urgent: false,
      answers: {
        ...(offer.formKind === "general"
          ? { details: `Asked through the ${pointAdjective(c.pointLabel)} first-year check-in` }
          : {}),
        checkIn: {
          point: c.pointLabel,
          workScore: c.workScore,
          supportedScore: c.supportedScore,
          hasWhatNeeded: c.hasWhatNeeded,
          thinkingOfLeaving: c.thinkingOfLeaving,
        },
      },
      contactMethod: "email",
      contactPhone: null,
      contactTimes: null,
      consentToShareWithManager: false,
      submittedAt: at,
      dueAt,
      firstContactAt: contactAt,
      pausedAt: null,
      assigneeId: by,
      closedAt,
      closeOutcome: "support_given",
      retentionOutcome: null,
      satisfactionRating: null,
      satisfactionComment: null,
      ratedAt: null,
      updatedAt: closedAt,
      version: 4,
      events: [
        {
          kind: "submitted",
          actor: REQUESTER,
          body: null,
          visibleToRequester: true,
          data: { offer: offer.slug, urgent: false, priority: "normal" },
          at,
        },
        {
          kind: "assigned",
          actor: by,
          body: null,
          visibleToRequester: false,
          data: { assigneeId: by, previousAssigneeId: null },
          at: assignedAt,
        },
        {
          kind: "status_changed",
          actor: by,
          body: null,
          visibleToRequester: true,
          data: { from: "new", to: "in_progress" },
          at: contactAt,
        },
        {
          kind: "status_changed",
          actor: by,
          body: null,
          visibleToRequester: true,
          data: { from: "in_progress", to: "closed", outcome: "support_given" },
          at: closedAt,
        },
      ],
      access: [
        // A sensitive request's every opening is logged: the coordinator read it before taking it.
        ...(offer.sensitive
          ? [{ actor: by, action: "viewed" as const, at: new Date(assignedAt.getTime() - 60_000) }]
          : []),
        { actor: by, action: "assigned", at: assignedAt },
        { actor: by, action: "status_changed", at: contactAt },
        { actor: by, action: "status_changed", at: closedAt },
      ],
    };
    checkInOf.set(request, c);
    return request;
  });
  const { idByReference } = await writePlannedRequests(tx, planned, {
    requester: (email) => {
      const person = personByEmail.get(email)!;
      return { id: person.id!, staffGroup: person.staffGroup!, startDate: person.startDate! };
    },
    // As answerCheckIn: the check-in's own key, so a second answer cannot make a second request.
    submissionKey: (_index, r) => `check-in:${checkInOf.get(r)!.id}`,
    nameById: new Map(members.map((m) => [m.id, m.name])),
    stayOffers: new Set([leaving.id]),
    now,
    signInCoordinators: new Set<string>(),
    sensitiveOffers: new Set(offers.filter((o) => o.sensitive).map((o) => o.id)),
  });
  for (const [r, c] of checkInOf) c.requestId = idByReference.get(r.reference) ?? null;
}
