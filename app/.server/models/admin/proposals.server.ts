// The two-person rule for confidential support (docs/decisions/009-two-person-rule-for-confidential-support.md).
//
// Three changes would let one administrator widen who can read confidential requests, so they are
// PROPOSED here instead of made, and a second administrator approves or declines them in /admin:
// - offer_change: moving a confidential offer to another team, and/or unticking "confidential";
// - team_member: adding anyone to a team that handles a confidential offer or keeps requests of one;
// - transfer_requests: moving the past requests of an offer, kept by the team that had them when
//   the offer moved away, to the team that handles the offer now;
// - admin_role: making someone an administrator (a second administrator account would let one
//   person approve their own proposals);
// - reset_two_step: turning off another person's two-step verification (someone with their
//   password could then sign in as them; docs/decisions/029).
//
// Rules:
// - The proposer cannot approve their own proposal (declining it withdraws it); nobody approves
//   their own addition to a team; an administrator made one less than ADMIN_APPROVAL_WAIT_DAYS ago
//   approves nothing (users.admin_since).
// - A team that is the destination of a pending move of a confidential offer (or of a pending
//   transfer of kept requests) counts as holding confidential support: adding members to it is a
//   proposal too. A move or transfer records the destination team's version, and approval refuses
//   it when that team changed since (the approver sees its members as they are).
// - A proposal lasts PROPOSAL_LIFETIME_DAYS. Expiry is read from the clock passed in (the app's
//   `now`) whenever proposals are listed or decided: there is no timer. An expired proposal is
//   marked and audited (as of its expiry time, by its proposer) by whichever read finds it first.
// - Approval applies the change in one transaction, after checking that the offer or team is still
//   at the version the proposer saw (any change since makes the proposal stale: decline it and
//   propose again).
// - Approving a move or an untick pins the offer's existing requests to the team that has them
//   (support_requests.pinned_team_id): the change applies to new requests only. Only an approved
//   transfer moves past requests, each with a "transferred" entry in the person's access log.
// - Every step is in the audit log on the offer or team it concerns: proposal_made, proposal_approved,
//   proposal_declined, proposal_withdrawn, proposal_expired, and the applied change's own entries.
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, ne, notInArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@db/current";
import {
  adminAudit,
  adminProposals,
  signInChallenges,
  supportOffers,
  supportRequests,
  teamMembers,
  teams,
  twoStepRecoveryCodes,
  twoStepSettings,
  users,
  type AdminProposal,
  type UserRole,
} from "@db/schema";
import { OPEN_STATUSES } from "~/lib/request-status";
import { ROLE_HINTS, ROLE_NAMES, ROLE_WORDS } from "~/schemas/admin-people";
import type { CurrentUser } from "../../auth/types";
import { enqueueMail } from "../../mail/outbox.server";
import { mayJoinHubTeam, roleMay } from "../../permissions.server";
import { formatChangeTime } from "../hub-requests.server";
import { twoStepChangedMail } from "../two-step.server";
import {
  AdminError,
  assertAdmin,
  conflictFor,
  invalid,
  recordAdminAccess,
  recordAdminChange,
  recordOfferMovedBetweenTeams,
  unassignOpenRequests,
  type AuditEntity,
  type Tx,
} from "./common.server";

export const PROPOSAL_LIFETIME_DAYS = 7;
const LIFETIME_MS = PROPOSAL_LIFETIME_DAYS * 24 * 60 * 60 * 1000;

/** A new administrator may not approve proposals for this long after the role was given. */
export const ADMIN_APPROVAL_WAIT_DAYS = 7;
const ADMIN_WAIT_MS = ADMIN_APPROVAL_WAIT_DAYS * 24 * 60 * 60 * 1000;

export type ProposalKind = "offer_change" | "team_member" | "transfer_requests" | "admin_role" | "reset_two_step";
export type ProposalStatus = "pending" | "approved" | "declined" | "withdrawn" | "expired";
export type TransferScope = "open" | "all";

/** One line of "what exactly changes", shown with the proposal. */
export interface ProposalDetail {
  label: string;
  before: string;
  after: string;
}

