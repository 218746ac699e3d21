// A staff member's own support requests: asking, following, replying, withdrawing.
// Every function takes the caller first and scopes its queries by `requester_id = caller.id`:
// another person's reference behaves exactly like one that does not exist.
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import { isUniqueViolation, queryRows, type DatabaseOrTx, type Tx } from "@db/client";
import { getDb } from "@db/current";
import {
  requestAccessLog,
  requestEvents,
  stayConversationAnswers,
  supportOffers,
  supportRequests,
  teams,
  users,
  type FormKind,
  type RetentionOutcomeValue,
  type RequestPriority,
  type RequestStatus,
  type UserRole,
} from "@db/schema";
import { enqueueMail } from "../mail/outbox.server";
import {
  notifyHubOfRequesterActivity,
  notifyTeamOfNewRequest,
  priorityMailLabel,
  type RequesterActivity,
} from "../mail/notifications.server";
import { hubRecipientsForRequest, teamMembersForOffer } from "./hub-access.server";
import { env } from "../env";
import type { CurrentUser } from "../auth/types";
import { issuesToErrors } from "../forms.server";
import {
  answersSchemaFor,
  asksManagerConsent,
  isUrgent,
  managerConsentSchema,
  priorityOf,
  requestFormSchemaFor,
  todayInEngland,
} from "~/schemas/request-forms";
import { tenureBand } from "~/lib/insights/facts";
import { stayAnswerRows } from "~/lib/leaving";
import { addWorkingDays, resumedDueAt, urgentDueAt } from "~/lib/working-days";
import { isOpen } from "~/lib/request-status";
import { ratingSchema, type Rating } from "~/schemas/rating";
import { pageNumber } from "~/lib/paging";
import { hasControlCharacters } from "~/schemas/text";

// ---------------------------------------------------------------------------------------------
// errors a route turns into a message

export type RequestErrorCode =
  | "offer_not_found" // no offer with that slug
  | "offer_inactive" // the offer is no longer taking requests
  | "invalid" // the answers do not pass the schema (see `errors`)
  | "not_found" // no such request of the caller's
  | "closed" // the request is closed or withdrawn: no replies
  | "not_open" // withdraw: the request is not open any more
  | "conflict" // the request changed since the caller's version
  | "not_closed" // rate: only a closed request can be rated
  | "already_rated" // rate: the request has been rated already (once only)
  | "open_request" // create: the caller has an open request for this offer and did not acknowledge it (OpenRequestExistsError)
  | "consent_not_asked" // consent: the request's form did not ask about the line manager
  | "consent_unchanged"; // consent: it is already withdrawn (or already given)

export class RequestError extends Error {
  readonly code: RequestErrorCode;
  readonly errors?: Record<string, string>;
  constructor(code: RequestErrorCode, message: string, errors?: Record<string, string>) {
    super(message);
    this.name = "RequestError";
    this.code = code;
    this.errors = errors;
  }
}

/** The caller's open request for an offer, as the warning before a second request shows it. */
export interface OpenRequestSummary {
  reference: string;
  status: RequestStatus;
  submittedAt: Date;
  offerTitle: string;
}

/**
 * createRequest refused to make a second request for an offer while one is open, because the
 * caller did not acknowledge that open request (`acknowledgedOpenRequest`). Nothing was written.
 */
export class OpenRequestExistsError extends RequestError {
  readonly openRequest: OpenRequestSummary;
  constructor(openRequest: OpenRequestSummary) {
    super("open_request", `You already have an open request for ${openRequest.offerTitle} (${openRequest.reference}).`);
    this.name = "OpenRequestExistsError";
    this.openRequest = openRequest;
  }
}

export function isRequestError(err: unknown, code?: RequestErrorCode): err is RequestError {
  return err instanceof RequestError && (code === undefined || err.code === code);
}

/** Whether the request is still being worked on (the state machine's list in app/lib/request-status.ts). */
export const isOpenStatus = isOpen;

// ---------------------------------------------------------------------------------------------
// helpers

/** Next reference of the year (Europe/London), e.g. SW-2026-00042. */
async function allocateReference(tx: Tx, now: Date): Promise<string> {
  const year = Number(todayInEngland(now).slice(0, 4));
  const [row] = await queryRows<{ last: number | string }>(
    tx,
    sql`insert into reference_counters (year, last) values (${year}, 1)
        on conflict (year) do update set last = reference_counters.last + 1
        returning last`,
  );
  return `SW-${year}-${String(Number(row.last)).padStart(5, "0")}`;
}

/**
 * The query (built, not run: scripts/explain-queue.ts explains it) for the caller's most recent open request for one offer (by id). Scoped by
 * requester_id, so it reads only the caller's own rows through support_requests_requester_submitted_idx
 * (requester_id, submitted_at), then filters and sorts those few (0.05 ms at 200,000 rows:
 * docs/performance/hub-queue.md); the status list is written as literals.
 */
