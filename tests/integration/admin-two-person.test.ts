// The two-person rule for confidential support (docs/decisions/009-two-person-rule-for-confidential-support.md),
// on PGlite and PostgreSQL, through the routes administrators use (plain form POSTs) and the model:
// - moving a confidential offer, unticking "confidential", and adding anyone to a team that handles
//   confidential support are proposals: one administrator alone cannot complete any of them; the
//   proposer cannot approve; a second administrator can; decline, withdraw, expiry after 7 days
//   (injected clock), a stale proposal refused; every step in the audit log;
// - visibility is not retroactive: after an approved move the new team cannot open (404) the old
//   requests and the old team still can; only an approved transfer moves them, and the person's
//   access log then names the administrator and their role;
// - every administrative change that touches a request (unassigned, moved, transferred) is in the
//   person's access log.
import { randomUUID } from "node:crypto";
import { and, asc, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  adminAudit,
  adminProposals,
  mailOutbox,
  supportOffers,
  supportRequests,
  teamMembers,
  teams,
  type SupportOffer,
  type Team,
} from "@db/schema";
import { sendDailyDigests } from "~/.server/jobs/digest.server";
import { AdminError } from "~/.server/models/admin/common.server";
import { updateOffer } from "~/.server/models/admin/offers.server";
import { decideProposal, listProposals, proposeTransfer } from "~/.server/models/admin/proposals.server";
import { addTeamMember, moveOffersToTeam, removeTeamMember, renameTeam } from "~/.server/models/admin/teams.server";
import { canUseHub } from "~/.server/permissions.server";
import { createRequest, getMyRequestAccessLog } from "~/.server/models/requests.server";
import * as overviewRoute from "~/routes/admin._index";
import * as offerRoute from "~/routes/admin.offers.$offerId";
import * as teamRoute from "~/routes/admin.teams.$teamId";
import * as hubRoute from "~/routes/hub.requests.$reference";
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

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

/** The hub request page as the coordinator opens it: 200, or 404 / 403. */
async function hubStatus(user: TestUser, reference: string) {
  const cookie = await cookieOf(user);
  const out = await runRoute(() =>
    // Opened from inside StayWell (Sec-Fetch-Site: same-origin): another site's link only gets the "Open request?" step (ADR 011).
    hubRoute.loader({
      request: getRequest(`/hub/requests/${reference}`, { cookie, headers: { "Sec-Fetch-Site": "same-origin" } }),
      params: { reference },
      context: {},
    }),
  );
  return out.status;
}
async function overviewAs(user: TestUser) {
  const cookie = await cookieOf(user);
  return runRoute(() => overviewRoute.loader({ request: getRequest("/admin", { cookie }), params: {}, context: {} }));
}
async function decideAs(user: TestUser, proposalId: number, intent: "approve" | "decline") {
  const cookie = await cookieOf(user);
  return runRoute(() =>
    overviewRoute.action({
      request: formRequest("/admin", { intent, proposalId }, { cookie }),
      params: {},
      context: {},
    }),
  );
}
async function teamActAs(user: TestUser, teamId: number, fields: FormFields) {
  const cookie = await cookieOf(user);
  return runRoute(() =>
    teamRoute.action({
      request: formRequest(`/admin/teams/${teamId}`, fields, { cookie }),
      params: { teamId: String(teamId) },
      context: {},
    }),
  );
}
async function offerActAs(user: TestUser, offerId: number, fields: FormFields) {
  const cookie = await cookieOf(user);
  return runRoute(() =>
    offerRoute.action({
      request: formRequest(`/admin/offers/${offerId}`, fields, { cookie }),
      params: { offerId: String(offerId) },
      context: {},
    }),
  );
}

