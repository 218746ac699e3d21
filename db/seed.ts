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
//
// The parts live in db/demo-seed/ by subject (organisations, teams, offers, canned responses,
// accounts, requests and their plan); this file runs them in order, in one transaction. (Not
// db/seed/: next to db/seed.ts, a folder of that name makes tsx's ESM resolution of "./db/seed"
// fail with ERR_UNSUPPORTED_DIR_IMPORT.)
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { supportRequests, users } from "./schema";
import { SEED_ORGANISATIONS } from "./seed-data/organisations";
import { insertDemoAccounts, insertGeneratedCoordinators, prepareMissingAccounts } from "./demo-seed/accounts";
import { insertCannedResponses } from "./demo-seed/canned-responses";
import { insertOffers } from "./demo-seed/offers";
import { insertDemoStaffGroupHeadcounts, insertOrganisations } from "./demo-seed/organisations";
import { insertPastRequests } from "./demo-seed/requests";
import { insertTeamMemberships, insertTeams } from "./demo-seed/teams";

export { DEMO_STAFF_WITH_HISTORY } from "./seed-data/accounts";
export { planPastRequests } from "./demo-seed/request-plan";
import { insertDemoEsrLeavers, setDemoEsrCodes } from "./demo-seed/esr-leavers";
import { insertDemoLeavingResponses } from "./demo-seed/leaving-responses";
import { insertDemoCheckIns } from "./demo-seed/check-ins";
import { insertDemoReservists } from "./demo-seed/reservists";
import { insertDemoStayConversations } from "./demo-seed/stay-conversations";

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
    esrLeavers: number;
    leavingResponses: number;
    /** Demo first-year check-ins (ADR 039), once. */
    checkIns: number;
    /** Demo reservists (issue 14 part 2), once. */
    reservists: number;
    /** Closed demo stay conversations over three years (db/demo-seed/stay-conversations.ts). */
    stayConversations: number;
  };
  durationMs: number;
}

const SEED_LOCK_KEY = 7_240_301; // pg_advisory_xact_lock key: two seeds never interleave
const DEFAULT_PRNG_SEED = 20_260_101;

export async function seedDemoData(db: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const pastRequests = Math.max(0, Math.floor(options.pastRequests ?? 300));
  const log = options.log ?? (() => {});

  // Hash outside the transaction (argon2 is deliberately slow), and only for missing accounts.
  const missingAccounts = await prepareMissingAccounts(db);

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
      esrLeavers: 0,
      leavingResponses: 0,
      checkIns: 0,
      reservists: 0,
      stayConversations: 0,
    };

    // Organisations and their domains.
    const { orgBySlug, ...orgCounts } = await insertOrganisations(tx);
    counts.organisations = orgCounts.organisations;
    counts.domains = orgCounts.domains;
    // Their staff in post by staff group, adding up to each headcount (turnover by staff group, ADR 036).
    await insertDemoStaffGroupHeadcounts(tx, orgBySlug);

    // People hub teams, then the catalogue: insert missing ones only.
    const { teamIdBySlug, inserted: newTeams } = await insertTeams(tx);
    counts.teams = newTeams;
    counts.offers = await insertOffers(tx, teamIdBySlug);

    counts.accounts = await insertDemoAccounts(tx, missingAccounts, orgBySlug, now);
    counts.coordinators = await insertGeneratedCoordinators(tx, orgBySlug, now);
    counts.teamMembers = await insertTeamMemberships(tx, teamIdBySlug, now);
    counts.cannedResponses = await insertCannedResponses(tx, now);

    // ESR codes and three years of ESR leavers (docs/decisions/032), once.
    await setDemoEsrCodes(tx);
    counts.esrLeavers = await insertDemoEsrLeavers(tx, { now, adminEmail: "admin@icb.staywell.test" });
    // Questionnaire answers for the retention insights (ADR 036), once.
    counts.leavingResponses = await insertDemoLeavingResponses(tx, { now });

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
      // Three years of closed stay conversations by the generated staff, once (ADR 036).
      counts.stayConversations = await insertDemoStayConversations(tx, { now });
    }
    // Generated new starters and their first-year check-ins (ADR 039), once.
    if (pastRequests > 0) {
      counts.checkIns = await insertDemoCheckIns(tx, {
        now,
        seed: (options.seed ?? DEFAULT_PRNG_SEED) + 14,
        orgs: SEED_ORGANISATIONS.map((o) => ({ id: orgBySlug.get(o.slug)!.id, domain: o.domains[0]! })),
      });
    }
    // The reservist bank: a few dozen reservists (retire-and-return requesters first) and needs, once.
    counts.reservists = await insertDemoReservists(tx, {
      now,
      coordinatorEmail: "reservists.coordinator@icb.staywell.test",
    });
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
          `${inserted.requests} requests, ${inserted.events} request events, ${inserted.accessLog} access log rows, ${inserted.esrLeavers} ESR leavers, ${inserted.leavingResponses} leaving questionnaires, ${inserted.stayConversations} closed stay conversations, ${inserted.checkIns} first-year check-ins and ${inserted.reservists} reservists ` +
          `in ${durationMs} ms.`
      : `Demo data already present: nothing inserted (${durationMs} ms).`,
  );
  return { created, inserted, durationMs };
}
