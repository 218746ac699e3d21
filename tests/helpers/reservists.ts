// Reservist bank test inputs (ADR 040): the Reservist bank team, fresh registration numbers, and
// a profile and a need with every field filled in — each test file passes what it relies on.
import { eq } from "drizzle-orm";
import { getDb } from "@db/current";
import { teams } from "@db/schema";
import { RESERVIST_TEAM_SLUG } from "~/.server/permissions.server";
import type { ReservistNeedInput, ReservistProfileInput } from "~/schemas/reservists";
import { addTeamMembers } from "./factories";

/** Puts these people in the Reservist bank team (made when the database has none yet). */
export async function addToReservistTeam(userIds: string[]) {
  const [team] = await getDb()
    .insert(teams)
    .values({ slug: RESERVIST_TEAM_SLUG, name: "Reservist bank" })
    .onConflictDoNothing()
    .returning();
  const teamId = team?.id ?? (await getDb().select().from(teams).where(eq(teams.slug, RESERVIST_TEAM_SLUG)))[0]!.id;
  await addTeamMembers(teamId, userIds);
}

let numberSeq = 1000;

/** A fresh NMC PIN (like 12A1001E) each call, so no two profiles share one unless a test says so. */
export function nextNmcNumber(): string {
  numberSeq += 1;
  return `12A${numberSeq}E`;
}

/** A complete joining form's input: a registered adult nurse, 15 hours, Mondays, DBS current. */
export function reservistProfileInput(
  input: Pick<ReservistProfileInput, "skills" | "organisations"> & Partial<ReservistProfileInput>,
): ReservistProfileInput {
  return {
    registrationBody: "nmc",
    registrationNumber: nextNmcNumber(),
    staffGroup: "nursing_midwifery",
    hoursPerWeek: 15,
    days: ["mon"],
    availableFrom: "2029-01-01",
    availableUntil: null,
    dbsCurrent: true,
    ...input,
  };
}

/** A complete need: one nursing place, 15 hours a week in February 2030, any day, winter pressure. */
export function reservistNeedInput(
  input: Pick<ReservistNeedInput, "organisationId" | "skills"> & Partial<ReservistNeedInput>,
): ReservistNeedInput {
  return {
    place: "Ward 3",
    staffGroup: "nursing_midwifery",
    registrationBody: null,
    startDate: "2030-02-01",
    endDate: "2030-02-28",
    hoursPerWeek: 15,
    placesWanted: 1,
    reason: "winter_pressure",
    days: [],
    ...input,
  };
}
