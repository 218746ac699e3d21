// The reservist bank (issue 14 part 2, docs/decisions/040-reservist-bank.md): matching and ranking
// (skills, registration, places, date overlap; paused and unavailable people never shown),
// need-to-know (another reservist's profile and invitations, a coordinator outside the team, staff
// and managers: 404), invitations (someone else's, twice, a full need) and the 3-monthly reminder
// job (claimed once, never twice for one confirmation).
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { adminAudit, jobRuns, mailOutbox, reservists, reservistSkills } from "@db/schema";
import {
  answerInvitation,
  changeMyReservistStatus,
  createNeed,
  inviteReservists,
  isReservistError,
  leaveReservistBank,
  loadNeed,
  myInvitations,
  myReservistProfile,
  RESERVIST_REMINDER_JOB,
  saveMyReservistProfile,
  sendReservistReminders,
} from "~/.server/models/reservists.server";
import { NotFoundError } from "~/.server/permissions.server";
import * as needRoute from "~/routes/hub.reservists.needs.$needId";
import * as needsRoute from "~/routes/hub.reservists.needs._index";
import * as invitationsRoute from "~/routes/reservists.invitations";
import * as reservistsRoute from "~/routes/reservists._index";
import {
  reservistNeedSchema,
  reservistProfileSchema,
  type ReservistNeedInput,
  type ReservistProfileInput,
} from "~/schemas/reservists";
import { asCurrentUser, createOrganisation, createTeam, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie, type FormFields } from "../helpers/http";
import { addToReservistTeam, reservistNeedInput, reservistProfileInput } from "../helpers/reservists";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

let orgA: number;
let orgB: number;
let skill: Record<string, number>;
let coordinator: TestUser;
let otherCoordinator: TestUser;

beforeAll(async () => {
  orgA = (await createOrganisation({ name: "Alpha Trust" })).id;
  orgB = (await createOrganisation({ name: "Beta Council" })).id;
  const rows = await getDb().select().from(reservistSkills);
  skill = Object.fromEntries(rows.map((r) => [r.slug, r.id]));
  coordinator = await createUser({ role: "coordinator", organisationId: orgA });
  otherCoordinator = await createUser({ role: "coordinator", organisationId: orgA });
  await addToReservistTeam([coordinator.id]);
  await createTeam({ members: [otherCoordinator.id] });
});

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
    skills: [skill["registered-nurse-adult"]!, skill["vaccinator"]!],
    place: "Ward 12",
    ...overrides,
  });
}

async function reservist(overrides: Partial<ReservistProfileInput> = {}, name?: string) {
  const user = await createUser({ organisationId: orgA, name });
  await saveMyReservistProfile(asCurrentUser(user), profile(overrides), new Date("2029-12-01T10:00:00Z"));
  return user;
}

const me = (u: TestUser) => asCurrentUser(u);

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