export function buildOpenRequestLookup(db: DatabaseOrTx, callerId: string, offerId: number, excludeReference?: string) {
  const conditions = [
    eq(supportRequests.requesterId, callerId),
    eq(supportRequests.offerId, offerId),
    sql`${supportRequests.status} in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred')`,
  ];
  if (excludeReference) conditions.push(sql`${supportRequests.reference} <> ${excludeReference}`);
  return db
    .select({
      reference: supportRequests.reference,
      status: supportRequests.status,
      submittedAt: supportRequests.submittedAt,
    })
    .from(supportRequests)
    .where(and(...conditions))
    .orderBy(desc(supportRequests.submittedAt), desc(supportRequests.id))
    .limit(1);
}

async function latestOpenRequestFor(db: DatabaseOrTx, callerId: string, offerId: number, excludeReference?: string) {
  const [row] = await buildOpenRequestLookup(db, callerId, offerId, excludeReference);
  return row;
}

/**
 * The caller's own most recent open request (new, triaged, in progress, waiting on them or
 * referred) for the offer with this slug, or null: for the warning before a second request. With
 * `excludeReference`, another one than that request (the confirmation of a request just sent).
 * Never anyone else's request.
 */
export async function findMyOpenRequestForOffer(
  caller: CurrentUser,
  offerSlug: string,
  options: { excludeReference?: string } = {},
): Promise<OpenRequestSummary | null> {
  const db = getDb();
  const [offer] = await db
    .select({ id: supportOffers.id, title: supportOffers.title })
    .from(supportOffers)
    .where(eq(supportOffers.slug, offerSlug))
    .limit(1);
  if (!offer) return null;
  const row = await latestOpenRequestFor(db, caller.id, offer.id, options.excludeReference);
  return row ? { ...row, offerTitle: offer.title } : null;
}

/** Thrown inside the transaction to roll it back when a concurrent twin already inserted. */
class DuplicateSubmission extends Error {}

// ---------------------------------------------------------------------------------------------
// createRequest

export interface CreatedRequest {
  id: number;
  reference: string;
  status: RequestStatus;
  urgent: boolean;
  priority: RequestPriority;
  formKind: FormKind;
  /** False when this submission key had already made the request (double click, resubmission). */
  created: boolean;
  /**
   * Another open request of the caller's for the same offer when this one was made (it was
   * acknowledged, or skipped for a person at risk); null when none, or when created is false.
   */
  openRequest: OpenRequestSummary | null;
}

async function findBySubmissionKey(db: DatabaseOrTx, caller: CurrentUser, submissionKey: string) {
  const [row] = await db
    .select({
      id: supportRequests.id,
      reference: supportRequests.reference,
      status: supportRequests.status,
      urgent: supportRequests.urgent,
      priority: supportRequests.priority,
      formKind: supportOffers.formKind,
    })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .where(and(eq(supportRequests.requesterId, caller.id), eq(supportRequests.submissionKey, submissionKey)))
    .limit(1);
  return row;
}

/**
 * Asks for support: validates `input` (the flat request form: answers + contact + submissionKey)
 * against the offer's form, allocates a reference and writes the request, a "submitted" event and
 * a mail to the requester, all in one transaction. The same submissionKey again returns the
 * request it made (created: false). Throws RequestError offer_not_found / offer_inactive / invalid.
 *
 * With `options.openRequestCheck` (the request form always passes it), a second request for an
 * offer while the caller has one open is made only when `acknowledgedReference` is the reference of
 * that open request (the form showed the warning and the person sent anyway); otherwise nothing is
 * written and OpenRequestExistsError (open_request) says which one. Except for a person who
 * answered that they are not safe, or not sure (at_risk, safety_check): their request is made at
 * once (ADR 012, amendment). Either way the open one is returned in `openRequest`.
 */