/** What the proposal will do, as stored in admin_proposals.change. */
export interface ProposalChange {
  /** offer_change: the team it moves to (and the team it had when proposed). */
  teamId?: number;
  fromTeamId?: number;
  /** offer_change: false to untick "confidential". */
  sensitive?: false;
  /** transfer_requests: which of the kept requests move (to `teamId`, the offer's team when proposed). */
  scope?: TransferScope;
  /** offer_change (a move) and transfer_requests: the destination team's version when proposed. */
  teamVersion?: number;
  /** admin_role: the role they had when proposed. */
  fromRole?: UserRole;
  details: ProposalDetail[];
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

function auditTarget(p: Pick<AdminProposal, "kind" | "offerId" | "teamId" | "userId">): {
  entity: AuditEntity;
  entityId: number | string;
} {
  if (p.kind === "admin_role" || p.kind === "reset_two_step") return { entity: "user", entityId: p.userId! };
  return p.kind === "team_member" ? { entity: "team", entityId: p.teamId! } : { entity: "offer", entityId: p.offerId! };
}

/**
 * When the caller became an administrator less than ADMIN_APPROVAL_WAIT_DAYS ago: the date from
 * which they may approve; otherwise null. (Null admin_since: made outside the app — long standing.)
 */
export async function approvalWaitUntil(tx: Pick<Tx, "select">, callerId: string, now: Date): Promise<Date | null> {
  const [row] = await tx.select({ adminSince: users.adminSince }).from(users).where(eq(users.id, callerId));
  if (!row?.adminSince) return null;
  const until = new Date(row.adminSince.getTime() + ADMIN_WAIT_MS);
  return until > now ? until : null;
}

// ---------------------------------------------------------------------------------------------
// which changes need a second administrator

/**
 * True when adding someone to the team would open confidential requests to them: the team handles
 * an offer marked confidential (in the catalogue or retired), keeps requests pinned to it, or is
 * the destination of a pending move of a confidential offer or of a pending transfer of kept
 * requests (otherwise one administrator could add members before the move is approved).
 */
export async function teamHoldsConfidential(tx: Pick<Tx, "select">, teamId: number): Promise<boolean> {
  const [row] = await tx
    .select({ yes: sql<number>`1` })
    .from(teams)
    .where(
      and(
        eq(teams.id, teamId),
        or(
          sql`exists (select 1 from support_offers o where o.team_id = ${teamId} and o.sensitive)`,
          sql`exists (select 1 from support_requests r where r.pinned_team_id = ${teamId})`,
          sql`exists (select 1 from admin_proposals p where p.status = 'pending'
                and p.kind in ('offer_change', 'transfer_requests') and p.change->>'teamId' = ${String(teamId)})`,
        ),
      ),
    );
  return row !== undefined;
}

/** Requests of `offerId` kept by a team that no longer handles the offer, by team. */
export async function keptRequestsOfOffer(caller: CurrentUser, offerId: number) {
  assertAdmin(caller);
  const rows = await getDb()
    .select({
      teamId: teams.id,
      teamName: teams.name,
      open: sql<number>`count(*) filter (where ${inArray(supportRequests.status, [...OPEN_STATUSES])})`.mapWith(Number),
      all: sql<number>`count(*)`.mapWith(Number),
    })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .innerJoin(teams, eq(teams.id, supportRequests.pinnedTeamId))
    .where(
      and(
        eq(supportRequests.offerId, offerId),
        isNotNull(supportRequests.pinnedTeamId),
        ne(supportRequests.pinnedTeamId, supportOffers.teamId),
      ),
    )
    .groupBy(teams.id, teams.name)
    .orderBy(asc(teams.name));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// proposing

export interface NewProposal {
  kind: ProposalKind;
  offerId?: number;
  teamId?: number;
  userId?: string;
  change: ProposalChange;
  targetVersion: number;
  summary: string;
}

/**
 * Records a proposal (inside the caller's transaction) and its audit entry. Refuses a second
 * pending proposal of the same kind for the same offer, or the same person and team.
 */
export async function proposeChange(
  tx: Tx,
  caller: CurrentUser,
  input: NewProposal,
  now: Date,
): Promise<{ id: number }> {
  assertAdmin(caller);
  await expireDueProposals(tx, now);
  const [twin] = await tx
    .select({ id: adminProposals.id })
    .from(adminProposals)
    .where(
      and(
        eq(adminProposals.status, "pending"),
        eq(adminProposals.kind, input.kind),
        input.kind === "team_member"
          ? and(eq(adminProposals.teamId, input.teamId!), eq(adminProposals.userId, input.userId!))
          : input.kind === "admin_role" || input.kind === "reset_two_step"
            ? eq(adminProposals.userId, input.userId!)
            : eq(adminProposals.offerId, input.offerId!),
      ),
    )
    .limit(1)
    .for("update");
  if (twin) {
    const field =
      input.kind === "team_member"
        ? "userId"
        : input.kind === "transfer_requests"
          ? "scope"
          : input.kind === "admin_role"
            ? "role"
            : input.kind === "reset_two_step"
              ? "_form"
              : "teamId";
    throw invalid(
      field,
      "A change like this is already waiting for a second administrator: approve or decline it in Administration first",
    );
  }
  const [row] = await tx
    .insert(adminProposals)
    .values({
      kind: input.kind,
      status: "pending",
      offerId: input.offerId ?? null,
      teamId: input.teamId ?? null,
      userId: input.userId ?? null,
      change: input.change as unknown as Record<string, unknown>,
      targetVersion: input.targetVersion,
      summary: input.summary,
      proposedById: caller.id,
      proposedAt: now,
      expiresAt: new Date(now.getTime() + LIFETIME_MS),
    })
    .returning({ id: adminProposals.id });
  const target = auditTarget({
    kind: input.kind,
    offerId: input.offerId ?? null,
    teamId: input.teamId ?? null,
    userId: input.userId ?? null,
  });
  await recordAdminChange(
    tx,
    caller,
    {
      ...target,
      action: "proposal_made",
      summary: `Proposed (needs a second administrator): ${input.summary}`,
      before: Object.fromEntries(input.change.details.map((d) => [d.label, d.before])),
      after: Object.fromEntries(input.change.details.map((d) => [d.label, d.after])),
    },
    now,
  );
  return { id: row.id };
}

// ---------------------------------------------------------------------------------------------
// expiry

/**
 * Marks pending proposals whose time is up as expired, each with an audit entry dated at its expiry
 * (by its proposer: nobody acted). UPDATE … RETURNING: two instances never audit the same one twice.
 */
export async function expireDueProposals(tx: Tx, now: Date): Promise<number> {
  const expired = await tx
    .update(adminProposals)
    .set({ status: "expired", decidedAt: sql`${adminProposals.expiresAt}` })
    .where(and(eq(adminProposals.status, "pending"), lte(adminProposals.expiresAt, now)))
    .returning();
  for (const p of expired) {
    const target = auditTarget(p);
    await tx.insert(adminAudit).values({
      actorId: p.proposedById,
      entity: target.entity,
      entityId: String(target.entityId),
      action: "proposal_expired",
      summary: `Proposal expired after ${PROPOSAL_LIFETIME_DAYS} days without a second administrator: ${p.summary}`,
      before: { status: "pending" },
      after: { status: "expired" },
      createdAt: p.expiresAt,
    });
  }
  return expired.length;
}

// ---------------------------------------------------------------------------------------------
// reading

export interface ProposalView {
  id: number;
  kind: ProposalKind;
  status: ProposalStatus;
  summary: string;
  details: ProposalDetail[];
  proposedBy: { id: string; name: string; email: string };
  proposedAt: Date;
  expiresAt: Date;
  /** The caller made it: they may withdraw it, not approve it. */
  mine: boolean;
  /** The caller may approve it (pending, not theirs, not their own addition to a team). */
  canApprove: boolean;
  /** Where the change is made: the offer, team or person page. */
  href: string;
  /** A move or transfer: the destination team's members as they are now (what the approver opens it to). */
  destination: { teamName: string; members: string[] } | null;
  /** The caller became an administrator recently: the date from which they may approve. */
  approveFrom: Date | null;
}

const proposer = alias(users, "proposer");

/**
 * Pending proposals (soonest to expire first), then those that expired in the last
 * PROPOSAL_LIFETIME_DAYS days (so the proposer sees what became of theirs).
 *
 * Read-only (issue 11: a GET of /admin ran a write transaction): a pending proposal whose time is
 * up is SHOWN as expired, computed here from `now`; the row is marked and audited (dated at its
 * expiry, so the audit log reads the same) by the next write that sweeps expiry — proposeChange
 * and decideProposal call expireDueProposals first.
 */
export async function listProposals(caller: CurrentUser, now = new Date()): Promise<ProposalView[]> {
  assertAdmin(caller);
  const db = getDb();
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const livePending = sql`(${adminProposals.status} = 'pending' and ${adminProposals.expiresAt} > ${nowSql})`;
  const [approveFrom, rows] = await Promise.all([
    approvalWaitUntil(db, caller.id, now),
    db
      .select({ p: adminProposals, name: proposer.name, email: proposer.email })
      .from(adminProposals)
      .innerJoin(proposer, eq(proposer.id, adminProposals.proposedById))
      .where(
        or(
          livePending,
          and(
            inArray(adminProposals.status, ["pending", "expired"]),
            gt(adminProposals.expiresAt, new Date(now.getTime() - LIFETIME_MS)),
          ),
        ),
      )
      .orderBy(sql`${livePending} desc`, asc(adminProposals.expiresAt), asc(adminProposals.id))
      .limit(100),
  ]);
  const destinationIds = [
    ...new Set(
      rows.flatMap(({ p }) => {
        const teamId = (p.change as unknown as ProposalChange).teamId;
        return p.status === "pending" && p.expiresAt > now && p.kind !== "team_member" && teamId !== undefined
          ? [teamId]
          : [];
      }),
    ),
  ];
  const destinations = new Map<number, { teamName: string; members: string[] }>();
  if (destinationIds.length) {
    const teamRows = await db
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .where(inArray(teams.id, destinationIds));
    for (const t of teamRows) destinations.set(t.id, { teamName: t.name, members: [] });
    const memberRows = await db
      .select({ teamId: teamMembers.teamId, name: users.name, email: users.email })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(inArray(teamMembers.teamId, destinationIds))
      .orderBy(asc(users.name), asc(users.email));
    for (const m of memberRows) destinations.get(m.teamId)?.members.push(`${m.name} (${m.email})`);
  }
  return rows.map(({ p: stored, name, email }) => {
    // Expired by the clock, not yet swept by a write: shown as it will be recorded.
    const p =
      stored.status === "pending" && stored.expiresAt <= now
        ? { ...stored, status: "expired" as const, decidedAt: stored.expiresAt }
        : stored;
    const mine = p.proposedById === caller.id;
    const change = p.change as unknown as ProposalChange;
    const href =
      p.kind === "team_member"
        ? `/admin/teams/${p.teamId}`
        : p.kind === "admin_role" || p.kind === "reset_two_step"
          ? `/admin/people/${encodeURIComponent(p.userId!)}`
          : `/admin/offers/${p.offerId}`;
    return {
      id: p.id,
      kind: p.kind as ProposalKind,
      status: p.status as ProposalStatus,
      summary: p.summary,
      details: change.details ?? [],
      proposedBy: { id: p.proposedById, name, email },
      proposedAt: p.proposedAt,
      expiresAt: p.expiresAt,
      mine,
      canApprove: p.status === "pending" && !mine && p.userId !== caller.id && approveFrom === null,
      href,
      destination:
        p.kind !== "team_member" && change.teamId !== undefined ? (destinations.get(change.teamId) ?? null) : null,
      approveFrom,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// deciding

export type Decision = "approve" | "decline";

/**
 * Approves or declines a proposal. Declining one's own withdraws it. Approval applies the change
 * in the same transaction (refused as a conflict when the offer or team changed since).
 */
export async function decideProposal(
  caller: CurrentUser,
  proposalIdInput: unknown,
  decision: Decision,
  now = new Date(),
): Promise<{ status: ProposalStatus; summary: string }> {
  assertAdmin(caller);
  const id = /^\d{1,9}$/.test(String(proposalIdInput ?? "")) ? Number(proposalIdInput) : NaN;
  if (!Number.isInteger(id) || id < 1) throw new AdminError("not_found", "There is no such proposal");
  // Expiry first, in its own transaction: it stays recorded when the decision is then refused.
  await getDb().transaction((tx) => expireDueProposals(tx, now));
  return getDb().transaction(async (tx) => {
    const [p] = await tx.select().from(adminProposals).where(eq(adminProposals.id, id)).for("update");
    if (!p) throw new AdminError("not_found", "There is no such proposal");
    if (p.status === "expired" || (p.status === "pending" && p.expiresAt <= now)) {
      throw invalid(
        "_form",
        `This proposal expired at ${formatChangeTime(p.expiresAt)} without a second administrator. Propose the change again if it is still needed`,
      );
    }
    if (p.status !== "pending") throw invalid("_form", `This proposal has already been ${p.status}`);
    const mine = p.proposedById === caller.id;
    const target = auditTarget(p);

    if (decision === "decline") {
      const status: ProposalStatus = mine ? "withdrawn" : "declined";
      await tx
        .update(adminProposals)
        .set({ status, decidedById: caller.id, decidedAt: now })
        .where(eq(adminProposals.id, id));
      await recordAdminChange(
        tx,
        caller,
        {
          ...target,
          action: mine ? "proposal_withdrawn" : "proposal_declined",
          summary: `${mine ? "Withdrew" : "Declined"} the proposal: ${p.summary}`,
          before: { status: "pending" },
          after: { status },
        },
        now,
      );
      return { status, summary: p.summary };
    }

    if (mine) throw invalid("_form", "You proposed this change: another administrator must approve it");
    if (p.userId === caller.id)
      throw invalid(
        "_form",
        p.kind === "reset_two_step"
          ? "You cannot approve resetting your own two-step verification: another administrator must approve it"
          : "You cannot approve adding yourself to a team: another administrator must approve it",
      );
    const waitUntil = await approvalWaitUntil(tx, caller.id, now);
    if (waitUntil) {
      throw invalid(
        "_form",
        `You became an administrator less than ${ADMIN_APPROVAL_WAIT_DAYS} days ago, so you cannot approve changes until ${formatChangeTime(waitUntil)}: another administrator must approve it`,
      );
    }

    const [who] = await tx.select({ name: users.name }).from(users).where(eq(users.id, p.proposedById));
    const by = `proposed by ${who?.name ?? "another administrator"}, approved by ${caller.name}`;
    if (p.kind === "offer_change") await applyOfferChange(tx, caller, p, by, now);
    else if (p.kind === "team_member") await applyTeamMember(tx, caller, p, by, now);
    else if (p.kind === "transfer_requests") await applyTransfer(tx, caller, p, by, now);
    else if (p.kind === "admin_role") await applyAdminRole(tx, caller, p, by, now);
    else if (p.kind === "reset_two_step") await applyTwoStepReset(tx, caller, p, by, now);
    else throw new AdminError("invalid", "This proposal cannot be applied");

    await tx
      .update(adminProposals)
      .set({ status: "approved", decidedById: caller.id, decidedAt: now })
      .where(eq(adminProposals.id, id));
    await recordAdminChange(
      tx,
      caller,
      {
        ...target,
        action: "proposal_approved",
        summary: `Approved the proposal: ${p.summary}`,
        before: { status: "pending" },
        after: { status: "approved" },
      },
      now,
    );
    return { status: "approved", summary: p.summary };
  });
}

/** The proposal is stale: the conflict message, pointing at what to do. */
async function staleProposal(tx: Tx, entity: AuditEntity, entityId: number | string): Promise<AdminError> {
  const conflict = await conflictFor(tx, entity, entityId);
  return new AdminError(
    "conflict",
    `${conflict.message.replace(/ — review and try again$/, "")} since this was proposed — decline it and propose the change again`,
  );
}

/** Pins the offer's requests that follow it to the team that has them now (they stay there). */
async function pinRequestsOfOffer(tx: Tx, offerId: number, teamId: number): Promise<number> {
  const pinned = await tx
    .update(supportRequests)
    .set({ pinnedTeamId: teamId })
    .where(and(eq(supportRequests.offerId, offerId), isNull(supportRequests.pinnedTeamId)))
    .returning({ id: supportRequests.id });
  return pinned.length;
}

async function teamNameOf(tx: Tx, teamId: number): Promise<string | null> {
  const [team] = await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId));
  return team?.name ?? null;
}

async function applyOfferChange(tx: Tx, caller: CurrentUser, p: AdminProposal, by: string, now: Date) {
  const change = p.change as unknown as ProposalChange;
  const [offer] = await tx.select().from(supportOffers).where(eq(supportOffers.id, p.offerId!)).for("update");
  if (!offer) throw new AdminError("not_found", "The support offer no longer exists");
  if (offer.version !== p.targetVersion) throw await staleProposal(tx, "offer", offer.id);
  const set: Record<string, unknown> = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const moving = change.teamId !== undefined && change.teamId !== offer.teamId;
  const fromName = await teamNameOf(tx, offer.teamId);
  let toName: string | null = null;
  if (moving) {
    const [destination] = await tx
      .select({ name: teams.name, version: teams.version })
      .from(teams)
      .where(eq(teams.id, change.teamId!))
      .for("update");
    if (!destination)
      throw new AdminError("conflict", "The team this offer was to move to no longer exists — decline this proposal");
    // Its members are who the offer opens to: they must be the ones the approver sees.
    if (change.teamVersion !== undefined && destination.version !== change.teamVersion)
      throw await staleProposal(tx, "team", change.teamId!);
    toName = destination.name;
    set.teamId = change.teamId;
    before.teamId = offer.teamId;
    before.team = fromName;
    after.teamId = change.teamId;
    after.team = toName;
  }
  if (change.sensitive === false && offer.sensitive) {
    set.sensitive = false;
    before.sensitive = true;
    after.sensitive = false;
  }
  // Existing requests stay with the team that has them: only new ones follow the change.
  const kept = await pinRequestsOfOffer(tx, offer.id, offer.teamId);
  await tx
    .update(supportOffers)
    .set({ ...set, version: sql`${supportOffers.version} + 1`, updatedAt: now })
    .where(eq(supportOffers.id, offer.id));
  const keptWords = kept ? `; its ${plural(kept, "existing request")} stay with team ${fromName}` : "";
  if (moving) {
    await recordOfferMovedBetweenTeams(
      tx,
      caller,
      {
        offerSlug: offer.slug,
        fromTeamId: offer.teamId,
        toTeamId: change.teamId!,
        summary: () => `Moved ${offer.title} from team ${fromName} to team ${toName} (${by})${keptWords}`,
      },
      now,
    );
  }
  await recordAdminChange(
    tx,
    caller,
    {
      entity: "offer",
      entityId: offer.id,
      action: moving ? "team_changed" : "updated",
      summary: `${p.summary} (${by})${keptWords}`,
      before,
      after: { ...after, keptRequests: kept },
    },
    now,
  );
}

async function applyTeamMember(tx: Tx, caller: CurrentUser, p: AdminProposal, by: string, now: Date) {
  const [team] = await tx.select().from(teams).where(eq(teams.id, p.teamId!)).for("update");
  if (!team) throw new AdminError("not_found", "The team no longer exists");
  if (team.version !== p.targetVersion) throw await staleProposal(tx, "team", team.id);
  const [person] = await tx
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, p.userId!))
    .for("share");
  if (!person) throw new AdminError("conflict", "That account no longer exists — decline this proposal");
  if (person.disabledAt)
    throw new AdminError("conflict", `${person.name}’s account has been disabled since — decline this proposal`);
  if (!mayJoinHubTeam(person.role)) {
    throw new AdminError(
      "conflict",
      `${person.name} is now ${ROLE_WORDS[person.role]}: only coordinators and administrators can be in a hub team — decline this proposal`,
    );
  }
  const members = await tx
    .select({ email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, team.id));
  const before = members.map((m) => m.email).sort();
  await tx
    .update(teams)
    .set({ version: sql`${teams.version} + 1`, updatedAt: now })
    .where(eq(teams.id, team.id));
  await tx.insert(teamMembers).values({ teamId: team.id, userId: person.id, createdAt: now });
  await recordAdminChange(
    tx,
    caller,
    {
      entity: "team",
      entityId: team.id,
      action: "members_changed",
      summary: `Added ${person.name} (${person.email}) to team ${team.name} (${by})`,
      before: { members: before },
      after: { members: [...before, person.email].sort() },
    },
    now,
  );
}

async function applyTransfer(tx: Tx, caller: CurrentUser, p: AdminProposal, by: string, now: Date) {
  const change = p.change as unknown as ProposalChange;
  const [offer] = await tx.select().from(supportOffers).where(eq(supportOffers.id, p.offerId!)).for("update");
  if (!offer) throw new AdminError("not_found", "The support offer no longer exists");
  if (offer.version !== p.targetVersion) throw await staleProposal(tx, "offer", offer.id);
  if (change.teamVersion !== undefined) {
    const [destination] = await tx
      .select({ version: teams.version })
      .from(teams)
      .where(eq(teams.id, offer.teamId))
      .for("update");
    if (!destination || destination.version !== change.teamVersion) throw await staleProposal(tx, "team", offer.teamId);
  }
  const rows = await tx
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(
      and(
        eq(supportRequests.offerId, offer.id),
        isNotNull(supportRequests.pinnedTeamId),
        ne(supportRequests.pinnedTeamId, offer.teamId),
        change.scope === "open" ? inArray(supportRequests.status, [...OPEN_STATUSES]) : undefined,
      ),
    )
    .orderBy(asc(supportRequests.id))
    .for("update");
  if (rows.length === 0)
    throw new AdminError("conflict", "There are no requests left to transfer — decline this proposal");
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    await tx
      .update(supportRequests)
      .set({ pinnedTeamId: offer.teamId, version: sql`${supportRequests.version} + 1`, updatedAt: now })
      .where(inArray(supportRequests.id, ids.slice(i, i + 500)));
  }
  await recordAdminAccess(tx, caller, ids, "transferred", now);
  // Whoever looked after them in the old team can no longer open them.
  let unassigned = 0;
  for (let i = 0; i < ids.length; i += 500) {
    unassigned += await unassignOpenRequests(
      tx,
      caller,
      and(
        inArray(supportRequests.id, ids.slice(i, i + 500)),
        notInArray(
          supportRequests.assigneeId,
          tx.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, offer.teamId)),
        ),
      )!,
      "transferred_to_team",
      now,
    );
  }
  const toName = await teamNameOf(tx, offer.teamId);
  await recordAdminChange(
    tx,
    caller,
    {
      entity: "offer",
      entityId: offer.id,
      action: "requests_transferred",
      summary:
        `Transferred ${plural(ids.length, change.scope === "open" ? "open request" : "request")} of ${offer.title} to team ${toName} (${by})` +
        (unassigned ? `; ${plural(unassigned, "request")} looked after outside that team unassigned` : ""),
      before: null,
      after: { team: toName, requests: ids.length, scope: change.scope ?? "all", unassigned },
    },
    now,
  );
}

