// Counting for sign-in, sign-up and account-mail throttling, in the database so that every app
// instance sees the same counts (the policy and its numbers: auth/throttle.server.ts and
// docs/decisions/017-sign-in-throttling.md). Callers are the account functions in
// accounts.server.ts; nothing here is scoped to a signed-in person because nobody is signed in yet.
//
// Counts that decide whether a mail is sent are taken under a transaction-scoped advisory lock on
// the address (or client), so two instances counting at once cannot both send the 4th mail.
import { createHash } from "node:crypto";
import { and, count, desc, eq, gt, max, sql } from "drizzle-orm";
import { queryRows, type DatabaseOrTx, type Tx } from "@db/client";
import { getDb } from "@db/current";
import { authThrottleEvents, type AuthThrottleKind } from "@db/schema";
import {
  ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR,
  clientLookbackStart,
  clientRefusedUntil,
  PAIR_WINDOW_HOURS,
  pairDelaySeconds,
  RETENTION_HOURS,
  SIGNUPS_PER_CLIENT_PER_HOUR,
  WARNING_AFTER_FAILURES,
  WARNING_INTERVAL_MINUTES,
  WARNING_WINDOW_MINUTES,
} from "../auth/throttle.server";

const HOUR_MS = 3600_000;

/** How an address is stored and counted: SHA-256 of its normalised (trimmed, lower-case) form. */
export function addressKey(email: string) {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

/** Serialises, until the transaction ends, every other transaction that takes the same key. */
async function lockKey(tx: Tx, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

async function record(
  db: DatabaseOrTx,
  kind: AuthThrottleKind,
  values: { client?: string; emailHash?: string },
  now: Date,
) {
  await db
    .insert(authThrottleEvents)
    .values({ kind, client: values.client ?? null, emailHash: values.emailHash ?? null, occurredAt: now });
}

export type SignInGate = { allowed: true } | { allowed: false; scope: "client" | "pair"; retryAfterSeconds: number };

/**
 * May this client try a password for this address now? Asked before the password is checked, so
 * a refused attempt costs two indexed reads and no argon2; it is not recorded.
 * - the client is refused when it reached CLIENT_FAILURE_LIMIT failures in CLIENT_WINDOW_MINUTES
 *   (any addresses) less than CLIENT_REFUSAL_MINUTES ago;
 * - the pair waits pairDelaySeconds(failures in the last PAIR_WINDOW_HOURS) after its latest failure.
 * Another client, the owner's, is not affected by either.
 */
export async function signInGate(client: string, emailHash: string, now = new Date()): Promise<SignInGate> {
  const db = getDb();
  const [clientRows, [pair]] = await Promise.all([
    db
      .select({ at: authThrottleEvents.occurredAt })
      .from(authThrottleEvents)
      .where(
        and(
          eq(authThrottleEvents.kind, "sign_in_failure"),
          eq(authThrottleEvents.client, client),
          gt(authThrottleEvents.occurredAt, clientLookbackStart(now)),
        ),
      )
      .orderBy(desc(authThrottleEvents.occurredAt))
      .limit(500),
    db
      .select({ failures: count(), latest: max(authThrottleEvents.occurredAt) })
      .from(authThrottleEvents)
      .where(
        and(
          eq(authThrottleEvents.kind, "sign_in_failure"),
          eq(authThrottleEvents.emailHash, emailHash),
          eq(authThrottleEvents.client, client),
          gt(authThrottleEvents.occurredAt, new Date(now.getTime() - PAIR_WINDOW_HOURS * HOUR_MS)),
        ),
      ),
  ]);
  const refusedUntil = clientRefusedUntil(
    clientRows.map((r) => r.at),
    now,
  );
  if (refusedUntil) {
    return {
      allowed: false,
      scope: "client",
      retryAfterSeconds: Math.ceil((refusedUntil.getTime() - now.getTime()) / 1000),
    };
  }
  const delay = pairDelaySeconds(Number(pair?.failures ?? 0));
  const latest = pair?.latest ? new Date(pair.latest) : null;
  if (delay > 0 && latest) {
    const waitMs = latest.getTime() + delay * 1000 - now.getTime();
    if (waitMs > 0) return { allowed: false, scope: "pair", retryAfterSeconds: Math.ceil(waitMs / 1000) };
  }
  return { allowed: true };
}

/**
 * Records a failed sign-in (a wrong password, or an address with no usable account: the same work
 * is done for both, so the time taken does not tell them apart) and says whether the address's
 * owner is now due a warning: this failure brought the address to WARNING_AFTER_FAILURES or more
 * within WARNING_WINDOW_MINUTES (from any clients) and no warning went out in the last
 * WARNING_INTERVAL_MINUTES. When it returns true the warning is recorded too: the caller enqueues
 * the mail in the same transaction, or not at all if the address has no account to warn.
 */
export async function recordSignInFailure(
  tx: Tx,
  client: string,
  emailHash: string,
  now = new Date(),
): Promise<boolean> {
  await lockKey(tx, `auth-throttle:address:${emailHash}`);
  await record(tx, "sign_in_failure", { client, emailHash }, now);
  const [failures] = await tx
    .select({ n: count() })
    .from(authThrottleEvents)
    .where(
      and(
        eq(authThrottleEvents.kind, "sign_in_failure"),
        eq(authThrottleEvents.emailHash, emailHash),
        gt(authThrottleEvents.occurredAt, new Date(now.getTime() - WARNING_WINDOW_MINUTES * 60_000)),
      ),
    );
  const [warned] = await tx
    .select({ n: count() })
    .from(authThrottleEvents)
    .where(
      and(
        eq(authThrottleEvents.kind, "sign_in_warning"),
        eq(authThrottleEvents.emailHash, emailHash),
        gt(authThrottleEvents.occurredAt, new Date(now.getTime() - WARNING_INTERVAL_MINUTES * 60_000)),
      ),
    );
  const due = Number(failures.n) >= WARNING_AFTER_FAILURES && Number(warned.n) === 0;
  if (due) await record(tx, "sign_in_warning", { emailHash }, now);
  return due;
}

/** After a successful sign-in the pair starts afresh (the owner's own typos do not slow them later). */
export async function clearPairFailures(client: string, emailHash: string) {
  await getDb()
    .delete(authThrottleEvents)
    .where(
      and(
        eq(authThrottleEvents.kind, "sign_in_failure"),
        eq(authThrottleEvents.emailHash, emailHash),
        eq(authThrottleEvents.client, client),
      ),
    );
}

export type SignUpGate = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts a sign-up from this client, or refuses it when the client has made
 * SIGNUPS_PER_CLIENT_PER_HOUR in the last hour (refused ones are not counted).
 */
export async function takeSignUpAllowance(client: string, now = new Date()): Promise<SignUpGate> {
  return getDb().transaction(async (tx) => {
    await lockKey(tx, `auth-throttle:client:${client}`);
    const rows = await tx
      .select({ at: authThrottleEvents.occurredAt })
      .from(authThrottleEvents)
      .where(
        and(
          eq(authThrottleEvents.kind, "sign_up"),
          eq(authThrottleEvents.client, client),
          gt(authThrottleEvents.occurredAt, new Date(now.getTime() - HOUR_MS)),
        ),
      )
      .orderBy(desc(authThrottleEvents.occurredAt))
      .limit(SIGNUPS_PER_CLIENT_PER_HOUR);
    if (rows.length >= SIGNUPS_PER_CLIENT_PER_HOUR) {
      // Room again once the oldest of the last SIGNUPS_PER_CLIENT_PER_HOUR is an hour old.
      const oldest = rows[rows.length - 1].at.getTime();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + HOUR_MS - now.getTime()) / 1000)) };
    }
    await record(tx, "sign_up", { client }, now);
    return { allowed: true };
  });
}

