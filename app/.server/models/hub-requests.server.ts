// One support request as the people hub sees it (/hub/requests/<reference>), and the hub's
// commands on it: assign, change status, message the person, internal note, record a contact
// with the line manager (only while the person's consent is given).
//
// Scope: every function takes the caller first and finds the request through
// lookUpForHub(caller, reference, (visible) => … where(visible)), so a coordinator reaches only
// their teams' requests, never their own, and another team's sensitive request is "not found"
// exactly like a reference that does not exist (app/.server/permissions.server.ts).
//
// No lost work: every command carries the version the coordinator saw. It runs in ONE transaction
// whose first statement is `UPDATE … WHERE id = ? AND version = ?`; when that updates nothing the
// transaction stops, nothing is written, and the caller gets a conflict naming who changed the
// request and when. Every command writes a timeline event and a request_access_log row.
import { and, asc, desc, eq, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import {
  cannedResponses,
  organisations,
  requestAccessLog,
  requestEvents,
  requestReads,
  supportOffers,
  supportRequests,
  teams,
  users,
  type CloseOutcomeValue,
  type RetentionOutcomeValue,
  type FormKind,
  type RequestPriority,
  type RequestStatus,
  type UserRole,
} from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { notifyRequesterOfUpdate } from "../mail/notifications.server";
import { recordAccess, teamMembersOfTeam, type AccessAction } from "./hub-access.server";
import { hubVisibleRequests, lookUpForHub } from "../permissions.server";
import { checkTransition, HUB_TRANSITIONS, isCloseOutcome, isOpen, reopenDeadline } from "~/lib/request-status";
import { firstContactFacts } from "~/lib/insights/facts";
import { staffGroupLabel } from "~/lib/staff-groups";
import { isOverdue, londonDate, resumedDueAt, statutoryDecisionDeadline, type IsoDate } from "~/lib/working-days";
import { HUB_LIMITS, needsRetentionOutcome, RETENTION_OUTCOME_REQUIRED } from "~/schemas/hub-actions";
import { isRetentionOutcome } from "~/lib/leaving";
import { asksManagerConsent } from "~/schemas/request-forms";

// ---------------------------------------------------------------------------------------------
// errors a route turns into a response

export type HubRequestErrorCode =
  | "not_found" // 404: missing, the caller's own, or another team's sensitive request
  | "forbidden" // 403: another team's non-sensitive request (teamName says whose)
  | "invalid" // 400: `errors` holds field → message
  | "conflict" // 409: changed since the caller's version; message names who and when
  | "consent_withdrawn"; // 400: the person has withdrawn consent to involve their line manager

export class HubRequestError extends Error {
  readonly code: HubRequestErrorCode;
  readonly errors: Record<string, string>;
  readonly teamName?: string;
  constructor(
    code: HubRequestErrorCode,
    message: string,
    options: { errors?: Record<string, string>; teamName?: string } = {},
  ) {
    super(message);
    this.name = "HubRequestError";
    this.code = code;
    this.errors = options.errors ?? { _form: message };
    this.teamName = options.teamName;
  }
}

export function isHubRequestError(err: unknown, code?: HubRequestErrorCode): err is HubRequestError {
  return err instanceof HubRequestError && (code === undefined || err.code === code);
}

/** The error for a reference outside the caller's view (lookUpForHub's refusal). */
function refusalError(refusal: { outcome: "not_found" } | { outcome: "forbidden"; teamName: string }): HubRequestError {
  return refusal.outcome === "forbidden"
    ? new HubRequestError("forbidden", `This request is handled by the ${refusal.teamName} team.`, {
        teamName: refusal.teamName,
      })
    : new HubRequestError("not_found", "There is no request with that reference.");
}

function invalid(field: string, message: string): HubRequestError {
  return new HubRequestError("invalid", message, { errors: { [field]: message } });
}

// ---------------------------------------------------------------------------------------------
// time helpers

const LONDON_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "14:05 on 5 Mar 2026" (London time). */
export function formatChangeTime(at: Date): string {
  const p: Record<string, string> = {};
  for (const part of LONDON_PARTS.formatToParts(at)) p[part.type] = part.value;
  return `${p.hour}:${p.minute} on ${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}`;
}

/** Why a finished request cannot be assigned or messaged (a closed one can be reopened first). */
function finishedMessage(status: RequestStatus, what: "assigned" | "messaged") {
  return status === "withdrawn"
    ? `The person withdrew this request, so it cannot be ${what}`
    : `This request is closed: reopen it before it can be ${what}`;
}

/** The due time after a pause: see resumedDueAt in app/lib/working-days.ts. */
export const dueAtAfterPause = resumedDueAt;

/** Like dueAtAfterPause, but never fails the page (dates outside the bank holiday data). */
function safeDueAtAfterPause(dueAt: Date, pausedAt: Date, resumedAt: Date): Date {
  try {
    return dueAtAfterPause(dueAt, pausedAt, resumedAt);
  } catch {
    return new Date(dueAt.getTime() + Math.max(0, resumedAt.getTime() - pausedAt.getTime()));
  }
}

/** "1 year 4 months" from a start date (YYYY-MM-DD) to today (London). */
export function tenureText(startDate: string, today: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(startDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m || !t) return "Not known";
  let months = (Number(t[1]) - Number(m[1])) * 12 + (Number(t[2]) - Number(m[2]));
  if (Number(t[3]) < Number(m[3])) months -= 1;
  if (startDate > today) return "Not started yet";
  if (months < 1) return "Less than a month";
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const parts: string[] = [];
  if (years) parts.push(`${years} ${years === 1 ? "year" : "years"}`);
  if (rest) parts.push(`${rest} ${rest === 1 ? "month" : "months"}`);
  return parts.join(" ");
}

// ---------------------------------------------------------------------------------------------
// reading

const requester = alias(users, "requester");
const assignee = alias(users, "assignee");
const eventAssignee = alias(users, "event_assignee");
/** The team handling a request: its pinned team, else its offer's (as hubVisibleRequests decides). */
const handlingTeamId = sql`coalesce(${supportRequests.pinnedTeamId}, ${supportOffers.teamId})`;

export interface HubTimelineEvent {
  id: number;
  kind: (typeof requestEvents.$inferSelect)["kind"];
  body: string | null;
  data: Record<string, unknown> | null;
  visibleToRequester: boolean;
  createdAt: Date;
  actorId: string | null;
  actorName: string | null;
  actorRole: UserRole | null;
  /** The person who asked did it (their replies, submission, withdrawal). */
  byRequester: boolean;
  /** "assigned" events: the name of the person it was assigned to (null: unassigned). */
  assigneeName: string | null;
  /**
   * Set by openHubRequest: written by someone else after this coordinator's previous opening (or
   * ever, when they had never opened it). docs/decisions/018-unseen-activity.md.
   */
  isNew?: boolean;
}

export interface HubRequestView {
  id: number;
  reference: string;
  status: RequestStatus;
  urgent: boolean;
  /** Triage priority (docs/decisions/012): at_risk, safety_check, urgent or normal. */
  priority: RequestPriority;
  answers: Record<string, unknown>;
  /** The answers were erased: why (the hub says so instead of "Not given"), else null. */
  answersRemoved: "account_deleted" | "retention" | null;
  submittedAt: Date;
  updatedAt: Date;
  version: number;
  offer: {
    id: number;
    title: string;
    formKind: FormKind;
    sensitive: boolean;
    firstContactTargetDays: number;
    /** The urgent target (urgent, safety-check and at-risk requests): see urgentDueAt. */
    urgentCutoffHour: number;
    urgentNextDayHour: number;
    teamId: number;
    teamName: string;
  };
  requester: {
    id: string;
    name: string;
    firstName: string;
    email: string;
    organisationName: string;
    /** The person chose it themselves (a shared address such as nhs.net) and no administrator has confirmed it. */
    organisationSelfDeclared: boolean;
    staffGroup: string;
    jobTitle: string | null;
    startDate: string;
    tenure: string;
  };
  contact: { method: "email" | "phone" | "teams"; phone: string | null; times: string | null };
  consentToShareWithManager: boolean;
  /**
   * Consent to involve the line manager: whether the form asked, whether it is given now, and
   * when the person last changed it from their request page (null: as they answered on the form).
   */
  managerConsent: { asked: boolean; given: boolean; changedAt: Date | null };
  assignee: { id: string; name: string } | null;
  due: {
    /** When first contact is due; provisional (as if resumed now) while paused. */
    dueAt: Date;
    paused: boolean;
    pausedAt: Date | null;
    overdue: boolean;
    firstContactAt: Date | null;
    /** Flexible working only: the statutory decision deadline (a London date). */
    statutoryDecisionDeadline: IsoDate | null;
  };
  closedAt: Date | null;
  closeOutcome: CloseOutcomeValue | null;
  /** Stay conversations: what happened to the person (set when closed). */
  retentionOutcome: RetentionOutcomeValue | null;
  /** Closed requests: the last moment it can be reopened (null otherwise). */
  reopenUntil: Date | null;
  /** The statuses the caller may move it to now (HUB_TRANSITIONS, reopen only within 30 days). */
  transitions: RequestStatus[];
  satisfaction: { rating: number; comment: string | null; ratedAt: Date | null } | null;
  timeline: HubTimelineEvent[];
  /**
   * Set by openHubRequest: when this coordinator had last opened the request before this visit
   * (null: never), and how many timeline entries (and a rating) are new to them since.
   */
  seen?: { previously: Date | null; newEntries: number; newRating: boolean };
  teamMembers: { id: string; name: string }[];
  cannedResponses: { id: number; title: string; body: string }[];
}

export type HubRequestLookup =
  { outcome: "found"; request: HubRequestView } | { outcome: "not_found" } | { outcome: "forbidden"; teamName: string };

function firstNameOf(name: string) {
  return name.trim().split(/\s+/)[0] || name;
}

/** The request as the hub sees it, with its full timeline (internal notes included). */
export async function getHubRequest(
  caller: CurrentUser,
  reference: string,
  now = new Date(),
): Promise<HubRequestLookup> {
  const db = getDb();
  const found = await lookUpForHub(caller, reference, async (visible) => {
    const [row] = await db
      .select({
        id: supportRequests.id,
        reference: supportRequests.reference,
        status: supportRequests.status,
        urgent: supportRequests.urgent,
        priority: supportRequests.priority,
        answers: supportRequests.answers,
        anonymisedAt: supportRequests.anonymisedAt,
        anonymisedReason: supportRequests.anonymisedReason,
        contactMethod: supportRequests.contactMethod,
        contactPhone: supportRequests.contactPhone,
        contactTimes: supportRequests.contactTimes,
        consentToShareWithManager: supportRequests.consentToShareWithManager,
        submittedAt: supportRequests.submittedAt,
        updatedAt: supportRequests.updatedAt,
        dueAt: supportRequests.dueAt,
        firstContactAt: supportRequests.firstContactAt,
        pausedAt: supportRequests.pausedAt,
        closedAt: supportRequests.closedAt,
        closeOutcome: supportRequests.closeOutcome,
        retentionOutcome: supportRequests.retentionOutcome,
        satisfactionRating: supportRequests.satisfactionRating,
        satisfactionComment: supportRequests.satisfactionComment,
        ratedAt: supportRequests.ratedAt,
        version: supportRequests.version,
        offerId: supportOffers.id,
        offerTitle: supportOffers.title,
        formKind: supportOffers.formKind,
        sensitive: supportOffers.sensitive,
        firstContactTargetDays: supportOffers.firstContactTargetDays,
        urgentCutoffHour: supportOffers.urgentCutoffHour,
        urgentNextDayHour: supportOffers.urgentNextDayHour,
        teamId: teams.id,
        teamName: teams.name,
        requesterId: requester.id,
        requesterName: requester.name,
        requesterEmail: requester.email,
        requesterStaffGroup: requester.staffGroup,
        requesterJobTitle: requester.jobTitle,
        requesterStartDate: requester.startDate,
        organisationName: organisations.name,
        // Self-declared only while the request's organisation is still the one the person chose.
        // A deleted account is never "self-declared" (its organisation is nothing the person now says).
        organisationSelfDeclared: sql<boolean>`(${requester.organisationSelfDeclared} and ${requester.erasedAt} is null and ${requester.organisationId} = ${supportRequests.organisationId})`,
        assigneeId: assignee.id,
        assigneeName: assignee.name,
      })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
      .innerJoin(teams, eq(teams.id, handlingTeamId))
      .innerJoin(requester, eq(requester.id, supportRequests.requesterId))
      .innerJoin(organisations, eq(organisations.id, supportRequests.organisationId))
      .leftJoin(assignee, eq(assignee.id, supportRequests.assigneeId))
      .where(visible)
      .limit(1);
    return row;
  });
  if (found.outcome !== "found") return found;
  const row = found.request;

  const [timelineRows, members, canned] = await Promise.all([
    db
      .select({
        id: requestEvents.id,
        kind: requestEvents.kind,
        body: requestEvents.body,
        data: requestEvents.data,
        visibleToRequester: requestEvents.visibleToRequester,
        createdAt: requestEvents.createdAt,
        actorId: requestEvents.actorId,
        actorName: users.name,
        actorRole: users.role,
        assigneeName: eventAssignee.name,
      })
      .from(requestEvents)
      .leftJoin(users, eq(users.id, requestEvents.actorId))
      .leftJoin(eventAssignee, sql`${eventAssignee.id} = ${requestEvents.data} ->> 'assigneeId'`)
      .where(eq(requestEvents.requestId, row.id))
      .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id)),
    teamMembersOfTeam(row.teamId),
    db
      .select({ id: cannedResponses.id, title: cannedResponses.title, body: cannedResponses.body })
      .from(cannedResponses)
      .where(eq(cannedResponses.offerId, row.offerId))
      .orderBy(asc(cannedResponses.sortOrder), asc(cannedResponses.id)),
  ]);

  const lastConsentChange = [...timelineRows]
    .reverse()
    .find((e) => e.kind === "consent_withdrawn" || e.kind === "consent_given");

  const paused = row.pausedAt !== null && row.status === "waiting_on_staff";
  const dueAt = paused && row.pausedAt ? safeDueAtAfterPause(row.dueAt, row.pausedAt, now) : row.dueAt;
  const overdue = isOpen(row.status) && isOverdue({ dueAt, firstContactAt: row.firstContactAt, now, paused });
  let statutory: IsoDate | null = null;
  if (row.formKind === "flexible_working") statutory = statutoryDecisionDeadline(row.submittedAt);

  const transitions = HUB_TRANSITIONS[row.status].filter(
    (to) =>
      checkTransition({
        actor: "coordinator",
        from: row.status,
        to,
        outcome: to === "closed" ? "support_given" : undefined,
        closedAt: row.closedAt,
        now,
      }).ok,
  );

  return {
    outcome: "found",
    request: {
      id: row.id,
      reference: row.reference,
      status: row.status,
      urgent: row.urgent,
      priority: row.priority,
      answers: (row.answers ?? {}) as Record<string, unknown>,
      answersRemoved: row.anonymisedAt ? (row.anonymisedReason ?? "retention") : null,
      submittedAt: row.submittedAt,
      updatedAt: row.updatedAt,
      version: row.version,
      offer: {
        id: row.offerId,
        title: row.offerTitle,
        formKind: row.formKind,
        sensitive: row.sensitive,
        firstContactTargetDays: row.firstContactTargetDays,
        urgentCutoffHour: row.urgentCutoffHour,
        urgentNextDayHour: row.urgentNextDayHour,
        teamId: row.teamId,
        teamName: row.teamName,
      },
      requester: {
        id: row.requesterId,
        name: row.requesterName,
        firstName: firstNameOf(row.requesterName),
        email: row.requesterEmail,
        organisationName: row.organisationName,
        organisationSelfDeclared: row.organisationSelfDeclared === true,
        staffGroup: staffGroupLabel(row.requesterStaffGroup),
        jobTitle: row.requesterJobTitle,
        startDate: row.requesterStartDate,
        tenure: tenureText(row.requesterStartDate, londonDate(now)),
      },
      contact: { method: row.contactMethod, phone: row.contactPhone, times: row.contactTimes },
      consentToShareWithManager: row.consentToShareWithManager,
      managerConsent: {
        asked: asksManagerConsent(row.formKind),
        given: row.consentToShareWithManager,
        changedAt: lastConsentChange?.createdAt ?? null,
      },
      assignee: row.assigneeId && row.assigneeName ? { id: row.assigneeId, name: row.assigneeName } : null,
      due: {
        dueAt,
        paused,
        pausedAt: paused ? row.pausedAt : null,
        overdue,
        firstContactAt: row.firstContactAt,
        statutoryDecisionDeadline: statutory,
      },
      closedAt: row.closedAt,
      closeOutcome: row.closeOutcome,
      retentionOutcome: row.retentionOutcome,
      reopenUntil: row.status === "closed" && row.closedAt ? reopenDeadline(row.closedAt) : null,
      transitions,
      satisfaction:
        row.satisfactionRating !== null
          ? { rating: row.satisfactionRating, comment: row.satisfactionComment, ratedAt: row.ratedAt }
          : null,
      timeline: timelineRows.map((e) => ({
        ...e,
        data: (e.data ?? null) as Record<string, unknown> | null,
        actorName: e.actorName ?? null,
        actorRole: e.actorRole ?? null,
        assigneeName: e.kind === "assigned" ? (e.assigneeName ?? null) : null,
        byRequester: e.actorId !== null && e.actorId === row.requesterId,
      })),
      teamMembers: members.filter((m) => m.id !== row.requesterId).map((m) => ({ id: m.id, name: m.name })),
      cannedResponses: canned,
    },
  };
}

