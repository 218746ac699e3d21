// People administration: find accounts, look at one, change its role (and a manager's scope),
// disable it (ending its sessions at once) and re-enable it. Never reads requests.
//
// Search: name or email CONTAINING the text (case-insensitive), 50 a page by offset, ordered by
// lower(name), id. No index serves a '%text%' match (that needs the pg_trgm extension, which we do
// not add), and a prefix match would not use one either without a migration (the database
// collation is not "C", so LIKE 'x%' cannot use the plain btree on email). So the search is one
// sequential scan of users with a top-N sort: measured 60–300 ms on PostgreSQL with 200 000
// accounts on a busy 2-core machine (a trigram or text_pattern_ops index would need a migration).
// The total is a window count over the same scan.
//
// The last administrator: every command that could reduce the number of active administrators
// (and every other command, for simplicity) first locks all active administrator rows, in id
// order, with SELECT … FOR UPDATE. Two administrators demoting or disabling each other at the
// same moment therefore run one after the other: the second sees the first's change (under READ
// COMMITTED a locked row that no longer matches is dropped from the result) and is refused — it
// is no longer an administrator, or would leave none.
//
// Losing the hub: a coordinator or administrator who becomes staff or a manager, or whose account
// is disabled, can no longer open hub requests, so the open requests they were looking after are
// unassigned in the same transaction (an internal "Unassigned" entry by the administrator on each,
// as app/.server/models/admin/teams.server.ts does when someone leaves a team), and they are taken
// out of every team (audited on each team): getting the role or the account back re-opens nothing.
//
// Giving the administrator role is a proposal (ADR 009): a second administrator approves it in
// /admin. Taking it away narrows access and stays a single administrator's change.
import { and, asc, count, eq, ilike, inArray, isNotNull, isNull, like, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@db/current";
import { organisations, sessions, supportRequests, teamMembers, teams, users, type UserRole } from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import { ALL_ROLES, mayJoinHubTeam, roleMay, rolesThatMay } from "../../permissions.server";
import { ICS_SCOPE, PEOPLE_PAGE_SIZE, ROLE_NAMES, ROLE_WORDS, type PeopleSearch } from "~/schemas/admin-people";
import {
  AdminError,
  assertAdmin,
  changedFields,
  conflictFor,
  expectedVersion,
  invalid,
  recordAdminChange,
  unassignOpenRequests,
  updateVersioned,
  type Tx,
} from "./common.server";
import { proposeAdminRole } from "./proposals.server";
import { removeFromEveryTeam } from "./teams.server";
import { hasControlCharacters } from "~/schemas/text";

export interface PersonRow {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  organisationName: string;
  /** Chosen by the person (a shared domain such as nhs.net), not yet confirmed by an administrator. */
  organisationSelfDeclared: boolean;
  /** Managers: the organisation whose figures they see; null = whole ICS (or not a manager). */
  managesOrganisationName: string | null;
  disabled: boolean;
  verified: boolean;
  isDemo: boolean;
}

export interface PeopleSearchResult {
  people: PersonRow[];
  page: number;
  hasNextPage: boolean;
  /** How many people match (all pages). */
  total: number;
  organisations: { slug: string; name: string }[];
  /** Filter values that were not recognised (the filter was not applied). */
  errors: { field: "organisation"; message: string }[];
}

/** `%text%` for LIKE, with the wildcards the person typed taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const managedOrg = alias(organisations, "managed_organisation");

export async function searchPeople(caller: CurrentUser, filters: PeopleSearch): Promise<PeopleSearchResult> {
  assertAdmin(caller);
  const db = getDb();
  const organisationRows = await db
    .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
    .from(organisations)
    .orderBy(asc(organisations.name));

  const errors: PeopleSearchResult["errors"] = [];
  const conditions: SQL[] = [];
  if (filters.q) {
    const pattern = containsPattern(filters.q);
    conditions.push(or(like(users.email, pattern.toLowerCase()), ilike(users.name, pattern))!);
  }
  if (filters.role) conditions.push(eq(users.role, filters.role));
  if (filters.organisation) {
    const org = organisationRows.find((o) => o.slug === filters.organisation);
    if (org) conditions.push(eq(users.organisationId, org.id));
    else errors.push({ field: "organisation", message: "Choose an organisation from the list" });
  }
  if (!filters.demo) conditions.push(eq(users.isDemo, false));
  const where = conditions.length ? and(...conditions) : undefined;

  const page = filters.page ?? 1;
  // The total comes from the same scan as the page (a window count), so a search reads users once.
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      organisationName: organisations.name,
      organisationSelfDeclared: sql<boolean>`(${users.organisationSelfDeclared} and ${users.erasedAt} is null)`,
      managesOrganisationName: managedOrg.name,
      disabledAt: users.disabledAt,
      emailVerifiedAt: users.emailVerifiedAt,
      isDemo: users.isDemo,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .leftJoin(managedOrg, eq(managedOrg.id, users.managesOrganisationId))
    .where(where)
    .orderBy(sql`lower(${users.name})`, asc(users.id))
    .limit(PEOPLE_PAGE_SIZE + 1)
    .offset((page - 1) * PEOPLE_PAGE_SIZE);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page > 1) {
    // Past the last page: count on its own so the page can say how many there are.
    const [{ n }] = await db.select({ n: count() }).from(users).where(where);
    total = Number(n);
  }

  return {
    people: rows.slice(0, PEOPLE_PAGE_SIZE).map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      role: r.role,
      organisationName: r.organisationName,
      organisationSelfDeclared: r.organisationSelfDeclared,
      managesOrganisationName: roleMay(r.role, "insights:read") ? r.managesOrganisationName : null,
      disabled: r.disabledAt !== null,
      verified: r.emailVerifiedAt !== null,
      isDemo: r.isDemo,
    })),
    page,
    hasNextPage: rows.length > PEOPLE_PAGE_SIZE,
    total,
    organisations: organisationRows.map(({ slug, name }) => ({ slug, name })),
    errors,
  };
}

export interface PersonView {
  id: string;
  name: string;
  email: string;
  organisation: { id: number; slug: string; name: string };
  /** Chosen by the person (a shared domain such as nhs.net), not yet confirmed by an administrator. */
  organisationSelfDeclared: boolean;
  role: UserRole;
  /** For managers: null = the whole ICS. Null for everyone else. */
  managesOrganisation: { id: number; slug: string; name: string } | null;
  disabledAt: Date | null;
  /** When the account was erased (app/.server/models/anonymise.server.ts): nothing about the person is left. */
  erasedAt: Date | null;
  emailVerifiedAt: Date | null;
  /** Kept from the retention schedule's disabled-accounts rule (ADR 031). */
  retentionHold: boolean;
  isDemo: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  teams: string[];
  /** Whether their role lets team membership give them the people hub. */
  mayWorkInHub: boolean;
  isSelf: boolean;
  /** An active administrator and the only one: cannot lose the role or be disabled. */
  isLastActiveAdmin: boolean;
  /** Every organisation, for the manager scope choice. */
  organisationOptions: { id: number; name: string }[];
}

