// Accounts: sign-up with a partner organisation's work email, email verification, sign-in.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "@db/client";
import { getDb } from "@db/current";
import {
  emailVerificationTokens,
  organisationDomains,
  organisations,
  sessions,
  sharedDomains,
  users,
} from "@db/schema";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../auth/password.server";
import { NOT_A_JOINING_ADDRESS, type SignupInput } from "~/schemas/accounts";
import { TIME_ZONE } from "~/lib/working-days";
import {
  addressKey,
  claimSignInAttempt,
  clearPairFailures,
  signInFailed,
  takeAccountMailAllowance,
  takeSignUpAllowance,
} from "./auth-throttle.server";
import { describeWait } from "../auth/throttle.server";
import { findSingleUseToken, type SingleUseTokenProblem } from "../auth/single-use-token.server";

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

export function domainOf(email: string) {
  return normaliseEmail(email).split("@")[1] ?? "";
}

/** Whether an address is at a shared domain (nhs.net, or one administrators marked as shared). */
export async function isSharedDomainEmail(email: string) {
  const [row] = await getDb()
    .select({ id: sharedDomains.id })
    .from(sharedDomains)
    .where(eq(sharedDomains.domain, domainOf(email)))
    .limit(1);
  return !!row;
}

/**
 * How an address may join (docs/decisions/027-joining.md): a partner organisation's domain signs
 * up into that organisation; a shared domain signs up choosing the organisation (self-declared);
 * anything else requests access.
 */
export async function joiningRuleFor(
  email: string,
): Promise<{ kind: "partner"; organisation: { id: number; name: string } } | { kind: "shared" } | { kind: "none" }> {
  const organisation = await organisationForEmail(email);
  if (organisation) return { kind: "partner", organisation };
  return (await isSharedDomainEmail(email)) ? { kind: "shared" } : { kind: "none" };
}

/** Every organisation, for the "which organisation do you work for?" lists (names are public). */
export async function organisationChoices() {
  return getDb()
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .orderBy(organisations.name, organisations.id);
}

export { NOT_A_JOINING_ADDRESS };
export const CHOOSE_ORGANISATION = "Select the organisation you work for";

export type SignupResult =
  | { ok: true; email: string }
  | { ok: false; field: "email" | "organisationId"; message: string; retryAfterSeconds?: number };

/**
 * A password hash nobody can match: a pending account has no password until the person who holds
 * the mailbox chooses one on the page the emailed link opens (docs/decisions/017, "Account
 * pre-hijacking"). A real argon2 hash of 32 random bytes, so signing in to a pending account takes
 * as long as any other wrong password.
 */
export async function unusablePasswordHash() {
  return hashPassword(randomBytes(32).toString("base64url"));
}

/**
 * Creates an unverified account (with no usable password) and emails a link; the password is
 * chosen on the page that link opens. If the address already has a verified account we say nothing
 * different on screen (no account enumeration): that person gets an email telling them they
 * already have an account instead.
 *
 * Signing up again for a pending address takes the new details and sends a new link; the earlier
 * links keep working (they all lead to the same "choose a password" page, and only the mailbox
 * holder has them). Nobody who signs up chooses the password, so an attacker who signs up first
 * with someone else's address gains nothing.
 *
 * Throttled (ADR 017): a client may sign up SIGNUPS_PER_CLIENT_PER_HOUR times an hour (then it is
 * told to wait, whatever the address), and an address receives at most
 * ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR account mails an hour: beyond that the answer on screen is
 * the same ("check your email") but nothing is changed or sent. Every mail that used up the
 * allowance holds a working link, so the owner of the mailbox is never locked out by it.
 */
