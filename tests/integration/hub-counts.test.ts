// The people hub's status counts at scale (docs/decisions/021-hub-counts-at-scale.md): the open
// statuses exact, closed / withdrawn / all exact up to HUB_COUNT_CAP and "more than 1,000" beyond,
// never counting what the caller must not see (their own requests, other teams' sensitive ones)
// even where that would push a count over the cap; My work reads no counts; the overdue filter
// counts (and lists) open requests only.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import type { RequestStatus, SupportOffer } from "@db/schema";
import { countHubQueue, listHubQueue } from "~/.server/models/hub-queue.server";
import * as queueRoute from "~/routes/hub._index";
import { HUB_COUNT_CAP, hubCountText, type HubQueueCountFilters, type HubQueueFilters } from "~/schemas/hub-queue";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { insertRequestsInBulk, type NewSupportRequest } from "../helpers/bulk-requests";
import { getRequest, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const COUNT_DEFAULTS: HubQueueCountFilters = { assignee: "anyone", overdue: false, urgent: false };
const DEFAULTS: HubQueueFilters = { status: "open", ...COUNT_DEFAULTS };
const DAY = 24 * 3_600_000;
const NOW = new Date("2026-06-10T12:00:00Z");

let serial = 0;

/**
 * `n` request rows to insert (the cap needs over a thousand): each set-up inserts all of its rows in
 * one bulk load (tests/helpers/bulk-requests.ts), in the order they were made.
 */
function requestRows(
  n: number,
  row: {
    requester: TestUser;
    offer: SupportOffer;
    status: RequestStatus;
    overdue?: boolean;
    organisationId?: number;
    assigneeId?: string;
    pinnedTeamId?: number;
  },
) {
  const values: NewSupportRequest[] = [];
  for (let i = 0; i < n; i++) {
    serial += 1;
    const submittedAt = new Date(NOW.getTime() - 30 * DAY - serial * 60_000);
    const finished = row.status === "closed" || row.status === "withdrawn";
    values.push({
      reference: `SW-2026-${String(serial).padStart(5, "0")}`,
      requesterId: row.requester.id,
      organisationId: row.organisationId ?? row.requester.organisationId,
      staffGroup: row.requester.staffGroup,
      tenureBand: "1_to_2",
      offerId: row.offer.id,
      status: row.status,
      answers: { details: "Test" },
      contactMethod: "email",
      submissionKey: `counts-${serial}`,
      submittedAt,
      // Overdue: due yesterday, never contacted. Otherwise contacted (never overdue).
      dueAt: row.overdue ? new Date(NOW.getTime() - DAY) : new Date(NOW.getTime() + 5 * DAY),
      firstContactAt: row.overdue ? null : new Date(submittedAt.getTime() + DAY),
      closedAt: finished ? new Date(submittedAt.getTime() + 2 * DAY) : null,
      closeOutcome: row.status === "closed" ? "support_given" : null,
      assigneeId: row.assigneeId ?? null,
      pinnedTeamId: row.pinnedTeamId ?? null,
    });
  }
  return values;
}

describe("hub status counts: exact open, bounded history, visibility first", () => {
  let a: TestUser, b: TestUser, staff: TestUser, staffElsewhere: TestUser;
  let aOffer: SupportOffer, aSensitive: SupportOffer, bSensitive: SupportOffer;

  beforeAll(async () => {
    const org = await createOrganisation();
    const otherOrg = await createOrganisation();
    a = await createUser({ role: "coordinator", organisationId: org.id, name: "Coordinator A" });
    b = await createUser({ role: "coordinator", organisationId: org.id, name: "Coordinator B" });
    staff = await createUser({ role: "staff", organisationId: org.id });
    staffElsewhere = await createUser({ role: "staff", organisationId: otherOrg.id });
    const teamA = await createTeam({ name: "Counts team A", members: [a.id] });
    const teamB = await createTeam({ name: "Counts team B", members: [b.id] });
    aOffer = await createOffer({ teamId: teamA.id, sensitive: false, title: "A offer" });
    aSensitive = await createOffer({ teamId: teamA.id, sensitive: true, title: "A sensitive offer" });
    bSensitive = await createOffer({ teamId: teamB.id, sensitive: true, title: "B sensitive offer" });

    await insertRequestsInBulk(getDb(), [
      // Team A, visible to a: 11 open (4 of them overdue), exactly HUB_COUNT_CAP closed, 7 withdrawn.
      ...requestRows(2, { requester: staff, offer: aOffer, status: "new", overdue: true }),
      ...requestRows(1, { requester: staff, offer: aSensitive, status: "new" }),
      ...requestRows(2, { requester: staff, offer: aSensitive, status: "triaged", overdue: true, assigneeId: a.id }),
      ...requestRows(4, { requester: staff, offer: aOffer, status: "in_progress", assigneeId: a.id }),
      ...requestRows(1, { requester: staff, offer: aOffer, status: "waiting_on_staff" }),
      ...requestRows(1, { requester: staff, offer: aOffer, status: "referred" }),
      ...requestRows(HUB_COUNT_CAP - 3, { requester: staff, offer: aOffer, status: "closed" }),
      ...requestRows(3, { requester: staffElsewhere, offer: aSensitive, status: "closed" }),
      ...requestRows(7, { requester: staff, offer: aOffer, status: "withdrawn" }),
      // Invisible to a: a's own requests for their own team's offers (closed ones would take the
      // closed count over the cap), and team B's sensitive requests (more than the cap of them).
      ...requestRows(5, { requester: a, offer: aOffer, status: "closed" }),
      ...requestRows(2, { requester: a, offer: aSensitive, status: "new", overdue: true }),
      ...requestRows(HUB_COUNT_CAP + 200, { requester: staff, offer: bSensitive, status: "closed" }),
      ...requestRows(3, { requester: staff, offer: bSensitive, status: "new", overdue: true }),
      ...requestRows(2, { requester: staff, offer: bSensitive, status: "withdrawn" }),
    ]);
  });

  it("counts the open statuses exactly and closed up to the cap, leaving out the caller's own and other teams' requests", async () => {
    const counts = await countHubQueue(asCurrentUser(a), COUNT_DEFAULTS, NOW);
    expect(counts).toEqual({
      open: 11,
      new: 3,
      triaged: 2,
      in_progress: 4,
      waiting_on_staff: 1,
      referred: 1,
      closed: HUB_COUNT_CAP, // exactly the cap: still exact (a's own 5 and team B's 1,200 not counted)
      withdrawn: 7,
      all: HUB_COUNT_CAP + 1, // 1,018 visible: over the cap
    });
    expect(hubCountText("closed", counts.closed)).toBe("1,000");
    expect(hubCountText("all", counts.all)).toBe("more than 1,000");
    expect(hubCountText("open", counts.open)).toBe("11");
  });

  it("caps a count over the cap, and counts another team's requests only for that team", async () => {
    // Team B's coordinator sees their 1,200 closed requests (capped), 3 open and 2 withdrawn, nothing of team A.
    const counts = await countHubQueue(asCurrentUser(b), COUNT_DEFAULTS, NOW);
    expect(counts).toEqual({
      open: 3,
      new: 3,
      triaged: 0,
      in_progress: 0,
      waiting_on_staff: 0,
      referred: 0,
      closed: HUB_COUNT_CAP + 1,
      withdrawn: 2,
      all: HUB_COUNT_CAP + 1,
    });
    expect(hubCountText("closed", counts.closed)).toBe("more than 1,000");
    expect(hubCountText("withdrawn", counts.withdrawn)).toBe("2");
    // Open counts are never capped: a big open number is shown exactly.
    expect(hubCountText("open", 34_428)).toBe("34,428");
    expect(hubCountText("in_progress", 1_001)).toBe("1,001");
  });

  it("counts exactly under a narrowing filter, below the cap", async () => {
    const org = staffElsewhere.organisationId;
    const counts = await countHubQueue(asCurrentUser(a), { ...COUNT_DEFAULTS, organisation: org }, NOW);
    expect(counts).toMatchObject({ open: 0, closed: 3, withdrawn: 0, all: 3 });
    const sensitive = await countHubQueue(asCurrentUser(a), { ...COUNT_DEFAULTS, offer: aSensitive.slug }, NOW);
    expect(sensitive).toMatchObject({ open: 3, new: 1, triaged: 2, closed: 3, withdrawn: 0, all: 6 });
    // Another team's offer named in the URL counts nothing.
    const other = await countHubQueue(asCurrentUser(a), { ...COUNT_DEFAULTS, offer: bSensitive.slug }, NOW);
    expect(other).toMatchObject({ open: 0, closed: 0, withdrawn: 0, all: 0 });
  });

  it("with the overdue filter counts only overdue open requests, and lists exactly those", async () => {
    const counts = await countHubQueue(asCurrentUser(a), { ...COUNT_DEFAULTS, overdue: true }, NOW);
    expect(counts).toEqual({
      open: 4,
      new: 2,
      triaged: 2,
      in_progress: 0,
      waiting_on_staff: 0,
      referred: 0,
      closed: 0,
      withdrawn: 0,
      all: 4,
    });
    const page = await listHubQueue(asCurrentUser(a), { ...DEFAULTS, overdue: true }, NOW);
    expect(page.items).toHaveLength(4);
    expect(page.items.every((i) => i.due.kind === "overdue")).toBe(true);
    // My work with the overdue filter: a's two overdue assignments, nothing else.
    const mine = await listHubQueue(asCurrentUser(a), { ...DEFAULTS, view: "mine", overdue: true }, NOW);
    expect(mine.items.map((i) => [i.status, i.due.kind, i.assignedToCaller])).toEqual([
      ["triaged", "overdue", true],
      ["triaged", "overdue", true],
    ]);
  });

  it("the route shows the counts on the team queue and reads none for My work", async () => {
    const cookie = await signInCookie(a.id);
    const queue = await queueRoute.loader({
      request: getRequest("/hub?status=closed", { cookie }),
      params: {},
      context: {},
    });
    expect(queue.counts).toMatchObject({ open: 11, closed: HUB_COUNT_CAP, withdrawn: 7, all: HUB_COUNT_CAP + 1 });
    expect(queue.items).toHaveLength(25);
    const mine = await queueRoute.loader({
      request: getRequest("/hub?view=mine", { cookie }),
      params: {},
      context: {},
    });
    expect(mine.counts).toBeNull();
    expect(mine.items.length).toBe(6);
  });
});

describe("hub status counts: requests pinned to a team (ADR 009) count for that team only, in the same cap", () => {
  // The bounded counts read a team's unpinned requests of its offers and the requests pinned to it
  // apart, then stop at the cap in all (docs/decisions/021 addendum): the two together must still
  // be exact up to the cap, capped above it, and never include the caller's own requests or
  // requests pinned to another team.
  let c: TestUser, d: TestUser, staff: TestUser;
  let dOffer: SupportOffer;

  beforeAll(async () => {
    const org = await createOrganisation();
    c = await createUser({ role: "coordinator", organisationId: org.id, name: "Coordinator C" });
    d = await createUser({ role: "coordinator", organisationId: org.id, name: "Coordinator D" });
    staff = await createUser({ role: "staff", organisationId: org.id });
    const teamC = await createTeam({ name: "Pinned counts team C", members: [c.id] });
    const teamD = await createTeam({ name: "Pinned counts team D", members: [d.id] });
    const cOffer = await createOffer({ teamId: teamC.id, sensitive: false, title: "C offer" });
    // D's offer now; these requests stayed with team C when it moved (pinned to C).
    dOffer = await createOffer({ teamId: teamD.id, sensitive: true, title: "D offer" });
    await insertRequestsInBulk(getDb(), [
      ...requestRows(600, { requester: staff, offer: cOffer, status: "closed" }),
      ...requestRows(600, { requester: staff, offer: dOffer, status: "closed", pinnedTeamId: teamC.id }),
      ...requestRows(3, { requester: staff, offer: cOffer, status: "withdrawn" }),
      ...requestRows(4, { requester: staff, offer: dOffer, status: "withdrawn", pinnedTeamId: teamC.id }),
      ...requestRows(2, { requester: c, offer: dOffer, status: "withdrawn", pinnedTeamId: teamC.id }),
      ...requestRows(5, { requester: staff, offer: dOffer, status: "withdrawn" }),
    ]);
  });

  it("adds the pinned requests to the team's own, caps the sum, and leaves them out for the offer's team", async () => {
    const forC = await countHubQueue(asCurrentUser(c), COUNT_DEFAULTS, NOW);
    expect(forC).toMatchObject({ open: 0, closed: HUB_COUNT_CAP + 1, withdrawn: 7, all: HUB_COUNT_CAP + 1 });
    // Under a filter that keeps each half below the cap, the sum is exact.
    const pinnedOnly = await countHubQueue(asCurrentUser(c), { ...COUNT_DEFAULTS, offer: dOffer.slug }, NOW);
    expect(pinnedOnly).toMatchObject({ closed: 600, withdrawn: 4, all: 604 });
    const forD = await countHubQueue(asCurrentUser(d), COUNT_DEFAULTS, NOW);
    expect(forD).toMatchObject({ open: 0, closed: 0, withdrawn: 5, all: 5 });
  });
});
