import { describe, expect, it } from "vitest";
import { requestStatus } from "@db/schema";
import {
  CLOSE_OUTCOMES,
  HUB_TRANSITIONS,
  OPEN_STATUSES,
  REQUEST_STATUSES,
  STAFF_TRANSITIONS,
  STATUS_LABELS,
  checkTransition,
  clockPausedStatuses,
  firstContactStatuses,
  isCloseOutcome,
  isOpen,
  reopenDeadline,
  type Actor,
  type RequestStatus,
} from "~/lib/request-status";

// The table, written out by hand from the spec and ADR 004: every allowed (from → to) per actor.
// Anything not listed here must be refused.
const EXPECTED_ALLOWED: Record<Actor, readonly string[]> = {
  coordinator: [
    "new → triaged",
    "new → in_progress",
    "new → closed",
    "triaged → in_progress",
    "triaged → waiting_on_staff",
    "triaged → referred",
    "triaged → closed",
    "in_progress → waiting_on_staff",
    "in_progress → referred",
    "in_progress → closed",
    "waiting_on_staff → in_progress",
    "waiting_on_staff → referred",
    "waiting_on_staff → closed",
    "referred → in_progress",
    "referred → closed",
    "closed → in_progress", // reopen, within 30 days
  ],
  requester: [
    "new → withdrawn",
    "triaged → withdrawn",
    "in_progress → withdrawn",
    "waiting_on_staff → withdrawn",
    "referred → withdrawn",
  ],
};

const ALL: RequestStatus[] = ["new", "triaged", "in_progress", "waiting_on_staff", "referred", "closed", "withdrawn"];
const NOW = new Date("2026-11-28T12:00:00Z");
const RECENTLY_CLOSED = new Date("2026-11-20T12:00:00Z");

function pairs(table: Readonly<Record<RequestStatus, readonly RequestStatus[]>>): string[] {
  return ALL.flatMap((from) => table[from].map((to) => `${from} → ${to}`));
}

describe("request statuses", () => {
  it("are the request_status enum of db/schema.ts", () => {
    expect([...REQUEST_STATUSES]).toEqual(requestStatus.enumValues);
    expect([...REQUEST_STATUSES]).toEqual(ALL);
  });

  it("have labels for the person and for the hub", () => {
    expect(STATUS_LABELS.staff).toEqual({
      new: "New",
      triaged: "Triaged",
      in_progress: "In progress",
      waiting_on_staff: "Waiting for you",
      referred: "Referred",
      closed: "Closed",
      withdrawn: "Withdrawn",
    });
    expect(STATUS_LABELS.hub).toEqual({ ...STATUS_LABELS.staff, waiting_on_staff: "Waiting on staff" });
  });

  it("have the five closing outcomes", () => {
    expect(CLOSE_OUTCOMES).toEqual({
      support_given: "Support given",
      referred_on: "Referred on",
      declined: "Declined by the person",
      no_response: "No response",
      not_eligible: "Not eligible",
    });
    expect(isCloseOutcome("support_given")).toBe(true);
    expect(isCloseOutcome("toString")).toBe(false);
    expect(isCloseOutcome(undefined)).toBe(false);
  });

  it("are open until closed or withdrawn", () => {
    expect([...OPEN_STATUSES]).toEqual(["new", "triaged", "in_progress", "waiting_on_staff", "referred"]);
    for (const s of ALL) expect(isOpen(s), s).toBe(s !== "closed" && s !== "withdrawn");
  });

  it("count a move to in progress as first contact, and stop the clock while waiting on staff", () => {
    expect([...firstContactStatuses]).toEqual(["in_progress"]);
    expect([...clockPausedStatuses]).toEqual(["waiting_on_staff"]);
  });
});

describe("transition tables", () => {
  it("match the expected list exactly", () => {
    expect(pairs(HUB_TRANSITIONS)).toEqual(EXPECTED_ALLOWED.coordinator);
    expect(pairs(STAFF_TRANSITIONS)).toEqual(EXPECTED_ALLOWED.requester);
  });

  it("have a row for every status", () => {
    expect(Object.keys(HUB_TRANSITIONS).sort()).toEqual([...ALL].sort());
    expect(Object.keys(STAFF_TRANSITIONS).sort()).toEqual([...ALL].sort());
  });
});

describe("checkTransition over every (from, to) pair", () => {
  for (const actor of ["coordinator", "requester"] as const) {
    it(`allows a ${actor} exactly the listed moves (${ALL.length * ALL.length} pairs)`, () => {
      let allowed = 0;
      for (const from of ALL) {
        for (const to of ALL) {
          const expected = EXPECTED_ALLOWED[actor].includes(`${from} → ${to}`);
          // Give every move what it could need (an outcome, a recent closing date), so a refusal can only come from the table.
          const result = checkTransition({
            actor,
            from,
            to,
            outcome: "support_given",
            closedAt: RECENTLY_CLOSED,
            now: NOW,
          });
          expect(result.ok, `${actor}: ${from} → ${to} ${result.ok ? "" : result.message}`).toBe(expected);
          if (!result.ok) expect(result.message.length, `${from} → ${to}`).toBeGreaterThan(10);
          if (expected) allowed++;
        }
      }
      expect(allowed).toBe(EXPECTED_ALLOWED[actor].length);
    });
  }
});

