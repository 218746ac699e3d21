// Demo stay conversations over the three years to `now` (issue 13 part 1), so the retention
// insights' stay-conversation section (ADR 036) publishes in a 12-month ICS view: the year of past
// requests holds only about 20, below the disclosure threshold once split by reason or outcome.
// Written through the same tables the real flow writes: a closed support request of the
// thinking-of-leaving offer by one of the generated demo staff, its coded answers in
// stay_conversation_answers, its history (submission, assignment, first contact, close with a
// retention outcome) in request_events, the access log and request_reads (seen: nothing new in
// My work). All closed, so the hub's open queues are unchanged. Marked by their submission key
// (DEMO_STAY_KEY_PREFIX): inserted once; a second run inserts nothing.
import { and, eq, inArray, isNull, like, sql } from "drizzle-orm";
import { firstContactFacts, tenureBand } from "../../app/lib/insights/facts";
import { stayAnswerRows } from "../../app/lib/leaving";
import { priorityOf } from "../../app/schemas/request-forms";
import type { Tx } from "../client";
import {
  referenceCounters,
  requestAccessLog,
  requestEvents,
  requestReads,
  stayConversationAnswers,
  supportOffers,
  supportRequests,
  teamMembers,
  users,
} from "../schema";
import { DEMO_ACCOUNTS } from "../seed-data/accounts";
import { BATCH, chunks, DAY, HOUR, MINUTE, Rng, startOfUtcDay } from "./common";
import { activityTimes, type PlannedRequest, planRequest, REQUESTER, type Requester } from "./request-plan";
import { plannedReads } from "./requests";

export const DEMO_STAY_CONVERSATIONS = 120;
/**
 * Their submission keys (a UUID, as the form's) start with this: no random UUID does in practice,
 * so it marks the demo stay conversations for the idempotency check and the tests.
 */
export const DEMO_STAY_KEY_PREFIX = "00000000-5a7e-4000-8000-";
const STAY_OFFER_SLUG = "thinking-of-leaving";

/** Inserts the demo stay conversations once; 0 when they exist or there is nobody to ask. */
export async function insertDemoStayConversations(
  tx: Tx,
  options: { now: Date; count?: number; seed?: number },
): Promise<number> {
  const [already] = await tx
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(like(supportRequests.submissionKey, `${DEMO_STAY_KEY_PREFIX}%`))
    .limit(1);
  if (already) return 0;
  const [offer] = await tx
    .select({
      id: supportOffers.id,
      slug: supportOffers.slug,
      formKind: supportOffers.formKind,
      firstContactTargetDays: supportOffers.firstContactTargetDays,
      sensitive: supportOffers.sensitive,
      teamId: supportOffers.teamId,
    })
    .from(supportOffers)
    .where(eq(supportOffers.slug, STAY_OFFER_SLUG));
  if (!offer || offer.formKind !== "thinking_of_leaving") return 0;
  const members = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(
      and(
        eq(teamMembers.teamId, offer.teamId),
        isNull(users.disabledAt),
        inArray(users.role, ["coordinator", "admin"]),
      ),
    );
  if (members.length === 0) return 0;
  const rank = (email: string) => {
    const i = DEMO_ACCOUNTS.findIndex((a) => a.email.toLowerCase() === email);
    return i < 0 ? DEMO_ACCOUNTS.length : i;
  };
  members.sort((a, b) => rank(a.email) - rank(b.email) || a.email.localeCompare(b.email));
  const nameById = new Map(members.map((m) => [m.id, m.name]));

  // The people who ask: the generated demo staff (they cannot sign in), in a stable order.
  const staff = await tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      organisationId: users.organisationId,
      staffGroup: users.staffGroup,
      startDate: users.startDate,
    })
    .from(users)
    .where(and(eq(users.isDemo, true), eq(users.role, "staff"), eq(users.passwordHash, "!")))
    .orderBy(users.email);
  if (staff.length === 0) return 0;

  const rng = new Rng(options.seed ?? 34_120);
  const nowMs = options.now.getTime();
  const count = options.count ?? DEMO_STAY_CONVERSATIONS;
  const offerForPlan = { ...offer, coordinatorIds: members.map((m) => m.id) };
  const personById = new Map(staff.map((s) => [s.id, s]));
  const requesterIdByEmail = new Map(staff.map((s) => [s.email, s.id]));
  const planned: PlannedRequest[] = [];
  for (let i = 0; i < count; i++) {
    // Spread over three years, ending six weeks ago (time to talk and close), on a weekday daytime.
    let t = nowMs - 42 * DAY - rng.next() * (3 * 365 - 42) * DAY;
    const day = new Date(startOfUtcDay(t));
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) day.setUTCDate(day.getUTCDate() + (weekday === 6 ? -1 : 1));
    t = day.getTime() + rng.int(8, 17) * HOUR + rng.int(0, 59) * MINUTE;
    const started = staff.filter((s) => Date.parse(s.startDate) + 30 * DAY < t);
    const pool = started.length > 0 ? started : staff;
    const person = pool[Math.floor(rng.next() * pool.length)]!;
    const requester: Requester = {
      email: person.email,
      firstName: person.name.split(" ")[0]!,
      organisationId: person.organisationId,
      startMs: Date.parse(person.startDate),
    };
    // Closed, mostly with a conversation; planRequest tells the story as the hub would record it.
    planned.push(planRequest(rng, nowMs, requester, offerForPlan, { status: "closed", submittedMs: t }));
  }
  const requests = planned
    .filter((r) => r.status === "closed" && r.closedAt && r.closedAt.getTime() < nowMs)
    .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());

  // References: a block per year reserved in one statement each, numbered in time order.
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
          const person = personById.get(requesterIdByEmail.get(r.requesterEmail)!)!;
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
            submissionKey: `${DEMO_STAY_KEY_PREFIX}${String(b * BATCH + i + 1).padStart(12, "0")}`,
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

  const stayRows = requests.flatMap((r) => stayAnswerRows(idByReference.get(r.reference)!, r.answers));
  for (const batch of chunks(stayRows, BATCH * 2)) await tx.insert(stayConversationAnswers).values(batch);

  const actorOf = (r: PlannedRequest, actor: string) =>
    actor === REQUESTER ? requesterIdByEmail.get(r.requesterEmail)! : actor;
  const eventRows = requests.flatMap((r) =>
    r.events.map((e) => ({
      requestId: idByReference.get(r.reference)!,
      actorId: actorOf(r, e.actor),
      kind: e.kind,
      body: e.body,
      visibleToRequester: e.visibleToRequester,
      data:
        e.kind === "assigned" && e.data
          ? { ...e.data, assigneeName: nameById.get(e.data.assigneeId as string) ?? null }
          : e.data,
      createdAt: e.at,
    })),
  );
  for (const batch of chunks(eventRows, BATCH * 2)) await tx.insert(requestEvents).values(batch);
  const accessRows = requests.flatMap((r) =>
    r.access.map((a) => ({
      requestId: idByReference.get(r.reference)!,
      actorId: a.actor,
      action: a.action,
      createdAt: a.at,
    })),
  );
  const { reads, looks } = plannedReads(
    requests,
    idByReference,
    options.now,
    new Set<string>(),
    new Set(offer.sensitive ? [offer.id] : []),
  );
  accessRows.push(...looks);
  for (const batch of chunks(accessRows, BATCH * 2)) await tx.insert(requestAccessLog).values(batch);
  for (const batch of chunks(reads, BATCH * 2)) await tx.insert(requestReads).values(batch).onConflictDoNothing();
  return requests.length;
}
