// The demo seed: complete, valid, idempotent, and leaves the reference allocator consistent.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows } from "@db/client";
import {
  cannedResponses,
  organisationDomains,
  organisations,
  referenceCounters,
  requestAccessLog,
  requestEvents,
  supportOffers,
  supportRequests,
  teamMembers,
  teams,
  users,
} from "@db/schema";
import { DEMO_STAFF_WITH_HISTORY, planPastRequests, seedDemoData, type SeedResult } from "@db/seed";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, GENERATED_COORDINATORS } from "@db/seed-data/accounts";
import { CORE_OFFER_SLUGS, SEED_OFFERS } from "@db/seed-data/offers";
import { SEED_ORGANISATIONS } from "@db/seed-data/organisations";
import { SEED_TEAMS } from "@db/seed-data/teams";
import { DEMO_STAY_CONVERSATIONS, DEMO_STAY_KEY_PREFIX } from "@db/demo-seed/stay-conversations";
import { verifyPassword } from "~/.server/auth/password.server";
import { loadReservistInsights } from "~/.server/models/reservist-insights.server";
import type { Figure } from "~/lib/insights/types";
import { HUB_TRANSITIONS, isCloseOutcome, OPEN_STATUSES } from "~/lib/request-status";
import { computeDueAt, isOverdue, type Pause } from "~/lib/working-days";
import { STAFF_GROUP_VALUES } from "~/lib/staff-groups";
import { pointAdjective } from "~/lib/check-ins";
import { answersSchemaFor, commonSchema, isUrgent } from "~/schemas/request-forms";
import { asCurrentUser } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();
const db = () => database().db;
const NOW = new Date("2026-03-16T10:30:00Z");

let first: SeedResult;
let second: SeedResult;
let countsAfterFirst: Record<string, number>;

