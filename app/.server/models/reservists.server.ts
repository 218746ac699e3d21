// The reservist bank (issue 14 part 2; docs/decisions/040-reservist-bank.md).
//
// Who sees what:
// - a reservist: their own profile and invitations only — every function in "the reservist's own"
//   is keyed by caller.id, never by an id from the request;
// - the Reservist bank hub team: needs, the reservists who match them and their invitations. Every
//   query carries reservistCoordinatorCondition (permissions.server.ts) and the commands check
//   requireReservistCoordinator first: anyone else gets NotFoundError (404);
// - managers: counts only, through the disclosure control (reservist-insights.server.ts).
// Every change is in the audit log (admin_audit, entities reservist / reservist_need), written in
// the change's transaction. Mail goes through the outbox in the same transaction.
import { and, asc, desc, eq, inArray, isNull, lt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { queryRows, type DatabaseOrTx, type Tx } from "@db/client";
import { getDb } from "@db/current";
import {
  jobRuns,
  organisations,
  reservistInvitations,
  reservistNeeds,
  reservistNeedSkills,
  reservistPlaces,
  reservists,
  reservistSkillChoices,
  reservistSkills,
  teams,
  users,
} from "@db/schema";
import {
  CONFIRM_EVERY_MONTHS,
  CONFIRM_GRACE_DAYS,
  INVITATIONS_PER_PLACE,
  needReasonLabel,
  WEEK_DAYS,
} from "~/lib/reservists";
import { staffGroupLabel } from "~/lib/staff-groups";
import { addCalendarMonths, londonDate } from "~/lib/working-days";
import type { ReservistNeedInput, ReservistProfileInput } from "~/schemas/reservists";
import type { CurrentUser } from "../auth/types";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import {
  NotFoundError,
  RESERVIST_TEAM_SLUG,
  requireReservistCoordinator,
  reservistCoordinatorCondition,
} from "../permissions.server";
import { recordAdminChange } from "./admin/common.server";
import { teamMembersOfTeam } from "./hub-access.server";

export type ReservistErrorCode = "invalid" | "not_eligible" | "answered" | "full" | "closed" | "too_many";

/** A refused reservist-bank action: `errors` maps form fields to messages. */
export class ReservistError extends Error {
  constructor(
    readonly code: ReservistErrorCode,
    message: string,
    readonly errors: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ReservistError";
  }
}

export function isReservistError(err: unknown, code?: ReservistErrorCode): err is ReservistError {
  return err instanceof ReservistError && (code === undefined || err.code === code);
}

// ---------------------------------------------------------------------------------------------
// lists the forms offer

export interface Choice {
  id: number;
  label: string;
}

/** Skills a profile or need may choose (not retired), by label. */
export async function activeSkills(): Promise<Choice[]> {
  return getDb()
    .select({ id: reservistSkills.id, label: reservistSkills.label })
    .from(reservistSkills)
    .where(isNull(reservistSkills.retiredAt))
    .orderBy(asc(reservistSkills.label));
}

export async function organisationChoices(): Promise<Choice[]> {
  return getDb()
    .select({ id: organisations.id, label: organisations.name })
    .from(organisations)
    .orderBy(asc(organisations.name));
}

async function checkChoices(tx: Tx, skillIds: number[], organisationIds: number[], organisationField: string) {
  const errors: Record<string, string> = {};
  if (skillIds.length) {
    const found = await tx
      .select({ id: reservistSkills.id })
      .from(reservistSkills)
      .where(and(inArray(reservistSkills.id, skillIds), isNull(reservistSkills.retiredAt)));
    if (found.length !== new Set(skillIds).size) errors.skills = "Select roles and skills from the list";
  }
  if (organisationIds.length) {
    const found = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(inArray(organisations.id, organisationIds));
    if (found.length !== new Set(organisationIds).size)
      errors[organisationField] =
        organisationField === "organisationId"
          ? "Select the organisation that needs people"
          : "Select organisations from the list";
  }
  if (Object.keys(errors).length) throw new ReservistError("invalid", "Select from the lists", errors);
}

// ---------------------------------------------------------------------------------------------
// the reservist's own

/**
 * Where bank mail to `userId` may go on London day `today`, as SQL (null: nowhere). Worked out when
 * the mail is sent, never copied (review of issue 14, finding 1): while the person is staff — no
 * leaving questionnaire, its leaving date not yet passed, or it was about an organisation they
 * have since moved from (second review) — their account's address; once they
 * have left, only the personal address in leaving_contacts that they verified and have not
 * withdrawn (withdrawing or the retention rule deletes the row). Disabled and erased accounts get
 * nothing. Matching uses the same rule, so a person with no address is not invitable.
 * `userId` is a column or SQL (e.g. sql`r.user_id`); the subquery's own aliases start with `ma_`.
 */
export function reservistMailAddressSql(userId: AnyColumn | SQL, today: string): SQL<string | null> {
  // A questionnaire from another organisation than the account's now is from a job they have left
  // for a partner organisation (a change of employer confirms the new work address): they are staff.
  return sql<string | null>`(select case when ma_r.id is null or ma_r.leaving_date >= ${today}::date
                       or ma_r.organisation_id <> ma_u.organisation_id
                  then ma_u.email else ma_c.personal_email end
       from users ma_u
       left join leaving_responses ma_r on ma_r.user_id = ma_u.id
       left join leaving_contacts ma_c on ma_c.response_id = ma_r.id and ma_c.verified_at is not null
      where ma_u.id = ${userId} and ma_u.disabled_at is null and ma_u.erased_at is null)`;
}

/** The address bank mail to `userId` would go to now, or null (reservistMailAddressSql). */
export async function reservistMailAddress(db: DatabaseOrTx, userId: string, now = new Date()): Promise<string | null> {
  const [row] = await queryRows<{ address: string | null }>(
    db,
    sql`select ${reservistMailAddressSql(sql`${userId}`, londonDate(now))} as address`,
  );
  return row?.address ?? null;
}

export type Eligibility = { eligible: true } | { eligible: false; reason: "left_unverified" };

/**
 * Who may join: anyone with an account (staff, and people about to retire or leave), and people
 * who have left — their leaving date has passed — only once they have confirmed a personal address
 * (ADR 033's leaving_contacts): their work address will stop working, so bank mail goes there.
 * That is: whoever bank mail can reach now.
 */
export async function reservistEligibility(caller: CurrentUser, now = new Date()): Promise<Eligibility> {
  return (await reservistMailAddress(getDb(), caller.id, now)) !== null
    ? { eligible: true }
    : { eligible: false, reason: "left_unverified" };
}

export interface ReservistProfile {
  registrationBody: string;
  registrationNumber: string | null;
  staffGroup: string;
  hoursPerWeek: number;
  days: string[];
  availableFrom: string;
  availableUntil: string | null;
  dbsCurrent: boolean;
  /** Where bank mail goes today; null: nowhere (consent withdrawn or deleted), so no invitations. */
  contactEmail: string | null;
  pausedAt: Date | null;
  lastConfirmedAt: Date;
  confirmDueOn: string;
  skills: Choice[];
  organisations: Choice[];
}

/** The caller's own profile, or null. Keyed by the caller's id: nobody else's is reachable. */
export async function myReservistProfile(caller: CurrentUser, now = new Date()): Promise<ReservistProfile | null> {
  const [row] = await getDb().select().from(reservists).where(eq(reservists.userId, caller.id));
  if (!row) return null;
  const [skills, places, contactEmail] = await Promise.all([
    getDb()
      .select({ id: reservistSkills.id, label: reservistSkills.label })
      .from(reservistSkillChoices)
      .innerJoin(reservistSkills, eq(reservistSkills.id, reservistSkillChoices.skillId))
      .where(eq(reservistSkillChoices.userId, caller.id))
      .orderBy(asc(reservistSkills.label)),
    getDb()
      .select({ id: organisations.id, label: organisations.name })
      .from(reservistPlaces)
      .innerJoin(organisations, eq(organisations.id, reservistPlaces.organisationId))
      .where(eq(reservistPlaces.userId, caller.id))
      .orderBy(asc(organisations.name)),
    reservistMailAddress(getDb(), caller.id, now),
  ]);
  return {
    registrationBody: row.registrationBody,
    registrationNumber: row.registrationNumber,
    staffGroup: row.staffGroup,
    hoursPerWeek: row.hoursPerWeek,
    days: row.days,
    availableFrom: row.availableFrom,
    availableUntil: row.availableUntil,
    dbsCurrent: row.dbsCurrent,
    contactEmail,
    pausedAt: row.pausedAt,
    lastConfirmedAt: row.lastConfirmedAt,
    confirmDueOn: addCalendarMonths(londonDate(row.lastConfirmedAt), CONFIRM_EVERY_MONTHS),
    skills,
    organisations: places,
  };
}

/** Joins the bank, or changes the caller's profile (which confirms it). One transaction. */
export async function saveMyReservistProfile(
  caller: CurrentUser,
  input: ReservistProfileInput,
  now = new Date(),
): Promise<"joined" | "updated"> {
  const eligibility = await reservistEligibility(caller, now);
  if (!eligibility.eligible) {
    throw new ReservistError(
      "not_eligible",
      "You have left: confirm a personal email address at /leaving before joining the reservist bank",
    );
  }
  // A number already on another profile is saved too, without a word: refusing it would let whoever
  // types a real nurse's public PIN first lock the nurse out, and would tell anyone whether a number
  // is in the bank. The coordinator's matches flag it instead (matchesFor, `registration_shared`).
  return await getDb().transaction(async (tx) => {
    await checkChoices(tx, input.skills, input.organisations, "organisations");
    const values = {
      registrationBody: input.registrationBody,
      registrationNumber: input.registrationNumber,
      staffGroup: input.staffGroup,
      hoursPerWeek: input.hoursPerWeek,
      days: input.days,
      availableFrom: input.availableFrom,
      availableUntil: input.availableUntil,
      dbsCurrent: input.dbsCurrent,
      lastConfirmedAt: now,
      reminderSentAt: null,
      updatedAt: now,
    };
    const [existing] = await tx
      .select({ userId: reservists.userId })
      .from(reservists)
      .where(eq(reservists.userId, caller.id))
      .for("update");
    if (existing) {
      await tx.update(reservists).set(values).where(eq(reservists.userId, caller.id));
      await tx.delete(reservistSkillChoices).where(eq(reservistSkillChoices.userId, caller.id));
      await tx.delete(reservistPlaces).where(eq(reservistPlaces.userId, caller.id));
    } else {
      await tx
        .insert(reservists)
        .values({ userId: caller.id, createdAt: now, ...values })
        .onConflictDoNothing({ target: reservists.userId });
    }
    await tx
      .insert(reservistSkillChoices)
      .values([...new Set(input.skills)].map((skillId) => ({ userId: caller.id, skillId })));
    await tx
      .insert(reservistPlaces)
      .values([...new Set(input.organisations)].map((organisationId) => ({ userId: caller.id, organisationId })));
    const outcome = existing ? "updated" : "joined";
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist",
        entityId: caller.id,
        action: outcome,
        summary: outcome === "joined" ? "Joined the reservist bank" : "Changed and confirmed their reservist profile",
        after: {
          staffGroup: input.staffGroup,
          registrationBody: input.registrationBody,
          hoursPerWeek: input.hoursPerWeek,
          availableFrom: input.availableFrom,
          availableUntil: input.availableUntil,
        },
      },
      now,
    );
    return outcome;
  });
}