describe("the joining form", () => {
  it("checks each body's number format and keeps what was typed", async () => {
    const base = {
      staffGroup: "nursing_midwifery",
      skills: [String(skill["vaccinator"])],
      organisations: [String(orgA)],
      hoursPerWeek: "10",
      days: ["mon"],
      availableFrom: "2030-01-01",
      dbsCurrent: "yes",
    };
    const cases: [string, string, boolean][] = [
      ["nmc", "12a3456e", true],
      ["nmc", "1234567", false],
      ["hcpc", "PH123456", true],
      ["hcpc", "12345", false],
      ["gmc", "1234567", true],
      ["gmc", "123456", false],
      ["gphc", "2012345", true],
      ["gphc", "GPH1", false],
      ["swe", "SW12345", true],
      ["swe", "12345", false],
      ["none", "", true],
    ];
    for (const [body, number, ok] of cases) {
      const result = reservistProfileSchema.safeParse({ ...base, registrationBody: body, registrationNumber: number });
      expect(result.success, `${body} ${number}`).toBe(ok);
    }
    const user = await createUser({ organisationId: orgA });
    const res = await post("/reservists", reservistsRoute, user, {
      ...base,
      registrationBody: "gmc",
      registrationNumber: "12",
    });
    expect(res.status).toBe(400);
    const data = res.data as { errors: Record<string, string>; values: Record<string, unknown> };
    expect(data.errors.registrationNumber).toMatch(/correct format, like 1234567/);
    expect(data.values.registrationNumber).toBe("12");
    expect(await myReservistProfile(me(user))).toBeNull();
  });

  it("joins without JavaScript, audits it, and leaving deletes the profile", async () => {
    const user = await createUser({ organisationId: orgA });
    const res = await post("/reservists", reservistsRoute, user, {
      registrationBody: "swe",
      registrationNumber: "sw 123",
      staffGroup: "social_care",
      skills: [String(skill["social-worker"])],
      organisations: [String(orgA), String(orgB)],
      hoursPerWeek: "12",
      days: ["mon", "fri"],
      availableFrom: "2030-01-01",
      dbsCurrent: "no",
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/reservists?done=joined");
    const mine = await myReservistProfile(me(user));
    expect(mine?.registrationNumber).toBe("SW123");
    expect(mine?.organisations.map((o) => o.id).sort()).toEqual([orgA, orgB].sort());
    const audit = await getDb().select().from(adminAudit).where(eq(adminAudit.entityId, user.id));
    expect(audit.map((a) => a.action)).toContain("joined");
    expect(await leaveReservistBank(me(user))).toBe(true);
    expect(await myReservistProfile(me(user))).toBeNull();
    expect(await getDb().select().from(reservists).where(eq(reservists.userId, user.id))).toHaveLength(0);
  });

  it("leaving asks first: a POST without confirm=yes deletes nothing, one with it deletes the profile", async () => {
    const user = await reservist();
    const ask = await post("/reservists", reservistsRoute, user, { intent: "leave" });
    expect(ask.status).toBe(200);
    expect(ask.data).toEqual({ confirmLeave: true });
    expect(await myReservistProfile(me(user))).not.toBeNull();
    const wrong = await post("/reservists", reservistsRoute, user, { intent: "leave", confirm: "no" });
    expect(wrong.data).toEqual({ confirmLeave: true });
    expect(await myReservistProfile(me(user))).not.toBeNull();
    const done = await post("/reservists", reservistsRoute, user, { intent: "leave", confirm: "yes" });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/reservists?done=left");
    expect(await myReservistProfile(me(user))).toBeNull();
  });

  it("names what to choose when a choice is missing or not on the list", () => {
    const needErrors = (input: Record<string, unknown>) => {
      const r = reservistNeedSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    const base = { ...need(), startDate: "2030-01-01", endDate: "2030-01-31", hoursPerWeek: "10", placesWanted: "1" };
    expect(needErrors({ ...base, organisationId: "" })).toContain(
      "organisationId: Select the organisation that needs people",
    );
    expect(needErrors({ ...base, registrationBody: "xyz" })).toContain(
      "registrationBody: Select the registration needed, or None needed",
    );
    expect(needErrors({ ...base, skills: ["abc"] })).toContain("skills.0: Select roles or skills from the list");
    const profileErrors = (input: Record<string, unknown>) => {
      const r = reservistProfileSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    const mine = { ...profile(), registrationBody: "none", hoursPerWeek: "10", dbsCurrent: "yes" };
    expect(profileErrors({ ...mine, organisations: ["x"] })).toContain(
      "organisations.0: Select organisations from the list",
    );
    expect(profileErrors({ ...mine, days: ["someday"] })).toContain("days.0: Select days from the list");
    for (const list of [needErrors({ ...base, organisationId: "" }), profileErrors({ ...mine, skills: ["x"] })]) {
      expect(list.join("\n")).not.toContain("Select from the list");
    }
  });
});

describe("matching and ranking", () => {
  it("ranks by skills, place and date cover; leaves out paused, unavailable, unregistered and unskilled people", async () => {
    const best = await reservist({ skills: [skill["registered-nurse-adult"]!, skill["vaccinator"]!] }, "Best Fit");
    const oneSkill = await reservist({}, "One Skill");
    const elsewhere = await reservist({ organisations: [orgB] }, "Other Place");
    const partDates = await reservist({ availableFrom: "2030-02-20" }, "Part Dates");
    const paused = await reservist({}, "Paused Person");
    await changeMyReservistStatus(me(paused), "pause");
    const gone = await reservist({ availableUntil: "2030-01-31" }, "Ends Before");
    const later = await reservist({ availableFrom: "2030-03-01" }, "Starts After");
    const unregistered = await reservist({ registrationBody: "none", registrationNumber: null }, "Not Registered");
    const noSkill = await reservist({ skills: [skill["ward-clerk"]!] }, "Ward Clerk");

    const id = await createNeed(me(coordinator), need({ registrationBody: "nmc" }));
    const { matches } = await loadNeed(me(coordinator), id);
    const names = matches.map((m) => m.name);
    expect(names.slice(0, 4)).toEqual(["Best Fit", "One Skill", "Part Dates", "Other Place"]);
    for (const hidden of [paused, gone, later, unregistered, noSkill]) {
      expect(
        matches.some((m) => m.userId === hidden.id),
        hidden.name,
      ).toBe(false);
    }
    const byName = Object.fromEntries(matches.map((m) => [m.name, m]));
    expect(byName["Best Fit"]!.skillsMatched).toBe(2);
    expect(byName["Other Place"]!.willing).toBe(false);
    expect(byName["Part Dates"]!.coverPercent).toBeLessThan(50);
    expect(byName["One Skill"]!.coverPercent).toBe(100);
    void best;
    void oneSkill;
    void elsewhere;
    void partDates;

    // Without a registration requirement, the unregistered person matches too; resuming brings back the paused one.
    await changeMyReservistStatus(me(paused), "resume");
    const open = await createNeed(me(coordinator), need());
    const again = (await loadNeed(me(coordinator), open)).matches.map((m) => m.userId);
    expect(again).toContain(unregistered.id);
    expect(again).toContain(paused.id);
  });
});

describe("need-to-know", () => {
  it("answers 404 to staff, managers, administrators and coordinators outside the Reservist bank team", async () => {
    const id = await createNeed(me(coordinator), need());
    const staff = await createUser({ organisationId: orgA });
    const manager = await createUser({ role: "manager", organisationId: orgA });
    const admin = await createUser({ role: "admin", organisationId: orgA });
    for (const outsider of [staff, manager, admin, otherCoordinator]) {
      expect((await load("/hub/reservists/needs", needsRoute, outsider)).status, outsider.role).toBe(404);
      const page = await load(`/hub/reservists/needs/${id}`, needRoute, outsider, { needId: String(id) });
      expect(page.status, outsider.role).toBe(404);
      await expect(loadNeed(me(outsider), id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(createNeed(me(outsider), need())).rejects.toBeInstanceOf(NotFoundError);
      await expect(inviteReservists(me(outsider), id, [staff.id])).rejects.toBeInstanceOf(NotFoundError);
    }
    expect((await load("/hub/reservists/needs", needsRoute, coordinator)).status).toBe(200);
    expect((await load("/hub/reservists/needs/999999", needRoute, coordinator, { needId: "999999" })).status).toBe(404);
  });

  it("shows a reservist only their own profile and invitations", async () => {
    const alice = await reservist({}, "Alice Own");
    const bob = await reservist({}, "Bob Other");
    const page = await load("/reservists", reservistsRoute, bob);
    const text = JSON.stringify(page.data);
    expect(text).not.toContain(alice.id);
    expect(text).not.toContain("Alice Own");
    const id = await createNeed(me(coordinator), need());
    await inviteReservists(me(coordinator), id, [alice.id]);
    expect(await myInvitations(me(bob))).toHaveLength(0);
    const [invitation] = await myInvitations(me(alice));
    // Bob cannot answer Alice's invitation: not found, and it stays unanswered.
    const res = await post("/reservists/invitations", invitationsRoute, bob, {
      invitation: String(invitation!.id),
      answer: "accept",
    });
    expect(res.status).toBe(404);
    expect((await myInvitations(me(alice)))[0]!.status).toBe("invited");
  });
});

describe("invitations", () => {
  it("mails each invited person once, refuses a second answer, and refuses a place when the need is full", async () => {
    const first = await reservist({}, "First Accepts");
    const second = await reservist({}, "Second Too Late");
    const id = await createNeed(me(coordinator), need({ placesWanted: 1 }));
    expect(await inviteReservists(me(coordinator), id, [first.id, second.id])).toBe(2);
    // Inviting again invites nobody new.
    await expect(inviteReservists(me(coordinator), id, [first.id])).rejects.toSatisfy((e) => isReservistError(e));
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, first.id));
    expect(mails.filter((m) => m.subject.includes("invited"))).toHaveLength(1);

    const [a] = await myInvitations(me(first));
    const [b] = await myInvitations(me(second));
    await answerInvitation(me(first), a!.id, "accept");
    await expect(answerInvitation(me(first), a!.id, "accept")).rejects.toSatisfy((e) =>
      isReservistError(e, "answered"),
    );
    await expect(answerInvitation(me(second), b!.id, "accept")).rejects.toSatisfy((e) => isReservistError(e, "full"));
    // The route says so plainly (409), and declining is still possible.
    const res = await post("/reservists/invitations", invitationsRoute, second, {
      invitation: String(b!.id),
      answer: "accept",
    });
    expect(res.status).toBe(409);
    await answerInvitation(me(second), b!.id, "decline");
    const { need: shown, invitations } = await loadNeed(me(coordinator), id);
    expect(shown.filled).toBe(1);
    expect(invitations.map((i) => i.status).sort()).toEqual(["accepted", "declined"]);
    const audit = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "reservist_need"), eq(adminAudit.entityId, String(id))));
    expect(audit.map((x) => x.action).sort()).toEqual([
      "created",
      "invitation_accepted",
      "invitation_declined",
      "invited",
    ]);
    // Leaving the bank keeps the filled place counted, without the person.
    await leaveReservistBank(me(first));
    const after = await loadNeed(me(coordinator), id);
    expect(after.need.filled).toBe(1);
    expect(after.invitations.find((i) => i.status === "accepted")?.name).toBeNull();
  });

  it("cannot invite a paused reservist", async () => {
    const paused = await reservist({}, "Paused Invitee");
    await changeMyReservistStatus(me(paused), "pause");
    const id = await createNeed(me(coordinator), need());
    await expect(inviteReservists(me(coordinator), id, [paused.id])).rejects.toSatisfy((e) => isReservistError(e));
    expect(await myInvitations(me(paused))).toHaveLength(0);
  });
});

describe("the 3-monthly reminder", () => {
  it("runs once a day across instances and never reminds twice for one confirmation", async () => {
    const due = await createUser({ organisationId: orgA });
    await saveMyReservistProfile(me(due), profile(), new Date("2031-01-01T09:00:00Z"));
    const fresh = await createUser({ organisationId: orgA });
    await saveMyReservistProfile(me(fresh), profile(), new Date("2031-03-20T09:00:00Z"));
    const day = new Date("2031-04-02T09:30:00Z");
    const runs = await Promise.all([sendReservistReminders(day), sendReservistReminders(day)]);
    expect(runs.filter((r) => r === null)).toHaveLength(1);
    const reminders = async (userId: string) =>
      (await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, userId))).filter((m) =>
        m.subject.includes("confirm your details"),
      );
    expect(await reminders(due.id)).toHaveLength(1);
    expect(await reminders(fresh.id)).toHaveLength(0);
    // The next day's run does not remind the same person again.
    expect(await sendReservistReminders(new Date("2031-04-03T09:30:00Z"))).not.toBeNull();
    expect(await reminders(due.id)).toHaveLength(1);
    const claims = await getDb().select().from(jobRuns).where(eq(jobRuns.name, RESERVIST_REMINDER_JOB));
    expect(claims.length).toBeGreaterThanOrEqual(2);
    // Confirming starts a new 3 months: reminded again only once that is due.
    await changeMyReservistStatus(me(due), "confirm", new Date("2031-04-05T09:00:00Z"));
    await sendReservistReminders(new Date("2031-06-06T09:30:00Z"));
    expect(await reminders(due.id)).toHaveLength(1);
    await sendReservistReminders(new Date("2031-07-06T09:30:00Z"));
    expect(await reminders(due.id)).toHaveLength(2);
  });
});
