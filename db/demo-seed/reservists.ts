// The reservist bank's demo data (issue 14 part 2, ADR 040): a few dozen reservists — first the
// generated staff who asked about retire and return in the demo requests, then other generated
// staff — and needs posted by the demo Reservist bank coordinator, some filled and some open.
// Once: only when no reservist exists yet. Deterministic (seeded PRNG).
import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "../client";
import {
  organisations,
  reservistInvitations,
  reservistNeeds,
  reservistNeedSkills,
  reservistPlaces,
  reservists,
  reservistSkillChoices,
  reservistSkills,
  supportOffers,
  supportRequests,
  users,
} from "../schema";
import { DAY, Rng } from "./common";

const SKILLS_BY_GROUP: Record<string, readonly string[]> = {
  nursing_midwifery: ["registered-nurse-adult", "vaccinator"],
  support_worker: ["healthcare-support-worker", "care-worker"],
  allied_health: ["physiotherapist"],
  social_care: ["social-worker", "care-worker"],
  admin_estates: ["administrator", "ward-clerk"],
  medical_dental: ["vaccinator"],
  scientific_technical: ["administrator"],
  other: ["administrator"],
};

const REGISTRATION_BY_GROUP: Record<string, [string, (n: number) => string] | undefined> = {
  nursing_midwifery: ["nmc", (n) => `${String((n % 90) + 10)}A${String(1000 + n).slice(-4)}E`],
  allied_health: ["hcpc", (n) => `PH${String(100000 + n).slice(-6)}`],
  social_care: ["swe", (n) => `SW${10000 + n}`],
  medical_dental: ["gmc", (n) => String(7000000 + n)],
};

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function iso(date: Date) {
  return date.toISOString().slice(0, 10);
}

