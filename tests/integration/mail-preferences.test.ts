// Email opt-outs (/account/preferences, docs/decisions/028-your-account.md): a hub member who turned
// off "new requests", "activity on requests" and "the daily digest" gets none of that optional mail,
// while a teammate who did not still does; an urgent or at-risk new request still reaches them; and
// mail about their own requests (as the person asking) is always sent. Through the real model
// functions (preferences saved through the form's schema with every box unticked).
import { randomUUID } from "node:crypto";
import { eq, gt, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox, supportRequests, users, type SupportOffer } from "@db/schema";
import { sendDailyDigests } from "~/.server/jobs/digest.server";
import { updatePreferences } from "~/.server/models/account.server";
import { assignHubRequest, messageRequester } from "~/.server/models/hub-requests.server";
import { createRequest, replyToMyRequest } from "~/.server/models/requests.server";
import { preferencesSchema } from "~/schemas/account";
import { asCurrentUser, createOffer, createTeam, createUser, type TestUser } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

async function mailsAbout(reference: string) {
  return getDb()
    .select()
    .from(mailOutbox)
    .where(like(mailOutbox.subject, `%${reference}%`));
}

async function lastMailId() {
  const rows = await getDb().select({ id: mailOutbox.id }).from(mailOutbox);
  return Math.max(0, ...rows.map((r) => r.id));
}

describe("email opt-outs", () => {
  let requester: TestUser;
  let optedOut: TestUser;
  let optedIn: TestUser;
  let otherCoordinator: TestUser;
  let moneyOffer: SupportOffer;
  let psychOffer: SupportOffer;
  let otherOffer: SupportOffer;

  beforeAll(async () => {
    requester = await createUser({ name: "Rosalind Requester" });
    optedOut = await createUser({ role: "coordinator", name: "Olga Optout" });
    optedIn = await createUser({ role: "coordinator", name: "Ivan Optin" });
    otherCoordinator = await createUser({ role: "coordinator", name: "Oscar Other" });
    const team = await createTeam({ name: "Money and wellbeing team", members: [optedOut.id, optedIn.id] });
    const otherTeam = await createTeam({ name: "Other team", members: [otherCoordinator.id] });
    moneyOffer = await createOffer({
      teamId: team.id,
      formKind: "financial",
      sensitive: false,
      title: "Money worries",
    });
    psychOffer = await createOffer({
      teamId: team.id,
      formKind: "psychological",
      sensitive: true,
      title: "Psychological wellbeing",
    });
    otherOffer = await createOffer({ teamId: otherTeam.id, formKind: "general", title: "Something else" });
    // Every box unticked on /account/preferences.
    const input = preferencesSchema.parse({});
    await updatePreferences(asCurrentUser(optedOut), input);
    const [saved] = await getDb().select().from(users).where(eq(users.id, optedOut.id));
    expect(saved).toMatchObject({ mailTeamNewRequests: false, mailTeamActivity: false, mailTeamDigest: false });
    const [other] = await getDb().select().from(users).where(eq(users.id, optedIn.id));
    expect(other).toMatchObject({ mailTeamNewRequests: true, mailTeamActivity: true, mailTeamDigest: true });
  });

  const moneyRequest = (urgentSituations: string[]) =>
    createRequest(asCurrentUser(requester), moneyOffer.slug, {
      topics: ["debt"],
      urgentSituations,
      details: "Help with my bills",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });

  it("an ordinary new request reaches the teammate, not the member who turned new-request mail off", async () => {
    const created = await moneyRequest(["none"]);
    expect(created.urgent).toBe(false);
    const team = (await mailsAbout(created.reference)).filter((m) => m.subject.startsWith("New request"));
    expect(team.map((m) => m.toAddress)).toEqual([optedIn.email]);
  });

  it("an urgent or at-risk new request still reaches them", async () => {
    const urgent = await moneyRequest(["bailiffs"]);
    expect(urgent.urgent).toBe(true);
    const urgentMails = (await mailsAbout(urgent.reference)).filter((m) => m.subject.startsWith("Urgent: new request"));
    expect(urgentMails.map((m) => m.toAddress).sort()).toEqual([optedIn.email, optedOut.email].sort());

    const atRisk = await createRequest(asCurrentUser(requester), psychOffer.slug, {
      whatIsHappening: "Struggling badly since the ward closure",
      effectOnWork: "off_sick",
      safety: "at_risk",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    const atRiskMails = (await mailsAbout(atRisk.reference)).filter((m) =>
      m.subject.startsWith("At risk: new confidential request"),
    );
    expect(atRiskMails.map((m) => m.toAddress).sort()).toEqual([optedIn.email, optedOut.email].sort());
  });

  it("the person's reply reaches the teammate but not the member who turned activity mail off, nor them as assignee", async () => {
    const unassigned = await moneyRequest(["none"]);
    await replyToMyRequest(asCurrentUser(requester), unassigned.reference, { message: "Any news?" });
    const replies = (await mailsAbout(unassigned.reference)).filter((m) => m.subject.startsWith("New reply"));
    expect(replies.map((m) => m.toAddress)).toEqual([optedIn.email]);

    // Assigned to the member who opted out: only the assignee would hear, and they chose not to.
    const assigned = await moneyRequest(["none"]);
    const [row] = await getDb()
      .select({ version: supportRequests.version })
      .from(supportRequests)
      .where(eq(supportRequests.reference, assigned.reference));
    await assignHubRequest(asCurrentUser(optedIn), assigned.reference, {
      assigneeId: optedOut.id,
      version: row!.version,
    });
    await replyToMyRequest(asCurrentUser(requester), assigned.reference, { message: "Any news?" });
    const assignedReplies = (await mailsAbout(assigned.reference)).filter((m) => m.subject.startsWith("New reply"));
    expect(assignedReplies).toEqual([]);
  });

  it("the daily digest goes to the teammate only", async () => {
    const before = await lastMailId();
    const run = await sendDailyDigests(new Date("2030-03-04T08:00:00Z"));
    expect(run).toBeTruthy();
    const sent = await getDb().select().from(mailOutbox).where(gt(mailOutbox.id, before));
    const toTeam = sent.map((m) => m.toAddress).filter((to) => to === optedIn.email || to === optedOut.email);
    // The team has unassigned requests from the tests above: the teammate hears of them.
    expect(toTeam).toEqual([optedIn.email]);
  });

  it("mail about their own request is always sent", async () => {
    const mine = await createRequest(asCurrentUser(optedOut), otherOffer.slug, {
      details: "My own problem",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    const confirmation = (await mailsAbout(mine.reference)).filter((m) => m.toAddress === optedOut.email);
    expect(confirmation.map((m) => m.subject)).toEqual([`We have your request ${mine.reference}`]);

    const [row] = await getDb()
      .select({ version: supportRequests.version })
      .from(supportRequests)
      .where(eq(supportRequests.reference, mine.reference));
    await messageRequester(asCurrentUser(otherCoordinator), mine.reference, {
      body: "We can help: when can we call?",
      version: row!.version,
    });
    const toThem = (await mailsAbout(mine.reference)).filter((m) => m.toAddress === optedOut.email);
    expect(toThem).toHaveLength(2);
    expect(toThem.some((m) => /new message/i.test(m.textBody))).toBe(true);
  });
});
