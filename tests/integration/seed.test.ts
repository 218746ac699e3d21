// The demo seed: complete, valid, idempotent, and leaves the reference allocator consistent.
import { asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows } from "@db/client";
import {
  organisationDomains,
  organisations,
  referenceCounters,
  requestEvents,
  supportOffers,
  supportRequests,
  users,
} from "@db/schema";
import { planPastRequests, seedDemoData, type SeedResult } from "@db/seed";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@db/seed-data/accounts";
import { CORE_OFFER_SLUGS } from "@db/seed-data/offers";
import { SEED_ORGANISATIONS } from "@db/seed-data/organisations";
import { verifyPassword } from "~/.server/auth/password.server";
import { STAFF_GROUP_VALUES } from "~/lib/staff-groups";
import { answersSchemaFor, commonSchema, isUrgent } from "~/schemas/request-forms";
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
      (select count(*) from reference_counters) as counters,
      (select coalesce(sum(last), 0) from reference_counters) as counter_total`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

beforeAll(async () => {
  first = await seedDemoData(db(), { now: NOW });
  countsAfterFirst = await tableCounts();
  second = await seedDemoData(db(), { now: NOW });
}, 60_000);

describe("seedDemoData", () => {
  it("reports what the first run inserted and that the second inserted nothing", async () => {
    expect(first.created).toBe(true);
    expect(first.inserted).toMatchObject({ organisations: 8, domains: 8, accounts: 5, requests: 300 });
    expect(first.inserted.offers).toBeGreaterThanOrEqual(12);
    expect(second.created).toBe(false);
    expect(Object.values(second.inserted).every((n) => n === 0)).toBe(true);
    expect(await tableCounts()).toEqual(countsAfterFirst);
  });

  it("creates the 8 partner organisations with their email domains", async () => {
    const rows = await db()
      .select({ slug: organisations.slug, type: organisations.type, headcount: organisations.headcount, domain: organisationDomains.domain })
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
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(["nhs_trust", "council", "care_provider", "gp_practice", "icb"]));
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
    await db().update(supportOffers).set({ title: "Changed by an admin" }).where(eq(supportOffers.slug, "physiotherapy"));
    await seedDemoData(db(), { now: NOW });
    const [offer] = await db().select().from(supportOffers).where(eq(supportOffers.slug, "physiotherapy"));
    expect(offer!.title).toBe("Changed by an admin");
  });

  it("creates the five demo accounts, whose password verifies", async () => {
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
    expect(roles).toEqual({ staff: 2, coordinator: 1, manager: 1, admin: 1 });
    const [org] = await db()
      .select({ slug: organisations.slug })
      .from(organisations)
      .where(eq(organisations.id, byEmail["staff@uhnm.staywell.test"]!.organisationId));
    expect(org!.slug).toBe("uhnm");
  });

  it("generates staff who can never sign in, at their organisation's domain", async () => {
    const staff = await db()
      .select({ email: users.email, passwordHash: users.passwordHash, staffGroup: users.staffGroup, startDate: users.startDate, role: users.role })
      .from(users)
      .where(eq(users.isDemo, true));
    expect(staff.length).toBeGreaterThan(100);
    for (const s of staff) {
      expect(s.email).toMatch(/^[a-z]+\.[a-z]+\.\d+@[a-z]+\.staywell\.test$/);
      expect(s.passwordHash).toBe("!");
      expect(s.role).toBe("staff");
      expect(STAFF_GROUP_VALUES as readonly string[]).toContain(s.staffGroup);
    }
    expect(await verifyPassword("!", DEMO_PASSWORD)).toBe(false);
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
        status: supportRequests.status,
        urgent: supportRequests.urgent,
        submittedAt: supportRequests.submittedAt,
        closedAt: supportRequests.closedAt,
        contactMethod: supportRequests.contactMethod,
        contactPhone: supportRequests.contactPhone,
      })
      .from(supportRequests)
      .innerJoin(users, eq(users.id, supportRequests.requesterId));
    expect(requests.length).toBeGreaterThanOrEqual(250);
    for (const r of requests) {
      expect(r.reference).toMatch(/^SW-\d{4}-\d{5}$/);
      expect(r.reference.slice(3, 7)).toBe(String(r.submittedAt.getUTCFullYear()));
      expect(r.organisationId).toBe(r.requesterOrg);
      expect(r.isDemo).toBe(true);
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

  it("gives every request a history that starts with its submission and ends in its status", async () => {
    const requests = await db()
      .select({ id: supportRequests.id, status: supportRequests.status, submittedAt: supportRequests.submittedAt, requesterId: supportRequests.requesterId })
      .from(supportRequests);
    const events = await db().select().from(requestEvents).orderBy(asc(requestEvents.requestId), asc(requestEvents.createdAt), asc(requestEvents.id));
    const byRequest = new Map<number, typeof events>();
    for (const e of events) byRequest.set(e.requestId, [...(byRequest.get(e.requestId) ?? []), e]);
    const [coordinator] = await db().select({ id: users.id }).from(users).where(eq(users.email, "coordinator@icb.staywell.test"));
    for (const r of requests) {
      const history = byRequest.get(r.id) ?? [];
      expect(history[0]).toMatchObject({ kind: "submitted", visibleToRequester: true, actorId: r.requesterId });
      expect(history[0]!.createdAt.getTime()).toBe(r.submittedAt.getTime());
      expect(history.filter((e) => e.kind === "submitted")).toHaveLength(1);
      for (const e of history) {
        expect(e.createdAt.getTime()).toBeGreaterThanOrEqual(r.submittedAt.getTime());
        expect(e.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
        expect([r.requesterId, coordinator!.id]).toContain(e.actorId);
        if (e.kind === "message_to_staff") expect(e.visibleToRequester).toBe(true);
        if (e.kind === "internal_note") expect(e.visibleToRequester).toBe(false);
      }
      let status = "new";
      for (const e of history.filter((e) => e.kind === "status_changed" || e.kind === "withdrawn")) {
        expect(e.data).toMatchObject({ from: status });
        status = (e.data as { to: string }).to;
      }
      expect(status).toBe(r.status);
    }
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
    const rows = await db()
      .select({ formKind: supportOffers.formKind, answers: supportRequests.answers, urgent: supportRequests.urgent })
      .from(supportRequests)
      .innerJoin(supportOffers, eq(supportOffers.id, supportRequests.offerId));
    const kinds = new Set(rows.map((r) => r.formKind));
    expect(kinds).toEqual(new Set(["financial", "psychological", "physiotherapy", "flexible_working", "retire_return", "general"]));
    for (const { formKind, answers, urgent } of rows) {
      const a = answers as Record<string, unknown>;
      if (formKind === "financial") expect(urgent).toBe((a.urgentSituations as string[]).length > 0);
      else if (formKind === "psychological") expect(urgent).toBe(a.safety === "at_risk");
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
      for (const r of full) {
        vi.setSystemTime(r.submittedAt);
        const answers = answersSchemaFor(r.formKind).safeParse(r.answers);
        expect(answers.success, `${r.formKind}: ${JSON.stringify(r.answers)} ${JSON.stringify(answers.error)}`).toBe(true);
        const common = commonSchema.safeParse({
          contactMethod: r.contactMethod,
          contactPhone: r.contactPhone ?? undefined,
          contactTimes: r.contactTimes ?? undefined,
          consentToShareWithManager: r.consentToShareWithManager,
          submissionKey: r.submissionKey,
        });
        expect(common.success, JSON.stringify(common.error)).toBe(true);
        expect(r.urgent).toBe(isUrgent(r.formKind, r.answers));
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
        id: i + 1, slug: o.slug, name: o.name, type: o.type, headcount: o.headcount, domain: o.domains[0]!,
        createdAt: NOW, updatedAt: NOW,
      })),
      offers: CORE_OFFER_SLUGS.map((slug, i) => ({ id: i + 1, slug, formKind: "general" as const, firstContactTargetDays: 5 })),
    };
    expect(planPastRequests(input)).toEqual(planPastRequests(input));
  });
});
