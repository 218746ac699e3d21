// Demo data: the ICS partner organisations, the support catalogue, the people hub's teams and
// canned responses, one sign-in account per role (and a psychological hub coordinator), a few
// generated hub colleagues, and a year of past requests from generated staff so the queues and
// reports have something to show. Idempotent: a second run inserts nothing and changes nothing.
//
// - Organisations, domains, teams and offers are inserted only when missing (by slug / domain):
//   the seed never overwrites what an administrator has changed.
// - Demo accounts and generated coordinators are inserted only when their email is missing (a
//   changed password or role stays).
// - Team memberships (seed-data/teams.ts) are added only for an account that is in no team at all:
//   memberships an administrator has changed are never put back or removed.
// - Canned responses are added only for an offer that has none.
// - Past requests are generated only when no request from a generated (is_demo) user exists yet.
//   The data come from a seeded PRNG, so a given `now` always gives the same people and requests.
//   They follow the hub's model: due_at from the offer's target in working days (pushed back by
//   each finished wait on staff, as the hub does), first_contact_at = first message
//   to the person or first move to in progress, an assignee from the offer's team, paused_at while
//   waiting on staff, an outcome for closed ones, ratings on about half of those, version = changes
//   + 1, and a request_access_log row for every hub change (and every view of a sensitive request).
//   The demo staff member (staff@uhnm) gets a few requests of their own at the same time.
// - References are reserved from reference_counters in one statement per year, so the live
//   allocator (`last = last + 1`) carries on after them and never hands out a used number.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull, notExists, sql } from "drizzle-orm";
import { hashPassword } from "../app/.server/auth/password.server";
import type { StaffGroup } from "../app/lib/staff-groups";
import { addWorkingDays, computeDueAt, isWorkingDay, type Pause } from "../app/lib/working-days";
import { firstContactFacts, tenureBand } from "../app/lib/insights/facts";
import { priorityOf } from "../app/schemas/request-forms";
import type { Database, Tx } from "./client";
import {
  cannedResponses,
  organisationDomains,
  organisations,
  referenceCounters,
  requestAccessLog,
  requestEvents,
  requestReads,
  supportOffers,
  supportRequests,
  teamMembers,
  teams,
  users,
  type CloseOutcomeValue,
  type FormKind,
  type Organisation,
  type RequestStatus,
} from "./schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, GENERATED_COORDINATORS } from "./seed-data/accounts";
import { FIRST_NAMES, LAST_NAMES } from "./seed-data/names";
import { cannedResponsesFor } from "./seed-data/canned-responses";
import { SEED_OFFERS } from "./seed-data/offers";
import { DEFAULT_OFFER_WEIGHT, HAPPY_RATINGS, HOUR_WEIGHTS, MIXED_RATINGS, OFFER_WEIGHTS, OUTCOME_WEIGHTS } from "./seed-data/request-mix";
import { SEED_ORGANISATIONS } from "./seed-data/organisations";
import { SEED_TEAM_MEMBERSHIPS, SEED_TEAMS, seedTeamForOffer } from "./seed-data/teams";

export interface SeedOptions {
  /** The moment the demo year ends (default: now). Fix it for reproducible data. */
  now?: Date;
  /** How many past requests to generate on first seed (default 300; 0 = none). */
  pastRequests?: number;
  /** PRNG seed (default fixed), for a different but still reproducible data set. */
  seed?: number;
  log?: (line: string) => void;
}

export interface SeedResult {
  /** True when this run inserted anything. */
  created: boolean;
  /** Rows inserted by this run. */
  inserted: {
    organisations: number;
    domains: number;
    teams: number;
    offers: number;
    accounts: number;
    /** Generated hub colleagues (cannot sign in). */
    coordinators: number;
    teamMembers: number;
    cannedResponses: number;
    demoStaff: number;
    requests: number;
    events: number;
    accessLog: number;
  };
  durationMs: number;
}

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const BATCH = 500;
const SEED_LOCK_KEY = 7_240_301; // pg_advisory_xact_lock key: two seeds never interleave
const DEFAULT_PRNG_SEED = 20_260_101;
/** The demo staff member whose My requests shows a few requests of their own. */
export const DEMO_STAFF_WITH_HISTORY = "staff@uhnm.staywell.test";

export async function seedDemoData(db: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const pastRequests = Math.max(0, Math.floor(options.pastRequests ?? 300));
  const log = options.log ?? (() => {});

  // Hash outside the transaction (argon2 is deliberately slow), and only for missing accounts.
  const demoEmails = DEMO_ACCOUNTS.map((a) => a.email.toLowerCase());
  const existing = await db.select({ email: users.email }).from(users).where(inArray(users.email, demoEmails));
  const existingEmails = new Set(existing.map((r) => r.email));
  const missingAccounts = DEMO_ACCOUNTS.filter((a) => !existingEmails.has(a.email.toLowerCase()));
  const hashes = new Map<string, string>();
  if (missingAccounts.length > 0) {
    const hash = await hashPassword(DEMO_PASSWORD);
    for (const a of missingAccounts) hashes.set(a.email.toLowerCase(), hash);
  }

  const inserted = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    const counts: SeedResult["inserted"] = {
      organisations: 0,
      domains: 0,
      teams: 0,
      offers: 0,
      accounts: 0,
      coordinators: 0,
      teamMembers: 0,
      cannedResponses: 0,
      demoStaff: 0,
      requests: 0,
      events: 0,
      accessLog: 0,
    };

    // Organisations and their domains.
    const orgRows = await tx
      .insert(organisations)
      .values(
        SEED_ORGANISATIONS.map((o) => ({ slug: o.slug, name: o.name, shortName: o.shortName, type: o.type, headcount: o.headcount })),
      )
      .onConflictDoNothing({ target: organisations.slug })
      .returning({ id: organisations.id });
    counts.organisations = orgRows.length;
    const orgs = await tx
      .select()
      .from(organisations)
      .where(inArray(organisations.slug, SEED_ORGANISATIONS.map((o) => o.slug)));
    const orgBySlug = new Map(orgs.map((o) => [o.slug, o]));
    const domainRows = await tx
      .insert(organisationDomains)
      .values(
        SEED_ORGANISATIONS.flatMap((o) =>
          o.domains.map((domain) => ({ organisationId: orgBySlug.get(o.slug)!.id, domain })),
        ),
      )
      .onConflictDoNothing({ target: organisationDomains.domain })
      .returning({ id: organisationDomains.id });
    counts.domains = domainRows.length;

    // People hub teams, then the catalogue: insert missing ones only.
    const newTeams = await tx
      .insert(teams)
      .values(SEED_TEAMS.map((t) => ({ slug: t.slug, name: t.name })))
      .onConflictDoNothing({ target: teams.slug })
      .returning({ id: teams.id });
    counts.teams = newTeams.length;
    const teamRows = await tx.select({ id: teams.id, slug: teams.slug }).from(teams);
    const teamIdBySlug = new Map(teamRows.map((t) => [t.slug, t.id]));
    const offerRows = await tx
      .insert(supportOffers)
      .values(SEED_OFFERS.map((o) => ({ ...o, teamId: teamIdBySlug.get(seedTeamForOffer(o.slug))! })))
      .onConflictDoNothing({ target: supportOffers.slug })
      .returning({ id: supportOffers.id });
    counts.offers = offerRows.length;
    // Offers seeded before they had keywords get the demo ones, once: only while their keywords
    // are empty and no administrator has ever saved them (version 1), so an edit is never undone.
    for (const o of SEED_OFFERS) {
      if (!o.keywords) continue;
      await tx
        .update(supportOffers)
        .set({ keywords: o.keywords })
        .where(and(eq(supportOffers.slug, o.slug), eq(supportOffers.keywords, ""), eq(supportOffers.version, 1)));
    }

    // Accounts that can sign in.
    if (missingAccounts.length > 0) {
      const accountRows = await tx
        .insert(users)
        .values(
          missingAccounts.map((a) => {
            const org = orgBySlug.get(a.organisationSlug);
            if (!org) throw new Error(`Demo account ${a.email}: no organisation ${a.organisationSlug}`);
            return {
              id: randomUUID(),
              email: a.email.toLowerCase(),
              name: a.name,
              organisationId: org.id,
              staffGroup: a.staffGroup,
              jobTitle: a.jobTitle,
              startDate: a.startDate,
              role: a.role,
              managesOrganisationId: a.managesOrganisationSlug ? orgBySlug.get(a.managesOrganisationSlug)!.id : null,
              passwordHash: hashes.get(a.email.toLowerCase())!,
              emailVerifiedAt: now,
              isDemo: false,
            };
          }),
        )
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      counts.accounts = accountRows.length;
    }

    // Generated hub colleagues: coordinators who can never sign in.
    const icb = orgBySlug.get("icb");
    if (icb && GENERATED_COORDINATORS.length > 0) {
      const rows = await tx
        .insert(users)
        .values(
          GENERATED_COORDINATORS.map((c) => ({
            id: randomUUID(),
            email: c.email.toLowerCase(),
            name: c.name,
            organisationId: icb.id,
            staffGroup: c.staffGroup,
            jobTitle: c.jobTitle,
            startDate: c.startDate,
            role: "coordinator" as const,
            passwordHash: "!", // not an argon2 hash: can never verify
            emailVerifiedAt: now,
            isDemo: true,
          })),
        )
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      counts.coordinators = rows.length;
    }

    counts.teamMembers = await insertTeamMemberships(tx, teamIdBySlug, now);
    counts.cannedResponses = await insertCannedResponses(tx, now);

    // A year of past requests, once.
    if (pastRequests > 0) {
      const [already] = await tx
        .select({ id: supportRequests.id })
        .from(supportRequests)
        .innerJoin(users, eq(users.id, supportRequests.requesterId))
        .where(and(eq(users.isDemo, true), eq(users.role, "staff")))
        .limit(1);
      if (already) {
        log("Past demo requests already exist: not generating more.");
      } else {
        const generated = await insertPastRequests(tx, {
          now,
          count: pastRequests,
          seed: options.seed ?? DEFAULT_PRNG_SEED,
          orgs: SEED_ORGANISATIONS.map((o) => ({ ...orgBySlug.get(o.slug)!, domain: o.domains[0]! })),
        });
        counts.demoStaff = generated.staff;
        counts.requests = generated.requests;
        counts.events = generated.events;
        counts.accessLog = generated.accessLog;
      }
    }
    return counts;
  });

  const created = Object.values(inserted).some((n) => n > 0);
  const durationMs = Date.now() - started;
  log(
    created
      ? `Demo data: inserted ${inserted.organisations} organisations, ${inserted.domains} domains, ` +
          `${inserted.teams} teams, ${inserted.offers} offers, ${inserted.accounts} accounts, ` +
          `${inserted.coordinators} generated coordinators, ${inserted.teamMembers} team memberships, ` +
          `${inserted.cannedResponses} canned responses, ${inserted.demoStaff} generated staff, ` +
          `${inserted.requests} requests, ${inserted.events} request events and ${inserted.accessLog} access log rows ` +
          `in ${durationMs} ms.`
      : `Demo data already present: nothing inserted (${durationMs} ms).`,
  );
  return { created, inserted, durationMs };
}

