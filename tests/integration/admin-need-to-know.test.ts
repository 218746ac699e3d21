// One administrator cannot widen need-to-know alone (ADR 009, amendment after the security review),
// on PGlite and PostgreSQL, through the routes administrators use and the model:
// - F1: giving the administrator role is a proposal (a second, established administrator approves;
//   the proposer cannot; audited; expires; the person re-checked at approval), and an administrator
//   made less than 7 days ago approves nothing; demoting stays one administrator's change;
// - F2: losing hub work (role change) or being disabled takes the person out of every team, audited
//   on each team; getting the role or account back re-opens no team (adding them back to a
//   confidential team is a proposal again);
// - F3: the destination team of a pending move of a confidential offer (or of a pending transfer)
//   counts as holding confidential support; approval refuses a move when that team changed since,
//   and the approval screen lists its current members.
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { adminAudit, adminProposals, supportOffers, teamMembers, teams, users, type SupportOffer } from "@db/schema";
import { AdminError } from "~/.server/models/admin/common.server";
import { changeRole, disableAccount, enableAccount } from "~/.server/models/admin/people.server";
import { decideProposal, listProposals, proposeTransfer } from "~/.server/models/admin/proposals.server";
import { addTeamMember, moveOffersToTeam, renameTeam } from "~/.server/models/admin/teams.server";
import { updateOffer } from "~/.server/models/admin/offers.server";
import { createRequest } from "~/.server/models/requests.server";
import * as overviewRoute from "~/routes/admin._index";
import * as personRoute from "~/routes/admin.people.$userId";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie, type FormFields } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const DAY = 24 * 60 * 60 * 1000;

let orgId: number;
let adminA: TestUser;
let adminB: TestUser;
beforeAll(async () => {
  orgId = (await createOrganisation()).id;
  adminA = await createUser({ organisationId: orgId, role: "admin", name: "Ada Admin" });
  adminB = await createUser({ organisationId: orgId, role: "admin", name: "Ben Admin" });
});
const user = (options: Parameters<typeof createUser>[0] = {}) => createUser({ organisationId: orgId, ...options });
const A = () => asCurrentUser(adminA);
const B = () => asCurrentUser(adminB);

async function personAct(admin: TestUser, userId: string, fields: FormFields) {
  const cookie = await signInCookie(admin.id);
  return runRoute(() =>
    personRoute.action({
      request: formRequest(`/admin/people/${userId}`, fields, { cookie }),
      params: { userId },
      context: {},
    }),
  );
}
async function personPage(admin: TestUser, userId: string, query = "") {
  const cookie = await signInCookie(admin.id);
  return runRoute(() =>
    personRoute.loader({
      request: getRequest(`/admin/people/${userId}${query}`, { cookie }),
      params: { userId },
      context: {},
    }),
  );
}
async function overview(admin: TestUser) {
  const cookie = await signInCookie(admin.id);
  const out = await runRoute(() =>
    overviewRoute.loader({ request: getRequest("/admin", { cookie }), params: {}, context: {} }),
  );
  return out.data as Awaited<ReturnType<typeof overviewRoute.loader>>;
}
async function decideAs(admin: TestUser, proposalId: number, intent: "approve" | "decline") {
  const cookie = await signInCookie(admin.id);
  return runRoute(() =>
    overviewRoute.action({
      request: formRequest("/admin", { intent, proposalId }, { cookie }),
      params: {},
      context: {},
    }),
  );
}
async function userRow(id: string) {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row!;
}
async function teamRow(id: number) {
  const [row] = await getDb().select().from(teams).where(eq(teams.id, id));
  return row!;
}
async function latestProposal() {
  const rows = await getDb().select().from(adminProposals).orderBy(asc(adminProposals.id));
  return rows[rows.length - 1]!;
}
async function teamsOf(userId: string) {
  const rows = await getDb()
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId));
  return rows.map((r) => r.teamId).sort();
}
async function auditOn(entity: string, entityId: string | number) {
  return getDb()
    .select({ action: adminAudit.action, actorId: adminAudit.actorId, summary: adminAudit.summary })
    .from(adminAudit)
    .where(and(eq(adminAudit.entity, entity), eq(adminAudit.entityId, String(entityId))))
    .orderBy(asc(adminAudit.id));
}
async function expectAdminError(promise: Promise<unknown>, code: string, message?: RegExp) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdminError);
  expect((err as AdminError).code).toBe(code);
  if (message) expect((err as AdminError).message).toMatch(message);
}