type ProfileCommand = "pause" | "resume" | "confirm";

const COMMAND_WORDS: Record<ProfileCommand, string> = {
  pause: "Paused their reservist profile",
  resume: "Resumed their reservist profile",
  confirm: "Confirmed their reservist profile",
};

/** Pause, resume or confirm the caller's own profile. NotFoundError when they have none. */
export async function changeMyReservistStatus(
  caller: CurrentUser,
  command: ProfileCommand,
  now = new Date(),
): Promise<void> {
  await getDb().transaction(async (tx) => {
    const set =
      command === "pause"
        ? { pausedAt: now, updatedAt: now }
        : command === "resume"
          ? { pausedAt: null, updatedAt: now }
          : { lastConfirmedAt: now, reminderSentAt: null, updatedAt: now };
    const changed = await tx
      .update(reservists)
      .set(set)
      .where(eq(reservists.userId, caller.id))
      .returning({ userId: reservists.userId });
    if (!changed.length) throw new NotFoundError();
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist",
        entityId: caller.id,
        action: command === "confirm" ? "confirmed" : `${command}d`,
        summary: COMMAND_WORDS[command],
      },
      now,
    );
  });
}

/**
 * Leaves the bank: the profile, its skills and places are deleted. Invitations keep only their
 * outcome (the person is unlinked), so a need's filled places stay counted. False if not a member.
 */
