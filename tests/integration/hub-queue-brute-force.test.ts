// The people hub's counts and pages against a brute-force computation from the raw tables
// (docs/decisions/021 and its addendum, ADR 009 pins). Adversarial data: requests pinned to a team
// whose offer belongs to another of the caller's teams or to the caller's own team, requests of the
// caller's team's offer pinned AWAY to another team, the caller's own requests (pinned and not),
// other teams' sensitive requests, a team with pinned requests and no offer of its own, more than
// HUB_COUNT_CAP finished rows, and ties in every sort time. For each caller and each filter, every
// status count (countHubQueue without a scope, hubQueuePageExtras with one) and every page walk
// (forward with the cursor, and back) must equal what the rule computes row by row.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  requestReads,
  supportOffers,
  supportRequests,
  teamMembers,
  type RequestStatus,
  type SupportOffer,
  type Team,
} from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import { countHubQueue, hubQueuePageExtras, listHubQueue } from "~/.server/models/hub-queue.server";
import { HUB_COUNT_CAP, type HubQueueCountFilters, type HubStatusFilter } from "~/schemas/hub-queue";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { insertRequestsInBulk, type NewSupportRequest } from "../helpers/bulk-requests";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

type Req = typeof supportRequests.$inferSelect;

const NOW = new Date("2026-06-10T12:00:00Z");
const DAY = 24 * 3_600_000;
const OPEN: RequestStatus[] = ["new", "triaged", "in_progress", "waiting_on_staff", "referred"];
const ALL_STATUSES: RequestStatus[] = [...OPEN, "closed", "withdrawn"];

let c: TestUser, m: TestUser, d: TestUser, p: TestUser, e: TestUser, staff1: TestUser, staff2: TestUser;
let teamC: Team, teamD: Team, teamP: Team, teamE: Team;
let cOffer: SupportOffer, c2Offer: SupportOffer, dOffer: SupportOffer, psychOffer: SupportOffer;
let org2Id: number;
let rows: Req[];
let offerTeam: Map<number, number>;
let offerSlug: Map<number, string>;
let teamsOf: Map<string, Set<number>>;
let pinnedRef: string;
/** "userId:requestId" → seen_at */
let seen: Map<string, Date>;

function visibleTo(caller: TestUser, r: Req): boolean {
  if (r.requesterId === caller.id) return false;
  const teams = teamsOf.get(caller.id) ?? new Set<number>();
  return r.pinnedTeamId !== null ? teams.has(r.pinnedTeamId) : teams.has(offerTeam.get(r.offerId)!);
}

function searchMatches(q: string, ref: string): boolean {
  const text = q.trim().toUpperCase().replace(/\s+/g, "");
  const full = /^(?:SW-?)?(\d{4})-(\d{1,9})$/.exec(text);
  if (full && !(full[2]!.length < 5 && full[2]!.startsWith("0")))
    return ref === `SW-${full[1]}-${String(Number(full[2])).padStart(5, "0")}`;
  if (/^\d{1,9}$/.test(text)) return ref.split("-")[2] === String(Number(text)).padStart(5, "0");
  return ref.startsWith(text);
}

const isOverdue = (r: Req) =>
  OPEN.includes(r.status) && !r.firstContactAt && !r.pausedAt && r.dueAt.getTime() < NOW.getTime();

function matches(caller: TestUser, f: HubQueueCountFilters, r: Req): boolean {
  if (!visibleTo(caller, r)) return false;
  if (f.offer && offerSlug.get(r.offerId) !== f.offer) return false;
  if (f.organisation && r.organisationId !== f.organisation) return false;
  const assignee = f.view === "mine" ? "me" : f.assignee;
  if (assignee === "me" && r.assigneeId !== caller.id) return false;
  if (assignee === "unassigned" && r.assigneeId !== null) return false;
  if (f.overdue && !isOverdue(r)) return false;
  if (f.urgent && !r.urgent) return false;
  if (f.q && !searchMatches(f.q, r.reference)) return false;
  return true;
}

