// The demo seed's past requests, planned: pure and deterministic for a given (now, count, seed,
// organisations, offers). db/demo-seed/requests.ts writes the plan to the database.
import type { StaffGroup } from "../../app/lib/staff-groups";
import { addWorkingDays, computeDueAt, isWorkingDay, type Pause } from "../../app/lib/working-days";
import {
  type CloseOutcomeValue,
  type FormKind,
  type Organisation,
  requestAccessLog,
  requestEvents,
  type RequestStatus,
  type RetentionOutcomeValue,
} from "../schema";
import {
  CONTACT_TIMES,
  CURRENT_PATTERNS,
  EFFECT_ON_TEAM,
  GENERAL_DETAILS,
  GOOD_COMMENTS,
  MIDDLING_COMMENTS,
  POOR_COMMENTS,
  PSYCHOLOGICAL_DETAILS,
  REQUESTED_PATTERNS,
  STAY_DETAILS,
} from "../seed-data/answers";
import { FIRST_NAMES, LAST_NAMES } from "../seed-data/names";
import {
  DEFAULT_OFFER_WEIGHT,
  HAPPY_RATINGS,
  HOUR_WEIGHTS,
  MIXED_RATINGS,
  OFFER_WEIGHTS,
  OUTCOME_WEIGHTS,
  RETENTION_OUTCOME_WEIGHTS,
  STAY_HELP_WEIGHTS,
  STAY_HOW_SOON_WEIGHTS,
  STAY_REASON_WEIGHTS,
} from "../seed-data/request-mix";
import { JOB_TITLES, STAFF_GROUP_WEIGHTS } from "../seed-data/staff";
import { DAY, emailPart, HOUR, isoDate, MINUTE, Rng, startOfUtcDay } from "./common";
import {
  CLOSING_FOOTER,
  CLOSING_MESSAGES,
  DECLINE_REPLIES,
  ENGAGEMENT,
  FINANCIAL_DETAILS,
  FIRST_CONTACT,
  NO_RESPONSE_MESSAGES,
  NOT_ELIGIBLE_MESSAGES,
  PHONE_NOTES,
  PHYSIO_DETAILS,
  REFERRAL_MESSAGES,
  REFERRED_ON_CLOSING,
  RETIRE_DETAILS,
  STAFF_REPLIES,
  TRIAGE_NOTES,
  URGENT_NOTES,
  WAITING_MESSAGES,
  WITHDRAW_REASONS,
} from "./word-lists";

export interface OrgForSeed extends Omit<Organisation, "esrCode"> {
  domain: string;
}

export interface OfferForSeed {
  id: number;
  slug: string;
  formKind: FormKind;
  firstContactTargetDays: number;
  sensitive?: boolean;
  /** Coordinators of the offer's team, the sign-in demo accounts first (none: nobody can work it). */
  coordinatorIds?: readonly string[];
}

export type EventKind = (typeof requestEvents.$inferInsert)["kind"];
export type AccessAction = (typeof requestAccessLog.$inferInsert)["action"];

/** The actor of an event done by the person who asked; any other actor is a coordinator's user id. */
export const REQUESTER = "requester";

export interface PlannedEvent {
  kind: EventKind;
  /** REQUESTER, or the id of the coordinator who did it. */
  actor: string;
  body: string | null;
  visibleToRequester: boolean;
  data: Record<string, unknown> | null;
  at: Date;
}

export interface PlannedAccess {
  /** A coordinator's user id. */
  actor: string;
  action: AccessAction;
  at: Date;
}

export interface PlannedStaff {
  email: string;
  name: string;
  firstName: string;
  organisationId: number;
  orgType: Organisation["type"];
  staffGroup: StaffGroup;
  jobTitle: string;
  startDate: string;
  startMs: number;
  createdAt: Date;
  used: boolean;
}

export interface PlannedRequest {
  reference: string;
  requesterEmail: string;
  organisationId: number;
  offerId: number;
  status: RequestStatus;
  urgent: boolean;
  answers: Record<string, unknown>;
  contactMethod: "email" | "phone" | "teams";
  contactPhone: string | null;
  contactTimes: string | null;
  consentToShareWithManager: boolean;
  submittedAt: Date;
  dueAt: Date;
  firstContactAt: Date | null;
  pausedAt: Date | null;
  assigneeId: string | null;
  closedAt: Date | null;
  closeOutcome: CloseOutcomeValue | null;
  /** Stay conversations (thinking_of_leaving) only, when closed. */
  retentionOutcome: RetentionOutcomeValue | null;
  satisfactionRating: number | null;
  satisfactionComment: string | null;
  ratedAt: Date | null;
  updatedAt: Date;
  version: number;
  events: PlannedEvent[];
  access: PlannedAccess[];
}

