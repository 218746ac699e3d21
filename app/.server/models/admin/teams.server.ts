// People hub teams for administrators: list, create, rename, members, and which offers each team
// handles. Team membership is what gives a coordinator (or an administrator) the hub and decides
// which requests they see (app/.server/models/hub-access.server.ts), so every change here takes
// effect on their next page.
//
// Rules:
// - A team's slug is made from its name when it is created and never changes (renaming keeps it).
// - Only active coordinators and administrators can be added.
// - An offer always has exactly one team: moving offers to a team takes them from their previous
//   team (whose version is bumped and which gets its own audit entry). A team may end up with none.
// - An open request is never left assigned to someone who can no longer see it. Removing a member
//   unassigns the open requests of this team's offers they were looking after; moving an offer
//   unassigns its open requests looked after by someone outside the new team. They go back to the
//   team's queue as "nobody yet", with an "Unassigned" entry (by the administrator) in their
//   timeline. No request content is read or shown here: only counts.
// - Every change: one transaction, the team version checked and bumped, an admin_audit entry.
import { and, asc, count, eq, ilike, inArray, isNull, ne, notInArray, or, sql } from "drizzle-orm";
import { isUniqueViolation } from "@db/client";
import { getDb } from "@db/current";
import { organisations, supportOffers, supportRequests, teamMembers, teams, users, type UserRole } from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import {
  handledByTeams,
  HANDLING_TEAM_SQL,
  mayJoinHubTeam,
  roleColumnMay,
  rolesThatMay,
} from "../../permissions.server";
import { ROLE_WORDS } from "~/schemas/admin-people";
import { MEMBER_CANDIDATE_LIMIT, slugFromName, TEAM_LIMITS } from "~/schemas/admin-teams";
import {
  AdminError,
  assertAdmin,
  conflictFor,
  invalid,
  recordAdminAccessWhere,
  recordAdminChange,
  unassignOpenRequests,
  updateVersioned,
  type Tx,
} from "./common.server";
import { proposeOfferChange } from "./offers.server";
import { proposeChange, teamHoldsConfidential } from "./proposals.server";
import { pageNumber } from "~/lib/paging";

export const ADMIN_PAGE_SIZE = 50;

/** Roles that can work in a hub team (app/.server/permissions.server.ts decides). */
export const TEAM_ROLES = rolesThatMay("hub:work");

// ---------------------------------------------------------------------------------------------
// shared helpers (also used by organisations.server.ts)

