// The demo seed's past requests, written: generated staff, references reserved per year, the
// requests with their events, access log and request_reads (docs/decisions/018-unseen-activity.md).
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { firstContactFacts, tenureBand } from "../../app/lib/insights/facts";
import { stayAnswerRows } from "../../app/lib/leaving";
import { priorityOf } from "../../app/schemas/request-forms";
import type { Tx } from "../client";
import {
  referenceCounters,
  requestAccessLog,
  requestEvents,
  requestReads,
  type RequestStatus,
  stayConversationAnswers,
  supportOffers,
  supportRequests,
  teamMembers,
  users,
} from "../schema";
import { DEMO_ACCOUNTS, DEMO_STAFF_WITH_HISTORY } from "../seed-data/accounts";
import { SEED_OFFERS } from "../seed-data/offers";
import { BATCH, chunks, MINUTE } from "./common";
import {
  type AccessAction,
  activityTimes,
  type OfferForSeed,
  type OrgForSeed,
  type PlannedRequest,
  planPastRequests,
  REQUESTER,
  REQUESTER_ACTIVITY,
} from "./request-plan";

/** What the seed reads of an offer (OfferForSeed, with the team that works it). */
export const SEED_OFFER_COLUMNS = {
  id: supportOffers.id,
  slug: supportOffers.slug,
  formKind: supportOffers.formKind,
  firstContactTargetDays: supportOffers.firstContactTargetDays,
  sensitive: supportOffers.sensitive,
  teamId: supportOffers.teamId,
};

/**
 * Who works the teams' offers: their active coordinators (as teamMembersForOffer sees them), the
 * demo accounts first in DEMO_ACCOUNTS order, then by address, so a seed is the same every time.
 */