describe("F1: making someone an administrator needs a second administrator", () => {
  it("is proposed, not made; the proposer cannot approve; a second administrator does; every step audited", async () => {
    const coord = await user({ role: "coordinator", name: "Cora Candidate" });
    const out = await personAct(adminA, coord.id, { intent: "role", role: "admin", version: 1 });
    expect(out.location).toBe(`/admin/people/${coord.id}?done=proposed`);
    expect((await userRow(coord.id)).role).toBe("coordinator");
    expect((await userRow(coord.id)).version).toBe(1);
    const page = await personPage(adminA, coord.id, "?done=proposed");
    expect((page.data as { done: string }).done).toBe("proposed");

    const proposal = await latestProposal();
    expect(proposal).toMatchObject({
      kind: "admin_role",
      status: "pending",
      userId: coord.id,
      proposedById: adminA.id,
      targetVersion: 1,
    });
    expect(proposal.expiresAt.getTime() - proposal.proposedAt.getTime()).toBe(7 * DAY);
    expect(proposal.summary).toBe(`Make Cora Candidate (${coord.email}) an administrator`);

    // In the /admin pending list for both; only the other administrator may approve.
    const seenByA = (await overview(adminA)).proposals.find((p) => p.id === proposal.id)!;
    const seenByB = (await overview(adminB)).proposals.find((p) => p.id === proposal.id)!;
    expect(seenByA).toMatchObject({ mine: true, canApprove: false, href: `/admin/people/${coord.id}` });
    expect(seenByB).toMatchObject({ mine: false, canApprove: true });
    const own = await decideAs(adminA, proposal.id, "approve");
    expect(own.status).toBe(400);
    expect((await userRow(coord.id)).role).toBe("coordinator");
    // A second proposal for the same person is refused while this one waits.
    expect((await personAct(adminA, coord.id, { intent: "role", role: "admin", version: 1 })).status).toBe(400);

    expect((await decideAs(adminB, proposal.id, "approve")).location).toBe("/admin?decided=approved");
    const after = await userRow(coord.id);
    expect(after.role).toBe("admin");
    expect(after.version).toBe(2);
    expect(after.adminSince).not.toBeNull();
    const audit = await auditOn("user", coord.id);
    expect(audit.map((a) => a.action)).toEqual(["proposal_made", "role_changed", "proposal_approved"]);
    expect(audit[1]!.summary).toBe(
      "Changed Cora Candidate from people hub coordinator to administrator (proposed by Ada Admin, approved by Ben Admin)",
    );
    expect(audit[1]!.actorId).toBe(adminB.id);
  });

  it("a new administrator approves nothing for 7 days, so one person cannot approve their own proposals with a second account", async () => {
    const t0 = new Date();
    const sock = await user({ role: "staff", name: "Sid Second" });
    const p1 = await changeRole(A(), sock.id, { role: "admin", version: 1 }, t0);
    expect(p1).toMatchObject({ proposed: true, changed: false });
    await decideProposal(B(), (await latestProposal()).id, "approve", t0);
    const S = asCurrentUser(await userRow(sock.id));

    // Admin A proposes adding a colleague to a confidential team; the brand-new administrator cannot approve it.
    const coord = await user({ role: "coordinator" });
    const psych = await createTeam({ name: "Psych F1" });
    await createOffer({ teamId: psych.id, sensitive: true });
    const added = await addTeamMember(A(), psych.id, { userId: coord.id, version: 1 }, new Date(t0.getTime() + DAY));
    expect(added.proposed).toBe(true);
    const proposal = await latestProposal();
    const soon = new Date(t0.getTime() + 6 * DAY);
    expect((await listProposals(S, soon)).find((p) => p.id === proposal.id)).toMatchObject({ canApprove: false });
    await expectAdminError(decideProposal(S, proposal.id, "approve", soon), "invalid", /less than 7 days ago/);
    expect(await teamsOf(coord.id)).toEqual([]);
    // After 7 days they are an administrator of standing.
    const later = new Date(t0.getTime() + 7 * DAY + 1000);
    expect((await listProposals(S, later)).find((p) => p.id === proposal.id)).toMatchObject({ canApprove: true });
    await decideProposal(S, proposal.id, "approve", later);
    expect(await teamsOf(coord.id)).toEqual([psych.id]);
  });

  it("is re-checked at approval (the person changed since: stale, 409) and expires after 7 days", async () => {
    const t0 = new Date();
    const person = await user({ role: "staff", name: "Pat Person" });
    await changeRole(A(), person.id, { role: "admin", version: 1 }, t0);
    const proposal = await latestProposal();
    await changeRole(A(), person.id, { role: "coordinator", version: 1 }, t0);
    const stale = await decideAs(adminB, proposal.id, "approve");
    expect(stale.status).toBe(409);
    expect((stale.data as { errors: Record<string, string> }).errors._form).toMatch(
      /since this was proposed — decline it and propose the change again$/,
    );
    expect((await userRow(person.id)).role).toBe("coordinator");

    const other = await user({ role: "staff" });
    await changeRole(A(), other.id, { role: "admin", version: 1 }, t0);
    const expiring = await latestProposal();
    await expectAdminError(
      decideProposal(B(), expiring.id, "approve", new Date(t0.getTime() + 7 * DAY + 1)),
      "invalid",
      /expired/,
    );
    expect((await userRow(other.id)).role).toBe("staff");
    expect((await auditOn("user", other.id)).map((a) => a.action)).toEqual(["proposal_made", "proposal_expired"]);
  });

  it("demoting an administrator stays one administrator's change, and clears when they became one", async () => {
    const person = await user({ role: "coordinator" });
    await changeRole(A(), person.id, { role: "admin", version: 1 });
    await decideProposal(B(), (await latestProposal()).id, "approve");
    const demoted = await changeRole(A(), person.id, { role: "coordinator", version: 2 });
    expect(demoted).toMatchObject({ changed: true });
    const row = await userRow(person.id);
    expect(row.role).toBe("coordinator");
    expect(row.adminSince).toBeNull();
  });
});