export async function leaveReservistBank(caller: CurrentUser, now = new Date()): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const gone = await tx
      .delete(reservists)
      .where(eq(reservists.userId, caller.id))
      .returning({ userId: reservists.userId });
    if (!gone.length) return false;
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist",
        entityId: caller.id,
        action: "left",
        summary: "Left the reservist bank (profile deleted)",
      },
      now,
    );
    return true;
  });
}

export type InvitationStatus = "invited" | "accepted" | "declined" | "withdrawn";

export interface MyInvitation {
  id: number;
  status: InvitationStatus;
  organisationName: string;
  place: string;
  startDate: string;
  endDate: string;
  hoursPerWeek: number;
  reason: string;
  createdAt: Date;
  /** Why an unanswered invitation can no longer be accepted (null: it can, or it was answered). */
  closedReason: InvitationClosed | null;
  /** When the caller accepted, then said they can no longer help (null otherwise). */
  cancelledAt: Date | null;
  /** An accepted invitation whose need has not ended: the caller may still say they cannot help. */
  canCancel: boolean;
}

/** "ended": the need's last date has passed; "paused": the caller's profile is paused. */
export type InvitationClosed = "ended" | "paused";

const CLOSED_WORDS: Record<InvitationClosed, string> = {
  ended: "This need has ended, so the invitation is no longer open.",
  paused: "Your profile is paused: resume it on the reservist bank page to accept.",
};

/** Why an unanswered invitation cannot be accepted on London day `today`, or null. */
function invitationClosed(endDate: string, pausedAt: Date | null, today: string): InvitationClosed | null {
  if (endDate < today) return "ended";
  return pausedAt ? "paused" : null;
}

/** The caller's own invitations, newest first (keyed by the caller's id). */
export async function myInvitations(caller: CurrentUser, now = new Date()): Promise<MyInvitation[]> {
  const today = londonDate(now);
  const rows = await getDb()
    .select({
      id: reservistInvitations.id,
      status: reservistInvitations.status,
      organisationName: organisations.name,
      place: reservistNeeds.place,
      startDate: reservistNeeds.startDate,
      endDate: reservistNeeds.endDate,
      hoursPerWeek: reservistNeeds.hoursPerWeek,
      reason: reservistNeeds.reason,
      createdAt: reservistInvitations.createdAt,
      cancelledAt: reservistInvitations.cancelledAt,
      pausedAt: reservists.pausedAt,
    })
    .from(reservistInvitations)
    .innerJoin(reservistNeeds, eq(reservistNeeds.id, reservistInvitations.needId))
    .innerJoin(organisations, eq(organisations.id, reservistNeeds.organisationId))
    .innerJoin(reservists, eq(reservists.userId, reservistInvitations.reservistUserId))
    .where(eq(reservistInvitations.reservistUserId, caller.id))
    .orderBy(desc(reservistInvitations.createdAt), desc(reservistInvitations.id))
    .limit(100);
  return rows.map(({ pausedAt, ...row }) => ({
    ...row,
    closedReason: row.status === "invited" ? invitationClosed(row.endDate, pausedAt, today) : null,
    canCancel: row.status === "accepted" && row.endDate >= today,
  }));
}

/**
 * The caller accepts or declines one of their own invitations. Someone else's (or none) is
 * NotFoundError; one already answered is "answered"; accepting when every place is filled is
 * "full". The need's row is locked, so two people accepting the last place cannot both get it.
 * "closed" (review of issue 14, finding 4): after the need's last date nothing can be answered, and
 * a paused profile cannot accept (it may decline); the profile's row is locked against a pause.
 * "cancel": after accepting, until the need's last date, the caller says they can no longer help:
 * the invitation becomes declined (cancelled_at set), the place is open again, and the Reservist
 * bank team is emailed (the need, not the person's name).
 */
export async function answerInvitation(
  caller: CurrentUser,
  invitationId: number,
  answer: "accept" | "decline" | "cancel",
  now = new Date(),
): Promise<void> {
  if (!Number.isSafeInteger(invitationId) || invitationId <= 0) throw new NotFoundError();
  if (answer === "cancel") return cancelAcceptance(caller, invitationId, now);
  await getDb().transaction(async (tx) => {
    const needId = await myInvitationNeedId(tx, caller, invitationId);
    const [need] = await tx
      .select({ placesWanted: reservistNeeds.placesWanted, endDate: reservistNeeds.endDate })
      .from(reservistNeeds)
      .where(eq(reservistNeeds.id, needId))
      .for("update");
    const [profile] = await tx
      .select({ pausedAt: reservists.pausedAt })
      .from(reservists)
      .where(eq(reservists.userId, caller.id))
      .for("update");
    const invitation = await invitationStatusOf(tx, invitationId);
    if (!need || !invitation || !profile) throw new NotFoundError();
    if (invitation.status === "withdrawn") {
      throw new ReservistError("answered", "The reservist bank team has withdrawn this invitation");
    }
    if (invitation.status !== "invited") {
      throw new ReservistError("answered", `You have already ${invitation.status} this invitation`);
    }
    const closed = invitationClosed(need.endDate, profile.pausedAt, londonDate(now));
    if (closed === "ended" || (closed === "paused" && answer === "accept")) {
      throw new ReservistError("closed", CLOSED_WORDS[closed]);
    }
    if (answer === "accept") {
      const [{ filled }] = await tx
        .select({ filled: sql<number>`count(*)::int` })
        .from(reservistInvitations)
        .where(and(eq(reservistInvitations.needId, needId), eq(reservistInvitations.status, "accepted")));
      if (filled >= need.placesWanted) {
        throw new ReservistError("full", "Every place for this need has been filled. Thank you for offering.");
      }
    }
    const status = answer === "accept" ? "accepted" : "declined";
    await tx
      .update(reservistInvitations)
      .set({ status, respondedAt: now })
      .where(eq(reservistInvitations.id, invitationId));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist_need",
        entityId: needId,
        action: `invitation_${status}`,
        summary: `A reservist ${status} an invitation`,
        before: { invitation: invitationId, status: "invited" },
        after: { invitation: invitationId, status },
      },
      now,
    );
  });
}