async function offerRow(id: number) {
  const [row] = await getDb().select().from(supportOffers).where(eq(supportOffers.id, id));
  return row!;
}
async function teamRow(id: number) {
  const [row] = await getDb().select().from(teams).where(eq(teams.id, id));
  return row!;
}
async function requestRow(reference: string) {
  const [row] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, reference));
  return row!;
}
async function proposalRow(id: number) {
  const [row] = await getDb().select().from(adminProposals).where(eq(adminProposals.id, id));
  return row!;
}
async function isMember(teamId: number, userId: string) {
  const rows = await getDb()
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
  return rows.length === 1;
}
/** The newest pending proposal (the one a test just made). */
async function latestProposal() {
  const rows = await getDb().select().from(adminProposals).orderBy(asc(adminProposals.id));
  return rows[rows.length - 1]!;
}
async function proposalAudit(entity: string, entityId: number) {
  const rows = await getDb()
    .select({
      action: adminAudit.action,
      actorId: adminAudit.actorId,
      summary: adminAudit.summary,
      createdAt: adminAudit.createdAt,
    })
    .from(adminAudit)
    .where(
      and(
        eq(adminAudit.entity, entity),
        eq(adminAudit.entityId, String(entityId)),
        like(adminAudit.action, "proposal_%"),
      ),
    )
    .orderBy(asc(adminAudit.id));
  return rows;
}
function offerForm(offer: SupportOffer, changes: Record<string, unknown>) {
  return {
    title: offer.title,
    category: offer.category,
    summary: offer.summary,
    body: offer.body,
    whoFor: offer.whoFor,
    provider: offer.provider,
    whatHappensNext: offer.whatHappensNext,
    firstContactTargetDays: offer.firstContactTargetDays,
    sensitive: offer.sensitive,
    formKind: offer.formKind,
    teamId: offer.teamId,
    ...changes,
  };
}
/** The fields the edit form posts (checkbox "sensitive" only when ticked). */
function offerPost(offer: SupportOffer, changes: Record<string, unknown>): FormFields {
  const f = offerForm(offer, changes);
  return {
    intent: "save",
    version: offer.version,
    title: f.title,
    category: f.category,
    summary: f.summary,
    body: f.body,
    whoFor: f.whoFor,
    provider: f.provider,
    whatHappensNext: f.whatHappensNext,
    firstContactTargetDays: String(f.firstContactTargetDays),
    formKind: f.formKind,
    teamId: String(f.teamId),
    ...(f.sensitive ? { sensitive: "true" } : {}),
  };
}

let orgId: number;
let requester: TestUser;
let adminA: TestUser;
let adminB: TestUser;
beforeAll(async () => {
  orgId = (await createOrganisation()).id;
  requester = await createUser({ organisationId: orgId, name: "Rita Requester" });
  adminA = await createUser({ organisationId: orgId, role: "admin", name: "Ada Admin" });
  adminB = await createUser({ organisationId: orgId, role: "admin", name: "Ben Admin" });
});
const user = (options: Parameters<typeof createUser>[0] = {}) => createUser({ organisationId: orgId, ...options });
const A = () => asCurrentUser(adminA);
const B = () => asCurrentUser(adminB);

async function newRequest(offer: SupportOffer, who: TestUser = requester, now = new Date()) {
  const created = await createRequest(
    asCurrentUser(who),
    offer.slug,
    { details: "Please can someone call me about this", contactMethod: "email", submissionKey: randomUUID() },
    now,
  );
  return created.reference;
}

/** A confidential offer handled by an "old" team (with a coordinator) and a "new" team. */
async function confidentialSetup(label: string) {
  const oldCoord = await user({ role: "coordinator", name: `Olive ${label}` });
  const newCoord = await user({ role: "coordinator", name: `Nora ${label}` });
  const oldTeam = await createTeam({ name: `Psych ${label}`, members: [oldCoord.id] });
  const newTeam = await createTeam({ name: `General ${label}`, members: [newCoord.id] });
  const offer = await createOffer({ teamId: oldTeam.id, sensitive: true, title: `Wellbeing ${label}` });
  return { oldCoord, newCoord, oldTeam, newTeam, offer };
}

