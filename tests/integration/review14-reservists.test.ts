// The hostile review of issue 14 (docs/decisions/040-reservist-bank.md, addendum 2026-11-30):
// - finding 1 (and the mail side of 2): bank mail goes to the address valid when it is sent — the
//   work address while the person is staff; after leaving, only a verified personal address whose
//   consent stands. No copy of the address is kept; withdrawn or deleted, nothing is sent and
//   /reservists says there is no contact address;
// - finding 4: an invitation cannot be accepted after the need has ended, or while the profile is
//   paused, and then shows as no longer open;
// - finding 5: HCPC numbers need a profession prefix. A (regulator, number) already on another
//   profile is saved (refusing it let a squatter lock the holder out and told anyone the number was
//   in the bank); the coordinator's matches flag it instead (ADR 040, "not refused" addendum).
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { leavingContacts, leavingResponses, mailOutbox, reservistSkills, users } from "@db/schema";
import { applyRetention } from "~/.server/jobs/retention.server";
import { withdrawMyContact } from "~/.server/models/leaving.server";
import {
  answerInvitation,
  changeMyReservistStatus,
  createNeed,
  inviteReservists,
  isReservistError,
  loadNeed,
  myInvitations,
  myReservistProfile,
  reservistMailAddressSql,
  saveMyReservistProfile,
  sendReservistReminders,
} from "~/.server/models/reservists.server";
import * as invitationsRoute from "~/routes/reservists.invitations";
import * as reservistsRoute from "~/routes/reservists._index";
import { reservistProfileSchema, type ReservistNeedInput, type ReservistProfileInput } from "~/schemas/reservists";
import { asCurrentUser, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie, type FormFields } from "../helpers/http";
import { addToReservistTeam, nextNmcNumber, reservistNeedInput, reservistProfileInput } from "../helpers/reservists";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

let orgA: number;
let nurse: number;
let coordinator: TestUser;

beforeAll(async () => {
  orgA = (await createOrganisation({ name: "Review Trust" })).id;
  const rows = await getDb().select().from(reservistSkills);
  nurse = rows.find((r) => r.slug === "registered-nurse-adult")!.id;
  coordinator = await createUser({ role: "coordinator", organisationId: orgA });
  await addToReservistTeam([coordinator.id]);
});

function profile(overrides: Partial<ReservistProfileInput> = {}): ReservistProfileInput {
  return reservistProfileInput({ skills: [nurse], organisations: [orgA], ...overrides });
}

function need(overrides: Partial<ReservistNeedInput> = {}): ReservistNeedInput {
  return reservistNeedInput({ organisationId: orgA, skills: [nurse], ...overrides });
}

const me = (u: TestUser) => asCurrentUser(u);

/** A leaving questionnaire (and, if `personalEmail`, a consent to be contacted, verified or not). */
async function leaving(
  user: TestUser,
  leavingDate: string,
  contact?: { personalEmail: string; verified: boolean; answeredAt?: Date },
) {
  const [response] = await getDb()
    .insert(leavingResponses)
    .values({
      userId: user.id,
      organisationId: user.organisationId,
      leavingDate,
      destination: "retirement",
      mainReason: "retirement_age",
      usedSupport: false,
      wouldReturn: true,
      createdAt: contact?.answeredAt ?? new Date(`${leavingDate}T09:00:00Z`),
    })
    .returning();
  if (contact) {
    await getDb()
      .insert(leavingContacts)
      .values({
        responseId: response!.id,
        name: user.name,
        personalEmail: contact.personalEmail,
        verifiedAt: contact.verified ? new Date(`${leavingDate}T10:00:00Z`) : null,
        tokenExpiresAt: contact.verified ? null : new Date("2099-01-01T00:00:00Z"),
      });
  }
}

async function mailTo(address: string) {
  return getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, address));
}

async function post(path: string, route: { action: (a: never) => Promise<unknown> }, user: TestUser, body: FormFields) {
  const cookie = await signInCookie(user.id);
  return runRoute(() =>
    route.action({ request: formRequest(path, body, { cookie }), params: {}, context: {} } as never),
  );
}

async function load(path: string, route: { loader: (a: never) => Promise<unknown> }, user: TestUser) {
  const cookie = await signInCookie(user.id);
  return runRoute(() => route.loader({ request: getRequest(path, { cookie }), params: {}, context: {} } as never));
}

