// The leaving questionnaire (issue 13 part 2; docs/decisions/033-leaving-questionnaire.md).
//
// Confidential by construction: every function here that reads answers takes the caller and reads
// only the caller's own response (user_id = caller.id in the query). Nobody else — not their
// organisation, a manager, an administrator or a coordinator — reads one person's answers through
// this module. Coordinators of the Retention and careers team (looked up by its slug) read only the
// verified contact consents: name, personal address, the ways back they would consider and when
// they left. Everything else counts only in the protected aggregates (issue 13 part 4).
//
// Links: an administrator sends the questionnaire to leavers' work addresses. Each link is
// single-use, valid LINK_DAYS, stored as the SHA-256 of its token (the address only as a hash), and
// answers given through it belong to the organisation that sent it, not to any account.
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Tx } from "@db/client";
import { getDb } from "@db/current";
import {
  leavingContacts,
  leavingLinks,
  leavingResponseChoices,
  leavingResponses,
  organisations,
  supportOffers,
  users,
} from "@db/schema";
import { leaverTenureBand, type LeavingChoiceQuestion } from "~/lib/leaving";
import type { LeavingInput } from "~/schemas/leaving";
import { LEAVER_ROWS_MAX } from "~/schemas/leaving";
import type { CurrentUser } from "../auth/types";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import { canSeeLeaverContacts, NotFoundError, requireLeaverContactsAccess } from "../permissions.server";
import { organisationForEmail } from "./accounts.server";
import { assertAdmin, recordAdminChange } from "./admin/common.server";
import { addressKey, takeAccountMailAllowance } from "./auth-throttle.server";

/** The hub team whose coordinators see the contact consents (added to the demo by issue 13 part 1). */
export const RETENTION_TEAM_SLUG = "retention-careers";
/** A questionnaire link works once, for this many days. */
export const LINK_DAYS = 60;
/** The link that verifies a personal address works for this many days. */
export const CONTACT_VERIFY_DAYS = 7;
/** At most this many links one administrator may send in 24 hours. */
export const LINKS_PER_ADMIN_PER_DAY = 2000;

const DAY_MS = 24 * 60 * 60 * 1000;

function sha256(text: string) {
  return createHash("sha256").update(text).digest("hex");
}

function newToken() {
  return randomBytes(32).toString("base64url");
}

export type LeavingErrorCode = "invalid" | "exists" | "throttled";

/** A refused questionnaire or list of leavers: `errors` maps form fields to messages. */
export class LeavingError extends Error {
  constructor(
    readonly code: LeavingErrorCode,
    message: string,
    readonly errors: Record<string, string> = {},
  ) {
    super(message);
    this.name = "LeavingError";
  }
}

export function isLeavingError(err: unknown, code?: LeavingErrorCode): err is LeavingError {
  return err instanceof LeavingError && (code === undefined || err.code === code);
}

// ---------------------------------------------------------------------------------------------
// what the form offers

export interface SupportChoice {
  id: number;
  title: string;
  category: string;
}

/** The catalogue's active offers, for "which StayWell support did you use or know about". */
export async function supportChoices(): Promise<SupportChoice[]> {
  return getDb()
    .select({ id: supportOffers.id, title: supportOffers.title, category: supportOffers.category })
    .from(supportOffers)
    .where(eq(supportOffers.active, true))
    .orderBy(asc(supportOffers.category), asc(supportOffers.sortOrder), asc(supportOffers.title));
}

// ---------------------------------------------------------------------------------------------
// storing answers

/** A partner organisation's address stops working when the person leaves: refused (before any transaction). */
async function refuseWorkAddress(input: LeavingInput): Promise<void> {
  if (input.contactConsent && input.personalEmail && (await organisationForEmail(input.personalEmail))) {
    const message = "Enter a personal email address, not a work one: your work address stops working when you leave";
    throw new LeavingError("invalid", message, { personalEmail: message });
  }
}

interface Answerer {
  userId: string | null;
  linkId: number | null;
  organisationId: number;
  staffGroup: string | null;
  startDate: string | null;
  /** Used for the contact consent when the form gives none (a signed-in person's own name). */
  name: string | null;
}