/** The queue's "Last updated" and the person's latest activity (docs/decisions/015), as the models set them. */
export const REQUESTER_ACTIVITY: ReadonlySet<EventKind> = new Set<EventKind>([
  "message_from_staff",
  "withdrawn",
  "consent_withdrawn",
  "consent_given",
]);
export function activityTimes(r: PlannedRequest): { lastUpdatedAt: Date; lastRequesterActivityAt: Date | null } {
  let updated = r.submittedAt.getTime();
  let byPerson: number | null = r.ratedAt ? r.ratedAt.getTime() : null;
  if (r.ratedAt) updated = Math.max(updated, r.ratedAt.getTime());
  for (const e of r.events) {
    if (e.kind === "viewed") continue;
    updated = Math.max(updated, e.at.getTime());
    if (e.actor === REQUESTER && REQUESTER_ACTIVITY.has(e.kind)) byPerson = Math.max(byPerson ?? 0, e.at.getTime());
  }
  return { lastUpdatedAt: new Date(updated), lastRequesterActivityAt: byPerson === null ? null : new Date(byPerson) };
}

export function planPastRequests(input: {
  now: Date;
  count: number;
  seed: number;
  orgs: OrgForSeed[];
  offers: OfferForSeed[];
  /** The demo staff member who gets a closed and rated, an in-progress and a waiting request. */
  demoStaff?: { email: string; firstName: string; organisationId: number } | null;
}): { staff: PlannedStaff[]; requests: PlannedRequest[] } {
  const rng = new Rng(input.seed);
  const nowMs = input.now.getTime();
  const { orgs, offers, count } = input;

  // People: drawn at random from a pool larger than the number of requests, so most ask once and
  // some ask two or three times.
  const staffCount = Math.max(orgs.length, Math.ceil(count * 1.3));
  const orgWeights = orgs.map((o) => [o, Math.pow(o.headcount, 0.75) * ENGAGEMENT[o.type]] as const);
  const staff: PlannedStaff[] = [];
  for (let i = 0; i < staffCount; i++) {
    const org = i < orgs.length ? orgs[i]! : rng.weighted(orgWeights);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const group = rng.weighted(STAFF_GROUP_WEIGHTS[org.type]);
    const tenureYears = rng.weighted([
      [() => rng.between(0.1, 1), 20],
      [() => rng.between(1, 2), 15],
      [() => rng.between(2, 5), 25],
      [() => rng.between(5, 35), 40],
    ] as const)();
    const startMs = startOfUtcDay(nowMs - tenureYears * 365.25 * DAY);
    staff.push({
      email: `${emailPart(first)}.${emailPart(last)}.${101 + i}@${org.domain}`,
      name: `${first} ${last}`,
      firstName: first,
      organisationId: org.id,
      orgType: org.type,
      staffGroup: group,
      jobTitle: rng.pick(JOB_TITLES[`${org.type}:${group}`] ?? JOB_TITLES[group]!),
      startDate: isoDate(startMs),
      startMs,
      createdAt: new Date(nowMs), // set from their first request below
      used: false,
    });
  }
  const tenure = (s: PlannedStaff) => (nowMs - s.startMs) / (365.25 * DAY);
  const preferFor = (slug: string) =>
    slug === "new-starter-support"
      ? (s: PlannedStaff) => tenure(s) < 1
      : slug === "retire-and-return"
        ? (s: PlannedStaff) => tenure(s) >= 10
        : () => true;

  const offerWeights = offers.map((o) => [o, OFFER_WEIGHTS[o.slug] ?? DEFAULT_OFFER_WEIGHT] as const);
  const coverage = Math.max(offers.length, orgs.length);
  // The last few are open, never contacted and past their due time, so the queue's overdue filter
  // and the daily digest have something to show (alternately new, so unassigned, and triaged).
  const overdue = count >= 60 ? Math.min(4, Math.floor(count / 60)) : 0;
  const requests: PlannedRequest[] = [];
  for (let i = 0; i < count; i++) {
    if (i >= count - overdue && i >= coverage) {
      const offer = rng.weighted(offerWeights);
      const target = offer.firstContactTargetDays;
      let t =
        startOfUtcDay(nowMs - (target * 1.45 + rng.between(1, 6)) * DAY) +
        rng.int(8, 16) * HOUR +
        rng.int(0, 59) * MINUTE;
      while (addWorkingDays(new Date(t), target).getTime() >= nowMs) t -= DAY;
      const prefer = preferFor(offer.slug);
      const started = staff.filter((s) => s.startMs + 3 * DAY < t);
      const preferred = started.filter(prefer);
      const person = rng.pick(preferred.length > 0 ? preferred : started.length > 0 ? started : staff);
      requests.push(
        planRequest(rng, nowMs, person, offer, { status: (count - i) % 2 === 1 ? "new" : "triaged", submittedMs: t }),
      );
      continue;
    }
    // The first few cover every offer and every organisation; the rest follow the weights.
    const offer = i < coverage ? offers[i % offers.length]! : rng.weighted(offerWeights);
    const prefer = preferFor(offer.slug);
    let pool = i < coverage ? staff.filter((s) => s.organisationId === orgs[i % orgs.length]!.id) : staff;
    const preferred = pool.filter(prefer);
    if (preferred.length > 0 && (i < coverage || rng.chance(0.9))) pool = preferred;
    const person = rng.pick(pool);
    requests.push(planRequest(rng, nowMs, person, offer));
  }
  const staffByEmail = new Map(staff.map((s) => [s.email, s]));
  for (const r of requests) {
    const s = staffByEmail.get(r.requesterEmail)!;
    const signedUp = Math.max(s.startMs, r.submittedAt.getTime() - rng.between(0.01, 20) * DAY);
    if (!s.used || signedUp < s.createdAt.getTime())
      s.createdAt = new Date(Math.min(signedUp, r.submittedAt.getTime() - 5 * MINUTE));
    s.used = true;
  }
  if (input.demoStaff) requests.push(...planDemoStaffRequests(rng, nowMs, input.demoStaff, offers));
  return { staff, requests };
}