/**
 * Records that the caller looked at a request. Every view is recorded, sensitive or not: the
 * person is promised a list of everyone who has looked at their request. Call from the loader.
 */
export async function recordHubRequestView(caller: CurrentUser, view: Pick<HubRequestView, "id">, now = new Date()) {
  await recordAccess(getDb(), view.id, caller.id, "viewed", now);
  return true;
}

/**
 * The coordinator opens a request: the view (getHubRequest) and its access-log row. Throws
 * HubRequestError "not_found" (missing, the caller's own, another team's sensitive request — all
 * the same) or "forbidden" naming the team (another team's non-sensitive request).
 */
/**
 * One of the request's saved responses, for the message form's "insert" without JavaScript: read
 * only — no view recorded, nothing marked seen, nothing sent. The request is looked up as the page
 * does (another team's sensitive request or a missing one: not found; another team's other one:
 * forbidden), and the response must be one of this request's offer's own (null otherwise).
 */
export async function savedResponseForHubRequest(
  caller: CurrentUser,
  reference: string,
  cannedId: number,
): Promise<{ id: number; title: string; body: string } | null> {
  const found = await getHubRequest(caller, reference);
  if (found.outcome !== "found") throw refusalError(found);
  return found.request.cannedResponses.find((c) => c.id === cannedId) ?? null;
}

