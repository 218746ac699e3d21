// "Download your data" (UK GDPR Art. 15): everything StayWell holds about the signed-in person
// that it can hand over automatically, as JSON and as a readable HTML page, in one ZIP.
// docs/decisions/030-your-data-export-and-erasure.md says what is left out (the hub's internal
// notes, the administration audit, sent mail, server logs) and how a person asks for it.
//
// Every query is scoped by `requester_id = caller.id` (or `users.id = caller.id`) in the query
// itself: nothing of anyone else's can come out, whatever ids are sent.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@db/current";
import {
  organisations,
  requestAccessLog,
  requestEvents,
  supportOffers,
  supportRequests,
  teams,
  users,
  type UserRole,
} from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { ACCESS_ACTION_LABELS, ROLE_LABELS } from "./requests.server";
import { recordAdminChange } from "./admin/common.server";
import { describeAnswers } from "~/schemas/request-forms";
import { CLOSE_OUTCOMES, STATUS_LABELS } from "~/lib/request-status";
import {
  LEAVING_DESTINATIONS,
  LEAVING_KEPT_OPTIONS,
  LEAVING_RETURN_OPTIONS,
  QUESTIONNAIRE_REASONS,
  labelOf,
  retentionOutcomeLabel,
} from "~/lib/leaving";
import { myLeaving, type MyLeaving } from "./leaving.server";
import { MyDataHtml } from "../my-data-html.server";
import { collectAccountRecords, type ExportedAccountRecords } from "./my-data-account.server";
import { collectRetentionRecords, type ExportedRetentionRecords } from "./my-data-retention.server";
import { staffGroupLabel } from "~/lib/staff-groups";
import { zip } from "../zip.server";

export interface ExportedEvent {
  at: string;
  what: string;
  /** Who did it: "You", or a name and role in the people hub. */
  by: string;
  message: string | null;
}

export interface ExportedAccess {
  at: string;
  name: string;
  role: string;
  action: string;
}

export interface ExportedRequest {
  reference: string;
  support: string;
  /** The people hub team that handles it. */
  team: string;
  status: string;
  submittedAt: string;
  closedAt: string | null;
  outcome: string | null;
  /** Stay conversations: what the hub recorded happened (stayed, moved, left, retired). */
  retentionOutcome: string | null;
  answers: { question: string; answer: string | string[] }[];
  contact: { method: string; phone: string | null; times: string | null };
  consentToTalkToLineManager: boolean;
  rating: { stars: number; comment: string | null; at: string | null } | null;
  statusHistory: { at: string; from: string | null; to: string }[];
  /** The timeline you see on the request page: your messages, the hub's messages to you, changes. */
  updates: ExportedEvent[];
  /** Who in the people hub looked at or changed it (as on the request page). */
  whoLookedOrChanged: ExportedAccess[];
  /** Set when its details were erased (retention schedule). */
  detailsErasedAt: string | null;
}

export interface MyDataExport {
  generatedAt: string;
  about: string;
  notIncluded: string[];
  profile: {
    name: string;
    email: string;
    organisation: string;
    staffGroup: string;
    jobTitle: string | null;
    startDateInPost: string;
    role: string;
    accountCreatedAt: string;
    emailConfirmedAt: string | null;
  };
  requests: ExportedRequest[];
  /** Your settings and account records (my-data-account.server.ts). */
  account: ExportedAccountRecords;
  /** Your first-year check-ins and reservist bank profile (my-data-retention.server.ts). */
  retention: ExportedRetentionRecords;
  /** The person's own leaving questionnaire (/leaving) and contact consent, if they answered it. */
  leaving: ExportedLeaving | null;
}

export interface ExportedLeaving {
  answeredAt: string;
  lastWorkingDay: string;
  whereYouAreGoing: string;
  whyYouAreLeaving: string[];
  mainReason: string;
  whatYouToldUs: string | null;
  whatMightHaveKeptYou: string[];
  staywellSupportYouUsed: string[];
  supportYouKnewAbout: string[];
  wouldYouConsiderComingBack: string[];
  contactAboutComingBack: { name: string; personalEmail: string; confirmed: boolean } | null;
}

/** The caller's questionnaire in words (as /leaving shows it). */
function exportedLeaving(mine: MyLeaving | null): ExportedLeaving | null {
  if (!mine) return null;
  const of = (question: string) => mine.choices.filter((c) => c.question === question);
  const offer = (c: { value: string; offerTitle: string | null }) =>
    c.value === "none" ? "None" : (c.offerTitle ?? "Support no longer offered");
  return {
    answeredAt: mine.createdAt.toISOString(),
    lastWorkingDay: mine.leavingDate,
    whereYouAreGoing: labelOf(LEAVING_DESTINATIONS, mine.destination),
    whyYouAreLeaving: of("reason").map((c) => labelOf(QUESTIONNAIRE_REASONS, c.value)),
    mainReason: labelOf(QUESTIONNAIRE_REASONS, mine.mainReason),
    whatYouToldUs: mine.details,
    whatMightHaveKeptYou: of("kept").map((c) => labelOf(LEAVING_KEPT_OPTIONS, c.value)),
    staywellSupportYouUsed: of("support_used").map(offer),
    supportYouKnewAbout: of("support_known").map(offer),
    wouldYouConsiderComingBack: of("return").map((c) =>
      c.value === "no" ? "No" : labelOf(LEAVING_RETURN_OPTIONS, c.value),
    ),
    contactAboutComingBack: mine.contact
      ? { name: mine.contact.name, personalEmail: mine.contact.personalEmail, confirmed: mine.contact.verified }
      : null,
  };
}

