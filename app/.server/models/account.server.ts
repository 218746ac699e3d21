// "Your account" (/account, docs/decisions/028-your-account.md): a signed-in person's own details,
// contact and email preferences, password, change of employer and sessions; and "Forgot your
// password?" for someone who cannot sign in. Every function that takes the caller works on the
// caller's own row only (the id is part of each query); nothing here reads another person.
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Tx } from "@db/client";
import { getDb } from "@db/current";
import {
  emailChangeTokens,
  organisations,
  passwordResetRequests,
  passwordResetTokens,
  sessions,
  sharedDomains,
  signInChallenges,
  supportRequests,
  users,
} from "@db/schema";
import { endAllSessions, liveSessionCondition } from "../auth/lucia.server";
import { hashPassword, verifyPassword } from "../auth/password.server";
import { describeWait } from "../auth/throttle.server";
import { findSingleUseToken, type SingleUseTokenProblem } from "../auth/single-use-token.server";
import type { CurrentUser } from "../auth/types";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import { domainOf, isSharedDomainEmail, normaliseEmail, organisationForEmail } from "./accounts.server";
import { recordAdminChange, unassignOpenRequests } from "./admin/common.server";
import { removeFromEveryTeam } from "./admin/teams.server";
import {
  addressKey,
  claimSignInAttempt,
  clearPairFailures,
  signInFailed,
  takeAccountMailAllowance,
  takeSignUpAllowance,
} from "./auth-throttle.server";
import type { DetailsInput, PreferencesInput } from "~/schemas/account";

/** A "forgot your password?" link works for this long, once. */
export const RESET_LINK_MINUTES = 60;
/** A change-of-employer link works for this long, once. */
export const EMAIL_CHANGE_HOURS = 24;

function sha256(text: string) {
  return createHash("sha256").update(text).digest("hex");
}

function newToken() {
  return randomBytes(32).toString("base64url");
}

// ---------------------------------------------------------------------------------------------
// details and preferences

export async function accountDetails(caller: CurrentUser) {
  const [row] = await getDb()
    .select({
      email: users.email,
      name: users.name,
      staffGroup: users.staffGroup,
      jobTitle: users.jobTitle,
      startDate: users.startDate,
      organisationId: users.organisationId,
      organisationName: organisations.name,
      organisationSelfDeclared: users.organisationSelfDeclared,
      contactMethod: users.contactMethod,
      contactPhone: users.contactPhone,
      contactTimes: users.contactTimes,
      mailTeamNewRequests: users.mailTeamNewRequests,
      mailTeamActivity: users.mailTeamActivity,
      mailTeamDigest: users.mailTeamDigest,
      firstYearCheckIns: users.firstYearCheckIns,
    })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(users.id, caller.id))
    .limit(1);
  if (!row) throw new Response("Not found", { status: 404 });
  const [pending] = await getDb()
    .select({ newEmail: emailChangeTokens.newEmail })
    .from(emailChangeTokens)
    .where(
      and(
        eq(emailChangeTokens.userId, caller.id),
        isNull(emailChangeTokens.usedAt),
        gt(emailChangeTokens.expiresAt, new Date()),
      ),
    )
    .orderBy(asc(emailChangeTokens.createdAt))
    .limit(1);
  // An address at a shared domain (nhs.net) says nothing about the employer: the person chooses
  // their organisation from the list instead (review of issue 12, finding 7).
  return { ...row, pendingEmail: pending?.newEmail ?? null, sharedAddress: await isSharedDomainEmail(row.email) };
}

/**
 * The caller's saved contact preferences, for the request form to start from (the person can still
 * change them there; a request keeps its own copy). Only what was said: nulls are left out.
 */