async function tableCounts() {
  const [row] = await queryRows<Record<string, number | string>>(
    db(),
    sql`select
      (select count(*) from organisations) as organisations,
      (select count(*) from organisation_domains) as domains,
      (select count(*) from support_offers) as offers,
      (select count(*) from users) as users,
      (select count(*) from support_requests) as requests,
      (select count(*) from request_events) as events,
      (select count(*) from request_access_log) as access_log,
      (select count(*) from teams) as teams,
      (select count(*) from team_members) as team_members,
      (select count(*) from canned_responses) as canned_responses,
      (select count(*) from reference_counters) as counters,
      (select coalesce(sum(last), 0) from reference_counters) as counter_total`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

/** offer id → ids of the members of the team that handles it. */
async function offerTeamMembers(): Promise<Map<number, Set<string>>> {
  const rows = await db()
    .select({ offerId: supportOffers.id, userId: teamMembers.userId })
    .from(supportOffers)
    .leftJoin(teamMembers, eq(teamMembers.teamId, supportOffers.teamId));
  const out = new Map<number, Set<string>>();
  for (const r of rows) {
    const set = out.get(r.offerId) ?? new Set<string>();
    if (r.userId) set.add(r.userId);
    out.set(r.offerId, set);
  }
  return out;
}

async function userId(email: string) {
  const [u] = await db().select({ id: users.id }).from(users).where(eq(users.email, email));
  return u!.id;
}

beforeAll(async () => {
  first = await seedDemoData(db(), { now: NOW });
  countsAfterFirst = await tableCounts();
  second = await seedDemoData(db(), { now: NOW });
}, 180_000);

describe("seedDemoData", () => {
  it("reports what the first run inserted and that the second inserted nothing", async () => {
    expect(first.created).toBe(true);
    // 300 generated requests, and 3 of the demo staff member's own.
    expect(first.inserted).toMatchObject({
      organisations: 8,
      domains: 8,
      teams: 7,
      accounts: 10,
      coordinators: 4,
      requests: 303,
      stayConversations: DEMO_STAY_CONVERSATIONS,
    });
    expect(first.inserted.offers).toBeGreaterThanOrEqual(12);
    expect(first.inserted.teamMembers).toBe(4 + 1 + 2 + 2 + 1 + 1 + 1 + 1 + 1);
    // A few dozen reservists (issue 14 part 2).
    expect(first.inserted.reservists).toBeGreaterThanOrEqual(24);
    expect(first.inserted.cannedResponses).toBeGreaterThanOrEqual(2 * first.inserted.offers);
    expect(first.inserted.accessLog).toBeGreaterThan(first.inserted.requests);
    // No time limit here: timed tests fail on a busy machine and prove nothing (the seed's cost is
    // read from `npm run bench` and the start-up log).
    console.log(`[seed] first run ${first.durationMs} ms, second ${second.durationMs} ms`, first.inserted);
    expect(second.created).toBe(false);
    expect(Object.values(second.inserted).every((n) => n === 0)).toBe(true);
    expect(await tableCounts()).toEqual(countsAfterFirst);
  });

  it("posts reservist needs over earlier months, so the ICS manager sees needs posted and places filled", async () => {
    const [manager] = await db().select().from(users).where(eq(users.email, "manager@icb.staywell.test"));
    const page = await loadReservistInsights(asCurrentUser(manager!), NOW);
    const needs = page.published!.needs;
    const shown = (f: Figure) => !f.suppressed && f.value! > 0;
    // Before the fix every month read 0 or * (all demo needs were posted in the last few weeks).
    expect(needs.rows.filter((r) => shown(r.posted)).length).toBeGreaterThanOrEqual(3);
    expect(needs.rows.filter((r) => shown(r.filled)).length).toBeGreaterThanOrEqual(3);
    expect(shown(needs.posted) && shown(needs.filled)).toBe(true);
  });

  it("gives every organisation its staff by staff group, adding up to its headcount (ADR 036)", async () => {
    const rows = await queryRows<{ headcount: number; groups: number; staff: number }>(
      db(),
      sql`select o.headcount, count(g.staff_group)::int as groups, coalesce(sum(g.headcount), 0)::int as staff
            from organisations o left join organisation_staff_group_headcounts g on g.organisation_id = o.id
           group by o.id, o.headcount`,
    );
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.groups).toBe(STAFF_GROUP_VALUES.length);
      expect(r.staff).toBe(r.headcount);
    }
  });

  it("creates the 8 partner organisations with their email domains", async () => {
    const rows = await db()
      .select({
        slug: organisations.slug,
        type: organisations.type,
        headcount: organisations.headcount,
        domain: organisationDomains.domain,
      })
      .from(organisations)
      .innerJoin(organisationDomains, eq(organisationDomains.organisationId, organisations.id));
    expect(new Set(rows.map((r) => r.slug)).size).toBe(8);
    const domainOf = Object.fromEntries(rows.map((r) => [r.domain, r.slug]));
    expect(domainOf).toMatchObject({
      "uhnm.staywell.test": "uhnm",
      "mpft.staywell.test": "mpft",
      "combined.staywell.test": "combined",
      "icb.staywell.test": "icb",
    });
    for (const o of SEED_ORGANISATIONS) for (const d of o.domains) expect(domainOf[d]).toBe(o.slug);
    expect(new Set(rows.map((r) => r.type))).toEqual(
      new Set(["nhs_trust", "council", "care_provider", "gp_practice", "icb"]),
    );
    expect(rows.find((r) => r.slug === "uhnm")!.headcount).toBeGreaterThan(10_000);
  });

  it("creates at least 12 active offers including the five core offers", async () => {
    const offers = await db().select().from(supportOffers).where(eq(supportOffers.active, true));
    expect(offers.length).toBeGreaterThanOrEqual(12);
    const bySlug = Object.fromEntries(offers.map((o) => [o.slug, o]));
    for (const slug of CORE_OFFER_SLUGS) expect(bySlug[slug], slug).toBeDefined();
    expect(bySlug["financial-wellbeing"]).toMatchObject({ formKind: "financial", sensitive: false });
    expect(bySlug["financial-wellbeing"]!.provider).toContain("Citizens Advice");
    expect(bySlug["psychological-wellbeing-hub"]).toMatchObject({ formKind: "psychological", sensitive: true });
    expect(bySlug["physiotherapy"]).toMatchObject({ formKind: "physiotherapy", sensitive: true });
    expect(bySlug["flexible-working"]).toMatchObject({ formKind: "flexible_working" });
    expect(bySlug["retire-and-return"]).toMatchObject({ formKind: "retire_return" });
    for (const o of offers) {
      expect(o.body, o.slug).not.toMatch(/<[a-z]|[*#_]{2}/i); // plain text, no HTML or Markdown
      expect(o.firstContactTargetDays).toBeGreaterThan(0);
    }
  });

  it("never overwrites an offer an administrator has changed", async () => {
    await db()
      .update(supportOffers)
      .set({ title: "Changed by an admin" })
      .where(eq(supportOffers.slug, "physiotherapy"));
    await seedDemoData(db(), { now: NOW });
    const [offer] = await db().select().from(supportOffers).where(eq(supportOffers.slug, "physiotherapy"));
    expect(offer!.title).toBe("Changed by an admin");
  });

  it("creates the eight demo accounts (two administrators: the two-person rule), whose password verifies; the UHNM manager sees UHNM only", async () => {
    const rows = await db().select().from(users).where(eq(users.isDemo, false));
    const byEmail = Object.fromEntries(rows.map((u) => [u.email, u]));
    const roles = { staff: 0, coordinator: 0, manager: 0, admin: 0 };
    for (const a of DEMO_ACCOUNTS) {
      const u = byEmail[a.email];
      expect(u, a.email).toBeDefined();
      expect(u!.role).toBe(a.role);
      expect(u!.emailVerifiedAt).not.toBeNull();
      expect(await verifyPassword(u!.passwordHash, DEMO_PASSWORD)).toBe(true);
      roles[a.role]++;
    }
    expect(roles).toEqual({ staff: 2, coordinator: 4, manager: 2, admin: 2 });
    const [org] = await db()
      .select({ id: organisations.id, slug: organisations.slug })
      .from(organisations)
      .where(eq(organisations.id, byEmail["staff@uhnm.staywell.test"]!.organisationId));
    expect(org!.slug).toBe("uhnm");
    expect(byEmail["manager@uhnm.staywell.test"]!.managesOrganisationId).toBe(org!.id);
    expect(byEmail["manager@icb.staywell.test"]!.managesOrganisationId).toBeNull();
  });

  it("generates staff who can never sign in, at their organisation's domain", async () => {
    const staff = await db()
      .select({
        email: users.email,
        passwordHash: users.passwordHash,
        staffGroup: users.staffGroup,
        startDate: users.startDate,
        role: users.role,
      })
      .from(users)
      .where(and(eq(users.isDemo, true), eq(users.role, "staff")));
    expect(staff.length).toBeGreaterThan(100);
    for (const s of staff) {
      expect(s.email).toMatch(/^[a-z]+\.[a-z]+\.\d+@[a-z]+\.staywell\.test$/);
      expect(s.passwordHash).toBe("!");
      expect(s.role).toBe("staff");
      expect(STAFF_GROUP_VALUES as readonly string[]).toContain(s.staffGroup);
    }
    expect(await verifyPassword("!", DEMO_PASSWORD)).toBe(false);
    // The generated hub colleagues cannot sign in either.
    const colleagues = await db()
      .select()
      .from(users)
      .where(and(eq(users.isDemo, true), eq(users.role, "coordinator")));
    expect(colleagues.map((c) => c.email).sort()).toEqual(GENERATED_COORDINATORS.map((c) => c.email).sort());
    for (const c of colleagues) expect(c.passwordHash).toBe("!");
    expect(new Set(staff.map((s) => s.staffGroup)).size).toBeGreaterThanOrEqual(6);
    const tenureYears = staff.map((s) => (NOW.getTime() - Date.parse(s.startDate)) / (365.25 * 86_400_000));
    expect(tenureYears.some((t) => t < 1)).toBe(true);
    expect(tenureYears.some((t) => t > 5)).toBe(true);
  });

  it("generates a year of requests across every offer, organisation and status", async () => {
    const requests = await db()
      .select({
        reference: supportRequests.reference,
        offerId: supportRequests.offerId,
        organisationId: supportRequests.organisationId,
        requesterOrg: users.organisationId,
        isDemo: users.isDemo,
        email: users.email,
        status: supportRequests.status,
        urgent: supportRequests.urgent,
        submittedAt: supportRequests.submittedAt,
        closedAt: supportRequests.closedAt,
        contactMethod: supportRequests.contactMethod,
        contactPhone: supportRequests.contactPhone,
      })
      .from(supportRequests)
      .innerJoin(users, eq(users.id, supportRequests.requesterId))
      // The three years of closed demo stay conversations have their own test below.
      .where(sql`${supportRequests.submissionKey} not like ${DEMO_STAY_KEY_PREFIX + "%"}`);
    expect(requests.length).toBeGreaterThanOrEqual(250);
    for (const r of requests) {
      expect(r.reference).toMatch(/^SW-\d{4}-\d{5}$/);
      expect(r.reference.slice(3, 7)).toBe(String(r.submittedAt.getUTCFullYear()));
      expect(r.organisationId).toBe(r.requesterOrg);
      expect(r.isDemo).toBe(r.email !== DEMO_STAFF_WITH_HISTORY);
      expect(r.submittedAt.getTime()).toBeLessThan(NOW.getTime());
      expect(r.submittedAt.getTime()).toBeGreaterThan(NOW.getTime() - 366 * 86_400_000);
      expect(r.closedAt !== null).toBe(r.status === "closed" || r.status === "withdrawn");
      if (r.contactMethod === "phone") expect(r.contactPhone).toMatch(/^07700 900\d{3}$/);
    }
    expect(new Set(requests.map((r) => r.reference)).size).toBe(requests.length);

    const offers = await db().select({ id: supportOffers.id }).from(supportOffers);
    const orgs = await db().select({ id: organisations.id }).from(organisations);
    const offersUsed = new Set(requests.map((r) => r.offerId));
    const orgsUsed = new Set(requests.map((r) => r.organisationId));
    for (const o of offers) expect(offersUsed.has(o.id)).toBe(true);
    for (const o of orgs) expect(orgsUsed.has(o.id)).toBe(true);

    const statuses = new Set(requests.map((r) => r.status));
    expect(statuses.size).toBeGreaterThanOrEqual(5);
    for (const s of ["new", "in_progress", "closed", "withdrawn"] as const) expect(statuses.has(s), s).toBe(true);
    expect(requests.some((r) => r.urgent)).toBe(true);
    // Older requests are mostly closed, recent ones mostly open.
    const old = requests.filter((r) => NOW.getTime() - r.submittedAt.getTime() > 90 * 86_400_000);
    const recent = requests.filter((r) => NOW.getTime() - r.submittedAt.getTime() < 7 * 86_400_000);
    expect(old.filter((r) => r.status === "closed").length / old.length).toBeGreaterThan(0.6);
    expect(recent.filter((r) => r.status === "closed").length).toBe(0);
  });

  it("adds three years of closed stay conversations with their answers, first contact and retention outcome", async () => {
    const rows = await queryRows<{
      status: string;
      submitted_at: Date | string;
      closed_at: Date | string | null;
      first_contact_at: Date | string | null;
      retention_outcome: string | null;
      is_demo: boolean;
      slug: string;
      answers: number;
    }>(
      db(),
      sql`select r.status, r.submitted_at, r.closed_at, r.first_contact_at, r.retention_outcome, u.is_demo, o.slug,
                 (select count(*)::int from stay_conversation_answers a where a.request_id = r.id) as answers
            from support_requests r
            join users u on u.id = r.requester_id
            join support_offers o on o.id = r.offer_id
           where r.submission_key like ${DEMO_STAY_KEY_PREFIX + "%"}`,
    );
    expect(rows).toHaveLength(DEMO_STAY_CONVERSATIONS);
    const day = 86_400_000;
    for (const r of rows) {
      expect(r.slug).toBe("thinking-of-leaving");
      expect(r.status).toBe("closed");
      expect(r.is_demo).toBe(true);
      expect(r.retention_outcome).not.toBeNull();
      expect(r.answers).toBeGreaterThanOrEqual(3);
      expect(new Date(r.closed_at!).getTime()).toBeLessThan(NOW.getTime());
      expect(new Date(r.submitted_at).getTime()).toBeGreaterThan(NOW.getTime() - 3 * 366 * day);
    }
    // Spread over the three years, about 40 in the last twelve months.
    const lastYear = rows.filter((r) => new Date(r.submitted_at).getTime() > NOW.getTime() - 365 * day).length;
    expect(lastYear).toBeGreaterThanOrEqual(25);
    expect(lastYear).toBeLessThanOrEqual(60);
    // Most contacted; most stayed or moved within the ICS.
    expect(rows.filter((r) => r.first_contact_at !== null).length / rows.length).toBeGreaterThan(0.8);
    const kept = rows.filter((r) =>
      ["stayed_in_role", "moved_within_organisation", "moved_to_ics_organisation"].includes(r.retention_outcome!),
    ).length;
    expect(kept / rows.length).toBeGreaterThan(0.5);
  });

  it("gives every request a history that starts with its submission and ends in its status", async () => {
    const requests = await db()
      .select({
        id: supportRequests.id,
        status: supportRequests.status,
        submittedAt: supportRequests.submittedAt,
        requesterId: supportRequests.requesterId,
      })
      .from(supportRequests);
    const events = await db()
      .select()
      .from(requestEvents)
      .orderBy(asc(requestEvents.requestId), asc(requestEvents.createdAt), asc(requestEvents.id));
    const byRequest = new Map<number, typeof events>();
    for (const e of events) byRequest.set(e.requestId, [...(byRequest.get(e.requestId) ?? []), e]);
    const teamOf = await offerTeamMembers();
    const offerOf = new Map(
      (await db().select({ id: supportRequests.id, offerId: supportRequests.offerId }).from(supportRequests)).map(
        (r) => [r.id, r.offerId],
      ),
    );
    for (const r of requests) {
      const team = teamOf.get(offerOf.get(r.id)!)!;
      const history = byRequest.get(r.id) ?? [];
      expect(history[0]).toMatchObject({ kind: "submitted", visibleToRequester: true, actorId: r.requesterId });
      expect(history[0]!.createdAt.getTime()).toBe(r.submittedAt.getTime());
      expect(history.filter((e) => e.kind === "submitted")).toHaveLength(1);
      for (const e of history) {
        expect(e.createdAt.getTime()).toBeGreaterThanOrEqual(r.submittedAt.getTime());
        expect(e.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
        // The person, or a coordinator of the offer's team (who is never the person).
        if (e.actorId !== r.requesterId) expect(team.has(e.actorId!), `${e.kind} by ${e.actorId}`).toBe(true);
        if (["submitted", "message_from_staff", "withdrawn"].includes(e.kind)) expect(e.actorId).toBe(r.requesterId);
        if (["assigned", "message_to_staff", "internal_note"].includes(e.kind))
          expect(e.actorId).not.toBe(r.requesterId);
        if (e.kind === "message_to_staff") expect(e.visibleToRequester).toBe(true);
        if (e.kind === "internal_note") expect(e.visibleToRequester).toBe(false);
      }
      let status = "new";
      for (const e of history.filter((e) => e.kind === "status_changed" || e.kind === "withdrawn")) {
        expect(e.data).toMatchObject({ from: status });
        const to = (e.data as { to: string }).to;
        // Coordinators move requests along the hub's state machine; the person only withdraws, or
        // takes a request off "waiting on staff" by replying.
        if (e.actorId === r.requesterId)
          expect([`${status}>withdrawn`, "waiting_on_staff>in_progress"]).toContain(`${status}>${to}`);
        else expect(HUB_TRANSITIONS[status as keyof typeof HUB_TRANSITIONS], `${status} → ${to}`).toContain(to);
        status = (e.data as { to: string }).to;
      }
      expect(status).toBe(r.status);
    }
  });

  it("creates the hub teams, each offer handled by exactly one of them", async () => {
    const rows = await db()
      .select({ team: teams.slug, offer: supportOffers.slug })
      .from(supportOffers)
      .innerJoin(teams, eq(teams.id, supportOffers.teamId));
    // The Reservist bank team handles no offer: it posts needs (ADR 040).
    expect(new Set(rows.map((r) => r.team))).toEqual(
      new Set(SEED_TEAMS.filter((t) => t.offers.length > 0).map((t) => t.slug)),
    );
    expect(rows).toHaveLength(new Set(rows.map((r) => r.offer)).size); // one team per offer (team_id is one column)
    const teamOf = Object.fromEntries(rows.map((r) => [r.offer, r.team]));
    for (const t of SEED_TEAMS) for (const offer of t.offers) expect(teamOf[offer], offer).toBe(t.slug);
    for (const o of SEED_OFFERS) expect(teamOf[o.slug], o.slug).toBeDefined();
    expect(teamOf["psychological-wellbeing-hub"]).toBe("psychological-wellbeing");
    expect(teamOf["physiotherapy"]).toBe("msk-occupational-health");
  });

  it("puts the demo coordinator in every team but the psychological hub, and the psych coordinator only there", async () => {
    const rows = await db()
      .select({ email: users.email, team: teams.slug, role: users.role })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .innerJoin(teams, eq(teams.id, teamMembers.teamId));
    const teamsOf = (email: string) => new Set(rows.filter((r) => r.email === email).map((r) => r.team));
    expect(teamsOf("coordinator@icb.staywell.test")).toEqual(
      new Set(
        SEED_TEAMS.map((t) => t.slug).filter(
          (slug) => slug !== "psychological-wellbeing" && slug !== "retention-careers" && slug !== "reservist-bank",
        ),
      ),
    );
    expect(teamsOf("reservists.coordinator@icb.staywell.test")).toEqual(new Set(["reservist-bank"]));
    expect(teamsOf("psych.coordinator@icb.staywell.test")).toEqual(new Set(["psychological-wellbeing"]));
    expect(teamsOf("retention.coordinator@icb.staywell.test")).toEqual(new Set(["retention-careers"]));
    for (const r of rows) expect(r.role).toBe("coordinator");
    // Every team has at least two people, so assignment and the digest have colleagues.
    for (const t of SEED_TEAMS) expect(rows.filter((r) => r.team === t.slug).length, t.slug).toBeGreaterThanOrEqual(2);
    // Nobody else: staff, managers and administrators are in no team.
    for (const email of [
      "staff@uhnm.staywell.test",
      "staff2@mpft.staywell.test",
      "manager@icb.staywell.test",
      "admin@icb.staywell.test",
    ]) {
      expect(teamsOf(email).size, email).toBe(0);
    }
  });

  it("gives every offer canned responses, 2 or 3 for each core offer", async () => {
    const rows = await db()
      .select({
        slug: supportOffers.slug,
        title: cannedResponses.title,
        body: cannedResponses.body,
        sortOrder: cannedResponses.sortOrder,
      })
      .from(cannedResponses)
      .innerJoin(supportOffers, eq(supportOffers.id, cannedResponses.offerId));
    for (const slug of CORE_OFFER_SLUGS) {
      const mine = rows.filter((r) => r.slug === slug);
      expect(mine.length, slug).toBeGreaterThanOrEqual(2);
      expect(mine.length, slug).toBeLessThanOrEqual(3);
      expect(new Set(mine.map((r) => r.sortOrder)).size).toBe(mine.length);
    }
    for (const o of SEED_OFFERS)
      expect(
        rows.some((r) => r.slug === o.slug),
        o.slug,
      ).toBe(true);
    expect(rows.find((r) => r.slug === "financial-wellbeing")!.body).toContain("Citizens Advice");
    for (const r of rows) {
      expect(r.body.length).toBeLessThanOrEqual(2000); // fits the hub's message limit
      expect(r.body).not.toMatch(/<[a-z]|[*#_]{2}|\{/i); // plain text, no placeholders left
    }
  });

  it("keeps the hub's fields consistent with each request's history", async () => {
    const requests = await db()
      .select({
        id: supportRequests.id,
        reference: supportRequests.reference,
        offerId: supportRequests.offerId,
        sensitive: supportOffers.sensitive,
        targetDays: supportOffers.firstContactTargetDays,
        requesterId: supportRequests.requesterId,
        status: supportRequests.status,
        submittedAt: supportRequests.submittedAt,
        dueAt: supportRequests.dueAt,
        firstContactAt: supportRequests.firstContactAt,
        pausedAt: supportRequests.pausedAt,
        closedAt: supportRequests.closedAt,
        closeOutcome: supportRequests.closeOutcome,
        assigneeId: supportRequests.assigneeId,
        rating: supportRequests.satisfactionRating,
        comment: supportRequests.satisfactionComment,
        ratedAt: supportRequests.ratedAt,
        version: supportRequests.version,
        updatedAt: supportRequests.updatedAt,
      })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId));
    const events = await db().select().from(requestEvents).orderBy(asc(requestEvents.createdAt), asc(requestEvents.id));
    const access = await db()
      .select()
      .from(requestAccessLog)
      .orderBy(asc(requestAccessLog.createdAt), asc(requestAccessLog.id));
    const eventsOf = new Map<number, typeof events>();
    for (const e of events) eventsOf.set(e.requestId, [...(eventsOf.get(e.requestId) ?? []), e]);
    const accessOf = new Map<number, typeof access>();
    for (const a of access) accessOf.set(a.requestId, [...(accessOf.get(a.requestId) ?? []), a]);
    const teamOf = await offerTeamMembers();
    const open = new Set<string>(OPEN_STATUSES);
    const nameOf = new Map(
      (await db().select({ id: users.id, name: users.name }).from(users)).map((u) => [u.id, u.name]),
    );

    let contacted = 0;
    let withinTarget = 0;
    let overdueNow = 0;
    let unassignedOpen = 0;
    let closed = 0;
    let rated = 0;
    const outcomes = new Set<string>();
    for (const r of requests) {
      const history = eventsOf.get(r.id)!;
      const log = accessOf.get(r.id) ?? [];
      const team = teamOf.get(r.offerId)!;
      const to = (e: (typeof history)[number]) => (e.data as { to?: string } | null)?.to;
      expect(r.dueAt).not.toBeNull();
      expect(r.dueAt.getTime()).toBeGreaterThan(r.submittedAt.getTime());
      // Due: the offer's target in working days, pushed back by every finished wait on staff.
      const pauses: Pause[] = [];
      let pauseFrom: Date | null = null;
      for (const e of history.filter((e) => e.kind === "status_changed")) {
        const { from, to } = e.data as { from: string; to: string };
        if (to === "waiting_on_staff") pauseFrom = e.createdAt;
        else if (from === "waiting_on_staff" && pauseFrom) {
          pauses.push({ from: pauseFrom, to: e.createdAt });
          pauseFrom = null;
        }
      }
      expect(r.dueAt.getTime(), r.reference).toBe(
        computeDueAt({ submittedAt: r.submittedAt, targetDays: r.targetDays, pauses, now: NOW }).dueAt.getTime(),
      );

      // First contact: the first message to the person or move to in progress.
      const contact = history.find(
        (e) => e.kind === "message_to_staff" || (e.kind === "status_changed" && to(e) === "in_progress"),
      );
      expect(r.firstContactAt?.getTime() ?? null, r.reference).toBe(contact?.createdAt.getTime() ?? null);
      if (r.firstContactAt) {
        expect(r.firstContactAt.getTime()).toBeGreaterThanOrEqual(r.submittedAt.getTime());
        contacted++;
        if (r.firstContactAt.getTime() <= r.dueAt.getTime()) withinTarget++;
      }
      if (r.status === "new" || r.status === "triaged") expect(r.firstContactAt).toBeNull();

      // Paused exactly while waiting on staff, since the move there.
      expect(r.pausedAt !== null, r.reference).toBe(r.status === "waiting_on_staff");
      if (r.pausedAt)
        expect(r.pausedAt.getTime()).toBe(
          [...history]
            .reverse()
            .find((e) => to(e) === "waiting_on_staff")!
            .createdAt.getTime(),
        );

      // Closing: an outcome and a time; withdrawn: a time but no outcome.
      if (r.status === "closed") {
        closed++;
        expect(isCloseOutcome(r.closeOutcome), r.reference).toBe(true);
        outcomes.add(r.closeOutcome!);
        const closing = [...history].reverse().find((e) => to(e) === "closed")!;
        expect(r.closedAt!.getTime()).toBe(closing.createdAt.getTime());
        expect(closing.data).toMatchObject({ outcome: r.closeOutcome });
      } else {
        expect(r.closeOutcome).toBeNull();
      }
      expect(r.closedAt !== null).toBe(r.status === "closed" || r.status === "withdrawn");

      // Assignee: a member of the offer's team, never the person who asked; the last assignment.
      if (r.assigneeId) {
        expect(team.has(r.assigneeId), r.reference).toBe(true);
        expect(r.assigneeId).not.toBe(r.requesterId);
        expect(
          ([...history].reverse().find((e) => e.kind === "assigned")!.data as { assigneeId: string }).assigneeId,
        ).toBe(r.assigneeId);
      } else {
        expect(history.some((e) => e.kind === "assigned")).toBe(false);
      }
      for (const e of history.filter((e) => e.kind === "assigned")) {
        // As assignHubRequest records it: hub-only, with the assignee's name and who had it before.
        expect(e.visibleToRequester).toBe(false);
        const data = e.data as { assigneeId: string; assigneeName: string; previousAssigneeId: string | null };
        expect(data.assigneeName).toBe(nameOf.get(data.assigneeId));
        expect(data).toHaveProperty("previousAssigneeId");
      }
      if (open.has(r.status) && !r.assigneeId) unassignedOpen++;
      if (
        open.has(r.status) &&
        isOverdue({ dueAt: r.dueAt, firstContactAt: r.firstContactAt, now: NOW, paused: r.pausedAt !== null })
      ) {
        overdueNow++;
      }

      // Ratings only on closed requests, 1 to 5, after closing and before now.
      if (r.rating !== null) {
        rated++;
        expect(r.status).toBe("closed");
        expect(r.rating).toBeGreaterThanOrEqual(1);
        expect(r.rating).toBeLessThanOrEqual(5);
        expect(r.ratedAt!.getTime()).toBeGreaterThanOrEqual(r.closedAt!.getTime());
        expect(r.ratedAt!.getTime()).toBeLessThanOrEqual(NOW.getTime());
      } else {
        expect(r.comment).toBeNull();
        expect(r.ratedAt).toBeNull();
      }

      // One version per change: every event after the submission, except the status change a reply makes.
      const changes = history.filter(
        (e) => e.kind !== "submitted" && !(e.kind === "status_changed" && e.actorId === r.requesterId),
      );
      expect(r.version, r.reference).toBe(changes.length + 1);
      expect(r.updatedAt.getTime()).toBe(history[history.length - 1]!.createdAt.getTime());

      // Every hub change is in the access log, by whoever made it, at the time; views only of sensitive requests.
      const expected = history
        .filter((e) => e.actorId !== r.requesterId)
        .map((e) => ({
          actorId: e.actorId,
          at: e.createdAt.getTime(),
          action: {
            assigned: "assigned",
            status_changed: "status_changed",
            message_to_staff: "messaged",
            internal_note: "noted",
          }[e.kind as string],
        }));
      expect(
        log
          .filter((a) => a.action !== "viewed")
          .map((a) => ({ actorId: a.actorId, at: a.createdAt.getTime(), action: a.action })),
      ).toEqual(expected);
      const views = log.filter((a) => a.action === "viewed");
      if (!r.sensitive) expect(views).toHaveLength(0);
      else if (expected.length > 0) expect(views.length).toBeGreaterThan(0);
      for (const a of log) {
        expect(team.has(a.actorId)).toBe(true);
        expect(a.createdAt.getTime()).toBeGreaterThan(r.submittedAt.getTime());
        expect(a.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      }
      expect(history.some((e) => e.kind === "viewed")).toBe(false); // views are in the access log, not the timeline
    }

    // Realistic figures for the queue, the digest and the insights reports.
    const rate = withinTarget / contacted;
    console.log(
      `[seed] ${contacted} contacted, ${(rate * 100).toFixed(1)}% within target; ${overdueNow} overdue and ${unassignedOpen} unassigned open; ${rated}/${closed} closed rated; outcomes ${[...outcomes].join(", ")}`,
    );
    expect(rate).toBeGreaterThan(0.75);
    expect(rate).toBeLessThan(0.95);
    expect(overdueNow).toBeGreaterThanOrEqual(3);
    expect(unassignedOpen).toBeGreaterThanOrEqual(3);
    expect(rated / closed).toBeGreaterThan(0.35);
    expect(rated / closed).toBeLessThan(0.65);
    expect(outcomes).toEqual(new Set(["support_given", "referred_on", "declined", "no_response", "not_eligible"]));
    // Both demo coordinators look after some requests, and so do their colleagues.
    const assignees = new Set(requests.map((r) => r.assigneeId));
    for (const email of [
      "coordinator@icb.staywell.test",
      "psych.coordinator@icb.staywell.test",
      ...GENERATED_COORDINATORS.map((c) => c.email),
    ]) {
      expect(assignees.has(await userId(email)), email).toBe(true);
    }
  });

  it("records that whoever worked on a request saw it, and keeps only a few recent replies unseen by their assignee (docs/decisions/018)", async () => {
    // Every hub user who wrote an event on a request has seen it at or after their latest event.
    const [{ missing }] = (await queryRows<{ missing: number }>(
      db(),
      sql`select count(*)::int as missing from (
        select e.actor_id, e.request_id, max(e.created_at) as last_at
        from request_events e join support_requests r on r.id = e.request_id
        where e.actor_id <> r.requester_id and e.kind::text <> 'viewed'
        group by e.actor_id, e.request_id
      ) w
      where not exists (select 1 from request_reads rr where rr.user_id = w.actor_id and rr.request_id = w.request_id and rr.seen_at >= w.last_at)`,
    )) as [{ missing: number }];
    expect(missing).toBe(0);
    const [{ later }] = (await queryRows<{ later: number }>(
      db(),
      sql`select count(*)::int as later from request_reads where seen_at > ${NOW.toISOString()}::timestamptz`,
    )) as [{ later: number }];
    expect(later).toBe(0);

    // The person's activity their assignee has not seen: a few open requests whose last word is a reply.
    const unseen = await queryRows<{ reference: string; status: string; email: string; lastKind: string }>(
      db(),
      sql`select r.reference, r.status::text as status, u.email,
          (select e.kind::text from request_events e where e.request_id = r.id and e.actor_id = r.requester_id
             and e.kind::text in ('message_from_staff', 'withdrawn', 'consent_withdrawn', 'consent_given')
             order by e.created_at desc limit 1) as "lastKind"
        from support_requests r join users u on u.id = r.assignee_id
        where r.last_requester_activity_at is not null
          and not exists (select 1 from request_reads rr where rr.user_id = r.assignee_id and rr.request_id = r.id and rr.seen_at >= r.last_requester_activity_at)`,
    );
    expect(unseen.length).toBeGreaterThanOrEqual(2);
    expect(unseen.length).toBeLessThanOrEqual(3);
    for (const u of unseen) {
      expect(OPEN_STATUSES as readonly string[], u.reference).toContain(u.status);
      expect(u.lastKind, u.reference).toBe("message_from_staff");
    }
    // The sign-in coordinators have something to show.
    expect(
      unseen.some(
        (u) => u.email === "coordinator@icb.staywell.test" || u.email === "psych.coordinator@icb.staywell.test",
      ),
    ).toBe(true);
  });

  it("gives the demo staff member a closed and rated, an in-progress and a waiting request, and staff2 none", async () => {
    const me = await userId(DEMO_STAFF_WITH_HISTORY);
    const mine = await db()
      .select({
        id: supportRequests.id,
        status: supportRequests.status,
        rating: supportRequests.satisfactionRating,
        slug: supportOffers.slug,
      })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId))
      .where(eq(supportRequests.requesterId, me));
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.map((r) => r.status).sort()).toEqual(["closed", "in_progress", "waiting_on_staff"]);
    expect(mine.find((r) => r.status === "closed")!.rating).not.toBeNull();
    const inProgress = mine.find((r) => r.status === "in_progress")!;
    const messages = await db()
      .select({ body: requestEvents.body })
      .from(requestEvents)
      .where(
        and(
          eq(requestEvents.requestId, inProgress.id),
          eq(requestEvents.kind, "message_to_staff"),
          eq(requestEvents.visibleToRequester, true),
        ),
      );
    expect(messages.length).toBeGreaterThan(0);
    const staff2 = await db()
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(eq(supportRequests.requesterId, await userId("staff2@mpft.staywell.test")));
    expect(staff2).toHaveLength(0);
    // No coordinator has a request of their own (they never act on one).
    const coordinators = await db().select({ id: users.id }).from(users).where(eq(users.role, "coordinator"));
    const own = await db()
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(
        inArray(
          supportRequests.requesterId,
          coordinators.map((c) => c.id),
        ),
      );
    expect(own).toHaveLength(0);
  });

  it("never puts back a team membership or a canned response an administrator removed", async () => {
    const coordinator = await userId("coordinator@icb.staywell.test");
    const [financial] = await db().select({ id: teams.id }).from(teams).where(eq(teams.slug, "financial-wellbeing"));
    await db()
      .delete(teamMembers)
      .where(and(eq(teamMembers.userId, coordinator), eq(teamMembers.teamId, financial!.id)));
    const [offer] = await db()
      .select({ id: supportOffers.id })
      .from(supportOffers)
      .where(eq(supportOffers.slug, "physiotherapy"));
    const [canned] = await db()
      .select({ id: cannedResponses.id })
      .from(cannedResponses)
      .where(eq(cannedResponses.offerId, offer!.id))
      .limit(1);
    await db().delete(cannedResponses).where(eq(cannedResponses.id, canned!.id));
    const before = await tableCounts();
    const again = await seedDemoData(db(), { now: NOW });
    expect(again.created).toBe(false);
    expect(await tableCounts()).toEqual(before);
    const back = await db()
      .select()
      .from(teamMembers)
      .where(and(eq(teamMembers.userId, coordinator), eq(teamMembers.teamId, financial!.id)));
    expect(back).toHaveLength(0);
  });

  it("leaves reference_counters at the highest number used in each year", async () => {
    const maxima = await queryRows<{ year: number; max: number }>(
      db(),
      sql`select substr(reference, 4, 4)::int as year, max(substr(reference, 9)::int) as max
          from support_requests group by 1 order by 1`,
    );
    const counters = await db().select().from(referenceCounters).orderBy(asc(referenceCounters.year));
    expect(maxima.length).toBeGreaterThanOrEqual(2); // the year before NOW and NOW's year
    expect(counters.map((c) => ({ year: c.year, last: c.last }))).toEqual(
      maxima.map((m) => ({ year: Number(m.year), last: Number(m.max) })),
    );
    // The live allocator carries on after the seeded references.
    const year = NOW.getUTCFullYear();
    const [next] = await queryRows<{ last: number }>(
      db(),
      sql`insert into reference_counters(year, last) values (${year}, 1)
          on conflict (year) do update set last = reference_counters.last + 1 returning last`,
    );
    expect(Number(next!.last)).toBe(Number(maxima.find((m) => Number(m.year) === year)!.max) + 1);
  });

  it("gives answers of the right shape for each form kind", async () => {
    const all = await db()
      .select({
        formKind: supportOffers.formKind,
        answers: supportRequests.answers,
        urgent: supportRequests.urgent,
        submissionKey: supportRequests.submissionKey,
      })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId));
    // Requests made by first-year check-ins carry the check-in's coded answers, as answerCheckIn
    // writes them (ADR 039): not a form's answers. The rest are the forms'.
    const fromCheckIns = all.filter((r) => r.submissionKey.startsWith("check-in:"));
    expect(fromCheckIns.length).toBeGreaterThan(0);
    for (const r of fromCheckIns) {
      const a = r.answers as { details?: string; checkIn?: Record<string, unknown> };
      expect(r.urgent).toBe(false);
      expect(Object.keys(a.checkIn ?? {}).sort()).toEqual([
        "hasWhatNeeded",
        "point",
        "supportedScore",
        "thinkingOfLeaving",
        "workScore",
      ]);
      expect(r.formKind).toBe(a.checkIn!.thinkingOfLeaving === "yes" ? "thinking_of_leaving" : "general");
      if (r.formKind === "general")
        expect(a.details).toBe(`Asked through the ${pointAdjective(String(a.checkIn!.point))} first-year check-in`);
    }
    const rows = all.filter((r) => !r.submissionKey.startsWith("check-in:"));
    const kinds = new Set(rows.map((r) => r.formKind));
    expect(kinds).toEqual(
      new Set([
        "financial",
        "psychological",
        "physiotherapy",
        "flexible_working",
        "retire_return",
        "general",
        "thinking_of_leaving",
      ]),
    );
    for (const { formKind, answers, urgent } of rows) {
      const a = answers as Record<string, unknown>;
      if (formKind === "financial") expect(urgent).toBe((a.urgentSituations as string[]).length > 0);
      else if (formKind === "psychological") expect(urgent).toBe(a.safety === "at_risk");
      // A stay conversation from someone who may leave within a month is urgent (ADR 034).
      else if (formKind === "thinking_of_leaving") expect(urgent).toBe(a.howSoon === "within_month");
      else expect(urgent).toBe(false);
      if (formKind === "general") expect(Object.keys(a)).toEqual(["details"]);
    }

    // Every request is valid by the request forms' own schemas, as of the moment it was submitted
    // (a flexible working start date must not be in the past on the day the form is sent).
    const full = await db()
      .select({
        formKind: supportOffers.formKind,
        answers: supportRequests.answers,
        submittedAt: supportRequests.submittedAt,
        contactMethod: supportRequests.contactMethod,
        contactPhone: supportRequests.contactPhone,
        contactTimes: supportRequests.contactTimes,
        consentToShareWithManager: supportRequests.consentToShareWithManager,
        submissionKey: supportRequests.submissionKey,
        urgent: supportRequests.urgent,
      })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId));
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      for (const r of full.filter((f) => !f.submissionKey.startsWith("check-in:"))) {
        vi.setSystemTime(r.submittedAt);
        const answers = answersSchemaFor(r.formKind).safeParse(r.answers);
        expect(answers.success, `${r.formKind}: ${JSON.stringify(r.answers)} ${JSON.stringify(answers.error)}`).toBe(
          true,
        );
        const common = commonSchema.safeParse({
          contactMethod: r.contactMethod,
          contactPhone: r.contactPhone ?? undefined,
          contactTimes: r.contactTimes ?? undefined,
          consentToShareWithManager: r.consentToShareWithManager,
          submissionKey: r.submissionKey,
        });
        expect(common.success, JSON.stringify(common.error)).toBe(true);
        expect(r.urgent, `${r.formKind} ${JSON.stringify(r.answers)}`).toBe(isUrgent(r.formKind, r.answers));
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("plans the same data for the same moment (seeded PRNG)", () => {
    const input = {
      now: NOW,
      count: 50,
      seed: 1,
      orgs: SEED_ORGANISATIONS.map((o, i) => ({
        id: i + 1,
        slug: o.slug,
        name: o.name,
        shortName: o.shortName,
        type: o.type,
        headcount: o.headcount,
        domain: o.domains[0]!,
        version: 1,
        createdAt: NOW,
        updatedAt: NOW,
      })),
      offers: CORE_OFFER_SLUGS.map((slug, i) => ({
        id: i + 1,
        slug,
        formKind: "general" as const,
        firstContactTargetDays: 5,
        sensitive: i % 2 === 0,
        coordinatorIds: [`c${i}`, "c-shared"],
      })),
      demoStaff: { email: "me@uhnm.staywell.test", firstName: "Sam", organisationId: 1 },
    };
    const plan = planPastRequests(input);
    expect(plan).toEqual(planPastRequests(input));
    expect(plan.requests.filter((r) => r.requesterEmail === "me@uhnm.staywell.test")).toHaveLength(3);
    expect(planPastRequests({ ...input, seed: 2 })).not.toEqual(plan);
  });
});
