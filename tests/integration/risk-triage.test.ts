// Risk-first triage (issue 9 part 1, docs/decisions/012-risk-first-triage.md): the priority derived
// at submission, the urgent first-contact target, the queue's order and cursor paging, the team
// mail's subject and the team's urgent-contact address, and the administrators' settings for both.
import { randomUUID } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { adminAudit, mailOutbox, supportRequests, teams, type SupportOffer } from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import { createRequest } from "~/.server/models/requests.server";
import { listHubQueue } from "~/.server/models/hub-queue.server";
import { messageRequester } from "~/.server/models/hub-requests.server";
import * as offersModel from "~/.server/models/admin/offers.server";
import { setTeamUrgentContact } from "~/.server/models/admin/teams.server";
import { urgentContactSchema } from "~/schemas/admin-teams";
import type { HubQueueFilters } from "~/schemas/hub-queue";
import {
  addTeamMembers,
  asCurrentUser,
  createOffer,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie, type FormFields } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";
import * as teamRoute from "~/routes/admin.teams.$teamId";
import * as detailRoute from "~/routes/my.requests.$reference";

useTestDatabase();

const QUEUE: HubQueueFilters = { status: "open", assignee: "anyone", overdue: false, urgent: false };

const psych = (safety: "safe" | "unsure" | "at_risk") => ({
  whatIsHappening: "Private words kq9 about a very hard month",
  effectOnWork: "struggling",
  safety,
  contactMethod: "email",
  submissionKey: randomUUID(),
});
const money = (urgent: boolean) => ({
  topics: ["debt"],
  urgentSituations: urgent ? ["bailiffs"] : ["none"],
  details: "Private words mz4 about the bills",
  contactMethod: "email",
  submissionKey: randomUUID(),
});

async function mailsAbout(reference: string) {
  return getDb()
    .select()
    .from(mailOutbox)
    .where(like(mailOutbox.subject, `%${reference}%`));
}

describe("priority and the urgent target at submission", () => {
  let requester: TestUser;
  let psychOffer: SupportOffer;
  let moneyOffer: SupportOffer;

  beforeAll(async () => {
    requester = await createUser();
    const team = await createTeam();
    psychOffer = await createOffer({ teamId: team.id, formKind: "psychological", sensitive: true });
    moneyOffer = await createOffer({
      teamId: team.id,
      formKind: "financial",
      firstContactTargetDays: 3,
      urgentCutoffHour: 12,
      urgentNextDayHour: 9,
    });
  });

  it("derives at risk, safety check, urgent and normal on the server", async () => {
    const caller = asCurrentUser(requester);
    const cases: Array<[SupportOffer, Record<string, unknown>, string, boolean]> = [
      [psychOffer, psych("at_risk"), "at_risk", true],
      [psychOffer, psych("unsure"), "safety_check", false],
      [psychOffer, psych("safe"), "normal", false],
      [moneyOffer, money(true), "urgent", true],
      [moneyOffer, money(false), "normal", false],
    ];
    for (const [offer, input, priority, urgent] of cases) {
      // A priority sent by the browser is ignored: only the answers count.
      const created = await createRequest(caller, offer.slug, { ...input, priority: "at_risk" });
      expect(created.priority, JSON.stringify(input)).toBe(priority);
      expect(created.urgent).toBe(urgent);
      const [row] = await getDb()
        .select()
        .from(supportRequests)
        .where(eq(supportRequests.reference, created.reference));
      expect(row!.priority).toBe(priority);
    }
  });

  it("gives urgent, safety-check and at-risk requests the offer's urgent target, others their working days", async () => {
    const caller = asCurrentUser(requester);
    const wednesday10 = new Date("2026-07-01T10:00:00+01:00");
    const friday16 = new Date("2026-07-03T16:00:00+01:00");
    const due = async (offer: SupportOffer, input: Record<string, unknown>, now: Date) => {
      const created = await createRequest(caller, offer.slug, input, now);
      const [row] = await getDb()
        .select()
        .from(supportRequests)
        .where(eq(supportRequests.reference, created.reference));
      return row!.dueAt.toISOString();
    };
    // Psychological offer: the default, before 15:00 → 17:00 the same day; Friday 16:00 → Monday 10:00.
    expect(await due(psychOffer, psych("at_risk"), wednesday10)).toBe(
      new Date("2026-07-01T17:00:00+01:00").toISOString(),
    );
    expect(await due(psychOffer, psych("unsure"), friday16)).toBe(new Date("2026-07-06T10:00:00+01:00").toISOString());
    // The money offer's own urgent hours (12 and 9); its normal requests keep 3 working days.
    expect(await due(moneyOffer, money(true), wednesday10)).toBe(new Date("2026-07-01T17:00:00+01:00").toISOString());
    expect(await due(moneyOffer, money(true), new Date("2026-07-01T12:30:00+01:00"))).toBe(
      new Date("2026-07-02T09:00:00+01:00").toISOString(),
    );
    expect(await due(moneyOffer, money(false), wednesday10)).toBe(
      new Date("2026-07-06T23:59:59.999+01:00").toISOString(),
    );
  });
});

