// Anonymisation of requests and accounts, shared by the retention job (app/.server/jobs/retention.server.ts,
// docs/decisions/027-retention-schedule.md) and a person's erasure of their account (issue 12 part 3).
//
// A request keeps what the insights count (offer, organisation, staff group, tenure band, dates,
// status, outcome, rating, record key), so the rollups and /insights totals do not move: none of the
// columns the rollup trigger watches is written here. What a person wrote or could be reached by is
// erased: the answers, the contact phone and times, the rating comment and the text of every
// timeline entry (messages both ways and the hub's internal notes; the structured data of status
// changes holds no free text and stays).
//
// Callers pass their transaction: the changes land together or not at all. Both functions are
// idempotent (a second call changes nothing more) and take the row locks they need.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@db/client";
import {
  emailVerificationTokens,
  requestEvents,
  requestReads,
  sessions,
  supportRequests,
  teamMembers,
  users,
} from "@db/schema";

/** What an anonymised account is called wherever its name was shown (hub, audit, timelines). */
export const ANONYMISED_NAME = "Deleted account";

/** The address an anonymised account is given: unique (the id is), never deliverable (RFC 2606 ".invalid"). */
export function anonymisedEmail(userId: string): string {
  return `deleted-${userId.toLowerCase()}@anonymised.invalid`;
}

/**
 * Erases the content of the given requests (see the file comment) and marks them anonymised at
 * `now`. Requests already anonymised are left as they are. Returns how many were anonymised now.
 */
export async function anonymiseRequests(tx: Tx, requestIds: readonly number[], now = new Date()): Promise<number> {
  if (requestIds.length === 0) return 0;
  const done = await tx
    .update(supportRequests)
    .set({
      answers: sql`'{}'::jsonb`,
      contactPhone: null,
      contactTimes: null,
      satisfactionComment: null,
      anonymisedAt: now,
    })
    .where(and(inArray(supportRequests.id, [...requestIds]), isNull(supportRequests.anonymisedAt)))
    .returning({ id: supportRequests.id });
  if (done.length === 0) return 0;
  await tx
    .update(requestEvents)
    .set({ body: null })
    .where(
      and(
        inArray(
          requestEvents.requestId,
          done.map((r) => r.id),
        ),
        sql`${requestEvents.body} is not null`,
      ),
    );
  return done.length;
}

/** The result of anonymising one request: how many timeline texts were erased (0 the second time). */
export interface AnonymisedRequest {
  requestId: number;
  eventsErased: number;
}

/**
 * One request (the signature the person's erasure and the retention job share). Idempotent: the
 * first anonymisation's time is kept and a second call erases nothing.
 */
export async function anonymiseRequest(tx: Tx, requestId: number, now = new Date()): Promise<AnonymisedRequest> {
  const before = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, requestId), sql`${requestEvents.body} is not null`));
  await anonymiseRequests(tx, [requestId], now);
  const after = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, requestId), sql`${requestEvents.body} is not null`));
  return { requestId, eventsErased: Number(before[0]?.n ?? 0) - Number(after[0]?.n ?? 0) };
}

/**
 * Replaces an account's personal details: the name becomes ANONYMISED_NAME, the address a unique
 * undeliverable one, the password hash unusable; job title and manager scope are cleared; every
 * session and verification token, team membership and read marker goes; every request of theirs is
 * anonymised. The row itself stays (requests, timelines and the audit log point at it) and still
 * counts in aggregates through the requests' own copies of organisation and staff group.
 * Callers decide whether it may happen (the retention job: disabled for 24 months, no hold, no open
 * request). Returns false when the account was already anonymised or does not exist.
 */
export async function anonymiseAccount(tx: Tx, userId: string, now = new Date()): Promise<boolean> {
  const [target] = await tx
    .select({ id: users.id, erasedAt: users.erasedAt })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!target || target.erasedAt !== null) return false;
  await tx
    .update(users)
    .set({
      name: ANONYMISED_NAME,
      email: anonymisedEmail(userId),
      jobTitle: null,
      // Not a hash any verifier accepts: the account can never be signed in to again.
      passwordHash: "!anonymised",
      managesOrganisationId: null,
      erasedAt: now,
      updatedAt: now,
      version: sql`${users.version} + 1`,
    })
    .where(eq(users.id, userId));
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.delete(emailVerificationTokens).where(eq(emailVerificationTokens.userId, userId));
  await tx.delete(teamMembers).where(eq(teamMembers.userId, userId));
  await tx.delete(requestReads).where(eq(requestReads.userId, userId));
  const theirs = await tx
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(and(eq(supportRequests.requesterId, userId), isNull(supportRequests.anonymisedAt)));
  await anonymiseRequests(
    tx,
    theirs.map((r) => r.id),
    now,
  );
  return true;
}