export async function contactPreferences(caller: CurrentUser) {
  const [row] = await getDb()
    .select({ contactMethod: users.contactMethod, contactPhone: users.contactPhone, contactTimes: users.contactTimes })
    .from(users)
    .where(eq(users.id, caller.id))
    .limit(1);
  const prefill: { contactMethod?: "email" | "phone" | "teams"; contactPhone?: string; contactTimes?: string } = {};
  if (row?.contactMethod) prefill.contactMethod = row.contactMethod;
  if (row?.contactPhone) prefill.contactPhone = row.contactPhone;
  if (row?.contactTimes) prefill.contactTimes = row.contactTimes;
  return prefill;
}

export async function updateDetails(caller: CurrentUser, input: DetailsInput, now = new Date()) {
  await getDb()
    .update(users)
    .set({
      name: input.name,
      staffGroup: input.staffGroup,
      jobTitle: input.jobTitle || null,
      startDate: input.startDate,
      // A change an admin proposal did not see makes the proposal stale (users.version).
      version: sql`${users.version} + 1`,
      updatedAt: now,
    })
    .where(eq(users.id, caller.id));
}

export async function updatePreferences(caller: CurrentUser, input: PreferencesInput, now = new Date()) {
  await getDb()
    .update(users)
    .set({
      contactMethod: input.contactMethod ?? null,
      contactPhone: input.contactPhone ?? null,
      contactTimes: input.contactTimes ?? null,
      mailTeamNewRequests: input.mailTeamNewRequests,
      mailTeamActivity: input.mailTeamActivity,
      mailTeamDigest: input.mailTeamDigest,
      firstYearCheckIns: input.firstYearCheckIns,
      updatedAt: now,
    })
    .where(eq(users.id, caller.id));
}

/**
 * After a change of password or address: reset links already mailed (perhaps to the old mailbox)
 * stop working, and a half-finished sign-in (password given, code not yet) must start again.
 */
async function closeOpenCredentials(tx: Tx, userId: string, now: Date) {
  await tx
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
  await tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
}

// ---------------------------------------------------------------------------------------------
// change of employer: a new work address, applied only when the link mailed to it is opened

export type EmployerChangeResult =
  | { ok: true; email: string }
  | {
      ok: false;
      field: "newEmail" | "currentPassword" | "organisationId";
      message: string;
      retryAfterSeconds?: number;
    };

export const CHOOSE_NEW_ORGANISATION = "Select the organisation you now work for";

/** An organisation of the list, by the id a form sent, or null. */
async function listedOrganisation(id: string | undefined) {
  if (!id || !/^\d{1,9}$/.test(id)) return null;
  const [row] = await getDb()
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, Number(id)))
    .limit(1);
  return row ?? null;
}

/** The caller's own row, locked, with what a change of organisation needs (leaveOldEmployer). */
async function lockForMove(tx: Tx, caller: CurrentUser) {
  const [row] = await tx
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      managesOrganisationId: users.managesOrganisationId,
      organisationId: users.organisationId,
    })
    .from(users)
    .where(eq(users.id, caller.id))
    .limit(1)
    .for("update");
  return row;
}

/**
 * A move to another employer (inside the change's transaction): the person's hub team places and
 * their manager scope belonged to the old employer, so they end, each with an audit line (the
 * person is the actor); requests they were looking after are unassigned first. Nothing happens
 * when the organisation stays the same.
 */
async function leaveOldEmployer(
  tx: Tx,
  caller: CurrentUser,
  person: { id: string; name: string; email: string; role: string; managesOrganisationId: number | null },
  move: { from: number; to: number; toName: string },
  now: Date,
) {
  if (move.from === move.to) return;
  await unassignOpenRequests(tx, caller, eq(supportRequests.assigneeId, person.id), "moved_employer", now);
  await removeFromEveryTeam(tx, caller, person, `they moved to ${move.toName}`, now);
  if (person.role === "manager") {
    await tx
      .update(users)
      .set({ role: "staff", managesOrganisationId: null, updatedAt: now })
      .where(eq(users.id, person.id));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "user",
        entityId: person.id,
        action: "role_changed",
        summary: `${person.name} moved to ${move.toName}: their manager access (which belonged to their old employer) ended`,
        before: { role: "manager", managesOrganisationId: person.managesOrganisationId },
        after: { role: "staff", managesOrganisationId: null },
      },
      now,
    );
  }
}

