// The true count of any record set the insights attacker names (tests/helpers/insights-attacker.ts),
// straight from support_requests, so every conclusion the attacker draws can be checked. Reads
// the requests once (a test database of a few thousand) and counts in memory, by the same rules
// as the insights model: month of request in London time; the outcome column as of `now`
// (closed with an outcome; open and overdue for first contact; open; everything else withdrawn).
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@db/client";
import { OPEN_STATUSES } from "~/lib/request-status";
import type { RecordSet } from "./insights-attacker";
import { rowsDigest } from "./shared-analysis";

interface Row {
  month: string;
  organisation: string;
  offer: string;
  group: string;
  tenure: string;
  outcome: string;
  rating: number | null;
  contacted: boolean;
  within: boolean;
}

/**
 * `digest`: a sha256 of the rows it counts (in any order), for the key of an analysis checked
 * against it (tests/helpers/shared-analysis.ts): the same rows give the same true counts.
 */
export async function loadInsightsTruth(
  db: Database,
  now: Date,
): Promise<((set: RecordSet) => number) & { digest: string }> {
  const raw = await queryRows<{
    month: string;
    organisation: string;
    offer: string;
    staff_group: string;
    tenure_band: string;
    status: string;
    close_outcome: string | null;
    overdue: boolean | string;
    satisfaction_rating: number | null;
    first_contact_working_days: number | null;
    first_contact_within_target: boolean | string | null;
  }>(
    db,
    sql`select to_char(r.submitted_at at time zone 'Europe/London', 'YYYY-MM') as month, o.slug as organisation,
               f.slug as offer, r.staff_group, r.tenure_band::text as tenure_band, r.status::text as status,
               r.close_outcome::text as close_outcome,
               (r.first_contact_at is null and r.paused_at is null and r.due_at < ${now.toISOString()}::timestamptz) as overdue,
               r.satisfaction_rating, r.first_contact_working_days, r.first_contact_within_target
        from support_requests r
        join organisations o on o.id = r.organisation_id
        join support_offers f on f.id = r.offer_id`,
  );
  const yes = (v: boolean | string | null) => v === true || v === "t" || v === "true";
  const open = new Set<string>(OPEN_STATUSES);
  const byMonth = new Map<string, Row[]>();
  const all: Row[] = [];
  for (const r of raw) {
    const outcome =
      r.status === "closed" && r.close_outcome
        ? r.close_outcome
        : open.has(r.status)
          ? yes(r.overdue)
            ? "overdue"
            : "open"
          : "withdrawn";
    const row: Row = {
      month: r.month,
      organisation: r.organisation,
      offer: r.offer,
      group: r.staff_group,
      tenure: r.tenure_band,
      outcome,
      rating: r.satisfaction_rating === null ? null : Number(r.satisfaction_rating),
      contacted: r.first_contact_working_days !== null,
      within: r.first_contact_working_days !== null && yes(r.first_contact_within_target),
    };
    byMonth.set(row.month, [...(byMonth.get(row.month) ?? []), row]);
    all.push(row);
  }
  const truth = (set: RecordSet) => {
    let total = 0;
    for (const month of set.months) {
      for (const r of byMonth.get(month) ?? []) {
        if (set.organisation !== null && r.organisation !== set.organisation) continue;
        if (set.offer !== null && r.offer !== set.offer) continue;
        if (set.group !== null && r.group !== set.group) continue;
        if (set.tenure !== null && r.tenure !== set.tenure) continue;
        // The denominator of "within target" is contacted + overdue now; the rest count by outcome.
        if (set.measure === "den") {
          if (r.contacted || r.outcome === "overdue") total++;
          continue;
        }
        if (set.outcome !== null && r.outcome !== set.outcome) continue;
        switch (set.measure) {
          case "requests":
            total++;
            break;
          case "rated":
            if (r.rating !== null) total++;
            break;
          case "ratingSum":
            total += r.rating ?? 0;
            break;
          case "contacted":
            if (r.contacted) total++;
            break;
          case "within":
            if (r.within) total++;
            break;
        }
      }
    }
    return total;
  };
  return Object.assign(truth, { digest: rowsDigest(all) });
}