describe("the queue: at risk not yet contacted first, then overdue, then due time", () => {
  let coordinator: TestUser;
  let caller: CurrentUser;
  const refs: Record<string, string> = {};
  const now = new Date("2026-09-30T11:00:00+01:00"); // a Wednesday

  beforeAll(async () => {
    coordinator = await createUser({ role: "coordinator" });
    caller = asCurrentUser(coordinator);
    const requester = asCurrentUser(await createUser());
    const team = await createTeam({ members: [coordinator.id] });
    const psychOffer = await createOffer({ teamId: team.id, formKind: "psychological", sensitive: true });
    const moneyOffer = await createOffer({ teamId: team.id, formKind: "financial" });
    // Another team's at-risk request never shows, however pressing.
    const otherOffer = await createOffer({ formKind: "psychological", sensitive: true });
    refs.otherTeam = (
      await createRequest(requester, otherOffer.slug, psych("at_risk"), new Date("2026-08-03T10:00:00+01:00"))
    ).reference;

    // Old urgent requests from August, contacted long ago, and an old at-risk one contacted too.
    refs.oldUrgentContacted = (
      await createRequest(requester, moneyOffer.slug, money(true), new Date("2026-08-04T10:00:00+01:00"))
    ).reference;
    refs.oldAtRiskContacted = (
      await createRequest(requester, psychOffer.slug, psych("at_risk"), new Date("2026-08-05T10:00:00+01:00"))
    ).reference;
    for (const ref of [refs.oldUrgentContacted, refs.oldAtRiskContacted]) {
      await messageRequester(
        caller,
        ref,
        { body: "Hello, I am from the people hub.", version: 1 },
        new Date("2026-08-05T12:00:00+01:00"),
      );
    }
    // An urgent request not contacted and overdue; a normal one overdue; a normal one not yet due.
    refs.urgentOverdue = (
      await createRequest(requester, moneyOffer.slug, money(true), new Date("2026-09-01T10:00:00+01:00"))
    ).reference;
    refs.normalOverdue = (
      await createRequest(requester, moneyOffer.slug, money(false), new Date("2026-09-02T10:00:00+01:00"))
    ).reference;
    refs.normalLater = (
      await createRequest(requester, moneyOffer.slug, money(false), new Date("2026-09-29T10:00:00+01:00"))
    ).reference;
    // A safety check from yesterday evening and an at-risk request sent now (safety check is older: first).
    refs.safetyCheck = (
      await createRequest(requester, psychOffer.slug, psych("unsure"), new Date("2026-09-29T20:00:00+01:00"))
    ).reference;
    refs.atRiskNow = (await createRequest(requester, psychOffer.slug, psych("at_risk"), now)).reference;
  });

  const order = async (at = now) => (await listHubQueue(caller, QUEUE, at)).items;

  it("lists uncontacted at-risk and safety-check requests first (oldest first), then overdue, then by due time", async () => {
    const items = await order();
    expect(items.map((i) => i.reference)).toEqual([
      refs.safetyCheck,
      refs.atRiskNow,
      refs.urgentOverdue,
      refs.normalOverdue,
      // Contacted: by due time like the rest (their August due times are earliest).
      refs.oldUrgentContacted,
      refs.oldAtRiskContacted,
      refs.normalLater,
    ]);
    expect(items.map((i) => i.reference)).not.toContain(refs.otherTeam);
    // Old contacted at-risk requests keep their tag, but "urgent" alone no longer puts anything first.
    const byRef = Object.fromEntries(items.map((i) => [i.reference, i]));
    expect(byRef[refs.oldAtRiskContacted]!.priority).toBe("at_risk");
    expect(byRef[refs.oldAtRiskContacted]!.needsAttention).toBe(false);
    expect(byRef[refs.oldUrgentContacted]!.needsAttention).toBe(false);
    expect(byRef[refs.safetyCheck]!.priority).toBe("safety_check");
    expect(byRef[refs.atRiskNow]!.needsAttention).toBe(true);
  });

  it("pages the same order by cursor, forward and back, two rows a page", async () => {
    const all = (await order()).map((i) => i.reference);
    const seen: string[] = [];
    const pages = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page = await listHubQueue(caller, { ...QUEUE, cursor }, now, { pageSize: 2 });
      pages.push(page);
      seen.push(...page.items.map((i) => i.reference));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all);
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    // Back from the last page, every page again in reverse.
    for (let i = pages.length - 1; i > 0; i--) {
      const back = await listHubQueue(caller, { ...QUEUE, cursor: pages[i]!.prevCursor }, now, { pageSize: 2 });
      expect(back.items.map((x) => x.reference)).toEqual(pages[i - 1]!.items.map((x) => x.reference));
    }
  });

  it("drops an at-risk request out of first place after first contact, into due-time order with its tag", async () => {
    const later = new Date(now.getTime() + 30 * 60_000);
    await messageRequester(
      caller,
      refs.atRiskNow,
      { body: "Hello, I am from the people hub. I will call you now.", version: 1 },
      later,
    );
    const items = await order(later);
    const list = items.map((i) => i.reference);
    expect(list[0]).toBe(refs.safetyCheck);
    expect(list.indexOf(refs.atRiskNow)).toBeGreaterThan(list.indexOf(refs.normalOverdue));
    const moved = items.find((i) => i.reference === refs.atRiskNow)!;
    expect(moved.priority).toBe("at_risk");
    expect(moved.needsAttention).toBe(false);
  });
});