export async function openHubRequest(
  caller: CurrentUser,
  reference: string,
  now = new Date(),
): Promise<HubRequestView> {
  const found = await getHubRequest(caller, reference, now);
  if (found.outcome !== "found") throw refusalError(found);
  await recordHubRequestView(caller, found.request, now);
  const previously = await markHubRequestSeen(caller, found.request.id, now);
  return withUnseen(caller, found.request, previously);
}

/**
 * This coordinator has now seen the request: one upsert on request_reads, returning the seen_at it
 * replaced (null: first time). The CTE reads the row before the statement changes it (one snapshot).
 * Never moves seen_at backwards (a page computed with an older `now` finishing last).
 */
export async function markHubRequestSeen(
  caller: CurrentUser,
  requestId: number,
  now = new Date(),
): Promise<Date | null> {
  const rows = await queryRows<{ previously: Date | string | null }>(
    getDb(),
    sql`with "before" as (
          select ${requestReads.seenAt} as "seen_at" from ${requestReads}
          where ${requestReads.userId} = ${caller.id} and ${requestReads.requestId} = ${requestId}
        )
        insert into ${requestReads} ("user_id", "request_id", "seen_at")
        values (${caller.id}, ${requestId}, ${now.toISOString()}::timestamptz)
        on conflict ("user_id", "request_id") do update set "seen_at" = greatest(${requestReads.seenAt}, excluded."seen_at")
        returning (select "seen_at" from "before") as "previously"`,
  );
  const previously = rows[0]?.previously ?? null;
  return previously === null ? null : new Date(previously);
}

