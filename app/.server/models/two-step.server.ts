// Two-step verification, stored (docs/decisions/029-two-step-verification.md): a person's own
// settings at /account/security (scoped to the caller), and the sign-in challenge between the
// password and the code (nobody is signed in yet: keyed by the challenge cookie's hash).
import { and, count, eq, gt, isNotNull, isNull, lt, lte, or } from "drizzle-orm";
import type { Tx } from "@db/client";
import { getDb } from "@db/current";
import { adminProposals, signInChallenges, twoStepRecoveryCodes, twoStepSettings, users } from "@db/schema";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import { endAllSessions } from "../auth/lucia.server";
import { verifyPassword } from "../auth/password.server";
import { describeWait } from "../auth/throttle.server";
import {
  CHALLENGE_MINUTES,
  challengeTokenHash,
  groupedSecret,
  looksLikeRecoveryCode,
  newChallengeToken,
  newRecoveryCodes,
  newSecret,
  openSecret,
  otpauthUri,
  qrCodeSvg,
  recoveryCodeHash,
  sealSecret,
  totpStep,
  twoStepRequiredFor,
} from "../auth/two-step.server";
import type { CurrentUser } from "../auth/types";
import { roleMay } from "../permissions.server";
import { recordAdminChange } from "./admin/common.server";
import {
  addressKey,
  claimSignInAttempt,
  claimTwoStepAttempt,
  clearPairFailures,
  releaseClaim,
  signInFailed,
} from "./auth-throttle.server";

export interface TwoStepStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  /** Their role must use it (MFA_REQUIRED_FOR): it cannot be turned off. */
  required: boolean;
}

export async function twoStepStatus(caller: CurrentUser): Promise<TwoStepStatus> {
  const db = getDb();
  const [[row], [codes]] = await Promise.all([
    db
      .select({ enabledAt: twoStepSettings.enabledAt })
      .from(twoStepSettings)
      .where(eq(twoStepSettings.userId, caller.id)),
    db
      .select({ n: count() })
      .from(twoStepRecoveryCodes)
      .where(and(eq(twoStepRecoveryCodes.userId, caller.id), isNull(twoStepRecoveryCodes.usedAt))),
  ]);
  const enabledAt = row?.enabledAt ?? null;
  return {
    enabled: enabledAt !== null,
    enabledAt,
    recoveryCodesLeft: enabledAt ? Number(codes?.n ?? 0) : 0,
    required: twoStepRequiredFor(caller.role),
  };
}

/** True when two-step verification is on for this account. */
export async function hasTwoStep(userId: string): Promise<boolean> {
  const [row] = await getDb()
    .select({ userId: twoStepSettings.userId })
    .from(twoStepSettings)
    .where(and(eq(twoStepSettings.userId, userId), isNotNull(twoStepSettings.enabledAt)));
  return row !== undefined;
}

/** Their role must use two-step verification and it is not on yet: they must set it up first. */
export async function mustSetUpTwoStep(user: Pick<CurrentUser, "id" | "role">): Promise<boolean> {
  if (!twoStepRequiredFor(user.role)) return false;
  return !(await hasTwoStep(user.id));
}

export interface TwoStepSetup {
  secret: string;
  qrSvg: string;
  /**
   * Names this pending secret (when it was made, in ms): the setup form carries it, and
   * confirmSetup refuses a form whose secret has since been replaced or is past its time.
   */
  setupId: string;
}

/** A secret shown at setup and not confirmed within this long is replaced by a new one. */
export const PENDING_SECRET_MINUTES = 15;

/**
 * The secret being set up (made on first call and kept until confirmed, for at most
 * PENDING_SECRET_MINUTES, so reloading the page shows the same QR code the app has already
 * scanned), or null when two-step is already on. An older one, or one that cannot be read, is
 * replaced: a secret seen on a screen long ago (a shoulder, a photo) cannot be confirmed later.
 */