async function insertResponse(tx: Tx, who: Answerer, input: LeavingInput, now: Date): Promise<number> {
  // Offers must exist (any offer, active or retired since the form was shown).
  const offerIds = [...new Set([...input.supportUsed, ...input.supportKnown].filter((v) => v !== "none").map(Number))];
  if (offerIds.length) {
    const found = await tx
      .select({ id: supportOffers.id })
      .from(supportOffers)
      .where(inArray(supportOffers.id, offerIds));
    if (found.length !== offerIds.length) {
      throw new LeavingError("invalid", "Select support from the list", {
        supportUsed: "Select support from the list",
      });
    }
  }
  const [row] = await tx
    .insert(leavingResponses)
    .values({
      userId: who.userId,
      linkId: who.linkId,
      organisationId: who.organisationId,
      staffGroup: who.staffGroup,
      tenureBand:
        who.startDate && who.startDate <= input.leavingDate ? leaverTenureBand(who.startDate, input.leavingDate) : null,
      leavingDate: input.leavingDate,
      destination: input.destination,
      mainReason: input.mainReason,
      details: input.details ?? null,
      usedSupport: !input.supportUsed.includes("none"),
      wouldReturn: !input.returnWays.includes("no"),
      createdAt: now,
    })
    .returning({ id: leavingResponses.id });
  const choices: { responseId: number; question: LeavingChoiceQuestion; value: string; offerId: number | null }[] = [];
  const add = (question: LeavingChoiceQuestion, list: readonly string[], offers = false) => {
    for (const value of new Set(list)) {
      choices.push({ responseId: row.id, question, value, offerId: offers && value !== "none" ? Number(value) : null });
    }
  };
  add("reason", input.reasons);
  add("kept", input.kept);
  add("support_used", input.supportUsed, true);
  add(
    "support_known",
    input.supportKnown.filter((v) => v !== "none"),
    true,
  );
  add("return", input.returnWays);
  if (choices.length) await tx.insert(leavingResponseChoices).values(choices);

  if (input.contactConsent && input.personalEmail) {
    // Signed in: the account's name. Through a link: the name they give (needed to contact them).
    const name = who.name ?? input.contactName;
    if (!name) throw new LeavingError("invalid", "Enter your name", { contactName: "Enter your name" });
    await startContactVerification(tx, row.id, name, input.personalEmail, now);
  }
  return row.id;
}

/** Stores the (unverified) consent and mails the verification link, within the mail allowance. */
async function startContactVerification(tx: Tx, responseId: number, name: string, email: string, now: Date) {
  const address = email.trim().toLowerCase();
  if (!(await takeAccountMailAllowance(tx, addressKey(address), now))) {
    const message = "We have sent too many emails to this address in the last hour. Try again later.";
    throw new LeavingError("throttled", message, { personalEmail: message });
  }
  const token = newToken();
  await tx.insert(leavingContacts).values({
    responseId,
    name,
    personalEmail: address,
    tokenHash: sha256(token),
    tokenExpiresAt: new Date(now.getTime() + CONTACT_VERIFY_DAYS * DAY_MS),
    createdAt: now,
  });
  const { APP_URL } = env();
  await enqueueMail(tx, {
    to: address,
    subject: "Confirm your email address for StayWell",
    text: `Hello,\n\nYou said StayWell's Retention and careers team may contact you at this address about coming back to work in Staffordshire and Stoke-on-Trent.\n\nTo confirm this is your address, open this link:\n\n${APP_URL}/leaving/confirm-contact?token=${token}\n\nThe link works once and expires in ${CONTACT_VERIFY_DAYS} days. Until you confirm, nobody will contact you.\n\nIf this was not you, ignore this email: nothing will happen.`,
  });
}

