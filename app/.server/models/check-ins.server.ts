// First-year check-ins (docs/decisions/039-first-year-check-ins.md): the person's own check-ins,
// answering one, and the check-in points administrators set. Every function that reads a check-in
// takes the caller and scopes by user_id in the query: another person's check-in is "not found",
// exactly like one that does not exist.
import { and, asc, desc, eq, gt, isNull } from "drizzle-orm";
import type { Tx } from "@db/client";
import { getDb } from "@db/current";
import { checkInPoints, checkIns, supportOffers, supportRequests, users, type CheckInPointUnit } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { issuesToErrors } from "../forms.server";
import { AdminError, assertAdmin, invalid, recordAdminChange } from "./admin/common.server";
import { writeRequest } from "./requests.server";
import { pointAdjective, pointDays, pointLabel, type CheckInRequestAnswers } from "~/lib/check-ins";
import { checkInSchema, type CheckInInput } from "~/schemas/check-in";

/** The offer a check-in's request goes to, and the one when the person is thinking of leaving. */
export const NEW_STARTER_OFFER = "new-starter-support";
export const THINKING_OF_LEAVING_OFFER = "thinking-of-leaving";

export type CheckInState = "open" | "answered" | "expired";

export interface MyCheckIn {
  id: string;
  pointLabel: string;
  /** The caller's start date in post (YYYY-MM-DD), for saying when they started; null if unknown. */
  startDate: string | null;
  sentAt: Date;
  expiresAt: Date;
  state: CheckInState;
}

function stateOf(row: { answeredAt: Date | null; expiresAt: Date }, now: Date): CheckInState {
  if (row.answeredAt) return "answered";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "open";
}

/**
 * The caller's open check-in (the home page card), newest first; null when none is open, or when the
 * caller has turned check-ins off (review finding 7): the card goes with the switch. The page at the
 * emailed link still opens and can be answered (ADR 039 addendum): following it is a choice.
 */
export async function myOpenCheckIn(caller: CurrentUser, now = new Date()): Promise<MyCheckIn | null> {
  const [row] = await getDb()
    .select({
      id: checkIns.id,
      pointLabel: checkIns.pointLabel,
      startDate: users.startDate,
      sentAt: checkIns.sentAt,
      expiresAt: checkIns.expiresAt,
      answeredAt: checkIns.answeredAt,
    })
    .from(checkIns)
    .innerJoin(users, and(eq(users.id, checkIns.userId), eq(users.firstYearCheckIns, true)))
    .where(and(eq(checkIns.userId, caller.id), isNull(checkIns.answeredAt), gt(checkIns.expiresAt, now)))
    .orderBy(desc(checkIns.expiresAt))
    .limit(1);
  return row ? { ...row, state: "open" } : null;
}

export interface MyCheckInDetail extends MyCheckIn {
  /** After answering: the support request it made (the caller's own), if any. */
  requestReference: string | null;
  /** After answering without asking for contact: whether the answers suggest they may need support. */
  signpost: boolean;
}

/** One of the caller's own check-ins; null for anyone else's, or an id that does not exist. */
export async function getMyCheckIn(caller: CurrentUser, id: string, now = new Date()): Promise<MyCheckInDetail | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(id)) return null;
  const [row] = await getDb()
    .select({
      id: checkIns.id,
      pointLabel: checkIns.pointLabel,
      sentAt: checkIns.sentAt,
      expiresAt: checkIns.expiresAt,
      answeredAt: checkIns.answeredAt,
      workScore: checkIns.workScore,
      supportedScore: checkIns.supportedScore,
      thinkingOfLeaving: checkIns.thinkingOfLeaving,
      contactWanted: checkIns.contactWanted,
      requestReference: supportRequests.reference,
      startDate: users.startDate,
    })
    .from(checkIns)
    .innerJoin(users, eq(users.id, checkIns.userId))
    .leftJoin(
      supportRequests,
      and(eq(supportRequests.id, checkIns.requestId), eq(supportRequests.requesterId, caller.id)),
    )
    .where(and(eq(checkIns.id, id), eq(checkIns.userId, caller.id)))
    .limit(1);
  if (!row) return null;
  const state = stateOf(row, now);
  const followUp = row.thinkingOfLeaving === "yes" || row.workScore === 1 || row.supportedScore === 1;
  return {
    id: row.id,
    pointLabel: row.pointLabel,
    startDate: row.startDate,
    sentAt: row.sentAt,
    expiresAt: row.expiresAt,
    state,
    requestReference: row.requestReference ?? null,
    signpost: state === "answered" && !row.contactWanted && followUp,
  };
}

