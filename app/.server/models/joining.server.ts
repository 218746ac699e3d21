// Joining StayWell beyond the partner organisations' domains (docs/decisions/027-joining.md):
// - shared email domains (nhs.net, and any an administrator marks as shared): people at one sign
//   up choosing their organisation, which stays "self-declared" until an administrator confirms it;
// - "Request access" for everyone else: a queue in /admin that an administrator approves (the
//   person gets the choose-a-password mail) or declines with a reason (the person is told).
//   Requests expire after ACCESS_REQUEST_DAYS.
// Administrative functions take the caller and refuse non-administrators themselves; every change
// is audited in the same transaction.
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, gt, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import { isUniqueViolation } from "@db/client";
import { getDb } from "@db/current";
import { accessRequests, organisationDomains, organisations, sharedDomains, users } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { describeWait } from "../auth/throttle.server";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import {
  alreadyHaveAnAccountMail,
  approvedAccessMail,
  issueVerificationLink,
  joiningRuleFor,
  normaliseEmail,
  unusablePasswordHash,
} from "./accounts.server";
import { addressKey, takeAccountMailAllowance, takeSignUpAllowance } from "./auth-throttle.server";
import {
  AdminError,
  assertAdmin,
  conflictFor,
  expectedVersion,
  invalid,
  recordAdminChange,
  updateVersioned,
  type Tx,
} from "./admin/common.server";
import { ADMIN_PAGE_SIZE, parseId } from "./admin/teams.server";
import { pageNumber } from "~/lib/paging";
import { hasControlCharacters } from "~/schemas/text";
import {
  ACCESS_REQUEST_DAYS,
  type AccessRequestInput,
  type AccessRequestState,
  type AccessRequestView,
} from "~/schemas/joining";

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// shared domains

export async function listSharedDomains(caller: CurrentUser) {
  assertAdmin(caller);
  const db = getDb();
  const domainOfUser = sql<string>`split_part(${users.email}, '@', 2)`;
  const rows = await db
    .select({
      id: sharedDomains.id,
      domain: sharedDomains.domain,
      createdAt: sharedDomains.createdAt,
      accounts: sql<number>`(select count(*)::int from users where ${domainOfUser} = "shared_domains"."domain")`,
    })
    .from(sharedDomains)
    .orderBy(asc(sharedDomains.domain));
  return rows.map((r) => ({ ...r, accounts: Number(r.accounts) }));
}