export interface Requester {
  email: string;
  firstName: string;
  organisationId: number;
  startMs: number;
}

export function planRequest(
  rng: Rng,
  nowMs: number,
  person: Requester,
  offer: OfferForSeed,
  forced?: { status: RequestStatus; submittedMs: number },
): PlannedRequest {
  let t: number;
  if (forced) {
    t = forced.submittedMs;
  } else {
    // When: within the last year and after they started; skewed towards recent months (uptake
    // grows), mostly on weekdays and in the day.
    const latest = nowMs - 20 * MINUTE;
    let earliest = Math.max(nowMs - 365 * DAY, person.startMs + 3 * DAY);
    let windowEnd = latest;
    if (offer.slug === "new-starter-support") windowEnd = Math.min(latest, person.startMs + 150 * DAY);
    if (earliest >= windowEnd) earliest = Math.max(nowMs - 365 * DAY, person.startMs);
    t = windowEnd - (windowEnd - earliest) * Math.pow(rng.next(), 1.1);
    const d = new Date(startOfUtcDay(t));
    const weekday = d.getUTCDay();
    if ((weekday === 0 || weekday === 6) && rng.chance(0.7)) d.setUTCDate(d.getUTCDate() + (weekday === 6 ? -1 : 1));
    const hour = rng.weighted(HOUR_WEIGHTS);
    t = d.getTime() + hour * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000;
    if (t > latest) t = latest - rng.int(5, 180) * MINUTE;
    if (t < earliest) t = earliest + rng.int(60, 600) * MINUTE;
    if (t > latest) t = latest;
  }
  const submittedAt = new Date(t);
  const ageDays = (nowMs - t) / DAY;

  const { answers, urgent } = planAnswers(rng, offer, t);
  const contactMethod = rng.weighted([
    ["email", 55],
    ["phone", 30],
    ["teams", 15],
  ] as const);
  let status = forced?.status ?? chooseStatus(rng, ageDays);
  // An offer whose team has nobody in it: nobody has worked its requests.
  if (!offer.coordinatorIds?.length && status !== "withdrawn") status = "new";
  const dueAt = addWorkingDays(submittedAt, offer.firstContactTargetDays);
  const story = planHistory(rng, {
    offer,
    firstName: person.firstName,
    submittedMs: t,
    dueMs: dueAt.getTime(),
    status,
    urgent,
  });
  return assemble(rng, nowMs, story, {
    requesterEmail: person.email,
    organisationId: person.organisationId,
    offerId: offer.id,
    urgent,
    answers,
    contactMethod,
    contactPhone: contactMethod === "phone" ? `07700 900${String(rng.int(0, 999)).padStart(3, "0")}` : null,
    contactTimes: rng.chance(0.4) ? rng.pick(CONTACT_TIMES) : null,
    consentToShareWithManager: rng.chance(offer.formKind === "flexible_working" ? 0.7 : 0.1),
    submittedAt,
    targetDays: offer.firstContactTargetDays,
  });
}

