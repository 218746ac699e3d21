// First-year check-ins (docs/decisions/039-first-year-check-ins.md): creates the check-ins that
// have fallen due and mails each person "How is your first year going?" with the link.
//
// Once across instances: inserting the check-in row (unique on person and point, ON CONFLICT DO
// NOTHING RETURNING) is the claim, and its mail is enqueued in the same transaction. A second
// instance running at the same moment waits on the first's uncommitted row and then inserts
// nothing, so sends nothing; if the first rolls back, the row and the mail go together and the next
// run sends them. Runs at every scheduler check (each minute): someone who has just signed up gets
// their due check-in within a minute; when nothing is due it is one indexed query.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { checkIns, type CheckInPointUnit } from "@db/schema";
import { formatDate } from "~/components/format";
import { CHECK_IN_OPEN_DAYS, pointAdjective, pointDays, pointLabel } from "~/lib/check-ins";
import { londonDate } from "~/lib/working-days";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";

export const CHECK_IN_JOB = "first-year-check-ins";

/** At most this many check-ins are created per run; the rest go at the next (a minute later). */
export const CHECK_IN_BATCH = 200;

interface DueRow {
  user_id: string;
  email: string;
  name: string;
  organisation_id: number;
  staff_group: string;
  point_id: number;
  amount: number;
  unit: CheckInPointUnit;
  due_on: string;
  start_date: string;
}

export interface CheckInRun {
  /** Check-ins created (and mailed) by this run. */
  sent: number;
}

/** A new check-in's id: random, unguessable, fit for a URL. */
export function newCheckInId(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * Who is due a check-in on the London date of `now`: people whose start date in post is less than
 * 12 months ago, who have not turned check-ins off and have not left, with a verified, active account; for each, only
 * the latest active point whose date (start date + the point: a month after 31 January is the end
 * of February) has come and is less than 21 days ago — an earlier point they missed (they joined
 * StayWell later, say) is never sent — and only if neither it nor a later point has been sent.
 */
async function dueCheckIns(today: string, limit: number): Promise<DueRow[]> {
  return queryRows<DueRow>(
    getDb(),
    sql`
      with points as (
        select p.id, p.amount, p.unit,
               case when p.unit = 'weeks' then make_interval(weeks => p.amount) else make_interval(months => p.amount) end as span
          from check_in_points p
         where p.active
      ),
      due as (
        select distinct on (u.id)
               u.id as user_id, u.email, u.name, u.organisation_id, u.staff_group, u.start_date,
               p.id as point_id, p.amount, p.unit, (u.start_date + p.span)::date as due_on
          from users u
          join points p on (u.start_date + p.span)::date <= ${today}::date
                       and (u.start_date + p.span)::date > ${today}::date - ${CHECK_IN_OPEN_DAYS}::int
         where u.start_date > (${today}::date - interval '12 months')::date
           and u.start_date <= ${today}::date
           and u.first_year_check_ins
           and u.email_verified_at is not null
           and u.disabled_at is null
           and u.erased_at is null
           and not u.is_demo
           -- Someone who has left (their leaving date from this organisation has passed) is not
           -- asked how their first year is going (second review of issue 14).
           and not exists (
                 select 1 from leaving_responses lr
                  where lr.user_id = u.id and lr.organisation_id = u.organisation_id
                    and lr.leaving_date < ${today}::date
               )
         order by u.id, due_on desc, p.id
      )
      select d.user_id, d.email, d.name, d.organisation_id, d.staff_group, d.point_id, d.amount, d.unit,
             to_char(d.due_on, 'YYYY-MM-DD') as due_on, to_char(d.start_date, 'YYYY-MM-DD') as start_date
        from due d
       where not exists (
               select 1 from check_ins c
                where c.user_id = d.user_id and (c.point_id = d.point_id or c.due_on >= d.due_on)
             )
       order by d.due_on, d.user_id
       limit ${limit}`,
  );
}

/** The mail: the link only, never anything about the person's answers. */
function checkInMail(row: DueRow, id: string) {
  return {
    to: row.email,
    userId: row.user_id,
    subject: "How is your first year going?",
    text: [
      `Hello ${row.name},`,
      "",
      // Sent up to 21 days after the point (a late start date, a missed run): so name the start date,
      // not "N weeks ago", which would then be untrue.
      `This is your ${pointAdjective(pointLabel(Number(row.amount), row.unit))} check-in: you started in your post on ${formatDate(row.start_date)}. How is your first year going?`,
      "",
      "Answering takes about a minute. If you would like someone from the people hub to get in touch, you can say so.",
      "",
      `Answer your check-in: ${env().APP_URL}/check-ins/${id}`,
      "",
      `The link works for ${CHECK_IN_OPEN_DAYS} days. You can turn these check-ins off in your account: ${env().APP_URL}/account/preferences`,
      "",
      "StayWell – Staffordshire and Stoke-on-Trent people hub",
    ].join("\n"),
  };
}

/** Creates and mails every check-in due at `now` (London date), each exactly once. */
export async function sendDueCheckIns(now = new Date(), limit = CHECK_IN_BATCH): Promise<CheckInRun> {
  const today = londonDate(now);
  const due = await dueCheckIns(today, limit);
  if (due.length === 0) return { sent: 0 };
  const expiresAt = new Date(now.getTime() + CHECK_IN_OPEN_DAYS * 24 * 60 * 60_000);
  return getDb().transaction(async (tx) => {
    let sent = 0;
    for (const row of due) {
      const id = newCheckInId();
      const [claimed] = await tx
        .insert(checkIns)
        .values({
          id,
          userId: row.user_id,
          pointId: Number(row.point_id),
          pointLabel: pointLabel(Number(row.amount), row.unit),
          pointDays: pointDays(Number(row.amount), row.unit),
          dueOn: row.due_on,
          organisationId: Number(row.organisation_id),
          staffGroup: row.staff_group,
          sentAt: now,
          expiresAt,
        })
        .onConflictDoNothing()
        .returning({ id: checkIns.id });
      if (!claimed) continue;
      await enqueueMail(tx, checkInMail(row, claimed.id));
      sent += 1;
    }
    return { sent };
  });
}
