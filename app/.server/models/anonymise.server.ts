// Erasing what StayWell holds about a person (UK GDPR Art. 17) and anonymising a request (also the
// retention schedule's step for old requests): docs/decisions/030-your-data-export-and-erasure.md.
//
// anonymiseRequest(tx, requestId): the request's answers, contact details, rating comment and every
// timeline text (messages both ways, internal notes, withdrawal reasons) are erased. What stays is
// what aggregates count and nothing a person typed: offer, organisation, staff group and tenure band
// when asked, status, priority, dates, outcome, the rating number and the record key. The
// insights rollups therefore keep their totals.
//
// eraseAccount(tx, userId, …): open requests withdrawn first (the hub is told, as a withdrawal
// does), every request anonymised, the person's name and address replaced wherever the database
// kept them as text (audit summaries and values, proposal summaries, timeline data, the mail
// outbox), sessions, verification tokens, hub read markers and sign-in throttle rows (keyed by a
// hash of the address) deleted, and the account row kept with no name, address, password or
// details so the requests it made still count. Signed out everywhere: its sessions are gone.
import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { queryRows, type Tx } from "@db/client";
import { getDb } from "@db/current";
import {
  accessRequests,
  authThrottleEvents,
  emailChangeTokens,
  emailVerificationTokens,
  passwordResetRequests,
  passwordResetTokens,
  requestEvents,
  requestReads,
  sessions,
  signInChallenges,
  supportRequests,
  teamMembers,
  teams,
  twoStepRecoveryCodes,
  twoStepSettings,
  users,
  reservists,
  checkIns,
} from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { verifyPassword } from "../auth/password.server";
import { rolesThatMay } from "../permissions.server";
import { describeWait } from "../auth/throttle.server";
import { addressKey, claimSignInAttempt, releaseClaim, signInFailed } from "./auth-throttle.server";
import { withdrawOpenRequestsOf } from "./requests.server";
import { enqueueMail } from "../mail/outbox.server";
import { AdminError, assertAdmin, recordAdminChange, unassignOpenRequests } from "./admin/common.server";
import { forgetLeavingOf } from "./leaving.server";

/** What an erased account is called wherever its name was. */
export const ERASED_NAME = "Deleted account";
/** The same name, as the retention job's tests know it. */
export const ANONYMISED_NAME = ERASED_NAME;

/** The address an erased account is given: unique (the id is), never deliverable (RFC 2606 ".invalid"). */
export function anonymisedEmail(userId: string): string {
  return `deleted-${userId.toLowerCase()}@anonymised.invalid`;
}
/** What replaces the erased person's name or address inside a text that is kept. */
export const ERASED_MARK = "[deleted account]";

/** The result of anonymising one request: how many timeline texts were erased. */
export interface AnonymisedRequest {
  requestId: number;
  eventsErased: number;
}

/**
 * Erases the answers, contact details, rating comment and every timeline text of one request,
 * inside the caller's transaction. Idempotent (a second run erases nothing new). Keeps every
 * column the insights count (organisation, offer, staff group, tenure band, dates, status,
 * outcome, rating, record key), so aggregate totals do not change.
 */
export async function anonymiseRequest(tx: Tx, requestId: number, now = new Date()): Promise<AnonymisedRequest> {
  await tx
    .update(supportRequests)
    .set({
      answers: {},
      contactPhone: null,
      contactTimes: null,
      satisfactionComment: null,
      anonymisedAt: sql`coalesce(${supportRequests.anonymisedAt}, ${now.toISOString()}::timestamptz)`,
      // What the hub shows in place of the answers ("Removed (account deleted)").
      anonymisedReason: "account_deleted",
      updatedAt: now,
    })
    .where(eq(supportRequests.id, requestId));
  const erased = await tx
    .update(requestEvents)
    .set({ body: null })
    .where(and(eq(requestEvents.requestId, requestId), sql`${requestEvents.body} is not null`))
    .returning({ id: requestEvents.id });
  return { requestId, eventsErased: erased.length };
}