/** The signed-in person tells StayWell they are leaving (one questionnaire per account). */
export async function submitMyLeaving(caller: CurrentUser, input: LeavingInput, now = new Date()): Promise<void> {
  await refuseWorkAddress(input);
  await getDb().transaction(async (tx) => {
    // The account row is locked so two submissions at once cannot both pass the check below.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, caller.id)).for("update");
    const [existing] = await tx
      .select({ id: leavingResponses.id })
      .from(leavingResponses)
      .where(eq(leavingResponses.userId, caller.id));
    if (existing) throw new LeavingError("exists", "You have already told us you are leaving.");
    await insertResponse(
      tx,
      {
        userId: caller.id,
        linkId: null,
        organisationId: caller.organisationId,
        staffGroup: caller.staffGroup,
        startDate: caller.startDate,
        name: caller.name,
      },
      input,
      now,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// the person's own answers

export interface MyLeaving {
  leavingDate: string;
  destination: string;
  mainReason: string;
  details: string | null;
  createdAt: Date;
  choices: { question: string; value: string; offerTitle: string | null }[];
  contact: { name: string; personalEmail: string; verified: boolean } | null;
}

/** The caller's own questionnaire, or null. Never anyone else's: the caller's id is the key. */
export async function myLeaving(caller: CurrentUser): Promise<MyLeaving | null> {
  const [row] = await getDb()
    .select({
      id: leavingResponses.id,
      leavingDate: leavingResponses.leavingDate,
      destination: leavingResponses.destination,
      mainReason: leavingResponses.mainReason,
      details: leavingResponses.details,
      createdAt: leavingResponses.createdAt,
    })
    .from(leavingResponses)
    .where(eq(leavingResponses.userId, caller.id));
  if (!row) return null;
  const choices = await getDb()
    .select({
      question: leavingResponseChoices.question,
      value: leavingResponseChoices.value,
      offerTitle: supportOffers.title,
    })
    .from(leavingResponseChoices)
    .leftJoin(supportOffers, eq(supportOffers.id, leavingResponseChoices.offerId))
    .where(eq(leavingResponseChoices.responseId, row.id))
    .orderBy(asc(leavingResponseChoices.question), asc(leavingResponseChoices.value));
  const [contact] = await getDb()
    .select({
      name: leavingContacts.name,
      personalEmail: leavingContacts.personalEmail,
      verifiedAt: leavingContacts.verifiedAt,
    })
    .from(leavingContacts)
    .where(eq(leavingContacts.responseId, row.id));
  const { id: _id, ...rest } = row;
  return {
    ...rest,
    choices,
    contact: contact
      ? { name: contact.name, personalEmail: contact.personalEmail, verified: contact.verifiedAt !== null }
      : null,
  };
}

/** Deletes the caller's questionnaire (and so its consent). False when there was none. */
export async function withdrawMyLeaving(caller: CurrentUser): Promise<boolean> {
  const gone = await getDb()
    .delete(leavingResponses)
    .where(eq(leavingResponses.userId, caller.id))
    .returning({ id: leavingResponses.id });
  return gone.length > 0;
}

/** Withdraws the caller's consent to be contacted (the answers stay). False when there was none. */
export async function withdrawMyContact(caller: CurrentUser): Promise<boolean> {
  const gone = await getDb()
    .delete(leavingContacts)
    .where(
      inArray(
        leavingContacts.responseId,
        getDb()
          .select({ id: leavingResponses.id })
          .from(leavingResponses)
          .where(eq(leavingResponses.userId, caller.id)),
      ),
    )
    .returning({ id: leavingContacts.id });
  return gone.length > 0;
}

export type ContactConfirmResult = "confirmed" | "expired" | "invalid";

/** Opens the verification link mailed to the personal address: the consent counts from now. */
export async function confirmContact(token: string, now = new Date()): Promise<ContactConfirmResult> {
  if (!token || token.length > 200) return "invalid";
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select({ id: leavingContacts.id, expiresAt: leavingContacts.tokenExpiresAt })
      .from(leavingContacts)
      .where(eq(leavingContacts.tokenHash, sha256(token)))
      .for("update");
    if (!row) return "invalid";
    if (!row.expiresAt || row.expiresAt <= now) return "expired";
    await tx
      .update(leavingContacts)
      .set({ verifiedAt: now, tokenHash: null, tokenExpiresAt: null })
      .where(eq(leavingContacts.id, row.id));
    return "confirmed";
  });
}

// ---------------------------------------------------------------------------------------------
// the Retention and careers team: contact consents only

/** True when the caller coordinates in the Retention and careers hub team. */
export async function isRetentionCoordinator(caller: CurrentUser): Promise<boolean> {
  // The permission module decides (the team that handles the stay conversations offer).
  return canSeeLeaverContacts(caller);
}

export interface ContactConsent {
  name: string;
  personalEmail: string;
  leavingDate: string;
  returnWays: string[];
  confirmedAt: Date;
}

/**
 * The verified consents to be contacted about coming back, newest leaving date first: for
 * coordinators of the Retention and careers team only (PermissionError otherwise). Nothing else of
 * the answers is read: not the organisation, reasons, destination, support or free text.
 */
export async function retentionContacts(caller: CurrentUser): Promise<ContactConsent[]> {
  await requireLeaverContactsAccess(caller);
  const rows = await getDb()
    .select({
      responseId: leavingResponses.id,
      name: leavingContacts.name,
      personalEmail: leavingContacts.personalEmail,
      leavingDate: leavingResponses.leavingDate,
      confirmedAt: leavingContacts.verifiedAt,
    })
    .from(leavingContacts)
    .innerJoin(leavingResponses, eq(leavingResponses.id, leavingContacts.responseId))
    .where(and(isNotNull(leavingContacts.verifiedAt), eq(leavingResponses.wouldReturn, true)))
    .orderBy(sql`${leavingResponses.leavingDate} desc`, asc(leavingContacts.id));
  if (!rows.length) return [];
  const ways = await getDb()
    .select({ responseId: leavingResponseChoices.responseId, value: leavingResponseChoices.value })
    .from(leavingResponseChoices)
    .where(
      and(
        eq(leavingResponseChoices.question, "return"),
        inArray(
          leavingResponseChoices.responseId,
          rows.map((r) => r.responseId),
        ),
      ),
    )
    .orderBy(asc(leavingResponseChoices.value));
  return rows.map((r) => ({
    name: r.name,
    personalEmail: r.personalEmail,
    leavingDate: r.leavingDate,
    confirmedAt: r.confirmedAt!,
    returnWays: ways.filter((w) => w.responseId === r.responseId).map((w) => w.value),
  }));
}

// ---------------------------------------------------------------------------------------------
// links an organisation sends

export type LinkState =
  { status: "ok"; organisationName: string; leavingDate: string } | { status: "used" | "expired" | "invalid" };

async function findLink(tx: Tx, token: string, now: Date, lock: boolean) {
  if (!token || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return { state: { status: "invalid" } as const };
  const query = tx
    .select({
      id: leavingLinks.id,
      organisationId: leavingLinks.organisationId,
      organisationName: organisations.name,
      leavingDate: leavingLinks.leavingDate,
      expiresAt: leavingLinks.expiresAt,
      usedAt: leavingLinks.usedAt,
    })
    .from(leavingLinks)
    .innerJoin(organisations, eq(organisations.id, leavingLinks.organisationId))
    .where(eq(leavingLinks.tokenHash, sha256(token)));
  const [row] = lock ? await query.for("update", { of: leavingLinks }) : await query;
  if (!row) return { state: { status: "invalid" } as const };
  if (row.usedAt) return { state: { status: "used" } as const };
  if (row.expiresAt <= now) return { state: { status: "expired" } as const };
  return {
    row,
    state: { status: "ok", organisationName: row.organisationName, leavingDate: row.leavingDate } as const,
  };
}

/** What a questionnaire link is now: usable, used, expired or not a link at all. */
export async function checkLeavingLink(token: string, now = new Date()): Promise<LinkState> {
  return (await getDb().transaction((tx) => findLink(tx, token, now, false))).state;
}

/**
 * Answers through a link: stored for the link's organisation (no account), the link used up in the
 * same transaction. Returns the link's state when it cannot be used (nothing is stored then).
 */
export async function submitByLink(token: string, input: LeavingInput, now = new Date()): Promise<LinkState> {
  await refuseWorkAddress(input);
  return getDb().transaction(async (tx) => {
    const found = await findLink(tx, token, now, true);
    if (!found.row) return found.state;
    await insertResponse(
      tx,
      {
        userId: null,
        linkId: found.row.id,
        organisationId: found.row.organisationId,
        staffGroup: null,
        startDate: null,
        name: null,
      },
      input,
      now,
    );
    await tx.update(leavingLinks).set({ usedAt: now }).where(eq(leavingLinks.id, found.row.id));
    return found.state;
  });
}

export interface LeaverRow {
  line: number;
  email: string;
  leavingDate: string;
}

const EMAIL_RE = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;

function parseDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t)))
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 2000 || y > 2100) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * The administrator's list (typed, or a CSV file's text): one leaver a line, "work address,
 * leaving date" (YYYY-MM-DD or DD/MM/YYYY); a header line naming email is skipped, as are blank
 * lines. Every bad line is reported; nothing is sent while any line is bad.
 */