/** The need of one of the caller's own invitations: anyone else's (or none) is NotFoundError. */
async function myInvitationNeedId(tx: Tx, caller: CurrentUser, invitationId: number): Promise<number> {
  const [mine] = await tx
    .select({ needId: reservistInvitations.needId })
    .from(reservistInvitations)
    .where(and(eq(reservistInvitations.id, invitationId), eq(reservistInvitations.reservistUserId, caller.id)));
  if (!mine) throw new NotFoundError();
  return mine.needId;
}

/** An invitation's status, read once its need's row is locked (so no other answer is in flight). */
async function invitationStatusOf(tx: Tx, invitationId: number) {
  const [invitation] = await tx
    .select({ status: reservistInvitations.status })
    .from(reservistInvitations)
    .where(eq(reservistInvitations.id, invitationId));
  return invitation;
}

/** answerInvitation's "cancel": an accepted place given back before the need has ended. */
async function cancelAcceptance(caller: CurrentUser, invitationId: number, now: Date): Promise<void> {
  await getDb().transaction(async (tx) => {
    const needId = await myInvitationNeedId(tx, caller, invitationId);
    const [need] = await tx
      .select({
        endDate: reservistNeeds.endDate,
        startDate: reservistNeeds.startDate,
        place: reservistNeeds.place,
        organisationName: organisations.name,
      })
      .from(reservistNeeds)
      .innerJoin(organisations, eq(organisations.id, reservistNeeds.organisationId))
      .where(eq(reservistNeeds.id, needId))
      .for("update", { of: reservistNeeds });
    const invitation = await invitationStatusOf(tx, invitationId);
    if (!need || !invitation) throw new NotFoundError();
    if (invitation.status !== "accepted") {
      throw new ReservistError("answered", "Only a place you have accepted can be given back");
    }
    if (need.endDate < londonDate(now)) throw new ReservistError("closed", CLOSED_WORDS.ended);
    await tx
      .update(reservistInvitations)
      .set({ status: "declined", respondedAt: now, cancelledAt: now })
      .where(eq(reservistInvitations.id, invitationId));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist_need",
        entityId: needId,
        action: "invitation_cancelled",
        summary: "A reservist who had accepted can no longer help",
        before: { invitation: invitationId, status: "accepted" },
        after: { invitation: invitationId, status: "declined", cancelled: true },
      },
      now,
    );
    // The team must know the place is open again; the mail names the need, not the person.
    const [reservistTeam] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, RESERVIST_TEAM_SLUG));
    const team = reservistTeam ? await teamMembersOfTeam(reservistTeam.id, tx) : [];
    const { APP_URL } = env();
    for (const member of team) {
      await enqueueMail(tx, {
        to: member.email,
        subject: "StayWell reservist bank: a place is open again",
        text: `Hello ${member.name},\n\nA reservist who accepted a place at ${need.organisationName} (${need.place}), ${need.startDate} to ${need.endDate}, has told us they can no longer help. The place is open again.\n\nSee the need and invite someone else:\n\n${APP_URL}/hub/reservists/needs/${needId}`,
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// the Reservist bank team: needs, matches, invitations

export const NEEDS_PAGE_SIZE = 20;
export const MATCHES_LIMIT = 50;

export interface NeedSummary {
  id: number;
  organisationName: string;
  place: string;
  staffGroup: string;
  startDate: string;
  endDate: string;
  hoursPerWeek: number;
  placesWanted: number;
  filled: number;
  invited: number;
  reason: string;
  /** Days of the week the work is on; empty: any day. */
  days: string[];
  closedAt: Date | null;
}

const filledSql = sql<number>`(select count(*)::int from ${reservistInvitations} i where i.need_id = ${reservistNeeds.id} and i.status = 'accepted')`;
const invitedSql = sql<number>`(select count(*)::int from ${reservistInvitations} i where i.need_id = ${reservistNeeds.id} and i.status = 'invited')`;

/** Needs, newest first, a page at a time (the Reservist bank team only; 404 for anyone else). */
export async function listNeeds(caller: CurrentUser, page = 1): Promise<{ needs: NeedSummary[]; hasMore: boolean }> {
  await requireReservistCoordinator(caller);
  const offset = (Math.max(1, Math.min(page, 10_000)) - 1) * NEEDS_PAGE_SIZE;
  const rows = await getDb()
    .select({
      id: reservistNeeds.id,
      organisationName: organisations.name,
      place: reservistNeeds.place,
      staffGroup: reservistNeeds.staffGroup,
      startDate: reservistNeeds.startDate,
      endDate: reservistNeeds.endDate,
      hoursPerWeek: reservistNeeds.hoursPerWeek,
      placesWanted: reservistNeeds.placesWanted,
      reason: reservistNeeds.reason,
      days: reservistNeeds.days,
      closedAt: reservistNeeds.closedAt,
      filled: filledSql,
      invited: invitedSql,
    })
    .from(reservistNeeds)
    .innerJoin(organisations, eq(organisations.id, reservistNeeds.organisationId))
    .where(reservistCoordinatorCondition(caller))
    .orderBy(desc(reservistNeeds.createdAt), desc(reservistNeeds.id))
    .limit(NEEDS_PAGE_SIZE + 1)
    .offset(offset);
  return { needs: rows.slice(0, NEEDS_PAGE_SIZE), hasMore: rows.length > NEEDS_PAGE_SIZE };
}

/** Posts a need (the Reservist bank team only). Returns its id. */
export async function createNeed(caller: CurrentUser, input: ReservistNeedInput, now = new Date()): Promise<number> {
  await requireReservistCoordinator(caller);
  return getDb().transaction(async (tx) => {
    await checkChoices(tx, input.skills, [input.organisationId], "organisationId");
    const [need] = await tx
      .insert(reservistNeeds)
      .values({
        organisationId: input.organisationId,
        place: input.place,
        staffGroup: input.staffGroup,
        registrationBody: input.registrationBody,
        startDate: input.startDate,
        endDate: input.endDate,
        hoursPerWeek: input.hoursPerWeek,
        placesWanted: input.placesWanted,
        reason: input.reason,
        days: input.days,
        createdById: caller.id,
        createdAt: now,
      })
      .returning({ id: reservistNeeds.id });
    await tx
      .insert(reservistNeedSkills)
      .values([...new Set(input.skills)].map((skillId) => ({ needId: need.id, skillId })));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist_need",
        entityId: need.id,
        action: "created",
        summary: `Posted a reservist need: ${input.placesWanted} × ${staffGroupLabel(input.staffGroup)}, ${needReasonLabel(input.reason)}`,
        after: {
          organisationId: input.organisationId,
          place: input.place,
          startDate: input.startDate,
          endDate: input.endDate,
          placesWanted: input.placesWanted,
          days: input.days,
        },
      },
      now,
    );
    return need.id;
  });
}

export interface Match {
  userId: string;
  name: string;
  staffGroup: string;
  registrationBody: string;
  registrationNumber: string | null;
  hoursPerWeek: number;
  availableFrom: string;
  availableUntil: string | null;
  dbsCurrent: boolean;
  skillsMatched: number;
  skillLabels: string[];
  willing: boolean;
  /** Share of the need's dates inside the reservist's availability, 0–100. */
  coverPercent: number;
  /** The need's days this person can work (all their days when the need names none). */
  days: string[];
  score: number;
  invitation: InvitationStatus | null;
  /**
   * The same registration (body and normalised number) is also on another profile whose account is
   * not disabled or erased: the coordinator checks the register before inviting. Never shown to the
   * reservists themselves.
   */
  registrationShared: boolean;
}

export interface NeedDetail extends NeedSummary {
  organisationId: number;
  registrationBody: string | null;
  skills: Choice[];
  createdAt: Date;
}

async function needVisibleTo(caller: CurrentUser, needId: number): Promise<NeedDetail> {
  if (!Number.isSafeInteger(needId) || needId <= 0) throw new NotFoundError();
  const [need] = await getDb()
    .select({
      id: reservistNeeds.id,
      organisationId: reservistNeeds.organisationId,
      organisationName: organisations.name,
      place: reservistNeeds.place,
      staffGroup: reservistNeeds.staffGroup,
      registrationBody: reservistNeeds.registrationBody,
      startDate: reservistNeeds.startDate,
      endDate: reservistNeeds.endDate,
      hoursPerWeek: reservistNeeds.hoursPerWeek,
      placesWanted: reservistNeeds.placesWanted,
      reason: reservistNeeds.reason,
      days: reservistNeeds.days,
      closedAt: reservistNeeds.closedAt,
      createdAt: reservistNeeds.createdAt,
      filled: filledSql,
      invited: invitedSql,
    })
    .from(reservistNeeds)
    .innerJoin(organisations, eq(organisations.id, reservistNeeds.organisationId))
    .where(and(eq(reservistNeeds.id, needId), reservistCoordinatorCondition(caller)));
  if (!need) throw new NotFoundError();
  const skills = await getDb()
    .select({ id: reservistSkills.id, label: reservistSkills.label })
    .from(reservistNeedSkills)
    .innerJoin(reservistSkills, eq(reservistSkills.id, reservistNeedSkills.skillId))
    .where(eq(reservistNeedSkills.needId, needId))
    .orderBy(asc(reservistSkills.label));
  return { ...need, skills };
}

interface MatchRow {
  user_id: string;
  name: string;
  staff_group: string;
  registration_body: string;
  registration_number: string | null;
  hours_per_week: number;
  available_from: string;
  available_until: string | null;
  dbs_current: boolean;
  days: string[];
  skills_matched: number;
  skill_labels: string[] | null;
  willing: boolean;
  cover_percent: number;
  score: number;
  invitation: InvitationStatus | null;
  registration_shared: boolean;
}

/** A text[] literal of known day values (each a bound parameter). */
function daysArray(days: string[]) {
  return sql`array[${sql.join(
    days.map((d) => sql`${d}`),
    sql`, `,
  )}]::text[]`;
}

/**
 * The reservists who match a need, best fit first. Left out: paused profiles, disabled or erased
 * accounts, profiles not confirmed for CONFIRM_EVERY_MONTHS months + CONFIRM_GRACE_DAYS days,
 * people who have left (leaving date passed) without a verified personal address, availability
 * that does not overlap the need's dates, a registration the need requires and they do not hold,
 * anyone sharing none of its skills, and — when the need names days — anyone who can work none of
 * them. Ranked by: skills matched (10 each), willing to work at the need's organisation (20), share
 * of the need's dates they cover (up to 10), share of the need's days they can work (up to 5), the
 * same staff group (5), offering at least the hours asked (3).
 *
 * Set-based (ADR 040 addendum, docs/performance/reservist-matching.md): it starts from the need's
 * few skills, finds who offers them through reservist_skill_choices (skill_id, user_id) and groups
 * once; everything else is a join by primary or unique key. MATCHES_LIMIT rows; only those kept
 * are looked up in reservists_registration_idx for a registration shared with another profile.
 * `onlyUserIds`: restrict to these people (inviting re-checks that each still matches).
 */
async function matchesFor(db: Tx | ReturnType<typeof getDb>, need: NeedDetail, now: Date, onlyUserIds?: string[]) {
  const today = londonDate(now);
  const start = sql`${need.startDate}::date`;
  const end = sql`${need.endDate}::date`;
  const span = sql`(${end} - ${start} + 1)`;
  const covered = sql`greatest(0, least(coalesce(r.available_until, ${end}), ${end}) - greatest(r.available_from, ${start}) + 1)`;
  const needDays = WEEK_DAYS.map((d) => d.value as string).filter((d) => need.days.includes(d));
  // How many of the need's days the person can work: one CASE per named day, no subquery.
  const daysMatched = needDays.length
    ? sql.join(
        needDays.map((d) => sql`(case when ${d} = any(r.days) then 1 else 0 end)`),
        sql` + `,
      )
    : sql`0`;
  const dayCondition = needDays.length ? sql`and r.days && ${daysArray(needDays)}` : sql``;
  const only = onlyUserIds
    ? onlyUserIds.length
      ? sql`and c.user_id in (${sql.join(
          onlyUserIds.map((id) => sql`${id}`),
          sql`, `,
        )})`
      : sql`and false`
    : sql``;
  return queryRows<MatchRow>(
    db,
    sql`
      with skilled as (
        select c.user_id, count(*)::int as skills_matched, array_agg(s.label order by s.label) as skill_labels
          from reservist_need_skills ns
          join reservist_skill_choices c on c.skill_id = ns.skill_id
          join reservist_skills s on s.id = ns.skill_id
         where ns.need_id = ${need.id}
           ${only}
         group by c.user_id
      ),
      m as (
        select r.user_id, u.name, r.staff_group, r.registration_body, r.registration_number, r.hours_per_week,
               r.available_from::text as available_from, r.available_until::text as available_until, r.dbs_current,
               r.days, k.skills_matched, k.skill_labels,
               (p.user_id is not null) as willing,
               (100 * ${covered} / ${span})::int as cover_percent,
               (${daysMatched}) as days_matched,
               (r.staff_group = ${need.staffGroup}) as same_group,
               (r.hours_per_week >= ${need.hoursPerWeek}) as enough_hours,
               i.status::text as invitation
          from skilled k
          join reservists r on r.user_id = k.user_id
          join users u on u.id = r.user_id
          left join reservist_places p on p.user_id = r.user_id and p.organisation_id = ${need.organisationId}
          left join reservist_invitations i on i.need_id = ${need.id} and i.reservist_user_id = r.user_id
          -- Someone whose leaving date has passed is reachable only at a verified personal address
          -- (consent withdrawn or expired: the row is deleted); a questionnaire about an organisation
          -- they have since moved from does not make them a leaver. The same rule as
          -- reservistMailAddressSql, written as joins so matching has no per-row subquery.
          left join leaving_responses lr on lr.user_id = r.user_id and lr.leaving_date < ${today}::date
                                        and lr.organisation_id = u.organisation_id
          left join leaving_contacts lc on lc.response_id = lr.id and lc.verified_at is not null
         where r.paused_at is null
           and u.disabled_at is null and u.erased_at is null
           and (lr.id is null or lc.id is not null)
           and ((r.last_confirmed_at at time zone 'Europe/London')::date
                + make_interval(months => ${CONFIRM_EVERY_MONTHS}::int))::date + ${CONFIRM_GRACE_DAYS}::int >= ${today}::date
           and r.available_from <= ${end}
           and (r.available_until is null or r.available_until >= ${start})
           and (${need.registrationBody}::text is null or r.registration_body = ${need.registrationBody}::text)
           ${dayCondition}
      ),
      ranked as (
        select *, (10 * skills_matched + case when willing then 20 else 0 end + cover_percent / 10
                   + ${needDays.length ? sql`(5 * days_matched) / ${needDays.length}::int` : sql`0`}
                   + case when same_group then 5 else 0 end + case when enough_hours then 3 else 0 end)::int as score
          from m
         order by score desc, name, user_id
         limit ${MATCHES_LIMIT}
      )
      -- Numbers are not unique (a squatter must not lock the holder out): flag one that is also on
      -- another live account's profile. One lookup on reservists_registration_idx per row kept.
      select t.*, (t.registration_number is not null and exists (
               select 1
                 from reservists o
                 join users ou on ou.id = o.user_id
                where o.registration_body = t.registration_body and o.registration_number = t.registration_number
                  and o.user_id <> t.user_id and ou.disabled_at is null and ou.erased_at is null
             )) as registration_shared
        from ranked t
       order by t.score desc, t.name, t.user_id`,
  );
}

function toMatch(row: MatchRow, need: NeedDetail): Match {
  return {
    userId: row.user_id,
    name: row.name,
    staffGroup: row.staff_group,
    registrationBody: row.registration_body,
    registrationNumber: row.registration_number,
    hoursPerWeek: Number(row.hours_per_week),
    availableFrom: row.available_from,
    availableUntil: row.available_until,
    dbsCurrent: row.dbs_current,
    skillsMatched: Number(row.skills_matched),
    skillLabels: row.skill_labels ?? [],
    willing: row.willing,
    coverPercent: Number(row.cover_percent),
    days: need.days.length ? row.days.filter((d) => need.days.includes(d)) : row.days,
    score: Number(row.score),
    invitation: row.invitation,
    registrationShared: row.registration_shared,
  };
}

export interface InvitedPerson {
  id: number;
  name: string | null;
  status: InvitationStatus;
  createdAt: Date;
  respondedAt: Date | null;
  withdrawnAt: Date | null;
  /** Accepted, then the reservist said they can no longer help. */
  cancelledAt: Date | null;
}

/** Why a need takes no more invitations (closed early, its last date passed, every place filled), or null. */
export type NeedShut = "closed" | "ended" | "full" | null;

export interface NeedState {
  shut: NeedShut;
  /** How many more people may be invited now (INVITATIONS_PER_PLACE per place, less the open and accepted). */
  canInvite: number;
}

function needState(
  need: { closedAt: Date | null; endDate: string; placesWanted: number; filled: number; invited: number },
  now: Date,
): NeedState {
  const shut: NeedShut = need.closedAt
    ? "closed"
    : need.endDate < londonDate(now)
      ? "ended"
      : need.filled >= need.placesWanted
        ? "full"
        : null;
  const canInvite = shut ? 0 : Math.max(0, need.placesWanted * INVITATIONS_PER_PLACE - need.filled - need.invited);
  return { shut, canInvite };
}

/** One need with its matches and invitations (the Reservist bank team only; 404 otherwise). */
export async function loadNeed(
  caller: CurrentUser,
  needId: number,
  now = new Date(),
): Promise<{ need: NeedDetail; state: NeedState; matches: Match[]; invitations: InvitedPerson[] }> {
  await requireReservistCoordinator(caller);
  const need = await needVisibleTo(caller, needId);
  const [rows, invitations] = await Promise.all([
    matchesFor(getDb(), need, now),
    getDb()
      .select({
        id: reservistInvitations.id,
        name: users.name,
        status: reservistInvitations.status,
        createdAt: reservistInvitations.createdAt,
        respondedAt: reservistInvitations.respondedAt,
        withdrawnAt: reservistInvitations.withdrawnAt,
        cancelledAt: reservistInvitations.cancelledAt,
      })
      .from(reservistInvitations)
      .leftJoin(users, eq(users.id, reservistInvitations.reservistUserId))
      .where(eq(reservistInvitations.needId, need.id))
      .orderBy(asc(reservistInvitations.createdAt), asc(reservistInvitations.id))
      .limit(500),
  ]);
  return { need, state: needState(need, now), matches: rows.map((r) => toMatch(r, need)), invitations };
}

/** Locks the need's row (answers, invitations, withdrawals and closing queue on it) and reads its counts. */
async function lockNeed(tx: Tx, needId: number) {
  const [row] = await tx
    .select({
      closedAt: reservistNeeds.closedAt,
      endDate: reservistNeeds.endDate,
      placesWanted: reservistNeeds.placesWanted,
    })
    .from(reservistNeeds)
    .where(eq(reservistNeeds.id, needId))
    .for("update");
  if (!row) throw new NotFoundError();
  const [counts] = await tx
    .select({
      filled: sql<number>`(count(*) filter (where ${reservistInvitations.status} = 'accepted'))::int`,
      invited: sql<number>`(count(*) filter (where ${reservistInvitations.status} = 'invited'))::int`,
    })
    .from(reservistInvitations)
    .where(eq(reservistInvitations.needId, needId));
  return { ...row, filled: Number(counts?.filled ?? 0), invited: Number(counts?.invited ?? 0) };
}

const SHUT_WORDS: Record<Exclude<NeedShut, null>, string> = {
  closed: "This need has been closed: nobody more can be invited",
  ended: "This need's last date has passed: nobody more can be invited",
  full: "Every place for this need has been filled: nobody more can be invited",
};

/**
 * Where bank mail goes now, per person: the account's address, or — once their leaving date has
 * passed — their verified personal address (none: withdrawn, expired or never verified). Read at
 * send time, so a withdrawn consent is respected at once.
 */
async function bankAddresses(
  tx: Tx,
  userIds: string[],
  now: Date,
): Promise<Map<string, { email: string; name: string }>> {
  if (!userIds.length) return new Map();
  const rows = await tx
    // Qualified by hand: drizzle leaves a one-table select's columns bare, and the helper's subquery
    // has its own "id".
    .select({ userId: users.id, name: users.name, email: reservistMailAddressSql(sql`${users}.id`, londonDate(now)) })
    .from(users)
    .where(inArray(users.id, userIds));
  const out = new Map<string, { email: string; name: string }>();
  for (const r of rows) if (r.email) out.set(r.userId, { email: r.email, name: r.name });
  return out;
}

/**
 * Invites the chosen reservists to a need: each must still match it (not paused, confirmed,
 * reachable, available, …); anyone already invited is skipped. Refused when the need is closed, its
 * last date has passed or every place is filled, and when the invitations would pass
 * INVITATIONS_PER_PLACE per place (open and accepted ones count). Each gets an email at their bank
 * address. Returns how many were invited. The Reservist bank team only (404 otherwise).
 */
export async function inviteReservists(
  caller: CurrentUser,
  needId: number,
  userIds: string[],
  now = new Date(),
): Promise<number> {
  await requireReservistCoordinator(caller);
  const need = await needVisibleTo(caller, needId);
  const wanted = [...new Set(userIds)].slice(0, MATCHES_LIMIT);
  if (!wanted.length) throw new ReservistError("invalid", "Select who to invite", { invite: "Select who to invite" });
  return getDb().transaction(async (tx) => {
    const state = needState(await lockNeed(tx, need.id), now);
    if (state.shut) throw new ReservistError("closed", SHUT_WORDS[state.shut], { invite: SHUT_WORDS[state.shut] });
    const matching = (await matchesFor(tx, need, now, wanted)).filter((m) => m.invitation === null);
    // Checked again here, at send time: a match with no address to write to is not invited.
    const addresses = await bankAddresses(
      tx,
      matching.map((m) => m.user_id),
      now,
    );
    const reachable = matching.filter((m) => addresses.has(m.user_id));
    if (!reachable.length) {
      throw new ReservistError("invalid", "Select people from the list of matches who have not been invited", {
        invite: "Select people from the list of matches who have not been invited",
      });
    }
    if (reachable.length > state.canInvite) {
      const message =
        state.canInvite === 0
          ? `This need has as many open and accepted invitations as it may have (${INVITATIONS_PER_PLACE} for each place): wait for answers, or withdraw an invitation`
          : `You can invite ${state.canInvite} more ${state.canInvite === 1 ? "person" : "people"} to this need (${INVITATIONS_PER_PLACE} for each place, counting open and accepted invitations): select fewer`;
      throw new ReservistError("too_many", message, { invite: message });
    }
    const inserted = await tx
      .insert(reservistInvitations)
      .values(
        reachable.map((m) => ({ needId: need.id, reservistUserId: m.user_id, invitedById: caller.id, createdAt: now })),
      )
      .onConflictDoNothing()
      .returning({ userId: reservistInvitations.reservistUserId });
    const invitedIds = inserted.map((r) => r.userId).filter((id): id is string => id !== null);
    if (!invitedIds.length) return 0;
    const { APP_URL } = env();
    for (const userId of invitedIds) {
      const c = addresses.get(userId)!;
      await enqueueMail(tx, {
        to: c.email,
        userId,
        subject: "StayWell reservist bank: you are invited to help",
        text: `Hello ${c.name},\n\nThe StayWell reservist bank team would like to invite you to help at ${need.organisationName} (${need.place}) from ${need.startDate} to ${need.endDate}, about ${need.hoursPerWeek} hours a week (${needReasonLabel(need.reason)}).\n\nTo accept or decline, sign in and open:\n\n${APP_URL}/reservists/invitations\n\nYou can also pause your profile or leave the bank there at any time.`,
      });
    }
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist_need",
        entityId: need.id,
        action: "invited",
        summary: `Invited ${invitedIds.length} ${invitedIds.length === 1 ? "reservist" : "reservists"} to a need`,
        after: { invited: invitedIds.length, userIds: invitedIds },
      },
      now,
    );
    return invitedIds.length;
  });
}

