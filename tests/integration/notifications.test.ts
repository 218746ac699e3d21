// A new request tells the team that handles its offer: every active member but the person who
// asked, with the reference and the offer's title only, never the answers or the person's name;
// other teams hear nothing. For confidential support (support_offers.sensitive) the mail names
// neither the offer nor the team: the reference, that it is confidential, and a link. Urgent and
// at-risk requests say so in the subject ("Urgent: …", "At risk: …", docs/decisions/012) and in a
// fixed line of the body. The person's own mails never name the support either.
import { randomUUID } from "node:crypto";
import { inArray, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox, type SupportOffer } from "@db/schema";
import { createRequest } from "~/.server/models/requests.server";
import {
  addTeamMembers,
  createOffer,
  createTeam,
  createUser,
  asCurrentUser,
  type TestUser,
} from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const asCaller = asCurrentUser;

async function mailsFor(reference: string) {
  return getDb()
    .select()
    .from(mailOutbox)
    .where(like(mailOutbox.subject, `%${reference}%`));
}

const psychAnswers = {
  whatIsHappening: "Struggling badly since the ward closure in March",
  effectOnWork: "off_sick",
  safety: "at_risk",
};

describe("new request → its team", () => {
  let requester: TestUser;
  let psychA: TestUser;
  let psychB: TestUser;
  let disabledMember: TestUser;
  let staffInTeam: TestUser;
  let otherTeamMember: TestUser;
  let psychOffer: SupportOffer;
  let financeOffer: SupportOffer;
  let emptyTeamOffer: SupportOffer;

  beforeAll(async () => {
    requester = await createUser({ name: "Rosalind Requester-Smith" });
    psychA = await createUser({ role: "coordinator", name: "Priya Psych" });
    psychB = await createUser({ role: "admin", name: "Paul Psych" });
    disabledMember = await createUser({ role: "coordinator", disabled: true });
    staffInTeam = await createUser({ role: "staff" });
    otherTeamMember = await createUser({ role: "coordinator", name: "Olive Other" });
    const psychTeam = await createTeam({ name: "Psychological wellbeing hub" });
    await addTeamMembers(psychTeam.id, [psychA.id, psychB.id, disabledMember.id, staffInTeam.id]);
    const financeTeam = await createTeam({ name: "Money team" });
    await addTeamMembers(financeTeam.id, [otherTeamMember.id]);
    psychOffer = await createOffer({
      teamId: psychTeam.id,
      formKind: "psychological",
      sensitive: true,
      title: "Psychological wellbeing hub",
    });
    financeOffer = await createOffer({
      teamId: financeTeam.id,
      formKind: "financial",
      sensitive: false,
      title: "Money worries",
    });
    emptyTeamOffer = await createOffer({ formKind: "general", title: "Nobody's offer" });
  });

  it("mails each member of a confidential offer's team the reference, that it is confidential, and a link: nothing else", async () => {
    const created = await createRequest(asCaller(requester), psychOffer.slug, {
      ...psychAnswers,
      contactMethod: "phone",
      contactPhone: "07700 900123",
      contactTimes: "Mornings before my shift",
      submissionKey: randomUUID(),
    });
    expect(created.urgent).toBe(true);
    const team = (await mailsFor(created.reference)).filter((m) => m.toAddress !== requester.email);
    expect(team.map((m) => m.toAddress).sort()).toEqual([psychA.email, psychB.email].sort());
    for (const mail of team) {
      expect(mail.subject).toBe(`At risk: new confidential request ${created.reference} for your team`);
      const recipient = mail.toAddress === psychA.email ? psychA : psychB;
      // The whole body: a greeting, the reference and that it is confidential, the link, the sign-off.
      expect(mail.textBody).toBe(
        [
          `Hello ${recipient.name},`,
          "",
          `A new confidential request is waiting: ${created.reference}.`,
          "",
          "Marked at risk: it has a short first-contact target. Please look at it now.",
          "",
          `Sign in to the people hub to see it: http://localhost:3000/hub/requests/${created.reference}`,
          "",
          "For your privacy we do not include the details in emails.",
          "",
          "StayWell – Staffordshire and Stoke-on-Trent people hub",
        ].join("\n"),
      );
      const everything = `${mail.subject}\n${mail.textBody}`;
      // Neither the offer nor the team (named after it) appears.
      expect(everything).not.toMatch(/psycholog|wellbeing/i);
      expect(everything).not.toContain(requester.name);
      expect(everything).not.toContain(requester.email);
      expect(everything).not.toContain("Rosalind");
      expect(everything).not.toContain(psychAnswers.whatIsHappening);
      expect(everything).not.toMatch(/ward closure|at_risk|off_sick|07700|Mornings/i);
      // The priority is our word, never theirs: nothing of the answers' values either.
      expect(everything).not.toMatch(/not feel safe|harming/i);
    }
    // Not the disabled member, not a staff member in the team, not the other team.
    const recipients = (await mailsFor(created.reference)).map((m) => m.toAddress);
    expect(recipients).not.toContain(disabledMember.email);
    expect(recipients).not.toContain(staffInTeam.email);
    expect(recipients).not.toContain(otherTeamMember.email);
    // The requester gets only their own confirmation, which does not name the support either.
    const own = (await mailsFor(created.reference)).filter((m) => m.toAddress === requester.email);
    expect(own.map((m) => m.subject)).toEqual([`We have your request ${created.reference}`]);
    expect(`${own[0].subject}\n${own[0].textBody}`).not.toMatch(/psycholog|wellbeing hub/i);
  });

  it("never mails the requester as a team member, even when they are in the team", async () => {
    const created = await createRequest(asCaller(psychA), psychOffer.slug, {
      ...psychAnswers,
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    const mails = await mailsFor(created.reference);
    const team = mails.filter((m) => m.subject.startsWith("At risk: new confidential request"));
    expect(team.map((m) => m.toAddress)).toEqual([psychB.email]);
    expect(mails.filter((m) => m.toAddress === psychA.email).map((m) => m.subject)).toEqual([
      `We have your request ${created.reference}`,
    ]);
  });

  it("says 'Urgent' in the subject and 'Marked urgent' in the body only when it is urgent", async () => {
    const urgent = await createRequest(asCaller(requester), financeOffer.slug, {
      topics: ["debt"],
      urgentSituations: ["bailiffs"],
      details: "Bailiffs are at the door on Tuesday",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    const calm = await createRequest(asCaller(requester), financeOffer.slug, {
      topics: ["debt"],
      urgentSituations: ["none"],
      details: "Planning ahead for next year",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    expect(urgent.urgent).toBe(true);
    expect(calm.urgent).toBe(false);

    const [urgentMail] = (await mailsFor(urgent.reference)).filter((m) => m.toAddress === otherTeamMember.email);
    // Not confidential: the offer is named, and the word "confidential" is not used.
    expect(`${urgentMail.subject}\n${urgentMail.textBody}`).not.toMatch(/confidential/i);
    expect(urgentMail.toAddress).toBe(otherTeamMember.email);
    expect(urgentMail.subject).toBe(`Urgent: new request ${urgent.reference} for Money worries`);
    expect(urgentMail.textBody).toContain(`A new request is waiting: ${urgent.reference}, Money worries.`);
    expect(urgentMail.textBody).toContain("Marked urgent");
    expect(urgentMail.textBody).not.toMatch(/Bailiffs are at the door|Rosalind|bailiffs/);

    const [calmMail] = (await mailsFor(calm.reference)).filter((m) => m.subject.startsWith("New request"));
    expect(calmMail.toAddress).toBe(otherTeamMember.email);
    expect(calmMail.subject).toBe(`New request ${calm.reference} for Money worries`);
    expect(calmMail.textBody).not.toMatch(/urgent/i);
    expect(calmMail.textBody).not.toContain("Planning ahead");

    // Nothing about these went to the psychological team.
    const psychMail = await getDb()
      .select()
      .from(mailOutbox)
      .where(inArray(mailOutbox.toAddress, [psychA.email, psychB.email]));
    expect(psychMail.some((m) => m.subject.includes(urgent.reference) || m.subject.includes(calm.reference))).toBe(
      false,
    );
  });

  it("sends nothing to a team with nobody in it, and nothing again for a resubmission", async () => {
    const input = { details: "Help with something", contactMethod: "email", submissionKey: randomUUID() };
    const created = await createRequest(asCaller(requester), emptyTeamOffer.slug, input);
    expect((await mailsFor(created.reference)).map((m) => m.toAddress)).toEqual([requester.email]);

    const financeInput = {
      topics: ["debt"],
      urgentSituations: ["none"],
      contactMethod: "email",
      submissionKey: randomUUID(),
    };
    const first = await createRequest(asCaller(requester), financeOffer.slug, financeInput);
    const again = await createRequest(asCaller(requester), financeOffer.slug, financeInput);
    expect(again).toMatchObject({ reference: first.reference, created: false });
    expect((await mailsFor(first.reference)).filter((m) => m.subject.startsWith("New request"))).toHaveLength(1);
  });

  it("names the support in the person's own confirmation only when it is not confidential", async () => {
    const money = await createRequest(asCaller(requester), financeOffer.slug, {
      topics: ["debt"],
      urgentSituations: ["none"],
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    const [moneyMail] = (await mailsFor(money.reference)).filter((m) => m.toAddress === requester.email);
    expect(moneyMail.subject).toBe(`We have your request ${money.reference}`);
    expect(moneyMail.textBody).toContain(`We have your StayWell request ${money.reference} for Money worries.`);

    const psych = await createRequest(asCaller(requester), psychOffer.slug, {
      ...psychAnswers,
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    const [psychMail] = (await mailsFor(psych.reference)).filter((m) => m.toAddress === requester.email);
    expect(psychMail.subject).toBe(`We have your request ${psych.reference}`);
    expect(psychMail.textBody).toContain(`We have your StayWell request ${psych.reference}.`);
    expect(`${psychMail.subject}\n${psychMail.textBody}`).not.toMatch(/psycholog|wellbeing hub|confidential/i);
  });
});
