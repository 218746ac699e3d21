// Who may do what in StayWell: every rule in one module. Routes and models ask here; nothing else
// compares a role. A new role (or a changed one) is a change to GRANTS below, and to nothing else.
//
// Three kinds of rule live here:
// - what a ROLE allows (GRANTS): hub work, manager insights, administration;
// - what TEAM MEMBERSHIP adds: a coordinator works only the requests their teams handle (the
//   offer's team, or the team a confidential request is pinned to), never their own
//   (hubVisibleRequests, a SQL condition so every hub query carries it);
// - what SENSITIVITY changes: another team's request for a sensitive offer is "not found", exactly
//   like a reference that does not exist; another team's non-sensitive request is "forbidden"
//   naming the team that handles it (lookUpForHub).
//
// Models throw PermissionError / NotFoundError (or their own domain errors); routes turn them into
// 403 / 404 responses with app/.server/route-errors.server.ts. Nothing here builds a Response.
import { and, eq, inArray, isNull, ne, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { integerList } from "@db/client";
import { getDb } from "@db/current";
import { supportOffers, supportRequests, teamMembers, teams, type UserRole } from "@db/schema";
import type { CurrentUser } from "./auth/types";
import { valueMemo } from "./request-memo.server";
import { hasControlCharacters } from "~/schemas/text";
import { STAY_OFFER_SLUG } from "~/lib/leaving";

// ---------------------------------------------------------------------------------------------
// errors

/** The caller may not do this (a route answers 403). `teamName`: whose request it is, when that may be said. */
export class PermissionError extends Error {
  readonly code = "forbidden" as const;
  readonly teamName?: string;
  constructor(message = "You do not have access to this page.", options: { teamName?: string } = {}) {
    super(message);
    this.name = "PermissionError";
    this.teamName = options.teamName;
  }
}

/** Nothing the caller may see has this name (a route answers 404, the same as for something that does not exist). */
export class NotFoundError extends Error {
  readonly code = "not_found" as const;
  constructor(message = "Not found.") {
    super(message);
    this.name = "NotFoundError";
  }
}

// ---------------------------------------------------------------------------------------------
// roles

/**
 * - `hub:work`: may be in a people hub team, and so work the requests of the offers the team
 *   handles (team membership is still needed: see canUseHub and hubVisibleRequests).
 * - `insights:read`: aggregate figures for the manager's scope (their organisation, or the ICS).
 * - `admin:manage`: the catalogue, organisations, teams, people and the audit log. Never request
 *   content: an administrator reads a request only as a member of its team.
 * Everyone signed in may ask for support and follow their own requests; that needs no grant.
 */
export type Permission = "hub:work" | "insights:read" | "admin:manage";

export const PERMISSIONS: readonly Permission[] = ["hub:work", "insights:read", "admin:manage"];

const GRANTS: Record<UserRole, readonly Permission[]> = {
  staff: [],
  coordinator: ["hub:work"],
  manager: ["insights:read"],
  admin: ["hub:work", "admin:manage"],
};

/** Every role, in GRANTS order (a new role must be given its grants before it appears anywhere). */
export const ALL_ROLES: readonly UserRole[] = Object.keys(GRANTS) as UserRole[];

/** Whether a role carries a permission (for a role that is not the caller's, e.g. a role being given). */
export function roleMay(role: UserRole, permission: Permission): boolean {
  return GRANTS[role]?.includes(permission) ?? false;
}

/** The roles that carry a permission, for SQL (`inArray(users.role, rolesThatMay("hub:work"))`). */
export function rolesThatMay(permission: Permission): UserRole[] {
  return (Object.keys(GRANTS) as UserRole[]).filter((role) => roleMay(role, permission));
}

/** `<column> in (<roles that may>)`, for raw SQL (`roleColumnMay(sql\`u.role\`, "hub:work")`). */
export function roleColumnMay(column: SQLWrapper, permission: Permission): SQL {
  return inArray(column as never, rolesThatMay(permission));
}

/** Whether the caller's role carries a permission. */
export function can(caller: Pick<CurrentUser, "role"> | null | undefined, permission: Permission): boolean {
  return !!caller && roleMay(caller.role, permission);
}

/** Throws PermissionError unless the caller's role carries the permission. */
export function requirePermission(caller: Pick<CurrentUser, "role">, permission: Permission, message?: string): void {
  if (!can(caller, permission)) throw new PermissionError(message);
}

// ---------------------------------------------------------------------------------------------
// administration

/** Administrators keep the catalogue, organisations, teams and people. */
export function canAdminister(caller: Pick<CurrentUser, "role"> | null | undefined): boolean {
  return can(caller, "admin:manage");
}

/** Whether someone with this role can be added to a people hub team (and stays able to work in it). */
export function mayJoinHubTeam(role: UserRole): boolean {
  return roleMay(role, "hub:work");
}

// ---------------------------------------------------------------------------------------------
// manager insights

export type InsightsScope = { kind: "ics" } | { kind: "organisation"; organisationId: number };

/** Whether the caller sees the insights pages (the menu item, the page, the CSV). */
export function canSeeInsights(caller: Pick<CurrentUser, "role"> | null | undefined): boolean {
  return can(caller, "insights:read");
}

/**
 * The figures the caller may see: the whole ICS, or one organisation's. Throws PermissionError for
 * anyone without `insights:read` (administrators too: they keep the catalogue, not the figures).
 */
export function insightsScopeFor(caller: Pick<CurrentUser, "role" | "managesOrganisationId">): InsightsScope {
  if (!canSeeInsights(caller)) throw new PermissionError();
  return caller.managesOrganisationId === null
    ? { kind: "ics" }
    : { kind: "organisation", organisationId: caller.managesOrganisationId };
}

// ---------------------------------------------------------------------------------------------
// the people hub

/** One of the caller's teams, with what its membership decides beyond the hub queue. */
interface Membership {
  teamId: number;
  /** The team's slug (the Reservist bank team's decides isReservistCoordinator). */
  slug: string;
  /** The team handles the stay conversations offer (canSeeLeaverContacts). */
  handlesStayOffer: boolean;
  /** The offers the team handles (hubScopeOf). */
  offerIds: number[];
}

/**
 * The caller's teams, in one statement with what canSeeLeaverContacts and isReservistCoordinator
 * need (a /hub page asked three times: three round trips, issue 11; ADR 041). Once per GET
 * (request-memo.server.ts); read afresh by an action.
 */
function membershipsOf(caller: Pick<CurrentUser, "id">): Promise<Membership[]> {
  // An async function: a drizzle query is a thenable that runs again each time it is awaited.
  return valueMemo(caller, "memberships", async () =>
    getDb()
      .select({
        teamId: teamMembers.teamId,
        slug: teams.slug,
        handlesStayOffer: sql<boolean>`exists (select 1 from ${supportOffers} where ${supportOffers.teamId} = ${teamMembers.teamId} and ${supportOffers.slug} = ${STAY_OFFER_SLUG})`,
        offerIds: sql<
          number[]
        >`array(select ${supportOffers.id} from ${supportOffers} where ${supportOffers.teamId} = ${teamMembers.teamId} order by ${supportOffers.id})`,
      })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teamMembers.userId, caller.id)),
  );
}