/** `base`, or `base-2`, `base-3`… whichever is not taken in `table` (slugs are [a-z0-9-]: no LIKE wildcards). */
export async function freeSlug(tx: Tx, table: typeof teams | typeof organisations, base: string): Promise<string> {
  const rows = await tx
    .select({ slug: table.slug })
    .from(table)
    .where(or(eq(table.slug, base), sql`${table.slug} like ${`${base}-%`}`));
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** An id from a URL: a positive whole number, or not found. */
export function parseId(value: unknown, what: string): number {
  const n = typeof value === "number" ? value : /^\d{1,9}$/.test(String(value ?? "")) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new AdminError("not_found", `There is no such ${what}`);
  return n;
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

function listWords(items: string[]) {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// reading

export interface TeamListItem {
  id: number;
  slug: string;
  name: string;
  /** Active coordinators and administrators in the team (who can work its requests). */
  coordinators: number;
  offers: number;
  retiredOffers: number;
}

export async function listTeams(caller: CurrentUser, options: { page?: number } = {}) {
  assertAdmin(caller);
  const db = getDb();
  const page = pageNumber(options.page ?? 1);
  const [{ total }] = await db.select({ total: count() }).from(teams);
  const items: TeamListItem[] = await db
    .select({
      id: teams.id,
      slug: teams.slug,
      name: teams.name,
      coordinators: sql<number>`(select count(*)::int from team_members tm join users u on u.id = tm.user_id
        where tm.team_id = "teams"."id" and ${roleColumnMay(sql`u.role`, "hub:work")} and u.disabled_at is null)`,
      offers: sql<number>`(select count(*)::int from support_offers o where o.team_id = "teams"."id")`,
      retiredOffers: sql<number>`(select count(*)::int from support_offers o where o.team_id = "teams"."id" and not o.active)`,
    })
    .from(teams)
    .orderBy(asc(teams.name), asc(teams.id))
    .limit(ADMIN_PAGE_SIZE)
    .offset((page - 1) * ADMIN_PAGE_SIZE);
  return { items, page, total, pageCount: Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE)) };
}

export interface TeamMemberView {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  disabled: boolean;
  /** Open requests of this team's offers that they are looking after. */
  openAssigned: number;
}

export interface TeamOfferView {
  id: number;
  slug: string;
  title: string;
  active: boolean;
  /** Marked confidential: moving it to another team needs a second administrator. */
  sensitive: boolean;
  teamId: number;
  teamName: string;
}

/** A team with its members, its offers, the other teams' offers, and people who could be added. */
export async function getTeamForAdmin(caller: CurrentUser, teamIdInput: unknown, options: { search?: string } = {}) {
  assertAdmin(caller);
  const teamId = parseId(teamIdInput, "team");
  const db = getDb();
  const [team] = await db
    .select({
      id: teams.id,
      slug: teams.slug,
      name: teams.name,
      urgentContactEmail: teams.urgentContactEmail,
      version: teams.version,
    })
    .from(teams)
    .where(eq(teams.id, teamId));
  if (!team) throw new AdminError("not_found", "There is no such team");

  const members: TeamMemberView[] = (
    await db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        role: users.role,
        disabledAt: users.disabledAt,
        openAssigned: sql<number>`(select count(*)::int from support_requests r
          join support_offers o on o.id = r.offer_id
          where r.assignee_id = "users"."id" and ${HANDLING_TEAM_SQL} = ${teamId}
            and r.status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred'))`,
      })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(eq(teamMembers.teamId, teamId))
      .orderBy(asc(users.name), asc(users.email))
  ).map(({ disabledAt, ...m }) => ({ ...m, disabled: disabledAt !== null }));

  const allOffers: TeamOfferView[] = await db
    .select({
      id: supportOffers.id,
      slug: supportOffers.slug,
      title: supportOffers.title,
      active: supportOffers.active,
      sensitive: supportOffers.sensitive,
      teamId: supportOffers.teamId,
      teamName: teams.name,
    })
    .from(supportOffers)
    .innerJoin(teams, eq(teams.id, supportOffers.teamId))
    .orderBy(asc(supportOffers.title), asc(supportOffers.id));

  const search = (options.search ?? "").trim().slice(0, TEAM_LIMITS.search);
  const candidateWhere = and(
    inArray(users.role, [...TEAM_ROLES]),
    isNull(users.disabledAt),
    notInArray(users.id, db.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, teamId))),
    search
      ? or(ilike(users.name, `%${escapeLike(search)}%`), ilike(users.email, `%${escapeLike(search)}%`))
      : undefined,
  );
  const [candidates, [{ total: candidateTotal }]] = await Promise.all([
    db
      .select({ id: users.id, name: users.name, email: users.email, role: users.role })
      .from(users)
      .where(candidateWhere)
      .orderBy(asc(users.name), asc(users.email))
      .limit(MEMBER_CANDIDATE_LIMIT),
    db.select({ total: count() }).from(users).where(candidateWhere),
  ]);

  const [holdsConfidential, keptRequests] = await Promise.all([
    teamHoldsConfidential(db, teamId),
    db
      .select({ n: count() })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
      .where(and(eq(supportRequests.pinnedTeamId, teamId), ne(supportOffers.teamId, teamId)))
      .then((rows) => Number(rows[0]?.n ?? 0)),
  ]);

  return {
    team,
    members,
    /** Adding a member needs a second administrator (confidential requests would open to them). */
    holdsConfidential,
    /** Requests this team kept when their (confidential) offers moved to another team. */
    keptRequests,
    offers: allOffers.filter((o) => o.teamId === teamId),
    otherOffers: allOffers.filter((o) => o.teamId !== teamId),
    candidates,
    candidateTotal,
    search,
  };
}

