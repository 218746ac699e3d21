// Accounts: sign-up with a partner organisation's work email, email verification, sign-in.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@db/current";
import { emailVerificationTokens, loginAttempts, organisationDomains, organisations, users } from "@db/schema";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../auth/password.server";
import type { SignupInput } from "~/schemas/accounts";

export const VERIFICATION_HOURS = 24;
/** Failed sign-ins allowed per address in LOGIN_WINDOW_MINUTES before we ask the person to wait. */
export const MAX_FAILED_LOGINS = 10;
export const LOGIN_WINDOW_MINUTES = 15;

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
  | { ok: false; field: "email"; message: string };

/**
 * Creates an unverified account and emails a verification link. If the address already has a
 * verified account we say nothing different on screen (no account enumeration): that person
 * gets an email telling them they already have an account instead.
 */
export async function registerAccount(input: SignupInput): Promise<SignupResult> {
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
  const passwordHash = await hashPassword(input.password);
  const { APP_URL } = env();
  await getDb().transaction(async (tx) => {
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
      updatedAt: new Date(),
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
            gt(emailVerificationTokens.expiresAt, new Date()),
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
  | { ok: false; reason: "invalid" | "throttled" | "unverified" };

/**
 * Checks an email and password. Wrong email, wrong password, unverified or disabled account all
 * give the same answer ("invalid"), in about the same time. Failed attempts are counted in the
 * database, so the limit holds across every app instance.
 */
export async function authenticate(emailInput: string, password: string, now = new Date()): Promise<AuthenticateResult> {
  const email = normaliseEmail(emailInput);
  const db = getDb();
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000);
  const [{ failures }] = await db
    .select({ failures: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), gt(loginAttempts.attemptedAt, windowStart)));
  if (failures >= MAX_FAILED_LOGINS) return { ok: false, reason: "throttled" };

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !passwordOk || user.disabledAt) {
    await db.insert(loginAttempts).values({ email, attemptedAt: now });
    return { ok: false, reason: "invalid" };
  }
  if (!user.emailVerifiedAt) {
    // Only someone who knows the password learns this; they get a fresh link.
    await db.transaction((tx) => issueVerificationLink(tx, user));
    return { ok: false, reason: "unverified" };
  }
  await db.delete(loginAttempts).where(eq(loginAttempts.email, email));
  return { ok: true, userId: user.id };
}