export async function registerAccount(
  input: Omit<SignupInput, "organisationId"> & { organisationId?: string },
  client = "unknown",
  now = new Date(),
): Promise<SignupResult> {
  const email = normaliseEmail(input.email);
  const rule = await joiningRuleFor(email);
  if (rule.kind === "none") return { ok: false, field: "email", message: NOT_A_JOINING_ADDRESS };
  let organisation: { id: number };
  if (rule.kind === "partner") organisation = rule.organisation;
  else {
    // A shared domain (nhs.net): the person says which organisation; it stays "self-declared".
    const chosen = /^\d{1,9}$/.test(input.organisationId ?? "") ? Number(input.organisationId) : 0;
    const [found] = chosen
      ? await getDb().select({ id: organisations.id }).from(organisations).where(eq(organisations.id, chosen)).limit(1)
      : [];
    if (!found) return { ok: false, field: "organisationId", message: CHOOSE_ORGANISATION };
    organisation = found;
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
  const passwordHash = await unusablePasswordHash();
  const { APP_URL } = env();
  await getDb().transaction(async (tx) => {
    // Taken first: it also serialises two sign-ups for the same new address.
    if (!(await takeAccountMailAllowance(tx, addressKey(email), now))) return;
    const [existing] = await tx.select().from(users).where(eq(users.email, email)).limit(1).for("update");
    if (existing?.emailVerifiedAt) {
      await enqueueMail(tx, alreadyHaveAnAccountMail(email, APP_URL));
      return;
    }
    const values = {
      email,
      name: input.name,
      organisationId: organisation.id,
      organisationSelfDeclared: rule.kind === "shared",
      staffGroup: input.staffGroup,
      jobTitle: input.jobTitle || null,
      startDate: input.startDate,
      passwordHash,
      updatedAt: now,
    };
    let userId: string;
    if (existing) {
      // Still pending: the newest details win and a new link is sent. The password (if an account
      // made before this change had one) is replaced by an unusable one: only the link sets it.
      await tx.update(users).set(values).where(eq(users.id, existing.id));
      userId = existing.id;
    } else {
      userId = randomUUID();
      await tx.insert(users).values({ id: userId, role: "staff", ...values });
    }
    await issueVerificationLink(tx, { id: userId, email, name: input.name }, now);
  });
  return { ok: true, email };
}

export function alreadyHaveAnAccountMail(email: string, appUrl: string) {
  return {
    to: email,
    subject: "You already have a StayWell account",
    text: `Someone (probably you) tried to create a StayWell account with this email address, but you already have one.\n\nSign in at ${appUrl}/login\n\nIf this was not you, you can ignore this email.`,
  };
}

export type NewLinkResult = { ok: true; email: string } | { ok: false; retryAfterSeconds: number };

/**
 * "Send me a new link": for a pending account whose links have expired or gone missing. The same
 * answer whatever the address (no account enumeration). Limited like sign-up: per client
 * (SIGNUPS_PER_CLIENT_PER_HOUR, shared with sign-up) and per address (the account-mail allowance).
 */
export async function sendNewVerificationLink(
  emailInput: string,
  client = "unknown",
  now = new Date(),
): Promise<NewLinkResult> {
  const email = normaliseEmail(emailInput);
  const allowance = await takeSignUpAllowance(client, now);
  if (!allowance.allowed) return { ok: false, retryAfterSeconds: allowance.retryAfterSeconds };
  const { APP_URL } = env();
  await getDb().transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
    if (!existing) return;
    if (!(await takeAccountMailAllowance(tx, addressKey(email), now))) return;
    if (existing.emailVerifiedAt) await enqueueMail(tx, alreadyHaveAnAccountMail(email, APP_URL));
    else await issueVerificationLink(tx, existing, now);
  });
  return { ok: true, email };
}

/** The mail that tells an approved access request how to finish (docs/decisions/027-joining.md). */
export function approvedAccessMail(name: string, link: string) {
  return {
    subject: "You can now create your StayWell account",
    text: `Hello ${name},\n\nA StayWell administrator has approved your request for access. To finish creating your account, open this link and choose your password:\n\n${link}\n\nThe link works once and expires in ${VERIFICATION_HOURS} hours. If it has expired, you can ask for a new one at ${env().APP_URL}/signup/check-email\n\nIf you did not ask for access to StayWell, you can ignore this email: nobody can use the account until a password is chosen with this link.`,
  };
}

