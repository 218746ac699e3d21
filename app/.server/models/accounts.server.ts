// Accounts: sign-up with a partner organisation's work email, email verification, sign-in.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { getDb } from "@db/current";
import { emailVerificationTokens, organisationDomains, organisations, users } from "@db/schema";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../auth/password.server";
import type { SignupInput } from "~/schemas/accounts";
import { TIME_ZONE } from "~/lib/working-days";
import {
  addressKey,
  clearPairFailures,
  recordSignInFailure,
  signInGate,
  takeAccountMailAllowance,
  takeSignUpAllowance,
} from "./auth-throttle.server";
import { describeWait } from "../auth/throttle.server";

export const VERIFICATION_HOURS = 24;

function sha256(text: string) {
  return createHash("sha256").update(text).digest("hex");
}

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

/** The partner organisation that owns an email's domain, or null. */
export async function organisationForEmail(email: string) {
  const domain = normaliseEmail(email).split("@")[1] ?? "";
  const [row] = await getDb()
    .select({ id: organisations.id, name: organisations.name })
    .from(organisationDomains)
    .innerJoin(organisations, eq(organisations.id, organisationDomains.organisationId))
    .where(eq(organisationDomains.domain, domain))
    .limit(1);
  return row ?? null;
}

/** Every domain that may register, for the error message that lists them. */
export async function partnerDomains() {
  const rows = await getDb()
    .select({ domain: organisationDomains.domain })
    .from(organisationDomains)
    .orderBy(organisationDomains.domain);
  return rows.map((r) => r.domain);
}

export type SignupResult =
  | { ok: true; email: string }
  | { ok: false; field: "email"; message: string; retryAfterSeconds?: number };

/**
 * Creates an unverified account and emails a verification link. If the address already has a
 * verified account we say nothing different on screen (no account enumeration): that person
 * gets an email telling them they already have an account instead.
 *
 * Throttled (ADR 017): a client may sign up SIGNUPS_PER_CLIENT_PER_HOUR times an hour (then it is
 * told to wait, whatever the address), and an address receives at most
 * ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR account mails an hour: beyond that the answer on screen is
 * the same ("check your email") but nothing is changed or sent.
 */
export async function registerAccount(input: SignupInput, client = "unknown", now = new Date()): Promise<SignupResult> {
  const email = normaliseEmail(input.email);
  const organisation = await organisationForEmail(email);
  if (!organisation) {
    const domains = await partnerDomains();
    return {
      ok: false,
      field: "email",
      message: `Enter your work email address from a partner organisation (an address ending ${domains.map((d) => `@${d}`).join(", ")})`,
    };
  }
  const allowance = await takeSignUpAllowance(client, now);
  if (!allowance.allowed) {
    return {
      ok: false,
      field: "email",
      message: `Too many accounts have been asked for from your connection. Wait ${describeWait(allowance.retryAfterSeconds)} and try again`,
      retryAfterSeconds: allowance.retryAfterSeconds,
    };
  }
  const passwordHash = await hashPassword(input.password);
  const { APP_URL } = env();
  await getDb().transaction(async (tx) => {
    // Taken first: it also serialises two sign-ups for the same new address.
    if (!(await takeAccountMailAllowance(tx, addressKey(email), now))) return;
    const [existing] = await tx.select().from(users).where(eq(users.email, email)).limit(1).for("update");
    if (existing?.emailVerifiedAt) {
      await enqueueMail(tx, {
        to: email,
        subject: "You already have a StayWell account",
        text: `Someone (probably you) tried to create a StayWell account with this email address, but you already have one.\n\nSign in at ${APP_URL}/login\n\nIf this was not you, you can ignore this email.`,
      });
      return;
    }
    const values = {
      email,
      name: input.name,
      organisationId: organisation.id,
      staffGroup: input.staffGroup,
      jobTitle: input.jobTitle || null,
      startDate: input.startDate,
      passwordHash,
      updatedAt: now,
    };
    let userId: string;
    if (existing) {
      // A pending sign-up is never overwritten while its link still works: otherwise anyone could
      // replace the password of an account its owner is about to confirm. Once every link has
      // expired, signing up again starts afresh and the old links are removed.
      const [live] = await tx
        .select({ expiresAt: emailVerificationTokens.expiresAt })
        .from(emailVerificationTokens)
        .where(
          and(
            eq(emailVerificationTokens.userId, existing.id),
            isNull(emailVerificationTokens.usedAt),
            gt(emailVerificationTokens.expiresAt, now),
          ),
        )
        .orderBy(desc(emailVerificationTokens.expiresAt))
        .limit(1);
      if (live) {
        await enqueueMail(tx, {
          to: email,
          subject: "Your StayWell account is waiting to be confirmed",
          text: `Someone (probably you) tried to create a StayWell account with this email address again.\n\nYour first sign-up is waiting: open the link in the first email we sent to confirm it. That link works until ${live.expiresAt.toUTCString()}.\n\nIf you no longer know the password you chose, you can sign up again once that link has expired.\n\nIf this was not you, you can ignore this email: nothing has changed.`,
        });
        return;
      }
      await tx.delete(emailVerificationTokens).where(eq(emailVerificationTokens.userId, existing.id));
      await tx.update(users).set(values).where(eq(users.id, existing.id));
      userId = existing.id;
    } else {
      userId = randomUUID();
      await tx.insert(users).values({ id: userId, role: "staff", ...values });
    }
    await issueVerificationLink(tx, { id: userId, email, name: input.name });
  });
  return { ok: true, email };
}