/** Marks a domain as shared. Refused if an organisation owns it (naming the organisation) or it is already shared. */
export async function addSharedDomain(caller: CurrentUser, domain: string, now = new Date()) {
  assertAdmin(caller);
  try {
    return await getDb().transaction(async (tx) => {
      const [owner] = await tx
        .select({ name: organisations.name })
        .from(organisationDomains)
        .innerJoin(organisations, eq(organisations.id, organisationDomains.organisationId))
        .where(eq(organisationDomains.domain, domain))
        .limit(1);
      if (owner) {
        throw invalid(
          "domain",
          `${domain} belongs to ${owner.name}. Remove it from that organisation first if it is shared by many employers`,
        );
      }
      const [created] = await tx
        .insert(sharedDomains)
        .values({ domain, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: sharedDomains.id });
      if (!created) throw invalid("domain", `${domain} is already a shared domain`);
      await recordAdminChange(
        tx,
        caller,
        {
          entity: "shared_domain",
          entityId: domain,
          action: "created",
          summary: `Marked ${domain} as a shared email domain: people at it choose their organisation when they sign up`,
          before: null,
          after: { domain },
        },
        now,
      );
      return { id: created.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw invalid("domain", `${domain} is already a shared domain`);
    throw err;
  }
}

/** Stops a domain being shared: new sign-ups at it must request access. Existing accounts are untouched. */
export async function removeSharedDomain(caller: CurrentUser, idInput: unknown, now = new Date()) {
  assertAdmin(caller);
  const id = parseId(idInput, "shared domain");
  await getDb().transaction(async (tx) => {
    const [gone] = await tx
      .delete(sharedDomains)
      .where(eq(sharedDomains.id, id))
      .returning({ domain: sharedDomains.domain });
    if (!gone) throw new AdminError("not_found", "There is no such shared domain");
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "shared_domain",
        entityId: gone.domain,
        action: "removed",
        summary: `${gone.domain} is no longer a shared email domain: new people at it must request access`,
        before: { domain: gone.domain },
        after: null,
      },
      now,
    );
  });
}

/** Whether a domain is shared: organisations.server.ts refuses to give one to an organisation. */
export async function sharedDomainsAmong(tx: Pick<Tx, "select">, domains: string[]) {
  if (domains.length === 0) return [];
  const rows = await tx
    .select({ domain: sharedDomains.domain })
    .from(sharedDomains)
    .where(inArray(sharedDomains.domain, domains));
  return rows.map((r) => r.domain);
}

// ---------------------------------------------------------------------------------------------
// self-declared organisation

/** An administrator confirms a self-declared organisation (audited). Stale version: conflict. */
export async function confirmOrganisation(
  caller: CurrentUser,
  userId: string,
  input: { version: unknown },
  now = new Date(),
) {
  assertAdmin(caller);
  const expected = expectedVersion(input.version);
  if (hasControlCharacters(userId)) throw new AdminError("not_found", "No such account");
  await getDb().transaction(async (tx) => {
    const [target] = await tx
      .select({
        id: users.id,
        name: users.name,
        version: users.version,
        selfDeclared: users.organisationSelfDeclared,
        erasedAt: users.erasedAt,
        organisation: organisations.name,
      })
      .from(users)
      .innerJoin(organisations, eq(organisations.id, users.organisationId))
      .where(eq(users.id, userId))
      .for("update", { of: users });
    // A deleted account has nobody to confirm anything for (review of issue 12, finding 18).
    if (!target || target.erasedAt) throw new AdminError("not_found", "No such account");
    if (target.version !== expected) throw await conflictFor(tx, "user", userId);
    if (!target.selfDeclared) throw new AdminError("invalid", `${target.name}'s organisation is already confirmed.`);
    await updateVersioned(tx, users, userId, expected, { organisationSelfDeclared: false }, "user", now);
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "user",
        entityId: userId,
        action: "organisation_confirmed",
        summary: `Confirmed that ${target.name} works for ${target.organisation}`,
        before: { organisation: target.organisation, selfDeclared: true },
        after: { organisation: target.organisation, selfDeclared: false },
      },
      now,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// request access (nobody is signed in)

export type AccessRequestResult =
  | { ok: true; email: string }
  | {
      ok: false;
      field: "email" | "organisationId" | "organisationText";
      message: string;
      retryAfterSeconds?: number;
    };

/** To an address nobody has proven yet: nothing the asker typed is echoed (it could be anyone's). */
function receivedMail(email: string) {
  return {
    to: email,
    subject: "We have your request for a StayWell account",
    text: `Hello,\n\nThank you for asking for a StayWell account. A StayWell administrator will check your request. If they approve it, we will email you a link to choose your password; if not, we will email you to say why.\n\nRequests we have not answered within ${ACCESS_REQUEST_DAYS} days expire: you can ask again at ${env().APP_URL}/request-access\n\nIf you did not ask for a StayWell account, you can ignore this email.`,
  };
}

/**
 * Records a request for access. While the address has a pending request, asking again changes
 * nothing: its details stay as first given (a request proves no ownership of the mailbox, so a
 * second one must not rewrite the name or organisation an administrator would approve); the
 * mailbox is sent the same "we have your request" mail, and the person can ask again once the
 * request is decided or has expired. The reply is the same whatever the address (no account
 * enumeration): an address with an account gets a "you already have an account" mail instead,
 * and nothing is recorded. Throttled like sign-up (ADR 017): per client, shared with sign-up, and
 * at most ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR account mails to an address (beyond that, the same
 * reply and nothing changes). Partner and shared addresses are sent to sign-up instead: that says
 * nothing about any account, only which domains StayWell knows.
 */
export async function submitAccessRequest(
  input: AccessRequestInput,
  client = "unknown",
  now = new Date(),
): Promise<AccessRequestResult> {
  const email = normaliseEmail(input.email);
  const rule = await joiningRuleFor(email);
  if (rule.kind !== "none") {
    return {
      ok: false,
      field: "email",
      message:
        rule.kind === "partner"
          ? `You can create an account yourself with this address: it belongs to ${rule.organisation.name}. Go to Create an account`
          : "You can create an account yourself with this address and choose your organisation. Go to Create an account",
    };
  }
  let organisationId: number | null = null;
  if (/^\d{1,9}$/.test(input.organisationId)) {
    const [found] = await getDb()
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, Number(input.organisationId)))
      .limit(1);
    if (!found) return { ok: false, field: "organisationId", message: "Choose your organisation from the list" };
    organisationId = found.id;
  }
  const allowance = await takeSignUpAllowance(client, now);
  if (!allowance.allowed) {
    return {
      ok: false,
      field: "email",
      message: `Too many requests have been made from your connection. Wait ${describeWait(allowance.retryAfterSeconds)} and try again`,
      retryAfterSeconds: allowance.retryAfterSeconds,
    };
  }
  const details = {
    name: input.name,
    organisationId,
    organisationText: organisationId ? null : input.organisationText || null,
    jobTitle: input.jobTitle,
    staffGroup: input.staffGroup,
    startDate: input.startDate,
    updatedAt: now,
  };
  const { APP_URL } = env();
  await getDb().transaction(async (tx) => {
    // Taken first: it also serialises two requests for the same address.
    if (!(await takeAccountMailAllowance(tx, addressKey(email), now))) return;
    const [account] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
    if (account?.emailVerifiedAt) {
      await enqueueMail(tx, alreadyHaveAnAccountMail(email, APP_URL));
      return;
    }
    if (account) {
      // Approved already (or signed up before its domain was removed): a fresh link finishes it.
      await issueVerificationLink(tx, account, now);
      return;
    }
    const [pending] = await tx
      .select({ id: accessRequests.id, expiresAt: accessRequests.expiresAt, name: accessRequests.name })
      .from(accessRequests)
      .where(and(eq(accessRequests.email, email), eq(accessRequests.status, "pending")))
      .for("update");
    if (pending && pending.expiresAt > now) {
      // Kept as first given (see above): the same reply and mail, under the name first given.
      await enqueueMail(tx, receivedMail(email));
      return;
    }
    if (pending) {
      await tx
        .update(accessRequests)
        .set({ status: "expired", updatedAt: now })
        .where(eq(accessRequests.id, pending.id));
    }
    await tx.insert(accessRequests).values({
      email,
      ...details,
      expiresAt: new Date(now.getTime() + ACCESS_REQUEST_DAYS * DAY_MS),
      createdAt: now,
    });
    await enqueueMail(tx, receivedMail(email));
  });
  return { ok: true, email };
}

// ---------------------------------------------------------------------------------------------
// the queue in /admin

function stateOf(status: string, expiresAt: Date, now: Date): AccessRequestState {
  if (status === "approved" || status === "declined") return status;
  if (status === "expired" || expiresAt <= now) return "expired";
  return "pending";
}

function viewCondition(view: AccessRequestView, now: Date): SQL {
  if (view === "open") return and(eq(accessRequests.status, "pending"), gt(accessRequests.expiresAt, now))!;
  if (view === "expired") {
    return or(
      eq(accessRequests.status, "expired"),
      and(eq(accessRequests.status, "pending"), lte(accessRequests.expiresAt, now)),
    )!;
  }
  return inArray(accessRequests.status, ["approved", "declined"]);
}

/**
 * One page of access requests: open ones oldest first (the queue), expired and decided ones newest
 * first. Counts of each view for the tabs.
 */
export async function listAccessRequests(
  caller: CurrentUser,
  options: { view?: AccessRequestView; page?: unknown } = {},
  now = new Date(),
) {
  assertAdmin(caller);
  const db = getDb();
  const view = options.view ?? "open";
  const page = pageNumber(options.page ?? 1);
  const where = viewCondition(view, now);
  const [counts] = await db
    .select({
      open: sql<number>`count(*) filter (where ${viewCondition("open", now)})`.mapWith(Number),
      expired: sql<number>`count(*) filter (where ${viewCondition("expired", now)})`.mapWith(Number),
      decided: sql<number>`count(*) filter (where ${viewCondition("decided", now)})`.mapWith(Number),
    })
    .from(accessRequests);
  const order =
    view === "open"
      ? [asc(accessRequests.createdAt), asc(accessRequests.id)]
      : [desc(accessRequests.updatedAt), desc(accessRequests.id)];
  const rows = await db
    .select({
      id: accessRequests.id,
      name: accessRequests.name,
      email: accessRequests.email,
      jobTitle: accessRequests.jobTitle,
      organisationName: organisations.name,
      organisationText: accessRequests.organisationText,
      status: accessRequests.status,
      createdAt: accessRequests.createdAt,
      expiresAt: accessRequests.expiresAt,
      decidedAt: accessRequests.decidedAt,
    })
    .from(accessRequests)
    .leftJoin(organisations, eq(organisations.id, accessRequests.organisationId))
    .where(where)
    .orderBy(...order)
    .limit(ADMIN_PAGE_SIZE)
    .offset((page - 1) * ADMIN_PAGE_SIZE);
  const total = counts[view];
  return {
    view,
    page,
    total,
    counts,
    pageCount: Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE)),
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      jobTitle: r.jobTitle,
      organisation: r.organisationName ?? r.organisationText ?? "",
      organisationFromList: r.organisationName !== null,
      state: stateOf(r.status, r.expiresAt, now),
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      decidedAt: r.decidedAt,
    })),
  };
}