export async function pendingSetup(caller: CurrentUser, now = new Date()): Promise<TwoStepSetup | null> {
  const db = getDb();
  await db
    .insert(twoStepSettings)
    .values({ userId: caller.id, secret: sealSecret(newSecret()), createdAt: now })
    .onConflictDoNothing();
  const [row] = await db.select().from(twoStepSettings).where(eq(twoStepSettings.userId, caller.id));
  if (!row || row.enabledAt) return null;
  let secret = openSecret(row.secret);
  let createdAt = row.createdAt;
  if (!secret || pendingSecretExpired(createdAt, now)) {
    // Unreadable (the key changed before it was confirmed) or too old: start again with a new one.
    secret = newSecret();
    createdAt = now;
    await db
      .update(twoStepSettings)
      .set({ secret: sealSecret(secret), lastUsedStep: null, createdAt: now })
      .where(and(eq(twoStepSettings.userId, caller.id), isNull(twoStepSettings.enabledAt)));
  }
  return {
    secret: groupedSecret(secret),
    qrSvg: await qrCodeSvg(otpauthUri(secret, caller.email)),
    setupId: setupIdOf(createdAt),
  };
}

function pendingSecretExpired(createdAt: Date, now: Date) {
  return createdAt.getTime() <= now.getTime() - PENDING_SECRET_MINUTES * 60_000;
}

function setupIdOf(createdAt: Date) {
  return String(createdAt.getTime());
}

export type TwoStepResult<T> =
  { ok: true; value: T } | { ok: false; field: "otp" | "password"; message: string; retryAfterSeconds?: number };

const WRONG_CODE = "The code is not right: enter the 6-digit code your app shows now";
export const SETUP_EXPIRED =
  "This set-up has expired: scan the new QR code with your app (or type the new key), then enter the code it shows";
const WRONG_PASSWORD_OR_CODE = "The password or the code is not right";

/**
 * Seconds until the address may try a code again: TWO_STEP_FAILURE_LIMIT wrong codes (sign-in, or
 * the settings below) within TWO_STEP_FAILURE_WINDOW_MINUTES, from any client; null when it may now.
 */
function throttled(field: "otp" | "password", retryAfterSeconds: number) {
  return {
    ok: false as const,
    field,
    message: `Too many wrong attempts. Wait ${describeWait(retryAfterSeconds)} and try again`,
    retryAfterSeconds,
  };
}

/**
 * A TOTP code for the person, accepted only for a time step later than the last one used (the
 * UPDATE makes two requests with the same code race: one wins). Inside the caller's transaction.
 */
async function consumeTotp(tx: Tx, userId: string, storedSecret: string, code: string, now: Date): Promise<boolean> {
  const secret = openSecret(storedSecret);
  if (!secret) return false;
  const step = totpStep(secret, code, now);
  if (step === null) return false;
  const used = await tx
    .update(twoStepSettings)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(twoStepSettings.userId, userId),
        or(isNull(twoStepSettings.lastUsedStep), lt(twoStepSettings.lastUsedStep, step)),
      ),
    )
    .returning({ userId: twoStepSettings.userId });
  return used.length === 1;
}

/** Marks an unused recovery code used; false when there is no such unused code. */
async function consumeRecoveryCode(tx: Tx, userId: string, code: string, now: Date): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const used = await tx
    .update(twoStepRecoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(twoStepRecoveryCodes.userId, userId),
        eq(twoStepRecoveryCodes.codeHash, recoveryCodeHash(userId, code)),
        isNull(twoStepRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: twoStepRecoveryCodes.id });
  return used.length === 1;
}

/** A code from the app, or (when allowed) one of the recovery codes, for someone with two-step on. */
async function consumeCode(tx: Tx, userId: string, code: string, now: Date, allowRecovery: boolean) {
  const [row] = await tx
    .select()
    .from(twoStepSettings)
    .where(and(eq(twoStepSettings.userId, userId), isNotNull(twoStepSettings.enabledAt)))
    .for("update");
  if (!row) return false;
  if (await consumeTotp(tx, userId, row.secret, code, now)) return true;
  return allowRecovery && (await consumeRecoveryCode(tx, userId, code, now));
}

/**
 * Turns two-step verification on once the person proves their app has the secret; returns the 10
 * recovery codes, to be shown once (only their hashes are kept). `setupId` is the one the form
 * showed (pendingSetup): a form whose secret has been replaced since (another tab, or the page
 * opened again after PENDING_SECRET_MINUTES) or is now past its time is refused with SETUP_EXPIRED
 * and no code is checked; the page then shows the new QR code. Wrong codes count as two-step
 * failures for the address (the sign-in limit), and past the limit no code is checked. The person
 * is told by email and the change is in the audit log.
 */