// ---------------------------------------------------------------------------------------------
// commands

function cleanName(name: string) {
  const clean = (name ?? "").trim();
  if (!clean) throw invalid("name", "Enter the team’s name");
  if (clean.length > TEAM_LIMITS.name)
    throw invalid("name", `The name must be ${TEAM_LIMITS.name} characters or fewer`);
  return clean;
}

async function assertTeamNameFree(tx: Tx, name: string, exceptId: number | null) {
  const [other] = await tx
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(and(sql`lower(${teams.name}) = lower(${name})`, exceptId === null ? undefined : ne(teams.id, exceptId)))
    .limit(1);
  if (other) throw invalid("name", `There is already a team called ${other.name}`);
}

/** The team row, checked against the version the administrator saw (conflict when stale). */
async function loadTeam(tx: Tx, teamId: number, expected: number) {
  const [team] = await tx
    .select({ id: teams.id, slug: teams.slug, name: teams.name, version: teams.version })
    .from(teams)
    .where(eq(teams.id, teamId));
  if (!team) throw new AdminError("not_found", "There is no such team");
  if (team.version !== expected) throw await conflictFor(tx, "team", teamId);
  return team;
}

async function memberEmails(tx: Tx, teamId: number): Promise<string[]> {
  const rows = await tx
    .select({ email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId));
  return rows.map((r) => r.email).sort();
}

async function offerSlugs(tx: Tx, teamId: number): Promise<string[]> {
  const rows = await tx
    .select({ slug: supportOffers.slug })
    .from(supportOffers)
    .where(eq(supportOffers.teamId, teamId));
  return rows.map((r) => r.slug).sort();
}

export async function createTeam(caller: CurrentUser, input: { name: string }, now = new Date()) {
  assertAdmin(caller);
  const name = cleanName(input.name);
  for (let attempt = 1; ; attempt++) {
    try {
      return await getDb().transaction(async (tx) => {
        await assertTeamNameFree(tx, name, null);
        const slug = await freeSlug(tx, teams, slugFromName(name) || "team");
        const [team] = await tx
          .insert(teams)
          .values({ slug, name, createdAt: now, updatedAt: now })
          .returning({ id: teams.id });
        await recordAdminChange(
          tx,
          caller,
          {
            entity: "team",
            entityId: team.id,
            action: "created",
            summary: `Created team ${name}`,
            before: null,
            after: { name, slug },
          },
          now,
        );
        return { id: team.id, slug };
      });
    } catch (err) {
      // Two teams made at once with names giving the same slug: the second tries the next slug.
      if (isUniqueViolation(err) && attempt < 3) continue;
      throw err;
    }
  }
}

/** Renames a team; its slug stays. `changed` is false when the name was already that. */
export async function renameTeam(
  caller: CurrentUser,
  teamIdInput: unknown,
  input: { name: string; version: number },
  now = new Date(),
) {
  assertAdmin(caller);
  const teamId = parseId(teamIdInput, "team");
  const name = cleanName(input.name);
  return getDb().transaction(async (tx) => {
    const team = await loadTeam(tx, teamId, input.version);
    if (team.name === name) return { changed: false as const, name };
    await assertTeamNameFree(tx, name, teamId);
    await updateVersioned(tx, teams, teamId, input.version, { name }, "team", now);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "team",
        entityId: teamId,
        action: "updated",
        summary: `Renamed team ${team.name} to ${name}`,
        before: { name: team.name },
        after: { name },
      },
      now,
    );
    return { changed: true as const, name };
  });
}

/**
 * Sets (or clears, with null) the address that is also sent the team's mail about urgent,
 * safety-check and at-risk requests. Audited like a rename. `changed` is false when it was already that.
 */
