// The daily retention job (docs/decisions/031-retention-schedule.md): keeps data no longer than the
// schedule below says. Once per London day across every instance: the run is claimed by inserting
// ("retention", <London date>) into job_runs, committed at once, so a second instance finds the
// row and does nothing. The work then goes rule by rule in small batches, each its own short
// transaction that locks only the rows it takes (FOR UPDATE SKIP LOCKED, through the rule's index),
// so no table is held for long however many rows are due; a run does at most MAX_BATCHES batches per
// rule and leaves the rest for the next day (the run records that more was due). Everything is
// idempotent: a run that dies half way leaves consistent batches behind, and the next run carries on.
//
// The run is recorded on its job_runs row (finished at, counts per rule, errors) for /admin/retention
// and logged as one line of counts: never a name, an address or anything anyone wrote.
import { createHash } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { queryRows, type Tx } from "@db/client";
import { getDb } from "@db/current";
import { jobRuns } from "@db/schema";
import { CHECK_IN_OPEN_DAYS } from "~/lib/check-ins";
import { londonDate } from "~/lib/working-days";
import { SESSION_ABSOLUTE_HOURS } from "../auth/lucia.server";
import { RETENTION_HOURS as THROTTLE_RETENTION_HOURS } from "../auth/throttle.server";
import { log } from "../log.server";
import { anonymiseAccount, anonymiseRequests, deleteUnverifiedAccount } from "../models/anonymise.server";

export const RETENTION_JOB = "retention";

/** The job runs at the first scheduler check from this London hour (02:00) onwards, once a day. */
export const RETENTION_HOUR = 2;

/** Requests closed or withdrawn this many months ago have their content anonymised. */
export const REQUEST_RETENTION_MONTHS = 24;
/** Accounts disabled this many months ago (and not on hold) are anonymised. */
export const DISABLED_ACCOUNT_RETENTION_MONTHS = 24;
/** Sent mail keeps its text this many days. */
export const MAIL_BODY_RETENTION_DAYS = 90;
/** Requests for access are deleted this many days after they were decided or expired. */
export const ACCESS_REQUEST_RETENTION_DAYS = 90;
/** Mail that could not be delivered keeps its text this many days after it was marked failed. */
export const FAILED_MAIL_RETENTION_DAYS = 90;
/** Accounts never confirmed are deleted this many days after their last link expired. */
export const UNVERIFIED_ACCOUNT_RETENTION_DAYS = 30;

/** Leaving questionnaires keep their free text (and the account they came from) this many months. */
export const LEAVING_ANSWERS_RETENTION_MONTHS = 24;
/** A verified consent to be contacted is kept this many months after the leaving date. */
export const LEAVING_CONTACT_RETENTION_MONTHS = 24;
/** Questionnaire links are deleted this many days after they expired. */
export const LEAVING_LINK_RETENTION_DAYS = 90;

/**
 * First-year check-ins are deleted this many months after they were answered, or after they expired
 * unanswered (ADR 039 addendum): as long as requests and leaving questionnaires keep what they hold.
 */
export const CHECK_IN_RETENTION_MONTHS = 24;

/** At most this many batches per rule in one run (the rest waits for the next day). */
export const MAX_BATCHES = 200;

export type RetentionRuleKey =
  | "requests"
  | "sessions"
  | "verificationTokens"
  | "signInAttempts"
  | "mailBodies"
  | "accessRequests"
  | "unverifiedAccounts"
  | "disabledAccounts"
  | "leavingAnswers"
  | "leavingContacts"
  | "leavingLinks"
  | "checkIns";

export interface RetentionRule {
  key: RetentionRuleKey;
  /** What the rule applies to. */
  title: string;
  /** How long it is kept. */
  period: string;
  /** What happens after that. */
  action: string;
  /** The noun for the run's count: "3 requests anonymised". */
  unit: [singular: string, plural: string];
  /** Rows per batch (one transaction). */
  batchSize: number;
}