describe("finding 1: bank mail goes to the address valid when it is sent", () => {
  it("keeps no copy of an address on the profile", async () => {
    const columns = await queryRows<{ column_name: string }>(
      getDb(),
      sql`select column_name from information_schema.columns where table_name = 'reservists'`,
    );
    expect(columns.map((c) => c.column_name)).toContain("registration_number");
    expect(columns.filter((c) => /mail/.test(c.column_name))).toEqual([]);
  });

  it("stops mailing a leaver's personal address once they withdraw consent, and /reservists says why", async () => {
    const leaver = await createUser({ organisationId: orgA, name: "Withdrawing Leaver" });
    // Left well before today: the page below works it out at the real date.
    await leaving(leaver, "2025-06-30", { personalEmail: "withdraw.me@example.org", verified: true });
    await saveMyReservistProfile(me(leaver), profile(), new Date("2025-12-01T10:00:00Z"));
    expect((await myReservistProfile(me(leaver), new Date("2025-12-02T10:00:00Z")))?.contactEmail).toBe(
      "withdraw.me@example.org",
    );

    expect(await withdrawMyContact(me(leaver))).toBe(true);
    const now = new Date("2025-12-10T10:00:00Z");
    expect((await myReservistProfile(me(leaver), now))?.contactEmail).toBeNull();
    // Not invitable (matching leaves them out) — or, if invited, not mailed at the withdrawn address.
    const id = await createNeed(me(coordinator), need());
    await inviteReservists(me(coordinator), id, [leaver.id], now).catch((e: unknown) => {
      if (!isReservistError(e)) throw e;
    });
    // Nor reminded there when confirming falls due.
    await sendReservistReminders(new Date("2026-03-05T09:00:00Z"));
    expect(await mailTo("withdraw.me@example.org")).toEqual([]);
    // Nothing goes to their dead work address either.
    expect((await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, leaver.id))).length).toBe(0);

    const page = await load("/reservists", reservistsRoute, leaver);
    expect(page.status).toBe(200);
    const data = page.data as { profile: { contactEmail: string | null } };
    expect(data.profile.contactEmail).toBeNull();
    expect(JSON.stringify(page.data)).not.toContain("withdraw.me@example.org");
  });

  it("stops reminders at a leaver's personal address once the retention rule deletes it", async () => {
    const leaver = await createUser({ organisationId: orgA, name: "Expired Contact" });
    // Answered after leaving, so the contact (24 months after the leaving date) goes first.
    await leaving(leaver, "2029-06-30", {
      personalEmail: "expires@example.org",
      verified: true,
      answeredAt: new Date("2029-09-01T09:00:00Z"),
    });
    await saveMyReservistProfile(me(leaver), profile(), new Date("2031-03-01T10:00:00Z"));
    const retention = await applyRetention(new Date("2031-07-10T03:00:00Z"));
    expect(retention.counts.leavingContacts).toBeGreaterThanOrEqual(1);
    expect((await myReservistProfile(me(leaver), new Date("2031-07-10T10:00:00Z")))?.contactEmail).toBeNull();
    await sendReservistReminders(new Date("2031-07-11T09:00:00Z"));
    expect(await mailTo("expires@example.org")).toEqual([]);
    expect((await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, leaver.id))).length).toBe(0);
  });

  it("mails staff at their work address as it is at send time, and a leaver at their verified personal one", async () => {
    const staff = await createUser({ organisationId: orgA, name: "Staff Member" });
    await saveMyReservistProfile(me(staff), profile(), new Date("2029-12-01T10:00:00Z"));
    // The work address changes after joining: the invitation goes to the new one.
    const renamed = `renamed-${staff.id}@test.staywell.test`;
    await getDb().update(users).set({ email: renamed }).where(eq(users.id, staff.id));
    // About to leave (leaving date not yet passed): still staff, still the work address.
    const soon = await createUser({ organisationId: orgA, name: "Leaving Soon" });
    await leaving(soon, "2030-06-30", { personalEmail: "soon@example.org", verified: true });
    await saveMyReservistProfile(me(soon), profile(), new Date("2029-12-01T10:00:00Z"));
    const left = await createUser({ organisationId: orgA, name: "Has Left" });
    await leaving(left, "2029-06-30", { personalEmail: "has.left@example.org", verified: true });
    await saveMyReservistProfile(me(left), profile(), new Date("2029-12-01T10:00:00Z"));

    const id = await createNeed(me(coordinator), need({ place: "Send-time ward" }));
    expect(
      await inviteReservists(me(coordinator), id, [staff.id, soon.id, left.id], new Date("2029-12-05T10:00:00Z")),
    ).toBe(3);
    const invited = await getDb()
      .select()
      .from(mailOutbox)
      .where(sql`${mailOutbox.subject} like '%invited%'`);
    const to = Object.fromEntries(invited.map((m) => [m.userId, m.toAddress]));
    expect(to[staff.id]).toBe(renamed);
    expect(to[soon.id]).toBe(soon.email);
    expect(to[left.id]).toBe("has.left@example.org");

    // The same rule as SQL, for matching: null for a leaver whose consent is only unverified.
    const unverified = await createUser({ organisationId: orgA });
    await leaving(unverified, "2029-06-30", { personalEmail: "unverified@example.org", verified: false });
    const rows = await queryRows<{ id: string; address: string | null }>(
      getDb(),
      sql`select u.id, ${reservistMailAddressSql(sql`u.id`, "2029-12-05")} as address from users u
           where u.id in (${staff.id}, ${soon.id}, ${left.id}, ${unverified.id})`,
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r.address]));
    expect(byId).toEqual({
      [staff.id]: renamed,
      [soon.id]: soon.email,
      [left.id]: "has.left@example.org",
      [unverified.id]: null,
    });
  });
});