export async function setTeamUrgentContact(
  caller: CurrentUser,
  teamIdInput: unknown,
  input: { urgentContactEmail: string | null; version: number },
  now = new Date(),
) {
  assertAdmin(caller);
  const teamId = parseId(teamIdInput, "team");
  const email = input.urgentContactEmail;
  return getDb().transaction(async (tx) => {
    const team = await loadTeam(tx, teamId, input.version);
    const [current] = await tx.select({ email: teams.urgentContactEmail }).from(teams).where(eq(teams.id, teamId));
    if ((current?.email ?? null) === email) return { changed: false as const };
    await updateVersioned(tx, teams, teamId, input.version, { urgentContactEmail: email }, "team", now);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "team",
        entityId: teamId,
        action: "updated",
        summary: email
          ? `Set the urgent-contact email of team ${team.name}`
          : `Removed the urgent-contact email of team ${team.name}`,
        before: { urgentContactEmail: current?.email ?? null },
        after: { urgentContactEmail: email },
      },
      now,
    );
    return { changed: true as const };
  });
}

export async function addTeamMember(
  caller: CurrentUser,
  teamIdInput: unknown,
  input: { userId: string; version: number },
  now = new Date(),
) {
  assertAdmin(caller);
  const teamId = parseId(teamIdInput, "team");
  return getDb().transaction(async (tx) => {
    const team = await loadTeam(tx, teamId, input.version);
    const [person] = await tx
      .select({ id: users.id, name: users.name, email: users.email, role: users.role, disabledAt: users.disabledAt })
      .from(users)
      .where(eq(users.id, (input.userId ?? "").trim()))
      // Shares the row lock a role change takes: no one is added while being demoted to staff.
      .for("share");
    if (!person) throw invalid("userId", "Choose someone from the list");
    // Team membership opens the team's sensitive requests: a second administrator decides that.
    if (person.id === caller.id)
      throw invalid("userId", "You cannot add yourself to a team: ask another administrator to add you");
    if (person.disabledAt)
      throw invalid("userId", `${person.name}’s account is disabled: re-enable it on the People page first`);
    if (!mayJoinHubTeam(person.role)) {
      throw invalid(
        "userId",
        `${person.name} is ${ROLE_WORDS[person.role]}: only coordinators and administrators can be in a hub team. Change their role on the People page first`,
      );
    }
    const before = await memberEmails(tx, teamId);
    if (before.includes(person.email)) throw invalid("userId", `${person.name} is already in this team`);
    if (await teamHoldsConfidential(tx, teamId)) {
      // Confidential requests would open to them: a second administrator approves it in /admin.
      await proposeChange(
        tx,
        caller,
        {
          kind: "team_member",
          teamId,
          userId: person.id,
          targetVersion: team.version,
          summary: `Add ${person.name} (${person.email}) to team ${team.name}`,
          change: {
            details: [
              {
                label: "Members",
                before: before.length ? before.join(", ") : "Nobody",
                after: [...before, person.email].sort().join(", "),
              },
              {
                label: "Confidential requests",
                before: "Not open to them",
                after: `Open to them (team ${team.name} handles confidential support)`,
              },
            ],
          },
        },
        now,
      );
      return { name: person.name, proposed: true as const };
    }
    await updateVersioned(tx, teams, teamId, input.version, {}, "team", now);
    await tx.insert(teamMembers).values({ teamId, userId: person.id, createdAt: now });
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "team",
        entityId: teamId,
        action: "members_changed",
        summary: `Added ${person.name} (${person.email}) to team ${team.name}`,
        before: { members: before },
        after: { members: [...before, person.email].sort() },
      },
      now,
    );
    return { name: person.name, proposed: false as const };
  });
}

/**
 * Removes a member. The open requests of this team's offers they were looking after are
 * unassigned (they could no longer open them); `unassigned` says how many.
 */