/** The schedule, as /admin/retention shows it and the job applies it (in this order). */
export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    key: "requests",
    title: "Closed and withdrawn requests",
    period: `${REQUEST_RETENTION_MONTHS} months after the request was closed or withdrawn`,
    action:
      "The answers, contact phone number and times, rating comment and the text of every message and internal note are erased. The reference, offer, organisation, staff group, dates, status, outcome and rating stay, so the request still counts in insights.",
    unit: ["request anonymised", "requests anonymised"],
    batchSize: 200,
  },
  {
    key: "sessions",
    title: "Sign-in sessions",
    period: `When they expire: 12 hours unused, or ${SESSION_ABSOLUTE_HOURS} hours after signing in`,
    action: "Deleted.",
    unit: ["session deleted", "sessions deleted"],
    batchSize: 1000,
  },
  {
    key: "verificationTokens",
    title: "Email verification, password reset and change-of-address links; two-step sign-in challenges",
    period: "When they expire",
    action: "Deleted (only a hash of each link was stored).",
    unit: ["link deleted", "links deleted"],
    batchSize: 1000,
  },
  {
    key: "signInAttempts",
    title: "Sign-in and sign-up attempts",
    period: `${THROTTLE_RETENTION_HOURS} hours (they count towards throttling for no longer)`,
    action: "Deleted.",
    unit: ["attempt deleted", "attempts deleted"],
    batchSize: 1000,
  },
  {
    key: "mailBodies",
    title: "Sent and failed mail",
    period: `${MAIL_BODY_RETENTION_DAYS} days after it was sent, or ${FAILED_MAIL_RETENTION_DAYS} days after it was given up as failed`,
    action:
      "The text of the message is erased and the recipient's address replaced by a one-way code (so a row can still be matched to an address an erasure names). The subject and dates stay. Mail not yet sent is kept.",
    unit: ["message erased", "messages erased"],
    batchSize: 500,
  },
  {
    key: "accessRequests",
    title: "Requests for access",
    period: `${ACCESS_REQUEST_RETENTION_DAYS} days after the request was approved, declined or expired (a request nobody answered expires 30 days after it was made)`,
    action:
      "Deleted: the name, email address, organisation, job, start date and any reason for declining go, with the mail about the request. The audit log names the request by number only. An approved request's account is not affected.",
    unit: ["request for access deleted", "requests for access deleted"],
    batchSize: 500,
  },
  {
    key: "unverifiedAccounts",
    title: "Accounts never confirmed",
    period: `${UNVERIFIED_ACCOUNT_RETENTION_DAYS} days after the last link to choose a password expired (sign-ups never finished, approved requests for access never used)`,
    action:
      "Deleted, with the mail sent to them; their name and address are replaced in the audit log. Nobody ever signed in to them.",
    unit: ["unconfirmed account deleted", "unconfirmed accounts deleted"],
    batchSize: 100,
  },
  {
    key: "disabledAccounts",
    title: "Disabled accounts",
    period: `${DISABLED_ACCOUNT_RETENTION_MONTHS} months after the account was disabled, unless an administrator has put it on hold`,
    action:
      "The name, email address, job title and password are replaced, sessions and team places removed, and every request of theirs anonymised as above. An account with a request still open is kept until the request is finished.",
    unit: ["account anonymised", "accounts anonymised"],
    batchSize: 50,
  },
  {
    key: "leavingAnswers",
    title: "Leaving questionnaires",
    period: `${LEAVING_ANSWERS_RETENTION_MONTHS} months after they were answered`,
    action:
      "What the person wrote in their own words is erased and the answers are no longer linked to their account. The chosen answers (date, destination, reasons, what would have kept them, support used) stay and are only ever counted with others.",
    unit: ["questionnaire anonymised", "questionnaires anonymised"],
    batchSize: 500,
  },
  {
    key: "leavingContacts",
    title: "Leavers' consent to be contacted about coming back",
    period: `${LEAVING_CONTACT_RETENTION_MONTHS} months after the leaving date; not confirmed: when the confirmation link expires`,
    action: "Deleted: the name and personal email address go. The person can withdraw it sooner at /leaving.",
    unit: ["consent deleted", "consents deleted"],
    batchSize: 500,
  },
  {
    key: "leavingLinks",
    title: "Leaving questionnaire links",
    period: `${LEAVING_LINK_RETENTION_DAYS} days after they expired (60 days after they were sent)`,
    action: "Deleted (only hashes of the link and of the work address were stored). Answers given through them stay.",
    unit: ["link deleted", "links deleted"],
    batchSize: 1000,
  },
  {
    key: "checkIns",
    title: "First-year check-ins",
    period: `${CHECK_IN_RETENTION_MONTHS} months after they were answered, or after they expired unanswered (${CHECK_IN_OPEN_DAYS} days after they were sent)`,
    action:
      "Deleted: the point, dates and coded answers go, and the check-in no longer counts in /insights/first-year. Nothing anyone wrote is kept with a check-in; a support request one of them made stays and follows the rule for requests.",
    unit: ["check-in deleted", "check-ins deleted"],
    batchSize: 1000,
  },
];

