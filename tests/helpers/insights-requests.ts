// Requests straight into support_requests for the insights tests (the table's triggers keep the
// rollups /insights reads): no answers, no events, one requester per call. Shared by insights-routes,
// insights-page-cache and insights-page-cache-csv-link.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { createUser, type TestUser } from "./factories";

/** The 15th of last month (London): in the latest published period ("12m"), whatever today is. */
export function lastMonth(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 12));
}

/** `n` new requests by one new member of staff of the organisation, made at `submitted` (one statement). */
export async function addRequests(
  organisationId: number,
  offerId: number,
  n: number,
  staffGroup = "nursing_midwifery",
  submitted = lastMonth(),
): Promise<TestUser> {
  const requester = await createUser({ organisationId });
  if (n <= 0) return requester;
  const at = submitted.toISOString();
  const rows = Array.from(
    { length: n },
    () =>
      sql`(${`SW-2031-${randomUUID().slice(0, 8)}`}, ${requester.id}, ${organisationId}, ${offerId}, 'new', '{}'::jsonb, 'email',
           ${randomUUID()}, ${at}::timestamptz, ${at}::timestamptz, ${staffGroup}, '2_to_5')`,
  );
  await queryRows(
    getDb(),
    sql`insert into support_requests (reference, requester_id, organisation_id, offer_id, status, answers, contact_method,
                                      submission_key, submitted_at, due_at, staff_group, tenure_band)
        values ${sql.join(rows, sql`, `)}`,
  );
  return requester;
}