export async function removeTeamMember(
  caller: CurrentUser,
  teamIdInput: unknown,
  input: { userId: string; version: number },
  now = new Date(),
) {
  assertAdmin(caller);
  const teamId = parseId(teamIdInput, "team");
  return getDb().transaction(async (tx) => {
    const team = await loadTeam(tx, teamId, input.version);
    const [member] = await tx
      .select({ id: users.id, name: users.name, email: users.email })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, (input.userId ?? "").trim())));
    if (!member) throw invalid("userId", "That person is not in this team");
    const before = await memberEmails(tx, teamId);
    await updateVersioned(tx, teams, teamId, input.version, {}, "team", now);
    await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, member.id)));
    const unassigned = await unassignOpenRequests(
      tx,
      caller,
      and(
        eq(supportRequests.assigneeId, member.id),
        handledByTeams(() => [teamId]),
      )!,
      "removed_from_team",
      now,
    );
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "team",
        entityId: teamId,
        action: "members_changed",
        summary:
          `Removed ${member.name} (${member.email}) from team ${team.name}` +
          (unassigned ? `; ${plural(unassigned, "open request")} they were looking after unassigned` : ""),
        before: { members: before },
        after: { members: before.filter((e) => e !== member.email) },
      },
      now,
    );
    return { name: member.name, unassigned };
  });
}

/**
 * Takes someone out of every team they are in (inside the caller's transaction): they lost hub work
 * (a role without `hub:work`) or their account was disabled. Each team's version is bumped and each
 * gets a members_changed entry, as when a member is removed by hand; their open requests must
 * already have been unassigned. Getting the role (or the account) back opens no team again: adding
 * them back to a team that holds confidential support is a proposal. Returns the team names.
 */
export async function removeFromEveryTeam(
  tx: Tx,
  caller: CurrentUser,
  person: { id: string; name: string; email: string },
  because: string,
  now: Date,
): Promise<string[]> {
  const rows = await tx
    .select({ id: teams.id, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, person.id))
    .orderBy(asc(teams.id))
    .for("update", { of: teams });
  for (const team of rows) {
    const before = await memberEmails(tx, team.id);
    await tx
      .update(teams)
      .set({ version: sql`${teams.version} + 1`, updatedAt: now })
      .where(eq(teams.id, team.id));
    await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, person.id)));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "team",
        entityId: team.id,
        action: "members_changed",
        summary: `Removed ${person.name} (${person.email}) from team ${team.name}: ${because}`,
        before: { members: before },
        after: { members: before.filter((e) => e !== person.email) },
      },
      now,
    );
  }
  return rows.map((r) => r.name);
}

/**
 * Moves offers to this team from whichever team had them. The previous teams' versions are bumped
 * and each gets an offers_changed entry; each offer's version is bumped (an open edit of the offer
 * then meets a conflict instead of moving it back) with a team_changed entry.
 */