export type RetentionCounts = Record<RetentionRuleKey, number>;

export interface RetentionResult {
  counts: RetentionCounts;
  /** Rules that reached MAX_BATCHES: more was due, the next run carries on. */
  more: RetentionRuleKey[];
  /** Rules that stopped with an error (the error's code only: the log has the rest). */
  errors: Partial<Record<RetentionRuleKey, string>>;
}

export interface RetentionRun extends RetentionResult {
  /** False when today's run had already been claimed (by this or another instance). */
  claimed: boolean;
  runKey: string;
}

/** `now` moved back by whole calendar months (UTC). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** A delete of up to `limit` rows picked by `pick` (a select of ids … for update skip locked); how many. */
async function deleteBatch(tx: Tx, table: string, pick: ReturnType<typeof sql>): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    tx,
    sql`with gone as (delete from ${sql.identifier(table)} where id in (${pick}) returning 1) select count(*)::int as n from gone`,
  );
  return Number(row?.n ?? 0);
}

/** One batch of each rule at `now`: how many rows it handled (fewer than the batch size: done). */
const BATCHES: Record<RetentionRuleKey, (tx: Tx, now: Date, limit: number) => Promise<number>> = {
  async requests(tx, now, limit) {
    const cutoff = monthsBefore(now, REQUEST_RETENTION_MONTHS);
    const due = await queryRows<{ id: number }>(
      tx,
      sql`select id from support_requests
           where status in ('closed', 'withdrawn') and anonymised_at is null and closed_at < ${at(cutoff)}
           order by closed_at, id limit ${limit} for update skip locked`,
    );
    await anonymiseRequests(
      tx,
      due.map((r) => Number(r.id)),
      now,
    );
    return due.length;
  },
  sessions(tx, now, limit) {
    const absolute = new Date(now.getTime() - SESSION_ABSOLUTE_HOURS * HOUR_MS);
    return deleteBatch(
      tx,
      "sessions",
      sql`select id from sessions where expires_at <= ${at(now)} or created_at <= ${at(absolute)}
           limit ${limit} for update skip locked`,
    );
  },
  async verificationTokens(tx, now, limit) {
    // Every single-use link and the two-step sign-in's challenges: each table by its expires_at index.
    let n = 0;
    for (const table of [
      "email_verification_tokens",
      "password_reset_tokens",
      "email_change_tokens",
      "sign_in_challenges",
    ]) {
      n += await deleteBatch(
        tx,
        table,
        sql`select id from ${sql.identifier(table)} where expires_at <= ${at(now)} limit ${limit} for update skip locked`,
      );
    }
    return n;
  },
  signInAttempts(tx, now, limit) {
    const cutoff = new Date(now.getTime() - THROTTLE_RETENTION_HOURS * HOUR_MS);
    return deleteBatch(
      tx,
      "auth_throttle_events",
      sql`select id from auth_throttle_events where occurred_at < ${at(cutoff)} limit ${limit} for update skip locked`,
    );
  },
  async mailBodies(tx, now, limit) {
    const cutoff = new Date(now.getTime() - MAIL_BODY_RETENTION_DAYS * DAY_MS);
    const failedCutoff = new Date(now.getTime() - FAILED_MAIL_RETENTION_DAYS * DAY_MS);
    // The recipient becomes "sha256:<hex of the lower-cased address>": no address kept, yet
    // still comparable. Sent mail through mail_outbox_retention_idx, failed through mail_outbox_failed_idx.
    const blank = sql`text_body = '', last_error = null,
      to_address = case when to_address like 'sha256:%' then to_address
        else 'sha256:' || encode(sha256(convert_to(lower(to_address), 'UTF8')), 'hex') end`;
    const [sent] = await queryRows<{ n: number | string }>(
      tx,
      sql`with done as (
            update mail_outbox set ${blank} where id in (
              select id from mail_outbox where status = 'sent' and text_body <> '' and sent_at < ${at(cutoff)}
               order by sent_at, id limit ${limit} for update skip locked)
            returning 1)
          select count(*)::int as n from done`,
    );
    const [failed] = await queryRows<{ n: number | string }>(
      tx,
      sql`with done as (
            update mail_outbox set ${blank} where id in (
              select id from mail_outbox where status = 'failed' and text_body <> '' and failed_at < ${at(failedCutoff)}
               order by id limit ${limit} for update skip locked)
            returning 1)
          select count(*)::int as n from done`,
    );
    // One batch is done when both found fewer than `limit`: report the larger so the loop goes on.
    return Math.max(Number(sent?.n ?? 0), Number(failed?.n ?? 0));
  },
  async accessRequests(tx, now, limit) {
    // Ended when decided (approved or declined), else when it expired: a pending one past expires_at
    // has expired, and one replaced by a newer request (status expired) counts from its expires_at.
    // Through access_requests_ended_idx (the same expression).
    const cutoff = new Date(now.getTime() - ACCESS_REQUEST_RETENTION_DAYS * DAY_MS);
    const due = await queryRows<{ id: number; email: string }>(
      tx,
      sql`select id, email from access_requests where coalesce(decided_at, expires_at) < ${at(cutoff)}
           limit ${limit} for update skip locked`,
    );
    if (due.length === 0) return 0;
    const emails = due.map((r) => r.email.toLowerCase());
    const hashed = emails.map((e) => `sha256:${createHash("sha256").update(e).digest("hex")}`);
    // The mail about the request (received, declined), to an address that was nobody's account then;
    // mail an account's own rules keep (user_id set) is left alone. Unless another request from the
    // same address is still within its time.
    await tx.execute(
      sql`delete from mail_outbox m
           where m.user_id is null and m.status <> 'pending'
             and (lower(m.to_address) in (${sql.join(
               emails.map((e) => sql`${e}`),
               sql`, `,
             )}) or m.to_address in (${sql.join(
               hashed.map((e) => sql`${e}`),
               sql`, `,
             )}))
             and not exists (select 1 from access_requests a
                              where lower(a.email) = lower(m.to_address)
                                and coalesce(a.decided_at, a.expires_at) >= ${at(cutoff)})`,
    );
    return deleteBatch(
      tx,
      "access_requests",
      sql`select id from access_requests where id in (${sql.join(
        due.map((r) => sql`${Number(r.id)}`),
        sql`, `,
      )})`,
    );
  },
  async unverifiedAccounts(tx, now, limit) {
    // Never confirmed, nothing of theirs a rule must keep, and no link of theirs alive or expired
    // within the period (links are deleted when they expire, so the account's age stands in then).
    const cutoff = new Date(now.getTime() - UNVERIFIED_ACCOUNT_RETENTION_DAYS * DAY_MS);
    const due = await queryRows<{ id: string }>(
      tx,
      sql`select u.id from users u
           where u.email_verified_at is null and u.erased_at is null and u.role = 'staff'
             and u.created_at < ${at(cutoff)}
             and not exists (select 1 from email_verification_tokens t
                              where t.user_id = u.id and t.expires_at >= ${at(cutoff)})
             and not exists (select 1 from support_requests r where r.requester_id = u.id)
           order by u.created_at, u.id limit ${limit} for update of u skip locked`,
    );
    for (const { id } of due) await deleteUnverifiedAccount(tx, id);
    return due.length;
  },
  async disabledAccounts(tx, now, limit) {
    const cutoff = monthsBefore(now, DISABLED_ACCOUNT_RETENTION_MONTHS);
    const due = await queryRows<{ id: string }>(
      tx,
      sql`select u.id from users u
           where u.disabled_at is not null and u.erased_at is null and u.disabled_at < ${at(cutoff)}
             and not u.retention_hold
             and not exists (select 1 from support_requests r
                              where r.requester_id = u.id
                                and r.status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred'))
           order by u.disabled_at, u.id limit ${limit} for update of u skip locked`,
    );
    for (const { id } of due) await anonymiseAccount(tx, id, now);
    return due.length;
  },
  async leavingAnswers(tx, now, limit) {
    const cutoff = monthsBefore(now, LEAVING_ANSWERS_RETENTION_MONTHS);
    const [row] = await queryRows<{ n: number | string }>(
      tx,
      sql`with done as (
            update leaving_responses set details = null, user_id = null, anonymised_at = ${at(now)} where id in (
              select id from leaving_responses where anonymised_at is null and created_at < ${at(cutoff)}
               order by created_at, id limit ${limit} for update skip locked)
            returning 1)
          select count(*)::int as n from done`,
    );
    return Number(row?.n ?? 0);
  },
  leavingContacts(tx, now, limit) {
    const cutoff = monthsBefore(now, LEAVING_CONTACT_RETENTION_MONTHS).toISOString().slice(0, 10);
    return deleteBatch(
      tx,
      "leaving_contacts",
      sql`select c.id from leaving_contacts c join leaving_responses r on r.id = c.response_id
           where (c.verified_at is null and c.token_expires_at <= ${at(now)})
              or (c.verified_at is null and c.token_expires_at is null)
              or r.leaving_date < ${cutoff}::date
           limit ${limit} for update of c skip locked`,
    );
  },
  checkIns(tx, now, limit) {
    const cutoff = monthsBefore(now, CHECK_IN_RETENTION_MONTHS);
    // Answered ones by answered_at, unanswered ones by expires_at (sent + 21 days). Either is after
    // sent_at, so "sent before the cutoff" narrows both through check_ins_sent_idx.
    return deleteBatch(
      tx,
      "check_ins",
      sql`select id from check_ins
           where sent_at < ${at(cutoff)}
             and (answered_at < ${at(cutoff)}
                  or (answered_at is null and expires_at < ${at(cutoff)}))
           limit ${limit} for update skip locked`,
    );
  },
  leavingLinks(tx, now, limit) {
    const cutoff = new Date(now.getTime() - LEAVING_LINK_RETENTION_DAYS * DAY_MS);
    return deleteBatch(
      tx,
      "leaving_links",
      sql`select id from leaving_links where expires_at < ${at(cutoff)} limit ${limit} for update skip locked`,
    );
  },
};