type CurrentPasswordCheck =
  { ok: true } | { ok: false; field: "currentPassword"; message: string; retryAfterSeconds?: number };

/**
 * The caller's current password, asked before a change to their address or organisation and
 * throttled like sign-in (ADR 017): a wrong one counts as a failed sign-in for (client, address),
 * a right one clears that pair's failures.
 */
async function checkCurrentPassword(
  client: string,
  caller: CurrentUser,
  password: string,
  now: Date,
): Promise<CurrentPasswordCheck> {
  const emailHash = addressKey(caller.email);
  const gate = await claimSignInAttempt(client, emailHash, now);
  if (!gate.allowed) {
    return {
      ok: false,
      field: "currentPassword",
      message: `Too many wrong passwords. Wait ${describeWait(gate.retryAfterSeconds)} and try again`,
      retryAfterSeconds: gate.retryAfterSeconds,
    };
  }
  const [me] = await getDb()
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, caller.id))
    .limit(1);
  if (!me || !(await verifyPassword(me.passwordHash, password))) {
    await getDb().transaction((tx) => signInFailed(tx, emailHash, now));
    return { ok: false, field: "currentPassword", message: "Your current password is not right" };
  }
  await clearPairFailures(client, emailHash);
  return { ok: true };
}

/**
 * An nhs.net (shared-domain) address keeps its address and changes its organisation: chosen from
 * the list, self-declared again until an administrator confirms it. The current password is asked
 * (as for a change of address); on a move, team places and manager access end and every other
 * session of the person ends (the one in use, `keepSessionId`, stays).
 */
export async function changeSharedAddressOrganisation(
  caller: CurrentUser,
  input: { organisationId: string; currentPassword: string },
  keepSessionId: string,
  client = "unknown",
  now = new Date(),
): Promise<
  | { ok: true; organisationName: string }
  | { ok: false; field: "organisationId" | "currentPassword"; message: string; retryAfterSeconds?: number }
> {
  const passwordCheck = await checkCurrentPassword(client, caller, input.currentPassword, now);
  if (!passwordCheck.ok) return passwordCheck;
  if (!(await isSharedDomainEmail(caller.email))) {
    return {
      ok: false,
      field: "organisationId",
      message: "Your organisation comes from your work email address: enter your new work email address instead",
    };
  }
  const organisation = await listedOrganisation(input.organisationId);
  if (!organisation) return { ok: false, field: "organisationId", message: CHOOSE_NEW_ORGANISATION };
  return getDb().transaction(async (tx) => {
    const before = await lockForMove(tx, caller);
    if (!before) return { ok: false, field: "organisationId", message: CHOOSE_NEW_ORGANISATION } as const;
    if (before.organisationId === organisation.id) {
      return { ok: false, field: "organisationId", message: "This is already your organisation" } as const;
    }
    await tx
      .update(users)
      .set({
        organisationId: organisation.id,
        organisationSelfDeclared: true,
        version: sql`${users.version} + 1`,
        updatedAt: now,
      })
      .where(eq(users.id, caller.id));
    await leaveOldEmployer(
      tx,
      caller,
      before,
      { from: before.organisationId, to: organisation.id, toName: organisation.name },
      now,
    );
    await endAllSessions(caller.id, { except: keepSessionId, tx });
    await enqueueMail(tx, {
      to: before.email,
      userId: caller.id,
      subject: "Your StayWell organisation has changed",
      text: `Hello ${before.name},\n\nThe organisation on your StayWell account has been changed to ${organisation.name}. It shows as self-declared until a StayWell administrator confirms it. You have been signed out everywhere else.\n\nIf you did not do this, ask a StayWell administrator for help at once.`,
    });
    return { ok: true, organisationName: organisation.name } as const;
  });
}