/** One account as the admin page shows it (no requests, nothing they wrote). Throws not_found. */
export async function getPerson(caller: CurrentUser, userId: string): Promise<PersonView> {
  assertAdmin(caller);
  // A key with a control character names nothing (and PostgreSQL refuses a NUL): not found.
  if (hasControlCharacters(userId)) throw new AdminError("not_found", "No such account");
  const db = getDb();
  const [row] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      disabledAt: users.disabledAt,
      erasedAt: users.erasedAt,
      emailVerifiedAt: users.emailVerifiedAt,
      retentionHold: users.retentionHold,
      isDemo: users.isDemo,
      version: users.version,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
      orgId: organisations.id,
      orgSlug: organisations.slug,
      orgName: organisations.name,
      organisationSelfDeclared: sql<boolean>`(${users.organisationSelfDeclared} and ${users.erasedAt} is null)`,
      managedId: managedOrg.id,
      managedSlug: managedOrg.slug,
      managedName: managedOrg.name,
    })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .leftJoin(managedOrg, eq(managedOrg.id, users.managesOrganisationId))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) throw new AdminError("not_found", "No such account");

  const [teamRows, admins, organisationOptions] = await Promise.all([
    db
      .select({ name: teams.name })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teamMembers.userId, userId))
      .orderBy(asc(teams.name)),
    db.select({ id: users.id }).from(users).where(activeAdmin()),
    db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name)),
  ]);
  const isActiveAdmin = admins.some((a) => a.id === row.id);
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    organisation: { id: row.orgId, slug: row.orgSlug, name: row.orgName },
    organisationSelfDeclared: row.organisationSelfDeclared,
    role: row.role,
    managesOrganisation:
      roleMay(row.role, "insights:read") && row.managedId !== null
        ? { id: row.managedId, slug: row.managedSlug!, name: row.managedName! }
        : null,
    disabledAt: row.disabledAt,
    erasedAt: row.erasedAt,
    emailVerifiedAt: row.emailVerifiedAt,
    retentionHold: row.retentionHold,
    isDemo: row.isDemo,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    teams: teamRows.map((t) => t.name),
    /** Whether their role lets team membership give them the people hub. */
    mayWorkInHub: mayJoinHubTeam(row.role),
    isSelf: row.id === caller.id,
    isLastActiveAdmin: isActiveAdmin && admins.length === 1,
    organisationOptions,
  };
}

