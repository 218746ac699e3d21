// The daily digest: each hub team's members are told, once a day, which of the team's requests
// are overdue (first contact late) or not assigned to anyone. References, offer titles and due
// times only: never names, answers or anything the person wrote. Confidential support is listed
// as "Confidential support", and a team that handles any is not named (notifications.server.ts).
//
// Exactly once per London calendar day across every app instance: the run is claimed by
// inserting ("daily-digest", <London date>) into job_runs (ON CONFLICT DO NOTHING RETURNING) in
// the same transaction that enqueues the mail. A second instance's insert waits for the first
// transaction and then finds the row, so it sends nothing; if the first rolls back, the claim
// goes with it and the next attempt sends the digest.
import { eq, isNotNull, sql } from "drizzle-orm";
import { queryRows, type Tx } from "@db/client";
import { getDb } from "@db/current";
import { jobRuns, supportOffers, supportRequests } from "@db/schema";
import { OPEN_STATUSES } from "~/lib/request-status";
import { londonDate } from "~/lib/working-days";
import { sendTeamDigest, type DigestSection } from "../mail/notifications.server";
import { HANDLING_TEAM_SQL, roleColumnMay } from "../permissions.server";

export const DIGEST_JOB = "daily-digest";

/** At most this many references are listed per section of one mail (the count is always whole). */
export const DIGEST_LIST_LIMIT = 50;

interface DigestRow {
  team_id: number;
  team_name: string;
  user_id: string;
  email: string;
  name: string;
  kind: "overdue" | "unassigned";
  reference: string;
  offer_title: string;
  confidential: boolean;
  due_at: Date | string;
  total: number | string;
}

const openStatuses = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(", "));

/**
 * One query for every team: each active member (coordinator or administrator) of each team, with
 * the team's open requests that are overdue or unassigned (a request of the member's own is left
 * out: a coordinator never sees their own requests in the hub), the first DIGEST_LIST_LIMIT of
 * each kind by due time, and how many of that kind there are.
 */
async function loadDigestRows(tx: Tx, now: Date): Promise<DigestRow[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  return queryRows<DigestRow>(
    tx,
    sql`
      with flagged as (
        -- The team handling the request (permissions.server.ts HANDLING_TEAM_SQL): pinned, else the offer's.
        -- Confidential: the offer is, or the request was pinned to its team as a confidential one (ADR 009).
        select ${HANDLING_TEAM_SQL} as team_id, r.reference, o.title as offer_title,
               (o.sensitive or r.pinned_team_id is not null) as confidential, r.due_at, r.requester_id,
               (r.first_contact_at is null and r.paused_at is null and r.due_at < ${at}) as overdue,
               (r.assignee_id is null) as unassigned
          from support_requests r
          join support_offers o on o.id = r.offer_id
         where r.status in (${openStatuses})
           and ((r.first_contact_at is null and r.paused_at is null and r.due_at < ${at}) or r.assignee_id is null)
      ),
      members as (
        select tm.team_id, t.name as team_name, u.id as user_id, u.email, u.name
          from team_members tm
          join teams t on t.id = tm.team_id
          join users u on u.id = tm.user_id
         where u.disabled_at is null and u.mail_team_digest and ${roleColumnMay(sql`u.role`, "hub:work")}
      ),
      items as (
        select m.team_id, m.team_name, m.user_id, m.email, m.name, k.kind,
               f.reference, f.offer_title, f.confidential, f.due_at,
               count(*) over w as total,
               row_number() over (w order by f.due_at, f.reference) as position
          from members m
          join flagged f on f.team_id = m.team_id and f.requester_id <> m.user_id
          join (values ('overdue'), ('unassigned')) as k(kind)
            on (k.kind = 'overdue' and f.overdue) or (k.kind = 'unassigned' and f.unassigned)
        window w as (partition by m.team_id, m.user_id, k.kind)
      )
      select team_id, team_name, user_id, email, name, kind, reference, offer_title, confidential, due_at, total
        from items
       where position <= ${DIGEST_LIST_LIMIT}
       order by team_name, team_id, name, user_id, kind, position`,
  );
}

/**
 * The teams that handle at least one confidential offer (retired ones too: their requests go on),
 * or keep requests pinned to them as confidential ones (ADR 009).
 */
async function teamsHandlingConfidentialSupport(tx: Tx): Promise<Set<number>> {
  const [offers, pinned] = await Promise.all([
    tx.selectDistinct({ teamId: supportOffers.teamId }).from(supportOffers).where(eq(supportOffers.sensitive, true)),
    tx
      .selectDistinct({ teamId: supportRequests.pinnedTeamId })
      .from(supportRequests)
      .where(isNotNull(supportRequests.pinnedTeamId)),
  ]);
  return new Set([...offers, ...pinned].map((row) => Number(row.teamId)));
}

interface MemberDigest {
  teamId: number;
  teamName: string;
  recipient: { id: string; email: string; name: string };
  overdue: DigestSection;
  unassigned: DigestSection;
}

function groupRows(rows: DigestRow[]): MemberDigest[] {
  const byKey = new Map<string, MemberDigest>();
  for (const row of rows) {
    const key = `${row.team_id}:${row.user_id}`;
    let digest = byKey.get(key);
    if (!digest) {
      digest = {
        teamId: Number(row.team_id),
        teamName: row.team_name,
        recipient: { id: row.user_id, email: row.email, name: row.name },
        overdue: { total: 0, items: [] },
        unassigned: { total: 0, items: [] },
      };
      byKey.set(key, digest);
    }
    const section = digest[row.kind];
    section.total = Number(row.total);
    section.items.push({
      reference: row.reference,
      offerTitle: row.offer_title,
      confidential: row.confidential === true,
      dueAt: new Date(row.due_at),
    });
  }
  return [...byKey.values()];
}

export interface DigestRun {
  /** False when today's digest had already been claimed (by this or another instance). */
  claimed: boolean;
  /** The London date the run is for, "YYYY-MM-DD". */
  runKey: string;
  /** Mails enqueued (one per member per team with something to report). */
  mails: number;
  /** Teams with something to report. */
  teams: number;
}

/**
 * Sends today's digests (London date of `now`) unless they have been sent already: claims the
 * run and enqueues every mail in one transaction.
 */
export async function sendDailyDigests(now = new Date()): Promise<DigestRun> {
  const runKey = londonDate(now);
  return getDb().transaction(async (tx) => {
    const [claim] = await tx
      .insert(jobRuns)
      .values({ name: DIGEST_JOB, runKey, startedAt: now })
      .onConflictDoNothing()
      .returning({ runKey: jobRuns.runKey });
    if (!claim) return { claimed: false, runKey, mails: 0, teams: 0 };

    const digests = groupRows(await loadDigestRows(tx, now));
    const confidentialTeams = await teamsHandlingConfidentialSupport(tx);
    for (const digest of digests) {
      await sendTeamDigest(tx, digest.recipient, {
        teamName: digest.teamName,
        handlesConfidential: confidentialTeams.has(digest.teamId),
        day: now,
        overdue: digest.overdue,
        unassigned: digest.unassigned,
      });
    }
    return { claimed: true, runKey, mails: digests.length, teams: new Set(digests.map((d) => d.teamId)).size };
  });
}