/** A request's fields from its story: every hub field is derived from the events, as the hub would set it. */
function assemble(
  rng: Rng,
  nowMs: number,
  story: Story,
  base: Pick<
    PlannedRequest,
    | "requesterEmail"
    | "organisationId"
    | "offerId"
    | "urgent"
    | "answers"
    | "contactMethod"
    | "contactPhone"
    | "contactTimes"
    | "consentToShareWithManager"
    | "submittedAt"
  > & { targetDays: number },
  rating?: { rating: number; comment: string | null; afterHours: number },
): PlannedRequest {
  const { events, access } = story.finish(base.submittedAt.getTime(), nowMs);
  const status = story.status;
  // Each finished wait on staff pushed the due time back by its working time, as the hub does when
  // a request leaves "waiting on staff" (computeDueAt's rule); an open one is shown provisionally.
  const pauses: Pause[] = [];
  let pauseFrom: Date | null = null;
  for (const e of events) {
    if (e.kind !== "status_changed" && e.kind !== "withdrawn") continue;
    const { from, to } = (e.data ?? {}) as { from?: string; to?: string };
    if (to === "waiting_on_staff") pauseFrom = e.at;
    else if (from === "waiting_on_staff" && pauseFrom) {
      pauses.push({ from: pauseFrom, to: e.at });
      pauseFrom = null;
    }
  }
  const dueAt = computeDueAt({
    submittedAt: base.submittedAt,
    targetDays: base.targetDays,
    pauses,
    now: new Date(nowMs),
  }).dueAt;
  const isMove = (e: PlannedEvent) => e.kind === "status_changed" || e.kind === "withdrawn";
  const to = (e: PlannedEvent) => (e.data as { to?: string } | null)?.to;
  const firstContact = events.find(
    (e) => e.kind === "message_to_staff" || (e.kind === "status_changed" && to(e) === "in_progress"),
  );
  const closing =
    status === "closed" || status === "withdrawn"
      ? [...events].reverse().find((e) => isMove(e) && to(e) === status)
      : undefined;
  const pausing =
    status === "waiting_on_staff"
      ? [...events].reverse().find((e) => isMove(e) && to(e) === "waiting_on_staff")
      : undefined;
  const assigned = [...events].reverse().find((e) => e.kind === "assigned");
  const last = events[events.length - 1]!;

  let satisfactionRating: number | null = null;
  let satisfactionComment: string | null = null;
  let ratedAt: Date | null = null;
  const outcome =
    status === "closed"
      ? ((closing?.data as { outcome?: CloseOutcomeValue } | null)?.outcome ?? "support_given")
      : null;
  if (closing && status === "closed" && (rating || rng.chance(0.5))) {
    const closedMs = closing.at.getTime();
    const want = rating?.afterHours ?? rng.between(0.3, 150);
    const room = Math.max(0, nowMs - 60_000 - closedMs) / HOUR;
    ratedAt = new Date(closedMs + Math.round(Math.min(want, room * 0.9) * HOUR) + 1000);
    if (rating) {
      satisfactionRating = rating.rating;
      satisfactionComment = rating.comment;
    } else {
      satisfactionRating = rng.weighted(
        outcome === "support_given" || outcome === "referred_on" ? HAPPY_RATINGS : MIXED_RATINGS,
      );
      if (rng.chance(0.35)) {
        satisfactionComment = rng.pick(
          satisfactionRating >= 4 ? GOOD_COMMENTS : satisfactionRating === 3 ? MIDDLING_COMMENTS : POOR_COMMENTS,
        );
      }
    }
  }

  const { targetDays: _targetDays, ...fields } = base;
  return {
    reference: "",
    ...fields,
    dueAt,
    status,
    firstContactAt: firstContact?.at ?? null,
    pausedAt: pausing?.at ?? null,
    assigneeId: (assigned?.data as { assigneeId?: string } | null)?.assigneeId ?? null,
    closedAt: closing?.at ?? null,
    closeOutcome: outcome,
    retentionOutcome:
      status === "closed"
        ? ((closing?.data as { retentionOutcome?: RetentionOutcomeValue } | null)?.retentionOutcome ?? null)
        : null,
    satisfactionRating,
    satisfactionComment,
    ratedAt,
    updatedAt: last.at, // rating does not touch updated_at or the version (rateMyRequest)
    // Every action is one change: the submission is version 1; a reply that takes a request off
    // "waiting on staff" changes its status in the same action.
    version:
      1 +
      events.filter((e) => e.kind !== "submitted" && !(e.kind === "status_changed" && e.actor === REQUESTER)).length,
    events,
    access,
  };
}

function chooseStatus(rng: Rng, ageDays: number): RequestStatus {
  if (ageDays < 2)
    return rng.weighted([
      ["new", 60],
      ["triaged", 30],
      ["in_progress", 10],
    ] as const);
  if (ageDays < 7)
    return rng.weighted([
      ["new", 12],
      ["triaged", 30],
      ["in_progress", 35],
      ["waiting_on_staff", 13],
      ["referred", 5],
      ["withdrawn", 5],
    ] as const);
  if (ageDays < 30)
    return rng.weighted([
      ["new", 3],
      ["triaged", 7],
      ["in_progress", 30],
      ["waiting_on_staff", 12],
      ["referred", 15],
      ["closed", 28],
      ["withdrawn", 5],
    ] as const);
  if (ageDays < 90)
    return rng.weighted([
      ["in_progress", 10],
      ["waiting_on_staff", 5],
      ["referred", 17],
      ["closed", 62],
      ["withdrawn", 6],
    ] as const);
  return rng.weighted([
    ["in_progress", 2],
    ["waiting_on_staff", 1],
    ["referred", 10],
    ["closed", 81],
    ["withdrawn", 6],
  ] as const);
}

/**
 * A request's history as it happens: hours after submission, who did what. Coordinators' actions
 * on a sensitive request are preceded by a view (opening the request page) when they come back to
 * it; finish() squeezes the story into the time that has passed and gives the access log.
 */
class Story {
  status: RequestStatus = "new";
  /** Hours after submission. */
  t = 0;
  private readonly steps: (Omit<PlannedEvent, "at" | "kind"> & { kind: EventKind | "view"; offset: number })[] = [];
  private lastView = { actor: "", at: Number.NEGATIVE_INFINITY };
  private assignee: string | null = null;

  constructor(
    private readonly rng: Rng,
    private readonly sensitive: boolean,
    private readonly submittedMs: number,
  ) {}

  wait(hours: number) {
    this.t += hours;
  }

  private push(
    actor: string,
    kind: EventKind,
    body: string | null,
    visibleToRequester: boolean,
    data: Record<string, unknown> | null,
  ) {
    if (actor !== REQUESTER)
      this.t = (nextWorkingMoment(this.rng, this.submittedMs + this.t * HOUR) - this.submittedMs) / HOUR;
    if (actor !== REQUESTER && this.sensitive && (this.lastView.actor !== actor || this.t - this.lastView.at > 2)) {
      this.steps.push({ actor, kind: "view", body: null, visibleToRequester: false, data: null, offset: this.t });
      this.lastView = { actor, at: this.t };
      this.t += this.rng.between(0.02, 0.25);
    }
    this.steps.push({ actor, kind, body, visibleToRequester, data, offset: this.t });
  }