export function parseLeaverList(text: string): { rows: LeaverRow[]; problems: string[] } {
  const rows: LeaverRow[] = [];
  const problems: string[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const cells = raw.split(/[,;\t]/).map((c) =>
      c
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .trim(),
    );
    if (cells.every((c) => c === "")) return;
    if (index === 0 && /e-?mail/i.test(cells[0] ?? "")) return;
    const [email = "", date = "", ...rest] = cells;
    if (rest.some((c) => c !== ""))
      return void problems.push(`Line ${line}: give only a work email address and a leaving date`);
    if (email.length > 254 || !EMAIL_RE.test(email))
      return void problems.push(`Line ${line}: "${email.slice(0, 80)}" is not an email address`);
    const iso = parseDate(date);
    if (!iso)
      return void problems.push(`Line ${line}: the leaving date must be a real date, like 2026-03-31 or 31/03/2026`);
    rows.push({ line, email: email.toLowerCase(), leavingDate: iso });
  });
  return { rows, problems };
}

export interface SendLinksResult {
  sent: number;
  /** Addresses that already had a live link (nothing sent again). */
  alreadySent: number;
}

/**
 * An administrator sends the questionnaire to leavers of one organisation: a single-use link
 * (LINK_DAYS) mailed to each work address, in one transaction with one audit entry (counts only:
 * no address is kept in the audit or anywhere else but the outbox, which the retention job empties).
 * An address with a live link gets no second one. At most LINKS_PER_ADMIN_PER_DAY per administrator.
 */