/**
 * Mails a confirmation link to a new work address at a partner organisation. Nothing changes until
 * the link is opened by the same signed-in person. If the address already has an account the
 * answer on screen is the same (no way to probe who has an account); that mailbox is told instead.
 * At most ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR mails an hour to one address.
 */
export async function requestEmployerChange(
  caller: CurrentUser,
  input: { newEmail: string; currentPassword: string; organisationId?: string },
  client = "unknown",
  now = new Date(),
): Promise<EmployerChangeResult> {
  const newEmail = normaliseEmail(input.newEmail);
  // The current password first, throttled like sign-in: a session alone (a computer left signed
  // in) must not be able to move the account to another mailbox and reset its password there.
  const passwordCheck = await checkCurrentPassword(client, caller, input.currentPassword, now);
  if (!passwordCheck.ok) return passwordCheck;
  if (newEmail === normaliseEmail(caller.email)) {
    return {
      ok: false,
      field: "newEmail",
      message: "This is already your email address. Enter the address at your new employer",
    };
  }
  // A partner's address names its organisation; a shared-domain address (nhs.net) comes with the
  // organisation chosen from the list, self-declared until confirmed (finding 7).
  const organisation =
    (await organisationForEmail(newEmail)) ??
    ((await isSharedDomainEmail(newEmail)) ? await listedOrganisation(input.organisationId) : null);
  if (!organisation) {
    if (await isSharedDomainEmail(newEmail)) {
      return { ok: false, field: "organisationId", message: CHOOSE_NEW_ORGANISATION };
    }
    return {
      ok: false,
      field: "newEmail",
      message:
        "Enter a work email address at a partner organisation, or your nhs.net address. If your new employer is not a partner, ask a StayWell administrator",
    };
  }
  const allowance = await takeSignUpAllowance(client, now);
  if (!allowance.allowed) {
    return {
      ok: false,
      field: "newEmail",
      message: `Too many emails have been asked for from your connection. Wait ${describeWait(allowance.retryAfterSeconds)} and try again`,
      retryAfterSeconds: allowance.retryAfterSeconds,
    };
  }
  const { APP_URL } = env();
  await getDb().transaction(async (tx) => {
    if (!(await takeAccountMailAllowance(tx, addressKey(newEmail), now))) return;
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, newEmail)).limit(1);
    if (taken) {
      await enqueueMail(tx, {
        to: newEmail,
        subject: "This email address already has a StayWell account",
        text: `Someone signed in to StayWell asked to move their account to this email address, but it already has an account, so nothing has changed.\n\nIf this was you, sign in with this address at ${APP_URL}/login\n\nIf it was not you, you can ignore this email.`,
      });
      return;
    }
    const token = newToken();
    await tx.insert(emailChangeTokens).values({
      userId: caller.id,
      newEmail,
      organisationId: organisation.id,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + EMAIL_CHANGE_HOURS * 3600_000),
      createdAt: now,
    });
    await enqueueMail(tx, {
      to: newEmail,
      subject: "Confirm your new work email address for StayWell",
      text: `Hello ${caller.name},\n\nYou asked to change the email address of your StayWell account to this one, at ${organisation.name}.\n\nTo confirm, sign in to StayWell and open this link:\n\n${APP_URL}/account/confirm-email?token=${token}\n\nThe link works once and expires in ${EMAIL_CHANGE_HOURS} hours. Until you open it, your account keeps its current address and organisation.\n\nIf you did not ask for this, you can ignore this email.`,
    });
  });
  return { ok: true, email: newEmail };
}

export type EmailChangeProblem = "invalid" | "expired" | "used" | "taken";