/**
 * Withdraws one unanswered invitation to a need: the reservist sees it as withdrawn and can no
 * longer answer it. NotFoundError for an invitation not on this need (or a need outside the team);
 * "answered" when it has already been answered or withdrawn.
 */
export async function withdrawInvitation(
  caller: CurrentUser,
  needId: number,
  invitationId: number,
  now = new Date(),
): Promise<void> {
  await requireReservistCoordinator(caller);
  const need = await needVisibleTo(caller, needId);
  if (!Number.isSafeInteger(invitationId) || invitationId <= 0) throw new NotFoundError();
  await getDb().transaction(async (tx) => {
    await lockNeed(tx, need.id);
    const [invitation] = await tx
      .select({ status: reservistInvitations.status, userId: reservistInvitations.reservistUserId })
      .from(reservistInvitations)
      .where(and(eq(reservistInvitations.id, invitationId), eq(reservistInvitations.needId, need.id)));
    if (!invitation) throw new NotFoundError();
    if (invitation.status !== "invited") {
      throw new ReservistError("answered", `This invitation has already been ${invitation.status}`);
    }
    await tx
      .update(reservistInvitations)
      .set({ status: "withdrawn", withdrawnAt: now })
      .where(eq(reservistInvitations.id, invitationId));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist_need",
        entityId: need.id,
        action: "invitation_withdrawn",
        summary: "Withdrew an unanswered invitation",
        before: { invitation: invitationId, userId: invitation.userId, status: "invited" },
        after: { invitation: invitationId, userId: invitation.userId, status: "withdrawn" },
      },
      now,
    );
  });
}