export async function offerCoordinators(tx: Tx, teamIds: number[]) {
  const members = await tx
    .select({ teamId: teamMembers.teamId, id: users.id, email: users.email, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(
      and(
        inArray(teamMembers.teamId, teamIds),
        isNull(users.disabledAt),
        inArray(users.role, ["coordinator", "admin"]),
      ),
    );
  const rank = (email: string) => {
    const i = DEMO_ACCOUNTS.findIndex((a) => a.email.toLowerCase() === email);
    return i < 0 ? DEMO_ACCOUNTS.length : i;
  };
  return members.sort((a, b) => rank(a.email) - rank(b.email) || a.email.localeCompare(b.email));
}

export async function insertPastRequests(
  tx: Tx,
  input: { now: Date; count: number; seed: number; orgs: OrgForSeed[] },
): Promise<{ staff: number; requests: number; events: number; accessLog: number }> {
  const offerRows = await tx
    .select(SEED_OFFER_COLUMNS)
    .from(supportOffers)
    .where(
      inArray(
        supportOffers.slug,
        SEED_OFFERS.map((o) => o.slug),
      ),
    )
    .orderBy(supportOffers.sortOrder, supportOffers.id);
  if (offerRows.length === 0) return { staff: 0, requests: 0, events: 0, accessLog: 0 };

  const members = await offerCoordinators(tx, [...new Set(offerRows.map((o) => o.teamId))]);
  const membersByTeam = new Map<number, string[]>();
  for (const m of members) membersByTeam.set(m.teamId, [...(membersByTeam.get(m.teamId) ?? []), m.id]);
  const nameById = new Map(members.map((m) => [m.id, m.name]));
  const offers: OfferForSeed[] = offerRows.map(({ teamId, ...o }) => ({
    ...o,
    coordinatorIds: membersByTeam.get(teamId) ?? [],
  }));

  // The demo staff member gets requests of their own, unless they already have some.
  const [me] = await tx
    .select({
      id: users.id,
      name: users.name,
      organisationId: users.organisationId,
      staffGroup: users.staffGroup,
      startDate: users.startDate,
      hasRequests: sql<boolean>`exists (select 1 from support_requests sr where sr.requester_id = users.id)`,
    })
    .from(users)
    .where(eq(users.email, DEMO_STAFF_WITH_HISTORY));
  const demoStaff =
    me && !me.hasRequests
      ? { email: DEMO_STAFF_WITH_HISTORY, firstName: me.name.split(" ")[0]!, organisationId: me.organisationId }
      : null;

  const plan = planPastRequests({ ...input, offers, demoStaff });

  // Generated staff (an email left over from an earlier, deleted history is reused).
  const staffUsed = plan.staff.filter((s) => s.used);
  let staffInserted = 0;
  for (const batch of chunks(staffUsed, BATCH)) {
    const rows = await tx
      .insert(users)
      .values(
        batch.map((s) => ({
          id: randomUUID(),
          email: s.email,
          name: s.name,
          organisationId: s.organisationId,
          staffGroup: s.staffGroup,
          jobTitle: s.jobTitle,
          startDate: s.startDate,
          role: "staff" as const,
          passwordHash: "!", // not an argon2 hash: can never verify
          emailVerifiedAt: new Date(s.createdAt.getTime() + 7 * MINUTE),
          isDemo: true,
          createdAt: s.createdAt,
          updatedAt: s.createdAt,
        })),
      )
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    staffInserted += rows.length;
  }
  const idByEmail = new Map<string, string>();
  for (const batch of chunks(
    staffUsed.map((s) => s.email),
    BATCH,
  )) {
    const rows = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, batch));
    for (const r of rows) idByEmail.set(r.email, r.id);
  }
  if (me) idByEmail.set(DEMO_STAFF_WITH_HISTORY, me.id);
  // Who each requester was when they asked: the insight columns are snapshots.
  const profileByEmail = new Map<string, { staffGroup: string; startDate: string }>(
    plan.staff.map((s) => [s.email, { staffGroup: s.staffGroup, startDate: s.startDate }]),
  );
  if (me) profileByEmail.set(DEMO_STAFF_WITH_HISTORY, { staffGroup: me.staffGroup, startDate: me.startDate });

  const signInCoordinators = new Set(
    members
      .filter((m) => DEMO_ACCOUNTS.some((a) => a.role === "coordinator" && a.email.toLowerCase() === m.email))
      .map((m) => m.id),
  );
  const written = await writePlannedRequests(tx, plan.requests, {
    requester: (email) => ({ id: idByEmail.get(email)!, ...profileByEmail.get(email)! }),
    submissionKey: () => randomUUID(),
    nameById,
    stayOffers: new Set(offerRows.filter((o) => o.formKind === "thinking_of_leaving").map((o) => o.id)),
    now: input.now,
    signInCoordinators,
    sensitiveOffers: new Set(offerRows.filter((o) => o.sensitive).map((o) => o.id)),
  });

  return { staff: staffInserted, requests: plan.requests.length, events: written.events, accessLog: written.accessLog };
}

/**
 * Writes planned requests as the real flow would have: references reserved per year (one
 * statement a year) and numbered in time order, the requests, the coded answers of stay
 * conversations (as createRequest writes them, countable in SQL), their events, the access log
 * and request_reads. Shared by the past requests, the demo stay conversations and the requests of
 * the demo check-ins. Numbers each request's `reference`; returns the ids by reference.
 */