describe("moving a confidential offer to another team", () => {
  it("one administrator only proposes it (edit form); the proposer cannot approve; a second administrator applies it, for new requests only", async () => {
    const { oldCoord, newCoord, oldTeam, newTeam, offer } = await confidentialSetup("move");
    const past = await newRequest(offer);
    expect(await hubStatus(oldCoord, past)).toBe(200);

    // Admin A saves the edit form with the new team: proposed, nothing moves.
    const saved = await offerActAs(adminA, offer.id, offerPost(offer, { teamId: newTeam.id }));
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/admin/offers/${offer.id}?saved=proposed`);
    expect((await offerRow(offer.id)).teamId).toBe(oldTeam.id);
    expect((await offerRow(offer.id)).version).toBe(offer.version);
    const proposal = await latestProposal();
    expect(proposal).toMatchObject({
      kind: "offer_change",
      status: "pending",
      offerId: offer.id,
      proposedById: adminA.id,
    });
    expect(proposal.summary).toBe(`Move ${offer.title} from team ${oldTeam.name} to team ${newTeam.name}`);
    expect(proposal.expiresAt.getTime() - proposal.proposedAt.getTime()).toBe(7 * DAY);

    // The overview lists it for both; only B may approve.
    const forA = (await overviewAs(adminA)).data as Awaited<ReturnType<typeof overviewRoute.loader>>;
    const forB = (await overviewAs(adminB)).data as Awaited<ReturnType<typeof overviewRoute.loader>>;
    const seenByA = forA.proposals.find((p) => p.id === proposal.id)!;
    const seenByB = forB.proposals.find((p) => p.id === proposal.id)!;
    expect(seenByA).toMatchObject({ mine: true, canApprove: false, status: "pending" });
    expect(seenByB).toMatchObject({ mine: false, canApprove: true, proposedBy: { name: "Ada Admin" } });
    expect(seenByB.details).toContainEqual({
      label: "Handling team",
      before: oldTeam.name,
      after: `${newTeam.name} (new requests only)`,
    });

    // A cannot approve their own proposal.
    const own = await decideAs(adminA, proposal.id, "approve");
    expect(own.status).toBe(400);
    expect((own.data as { errors: Record<string, string> }).errors._form).toBe(
      "You proposed this change: another administrator must approve it",
    );
    expect((await offerRow(offer.id)).teamId).toBe(oldTeam.id);
    expect((await proposalRow(proposal.id)).status).toBe("pending");

    // B approves: the offer moves; the past request stays with the old team.
    const approved = await decideAs(adminB, proposal.id, "approve");
    expect(approved.status).toBe(302);
    expect(approved.location).toBe("/admin?decided=approved");
    expect((await offerRow(offer.id)).teamId).toBe(newTeam.id);
    expect(await proposalRow(proposal.id)).toMatchObject({ status: "approved", decidedById: adminB.id });
    expect((await requestRow(past)).pinnedTeamId).toBe(oldTeam.id);
    expect(await hubStatus(newCoord, past)).toBe(404);
    expect(await hubStatus(oldCoord, past)).toBe(200);

    // A request made after the move goes to the new team only.
    const fresh = await newRequest(await offerRow(offer.id));
    expect(await hubStatus(newCoord, fresh)).toBe(200);
    expect(await hubStatus(oldCoord, fresh)).toBe(404);

    // The past request was not touched, so its person's access log has no administrator in it.
    const log = await getMyRequestAccessLog(asCurrentUser(requester), past);
    expect(log!.entries.filter((e) => e.role === "admin")).toEqual([]);

    expect((await proposalAudit("offer", offer.id)).map((a) => [a.action, a.actorId])).toEqual([
      ["proposal_made", adminA.id],
      ["proposal_approved", adminB.id],
    ]);
  });

  it("from the team page too: a confidential offer is proposed, an ordinary one moves at once", async () => {
    const { oldTeam, newTeam, offer } = await confidentialSetup("teampage");
    const ordinary = await createOffer({ teamId: oldTeam.id, title: "Ordinary teampage" });
    const team = await teamRow(newTeam.id);
    const out = await teamActAs(adminA, newTeam.id, {
      intent: "move_offers",
      version: team.version,
      offerIds: [String(offer.id), String(ordinary.id)],
    });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/teams/${newTeam.id}?done=offers_proposed&moved=1&proposed=1&unassigned=0`);
    expect((await offerRow(offer.id)).teamId).toBe(oldTeam.id);
    expect((await offerRow(ordinary.id)).teamId).toBe(newTeam.id);
    const proposal = await latestProposal();
    expect(proposal).toMatchObject({ kind: "offer_change", offerId: offer.id, status: "pending" });
    // A second proposal of the same change is refused while the first waits.
    await expect(
      moveOffersToTeam(A(), newTeam.id, { offerIds: [offer.id], version: (await teamRow(newTeam.id)).version }),
    ).rejects.toThrow(/already waiting for a second administrator/);
  });
});