describe("team mail for urgent and at-risk requests, and the urgent-contact address", () => {
  let admin: TestUser;
  let member: TestUser;
  let requester: TestUser;
  let teamId: number;
  let teamVersion: number;
  let psychOffer: SupportOffer;
  let moneyOffer: SupportOffer;

  beforeAll(async () => {
    admin = await createUser({ role: "admin" });
    member = await createUser({ role: "coordinator" });
    requester = await createUser();
    const team = await createTeam();
    teamId = team.id;
    await addTeamMembers(team.id, [member.id]);
    psychOffer = await createOffer({ teamId: team.id, formKind: "psychological", sensitive: true });
    moneyOffer = await createOffer({ teamId: team.id, formKind: "financial", title: "Money worries" });
    const result = await setTeamUrgentContact(asCurrentUser(admin), team.id, {
      urgentContactEmail: "duty.inbox@nhs.test",
      version: team.version,
    });
    expect(result.changed).toBe(true);
    teamVersion = team.version + 1;
  });

  it("says At risk / Urgent in the subject, never the person's words, and copies the urgent-contact address", async () => {
    const caller = asCurrentUser(requester);
    const atRisk = await createRequest(caller, psychOffer.slug, psych("at_risk"));
    const unsure = await createRequest(caller, psychOffer.slug, psych("unsure"));
    const urgent = await createRequest(caller, moneyOffer.slug, money(true));
    const calm = await createRequest(caller, moneyOffer.slug, money(false));

    const teamMail = async (ref: string) => (await mailsAbout(ref)).filter((m) => m.toAddress !== requester.email);
    const subjects = async (ref: string) => (await teamMail(ref)).map((m) => `${m.toAddress} ${m.subject}`).sort();

    expect(await subjects(atRisk.reference)).toEqual(
      [
        `duty.inbox@nhs.test At risk: new confidential request ${atRisk.reference} for your team`,
        `${member.email} At risk: new confidential request ${atRisk.reference} for your team`,
      ].sort(),
    );
    expect(await subjects(unsure.reference)).toEqual(
      [
        `duty.inbox@nhs.test Urgent: new confidential request ${unsure.reference} for your team`,
        `${member.email} Urgent: new confidential request ${unsure.reference} for your team`,
      ].sort(),
    );
    expect(await subjects(urgent.reference)).toEqual(
      [
        `duty.inbox@nhs.test Urgent: new request ${urgent.reference} for Money worries`,
        `${member.email} Urgent: new request ${urgent.reference} for Money worries`,
      ].sort(),
    );
    // A normal request: the team only, no word of urgency, not the urgent-contact address.
    expect(await subjects(calm.reference)).toEqual([`${member.email} New request ${calm.reference} for Money worries`]);

    for (const ref of [atRisk.reference, unsure.reference, urgent.reference, calm.reference]) {
      for (const mail of await teamMail(ref)) {
        const everything = `${mail.subject}\n${mail.textBody}`;
        expect(everything).not.toMatch(/kq9|mz4|Private words|not feel safe|bailiffs|unsure|safety/i);
        expect(everything).not.toContain(requester.name);
      }
    }
  });

  it("lets an administrator set and clear the address, audited; a bad address is refused by the form's schema", async () => {
    expect(urgentContactSchema.safeParse({ urgentContactEmail: "not an email" }).success).toBe(false);
    expect(urgentContactSchema.parse({ urgentContactEmail: "  Duty@NHS.test " })).toEqual({
      urgentContactEmail: "duty@nhs.test",
    });
    expect(urgentContactSchema.parse({ urgentContactEmail: "" })).toEqual({ urgentContactEmail: null });

    const again = await setTeamUrgentContact(asCurrentUser(admin), teamId, {
      urgentContactEmail: "duty.inbox@nhs.test",
      version: teamVersion,
    });
    expect(again.changed).toBe(false);
    await setTeamUrgentContact(asCurrentUser(admin), teamId, { urgentContactEmail: null, version: teamVersion });
    const [team] = await getDb().select().from(teams).where(eq(teams.id, teamId));
    expect(team!.urgentContactEmail).toBeNull();
    const audit = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "team"), eq(adminAudit.entityId, String(teamId))));
    expect(audit.map((a) => a.after)).toEqual([
      { urgentContactEmail: "duty.inbox@nhs.test" },
      { urgentContactEmail: null },
    ]);
    // A coordinator may not set it.
    await expect(
      setTeamUrgentContact(asCurrentUser(member), teamId, {
        urgentContactEmail: "x@nhs.test",
        version: teamVersion + 1,
      }),
    ).rejects.toThrow();

    const atRisk = await createRequest(asCurrentUser(requester), psychOffer.slug, psych("at_risk"));
    expect((await mailsAbout(atRisk.reference)).map((m) => m.toAddress)).not.toContain("duty.inbox@nhs.test");
  });
});

