// Second hostile review of issue 14 (branch h-rev; ADR 040, addendum "second review"). Each test
// states what SHOULD hold. The first two described findings failed on main cabd3f0 and are fixed
// on this branch; the rest pin down attacks that held up, so they stay held:
// - a retire-and-return person who moved to a partner organisation (change of employer) was still
//   treated as a leaver by their old organisation's questionnaire: no bank mail, could not join;
// - a role or skill could be added twice by changing case or spacing, splitting matching in two;
// - registration numbers: spacing and case normalise to one number, so a second profile with it is
//   flagged to the coordinator (it is no longer refused: ADR 040, "not refused" addendum); saving
//   says nothing of the other holder; look-alike characters are refused as format;
// - two people accepting the last place at once: one gets it.
import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { leavingContacts, leavingResponses, mailOutbox, reservistSkills } from "@db/schema";
import { confirmEmailChange, requestEmployerChange } from "~/.server/models/account.server";
import {
  answerInvitation,
  createNeed,
  inviteReservists,
  isReservistError,
  loadNeed,
  myInvitations,
  reservistEligibility,
  reservistMailAddress,
  saveMyReservistProfile,
} from "~/.server/models/reservists.server";
import { findActiveUserById } from "~/.server/models/users.server";
import * as skillsRoute from "~/routes/admin.reservist-skills";
import * as reservistsRoute from "~/routes/reservists._index";
import type { ReservistNeedInput, ReservistProfileInput } from "~/schemas/reservists";
import { asCurrentUser, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { formRequest, runRoute, signInCookie, type FormFields } from "../helpers/http";
import { addToReservistTeam, nextNmcNumber, reservistNeedInput, reservistProfileInput } from "../helpers/reservists";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

let orgA: number;
let orgBDomain: string;
let nurse: number;
let coordinator: TestUser;

beforeAll(async () => {
  orgA = (await createOrganisation({ name: "Second Review Trust" })).id;
  orgBDomain = (await createOrganisation({ name: "Second Review Partner" })).domains[0]!;
  nurse = (await getDb().select().from(reservistSkills)).find((r) => r.slug === "registered-nurse-adult")!.id;
  coordinator = await createUser({ role: "coordinator", organisationId: orgA });
  await addToReservistTeam([coordinator.id]);
});

function profile(overrides: Partial<ReservistProfileInput> = {}): ReservistProfileInput {
  return reservistProfileInput({ skills: [nurse], organisations: [orgA], availableFrom: "2026-01-01", ...overrides });
}

function need(overrides: Partial<ReservistNeedInput> = {}): ReservistNeedInput {
  return reservistNeedInput({
    organisationId: orgA,
    skills: [nurse],
    place: "Ward 9",
    startDate: "2030-03-01",
    endDate: "2030-03-31",
    ...overrides,
  });
}

/** The joining form as the browser sends it. */
function profileForm(registrationNumber: string): FormFields {
  return {
    registrationBody: "nmc",
    registrationNumber,
    staffGroup: "nursing_midwifery",
    skills: String(nurse),
    organisations: String(orgA),
    hoursPerWeek: "15",
    days: "mon",
    availableFrom: "2026-01-01",
    dbsCurrent: "yes",
  };
}

async function post(path: string, route: { action: (a: never) => Promise<unknown> }, user: TestUser, body: FormFields) {
  const cookie = await signInCookie(user.id);
  return runRoute(() =>
    route.action({ request: formRequest(path, body, { cookie }), params: {}, context: {} } as never),
  );
}

/** A questionnaire at `organisationId` whose leaving date has passed, optionally with a verified personal address. */
async function leftOn(user: TestUser, organisationId: number, personalEmail?: string) {
  const [response] = await getDb()
    .insert(leavingResponses)
    .values({
      userId: user.id,
      organisationId,
      leavingDate: "2025-06-30",
      destination: "retirement",
      mainReason: "retirement_age",
      usedSupport: false,
      wouldReturn: true,
      createdAt: new Date("2025-06-01T09:00:00Z"),
    })
    .returning();
  if (personalEmail) {
    await getDb()
      .insert(leavingContacts)
      .values({
        responseId: response!.id,
        name: user.name,
        personalEmail,
        verifiedAt: new Date("2025-06-02T09:00:00Z"),
      });
  }
}

/** The change of employer as the person does it: their password, then the link mailed to the new address. */
async function moveEmployer(user: TestUser, newEmail: string) {
  const asked = await requestEmployerChange(
    asCurrentUser(user),
    { newEmail, currentPassword: user.password },
    "198.51.100.40",
  );
  expect(asked.ok).toBe(true);
  const [mail] = await getDb()
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.toAddress, newEmail))
    .orderBy(desc(mailOutbox.id))
    .limit(1);
  const token = /confirm-email\?token=([A-Za-z0-9_-]+)/.exec(mail!.textBody)![1]!;
  expect((await confirmEmailChange(asCurrentUser(user), token)).ok).toBe(true);
  return (await findActiveUserById(user.id))!;
}

