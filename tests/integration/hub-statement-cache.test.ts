// The hub's statements built once per shape (hub-queue.server.ts, "statements built once per
// shape"; ADR 041, addendum of 30 November night): a cached statement is the same text for every
// caller with the same scope and filters set, with the caller's id, `now`, the cursor and the filter
// values bound at each run. Checked here: a caller never gets another caller's rows through a shared
// statement (same team: same statement, their own assignments and "seen" marks; other team: a
// statement of its own), and every bound value reaches the statement (the cached pages, cursors and
// counts equal the statements built afresh for the same values).
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { requestReads, supportRequests, type RequestStatus, type SupportOffer } from "@db/schema";
import { hubScopeOf } from "~/.server/permissions.server";
import {
  buildHubQueueListQuery,
  cachedHubStatementCount,
  clearHubStatementCache,
  countHubQueue,
  hubQueuePageExtras,
  listHubQueue,
} from "~/.server/models/hub-queue.server";
import type { HubQueueCountFilters, HubQueueFilters } from "~/schemas/hub-queue";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const NOW = new Date("2026-06-10T12:00:00Z");
const DAY = 24 * 3_600_000;
const COUNT_DEFAULTS: HubQueueCountFilters = { assignee: "anyone", overdue: false, urgent: false };
const DEFAULTS: HubQueueFilters = { status: "open", ...COUNT_DEFAULTS };
const STATUSES: RequestStatus[] = ["new", "triaged", "in_progress", "closed", "withdrawn"];

let a1: TestUser, a2: TestUser, b: TestUser;
let offerA: SupportOffer, offerA2: SupportOffer, offerB: SupportOffer;
let orgX: number;
let serial = 0;

async function addRequest(row: { offer: SupportOffer; status: RequestStatus; assigneeId?: string; i: number }) {
  serial += 1;
  const submittedAt = new Date(NOW.getTime() - 40 * DAY + serial * 3_600_000);
  const finished = row.status === "closed" || row.status === "withdrawn";
  const [inserted] = await getDb()
    .insert(supportRequests)
    .values({
      reference: `SW-2026-${String(serial).padStart(5, "0")}`,
      requesterId: staff.id,
      organisationId: row.i % 3 === 0 ? orgX : staff.organisationId,
      staffGroup: staff.staffGroup,
      tenureBand: "1_to_2",
      offerId: row.offer.id,
      status: row.status,
      priority: row.i % 7 === 0 ? "at_risk" : "normal",
      urgent: row.i % 4 === 0,
      answers: { details: "Test" },
      contactMethod: "email",
      submissionKey: `cache-${serial}`,
      submittedAt,
      // Some overdue (due before NOW, not contacted), some not.
      dueAt: new Date(submittedAt.getTime() + (row.i % 2 === 0 ? 2 : 60) * DAY),
      firstContactAt: row.i % 5 === 0 ? new Date(submittedAt.getTime() + DAY) : null,
      closedAt: finished ? new Date(submittedAt.getTime() + 3 * DAY) : null,
      closeOutcome: row.status === "closed" ? "support_given" : null,
      assigneeId: row.assigneeId ?? null,
      lastRequesterActivityAt: row.i % 2 === 1 || row.i % 3 === 0 ? new Date(submittedAt.getTime() + 4 * DAY) : null,
    })
    .returning({ id: supportRequests.id });
  return inserted!.id;
}

let staff: TestUser;

beforeAll(async () => {
  const org = await createOrganisation();
  orgX = (await createOrganisation()).id;
  a1 = await createUser({ role: "coordinator", organisationId: org.id, name: "A one" });
  a2 = await createUser({ role: "coordinator", organisationId: org.id, name: "A two" });
  b = await createUser({ role: "coordinator", organisationId: org.id, name: "B" });
  staff = await createUser({ role: "staff", organisationId: org.id });
  const teamA = await createTeam({ name: "Cache team A", members: [a1.id, a2.id] });
  const teamB = await createTeam({ name: "Cache team B", members: [b.id] });
  offerA = await createOffer({ teamId: teamA.id, title: "A offer", sensitive: true });
  offerA2 = await createOffer({ teamId: teamA.id, title: "A second offer" });
  offerB = await createOffer({ teamId: teamB.id, title: "B offer", sensitive: true });
  let i = 0;
  for (const status of STATUSES)
    for (let n = 0; n < 6; n++) {
      i += 1;
      const assigneeId = [a1.id, a2.id, undefined][n % 3];
      const id = await addRequest({ offer: n % 2 ? offerA : offerA2, status, assigneeId, i });
      // a1 has seen some of them (after the person's activity), a2 none.
      if (i % 3 !== 2 && i % 4 !== 1)
        await getDb().insert(requestReads).values({ userId: a1.id, requestId: id, seenAt: NOW });
      await addRequest({ offer: offerB, status, assigneeId: n % 2 ? b.id : undefined, i });
    }
});

/** A page through the cache (listHubQueue). */
async function bothWays(user: TestUser, filters: HubQueueFilters, cursor: string | null = null, pageSize = 4) {
  return listHubQueue(asCurrentUser(user), { ...filters, cursor }, NOW, { pageSize });
}

async function freshReferences(user: TestUser, filters: HubQueueFilters, limit = 4) {
  const caller = asCurrentUser(user);
  const rows = await buildHubQueueListQuery(caller, filters, NOW, { scope: await hubScopeOf(caller), limit });
  return rows.slice(0, limit).map((r) => r.reference);
}