export const NOT_INCLUDED = [
  "The people hub's internal notes about your requests. Ask for them as below: a coordinator checks them first, as notes can name other people.",
  "The administration audit log, copies of emails sent to you, and the server's technical logs.",
  "Figures in the insights pages: they are counts, never about one person.",
];

const EVENT_LABELS: Record<string, string> = {
  submitted: "Request sent",
  message_from_staff: "Your message",
  message_to_staff: "Message from the people hub",
  status_changed: "Status changed",
  assigned: "Assigned",
  withdrawn: "Withdrawn",
  viewed: "Viewed",
  consent_withdrawn: "You withdrew consent to involve your line manager",
  consent_given: "You gave consent to involve your line manager",
  manager_contacted: "The people hub recorded a contact with your line manager",
};

const statusLabel = (status: string) => STATUS_LABELS.staff[status as keyof typeof STATUS_LABELS.staff] ?? status;
const roleLabel = (role: UserRole | null) => (role ? ROLE_LABELS[role] : "StayWell");

/** Everything the export holds for the caller (only theirs). */
export async function collectMyData(caller: CurrentUser, now = new Date()): Promise<MyDataExport> {
  const db = getDb();
  const [profile] = await db
    .select({
      name: users.name,
      email: users.email,
      organisation: organisations.name,
      staffGroup: users.staffGroup,
      jobTitle: users.jobTitle,
      startDate: users.startDate,
      role: users.role,
      createdAt: users.createdAt,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(users.id, caller.id))
    .limit(1);
  if (!profile) throw new Response("Not found", { status: 404 });

  const requests = await db
    .select({
      id: supportRequests.id,
      reference: supportRequests.reference,
      offerTitle: supportOffers.title,
      formKind: supportOffers.formKind,
      team: teams.name,
      status: supportRequests.status,
      submittedAt: supportRequests.submittedAt,
      closedAt: supportRequests.closedAt,
      closeOutcome: supportRequests.closeOutcome,
      retentionOutcome: supportRequests.retentionOutcome,
      answers: supportRequests.answers,
      contactMethod: supportRequests.contactMethod,
      contactPhone: supportRequests.contactPhone,
      contactTimes: supportRequests.contactTimes,
      consent: supportRequests.consentToShareWithManager,
      rating: supportRequests.satisfactionRating,
      ratingComment: supportRequests.satisfactionComment,
      ratedAt: supportRequests.ratedAt,
      anonymisedAt: supportRequests.anonymisedAt,
    })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .innerJoin(teams, eq(teams.id, sql`coalesce(${supportRequests.pinnedTeamId}, ${supportOffers.teamId})`))
    .where(eq(supportRequests.requesterId, caller.id))
    .orderBy(asc(supportRequests.submittedAt), asc(supportRequests.id));
  const ids = requests.map((r) => r.id);

  const events = ids.length
    ? await db
        .select({
          requestId: requestEvents.requestId,
          kind: requestEvents.kind,
          body: requestEvents.body,
          data: requestEvents.data,
          at: requestEvents.createdAt,
          actorId: requestEvents.actorId,
          actorName: users.name,
          actorRole: users.role,
        })
        .from(requestEvents)
        .innerJoin(supportRequests, eq(supportRequests.id, requestEvents.requestId))
        .leftJoin(users, eq(users.id, requestEvents.actorId))
        .where(
          and(
            inArray(requestEvents.requestId, ids),
            eq(supportRequests.requesterId, caller.id),
            // Internal notes and other hub-only entries are not included (see NOT_INCLUDED).
            eq(requestEvents.visibleToRequester, true),
          ),
        )
        .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id))
    : [];

  const access = ids.length
    ? await db
        .select({
          requestId: requestAccessLog.requestId,
          at: requestAccessLog.createdAt,
          action: requestAccessLog.action,
          name: users.name,
          role: users.role,
        })
        .from(requestAccessLog)
        .innerJoin(supportRequests, eq(supportRequests.id, requestAccessLog.requestId))
        .innerJoin(users, eq(users.id, requestAccessLog.actorId))
        .where(and(inArray(requestAccessLog.requestId, ids), eq(supportRequests.requesterId, caller.id)))
        .orderBy(asc(requestAccessLog.createdAt), asc(requestAccessLog.id))
    : [];

  const account = await collectAccountRecords(caller, now);
  const leaving = exportedLeaving(await myLeaving(caller));
  const retention = await collectRetentionRecords(caller);

  return {
    generatedAt: now.toISOString(),
    account,
    retention,
    about:
      "What StayWell holds about you: your profile and every request you made, with your answers, the messages, its status history and who in the people hub looked at or changed it; your settings; your first-year check-ins; your reservist bank profile and invitations; and your leaving questionnaire.",
    notIncluded: NOT_INCLUDED,
    profile: {
      name: profile.name,
      email: profile.email,
      organisation: profile.organisation,
      // Its name, as the person chose it, not the stored code.
      staffGroup: staffGroupLabel(profile.staffGroup),
      jobTitle: profile.jobTitle,
      startDateInPost: profile.startDate,
      role: ROLE_LABELS[profile.role],
      accountCreatedAt: profile.createdAt.toISOString(),
      emailConfirmedAt: profile.emailVerifiedAt?.toISOString() ?? null,
    },
    requests: requests.map((r) => {
      const mine = events.filter((e) => e.requestId === r.id);
      const statusHistory: ExportedRequest["statusHistory"] = [];
      for (const e of mine) {
        const data = (e.data ?? {}) as Record<string, unknown>;
        if (e.kind === "submitted") statusHistory.push({ at: e.at.toISOString(), from: null, to: statusLabel("new") });
        if (e.kind === "status_changed" && typeof data.to === "string") {
          statusHistory.push({
            at: e.at.toISOString(),
            from: typeof data.from === "string" ? statusLabel(data.from) : null,
            to: statusLabel(data.to),
          });
        }
        if (e.kind === "withdrawn") {
          statusHistory.push({
            at: e.at.toISOString(),
            from: typeof data.from === "string" ? statusLabel(data.from) : null,
            to: statusLabel("withdrawn"),
          });
        }
      }
      return {
        reference: r.reference,
        support: r.offerTitle,
        team: r.team,
        status: statusLabel(r.status),
        submittedAt: r.submittedAt.toISOString(),
        closedAt: r.closedAt?.toISOString() ?? null,
        outcome: r.closeOutcome ? CLOSE_OUTCOMES[r.closeOutcome] : null,
        retentionOutcome: r.retentionOutcome ? retentionOutcomeLabel(r.retentionOutcome) : null,
        answers: describeAnswers(r.formKind, (r.answers ?? {}) as Record<string, unknown>).map((a) => ({
          question: a.question,
          answer: a.answer,
        })),
        contact: { method: r.contactMethod, phone: r.contactPhone, times: r.contactTimes },
        consentToTalkToLineManager: r.consent,
        rating:
          r.rating === null
            ? null
            : { stars: r.rating, comment: r.ratingComment, at: r.ratedAt?.toISOString() ?? null },
        statusHistory,
        updates: mine.map((e) => ({
          at: e.at.toISOString(),
          what: EVENT_LABELS[e.kind] ?? e.kind,
          by: e.actorId === caller.id ? "You" : e.actorName ? `${e.actorName} (${roleLabel(e.actorRole)})` : "StayWell",
          // The hub's own record of a line-manager contact is not shown on the request page either.
          message: e.kind === "manager_contacted" ? null : e.body,
        })),
        whoLookedOrChanged: access
          .filter((a) => a.requestId === r.id)
          .map((a) => ({
            at: a.at.toISOString(),
            name: a.name,
            role: `${ROLE_LABELS[a.role]}, ${r.team}`,
            action: ACCESS_ACTION_LABELS[a.action],
          })),
        detailsErasedAt: r.anonymisedAt?.toISOString() ?? null,
      };
    }),
    leaving,
  };
}

/** The readable page: rendered by React, so every value is escaped text, never markup. */
export function myDataHtml(data: MyDataExport): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(createElement(MyDataHtml, { data }))}`;
}

export function myDataFileName(now: Date) {
  return `staywell-your-data-${now.toISOString().slice(0, 10)}.zip`;
}

/**
 * Builds the ZIP (your-data.json, your-data.html) for the caller and records in the audit log
 * that they downloaded it (never what it held).
 */
export async function exportMyData(caller: CurrentUser, now = new Date()): Promise<Buffer> {
  const data = await collectMyData(caller, now);
  const archive = zip({ "your-data.json": JSON.stringify(data, null, 2), "your-data.html": myDataHtml(data) }, now);
  await getDb().transaction((tx) =>
    recordAdminChange(
      tx,
      caller,
      {
        entity: "user",
        entityId: caller.id,
        action: "data_exported",
        summary: `The person downloaded their data (${data.requests.length} ${data.requests.length === 1 ? "request" : "requests"})`,
        before: null,
        after: null,
      },
      now,
    ),
  );
  return archive;
}