export type AnswerCheckInResult =
  | { ok: true; requestReference: string | null; signpost: boolean }
  | { ok: false; reason: "not_found" | "answered" | "expired" | "no_offer" }
  | { ok: false; reason: "invalid"; errors: Record<string, string> };

/**
 * Whether an answer suggests the person may be struggling: thinking about leaving ("yes"), or a 1
 * for either score. Without the person's consent nothing is sent to anyone; the page then points
 * them to the support they can ask for (ADR 039).
 */
export function needsFollowUp(answer: Pick<CheckInInput, "workScore" | "supportedScore" | "thinkingOfLeaving">) {
  return answer.thinkingOfLeaving === "yes" || answer.workScore === 1 || answer.supportedScore === 1;
}

async function activeOffer(tx: Tx, slug: string) {
  const [offer] = await tx.select().from(supportOffers).where(eq(supportOffers.slug, slug)).limit(1).for("share");
  return offer?.active ? offer : null;
}

/**
 * Answers the caller's check-in `id`. With contact wanted, a support request is made in the same
 * transaction: to `thinking-of-leaving` when the person answered "yes" to thinking about leaving,
 * otherwise to new-starter support (the other one when that offer is retired), with the answers
 * attached (support_requests.answers.checkIn) and what they wrote as the request's details.
 * Without contact wanted what they wrote is not kept. Answering twice, or after 21 days, is refused.
 */
export async function answerCheckIn(
  caller: CurrentUser,
  id: string,
  input: unknown,
  now = new Date(),
): Promise<AnswerCheckInResult> {
  const parsed = checkInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", errors: issuesToErrors(parsed.error.issues) };
  const answer = parsed.data;
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(id)) return { ok: false, reason: "not_found" };

  return getDb().transaction(async (tx): Promise<AnswerCheckInResult> => {
    const [row] = await tx
      .select()
      .from(checkIns)
      .where(and(eq(checkIns.id, id), eq(checkIns.userId, caller.id)))
      .limit(1)
      .for("update");
    if (!row) return { ok: false, reason: "not_found" };
    const state = stateOf(row, now);
    if (state !== "open") return { ok: false, reason: state };

    let requestId: number | null = null;
    let requestReference: string | null = null;
    if (answer.contactWanted) {
      const leaving = answer.thinkingOfLeaving === "yes";
      const first = leaving ? THINKING_OF_LEAVING_OFFER : NEW_STARTER_OFFER;
      const second = leaving ? NEW_STARTER_OFFER : THINKING_OF_LEAVING_OFFER;
      const offer = (await activeOffer(tx, first)) ?? (await activeOffer(tx, second));
      if (!offer) return { ok: false, reason: "no_offer" };
      const [person] = await tx
        .select({
          contactMethod: users.contactMethod,
          contactPhone: users.contactPhone,
          contactTimes: users.contactTimes,
        })
        .from(users)
        .where(eq(users.id, caller.id))
        .limit(1);
      const checkIn: CheckInRequestAnswers = {
        point: row.pointLabel,
        workScore: answer.workScore,
        supportedScore: answer.supportedScore,
        hasWhatNeeded: answer.hasWhatNeeded,
        thinkingOfLeaving: answer.thinkingOfLeaving,
      };
      const details =
        answer.comments ??
        (offer.formKind === "general"
          ? `Asked through the ${pointAdjective(row.pointLabel)} first-year check-in`
          : undefined);
      const method = person?.contactMethod ?? "email";
      const request = await writeRequest(
        tx,
        caller,
        offer,
        {
          urgent: false,
          priority: "normal",
          answers: { ...(details ? { details } : {}), checkIn },
          contactMethod: method,
          contactPhone: method === "phone" ? (person?.contactPhone ?? null) : null,
          contactTimes: person?.contactTimes ?? null,
          consentToShareWithManager: false,
          submissionKey: `check-in:${row.id}`,
        },
        now,
      );
      requestId = request.id;
      requestReference = request.reference;
    }

    await tx
      .update(checkIns)
      .set({
        answeredAt: now,
        workScore: answer.workScore,
        supportedScore: answer.supportedScore,
        hasWhatNeeded: answer.hasWhatNeeded,
        thinkingOfLeaving: answer.thinkingOfLeaving,
        contactWanted: answer.contactWanted,
        requestId,
      })
      .where(eq(checkIns.id, row.id));
    return { ok: true, requestReference, signpost: !answer.contactWanted && needsFollowUp(answer) };
  });
}