/**
 * Closes a need early: no more invitations or acceptances; its unanswered invitations become
 * withdrawn (accepted ones stay). Returns how many were withdrawn. "closed" if already closed.
 */
export async function closeNeed(caller: CurrentUser, needId: number, now = new Date()): Promise<number> {
  await requireReservistCoordinator(caller);
  const need = await needVisibleTo(caller, needId);
  return getDb().transaction(async (tx) => {
    const locked = await lockNeed(tx, need.id);
    if (locked.closedAt) throw new ReservistError("closed", "This need is already closed");
    await tx.update(reservistNeeds).set({ closedAt: now }).where(eq(reservistNeeds.id, need.id));
    const withdrawn = await tx
      .update(reservistInvitations)
      .set({ status: "withdrawn", withdrawnAt: now })
      .where(and(eq(reservistInvitations.needId, need.id), eq(reservistInvitations.status, "invited")))
      .returning({ userId: reservistInvitations.reservistUserId });
    const userIds = withdrawn.map((w) => w.userId).filter((id): id is string => id !== null);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist_need",
        entityId: need.id,
        action: "closed",
        summary: `Closed a need early (${locked.filled} of ${locked.placesWanted} filled; ${withdrawn.length} unanswered ${withdrawn.length === 1 ? "invitation" : "invitations"} withdrawn)`,
        after: { closed: true, filled: locked.filled, withdrawn: withdrawn.length, userIds },
      },
      now,
    );
    return withdrawn.length;
  });
}