describe("F2: losing hub work takes a person out of every team", () => {
  async function confidentialTeamWith(member: TestUser, label: string) {
    const team = await createTeam({ name: `Psych ${label}`, members: [member.id] });
    await createOffer({ teamId: team.id, sensitive: true });
    return team;
  }

  it("demoting a coordinator removes their memberships (audited on each team); promoting back re-opens nothing", async () => {
    const coord = await user({ role: "coordinator", name: "Dee Demoted" });
    const psych = await confidentialTeamWith(coord, "F2 role");
    const general = await createTeam({ name: "General F2 role", members: [coord.id] });
    const out = await changeRole(A(), coord.id, { role: "staff", version: 1 });
    expect(out.leftTeams?.sort()).toEqual([general.name, psych.name].sort());
    expect(await teamsOf(coord.id)).toEqual([]);
    for (const team of [psych, general]) {
      expect((await teamRow(team.id)).version).toBe(team.version + 1);
      const audit = await auditOn("team", team.id);
      expect(audit.at(-1)).toMatchObject({
        action: "members_changed",
        actorId: adminA.id,
        summary: `Removed Dee Demoted (${coord.email}) from team ${team.name}: they are now a member of staff, who cannot work in the people hub`,
      });
    }
    // Promoting back gives the role, not the team: adding them to the confidential team is a proposal again.
    await changeRole(A(), coord.id, { role: "coordinator", version: 2 });
    expect(await teamsOf(coord.id)).toEqual([]);
    const readd = await addTeamMember(A(), psych.id, { userId: coord.id, version: psych.version + 1 });
    expect(readd.proposed).toBe(true);
    expect(await teamsOf(coord.id)).toEqual([]);
  });

  it("disabling removes their memberships; re-enabling re-opens nothing", async () => {
    const coord = await user({ role: "coordinator", name: "Dan Disabled" });
    const psych = await confidentialTeamWith(coord, "F2 disable");
    const out = await disableAccount(A(), coord.id, { version: 1 });
    expect(out.leftTeams).toEqual([psych.name]);
    expect(await teamsOf(coord.id)).toEqual([]);
    expect((await auditOn("team", psych.id)).at(-1)!.summary).toBe(
      `Removed Dan Disabled (${coord.email}) from team ${psych.name}: their account was disabled`,
    );
    await enableAccount(A(), coord.id, { version: 2 });
    expect(await teamsOf(coord.id)).toEqual([]);
  });

  it("an administrator who becomes a coordinator keeps their teams (both roles work in the hub)", async () => {
    const admin = await user({ role: "admin" });
    const team = await createTeam({ name: "Kept F2", members: [admin.id] });
    await changeRole(A(), admin.id, { role: "coordinator", version: 1 });
    expect(await teamsOf(admin.id)).toEqual([team.id]);
  });
});