function expectedCounts(caller: TestUser, f: HubQueueCountFilters) {
  const out: Record<string, number> = { open: 0 };
  for (const s of ALL_STATUSES) out[s] = 0;
  for (const r of rows) if (matches(caller, f, r)) out[r.status]! += 1;
  for (const s of OPEN) out.open! += out[s]!;
  const cap = (n: number) => Math.min(n, HUB_COUNT_CAP + 1);
  out.closed = cap(out.closed!);
  out.withdrawn = cap(out.withdrawn!);
  out.all = cap(out.open! + out.closed + out.withdrawn);
  return out;
}

function rankOf(r: Req): number {
  if ((r.priority === "at_risk" || r.priority === "safety_check") && !r.firstContactAt) return 0;
  if (!r.firstContactAt && !r.pausedAt && r.dueAt.getTime() < NOW.getTime()) return 1;
  return 2;
}

/** The page order of a status view, computed in JavaScript. */
function expectedList(caller: TestUser, f: HubQueueCountFilters, status: HubStatusFilter): string[] {
  const statusOk = (r: Req) =>
    status === "all" ? true : status === "open" ? OPEN.includes(r.status) : r.status === status;
  const list = rows.filter((r) => matches(caller, f, r) && statusOk(r));
  if (status === "all") list.sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime() || b.id - a.id);
  else if (status === "closed" || status === "withdrawn")
    list.sort((a, b) => b.closedAt!.getTime() - a.closedAt!.getTime() || b.id - a.id);
  else {
    const time = (r: Req) => (rankOf(r) === 0 ? r.submittedAt : r.dueAt).getTime();
    list.sort((a, b) => rankOf(a) - rankOf(b) || time(a) - time(b) || a.id - b.id);
  }
  return list.map((r) => r.reference);
}

/** Walks every page forward, then back from the last page to the first; returns both orders. */
async function walk(caller: CurrentUser, f: HubQueueCountFilters, status: HubStatusFilter, pageSize: number) {
  const filters = { ...f, status };
  const pages: string[][] = [];
  let page = await listHubQueue(caller, filters, NOW, { pageSize });
  pages.push(page.items.map((i) => i.reference));
  let guard = 0;
  while (page.nextCursor && guard++ < 100) {
    page = await listHubQueue(caller, { ...filters, cursor: page.nextCursor }, NOW, { pageSize });
    pages.push(page.items.map((i) => i.reference));
  }
  const back: string[][] = [pages[pages.length - 1]!];
  guard = 0;
  while (page.prevCursor && guard++ < 100) {
    page = await listHubQueue(caller, { ...filters, cursor: page.prevCursor }, NOW, { pageSize });
    back.unshift(page.items.map((i) => i.reference));
  }
  return { forward: pages.flat(), back: back.flat(), pages: pages.length };
}