describe("unticking confidential", () => {
  it("is a proposal; once approved, past requests stay pinned, so a later move by one administrator does not carry them", async () => {
    const { oldCoord, newCoord, oldTeam, newTeam, offer } = await confidentialSetup("untick");
    const past = await newRequest(offer);

    // Unticking together with a text edit: the text is saved, the untick proposed.
    const out = await offerActAs(adminA, offer.id, offerPost(offer, { sensitive: false, summary: "A new summary" }));
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/offers/${offer.id}?saved=saved_proposed`);
    const afterSave = await offerRow(offer.id);
    expect(afterSave).toMatchObject({ sensitive: true, summary: "A new summary", version: offer.version + 1 });
    const proposal = await latestProposal();
    expect(proposal).toMatchObject({ kind: "offer_change", targetVersion: offer.version + 1 });
    expect(proposal.summary).toBe(`Mark ${offer.title} as not confidential`);

    await expect(decideProposal(A(), proposal.id, "approve")).rejects.toThrow(/another administrator must approve/);
    expect((await offerRow(offer.id)).sensitive).toBe(true);
    await decideProposal(B(), proposal.id, "approve");
    expect((await offerRow(offer.id)).sensitive).toBe(false);
    expect((await requestRow(past)).pinnedTeamId).toBe(oldTeam.id);

    // Now not confidential: one administrator may move it, but the past request stays put.
    const now = await offerRow(offer.id);
    const moved = await updateOffer(A(), offer.id, now.version, offerForm(now, { teamId: newTeam.id }));
    expect(moved).toEqual({ changed: true });
    expect((await offerRow(offer.id)).teamId).toBe(newTeam.id);
    expect(await hubStatus(newCoord, past)).toBe(404);
    expect(await hubStatus(oldCoord, past)).toBe(200);
  });
});

describe("adding someone to a team that handles confidential support", () => {
  it("is proposed; the member is not added until a second administrator approves", async () => {
    const { oldTeam } = await confidentialSetup("member");
    const joiner = await user({ role: "coordinator", name: "Jo Joiner" });
    const team = await teamRow(oldTeam.id);
    const out = await teamActAs(adminA, oldTeam.id, { intent: "add_member", version: team.version, userId: joiner.id });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/teams/${oldTeam.id}?done=member_proposed`);
    expect(await isMember(oldTeam.id, joiner.id)).toBe(false);
    expect(await canUseHub(asCurrentUser(joiner))).toBe(false);
    expect((await teamRow(oldTeam.id)).version).toBe(team.version);
    const proposal = await latestProposal();
    expect(proposal).toMatchObject({ kind: "team_member", teamId: oldTeam.id, userId: joiner.id, status: "pending" });

    expect((await decideAs(adminA, proposal.id, "approve")).status).toBe(400);
    expect(await isMember(oldTeam.id, joiner.id)).toBe(false);

    expect((await decideAs(adminB, proposal.id, "approve")).status).toBe(302);
    expect(await isMember(oldTeam.id, joiner.id)).toBe(true);
    expect(await canUseHub(asCurrentUser(joiner))).toBe(true);
    expect((await teamRow(oldTeam.id)).version).toBe(team.version + 1);
    expect((await proposalAudit("team", oldTeam.id)).map((a) => a.action)).toEqual([
      "proposal_made",
      "proposal_approved",
    ]);
  });

  it("an administrator proposed for the team cannot approve their own addition", async () => {
    const { oldTeam } = await confidentialSetup("self");
    const result = await addTeamMember(A(), oldTeam.id, {
      userId: adminB.id,
      version: (await teamRow(oldTeam.id)).version,
    });
    expect(result.proposed).toBe(true);
    const proposal = await latestProposal();
    await expect(decideProposal(B(), proposal.id, "approve")).rejects.toThrow(/cannot approve adding yourself/);
    expect(await isMember(oldTeam.id, adminB.id)).toBe(false);
    const third = await user({ role: "admin", name: "Cat Admin" });
    await decideProposal(asCurrentUser(third), proposal.id, "approve");
    expect(await isMember(oldTeam.id, adminB.id)).toBe(true);
  });

  it("a team with no confidential support still takes members from one administrator", async () => {
    const team = await createTeam({ name: "Ordinary members" });
    await createOffer({ teamId: team.id, sensitive: false });
    const joiner = await user({ role: "coordinator" });
    const result = await addTeamMember(A(), team.id, { userId: joiner.id, version: team.version });
    expect(result.proposed).toBe(false);
    expect(await isMember(team.id, joiner.id)).toBe(true);
  });
});

