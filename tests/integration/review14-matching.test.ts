// Review of issue 14, findings 2, 6, 8, 9 and 10, and what the bank lacked (ADR 040 addendum
// "matching and invitations"): leavers with no verified personal address are neither matched nor
// invited; a profile past its confirmation grace is not matched and its owner is told; a closed,
// ended or full need sends no invitations and each need has a cap; the invitation audit names who;
// days of the week are part of the fit; a coordinator withdraws an invitation and closes a need.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  adminAudit,
  leavingContacts,
  leavingResponses,
  mailOutbox,
  reservistInvitations,
  reservistSkills,
} from "@db/schema";
import {
  answerInvitation,
  closeNeed,
  createNeed,
  inviteReservists,
  isReservistError,
  loadNeed,
  myInvitations,
  saveMyReservistProfile,
  withdrawInvitation,
} from "~/.server/models/reservists.server";
import { NotFoundError } from "~/.server/permissions.server";
import { INVITATIONS_PER_PLACE, matchedUntil } from "~/lib/reservists";
import * as needRoute from "~/routes/hub.reservists.needs.$needId";
import * as newNeedRoute from "~/routes/hub.reservists.needs.new";
import * as invitationsRoute from "~/routes/reservists.invitations";
import * as reservistsRoute from "~/routes/reservists._index";
import type { ReservistNeedInput, ReservistProfileInput } from "~/schemas/reservists";
import { asCurrentUser, createOrganisation, createTeam, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie, type FormFields } from "../helpers/http";
import { addToReservistTeam, reservistNeedInput, reservistProfileInput } from "../helpers/reservists";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

let orgA: number;
let skill: Record<string, number>;
let coordinator: TestUser;
let otherCoordinator: TestUser;

// Profiles are confirmed on 1 December 2029; needs run in February 2030, checked on 1 February.
const CONFIRMED = new Date("2029-12-01T10:00:00Z");
const NOW = new Date("2030-02-01T09:00:00Z");

beforeAll(async () => {
  orgA = (await createOrganisation({ name: "Gamma Trust" })).id;
  const rows = await getDb().select().from(reservistSkills);
  skill = Object.fromEntries(rows.map((r) => [r.slug, r.id]));
  coordinator = await createUser({ role: "coordinator", organisationId: orgA });
  otherCoordinator = await createUser({ role: "coordinator", organisationId: orgA });
  await addToReservistTeam([coordinator.id]);
  await createTeam({ members: [otherCoordinator.id] });
});

const me = (u: TestUser) => asCurrentUser(u);

function profile(overrides: Partial<ReservistProfileInput> = {}): ReservistProfileInput {
  return reservistProfileInput({
    skills: [skill["registered-nurse-adult"]!],
    organisations: [orgA],
    days: ["mon", "tue"],
    availableFrom: "2030-01-01",
    ...overrides,
  });
}

function need(overrides: Partial<ReservistNeedInput> = {}): ReservistNeedInput {
  return reservistNeedInput({
    organisationId: orgA,
    skills: [skill["registered-nurse-adult"]!],
    place: "Ward 7",
    ...overrides,
  });
}

async function reservist(name: string, overrides: Partial<ReservistProfileInput> = {}, confirmedAt = CONFIRMED) {
  const user = await createUser({ organisationId: orgA, name });
  await saveMyReservistProfile(me(user), profile(overrides), confirmedAt);
  return user;
}

const matchIds = async (needId: number, now = NOW) =>
  (await loadNeed(me(coordinator), needId, now)).matches.map((m) => m.userId);

async function load(path: string, route: { loader: (a: never) => Promise<unknown> }, user: TestUser, params = {}) {
  const cookie = await signInCookie(user.id);
  return runRoute(() => route.loader({ request: getRequest(path, { cookie }), params, context: {} } as never));
}

async function post(
  path: string,
  route: { action: (a: never) => Promise<unknown> },
  user: TestUser,
  body: FormFields,
  params = {},
) {
  const cookie = await signInCookie(user.id);
  return runRoute(() => route.action({ request: formRequest(path, body, { cookie }), params, context: {} } as never));
}