export interface RetentionOptions {
  /** Batches per rule in one run (default MAX_BATCHES). */
  maxBatches?: number;
  /** Rows per batch for every rule (default: each rule's own batchSize). */
  batchSize?: number;
}

/** A short, content-free name for an error (a PostgreSQL SQLSTATE, else the error's class). */
function errorCode(err: unknown): string {
  if (err && typeof err === "object") {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    const name = (err as { name?: unknown }).name;
    if (typeof name === "string" && /^\w{1,40}$/.test(name)) return name;
  }
  return "error";
}

function emptyCounts(): RetentionCounts {
  return Object.fromEntries(RETENTION_RULES.map((r) => [r.key, 0])) as RetentionCounts;
}

/**
 * Applies the schedule at `now` (every rule, each in batches). No claim: runRetentionOnceToday is the
 * scheduler's entry point; this one is for it and for tests. `maxBatches` bounds the work per rule.
 */
export async function applyRetention(now = new Date(), options: RetentionOptions = {}): Promise<RetentionResult> {
  const maxBatches = options.maxBatches ?? MAX_BATCHES;
  const result: RetentionResult = { counts: emptyCounts(), more: [], errors: {} };
  for (const rule of RETENTION_RULES) {
    try {
      for (let batch = 0; ; batch += 1) {
        if (batch === maxBatches) {
          result.more.push(rule.key);
          break;
        }
        const size = options.batchSize ?? rule.batchSize;
        const n = await getDb().transaction((tx) => BATCHES[rule.key](tx, now, size));
        result.counts[rule.key] += n;
        if (n < size) break;
      }
    } catch (err) {
      // One rule failing does not stop the others; the log has the error (redacted), the run its code.
      log.error({ err, job: RETENTION_JOB, rule: rule.key }, "retention rule failed");
      result.errors[rule.key] = errorCode(err);
    }
  }
  return result;
}