type Tx = Parameters<Parameters<ReturnType<typeof getDb>["transaction"]>[0]>[0];

async function issueVerificationLink(tx: Tx, user: { id: string; email: string; name: string }) {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(emailVerificationTokens).values({
    userId: user.id,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + VERIFICATION_HOURS * 3600_000),
  });
  await enqueueMail(tx, {
    to: user.email,
    subject: "Confirm your email address for StayWell",
    text: `Hello ${user.name},\n\nTo finish creating your StayWell account, confirm your email address by opening this link:\n\n${env().APP_URL}/verify-email?token=${token}\n\nThe link works once and expires in ${VERIFICATION_HOURS} hours.\n\nIf you did not ask for a StayWell account, you can ignore this email.`,
  });
}

export type VerifyResult = { ok: true; userId: string } | { ok: false; reason: "invalid" | "expired" | "used" };

/** Follows a verification link: single use, within its lifetime. */
export async function verifyEmailToken(token: string, now = new Date()): Promise<VerifyResult> {
  if (!token || token.length > 200) return { ok: false, reason: "invalid" };
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(emailVerificationTokens)
      .where(eq(emailVerificationTokens.tokenHash, sha256(token)))
      .limit(1)
      .for("update");
    if (!row) return { ok: false, reason: "invalid" } as const;
    if (row.usedAt) return { ok: false, reason: "used" } as const;
    if (row.expiresAt <= now) return { ok: false, reason: "expired" } as const;
    await tx.update(emailVerificationTokens).set({ usedAt: now }).where(eq(emailVerificationTokens.id, row.id));
    await tx
      .update(users)
      .set({ emailVerifiedAt: now, updatedAt: now })
      .where(and(eq(users.id, row.userId), isNull(users.emailVerifiedAt)));
    return { ok: true, userId: row.userId } as const;
  });
}

export type AuthenticateResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "unverified"; linkSent: boolean }
  | { ok: false; reason: "throttled"; scope: "client" | "pair"; retryAfterSeconds: number };

const warningTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
});

/** The "someone tried to sign in" mail: an approximate time only; never the client or what was typed. */
function signInWarningMail(user: { email: string; name: string }, now: Date) {
  // To the nearest five minutes before: "about", not a timestamp to match against a log.
  const about = new Date(Math.floor(now.getTime() / 300_000) * 300_000);
  return {
    to: user.email,
    subject: "Someone tried to sign in to your StayWell account",
    text: `Hello ${user.name},\n\nSomeone has tried several times to sign in to your StayWell account with the wrong password, most recently at about ${warningTime.format(about)} (UK time).\n\nThey were not let in, and your account is not locked: you can still sign in as usual at ${env().APP_URL}/login\n\nIf this was you, you do not need to do anything.\n\nIf it was not you, your password kept your account safe. If you use the same password on another site, change it there. If you think someone may know your StayWell password, ask a StayWell administrator for help.\n\nWe send this email at most once an hour.`,
  };
}

/**
 * Checks an email and password. Wrong email, wrong password, unverified or disabled account all
 * give the same answer ("invalid"), in about the same time. Throttled by (client, address) and by
 * client, never by address alone, so nobody can lock the owner out (ADR 017): a throttled attempt
 * is refused before the password is checked, and is not recorded. The owner is mailed after
 * repeated failures. A right password for an unconfirmed account sends a new link, at most
 * ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR an hour.
 */
export async function authenticate(emailInput: string, password: string, client = "unknown", now = new Date()): Promise<AuthenticateResult> {
  const email = normaliseEmail(emailInput);
  const emailHash = addressKey(email);
  const db = getDb();
  const gate = await signInGate(client, emailHash, now);
  if (!gate.allowed) return { ok: false, reason: "throttled", scope: gate.scope, retryAfterSeconds: gate.retryAfterSeconds };

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !passwordOk || user.disabledAt) {
    // The same statements run for an unknown address as for a known one; only the mail differs.
    await db.transaction(async (tx) => {
      const warn = await recordSignInFailure(tx, client, emailHash, now);
      if (warn && user && user.emailVerifiedAt && !user.disabledAt) await enqueueMail(tx, signInWarningMail(user, now));
    });
    return { ok: false, reason: "invalid" };
  }
  if (!user.emailVerifiedAt) {
    // Only someone who knows the password learns this; they get a fresh link (within the limit).
    const linkSent = await db.transaction(async (tx) => {
      if (!(await takeAccountMailAllowance(tx, emailHash, now))) return false;
      await issueVerificationLink(tx, user);
      return true;
    });
    return { ok: false, reason: "unverified", linkSent };
  }
  await clearPairFailures(client, emailHash);
  return { ok: true, userId: user.id };
}
