// The first-contact clock on the staff side: it stops while the request waits on the person and
// restarts, pushed back by the working time it was stopped, when they reply.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { supportRequests } from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import { createRequest, replyToMyRequest, withdrawMyRequest } from "~/.server/models/requests.server";
import { addWorkingDays } from "~/lib/working-days";
import { createOffer, createUser } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const DAY = 24 * 3600_000;

async function pausedRequest() {
  const user = await createUser();
  const caller: CurrentUser = { ...user };
  const offer = await createOffer({ formKind: "general", firstContactTargetDays: 5 });
  // Submitted Monday 2 March 2026, 10:00 (no bank holidays that fortnight).
  const submitted = new Date("2026-03-02T10:00:00Z");
  const created = await createRequest(
    caller,
    offer.slug,
    { details: "Please help", contactMethod: "email", submissionKey: randomUUID() },
    submitted,
  );
  const dueAt = addWorkingDays(submitted, 5);
  // The hub asked a question on Tuesday at 09:00: waiting on the person, clock stopped.
  await getDb()
    .update(supportRequests)
    .set({
      status: "waiting_on_staff",
      pausedAt: new Date("2026-03-03T09:00:00Z"),
      firstContactAt: new Date("2026-03-03T09:00:00Z"),
    })
    .where(eq(supportRequests.reference, created.reference));
  return { caller, reference: created.reference, dueAt };
}

async function row(reference: string) {
  const [r] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, reference));
  return r;
}

describe("the response clock on the staff side", () => {
  it("restarts when the person replies, pushed back by the working time it was stopped", async () => {
    const { caller, reference, dueAt } = await pausedRequest();
    // They reply the following Monday at 09:00: Tue–Fri (4 working days) passed, the weekend did not count.
    await replyToMyRequest(
      caller,
      reference,
      { message: "Here is what you asked for" },
      new Date("2026-03-09T09:00:00Z"),
    );
    const after = await row(reference);
    expect(after.status).toBe("in_progress");
    expect(after.pausedAt).toBeNull();
    expect(after.dueAt.getTime()).toBe(dueAt.getTime() + 4 * DAY);
  });

  it("is no longer paused once the person withdraws", async () => {
    const { caller, reference } = await pausedRequest();
    await withdrawMyRequest(caller, reference, {}, new Date("2026-03-04T09:00:00Z"));
    const after = await row(reference);
    expect(after.status).toBe("withdrawn");
    expect(after.pausedAt).toBeNull();
  });
});