describe("F3: the destination of a pending confidential move is confidential too", () => {
  async function moveSetup(label: string) {
    const oldTeam = await createTeam({ name: `Psych ${label}` });
    const newTeam = await createTeam({ name: `Dest ${label}` });
    const offer = await createOffer({ teamId: oldTeam.id, sensitive: true, title: `Wellbeing ${label}` });
    return { oldTeam, newTeam, offer };
  }

  it("adding a member to the destination team while the move waits is a proposal, not a change", async () => {
    const { newTeam, offer } = await moveSetup("F3 add");
    const friend = await user({ role: "coordinator", name: "Fay Friend" });
    // Before any move the team holds nothing confidential: a plain addition.
    const plain = await user({ role: "coordinator" });
    expect((await addTeamMember(A(), newTeam.id, { userId: plain.id, version: 1 })).proposed).toBe(false);
    const team = await teamRow(newTeam.id);
    const moved = await moveOffersToTeam(A(), newTeam.id, { offerIds: [offer.id], version: team.version });
    expect(moved.proposed).toEqual([offer.title]);
    const added = await addTeamMember(A(), newTeam.id, { userId: friend.id, version: team.version });
    expect(added.proposed).toBe(true);
    expect(await teamsOf(friend.id)).toEqual([]);
  });

  it("approval refuses the move when the destination team changed since (409), and the approver sees its current members", async () => {
    const { oldTeam, newTeam, offer } = await moveSetup("F3 stale");
    const member = await user({ role: "coordinator", name: "Mo Member" });
    await addTeamMember(A(), newTeam.id, { userId: member.id, version: 1 });
    const moved = await moveOffersToTeam(A(), newTeam.id, { offerIds: [offer.id], version: 2 });
    expect(moved.proposed).toEqual([offer.title]);
    const move = await latestProposal();
    expect((move.change as { teamVersion?: number }).teamVersion).toBe(2);

    const seen = (await overview(adminB)).proposals.find((p) => p.id === move.id)!;
    expect(seen.destination).toEqual({ teamName: newTeam.name, members: [`Mo Member (${member.email})`] });

    // The destination team changes (here: a member added by an approved proposal, then renamed).
    const late = await user({ role: "coordinator" });
    await addTeamMember(A(), newTeam.id, { userId: late.id, version: 2 });
    await decideProposal(B(), (await latestProposal()).id, "approve");
    const stale = await decideAs(adminB, move.id, "approve");
    expect(stale.status).toBe(409);
    expect((stale.data as { errors: Record<string, string> }).errors._form).toMatch(
      /^This team was changed by Ben Admin at .* since this was proposed — decline it and propose the change again$/,
    );
    const [row] = await getDb().select().from(supportOffers).where(eq(supportOffers.id, offer.id));
    expect(row!.teamId).toBe(oldTeam.id);
  });

  it("a confidential and an ordinary offer moved together: the move proposed records the team as it is after the ordinary move", async () => {
    const { newTeam, offer } = await moveSetup("F3 mixed");
    const ordinary = await createOffer({ teamId: (await createTeam()).id, title: "Ordinary F3 mixed" });
    const out = await moveOffersToTeam(A(), newTeam.id, { offerIds: [offer.id, ordinary.id], version: 1 });
    expect(out).toMatchObject({ moved: [ordinary.title], proposed: [offer.title] });
    await decideProposal(B(), (await latestProposal()).id, "approve");
    const [row] = await getDb().select().from(supportOffers).where(eq(supportOffers.id, offer.id));
    expect(row!.teamId).toBe(newTeam.id);
  });

  it("a pending transfer of kept requests makes its destination team confidential too, and goes stale when that team changes", async () => {
    // An offer that was confidential, moved (its requests kept by the old team), then unticked:
    // its new team holds nothing confidential until a transfer brings the kept requests.
    const { oldTeam, newTeam, offer } = await moveSetup("F3 transfer");
    const asker = await user();
    await createRequest(asCurrentUser(asker), offer.slug, {
      details: "Please call me",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    await moveOffersToTeam(A(), newTeam.id, { offerIds: [offer.id], version: 1 });
    await decideProposal(B(), (await latestProposal()).id, "approve");
    let current: SupportOffer = (await getDb().select().from(supportOffers).where(eq(supportOffers.id, offer.id)))[0]!;
    await updateOffer(A(), offer.id, current.version, { ...editable(current), sensitive: false });
    await decideProposal(B(), (await latestProposal()).id, "approve");
    current = (await getDb().select().from(supportOffers).where(eq(supportOffers.id, offer.id)))[0]!;
    expect(current).toMatchObject({ sensitive: false, teamId: newTeam.id });

    const before = await user({ role: "coordinator" });
    const dest = await teamRow(newTeam.id);
    expect((await addTeamMember(A(), newTeam.id, { userId: before.id, version: dest.version })).proposed).toBe(false);

    await proposeTransfer(A(), offer.id, { scope: "all", version: current.version });
    const transfer = await latestProposal();
    const friend = await user({ role: "coordinator" });
    expect((await addTeamMember(A(), newTeam.id, { userId: friend.id, version: dest.version + 1 })).proposed).toBe(
      true,
    );
    expect(await teamsOf(friend.id)).toEqual([]);

    // The destination team is renamed: the transfer is stale.
    await renameTeam(A(), newTeam.id, { name: "Dest F3 transfer renamed", version: dest.version + 1 });
    await expectAdminError(decideProposal(B(), transfer.id, "approve"), "conflict", /since this was proposed/);
    expect(oldTeam.id).not.toBe(newTeam.id);
  });
});

function editable(o: SupportOffer) {
  return {
    title: o.title,
    category: o.category,
    summary: o.summary,
    body: o.body,
    whoFor: o.whoFor,
    provider: o.provider,
    whatHappensNext: o.whatHappensNext,
    firstContactTargetDays: o.firstContactTargetDays,
    sensitive: o.sensitive,
    formKind: o.formKind,
    teamId: o.teamId,
  };
}
