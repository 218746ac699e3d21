// The people hub queue's visibility matrix: who sees which request in the list, the counts and the
// reference search; filters that cannot leak another team's requests; keyset pagination that
// returns every visible row once, in risk-then-overdue-then-due order (at-risk and safety-check
// requests not yet contacted first, oldest first: docs/decisions/012); overdue and urgent at a fixed `now`.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { supportRequests, type RequestPriority, type RequestStatus, type SupportOffer } from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import { countHubQueue, listHubQueue, type HubQueuePage } from "~/.server/models/hub-queue.server";
import * as queueRoute from "~/routes/hub._index";
import type { HubQueueFilters } from "~/schemas/hub-queue";
import {
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  asCurrentUser,
  type TestUser,
} from "../helpers/factories";
import { getRequest, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const DEFAULTS: HubQueueFilters = { status: "open", assignee: "anyone", overdue: false, urgent: false };
const OPEN: RequestStatus[] = ["new", "triaged", "in_progress", "waiting_on_staff", "referred"];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let refCounter = 0;
function nextReference() {
  refCounter += 1;
  return `SW-2026-${String(refCounter).padStart(5, "0")}`;
}

interface Made {
  id: number;
  reference: string;
  offerId: number;
  status: RequestStatus;
  urgent: boolean;
  priority: RequestPriority;
  dueAt: Date;
  firstContactAt: Date | null;
  pausedAt: Date | null;
  closedAt: Date | null;
  submittedAt: Date;
  assigneeId: string | null;
  organisationId: number;
}

async function makeRequest(input: {
  requester: TestUser;
  offer: SupportOffer;
  status?: RequestStatus;
  urgent?: boolean;
  priority?: RequestPriority;
  submittedAt?: Date;
  dueAt?: Date;
  firstContactAt?: Date | null;
  pausedAt?: Date | null;
  closedAt?: Date | null;
  assigneeId?: string | null;
  organisationId?: number;
}): Promise<Made> {
  const submittedAt = input.submittedAt ?? new Date("2026-03-02T10:00:00Z");
  const status = input.status ?? "new";
  const [row] = await getDb()
    .insert(supportRequests)
    .values({
      reference: nextReference(),
      requesterId: input.requester.id,
      organisationId: input.organisationId ?? input.requester.organisationId,
      staffGroup: input.requester.staffGroup,
      tenureBand: "1_to_2",
      offerId: input.offer.id,
      status,
      urgent: input.urgent ?? false,
      priority: input.priority ?? (input.urgent ? "urgent" : "normal"),
      answers: { details: "Test" },
      contactMethod: "email",
      submissionKey: `k-${refCounter}`,
      submittedAt,
      dueAt: input.dueAt ?? new Date(submittedAt.getTime() + 5 * DAY),
      firstContactAt: input.firstContactAt ?? null,
      pausedAt: input.pausedAt ?? null,
      closedAt:
        input.closedAt ??
        (status === "closed" || status === "withdrawn" ? new Date(submittedAt.getTime() + 10 * DAY) : null),
      closeOutcome: status === "closed" ? "support_given" : null,
      assigneeId: input.assigneeId ?? null,
    })
    .returning();
  return row as Made;
}

const asCaller = asCurrentUser;

type LoaderData = Awaited<ReturnType<typeof queueRoute.loader>>;

async function callLoader(user: TestUser, search = ""): Promise<LoaderData> {
  const cookie = await signInCookie(user.id);
  return queueRoute.loader({ request: getRequest(`/hub${search}`, { cookie }), params: {}, context: {} });
}

async function loaderStatus(user: TestUser): Promise<number> {
  try {
    await callLoader(user);
    return 200;
  } catch (err) {
    if (err instanceof Response) return err.status;
    throw err;
  }
}

/** Every row of a walk through the queue (forward with Next links). */
async function walk(caller: CurrentUser, filters: HubQueueFilters, now: Date) {
  const pages: HubQueuePage[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page = await listHubQueue(caller, { ...filters, cursor }, now);
    pages.push(page);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return pages;
}

describe("hub queue visibility matrix", () => {
  let a1: TestUser, a2: TestUser, b1: TestUser;
  let staff: TestUser, manager: TestUser, admin: TestUser, s1: TestUser, s2: TestUser;
  let aS: SupportOffer, aN: SupportOffer, bS: SupportOffer, bN: SupportOffer;
  const all: Made[] = [];
  let byA1: Made;
  const teamA = new Set<number>();

  beforeAll(async () => {
    const org = await createOrganisation();
    const org2 = await createOrganisation();
    [a1, a2, b1] = await Promise.all([
      createUser({ role: "coordinator", organisationId: org.id, name: "Coordinator A1" }),
      createUser({ role: "coordinator", organisationId: org.id, name: "Coordinator A2" }),
      createUser({ role: "coordinator", organisationId: org.id, name: "Coordinator B1" }),
    ]);
    [staff, manager, admin, s1, s2] = await Promise.all([
      createUser({ role: "staff", organisationId: org.id }),
      createUser({ role: "manager", organisationId: org.id }),
      createUser({ role: "admin", organisationId: org.id }),
      createUser({ role: "staff", organisationId: org.id }),
      createUser({ role: "staff", organisationId: org2.id }),
    ]);
    const teamAId = (await createTeam({ name: "Team A", members: [a1.id, a2.id] })).id;
    const teamBId = (await createTeam({ name: "Team B", members: [b1.id] })).id;
    aS = await createOffer({ teamId: teamAId, sensitive: true, title: "A sensitive offer" });
    aN = await createOffer({ teamId: teamAId, sensitive: false, title: "A open offer" });
    bS = await createOffer({ teamId: teamBId, sensitive: true, title: "B sensitive offer" });
    bN = await createOffer({ teamId: teamBId, sensitive: false, title: "B open offer" });
    teamA.add(aS.id).add(aN.id);

    for (const offer of [aS, aN, bS, bN]) {
      all.push(await makeRequest({ requester: s1, offer }));
      all.push(await makeRequest({ requester: s2, offer, status: "closed" }));
      all.push(
        await makeRequest({
          requester: s2,
          offer,
          status: "in_progress",
          urgent: true,
          firstContactAt: new Date("2026-03-03T10:00:00Z"),
        }),
      );
    }
    // A coordinator's own request for their own team's offer, and a B coordinator's for team A.
    byA1 = await makeRequest({ requester: a1, offer: aS });
    all.push(byA1);
    all.push(await makeRequest({ requester: b1, offer: aN }));
  });

  function visibleTo(who: TestUser, r: Made): boolean {
    if (r.id === byA1.id && who.id === a1.id) return false;
    const inA = teamA.has(r.offerId);
    if (who.id === a1.id || who.id === a2.id) return inA;
    return !inA && who.id === b1.id; // b1's own request is for team A's offer: invisible anyway
  }

  it("lists and counts exactly the caller's teams' requests, never their own", async () => {
    for (const who of [a1, a2, b1]) {
      const expected = all.filter((r) => visibleTo(who, r));
      const data = await callLoader(who, "?status=all");
      expect(data.items.map((i) => i.reference).sort()).toEqual(expected.map((r) => r.reference).sort());
      expect(data.counts!.all).toBe(expected.length);
      expect(data.counts!.closed).toBe(expected.filter((r) => r.status === "closed").length);
      expect(data.counts!.open).toBe(expected.filter((r) => OPEN.includes(r.status)).length);
      const open = await callLoader(who);
      expect(open.items.map((i) => i.reference).sort()).toEqual(
        expected
          .filter((r) => OPEN.includes(r.status))
          .map((r) => r.reference)
          .sort(),
      );
      // Nothing of anyone else's leaks into the page's data: no reference, no other team's offer.
      const json = JSON.stringify([data, open]);
      for (const r of all) if (!visibleTo(who, r)) expect(json).not.toContain(r.reference);
      const otherOffers = who.id === b1.id ? [aS, aN] : [bS, bN];
      for (const o of otherOffers) {
        expect(json).not.toContain(o.title);
        expect(json).not.toContain(o.slug);
      }
    }
    expect(all.filter((r) => visibleTo(a1, r))).toHaveLength(7);
    expect(all.filter((r) => visibleTo(a2, r))).toHaveLength(8);
    expect(all.filter((r) => visibleTo(b1, r))).toHaveLength(6);
  });

  it("finds a request by reference only for those who may see it (exact, lower case, number only)", async () => {
    for (const who of [a1, a2, b1]) {
      for (const r of all) {
        const visible = visibleTo(who, r);
        const number = r.reference.slice(-5);
        for (const q of [r.reference, r.reference.toLowerCase(), number, String(Number(number))]) {
          const page = await listHubQueue(asCaller(who), { ...DEFAULTS, status: "all", q });
          expect(
            page.items.map((i) => i.reference),
            `${who.name} q=${q}`,
          ).toEqual(visible ? [r.reference] : []);
          const counts = await countHubQueue(asCaller(who), { ...DEFAULTS, q });
          expect(counts.all).toBe(visible ? 1 : 0);
        }
      }
      // Through the route as well, with a prefix that matches every request of the file.
      const data = await callLoader(who, `?status=all&q=${encodeURIComponent("sw-2026-000")}`);
      expect(data.items.map((i) => i.reference).sort()).toEqual(
        all
          .filter((r) => visibleTo(who, r))
          .map((r) => r.reference)
          .sort(),
      );
    }
  });

  it("answers 403 to staff, managers and administrators who are in no team", async () => {
    expect(await loaderStatus(staff)).toBe(403);
    expect(await loaderStatus(manager)).toBe(403);
    expect(await loaderStatus(admin)).toBe(403);
    expect(await loaderStatus(s1)).toBe(403);
    expect(await loaderStatus(a1)).toBe(200);
  });

  it("an offer filter naming another team's offer shows nothing of theirs", async () => {
    for (const offer of [bS, bN]) {
      const data = await callLoader(a1, `?status=all&offer=${offer.slug}`);
      expect(data.items).toEqual([]);
      expect(data.counts!.all).toBe(0);
      expect(JSON.stringify(data)).not.toContain(offer.title);
    }
    // The caller's own offer narrows to that offer.
    const mine = await callLoader(a2, `?status=all&offer=${aN.slug}`);
    expect(mine.items.map((i) => i.reference).sort()).toEqual(
      all
        .filter((r) => r.offerId === aN.id)
        .map((r) => r.reference)
        .sort(),
    );
    // The offer choices are the caller's teams' offers only.
    expect(mine.options.offers.map((o) => o.slug).sort()).toEqual([aS.slug, aN.slug].sort());
  });

  it("ignores bad filter values instead of failing", async () => {
    const data = await callLoader(
      a2,
      "?status=nonsense&organisation=abc&assignee=x&overdue=maybe&cursor=%%%&offer=../../etc",
    );
    expect(data.filters).toEqual({ ...DEFAULTS });
    expect(data.items.length).toBe(all.filter((r) => visibleTo(a2, r) && OPEN.includes(r.status)).length);
    const forged = Buffer.from(JSON.stringify({ v: 1, m: "queue", d: "n", t: Date.now(), k: [0, "x", 1] })).toString(
      "base64url",
    );
    const again = await callLoader(a2, `?cursor=${forged}`);
    expect(again.items.length).toBe(data.items.length);
  });
});

describe("hub queue order, pagination and filters", () => {
  const now = new Date("2026-03-10T12:00:00Z"); // a Tuesday
  let c1: TestUser;
  let caller: CurrentUser;
  let offer: SupportOffer;
  let offer2: SupportOffer;
  let orgX: number;
  const rows: Made[] = [];

  const isOverdue = (r: Made) =>
    OPEN.includes(r.status) && !r.firstContactAt && !r.pausedAt && r.dueAt.getTime() < now.getTime();
  const riskFirst = (r: Made) => (r.priority === "at_risk" || r.priority === "safety_check") && !r.firstContactAt;
  const rank = (r: Made) => (riskFirst(r) ? 0 : isOverdue(r) ? 1 : 2);
  const needsAttention = (r: Made) => OPEN.includes(r.status) && rank(r) < 2;
  const orderTime = (r: Made) => (riskFirst(r) ? r.submittedAt : r.dueAt).getTime();
  const queueOrder = (a: Made, b: Made) => rank(a) - rank(b) || orderTime(a) - orderTime(b) || a.id - b.id;

  beforeAll(async () => {
    const org = await createOrganisation();
    orgX = (await createOrganisation()).id;
    c1 = await createUser({ role: "coordinator", organisationId: org.id });
    const c2 = await createUser({ role: "coordinator", organisationId: org.id });
    caller = asCaller(c1);
    const team = await createTeam({ members: [c1.id, c2.id] });
    offer = await createOffer({ teamId: team.id });
    offer2 = await createOffer({ teamId: team.id, sensitive: true });
    const requester = await createUser({ organisationId: org.id });

    // 70 open requests: due from 6 days ago to 8 days ahead, some on the same due time (id breaks
    // the tie), some urgent, some contacted, some paused, some assigned; 12 closed, 4 withdrawn.
    for (let i = 0; i < 70; i++) {
      const dueAt = new Date(now.getTime() + (Math.floor(i / 2) - 15) * 7 * HOUR);
      const status = OPEN[i % OPEN.length]!;
      rows.push(
        await makeRequest({
          requester,
          offer: i % 3 === 0 ? offer2 : offer,
          status,
          urgent: i % 11 === 0 || i % 13 === 4,
          // Some at risk, some safety checks (a few of them contacted: no longer first), some merely urgent.
          priority:
            i % 11 === 0
              ? "urgent"
              : i % 13 === 4
                ? i % 2 === 0
                  ? "at_risk"
                  : "safety_check"
                : i % 17 === 9
                  ? "safety_check"
                  : "normal",
          // Submission order differs from due order, so "oldest first" in rank 0 is tested for itself.
          submittedAt: new Date(dueAt.getTime() - (7 + (i % 4)) * DAY),
          dueAt,
          firstContactAt: i % 7 === 3 ? new Date(dueAt.getTime() - DAY) : null,
          pausedAt: status === "waiting_on_staff" ? new Date(now.getTime() - DAY) : null,
          assigneeId: i % 4 === 0 ? c1.id : i % 4 === 1 ? c2.id : null,
          organisationId: i % 5 === 0 ? orgX : undefined,
        }),
      );
    }
    for (let i = 0; i < 16; i++) {
      rows.push(
        await makeRequest({
          requester,
          offer,
          status: i < 12 ? "closed" : "withdrawn",
          urgent: i === 2,
          submittedAt: new Date(now.getTime() - (40 + i) * DAY),
          closedAt: new Date(now.getTime() - (i % 6) * DAY), // ties on closed_at: id breaks them
        }),
      );
    }
  });

  it("pages the open queue: every row once, attention first, then by due time; back again with Previous", async () => {
    const expected = rows.filter((r) => OPEN.includes(r.status)).sort(queueOrder);
    expect(expected.filter(needsAttention).length).toBeGreaterThan(5);
    // The data has uncontacted at-risk and safety-check rows, and contacted ones that fell back.
    expect(expected.filter((r) => rank(r) === 0).length).toBeGreaterThan(2);
    expect(
      expected.filter((r) => r.priority !== "normal" && r.priority !== "urgent" && r.firstContactAt).length,
    ).toBeGreaterThan(0);
    const pages = await walk(caller, DEFAULTS, now);
    expect(pages.map((p) => p.items.length)).toEqual([25, 25, 20]);
    const seen = pages.flatMap((p) => p.items.map((i) => i.reference));
    expect(seen).toEqual(expected.map((r) => r.reference));
    expect(pages[0]!.prevCursor).toBeNull();
    expect(pages[2]!.nextCursor).toBeNull();
    // The attention flag and the overdue label agree with the order.
    const flat = pages.flatMap((p) => p.items);
    const firstCalm = flat.findIndex((i) => !i.needsAttention);
    expect(flat.slice(firstCalm).every((i) => !i.needsAttention)).toBe(true);
    for (const item of flat) {
      const r = rows.find((x) => x.reference === item.reference)!;
      expect(item.due.kind === "overdue").toBe(isOverdue(r));
    }

    // Back from the last page: the same pages in reverse.
    const back = await listHubQueue(caller, { ...DEFAULTS, cursor: pages[2]!.prevCursor }, now);
    expect(back.items.map((i) => i.reference)).toEqual(pages[1]!.items.map((i) => i.reference));
    const first = await listHubQueue(caller, { ...DEFAULTS, cursor: back.prevCursor }, now);
    expect(first.items.map((i) => i.reference)).toEqual(pages[0]!.items.map((i) => i.reference));
    expect(first.prevCursor).toBeNull();
    expect(first.nextCursor).not.toBeNull();
  });

  it("keeps the now snapshot of the walk: later pages are ordered as at the first page", async () => {
    const pages = await walk(caller, DEFAULTS, now);
    // Two days later a cursor from the first walk still pages with the old `now`… (within 12 hours)
    const later = new Date(now.getTime() + 2 * HOUR);
    const page2 = await listHubQueue(caller, { ...DEFAULTS, cursor: pages[0]!.nextCursor }, later);
    expect(page2.items.map((i) => i.reference)).toEqual(pages[1]!.items.map((i) => i.reference));
    expect(page2.now.toISOString()).toBe(now.toISOString());
    // …and a stale one starts again from the first page.
    const stale = await listHubQueue(
      caller,
      { ...DEFAULTS, cursor: pages[0]!.nextCursor },
      new Date(now.getTime() + 2 * DAY),
    );
    expect(stale.prevCursor).toBeNull();
  });

  it("pages the closed view most recently closed first and the all view newest first", async () => {
    const closed = rows.filter((r) => r.status === "closed");
    closed.sort((a, b) => b.closedAt!.getTime() - a.closedAt!.getTime() || b.id - a.id);
    const closedPages = await walk(caller, { ...DEFAULTS, status: "closed" }, now);
    expect(closedPages.flatMap((p) => p.items.map((i) => i.reference))).toEqual(closed.map((r) => r.reference));

    const everything = [...rows].sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime() || b.id - a.id);
    const allPages = await walk(caller, { ...DEFAULTS, status: "all" }, now);
    expect(allPages.map((p) => p.items.length)).toEqual([25, 25, 25, 11]);
    expect(allPages.flatMap((p) => p.items.map((i) => i.reference))).toEqual(everything.map((r) => r.reference));

    const counts = await countHubQueue(caller, DEFAULTS, now);
    expect(counts).toMatchObject({
      all: 86,
      open: 70,
      closed: 12,
      withdrawn: 4,
      new: 14,
      triaged: 14,
      waiting_on_staff: 14,
    });
  });

  it("filters overdue and urgent at a fixed now, and by assignee, organisation and offer", async () => {
    const check = async (filters: HubQueueFilters, predicate: (r: Made) => boolean) => {
      const expected = rows.filter(predicate);
      if (filters.status === "open") expected.sort(queueOrder);
      const seen = (await walk(caller, filters, now)).flatMap((p) => p.items.map((i) => i.reference));
      expect(seen.length).toBe(expected.length);
      if (filters.status === "open") expect(seen).toEqual(expected.map((r) => r.reference));
      else expect([...seen].sort()).toEqual(expected.map((r) => r.reference).sort());
      const { status: _s, ...countFilters } = filters;
      const counts = await countHubQueue(caller, countFilters, now);
      expect(counts[filters.status]).toBe(expected.length);
      return expected.length;
    };
    const open = (r: Made) => OPEN.includes(r.status);
    expect(await check({ ...DEFAULTS, overdue: true }, isOverdue)).toBeGreaterThan(5);
    expect(await check({ ...DEFAULTS, urgent: true }, (r) => open(r) && r.urgent)).toBeGreaterThan(3);
    await check({ ...DEFAULTS, status: "all", urgent: true }, (r) => r.urgent);
    await check({ ...DEFAULTS, status: "all", overdue: true }, isOverdue);
    await check({ ...DEFAULTS, overdue: true, urgent: true }, (r) => isOverdue(r) && r.urgent);
    await check({ ...DEFAULTS, assignee: "me" }, (r) => open(r) && r.assigneeId === c1.id);
    await check({ ...DEFAULTS, assignee: "unassigned" }, (r) => open(r) && r.assigneeId === null);
    await check({ ...DEFAULTS, organisation: orgX }, (r) => open(r) && r.organisationId === orgX);
    await check({ ...DEFAULTS, offer: offer2.slug }, (r) => open(r) && r.offerId === offer2.id);
    await check({ ...DEFAULTS, status: "in_progress" }, (r) => r.status === "in_progress");
    await check({ ...DEFAULTS, status: "withdrawn" }, (r) => r.status === "withdrawn");
  });

  it("the overdue boundary: due exactly at now is not overdue yet", async () => {
    const requester = await createUser();
    const edge = await makeRequest({ requester, offer, dueAt: now, submittedAt: new Date(now.getTime() - 3 * DAY) });
    const later = await makeRequest({
      requester,
      offer,
      dueAt: new Date(now.getTime() - 1),
      submittedAt: new Date(now.getTime() - 3 * DAY),
    });
    const page = await listHubQueue(caller, { ...DEFAULTS, overdue: true, q: edge.reference }, now);
    expect(page.items).toEqual([]);
    const page2 = await listHubQueue(caller, { ...DEFAULTS, overdue: true, q: later.reference }, now);
    expect(page2.items.map((i) => i.reference)).toEqual([later.reference]);
    expect(page2.items[0]!.due.kind).toBe("overdue");
  });
});

// docs/decisions/009: a request pinned to a team (kept when its confidential offer moved away) is
// that team's, in the list, the counts, the search and the offer filter, and no longer the
// offer's new team's.
describe("requests kept by a team after their offer moved (pinned)", () => {
  it("are listed, counted, searched and filtered for the keeping team only", async () => {
    const org = await createOrganisation();
    const [keeper, newcomer, person] = await Promise.all([
      createUser({ role: "coordinator", organisationId: org.id, name: "Keeper K" }),
      createUser({ role: "coordinator", organisationId: org.id, name: "Newcomer N" }),
      createUser({ role: "staff", organisationId: org.id }),
    ]);
    const keeping = await createTeam({ name: "Keeping team", members: [keeper.id] });
    const handling = await createTeam({ name: "Handling team", members: [newcomer.id] });
    const offer = await createOffer({ teamId: handling.id, sensitive: true, title: "Moved confidential offer" });
    const kept = await makeRequest({ requester: person, offer });
    const fresh = await makeRequest({ requester: person, offer });
    await getDb().update(supportRequests).set({ pinnedTeamId: keeping.id }).where(eq(supportRequests.id, kept.id));

    for (const [who, mine, theirs] of [
      [keeper, kept, fresh],
      [newcomer, fresh, kept],
    ] as const) {
      const data = await callLoader(who, "?status=all");
      expect(data.items.map((i) => i.reference)).toEqual([mine.reference]);
      expect(data.counts!.all).toBe(1);
      expect(JSON.stringify(data)).not.toContain(theirs.reference);
      const found = await listHubQueue(asCaller(who), { ...DEFAULTS, status: "all", q: theirs.reference });
      expect(found.items).toEqual([]);
      // The offer filter offers the offer to both (each has a request of it) and shows only their own.
      expect(data.options.offers.map((o) => o.slug)).toContain(offer.slug);
      const filtered = await listHubQueue(asCaller(who), { ...DEFAULTS, status: "all", offer: offer.slug });
      expect(filtered.items.map((i) => i.reference)).toEqual([mine.reference]);
    }
  });
});