describe("declining, withdrawing, expiry and stale proposals", () => {
  it("a second administrator declines; the proposer withdraws; nothing changes and both are audited", async () => {
    const { oldTeam } = await confidentialSetup("decline");
    const [p1, p2] = [await user({ role: "coordinator" }), await user({ role: "coordinator" })];
    await addTeamMember(A(), oldTeam.id, { userId: p1.id, version: (await teamRow(oldTeam.id)).version });
    const first = await latestProposal();
    await addTeamMember(A(), oldTeam.id, { userId: p2.id, version: (await teamRow(oldTeam.id)).version });
    const second = await latestProposal();

    expect((await decideAs(adminB, first.id, "decline")).location).toBe("/admin?decided=declined");
    expect((await decideAs(adminA, second.id, "decline")).location).toBe("/admin?decided=withdrawn");
    expect((await proposalRow(first.id)).status).toBe("declined");
    expect((await proposalRow(second.id)).status).toBe("withdrawn");
    expect(await isMember(oldTeam.id, p1.id)).toBe(false);
    expect(await isMember(oldTeam.id, p2.id)).toBe(false);
    // A decided proposal cannot be approved afterwards.
    await expect(decideProposal(B(), first.id, "approve")).rejects.toThrow(/already been declined/);
    expect((await proposalAudit("team", oldTeam.id)).map((a) => [a.action, a.actorId])).toEqual([
      ["proposal_made", adminA.id],
      ["proposal_made", adminA.id],
      ["proposal_declined", adminB.id],
      ["proposal_withdrawn", adminA.id],
    ]);
  });

  it("listing is read-only (a GET of /admin writes nothing): an expired proposal is shown as expired, and recorded by the next write", async () => {
    const { oldTeam } = await confidentialSetup("read-only-expiry");
    const joiner = await user({ role: "coordinator" });
    const t0 = new Date("2031-02-02T10:00:00Z");
    await addTeamMember(A(), oldTeam.id, { userId: joiner.id, version: (await teamRow(oldTeam.id)).version }, t0);
    const proposal = await latestProposal();
    const late = new Date(t0.getTime() + 7 * DAY + 60_000);

    const listed = await listProposals(B(), late);
    expect(listed.find((p) => p.id === proposal.id)).toMatchObject({ status: "expired", canApprove: false });
    // Nothing written by the read: still pending in the table, no expiry in the audit log.
    expect((await proposalRow(proposal.id)).status).toBe("pending");
    expect((await proposalAudit("team", oldTeam.id)).map((a) => a.action)).toEqual(["proposal_made"]);

    // The next write that sweeps expiry records it, dated at its expiry.
    const err = await decideProposal(B(), proposal.id, "approve", late).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminError);
    expect((await proposalRow(proposal.id)).status).toBe("expired");
    const audit = await proposalAudit("team", oldTeam.id);
    expect(audit.map((a) => a.action)).toEqual(["proposal_made", "proposal_expired"]);
    expect(audit[1]!.createdAt.toISOString()).toBe("2031-02-09T10:00:00.000Z");
  });

  it("expires after 7 days by the clock it is given: approval is then refused, and it shows as expired", async () => {
    const { oldTeam } = await confidentialSetup("expiry");
    const joiner = await user({ role: "coordinator" });
    const t0 = new Date("2031-01-05T10:00:00Z");
    await addTeamMember(A(), oldTeam.id, { userId: joiner.id, version: (await teamRow(oldTeam.id)).version }, t0);
    const proposal = await latestProposal();
    expect(proposal.expiresAt.toISOString()).toBe("2031-01-12T10:00:00.000Z");

    // Just before: still pending and listed as such.
    const before = await listProposals(B(), new Date(t0.getTime() + 7 * DAY - 60_000));
    expect(before.find((p) => p.id === proposal.id)?.status).toBe("pending");

    const late = new Date(t0.getTime() + 7 * DAY + 60_000);
    const err = await decideProposal(B(), proposal.id, "approve", late).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminError);
    expect((err as AdminError).message).toMatch(/^This proposal expired at 10:00 on 12 Jan 2031/);
    expect(await isMember(oldTeam.id, joiner.id)).toBe(false);
    expect((await proposalRow(proposal.id)).status).toBe("expired");
    const listed = await listProposals(B(), late);
    expect(listed.find((p) => p.id === proposal.id)).toMatchObject({ status: "expired", canApprove: false });
    const audit = await proposalAudit("team", oldTeam.id);
    expect(audit.map((a) => a.action)).toEqual(["proposal_made", "proposal_expired"]);
    expect(audit[1]!.createdAt.toISOString()).toBe("2031-01-12T10:00:00.000Z");
    // Expired once: a later read does not audit it again.
    await listProposals(A(), new Date(late.getTime() + DAY));
    expect(await proposalAudit("team", oldTeam.id)).toHaveLength(2);
  });

  it("refuses a stale proposal (the team changed since) with 409, applying nothing", async () => {
    const { oldTeam } = await confidentialSetup("stale");
    const joiner = await user({ role: "coordinator" });
    await addTeamMember(A(), oldTeam.id, { userId: joiner.id, version: (await teamRow(oldTeam.id)).version });
    const proposal = await latestProposal();
    await renameTeam(A(), oldTeam.id, { name: "Psych stale renamed", version: (await teamRow(oldTeam.id)).version });
    const out = await decideAs(adminB, proposal.id, "approve");
    expect(out.status).toBe(409);
    expect((out.data as { errors: Record<string, string> }).errors._form).toMatch(
      /^This team was changed by Ada Admin at .+ since this was proposed — decline it and propose the change again$/,
    );
    expect(await isMember(oldTeam.id, joiner.id)).toBe(false);
    expect((await proposalRow(proposal.id)).status).toBe("pending");
  });

  it("refuses a stale offer proposal too (the offer was edited since)", async () => {
    const { oldTeam, newTeam, offer } = await confidentialSetup("stale-offer");
    await updateOffer(A(), offer.id, offer.version, offerForm(offer, { teamId: newTeam.id }));
    const proposal = await latestProposal();
    const now = await offerRow(offer.id);
    await updateOffer(B(), offer.id, now.version, offerForm(now, { title: "Renamed stale-offer" }));
    await expect(decideProposal(B(), proposal.id, "approve")).rejects.toMatchObject({ code: "conflict" });
    expect((await offerRow(offer.id)).teamId).toBe(oldTeam.id);
  });
});