// ---------------------------------------------------------------------------------------------
// replacing a name or address inside kept text

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Replaces whole-word occurrences (any case) of the needles: "Tom" is replaced in "Tom asked" but
 * not in "tomorrow", "a@nhs.net" not inside "sara@nhs.net".
 */
function replacer(needles: string[]) {
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}_])(?:${needles.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}_])`,
    "giu",
  );
  const text = (value: string) => value.replace(pattern, ERASED_MARK);
  const deep = (value: unknown): unknown => {
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) return value.map(deep);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v)]));
    }
    return value;
  };
  return { text, deep };
}

/** Who is being erased: what links a kept row to them, and the words to replace in it. */
interface ErasedPerson {
  id: string;
  email: string;
  name: string;
}

const contains = (column: string, needle: string) =>
  sql`strpos(lower(${sql.identifier(column)}::text), lower(${needle})) > 0`;

/**
 * Tables and columns where a person's name or address can sit inside other text, and which rows
 * are theirs to clean: only rows linked to the person (by id, their address, or their requests) are
 * touched. A name alone never selects a row — otherwise someone who renamed themselves "the" or
 * "request" and deleted their account would rewrite everyone's audit trail and case notes.
 */
const TEXT_PLACES: ReadonlyArray<{
  table: string;
  text: string[];
  json: string[];
  linked: (person: ErasedPerson) => ReturnType<typeof sql>;
}> = [
  {
    table: "admin_audit",
    text: ["summary"],
    json: ["before", "after"],
    linked: (p) =>
      sql`(entity_id = ${p.id} or actor_id = ${p.id} or ${contains("before", p.id)} or ${contains("after", p.id)}
           or ${contains("summary", p.email)} or ${contains("before", p.email)} or ${contains("after", p.email)})`,
  },
  {
    table: "admin_proposals",
    text: ["summary"],
    json: ["change"],
    linked: (p) =>
      sql`(user_id = ${p.id} or proposed_by_id = ${p.id} or ${contains("change", p.id)}
           or ${contains("summary", p.email)} or ${contains("change", p.email)})`,
  },
  {
    table: "request_events",
    text: ["body"],
    json: ["data"],
    linked: (p) =>
      sql`(actor_id = ${p.id} or request_id in (select id from support_requests where requester_id = ${p.id})
           or ${contains("data", p.id)} or ${contains("data", p.email)} or ${contains("body", p.email)})`,
  },
  {
    table: "mail_outbox",
    text: ["to_address", "subject", "text_body", "last_error"],
    json: [],
    // Mail to them (at this address, or queued while an earlier address was theirs), or about one
    // of their requests (its reference in the subject or text).
    linked: (p) =>
      sql`(user_id = ${p.id} or lower(to_address) = lower(${p.email}) or ${contains("text_body", p.email)}
           or exists (select 1 from support_requests r where r.requester_id = ${p.id}
                      and (strpos(subject, r.reference) > 0 or strpos(text_body, r.reference) > 0)))`,
  },
  {
    table: "teams",
    text: ["urgent_contact_email"],
    json: [],
    linked: (p) => contains("urgent_contact_email", p.email),
  },
];

/**
 * Replaces the person's name and address (whole words, any case) in the kept text of the rows
 * linked to them (TEXT_PLACES). One scan per table (an erasure is rare). Returns rows changed.
 */
async function replaceEverywhere(tx: Tx, person: ErasedPerson): Promise<number> {
  // Addresses that were theirs before a change of address: those their mail was queued to.
  const earlier = await queryRows<{ to_address: string }>(
    tx,
    sql`select distinct to_address from mail_outbox where user_id = ${person.id}`,
  );
  // A "forgot your password" ask waiting for the worker (at most an hour old) names the address:
  // at any address that was theirs, it goes.
  await tx
    .delete(passwordResetRequests)
    .where(
      inArray(passwordResetRequests.email, [
        ...new Set([person.email, ...earlier.map((r) => r.to_address)].map((a) => a.trim().toLowerCase())),
      ]),
    );
  const usable = [
    ...new Set(
      [person.email, person.name, ...earlier.map((r) => r.to_address)]
        .map((n) => n.trim())
        .filter((n) => n.length >= 3),
    ),
  ];
  if (usable.length === 0) return 0;
  const { text, deep } = replacer(usable);
  let changed = 0;
  for (const place of TEXT_PLACES) {
    const columns = [...place.text, ...place.json];
    const rows = await queryRows<Record<string, unknown>>(
      tx,
      sql`select id, ${sql.join(
        columns.map((c) => sql.identifier(c)),
        sql`, `,
      )} from ${sql.identifier(place.table)} where ${place.linked(person)} for update`,
    );
    for (const row of rows) {
      const before = JSON.stringify(columns.map((c) => row[c]));
      const values = {
        text: place.text.map((c) => (typeof row[c] === "string" ? text(row[c]) : null)),
        json: place.json.map((c) => {
          const raw = row[c];
          const value = typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw;
          return value == null ? null : deep(value);
        }),
      };
      const sets = [
        ...place.text.map((c, i) => sql`${sql.identifier(c)} = ${values.text[i]}`),
        ...place.json.map(
          (c, i) =>
            sql`${sql.identifier(c)} = ${values.json[i] == null ? null : JSON.stringify(values.json[i])}::jsonb`,
        ),
      ];
      const after = JSON.stringify([...values.text, ...values.json]);
      if (before === after) continue;
      await tx.execute(sql`update ${sql.identifier(place.table)} set ${sql.join(sets, sql`, `)} where id = ${row.id}`);
      changed++;
    }
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// erasing an account

export type ErasureErrorCode =
  "not_found" | "already_erased" | "wrong_password" | "throttled" | "invalid" | "last_admin";

export class ErasureError extends Error {
  readonly code: ErasureErrorCode;
  readonly field?: string;
  constructor(code: ErasureErrorCode, message: string, field?: string) {
    super(message);
    this.name = "ErasureError";
    this.code = code;
    this.field = field;
  }
}

export function isErasureError(err: unknown, code?: ErasureErrorCode): err is ErasureError {
  return err instanceof ErasureError && (code === undefined || err.code === code);
}

export interface ErasureResult {
  /** References of the open requests withdrawn first. */
  withdrawn: string[];
  /** How many of the person's requests were anonymised. */
  requestsAnonymised: number;
  sessionsEnded: number;
}

/**
 * Erases account `userId` inside the caller's transaction (see the head of this file). `actor` is
 * who does it: the person themselves, or an administrator acting on their request (`reason`, kept
 * in the audit log, with the person's name and address replaced should it contain them).
 */
export async function eraseAccount(
  tx: Tx,
  userId: string,
  by: { actor: CurrentUser; reason: string | null },
  now = new Date(),
): Promise<ErasureResult> {
  const [person] = await tx
    .select({ id: users.id, name: users.name, email: users.email, erasedAt: users.erasedAt })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!person) throw new ErasureError("not_found", "No such account");
  if (person.erasedAt) throw new ErasureError("already_erased", "This account has already been deleted.");
  const self = by.actor.id === userId;

  // 1. Open requests are withdrawn first: the hub is told, as for any withdrawal.
  const withdrawn = await withdrawOpenRequestsOf(tx, userId, now);

  // 2. Requests they were looking after (a coordinator) go back to their team's queue; they leave every team.
  const unassigned = await unassignOpenRequests(
    tx,
    by.actor,
    eq(supportRequests.assigneeId, userId),
    "account_deleted",
    now,
  );
  const memberOf = await tx
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId))
    .orderBy(asc(teamMembers.teamId));
  if (memberOf.length) {
    const teamIds = memberOf.map((m) => m.teamId);
    await tx.delete(teamMembers).where(eq(teamMembers.userId, userId));
    await tx
      .update(teams)
      .set({ version: sql`${teams.version} + 1`, updatedAt: now })
      .where(inArray(teams.id, teamIds));
  }

  // 3. Every request of theirs: answers, contact details and all texts erased.
  const mine = await tx
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(eq(supportRequests.requesterId, userId))
    .orderBy(asc(supportRequests.id));
  for (const request of mine) await anonymiseRequest(tx, request.id, now);

  // 4. The audit entry (before the replacement below, so a reason naming the person is cleaned too).
  await recordAdminChange(
    tx,
    by.actor,
    {
      entity: "user",
      entityId: userId,
      action: "erased",
      summary: self
        ? "The person deleted their own account"
        : `Deleted an account at the person's request. Reason: ${by.reason ?? ""}`,
      before: null,
      after: {
        requestsWithdrawn: withdrawn.length,
        requestsAnonymised: mine.length,
        requestsUnassigned: unassigned,
        teamsLeft: memberOf.length,
      },
    },
    now,
  );

  // 5. Their name and address wherever other text kept them.
  await replaceEverywhere(tx, { id: userId, email: person.email, name: person.name });

  // 6 and 7. What only pointed at them goes; the account row stays, holding nothing about them.
  const ended = await clearAccount(tx, userId, now);
  await tx.delete(authThrottleEvents).where(eq(authThrottleEvents.emailHash, addressKey(person.email)));

  return { withdrawn, requestsAnonymised: mine.length, sessionsEnded: ended };
}

