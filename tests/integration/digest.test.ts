// The daily digest: one mail per member per team with overdue or unassigned requests (references,
// offer titles and due times only), exactly once per London day however many instances try.
// Confidential support is listed as "Confidential support", and a team that handles any is
// "Your team", never named (its name may name the support).
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { jobRuns, mailOutbox, supportRequests, type RequestStatus, type SupportOffer } from "@db/schema";
import { DIGEST_LIST_LIMIT, sendDailyDigests } from "~/.server/jobs/digest.server";
import { runScheduledJobs } from "~/.server/jobs/scheduler.server";
import { addTeamMembers, createOffer, createTeam, createUser, type TestUser } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const PAST = new Date("2030-01-01T09:00:00Z");
const FUTURE = new Date("2099-01-01T09:00:00Z");
let counter = 0;

async function addRequest(
  offer: SupportOffer,
  requester: TestUser,
  options: {
    status?: RequestStatus;
    dueAt: Date;
    assigneeId?: string | null;
    firstContactAt?: Date | null;
    pausedAt?: Date | null;
    secret?: string;
  },
) {
  counter += 1;
  const reference = `SW-2030-${String(10000 + counter).padStart(5, "0")}`;
  await getDb()
    .insert(supportRequests)
    .values({
      reference,
      requesterId: requester.id,
      organisationId: requester.organisationId,
      staffGroup: requester.staffGroup,
      tenureBand: "1_to_2",
      offerId: offer.id,
      status: options.status ?? "new",
      answers: { details: options.secret ?? "A private thing the person wrote" },
      contactMethod: "email",
      submissionKey: randomUUID(),
      submittedAt: new Date("2029-12-20T09:00:00Z"),
      dueAt: options.dueAt,
      assigneeId: options.assigneeId ?? null,
      firstContactAt: options.firstContactAt ?? null,
      pausedAt: options.pausedAt ?? null,
      closedAt: options.status === "closed" ? new Date("2029-12-30T09:00:00Z") : null,
    });
  return reference;
}

async function outbox() {
  return getDb().select().from(mailOutbox).orderBy(asc(mailOutbox.id));
}