const VARIANTS: HubQueueFilters[] = [
  DEFAULTS,
  { ...DEFAULTS, assignee: "me" },
  { ...DEFAULTS, assignee: "unassigned" },
  { ...DEFAULTS, overdue: true },
  { ...DEFAULTS, urgent: true },
  { ...DEFAULTS, view: "mine" },
  { ...DEFAULTS, status: "closed" },
  { ...DEFAULTS, status: "withdrawn" },
  { ...DEFAULTS, status: "all" },
  { ...DEFAULTS, status: "triaged" },
];

describe("hub statements built once per shape", () => {
  it("binds the caller, now and the filters' values: each cached first page equals the statement built afresh", async () => {
    let offerFiltered = 0;
    let organisationFiltered = 0;
    for (const user of [a1, a2, b])
      for (const base of VARIANTS)
        for (const extra of [
          {},
          { offer: offerA.slug },
          { organisation: orgX },
          { offer: offerA2.slug, organisation: orgX },
        ]) {
          const filters = { ...base, ...extra };
          const page = await bothWays(user, filters);
          const fresh = await freshReferences(user, filters);
          expect(
            page.items.map((r) => r.reference),
            `${user.name} ${JSON.stringify(filters)}`,
          ).toEqual(fresh);
          if ("offer" in extra && page.items.length) offerFiltered += 1;
          if ("organisation" in extra && page.items.length) organisationFiltered += 1;
        }
    // The filter values did select rows (else the equality above would say little about them).
    expect(offerFiltered).toBeGreaterThan(5);
    expect(organisationFiltered).toBeGreaterThan(5);
  });

  it("binds the cursor: every walk forward and back through the cache equals the rows built afresh", async () => {
    for (const user of [a1, b])
      for (const filters of VARIANTS) {
        const everything = await freshReferences(user, filters, 1000);
        const seen: string[] = [];
        let page = await bothWays(user, filters);
        seen.push(...page.items.map((r) => r.reference));
        const pages = [page];
        while (page.nextCursor) {
          page = await bothWays(user, filters, page.nextCursor);
          seen.push(...page.items.map((r) => r.reference));
          pages.push(page);
        }
        expect(seen, JSON.stringify(filters)).toEqual(everything);
        // And back: each "previous" page is the page before it.
        for (let p = pages.length - 1; p > 0; p--) {
          const back = await bothWays(user, filters, pages[p]!.prevCursor);
          expect(back.items.map((r) => r.reference)).toEqual(pages[p - 1]!.items.map((r) => r.reference));
        }
      }
  });

  it("shares a statement between callers of the same team, never their rows; another team gets its own", async () => {
    const mine = { ...DEFAULTS, assignee: "me" as const };
    // Other files in this worker may have filled the cache to its bound (then a new shape evicts
    // one and the count stays put): count from empty.
    clearHubStatementCache();
    const shapes = cachedHubStatementCount();
    expect(shapes).toBe(0);
    const pageA1 = await bothWays(a1, mine, null, 3);
    expect(cachedHubStatementCount()).toBe(shapes + 1);
    const pageA2 = await bothWays(a2, mine, null, 3);
    expect(cachedHubStatementCount()).toBe(shapes + 1); // same team, same filters: the same statement
    expect(pageA1.items.length).toBeGreaterThan(0);
    expect(pageA2.items.length).toBeGreaterThan(0);
    expect(pageA1.items.every((r) => r.assignedToCaller)).toBe(true);
    expect(pageA2.items.every((r) => r.assignedToCaller)).toBe(true);
    expect(pageA1.items.map((r) => r.reference)).not.toEqual(pageA2.items.map((r) => r.reference));
    // Each caller's own "seen" marks: a1 has seen some requests, a2 none.
    const myWorkA2 = await bothWays(a2, { ...DEFAULTS, view: "mine" });
    expect(myWorkA2.items.filter((r) => r.newActivity).length).toBeGreaterThan(0);

    const beforeB = cachedHubStatementCount(); // My work's shape was added just above
    const pageB = await bothWays(b, mine, null, 3);
    expect(cachedHubStatementCount()).toBe(beforeB + 1); // team B: a statement of its own
    const bRefs = new Set(pageB.items.map((r) => r.reference));
    expect(pageB.items.length).toBeGreaterThan(0);
    for (const r of [...pageA1.items, ...pageA2.items]) expect(bRefs.has(r.reference)).toBe(false);
  });

  it("the page's counts, teams and 'My work (n new)' are each caller's own through the cached statement", async () => {
    for (const user of [a1, a2, b, a1])
      for (const filters of [
        COUNT_DEFAULTS,
        { ...COUNT_DEFAULTS, assignee: "me" as const },
        { ...COUNT_DEFAULTS, offer: offerA.slug, overdue: true },
      ]) {
        const caller = asCurrentUser(user);
        const extras = await hubQueuePageExtras(caller, filters, NOW);
        expect(extras.counts).toEqual(await countHubQueue(caller, filters, NOW));
        expect(extras.teams).toEqual([user === b ? "Cache team B" : "Cache team A"]);
        const myWork = await listHubQueue(caller, { ...DEFAULTS, view: "mine", cursor: null }, NOW, { pageSize: 100 });
        expect(extras.myNew).toBe(myWork.items.filter((r) => r.newActivity).length);
      }
    // a2 has seen nothing of theirs, a1 some: different "new" counts through one statement.
    const [x1, x2] = await Promise.all([a1, a2].map((u) => hubQueuePageExtras(asCurrentUser(u), null, NOW)));
    expect(x2!.myNew).toBeGreaterThan(x1!.myNew);
  });
});