export async function createRequest(
  caller: CurrentUser,
  offerSlug: string,
  input: unknown,
  now = new Date(),
  options: { openRequestCheck?: { acknowledgedReference: string | null } } = {},
): Promise<CreatedRequest> {
  const db = getDb();
  try {
    return await db.transaction(async (tx) => {
      // Shared lock: an administrator retiring the offer or changing its form waits for this request.
      const [offer] = await tx
        .select()
        .from(supportOffers)
        .where(eq(supportOffers.slug, offerSlug))
        .limit(1)
        .for("share");
      if (!offer) throw new RequestError("offer_not_found", "There is no support with that name.");

      const key = (input as { submissionKey?: unknown } | null)?.submissionKey;
      if (typeof key === "string" && key) {
        const existing = await findBySubmissionKey(tx, caller, key);
        if (existing) return { ...existing, created: false, openRequest: null };
      }
      if (!offer.active) throw new RequestError("offer_inactive", "This support is no longer taking requests.");

      const parsed = requestFormSchemaFor(offer.formKind).safeParse(input);
      if (!parsed.success) {
        throw new RequestError("invalid", "There is a problem with the answers.", issuesToErrors(parsed.error.issues));
      }
      const form = parsed.data;
      const answers = answersSchemaFor(offer.formKind).parse(form) as Record<string, unknown>;
      // Drop undefined keys so the stored JSON holds only what was answered.
      for (const k of Object.keys(answers)) if (answers[k] === undefined) delete answers[k];
      const urgent = isUrgent(offer.formKind, answers);
      const priority = priorityOf(answers, urgent);
      // Urgent, at-risk and safety-check requests have the offer's urgent target (hours, not days):
      // writeRequest sets the due time.
      // Warn before a second request for the same offer (issue 9, part 4), never holding back a
      // person at risk: a duplicate check must not delay the crisis help or the hub's risk rank.
      const open = await latestOpenRequestFor(tx, caller.id, offer.id);
      const openRequest = open ? { ...open, offerTitle: offer.title } : null;
      const check = options.openRequestCheck;
      const atRisk = priority === "at_risk" || priority === "safety_check";
      if (check && openRequest && !atRisk && check.acknowledgedReference !== openRequest.reference) {
        throw new OpenRequestExistsError(openRequest);
      }

      const request = await writeRequest(
        tx,
        caller,
        offer,
        {
          urgent,
          priority,
          answers,
          contactMethod: form.contactMethod,
          contactPhone: form.contactMethod === "phone" ? (form.contactPhone ?? null) : null,
          contactTimes: form.contactTimes ?? null,
          consentToShareWithManager: form.consentToShareWithManager,
          submissionKey: form.submissionKey,
        },
        now,
      );

      return {
        id: request.id,
        reference: request.reference,
        status: request.status,
        urgent,
        priority,
        formKind: offer.formKind,
        created: true,
        openRequest,
      };
    });
  } catch (err) {
    if (err instanceof DuplicateSubmission || isUniqueViolation(err)) {
      // A twin submission with the same key committed first: return what it made.
      const key = (input as { submissionKey?: string }).submissionKey ?? "";
      const existing = await findBySubmissionKey(db, caller, key);
      if (existing) return { ...existing, created: false, openRequest: null };
    }
    throw err;
  }
}

/** What writeRequest needs besides the person and the offer: validated answers and contact. */
export interface NewRequestFields {
  urgent: boolean;
  priority: RequestPriority;
  answers: Record<string, unknown>;
  contactMethod: "email" | "phone" | "teams";
  contactPhone: string | null;
  contactTimes: string | null;
  consentToShareWithManager: boolean;
  submissionKey: string;
}

/**
 * Writes a new request inside the caller's transaction `tx`: its reference, the row (a stay
 * conversation's coded answers too), the "submitted" event, the mail to the person and the team's
 * notifications. The one path for every request, whether from a request form or a first-year
 * check-in (app/.server/models/check-ins.server.ts). Throws DuplicateSubmission when the
 * submission key has already made a request.
 */
export async function writeRequest(
  tx: Tx,
  caller: CurrentUser,
  offer: typeof supportOffers.$inferSelect,
  fields: NewRequestFields,
  now: Date,
): Promise<{ id: number; reference: string; status: RequestStatus }> {
  const { urgent, priority, answers } = fields;
  const dueAt =
    priority === "normal"
      ? addWorkingDays(now, offer.firstContactTargetDays)
      : urgentDueAt(now, { cutoffHour: offer.urgentCutoffHour, nextDayHour: offer.urgentNextDayHour });
  const reference = await allocateReference(tx, now);

  const [request] = await tx
    .insert(supportRequests)
    .values({
      reference,
      requesterId: caller.id,
      organisationId: caller.organisationId,
      staffGroup: caller.staffGroup,
      tenureBand: tenureBand(caller.startDate, now),
      offerId: offer.id,
      status: "new",
      urgent,
      priority,
      answers,
      contactMethod: fields.contactMethod,
      contactPhone: fields.contactPhone,
      contactTimes: fields.contactTimes,
      consentToShareWithManager: fields.consentToShareWithManager,
      submissionKey: fields.submissionKey,
      submittedAt: now,
      dueAt,
      lastUpdatedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [supportRequests.requesterId, supportRequests.submissionKey] })
    .returning({ id: supportRequests.id, reference: supportRequests.reference, status: supportRequests.status });
  if (!request) throw new DuplicateSubmission();

  // A stay conversation's coded answers, countable in SQL by the retention insights (ADR 034).
  if (offer.formKind === "thinking_of_leaving") {
    const rows = stayAnswerRows(request.id, answers);
    if (rows.length > 0) await tx.insert(stayConversationAnswers).values(rows);
  }

  await tx.insert(requestEvents).values({
    requestId: request.id,
    actorId: caller.id,
    kind: "submitted",
    body: null,
    visibleToRequester: true,
    data: { offer: offer.slug, urgent, priority },
    createdAt: now,
  });

  // Never the content of the request, nor (for sensitive support) what it is about.
  const about = offer.sensitive ? "" : ` for ${offer.title}`;
  await enqueueMail(tx, {
    to: caller.email,
    subject: `We have your request ${reference}`,
    text: [
      `Hello ${caller.name},`,
      "",
      `We have your StayWell request ${reference}${about}.`,
      "",
      `Sign in to follow it, see any messages and reply: ${env().APP_URL}/my/requests/${reference}`,
      "",
      "For your privacy we do not include what you told us in emails.",
      "",
      "StayWell – Staffordshire and Stoke-on-Trent people hub",
    ].join("\n"),
  });

  // The team that handles the offer (not the person asking, should they be in it): the
  // reference and the offer only.
  // A member who turned these emails off (/account/preferences) is still told of an urgent or
  // at-risk request (docs/decisions/028-your-account.md).
  const mustTell = priorityMailLabel(priority) !== null;
  const team = (await teamMembersForOffer(offer.id, tx)).filter(
    (member) => member.id !== caller.id && (mustTell || member.mailTeamNewRequests),
  );
  const [handling] = await tx
    .select({ urgentContactEmail: teams.urgentContactEmail })
    .from(teams)
    .where(eq(teams.id, offer.teamId));
  await notifyTeamOfNewRequest(
    tx,
    team,
    { reference, offerTitle: offer.title, sensitive: offer.sensitive, urgent, priority },
    handling?.urgentContactEmail ?? null,
  );
  return request;
}