describe("daily digest", () => {
  let requester: TestUser;
  let a1: TestUser;
  let a2: TestUser;
  let b1: TestUser;
  let c1: TestUser;
  let offerA: SupportOffer;
  let offerB: SupportOffer;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    requester = await createUser({ name: "Quentin Requester" });
    a1 = await createUser({ role: "coordinator", name: "Alice A" });
    a2 = await createUser({ role: "coordinator", name: "Arthur A" });
    b1 = await createUser({ role: "coordinator", name: "Beth B" });
    c1 = await createUser({ role: "coordinator", name: "Cal C" });
    const teamA = await createTeam({ name: "Team A", members: [a1.id, a2.id] });
    const teamB = await createTeam({ name: "Team B", members: [b1.id] });
    const teamC = await createTeam({ name: "Team C", members: [c1.id] });
    offerA = await createOffer({ teamId: teamA.id, sensitive: true, title: "Sensitive support A" });
    offerB = await createOffer({ teamId: teamB.id, title: "Ordinary support B" });
    const offerC = await createOffer({ teamId: teamC.id, title: "Quiet support C" });

    refs.aOverdueUnassigned = await addRequest(offerA, requester, { dueAt: PAST, secret: "I am struggling at home" });
    refs.aOverdueAssigned = await addRequest(offerA, requester, { status: "triaged", dueAt: PAST, assigneeId: a1.id });
    refs.aOnTime = await addRequest(offerA, requester, { status: "triaged", dueAt: FUTURE, assigneeId: a1.id });
    refs.aPaused = await addRequest(offerA, requester, {
      status: "waiting_on_staff",
      dueAt: PAST,
      assigneeId: a1.id,
      pausedAt: new Date("2029-12-29T09:00:00Z"),
    });
    refs.aClosed = await addRequest(offerA, requester, { status: "closed", dueAt: PAST });
    refs.aContacted = await addRequest(offerA, requester, {
      status: "in_progress",
      dueAt: PAST,
      assigneeId: a2.id,
      firstContactAt: new Date("2029-12-21T09:00:00Z"),
    });
    refs.aUnassigned = await addRequest(offerA, requester, { dueAt: FUTURE });
    // a2's own request, in a2's team: a1 is told, a2 never sees their own request.
    refs.aOwnOfA2 = await addRequest(offerA, a2, { dueAt: FUTURE });
    refs.bUnassigned = await addRequest(offerB, requester, { dueAt: FUTURE });
    refs.cAssigned = await addRequest(offerC, requester, { dueAt: FUTURE, assigneeId: c1.id });
  });

  beforeEach(async () => {
    await getDb().delete(mailOutbox);
  });

  it("mails each member of each team with something to report, with its references only", async () => {
    const run = await sendDailyDigests(new Date("2030-02-04T08:00:00Z"));
    expect(run).toEqual({ claimed: true, runKey: "2030-02-04", mails: 3, teams: 2 });
    const mails = await outbox();
    expect(mails.map((m) => m.toAddress).sort()).toEqual([a1.email, a2.email, b1.email].sort());
    expect(mails.some((m) => m.toAddress === c1.email)).toBe(false);

    const byTo = Object.fromEntries(mails.map((m) => [m.toAddress, m]));
    const contains = (address: string, ...keys: string[]) => {
      for (const key of keys) expect(byTo[address].textBody, `${address} should list ${key}`).toContain(refs[key]);
    };
    const lacks = (address: string, ...keys: string[]) => {
      for (const key of keys)
        expect(byTo[address].textBody, `${address} should not list ${key}`).not.toContain(refs[key]);
    };
    const quiet = ["aOnTime", "aPaused", "aClosed", "aContacted", "bUnassigned", "cAssigned"];

    contains(a1.email, "aOverdueUnassigned", "aOverdueAssigned", "aUnassigned", "aOwnOfA2");
    lacks(a1.email, ...quiet);
    // Team A handles confidential support: the team and the offer are never named.
    expect(byTo[a1.email].subject).toBe("Your team: 2 overdue, 3 unassigned (people hub daily summary)");
    expect(byTo[a1.email].textBody).toContain("Overdue (first contact is late): 2");
    expect(byTo[a1.email].textBody).toContain("Not assigned to anyone: 3");
    expect(byTo[a1.email].textBody).toContain("This is the people hub's summary for your team on 4 February 2030.");
    expect(byTo[a1.email].textBody).toContain(
      `- ${refs.aOverdueAssigned}, Confidential support, first contact due 1 January 2030 at 9:00am`,
    );
    for (const address of [a1.email, a2.email]) {
      const everything = `${byTo[address].subject}\n${byTo[address].textBody}`;
      expect(everything).not.toContain("Sensitive support A");
      expect(everything).not.toContain("Team A");
    }

    contains(a2.email, "aOverdueUnassigned", "aOverdueAssigned", "aUnassigned");
    lacks(a2.email, "aOwnOfA2", ...quiet);
    expect(byTo[a2.email].subject).toBe("Your team: 2 overdue, 2 unassigned (people hub daily summary)");

    contains(b1.email, "bUnassigned");
    // Team B handles no confidential support: named, with its offer's title.
    expect(byTo[b1.email].subject).toBe("Team B: 1 unassigned (people hub daily summary)");
    expect(byTo[b1.email].textBody).toContain("This is the people hub's summary for Team B on 4 February 2030.");
    expect(byTo[b1.email].textBody).toContain(`- ${refs.bUnassigned}, Ordinary support B, first contact due`);
    expect(byTo[b1.email].textBody).not.toContain("Confidential support");
    for (const key of Object.keys(refs).filter((k) => !k.startsWith("b"))) lacks(b1.email, key);

    for (const mail of mails) {
      expect(mail.textBody).not.toContain("Quentin");
      expect(mail.textBody).not.toContain("struggling");
      expect(mail.textBody).not.toContain("A private thing");
      expect(mail.textBody).toContain("http://localhost:3000/hub");
    }
  });

  it("sends nothing the second time on the same London day", async () => {
    const first = await sendDailyDigests(new Date("2030-02-05T07:30:00Z"));
    expect(first).toMatchObject({ claimed: true, mails: 3 });
    const second = await sendDailyDigests(new Date("2030-02-05T21:00:00Z"));
    expect(second).toMatchObject({ claimed: false, mails: 0, runKey: "2030-02-05" });
    expect(await outbox()).toHaveLength(3);
    // The next day is a new run.
    expect(await sendDailyDigests(new Date("2030-02-06T07:30:00Z"))).toMatchObject({ claimed: true, mails: 3 });
    expect(await outbox()).toHaveLength(6);
  });

  it("sends exactly one set when two instances run at once", async () => {
    const now = new Date("2030-02-07T07:00:00Z");
    const runs = await Promise.all([sendDailyDigests(now), sendDailyDigests(now), sendDailyDigests(now)]);
    expect(runs.filter((r) => r.claimed)).toHaveLength(1);
    expect(runs.reduce((n, r) => n + r.mails, 0)).toBe(3);
    expect(await outbox()).toHaveLength(3);
    const claims = await getDb().select().from(jobRuns).where(eq(jobRuns.runKey, "2030-02-07"));
    expect(claims).toHaveLength(1);
  });

  it("uses the London date: 23:30 UTC in summer is already the next day", async () => {
    const run = await sendDailyDigests(new Date("2030-06-10T23:30:00Z"));
    expect(run.runKey).toBe("2030-06-11");
  });

  it("runScheduledJobs waits for 07:00 London, then sends once (GMT and BST)", async () => {
    // Winter (GMT): 06:59 London = 06:59 UTC.
    expect((await runScheduledJobs(new Date("2030-01-15T06:59:00Z"))).digest).toBeNull();
    expect(await outbox()).toHaveLength(0);
    const winter = await runScheduledJobs(new Date("2030-01-15T07:00:00Z"));
    expect(winter.digest).toMatchObject({ claimed: true, mails: 3 });
    expect((await runScheduledJobs(new Date("2030-01-15T07:01:00Z"))).digest).toBeNull();
    expect((await runScheduledJobs(new Date("2030-01-15T16:00:00Z"))).digest).toBeNull();
    expect(await outbox()).toHaveLength(3);

    // Summer (BST): 06:59 UTC is 07:59 London, 05:59 UTC is 06:59 London.
    expect((await runScheduledJobs(new Date("2030-07-01T05:59:00Z"))).digest).toBeNull();
    expect(await outbox()).toHaveLength(3);
    const summer = await runScheduledJobs(new Date("2030-07-01T06:00:00Z"));
    expect(summer.digest).toMatchObject({ claimed: true, runKey: "2030-07-01", mails: 3 });
    expect((await runScheduledJobs(new Date("2030-07-01T06:01:00Z"))).digest).toBeNull();
    expect(await outbox()).toHaveLength(6);
  });

  it("sends no mail when no team has anything to report (but claims the day)", async () => {
    // Everything assigned and contacted: give every open request an assignee and a first contact.
    const saved = await getDb().select().from(supportRequests);
    await getDb()
      .update(supportRequests)
      .set({ assigneeId: c1.id, firstContactAt: new Date("2029-12-21T09:00:00Z") });
    try {
      const run = await sendDailyDigests(new Date("2030-03-01T08:00:00Z"));
      expect(run).toMatchObject({ claimed: true, mails: 0, teams: 0 });
      expect(await outbox()).toHaveLength(0);
    } finally {
      for (const row of saved) {
        await getDb()
          .update(supportRequests)
          .set({ assigneeId: row.assigneeId, firstContactAt: row.firstContactAt })
          .where(eq(supportRequests.id, row.id));
      }
    }
  });

  it("lists at most DIGEST_LIST_LIMIT references a section, with the whole count", async () => {
    const lone = await createUser({ role: "coordinator", name: "Dora D" });
    const teamD = await createTeam({ name: "Team D" });
    await addTeamMembers(teamD.id, [lone.id]);
    const offerD = await createOffer({ teamId: teamD.id, title: "Busy support D" });
    const extra = DIGEST_LIST_LIMIT + 3;
    const dRefs: string[] = [];
    for (let i = 0; i < extra; i++)
      dRefs.push(await addRequest(offerD, requester, { dueAt: new Date(FUTURE.getTime() + i * 60_000) }));
    await sendDailyDigests(new Date("2030-03-02T08:00:00Z"));
    const [mail] = (await outbox()).filter((m) => m.toAddress === lone.email);
    expect(mail.subject).toBe(`Team D: ${extra} unassigned (people hub daily summary)`);
    expect(mail.textBody).toContain(`Not assigned to anyone: ${extra}`);
    expect(mail.textBody).toContain(dRefs[0]);
    expect(mail.textBody).toContain(dRefs[DIGEST_LIST_LIMIT - 1]);
    expect(mail.textBody).not.toContain(dRefs[DIGEST_LIST_LIMIT]);
    expect(mail.textBody).toContain("and 3 more");
  });

  it("groups a mixed team's confidential offers as Confidential support, with no per-offer names for them", async () => {
    const mixer = await createUser({ role: "coordinator", name: "Mo Mixed" });
    const teamM = await createTeam({ name: "Mixed team", members: [mixer.id] });
    const open = await createOffer({ teamId: teamM.id, title: "Open door support M" });
    const secretOne = await createOffer({ teamId: teamM.id, sensitive: true, title: "Menopause support M" });
    const secretTwo = await createOffer({ teamId: teamM.id, sensitive: true, title: "Counselling M" });
    const openRef = await addRequest(open, requester, { dueAt: FUTURE });
    const oneRef = await addRequest(secretOne, requester, { dueAt: PAST });
    const twoRef = await addRequest(secretTwo, requester, { dueAt: FUTURE });
    await sendDailyDigests(new Date("2030-03-03T08:00:00Z"));
    const [mail] = (await outbox()).filter((m) => m.toAddress === mixer.email);
    expect(mail.subject).toBe("Your team: 1 overdue, 3 unassigned (people hub daily summary)");
    expect(mail.textBody).toContain(`- ${openRef}, Open door support M, first contact due`);
    expect(mail.textBody).toContain(`- ${oneRef}, Confidential support, first contact due`);
    expect(mail.textBody).toContain(`- ${twoRef}, Confidential support, first contact due`);
    const everything = `${mail.subject}\n${mail.textBody}`;
    for (const secret of ["Menopause", "Counselling", "Mixed team"]) expect(everything).not.toContain(secret);
  });

  it("treats a request kept by a team as confidential after its offer moved or stopped being confidential", async () => {
    const keeper = await createUser({ role: "coordinator", name: "Kay Keeper" });
    const teamK = await createTeam({ name: "Keeping team K", members: [keeper.id] });
    const otherTeam = await createTeam({ name: "Other team K" });
    // An ordinary offer now, with another team; one past request pinned to team K when it was confidential.
    const formerlySecret = await createOffer({ teamId: otherTeam.id, title: "Former counselling K" });
    const keptRef = await addRequest(formerlySecret, requester, { dueAt: PAST });
    await getDb().update(supportRequests).set({ pinnedTeamId: teamK.id }).where(eq(supportRequests.reference, keptRef));
    await sendDailyDigests(new Date("2030-03-04T08:00:00Z"));
    const [mail] = (await outbox()).filter((m) => m.toAddress === keeper.email);
    expect(mail.subject).toBe("Your team: 1 overdue, 1 unassigned (people hub daily summary)");
    expect(mail.textBody).toContain(`- ${keptRef}, Confidential support, first contact due`);
    const everything = `${mail.subject}\n${mail.textBody}`;
    for (const secret of ["Former counselling", "Keeping team K"]) expect(everything).not.toContain(secret);
  });
});