export async function issueVerificationLink(
  tx: Tx,
  user: { id: string; email: string; name: string },
  now = new Date(),
  mail?: (link: string) => { subject: string; text: string },
) {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(emailVerificationTokens).values({
    userId: user.id,
    tokenHash: sha256(token),
    expiresAt: new Date(now.getTime() + VERIFICATION_HOURS * 3600_000),
  });
  if (mail) {
    await enqueueMail(tx, { to: user.email, ...mail(`${env().APP_URL}/verify-email?token=${token}`) });
    return;
  }
  await enqueueMail(tx, {
    to: user.email,
    subject: "Choose your password for StayWell",
    // "Hello,": the address is not proven yet, so nothing typed at sign-up is echoed to it.
    text: `Hello,\n\nTo finish creating your StayWell account, open this link and choose your password:\n\n${env().APP_URL}/verify-email?token=${token}\n\nThe link works once and expires in ${VERIFICATION_HOURS} hours. If it has expired, you can ask for a new one at ${env().APP_URL}/signup/check-email\n\nIf you did not ask for a StayWell account, you can ignore this email: nobody can use the account until a password is chosen with this link.`,
  });
}

export type TokenProblem = SingleUseTokenProblem;
export type VerifyResult = { ok: true; userId: string } | { ok: false; reason: TokenProblem };

/** Whether a link can still be used (the GET of the page: it uses nothing up). */
export async function checkVerificationToken(
  token: string,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; reason: TokenProblem }> {
  const found = await getDb().transaction((tx) => findSingleUseToken(tx, emailVerificationTokens, token, now, false));
  return found.ok ? { ok: true } : found;
}

/**
 * Follows a verification link and sets the password the mailbox holder chose there, in one
 * transaction: the password hash is replaced (whatever any sign-up set), the email is marked
 * verified, this link and every other unused link of the account are used up, and every session
 * of the account ends. A link is single use and works within its lifetime only.
 */
export async function completeSignup(token: string, password: string, now = new Date()): Promise<VerifyResult> {
  if (!token || token.length > 200) return { ok: false, reason: "invalid" };
  // Hashed before the transaction: argon2 takes a while and holds no lock.
  const passwordHash = await hashPassword(password);
  return getDb().transaction(async (tx) => {
    const found = await findSingleUseToken(tx, emailVerificationTokens, token, now, true);
    if (!found.ok) return found;
    const userId = found.row.userId;
    const [user] = await tx
      .select({ emailVerifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1)
      .for("update");
    if (!user) return { ok: false, reason: "invalid" } as const;
    await tx
      .update(emailVerificationTokens)
      .set({ usedAt: now })
      .where(and(eq(emailVerificationTokens.userId, userId), isNull(emailVerificationTokens.usedAt)));
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now, updatedAt: now })
      .where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    return { ok: true, userId } as const;
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
export async function authenticate(
  emailInput: string,
  password: string,
  client = "unknown",
  now = new Date(),
): Promise<AuthenticateResult> {
  const email = normaliseEmail(emailInput);
  const emailHash = addressKey(email);
  const db = getDb();
  // Claimed (counted as a failure) before the password is checked: concurrent guesses see each other.
  const gate = await claimSignInAttempt(client, emailHash, now);
  if (!gate.allowed)
    return { ok: false, reason: "throttled", scope: gate.scope, retryAfterSeconds: gate.retryAfterSeconds };

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !passwordOk || user.disabledAt) {
    // The same statements run for an unknown address as for a known one; only the mail differs.
    await db.transaction(async (tx) => {
      const warn = await signInFailed(tx, emailHash, now);
      if (warn && user && user.emailVerifiedAt && !user.disabledAt) await enqueueMail(tx, signInWarningMail(user, now));
    });
    return { ok: false, reason: "invalid" };
  }
  if (!user.emailVerifiedAt) {
    // Only someone who knows the password learns this; they get a fresh link (within the limit).
    const linkSent = await db.transaction(async (tx) => {
      if (!(await takeAccountMailAllowance(tx, emailHash, now))) return false;
      await issueVerificationLink(tx, user, now);
      return true;
    });
    return { ok: false, reason: "unverified", linkSent };
  }
  await clearPairFailures(client, emailHash);
  return { ok: true, userId: user.id };
}
