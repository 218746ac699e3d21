// The support request state machine, as data (docs/decisions/004-request-state-machine-and-working-days.md).
//
//   new → triaged → in progress ⇄ waiting on staff → referred → closed (with an outcome)
//   the person may withdraw an open request; a coordinator may reopen a closed one within 30 days.
//
// Pure and shared by the browser and the server: the hub's status form offers HUB_TRANSITIONS[from],
// and the server action re-checks every change with checkTransition.
import type { RequestStatus } from "@db/schema";
import { addCalendarDays, endOfLondonDay, londonDate } from "~/lib/working-days";

export type { RequestStatus } from "@db/schema";

/** The request_status enum of db/schema.ts, in its order (a test keeps the two in step). */
export const REQUEST_STATUSES = [
  "new",
  "triaged",
  "in_progress",
  "waiting_on_staff",
  "referred",
  "closed",
  "withdrawn",
] as const satisfies readonly RequestStatus[];

export type Actor = "coordinator" | "requester";

/** Labels in each audience's words: the person who asked sees "Waiting for you", the hub "Waiting on staff". */
export const STATUS_LABELS: {
  readonly staff: Readonly<Record<RequestStatus, string>>;
  readonly hub: Readonly<Record<RequestStatus, string>>;
} = {
  staff: {
    new: "New",
    triaged: "Triaged",
    in_progress: "In progress",
    waiting_on_staff: "Waiting for you",
    referred: "Referred",
    closed: "Closed",
    withdrawn: "Withdrawn",
  },
  hub: {
    new: "New",
    triaged: "Triaged",
    in_progress: "In progress",
    waiting_on_staff: "Waiting on staff",
    referred: "Referred",
    closed: "Closed",
    withdrawn: "Withdrawn",
  },
};

export const CLOSE_OUTCOMES = {
  support_given: "Support given",
  referred_on: "Referred on",
  declined: "Declined by the person",
  no_response: "No response",
  not_eligible: "Not eligible",
} as const;

export type CloseOutcome = keyof typeof CLOSE_OUTCOMES;

export function isCloseOutcome(value: unknown): value is CloseOutcome {
  return typeof value === "string" && Object.hasOwn(CLOSE_OUTCOMES, value);
}

/**
 * Where a coordinator may move a request from each status. closed → in_progress is "reopen" and
 * is allowed only within REOPEN_WINDOW_DAYS of closing; moving to closed needs an outcome.
 * Only the person can withdraw; nobody can change a withdrawn request.
 */
export const HUB_TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  new: ["triaged", "in_progress", "closed"],
  triaged: ["in_progress", "waiting_on_staff", "referred", "closed"],
  in_progress: ["waiting_on_staff", "referred", "closed"],
  waiting_on_staff: ["in_progress", "referred", "closed"],
  referred: ["in_progress", "closed"],
  closed: ["in_progress"],
  withdrawn: [],
};

/** Where the person who asked may move their own request: withdraw it while it is open. */
export const STAFF_TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  new: ["withdrawn"],
  triaged: ["withdrawn"],
  in_progress: ["withdrawn"],
  waiting_on_staff: ["withdrawn"],
  referred: ["withdrawn"],
  closed: [],
  withdrawn: [],
};

export const TRANSITIONS: Readonly<Record<Actor, Readonly<Record<RequestStatus, readonly RequestStatus[]>>>> = {
  coordinator: HUB_TRANSITIONS,
  requester: STAFF_TRANSITIONS,
};

export const OPEN_STATUSES: readonly RequestStatus[] = [
  "new",
  "triaged",
  "in_progress",
  "waiting_on_staff",
  "referred",
];

export function isOpen(status: RequestStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Moving a request to one of these counts as first contact (as does the first message to the person). */
export const firstContactStatuses: readonly RequestStatus[] = ["in_progress"];

/** While a request is in one of these, its first-contact clock is stopped (app/lib/working-days.ts computeDueAt). */
export const clockPausedStatuses: readonly RequestStatus[] = ["waiting_on_staff"];

export const REOPEN_WINDOW_DAYS = 30;

/**
 * The last moment a request closed at `closedAt` can be reopened: the end (23:59:59.999 London) of
 * the 30th calendar day after the London day it was closed (closed 1 March at any time → until the
 * end of 31 March).
 */
export function reopenDeadline(closedAt: Date): Date {
  return endOfLondonDay(addCalendarDays(londonDate(closedAt), REOPEN_WINDOW_DAYS));
}

export type TransitionCheck = { ok: true } | { ok: false; message: string };

/**
 * Whether `actor` may move a request from `from` to `to` now. Messages are written for the actor
 * (the hub's labels for a coordinator, the person's for a requester). An outcome is required, and
 * checked, only when closing; it is ignored otherwise. closedAt is needed only to reopen.
 */
export function checkTransition(input: {
  actor: Actor;
  from: RequestStatus;
  to: RequestStatus;
  outcome?: string | null;
  closedAt?: Date | null;
  now: Date;
}): TransitionCheck {
  const { actor, from, to, outcome, closedAt, now } = input;
  const labels = actor === "coordinator" ? STATUS_LABELS.hub : STATUS_LABELS.staff;
  const no = (message: string): TransitionCheck => ({ ok: false, message });

  if (!Object.hasOwn(TRANSITIONS, actor)) return no(`Unknown actor: ${String(actor)}`);
  if (!Object.hasOwn(labels, from)) return no(`Unknown status: ${String(from)}`);
  if (!Object.hasOwn(labels, to)) return no(`Unknown status: ${String(to)}`);

  if (from === to) return no(`This request is already ${labels[from]}`);

  if (actor === "requester") {
    if (to !== "withdrawn")
      return no("You can withdraw your request, but only the wellbeing hub can change its status");
    if (from === "withdrawn") return no("This request has already been withdrawn");
    if (!STAFF_TRANSITIONS[from].includes(to))
      return no(`This request is ${labels[from]}, so it can no longer be withdrawn`);
    return { ok: true };
  }

  if (from === "withdrawn") return no("A withdrawn request cannot be changed");
  if (to === "withdrawn") return no("Only the person who asked for support can withdraw a request");
  if (!HUB_TRANSITIONS[from].includes(to)) return no(`A request cannot move from ${labels[from]} to ${labels[to]}`);

  if (to === "closed") {
    if (outcome === undefined || outcome === null || outcome === "")
      return no("Choose an outcome to close this request");
    if (!isCloseOutcome(outcome)) return no("Choose one of the listed outcomes to close this request");
  }

  if (from === "closed") {
    if (!closedAt) return no("This request cannot be reopened because the date it was closed is not recorded");
    if (now.getTime() > reopenDeadline(closedAt).getTime()) {
      return no(`A request closed more than ${REOPEN_WINDOW_DAYS} days ago cannot be reopened`);
    }
  }
  return { ok: true };
}
