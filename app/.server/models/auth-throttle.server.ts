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
import { TWO_STEP_FAILURE_LIMIT, TWO_STEP_FAILURE_WINDOW_MINUTES } from "../auth/two-step.server";

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

/** A claimed attempt: its row (kind sign_in_failure or two_step_failure) is already counted. */
export type Claim = { allowed: true; claimId: number };

/**
 * Whether this client may try a password for this address now, read from `db` (the claim's
 * transaction). A refused attempt costs two indexed reads and no argon2; it is not recorded.
 * - the client is refused when it reached CLIENT_FAILURE_LIMIT failures in CLIENT_WINDOW_MINUTES
 *   (any addresses) less than CLIENT_REFUSAL_MINUTES ago;
 * - the pair waits pairDelaySeconds(failures in the last PAIR_WINDOW_HOURS) after its latest failure.
 * Another client, the owner's, is not affected by either.
 */
async function signInGate(db: DatabaseOrTx, client: string, emailHash: string, now: Date): Promise<SignInGate> {
  const clientRows = await db
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
    .limit(500);
  const [pair] = await db
    .select({ failures: count(), latest: max(authThrottleEvents.occurredAt) })
    .from(authThrottleEvents)
    .where(
      and(
        eq(authThrottleEvents.kind, "sign_in_failure"),
        eq(authThrottleEvents.emailHash, emailHash),
        eq(authThrottleEvents.client, client),
        gt(authThrottleEvents.occurredAt, new Date(now.getTime() - PAIR_WINDOW_HOURS * HOUR_MS)),
      ),
    );
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
 * Claim, then check: asked before a password is checked (sign-in, change of password, deleting the
 * account, turning two-step off). In one transaction, under advisory locks on the client and the
 * address, it reads the gate and, when allowed, records the attempt as a failure at once, so
 * concurrent attempts each see the ones before them and no more than the limits are ever checked.
 * The caller then checks the password: when it is wrong the row stays (call signInFailed for the
 * owner's warning); when it is right the caller deletes it (clearPairFailures or releaseClaim).
 */
export async function claimSignInAttempt(
  client: string,
  emailHash: string,
  now = new Date(),
): Promise<Claim | Exclude<SignInGate, { allowed: true }>> {
  return getDb().transaction(async (tx) => {
    // Always client first, then address: two claims never wait for each other in a circle.
    await lockKey(tx, `auth-throttle:client:${client}`);
    await lockKey(tx, `auth-throttle:address:${emailHash}`);
    const gate = await signInGate(tx, client, emailHash, now);
    if (!gate.allowed) return gate;
    const [row] = await tx
      .insert(authThrottleEvents)
      .values({ kind: "sign_in_failure", client, emailHash, occurredAt: now })
      .returning({ id: authThrottleEvents.id });
    return { allowed: true as const, claimId: row.id };
  });
}

/** A claimed attempt that succeeded (or was not a guess) is not counted: its row goes. */
export async function releaseClaim(claimId: number, db: DatabaseOrTx = getDb()) {
  await db.delete(authThrottleEvents).where(eq(authThrottleEvents.id, claimId));
}

/**
 * After a claimed sign-in attempt failed (a wrong password, or an address with no usable account:
 * the same work is done for both, so the time taken does not tell them apart): says whether the
 * address's owner is now due a warning: WARNING_AFTER_FAILURES or more failures within
 * WARNING_WINDOW_MINUTES (from any clients) and no warning went out in the last
 * WARNING_INTERVAL_MINUTES. When it returns true the warning is recorded too: the caller enqueues
 * the mail in the same transaction, or not at all if the address has no account to warn.
 */
export async function signInFailed(tx: Tx, emailHash: string, now = new Date()): Promise<boolean> {
  await lockKey(tx, `auth-throttle:address:${emailHash}`);
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

/**
 * The second step (a two-step code or recovery code, at sign-in or in the account's settings):
 * claim-then-check like claimSignInAttempt, counted against the address from any client. After
 * TWO_STEP_FAILURE_LIMIT in TWO_STEP_FAILURE_WINDOW_MINUTES nothing is checked until the oldest of
 * them leaves the window. The caller releases the claim (releaseClaim) when the code was right.
 */
export async function claimTwoStepAttempt(
  client: string,
  emailHash: string,
  now = new Date(),
): Promise<Claim | { allowed: false; retryAfterSeconds: number }> {
  return getDb().transaction(async (tx) => {
    await lockKey(tx, `auth-throttle:two-step:${emailHash}`);
    const windowStart = new Date(now.getTime() - TWO_STEP_FAILURE_WINDOW_MINUTES * 60_000);
    const failures = await tx
      .select({ at: authThrottleEvents.occurredAt })
      .from(authThrottleEvents)
      .where(
        and(
          eq(authThrottleEvents.kind, "two_step_failure"),
          eq(authThrottleEvents.emailHash, emailHash),
          gt(authThrottleEvents.occurredAt, windowStart),
        ),
      )
      .orderBy(desc(authThrottleEvents.occurredAt))
      .limit(TWO_STEP_FAILURE_LIMIT);
    if (failures.length >= TWO_STEP_FAILURE_LIMIT) {
      const oldest = failures[failures.length - 1].at.getTime();
      const wait = oldest + TWO_STEP_FAILURE_WINDOW_MINUTES * 60_000 - now.getTime();
      return { allowed: false as const, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    }
    const [row] = await tx
      .insert(authThrottleEvents)
      .values({ kind: "two_step_failure", client, emailHash, occurredAt: now })
      .returning({ id: authThrottleEvents.id });
    return { allowed: true as const, claimId: row.id };
  });
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