/** One request as the administrator sees it, with the organisations to approve it into. Throws not_found. */
export async function getAccessRequest(caller: CurrentUser, idInput: unknown, now = new Date()) {
  assertAdmin(caller);
  const id = parseId(idInput, "access request");
  const db = getDb();
  const decider = sql<string | null>`(select name from users d where d.id = ${accessRequests.decidedById})`;
  const [row] = await db
    .select({
      id: accessRequests.id,
      email: accessRequests.email,
      name: accessRequests.name,
      organisationId: accessRequests.organisationId,
      organisationName: organisations.name,
      organisationText: accessRequests.organisationText,
      jobTitle: accessRequests.jobTitle,
      staffGroup: accessRequests.staffGroup,
      startDate: accessRequests.startDate,
      status: accessRequests.status,
      createdAt: accessRequests.createdAt,
      expiresAt: accessRequests.expiresAt,
      decidedAt: accessRequests.decidedAt,
      decidedBy: decider,
      declineReason: accessRequests.declineReason,
      userId: accessRequests.userId,
    })
    .from(accessRequests)
    .leftJoin(organisations, eq(organisations.id, accessRequests.organisationId))
    .where(eq(accessRequests.id, id))
    .limit(1);
  if (!row) throw new AdminError("not_found", "There is no such access request");
  const organisationOptions = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .orderBy(asc(organisations.name), asc(organisations.id));
  return { request: { ...row, state: stateOf(row.status, row.expiresAt, now) }, organisationOptions };
}