/** What a person must confirm to delete their own account. */
export interface EraseMyAccountInput {
  password: unknown;
}

/**
 * The signed-in person deletes their own account: their current password is needed (nothing is
 * changed when it is wrong). A wrong password counts as a failed sign-in for (client, address), so a
 * stolen session cannot guess the password here faster than the sign-in page allows (ADR 017), and
 * past that limit nothing is checked. One transaction.
 */
export async function eraseMyAccount(
  caller: CurrentUser,
  input: EraseMyAccountInput,
  now = new Date(),
  client = "unknown",
): Promise<ErasureResult> {
  const password = typeof input.password === "string" ? input.password : "";
  if (!password) throw new ErasureError("invalid", "Enter your password", "password");
  const emailHash = addressKey(caller.email);
  const gate = await claimSignInAttempt(client, emailHash, now);
  if (!gate.allowed) {
    throw new ErasureError(
      "throttled",
      `Too many wrong passwords. Try again ${describeWait(gate.retryAfterSeconds)}.`,
      "password",
    );
  }
  const [row] = await getDb()
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, caller.id), isNull(users.erasedAt)))
    .limit(1);
  if (!row) {
    await releaseClaim(gate.claimId);
    throw new ErasureError("not_found", "No such account");
  }
  if (!(await verifyPassword(row.passwordHash, password))) {
    await getDb().transaction((tx) => signInFailed(tx, emailHash, now));
    throw new ErasureError("wrong_password", "The password is not right", "password");
  }
  // The erasure deletes the throttle rows kept for this address too (the claim with them).
  try {
    return await getDb().transaction(async (tx) => {
      await refuseLastAdmin(tx, caller.id);
      return eraseAccount(tx, caller.id, { actor: caller, reason: null }, now);
    });
  } catch (error) {
    await releaseClaim(gate.claimId); // the right password was not a failure
    throw error;
  }
}