/** Marks the timeline entries written by someone else after `previously` (all of them when never seen). */
function withUnseen(caller: CurrentUser, view: HubRequestView, previously: Date | null): HubRequestView {
  const isNewAt = (at: Date | null, by: string | null) =>
    at !== null && by !== caller.id && (previously === null || at.getTime() > previously.getTime());
  const timeline = view.timeline.map((e) => ({ ...e, isNew: isNewAt(e.createdAt, e.actorId) }));
  const newRating = view.satisfaction !== null && isNewAt(view.satisfaction.ratedAt, view.requester.id);
  return { ...view, timeline, seen: { previously, newEntries: timeline.filter((e) => e.isNew).length, newRating } };
}

// ---------------------------------------------------------------------------------------------
// commands

/** What a command needs to know about the request (read with the caller's scope). */
async function loadForCommand(caller: CurrentUser, reference: string) {
  const db = getDb();
  const found = await lookUpForHub(caller, reference, async (visible) => {
    const [row] = await db
      .select({
        id: supportRequests.id,
        reference: supportRequests.reference,
        status: supportRequests.status,
        version: supportRequests.version,
        assigneeId: supportRequests.assigneeId,
        submittedAt: supportRequests.submittedAt,
        dueAt: supportRequests.dueAt,
        pausedAt: supportRequests.pausedAt,
        firstContactAt: supportRequests.firstContactAt,
        closedAt: supportRequests.closedAt,
        consentToShareWithManager: supportRequests.consentToShareWithManager,
        formKind: supportOffers.formKind,
        offerId: supportOffers.id,
        teamId: teams.id,
        teamName: teams.name,
        requesterId: supportRequests.requesterId,
        requesterName: requester.name,
        requesterEmail: requester.email,
      })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
      .innerJoin(teams, eq(teams.id, handlingTeamId))
      .innerJoin(requester, eq(requester.id, supportRequests.requesterId))
      .where(visible)
      .limit(1);
    return row;
  });
  if (found.outcome !== "found") throw refusalError(found);
  return found.request;
}