  submitted() {
    this.push(REQUESTER, "submitted", null, true, null);
  }
  /** `actor` gives the request to `assigneeId` (usually themselves); the name is filled in on insert. */
  assign(actor: string, assigneeId: string) {
    // Hub-only, as assignHubRequest records it (the person sees it in their access log instead).
    this.push(actor, "assigned", null, false, { assigneeId, assigneeName: null, previousAssigneeId: this.assignee });
    this.assignee = assigneeId;
  }
  note(actor: string, body: string) {
    this.push(actor, "internal_note", body, false, null);
  }
  message(actor: string, body: string) {
    this.push(actor, "message_to_staff", body, true, null);
  }
  move(actor: string, to: RequestStatus, outcome?: CloseOutcomeValue, retentionOutcome?: RetentionOutcomeValue | null) {
    this.push(actor, "status_changed", null, true, {
      from: this.status,
      to,
      ...(outcome ? { outcome } : {}),
      ...(retentionOutcome ? { retentionOutcome } : {}),
    });
    this.status = to;
  }
  /** The person replies; a request waiting on them goes back to in progress in the same action. */
  reply(body: string) {
    this.push(REQUESTER, "message_from_staff", body, true, null);
    if (this.status === "waiting_on_staff") {
      this.push(REQUESTER, "status_changed", null, true, { from: "waiting_on_staff", to: "in_progress" });
      this.status = "in_progress";
    }
  }
  withdraw(reason: string) {
    this.push(REQUESTER, "withdrawn", reason, true, { from: this.status, to: "withdrawn" });
    this.status = "withdrawn";
  }

  /** Timed events and access log rows, the history squeezed into the time that has passed, in order. */
  finish(submittedMs: number, nowMs: number): { events: PlannedEvent[]; access: PlannedAccess[] } {
    const available = (nowMs - submittedMs) / HOUR - 0.1;
    const lastOffset = this.steps[this.steps.length - 1]!.offset;
    const scale = lastOffset > available * 0.95 && lastOffset > 0 ? (available * 0.95) / lastOffset : 1;
    const events: PlannedEvent[] = [];
    const access: PlannedAccess[] = [];
    this.steps.forEach(({ offset, kind, ...e }, i) => {
      const at = new Date(submittedMs + Math.round(offset * scale * HOUR) + i * 1000);
      if (kind !== "view") events.push({ ...e, kind, at });
      const action = accessActionFor(kind, e.actor);
      if (action) access.push({ actor: e.actor, action, at });
    });
    return { events, access };
  }
}

/**
 * The hub works office hours: `ms` if it is on a working day between 08:00 and 17:00 UTC (about
 * 8 or 9 to 5 or 6 in London), otherwise soon after 08:00 on the next working day.
 */
function nextWorkingMoment(rng: Rng, ms: number): number {
  const hour = new Date(ms).getUTCHours();
  if (hour >= 8 && hour < 17 && isWorkingUtcDay(startOfUtcDay(ms))) return ms;
  let day = startOfUtcDay(ms) + (hour >= 8 ? DAY : 0);
  while (!isWorkingUtcDay(day)) day += DAY;
  return Math.max(ms, day + 8 * HOUR + rng.int(0, 90) * MINUTE + rng.int(0, 59) * 1000);
}

const workingDayCache = new Map<number, boolean>();
/** Whether the UTC day starting at `dayMs` is a working day (between 08:00 and 17:00 UTC it is the same London date). */
function isWorkingUtcDay(dayMs: number): boolean {
  let working = workingDayCache.get(dayMs);
  if (working === undefined) {
    working = isWorkingDay(new Date(dayMs + 12 * HOUR));
    workingDayCache.set(dayMs, working);
  }
  return working;
}

/** The request_access_log action a coordinator's step is recorded as (the person's own steps are not). */
function accessActionFor(kind: EventKind | "view", actor: string): AccessAction | null {
  if (actor === REQUESTER) return null;
  switch (kind) {
    case "view":
      return "viewed";
    case "assigned":
      return "assigned";
    case "status_changed":
      return "status_changed";
    case "message_to_staff":
      return "messaged";
    case "internal_note":
      return "noted";
    default:
      return null;
  }
}

/** Picks the coordinator who looks after a request: the sign-in demo account of the team a little more often. */
function pickCoordinator(rng: Rng, team: readonly string[]): string {
  return rng.weighted(team.map((id, i) => [id, i === 0 ? 3 : 2] as const));
}