async function lockPending(tx: Tx, id: number, now: Date) {
  const [row] = await tx.select().from(accessRequests).where(eq(accessRequests.id, id)).for("update");
  if (!row) throw new AdminError("not_found", "There is no such access request");
  const state = stateOf(row.status, row.expiresAt, now);
  if (state === "expired") {
    throw new AdminError("invalid", "This request has expired: it can no longer be approved or declined.");
  }
  if (state !== "pending") throw new AdminError("invalid", `This request has already been ${state}.`);
  return row;
}

/**
 * Approves a request: makes an unverified account at the organisation the administrator chose
 * (confirmed, not self-declared: an administrator decided it), with no usable password, and mails
 * the person a link to choose their password (the same page sign-up uses). If the address has a
 * pending sign-up, that account takes these details. Refused if the address already has a working
 * account. One transaction; audited.
 */
export async function approveAccessRequest(
  caller: CurrentUser,
  idInput: unknown,
  input: { organisationId: string },
  now = new Date(),
) {
  assertAdmin(caller);
  const id = parseId(idInput, "access request");
  const passwordHash = await unusablePasswordHash();
  return getDb().transaction(async (tx) => {
    const request = await lockPending(tx, id, now);
    const [organisation] = /^\d{1,9}$/.test(input.organisationId)
      ? await tx
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(eq(organisations.id, Number(input.organisationId)))
      : [];
    if (!organisation) throw invalid("organisationId", "Choose the organisation they work for");
    const [existing] = await tx.select().from(users).where(eq(users.email, request.email)).for("update");
    if (existing?.emailVerifiedAt) {
      throw invalid(
        "_form",
        "There is already a StayWell account with this address. Decline the request and tell them they can sign in.",
      );
    }
    const values = {
      name: request.name,
      organisationId: organisation.id,
      organisationSelfDeclared: false,
      staffGroup: request.staffGroup,
      jobTitle: request.jobTitle,
      startDate: request.startDate,
      passwordHash,
      updatedAt: now,
    };
    let userId: string;
    if (existing) {
      await tx.update(users).set(values).where(eq(users.id, existing.id));
      userId = existing.id;
    } else {
      userId = randomUUID();
      await tx.insert(users).values({ id: userId, email: request.email, role: "staff", ...values, createdAt: now });
    }
    await tx
      .update(accessRequests)
      .set({
        status: "approved",
        decidedById: caller.id,
        decidedAt: now,
        userId,
        organisationId: organisation.id,
        updatedAt: now,
      })
      .where(eq(accessRequests.id, id));
    await issueVerificationLink(tx, { id: userId, email: request.email, name: request.name }, now, (link) =>
      approvedAccessMail(request.name, link),
    );
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "access_request",
        entityId: id,
        action: "approved",
        // "#id", not the name: the request (name, address) is deleted 90 days later and this entry stays.
        summary: `Approved access request #${id} (${organisation.name}): they were sent a link to choose their password`,
        before: { status: "pending" },
        after: { status: "approved", organisation: organisation.name, userId },
      },
      now,
    );
    return { userId };
  });
}