describe("finding 4: an invitation closes when the need ends or the profile is paused", () => {
  it("refuses to accept after the need's end date, shows it as no longer open, and fills no place", async () => {
    const late = await createUser({ organisationId: orgA, name: "Late Answer" });
    await saveMyReservistProfile(me(late), profile(), new Date("2029-12-01T10:00:00Z"));
    const id = await createNeed(me(coordinator), need({ place: "Ended ward" }));
    await inviteReservists(me(coordinator), id, [late.id], new Date("2029-12-05T10:00:00Z"));
    const [invitation] = await myInvitations(me(late), new Date("2030-03-01T10:00:00Z"));
    expect(invitation!.closedReason).toBe("ended");
    // On the last day it is still open.
    expect((await myInvitations(me(late), new Date("2030-02-28T12:00:00Z")))[0]!.closedReason).toBeNull();

    await expect(
      answerInvitation(me(late), invitation!.id, "accept", new Date("2030-03-01T10:00:00Z")),
    ).rejects.toSatisfy((e) => isReservistError(e, "closed") && /ended/.test((e as Error).message));
    expect((await loadNeed(me(coordinator), id)).need.filled).toBe(0);
    expect((await myInvitations(me(late)))[0]!.status).toBe("invited");
  });

  it("refuses to accept while the profile is paused (declining still works)", async () => {
    const paused = await createUser({ organisationId: orgA, name: "Paused Answer" });
    await saveMyReservistProfile(me(paused), profile(), new Date("2029-12-01T10:00:00Z"));
    const id = await createNeed(me(coordinator), need({ place: "Paused ward", endDate: "2099-12-31" }));
    await inviteReservists(me(coordinator), id, [paused.id], new Date("2029-12-05T10:00:00Z"));
    await changeMyReservistStatus(me(paused), "pause");
    const [invitation] = await myInvitations(me(paused));
    expect(invitation!.closedReason).toBe("paused");
    const res = await post("/reservists/invitations", invitationsRoute, paused, {
      invitation: String(invitation!.id),
      answer: "accept",
    });
    expect(res.status).toBe(409);
    expect((res.data as { error: string }).error).toMatch(/paused/);
    expect((await loadNeed(me(coordinator), id)).need.filled).toBe(0);
    await answerInvitation(me(paused), invitation!.id, "decline");
    expect((await myInvitations(me(paused)))[0]!.status).toBe("declined");
  });
});

