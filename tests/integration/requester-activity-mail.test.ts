// A reply, a withdrawal or a rating from the person tells the hub, in the same transaction: the
// assignee when there is one (active and still allowed to work in the hub), otherwise every active
// hub member of the team handling the request (its pinned team, or its offer's team). "Sign in to
// read it" and a link: never the message, the reason, the rating or the comment, and never the
// support's name for a confidential offer or a pinned request.
import { randomUUID } from "node:crypto";
import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox, supportRequests, type SupportOffer, type Team } from "@db/schema";
import {
  rateMyRequest,
  replyToMyRequest,
  withdrawMyRequest,
  createRequest,
  RequestError,
} from "~/.server/models/requests.server";
import {
  addTeamMembers,
  asCurrentUser,
  createOffer,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const SECRET = "My manager shouted at me on ward 7 again";

async function hubMailsFor(reference: string, requester: TestUser) {
  const rows = await getDb()
    .select()
    .from(mailOutbox)
    .where(like(mailOutbox.subject, `%${reference}%`));
  // Leave out the person's own confirmation and the new-request mail to the team.
  return rows.filter((m) => m.toAddress !== requester.email && !/new (confidential )?request/i.test(m.subject));
}

describe("the person's reply, withdrawal or rating → the hub", () => {
  let requester: TestUser;
  let moneyA: TestUser;
  let moneyB: TestUser;
  let disabledMember: TestUser;
  let staffInTeam: TestUser;
  let otherTeamMember: TestUser;
  let keeperMember: TestUser;
  let moneyTeam: Team;
  let keepingTeam: Team;
  let moneyOffer: SupportOffer;
  let psychOffer: SupportOffer;

  beforeAll(async () => {
    requester = await createUser({ name: "Rosalind Requester-Smith" });
    moneyA = await createUser({ role: "coordinator", name: "Mona Money" });
    moneyB = await createUser({ role: "admin", name: "Max Money" });
    disabledMember = await createUser({ role: "coordinator", disabled: true });
    staffInTeam = await createUser({ role: "staff" });
    otherTeamMember = await createUser({ role: "coordinator", name: "Olive Other" });
    keeperMember = await createUser({ role: "coordinator", name: "Kit Keeper" });
    moneyTeam = await createTeam({ name: "Money team" });
    await addTeamMembers(moneyTeam.id, [moneyA.id, moneyB.id, disabledMember.id, staffInTeam.id]);
    const psychTeam = await createTeam({ name: "Psychological wellbeing hub" });
    await addTeamMembers(psychTeam.id, [otherTeamMember.id]);
    keepingTeam = await createTeam({ name: "Keeping team" });
    await addTeamMembers(keepingTeam.id, [keeperMember.id]);
    moneyOffer = await createOffer({
      teamId: moneyTeam.id,
      formKind: "general",
      sensitive: false,
      title: "Money worries",
    });
    psychOffer = await createOffer({
      teamId: psychTeam.id,
      formKind: "general",
      sensitive: true,
      title: "Psychological wellbeing hub",
    });
  });

  async function newRequest(offer: SupportOffer, set: Partial<typeof supportRequests.$inferInsert> = {}) {
    const created = await createRequest(asCurrentUser(requester), offer.slug, {
      details: "Help with something",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    if (Object.keys(set).length)
      await getDb().update(supportRequests).set(set).where(eq(supportRequests.reference, created.reference));
    return created.reference;
  }

  function expectNoContent(mail: { subject: string; textBody: string }) {
    const everything = `${mail.subject}\n${mail.textBody}`;
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toMatch(/shouted|ward 7|Rosalind|Requester-Smith/i);
    expect(everything).not.toContain(requester.email);
    expect(everything).toContain("Sign in to the people hub to read it");
  }

  it("an unassigned request: a reply mails each active hub member of the offer's team once, and nobody else", async () => {
    const reference = await newRequest(moneyOffer);
    await replyToMyRequest(asCurrentUser(requester), reference, { message: SECRET });
    const mails = await hubMailsFor(reference, requester);
    expect(mails.map((m) => m.toAddress).sort()).toEqual([moneyA.email, moneyB.email].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe(`New reply on ${reference}`);
      const recipient = mail.toAddress === moneyA.email ? moneyA : moneyB;
      expect(mail.textBody).toBe(
        [
          `Hello ${recipient.name},`,
          "",
          `The person has replied on request ${reference}, Money worries.`,
          "",
          `Sign in to the people hub to read it: http://localhost:3000/hub/requests/${reference}`,
          "",
          "For your privacy we do not include the details in emails.",
          "",
          "StayWell – Staffordshire and Stoke-on-Trent people hub",
        ].join("\n"),
      );
      expectNoContent(mail);
    }
    const all = (
      await getDb()
        .select()
        .from(mailOutbox)
        .where(like(mailOutbox.subject, `%${reference}%`))
    ).map((m) => m.toAddress);
    expect(all).not.toContain(disabledMember.email);
    expect(all).not.toContain(staffInTeam.email);
    expect(all).not.toContain(otherTeamMember.email);
  });

  it("an assigned request: only the assignee hears of a reply", async () => {
    const reference = await newRequest(moneyOffer, { assigneeId: moneyA.id, status: "in_progress" });
    await replyToMyRequest(asCurrentUser(requester), reference, { message: SECRET });
    const mails = await hubMailsFor(reference, requester);
    expect(mails.map((m) => [m.toAddress, m.subject])).toEqual([[moneyA.email, `New reply on ${reference}`]]);
    expectNoContent(mails[0]);
  });

  it("an assignee who has since been disabled gets nothing: the team hears instead", async () => {
    const reference = await newRequest(moneyOffer, { assigneeId: disabledMember.id, status: "in_progress" });
    await replyToMyRequest(asCurrentUser(requester), reference, { message: SECRET });
    const to = (await hubMailsFor(reference, requester)).map((m) => m.toAddress).sort();
    expect(to).toEqual([moneyA.email, moneyB.email].sort());
  });

  it("an assignee without hub work (now staff) gets nothing: the team hears instead", async () => {
    const reference = await newRequest(moneyOffer, { assigneeId: staffInTeam.id, status: "in_progress" });
    await withdrawMyRequest(asCurrentUser(requester), reference, { reason: SECRET });
    const mails = await hubMailsFor(reference, requester);
    expect(mails.map((m) => m.toAddress).sort()).toEqual([moneyA.email, moneyB.email].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe(`${reference} was withdrawn`);
      expect(mail.textBody).toContain(`The person has withdrawn request ${reference}, Money worries.`);
      expectNoContent(mail);
    }
  });

  it("a confidential offer: the mail names neither the support nor the team", async () => {
    const reference = await newRequest(psychOffer);
    await replyToMyRequest(asCurrentUser(requester), reference, { message: SECRET });
    const mails = await hubMailsFor(reference, requester);
    expect(mails.map((m) => m.toAddress)).toEqual([otherTeamMember.email]);
    expect(mails[0].subject).toBe(`New reply on ${reference}`);
    expect(mails[0].textBody).toContain(`The person has replied on confidential request ${reference}.`);
    expect(`${mails[0].subject}\n${mails[0].textBody}`).not.toMatch(/psycholog|wellbeing/i);
    expectNoContent(mails[0]);
  });

  it("a request pinned to a team goes to the pinned team, not the offer's, and does not name the support", async () => {
    const reference = await newRequest(moneyOffer, { pinnedTeamId: keepingTeam.id });
    await withdrawMyRequest(asCurrentUser(requester), reference);
    const mails = await hubMailsFor(reference, requester);
    expect(mails.map((m) => m.toAddress)).toEqual([keeperMember.email]);
    expect(mails[0].subject).toBe(`${reference} was withdrawn`);
    expect(mails[0].textBody).toContain(`The person has withdrawn confidential request ${reference}.`);
    expect(`${mails[0].subject}\n${mails[0].textBody}`).not.toMatch(/money|keeping team/i);
  });

  it("a rating tells the assignee that it was rated: never the score or the comment", async () => {
    const reference = await newRequest(moneyOffer, { assigneeId: moneyB.id, status: "closed", closedAt: new Date() });
    await rateMyRequest(asCurrentUser(requester), reference, { rating: 2, comment: SECRET });
    const mails = await hubMailsFor(reference, requester);
    expect(mails.map((m) => [m.toAddress, m.subject])).toEqual([[moneyB.email, `${reference} was rated`]]);
    expect(mails[0].textBody).toContain(
      `The person has rated the help they had on request ${reference}, Money worries.`,
    );
    expect(mails[0].textBody).not.toMatch(/\b[1-5]\b|star|poor|satisf/i);
    expectNoContent(mails[0]);
  });

  it("a refused change sends nothing (the mail is in the same transaction)", async () => {
    const reference = await newRequest(moneyOffer, { status: "closed", closedAt: new Date() });
    await expect(replyToMyRequest(asCurrentUser(requester), reference, { message: SECRET })).rejects.toBeInstanceOf(
      RequestError,
    );
    await expect(withdrawMyRequest(asCurrentUser(requester), reference)).rejects.toBeInstanceOf(RequestError);
    await rateMyRequest(asCurrentUser(requester), reference, { rating: 5 });
    await expect(rateMyRequest(asCurrentUser(requester), reference, { rating: 1 })).rejects.toBeInstanceOf(
      RequestError,
    );
    const mails = await hubMailsFor(reference, requester);
    expect(mails.map((m) => m.subject).sort()).toEqual([`${reference} was rated`, `${reference} was rated`]);
    expect(mails.map((m) => m.toAddress).sort()).toEqual([moneyA.email, moneyB.email].sort());
  });

  it("a requester who is in the handling team is never mailed about their own reply", async () => {
    const created = await createRequest(asCurrentUser(moneyA), moneyOffer.slug, {
      details: "Mine",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    await replyToMyRequest(asCurrentUser(moneyA), created.reference, { message: SECRET });
    const mails = (
      await getDb()
        .select()
        .from(mailOutbox)
        .where(like(mailOutbox.subject, `New reply on ${created.reference}`))
    ).map((m) => m.toAddress);
    expect(mails).toEqual([moneyB.email]);
  });
});