async function findEmailChange(tx: Tx, caller: CurrentUser, token: string, now: Date, lock: boolean) {
  if (!token || token.length > 200) return { ok: false, reason: "invalid" } as const;
  // Another person's link is no link at all for the caller.
  const query = tx
    .select({
      id: emailChangeTokens.id,
      newEmail: emailChangeTokens.newEmail,
      organisationId: emailChangeTokens.organisationId,
      organisationName: organisations.name,
      usedAt: emailChangeTokens.usedAt,
      expiresAt: emailChangeTokens.expiresAt,
    })
    .from(emailChangeTokens)
    .innerJoin(organisations, eq(organisations.id, emailChangeTokens.organisationId))
    .where(and(eq(emailChangeTokens.tokenHash, sha256(token)), eq(emailChangeTokens.userId, caller.id)))
    .limit(1);
  const [row] = lock ? await query.for("update", { of: emailChangeTokens }) : await query;
  if (!row) return { ok: false, reason: "invalid" } as const;
  if (row.usedAt) return { ok: false, reason: "used" } as const;
  if (row.expiresAt <= now) return { ok: false, reason: "expired" } as const;
  return { ok: true, row } as const;
}

/** What the link would change (the GET of the confirmation page: it uses nothing up). */
export async function checkEmailChange(caller: CurrentUser, token: string, now = new Date()) {
  const found = await getDb().transaction((tx) => findEmailChange(tx, caller, token, now, false));
  return found.ok
    ? ({ ok: true, newEmail: found.row.newEmail, organisationName: found.row.organisationName } as const)
    : found;
}

/**
 * Applies a change of employer: the new address and its organisation, in one transaction; this and
 * every other pending change link of the person are used up; the old address is told.
 */
export async function confirmEmailChange(
  caller: CurrentUser,
  token: string,
  now = new Date(),
  /** The session in use: it stays; every other session of the person ends (finding 7). */
  keepSessionId?: string,
): Promise<{ ok: true; email: string } | { ok: false; reason: EmailChangeProblem }> {
  return getDb().transaction(async (tx) => {
    const found = await findEmailChange(tx, caller, token, now, true);
    if (!found.ok) return found;
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, found.row.newEmail))
      .limit(1)
      .for("update");
    if (taken) return { ok: false, reason: "taken" } as const;
    const [shared] = await tx
      .select({ id: sharedDomains.id })
      .from(sharedDomains)
      .where(eq(sharedDomains.domain, domainOf(found.row.newEmail)))
      .limit(1);
    const selfDeclared = !!shared;
    const before = await lockForMove(tx, caller);
    if (!before) return { ok: false, reason: "invalid" } as const;
    await tx
      .update(emailChangeTokens)
      .set({ usedAt: now })
      .where(and(eq(emailChangeTokens.userId, caller.id), isNull(emailChangeTokens.usedAt)));
    await tx
      .update(users)
      .set({
        email: found.row.newEmail,
        organisationId: found.row.organisationId,
        // A partner address proves the organisation: it is no longer self-declared (joining). An
        // nhs.net address proves nothing: the organisation chosen is self-declared again.
        organisationSelfDeclared: selfDeclared,
        version: sql`${users.version} + 1`,
        updatedAt: now,
      })
      .where(eq(users.id, caller.id));
    await closeOpenCredentials(tx, caller.id, now);
    await leaveOldEmployer(
      tx,
      caller,
      before,
      { from: before.organisationId, to: found.row.organisationId, toName: found.row.organisationName },
      now,
    );
    await endAllSessions(caller.id, { except: keepSessionId, tx });
    await enqueueMail(tx, {
      to: before.email,
      userId: caller.id, // the old address: an erasure must still find this mail
      subject: "Your StayWell email address has changed",
      text: `Hello ${before.name},\n\nThe email address of your StayWell account has been changed to a new work address, and your organisation to ${found.row.organisationName}. From now on, sign in with the new address.\n\nIf you did not do this, ask a StayWell administrator for help at once.`,
    });
    return { ok: true, email: found.row.newEmail } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// change of password (signed in)

export type ChangePasswordResult =
  { ok: true } | { ok: false; reason: "wrong" } | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Changes the caller's password when the current one is right; every other session of theirs
 * ends (the one in use, `sessionId`, stays). A wrong current password counts as a failed sign-in
 * for (client, address), so a stolen session cannot be used to guess the password faster than the
 * sign-in page allows (ADR 017). The person is told by email.
 */
export async function changePassword(
  caller: CurrentUser,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
  client = "unknown",
  now = new Date(),
): Promise<ChangePasswordResult> {
  const emailHash = addressKey(caller.email);
  const gate = await claimSignInAttempt(client, emailHash, now);
  if (!gate.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  const db = getDb();
  const [row] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, caller.id))
    .limit(1);
  if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) {
    await db.transaction((tx) => signInFailed(tx, emailHash, now));
    return { ok: false, reason: "wrong" };
  }
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, caller.id));
    await closeOpenCredentials(tx, caller.id, now);
    await endAllSessions(caller.id, { except: sessionId, tx });
    await enqueueMail(tx, passwordChangedMail(caller));
  });
  await clearPairFailures(client, emailHash);
  return { ok: true };
}