/**
 * Today's run (London date of `now`) unless it has been claimed already: claims it, applies the
 * schedule, records and logs what it did. Returns claimed: false (and does nothing) if claimed.
 */
export async function runRetentionOnceToday(now = new Date(), options: RetentionOptions = {}): Promise<RetentionRun> {
  const runKey = londonDate(now);
  const [claim] = await getDb()
    .insert(jobRuns)
    .values({ name: RETENTION_JOB, runKey, startedAt: now })
    .onConflictDoNothing()
    .returning({ runKey: jobRuns.runKey });
  if (!claim) return { claimed: false, runKey, counts: emptyCounts(), more: [], errors: {} };

  const started = performance.now();
  const result = await applyRetention(now, options);
  const ms = Math.round(performance.now() - started);
  const failed = Object.entries(result.errors);
  await getDb()
    .update(jobRuns)
    .set({
      // On the run's own clock (`now` may be moved, in tests): started at now, took ms.
      finishedAt: new Date(now.getTime() + ms),
      result: { counts: result.counts, more: result.more, errors: result.errors },
      error: failed.length ? failed.map(([rule, code]) => `${rule}: ${code}`).join(", ") : null,
    })
    .where(and(eq(jobRuns.name, RETENTION_JOB), eq(jobRuns.runKey, runKey)));
  const line = {
    job: RETENTION_JOB,
    runKey,
    ms,
    ...result.counts,
    more: result.more,
    errors: result.errors,
  };
  if (Object.keys(result.errors).length) log.warn(line, "retention run finished with errors");
  else log.info(line, "retention run finished");
  return { claimed: true, runKey, ...result };
}

export interface RetentionRunRecord {
  runKey: string;
  startedAt: Date;
  finishedAt: Date | null;
  counts: Partial<RetentionCounts>;
  more: RetentionRuleKey[];
  errors: Partial<Record<RetentionRuleKey, string>>;
}

/** The latest recorded runs, newest first (primary key order: run keys are London dates). */
export async function recentRetentionRuns(limit = 7): Promise<RetentionRunRecord[]> {
  const rows = await getDb()
    .select()
    .from(jobRuns)
    .where(eq(jobRuns.name, RETENTION_JOB))
    .orderBy(desc(jobRuns.runKey))
    .limit(limit);
  return rows.map((row) => {
    const result = (row.result ?? {}) as Partial<RetentionResult>;
    return {
      runKey: row.runKey,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      counts: result.counts ?? {},
      more: result.more ?? [],
      errors: result.errors ?? {},
    };
  });
}