// ---------------------------------------------------------------------------------------------
// reading

export interface MyRequestListItem {
  reference: string;
  offerSlug: string;
  offerTitle: string;
  status: RequestStatus;
  urgent: boolean;
  submittedAt: Date;
  updatedAt: Date;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

/** The caller's requests, newest first, `pageSize` a page (page numbers start at 1). */
export async function listMyRequests(
  caller: CurrentUser,
  options: { page?: number; pageSize?: number } = {},
): Promise<Page<MyRequestListItem>> {
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? 20), 1), 100);
  const db = getDb();
  const [{ total }] = await db
    .select({ total: count() })
    .from(supportRequests)
    .where(eq(supportRequests.requesterId, caller.id));
  const pageCount = Math.max(1, Math.ceil(Number(total) / pageSize));
  const page = Math.min(pageNumber(options.page ?? 1), pageCount);
  const items = await db
    .select({
      reference: supportRequests.reference,
      offerSlug: supportOffers.slug,
      offerTitle: supportOffers.title,
      status: supportRequests.status,
      urgent: supportRequests.urgent,
      submittedAt: supportRequests.submittedAt,
      updatedAt: supportRequests.updatedAt,
    })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .where(eq(supportRequests.requesterId, caller.id))
    .orderBy(desc(supportRequests.submittedAt), desc(supportRequests.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { items, page, pageSize, total: Number(total), pageCount };
}

export interface MyRequest {
  id: number;
  reference: string;
  status: RequestStatus;
  urgent: boolean;
  priority: RequestPriority;
  /** When first contact is due (the urgent target for urgent, safety-check and at-risk requests). */
  dueAt: Date;
  answers: Record<string, unknown>;
  contactMethod: "email" | "phone" | "teams";
  contactPhone: string | null;
  contactTimes: string | null;
  consentToShareWithManager: boolean;
  submittedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** Stay conversations: what the hub recorded happened to the person (shown to them, ADR 034). */
  retentionOutcome: RetentionOutcomeValue | null;
  version: number;
  /** The person's satisfaction rating (1–5) of a closed request, once given. */
  satisfactionRating: number | null;
  satisfactionComment: string | null;
  ratedAt: Date | null;
  offer: {
    slug: string;
    title: string;
    formKind: FormKind;
    whatHappensNext: string;
    firstContactTargetDays: number;
    sensitive: boolean;
    provider: string;
  };
}

/** One of the caller's requests by reference; null when missing or someone else's (the same). */
export async function getMyRequest(caller: CurrentUser, reference: string): Promise<MyRequest | null> {
  // A key with a control character names nothing (and PostgreSQL refuses a NUL): not found.
  if (hasControlCharacters(reference)) return null;
  const [row] = await getDb()
    .select({
      id: supportRequests.id,
      reference: supportRequests.reference,
      status: supportRequests.status,
      urgent: supportRequests.urgent,
      priority: supportRequests.priority,
      dueAt: supportRequests.dueAt,
      answers: supportRequests.answers,
      contactMethod: supportRequests.contactMethod,
      contactPhone: supportRequests.contactPhone,
      contactTimes: supportRequests.contactTimes,
      consentToShareWithManager: supportRequests.consentToShareWithManager,
      submittedAt: supportRequests.submittedAt,
      updatedAt: supportRequests.updatedAt,
      closedAt: supportRequests.closedAt,
      retentionOutcome: supportRequests.retentionOutcome,
      version: supportRequests.version,
      satisfactionRating: supportRequests.satisfactionRating,
      satisfactionComment: supportRequests.satisfactionComment,
      ratedAt: supportRequests.ratedAt,
      offerSlug: supportOffers.slug,
      offerTitle: supportOffers.title,
      formKind: supportOffers.formKind,
      whatHappensNext: supportOffers.whatHappensNext,
      firstContactTargetDays: supportOffers.firstContactTargetDays,
      sensitive: supportOffers.sensitive,
      provider: supportOffers.provider,
    })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .where(and(eq(supportRequests.reference, reference), eq(supportRequests.requesterId, caller.id)))
    .limit(1);
  if (!row) return null;
  const { offerSlug, offerTitle, formKind, whatHappensNext, firstContactTargetDays, sensitive, provider, ...request } =
    row;
  return {
    ...request,
    answers: (request.answers ?? {}) as Record<string, unknown>,
    offer: {
      slug: offerSlug,
      title: offerTitle,
      formKind,
      whatHappensNext,
      firstContactTargetDays,
      sensitive,
      provider,
    },
  };
}

export interface TimelineEvent {
  id: number;
  kind: (typeof requestEvents.$inferSelect)["kind"];
  body: string | null;
  data: Record<string, unknown> | null;
  createdAt: Date;
  /** True when the caller did it (their own messages, submission, withdrawal). */
  byMe: boolean;
  /** Name of the person who did it (hub staff), null for the caller or the system. */
  actorName: string | null;
}

/**
 * Events the person sees happened, but whose text is the hub's own record: the person is told the
 * hub recorded a contact with their line manager, never the coordinator's note about it.
 */
const HUB_ONLY_TEXT: ReadonlySet<TimelineEvent["kind"]> = new Set(["manager_contacted"]);

/**
 * The events of one of the caller's requests that the requester may see, oldest first.
 * Null when the request is missing or someone else's. Internal notes are never returned, nor the
 * text of a hub-only record (HUB_ONLY_TEXT).
 */
/**
 * The id of the caller's request `reference` is, when the page already read it (getMyRequest, scoped
 * to the caller): saves a round trip. The queries that use it still require the caller to be the
 * requester, so a wrong id finds nothing.
 */
export interface KnownRequest {
  requestId?: number;
}

/** The caller's own request's id by reference (or the one the caller already knows), else null. */
async function myRequestId(caller: CurrentUser, reference: string, known: KnownRequest) {
  if (known.requestId !== undefined) return { id: known.requestId };
  const [request] = await getDb()
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(and(eq(supportRequests.reference, reference), eq(supportRequests.requesterId, caller.id)))
    .limit(1);
  return request ?? null;
}

export async function getMyRequestTimeline(
  caller: CurrentUser,
  reference: string,
  options: KnownRequest = {},
): Promise<TimelineEvent[] | null> {
  if (hasControlCharacters(reference)) return null;
  const db = getDb();
  const request = await myRequestId(caller, reference, options);
  if (!request) return null;
  const rows = await db
    .select({
      id: requestEvents.id,
      kind: requestEvents.kind,
      body: requestEvents.body,
      data: requestEvents.data,
      createdAt: requestEvents.createdAt,
      actorId: requestEvents.actorId,
      actorName: users.name,
    })
    .from(requestEvents)
    .innerJoin(supportRequests, eq(supportRequests.id, requestEvents.requestId))
    .leftJoin(users, eq(users.id, requestEvents.actorId))
    .where(
      and(
        eq(requestEvents.requestId, request.id),
        eq(supportRequests.requesterId, caller.id),
        eq(requestEvents.visibleToRequester, true),
      ),
    )
    .orderBy(asc(requestEvents.createdAt), asc(requestEvents.id));
  return rows.map(({ actorId, actorName, ...event }) => ({
    ...event,
    body: HUB_ONLY_TEXT.has(event.kind) ? null : event.body,
    data: HUB_ONLY_TEXT.has(event.kind) ? null : ((event.data ?? null) as Record<string, unknown> | null),
    byMe: actorId === caller.id,
    actorName: actorId === caller.id ? null : (actorName ?? null),
  }));
}

// ---------------------------------------------------------------------------------------------
// waiting on the person

/** The caller's own requests the people hub is waiting on them to answer (status waiting_on_staff), oldest wait first. */
export async function myRequestsWaitingOnMe(
  caller: CurrentUser,
  limit = 5,
): Promise<{ total: number; references: string[] }> {
  const mineWaiting = and(eq(supportRequests.requesterId, caller.id), eq(supportRequests.status, "waiting_on_staff"));
  const [rows, [{ total }]] = await Promise.all([
    limit <= 0
      ? Promise.resolve([])
      : getDb()
          .select({ reference: supportRequests.reference })
          .from(supportRequests)
          .where(mineWaiting)
          .orderBy(asc(supportRequests.updatedAt), asc(supportRequests.id))
          .limit(limit),
    getDb().select({ total: count() }).from(supportRequests).where(mineWaiting),
  ]);
  return { total: Number(total), references: rows.map((r) => r.reference) };
}

// ---------------------------------------------------------------------------------------------
// replying and withdrawing

/** Tells the assignee (or the handling team) that the person did something: never what (see notifyHubOfRequesterActivity). */
async function tellHub(tx: Tx, requestId: number, reference: string, activity: RequesterActivity) {
  const found = await hubRecipientsForRequest(requestId, tx);
  if (!found || found.recipients.length === 0) return;
  // Those who turned these emails off (/account/preferences) see the activity in the hub instead.
  const recipients = found.recipients.filter((r) => r.mailTeamActivity);
  await notifyHubOfRequesterActivity(tx, recipients, { reference, ...found.request }, activity);
}

async function lockMyRequest(tx: Tx, caller: CurrentUser, reference: string) {
  const [row] = await tx
    .select({
      id: supportRequests.id,
      status: supportRequests.status,
      version: supportRequests.version,
      dueAt: supportRequests.dueAt,
      pausedAt: supportRequests.pausedAt,
    })
    .from(supportRequests)
    .where(and(eq(supportRequests.reference, reference), eq(supportRequests.requesterId, caller.id)))
    .limit(1)
    .for("update");
  if (!row) throw new RequestError("not_found", "There is no request with that reference.");
  return row;
}

/**
 * The requester writes to the hub (a message_from_staff event, visible to them). Refused on a
 * closed or withdrawn request. A request waiting on them goes back to "in progress".
 * With `version`, refused (conflict) when the request changed since.
 */
export async function replyToMyRequest(
  caller: CurrentUser,
  reference: string,
  input: { message: string; version?: number },
  now = new Date(),
): Promise<{ eventId: number; version: number; status: RequestStatus }> {
  const message = (input.message ?? "").trim();
  if (!message) throw new RequestError("invalid", "Enter your message", { message: "Enter your message" });
  if (message.length > 2000) {
    throw new RequestError("invalid", "Your message must be 2000 characters or fewer", {
      message: "Your message must be 2000 characters or fewer",
    });
  }
  return getDb().transaction(async (tx) => {
    const request = await lockMyRequest(tx, caller, reference);
    if (!isOpenStatus(request.status)) {
      throw new RequestError(
        "closed",
        "This request is closed, so you cannot reply to it. You can make a new request.",
      );
    }
    if (input.version !== undefined && input.version !== request.version) {
      throw new RequestError("conflict", "This request has changed since you opened it. Check it and try again.");
    }
    const [event] = await tx
      .insert(requestEvents)
      .values({
        requestId: request.id,
        actorId: caller.id,
        kind: "message_from_staff",
        body: message,
        visibleToRequester: true,
        createdAt: now,
      })
      .returning({ id: requestEvents.id });
    let status = request.status;
    if (status === "waiting_on_staff") {
      status = "in_progress";
      await tx.insert(requestEvents).values({
        requestId: request.id,
        actorId: caller.id,
        kind: "status_changed",
        body: null,
        visibleToRequester: true,
        data: { from: "waiting_on_staff", to: "in_progress" },
        createdAt: now,
      });
    }
    const version = request.version + 1;
    // Back from waiting on the person: the response clock restarts where it stopped.
    const clock = request.pausedAt ? { pausedAt: null, dueAt: resumedDueAt(request.dueAt, request.pausedAt, now) } : {};
    await tx
      .update(supportRequests)
      // The person's activity (docs/decisions/015): the hub's "New reply" marker and "Last updated".
      .set({ status, version, updatedAt: now, lastRequesterActivityAt: now, lastUpdatedAt: now, ...clock })
      .where(and(eq(supportRequests.id, request.id), eq(supportRequests.requesterId, caller.id)));
    await tellHub(tx, request.id, reference, "reply");
    return { eventId: event.id, version, status };
  });
}

/** The requester withdraws an open request (status withdrawn, closedAt set, a visible event). */
export async function withdrawMyRequest(
  caller: CurrentUser,
  reference: string,
  input: { reason?: string } = {},
  now = new Date(),
): Promise<{ version: number }> {
  const reason = input.reason?.trim() ? input.reason.trim().slice(0, 500) : null;
  return getDb().transaction(async (tx) => {
    const request = await lockMyRequest(tx, caller, reference);
    if (!isOpenStatus(request.status)) {
      throw new RequestError(
        "not_open",
        request.status === "withdrawn"
          ? "You have already withdrawn this request."
          : "This request is closed, so it cannot be withdrawn.",
      );
    }
    await tx.insert(requestEvents).values({
      requestId: request.id,
      actorId: caller.id,
      kind: "withdrawn",
      body: reason,
      visibleToRequester: true,
      data: { from: request.status },
      createdAt: now,
    });
    const version = request.version + 1;
    await tx
      .update(supportRequests)
      .set({
        status: "withdrawn",
        closedAt: now,
        pausedAt: null,
        updatedAt: now,
        version,
        lastRequesterActivityAt: now,
        lastUpdatedAt: now,
      })
      .where(and(eq(supportRequests.id, request.id), eq(supportRequests.requesterId, caller.id)));
    await tellHub(tx, request.id, reference, "withdrawn");
    return { version };
  });
}

/**
 * Withdraws every open request of `requesterId` inside the caller's transaction, as
 * withdrawMyRequest does for one (a visible "withdrawn" event, status withdrawn, the hub told):
 * the first step of erasing an account (app/.server/models/anonymise.server.ts). Returns the references.
 */
export async function withdrawOpenRequestsOf(tx: Tx, requesterId: string, now: Date): Promise<string[]> {
  const open = await tx
    .select({ id: supportRequests.id, reference: supportRequests.reference, status: supportRequests.status })
    .from(supportRequests)
    .where(
      and(
        eq(supportRequests.requesterId, requesterId),
        sql`${supportRequests.status} in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred')`,
      ),
    )
    .orderBy(asc(supportRequests.id))
    .for("update");
  for (const request of open) {
    await tx.insert(requestEvents).values({
      requestId: request.id,
      actorId: requesterId,
      kind: "withdrawn",
      body: null,
      visibleToRequester: true,
      data: { from: request.status, accountDeleted: true },
      createdAt: now,
    });
    await tx
      .update(supportRequests)
      .set({
        status: "withdrawn",
        closedAt: now,
        pausedAt: null,
        updatedAt: now,
        version: sql`${supportRequests.version} + 1`,
        lastRequesterActivityAt: now,
        lastUpdatedAt: now,
      })
      .where(and(eq(supportRequests.id, request.id), eq(supportRequests.requesterId, requesterId)));
    await tellHub(tx, request.id, request.reference, "withdrawn");
  }
  return open.map((r) => r.reference);
}

// ---------------------------------------------------------------------------------------------
// consent to involve the line manager

/**
 * The person withdraws, or gives again, their consent for the people hub to involve their line
 * manager. Only for a request whose form asked (consent_not_asked otherwise), with the version of
 * the request they saw (conflict when it has changed since: they decide on what they last read).
 * One transaction: the versioned UPDATE (which also requires the consent to be what it was, so
 * two changes at once cannot both land), then a timeline event both the person and the hub see.
 * The hub is refused a manager contact while consent is withdrawn (recordManagerContact).
 */
export async function changeMyManagerConsent(
  caller: CurrentUser,
  reference: string,
  input: { change: unknown; version: unknown },
  now = new Date(),
): Promise<{ version: number; consentToShareWithManager: boolean }> {
  const parsed = managerConsentSchema.safeParse(input);
  if (!parsed.success) {
    const errors = issuesToErrors(parsed.error.issues);
    throw new RequestError("invalid", Object.values(errors)[0] ?? "There is a problem with the form.", {
      _form: Object.values(errors)[0] ?? "",
    });
  }
  const give = parsed.data.change === "give";
  return getDb().transaction(async (tx) => {
    const mine = and(eq(supportRequests.reference, reference), eq(supportRequests.requesterId, caller.id));
    const [request] = await tx
      .select({
        id: supportRequests.id,
        version: supportRequests.version,
        consent: supportRequests.consentToShareWithManager,
        formKind: supportOffers.formKind,
      })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
      .where(mine)
      .limit(1)
      .for("update", { of: supportRequests });
    if (!request) throw new RequestError("not_found", "There is no request with that reference.");
    if (!asksManagerConsent(request.formKind)) {
      throw new RequestError(
        "consent_not_asked",
        "This request did not ask about your line manager, so there is nothing to change.",
      );
    }
    const conflict = () =>
      new RequestError("conflict", "This request has changed since you opened it. Check it and try again.");
    // Withdrawing only narrows what the hub may do: it is never refused because the hub touched the
    // request meanwhile (ADR 010, H-010-1). Giving consent again widens it, so it needs the version
    // the person saw.
    if (give && request.version !== parsed.data.version) throw conflict();
    if (request.consent === give) {
      throw new RequestError(
        "consent_unchanged",
        give
          ? "You have already agreed that the people hub can talk to your line manager."
          : "You have already withdrawn your consent for the people hub to talk to your line manager.",
      );
    }
    const [updated] = await tx
      .update(supportRequests)
      .set({
        consentToShareWithManager: give,
        version: sql`${supportRequests.version} + 1`,
        updatedAt: now,
        lastRequesterActivityAt: now,
        lastUpdatedAt: now,
      })
      // The row is locked (FOR UPDATE above): the version here is the one just read.
      .where(
        and(
          mine,
          eq(supportRequests.id, request.id),
          eq(supportRequests.version, request.version),
          eq(supportRequests.consentToShareWithManager, !give),
        ),
      )
      .returning({ version: supportRequests.version });
    if (!updated) throw conflict();
    await tx.insert(requestEvents).values({
      requestId: request.id,
      actorId: caller.id,
      kind: give ? "consent_given" : "consent_withdrawn",
      body: null,
      visibleToRequester: true,
      data: null,
      createdAt: now,
    });
    return { version: updated.version, consentToShareWithManager: give };
  });
}

// ---------------------------------------------------------------------------------------------
// satisfaction

export interface MyRating {
  rating: Rating;
  comment: string | null;
  ratedAt: Date;
}

/**
 * The requester rates a closed request 1–5, with an optional comment, once. Refused (nothing
 * changed) when the request is not closed (not_closed) or already rated (already_rated); the
 * once-only rule is in the UPDATE itself (`rated_at is null`), so two submissions at once cannot
 * both land. Throws invalid (with `errors`) for a rating outside 1–5 or a comment too long.
 */
export async function rateMyRequest(
  caller: CurrentUser,
  reference: string,
  input: { rating: unknown; comment?: unknown },
  now = new Date(),
): Promise<MyRating> {
  const parsed = ratingSchema.safeParse({ rating: input.rating, comment: input.comment });
  if (!parsed.success) {
    const errors = issuesToErrors(parsed.error.issues);
    throw new RequestError("invalid", Object.values(errors)[0] ?? "There is a problem with your rating.", errors);
  }
  const { rating } = parsed.data;
  const comment = parsed.data.comment ?? null;
  return getDb().transaction(async (tx) => {
    const mine = and(eq(supportRequests.reference, reference), eq(supportRequests.requesterId, caller.id));
    const [request] = await tx
      .select({ id: supportRequests.id, status: supportRequests.status, ratedAt: supportRequests.ratedAt })
      .from(supportRequests)
      .where(mine)
      .limit(1);
    if (!request) throw new RequestError("not_found", "There is no request with that reference.");
    const alreadyRated = () =>
      new RequestError("already_rated", "You have already rated this request. You can only rate it once.");
    if (request.ratedAt) throw alreadyRated();
    if (request.status !== "closed") {
      throw new RequestError("not_closed", "You can rate the people hub's help once your request is closed.");
    }
    const [updated] = await tx
      .update(supportRequests)
      .set({
        satisfactionRating: rating,
        satisfactionComment: comment,
        ratedAt: now,
        lastRequesterActivityAt: now,
        lastUpdatedAt: now,
      })
      .where(
        and(
          mine,
          eq(supportRequests.id, request.id),
          eq(supportRequests.status, "closed"),
          isNull(supportRequests.ratedAt),
        ),
      )
      .returning({ id: supportRequests.id });
    if (!updated) throw alreadyRated();
    await tellHub(tx, request.id, reference, "rated");
    return { rating, comment, ratedAt: now };
  });
}

// ---------------------------------------------------------------------------------------------
// who has looked at or changed the request (the requester's access log)

export const ROLE_LABELS: Readonly<Record<UserRole, string>> = {
  staff: "Staff member",
  coordinator: "People hub coordinator",
  manager: "Manager",
  admin: "Administrator",
};

type AccessActionValue = (typeof requestAccessLog.$inferSelect)["action"];

/** What each access-log action means, in the requester's words (never what a note said). */
export const ACCESS_ACTION_LABELS: Readonly<Record<AccessActionValue, string>> = {
  viewed: "Viewed your request",
  assigned: "Assigned your request",
  status_changed: "Changed the status",
  messaged: "Sent you a message",
  noted: "Updated the hub's record",
  manager_contacted: "Recorded a contact with your line manager",
  unassigned: "Took your request off the person looking after it (it went back to the team's queue)",
  transferred: "Moved your request to another people hub team",
};

export interface AccessLogEntry {
  id: number;
  name: string;
  role: UserRole;
  roleLabel: string;
  action: AccessActionValue;
  actionLabel: string;
  at: Date;
}

export const ACCESS_LOG_LIMIT = 100;

/**
 * Who in the people hub has viewed or changed one of the caller's requests, newest first: the
 * latest `limit` entries and how many there are in all. Null when the request is missing or
 * someone else's. Only who, their role, what kind of thing and when: never a note's content.
 */
export async function getMyRequestAccessLog(
  caller: CurrentUser,
  reference: string,
  options: { limit?: number } & KnownRequest = {},
): Promise<{ total: number; entries: AccessLogEntry[] } | null> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? ACCESS_LOG_LIMIT), 1), 500);
  const db = getDb();
  const request = await myRequestId(caller, reference, options);
  if (!request) return null;
  const rows = await db
    .select({
      id: requestAccessLog.id,
      name: users.name,
      role: users.role,
      action: requestAccessLog.action,
      at: requestAccessLog.createdAt,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(requestAccessLog)
    .innerJoin(supportRequests, eq(supportRequests.id, requestAccessLog.requestId))
    .innerJoin(users, eq(users.id, requestAccessLog.actorId))
    .where(and(eq(requestAccessLog.requestId, request.id), eq(supportRequests.requesterId, caller.id)))
    .orderBy(desc(requestAccessLog.createdAt), desc(requestAccessLog.id))
    .limit(limit);
  return {
    total: rows[0]?.total ?? 0,
    entries: rows.map(({ total: _total, ...row }) => ({
      ...row,
      roleLabel: ROLE_LABELS[row.role],
      actionLabel: ACCESS_ACTION_LABELS[row.action],
    })),
  };
}