function passwordChangedMail(user: { email: string; name: string }) {
  return {
    to: user.email,
    subject: "Your StayWell password has been changed",
    text: `Hello ${user.name},\n\nThe password of your StayWell account has just been changed, and you have been signed out everywhere else.\n\nIf you did this, you do not need to do anything.\n\nIf you did not, choose a new password at once at ${env().APP_URL}/forgot-password and tell a StayWell administrator.`,
  };
}

// ---------------------------------------------------------------------------------------------
// forgot your password?

export type ForgotPasswordResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * "Forgot your password?": the same answer, and the same work, whether or not the address has an
 * account. The client's allowance (shared with sign-up) and the address's account-mail allowance
 * are taken, and one row is written to `password_reset_requests` for every address: nothing here
 * looks the address up. The outbox worker (handlePasswordResetRequests) does that a moment later,
 * after the response has gone, so neither the reply nor its timing says whether an account exists.
 */
export async function requestPasswordReset(
  emailInput: string,
  client = "unknown",
  now = new Date(),
): Promise<ForgotPasswordResult> {
  const email = normaliseEmail(emailInput);
  const allowance = await takeSignUpAllowance(client, now);
  if (!allowance.allowed) return { ok: false, retryAfterSeconds: allowance.retryAfterSeconds };
  await getDb().transaction(async (tx) => {
    // Beyond the address's allowance nothing is queued (the same for every address).
    if (!(await takeAccountMailAllowance(tx, addressKey(email), now))) return;
    await tx.insert(passwordResetRequests).values({ email, createdAt: now });
  });
  return { ok: true };
}

/**
 * Turns waiting "forgot your password?" asks into reset links: for a confirmed, enabled account a
 * token (valid RESET_LINK_MINUTES, once; only its SHA-256 stored) and its mail; for any other
 * address nothing. Each row is deleted in the transaction that handles it (FOR UPDATE SKIP LOCKED,
 * so instances share the work and none handles a row twice). An ask older than RESET_LINK_MINUTES
 * (the worker was down) is dropped unanswered. Returns how many asks were handled.
 */