/** Declines a request with a reason the person is told by mail. One transaction; audited. */
export async function declineAccessRequest(
  caller: CurrentUser,
  idInput: unknown,
  input: { reason: string },
  now = new Date(),
) {
  assertAdmin(caller);
  const id = parseId(idInput, "access request");
  const reason = input.reason.trim();
  if (!reason) throw invalid("reason", "Enter the reason: the person is told it");
  await getDb().transaction(async (tx) => {
    const request = await lockPending(tx, id, now);
    await tx
      .update(accessRequests)
      .set({ status: "declined", decidedById: caller.id, decidedAt: now, declineReason: reason, updatedAt: now })
      .where(eq(accessRequests.id, id));
    await enqueueMail(tx, {
      to: request.email,
      subject: "Your request for a StayWell account",
      text: `Hello,\n\nA StayWell administrator has looked at your request for a StayWell account and cannot approve it.\n\nThe reason they gave:\n\n${reason}\n\nIf you think this is wrong, or your circumstances change, you can ask again at ${env().APP_URL}/request-access`,
    });
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "access_request",
        entityId: id,
        action: "declined",
        // Neither the name nor the reason: they go with the request 90 days later (ADR 031).
        summary: `Declined access request #${id}`,
        before: { status: "pending" },
        after: { status: "declined" },
      },
      now,
    );
  });
}

/** How many requests wait in the queue (the /admin overview and navigation). */
export async function countOpenAccessRequests(caller: CurrentUser, now = new Date()) {
  assertAdmin(caller);
  const [row] = await getDb().select({ n: count() }).from(accessRequests).where(viewCondition("open", now));
  return Number(row?.n ?? 0);
}