describe("administrators set an offer's urgent target", () => {
  it("saves the two hours with the offer, audited, and refuses hours outside the working day", async () => {
    const admin = asCurrentUser(await createUser({ role: "admin" }));
    const team = await createTeam();
    const offer = await createOffer({ teamId: team.id });
    expect([offer.urgentCutoffHour, offer.urgentNextDayHour]).toEqual([15, 10]);
    const form = {
      title: offer.title,
      category: offer.category,
      summary: offer.summary,
      body: offer.body,
      whoFor: offer.whoFor,
      provider: offer.provider,
      whatHappensNext: offer.whatHappensNext,
      firstContactTargetDays: String(offer.firstContactTargetDays),
      formKind: offer.formKind,
      teamId: String(team.id),
    };
    await expect(
      offersModel.updateOffer(admin, offer.id, offer.version, {
        ...form,
        urgentCutoffHour: "20",
        urgentNextDayHour: "10",
      }),
    ).rejects.toMatchObject({
      code: "invalid",
    });
    await expect(
      offersModel.updateOffer(admin, offer.id, offer.version, {
        ...form,
        urgentCutoffHour: "15",
        urgentNextDayHour: "7",
      }),
    ).rejects.toMatchObject({
      code: "invalid",
    });
    const saved = await offersModel.updateOffer(admin, offer.id, offer.version, {
      ...form,
      urgentCutoffHour: "12",
      urgentNextDayHour: "9",
    });
    expect(saved.changed).toBe(true);
    const view = await offersModel.getOfferForAdmin(admin, offer.id);
    expect([view.urgentCutoffHour, view.urgentNextDayHour]).toEqual([12, 9]);
    const [audit] = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "offer"), eq(adminAudit.entityId, String(offer.id))));
    expect(audit!.before).toEqual({ urgentCutoffHour: 15, urgentNextDayHour: 10 });
    expect(audit!.after).toEqual({ urgentCutoffHour: 12, urgentNextDayHour: 9 });
  });
});

