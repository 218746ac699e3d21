// The roles and skills reservists offer and needs ask for (issue 14 part 2): administrators add,
// retire and restore them at /admin/reservist-skills. Retiring keeps the skill on the profiles and
// needs that have it, but it is no longer offered on the forms. Every change is audited.
import { asc, eq, sql } from "drizzle-orm";
import { isUniqueViolation } from "@db/client";
import { getDb } from "@db/current";
import { reservistSkills } from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import { AdminError, assertAdmin, invalid, recordAdminChange } from "./common.server";

export interface SkillRow {
  id: number;
  label: string;
  retired: boolean;
  profiles: number;
}

export async function listReservistSkills(caller: CurrentUser): Promise<SkillRow[]> {
  assertAdmin(caller);
  const rows = await getDb()
    .select({
      id: reservistSkills.id,
      label: reservistSkills.label,
      retiredAt: reservistSkills.retiredAt,
      profiles: sql<number>`(select count(*)::int from reservist_skill_choices c where c.skill_id = ${reservistSkills.id})`,
    })
    .from(reservistSkills)
    .orderBy(asc(reservistSkills.label))
    .limit(500);
  return rows.map((r) => ({ id: r.id, label: r.label, retired: r.retiredAt !== null, profiles: Number(r.profiles) }));
}

function slugOf(label: string) {
  return (
    label
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "skill"
  );
}

export async function addReservistSkill(caller: CurrentUser, typed: string, now = new Date()): Promise<number> {
  assertAdmin(caller);
  const label = typed.replace(/\s+/g, " ").trim();
  try {
    return await getDb().transaction(async (tx) => {
      // The unique index compares exactly: "Vaccinator" and "VACCINATOR " would be two skills, and
      // a profile with one would never match a need asking for the other.
      const [same] = await tx
        .select({ id: reservistSkills.id })
        .from(reservistSkills)
        .where(sql`lower(regexp_replace(${reservistSkills.label}, ${"\\s+"}, ' ', 'g')) = lower(${label})`)
        .limit(1);
      if (same) throw invalid("label", "That role or skill is already on the list");
      const [row] = await tx
        .insert(reservistSkills)
        .values({ label, slug: `${slugOf(label)}-${now.getTime().toString(36)}`, createdAt: now })
        .returning({ id: reservistSkills.id });
      await recordAdminChange(
        tx,
        caller,
        {
          entity: "reservist_skill",
          entityId: row.id,
          action: "created",
          summary: `Added reservist role or skill ${label}`,
          after: { label },
        },
        now,
      );
      return row.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw invalid("label", "That role or skill is already on the list");
    throw err;
  }
}

export async function setReservistSkillRetired(
  caller: CurrentUser,
  skillId: number,
  retired: boolean,
  now = new Date(),
): Promise<void> {
  assertAdmin(caller);
  if (!Number.isSafeInteger(skillId) || skillId <= 0) throw new AdminError("not_found", "Not found.");
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(reservistSkills)
      .set({ retiredAt: retired ? now : null })
      .where(eq(reservistSkills.id, skillId))
      .returning({ label: reservistSkills.label });
    if (!row) throw new AdminError("not_found", "Not found.");
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "reservist_skill",
        entityId: skillId,
        action: retired ? "retired" : "restored",
        summary: `${retired ? "Retired" : "Restored"} reservist role or skill ${row.label}`,
      },
      now,
    );
  });
}