export async function writePlannedRequests(
  tx: Tx,
  planned: PlannedRequest[],
  how: {
    /** The requester's account and who they were when they asked (the insight columns are snapshots). */
    requester: (email: string) => { id: string; staffGroup: string; startDate: string };
    /** The submission key of the index-th request in time order. */
    submissionKey: (index: number, request: PlannedRequest) => string;
    /** Coordinators' names, for the "assigned" events (as assignHubRequest records them). */
    nameById: ReadonlyMap<string, string>;
    /** Offers whose requests are stay conversations. */
    stayOffers: ReadonlySet<number>;
    now: Date;
    signInCoordinators: ReadonlySet<string>;
    sensitiveOffers: ReadonlySet<number>;
  },
): Promise<{ events: number; accessLog: number; idByReference: ReadonlyMap<string, number> }> {
  // Reserve a block of references per year in one statement each, then number in time order.
  const requests = [...planned].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
  const perYear = new Map<number, number>();
  for (const r of requests) {
    const y = r.submittedAt.getUTCFullYear();
    perYear.set(y, (perYear.get(y) ?? 0) + 1);
  }
  const nextNumber = new Map<number, number>();
  for (const [year, n] of [...perYear].sort((a, b) => a[0] - b[0])) {
    const [row] = await tx
      .insert(referenceCounters)
      .values({ year, last: n })
      .onConflictDoUpdate({
        target: referenceCounters.year,
        set: { last: sql`reference_counters.last + excluded.last` },
      })
      .returning({ last: referenceCounters.last });
    nextNumber.set(year, row!.last - n + 1);
  }
  for (const r of requests) {
    const y = r.submittedAt.getUTCFullYear();
    const n = nextNumber.get(y)!;
    nextNumber.set(y, n + 1);
    r.reference = `SW-${y}-${String(n).padStart(5, "0")}`;
  }

  const idByReference = new Map<string, number>();
  for (const [b, batch] of chunks(requests, BATCH).entries()) {
    const rows = await tx
      .insert(supportRequests)
      .values(
        batch.map((r, i) => {
          const person = how.requester(r.requesterEmail);
          return {
            reference: r.reference,
            requesterId: person.id,
            organisationId: r.organisationId,
            staffGroup: person.staffGroup,
            tenureBand: tenureBand(person.startDate, r.submittedAt),
            ...(r.firstContactAt ? firstContactFacts(r.submittedAt, r.firstContactAt, r.dueAt) : {}),
            offerId: r.offerId,
            status: r.status,
            urgent: r.urgent,
            priority: priorityOf(r.answers, r.urgent),
            answers: r.answers,
            contactMethod: r.contactMethod,
            contactPhone: r.contactPhone,
            contactTimes: r.contactTimes,
            consentToShareWithManager: r.consentToShareWithManager,
            submissionKey: how.submissionKey(b * BATCH + i, r),
            submittedAt: r.submittedAt,
            assigneeId: r.assigneeId,
            dueAt: r.dueAt,
            firstContactAt: r.firstContactAt,
            pausedAt: r.pausedAt,
            closedAt: r.closedAt,
            closeOutcome: r.closeOutcome,
            retentionOutcome: r.retentionOutcome,
            satisfactionRating: r.satisfactionRating,
            satisfactionComment: r.satisfactionComment,
            ratedAt: r.ratedAt,
            ...activityTimes(r),
            version: r.version,
            createdAt: r.submittedAt,
            updatedAt: r.updatedAt,
          };
        }),
      )
      .returning({ id: supportRequests.id, reference: supportRequests.reference });
    for (const row of rows) idByReference.set(row.reference, row.id);
  }

  const stayRows = requests
    .filter((r) => how.stayOffers.has(r.offerId))
    .flatMap((r) => stayAnswerRows(idByReference.get(r.reference)!, r.answers));
  for (const batch of chunks(stayRows, BATCH * 2)) {
    await tx.insert(stayConversationAnswers).values(batch);
  }

  const actorOf = (r: PlannedRequest, actor: string) =>
    actor === REQUESTER ? how.requester(r.requesterEmail).id : actor;
  const eventRows = requests.flatMap((r) =>
    r.events.map((e) => ({
      requestId: idByReference.get(r.reference)!,
      actorId: actorOf(r, e.actor),
      kind: e.kind,
      body: e.body,
      visibleToRequester: e.visibleToRequester,
      // As assignHubRequest records it: the assignee's name as it was then.
      data:
        e.kind === "assigned" && e.data
          ? { ...e.data, assigneeName: how.nameById.get(e.data.assigneeId as string) ?? null }
          : e.data,
      createdAt: e.at,
    })),
  );
  for (const batch of chunks(eventRows, BATCH * 2)) {
    await tx.insert(requestEvents).values(batch);
  }
  const accessRows = requests.flatMap((r) =>
    r.access.map((a) => ({
      requestId: idByReference.get(r.reference)!,
      actorId: a.actor,
      action: a.action,
      createdAt: a.at,
    })),
  );
  const { reads, looks } = plannedReads(requests, idByReference, how.now, how.signInCoordinators, how.sensitiveOffers);
  accessRows.push(...looks);
  for (const batch of chunks(accessRows, BATCH * 2)) {
    await tx.insert(requestAccessLog).values(batch);
  }
  for (const batch of chunks(reads, BATCH * 2)) {
    await tx.insert(requestReads).values(batch).onConflictDoNothing();
  }

  return { events: eventRows.length, accessLog: accessRows.length, idByReference };
}

