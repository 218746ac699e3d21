// What the people hub shares across its models: the caller's teams, the access log, and who in a
// team may be assigned or told. Who may see which request is decided in
// app/.server/permissions.server.ts (hubVisibleRequests, lookUpForHub), and every hub query is
// built on it, so a coordinator's scope is part of the SQL, not a check that a route could forget.
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { DatabaseOrTx } from "@db/client";
import { getDb } from "@db/current";
import { requestAccessLog, supportOffers, supportRequests, teamMembers, teams, users } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { rolesThatMay } from "../permissions.server";

/** The caller's teams with names, for filters and headings. */
export async function teamsOf(caller: CurrentUser) {
  return getDb()
    .select({ id: teams.id, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, caller.id))
    .orderBy(teams.name);
}

export type AccessAction = (typeof requestAccessLog.$inferInsert)["action"];

/** Records that someone viewed or changed a request (shown to the person it belongs to). */
export async function recordAccess(
  tx: DatabaseOrTx,
  requestId: number,
  actorId: string,
  action: AccessAction,
  at = new Date(),
) {
  await tx.insert(requestAccessLog).values({ requestId, actorId, action, createdAt: at });
}

/** Active members of the team that handles an offer who may work in the hub (whom a request may be assigned to and who are told of it). */
export async function teamMembersForOffer(offerId: number, db: DatabaseOrTx = getDb()) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, mailTeamNewRequests: users.mailTeamNewRequests })
    .from(supportOffers)
    .innerJoin(teamMembers, eq(teamMembers.teamId, supportOffers.teamId))
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(supportOffers.id, offerId), isNull(users.disabledAt), inArray(users.role, rolesThatMay("hub:work"))))
    .orderBy(users.name);
}

/**
 * Active members of one team who may work in the hub (for a request: the team handling it, see
 * handledByTeams; also who hears that a reservist place is open again), never an erased account.
 */
export async function teamMembersOfTeam(teamId: number, db: DatabaseOrTx = getDb()) {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(
      and(
        eq(teamMembers.teamId, teamId),
        isNull(users.disabledAt),
        isNull(users.erasedAt),
        inArray(users.role, rolesThatMay("hub:work")),
      ),
    )
    .orderBy(users.name);
}

/**
 * Who hears about something the person did on their request: its assignee when they are still
 * active and may work in the hub; otherwise every such member of the team handling it (its pinned
 * team, or its offer's team: HANDLING_TEAM_SQL). Never the person themselves. Also says whether
 * the mail may name the support (not for a confidential offer or a pinned request).
 */
export async function hubRecipientsForRequest(requestId: number, db: DatabaseOrTx) {
  const [row] = await db
    .select({
      requesterId: supportRequests.requesterId,
      assigneeId: supportRequests.assigneeId,
      pinnedTeamId: supportRequests.pinnedTeamId,
      offerTeamId: supportOffers.teamId,
      offerTitle: supportOffers.title,
      sensitive: supportOffers.sensitive,
    })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .where(eq(supportRequests.id, requestId))
    .limit(1);
  if (!row) return null;
  const request = { offerTitle: row.offerTitle, confidential: row.sensitive || row.pinnedTeamId !== null };
  if (row.assigneeId && row.assigneeId !== row.requesterId) {
    const [assignee] = await db
      .select({ id: users.id, name: users.name, email: users.email, mailTeamActivity: users.mailTeamActivity })
      .from(users)
      .where(and(eq(users.id, row.assigneeId), isNull(users.disabledAt), inArray(users.role, rolesThatMay("hub:work"))))
      .limit(1);
    if (assignee) return { request, recipients: [assignee] };
  }
  const teamId = row.pinnedTeamId ?? row.offerTeamId;
  // As teamMembersOfTeam, with each member's choice about these emails (/account/preferences).
  const members = await db
    .select({ id: users.id, name: users.name, email: users.email, mailTeamActivity: users.mailTeamActivity })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), isNull(users.disabledAt), inArray(users.role, rolesThatMay("hub:work"))))
    .orderBy(users.name);
  return { request, recipients: members.filter((m) => m.id !== row.requesterId) };
}