export async function confirmSetup(
  caller: CurrentUser,
  input: { otp: string; setupId?: string },
  client = "unknown",
  now = new Date(),
  /** The session in use, which stays signed in; every other session of the person ends. */
  keepSessionId?: string,
): Promise<TwoStepResult<string[]>> {
  const emailHash = addressKey(caller.email);
  // Claimed before the code is checked, so parallel guesses cannot all slip under the limit.
  const claim = await claimTwoStepAttempt(client, emailHash, now);
  if (!claim.allowed) return throttled("otp", claim.retryAfterSeconds);
  return getDb().transaction(async (tx): Promise<TwoStepResult<string[]>> => {
    const [row] = await tx.select().from(twoStepSettings).where(eq(twoStepSettings.userId, caller.id)).for("update");
    if (row?.enabledAt) {
      await releaseClaim(claim.claimId, tx);
      return { ok: false, field: "otp", message: "Two-step verification is already on" };
    }
    if (!row || input.setupId !== setupIdOf(row.createdAt) || pendingSecretExpired(row.createdAt, now)) {
      await releaseClaim(claim.claimId, tx); // no code was checked
      return { ok: false, field: "otp", message: SETUP_EXPIRED };
    }
    // A wrong code leaves the claimed attempt counted; a right one releases it.
    if (!(await consumeTotp(tx, caller.id, row.secret, input.otp, now)))
      return { ok: false, field: "otp", message: WRONG_CODE };
    await releaseClaim(claim.claimId, tx);
    await tx.update(twoStepSettings).set({ enabledAt: now }).where(eq(twoStepSettings.userId, caller.id));
    const codes = newRecoveryCodes();
    await tx.delete(twoStepRecoveryCodes).where(eq(twoStepRecoveryCodes.userId, caller.id));
    await tx
      .insert(twoStepRecoveryCodes)
      .values(codes.map((c) => ({ userId: caller.id, codeHash: recoveryCodeHash(caller.id, c) })));
    await recordOwnChange(tx, caller, "enabled", now);
    // A session opened with the password alone (perhaps someone else's, with a guessed or stolen
    // password) must not outlive the switch to two-step: every other session ends (review of
    // issue 12, finding 13). The one in use stays.
    await endAllSessions(caller.id, { except: keepSessionId, tx });
    return { ok: true, value: codes };
  });
}

type OwnChange = "enabled" | "disabled" | "recovery_codes_replaced";

/**
 * A change the person made to their own two-step verification: an audit entry (they are the
 * actor) and a mail to their address, in the change's transaction, so someone who did not make it
 * (a stolen session) learns of it.
 */
async function recordOwnChange(tx: Tx, caller: CurrentUser, change: OwnChange, now: Date) {
  const audit = {
    enabled: {
      action: "two_step_enabled",
      summary: "The person turned on two-step verification",
      before: { twoStepVerification: "off" },
      after: { twoStepVerification: "on" },
    },
    disabled: {
      action: "two_step_disabled",
      summary: "The person turned off two-step verification",
      before: { twoStepVerification: "on" },
      after: { twoStepVerification: "off" },
    },
    recovery_codes_replaced: {
      action: "two_step_recovery_codes_replaced",
      summary: "The person made new two-step recovery codes (the old ones no longer work)",
      before: null,
      after: null,
    },
  }[change];
  await recordAdminChange(tx, caller, { entity: "user", entityId: caller.id, ...audit }, now);
  await enqueueMail(tx, twoStepChangedMail(caller, change));
}

export function twoStepChangedMail(user: { email: string; name: string }, change: OwnChange | "reset") {
  const security = `${env().APP_URL}/account/security`;
  const notYou = `If this was not you, someone may know your password: choose a new one at once at ${env().APP_URL}/forgot-password, and tell a StayWell administrator.`;
  const body = {
    enabled: {
      subject: "Two-step verification was turned on for your StayWell account",
      text: `Two-step verification was turned on for your StayWell account. From now on you sign in with your password and a code from your authenticator app.\n\nIf you did this, you do not need to do anything. Keep your recovery codes somewhere safe.\n\n${notYou}`,
    },
    disabled: {
      subject: "Two-step verification was turned off for your StayWell account",
      text: `Two-step verification was turned off for your StayWell account. You now sign in with your password alone.\n\nIf you did this, you do not need to do anything. You can turn it on again at ${security}.\n\n${notYou}`,
    },
    recovery_codes_replaced: {
      subject: "New recovery codes were made for your StayWell account",
      text: `New two-step verification recovery codes were made for your StayWell account. The old ones no longer work.\n\nIf you did this, you do not need to do anything.\n\n${notYou}`,
    },
    reset: {
      subject: "Two-step verification was reset for your StayWell account",
      text: `Two StayWell administrators reset the two-step verification of your StayWell account, as asked. You can now sign in with your password, and set it up again at ${security}.\n\nIf you did not ask for this, tell a StayWell administrator at once.`,
    },
  }[change];
  return { to: user.email, subject: body.subject, text: `Hello ${user.name},\n\n${body.text}` };
}