// ---------------------------------------------------------------------------------------------
// commands

/** An administrator who can sign in: not disabled, email verified. */
function activeAdmin(): SQL {
  return and(
    inArray(users.role, rolesThatMay("admin:manage")),
    isNull(users.disabledAt),
    isNotNull(users.emailVerifiedAt),
  )!;
}

/**
 * Locks every active administrator row (id order, so two commands never deadlock) and returns
 * their ids; refuses a caller who is no longer one of them (demoted or disabled meanwhile).
 */
async function lockActiveAdmins(tx: Tx, caller: CurrentUser): Promise<string[]> {
  const rows = await tx.select({ id: users.id }).from(users).where(activeAdmin()).orderBy(asc(users.id)).for("update");
  const ids = rows.map((r) => r.id);
  if (!ids.includes(caller.id)) throw new AdminError("forbidden", "You are no longer an administrator.");
  return ids;
}

async function lockTarget(tx: Tx, userId: string) {
  const [row] = await tx
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      managesOrganisationId: users.managesOrganisationId,
      disabledAt: users.disabledAt,
      retentionHold: users.retentionHold,
      erasedAt: users.erasedAt,
      version: users.version,
    })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!row) throw new AdminError("not_found", "No such account");
  return row;
}

/** Unassigns the open requests `userId` was looking after; returns how many. Reads no content. */
function unassignOpenRequestsOf(
  tx: Tx,
  caller: CurrentUser,
  userId: string,
  reason: string,
  now: Date,
): Promise<number> {
  return unassignOpenRequests(tx, caller, eq(supportRequests.assigneeId, userId), reason, now);
}

function leftTeamsNote(names: string[]) {
  return names.length ? `; taken out of ${names.length === 1 ? "team" : "teams"} ${names.join(", ")}` : "";
}

function unassignedNote(n: number) {
  return n ? `; ${n} open ${n === 1 ? "request" : "requests"} they were looking after unassigned` : "";
}

async function scopeLabel(tx: Tx, role: UserRole, organisationId: number | null): Promise<string | null> {
  if (!roleMay(role, "insights:read")) return null;
  if (organisationId === null) return "ICS";
  const [org] = await tx
    .select({ slug: organisations.slug })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return org?.slug ?? String(organisationId);
}

function describeRole(role: UserRole, scope: string | null, scopeName: string | null) {
  const name = ROLE_NAMES[role].toLowerCase();
  if (!roleMay(role, "insights:read")) return name;
  return scope === "ICS" ? `${name} (whole ICS)` : `${name} (${scopeName ?? scope})`;
}

export interface ChangeRoleInput {
  role: UserRole;
  /** "ics" or an organisation id (as typed in the form); used only when role is manager. */
  managesOrganisation?: string;
  version: unknown;
}

export interface ChangeRoleResult {
  changed: boolean;
  /** Giving the administrator role: proposed, a second administrator approves it in /admin. */
  proposed?: boolean;
  /** The caller took their own administrator role away (they can no longer see /admin). */
  leftAdmin: boolean;
  /** Open requests they were looking after that were unassigned (they lost the hub). */
  unassigned?: number;
  /** Teams they were taken out of (they lost the hub). */
  leftTeams?: string[];
}

/**
 * Sets a person's role (and, for a manager, the organisation whose figures they see; cleared for
 * every other role). Refuses to leave no active administrator. Audited as role_changed with the
 * changed fields of { role, managesOrganisation: slug | "ICS" | null }.
 */