describe("a retire-and-return person who moved to a partner organisation", () => {
  it("is staff again: they can join, and bank mail goes to their new work address", async () => {
    const returner = await createUser({ organisationId: orgA, name: "Returning Nurse" });
    await leftOn(returner, orgA); // left orgA, gave no personal address
    const newEmail = `returning.nurse.${returner.id.slice(0, 8)}@${orgBDomain}`;
    const now = await moveEmployer(returner, newEmail);

    expect(await reservistEligibility(now)).toEqual({ eligible: true });
    expect(await reservistMailAddress(getDb(), returner.id)).toBe(newEmail);
    expect(await saveMyReservistProfile(now, profile())).toBe("joined");
    // Matching applies the same rule (as joins, not the helper): the coordinator sees them.
    const needId = await createNeed(asCurrentUser(coordinator), need());
    const { matches } = await loadNeed(asCurrentUser(coordinator), needId);
    expect(matches.map((m) => m.userId)).toContain(returner.id);
  });

  it("gets bank mail at the new work address rather than the personal one given on leaving", async () => {
    const returner = await createUser({ organisationId: orgA });
    await leftOn(returner, orgA, `returner.${returner.id.slice(0, 8)}@example.org`);
    const newEmail = `returner.${returner.id.slice(0, 8)}@${orgBDomain}`;
    await moveEmployer(returner, newEmail);
    expect(await reservistMailAddress(getDb(), returner.id)).toBe(newEmail);
  });

  it("still: someone who left and did not move gets nothing without a personal address (no dead work address)", async () => {
    const leaver = await createUser({ organisationId: orgA });
    await leftOn(leaver, orgA);
    expect(await reservistMailAddress(getDb(), leaver.id)).toBeNull();
    expect((await reservistEligibility(asCurrentUser(leaver))).eligible).toBe(false);
  });
});

describe("roles and skills at /admin/reservist-skills", () => {
  it("refuses a skill already on the list in other case or spacing, keeping what was typed", async () => {
    const admin = await createUser({ role: "admin", organisationId: orgA });
    const before = await getDb().select().from(reservistSkills);
    for (const typed of ["REGISTERED NURSE — ADULT", "Registered  nurse —   adult ", "registered nurse — adult"]) {
      const res = await post("/admin/reservist-skills", skillsRoute, admin, { label: typed });
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({ errors: { label: "That role or skill is already on the list" } });
    }
    expect(await getDb().select().from(reservistSkills)).toHaveLength(before.length);
  });

  it("stores a new skill with its spacing tidied", async () => {
    const admin = await createUser({ role: "admin", organisationId: orgA });
    const res = await post("/admin/reservist-skills", skillsRoute, admin, { label: "  Phlebotomist   (adult) " });
    expect(res.status).toBe(302);
    const labels = (await getDb().select().from(reservistSkills)).map((s) => s.label);
    expect(labels).toContain("Phlebotomist (adult)");
  });
});