export async function insertDemoReservists(
  tx: Tx,
  options: { now: Date; coordinatorEmail: string; target?: number },
): Promise<number> {
  const [any] = await tx.select({ userId: reservists.userId }).from(reservists).limit(1);
  if (any) return 0;
  const target = options.target ?? 36;
  const rng = new Rng(20_261_130);
  const skills = await tx.select({ id: reservistSkills.id, slug: reservistSkills.slug }).from(reservistSkills);
  const skillId = new Map(skills.map((s) => [s.slug, s.id]));
  if (!skillId.size) return 0;
  const orgs = await tx.select({ id: organisations.id }).from(organisations).orderBy(asc(organisations.id));
  // Retire-and-return requesters first, then other generated staff.
  const retirees = await tx
    .selectDistinct({
      id: users.id,
      organisationId: users.organisationId,
      staffGroup: users.staffGroup,
      email: users.email,
    })
    .from(supportRequests)
    .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
    .innerJoin(users, eq(users.id, supportRequests.requesterId))
    .where(and(eq(supportOffers.slug, "retire-and-return"), eq(users.isDemo, true)))
    .limit(target);
  const others = await tx
    .select({ id: users.id, organisationId: users.organisationId, staffGroup: users.staffGroup, email: users.email })
    .from(users)
    .where(and(eq(users.isDemo, true), eq(users.role, "staff"), sql`${users.erasedAt} is null`))
    .orderBy(asc(users.id))
    .limit(target * 2);
  const seen = new Set<string>();
  const people = [...retirees, ...others].filter((p) => !seen.has(p.id) && seen.add(p.id)).slice(0, target);
  if (!people.length) return 0;
  const today = options.now;
  for (const [index, p] of people.entries()) {
    const registration = REGISTRATION_BY_GROUP[p.staffGroup];
    const from = new Date(today.getTime() - rng.int(0, 60) * DAY);
    const until = rng.chance(0.6) ? new Date(today.getTime() + rng.int(60, 240) * DAY) : null;
    const confirmed = new Date(today.getTime() - rng.int(1, 120) * DAY);
    await tx.insert(reservists).values({
      userId: p.id,
      registrationBody: registration ? registration[0] : "none",
      registrationNumber: registration ? registration[1](index + 1) : null,
      staffGroup: p.staffGroup,
      hoursPerWeek: rng.pick([8, 12, 15, 16, 22, 30, 37]),
      days: DAYS.filter(() => rng.chance(0.55))
        .concat(rng.chance(0.5) ? [] : ["mon"])
        .filter((d, i, a) => a.indexOf(d) === i),
      availableFrom: iso(from),
      availableUntil: until ? iso(until) : null,
      dbsCurrent: rng.chance(0.8),
      pausedAt: rng.chance(0.12) ? new Date(today.getTime() - rng.int(1, 30) * DAY) : null,
      lastConfirmedAt: confirmed,
      // Profiles confirmed over 3 months ago were reminded on the day it fell due.
      reminderSentAt:
        confirmed.getTime() < today.getTime() - 91 * DAY ? new Date(confirmed.getTime() + 91 * DAY) : null,
      createdAt: confirmed,
      updatedAt: confirmed,
    });
    const mine = (SKILLS_BY_GROUP[p.staffGroup] ?? ["administrator"]).flatMap((slug) =>
      skillId.has(slug) ? [skillId.get(slug)!] : [],
    );
    if (!mine.length) mine.push(skills[0]!.id);
    await tx.insert(reservistSkillChoices).values(mine.map((id) => ({ userId: p.id, skillId: id })));
    const places = new Set([p.organisationId, rng.pick(orgs).id, ...(rng.chance(0.4) ? [rng.pick(orgs).id] : [])]);
    await tx.insert(reservistPlaces).values([...places].map((organisationId) => ({ userId: p.id, organisationId })));
  }

  // Needs, posted by the demo coordinator: two filled, two open.
  const [coordinator] = await tx.select({ id: users.id }).from(users).where(eq(users.email, options.coordinatorEmail));
  const plans = [
    {
      group: "nursing_midwifery",
      skill: "vaccinator",
      reason: "vaccination_clinic",
      places: 2,
      fill: true,
      days: [-20, 10],
    },
    {
      group: "support_worker",
      skill: "healthcare-support-worker",
      reason: "winter_pressure",
      places: 3,
      fill: true,
      days: [-5, 40],
    },
    {
      group: "nursing_midwifery",
      skill: "registered-nurse-adult",
      reason: "industrial_action",
      places: 4,
      fill: false,
      days: [7, 9],
    },
    { group: "admin_estates", skill: "ward-clerk", reason: "winter_pressure", places: 2, fill: false, days: [14, 60] },
  ];
  for (const [i, plan] of plans.entries()) {
    const org = orgs[i % orgs.length]!;
    const [need] = await tx
      .insert(reservistNeeds)
      .values({
        organisationId: org.id,
        place: ["Vaccination centre, Hanley", "Ward 12", "Outpatients", "Main reception"][i]!,
        staffGroup: plan.group,
        startDate: iso(new Date(today.getTime() + plan.days[0]! * DAY)),
        endDate: iso(new Date(today.getTime() + plan.days[1]! * DAY)),
        hoursPerWeek: 15,
        placesWanted: plan.places,
        reason: plan.reason,
        createdById: coordinator?.id ?? null,
        createdAt: new Date(today.getTime() - (30 - i * 5) * DAY),
      })
      .returning({ id: reservistNeeds.id });
    const sid = skillId.get(plan.skill);
    if (sid) await tx.insert(reservistNeedSkills).values({ needId: need!.id, skillId: sid });
    const candidates = await tx
      .select({ userId: reservistSkillChoices.userId })
      .from(reservistSkillChoices)
      .innerJoin(reservists, eq(reservists.userId, reservistSkillChoices.userId))
      .where(and(eq(reservistSkillChoices.skillId, sid ?? -1), sql`${reservists.pausedAt} is null`))
      .orderBy(asc(reservistSkillChoices.userId))
      .limit(plan.places + 1);
    if (!candidates.length) continue;
    await tx.insert(reservistInvitations).values(
      candidates.map((c, k) => ({
        needId: need!.id,
        reservistUserId: c.userId,
        status: plan.fill ? (k < plan.places ? ("accepted" as const) : ("declined" as const)) : ("invited" as const),
        invitedById: coordinator?.id ?? null,
        createdAt: new Date(today.getTime() - (20 - i * 4) * DAY),
        respondedAt: plan.fill ? new Date(today.getTime() - (18 - i * 4) * DAY) : null,
      })),
    );
  }
  await insertPastNeeds(tx, rng, today, orgs, skillId, coordinator?.id ?? null);
  return people.length;
}