describe("finding 2: a leaver with no verified personal address", () => {
  it("is not matched or invited; once an address is verified they are, and mail goes there; withdrawing it stops both", async () => {
    const leaver = await reservist("Left Person");
    const stayer = await reservist("Still Here");
    // Answered the leaving questionnaire before joining; the leaving date (15 January) has now passed.
    const [response] = await getDb()
      .insert(leavingResponses)
      .values({
        userId: leaver.id,
        organisationId: orgA,
        leavingDate: "2030-01-15",
        destination: "retirement",
        mainReason: "retirement_age",
        usedSupport: false,
        wouldReturn: true,
      })
      .returning({ id: leavingResponses.id });
    const id = await createNeed(me(coordinator), need({ placesWanted: 2 }));
    expect(await matchIds(id)).toContain(stayer.id);
    expect(await matchIds(id)).not.toContain(leaver.id);
    // Before the leaving date they were still reachable at work.
    expect(await matchIds(id, new Date("2030-01-10T09:00:00Z"))).toContain(leaver.id);
    await expect(inviteReservists(me(coordinator), id, [leaver.id], NOW)).rejects.toSatisfy((e) =>
      isReservistError(e, "invalid"),
    );
    expect(await myInvitations(me(leaver))).toHaveLength(0);

    // An unverified address does not count either.
    const [contact] = await getDb()
      .insert(leavingContacts)
      .values({ responseId: response!.id, name: "Left Person", personalEmail: "left.person@example.com" })
      .returning({ id: leavingContacts.id });
    expect(await matchIds(id)).not.toContain(leaver.id);
    await getDb().update(leavingContacts).set({ verifiedAt: NOW }).where(eq(leavingContacts.id, contact!.id));
    expect(await matchIds(id)).toContain(leaver.id);

    const other = await createNeed(me(coordinator), need({ place: "Ward 8" }));
    await getDb().delete(leavingContacts).where(eq(leavingContacts.id, contact!.id)); // consent withdrawn
    expect(await matchIds(other)).not.toContain(leaver.id);
    await expect(inviteReservists(me(coordinator), other, [leaver.id], NOW)).rejects.toSatisfy((e) =>
      isReservistError(e),
    );

    // Verified again: invited, and the mail goes to the personal address, not the work one.
    await getDb().insert(leavingContacts).values({
      responseId: response!.id,
      name: "Left Person",
      personalEmail: "left.again@example.com",
      verifiedAt: NOW,
    });
    expect(await inviteReservists(me(coordinator), other, [leaver.id], NOW)).toBe(1);
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, leaver.id));
    expect(mails.map((m) => m.toAddress)).toEqual(["left.again@example.com"]);
  });
});

describe("finding 8: a profile not confirmed for 3 months and 30 days", () => {
  it("is matched up to the last day of the grace, not after", async () => {
    const person = await reservist("Late Confirmer");
    expect(matchedUntil(CONFIRMED)).toBe("2030-03-31");
    const id = await createNeed(me(coordinator), need({ startDate: "2030-03-01", endDate: "2030-05-31" }));
    expect(await matchIds(id, new Date("2030-03-31T22:30:00Z"))).toContain(person.id); // 31 March, 23:30 London
    expect(await matchIds(id, new Date("2030-03-31T23:30:00Z"))).not.toContain(person.id); // 1 April, London
    await expect(
      inviteReservists(me(coordinator), id, [person.id], new Date("2030-04-02T09:00:00Z")),
    ).rejects.toSatisfy((e) => isReservistError(e));
  });

  it("tells the person on /reservists that they must confirm to be offered shifts, until they do", async () => {
    const person = await reservist("Stale Profile", {}, new Date("2025-01-01T10:00:00Z"));
    const page = await load("/reservists", reservistsRoute, person);
    expect(page.status).toBe(200);
    expect((page.data as { notOffered: string | null }).notOffered).toBe("unconfirmed");
    const res = await post("/reservists", reservistsRoute, person, { intent: "confirm" });
    expect(res.status).toBe(302);
    const after = await load("/reservists", reservistsRoute, person);
    expect((after.data as { notOffered: string | null }).notOffered).toBeNull();
  });
});

describe("finding 6: closed, ended and full needs, and the cap", () => {
  it(`caps open and accepted invitations at ${INVITATIONS_PER_PLACE} a place and sends none once every place is filled`, async () => {
    const people = await Promise.all([1, 2, 3, 4, 5].map((n) => reservist(`Capped ${n}`)));
    const ids = people.map((p) => p.id);
    const id = await createNeed(me(coordinator), need({ placesWanted: 1 }));
    expect((await loadNeed(me(coordinator), id, NOW)).state).toEqual({ shut: null, canInvite: 3 });
    await expect(inviteReservists(me(coordinator), id, ids.slice(0, 4), NOW)).rejects.toSatisfy((e) =>
      isReservistError(e, "too_many"),
    );
    expect(await getDb().select().from(reservistInvitations).where(eq(reservistInvitations.needId, id))).toHaveLength(
      0,
    );
    expect(await inviteReservists(me(coordinator), id, ids.slice(0, 3), NOW)).toBe(3);
    // The page says why, and keeps the 400 for the form.
    const res = await post(
      `/hub/reservists/needs/${id}`,
      needRoute,
      coordinator,
      { intent: "invite", invite: [ids[3]!] },
      {
        needId: String(id),
      },
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.data)).toMatch(/as many open and accepted invitations as it may have/);
    // A decline frees one.
    const [first] = await myInvitations(me(people[0]!));
    await answerInvitation(me(people[0]!), first!.id, "decline");
    expect((await loadNeed(me(coordinator), id, NOW)).state.canInvite).toBe(1);
    // Once the place is filled, nobody more.
    const [second] = await myInvitations(me(people[1]!));
    await answerInvitation(me(people[1]!), second!.id, "accept");
    expect((await loadNeed(me(coordinator), id, NOW)).state).toEqual({ shut: "full", canInvite: 0 });
    await expect(inviteReservists(me(coordinator), id, [ids[4]!], NOW)).rejects.toSatisfy((e) =>
      isReservistError(e, "closed"),
    );
  });

  it("refuses invitations once the need's last date has passed", async () => {
    const person = await reservist("After The End", { availableUntil: null });
    const id = await createNeed(me(coordinator), need({ endDate: "2030-02-10" }));
    const later = new Date("2030-02-11T09:00:00Z");
    expect((await loadNeed(me(coordinator), id, later)).state.shut).toBe("ended");
    await expect(inviteReservists(me(coordinator), id, [person.id], later)).rejects.toSatisfy((e) =>
      isReservistError(e, "closed"),
    );
    expect(await myInvitations(me(person))).toHaveLength(0);
  });
});