/** Never erase the last active administrator (nobody could administer StayWell). */
async function refuseLastAdmin(tx: Tx, userId: string) {
  const admins = await activeAdminIds(tx);
  if (admins.length === 1 && admins[0] === userId) {
    throw new ErasureError(
      "last_admin",
      "You are the only administrator, so your account cannot be deleted. Make someone else an administrator first.",
    );
  }
}

export const ERASURE_REASON_MAX = 500;

/**
 * An administrator deletes another person's account on that person's request, with the reason
 * (kept in the audit log). Not their own (they use /account/data), never the last active
 * administrator. One administrator suffices: docs/decisions/030 says why.
 */
export async function eraseAccountByAdmin(
  caller: CurrentUser,
  userId: string,
  input: { reason: unknown; confirm: unknown },
  now = new Date(),
): Promise<ErasureResult> {
  assertAdmin(caller);
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  if (!reason) throw new ErasureError("invalid", "Enter why the account is being deleted", "reason");
  if (reason.length > ERASURE_REASON_MAX) {
    throw new ErasureError("invalid", `The reason must be ${ERASURE_REASON_MAX} characters or fewer`, "reason");
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(reason)) {
    throw new ErasureError("invalid", "The reason must not contain control characters", "reason");
  }
  if (input.confirm !== "yes") {
    throw new ErasureError("invalid", "Confirm that the person asked for their account to be deleted", "confirm");
  }
  if (userId === caller.id) {
    throw new ErasureError("invalid", "To delete your own account, use Your data in Your account.");
  }
  return getDb().transaction(async (tx) => {
    const admins = await activeAdminIds(tx);
    if (!admins.includes(caller.id)) throw new AdminError("forbidden", "You are no longer an administrator.");
    const [person] = await tx
      .select({ email: users.email, erasedAt: users.erasedAt })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1);
    const result = await eraseAccount(tx, userId, { actor: caller, reason }, now);
    // The person is told, at the address being erased. Enqueued after the erasure (which replaces
    // the address in every outbox row); the row blanks its address and text once sent (ADR 030).
    if (person && !person.erasedAt) {
      await enqueueMail(tx, {
        to: person.email,
        subject: "Your StayWell account has been deleted",
        text: `Hello,\n\nAs you asked, a StayWell administrator has deleted your StayWell account. Your name, email address, phone numbers, answers and messages have been erased; what remains cannot be linked back to you.${result.withdrawn.length ? ` Your open requests were withdrawn first and the people hub was told.` : ""}\n\nThis is the last email StayWell will send to this address. If you did not ask for this, contact the StayWell administrators.`,
        eraseAfterSend: true,
      });
    }
    return result;
  });
}