type CommandRow = Awaited<ReturnType<typeof loadForCommand>>;

/** The request as the caller may change it, refused (conflict) unless it is still at the version they saw. */
async function loadCurrent(caller: CurrentUser, reference: string, expectedVersion: unknown) {
  const version = checkVersion(expectedVersion);
  const row = await loadForCommand(caller, reference);
  if (row.version !== version) throw await conflictFor(row.id);
  return { row, version };
}

/** The conflict error: who made the latest change (event or audited change) and when. */
async function conflictFor(requestId: number): Promise<HubRequestError> {
  const db = getDb();
  const [[event], [logged]] = await Promise.all([
    db
      .select({ at: requestEvents.createdAt, name: users.name })
      .from(requestEvents)
      .leftJoin(users, eq(users.id, requestEvents.actorId))
      .where(and(eq(requestEvents.requestId, requestId), ne(requestEvents.kind, "viewed")))
      .orderBy(desc(requestEvents.createdAt), desc(requestEvents.id))
      .limit(1),
    db
      .select({ at: requestAccessLog.createdAt, name: users.name })
      .from(requestAccessLog)
      .innerJoin(users, eq(users.id, requestAccessLog.actorId))
      .where(and(eq(requestAccessLog.requestId, requestId), ne(requestAccessLog.action, "viewed")))
      .orderBy(desc(requestAccessLog.createdAt), desc(requestAccessLog.id))
      .limit(1),
  ]);
  const latest = [event, logged]
    .filter((x): x is { at: Date; name: string | null } => !!x)
    .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  const message = latest
    ? `This request was changed by ${latest.name ?? "someone else"} at ${formatChangeTime(latest.at)} — review and try again`
    : "This request was changed by someone else — review and try again";
  return new HubRequestError("conflict", message);
}