export async function changeRole(
  caller: CurrentUser,
  userId: string,
  input: ChangeRoleInput,
  now = new Date(),
): Promise<ChangeRoleResult> {
  assertAdmin(caller);
  const expected = expectedVersion(input.version);
  return getDb().transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, caller);
    const target = await lockTarget(tx, userId);
    if (target.version !== expected) throw await conflictFor(tx, "user", userId);

    let managesOrganisationId: number | null = null;
    let scopeName: string | null = null;
    if (roleMay(input.role, "insights:read")) {
      const scope = input.managesOrganisation;
      if (!scope) throw invalid("managesOrganisation", "Choose whether they see the whole ICS or one organisation");
      if (scope !== ICS_SCOPE) {
        const [org] = await tx
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(eq(organisations.id, Number(scope)));
        if (!org) throw invalid("managesOrganisation", "Choose an organisation from the list");
        managesOrganisationId = org.id;
        scopeName = org.name;
      }
    }

    // A second administrator account would let one person approve their own proposals: giving the
    // role is itself a proposal (ADR 009). Taking it away narrows access and stays one person's call.
    if (roleMay(input.role, "admin:manage") && !roleMay(target.role, "admin:manage")) {
      if (target.disabledAt !== null)
        throw invalid(
          "role",
          `${target.name}'s account is disabled: re-enable it before proposing them as an administrator`,
        );
      await proposeAdminRole(tx, caller, { ...target, role: target.role }, now);
      return { changed: false, proposed: true, leftAdmin: false };
    }

    const wasActiveAdmin = admins.includes(target.id);
    if (wasActiveAdmin && !roleMay(input.role, "admin:manage") && admins.length === 1) {
      throw invalid(
        "role",
        target.id === caller.id
          ? "You are the only active administrator. Make someone else an administrator before you change your own role."
          : `${target.name} is the only active administrator. Make someone else an administrator first.`,
      );
    }

    const before = {
      role: target.role,
      managesOrganisation: await scopeLabel(tx, target.role, target.managesOrganisationId),
    };
    const after = { role: input.role, managesOrganisation: await scopeLabel(tx, input.role, managesOrganisationId) };
    const diff = changedFields(before, after);
    if (!diff.changed) return { changed: false, leftAdmin: false };

    // The stored scope is cleared for every role but manager.
    // Only an approved proposal gives the administrator role (above), so here it is kept or lost.
    const adminSince = roleMay(input.role, "admin:manage") ? {} : { adminSince: null };
    await updateVersioned(
      tx,
      users,
      userId,
      expected,
      { role: input.role, managesOrganisationId, ...adminSince },
      "user",
      now,
    );
    const losesHub = mayJoinHubTeam(before.role) && !mayJoinHubTeam(after.role);
    const unassigned = losesHub ? await unassignOpenRequestsOf(tx, caller, userId, "role_changed", now) : 0;
    // No membership is left behind to open a (confidential) team again if the role comes back.
    const leftTeams = losesHub
      ? await removeFromEveryTeam(
          tx,
          caller,
          target,
          `they are now ${ROLE_WORDS[after.role]}, who cannot work in the people hub`,
          now,
        )
      : [];
    const beforeText = describeRole(
      before.role,
      before.managesOrganisation,
      await orgName(tx, target.managesOrganisationId),
    );
    const afterText = describeRole(after.role, after.managesOrganisation, scopeName);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "user",
        entityId: userId,
        action: "role_changed",
        summary: `Changed ${target.name} from ${beforeText} to ${afterText}${unassignedNote(unassigned)}${leftTeamsNote(leftTeams)}`,
        before: diff.before,
        after: diff.after,
      },
      now,
    );
    return {
      changed: true,
      leftAdmin: target.id === caller.id && !roleMay(input.role, "admin:manage"),
      unassigned,
      leftTeams,
    };
  });
}

async function orgName(tx: Tx, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id));
  return org?.name ?? null;
}

/**
 * Disables an account and deletes all its sessions in the same transaction, so the person is
 * signed out at once (their next request finds no session). Not oneself; never the last active
 * administrator. Audited as disabled. Returns how many sessions were ended.
 */
export async function disableAccount(
  caller: CurrentUser,
  userId: string,
  input: { version: unknown },
  now = new Date(),
) {
  assertAdmin(caller);
  const expected = expectedVersion(input.version);
  if (userId === caller.id)
    throw new AdminError("invalid", "You cannot disable your own account. Ask another administrator.");
  return getDb().transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, caller);
    const target = await lockTarget(tx, userId);
    if (target.version !== expected) throw await conflictFor(tx, "user", userId);
    if (target.disabledAt !== null) throw new AdminError("invalid", `${target.name}'s account is already disabled.`);
    if (admins.includes(target.id) && admins.length === 1) {
      throw new AdminError(
        "invalid",
        `${target.name} is the only active administrator, so their account cannot be disabled.`,
      );
    }
    await updateVersioned(tx, users, userId, expected, { disabledAt: now }, "user", now);
    const ended = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
    const n = ended.length;
    const unassigned = await unassignOpenRequestsOf(tx, caller, userId, "account_disabled", now);
    // Re-enabling the account later opens no team again (adding them back may need a second administrator).
    const leftTeams = await removeFromEveryTeam(tx, caller, target, "their account was disabled", now);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "user",
        entityId: userId,
        action: "disabled",
        summary: `Disabled ${target.name}'s account${
          n ? ` and signed them out (${n} ${n === 1 ? "session" : "sessions"} ended)` : " (they were not signed in)"
        }${unassignedNote(unassigned)}${leftTeamsNote(leftTeams)}`,
        before: { status: "active" },
        after: { status: "disabled" },
      },
      now,
    );
    return { sessionsEnded: n, unassigned, leftTeams };
  });
}