/** Turns the caller's own check-ins on or off (/account/preferences). */
export async function setMyCheckIns(caller: CurrentUser, on: boolean, now = new Date()): Promise<void> {
  await getDb().update(users).set({ firstYearCheckIns: on, updatedAt: now }).where(eq(users.id, caller.id));
}

// ---------------------------------------------------------------------------------------------
// check-in points (/admin/check-ins)

export interface CheckInPointRow {
  id: number;
  amount: number;
  unit: CheckInPointUnit;
  label: string;
  active: boolean;
}

export async function listCheckInPoints(caller: CurrentUser): Promise<CheckInPointRow[]> {
  assertAdmin(caller);
  const rows = await getDb()
    .select({
      id: checkInPoints.id,
      amount: checkInPoints.amount,
      unit: checkInPoints.unit,
      active: checkInPoints.active,
    })
    .from(checkInPoints)
    .orderBy(asc(checkInPoints.unit), asc(checkInPoints.amount));
  return rows
    .map((r) => ({ ...r, label: pointLabel(r.amount, r.unit) }))
    .sort((a, b) => pointDays(a.amount, a.unit) - pointDays(b.amount, b.unit));
}

/** Adds a point (audited). A point that exists already is refused with a message for the field. */
export async function addCheckInPoint(
  caller: CurrentUser,
  point: { amount: number; unit: CheckInPointUnit },
  now = new Date(),
): Promise<void> {
  assertAdmin(caller);
  const label = pointLabel(point.amount, point.unit);
  await getDb().transaction(async (tx) => {
    const [created] = await tx
      .insert(checkInPoints)
      .values({ amount: point.amount, unit: point.unit, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: checkInPoints.id });
    if (!created) throw invalid("amount", `There is already a check-in at ${label}`);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "check_in_point",
        entityId: created.id,
        action: "created",
        summary: `Added a first-year check-in ${label} after the start date`,
        before: null,
        after: { amount: point.amount, unit: point.unit, active: true },
      },
      now,
    );
  });
}

/** Stops (or starts again) sending check-ins at a point (audited). Check-ins already sent stay. */
export async function setCheckInPointActive(
  caller: CurrentUser,
  idValue: unknown,
  active: boolean,
  now = new Date(),
): Promise<void> {
  assertAdmin(caller);
  const id = Number(idValue);
  if (!Number.isInteger(id) || id <= 0) throw new AdminError("not_found", "There is no such check-in point.");
  await getDb().transaction(async (tx) => {
    const [before] = await tx.select().from(checkInPoints).where(eq(checkInPoints.id, id)).limit(1).for("update");
    if (!before) throw new AdminError("not_found", "There is no such check-in point.");
    if (before.active === active) return;
    await tx.update(checkInPoints).set({ active, updatedAt: now }).where(eq(checkInPoints.id, id));
    const label = pointLabel(before.amount, before.unit);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "check_in_point",
        entityId: id,
        action: active ? "restored" : "retired",
        summary: active ? `Started sending the ${label} check-in again` : `Stopped sending the ${label} check-in`,
        before: { active: before.active },
        after: { active },
      },
      now,
    );
  });
}
