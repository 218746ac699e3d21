// The hub request page (/hub/requests/<reference>): its loader and action called as Remix calls
// them (plain form POSTs, as a browser without JavaScript sends them), on PGlite and PostgreSQL.
// Who may open what, every action and its misuse, the response clock, the audit log, stale versions.
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  cannedResponses,
  mailOutbox,
  requestAccessLog,
  requestReads,
  supportRequests,
  type RequestStatus,
  type SupportOffer,
} from "@db/schema";
import {
  changeHubRequestStatus,
  formatChangeTime,
  getHubRequest,
  HubRequestError,
} from "~/.server/models/hub-requests.server";
import { createRequest, getMyRequestTimeline } from "~/.server/models/requests.server";
import { HUB_TRANSITIONS, REQUEST_STATUSES } from "~/lib/request-status";
import { workingMillisecondsBetween } from "~/lib/working-days";
import * as route from "~/routes/hub.requests.$reference";
import {
  addTeamMembers,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  asCurrentUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, signInCookie, runRoute } from "../helpers/http";
import { accessOf, eventsOf, mailCount, rowOf } from "../helpers/request-rows";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const run = runRoute;

const asCaller = asCurrentUser;

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

/** Opening the page from inside StayWell (the queue's link): the browser says Sec-Fetch-Site: same-origin. */
const FROM_STAYWELL = { "Sec-Fetch-Site": "same-origin" };

async function view(user: TestUser, reference: string) {
  const cookie = await cookieOf(user);
  return run(() =>
    route.loader({
      request: getRequest(`/hub/requests/${reference}`, { cookie, headers: FROM_STAYWELL }),
      params: { reference },
      context: {},
    }),
  );
}

async function act(user: TestUser, reference: string, fields: Record<string, string | number | undefined>) {
  const cookie = await cookieOf(user);
  return run(() =>
    route.action({
      request: formRequest(`/hub/requests/${reference}`, fields, { cookie }),
      params: { reference },
      context: {},
    }),
  );
}

/** Everything a refused action must leave as it was. */
async function snapshot(reference: string) {
  const row = await rowOf(reference);
  return {
    row,
    events: (await eventsOf(row.id)).length,
    access: (await accessOf(row.id)).length,
    mail: await mailCount(),
  };
}

type Kind = "general" | "psychological" | "flexible_working";
const ANSWERS: Record<Kind, Record<string, unknown>> = {
  general: { details: "I would like some help with my rota" },
  psychological: { whatIsHappening: "Struggling since a difficult shift", effectOnWork: "struggling", safety: "safe" },
  flexible_working: {
    currentPattern: "Full time",
    requestedPattern: "Four days a week",
    requestedStartDate: "2027-09-01",
    effectOnTeam: "A colleague can cover Fridays",
    earlierRequests: "none",
  },
};

async function newRequest(requester: TestUser, offer: SupportOffer, now?: Date) {
  const created = await createRequest(
    asCaller(requester),
    offer.slug,
    {
      ...ANSWERS[offer.formKind as Kind],
      contactMethod: "phone",
      contactPhone: "07700 900 982",
      contactTimes: "Mornings",
      consentToShareWithManager: "on",
      submissionKey: randomUUID(),
    },
    now,
  );
  return created.reference;
}

