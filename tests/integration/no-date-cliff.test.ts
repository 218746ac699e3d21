// No date cliff: a request submitted in December 2028, and in every December to 2040 (Christmas
// and New Year, where the bank holiday rules and substitute days matter most), is created with a
// first-contact target on a working day — the model no longer throws past the published data.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { supportRequests } from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import { createRequest } from "~/.server/models/requests.server";
import { isWorkingDay, workingDaysBetween } from "~/lib/working-days";
import { asCurrentUser, createOffer, createUser } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

let alice: CurrentUser;
let physio: string;
let financial: string;

beforeAll(async () => {
  alice = asCurrentUser(await createUser());
  physio = (await createOffer({ formKind: "physiotherapy", firstContactTargetDays: 3 })).slug;
  financial = (await createOffer({ formKind: "financial" })).slug;
});

const physioForm = () => ({
  bodyArea: "shoulder",
  duration: "over_12_weeks",
  effectOnWork: "coping",
  details: "",
  contactMethod: "email",
  submissionKey: randomUUID(),
});
const urgentForm = () => ({
  topics: ["debt"],
  urgentSituations: ["bailiffs"],
  details: "Bailiffs wrote to me",
  contactMethod: "email",
  submissionKey: randomUUID(),
});

describe("request targets after the published bank holiday data", () => {
  it("are computed for requests made from December 2028 to December 2040", async () => {
    for (let year = 2028; year <= 2040; year++) {
      for (const day of ["22", "24", "29", "31"]) {
        const now = new Date(`${year}-12-${day}T16:30:00Z`);
        for (const [slug, input, days] of [
          [physio, physioForm(), 3],
          [financial, urgentForm(), null],
        ] as const) {
          const created = await createRequest(alice, slug, input, now);
          const [row] = await getDb()
            .select({ dueAt: supportRequests.dueAt })
            .from(supportRequests)
            .where(eq(supportRequests.reference, created.reference));
          const dueAt = row!.dueAt!;
          expect(dueAt.getTime(), `${year}-12-${day}`).toBeGreaterThan(now.getTime());
          expect(isWorkingDay(dueAt), `${year}-12-${day}`).toBe(true);
          if (days !== null) expect(workingDaysBetween(now, dueAt), `${year}-12-${day}`).toBe(days);
        }
      }
    }
  }, 120_000);

  it("skips the substitute days of a Saturday Christmas (2032) and a Saturday New Year (2033)", async () => {
    const created = await createRequest(alice, physio, physioForm(), new Date("2032-12-23T10:00:00Z"));
    const [row] = await getDb()
      .select({ dueAt: supportRequests.dueAt })
      .from(supportRequests)
      .where(eq(supportRequests.reference, created.reference));
    // Thu 23 Dec 2032, 3 working days: Fri 24, [Sat, Sun, Mon 27 and Tue 28 holidays], Wed 29, Thu 30.
    expect(row!.dueAt!.toISOString()).toBe("2032-12-30T23:59:59.999Z");
    const newYear = await createRequest(alice, physio, physioForm(), new Date("2032-12-30T10:00:00Z"));
    const [row2] = await getDb()
      .select({ dueAt: supportRequests.dueAt })
      .from(supportRequests)
      .where(eq(supportRequests.reference, newYear.reference));
    // Thu 30 Dec 2032: Fri 31, [Sat 1, Sun 2, Mon 3 Jan 2033 substitute], Tue 4, Wed 5.
    expect(row2!.dueAt!.toISOString()).toBe("2033-01-05T23:59:59.999Z");
  });
});