/** Re-enables a disabled account (they can sign in again). Audited as enabled. */
export async function enableAccount(
  caller: CurrentUser,
  userId: string,
  input: { version: unknown },
  now = new Date(),
) {
  assertAdmin(caller);
  const expected = expectedVersion(input.version);
  await getDb().transaction(async (tx) => {
    await lockActiveAdmins(tx, caller);
    const target = await lockTarget(tx, userId);
    if (target.version !== expected) throw await conflictFor(tx, "user", userId);
    if (target.disabledAt === null) throw new AdminError("invalid", `${target.name}'s account is not disabled.`);
    const [erased] = await tx
      .select({ erasedAt: users.erasedAt })
      .from(users)
      .where(and(eq(users.id, userId), isNotNull(users.erasedAt)));
    if (erased) throw new AdminError("invalid", "This account was deleted: it cannot be re-enabled.");
    await updateVersioned(tx, users, userId, expected, { disabledAt: null }, "user", now);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "user",
        entityId: userId,
        action: "enabled",
        summary: `Re-enabled ${target.name}'s account`,
        before: { status: "disabled" },
        after: { status: "active" },
      },
      now,
    );
  });
}

/**
 * Puts an account on hold from the retention schedule (ADR 031: a disabled account on hold is not
 * anonymised after 24 months, e.g. while a complaint or legal matter is open), or releases it.
 * Versioned like every change to an account and audited (retention_hold / retention_released).
 * Refused for an account already anonymised (nothing is left to keep). Returns whether it changed.
 */
export async function setRetentionHold(
  caller: CurrentUser,
  userId: string,
  input: { version: unknown; hold: boolean },
  now = new Date(),
): Promise<boolean> {
  assertAdmin(caller);
  const expected = expectedVersion(input.version);
  return getDb().transaction(async (tx) => {
    const target = await lockTarget(tx, userId);
    if (target.version !== expected) throw await conflictFor(tx, "user", userId);
    if (target.erasedAt !== null)
      throw new AdminError("invalid", "This account has already been anonymised: there is nothing left to keep.");
    if (target.retentionHold === input.hold) return false;
    await updateVersioned(tx, users, userId, expected, { retentionHold: input.hold }, "user", now);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "user",
        entityId: userId,
        action: input.hold ? "retention_hold" : "retention_released",
        summary: input.hold
          ? `Put ${target.name}'s account on hold from the retention schedule`
          : `Released ${target.name}'s account from its retention hold`,
        before: { retentionHold: target.retentionHold },
        after: { retentionHold: input.hold },
      },
      now,
    );
    return true;
  });
}

/** How many accounts hold each role (the admin overview). Generated demo staff are counted apart. */
export async function countAccountsByRole(caller: CurrentUser) {
  assertAdmin(caller);
  const rows = await getDb()
    .select({
      role: users.role,
      active: sql<number>`count(*) filter (where not ${users.isDemo} and ${users.disabledAt} is null)`.mapWith(Number),
      disabled: sql<number>`count(*) filter (where not ${users.isDemo} and ${users.disabledAt} is not null)`.mapWith(
        Number,
      ),
      demo: sql<number>`count(*) filter (where ${users.isDemo})`.mapWith(Number),
    })
    .from(users)
    .groupBy(users.role);
  const byRole = new Map(rows.map((r) => [r.role, r]));
  return ALL_ROLES.map((role) => ({
    role,
    active: byRole.get(role)?.active ?? 0,
    disabled: byRole.get(role)?.disabled ?? 0,
    demo: byRole.get(role)?.demo ?? 0,
  }));
}

/** For tests and the overview: ids of the accounts that could sign in as administrators. */
export async function activeAdminIds(caller: CurrentUser): Promise<string[]> {
  assertAdmin(caller);
  const rows = await getDb().select({ id: users.id }).from(users).where(activeAdmin()).orderBy(asc(users.id));
  return rows.map((r) => r.id);
}