/** How many open requests keep a recent reply their assignee has not looked at yet (the demo of "New reply"). */
const DEMO_UNSEEN_REPLIES = 3;

/**
 * Who has seen which request, and when (request_reads, docs/decisions/018-unseen-activity.md), for
 * seeded history, as the hub would have recorded it:
 * - each coordinator as of their latest view (the access log) or their latest event on it (whoever
 *   worked on a request saw it; migration 0022 backfills existing databases the same way);
 * - the assignee also looked at whatever the person did afterwards (a reply, withdrawal or rating),
 *   40 minutes later (or a minute before `now`): the history is history, not a flood of "New reply"
 *   in My work. On a sensitive request that look is also a "viewed" row in the access log (the
 *   seed records views of sensitive requests only, as the rest of its history does);
 * - except DEMO_UNSEEN_REPLIES open requests whose last activity is a reply by the person, the most
 *   recent ones, those of the sign-in coordinators first: their assignee has not looked since, so
 *   "New reply", My work and the timeline highlight have something to show.
 */
export function plannedReads(
  requests: PlannedRequest[],
  idByReference: Map<string, number>,
  now: Date,
  signInCoordinators: ReadonlySet<string>,
  sensitiveOffers: ReadonlySet<number>,
): {
  reads: { userId: string; requestId: number; seenAt: Date }[];
  looks: { requestId: number; actorId: string; action: AccessAction; createdAt: Date }[];
} {
  const seen = new Map<string, { userId: string; requestId: number; seenAt: Date }>();
  const saw = (userId: string, requestId: number, at: Date) => {
    const key = `${userId} ${requestId}`;
    const had = seen.get(key);
    if (!had || had.seenAt < at) seen.set(key, { userId, requestId, seenAt: at });
  };
  for (const r of requests) {
    const requestId = idByReference.get(r.reference)!;
    for (const a of r.access) if (a.action === "viewed") saw(a.actor, requestId, a.at);
    for (const e of r.events) if (e.actor !== REQUESTER && e.kind !== "viewed") saw(e.actor, requestId, e.at);
  }

  // The person's latest activity the assignee has not seen yet.
  const OPEN_STATUSES: readonly RequestStatus[] = ["new", "triaged", "in_progress", "waiting_on_staff", "referred"];
  const unseen: { r: PlannedRequest; requestId: number; at: Date }[] = [];
  for (const r of requests) {
    const at = activityTimes(r).lastRequesterActivityAt;
    if (!at || !r.assigneeId) continue;
    const requestId = idByReference.get(r.reference)!;
    const had = seen.get(`${r.assigneeId} ${requestId}`);
    if (!had || had.seenAt < at) unseen.push({ r, requestId, at });
  }
  const lastIsReply = (r: PlannedRequest) =>
    [...r.events].reverse().find((e) => e.actor === REQUESTER && REQUESTER_ACTIVITY.has(e.kind))?.kind ===
    "message_from_staff";
  const kept = new Set(
    unseen
      .filter(({ r }) => OPEN_STATUSES.includes(r.status) && lastIsReply(r))
      .sort(
        (a, b) =>
          Number(signInCoordinators.has(b.r.assigneeId!)) - Number(signInCoordinators.has(a.r.assigneeId!)) ||
          b.at.getTime() - a.at.getTime() ||
          a.requestId - b.requestId,
      )
      .slice(0, DEMO_UNSEEN_REPLIES)
      .map((u) => u.requestId),
  );
  const looks: { requestId: number; actorId: string; action: AccessAction; createdAt: Date }[] = [];
  for (const { r, requestId, at } of unseen) {
    if (kept.has(requestId)) continue;
    const lookAt = new Date(Math.min(at.getTime() + 40 * MINUTE, now.getTime() - MINUTE));
    if (lookAt < at) continue; // the person acted in the last minute: still new
    if (sensitiveOffers.has(r.offerId))
      looks.push({ requestId, actorId: r.assigneeId!, action: "viewed", createdAt: lookAt });
    saw(r.assigneeId!, requestId, lookAt);
  }
  return { reads: [...seen.values()], looks };
}