describe("transferring kept requests", () => {
  it("needs a second administrator; then the new team sees them and each person's access log shows the transfer", async () => {
    const { oldCoord, newCoord, newTeam, offer } = await confidentialSetup("transfer");
    const open = await newRequest(offer);
    const closed = await newRequest(offer);
    await getDb()
      .update(supportRequests)
      .set({ status: "closed", closedAt: new Date(), closeOutcome: "support_given", assigneeId: null })
      .where(eq(supportRequests.reference, closed));
    await getDb()
      .update(supportRequests)
      .set({ assigneeId: oldCoord.id, status: "triaged" })
      .where(eq(supportRequests.reference, open));
    await updateOffer(A(), offer.id, offer.version, offerForm(offer, { teamId: newTeam.id }));
    await decideProposal(B(), (await latestProposal()).id, "approve");
    expect(await hubStatus(newCoord, open)).toBe(404);

    // The offer page lists what the old team kept (numbers only).
    const page = await runRoute(async () =>
      offerRoute.loader({
        request: getRequest(`/admin/offers/${offer.id}`, { cookie: await cookieOf(adminA) }),
        params: { offerId: String(offer.id) },
        context: {},
      }),
    );
    const kept = (page.data as Awaited<ReturnType<typeof offerRoute.loader>>).keptRequests;
    expect(kept).toEqual([{ teamId: offer.teamId, teamName: `Psych transfer`, open: 1, all: 2 }]);

    // Admin A proposes transferring the open ones (from the offer page).
    const moved = await offerRow(offer.id);
    const out = await offerActAs(adminA, offer.id, {
      intent: "propose_transfer",
      version: moved.version,
      scope: "open",
    });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/offers/${offer.id}?saved=transfer_proposed`);
    const proposal = await latestProposal();
    expect(proposal).toMatchObject({ kind: "transfer_requests", offerId: offer.id, status: "pending" });
    expect(proposal.summary).toBe(`Transfer 1 open request of ${offer.title} to team ${newTeam.name}`);
    expect(await hubStatus(newCoord, open)).toBe(404);
    await expect(decideProposal(A(), proposal.id, "approve")).rejects.toThrow(/another administrator must approve/);

    await decideProposal(B(), proposal.id, "approve");
    expect(await hubStatus(newCoord, open)).toBe(200);
    expect(await hubStatus(oldCoord, open)).toBe(404);
    // Closed requests were not in "open": they stay with the old team.
    expect(await hubStatus(newCoord, closed)).toBe(404);
    expect(await hubStatus(oldCoord, closed)).toBe(200);
    // Its old coordinator cannot open it any more, so it was unassigned.
    expect((await requestRow(open)).assigneeId).toBeNull();

    const log = await getMyRequestAccessLog(asCurrentUser(requester), open);
    const adminEntries = log!.entries.filter((e) => e.name === "Ben Admin");
    expect(adminEntries.map((e) => [e.action, e.roleLabel]).sort()).toEqual([
      ["transferred", "Administrator"],
      ["unassigned", "Administrator"],
    ]);
    expect(adminEntries.find((e) => e.action === "transferred")!.actionLabel).toBe(
      "Moved your request to another people hub team",
    );
    const closedLog = await getMyRequestAccessLog(asCurrentUser(requester), closed);
    expect(closedLog!.entries.filter((e) => e.role === "admin")).toEqual([]);

    // Nothing left to transfer in "open" now.
    await expect(
      proposeTransfer(A(), offer.id, { scope: "open", version: (await offerRow(offer.id)).version }),
    ).rejects.toThrow(/No open request of this offer is kept by another team/);
  });

  it("the daily digest follows the team that keeps a request", async () => {
    const { oldCoord, newCoord, newTeam, offer } = await confidentialSetup("digest");
    const kept = await newRequest(offer);
    await updateOffer(A(), offer.id, offer.version, offerForm(offer, { teamId: newTeam.id }));
    await decideProposal(B(), (await latestProposal()).id, "approve");
    await getDb().delete(mailOutbox);
    await sendDailyDigests(new Date("2031-03-04T08:00:00Z"));
    const mails = await getDb().select().from(mailOutbox);
    const to = (u: TestUser) => mails.filter((m) => m.toAddress === u.email);
    expect(to(oldCoord)).toHaveLength(1);
    expect(to(oldCoord)[0]!.textBody).toContain(kept);
    expect(to(newCoord).some((m) => m.textBody.includes(kept))).toBe(false);
  });
});

describe("administrative changes in the person's access log", () => {
  it("removing a member who looked after a request: 'unassigned', by the administrator, with their role", async () => {
    const coord = await user({ role: "coordinator" });
    const team: Team = await createTeam({ name: "Access log team", members: [coord.id] });
    const offer = await createOffer({ teamId: team.id });
    const reference = await newRequest(offer);
    await getDb().update(supportRequests).set({ assigneeId: coord.id }).where(eq(supportRequests.reference, reference));
    const result = await removeTeamMember(A(), team.id, { userId: coord.id, version: team.version });
    expect(result.unassigned).toBe(1);
    const log = await getMyRequestAccessLog(asCurrentUser(requester), reference);
    expect(log!.entries.map((e) => [e.name, e.action, e.roleLabel])).toContainEqual([
      "Ada Admin",
      "unassigned",
      "Administrator",
    ]);
  });

  it("moving an ordinary offer: each of its requests gets 'transferred', and an unassigned one 'unassigned' too", async () => {
    const coord = await user({ role: "coordinator" });
    const from = await createTeam({ name: "Ordinary from", members: [coord.id] });
    const to = await createTeam({ name: "Ordinary to" });
    const offer = await createOffer({ teamId: from.id });
    const assigned = await newRequest(offer);
    const waiting = await newRequest(offer);
    await getDb().update(supportRequests).set({ assigneeId: coord.id }).where(eq(supportRequests.reference, assigned));
    const result = await moveOffersToTeam(A(), to.id, { offerIds: [offer.id], version: to.version });
    expect(result).toMatchObject({ moved: [offer.title], proposed: [], unassigned: 1 });
    const actions = async (reference: string) =>
      (await getMyRequestAccessLog(asCurrentUser(requester), reference))!.entries
        .filter((e) => e.role === "admin")
        .map((e) => e.action)
        .sort();
    expect(await actions(assigned)).toEqual(["transferred", "unassigned"]);
    expect(await actions(waiting)).toEqual(["transferred"]);
  });
});