/**
 * Turns it off: needs the password and a code (or a recovery code). Refused when the role requires
 * it. Throttled like sign-in (ADR 017), so a stolen session cannot guess faster than the sign-in
 * pages allow: a wrong password counts as a failed sign-in for (client, address), a wrong code as a
 * wrong second step for the address; one answer for either, so it does not tell which was wrong.
 */
export async function disableTwoStep(
  caller: CurrentUser,
  input: { password: string; otp: string },
  client = "unknown",
  now = new Date(),
): Promise<TwoStepResult<null>> {
  if (twoStepRequiredFor(caller.role))
    return { ok: false, field: "otp", message: "Your role requires two-step verification: it cannot be turned off" };
  const emailHash = addressKey(caller.email);
  // Both claimed before either is checked (auth-throttle.server.ts): concurrent guesses see each other.
  const gate = await claimSignInAttempt(client, emailHash, now);
  if (!gate.allowed) return throttled("password", gate.retryAfterSeconds);
  const codeClaim = await claimTwoStepAttempt(client, emailHash, now);
  if (!codeClaim.allowed) {
    await releaseClaim(gate.claimId);
    return throttled("password", codeClaim.retryAfterSeconds);
  }
  const db = getDb();
  const [user] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, caller.id));
  if (!user || !(await verifyPassword(user.hash, input.password))) {
    await releaseClaim(codeClaim.claimId); // the code was not checked
    await db.transaction((tx) => signInFailed(tx, emailHash, now));
    return { ok: false, field: "password", message: WRONG_PASSWORD_OR_CODE };
  }
  await releaseClaim(gate.claimId);
  const result = await db.transaction(async (tx): Promise<TwoStepResult<null>> => {
    if (!(await consumeCode(tx, caller.id, input.otp, now, true))) {
      return { ok: false, field: "password", message: WRONG_PASSWORD_OR_CODE };
    }
    await releaseClaim(codeClaim.claimId, tx);
    await tx.delete(twoStepRecoveryCodes).where(eq(twoStepRecoveryCodes.userId, caller.id));
    await tx.delete(twoStepSettings).where(eq(twoStepSettings.userId, caller.id));
    await recordOwnChange(tx, caller, "disabled", now);
    return { ok: true, value: null };
  });
  if (result.ok) await clearPairFailures(client, emailHash);
  return result;
}

/**
 * Replaces the recovery codes (the old ones stop working); needs a current code. A wrong code is
 * counted with the sign-in second step's (same limit, same address), so it cannot be guessed faster.
 */
export async function replaceRecoveryCodes(
  caller: CurrentUser,
  otp: string,
  client = "unknown",
  now = new Date(),
): Promise<TwoStepResult<string[]>> {
  const emailHash = addressKey(caller.email);
  const claim = await claimTwoStepAttempt(client, emailHash, now);
  if (!claim.allowed) return throttled("otp", claim.retryAfterSeconds);
  return getDb().transaction(async (tx): Promise<TwoStepResult<string[]>> => {
    // A wrong code leaves the claimed attempt counted; a right one releases it.
    if (!(await consumeCode(tx, caller.id, otp, now, false))) return { ok: false, field: "otp", message: WRONG_CODE };
    await releaseClaim(claim.claimId, tx);
    const codes = newRecoveryCodes();
    await tx.delete(twoStepRecoveryCodes).where(eq(twoStepRecoveryCodes.userId, caller.id));
    await tx
      .insert(twoStepRecoveryCodes)
      .values(codes.map((c) => ({ userId: caller.id, codeHash: recoveryCodeHash(caller.id, c) })));
    await recordOwnChange(tx, caller, "recovery_codes_replaced", now);
    return { ok: true, value: codes };
  });
}

// ---------------------------------------------------------------------------------------------
// sign-in: the step between the password and the session