describe("the hub request page", () => {
  let amy: TestUser; // the person who asks
  let coord: TestUser; // team 1
  let colleague: TestUser; // team 1
  let otherCoord: TestUser; // team 2 only
  let staff: TestUser;
  let manager: TestUser;
  let adminNotInTeam: TestUser;
  let teamOneName: string;
  let teamTwoName: string;
  let general: SupportOffer; // team 1, not sensitive
  let psych: SupportOffer; // team 1, sensitive
  let flexible: SupportOffer; // team 1, flexible working
  let otherGeneral: SupportOffer; // team 2, not sensitive
  let otherPsych: SupportOffer; // team 2, sensitive

  beforeAll(async () => {
    const org = await createOrganisation({ name: "Royal Stoke Test Trust" });
    amy = await createUser({
      organisationId: org.id,
      name: "Amy Lee",
      staffGroup: "nursing_midwifery",
      jobTitle: "Staff nurse",
      startDate: "2020-01-15",
    });
    coord = await createUser({ role: "coordinator", name: "Cora Ordinator" });
    colleague = await createUser({ role: "coordinator", name: "Colin League" });
    otherCoord = await createUser({ role: "coordinator", name: "Otto Therteam" });
    staff = await createUser({ role: "staff" });
    manager = await createUser({ role: "manager" });
    adminNotInTeam = await createUser({ role: "admin" });
    const teamOne = await createTeam({ name: "Wellbeing team one", members: [coord.id, colleague.id] });
    const teamTwo = await createTeam({ name: "Wellbeing team two", members: [otherCoord.id] });
    teamOneName = teamOne.name;
    teamTwoName = teamTwo.name;
    general = await createOffer({ teamId: teamOne.id, formKind: "general", firstContactTargetDays: 5 });
    psych = await createOffer({ teamId: teamOne.id, formKind: "psychological", sensitive: true });
    flexible = await createOffer({ teamId: teamOne.id, formKind: "flexible_working" });
    otherGeneral = await createOffer({ teamId: teamTwo.id, formKind: "general" });
    otherPsych = await createOffer({ teamId: teamTwo.id, formKind: "psychological", sensitive: true });
    // A second team's member is never an assignee for team one.
    await addTeamMembers(teamTwo.id, [colleague.id]);
  });

  it("shows a same-team coordinator the request, the person, the response target and the timeline", async () => {
    const reference = await newRequest(amy, general);
    const [canned] = await getDb()
      .insert(cannedResponses)
      .values({ offerId: general.id, title: "First contact", body: "Hello, thank you for getting in touch." })
      .returning();
    const out = await view(coord, reference);
    expect(out.status).toBe(200);
    const data = out.data as Extract<Awaited<ReturnType<typeof route.loader>>, { step: "request" }>;
    expect(data.step).toBe("request");
    expect(data.request).toMatchObject({
      reference,
      status: "new",
      offer: { title: general.title, formKind: "general", sensitive: false, teamName: teamOneName },
      requester: {
        name: "Amy Lee",
        firstName: "Amy",
        email: amy.email,
        organisationName: "Royal Stoke Test Trust",
        staffGroup: "Nursing and midwifery",
        jobTitle: "Staff nurse",
      },
      contact: { method: "phone", phone: "07700 900 982", times: "Mornings" },
      consentToShareWithManager: true,
      assignee: null,
      due: { paused: false, overdue: false, firstContactAt: null, statutoryDecisionDeadline: null },
      transitions: ["triaged", "in_progress", "closed"],
    });
    expect(data.request.requester.tenure).toMatch(/^\d+ years?( \d+ months?)?$/);
    expect(data.answers).toEqual([
      expect.objectContaining({ key: "details", answer: "I would like some help with my rota" }),
    ]);
    expect(data.request.timeline.map((e) => e.kind)).toEqual(["submitted"]);
    expect(data.request.teamMembers.map((m) => m.name).sort()).toEqual(["Colin League", "Cora Ordinator"]);
    expect(data.request.cannedResponses).toEqual([{ id: canned.id, title: "First contact", body: canned.body }]);
    expect(data.canned).toBeNull();
    expect("id" in data.request).toBe(false);

    const withCanned = await run(() =>
      route.loader({
        request: getRequest(`/hub/requests/${reference}?canned=${canned.id}`, {
          cookie: cookies.get(coord.id),
          headers: FROM_STAYWELL,
        }),
        params: { reference },
        context: {},
      }),
    );
    expect((withCanned.data as { canned: unknown }).canned).toEqual({
      id: canned.id,
      title: "First contact",
      body: canned.body,
    });
  });

  it("shows the statutory decision deadline for flexible working", async () => {
    const reference = await newRequest(amy, flexible, new Date("2026-10-30T10:00:00Z"));
    const out = await view(coord, reference);
    expect(
      (out.data as { request: { due: { statutoryDecisionDeadline: string } } }).request.due.statutoryDecisionDeadline,
    ).toBe("2026-12-30");
  });

  it("assigns to the coordinator, to a team member, and refuses someone outside the team", async () => {
    const reference = await newRequest(amy, general);
    const before = await rowOf(reference);

    const me = await act(coord, reference, { intent: "assign", assigneeId: "me", version: before.version });
    expect(me.status).toBe(302);
    expect(me.location).toBe(`/hub/requests/${reference}?done=assign`);
    let row = await rowOf(reference);
    expect(row.assigneeId).toBe(coord.id);
    expect(row.version).toBe(before.version + 1);

    const other = await act(coord, reference, { intent: "assign", assigneeId: colleague.id, version: row.version });
    expect(other.status).toBe(302);
    row = await rowOf(reference);
    expect(row.assigneeId).toBe(colleague.id);

    const events = (await eventsOf(row.id)).filter((e) => e.kind === "assigned");
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.visibleToRequester === false && e.actorId === coord.id)).toBe(true);
    expect(events[1].data).toMatchObject({ assigneeId: colleague.id, assigneeName: "Colin League" });

    const kept = await snapshot(reference);
    for (const outsider of [otherCoord.id, amy.id, "no-such-user"]) {
      const refused = await act(coord, reference, { intent: "assign", assigneeId: outsider, version: row.version });
      expect(refused.status).toBe(400);
      expect(refused.data).toMatchObject({
        intent: "assign",
        errors: { assigneeId: `Choose someone in the ${teamOneName} team` },
      });
    }
    expect(await snapshot(reference)).toEqual(kept);

    // The page names who it was assigned to, whatever the event's data holds besides the id.
    const page = await view(coord, reference);
    const assigned = (
      page.data as { request: { timeline: { kind: string; assigneeName: string | null }[] } }
    ).request.timeline.filter((e) => e.kind === "assigned");
    expect(assigned.map((e) => e.assigneeName)).toEqual(["Cora Ordinator", "Colin League"]);

    const unassign = await act(coord, reference, { intent: "assign", assigneeId: "", version: row.version });
    expect(unassign.status).toBe(302);
    expect((await rowOf(reference)).assigneeId).toBeNull();
  });

  it("sends a message to the person: visible to them, first contact, an email without the content", async () => {
    const reference = await newRequest(amy, general);
    const before = await rowOf(reference);
    const mailBefore = await mailCount();
    const body = "Hello Amy, I can call you on Tuesday morning. Private detail 7731.";
    const out = await act(coord, reference, { intent: "message", message: body, version: before.version });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/hub/requests/${reference}?done=message`);

    const row = await rowOf(reference);
    expect(row.firstContactAt).toBeInstanceOf(Date);
    expect(row.status).toBe("new"); // a message does not change the status
    expect(row.version).toBe(before.version + 1);
    const [event] = (await eventsOf(row.id)).filter((e) => e.kind === "message_to_staff");
    expect(event).toMatchObject({ body, visibleToRequester: true, actorId: coord.id });

    expect(await mailCount()).toBe(mailBefore + 1);
    const [mail] = await getDb()
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, amy.email))
      .orderBy(asc(mailOutbox.id));
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, amy.email));
    const last = mails.sort((a, b) => b.id - a.id)[0];
    expect(mail).toBeDefined();
    expect(last.subject).toBe(`There is a new message on your request ${reference}`);
    expect(last.textBody).not.toContain("7731");
    expect(last.textBody).not.toContain("Tuesday");

    const timeline = await getMyRequestTimeline(asCaller(amy), reference);
    expect(timeline?.some((e) => e.kind === "message_to_staff" && e.body === body)).toBe(true);

    // A second message keeps the first contact time.
    await act(coord, reference, { intent: "message", message: "Another", version: row.version });
    expect((await rowOf(reference)).firstContactAt).toEqual(row.firstContactAt);
  });

  it("adds an internal note that the person never sees and is not emailed about", async () => {
    const reference = await newRequest(amy, general);
    const before = await rowOf(reference);
    const mailBefore = await mailCount();
    const out = await act(coord, reference, {
      intent: "note",
      note: "Spoke to occupational health",
      version: before.version,
    });
    expect(out.status).toBe(302);
    const row = await rowOf(reference);
    expect(row.version).toBe(before.version + 1);
    expect(row.firstContactAt).toBeNull();
    const [note] = (await eventsOf(row.id)).filter((e) => e.kind === "internal_note");
    expect(note).toMatchObject({ body: "Spoke to occupational health", visibleToRequester: false, actorId: coord.id });
    expect(await mailCount()).toBe(mailBefore);

    const timeline = await getMyRequestTimeline(asCaller(amy), reference);
    expect(timeline).not.toBeNull();
    expect(timeline!.some((e) => e.kind === "internal_note" || e.body === "Spoke to occupational health")).toBe(false);

    // The hub's timeline has it.
    const hub = await view(coord, reference);
    const events = (
      hub.data as { request: { timeline: { kind: string; visibleToRequester: boolean; actorName: string }[] } }
    ).request.timeline;
    expect(events.find((e) => e.kind === "internal_note")).toMatchObject({
      visibleToRequester: false,
      actorName: "Cora Ordinator",
    });
  });

  it("refuses blank messages and messages over 2000 characters, changing nothing", async () => {
    const reference = await newRequest(amy, general);
    const kept = await snapshot(reference);
    const long = await act(coord, reference, {
      intent: "message",
      message: "x".repeat(2001),
      version: kept.row.version,
    });
    expect(long.status).toBe(400);
    expect(long.data).toMatchObject({
      intent: "message",
      errors: { message: "Your message must be 2000 characters or fewer" },
      values: { message: "x".repeat(2001) },
    });
    const blank = await act(coord, reference, { intent: "message", message: "   ", version: kept.row.version });
    expect(blank.status).toBe(400);
    const longNote = await act(coord, reference, { intent: "note", note: "y".repeat(2001), version: kept.row.version });
    expect(longNote.status).toBe(400);
    expect(longNote.data).toMatchObject({ errors: { note: "The note must be 2000 characters or fewer" } });
    expect(await snapshot(reference)).toEqual(kept);
    // Exactly 2000 is fine.
    const ok = await act(coord, reference, { intent: "message", message: "z".repeat(2000), version: kept.row.version });
    expect(ok.status).toBe(302);
  });

  it("a saved response chosen without JavaScript comes back after what was typed, and nothing is sent or written", async () => {
    const reference = await newRequest(amy, general);
    const [mine] = await getDb()
      .insert(cannedResponses)
      .values({ offerId: general.id, title: "Booked", body: "We have booked you an appointment." })
      .returning();
    const [theirs] = await getDb()
      .insert(cannedResponses)
      .values({ offerId: otherGeneral.id, title: "Other team", body: "Another team's words." })
      .returning();
    const kept = await snapshot(reference);
    const reads = async () =>
      (await getDb().select().from(requestReads).where(eq(requestReads.requestId, kept.row.id))).length;
    const readsBefore = await reads();

    // As the browser sends it: the button's name "canned" and its id, the typed text and the version.
    const typed = "Dear Amy,\nThank you for your patience.";
    const out = await act(coord, reference, { message: typed, canned: mine!.id, version: kept.row.version });
    expect(out.status).toBe(200);
    expect(out.data).toEqual({
      intent: "insert-canned",
      errors: {},
      values: { message: "Dear Amy,\nThank you for your patience.\n\nWe have booked you an appointment." },
      inserted: mine!.id,
    });
    // Also with the intent named, and into an empty box: the saved text alone.
    const empty = await act(coord, reference, {
      intent: "insert-canned",
      message: "",
      canned: mine!.id,
      version: kept.row.version,
    });
    expect(empty.data).toMatchObject({ values: { message: "We have booked you an appointment." } });
    // Nothing sent, no event, no access log row, nothing marked seen, no new version.
    expect(await snapshot(reference)).toEqual(kept);
    expect(await reads()).toBe(readsBefore);

    // Another team's saved response, a made-up id or none: an error, and what was typed is kept.
    for (const canned of [theirs!.id, 99_999_999, "abc", ""]) {
      const refused = await act(coord, reference, { message: typed, canned, version: kept.row.version });
      expect(refused.status, String(canned)).toBe(400);
      expect(refused.data).toMatchObject({
        intent: "insert-canned",
        errors: { _form: expect.stringContaining("saved response") },
        values: { message: typed },
      });
      expect(JSON.stringify(refused.data)).not.toContain("Another team's words");
    }
    // Another team's coordinator gets the request's own refusal (403 naming the team), not the text.
    const foreign = await act(otherCoord, reference, { message: "", canned: mine!.id, version: kept.row.version });
    expect(foreign.status).toBe(403);
    expect(JSON.stringify(foreign)).not.toContain("We have booked you an appointment");
    // Staff cannot use it at all.
    expect((await act(staff, reference, { message: "", canned: mine!.id, version: kept.row.version })).status).toBe(
      403,
    );
    expect(await snapshot(reference)).toEqual(kept);
  });

  /** Puts a request straight into a status (test set-up only). */
  async function putInto(reference: string, status: RequestStatus, closedAt = new Date()) {
    await getDb()
      .update(supportRequests)
      .set({
        status,
        closedAt: status === "closed" || status === "withdrawn" ? closedAt : null,
        closeOutcome: status === "closed" ? "support_given" : null,
        pausedAt: status === "waiting_on_staff" ? new Date(Date.now() - 60_000) : null,
      })
      .where(eq(supportRequests.reference, reference));
    return rowOf(reference);
  }

  it("makes every change HUB_TRANSITIONS allows, and refuses the others with the state machine's message", async () => {
    for (const from of REQUEST_STATUSES) {
      for (const to of REQUEST_STATUSES) {
        if (to === from) continue;
        const reference = await newRequest(amy, general);
        const row = await putInto(reference, from);
        const allowed = HUB_TRANSITIONS[from].includes(to);
        const kept = await snapshot(reference);
        const mailBefore = await mailCount();
        const out = await act(coord, reference, {
          intent: "status",
          to,
          outcome: to === "closed" ? "referred_on" : undefined,
          version: row.version,
        });
        if (allowed) {
          expect(out.status, `${from} → ${to}`).toBe(302);
          const after = await rowOf(reference);
          expect(after.status).toBe(to);
          expect(after.version).toBe(row.version + 1);
          const events = (await eventsOf(row.id)).filter((e) => e.kind === "status_changed");
          expect(events.at(-1)).toMatchObject({ visibleToRequester: true, actorId: coord.id, data: { from, to } });
          expect(await mailCount()).toBe(mailBefore + 1);
          if (to === "closed") expect(after).toMatchObject({ closeOutcome: "referred_on", closedAt: expect.any(Date) });
          if (from === "closed") expect(after).toMatchObject({ closeOutcome: null, closedAt: null });
          if (to === "in_progress") expect(after.firstContactAt).toBeInstanceOf(Date);
          if (to === "waiting_on_staff") expect(after.pausedAt).toBeInstanceOf(Date);
          if (from === "waiting_on_staff") expect(after.pausedAt).toBeNull();
        } else {
          expect(out.status, `${from} → ${to}`).toBe(400);
          const message = (out.data as { errors: Record<string, string> }).errors.to;
          if (from === "withdrawn") expect(message).toBe("A withdrawn request cannot be changed");
          else if (to === "withdrawn")
            expect(message).toBe("Only the person who asked for support can withdraw a request");
          else expect(message).toMatch(/^A request cannot move from .+ to .+$/);
          expect(await snapshot(reference)).toEqual(kept);
        }
      }
    }
  }, 120_000);

  it("does not assign or message a closed or withdrawn request, changing nothing and emailing no one", async () => {
    for (const status of ["closed", "withdrawn"] as const) {
      const reference = await newRequest(amy, general);
      await putInto(reference, status);
      const kept = await snapshot(reference);
      const message = await act(coord, reference, {
        intent: "message",
        message: "Are you still there?",
        version: kept.row.version,
      });
      expect(message.status, status).toBe(400);
      expect(JSON.stringify(message.data)).toContain(status === "withdrawn" ? "withdrew this request" : "reopen it");
      const assign = await act(coord, reference, { intent: "assign", assigneeId: "me", version: kept.row.version });
      expect(assign.status, status).toBe(400);
      expect(await snapshot(reference)).toEqual(kept);
      // Internal notes are still allowed: the hub may record why it closed.
      const note = await act(coord, reference, {
        intent: "note",
        note: "Closed after a phone call",
        version: kept.row.version,
      });
      expect(note.status).toBe(302);
    }
  });

  it("never assigns a request to the coordinator who asked for it", async () => {
    // The colleague asks for support from their own team; the coordinator tries to give it to them.
    const reference = await newRequest(colleague, general);
    const kept = await snapshot(reference);
    const result = await act(coord, reference, {
      intent: "assign",
      assigneeId: colleague.id,
      version: kept.row.version,
    });
    expect(result.status).toBe(400);
    expect(await snapshot(reference)).toEqual(kept);
    const page = await view(coord, reference);
    const members = (page.data as { request: { teamMembers: { id: string }[] } }).request.teamMembers.map((m) => m.id);
    expect(members).toContain(coord.id);
    expect(members).not.toContain(colleague.id);
  });

  it("needs an outcome to close, and records it", async () => {
    const reference = await newRequest(amy, general);
    const kept = await snapshot(reference);
    const none = await act(coord, reference, { intent: "status", to: "closed", version: kept.row.version });
    expect(none.status).toBe(400);
    expect(none.data).toMatchObject({ errors: { outcome: "Choose an outcome to close this request" } });
    const bad = await act(coord, reference, {
      intent: "status",
      to: "closed",
      outcome: "lost_interest",
      version: kept.row.version,
    });
    expect(bad.status).toBe(400);
    expect(await snapshot(reference)).toEqual(kept);
    // The model refuses it too, with the state machine's words.
    await expect(
      changeHubRequestStatus(asCaller(coord), reference, { to: "closed", version: kept.row.version }),
    ).rejects.toMatchObject({ code: "invalid", errors: { outcome: "Choose an outcome to close this request" } });

    const ok = await act(coord, reference, {
      intent: "status",
      to: "closed",
      outcome: "no_response",
      version: kept.row.version,
    });
    expect(ok.status).toBe(302);
    const row = await rowOf(reference);
    expect(row).toMatchObject({ status: "closed", closeOutcome: "no_response", closedAt: expect.any(Date) });
    const [event] = (await eventsOf(row.id)).filter((e) => e.kind === "status_changed");
    expect(event.data).toEqual({ from: "new", to: "closed", outcome: "no_response" });
  });

  it("reopens within 30 days of closing, not after", async () => {
    const recent = await newRequest(amy, general);
    const recentRow = await putInto(recent, "closed", new Date(Date.now() - 29 * 86_400_000));
    const ok = await act(coord, recent, { intent: "status", to: "in_progress", version: recentRow.version });
    expect(ok.status).toBe(302);
    expect(await rowOf(recent)).toMatchObject({ status: "in_progress", closedAt: null, closeOutcome: null });

    const old = await newRequest(amy, general);
    const oldRow = await putInto(old, "closed", new Date(Date.now() - 40 * 86_400_000));
    const page = await view(coord, old);
    expect((page.data as { request: { transitions: string[] } }).request.transitions).toEqual([]);
    const kept = await snapshot(old);
    const refused = await act(coord, old, { intent: "status", to: "in_progress", version: oldRow.version });
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ errors: { to: "A request closed more than 30 days ago cannot be reopened" } });
    expect(await snapshot(old)).toEqual(kept);
  });

  it("stops the clock while waiting on staff and pushes the due time back by the paused working time", async () => {
    const caller = asCaller(coord);
    // Monday 2 March 2026 09:00 (GMT); 5 working days: due at the end of Monday 9 March.
    const reference = await newRequest(amy, general, new Date("2026-03-02T09:00:00Z"));
    let row = await rowOf(reference);
    expect(row.dueAt.toISOString()).toBe("2026-03-09T23:59:59.999Z");
    await changeHubRequestStatus(
      caller,
      reference,
      { to: "triaged", version: row.version },
      new Date("2026-03-02T10:00:00Z"),
    );
    row = await rowOf(reference);
    const pausedAt = new Date("2026-03-03T12:00:00Z"); // Tuesday noon
    await changeHubRequestStatus(caller, reference, { to: "waiting_on_staff", version: row.version }, pausedAt);
    row = await rowOf(reference);
    expect(row.pausedAt?.toISOString()).toBe(pausedAt.toISOString());
    expect(row.dueAt.toISOString()).toBe("2026-03-09T23:59:59.999Z");

    // While paused: a provisional due time, never overdue (Friday noon: 3 working days paused so far).
    const whilePaused = await getHubRequest(caller, reference, new Date("2026-03-06T12:00:00Z"));
    if (whilePaused.outcome !== "found") throw new Error("not found");
    expect(whilePaused.request.due).toMatchObject({ paused: true, overdue: false });
    expect(whilePaused.request.due.dueAt.toISOString()).toBe("2026-03-12T23:59:59.999Z");

    // Resumed Monday 9 March noon: Tue 12h + Wed + Thu + Fri + Mon 12h = 96 working hours (not the weekend).
    const resumedAt = new Date("2026-03-09T12:00:00Z");
    expect(workingMillisecondsBetween(pausedAt, resumedAt)).toBe(96 * 3_600_000);
    await changeHubRequestStatus(caller, reference, { to: "in_progress", version: row.version }, resumedAt);
    row = await rowOf(reference);
    expect(row.pausedAt).toBeNull();
    // End of Monday 9 March + 96 working hours = end of Friday 13 March.
    expect(row.dueAt.toISOString()).toBe("2026-03-13T23:59:59.999Z");
    expect(workingMillisecondsBetween(new Date("2026-03-09T23:59:59.999Z"), row.dueAt)).toBe(96 * 3_600_000);
    expect(row.firstContactAt?.toISOString()).toBe(resumedAt.toISOString());

    const after = await getHubRequest(caller, reference, new Date("2026-03-10T09:00:00Z"));
    if (after.outcome !== "found") throw new Error("not found");
    expect(after.request.due).toMatchObject({ paused: false, overdue: false });
  });

  it("marks an uncontacted request overdue once its due time has passed", async () => {
    const reference = await newRequest(amy, general, new Date("2026-03-02T09:00:00Z"));
    const found = await getHubRequest(asCaller(coord), reference, new Date("2026-03-10T09:00:00Z"));
    if (found.outcome !== "found") throw new Error("not found");
    expect(found.request.due.overdue).toBe(true);
  });

  describe("direct links", () => {
    it("404s the coordinator's own request and another team's sensitive one exactly like a missing reference", async () => {
      const own = await newRequest(coord, general);
      const otherSensitive = await newRequest(amy, otherPsych);
      const missing = await view(coord, "SW-1999-99999");
      expect(missing.status).toBe(404);
      expect(await view(coord, own)).toEqual(missing);
      expect(await view(coord, otherSensitive)).toEqual(missing);
      // The actions too, and nothing is written.
      const row = await rowOf(otherSensitive);
      const kept = await snapshot(otherSensitive);
      const missingAction = await act(coord, "SW-1999-99999", { intent: "note", note: "x", version: 1 });
      expect(missingAction.status).toBe(404);
      expect(await act(coord, otherSensitive, { intent: "note", note: "x", version: row.version })).toEqual(
        missingAction,
      );
      expect(await act(coord, own, { intent: "assign", assigneeId: "me", version: 1 })).toEqual(missingAction);
      expect(await snapshot(otherSensitive)).toEqual(kept);
    });

    it("403s another team's non-sensitive request, naming the team", async () => {
      const reference = await newRequest(amy, otherGeneral);
      const out = await view(coord, reference);
      expect(out.status).toBe(403);
      expect(out.data).toEqual({ teamName: teamTwoName });
      const kept = await snapshot(reference);
      const refused = await act(coord, reference, { intent: "message", message: "hi", version: kept.row.version });
      expect(refused.status).toBe(403);
      expect(await snapshot(reference)).toEqual(kept);
      // Its own team sees it.
      expect((await view(otherCoord, reference)).status).toBe(200);
    });

    it("403s staff, managers and administrators who are not in a hub team", async () => {
      const reference = await newRequest(amy, general);
      for (const user of [staff, manager, adminNotInTeam, amy]) {
        const out = await view(user, reference);
        expect(out.status).toBe(403);
        const posted = await act(user, reference, { intent: "note", note: "x", version: 1 });
        expect(posted.status).toBe(403);
      }
    });
  });

  describe("the audit log", () => {
    it("records every view of every request, so the person can see who has looked at it", async () => {
      const sensitive = await newRequest(amy, psych);
      const plain = await newRequest(amy, general);
      const sensitiveId = (await rowOf(sensitive)).id;
      const plainId = (await rowOf(plain)).id;
      expect((await view(coord, sensitive)).status).toBe(200);
      expect((await view(colleague, sensitive)).status).toBe(200);
      expect((await view(coord, sensitive)).status).toBe(200);
      expect((await view(coord, plain)).status).toBe(200);
      const log = await accessOf(sensitiveId);
      expect(log.map((l) => [l.action, l.actorId])).toEqual([
        ["viewed", coord.id],
        ["viewed", colleague.id],
        ["viewed", coord.id],
      ]);
      expect((await accessOf(plainId)).map((l) => [l.action, l.actorId])).toEqual([["viewed", coord.id]]);
      // A refused look (another team) records nothing either.
      await view(otherCoord, sensitive);
      expect(await accessOf(sensitiveId)).toHaveLength(3);
    });

    it("records every change, with who and what", async () => {
      const reference = await newRequest(amy, general);
      let row = await rowOf(reference);
      const steps: Record<string, string | number>[] = [
        { intent: "assign", assigneeId: "me" },
        { intent: "status", to: "triaged" },
        { intent: "message", message: "Hello" },
        { intent: "note", note: "Noted" },
      ];
      for (const step of steps) {
        const out = await act(coord, reference, { ...step, version: row.version });
        expect(out.status).toBe(302);
        row = await rowOf(reference);
      }
      const log = await accessOf(row.id);
      expect(log.map((l) => [l.action, l.actorId])).toEqual([
        ["assigned", coord.id],
        ["status_changed", coord.id],
        ["messaged", coord.id],
        ["noted", coord.id],
      ]);
      expect(row.version).toBe(5);
    });
  });

  it("refuses a change made on a stale version, naming who changed it and when, and changes nothing", async () => {
    const reference = await newRequest(amy, general);
    const seen = await rowOf(reference);
    // Colin changes it first.
    const first = await act(colleague, reference, { intent: "status", to: "triaged", version: seen.version });
    expect(first.status).toBe(302);
    const kept = await snapshot(reference);
    const [latest] = (await eventsOf(seen.id)).filter((e) => e.kind === "status_changed");

    for (const fields of [
      { intent: "message", message: "My work must not be lost" },
      { intent: "status", to: "in_progress" },
      { intent: "assign", assigneeId: "me" },
      { intent: "note", note: "A note" },
    ]) {
      const out = await act(coord, reference, { ...fields, version: seen.version });
      expect(out.status).toBe(409);
      expect(out.data).toMatchObject({
        intent: fields.intent,
        conflict: true,
        errors: {
          _form: `This request was changed by Colin League at ${formatChangeTime(latest.createdAt)} — review and try again`,
        },
      });
      expect(await snapshot(reference)).toEqual(kept);
    }
    // What was typed comes back, so nothing is lost.
    const again = await act(coord, reference, {
      intent: "message",
      message: "My work must not be lost",
      version: seen.version,
    });
    expect((again.data as { values: Record<string, string> }).values.message).toBe("My work must not be lost");
    expect(formatChangeTime(new Date("2026-07-05T13:04:00Z"))).toBe("14:04 on 5 Jul 2026");
  });

  it("answers 400, not 500, for a form without an intent or a version", async () => {
    const reference = await newRequest(amy, general);
    const kept = await snapshot(reference);
    expect((await act(coord, reference, { note: "x", version: kept.row.version })).status).toBe(400);
    expect((await act(coord, reference, { intent: "note", note: "x" })).status).toBe(400);
    expect((await act(coord, reference, { intent: "note", note: "x", version: "abc" })).status).toBe(400);
    expect((await act(coord, reference, { intent: "status", to: "nonsense", version: kept.row.version })).status).toBe(
      400,
    );
    expect(await snapshot(reference)).toEqual(kept);
  });

  it("keeps the model's errors typed", async () => {
    await expect(
      changeHubRequestStatus(asCaller(coord), "SW-1999-99999", { to: "triaged", version: 1 }),
    ).rejects.toBeInstanceOf(HubRequestError);
    const [{ n }] = await getDb()
      .select({ n: count() })
      .from(requestAccessLog)
      .where(and(ne(requestAccessLog.action, "viewed"), eq(requestAccessLog.actorId, otherCoord.id)));
    expect(Number(n)).toBe(0);
  });
});