class StaleVersion extends Error {}

interface CommandEffect {
  /** Columns to change besides version and updated_at. */
  set: Partial<typeof supportRequests.$inferInsert>;
  event: {
    kind: (typeof requestEvents.$inferInsert)["kind"];
    body?: string | null;
    visibleToRequester: boolean;
    data?: Record<string, unknown> | null;
  };
  access: AccessAction;
  notify?: "message" | "status";
  /** A further condition of the versioned UPDATE: when it fails, nothing is written (as for a stale version). */
  onlyIf?: SQL;
}

/**
 * Runs one command in one transaction: the versioned UPDATE first (nothing else is written when
 * it matches no row), then the timeline event, the access-log row and the email to the person.
 */
async function runCommand(
  caller: CurrentUser,
  row: CommandRow,
  expectedVersion: number,
  now: Date,
  effect: CommandEffect,
): Promise<{ version: number }> {
  try {
    return await getDb().transaction(async (tx) => {
      const [updated] = await tx
        .update(supportRequests)
        .set({ ...effect.set, version: sql`${supportRequests.version} + 1`, updatedAt: now, lastUpdatedAt: now })
        .where(
          and(
            eq(supportRequests.id, row.id),
            eq(supportRequests.version, expectedVersion),
            hubVisibleRequests(caller),
            effect.onlyIf,
          ),
        )
        .returning({ version: supportRequests.version });
      if (!updated) throw new StaleVersion();
      await tx.insert(requestEvents).values({
        requestId: row.id,
        actorId: caller.id,
        kind: effect.event.kind,
        body: effect.event.body ?? null,
        visibleToRequester: effect.event.visibleToRequester,
        data: effect.event.data ?? null,
        createdAt: now,
      });
      await recordAccess(tx, row.id, caller.id, effect.access, now);
      if (effect.notify) {
        await notifyRequesterOfUpdate(
          tx,
          { email: row.requesterEmail, name: row.requesterName },
          row.reference,
          effect.notify,
        );
      }
      return { version: updated.version };
    });
  } catch (err) {
    if (err instanceof StaleVersion) throw await conflictFor(row.id);
    throw err;
  }
}