/** The ids of the teams the caller belongs to. */
export async function teamIdsOf(caller: Pick<CurrentUser, "id">): Promise<number[]> {
  // Once per GET: the root loader (canUseHub) and the hub's loader both ask (request-memo.server.ts).
  return (await membershipsOf(caller)).map((m) => m.teamId);
}

/**
 * What hubVisibleRequests needs to know about the caller, read once per GET with their teams: the
 * team ids and the ids of the offers those teams handle (ADR 041).
 */
export interface HubScope {
  teamIds: readonly number[];
  offerIds: readonly number[];
}

/** The caller's HubScope (from the same memoised read as teamIdsOf). */
export async function hubScopeOf(caller: Pick<CurrentUser, "id">): Promise<HubScope> {
  const memberships = await membershipsOf(caller);
  return {
    teamIds: memberships.map((m) => m.teamId),
    offerIds: [...new Set(memberships.flatMap((m) => m.offerIds.map(Number)))],
  };
}

/** True when the caller may open /hub: a role with `hub:work`, in at least one team. */
export async function canUseHub(caller: CurrentUser): Promise<boolean> {
  if (!can(caller, "hub:work")) return false;
  return (await teamIdsOf(caller)).length > 0;
}

/** Throws PermissionError unless the caller may use the people hub (canUseHub). */
export async function requireHubAccess(caller: CurrentUser): Promise<void> {
  if (!(await canUseHub(caller))) throw new PermissionError("The people hub is for coordinators.");
}

