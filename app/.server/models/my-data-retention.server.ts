// "Download your data": the person's first-year check-ins and their reservist bank profile and
// invitations (issue 14, privacy), kept apart from the requests part (my-data.server.ts) as the
// account part is. Every query is keyed by the caller's id in the query itself (check_ins.user_id,
// reservists.user_id, reservist_invitations.reservist_user_id): nobody else's can come out. Of an
// invitation's need only what the person was shown is included (organisation, place, dates,
// hours, reason), never who else was invited or who posted it; the insights' record keys never.
import { and, asc, desc, eq } from "drizzle-orm";
import { getDb } from "@db/current";
import { checkIns, organisations, reservistInvitations, reservistNeeds, supportRequests, users } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { CHECK_IN_QUESTIONS, HAS_WHAT_NEEDED, THINKING_OF_LEAVING } from "~/lib/check-ins";
import { needReasonLabel, registrationLabel, WEEK_DAYS } from "~/lib/reservists";
import { staffGroupLabel } from "~/lib/staff-groups";
import { myReservistProfile } from "./reservists.server";

export interface ExportedCheckIn {
  point: string;
  dueOn: string;
  sentAt: string;
  expiresAt: string;
  answeredAt: string | null;
  /** The coded answers in words (what the person wrote went into the request, exported there). */
  answers: { question: string; answer: string }[];
  /** The support request the answer created (contact wanted), if any. */
  requestReference: string | null;
}

export interface ExportedReservist {
  registrationBody: string;
  registrationNumber: string | null;
  staffGroup: string;
  skills: string[];
  organisations: string[];
  hoursPerWeek: number;
  days: string[];
  availableFrom: string;
  availableUntil: string | null;
  dbsCheckCurrent: boolean;
  /** Where bank mail goes today (worked out, not stored); null: nowhere. */
  contactEmail: string | null;
  pausedAt: string | null;
  lastConfirmedAt: string;
}

export interface ExportedReservistInvitation {
  organisation: string;
  place: string;
  startDate: string;
  endDate: string;
  hoursPerWeek: number;
  reason: string;
  invitedAt: string;
  answer: string;
  answeredAt: string | null;
}

export interface ExportedRetentionRecords {
  firstYearCheckIns: { turnedOn: boolean; checkIns: ExportedCheckIn[] };
  /** Your reservist bank profile, or null if you are not in the bank. */
  reservistProfile: ExportedReservist | null;
  reservistInvitations: ExportedReservistInvitation[];
}

const labelOf = (list: readonly { value: string; label: string }[], value: string) =>
  list.find((o) => o.value === value)?.label ?? value;

const INVITATION_ANSWERS: Record<string, string> = {
  invited: "Not answered",
  accepted: "Accepted",
  declined: "Declined",
  withdrawn: "Withdrawn by the reservist bank team",
};

export async function collectRetentionRecords(caller: CurrentUser): Promise<ExportedRetentionRecords> {
  const db = getDb();
  const [[me], mine, profile, invitations] = await Promise.all([
    db.select({ turnedOn: users.firstYearCheckIns }).from(users).where(eq(users.id, caller.id)).limit(1),
    db
      .select({
        point: checkIns.pointLabel,
        dueOn: checkIns.dueOn,
        sentAt: checkIns.sentAt,
        expiresAt: checkIns.expiresAt,
        answeredAt: checkIns.answeredAt,
        workScore: checkIns.workScore,
        supportedScore: checkIns.supportedScore,
        hasWhatNeeded: checkIns.hasWhatNeeded,
        thinkingOfLeaving: checkIns.thinkingOfLeaving,
        contactWanted: checkIns.contactWanted,
        reference: supportRequests.reference,
      })
      .from(checkIns)
      // The request must be the caller's own too (it always is; the join says so in the query).
      .leftJoin(
        supportRequests,
        and(eq(supportRequests.id, checkIns.requestId), eq(supportRequests.requesterId, caller.id)),
      )
      .where(eq(checkIns.userId, caller.id))
      .orderBy(asc(checkIns.sentAt), asc(checkIns.pointDays)),
    myReservistProfile(caller),
    db
      .select({
        organisation: organisations.name,
        place: reservistNeeds.place,
        startDate: reservistNeeds.startDate,
        endDate: reservistNeeds.endDate,
        hoursPerWeek: reservistNeeds.hoursPerWeek,
        reason: reservistNeeds.reason,
        status: reservistInvitations.status,
        createdAt: reservistInvitations.createdAt,
        respondedAt: reservistInvitations.respondedAt,
        cancelledAt: reservistInvitations.cancelledAt,
      })
      .from(reservistInvitations)
      .innerJoin(reservistNeeds, eq(reservistNeeds.id, reservistInvitations.needId))
      .innerJoin(organisations, eq(organisations.id, reservistNeeds.organisationId))
      .where(eq(reservistInvitations.reservistUserId, caller.id))
      .orderBy(desc(reservistInvitations.createdAt), desc(reservistInvitations.id)),
  ]);
  if (!me) throw new Response("Not found", { status: 404 });

  return {
    firstYearCheckIns: {
      turnedOn: me.turnedOn,
      checkIns: mine.map((c) => ({
        point: c.point,
        dueOn: c.dueOn,
        sentAt: c.sentAt.toISOString(),
        expiresAt: c.expiresAt.toISOString(),
        answeredAt: c.answeredAt?.toISOString() ?? null,
        answers: c.answeredAt
          ? [
              { question: CHECK_IN_QUESTIONS.workScore, answer: `${c.workScore} out of 5` },
              { question: CHECK_IN_QUESTIONS.supportedScore, answer: `${c.supportedScore} out of 5` },
              {
                question: CHECK_IN_QUESTIONS.hasWhatNeeded,
                answer: c.hasWhatNeeded ? labelOf(HAS_WHAT_NEEDED, c.hasWhatNeeded) : "Not answered",
              },
              {
                question: CHECK_IN_QUESTIONS.thinkingOfLeaving,
                answer: c.thinkingOfLeaving ? labelOf(THINKING_OF_LEAVING, c.thinkingOfLeaving) : "Not answered",
              },
              { question: CHECK_IN_QUESTIONS.contactWanted, answer: c.contactWanted ? "Yes" : "No" },
            ]
          : [],
        requestReference: c.reference,
      })),
    },
    reservistProfile: profile
      ? {
          registrationBody: registrationLabel(profile.registrationBody),
          registrationNumber: profile.registrationNumber,
          staffGroup: staffGroupLabel(profile.staffGroup),
          skills: profile.skills.map((s) => s.label),
          organisations: profile.organisations.map((o) => o.label),
          hoursPerWeek: profile.hoursPerWeek,
          days: profile.days.map((d) => labelOf(WEEK_DAYS, d)),
          availableFrom: profile.availableFrom,
          availableUntil: profile.availableUntil,
          dbsCheckCurrent: profile.dbsCurrent,
          contactEmail: profile.contactEmail,
          pausedAt: profile.pausedAt?.toISOString() ?? null,
          lastConfirmedAt: profile.lastConfirmedAt.toISOString(),
        }
      : null,
    reservistInvitations: invitations.map((i) => ({
      organisation: i.organisation,
      place: i.place,
      startDate: i.startDate,
      endDate: i.endDate,
      hoursPerWeek: i.hoursPerWeek,
      reason: needReasonLabel(i.reason),
      invitedAt: i.createdAt.toISOString(),
      answer: i.cancelledAt ? "Accepted, then gave the place back" : (INVITATION_ANSWERS[i.status] ?? i.status),
      answeredAt: i.respondedAt?.toISOString() ?? null,
    })),
  };
}