beforeAll(async () => {
  const org1 = await createOrganisation();
  const org2 = await createOrganisation();
  org2Id = org2.id;
  c = await createUser({ role: "coordinator", organisationId: org1.id, name: "Coordinator C" });
  m = await createUser({ role: "coordinator", organisationId: org2.id, name: "Coordinator M (C and psych)" });
  d = await createUser({ role: "coordinator", organisationId: org1.id, name: "Coordinator D" });
  p = await createUser({ role: "coordinator", organisationId: org1.id, name: "Coordinator P (psych)" });
  e = await createUser({ role: "coordinator", organisationId: org2.id, name: "Coordinator E (no offers)" });
  staff1 = await createUser({ role: "staff", organisationId: org1.id });
  staff2 = await createUser({ role: "staff", organisationId: org2.id });
  teamC = await createTeam({ name: "BF team C", members: [c.id, m.id] });
  teamD = await createTeam({ name: "BF team D", members: [d.id] });
  teamP = await createTeam({ name: "BF psychological hub", members: [p.id, m.id] });
  teamE = await createTeam({ name: "BF team E", members: [e.id] });
  cOffer = await createOffer({ teamId: teamC.id, sensitive: false, title: "BF C offer" });
  c2Offer = await createOffer({ teamId: teamC.id, sensitive: false, title: "BF C second offer" });
  dOffer = await createOffer({ teamId: teamD.id, sensitive: true, title: "BF D offer" });
  psychOffer = await createOffer({ teamId: teamP.id, sensitive: true, title: "BF psychological offer" });

  // [offer, pinned team, how many]
  const groups: [SupportOffer, Team | null, number][] = [
    [cOffer, null, 1300],
    [dOffer, teamC, 850], // D's offer now; kept by C
    [cOffer, teamD, 60], // C's offer, but these stayed with D: not C's
    [c2Offer, teamP, 40], // C's second offer, kept by the psychological hub
    [psychOffer, null, 120],
    [psychOffer, teamC, 25], // sensitive, kept by C
    [dOffer, null, 110],
    [dOffer, teamE, 35], // E's only requests: E's team has no offer
  ];
  const requesters = [staff1, staff2, staff1, staff2, c, staff1, m, staff2, d, p, e, staff1, staff2];
  const assignees = [null, c.id, null, d.id, m.id, null, p.id, e.id, null];
  const values: NewSupportRequest[] = [];
  let serial = 0;
  let submitted = NOW.getTime() - 20 * DAY;
  for (const [offer, pinned, n] of groups) {
    for (let i = 0; i < n; i++) {
      serial += 1;
      const requester = requesters[(serial * 7) % requesters.length]!;
      const k = serial % 20;
      const status: RequestStatus = k < 11 ? "closed" : k < 14 ? "withdrawn" : OPEN[(serial * 3) % OPEN.length]!;
      const finished = status === "closed" || status === "withdrawn";
      // Every third row shares the previous row's submission time; ids break the ties.
      if (serial % 3 !== 0) submitted -= 37_000;
      const overdue = !finished && serial % 4 === 0;
      const atRisk = serial % 23 === 0;
      values.push({
        reference: `SW-2026-${String(serial).padStart(5, "0")}`,
        requesterId: requester.id,
        organisationId: serial % 5 === 0 ? org2.id : requester.organisationId,
        staffGroup: requester.staffGroup,
        tenureBand: "1_to_2",
        offerId: offer.id,
        status,
        priority: atRisk ? (serial % 2 ? "at_risk" : "safety_check") : serial % 11 === 0 ? "urgent" : "normal",
        urgent: serial % 7 === 0,
        answers: { details: "Test" },
        contactMethod: "email",
        submissionKey: `bf-${serial}`,
        submittedAt: new Date(submitted),
        // Due times and closing times repeat (ties in every view's sort).
        dueAt: overdue
          ? new Date(NOW.getTime() - ((serial % 9) + 1) * DAY)
          : new Date(NOW.getTime() + (serial % 6) * DAY),
        firstContactAt: overdue || atRisk ? null : new Date(submitted + DAY),
        pausedAt: !finished && !overdue && serial % 13 === 0 ? new Date(NOW.getTime() - DAY) : null,
        closedAt: finished ? new Date(NOW.getTime() - (serial % 40) * DAY) : null,
        closeOutcome: status === "closed" ? "support_given" : null,
        assigneeId: assignees[serial % assignees.length]!,
        pinnedTeamId: pinned?.id ?? null,
        lastRequesterActivityAt: serial % 3 === 1 ? new Date(NOW.getTime() - (serial % 5) * DAY) : null,
      });
    }
  }
  // One bulk load (the insight rollup trigger stands aside, the rollups are rebuilt after it): the
  // trigger cost ~2 ms of CPU a row on PGlite, and nothing here reads the rollups.
  await insertRequestsInBulk(getDb(), values, 400);

  rows = await getDb().select().from(supportRequests);
  const offers = await getDb().select().from(supportOffers);
  offerTeam = new Map(offers.map((o) => [o.id, o.teamId]));
  offerSlug = new Map(offers.map((o) => [o.id, o.slug]));
  teamsOf = new Map();
  for (const tm of await getDb().select().from(teamMembers)) {
    if (!teamsOf.has(tm.userId)) teamsOf.set(tm.userId, new Set());
    teamsOf.get(tm.userId)!.add(tm.teamId);
  }
  // The coordinators have opened some requests with activity: after it (seen) or before it (new again).
  const reads: (typeof requestReads.$inferInsert)[] = [];
  for (const r of rows) {
    if (!r.lastRequesterActivityAt || r.id % 2 !== 0) continue;
    const shift = (r.id % 4 === 0 ? 1 : -1) * 3_600_000;
    for (const user of [c, m, e])
      reads.push({ userId: user.id, requestId: r.id, seenAt: new Date(r.lastRequesterActivityAt.getTime() + shift) });
  }
  for (let i = 0; i < reads.length; i += 400)
    await getDb()
      .insert(requestReads)
      .values(reads.slice(i, i + 400));
  seen = new Map(reads.map((x) => [`${x.userId}:${x.requestId}`, x.seenAt!]));
  pinnedRef = rows.find((r) => r.pinnedTeamId === teamC.id && r.requesterId !== c.id)!.reference;
}, 120_000);