/** Months before the current one in which the demo coordinator posted a batch of (filled) needs. */
const PAST_NEED_MONTHS = [1, 3, 6];
/** Needs per batch: enough that a month's needs and places are shown, not "*" (13 stays above 7
 *  even after the largest perturbation of 5). */
const PAST_NEEDS_PER_MONTH = 13;

/**
 * Needs posted in earlier months of the latest full period, every place filled, so the ICS
 * manager's /insights/reservists shows needs posted and places filled by month (the four current
 * needs above were all posted in the last few weeks: every month read 0 or *). Mid-month dates, so
 * no need lands on a month boundary in London time.
 */
async function insertPastNeeds(
  tx: Tx,
  rng: Rng,
  today: Date,
  orgs: { id: number }[],
  skillId: Map<string, number>,
  coordinatorId: string | null,
) {
  const kinds = [
    { group: "nursing_midwifery", skill: "vaccinator", reason: "vaccination_clinic", place: "Vaccination centre" },
    { group: "support_worker", skill: "healthcare-support-worker", reason: "winter_pressure", place: "Ward" },
    { group: "nursing_midwifery", skill: "registered-nurse-adult", reason: "industrial_action", place: "Outpatients" },
    { group: "admin_estates", skill: "ward-clerk", reason: "winter_pressure", place: "Reception" },
  ];
  for (const monthsBack of PAST_NEED_MONTHS) {
    for (let i = 0; i < PAST_NEEDS_PER_MONTH; i++) {
      const kind = kinds[i % kinds.length]!;
      const sid = skillId.get(kind.skill);
      const posted = new Date(
        Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - monthsBack, 3 + rng.int(0, 20), 12),
      );
      const start = new Date(posted.getTime() + rng.int(5, 14) * DAY);
      const [need] = await tx
        .insert(reservistNeeds)
        .values({
          organisationId: orgs[(i + monthsBack) % orgs.length]!.id,
          place: `${kind.place} ${i + 1}`,
          staffGroup: kind.group,
          startDate: iso(start),
          endDate: iso(new Date(start.getTime() + rng.int(7, 30) * DAY)),
          hoursPerWeek: rng.pick([8, 15, 22]),
          placesWanted: 2,
          reason: kind.reason,
          createdById: coordinatorId,
          createdAt: posted,
        })
        .returning({ id: reservistNeeds.id });
      if (!sid) continue;
      await tx.insert(reservistNeedSkills).values({ needId: need!.id, skillId: sid });
      const accepted = await tx
        .select({ userId: reservistSkillChoices.userId })
        .from(reservistSkillChoices)
        .where(eq(reservistSkillChoices.skillId, sid))
        .orderBy(asc(reservistSkillChoices.userId))
        .offset(rng.int(0, 2))
        .limit(2);
      if (!accepted.length) continue;
      await tx.insert(reservistInvitations).values(
        accepted.map((c) => ({
          needId: need!.id,
          reservistUserId: c.userId,
          status: "accepted" as const,
          invitedById: coordinatorId,
          createdAt: new Date(posted.getTime() + DAY),
          respondedAt: new Date(posted.getTime() + 2 * DAY),
        })),
      );
    }
  }
}