export async function sendLeavingLinks(
  caller: CurrentUser,
  input: { organisationId: number; rows: readonly LeaverRow[] },
  now = new Date(),
): Promise<SendLinksResult> {
  assertAdmin(caller);
  if (input.rows.length === 0) {
    throw new LeavingError("invalid", "Enter at least one leaver", { leavers: "Enter at least one leaver" });
  }
  if (input.rows.length > LEAVER_ROWS_MAX) {
    const message = `Send at most ${LEAVER_ROWS_MAX} leavers at a time`;
    throw new LeavingError("invalid", message, { leavers: message });
  }
  return getDb().transaction(async (tx) => {
    const [org] = await tx
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, input.organisationId));
    if (!org) throw new NotFoundError();
    // One administrator's sends are serialised, so the daily cap holds under concurrent posts.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`leaving-links:${caller.id}`}, 0))`);
    const [sentToday] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(leavingLinks)
      .where(
        and(eq(leavingLinks.createdById, caller.id), gt(leavingLinks.createdAt, new Date(now.getTime() - DAY_MS))),
      );
    if (Number(sentToday.n) + input.rows.length > LINKS_PER_ADMIN_PER_DAY) {
      const message = `You can send at most ${LINKS_PER_ADMIN_PER_DAY} questionnaire links in 24 hours. Try again tomorrow.`;
      throw new LeavingError("throttled", message, { leavers: message });
    }
    const unique = [...new Map(input.rows.map((r) => [r.email, r])).values()];
    const live = await tx
      .select({ emailHash: leavingLinks.emailHash })
      .from(leavingLinks)
      .where(
        and(
          inArray(
            leavingLinks.emailHash,
            unique.map((r) => addressKey(r.email)),
          ),
          isNull(leavingLinks.usedAt),
          gt(leavingLinks.expiresAt, now),
        ),
      );
    const liveHashes = new Set(live.map((l) => l.emailHash));
    const { APP_URL } = env();
    let sent = 0;
    for (const row of unique) {
      const emailHash = addressKey(row.email);
      if (liveHashes.has(emailHash)) continue;
      const token = newToken();
      await tx.insert(leavingLinks).values({
        organisationId: org.id,
        tokenHash: sha256(token),
        emailHash,
        leavingDate: row.leavingDate,
        createdById: caller.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + LINK_DAYS * DAY_MS),
      });
      await enqueueMail(tx, {
        to: row.email,
        subject: "Before you leave: tell us why (StayWell)",
        text: `Hello,\n\n${org.name} would like to know why you are leaving, so that it can change what makes people leave. It takes about five minutes.\n\n${APP_URL}/leaving/${token}\n\nYour answers are confidential: nobody at ${org.name} sees them individually; they are only counted with other people's. The link works once and expires in ${LINK_DAYS} days. You do not need an account.\n\nIf you are not leaving, you can ignore this email.`,
      });
      sent++;
    }
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "organisation",
        entityId: org.id,
        action: "leaving_links_sent",
        summary: `Sent the leaving questionnaire to ${sent} ${sent === 1 ? "leaver" : "leavers"} of ${org.name}`,
        before: null,
        after: { sent, alreadySent: unique.length - sent, listed: input.rows.length },
      },
      now,
    );
    return { sent, alreadySent: unique.length - sent };
  });
}

// ---------------------------------------------------------------------------------------------
// erasure and retention (docs/decisions/033-leaving-questionnaire.md)

/**
 * An erased account's questionnaire: the consent (name, personal address) deleted, the free text
 * erased and the answers detached from the account. The counted answers stay, so aggregates do not
 * change. Called by clearAccount (erasure, and the retention job's long-disabled accounts).
 */
export async function forgetLeavingOf(tx: Tx, userId: string, now: Date): Promise<void> {
  const theirs = tx
    .select({ id: leavingResponses.id })
    .from(leavingResponses)
    .where(eq(leavingResponses.userId, userId));
  await tx.delete(leavingContacts).where(inArray(leavingContacts.responseId, theirs));
  await tx
    .update(leavingResponses)
    .set({
      userId: null,
      details: null,
      anonymisedAt: sql`coalesce(${leavingResponses.anonymisedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(eq(leavingResponses.userId, userId));
}