/**
 * True when the caller may see /hub/leavers (leavers' consent to be contacted about coming back):
 * a role with `hub:work` in the team that handles the stay conversations offer
 * (`thinking-of-leaving`: the Retention and careers team). Decided by which team handles that
 * offer, not by a team's name or slug, so an administrator moving the offer moves this too.
 */
export async function canSeeLeaverContacts(caller: CurrentUser): Promise<boolean> {
  if (!can(caller, "hub:work")) return false;
  return (await membershipsOf(caller)).some((m) => m.handlesStayOffer);
}

/** Throws PermissionError unless canSeeLeaverContacts. */
export async function requireLeaverContactsAccess(caller: CurrentUser): Promise<void> {
  if (!(await canSeeLeaverContacts(caller))) {
    throw new PermissionError("Only the Retention and careers team can see who would like to be contacted.");
  }
}

/**
 * support_requests handled by one of `teamIds` (a subquery or a list): pinned to one of them, or
 * not pinned and of an offer one of them handles. A request is pinned (pinned_team_id) when its
 * confidential offer moves or stops being confidential: past requests stay with the team that had
 * them until a second administrator approves a transfer (ADR 009). Two branches rather than
 * coalesce() over a join: the offer branch is the subquery the queue's plans were measured with,
 * and the pinned branch has its own partial index (support_requests_pinned_team_idx).
 */
export function handledByTeams(teamIds: () => SQLWrapper | number[]): SQL {
  return or(...handlingBranches(teamIds))!;
}

/** handledByTeams' two halves: [not pinned and of one of the teams' offers, pinned to one of the teams]. */
function handlingBranches(teamIds: () => SQLWrapper | number[]): [SQL, SQL] {
  return [
    and(
      isNull(supportRequests.pinnedTeamId),
      inArray(
        supportRequests.offerId,
        getDb().select({ id: supportOffers.id }).from(supportOffers).where(inArray(supportOffers.teamId, teamIds())),
      ),
    )!,
    inArray(supportRequests.pinnedTeamId, teamIds()),
  ];
}

/** The same rule in raw SQL, for queries written as text (the digest): the team handling `r` (offer `o`). */
export const HANDLING_TEAM_SQL = sql.raw("coalesce(r.pinned_team_id, o.team_id)");

function callerTeamIds(caller: Pick<CurrentUser, "id">) {
  return getDb().select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, caller.id));
}

/**
 * The condition every hub list, count, search, lookup and command on support_requests includes:
 * the caller's role may work in the hub, one of the caller's teams handles the request
 * (handledByTeams; `scope`: their teams and those teams' offers, as hubScopeOf read them for this
 * request), and the request is not the caller's own. A role without `hub:work` sees nothing, even
 * if a membership row was left behind.
 */
export function hubVisibleRequests(caller: CurrentUser, scope?: HubScope): SQL {
  if (!can(caller, "hub:work")) return sql`false`;
  return and(
    // With the caller's scope already read for this request (hubScopeOf), the same rule as lists:
    // no subqueries for the planner (on the embedded database a hub page's statements spent more
    // time planning than running: ADR 041). Else subqueries.
    or(...hubHandlingBranches(caller, scope))!,
    ne(supportRequests.requesterId, caller.id),
  )!;
}

/**
 * The two halves of "one of the caller's teams handles the request" (handledByTeams), apart:
 * [not pinned and of one of their teams' offers, pinned to one of their teams]. They never overlap
 * (pinned_team_id is null in one, not null in the other). Never a visibility rule on its own: a
 * query ANDs one of them to hubVisibleRequests(caller, …) so that an index can be searched by
 * offer (the bounded finished counts, docs/decisions/021 addendum); the rule stays in
 * hubVisibleRequests.
 */
export function hubHandlingBranches(caller: Pick<CurrentUser, "id">, scope?: HubScope): [SQL, SQL] {
  if (!scope) return handlingBranches(() => callerTeamIds(caller));
  // The ids as literals in the text (integerList: ids read from the database, not typed by anyone):
  // a prepared statement's generic plan then knows them (ADR 041, addendum of 30 November late evening).
  return [
    sql`(${supportRequests.pinnedTeamId} is null and ${supportRequests.offerId} in ${integerList(scope.offerIds)})`,
    sql`${supportRequests.pinnedTeamId} in ${integerList(scope.teamIds)}`,
  ];
}

