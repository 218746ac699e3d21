// People hub teams (db/seed-data/teams.ts) and who is in them: inserted only when missing.
import { inArray, sql } from "drizzle-orm";
import type { Tx } from "../client";
import { teamMembers, teams, users } from "../schema";
import { SEED_TEAM_MEMBERSHIPS, SEED_TEAMS } from "../seed-data/teams";

/** Inserts the missing teams; returns every team's id by slug (offers are placed by it). */
export async function insertTeams(tx: Tx): Promise<{ teamIdBySlug: Map<string, number>; inserted: number }> {
  const newTeams = await tx
    .insert(teams)
    .values(SEED_TEAMS.map((t) => ({ slug: t.slug, name: t.name })))
    .onConflictDoNothing({ target: teams.slug })
    .returning({ id: teams.id });
  const teamRows = await tx.select({ id: teams.id, slug: teams.slug }).from(teams);
  return { teamIdBySlug: new Map(teamRows.map((t) => [t.slug, t.id])), inserted: newTeams.length };
}

/**
 * SEED_TEAM_MEMBERSHIPS for the accounts that exist and are in no team yet (one select, one insert).
 * An account already in some team was set up by an administrator (or an earlier seed): left alone.
 */
export async function insertTeamMemberships(tx: Tx, teamIdBySlug: Map<string, number>, now: Date): Promise<number> {
  const emails = Object.keys(SEED_TEAM_MEMBERSHIPS);
  if (emails.length === 0) return 0;
  const accounts = await tx
    .select({
      id: users.id,
      email: users.email,
      inATeam: sql<boolean>`exists (select 1 from team_members tm where tm.user_id = users.id)`,
    })
    .from(users)
    .where(inArray(users.email, emails));
  const values = accounts
    .filter((a) => !a.inATeam)
    .flatMap((a) =>
      (SEED_TEAM_MEMBERSHIPS[a.email] ?? []).flatMap((slug) => {
        const teamId = teamIdBySlug.get(slug);
        return teamId === undefined ? [] : [{ teamId, userId: a.id, createdAt: now }];
      }),
    );
  if (values.length === 0) return 0;
  const rows = await tx
    .insert(teamMembers)
    .values(values)
    .onConflictDoNothing()
    .returning({ userId: teamMembers.userId });
  return rows.length;
}