describe("registration numbers (not refused; ADR 040 addendum)", () => {
  it("a number however it is typed is saved, says nothing of the holder, and is flagged to the coordinator", async () => {
    const holder = await createUser({ organisationId: orgA, name: "Hidden Holder" });
    const number = nextNmcNumber(); // e.g. 12A7001E
    await saveMyReservistProfile(asCurrentUser(holder), profile({ registrationNumber: number }));
    const needId = await createNeed(asCurrentUser(coordinator), need());
    const variants = [
      ` ${number.toLowerCase()} `,
      `${number.slice(0, 2)}-${number.slice(2, 3)}-${number.slice(3)}`,
      `${number.slice(0, 2)}\u00a0${number.slice(2)}`, // no-break space
    ];
    for (const typed of variants) {
      // A new person each time: each is saved as anyone's fresh number would be.
      const other = await createUser({ organisationId: orgA });
      const res = await post("/reservists", reservistsRoute, other, profileForm(typed));
      expect(res.status, typed).toBe(302);
      expect(res.location).toBe("/reservists?done=joined");
      expect(JSON.stringify(res)).not.toContain("Hidden Holder");
      // Normalised to the same number, so the coordinator's matches flag both.
      const { matches } = await loadNeed(asCurrentUser(coordinator), needId);
      const mine = matches.find((m) => m.userId === other.id);
      expect(mine?.registrationNumber).toBe(number);
      expect(mine?.registrationShared, typed).toBe(true);
      expect(matches.find((m) => m.userId === holder.id)?.registrationShared).toBe(true);
    }
    // Look-alikes are not normalised into a second, different-looking number: they are refused as format.
    const squatter = await createUser({ organisationId: orgA });
    const lookAlikes = [
      `${number.slice(0, 2)}\u0410${number.slice(3)}`, // Cyrillic A
      `\uff11\uff12${number.slice(2)}`, // full-width digits
      `${number.slice(0, 2)}\u200b${number.slice(2)}`, // zero-width space
    ];
    for (const typed of lookAlikes) {
      const res = await post("/reservists", reservistsRoute, squatter, profileForm(typed));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.data)).toContain("correct format");
    }
    await expect(reservistEligibility(asCurrentUser(squatter))).resolves.toEqual({ eligible: true });
    expect(await myInvitations(asCurrentUser(squatter))).toEqual([]);
  });

  it("two people saving the same number at once: both are saved, both flagged", async () => {
    const number = nextNmcNumber();
    const a = await createUser({ organisationId: orgA });
    const b = await createUser({ organisationId: orgA });
    const results = await Promise.allSettled([
      saveMyReservistProfile(asCurrentUser(a), profile({ registrationNumber: number })),
      saveMyReservistProfile(asCurrentUser(b), profile({ registrationNumber: number })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const needId = await createNeed(asCurrentUser(coordinator), need());
    const { matches } = await loadNeed(asCurrentUser(coordinator), needId);
    const both = matches.filter((m) => m.userId === a.id || m.userId === b.id);
    expect(both).toHaveLength(2);
    expect(both.every((m) => m.registrationShared)).toBe(true);
  });
});

describe("the last place (held up)", () => {
  it("two reservists accepting the last place at once: exactly one gets it", async () => {
    const a = await createUser({ organisationId: orgA });
    const b = await createUser({ organisationId: orgA });
    await saveMyReservistProfile(asCurrentUser(a), profile());
    await saveMyReservistProfile(asCurrentUser(b), profile());
    const needId = await createNeed(asCurrentUser(coordinator), need({ placesWanted: 1 }));
    await inviteReservists(asCurrentUser(coordinator), needId, [a.id, b.id]);
    const [invA] = await myInvitations(asCurrentUser(a));
    const [invB] = await myInvitations(asCurrentUser(b));
    const results = await Promise.allSettled([
      answerInvitation(asCurrentUser(a), invA!.id, "accept"),
      answerInvitation(asCurrentUser(b), invB!.id, "accept"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(isReservistError(refused.reason, "full")).toBe(true);
    const { need: loaded } = await loadNeed(asCurrentUser(coordinator), needId);
    expect(loaded.filled).toBe(1);
  });
});