export async function handlePasswordResetRequests(now = new Date(), limit = 20): Promise<number> {
  const { APP_URL } = env();
  return getDb().transaction(async (tx) => {
    const asks = await tx
      .select({
        id: passwordResetRequests.id,
        email: passwordResetRequests.email,
        createdAt: passwordResetRequests.createdAt,
      })
      .from(passwordResetRequests)
      .orderBy(asc(passwordResetRequests.createdAt), asc(passwordResetRequests.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (asks.length === 0) return 0;
    await tx.delete(passwordResetRequests).where(
      inArray(
        passwordResetRequests.id,
        asks.map((a) => a.id),
      ),
    );
    const fresh = asks.filter((a) => a.createdAt.getTime() > now.getTime() - RESET_LINK_MINUTES * 60_000);
    const emails = [...new Set(fresh.map((a) => a.email))];
    if (emails.length === 0) return asks.length;
    const accounts = await tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(and(inArray(users.email, emails), isNull(users.disabledAt), isNotNull(users.emailVerifiedAt)));
    // One link per account however many asks were waiting (each took the address's allowance).
    for (const user of accounts) {
      const token = newToken();
      await tx.insert(passwordResetTokens).values({
        userId: user.id,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
        createdAt: now,
      });
      await enqueueMail(tx, {
        to: user.email,
        subject: "Reset your StayWell password",
        text: `Hello ${user.name},\n\nSomeone (probably you) asked to reset the password of your StayWell account. To choose a new password, open this link:\n\n${APP_URL}/reset-password?token=${token}\n\nThe link works once and expires in ${RESET_LINK_MINUTES} minutes. Choosing a new password signs you out everywhere.\n\nIf you did not ask for this, you can ignore this email: your password has not changed.`,
      });
    }
    return asks.length;
  });
}

export type ResetProblem = SingleUseTokenProblem;

/** Whether a reset link can still be used (the GET of the page uses nothing up: mail scanners open links). */
export async function checkResetToken(
  token: string,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; reason: ResetProblem }> {
  const found = await getDb().transaction((tx) => findSingleUseToken(tx, passwordResetTokens, token, now, false));
  return found.ok ? { ok: true } : found;
}

/**
 * Sets a new password from a reset link, in one transaction: the link and every other unused
 * reset link of the account are used up and every session of the account ends. A disabled
 * account's link does nothing.
 */
export async function resetPassword(
  token: string,
  password: string,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; reason: ResetProblem }> {
  if (!token || token.length > 200) return { ok: false, reason: "invalid" };
  const passwordHash = await hashPassword(password);
  return getDb().transaction(async (tx) => {
    const found = await findSingleUseToken(tx, passwordResetTokens, token, now, true);
    if (!found.ok) return found;
    const userId = found.row.userId;
    const [user] = await tx
      .select({ email: users.email, name: users.name, disabledAt: users.disabledAt })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1)
      .for("update");
    if (!user || user.disabledAt) return { ok: false, reason: "invalid" } as const;
    await closeOpenCredentials(tx, userId, now);
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
    await endAllSessions(userId, { tx });
    await enqueueMail(tx, passwordChangedMail(user));
    return { ok: true } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// where you are signed in

/**
 * The handle a session is named by in the page and its forms: derived from the stored id (itself a
 * hash of the cookie's token), so the page never shows the id, and the handle signs nobody in.
 */
export function sessionHandle(sessionId: string) {
  return sha256(`staywell-session-handle:${sessionId}`).slice(0, 32);
}

export async function listSessions(caller: CurrentUser, currentSessionId: string, now = new Date()) {
  const rows = await getDb()
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    // Only sessions that still sign in (idle and absolute lifetimes, as sessionUserId): the
    // person's own rows through sessions_user_idx, then the two times checked on those few rows.
    .where(and(eq(sessions.userId, caller.id), liveSessionCondition(now)))
    .orderBy(asc(sessions.createdAt));
  return rows
    .map((r) => ({
      handle: sessionHandle(r.id),
      userAgent: r.userAgent,
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
      current: r.id === currentSessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

/**
 * Ends one of the caller's sessions, named by its handle. False when the caller has no such
 * session (another person's session, or one already ended): the route answers 404.
 */
export async function endSessionByHandle(caller: CurrentUser, handle: string): Promise<boolean> {
  const db = getDb();
  const mine = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, caller.id));
  const target = mine.find((s) => sessionHandle(s.id) === handle);
  if (!target) return false;
  await db.delete(sessions).where(and(eq(sessions.id, target.id), eq(sessions.userId, caller.id)));
  return true;
}

/** Ends every session of the caller except the one in use. */
export async function endOtherSessions(caller: CurrentUser, currentSessionId: string) {
  await endAllSessions(caller.id, { except: currentSessionId });
}