/** Active administrators, locked in id order (as people.server.ts does before any account change). */
async function activeAdminIds(tx: Tx): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(isNull(users.disabledAt), inArray(users.role, rolesThatMay("admin:manage"))))
    .orderBy(asc(users.id))
    .for("update");
  return rows.map((r) => r.id);
}

/**
 * What erasing an account and the retention job's anonymising of a long-disabled one share: every
 * row that only pointed at the person goes (sessions — signed out everywhere — tokens, two-step
 * verification, hub read markers, team places, their requests for access — name, address,
 * organisation, job — by the account or by its address), and the account row stays, holding no name,
 * address, password or details, so the requests it made still count. Returns the sessions ended.
 */
async function clearAccount(tx: Tx, userId: string, now: Date): Promise<number> {
  const [person] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  const accessRequestsOf = person
    ? or(eq(accessRequests.userId, userId), eq(accessRequests.email, person.email.toLowerCase()))!
    : eq(accessRequests.userId, userId);
  await tx.delete(accessRequests).where(accessRequestsOf);
  if (person) await tx.delete(passwordResetRequests).where(eq(passwordResetRequests.email, person.email.toLowerCase()));
  const ended = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  await tx.delete(emailVerificationTokens).where(eq(emailVerificationTokens.userId, userId));
  // The account pages' tokens (an email change holds the new address) and two-step verification.
  await tx.delete(emailChangeTokens).where(eq(emailChangeTokens.userId, userId));
  await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
  await tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
  await tx.delete(twoStepRecoveryCodes).where(eq(twoStepRecoveryCodes.userId, userId));
  await tx.delete(twoStepSettings).where(eq(twoStepSettings.userId, userId));
  await tx.delete(requestReads).where(eq(requestReads.userId, userId));
  await tx.delete(teamMembers).where(eq(teamMembers.userId, userId));
  // The leaving questionnaire: consent deleted, free text erased, answers detached (ADR 033).
  await forgetLeavingOf(tx, userId, now);
  // The reservist bank (ADR 040): the profile goes; invitations keep only their outcome.
  await tx.delete(reservists).where(eq(reservists.userId, userId));
  // First-year check-ins go (review finding 3): a due date less its point gives back the start date
  // erased below, and the coded answers would stay on this id. A request one of them made stays,
  // treated as every request of theirs is (check_ins.request_id points from here only).
  await tx.delete(checkIns).where(eq(checkIns.userId, userId));
  await tx
    .update(users)
    .set({
      name: ERASED_NAME,
      email: anonymisedEmail(userId),
      // Not an argon2 hash: verifyPassword is false for every password.
      passwordHash: `erased:${randomBytes(16).toString("hex")}`,
      staffGroup: "Not recorded",
      jobTitle: null,
      startDate: "2000-01-01",
      contactMethod: null,
      contactPhone: null,
      contactTimes: null,
      role: "staff",
      managesOrganisationId: null,
      adminSince: null,
      // Nothing is "self-declared" by a person who is no longer there (finding 18).
      organisationSelfDeclared: false,
      emailVerifiedAt: null,
      disabledAt: sql`coalesce(${users.disabledAt}, ${now.toISOString()}::timestamptz)`,
      erasedAt: now,
      version: sql`${users.version} + 1`,
      updatedAt: now,
    })
    .where(and(eq(users.id, userId), isNull(users.erasedAt)));
  return ended.length;
}