describe("the admin team page's urgent-contact form (route)", () => {
  it("saves a good address for an administrator, refuses a bad one with what was typed, and answers 403 to a coordinator", async () => {
    const admin = await createUser({ role: "admin" });
    const coordinator = await createUser({ role: "coordinator" });
    const team = await createTeam({ members: [coordinator.id] });
    const teamId = String(team.id);
    const act = async (user: TestUser, fields: FormFields) => {
      const cookie = await signInCookie(user.id);
      return runRoute(() =>
        teamRoute.action({
          request: formRequest(`/admin/teams/${teamId}`, fields, { cookie }),
          params: { teamId },
          context: {},
        }),
      );
    };
    const bad = await act(admin, {
      intent: "urgent_contact",
      urgentContactEmail: "duty at nhs",
      version: team.version,
    });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({
      errors: { urgentContactEmail: expect.stringContaining("correct format") },
      values: { urgentContactEmail: "duty at nhs" },
    });
    const refused = await act(coordinator, {
      intent: "urgent_contact",
      urgentContactEmail: "x@nhs.test",
      version: team.version,
    });
    expect(refused.status).toBe(403);
    const [unchanged] = await getDb().select().from(teams).where(eq(teams.id, team.id));
    expect(unchanged!.urgentContactEmail).toBeNull();

    const good = await act(admin, {
      intent: "urgent_contact",
      urgentContactEmail: "Duty.Inbox@nhs.test",
      version: team.version,
    });
    expect(good.status).toBe(302);
    expect(good.location).toBe(`/admin/teams/${teamId}?done=urgent_contact_saved`);
    const [saved] = await getDb().select().from(teams).where(eq(teams.id, team.id));
    expect(saved!.urgentContactEmail).toBe("duty.inbox@nhs.test");
  });
});

describe("the confirmation page (route)", () => {
  it("says when the hub next works for a request sent outside working hours, and gives urgent targets as a time", async () => {
    const person = await createUser();
    const team = await createTeam();
    const offer = await createOffer({ teamId: team.id, formKind: "psychological", sensitive: true });
    const caller = asCurrentUser(person);
    const saturday = await createRequest(caller, offer.slug, psych("unsure"), new Date("2026-07-04T12:00:00+01:00"));
    const tuesday = await createRequest(caller, offer.slug, psych("safe"), new Date("2026-07-07T11:00:00+01:00"));
    const cookie = await signInCookie(person.id);
    const load = (reference: string) =>
      runRoute(() =>
        detailRoute.loader({
          request: getRequest(`/my/requests/${reference}?submitted=1`, { cookie }),
          params: { reference },
          context: {},
        }),
      );
    const weekend = (await load(saturday.reference)).data as {
      hubOpensAt: Date | string | null;
      request: { priority: string; dueAt: Date | string };
    };
    expect(new Date(weekend.hubOpensAt!).toISOString()).toBe(new Date("2026-07-06T09:00:00+01:00").toISOString());
    expect(weekend.request.priority).toBe("safety_check");
    expect(new Date(weekend.request.dueAt).toISOString()).toBe(new Date("2026-07-06T10:00:00+01:00").toISOString());
    const weekday = (await load(tuesday.reference)).data as {
      hubOpensAt: Date | string | null;
      request: { priority: string };
    };
    expect(weekday.hubOpensAt).toBeNull();
    expect(weekday.request.priority).toBe("normal");
  });
});