export type HubLookup<T> =
  { outcome: "found"; request: T } | { outcome: "not_found" } | { outcome: "forbidden"; teamName: string };

/**
 * What the caller is told about a request outside their view: another team's non-sensitive
 * request is forbidden, naming its team (a coordinator given a reference by phone knows whom to
 * ask); anything else — sensitive, the caller's own, or no such request — is not found, identical.
 */
export function refusalFor(
  caller: Pick<CurrentUser, "id">,
  other: { sensitive: boolean; teamName: string; requesterId: string } | null | undefined,
): Exclude<HubLookup<never>, { outcome: "found" }> {
  if (!other || other.sensitive || other.requesterId === caller.id) return { outcome: "not_found" };
  return { outcome: "forbidden", teamName: other.teamName };
}

/**
 * Looks a reference up for the hub. `loadVisible` must select the request with the condition it
 * is given (hubVisibleRequests and the reference) in its WHERE clause; when it finds nothing, the
 * answer is refusalFor(): 403 naming the team for another team's non-sensitive request, else 404.
 */
export async function lookUpForHub<T>(
  caller: CurrentUser,
  reference: string,
  loadVisible: (visible: SQL) => Promise<T | null | undefined>,
): Promise<HubLookup<T>> {
  // A key with a control character names nothing (and PostgreSQL refuses a NUL): not found.
  if (hasControlCharacters(reference)) return { outcome: "not_found" };
  const request = await loadVisible(and(eq(supportRequests.reference, reference), hubVisibleRequests(caller))!);
  if (request) return { outcome: "found", request };
  const [other] = await getDb()
    .select({
      teamName: teams.name,
      sensitive: supportOffers.sensitive,
      pinnedTeamId: supportRequests.pinnedTeamId,
      requesterId: supportRequests.requesterId,
    })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .innerJoin(teams, eq(teams.id, supportOffers.teamId))
    .where(eq(supportRequests.reference, reference))
    .limit(1);
  // A pinned request was confidential when it was pinned: not found, like a sensitive one.
  return refusalFor(caller, other && { ...other, sensitive: other.sensitive || other.pinnedTeamId !== null });
}

// ---------------------------------------------------------------------------------------------
// the reservist bank (issue 14 part 2; docs/decisions/040-reservist-bank.md)
//
// Needs, matches and invitations are worked by the hub team with this slug only. Anyone else —
// staff, managers, administrators and coordinators of other teams — is told "not found" (404),
// exactly as for a need that does not exist. Reservists see only their own profile and
// invitations: those model functions are keyed by the caller's id, never by a parameter.

/** The hub team that posts needs and invites reservists. */
export const RESERVIST_TEAM_SLUG = "reservist-bank";

/**
 * The SQL condition every reservist-bank query a coordinator runs carries: the caller's role may
 * work in the hub and they belong to the Reservist bank team. False for everyone else, so a query
 * with it returns nothing even if a check in a route were forgotten.
 */
export function reservistCoordinatorCondition(caller: Pick<CurrentUser, "id" | "role">): SQL {
  if (!can(caller, "hub:work")) return sql`false`;
  return sql`exists (select 1 from ${teamMembers} tm join ${teams} t on t.id = tm.team_id
    where tm.user_id = ${caller.id} and t.slug = ${RESERVIST_TEAM_SLUG})`;
}

/** Whether the caller coordinates in the Reservist bank team (for menus; queries use the condition). */
export async function isReservistCoordinator(caller: Pick<CurrentUser, "id" | "role">): Promise<boolean> {
  if (!can(caller, "hub:work")) return false;
  return (await membershipsOf(caller)).some((m) => m.slug === RESERVIST_TEAM_SLUG);
}

/** Throws NotFoundError (a 404) unless the caller coordinates in the Reservist bank team. */
export async function requireReservistCoordinator(caller: Pick<CurrentUser, "id" | "role">): Promise<void> {
  if (!(await isReservistCoordinator(caller))) throw new NotFoundError();
}