describe("finding 5: registration numbers", () => {
  const base = {
    staffGroup: "allied_health",
    skills: ["1"],
    organisations: ["1"],
    hoursPerWeek: "10",
    days: ["mon"],
    availableFrom: "2030-01-01",
    dbsCurrent: "yes",
  };

  it("checks an HCPC number's profession prefix and gives an example", () => {
    for (const [number, ok] of [
      ["PH123456", true],
      ["ph 12345", true],
      ["ODP12345", true],
      ["HAD123456", true],
      ["PYL12345", true],
      ["XX123456", false],
      ["AB12345", false],
      ["ZZZ12345", false],
    ] as const) {
      const result = reservistProfileSchema.safeParse({
        ...base,
        registrationBody: "hcpc",
        registrationNumber: number,
      });
      expect(result.success, number).toBe(ok);
      if (!result.success) {
        const message = result.error.issues.find((i) => i.path[0] === "registrationNumber")?.message ?? "";
        expect(message).toMatch(/PH123456/);
        expect(message).toMatch(/profession/);
      }
    }
  });

  it("saves a number already on another profile without a word, and flags both to the coordinator", async () => {
    const first = await createUser({ organisationId: orgA, name: "First Holder" });
    await saveMyReservistProfile(me(first), profile({ registrationNumber: "34B5678C" }));
    // The same person saving again keeps their own number, and nobody else has it yet: no flag.
    await saveMyReservistProfile(me(first), profile({ registrationNumber: "34B5678C", hoursPerWeek: 20 }));
    const needId = await createNeed(me(coordinator), need());
    const alone = (await loadNeed(me(coordinator), needId)).matches.find((m) => m.userId === first.id);
    expect(alone?.registrationShared).toBe(false);

    // Someone else typing it (spaced, lower case) is saved exactly as a fresh number would be: the
    // same redirect, and nothing that says the number was already there or whose it is.
    const second = await createUser({ organisationId: orgA, name: "Second Typist" });
    const res = await post("/reservists", reservistsRoute, second, {
      registrationBody: "nmc",
      registrationNumber: "34 b5678c",
      staffGroup: "nursing_midwifery",
      skills: [String(nurse)],
      organisations: [String(orgA)],
      hoursPerWeek: "12",
      days: ["tue"],
      availableFrom: "2029-01-01",
      dbsCurrent: "yes",
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/reservists?done=joined");
    expect((await myReservistProfile(me(second)))?.registrationNumber).toBe("34B5678C");
    const page = JSON.stringify((await load("/reservists", reservistsRoute, second)).data);
    expect(page).not.toContain("First Holder");
    expect(page).not.toContain(first.email);
    expect(page).not.toMatch(/another reservist/i);

    // The coordinator sees both, each flagged, and can still invite the one they choose.
    const { matches } = await loadNeed(me(coordinator), needId);
    const flagged = matches.filter((m) => m.registrationNumber === "34B5678C");
    expect(flagged.map((m) => m.userId).sort()).toEqual([first.id, second.id].sort());
    expect(flagged.every((m) => m.registrationShared)).toBe(true);
    await inviteReservists(me(coordinator), needId, [second.id]);
    expect(await myInvitations(me(second))).toHaveLength(1);

    // Another regulator's number with the same characters is a different registration.
    const third = await createUser({ organisationId: orgA });
    await saveMyReservistProfile(me(third), profile({ registrationBody: "gmc", registrationNumber: "7654321" }));
    const fourth = await createUser({ organisationId: orgA });
    await saveMyReservistProfile(me(fourth), profile({ registrationBody: "gphc", registrationNumber: "7654321" }));
    expect((await myReservistProfile(me(fourth)))?.registrationNumber).toBe("7654321");
    const others = (await loadNeed(me(coordinator), needId)).matches.filter((m) =>
      [third.id, fourth.id].includes(m.userId),
    );
    expect(others).toHaveLength(2);
    expect(others.some((m) => m.registrationShared)).toBe(false);
  });

  it("does not flag a number whose other holder's account is disabled or erased", async () => {
    const needId = await createNeed(me(coordinator), need());
    const live = await createUser({ organisationId: orgA });
    const gone = await createUser({ organisationId: orgA });
    const number = nextNmcNumber();
    await saveMyReservistProfile(me(gone), profile({ registrationNumber: number }));
    await saveMyReservistProfile(me(live), profile({ registrationNumber: number }));
    const shared = async () =>
      (await loadNeed(me(coordinator), needId)).matches.find((m) => m.userId === live.id)?.registrationShared;
    expect(await shared()).toBe(true);
    await getDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, gone.id));
    expect(await shared()).toBe(false);
    await getDb().update(users).set({ disabledAt: null, erasedAt: new Date() }).where(eq(users.id, gone.id));
    expect(await shared()).toBe(false);
  });
});