/** The request's history: who did what and when, ending in its current status. */
function planHistory(
  rng: Rng,
  r: {
    offer: OfferForSeed;
    firstName: string;
    submittedMs: number;
    dueMs: number;
    status: RequestStatus;
    urgent: boolean;
  },
): Story {
  const s = new Story(rng, r.offer.sensitive ?? false, r.submittedMs);
  const first = r.firstName;
  const kind = r.offer.formKind;
  const final = r.status;
  s.submitted();
  if (final === "new") return s;
  if (final === "withdrawn" && rng.chance(0.35)) {
    s.wait(rng.between(2, 96));
    s.withdraw(rng.pick(WITHDRAW_REASONS));
    return s;
  }
  const team = r.offer.coordinatorIds ?? [];
  if (team.length === 0) {
    s.wait(rng.between(24, 400));
    s.withdraw(rng.pick(WITHDRAW_REASONS));
    return s;
  }
  const lead = pickCoordinator(rng, team);
  const others = team.filter((id) => id !== lead);
  const colleague = others.length > 0 ? rng.pick(others) : lead;
  const by = (p: number) => (rng.chance(p) ? lead : colleague);

  // Triage: whoever is on the inbox checks it, notes anything important, and usually gives it to
  // the coordinator who will look after it (some wait in the team's queue unassigned).
  s.wait(r.urgent ? rng.between(0.2, 3) : rng.between(0.5, 26));
  const triager = by(0.7);
  const assignedAtTriage = rng.chance(final === "triaged" ? 0.6 : 0.85);
  if (assignedAtTriage) s.assign(triager, lead);
  if (r.urgent) s.note(triager, rng.pick(URGENT_NOTES[kind] ?? URGENT_NOTES.general!));
  else if (rng.chance(0.35)) s.note(triager, rng.pick(TRIAGE_NOTES));
  s.move(triager, "triaged");
  if (final === "triaged") return s;
  if (final === "withdrawn" && rng.chance(0.45)) {
    s.wait(rng.between(4, 120));
    s.withdraw(rng.pick(WITHDRAW_REASONS));
    return s;
  }

  const outcome: CloseOutcomeValue | null = final === "closed" ? rng.weighted(OUTCOME_WEIGHTS[kind]) : null;
  // A stay conversation closes with what happened to the person too (the hub requires it).
  const retention =
    final === "closed" && kind === "thinking_of_leaving" ? rng.weighted(RETENTION_OUTCOME_WEIGHTS) : null;
  const close = (actor: string, how: CloseOutcomeValue) => s.move(actor, "closed", how, retention);

  // First contact: mostly within the offer's target (before dueAt), about one in six or seven late
  // (a late contact squeezed into the time a recent request has had may end up on time).
  const hoursToDue = (r.dueMs - r.submittedMs) / HOUR;
  const contactAt = r.urgent
    ? s.t + rng.between(0.3, 6)
    : rng.chance(0.17)
      ? hoursToDue + rng.between(2, Math.max(30, hoursToDue * 0.6))
      : rng.between(Math.min(s.t + 0.3, hoursToDue * 0.85), hoursToDue * 0.85);
  s.t = Math.max(s.t + 0.1, contactAt);
  if (!assignedAtTriage) s.assign(lead, lead);
  if (!r.urgent && rng.chance(0.15)) {
    // Phoned first: the move to in progress is the first contact.
    s.note(lead, `Phoned ${first} and talked through what would help. ${rng.pick(PHONE_NOTES)}`);
  } else {
    s.message(lead, `Hello ${first}, ${rng.pick(FIRST_CONTACT[kind])}`);
  }
  s.wait(0.02);
  s.move(lead, "in_progress");
  if (final === "in_progress") {
    if (rng.chance(0.4)) {
      s.wait(rng.between(1, 48));
      s.reply(rng.pick(STAFF_REPLIES));
    }
    return s;
  }
  if (final === "withdrawn") {
    s.wait(rng.between(24, 400));
    s.withdraw(rng.pick(WITHDRAW_REASONS));
    return s;
  }

  if (final === "waiting_on_staff" || outcome === "no_response" || rng.chance(0.2)) {
    s.wait(rng.between(24, 120));
    s.message(lead, `Hello ${first}, ${rng.pick(WAITING_MESSAGES)}`);
    s.wait(0.02);
    s.move(lead, "waiting_on_staff");
    if (final === "waiting_on_staff") return s;
    if (outcome === "no_response") {
      s.wait(rng.between(240, 480));
      const closer = by(0.85);
      s.message(closer, `Hello ${first}, ${rng.pick(NO_RESPONSE_MESSAGES)} ${CLOSING_FOOTER}`);
      s.wait(0.02);
      close(closer, "no_response");
      return s;
    }
    s.wait(rng.between(6, 160));
    s.reply(rng.pick(STAFF_REPLIES));
  }

  if (outcome === "declined") {
    s.wait(rng.between(24, 240));
    s.reply(rng.pick(DECLINE_REPLIES));
    s.wait(rng.between(1, 30));
    s.message(lead, `Thank you for letting us know, ${first}. I am closing this request for now. ${CLOSING_FOOTER}`);
    s.wait(0.02);
    close(lead, "declined");
    return s;
  }
  if (outcome === "not_eligible") {
    s.wait(rng.between(24, 160));
    s.message(lead, `Hello ${first}, ${rng.pick(NOT_ELIGIBLE_MESSAGES[kind])} ${CLOSING_FOOTER}`);
    s.wait(0.02);
    close(lead, "not_eligible");
    return s;
  }

  if (final === "referred" || outcome === "referred_on" || rng.chance(0.25)) {
    s.wait(rng.between(48, 240));
    const referrer = by(0.85);
    s.message(referrer, rng.pick(REFERRAL_MESSAGES[kind]));
    s.wait(0.02);
    s.move(referrer, "referred");
    if (final === "referred") return s;
  }

  s.wait(rng.between(72, 720));
  const closer = by(0.85);
  const closingMessages = outcome === "referred_on" ? REFERRED_ON_CLOSING[kind] : CLOSING_MESSAGES[kind];
  s.message(closer, `${rng.pick(closingMessages)} ${CLOSING_FOOTER}`);
  s.wait(0.02);
  close(closer, outcome ?? "support_given");
  return s;
}