/** After a correct password: a challenge, valid CHALLENGE_MINUTES; returns the cookie's token. */
export async function startChallenge(userId: string, redirectTo: string, now = new Date()): Promise<string> {
  const token = newChallengeToken();
  const db = getDb();
  // One challenge per person at a time: an older one (another tab) stops working; and expired
  // ones of anyone go (indexed; the table stays as small as the sign-ins of the last 10 minutes).
  await db
    .delete(signInChallenges)
    .where(or(eq(signInChallenges.userId, userId), lte(signInChallenges.expiresAt, now)));
  await db.insert(signInChallenges).values({
    id: challengeTokenHash(token),
    userId,
    redirectTo,
    expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
    createdAt: now,
  });
  return token;
}

/** True when the token names a challenge still open. */
export async function challengeIsOpen(token: string | null, now = new Date()): Promise<boolean> {
  if (!token) return false;
  const [row] = await getDb()
    .select({ id: signInChallenges.id })
    .from(signInChallenges)
    .where(and(eq(signInChallenges.id, challengeTokenHash(token)), gt(signInChallenges.expiresAt, now)));
  return row !== undefined;
}

export type ChallengeResult =
  | { ok: true; userId: string; redirectTo: string }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks the code for the challenge. Right: the challenge is used up (deleted) in the same
 * transaction as the code, and the caller starts the session. Wrong: counted against the person's
 * address (auth_throttle_events, any client); after TWO_STEP_FAILURE_LIMIT in
 * TWO_STEP_FAILURE_WINDOW_MINUTES no code is checked until the oldest of them leaves the window.
 */
export async function completeChallenge(
  token: string | null,
  code: string,
  client: string,
  now = new Date(),
): Promise<ChallengeResult> {
  if (!token) return { ok: false, reason: "expired" };
  const id = challengeTokenHash(token);
  const db = getDb();
  const [challenge] = await db
    .select({ userId: signInChallenges.userId, redirectTo: signInChallenges.redirectTo, email: users.email })
    .from(signInChallenges)
    .innerJoin(users, eq(users.id, signInChallenges.userId))
    .where(and(eq(signInChallenges.id, id), gt(signInChallenges.expiresAt, now), isNull(users.disabledAt)));
  if (!challenge) return { ok: false, reason: "expired" };
  const emailHash = addressKey(challenge.email);
  // Claimed (counted as a wrong code) before the code is checked: concurrent guesses see each other.
  const claim = await claimTwoStepAttempt(client, emailHash, now);
  if (!claim.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: claim.retryAfterSeconds };
  return db.transaction(async (tx): Promise<ChallengeResult> => {
    if (await consumeCode(tx, challenge.userId, code, now, true)) {
      await releaseClaim(claim.claimId, tx);
      const gone = await tx
        .delete(signInChallenges)
        .where(eq(signInChallenges.id, id))
        .returning({ id: signInChallenges.id });
      // Another request with the same challenge won the race: this one signs nobody in.
      if (gone.length !== 1) return { ok: false, reason: "expired" };
      return { ok: true, userId: challenge.userId, redirectTo: challenge.redirectTo };
    }
    return { ok: false, reason: "invalid" };
  });
}

/** Deletes challenges past their time (the daily purge); returns how many. */
export async function purgeExpiredChallenges(now = new Date()): Promise<number> {
  const gone = await getDb()
    .delete(signInChallenges)
    .where(lte(signInChallenges.expiresAt, now))
    .returning({ id: signInChallenges.id });
  return gone.length;
}

/** For /admin/people/<id>/two-step: whether their two-step verification is on, and a reset waiting. */
export async function twoStepStateForAdmin(caller: CurrentUser, userId: string) {
  if (!roleMay(caller.role, "admin:manage")) throw new Response(null, { status: 403 });
  const db = getDb();
  const [[settings], [pending]] = await Promise.all([
    db
      .select({ enabledAt: twoStepSettings.enabledAt })
      .from(twoStepSettings)
      .where(and(eq(twoStepSettings.userId, userId), isNotNull(twoStepSettings.enabledAt))),
    db
      .select({ id: adminProposals.id })
      .from(adminProposals)
      .where(
        and(
          eq(adminProposals.kind, "reset_two_step"),
          eq(adminProposals.userId, userId),
          eq(adminProposals.status, "pending"),
        ),
      ),
  ]);
  return { enabledAt: settings?.enabledAt ?? null, resetPending: pending !== undefined };
}