const BASE: HubQueueCountFilters = { assignee: "anyone", overdue: false, urgent: false };

function filterSets(): [string, HubQueueCountFilters][] {
  return [
    ["none", BASE],
    ["offer C", { ...BASE, offer: cOffer.slug }],
    ["offer C2", { ...BASE, offer: c2Offer.slug }],
    ["offer D", { ...BASE, offer: dOffer.slug }],
    ["offer psych", { ...BASE, offer: psychOffer.slug }],
    ["organisation 2", { ...BASE, organisation: org2Id }],
    ["assigned to me", { ...BASE, assignee: "me" }],
    ["unassigned", { ...BASE, assignee: "unassigned" }],
    ["overdue", { ...BASE, overdue: true }],
    ["urgent", { ...BASE, urgent: true }],
    ["q exact pinned", { ...BASE, q: pinnedRef.toLowerCase() }],
    ["q number", { ...BASE, q: "42" }],
    ["q prefix", { ...BASE, q: "SW-2026-01" }],
    ["q short prefix", { ...BASE, q: "sw-2026-000" }],
    ["urgent + org 2", { ...BASE, urgent: true, organisation: org2Id }],
    ["unassigned + offer D", { ...BASE, assignee: "unassigned", offer: dOffer.slug }],
    ["overdue + offer C", { ...BASE, overdue: true, offer: cOffer.slug }],
    ["me + prefix", { ...BASE, assignee: "me", q: "SW-2026-0" }],
  ];
}