/**
 * The retention job's batch form of anonymiseRequest: erases the content of the given requests and
 * marks them anonymised at `now`. Requests already anonymised are left as they are. Returns how many
 * were anonymised now. None of the columns the insights rollup trigger watches is written.
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
      anonymisedReason: "retention",
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

/**
 * The retention job's step for an account disabled for 24 months (no hold, no open request: the
 * caller decides): its requests anonymised and the account cleared as an erasure clears it. Returns
 * false when the account was already anonymised or does not exist.
 */
export async function anonymiseAccount(tx: Tx, userId: string, now = new Date()): Promise<boolean> {
  const [target] = await tx
    .select({ id: users.id, erasedAt: users.erasedAt, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!target || target.erasedAt !== null) return false;
  const theirs = await tx
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(and(eq(supportRequests.requesterId, userId), isNull(supportRequests.anonymisedAt)));
  await anonymiseRequests(
    tx,
    theirs.map((r) => r.id),
    now,
  );
  // Their name and address in the audit log and the mail kept, as an erasure replaces them.
  await replaceEverywhere(tx, { id: userId, email: target.email, name: target.name });
  await clearAccount(tx, userId, now);
  await tx.delete(authThrottleEvents).where(eq(authThrottleEvents.emailHash, addressKey(target.email)));
  return true;
}

/**
 * The retention job's step for an account never confirmed (no password chosen, no address proven)
 * whose last link expired long ago: the account goes, with its mail, requests for access and every
 * row that only pointed at it; its name and address are replaced in the audit log. Refuses (false)
 * an account that was confirmed, erased, or made a request or an administrative change.
 */
export async function deleteUnverifiedAccount(tx: Tx, userId: string): Promise<boolean> {
  const [target] = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt), isNull(users.erasedAt)))
    .for("update");
  if (!target) return false;
  await replaceEverywhere(tx, { id: userId, email: target.email, name: target.name });
  await tx.execute(
    sql`delete from mail_outbox where user_id = ${userId} or lower(to_address) = lower(${target.email})`,
  );
  await tx
    .delete(accessRequests)
    .where(or(eq(accessRequests.userId, userId), eq(accessRequests.email, target.email.toLowerCase())));
  await tx.delete(authThrottleEvents).where(eq(authThrottleEvents.emailHash, addressKey(target.email)));
  // Sessions, links, two-step settings and team places cascade.
  await tx.delete(users).where(eq(users.id, userId));
  return true;
}