describe("checkTransition messages and conditions", () => {
  const coordinator = (
    from: RequestStatus,
    to: RequestStatus,
    extra: { outcome?: string | null; closedAt?: Date | null; now?: Date } = {},
  ) => checkTransition({ actor: "coordinator", from, to, now: NOW, ...extra });
  const requester = (from: RequestStatus, to: RequestStatus) =>
    checkTransition({ actor: "requester", from, to, now: NOW });

  it("names both statuses in the hub's words when a move is not in the table", () => {
    expect(coordinator("closed", "waiting_on_staff", { closedAt: RECENTLY_CLOSED })).toEqual({
      ok: false,
      message: "A request cannot move from Closed to Waiting on staff",
    });
    expect(coordinator("new", "referred")).toEqual({
      ok: false,
      message: "A request cannot move from New to Referred",
    });
    expect(coordinator("in_progress", "new")).toEqual({
      ok: false,
      message: "A request cannot move from In progress to New",
    });
    expect(coordinator("triaged", "triaged")).toEqual({ ok: false, message: "This request is already Triaged" });
  });

  it("requires a listed outcome to close, from every status that can be closed", () => {
    for (const from of ["new", "triaged", "in_progress", "waiting_on_staff", "referred"] as const) {
      for (const outcome of [undefined, null, ""]) {
        expect(coordinator(from, "closed", { outcome }), `${from} ${String(outcome)}`).toEqual({
          ok: false,
          message: "Choose an outcome to close this request",
        });
      }
      expect(coordinator(from, "closed", { outcome: "fixed_it" })).toEqual({
        ok: false,
        message: "Choose one of the listed outcomes to close this request",
      });
      for (const outcome of Object.keys(CLOSE_OUTCOMES))
        expect(coordinator(from, "closed", { outcome }).ok, outcome).toBe(true);
    }
  });

  it("ignores an outcome when not closing", () => {
    expect(coordinator("new", "triaged", { outcome: "support_given" }).ok).toBe(true);
    expect(coordinator("new", "triaged", { outcome: "nonsense" }).ok).toBe(true);
  });

  it("reopens within 30 days of closing, to the end of the 30th London day", () => {
    const closedAt = new Date("2026-03-01T15:00:00Z");
    expect(reopenDeadline(closedAt).toISOString()).toBe("2026-03-31T22:59:59.999Z"); // 31 March is in BST
    expect(coordinator("closed", "in_progress", { closedAt, now: new Date("2026-03-01T15:05:00Z") }).ok).toBe(true);
    expect(coordinator("closed", "in_progress", { closedAt, now: new Date("2026-03-31T22:59:59.999Z") }).ok).toBe(true);
    expect(coordinator("closed", "in_progress", { closedAt, now: new Date("2026-03-31T23:00:00Z") })).toEqual({
      ok: false,
      message: "A request closed more than 30 days ago cannot be reopened",
    });
    expect(coordinator("closed", "in_progress", { closedAt, now: new Date("2026-06-01T10:00:00Z") }).ok).toBe(false);
    // Closed late in the evening in BST: the London day counts, not the UTC one.
    const lateEvening = new Date("2026-06-30T23:30:00Z"); // 1 July 00:30 BST
    expect(reopenDeadline(lateEvening).toISOString()).toBe("2026-07-31T22:59:59.999Z");
  });

  it("refuses to reopen when the closing date is not known", () => {
    expect(coordinator("closed", "in_progress", { closedAt: null })).toEqual({
      ok: false,
      message: "This request cannot be reopened because the date it was closed is not recorded",
    });
  });

  it("does not let a coordinator withdraw a request", () => {
    for (const from of ["new", "triaged", "in_progress", "waiting_on_staff", "referred", "closed"] as const) {
      expect(coordinator(from, "withdrawn", { closedAt: RECENTLY_CLOSED })).toEqual({
        ok: false,
        message: "Only the person who asked for support can withdraw a request",
      });
    }
  });

  it("keeps a withdrawn request withdrawn, for everyone", () => {
    for (const to of ALL) {
      expect(coordinator("withdrawn", to, { outcome: "support_given", closedAt: RECENTLY_CLOSED }).ok, to).toBe(false);
      expect(requester("withdrawn", to).ok, to).toBe(false);
    }
    expect(coordinator("withdrawn", "in_progress")).toEqual({
      ok: false,
      message: "A withdrawn request cannot be changed",
    });
    expect(requester("withdrawn", "withdrawn")).toEqual({ ok: false, message: "This request is already Withdrawn" });
  });

  it("lets the person withdraw only an open request, in their words", () => {
    expect(requester("waiting_on_staff", "withdrawn")).toEqual({ ok: true });
    expect(requester("closed", "withdrawn")).toEqual({
      ok: false,
      message: "This request is Closed, so it can no longer be withdrawn",
    });
    expect(requester("new", "closed")).toEqual({
      ok: false,
      message: "You can withdraw your request, but only the wellbeing hub can change its status",
    });
    expect(requester("waiting_on_staff", "in_progress").ok).toBe(false);
  });

  it("refuses values that are not statuses or actors (from a tampered form)", () => {
    const bad = (input: Record<string, unknown>) =>
      checkTransition({ actor: "coordinator", from: "new", to: "triaged", now: NOW, ...input } as Parameters<
        typeof checkTransition
      >[0]);
    expect(bad({ to: "toString" })).toEqual({ ok: false, message: "Unknown status: toString" });
    expect(bad({ from: "archived" })).toEqual({ ok: false, message: "Unknown status: archived" });
    expect(bad({ actor: "manager" })).toEqual({ ok: false, message: "Unknown actor: manager" });
  });
});