/**
 * SEED_TEAM_MEMBERSHIPS for the accounts that exist and are in no team yet (one select, one insert).
 * An account already in some team was set up by an administrator (or an earlier seed): left alone.
 */
async function insertTeamMemberships(tx: Tx, teamIdBySlug: Map<string, number>, now: Date): Promise<number> {
  const emails = Object.keys(SEED_TEAM_MEMBERSHIPS);
  if (emails.length === 0) return 0;
  const accounts = await tx
    .select({
      id: users.id,
      email: users.email,
      inATeam: sql<boolean>`exists (select 1 from team_members tm where tm.user_id = users.id)`,
    })
    .from(users)
    .where(inArray(users.email, emails));
  const values = accounts
    .filter((a) => !a.inATeam)
    .flatMap((a) =>
      (SEED_TEAM_MEMBERSHIPS[a.email] ?? []).flatMap((slug) => {
        const teamId = teamIdBySlug.get(slug);
        return teamId === undefined ? [] : [{ teamId, userId: a.id, createdAt: now }];
      }),
    );
  if (values.length === 0) return 0;
  const rows = await tx.insert(teamMembers).values(values).onConflictDoNothing().returning({ userId: teamMembers.userId });
  return rows.length;
}

/** The catalogue's canned responses, for offers that have none yet. */
async function insertCannedResponses(tx: Tx, now: Date): Promise<number> {
  const offers = await tx
    .select({ id: supportOffers.id, slug: supportOffers.slug, firstContactTargetDays: supportOffers.firstContactTargetDays })
    .from(supportOffers)
    .where(
      and(
        inArray(supportOffers.slug, SEED_OFFERS.map((o) => o.slug)),
        notExists(tx.select({ one: sql`1` }).from(cannedResponses).where(eq(cannedResponses.offerId, supportOffers.id))),
      ),
    );
  const values = offers.flatMap((o) =>
    cannedResponsesFor(o).map((c, i) => ({ offerId: o.id, title: c.title, body: c.body, sortOrder: i + 1, createdAt: now, updatedAt: now })),
  );
  if (values.length === 0) return 0;
  const rows = await tx.insert(cannedResponses).values(values).returning({ id: cannedResponses.id });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Past requests

interface OrgForSeed extends Organisation {
  domain: string;
}

interface OfferForSeed {
  id: number;
  slug: string;
  formKind: FormKind;
  firstContactTargetDays: number;
  sensitive?: boolean;
  /** Coordinators of the offer's team, the sign-in demo accounts first (none: nobody can work it). */
  coordinatorIds?: readonly string[];
}

async function insertPastRequests(
  tx: Tx,
  input: { now: Date; count: number; seed: number; orgs: OrgForSeed[] },
): Promise<{ staff: number; requests: number; events: number; accessLog: number }> {
  const offerRows = await tx
    .select({
      id: supportOffers.id,
      slug: supportOffers.slug,
      formKind: supportOffers.formKind,
      firstContactTargetDays: supportOffers.firstContactTargetDays,
      sensitive: supportOffers.sensitive,
      teamId: supportOffers.teamId,
    })
    .from(supportOffers)
    .where(inArray(supportOffers.slug, SEED_OFFERS.map((o) => o.slug)))
    .orderBy(supportOffers.sortOrder, supportOffers.id);
  if (offerRows.length === 0) return { staff: 0, requests: 0, events: 0, accessLog: 0 };

  // Who works each offer: the active coordinators of its team (as teamMembersForOffer sees them).
  const members = await tx
    .select({ teamId: teamMembers.teamId, id: users.id, email: users.email, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(
      and(
        inArray(teamMembers.teamId, [...new Set(offerRows.map((o) => o.teamId))]),
        isNull(users.disabledAt),
        inArray(users.role, ["coordinator", "admin"]),
      ),
    );
  const rank = (email: string) => {
    const i = DEMO_ACCOUNTS.findIndex((a) => a.email.toLowerCase() === email);
    return i < 0 ? DEMO_ACCOUNTS.length : i;
  };
  members.sort((a, b) => rank(a.email) - rank(b.email) || a.email.localeCompare(b.email));
  const membersByTeam = new Map<number, string[]>();
  for (const m of members) membersByTeam.set(m.teamId, [...(membersByTeam.get(m.teamId) ?? []), m.id]);
  const nameById = new Map(members.map((m) => [m.id, m.name]));
  const offers: OfferForSeed[] = offerRows.map(({ teamId, ...o }) => ({ ...o, coordinatorIds: membersByTeam.get(teamId) ?? [] }));

  // The demo staff member gets requests of their own, unless they already have some.
  const [me] = await tx
    .select({
      id: users.id,
      name: users.name,
      organisationId: users.organisationId,
      staffGroup: users.staffGroup,
      startDate: users.startDate,
      hasRequests: sql<boolean>`exists (select 1 from support_requests sr where sr.requester_id = users.id)`,
    })
    .from(users)
    .where(eq(users.email, DEMO_STAFF_WITH_HISTORY));
  const demoStaff =
    me && !me.hasRequests
      ? { email: DEMO_STAFF_WITH_HISTORY, firstName: me.name.split(" ")[0]!, organisationId: me.organisationId }
      : null;

  const plan = planPastRequests({ ...input, offers, demoStaff });

  // Generated staff (an email left over from an earlier, deleted history is reused).
  const staffUsed = plan.staff.filter((s) => s.used);
  let staffInserted = 0;
  for (const batch of chunks(staffUsed, BATCH)) {
    const rows = await tx
      .insert(users)
      .values(
        batch.map((s) => ({
          id: randomUUID(),
          email: s.email,
          name: s.name,
          organisationId: s.organisationId,
          staffGroup: s.staffGroup,
          jobTitle: s.jobTitle,
          startDate: s.startDate,
          role: "staff" as const,
          passwordHash: "!", // not an argon2 hash: can never verify
          emailVerifiedAt: new Date(s.createdAt.getTime() + 7 * MINUTE),
          isDemo: true,
          createdAt: s.createdAt,
          updatedAt: s.createdAt,
        })),
      )
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    staffInserted += rows.length;
  }
  const idByEmail = new Map<string, string>();
  for (const batch of chunks(staffUsed.map((s) => s.email), BATCH)) {
    const rows = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, batch));
    for (const r of rows) idByEmail.set(r.email, r.id);
  }
  if (me) idByEmail.set(DEMO_STAFF_WITH_HISTORY, me.id);
  // Who each requester was when they asked: the insight columns are snapshots.
  const profileByEmail = new Map<string, { staffGroup: string; startDate: string }>(
    plan.staff.map((s) => [s.email, { staffGroup: s.staffGroup, startDate: s.startDate }]),
  );
  if (me) profileByEmail.set(DEMO_STAFF_WITH_HISTORY, { staffGroup: me.staffGroup, startDate: me.startDate });

  // Reserve a block of references per year in one statement each, then number in time order.
  const requests = [...plan.requests].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
  const perYear = new Map<number, number>();
  for (const r of requests) {
    const y = r.submittedAt.getUTCFullYear();
    perYear.set(y, (perYear.get(y) ?? 0) + 1);
  }
  const nextNumber = new Map<number, number>();
  for (const [year, n] of [...perYear].sort((a, b) => a[0] - b[0])) {
    const [row] = await tx
      .insert(referenceCounters)
      .values({ year, last: n })
      .onConflictDoUpdate({
        target: referenceCounters.year,
        set: { last: sql`reference_counters.last + excluded.last` },
      })
      .returning({ last: referenceCounters.last });
    nextNumber.set(year, row!.last - n + 1);
  }
  for (const r of requests) {
    const y = r.submittedAt.getUTCFullYear();
    const n = nextNumber.get(y)!;
    nextNumber.set(y, n + 1);
    r.reference = `SW-${y}-${String(n).padStart(5, "0")}`;
  }

  const idByReference = new Map<string, number>();
  for (const batch of chunks(requests, BATCH)) {
    const rows = await tx
      .insert(supportRequests)
      .values(
        batch.map((r) => ({
          reference: r.reference,
          requesterId: idByEmail.get(r.requesterEmail)!,
          organisationId: r.organisationId,
          staffGroup: profileByEmail.get(r.requesterEmail)!.staffGroup,
          tenureBand: tenureBand(profileByEmail.get(r.requesterEmail)!.startDate, r.submittedAt),
          ...(r.firstContactAt ? firstContactFacts(r.submittedAt, r.firstContactAt, r.dueAt) : {}),
          offerId: r.offerId,
          status: r.status,
          urgent: r.urgent,
          priority: priorityOf(r.answers, r.urgent),
          answers: r.answers,
          contactMethod: r.contactMethod,
          contactPhone: r.contactPhone,
          contactTimes: r.contactTimes,
          consentToShareWithManager: r.consentToShareWithManager,
          submissionKey: randomUUID(),
          submittedAt: r.submittedAt,
          assigneeId: r.assigneeId,
          dueAt: r.dueAt,
          firstContactAt: r.firstContactAt,
          pausedAt: r.pausedAt,
          closedAt: r.closedAt,
          closeOutcome: r.closeOutcome,
          satisfactionRating: r.satisfactionRating,
          satisfactionComment: r.satisfactionComment,
          ratedAt: r.ratedAt,
          ...activityTimes(r),
          version: r.version,
          createdAt: r.submittedAt,
          updatedAt: r.updatedAt,
        })),
      )
      .returning({ id: supportRequests.id, reference: supportRequests.reference });
    for (const row of rows) idByReference.set(row.reference, row.id);
  }

  const actorOf = (r: PlannedRequest, actor: string) => (actor === REQUESTER ? idByEmail.get(r.requesterEmail)! : actor);
  const eventRows = requests.flatMap((r) =>
    r.events.map((e) => ({
      requestId: idByReference.get(r.reference)!,
      actorId: actorOf(r, e.actor),
      kind: e.kind,
      body: e.body,
      visibleToRequester: e.visibleToRequester,
      // As assignHubRequest records it: the assignee's name as it was then.
      data:
        e.kind === "assigned" && e.data
          ? { ...e.data, assigneeName: nameById.get(e.data.assigneeId as string) ?? null }
          : e.data,
      createdAt: e.at,
    })),
  );
  for (const batch of chunks(eventRows, BATCH * 2)) {
    await tx.insert(requestEvents).values(batch);
  }
  const accessRows = requests.flatMap((r) =>
    r.access.map((a) => ({ requestId: idByReference.get(r.reference)!, actorId: a.actor, action: a.action, createdAt: a.at })),
  );
  const signInCoordinators = new Set(
    members.filter((m) => DEMO_ACCOUNTS.some((a) => a.role === "coordinator" && a.email.toLowerCase() === m.email)).map((m) => m.id),
  );
  const sensitiveOffers = new Set(offerRows.filter((o) => o.sensitive).map((o) => o.id));
  const { reads, looks } = plannedReads(requests, idByReference, input.now, signInCoordinators, sensitiveOffers);
  accessRows.push(...looks);
  for (const batch of chunks(accessRows, BATCH * 2)) {
    await tx.insert(requestAccessLog).values(batch);
  }
  for (const batch of chunks(reads, BATCH * 2)) {
    await tx.insert(requestReads).values(batch).onConflictDoNothing();
  }

  return { staff: staffInserted, requests: requests.length, events: eventRows.length, accessLog: accessRows.length };
}

/** How many open requests keep a recent reply their assignee has not looked at yet (the demo of "New reply"). */
const DEMO_UNSEEN_REPLIES = 3;

/**
 * Who has seen which request, and when (request_reads, docs/decisions/018-unseen-activity.md), for
 * seeded history, as the hub would have recorded it:
 * - each coordinator as of their latest view (the access log) or their latest event on it (whoever
 *   worked on a request saw it; migration 0022 backfills existing databases the same way);
 * - the assignee also looked at whatever the person did afterwards (a reply, withdrawal or rating),
 *   40 minutes later (or a minute before `now`): the history is history, not a flood of "New reply"
 *   in My work. On a sensitive request that look is also a "viewed" row in the access log (the
 *   seed records views of sensitive requests only, as the rest of its history does);
 * - except DEMO_UNSEEN_REPLIES open requests whose last activity is a reply by the person, the most
 *   recent ones, those of the sign-in coordinators first: their assignee has not looked since, so
 *   "New reply", My work and the timeline highlight have something to show.
 */
function plannedReads(
  requests: PlannedRequest[],
  idByReference: Map<string, number>,
  now: Date,
  signInCoordinators: ReadonlySet<string>,
  sensitiveOffers: ReadonlySet<number>,
): {
  reads: { userId: string; requestId: number; seenAt: Date }[];
  looks: { requestId: number; actorId: string; action: AccessAction; createdAt: Date }[];
} {
  const seen = new Map<string, { userId: string; requestId: number; seenAt: Date }>();
  const saw = (userId: string, requestId: number, at: Date) => {
    const key = `${userId} ${requestId}`;
    const had = seen.get(key);
    if (!had || had.seenAt < at) seen.set(key, { userId, requestId, seenAt: at });
  };
  for (const r of requests) {
    const requestId = idByReference.get(r.reference)!;
    for (const a of r.access) if (a.action === "viewed") saw(a.actor, requestId, a.at);
    for (const e of r.events) if (e.actor !== REQUESTER && e.kind !== "viewed") saw(e.actor, requestId, e.at);
  }

  // The person's latest activity the assignee has not seen yet.
  const OPEN_STATUSES: readonly RequestStatus[] = ["new", "triaged", "in_progress", "waiting_on_staff", "referred"];
  const unseen: { r: PlannedRequest; requestId: number; at: Date }[] = [];
  for (const r of requests) {
    const at = activityTimes(r).lastRequesterActivityAt;
    if (!at || !r.assigneeId) continue;
    const requestId = idByReference.get(r.reference)!;
    const had = seen.get(`${r.assigneeId} ${requestId}`);
    if (!had || had.seenAt < at) unseen.push({ r, requestId, at });
  }
  const lastIsReply = (r: PlannedRequest) =>
    [...r.events].reverse().find((e) => e.actor === REQUESTER && REQUESTER_ACTIVITY.has(e.kind))?.kind === "message_from_staff";
  const kept = new Set(
    unseen
      .filter(({ r }) => OPEN_STATUSES.includes(r.status) && lastIsReply(r))
      .sort(
        (a, b) =>
          Number(signInCoordinators.has(b.r.assigneeId!)) - Number(signInCoordinators.has(a.r.assigneeId!)) ||
          b.at.getTime() - a.at.getTime() ||
          a.requestId - b.requestId,
      )
      .slice(0, DEMO_UNSEEN_REPLIES)
      .map((u) => u.requestId),
  );
  const looks: { requestId: number; actorId: string; action: AccessAction; createdAt: Date }[] = [];
  for (const { r, requestId, at } of unseen) {
    if (kept.has(requestId)) continue;
    const lookAt = new Date(Math.min(at.getTime() + 40 * MINUTE, now.getTime() - MINUTE));
    if (lookAt < at) continue; // the person acted in the last minute: still new
    if (sensitiveOffers.has(r.offerId)) looks.push({ requestId, actorId: r.assigneeId!, action: "viewed", createdAt: lookAt });
    saw(r.assigneeId!, requestId, lookAt);
  }
  return { reads: [...seen.values()], looks };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The plan: pure and deterministic for a given (now, count, seed, organisations, offers).

type EventKind = (typeof requestEvents.$inferInsert)["kind"];
type AccessAction = (typeof requestAccessLog.$inferInsert)["action"];

/** The actor of an event done by the person who asked; any other actor is a coordinator's user id. */
const REQUESTER = "requester";

interface PlannedEvent {
  kind: EventKind;
  /** REQUESTER, or the id of the coordinator who did it. */
  actor: string;
  body: string | null;
  visibleToRequester: boolean;
  data: Record<string, unknown> | null;
  at: Date;
}

interface PlannedAccess {
  /** A coordinator's user id. */
  actor: string;
  action: AccessAction;
  at: Date;
}

interface PlannedStaff {
  email: string;
  name: string;
  firstName: string;
  organisationId: number;
  orgType: Organisation["type"];
  staffGroup: StaffGroup;
  jobTitle: string;
  startDate: string;
  startMs: number;
  createdAt: Date;
  used: boolean;
}

interface PlannedRequest {
  reference: string;
  requesterEmail: string;
  organisationId: number;
  offerId: number;
  status: RequestStatus;
  urgent: boolean;
  answers: Record<string, unknown>;
  contactMethod: "email" | "phone" | "teams";
  contactPhone: string | null;
  contactTimes: string | null;
  consentToShareWithManager: boolean;
  submittedAt: Date;
  dueAt: Date;
  firstContactAt: Date | null;
  pausedAt: Date | null;
  assigneeId: string | null;
  closedAt: Date | null;
  closeOutcome: CloseOutcomeValue | null;
  satisfactionRating: number | null;
  satisfactionComment: string | null;
  ratedAt: Date | null;
  updatedAt: Date;
  version: number;
  events: PlannedEvent[];
  access: PlannedAccess[];
}

/** The queue's "Last updated" and the person's latest activity (docs/decisions/015), as the models set them. */
const REQUESTER_ACTIVITY: ReadonlySet<EventKind> = new Set<EventKind>(["message_from_staff", "withdrawn", "consent_withdrawn", "consent_given"]);
function activityTimes(r: PlannedRequest): { lastUpdatedAt: Date; lastRequesterActivityAt: Date | null } {
  let updated = r.submittedAt.getTime();
  let byPerson: number | null = r.ratedAt ? r.ratedAt.getTime() : null;
  if (r.ratedAt) updated = Math.max(updated, r.ratedAt.getTime());
  for (const e of r.events) {
    if (e.kind === "viewed") continue;
    updated = Math.max(updated, e.at.getTime());
    if (e.actor === REQUESTER && REQUESTER_ACTIVITY.has(e.kind)) byPerson = Math.max(byPerson ?? 0, e.at.getTime());
  }
  return { lastUpdatedAt: new Date(updated), lastRequesterActivityAt: byPerson === null ? null : new Date(byPerson) };
}

export function planPastRequests(input: {
  now: Date;
  count: number;
  seed: number;
  orgs: OrgForSeed[];
  offers: OfferForSeed[];
  /** The demo staff member who gets a closed and rated, an in-progress and a waiting request. */
  demoStaff?: { email: string; firstName: string; organisationId: number } | null;
}): { staff: PlannedStaff[]; requests: PlannedRequest[] } {
  const rng = new Rng(input.seed);
  const nowMs = input.now.getTime();
  const { orgs, offers, count } = input;

  // People: drawn at random from a pool larger than the number of requests, so most ask once and
  // some ask two or three times.
  const staffCount = Math.max(orgs.length, Math.ceil(count * 1.3));
  const orgWeights = orgs.map((o) => [o, Math.pow(o.headcount, 0.75) * ENGAGEMENT[o.type]] as const);
  const staff: PlannedStaff[] = [];
  for (let i = 0; i < staffCount; i++) {
    const org = i < orgs.length ? orgs[i]! : rng.weighted(orgWeights);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const group = rng.weighted(STAFF_GROUP_WEIGHTS[org.type]);
    const tenureYears = rng.weighted([
      [() => rng.between(0.1, 1), 20],
      [() => rng.between(1, 2), 15],
      [() => rng.between(2, 5), 25],
      [() => rng.between(5, 35), 40],
    ] as const)();
    const startMs = startOfUtcDay(nowMs - tenureYears * 365.25 * DAY);
    staff.push({
      email: `${emailPart(first)}.${emailPart(last)}.${101 + i}@${org.domain}`,
      name: `${first} ${last}`,
      firstName: first,
      organisationId: org.id,
      orgType: org.type,
      staffGroup: group,
      jobTitle: rng.pick(JOB_TITLES[`${org.type}:${group}`] ?? JOB_TITLES[group]!),
      startDate: isoDate(startMs),
      startMs,
      createdAt: new Date(nowMs), // set from their first request below
      used: false,
    });
  }
  const tenure = (s: PlannedStaff) => (nowMs - s.startMs) / (365.25 * DAY);
  const preferFor = (slug: string) =>
    slug === "new-starter-support"
      ? (s: PlannedStaff) => tenure(s) < 1
      : slug === "retire-and-return"
        ? (s: PlannedStaff) => tenure(s) >= 10
        : () => true;

  const offerWeights = offers.map((o) => [o, OFFER_WEIGHTS[o.slug] ?? DEFAULT_OFFER_WEIGHT] as const);
  const coverage = Math.max(offers.length, orgs.length);
  // The last few are open, never contacted and past their due time, so the queue's overdue filter
  // and the daily digest have something to show (alternately new, so unassigned, and triaged).
  const overdue = count >= 60 ? Math.min(4, Math.floor(count / 60)) : 0;
  const requests: PlannedRequest[] = [];
  for (let i = 0; i < count; i++) {
    if (i >= count - overdue && i >= coverage) {
      const offer = rng.weighted(offerWeights);
      const target = offer.firstContactTargetDays;
      let t = startOfUtcDay(nowMs - (target * 1.45 + rng.between(1, 6)) * DAY) + rng.int(8, 16) * HOUR + rng.int(0, 59) * MINUTE;
      while (addWorkingDays(new Date(t), target).getTime() >= nowMs) t -= DAY;
      const prefer = preferFor(offer.slug);
      const started = staff.filter((s) => s.startMs + 3 * DAY < t);
      const preferred = started.filter(prefer);
      const person = rng.pick(preferred.length > 0 ? preferred : started.length > 0 ? started : staff);
      requests.push(planRequest(rng, nowMs, person, offer, { status: (count - i) % 2 === 1 ? "new" : "triaged", submittedMs: t }));
      continue;
    }
    // The first few cover every offer and every organisation; the rest follow the weights.
    const offer = i < coverage ? offers[i % offers.length]! : rng.weighted(offerWeights);
    const prefer = preferFor(offer.slug);
    let pool = i < coverage ? staff.filter((s) => s.organisationId === orgs[i % orgs.length]!.id) : staff;
    const preferred = pool.filter(prefer);
    if (preferred.length > 0 && (i < coverage || rng.chance(0.9))) pool = preferred;
    const person = rng.pick(pool);
    requests.push(planRequest(rng, nowMs, person, offer));
  }
  const staffByEmail = new Map(staff.map((s) => [s.email, s]));
  for (const r of requests) {
    const s = staffByEmail.get(r.requesterEmail)!;
    const signedUp = Math.max(s.startMs, r.submittedAt.getTime() - rng.between(0.01, 20) * DAY);
    if (!s.used || signedUp < s.createdAt.getTime()) s.createdAt = new Date(Math.min(signedUp, r.submittedAt.getTime() - 5 * MINUTE));
    s.used = true;
  }
  if (input.demoStaff) requests.push(...planDemoStaffRequests(rng, nowMs, input.demoStaff, offers));
  return { staff, requests };
}

interface Requester {
  email: string;
  firstName: string;
  organisationId: number;
  startMs: number;
}

function planRequest(
  rng: Rng,
  nowMs: number,
  person: Requester,
  offer: OfferForSeed,
  forced?: { status: RequestStatus; submittedMs: number },
): PlannedRequest {
  let t: number;
  if (forced) {
    t = forced.submittedMs;
  } else {
    // When: within the last year and after they started; skewed towards recent months (uptake
    // grows), mostly on weekdays and in the day.
    const latest = nowMs - 20 * MINUTE;
    let earliest = Math.max(nowMs - 365 * DAY, person.startMs + 3 * DAY);
    let windowEnd = latest;
    if (offer.slug === "new-starter-support") windowEnd = Math.min(latest, person.startMs + 150 * DAY);
    if (earliest >= windowEnd) earliest = Math.max(nowMs - 365 * DAY, person.startMs);
    t = windowEnd - (windowEnd - earliest) * Math.pow(rng.next(), 1.1);
    const d = new Date(startOfUtcDay(t));
    const weekday = d.getUTCDay();
    if ((weekday === 0 || weekday === 6) && rng.chance(0.7)) d.setUTCDate(d.getUTCDate() + (weekday === 6 ? -1 : 1));
    const hour = rng.weighted(HOUR_WEIGHTS);
    t = d.getTime() + hour * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000;
    if (t > latest) t = latest - rng.int(5, 180) * MINUTE;
    if (t < earliest) t = earliest + rng.int(60, 600) * MINUTE;
    if (t > latest) t = latest;
  }
  const submittedAt = new Date(t);
  const ageDays = (nowMs - t) / DAY;

  const { answers, urgent } = planAnswers(rng, offer, t);
  const contactMethod = rng.weighted([
    ["email", 55],
    ["phone", 30],
    ["teams", 15],
  ] as const);
  let status = forced?.status ?? chooseStatus(rng, ageDays);
  // An offer whose team has nobody in it: nobody has worked its requests.
  if (!offer.coordinatorIds?.length && status !== "withdrawn") status = "new";
  const dueAt = addWorkingDays(submittedAt, offer.firstContactTargetDays);
  const story = planHistory(rng, { offer, firstName: person.firstName, submittedMs: t, dueMs: dueAt.getTime(), status, urgent });
  return assemble(rng, nowMs, story, {
    requesterEmail: person.email,
    organisationId: person.organisationId,
    offerId: offer.id,
    urgent,
    answers,
    contactMethod,
    contactPhone: contactMethod === "phone" ? `07700 900${String(rng.int(0, 999)).padStart(3, "0")}` : null,
    contactTimes: rng.chance(0.4) ? rng.pick(CONTACT_TIMES) : null,
    consentToShareWithManager: rng.chance(offer.formKind === "flexible_working" ? 0.7 : 0.1),
    submittedAt,
    targetDays: offer.firstContactTargetDays,
  });
}

/** A request's fields from its story: every hub field is derived from the events, as the hub would set it. */
function assemble(
  rng: Rng,
  nowMs: number,
  story: Story,
  base: Pick<
    PlannedRequest,
    | "requesterEmail"
    | "organisationId"
    | "offerId"
    | "urgent"
    | "answers"
    | "contactMethod"
    | "contactPhone"
    | "contactTimes"
    | "consentToShareWithManager"
    | "submittedAt"
  > & { targetDays: number },
  rating?: { rating: number; comment: string | null; afterHours: number },
): PlannedRequest {
  const { events, access } = story.finish(base.submittedAt.getTime(), nowMs);
  const status = story.status;
  // Each finished wait on staff pushed the due time back by its working time, as the hub does when
  // a request leaves "waiting on staff" (computeDueAt's rule); an open one is shown provisionally.
  const pauses: Pause[] = [];
  let pauseFrom: Date | null = null;
  for (const e of events) {
    if (e.kind !== "status_changed" && e.kind !== "withdrawn") continue;
    const { from, to } = (e.data ?? {}) as { from?: string; to?: string };
    if (to === "waiting_on_staff") pauseFrom = e.at;
    else if (from === "waiting_on_staff" && pauseFrom) {
      pauses.push({ from: pauseFrom, to: e.at });
      pauseFrom = null;
    }
  }
  const dueAt = computeDueAt({ submittedAt: base.submittedAt, targetDays: base.targetDays, pauses, now: new Date(nowMs) }).dueAt;
  const isMove = (e: PlannedEvent) => e.kind === "status_changed" || e.kind === "withdrawn";
  const to = (e: PlannedEvent) => (e.data as { to?: string } | null)?.to;
  const firstContact = events.find((e) => e.kind === "message_to_staff" || (e.kind === "status_changed" && to(e) === "in_progress"));
  const closing = status === "closed" || status === "withdrawn" ? [...events].reverse().find((e) => isMove(e) && to(e) === status) : undefined;
  const pausing = status === "waiting_on_staff" ? [...events].reverse().find((e) => isMove(e) && to(e) === "waiting_on_staff") : undefined;
  const assigned = [...events].reverse().find((e) => e.kind === "assigned");
  const last = events[events.length - 1]!;

  let satisfactionRating: number | null = null;
  let satisfactionComment: string | null = null;
  let ratedAt: Date | null = null;
  const outcome = status === "closed" ? ((closing?.data as { outcome?: CloseOutcomeValue } | null)?.outcome ?? "support_given") : null;
  if (closing && status === "closed" && (rating || rng.chance(0.5))) {
    const closedMs = closing.at.getTime();
    const want = rating?.afterHours ?? rng.between(0.3, 150);
    const room = Math.max(0, nowMs - 60_000 - closedMs) / HOUR;
    ratedAt = new Date(closedMs + Math.round(Math.min(want, room * 0.9) * HOUR) + 1000);
    if (rating) {
      satisfactionRating = rating.rating;
      satisfactionComment = rating.comment;
    } else {
      satisfactionRating = rng.weighted(outcome === "support_given" || outcome === "referred_on" ? HAPPY_RATINGS : MIXED_RATINGS);
      if (rng.chance(0.35)) {
        satisfactionComment = rng.pick(satisfactionRating >= 4 ? GOOD_COMMENTS : satisfactionRating === 3 ? MIDDLING_COMMENTS : POOR_COMMENTS);
      }
    }
  }

  const { targetDays: _targetDays, ...fields } = base;
  return {
    reference: "",
    ...fields,
    dueAt,
    status,
    firstContactAt: firstContact?.at ?? null,
    pausedAt: pausing?.at ?? null,
    assigneeId: (assigned?.data as { assigneeId?: string } | null)?.assigneeId ?? null,
    closedAt: closing?.at ?? null,
    closeOutcome: outcome,
    satisfactionRating,
    satisfactionComment,
    ratedAt,
    updatedAt: last.at, // rating does not touch updated_at or the version (rateMyRequest)
    // Every action is one change: the submission is version 1; a reply that takes a request off
    // "waiting on staff" changes its status in the same action.
    version: 1 + events.filter((e) => e.kind !== "submitted" && !(e.kind === "status_changed" && e.actor === REQUESTER)).length,
    events,
    access,
  };
}

function chooseStatus(rng: Rng, ageDays: number): RequestStatus {
  if (ageDays < 2)
    return rng.weighted([
      ["new", 60],
      ["triaged", 30],
      ["in_progress", 10],
    ] as const);
  if (ageDays < 7)
    return rng.weighted([
      ["new", 12],
      ["triaged", 30],
      ["in_progress", 35],
      ["waiting_on_staff", 13],
      ["referred", 5],
      ["withdrawn", 5],
    ] as const);
  if (ageDays < 30)
    return rng.weighted([
      ["new", 3],
      ["triaged", 7],
      ["in_progress", 30],
      ["waiting_on_staff", 12],
      ["referred", 15],
      ["closed", 28],
      ["withdrawn", 5],
    ] as const);
  if (ageDays < 90)
    return rng.weighted([
      ["in_progress", 10],
      ["waiting_on_staff", 5],
      ["referred", 17],
      ["closed", 62],
      ["withdrawn", 6],
    ] as const);
  return rng.weighted([
    ["in_progress", 2],
    ["waiting_on_staff", 1],
    ["referred", 10],
    ["closed", 81],
    ["withdrawn", 6],
  ] as const);
}

/**
 * A request's history as it happens: hours after submission, who did what. Coordinators' actions
 * on a sensitive request are preceded by a view (opening the request page) when they come back to
 * it; finish() squeezes the story into the time that has passed and gives the access log.
 */
class Story {
  status: RequestStatus = "new";
  /** Hours after submission. */
  t = 0;
  private readonly steps: (Omit<PlannedEvent, "at" | "kind"> & { kind: EventKind | "view"; offset: number })[] = [];
  private lastView = { actor: "", at: Number.NEGATIVE_INFINITY };
  private assignee: string | null = null;

  constructor(
    private readonly rng: Rng,
    private readonly sensitive: boolean,
    private readonly submittedMs: number,
  ) {}

  wait(hours: number) {
    this.t += hours;
  }

  private push(actor: string, kind: EventKind, body: string | null, visibleToRequester: boolean, data: Record<string, unknown> | null) {
    if (actor !== REQUESTER) this.t = (nextWorkingMoment(this.rng, this.submittedMs + this.t * HOUR) - this.submittedMs) / HOUR;
    if (actor !== REQUESTER && this.sensitive && (this.lastView.actor !== actor || this.t - this.lastView.at > 2)) {
      this.steps.push({ actor, kind: "view", body: null, visibleToRequester: false, data: null, offset: this.t });
      this.lastView = { actor, at: this.t };
      this.t += this.rng.between(0.02, 0.25);
    }
    this.steps.push({ actor, kind, body, visibleToRequester, data, offset: this.t });
  }

  submitted() {
    this.push(REQUESTER, "submitted", null, true, null);
  }
  /** `actor` gives the request to `assigneeId` (usually themselves); the name is filled in on insert. */
  assign(actor: string, assigneeId: string) {
    // Hub-only, as assignHubRequest records it (the person sees it in their access log instead).
    this.push(actor, "assigned", null, false, { assigneeId, assigneeName: null, previousAssigneeId: this.assignee });
    this.assignee = assigneeId;
  }
  note(actor: string, body: string) {
    this.push(actor, "internal_note", body, false, null);
  }
  message(actor: string, body: string) {
    this.push(actor, "message_to_staff", body, true, null);
  }
  move(actor: string, to: RequestStatus, outcome?: CloseOutcomeValue) {
    this.push(actor, "status_changed", null, true, { from: this.status, to, ...(outcome ? { outcome } : {}) });
    this.status = to;
  }
  /** The person replies; a request waiting on them goes back to in progress in the same action. */
  reply(body: string) {
    this.push(REQUESTER, "message_from_staff", body, true, null);
    if (this.status === "waiting_on_staff") {
      this.push(REQUESTER, "status_changed", null, true, { from: "waiting_on_staff", to: "in_progress" });
      this.status = "in_progress";
    }
  }
  withdraw(reason: string) {
    this.push(REQUESTER, "withdrawn", reason, true, { from: this.status, to: "withdrawn" });
    this.status = "withdrawn";
  }

  /** Timed events and access log rows, the history squeezed into the time that has passed, in order. */
  finish(submittedMs: number, nowMs: number): { events: PlannedEvent[]; access: PlannedAccess[] } {
    const available = (nowMs - submittedMs) / HOUR - 0.1;
    const lastOffset = this.steps[this.steps.length - 1]!.offset;
    const scale = lastOffset > available * 0.95 && lastOffset > 0 ? (available * 0.95) / lastOffset : 1;
    const events: PlannedEvent[] = [];
    const access: PlannedAccess[] = [];
    this.steps.forEach(({ offset, kind, ...e }, i) => {
      const at = new Date(submittedMs + Math.round(offset * scale * HOUR) + i * 1000);
      if (kind !== "view") events.push({ ...e, kind, at });
      const action = accessActionFor(kind, e.actor);
      if (action) access.push({ actor: e.actor, action, at });
    });
    return { events, access };
  }
}

/**
 * The hub works office hours: `ms` if it is on a working day between 08:00 and 17:00 UTC (about
 * 8 or 9 to 5 or 6 in London), otherwise soon after 08:00 on the next working day.
 */
function nextWorkingMoment(rng: Rng, ms: number): number {
  const hour = new Date(ms).getUTCHours();
  if (hour >= 8 && hour < 17 && isWorkingUtcDay(startOfUtcDay(ms))) return ms;
  let day = startOfUtcDay(ms) + (hour >= 8 ? DAY : 0);
  while (!isWorkingUtcDay(day)) day += DAY;
  return Math.max(ms, day + 8 * HOUR + rng.int(0, 90) * MINUTE + rng.int(0, 59) * 1000);
}

const workingDayCache = new Map<number, boolean>();
/** Whether the UTC day starting at `dayMs` is a working day (between 08:00 and 17:00 UTC it is the same London date). */
function isWorkingUtcDay(dayMs: number): boolean {
  let working = workingDayCache.get(dayMs);
  if (working === undefined) {
    working = isWorkingDay(new Date(dayMs + 12 * HOUR));
    workingDayCache.set(dayMs, working);
  }
  return working;
}

/** The request_access_log action a coordinator's step is recorded as (the person's own steps are not). */
function accessActionFor(kind: EventKind | "view", actor: string): AccessAction | null {
  if (actor === REQUESTER) return null;
  switch (kind) {
    case "view":
      return "viewed";
    case "assigned":
      return "assigned";
    case "status_changed":
      return "status_changed";
    case "message_to_staff":
      return "messaged";
    case "internal_note":
      return "noted";
    default:
      return null;
  }
}

/** Picks the coordinator who looks after a request: the sign-in demo account of the team a little more often. */
function pickCoordinator(rng: Rng, team: readonly string[]): string {
  return rng.weighted(team.map((id, i) => [id, i === 0 ? 3 : 2] as const));
}

/** The request's history: who did what and when, ending in its current status. */
function planHistory(
  rng: Rng,
  r: { offer: OfferForSeed; firstName: string; submittedMs: number; dueMs: number; status: RequestStatus; urgent: boolean },
): Story {
  const s = new Story(rng, r.offer.sensitive ?? false, r.submittedMs);
  const first = r.firstName;
  const kind = r.offer.formKind;
  const final = r.status;
  s.submitted();
  if (final === "new") return s;
  if (final === "withdrawn" && rng.chance(0.35)) {
    s.wait(rng.between(2, 96));
    s.withdraw(rng.pick(WITHDRAW_REASONS));
    return s;
  }
  const team = r.offer.coordinatorIds ?? [];
  if (team.length === 0) {
    s.wait(rng.between(24, 400));
    s.withdraw(rng.pick(WITHDRAW_REASONS));
    return s;
  }
  const lead = pickCoordinator(rng, team);
  const others = team.filter((id) => id !== lead);
  const colleague = others.length > 0 ? rng.pick(others) : lead;
  const by = (p: number) => (rng.chance(p) ? lead : colleague);

  // Triage: whoever is on the inbox checks it, notes anything important, and usually gives it to
  // the coordinator who will look after it (some wait in the team's queue unassigned).
  s.wait(r.urgent ? rng.between(0.2, 3) : rng.between(0.5, 26));
  const triager = by(0.7);
  const assignedAtTriage = rng.chance(final === "triaged" ? 0.6 : 0.85);
  if (assignedAtTriage) s.assign(triager, lead);
  if (r.urgent) s.note(triager, rng.pick(URGENT_NOTES[kind] ?? URGENT_NOTES.general!));
  else if (rng.chance(0.35)) s.note(triager, rng.pick(TRIAGE_NOTES));
  s.move(triager, "triaged");
  if (final === "triaged") return s;
  if (final === "withdrawn" && rng.chance(0.45)) {
    s.wait(rng.between(4, 120));
    s.withdraw(rng.pick(WITHDRAW_REASONS));
    return s;
  }

  const outcome: CloseOutcomeValue | null = final === "closed" ? rng.weighted(OUTCOME_WEIGHTS[kind]) : null;

  // First contact: mostly within the offer's target (before dueAt), about one in six or seven late
  // (a late contact squeezed into the time a recent request has had may end up on time).
  const hoursToDue = (r.dueMs - r.submittedMs) / HOUR;
  const contactAt = r.urgent
    ? s.t + rng.between(0.3, 6)
    : rng.chance(0.17)
      ? hoursToDue + rng.between(2, Math.max(30, hoursToDue * 0.6))
      : rng.between(Math.min(s.t + 0.3, hoursToDue * 0.85), hoursToDue * 0.85);
  s.t = Math.max(s.t + 0.1, contactAt);
  if (!assignedAtTriage) s.assign(lead, lead);
  if (!r.urgent && rng.chance(0.15)) {
    // Phoned first: the move to in progress is the first contact.
    s.note(lead, `Phoned ${first} and talked through what would help. ${rng.pick(PHONE_NOTES)}`);
  } else {
    s.message(lead, `Hello ${first}, ${rng.pick(FIRST_CONTACT[kind])}`);
  }
  s.wait(0.02);
  s.move(lead, "in_progress");
  if (final === "in_progress") {
    if (rng.chance(0.4)) {
      s.wait(rng.between(1, 48));
      s.reply(rng.pick(STAFF_REPLIES));
    }
    return s;
  }
  if (final === "withdrawn") {
    s.wait(rng.between(24, 400));
    s.withdraw(rng.pick(WITHDRAW_REASONS));
    return s;
  }

  if (final === "waiting_on_staff" || outcome === "no_response" || rng.chance(0.2)) {
    s.wait(rng.between(24, 120));
    s.message(lead, `Hello ${first}, ${rng.pick(WAITING_MESSAGES)}`);
    s.wait(0.02);
    s.move(lead, "waiting_on_staff");
    if (final === "waiting_on_staff") return s;
    if (outcome === "no_response") {
      s.wait(rng.between(240, 480));
      const closer = by(0.85);
      s.message(closer, `Hello ${first}, ${rng.pick(NO_RESPONSE_MESSAGES)} ${CLOSING_FOOTER}`);
      s.wait(0.02);
      s.move(closer, "closed", "no_response");
      return s;
    }
    s.wait(rng.between(6, 160));
    s.reply(rng.pick(STAFF_REPLIES));
  }

  if (outcome === "declined") {
    s.wait(rng.between(24, 240));
    s.reply(rng.pick(DECLINE_REPLIES));
    s.wait(rng.between(1, 30));
    s.message(lead, `Thank you for letting us know, ${first}. I am closing this request for now. ${CLOSING_FOOTER}`);
    s.wait(0.02);
    s.move(lead, "closed", "declined");
    return s;
  }
  if (outcome === "not_eligible") {
    s.wait(rng.between(24, 160));
    s.message(lead, `Hello ${first}, ${rng.pick(NOT_ELIGIBLE_MESSAGES[kind])} ${CLOSING_FOOTER}`);
    s.wait(0.02);
    s.move(lead, "closed", "not_eligible");
    return s;
  }

  if (final === "referred" || outcome === "referred_on" || rng.chance(0.25)) {
    s.wait(rng.between(48, 240));
    const referrer = by(0.85);
    s.message(referrer, rng.pick(REFERRAL_MESSAGES[kind]));
    s.wait(0.02);
    s.move(referrer, "referred");
    if (final === "referred") return s;
  }

  s.wait(rng.between(72, 720));
  const closer = by(0.85);
  const closingMessages = outcome === "referred_on" ? REFERRED_ON_CLOSING[kind] : CLOSING_MESSAGES[kind];
  s.message(closer, `${rng.pick(closingMessages)} ${CLOSING_FOOTER}`);
  s.wait(0.02);
  s.move(closer, "closed", outcome ?? "support_given");
  return s;
}

/**
 * The demo staff member's own requests, so signing in as them shows a realistic My requests: a
 * physiotherapy request closed and rated, a financial wellbeing one in progress with a message
 * from the hub, and a flexible working one waiting on them. Offers missing or without a team are skipped.
 */
function planDemoStaffRequests(
  rng: Rng,
  nowMs: number,
  person: { email: string; firstName: string; organisationId: number },
  offers: OfferForSeed[],
): PlannedRequest[] {
  const bySlug = new Map(offers.map((o) => [o.slug, o]));
  const first = person.firstName;
  const out: PlannedRequest[] = [];
  const base = (offer: OfferForSeed, submittedMs: number, answers: Record<string, unknown>, consent = false) => ({
    requesterEmail: person.email,
    organisationId: person.organisationId,
    offerId: offer.id,
    urgent: false,
    answers,
    contactMethod: "email" as const,
    contactPhone: null,
    contactTimes: "After 4pm, or any time on my days off",
    consentToShareWithManager: consent,
    submittedAt: new Date(submittedMs),
    targetDays: offer.firstContactTargetDays,
  });

  const physio = bySlug.get("physiotherapy");
  if (physio?.coordinatorIds?.length) {
    const lead = physio.coordinatorIds[0]!;
    const submittedMs = weekdayAt(nowMs - 75 * DAY, 13, 42);
    const s = new Story(rng, physio.sensitive ?? false, submittedMs);
    s.submitted();
    s.wait(2.5);
    s.assign(lead, lead);
    s.move(lead, "triaged");
    s.wait(19);
    s.message(lead, `Hello ${first}, I have booked you a telephone assessment with one of our physiotherapists. They will call you at the time you gave us, after 4pm. If that no longer works, reply here.`);
    s.wait(0.02);
    s.move(lead, "in_progress");
    s.wait(4);
    s.reply("Thank you, that is fine. I am on an early shift that day, so I will be home by then.");
    s.wait(30 * 24);
    s.message(lead, `The physiotherapist has discharged you with a home exercise plan, so I am closing this request now. ${CLOSING_FOOTER}`);
    s.wait(0.02);
    s.move(lead, "closed", "support_given");
    out.push(
      assemble(
        rng,
        nowMs,
        s,
        base(physio, submittedMs, {
          bodyArea: "back",
          duration: "2_to_6_weeks",
          effectOnWork: "working_with_difficulty",
          details: "It started after moving a patient on a night shift. It is worse at the end of a long day on the ward.",
        }),
        { rating: 5, comment: "The physio called when they said they would and the exercises have really helped. I am back on full duties.", afterHours: 20 },
      ),
    );
  }

  const financial = bySlug.get("financial-wellbeing");
  if (financial?.coordinatorIds?.length) {
    const lead = financial.coordinatorIds[0]!;
    const submittedMs = weekdayAt(nowMs - 6 * DAY, 19, 15);
    const s = new Story(rng, financial.sensitive ?? false, submittedMs);
    s.submitted();
    s.wait(14);
    s.assign(lead, lead);
    s.move(lead, "triaged");
    s.wait(3);
    s.message(
      lead,
      `Hello ${first}, thank you for getting in touch. We have passed your request to Citizens Advice, and an adviser will call you within 5 working days to go through your situation. It helps to have any letters about your bills to hand. If anything changes before then, reply here.`,
    );
    s.wait(0.02);
    s.move(lead, "in_progress");
    out.push(
      assemble(
        rng,
        nowMs,
        s,
        base(financial, submittedMs, {
          topics: ["budgeting", "cost_of_living"],
          urgentSituations: [],
          details: "My rent has gone up by £150 a month and I am finding it hard to keep up with the energy bills.",
        }),
      ),
    );
  }

  const flexible = bySlug.get("flexible-working");
  if (flexible?.coordinatorIds?.length) {
    const lead = flexible.coordinatorIds[1] ?? flexible.coordinatorIds[0]!;
    const submittedMs = weekdayAt(nowMs - 13 * DAY, 8, 5);
    const s = new Story(rng, flexible.sensitive ?? false, submittedMs);
    s.submitted();
    s.wait(26);
    s.assign(lead, lead);
    s.move(lead, "triaged");
    s.wait(22);
    s.message(
      lead,
      `Hello ${first}, thank you for your request. I would like to talk through the options with you before it goes to your manager. I will call you this week.`,
    );
    s.wait(0.02);
    s.move(lead, "in_progress");
    s.wait(50);
    s.message(
      lead,
      `Hello ${first}, thank you for the call. Before I send your request to your manager, could you reply with your contracted hours and the dates of your next 2 rotas? Then I can show how the team could cover the nights.`,
    );
    s.wait(0.02);
    s.move(lead, "waiting_on_staff");
    out.push(
      assemble(
        rng,
        nowMs,
        s,
        base(
          flexible,
          submittedMs,
          {
            currentPattern: "Full time, 37.5 hours, rotating days and nights including weekends",
            requestedPattern: "30 hours over 4 days, with no night shifts",
            requestedStartDate: isoDate(startOfUtcDay(submittedMs) + 10 * 7 * DAY),
            effectOnTeam: "My manager has said the rota could work if I swap one weekend a month with a colleague.",
            earlierRequests: "none",
          },
          true,
        ),
      ),
    );
  }
  return out;
}

/** A weekday (Monday to Friday, going back from a weekend) at hh:mm UTC, on or before the day of `ms`. */
function weekdayAt(ms: number, hour: number, minute: number): number {
  let day = startOfUtcDay(ms);
  while ([0, 6].includes(new Date(day).getUTCDay())) day -= DAY;
  return day + hour * HOUR + minute * MINUTE;
}

function planAnswers(rng: Rng, offer: OfferForSeed, submittedMs: number): { answers: Record<string, unknown>; urgent: boolean } {
  switch (offer.formKind) {
    case "financial": {
      const topics = rng.sample(["debt", "benefits", "housing", "budgeting", "cost_of_living", "other"], rng.int(1, 3));
      const urgentSituations = rng.chance(0.12) ? rng.sample(["bailiffs", "eviction", "disconnection", "court"], rng.int(1, 2)) : [];
      const answers: Record<string, unknown> = { topics, urgentSituations };
      if (rng.chance(0.75)) answers.details = rng.pick(FINANCIAL_DETAILS);
      return { answers, urgent: urgentSituations.length > 0 };
    }
    case "psychological": {
      const safety = rng.weighted([
        ["safe", 80],
        ["unsure", 15],
        ["at_risk", 5],
      ] as const);
      const answers = {
        whatIsHappening: rng.pick(PSYCHOLOGICAL_DETAILS),
        effectOnWork: rng.weighted([
          ["struggling", 55],
          ["coping", 25],
          ["off_sick", 20],
        ] as const),
        safety,
      };
      return { answers, urgent: safety === "at_risk" };
    }
    case "physiotherapy": {
      const answers: Record<string, unknown> = {
        bodyArea: rng.weighted([
          ["back", 32],
          ["neck", 14],
          ["shoulder", 16],
          ["knee", 12],
          ["arm_hand", 8],
          ["hip", 7],
          ["ankle_foot", 7],
          ["other", 4],
        ] as const),
        duration: rng.weighted([
          ["under_2_weeks", 20],
          ["2_to_6_weeks", 35],
          ["6_to_12_weeks", 25],
          ["over_12_weeks", 20],
        ] as const),
        effectOnWork: rng.weighted([
          ["working_with_difficulty", 55],
          ["coping", 25],
          ["off_sick", 20],
        ] as const),
      };
      if (rng.chance(0.6)) answers.details = rng.pick(PHYSIO_DETAILS);
      return { answers, urgent: false };
    }
    case "flexible_working":
      return {
        answers: {
          currentPattern: rng.pick(CURRENT_PATTERNS),
          requestedPattern: rng.pick(REQUESTED_PATTERNS),
          requestedStartDate: isoDate(startOfUtcDay(submittedMs) + rng.int(4, 12) * 7 * DAY),
          effectOnTeam: rng.pick(EFFECT_ON_TEAM),
          earlierRequests: rng.weighted([
            ["none", 70],
            ["one", 22],
            ["two_or_more", 8],
          ] as const),
        },
        urgent: false,
      };
    case "retire_return": {
      const answers: Record<string, unknown> = {
        pensionSection: rng.weighted([
          ["1995", 40],
          ["2008", 20],
          ["2015", 25],
          ["not_sure", 15],
        ] as const),
        intendedDate: isoDate(startOfUtcDay(submittedMs) + rng.int(60, 540) * DAY),
        interests: rng.sample(["partial_retirement", "retire_and_return", "reservist_bank"], rng.int(1, 2)),
      };
      if (rng.chance(0.6)) answers.hoursPerWeek = rng.pick([8, 12, 15, 16, 22, 24, 30]);
      if (rng.chance(0.6)) answers.details = rng.pick(RETIRE_DETAILS);
      return { answers, urgent: false };
    }
    default:
      return { answers: { details: rng.pick(GENERAL_DETAILS[offer.slug] ?? GENERAL_DETAILS.default!) }, urgent: false };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** mulberry32: small, fast and good enough for demo data. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(min: number, max: number) {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number) {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }
  /** k distinct items, in the order they are listed. */
  sample<T>(items: readonly T[], k: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(k, items.length)) chosen.add(Math.floor(this.next() * items.length));
    return items.filter((_, i) => chosen.has(i));
  }
}

function startOfUtcDay(ms: number) {
  return Math.floor(ms / DAY) * DAY;
}

function isoDate(ms: number) {
  return new Date(ms).toISOString().slice(0, 10);
}

function emailPart(name: string) {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

// ---------------------------------------------------------------------------------------------
// Word lists

const ENGAGEMENT: Record<Organisation["type"], number> = {
  nhs_trust: 1,
  council: 0.8,
  care_provider: 0.5,
  gp_practice: 0.8,
  icb: 1.2,
};

const STAFF_GROUP_WEIGHTS: Record<Organisation["type"], readonly (readonly [StaffGroup, number])[]> = {
  nhs_trust: [
    ["nursing_midwifery", 30],
    ["medical_dental", 10],
    ["allied_health", 12],
    ["scientific_technical", 7],
    ["support_worker", 18],
    ["social_care", 2],
    ["admin_estates", 19],
    ["other", 2],
  ],
  council: [
    ["social_care", 55],
    ["admin_estates", 33],
    ["allied_health", 6],
    ["other", 6],
  ],
  care_provider: [
    ["social_care", 70],
    ["nursing_midwifery", 12],
    ["support_worker", 8],
    ["admin_estates", 10],
  ],
  gp_practice: [
    ["medical_dental", 20],
    ["nursing_midwifery", 20],
    ["admin_estates", 40],
    ["support_worker", 10],
    ["allied_health", 5],
    ["scientific_technical", 5],
  ],
  icb: [
    ["admin_estates", 70],
    ["nursing_midwifery", 10],
    ["medical_dental", 5],
    ["other", 15],
  ],
};

const JOB_TITLES: Record<string, readonly string[]> = {
  nursing_midwifery: ["Staff nurse", "Senior staff nurse", "Ward sister", "Community nurse", "Midwife", "Mental health nurse", "Nursing associate", "Charge nurse"],
  medical_dental: ["Foundation doctor", "Specialty registrar", "Consultant", "Specialty doctor", "Clinical fellow"],
  allied_health: ["Physiotherapist", "Occupational therapist", "Speech and language therapist", "Dietitian", "Diagnostic radiographer", "Podiatrist"],
  scientific_technical: ["Biomedical scientist", "Pharmacy technician", "Clinical physiologist", "Operating department practitioner", "Pharmacist"],
  support_worker: ["Healthcare assistant", "Healthcare support worker", "Maternity support worker", "Mental health support worker", "Phlebotomist", "Therapy assistant"],
  social_care: ["Care and support worker", "Senior care worker", "Social worker", "Reablement support worker", "Residential care worker"],
  admin_estates: ["Ward clerk", "Medical secretary", "Porter", "Domestic assistant", "Estates technician", "HR adviser", "Finance officer", "Receptionist"],
  other: ["Chaplain", "Volunteer coordinator", "IT service desk analyst", "Catering assistant"],
  "council:social_care": ["Social worker", "Senior social worker", "Reablement support worker", "Occupational therapy assistant", "Care home worker"],
  "council:admin_estates": ["Business support officer", "Customer services adviser", "Commissioning officer", "HR adviser"],
  "council:allied_health": ["Occupational therapist"],
  "council:other": ["Public health practitioner", "Community development worker"],
  "care_provider:social_care": ["Care worker", "Senior care worker", "Home care assistant", "Care team leader", "Support worker (learning disabilities)", "Registered manager"],
  "care_provider:nursing_midwifery": ["Registered nurse (nursing home)", "Clinical lead nurse"],
  "care_provider:support_worker": ["Care assistant", "Activities coordinator"],
  "care_provider:admin_estates": ["Care coordinator", "Administrator", "Cook", "Housekeeper"],
  "gp_practice:medical_dental": ["Salaried GP", "GP partner", "GP registrar"],
  "gp_practice:nursing_midwifery": ["Practice nurse", "Advanced nurse practitioner"],
  "gp_practice:admin_estates": ["Receptionist", "Practice manager", "Medical secretary", "Care navigator"],
  "gp_practice:support_worker": ["Healthcare assistant", "Phlebotomist"],
  "gp_practice:allied_health": ["First contact physiotherapist", "Paramedic practitioner"],
  "gp_practice:scientific_technical": ["Clinical pharmacist", "Pharmacy technician"],
  "icb:admin_estates": ["Commissioning manager", "Business intelligence analyst", "Programme manager", "Executive assistant", "Finance manager"],
  "icb:nursing_midwifery": ["Quality and safeguarding lead", "Continuing healthcare nurse assessor"],
  "icb:medical_dental": ["Clinical director"],
  "icb:other": ["Communications officer", "Digital transformation lead"],
};

const CONTACT_TIMES = [
  "Weekday mornings",
  "After 4pm",
  "Lunchtime, 12 to 1",
  "Not before 11am, I work nights",
  "Any time on Wednesdays (my day off)",
  "Tuesday or Thursday afternoons",
];

const FINANCIAL_DETAILS = [
  "My rent has gone up by £150 a month and I am behind with my council tax.",
  "I have two credit cards and a loan, and the payments take most of my wages.",
  "My partner lost their job and we are struggling with the energy bills.",
  "I would like to check if I can get any help with childcare costs or Universal Credit.",
  "I work bank shifts and my pay changes every month, so I find it hard to budget.",
  "I have had a letter about a court date for an old debt and I do not know what to do.",
  "My landlord is selling the house and I cannot afford a deposit for somewhere new.",
];

const PSYCHOLOGICAL_DETAILS = [
  "Since a patient died on my shift last month I cannot stop thinking about it and I am not sleeping.",
  "I feel anxious before every shift and I have started to dread going in.",
  "Things at home are very difficult and I am finding it hard to concentrate at work.",
  "I have felt low for a few months. I used to enjoy my job and now I just feel numb.",
  "There was an incident with a family member of a resident and it has really shaken me.",
  "I am exhausted all the time and I snap at colleagues. I think I am burnt out.",
  "I have been off with stress for two weeks and I would like help to get back to work.",
  "I lost my dad recently and I am struggling to cope with work and grief.",
];

const PHYSIO_DETAILS = [
  "It started after moving a patient on a night shift.",
  "Pain down my leg when I sit for long, which is most of my day at the desk.",
  "I hurt it lifting boxes in the stores and it has not got better.",
  "It is worse at the end of a long day on my feet.",
  "I have had this before and the exercises helped, but it has come back.",
  "Driving between home visits makes it much worse.",
];

const CURRENT_PATTERNS = [
  "Full time, 37.5 hours, rotating days and nights including weekends",
  "Full time, 3 long days a week on a rolling rota",
  "Part time, 22.5 hours over 3 days, alternate weekends",
  "Monday to Friday, 9am to 5pm, in the office every day",
  "Full time on nights, 4 nights a week",
  "Early and late shifts, 5 days a week, every other weekend",
  "Home care calls, split shifts from 7am to 10pm",
];

const REQUESTED_PATTERNS = [
  "30 hours over 4 days, with no night shifts",
  "Fixed days, Monday to Wednesday, so I can manage childcare",
  "Term-time only working",
  "Compressed hours: 37.5 hours over 4 days",
  "Two days a week working from home",
  "Early shifts only, finishing by 3pm",
  "Self-rostering, with no more than 2 nights a month",
  "Reduce to 22.5 hours over 3 days",
  "No split shifts: one block of calls from 7am to 3pm",
];

const EFFECT_ON_TEAM = [
  "Two colleagues already work fixed days, so cover on Thursdays would need rearranging.",
  "I think the team could cover this, as a new starter is joining in the spring.",
  "My manager has said the rota could work if I swap one weekend a month with a colleague.",
  "There may be less cover on nights, but a bank worker regularly picks up shifts on our ward.",
  "It should make no difference to the team, as most of my work is on the phone and computer.",
  "Someone else on the team has asked for later shifts, so we could swap.",
];

const RETIRE_DETAILS = [
  "I am 58 and would like to drop to 3 days a week but keep my role.",
  "I want to retire in the summer and come back on the bank.",
  "I am not sure which section I am in. I joined in 1992 and had a break in service.",
  "I would like to keep teaching students after I retire.",
  "I am interested in the reservist bank but I want to know what the commitment is.",
];

const GENERAL_DETAILS: Record<string, readonly string[]> = {
  "new-starter-support": [
    "I started on the ward 3 weeks ago and I do not have a preceptor yet.",
    "I moved from the Philippines last month and I am finding it hard to settle in. I would like someone to talk to outside my team.",
    "I am a newly qualified occupational therapist and I want to know what preceptorship support I can get.",
    "I am thinking about leaving because I feel out of my depth on night shifts.",
    "I am new to care work and I would like some support in my first few months.",
  ],
  "clinical-supervision": [
    "I have not had supervision since I moved teams and I would find it helpful.",
    "I would like restorative supervision with someone outside my own ward.",
    "Our team has had a difficult few months and we would like group supervision.",
  ],
  "career-pathways": [
    "I am a healthcare assistant and I would like to become a nursing associate through an apprenticeship.",
    "I work in a care home and I want to know how to become a registered nurse.",
    "I am a senior care worker and I would like to move into a team leader role.",
    "I am a receptionist and I am interested in a clinical career.",
  ],
  "occupational-health": [
    "I am going back to work after surgery and I would like advice on a phased return.",
    "I have a long-term condition and I think I need some changes at work.",
    "I have a skin reaction to the gloves we use.",
    "I have been off with long COVID and I would like advice on getting back to work.",
  ],
  "staff-networks": [
    "I would like to join the ethnic minority staff network.",
    "I am interested in the disabled staff network and the carers network.",
    "Please put me in touch with the LGBTQ+ network.",
    "I am an armed forces veteran and I would like to join the veterans network.",
    "I trained abroad and I would like to meet other internationally educated staff.",
  ],
  "education-training-funding": [
    "I would like funding for a non-medical prescribing course.",
    "I want to do a level 3 diploma in adult care.",
    "I would like to go to a wound care conference in the spring.",
    "I am applying for a master's module in leadership and I would like help with the fees.",
  ],
  "menopause-support": [
    "I am struggling with hot flushes and poor sleep, and night shifts make it worse.",
    "I would like to talk about changes to my uniform and my breaks.",
    "I think I am perimenopausal and my concentration at work is suffering.",
  ],
  "carers-support": [
    "I look after my mum, who has dementia, and I need to be able to take her to appointments.",
    "My son is disabled and I would like to know about a carer's passport.",
    "I care for my husband after his stroke and I am finding it hard to manage my shifts.",
  ],
  default: ["I would like to find out more about this support and what I can get."],
};

const TRIAGE_NOTES = [
  "Checked the answers. Nothing urgent.",
  "Checked the answers. Passed to the right team.",
  "Second request from this person this year: checked the earlier one first.",
  "Prefers contact after shifts: noted for the team.",
];

const URGENT_NOTES: Partial<Record<FormKind, readonly string[]>> = {
  financial: ["Urgent: bailiffs, eviction, disconnection or court. Passing to Citizens Advice as a priority."],
  psychological: ["Urgent: safety answer was 'at risk'. A practitioner is calling today to agree a safety plan."],
  general: ["Urgent: contact today."],
};

const FIRST_CONTACT: Record<FormKind, readonly string[]> = {
  financial: [
    "thank you for getting in touch. I have passed your request to a Citizens Advice adviser, who will call you to go through your situation. If anything changes before then, reply here.",
    "a Citizens Advice adviser will call you this week. It helps to have any letters about your debts or bills to hand.",
  ],
  psychological: [
    "thank you for reaching out. A practitioner from the hub would like to arrange an assessment call with you. Please reply with two or three times that suit you this week.",
    "I have booked you an assessment call with one of our practitioners. They will call you at the time you gave us.",
  ],
  physiotherapy: [
    "I have booked you a telephone assessment with one of our physiotherapists. They will call you at the time you gave us. If that no longer works, reply here.",
    "a physiotherapist will call you in the next few days to assess you and agree a plan.",
  ],
  flexible_working: [
    "thank you for your request. I would like to talk through the options with you before it goes to your manager. I will call you this week.",
    "I have read your request. Before it goes to your manager, could we have a short call about the pattern you want and how the team could cover it?",
  ],
  retire_return: [
    "thank you for getting in touch. Before we talk, please ask NHS Pensions for an up-to-date estimate, so we can look at your own figures together.",
    "I would like to arrange a call to talk through partial retirement, retire and return and the reservist bank. When suits you?",
  ],
  general: [
    "thank you for your request. I will call you this week to talk about what would help.",
    "thank you for getting in touch. I have put you in touch with the right team, and I will call you to arrange a first conversation.",
  ],
};

const WAITING_MESSAGES = [
  "I tried to call you today but could not get through. Please reply with a time that suits you, or a different number.",
  "could you tell us which days you are free next week? Then we can book your appointment.",
  "we need a little more information before we can go further. Could you reply with your contracted hours and your usual shift pattern?",
];

const STAFF_REPLIES = [
  "Thanks. Tuesday or Thursday afternoon works best for me.",
  "Sorry I missed your call, I was on shift. Any time after 3pm is fine.",
  "Thank you. I am on nights this week, so mornings are not good. Friday would be fine.",
  "Thanks for getting back to me so quickly. Email is easiest for me at the moment.",
  "That is really helpful, thank you.",
];

const REFERRAL_MESSAGES: Record<FormKind, readonly string[]> = {
  financial: [
    "I have referred you to the Citizens Advice debt team, who can help you set up a plan with your creditors. They will contact you directly.",
    "Citizens Advice have referred you to the local housing advice service, who will contact you this week.",
  ],
  psychological: [
    "After your assessment, the practitioner has referred you to the talking therapies service for a course of sessions. They will write to you with your first appointment.",
    "The hub has referred you to a specialist trauma service. They will contact you with an appointment.",
  ],
  physiotherapy: [
    "The physiotherapist has referred you for a face-to-face assessment at the staff physiotherapy clinic.",
    "The physiotherapist has referred you to your GP for a scan. They will send the details to you.",
  ],
  flexible_working: [
    "I have sent your request to your manager with our notes. They must talk with you before they make a decision, and you will get a decision, including any appeal, within 2 months.",
  ],
  retire_return: [
    "I have referred you to your pensions team, who will prepare your figures and talk you through the forms.",
    "I have passed your details to the reservist bank team, who will contact you about the next induction.",
  ],
  general: [
    "I have put you in touch with the right team, who will contact you directly.",
    "I have referred you on. You should hear from them within 2 weeks.",
  ],
};

const CLOSING_MESSAGES: Record<FormKind, readonly string[]> = {
  financial: [
    "Your Citizens Advice adviser has helped you set up a payment plan with your creditors, so I am closing this request now.",
    "You have had your benefits check and made your claim, so I am closing this request now.",
  ],
  psychological: [
    "You have finished your sessions with the hub, so I am closing this request now. If things get harder again, please ask for help.",
    "You told us the sessions have helped and you feel able to manage for now, so I am closing this request.",
  ],
  physiotherapy: [
    "The physiotherapist has discharged you with a home exercise plan, so I am closing this request now.",
    "You have finished your course of physiotherapy, so I am closing this request now.",
  ],
  flexible_working: [
    "Your manager has agreed your new working pattern, so I am closing this request now.",
    "Your manager could not agree the pattern you asked for, but has agreed a 3-month trial of set shifts. I am closing this request now.",
  ],
  retire_return: [
    "You have agreed a partial retirement date with your employer, so I am closing this request now.",
    "You have joined the reservist bank, so I am closing this request now.",
  ],
  general: [
    "We have given you the information and contacts you asked for, so I am closing this request now.",
    "You are now getting the support you asked for, so I am closing this request now.",
  ],
};

const CLOSING_FOOTER = "You can ask for support again at any time.";

const WITHDRAW_REASONS = ["I have sorted this out myself, thank you.", "I no longer need this.", "I have got help elsewhere."];

const PHONE_NOTES = [
  "Agreed to book an assessment for next week.",
  "Happy to be contacted by email from now on.",
  "Sent the information we talked about by email after the call.",
];

const NO_RESPONSE_MESSAGES = [
  "we have not heard back from you, so we are closing this request for now.",
  "we have tried to get in touch a few times without reaching you, so we are closing this request for now.",
];

const DECLINE_REPLIES = [
  "Thank you, but I have decided not to go ahead for now.",
  "Things have settled down, so I do not need this any more. Thank you for your help.",
  "I have talked it over at home and I would rather not take this further at the moment.",
];

const NOT_ELIGIBLE_MESSAGES: Record<FormKind, readonly string[]> = {
  financial: [
    "Citizens Advice have looked at your situation. The grant you asked about is only for people on a lower income, so you cannot get it, but I have sent you details of the other help they talked about.",
  ],
  psychological: [
    "after your assessment, the practitioner thinks you need longer-term specialist support than the hub can give. Please see your GP, who can refer you. I have sent you a letter to take with you.",
  ],
  physiotherapy: [
    "the staff physiotherapy service cannot treat this, as it needs a specialist assessment. Please see your GP, who can refer you to the right clinic.",
  ],
  flexible_working: [
    "you already have an agreed flexible working arrangement that started less than a year ago, so your employer's policy asks you to wait before making a new request. I have sent you the policy and what you can do in the meantime.",
  ],
  retire_return: [
    "your pension scheme does not let you take partial retirement yet, as you are under the minimum age. I have sent you the NHS Pensions guidance so you can plan ahead.",
  ],
  general: [
    "we have looked at your request, and unfortunately this support is not available for your role. I have sent you details of other support you may be able to get.",
  ],
};

const REFERRED_ON_CLOSING: Record<FormKind, readonly string[]> = {
  financial: ["Citizens Advice are now helping you directly, so I am closing this request now."],
  psychological: ["You are now seeing the service we referred you to, so I am closing this request now. If things get harder again, please ask for help."],
  physiotherapy: ["You are now being seen by the service we referred you to, so I am closing this request now."],
  flexible_working: ["Your request is now with your manager, who will give you their decision, so I am closing this request now."],
  retire_return: ["The pensions team are now helping you directly, so I am closing this request now."],
  general: ["The team we referred you to are now helping you directly, so I am closing this request now."],
};

const GOOD_COMMENTS = [
  "Really helpful, thank you. I felt listened to.",
  "Quick to get back to me and very kind.",
  "I did not know this support existed. Thank you.",
  "It made a real difference at a hard time.",
  "Easy to ask, and I got a call within a couple of days.",
];

const MIDDLING_COMMENTS = [
  "Helpful in the end, but it took a while to get going.",
  "OK, but I had to explain things more than once.",
];

const POOR_COMMENTS = [
  "I waited longer than I expected for a first call.",
  "It was not really what I needed.",
  "I found it hard to get hold of anyone.",
];
