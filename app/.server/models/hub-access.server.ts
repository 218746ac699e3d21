// Who may see what in the people hub. Every hub query is built on these conditions, so a
// coordinator's scope is part of the SQL, not a check that a route could forget.
//
// - A coordinator sees the requests their teams handle, and never their own requests. A request
//   is handled by its offer's team, unless it is pinned to another team (pinned_team_id): past
//   requests of a confidential offer stay with the team that had them when the offer moves or
//   stops being confidential, until a second administrator approves a transfer
//   (docs/decisions/009-two-person-rule-for-confidential-support.md).
// - Another team's request for a SENSITIVE offer (or one kept by a team) is invisible: not found, exactly like a
//   reference that does not exist. Another team's non-sensitive request is "forbidden" (403): its
//   existence is no secret, its content is.
import { and, eq, inArray, isNull, ne, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Database } from "@db/client";
import { getDb } from "@db/current";
import { requestAccessLog, supportOffers, supportRequests, teamMembers, teams, users } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { requireUser } from "../auth/session.server";

type Executor = Pick<Database, "insert">;

/** Roles that may use the hub at all (an administrator only when also a team member). */
const HUB_ROLES = ["coordinator", "admin"] as const;

/** The ids of the teams the caller belongs to. */
export async function teamIdsOf(caller: CurrentUser): Promise<number[]> {
  const rows = await getDb().select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, caller.id));
  return rows.map((r) => r.teamId);
}

/** The caller's teams with names, for filters and headings. */
export async function teamsOf(caller: CurrentUser) {
  return getDb()
    .select({ id: teams.id, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, caller.id))
    .orderBy(teams.name);
}

/** True when the caller may open /hub: a coordinator (or an administrator) in at least one team. */
export async function canUseHub(caller: CurrentUser): Promise<boolean> {
  if (!(HUB_ROLES as readonly string[]).includes(caller.role)) return false;
  return (await teamIdsOf(caller)).length > 0;
}

/**
 * support_requests handled by one of `teamIds` (a subquery or a list): pinned to one of them, or
 * not pinned and of an offer one of them handles. Two branches rather than coalesce() over a join:
 * the offer branch is the same subquery as before pins existed, and the pinned branch has its own
 * partial index (support_requests_pinned_team_idx).
 */
export function handledByTeams(teamIds: () => SQLWrapper | number[]): SQL {
  return or(
    and(
      isNull(supportRequests.pinnedTeamId),
      inArray(supportRequests.offerId, getDb().select({ id: supportOffers.id }).from(supportOffers).where(inArray(supportOffers.teamId, teamIds()))),
    ),
    inArray(supportRequests.pinnedTeamId, teamIds()),
  )!;
}

/** The same rule in raw SQL, for queries written as text (the digest): the team handling `r`. */
export const HANDLING_TEAM_SQL = sql.raw("coalesce(r.pinned_team_id, o.team_id)");

function callerTeamIds(caller: CurrentUser) {
  return getDb().select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, caller.id));
}

/**
 * The condition every hub list, count, search and lookup of support_requests must include:
 * one of the caller's teams handles the request, and the request is not the caller's own.
 */
export function hubVisibleRequests(caller: CurrentUser): SQL {
  return and(handledByTeams(() => callerTeamIds(caller)), ne(supportRequests.requesterId, caller.id))!;
}

export type HubLookup<T> =
  | { outcome: "found"; request: T }
  | { outcome: "not_found" }
  | { outcome: "forbidden"; teamName: string };

/**
 * Looks a reference up for the hub. `loadVisible` must select the request with
 * `hubVisibleRequests(caller)` in its WHERE clause; when it finds nothing, this tells apart a
 * non-sensitive request of another team (403, names the team) from everything else (404).
 */
export async function lookUpForHub<T>(
  caller: CurrentUser,
  reference: string,
  loadVisible: (visible: SQL) => Promise<T | null | undefined>,
): Promise<HubLookup<T>> {
  const request = await loadVisible(and(eq(supportRequests.reference, reference), hubVisibleRequests(caller))!);
  if (request) return { outcome: "found", request };
  const [other] = await getDb()
    .select({ teamName: teams.name })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .innerJoin(teams, eq(teams.id, supportOffers.teamId))
    .where(
      and(
        eq(supportRequests.reference, reference),
        eq(supportOffers.sensitive, false),
        // A pinned request was confidential when it was pinned: not found, like a sensitive one.
        isNull(supportRequests.pinnedTeamId),
        ne(supportRequests.requesterId, caller.id),
      ),
    )
    .limit(1);
  return other ? { outcome: "forbidden", teamName: other.teamName } : { outcome: "not_found" };
}

export type AccessAction = (typeof requestAccessLog.$inferInsert)["action"];

/** Records that someone viewed or changed a request (shown to the person it belongs to). */
export async function recordAccess(tx: Executor, requestId: number, actorId: string, action: AccessAction, at = new Date()) {
  await tx.insert(requestAccessLog).values({ requestId, actorId, action, createdAt: at });
}

/** Active coordinators in the team that handles an offer (whom a request may be assigned to and who are told of it). */
export async function teamMembersForOffer(offerId: number, db: Pick<Database, "select"> = getDb()) {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(supportOffers)
    .innerJoin(teamMembers, eq(teamMembers.teamId, supportOffers.teamId))
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(supportOffers.id, offerId), isNull(users.disabledAt), inArray(users.role, [...HUB_ROLES])))
    .orderBy(users.name);
}

/** Active coordinators in one team (for a request: the team handling it, see handledByTeams). */
export async function teamMembersOfTeam(teamId: number, db: Pick<Database, "select"> = getDb()) {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), isNull(users.disabledAt), inArray(users.role, [...HUB_ROLES])))
    .orderBy(users.name);
}

/** For every /hub loader and action: the signed-in coordinator, or 403 for anyone else. */
export async function requireHubUser(request: Request): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!(await canUseHub(user))) {
    throw new Response("The people hub is for coordinators.", { status: 403 });
  }
  return user;
}