function checkVersion(version: unknown): number {
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw invalid("_form", "This page is out of date. Reload it and try again.");
  }
  return version;
}

function requireBody(body: unknown, field: string, missing: string, tooLong: string, max: number): string {
  const text = typeof body === "string" ? body.trim() : "";
  if (!text) throw invalid(field, missing);
  if (text.length > max) throw invalid(field, tooLong);
  return text;
}

/**
 * Assigns the request to "me", to a member of the offer's team (a user id), or to nobody ("").
 * Errors: the assignee is not an active member of the team ("Choose someone in the <team> team").
 */
export async function assignHubRequest(
  caller: CurrentUser,
  reference: string,
  input: { assigneeId: string; version: number },
  now = new Date(),
): Promise<{ version: number }> {
  const { row, version } = await loadCurrent(caller, reference, input.version);
  if (!isOpen(row.status)) throw invalid("assigneeId", finishedMessage(row.status, "assigned"));

  const wanted = (input.assigneeId ?? "").trim();
  let assigneeId: string | null = null;
  let assigneeName: string | null = null;
  if (wanted !== "") {
    const id = wanted === "me" ? caller.id : wanted;
    // Never the person who asked: a coordinator does not work their own request.
    const member = (await teamMembersOfTeam(row.teamId)).find((m) => m.id === id && m.id !== row.requesterId);
    if (!member) throw invalid("assigneeId", `Choose someone in the ${row.teamName} team`);
    assigneeId = member.id;
    assigneeName = member.name;
  }
  if (assigneeId === row.assigneeId) {
    throw invalid(
      "assigneeId",
      assigneeId === null
        ? "Nobody is looking after this request yet"
        : `${assigneeName} is already looking after this request`,
    );
  }
  return runCommand(caller, row, version, now, {
    set: { assigneeId },
    event: {
      kind: "assigned",
      visibleToRequester: false,
      data: { assigneeId, assigneeName, previousAssigneeId: row.assigneeId },
    },
    access: "assigned",
  });
}

/**
 * Moves the request along the state machine (checkTransition, as a coordinator). Closing needs an
 * outcome; reopening is allowed within 30 days. Keeps the first-contact clock: in progress is first
 * contact; waiting on staff stops the clock (paused_at) and leaving it pushes due_at back by the
 * working time it was stopped. Tells the person there is an update (never what it is).
 */
export async function changeHubRequestStatus(
  caller: CurrentUser,
  reference: string,
  input: { to: RequestStatus; outcome?: string | null; retentionOutcome?: string | null; version: number },
  now = new Date(),
): Promise<{ version: number }> {
  const { row, version } = await loadCurrent(caller, reference, input.version);

  const from = row.status;
  const to = input.to;
  const outcome = to === "closed" ? (input.outcome ?? null) : null;
  const check = checkTransition({ actor: "coordinator", from, to, outcome, closedAt: row.closedAt, now });
  if (!check.ok) {
    const outcomeProblem = to === "closed" && !isCloseOutcome(outcome) && HUB_TRANSITIONS[from]?.includes("closed");
    throw invalid(outcomeProblem ? "outcome" : "to", check.message);
  }
  // A stay conversation closes only with what happened to the person (ADR 034); other forms never store one.
  const stay = needsRetentionOutcome(row.formKind);
  const retentionOutcome = to === "closed" && stay ? (input.retentionOutcome ?? null) : null;
  if (to === "closed" && stay && !isRetentionOutcome(retentionOutcome)) {
    throw invalid("retentionOutcome", RETENTION_OUTCOME_REQUIRED);
  }

  const set: CommandEffect["set"] = { status: to };
  if (to === "waiting_on_staff") set.pausedAt = now;
  if (from === "waiting_on_staff") {
    if (row.pausedAt) set.dueAt = dueAtAfterPause(row.dueAt, row.pausedAt, now);
    set.pausedAt = null;
  }
  if (to === "in_progress" && row.firstContactAt === null) {
    Object.assign(set, firstContactFacts(row.submittedAt, now, set.dueAt ?? row.dueAt));
  }
  if (to === "closed") {
    set.closedAt = now;
    set.closeOutcome = outcome as CloseOutcomeValue;
    set.retentionOutcome = retentionOutcome as RetentionOutcomeValue | null;
  }
  if (from === "closed") {
    set.closedAt = null;
    set.closeOutcome = null;
    set.retentionOutcome = null;
  }
  const data: Record<string, unknown> = { from, to };
  if (to === "closed") data.outcome = outcome;
  if (retentionOutcome) data.retentionOutcome = retentionOutcome;
  return runCommand(caller, row, version, now, {
    set,
    event: { kind: "status_changed", visibleToRequester: true, data },
    access: "status_changed",
    notify: "status",
  });
}