/**
 * The demo staff member's own requests, so signing in as them shows a realistic My requests: a
 * physiotherapy request closed and rated, a financial wellbeing one in progress with a message
 * from the hub, and a flexible working one waiting on them. Offers missing or without a team are skipped.
 */
function planDemoStaffRequests(
  rng: Rng,
  nowMs: number,
  person: { email: string; firstName: string; organisationId: number },
  offers: OfferForSeed[],
): PlannedRequest[] {
  const bySlug = new Map(offers.map((o) => [o.slug, o]));
  const first = person.firstName;
  const out: PlannedRequest[] = [];
  const base = (offer: OfferForSeed, submittedMs: number, answers: Record<string, unknown>, consent = false) => ({
    requesterEmail: person.email,
    organisationId: person.organisationId,
    offerId: offer.id,
    urgent: false,
    answers,
    contactMethod: "email" as const,
    contactPhone: null,
    contactTimes: "After 4pm, or any time on my days off",
    consentToShareWithManager: consent,
    submittedAt: new Date(submittedMs),
    targetDays: offer.firstContactTargetDays,
  });

  const physio = bySlug.get("physiotherapy");
  if (physio?.coordinatorIds?.length) {
    const lead = physio.coordinatorIds[0]!;
    const submittedMs = weekdayAt(nowMs - 75 * DAY, 13, 42);
    const s = new Story(rng, physio.sensitive ?? false, submittedMs);
    s.submitted();
    s.wait(2.5);
    s.assign(lead, lead);
    s.move(lead, "triaged");
    s.wait(19);
    s.message(
      lead,
      `Hello ${first}, I have booked you a telephone assessment with one of our physiotherapists. They will call you at the time you gave us, after 4pm. If that no longer works, reply here.`,
    );
    s.wait(0.02);
    s.move(lead, "in_progress");
    s.wait(4);
    s.reply("Thank you, that is fine. I am on an early shift that day, so I will be home by then.");
    s.wait(30 * 24);
    s.message(
      lead,
      `The physiotherapist has discharged you with a home exercise plan, so I am closing this request now. ${CLOSING_FOOTER}`,
    );
    s.wait(0.02);
    s.move(lead, "closed", "support_given");
    out.push(
      assemble(
        rng,
        nowMs,
        s,
        base(physio, submittedMs, {
          bodyArea: "back",
          duration: "2_to_6_weeks",
          effectOnWork: "working_with_difficulty",
          details:
            "It started after moving a patient on a night shift. It is worse at the end of a long day on the ward.",
        }),
        {
          rating: 5,
          comment:
            "The physio called when they said they would and the exercises have really helped. I am back on full duties.",
          afterHours: 20,
        },
      ),
    );
  }

  const financial = bySlug.get("financial-wellbeing");
  if (financial?.coordinatorIds?.length) {
    const lead = financial.coordinatorIds[0]!;
    const submittedMs = weekdayAt(nowMs - 6 * DAY, 19, 15);
    const s = new Story(rng, financial.sensitive ?? false, submittedMs);
    s.submitted();
    s.wait(14);
    s.assign(lead, lead);
    s.move(lead, "triaged");
    s.wait(3);
    s.message(
      lead,
      `Hello ${first}, thank you for getting in touch. We have passed your request to Citizens Advice, and an adviser will call you within 5 working days to go through your situation. It helps to have any letters about your bills to hand. If anything changes before then, reply here.`,
    );
    s.wait(0.02);
    s.move(lead, "in_progress");
    out.push(
      assemble(
        rng,
        nowMs,
        s,
        base(financial, submittedMs, {
          topics: ["budgeting", "cost_of_living"],
          urgentSituations: [],
          details: "My rent has gone up by £150 a month and I am finding it hard to keep up with the energy bills.",
        }),
      ),
    );
  }

  const flexible = bySlug.get("flexible-working");
  if (flexible?.coordinatorIds?.length) {
    const lead = flexible.coordinatorIds[1] ?? flexible.coordinatorIds[0]!;
    const submittedMs = weekdayAt(nowMs - 13 * DAY, 8, 5);
    const s = new Story(rng, flexible.sensitive ?? false, submittedMs);
    s.submitted();
    s.wait(26);
    s.assign(lead, lead);
    s.move(lead, "triaged");
    s.wait(22);
    s.message(
      lead,
      `Hello ${first}, thank you for your request. I would like to talk through the options with you before it goes to your manager. I will call you this week.`,
    );
    s.wait(0.02);
    s.move(lead, "in_progress");
    s.wait(50);
    s.message(
      lead,
      `Hello ${first}, thank you for the call. Before I send your request to your manager, could you reply with your contracted hours and the dates of your next 2 rotas? Then I can show how the team could cover the nights.`,
    );
    s.wait(0.02);
    s.move(lead, "waiting_on_staff");
    out.push(
      assemble(
        rng,
        nowMs,
        s,
        base(
          flexible,
          submittedMs,
          {
            currentPattern: "Full time, 37.5 hours, rotating days and nights including weekends",
            requestedPattern: "30 hours over 4 days, with no night shifts",
            requestedStartDate: isoDate(startOfUtcDay(submittedMs) + 10 * 7 * DAY),
            effectOnTeam: "My manager has said the rota could work if I swap one weekend a month with a colleague.",
            earlierRequests: "none",
          },
          true,
        ),
      ),
    );
  }
  return out;
}