// ---------------------------------------------------------------------------------------------
// proposing a transfer (from the offer page)

/**
 * Proposes transferring the requests of an offer that other teams kept (when it moved) to the
 * team that handles it now: its open ones, or all of them.
 */
export async function proposeTransfer(
  caller: CurrentUser,
  offerId: number,
  input: { scope: unknown; version: number },
  now = new Date(),
): Promise<{ id: number }> {
  assertAdmin(caller);
  const scope = input.scope === "open" || input.scope === "all" ? input.scope : null;
  if (!scope) throw invalid("scope", "Choose which requests to transfer");
  return getDb().transaction(async (tx) => {
    const [offer] = await tx.select().from(supportOffers).where(eq(supportOffers.id, offerId)).for("update");
    if (!offer) throw new AdminError("not_found", "There is no such support offer.");
    if (offer.version !== input.version) throw await conflictFor(tx, "offer", offerId);
    const kept = await tx
      .select({
        teamName: teams.name,
        n: sql<number>`count(*)`.mapWith(Number),
      })
      .from(supportRequests)
      .innerJoin(teams, eq(teams.id, supportRequests.pinnedTeamId))
      .where(
        and(
          eq(supportRequests.offerId, offerId),
          isNotNull(supportRequests.pinnedTeamId),
          ne(supportRequests.pinnedTeamId, offer.teamId),
          scope === "open" ? inArray(supportRequests.status, [...OPEN_STATUSES]) : undefined,
        ),
      )
      .groupBy(teams.name)
      .orderBy(asc(teams.name));
    const total = kept.reduce((sum, k) => sum + k.n, 0);
    if (total === 0)
      throw invalid(
        "scope",
        scope === "open"
          ? "No open request of this offer is kept by another team"
          : "No request of this offer is kept by another team",
      );
    const [destination] = await tx
      .select({ name: teams.name, version: teams.version })
      .from(teams)
      .where(eq(teams.id, offer.teamId));
    const toName = destination?.name ?? "its team";
    const words = scope === "open" ? "open request" : "request";
    return proposeChange(
      tx,
      caller,
      {
        kind: "transfer_requests",
        offerId,
        targetVersion: offer.version,
        summary: `Transfer ${plural(total, words)} of ${offer.title} to team ${toName}`,
        change: {
          scope,
          teamId: offer.teamId,
          teamVersion: destination?.version,
          details: kept.map((k) => ({
            label: `${k.n === 1 ? "1 " + words : `${k.n} ${words}s`} of ${offer.title}`,
            before: `Team ${k.teamName}`,
            after: `Team ${toName}`,
          })),
        },
      },
      now,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// making someone an administrator

/**
 * Applies an approved admin_role proposal: the person is still at the version the proposer saw
 * (role, scope, disabled unchanged), then becomes an administrator from now (users.admin_since).
 */
async function applyAdminRole(tx: Tx, caller: CurrentUser, p: AdminProposal, by: string, now: Date) {
  const [person] = await tx
    .select({ id: users.id, name: users.name, role: users.role, version: users.version, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, p.userId!))
    .for("update");
  if (!person) throw new AdminError("conflict", "That account no longer exists — decline this proposal");
  if (person.version !== p.targetVersion) throw await staleProposal(tx, "user", person.id);
  if (person.disabledAt)
    throw new AdminError("conflict", `${person.name}’s account has been disabled since — decline this proposal`);
  if (roleMay(person.role, "admin:manage"))
    throw new AdminError("conflict", `${person.name} is already an administrator — decline this proposal`);
  await tx
    .update(users)
    .set({
      role: "admin",
      managesOrganisationId: null,
      adminSince: now,
      version: sql`${users.version} + 1`,
      updatedAt: now,
    })
    .where(eq(users.id, person.id));
  await recordAdminChange(
    tx,
    caller,
    {
      entity: "user",
      entityId: person.id,
      action: "role_changed",
      summary: `Changed ${person.name} from ${ROLE_NAMES[person.role].toLowerCase()} to ${ROLE_NAMES.admin.toLowerCase()} (${by})`,
      before: { role: person.role },
      after: { role: "admin" },
    },
    now,
  );
}

/**
 * Proposes making someone an administrator (inside changeRole's transaction): a second,
 * established administrator approves it in /admin.
 */
export async function proposeAdminRole(
  tx: Tx,
  caller: CurrentUser,
  person: { id: string; name: string; email: string; role: UserRole; version: number },
  now: Date,
): Promise<{ id: number }> {
  return proposeChange(
    tx,
    caller,
    {
      kind: "admin_role",
      userId: person.id,
      targetVersion: person.version,
      summary: `Make ${person.name} (${person.email}) an administrator`,
      change: {
        fromRole: person.role,
        details: [
          { label: "Role", before: ROLE_NAMES[person.role], after: ROLE_NAMES.admin },
          {
            label: "What they can do",
            before: ROLE_HINTS[person.role],
            after: `${ROLE_HINTS.admin}; after ${ADMIN_APPROVAL_WAIT_DAYS} days, approve changes that need a second administrator`,
          },
        ],
      },
    },
    now,
  );
}

/**
 * Proposes turning off someone's two-step verification (they lost their phone and their recovery
 * codes): a second administrator approves it in /admin. docs/decisions/029.
 */
export async function proposeTwoStepReset(
  caller: CurrentUser,
  userId: string,
  now = new Date(),
): Promise<{ id: number }> {
  assertAdmin(caller);
  return getDb().transaction(async (tx) => {
    const [person] = await tx
      .select({ id: users.id, name: users.name, email: users.email, version: users.version })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!person) throw new AdminError("not_found", "No such account");
    const [on] = await tx
      .select({ userId: twoStepSettings.userId })
      .from(twoStepSettings)
      .where(and(eq(twoStepSettings.userId, userId), isNotNull(twoStepSettings.enabledAt)));
    if (!on) throw invalid("_form", `${person.name} does not have two-step verification on: there is nothing to reset`);
    return proposeChange(
      tx,
      caller,
      {
        kind: "reset_two_step",
        userId: person.id,
        targetVersion: person.version,
        summary: `Reset two-step verification for ${person.name} (${person.email})`,
        change: {
          details: [
            {
              label: "Two-step verification",
              before: "On",
              after: "Off: they sign in with their password, and set it up again if their role requires it",
            },
          ],
        },
      },
      now,
    );
  });
}

async function applyTwoStepReset(tx: Tx, caller: CurrentUser, p: AdminProposal, by: string, now: Date) {
  const [person] = await tx
    .select({ id: users.id, name: users.name, email: users.email, version: users.version })
    .from(users)
    .where(eq(users.id, p.userId!))
    .for("update");
  if (!person) throw new AdminError("conflict", "That account no longer exists — decline this proposal");
  if (person.version !== p.targetVersion) throw await staleProposal(tx, "user", person.id);
  const removed = await tx
    .delete(twoStepSettings)
    .where(eq(twoStepSettings.userId, person.id))
    .returning({ userId: twoStepSettings.userId });
  if (removed.length === 0)
    throw new AdminError(
      "conflict",
      `${person.name} has turned two-step verification off since — decline this proposal`,
    );
  await tx.delete(twoStepRecoveryCodes).where(eq(twoStepRecoveryCodes.userId, person.id));
  await tx.delete(signInChallenges).where(eq(signInChallenges.userId, person.id));
  await recordAdminChange(
    tx,
    caller,
    {
      entity: "user",
      entityId: person.id,
      action: "two_step_reset",
      summary: `Reset two-step verification for ${person.name} (${by})`,
      before: { twoStepVerification: "on" },
      after: { twoStepVerification: "off" },
    },
    now,
  );
  // The person is told, in the same transaction (if they did not ask for it, they say so).
  await enqueueMail(tx, twoStepChangedMail(person, "reset"));
}