describe("hub counts and pages equal a brute-force computation from the raw tables", () => {
  it("has the adversarial shapes it claims (sanity)", () => {
    const closedC = rows.filter((r) => visibleTo(c, r) && r.status === "closed");
    expect(closedC.length).toBeGreaterThan(HUB_COUNT_CAP);
    expect(closedC.filter((r) => r.pinnedTeamId === null).length).toBeLessThan(HUB_COUNT_CAP);
    expect(closedC.filter((r) => r.pinnedTeamId !== null).length).toBeLessThan(HUB_COUNT_CAP);
    expect(rows.some((r) => r.requesterId === c.id && r.pinnedTeamId === teamC.id)).toBe(true);
    expect(rows.some((r) => r.requesterId === c.id && r.pinnedTeamId === null && r.offerId === cOffer.id)).toBe(true);
    // My work has all five codes for C: new activity on open and on finished requests, and none.
    const mine = rows.filter((r) => visibleTo(c, r) && r.assigneeId === c.id && r.lastRequesterActivityAt);
    expect(mine.some((r) => r.status === "closed" && !seen.has(`${c.id}:${r.id}`))).toBe(true);
    expect(mine.some((r) => OPEN.includes(r.status) && !seen.has(`${c.id}:${r.id}`))).toBe(true);
    expect(mine.some((r) => seen.has(`${c.id}:${r.id}`))).toBe(true);
  });

  const callers = () => [c, m, d, p, e, staff1] as const;

  it("counts: every caller, every filter, with and without a scope", async () => {
    const failures: string[] = [];
    for (const caller of callers()) {
      for (const [name, f] of filterSets()) {
        const want = expectedCounts(caller, f);
        const got = await countHubQueue(asCurrentUser(caller), f, NOW);
        const extras = await hubQueuePageExtras(asCurrentUser(caller), f, NOW);
        for (const key of Object.keys(want)) {
          const g = (got as Record<string, number>)[key];
          const x = (extras.counts as Record<string, number> | null)?.[key];
          if (g !== want[key] || x !== want[key])
            failures.push(`${caller.name} / ${name} / ${key}: want ${want[key]}, countHubQueue ${g}, extras ${x}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it("pages: every caller's walk, forward and back, equals the rule's rows in the rule's order", async () => {
    const failures: string[] = [];
    const statuses: HubStatusFilter[] = ["open", "closed", "withdrawn", "all", "referred"];
    for (const caller of [c, m, e]) {
      for (const [name, f] of filterSets()) {
        for (const status of statuses) {
          const want = expectedList(caller, f, status);
          // Big lists with big pages; small lists with small ones (more page boundaries, ties across them).
          const pageSize = want.length > 300 ? 250 : want.length > 60 ? 30 : 7;
          const got = await walk(asCurrentUser(caller), f, status, pageSize);
          const label = `${caller.name} / ${name} / ${status}`;
          if (JSON.stringify(got.forward) !== JSON.stringify(want))
            failures.push(`${label}: forward ${got.forward.length} rows, want ${want.length}`);
          if (JSON.stringify(got.back) !== JSON.stringify(want))
            failures.push(`${label}: back ${got.back.length} rows, want ${want.length}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it("My work: the caller's visible assignments in My work's order, forward and back", async () => {
    for (const caller of [c, m, e]) {
      const fresh = (r: Req) => {
        if (!r.lastRequesterActivityAt) return false;
        const at = seen.get(`${caller.id}:${r.id}`);
        return !at || at.getTime() < r.lastRequesterActivityAt.getTime();
      };
      const open = (r: Req) => OPEN.includes(r.status);
      const code = (r: Req) => (fresh(r) ? (open(r) ? 0 : 1) : 2 + rankOf(r));
      // Codes 0 and 1 newest activity first (id descending on a tie); the rest as the queue.
      const key = (r: Req): [number, number, number] =>
        code(r) < 2
          ? [code(r), -r.lastRequesterActivityAt!.getTime(), -r.id]
          : [code(r), (rankOf(r) === 0 ? r.submittedAt : r.dueAt).getTime(), r.id];
      for (const [name, f0] of filterSets()) {
        const f: HubQueueCountFilters = { ...f0, view: "mine" };
        const want = rows
          .filter((r) => matches(caller, f, r) && (open(r) || fresh(r)))
          .sort((a, b) => {
            const [x, y] = [key(a), key(b)];
            return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
          })
          .map((r) => r.reference);
        const got = await walk(asCurrentUser(caller), f, "open", 16);
        expect(got.forward, `${caller.name} / ${name}`).toEqual(want);
        expect(got.back, `${caller.name} / ${name} (back)`).toEqual(want);
      }
    }
  }, 300_000);
});