describe("finding 9: the invitation audit", () => {
  it("names who was invited", async () => {
    const a = await reservist("Audit One");
    const b = await reservist("Audit Two");
    const id = await createNeed(me(coordinator), need({ placesWanted: 2 }));
    await inviteReservists(me(coordinator), id, [a.id, b.id], NOW);
    const [entry] = await getDb()
      .select()
      .from(adminAudit)
      .where(
        and(
          eq(adminAudit.entity, "reservist_need"),
          eq(adminAudit.entityId, String(id)),
          eq(adminAudit.action, "invited"),
        ),
      );
    const after = entry!.after as { invited: number; userIds: string[] };
    expect(after.invited).toBe(2);
    expect([...after.userIds].sort()).toEqual([a.id, b.id].sort());
    expect(entry!.actorId).toBe(coordinator.id);
  });
});

describe("days of the week", () => {
  it("leaves out anyone who can work none of a need's days, ranks more days higher, and any day matches all", async () => {
    const weekdays = await reservist("Weekday Only", { days: ["mon", "tue", "wed"] });
    const saturday = await reservist("Saturday Only", { days: ["sat"] });
    const weekend = await reservist("Whole Weekend", { days: ["sat", "sun"] });
    const id = await createNeed(me(coordinator), need({ days: ["sat", "sun"] }));
    const { matches, need: shown } = await loadNeed(me(coordinator), id, NOW);
    expect(shown.days).toEqual(["sat", "sun"]);
    const ids = matches.map((m) => m.userId);
    expect(ids).not.toContain(weekdays.id);
    expect(ids.indexOf(weekend.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(weekend.id)).toBeLessThan(ids.indexOf(saturday.id));
    expect(matches.find((m) => m.userId === saturday.id)!.days).toEqual(["sat"]);
    await expect(inviteReservists(me(coordinator), id, [weekdays.id], NOW)).rejects.toSatisfy((e) =>
      isReservistError(e),
    );
    const any = await createNeed(me(coordinator), need({ place: "Any day ward" }));
    const all = await matchIds(any);
    for (const p of [weekdays, saturday, weekend]) expect(all).toContain(p.id);
  });

  it("the need form takes days (optional) and keeps what was typed on an error", async () => {
    const base = {
      organisationId: String(orgA),
      place: "Clinic 3",
      staffGroup: "nursing_midwifery",
      skills: [String(skill["vaccinator"])],
      "startDate-day": "1",
      "startDate-month": "2",
      "startDate-year": "2030",
      "endDate-day": "28",
      "endDate-month": "2",
      "endDate-year": "2030",
      hoursPerWeek: "10",
      placesWanted: "2",
      reason: "vaccination_clinic",
    };
    const bad = await post("/hub/reservists/needs/new", newNeedRoute, coordinator, {
      ...base,
      days: ["sat", "someday"],
    });
    expect(bad.status).toBe(400);
    const data = bad.data as { errors: Record<string, string>; values: Record<string, unknown> };
    expect(data.errors.days).toBe("Select days from the list");
    expect(data.values.place).toBe("Clinic 3");
    const ok = await post("/hub/reservists/needs/new", newNeedRoute, coordinator, { ...base, days: ["sat"] });
    expect(ok.status).toBe(302);
    const id = Number(/needs\/(\d+)/.exec(ok.location!)![1]);
    expect((await loadNeed(me(coordinator), id, NOW)).need.days).toEqual(["sat"]);
    const none = await post("/hub/reservists/needs/new", newNeedRoute, coordinator, base);
    const noneId = Number(/needs\/(\d+)/.exec(none.location!)![1]);
    expect((await loadNeed(me(coordinator), noneId, NOW)).need.days).toEqual([]);
  });
});

describe("withdrawing an invitation and closing a need", () => {
  it("withdraws an unanswered invitation without JavaScript; the reservist sees it withdrawn and cannot answer it", async () => {
    const person = await reservist("To Withdraw");
    const id = await createNeed(me(coordinator), need());
    await inviteReservists(me(coordinator), id, [person.id], NOW);
    const [invitation] = await myInvitations(me(person));
    // Outside the team: 404 through the route and the model, and nothing changes.
    const outside = await post(
      `/hub/reservists/needs/${id}`,
      needRoute,
      otherCoordinator,
      { intent: "withdraw", invitation: String(invitation!.id) },
      { needId: String(id) },
    );
    expect(outside.status).toBe(404);
    await expect(withdrawInvitation(me(otherCoordinator), id, invitation!.id)).rejects.toBeInstanceOf(NotFoundError);
    // An invitation of another need, named through this one: 404.
    const elsewhere = await createNeed(me(coordinator), need({ place: "Elsewhere" }));
    await expect(withdrawInvitation(me(coordinator), elsewhere, invitation!.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await myInvitations(me(person)))[0]!.status).toBe("invited");

    const res = await post(
      `/hub/reservists/needs/${id}`,
      needRoute,
      coordinator,
      { intent: "withdraw", invitation: String(invitation!.id) },
      { needId: String(id) },
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/hub/reservists/needs/${id}?done=withdrawn`);
    expect((await myInvitations(me(person)))[0]!.status).toBe("withdrawn");
    const page = await load("/reservists/invitations", invitationsRoute, person);
    expect(JSON.stringify(page.data)).toContain('"status":"withdrawn"');
    const answer = await post("/reservists/invitations", invitationsRoute, person, {
      invitation: String(invitation!.id),
      answer: "accept",
    });
    expect(answer.status).toBe(409);
    expect(JSON.stringify(answer.data)).toMatch(/has withdrawn this invitation/);
    await expect(withdrawInvitation(me(coordinator), id, invitation!.id)).rejects.toSatisfy((e) =>
      isReservistError(e, "answered"),
    );
    const again = await post(
      `/hub/reservists/needs/${id}`,
      needRoute,
      coordinator,
      { intent: "withdraw", invitation: String(invitation!.id) },
      { needId: String(id) },
    );
    expect(again.status).toBe(409);
    expect(again.data).toEqual({ errors: { _form: "This invitation has already been withdrawn" } });
    const audit = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entityId, String(id)), eq(adminAudit.action, "invitation_withdrawn")));
    expect(audit).toHaveLength(1);
    expect((audit[0]!.after as { userId: string }).userId).toBe(person.id);
  });

  it("closes a need early: open invitations are withdrawn, accepted ones stay, and nothing more is sent or accepted", async () => {
    const accepted = await reservist("Kept Place");
    const open = await reservist("Open When Closed");
    const later = await reservist("Too Late To Invite");
    const id = await createNeed(me(coordinator), need({ placesWanted: 2 }));
    await inviteReservists(me(coordinator), id, [accepted.id, open.id], NOW);
    const [mine] = await myInvitations(me(accepted));
    await answerInvitation(me(accepted), mine!.id, "accept");

    const outside = await post(
      `/hub/reservists/needs/${id}`,
      needRoute,
      otherCoordinator,
      { intent: "close" },
      {
        needId: String(id),
      },
    );
    expect(outside.status).toBe(404);
    const res = await post(
      `/hub/reservists/needs/${id}`,
      needRoute,
      coordinator,
      { intent: "close" },
      {
        needId: String(id),
      },
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/hub/reservists/needs/${id}?done=closed`);

    const { need: shown, state, invitations } = await loadNeed(me(coordinator), id, NOW);
    expect(shown.closedAt).not.toBeNull();
    expect(state).toEqual({ shut: "closed", canInvite: 0 });
    expect(shown.filled).toBe(1);
    expect(invitations.map((i) => i.status).sort()).toEqual(["accepted", "withdrawn"]);
    const [theirs] = await myInvitations(me(open));
    await expect(answerInvitation(me(open), theirs!.id, "accept")).rejects.toSatisfy((e) =>
      isReservistError(e, "answered"),
    );
    await expect(inviteReservists(me(coordinator), id, [later.id], NOW)).rejects.toSatisfy((e) =>
      isReservistError(e, "closed"),
    );
    await expect(closeNeed(me(coordinator), id, NOW)).rejects.toSatisfy((e) => isReservistError(e, "closed"));
    const [entry] = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entityId, String(id)), eq(adminAudit.action, "closed")));
    expect(entry!.after).toMatchObject({ closed: true, filled: 1, withdrawn: 1, userIds: [open.id] });
  });
});