export async function moveOffersToTeam(
  caller: CurrentUser,
  teamIdInput: unknown,
  input: { offerIds: number[]; version: number },
  now = new Date(),
) {
  assertAdmin(caller);
  const teamId = parseId(teamIdInput, "team");
  const ids = [...new Set(input.offerIds)].filter((id) => Number.isInteger(id) && id > 0);
  if (ids.length === 0) throw invalid("offerIds", "Choose at least one offer to move to this team");
  return getDb().transaction(async (tx) => {
    const team = await loadTeam(tx, teamId, input.version);
    const found = await tx
      .select({
        id: supportOffers.id,
        slug: supportOffers.slug,
        title: supportOffers.title,
        sensitive: supportOffers.sensitive,
        teamId: supportOffers.teamId,
        teamName: teams.name,
      })
      .from(supportOffers)
      .innerJoin(teams, eq(teams.id, supportOffers.teamId))
      .where(inArray(supportOffers.id, ids))
      .orderBy(asc(supportOffers.title))
      .for("update", { of: supportOffers });
    if (found.length !== ids.length) throw invalid("offerIds", "Choose offers from the list");
    const notHere = found.filter((o) => o.teamId !== teamId);
    if (notHere.length === 0) {
      throw invalid(
        "offerIds",
        found.length === 1 ? "This team already handles that offer" : "This team already handles those offers",
      );
    }
    // A confidential offer's move is proposed (a second administrator approves it in /admin).
    // Proposed last: it records this team's version, which moving the ordinary offers bumps.
    const proposeConfidentialMoves = async () => {
      const proposed: string[] = [];
      for (const offer of notHere.filter((o) => o.sensitive)) {
        const [row] = await tx.select().from(supportOffers).where(eq(supportOffers.id, offer.id));
        await proposeOfferChange(tx, caller, row!, { teamId, untick: false }, row!.version, now);
        proposed.push(offer.title);
      }
      return proposed;
    };
    const moving = notHere.filter((o) => !o.sensitive);
    if (moving.length === 0)
      return { moved: [] as string[], proposed: await proposeConfidentialMoves(), unassigned: 0 };

    const before = await offerSlugs(tx, teamId);
    await updateVersioned(tx, teams, teamId, input.version, {}, "team", now);
    const movingIds = moving.map((o) => o.id);
    await tx
      .update(supportOffers)
      .set({ teamId, version: sql`${supportOffers.version} + 1`, updatedAt: now })
      .where(inArray(supportOffers.id, movingIds));

    const previousTeams = new Map<number, { name: string; offers: typeof moving }>();
    for (const offer of moving) {
      const entry = previousTeams.get(offer.teamId) ?? { name: offer.teamName, offers: [] };
      entry.offers.push(offer);
      previousTeams.set(offer.teamId, entry);
    }
    for (const [previousId, previous] of previousTeams) {
      const remaining = await offerSlugs(tx, previousId);
      await tx
        .update(teams)
        .set({ version: sql`${teams.version} + 1`, updatedAt: now })
        .where(eq(teams.id, previousId));
      await recordAdminChange(
        tx,
        caller,
        {
          entity: "team",
          entityId: previousId,
          action: "offers_changed",
          summary: `Moved ${listWords(previous.offers.map((o) => o.title))} from team ${previous.name} to team ${team.name}`,
          before: { offers: [...remaining, ...previous.offers.map((o) => o.slug)].sort() },
          after: { offers: remaining },
        },
        now,
      );
    }
    for (const offer of moving) {
      await recordAdminChange(
        tx,
        caller,
        {
          entity: "offer",
          entityId: offer.id,
          action: "team_changed",
          summary: `Moved ${offer.title} from team ${offer.teamName} to team ${team.name}`,
          before: { team: offer.teamName },
          after: { team: team.name },
        },
        now,
      );
    }

    // Their requests follow them (requests kept by a team stay there): each person's access log
    // says an administrator moved theirs. Open ones looked after by someone outside this team go
    // back to the queue.
    await recordAdminAccessWhere(
      tx,
      caller,
      and(inArray(supportRequests.offerId, movingIds), isNull(supportRequests.pinnedTeamId))!,
      "transferred",
      now,
    );
    const unassigned = await unassignOpenRequests(
      tx,
      caller,
      and(
        inArray(supportRequests.offerId, movingIds),
        isNull(supportRequests.pinnedTeamId),
        notInArray(
          supportRequests.assigneeId,
          tx.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, teamId)),
        ),
      )!,
      "offer_moved_team",
      now,
    );

    const after = await offerSlugs(tx, teamId);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "team",
        entityId: teamId,
        action: "offers_changed",
        summary:
          `Moved ${listWords(moving.map((o) => o.title))} to team ${team.name} from ${listWords([...previousTeams.values()].map((p) => p.name))}` +
          (unassigned ? `; ${plural(unassigned, "open request")} looked after outside the team unassigned` : ""),
        before: { offers: before },
        after: { offers: after },
      },
      now,
    );
    return { moved: moving.map((o) => o.title), proposed: await proposeConfidentialMoves(), unassigned };
  });
}