/**
 * A message to the person (shown on their request page, emailed as "there is a new message").
 * The first one is first contact. The status is not changed.
 */
export async function messageRequester(
  caller: CurrentUser,
  reference: string,
  input: { body: string; version: number },
  now = new Date(),
): Promise<{ version: number }> {
  const body = requireBody(
    input.body,
    "message",
    "Enter a message to the person",
    `Your message must be ${HUB_LIMITS.message} characters or fewer`,
    HUB_LIMITS.message,
  );
  const { row, version } = await loadCurrent(caller, reference, input.version);
  if (!isOpen(row.status)) throw invalid("message", finishedMessage(row.status, "messaged"));
  return runCommand(caller, row, version, now, {
    set: row.firstContactAt === null ? firstContactFacts(row.submittedAt, now, row.dueAt) : {},
    event: { kind: "message_to_staff", body, visibleToRequester: true },
    access: "messaged",
    notify: "message",
  });
}

/** An internal note: on the hub's timeline only, never shown or sent to the person. */
export async function addInternalNote(
  caller: CurrentUser,
  reference: string,
  input: { body: string; version: number },
  now = new Date(),
): Promise<{ version: number }> {
  const body = requireBody(
    input.body,
    "note",
    "Enter the internal note",
    `The note must be ${HUB_LIMITS.note} characters or fewer`,
    HUB_LIMITS.note,
  );
  const { row, version } = await loadCurrent(caller, reference, input.version);
  return runCommand(caller, row, version, now, {
    set: {},
    event: { kind: "internal_note", body, visibleToRequester: false },
    access: "noted",
  });
}

/** The refusal while the person has withdrawn consent to involve their line manager. */
function consentWithdrawnError(): HubRequestError {
  return new HubRequestError(
    "consent_withdrawn",
    "The person has withdrawn their consent for the people hub to contact their line manager, so a contact with their line manager cannot be recorded",
  );
}

/**
 * Records that the caller (or the team) contacted the person's line manager, with a short note.
 * Only while the person's consent is given: checked on the request as read, and again in the
 * versioned UPDATE itself (`consent_to_share_with_manager = true`), so a withdrawal that lands
 * first always wins; refused with consent_withdrawn otherwise, and on a withdrawn request.
 * The person sees that the hub recorded a contact (timeline, access log, an "update" email), never
 * the note, which is the hub's own record.
 */
export async function recordManagerContact(
  caller: CurrentUser,
  reference: string,
  input: { note: string; version: number },
  now = new Date(),
): Promise<{ version: number }> {
  const note = requireBody(
    input.note,
    "managerNote",
    "Enter a short note of the contact with the line manager",
    `The note must be ${HUB_LIMITS.managerContact} characters or fewer`,
    HUB_LIMITS.managerContact,
  );
  const version = checkVersion(input.version);
  const row = await loadForCommand(caller, reference);
  if (!asksManagerConsent(row.formKind) || !row.consentToShareWithManager) throw consentWithdrawnError();
  if (row.version !== version) throw await conflictFor(row.id);
  if (row.status === "withdrawn") {
    throw invalid(
      "managerNote",
      "The person withdrew this request, so a contact with their line manager cannot be recorded",
    );
  }
  try {
    return await runCommand(caller, row, version, now, {
      set: {},
      event: { kind: "manager_contacted", body: note, visibleToRequester: true },
      access: "manager_contacted",
      notify: "status",
      onlyIf: eq(supportRequests.consentToShareWithManager, true),
    });
  } catch (err) {
    // The UPDATE matched nothing: if consent was withdrawn meanwhile, say so rather than "changed".
    if (isHubRequestError(err, "conflict")) {
      const [current] = await getDb()
        .select({ consent: supportRequests.consentToShareWithManager })
        .from(supportRequests)
        .where(eq(supportRequests.id, row.id));
      if (current && !current.consent) throw consentWithdrawnError();
    }
    throw err;
  }
}