// ---------------------------------------------------------------------------------------------
// the 3-monthly reminder (a daily job, claimed once across instances)

export const RESERVIST_REMINDER_JOB = "reservist-confirm-reminder";
/** At most this many reminders a run (the rest go the next day). */
export const REMINDERS_PER_RUN = 2000;

/**
 * Once per London day across every instance: claims (job, date) in job_runs in the same
 * transaction that enqueues the mail (as the digest does), then reminds every profile last
 * confirmed 3 or more months ago that has not been reminded since — so nobody is reminded twice
 * for one confirmation. Mail goes to the address valid today (reservistMailAddressSql); a profile
 * with none is left out (not marked reminded), so it is reminded if an address comes back.
 * Returns the number reminded, or null when another run had the day.
 */
export async function sendReservistReminders(now = new Date()): Promise<number | null> {
  const today = londonDate(now);
  const dueBefore = new Date(now);
  dueBefore.setUTCMonth(dueBefore.getUTCMonth() - CONFIRM_EVERY_MONTHS);
  return getDb().transaction(async (tx) => {
    const claimed = await tx
      .insert(jobRuns)
      .values({ name: RESERVIST_REMINDER_JOB, runKey: today, startedAt: now })
      .onConflictDoNothing()
      .returning({ runKey: jobRuns.runKey });
    if (!claimed.length) return null;
    const address = reservistMailAddressSql(reservists.userId, today);
    const due = await tx
      .select({ userId: reservists.userId, email: address, name: users.name })
      .from(reservists)
      .innerJoin(users, eq(users.id, reservists.userId))
      .where(
        and(
          isNull(reservists.reminderSentAt),
          lt(reservists.lastConfirmedAt, dueBefore),
          isNull(users.disabledAt),
          isNull(users.erasedAt),
          sql`${address} is not null`,
        ),
      )
      .orderBy(asc(reservists.lastConfirmedAt))
      .limit(REMINDERS_PER_RUN)
      .for("update", { of: reservists, skipLocked: true });
    const { APP_URL } = env();
    for (const r of due) {
      await enqueueMail(tx, {
        to: r.email!,
        userId: r.userId,
        subject: "StayWell reservist bank: please confirm your details",
        text: `Hello ${r.name},\n\nIt is ${CONFIRM_EVERY_MONTHS} months since you last confirmed your reservist bank profile. Please check your availability and skills are still right, and confirm them:\n\n${APP_URL}/reservists\n\nIf you no longer want to be asked to help, you can pause your profile or leave the bank on the same page.`,
      });
    }
    if (due.length) {
      await tx
        .update(reservists)
        .set({ reminderSentAt: now })
        .where(
          inArray(
            reservists.userId,
            due.map((r) => r.userId),
          ),
        );
    }
    await tx
      .update(jobRuns)
      .set({ finishedAt: new Date(), result: { reminded: due.length } })
      .where(and(eq(jobRuns.name, RESERVIST_REMINDER_JOB), eq(jobRuns.runKey, today)));
    return due.length;
  });
}

/** Whether today's reminder run has been claimed (one primary-key lookup, for the scheduler). */
export async function reservistRemindersRanToday(now: Date): Promise<boolean> {
  const [row] = await getDb()
    .select({ runKey: jobRuns.runKey })
    .from(jobRuns)
    .where(and(eq(jobRuns.name, RESERVIST_REMINDER_JOB), eq(jobRuns.runKey, londonDate(now))))
    .limit(1);
  return row !== undefined;
}