/**
 * May an account mail (verification link, "you already have an account", "waiting to be
 * confirmed") go to this address? At most ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR in any hour, however
 * many clients ask. Counts the mail when it says yes; call inside the transaction that enqueues it.
 */
export async function takeAccountMailAllowance(tx: Tx, emailHash: string, now = new Date()): Promise<boolean> {
  await lockKey(tx, `auth-throttle:address:${emailHash}`);
  const [sent] = await tx
    .select({ n: count() })
    .from(authThrottleEvents)
    .where(
      and(
        eq(authThrottleEvents.kind, "account_mail"),
        eq(authThrottleEvents.emailHash, emailHash),
        gt(authThrottleEvents.occurredAt, new Date(now.getTime() - HOUR_MS)),
      ),
    );
  if (Number(sent.n) >= ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR) return false;
  await record(tx, "account_mail", { emailHash }, now);
  return true;
}

/** The daily purge: deletes every throttle row older than RETENTION_HOURS; returns how many. */
export async function purgeThrottleEvents(now = new Date(), db: DatabaseOrTx = getDb()): Promise<number> {
  const cutoff = new Date(now.getTime() - RETENTION_HOURS * HOUR_MS).toISOString();
  // Counted in the database: a day after a flood there may be many rows, and their ids are not wanted.
  const [row] = await queryRows<{ deleted: number | string }>(
    db,
    sql`with gone as (delete from auth_throttle_events where occurred_at < ${cutoff}::timestamptz returning 1)
        select count(*)::int as deleted from gone`,
  );
  return Number(row?.deleted ?? 0);
}
