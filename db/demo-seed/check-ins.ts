// Demo first-year check-ins (issue 14 part 1, ADR 039): generated new starters (who cannot sign in)
// with start dates over the last year, and their check-ins at the points that have fallen due, most
// answered, so /insights/first-year has figures. Once per database (none are added when any demo
// check-in exists). Requests are not made for them: the demo requests already fill the queues.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Tx } from "../client";
import { checkInPoints, checkIns, users } from "../schema";
import { FIRST_NAMES, LAST_NAMES } from "../seed-data/names";
import { BATCH, chunks, DAY, emailPart, isoDate, Rng } from "./common";

const STAFF_GROUPS = [
  ["nursing_midwifery", 30],
  ["support_worker", 20],
  ["allied_health", 12],
  ["medical_dental", 8],
  ["admin_estates", 12],
  ["social_care", 12],
  ["scientific_technical", 6],
] as const;

const NEW_STARTERS = 160;

function addToDate(iso: string, amount: number, unit: "weeks" | "months"): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  if (unit === "weeks") return isoDate(Date.UTC(y, m - 1, d) + amount * 7 * DAY);
  // A month after 31 January is the end of February, as PostgreSQL's date + interval.
  const last = new Date(Date.UTC(y, m - 1 + amount + 1, 0)).getUTCDate();
  return isoDate(Date.UTC(y, m - 1 + amount, Math.min(d, last)));
}

export async function insertDemoCheckIns(
  tx: Tx,
  input: { now: Date; seed: number; orgs: { id: number; domain: string }[] },
): Promise<number> {
  const [already] = await tx
    .select({ id: checkIns.id })
    .from(checkIns)
    .innerJoin(users, eq(users.id, checkIns.userId))
    .where(eq(users.isDemo, true))
    .limit(1);
  if (already) return 0;
  // The default points (the migration adds them; a database emptied by tests has none).
  await tx
    .insert(checkInPoints)
    .values([
      { amount: 4, unit: "weeks" as const },
      { amount: 3, unit: "months" as const },
      { amount: 6, unit: "months" as const },
      { amount: 9, unit: "months" as const },
    ])
    .onConflictDoNothing();
  const points = await tx.select().from(checkInPoints).where(eq(checkInPoints.active, true));
  const rng = new Rng(input.seed);
  const today = isoDate(input.now.getTime());
  const people: (typeof users.$inferInsert)[] = [];
  const rows: (typeof checkIns.$inferInsert)[] = [];
  for (let i = 0; i < NEW_STARTERS; i++) {
    const org = rng.pick(input.orgs);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const startDate = isoDate(input.now.getTime() - rng.int(10, 360) * DAY);
    const id = randomUUID();
    const staffGroup = rng.weighted(STAFF_GROUPS);
    const createdAt = new Date(`${startDate}T09:00:00Z`);
    people.push({
      id,
      email: `${emailPart(first)}.${emailPart(last)}.${1_400_000 + i}@${org.domain}`,
      name: `${first} ${last}`,
      organisationId: org.id,
      staffGroup,
      startDate,
      role: "staff",
      passwordHash: "!", // can never verify
      emailVerifiedAt: createdAt,
      isDemo: true,
      createdAt,
      updatedAt: createdAt,
    });
    // How this person's year is going: most fine, some struggling (and more of those think of leaving).
    const mood = rng.weighted([
      [4, 5],
      [3, 3],
      [2, 1.5],
    ] as const);
    for (const p of points) {
      const dueOn = addToDate(startDate, p.amount, p.unit);
      if (dueOn > today) continue;
      const sentAt = new Date(`${dueOn}T08:00:00Z`);
      const expiresAt = new Date(sentAt.getTime() + 21 * DAY);
      const answered = expiresAt.getTime() < input.now.getTime() ? rng.chance(0.7) : rng.chance(0.4);
      const score = () => Math.max(1, Math.min(5, mood + rng.int(-1, 1)));
      const leaving =
        mood <= 2
          ? rng.weighted([
              ["yes", 3],
              ["sometimes", 4],
              ["no", 3],
            ] as const)
          : rng.weighted([
              ["yes", 0.5],
              ["sometimes", 2],
              ["no", 7.5],
            ] as const);
      rows.push({
        id: randomUUID().replace(/-/g, ""),
        userId: id,
        pointId: p.id,
        pointLabel: p.unit === "weeks" ? `${p.amount} weeks` : `${p.amount} ${p.amount === 1 ? "month" : "months"}`,
        pointDays: p.unit === "weeks" ? p.amount * 7 : p.amount * 30,
        dueOn,
        organisationId: org.id,
        staffGroup,
        sentAt,
        expiresAt,
        ...(answered
          ? {
              answeredAt: new Date(
                Math.min(sentAt.getTime() + rng.int(1, 20) * DAY, input.now.getTime() - 60 * 60_000),
              ),
              workScore: score(),
              supportedScore: score(),
              hasWhatNeeded: rng.weighted([
                ["yes", mood],
                ["partly", 2],
                ["no", 5 - mood],
              ] as const),
              thinkingOfLeaving: leaving,
              contactWanted: false,
            }
          : {}),
      });
    }
  }
  // An address already taken (an earlier demo) is skipped, with that person's check-ins.
  const inserted = new Set<string>();
  for (const batch of chunks(people, BATCH)) {
    const ids = await tx.insert(users).values(batch).onConflictDoNothing().returning({ id: users.id });
    for (const { id } of ids) inserted.add(id);
  }
  const kept = rows.filter((r) => inserted.has(r.userId));
  for (const batch of chunks(kept, BATCH)) await tx.insert(checkIns).values(batch).onConflictDoNothing();
  return kept.length;
}