/** A weekday (Monday to Friday, going back from a weekend) at hh:mm UTC, on or before the day of `ms`. */
function weekdayAt(ms: number, hour: number, minute: number): number {
  let day = startOfUtcDay(ms);
  while ([0, 6].includes(new Date(day).getUTCDay())) day -= DAY;
  return day + hour * HOUR + minute * MINUTE;
}

function planAnswers(
  rng: Rng,
  offer: OfferForSeed,
  submittedMs: number,
): { answers: Record<string, unknown>; urgent: boolean } {
  switch (offer.formKind) {
    case "financial": {
      const topics = rng.sample(["debt", "benefits", "housing", "budgeting", "cost_of_living", "other"], rng.int(1, 3));
      const urgentSituations = rng.chance(0.12)
        ? rng.sample(["bailiffs", "eviction", "disconnection", "court"], rng.int(1, 2))
        : [];
      const answers: Record<string, unknown> = { topics, urgentSituations };
      if (rng.chance(0.75)) answers.details = rng.pick(FINANCIAL_DETAILS);
      return { answers, urgent: urgentSituations.length > 0 };
    }
    case "psychological": {
      const safety = rng.weighted([
        ["safe", 80],
        ["unsure", 15],
        ["at_risk", 5],
      ] as const);
      const answers = {
        whatIsHappening: rng.pick(PSYCHOLOGICAL_DETAILS),
        effectOnWork: rng.weighted([
          ["struggling", 55],
          ["coping", 25],
          ["off_sick", 20],
        ] as const),
        safety,
      };
      return { answers, urgent: safety === "at_risk" };
    }
    case "physiotherapy": {
      const answers: Record<string, unknown> = {
        bodyArea: rng.weighted([
          ["back", 32],
          ["neck", 14],
          ["shoulder", 16],
          ["knee", 12],
          ["arm_hand", 8],
          ["hip", 7],
          ["ankle_foot", 7],
          ["other", 4],
        ] as const),
        duration: rng.weighted([
          ["under_2_weeks", 20],
          ["2_to_6_weeks", 35],
          ["6_to_12_weeks", 25],
          ["over_12_weeks", 20],
        ] as const),
        effectOnWork: rng.weighted([
          ["working_with_difficulty", 55],
          ["coping", 25],
          ["off_sick", 20],
        ] as const),
      };
      if (rng.chance(0.6)) answers.details = rng.pick(PHYSIO_DETAILS);
      return { answers, urgent: false };
    }
    case "flexible_working":
      return {
        answers: {
          currentPattern: rng.pick(CURRENT_PATTERNS),
          requestedPattern: rng.pick(REQUESTED_PATTERNS),
          requestedStartDate: isoDate(startOfUtcDay(submittedMs) + rng.int(4, 12) * 7 * DAY),
          effectOnTeam: rng.pick(EFFECT_ON_TEAM),
          earlierRequests: rng.weighted([
            ["none", 70],
            ["one", 22],
            ["two_or_more", 8],
          ] as const),
        },
        urgent: false,
      };
    case "retire_return": {
      const answers: Record<string, unknown> = {
        pensionSection: rng.weighted([
          ["1995", 40],
          ["2008", 20],
          ["2015", 25],
          ["not_sure", 15],
        ] as const),
        intendedDate: isoDate(startOfUtcDay(submittedMs) + rng.int(60, 540) * DAY),
        interests: rng.sample(["partial_retirement", "retire_and_return", "reservist_bank"], rng.int(1, 2)),
      };
      if (rng.chance(0.6)) answers.hoursPerWeek = rng.pick([8, 12, 15, 16, 22, 24, 30]);
      if (rng.chance(0.6)) answers.details = rng.pick(RETIRE_DETAILS);
      return { answers, urgent: false };
    }
    case "thinking_of_leaving": {
      // One main reason by weight, sometimes one or two more; the same for what might help.
      const several = <T>(weights: readonly (readonly [T, number])[]) => {
        const chosen = new Set<T>([rng.weighted(weights)]);
        const more = rng.weighted([
          [0, 45],
          [1, 40],
          [2, 15],
        ] as const);
        for (let i = 0; i < more; i++) chosen.add(rng.weighted(weights));
        return [...chosen];
      };
      const answers: Record<string, unknown> = {
        leavingReasons: several(STAY_REASON_WEIGHTS),
        wouldHelpStay: several(STAY_HELP_WEIGHTS),
        howSoon: rng.weighted(STAY_HOW_SOON_WEIGHTS),
        hubAction: rng.chance(0.8) ? "conversation" : "information_only",
      };
      if (rng.chance(0.5)) answers.details = rng.pick(STAY_DETAILS);
      return { answers, urgent: answers.howSoon === "within_month" };
    }
    default:
      return { answers: { details: rng.pick(GENERAL_DETAILS[offer.slug] ?? GENERAL_DETAILS.default!) }, urgent: false };
  }
}
