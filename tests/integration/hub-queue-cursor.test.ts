// The hub queue's keyset cursor against times that differ by microseconds (issue 11): PostgreSQL
// (and PGlite) keep timestamptz to the microsecond, a JavaScript Date to the millisecond. A cursor
// that carried the last row's time in ms sat before that row: ascending views repeated rows on the
// next page, descending views skipped rows. Every view is walked forward and back to its first page
// with a small page size; each request must appear exactly once, in the database's own order.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { supportRequests, type RequestStatus, type SupportOffer } from "@db/schema";
import { listHubQueue } from "~/.server/models/hub-queue.server";
import type { HubQueueFilters } from "~/schemas/hub-queue";
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
const PER_STATUS = 11;
const PAGE = 4;

let coordinator: TestUser;
let offer: SupportOffer;

/**
 * PER_STATUS requests of `status` whose sort times (due_at, submitted_at, closed_at) all fall in
 * ONE millisecond, a few microseconds apart, in the opposite order to their ids (so the id
 * tie-break cannot hide a wrong time comparison).
 */
async function addSameMillisecond(status: RequestStatus, requester: TestUser, tag: string) {
  const db = getDb();
  const finished = status === "closed" || status === "withdrawn";
  const ids: number[] = [];
  for (let i = 0; i < PER_STATUS; i++) {
    const [row] = await db
      .insert(supportRequests)
      .values({
        reference: `SW-2026-${tag}${String(i).padStart(3, "0")}`,
        requesterId: requester.id,
        organisationId: requester.organisationId,
        staffGroup: requester.staffGroup,
        tenureBand: "1_to_2",
        offerId: offer.id,
        status,
        answers: { details: "Test" },
        contactMethod: "email",
        submissionKey: `cursor-${tag}-${i}`,
        submittedAt: new Date(NOW.getTime() - 10 * DAY),
        dueAt: new Date(NOW.getTime() + 5 * DAY),
        // Contacted: every open one is in the queue's rank 2 (by due_at).
        firstContactAt: new Date(NOW.getTime() - 9 * DAY),
        closedAt: finished ? new Date(NOW.getTime() - 2 * DAY) : null,
        closeOutcome: status === "closed" ? "support_given" : null,
      })
      .returning({ id: supportRequests.id });
    ids.push(row!.id);
  }
  // Microseconds apart within one millisecond, decreasing with the id: 0.000990 s, 0.000900 s, …
  await queryRows(
    db,
    sql`update ${supportRequests} set
          due_at = due_at + (${PER_STATUS * 90} - (id - ${ids[0]!}) * 90 - 1) * interval '1 microsecond',
          submitted_at = submitted_at + (${PER_STATUS * 90} - (id - ${ids[0]!}) * 90 - 1) * interval '1 microsecond',
          closed_at = closed_at + (${PER_STATUS * 90} - (id - ${ids[0]!}) * 90 - 1) * interval '1 microsecond'
        where id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  );
}

/** The references in the database's own order for the view (the truth the pages must match). */
async function expectedOrder(where: string, orderBy: string): Promise<string[]> {
  const rows = await queryRows<{ reference: string }>(
    getDb(),
    sql.raw(`select reference from support_requests where offer_id = ${offer.id} and ${where} order by ${orderBy}`),
  );
  return rows.map((r) => r.reference);
}

/** Walks the view forward to its last page, then back (Previous) to its first. */
async function walk(filters: HubQueueFilters) {
  const caller = asCurrentUser(coordinator);
  const forward: string[] = [];
  const pages: string[][] = [];
  let page = await listHubQueue(caller, filters, NOW, { pageSize: PAGE });
  for (let guard = 0; guard < 20; guard++) {
    pages.push(page.items.map((i) => i.reference));
    forward.push(...page.items.map((i) => i.reference));
    if (!page.nextCursor) break;
    page = await listHubQueue(caller, { ...filters, cursor: page.nextCursor }, NOW, { pageSize: PAGE });
  }
  const back: string[][] = [pages.at(-1)!];
  for (let guard = 0; guard < 20 && page.prevCursor; guard++) {
    page = await listHubQueue(caller, { ...filters, cursor: page.prevCursor }, NOW, { pageSize: PAGE });
    back.unshift(page.items.map((i) => i.reference));
  }
  return { forward, pages, back };
}

const BASE: Omit<HubQueueFilters, "status"> = { assignee: "anyone", overdue: false, urgent: false };

describe("hub queue paging with times that differ by microseconds", () => {
  beforeAll(async () => {
    const org = await createOrganisation();
    coordinator = await createUser({ role: "coordinator", organisationId: org.id });
    const staff = await createUser({ role: "staff", organisationId: org.id });
    const team = await createTeam({ name: "Cursor team", members: [coordinator.id] });
    offer = await createOffer({ teamId: team.id, sensitive: false, title: "Cursor offer" });
    await addSameMillisecond("in_progress", staff, "1");
    await addSameMillisecond("closed", staff, "2");
  });

  it("the times really differ only in microseconds (else this test proves nothing)", async () => {
    const [row] = await queryRows<{ ms: number; us: number }>(
      getDb(),
      sql`select count(distinct date_trunc('milliseconds', due_at))::int as ms, count(distinct due_at)::int as us
          from support_requests where offer_id = ${offer.id} and status = 'in_progress'`,
    );
    expect(row).toEqual({ ms: 1, us: PER_STATUS });
  });

  const views: { name: string; filters: HubQueueFilters; where: string; orderBy: string }[] = [
    {
      name: "open (due_at ascending)",
      filters: { ...BASE, status: "open" },
      where: "status = 'in_progress'",
      orderBy: "due_at, id",
    },
    {
      name: "closed (closed_at descending)",
      filters: { ...BASE, status: "closed" },
      where: "status = 'closed'",
      orderBy: "closed_at desc, id desc",
    },
    {
      name: "all (submitted_at descending)",
      filters: { ...BASE, status: "all" },
      where: "true",
      orderBy: "submitted_at desc, id desc",
    },
  ];

  for (const view of views) {
    it(`${view.name}: every request exactly once, in order, forward and back`, async () => {
      const expected = await expectedOrder(view.where, view.orderBy);
      expect(expected.length).toBeGreaterThanOrEqual(PER_STATUS);
      const { forward, pages, back } = await walk(view.filters);
      expect(forward).toEqual(expected);
      expect(back).toEqual(pages);
    });
  }
});

describe("hub reference search by a year prefix (bounded to the year's submissions)", () => {
  it("finds the year's requests at both ends of the year, in every view, and no other year's", async () => {
    const org = await createOrganisation();
    const caller = await createUser({ role: "coordinator", organisationId: org.id });
    const staff = await createUser({ role: "staff", organisationId: org.id });
    const team = await createTeam({ name: "Prefix team", members: [caller.id] });
    const yearOffer = await createOffer({ teamId: team.id, sensitive: false, title: "Prefix offer" });
    // Submitted at the first and last moments of 2023 (and of 2022 and 2024 beside them).
    const rows: [string, string, RequestStatus][] = [
      ["SW-2022-77001", "2022-12-31T23:59:59.999Z", "closed"],
      ["SW-2023-77001", "2023-01-01T00:00:00.000Z", "closed"],
      ["SW-2023-77002", "2023-06-01T12:00:00.000Z", "in_progress"],
      ["SW-2023-77003", "2023-12-31T23:59:59.999Z", "withdrawn"],
      ["SW-2024-77001", "2024-01-01T00:00:00.000Z", "closed"],
    ];
    for (const [reference, at, status] of rows) {
      const submittedAt = new Date(at);
      await getDb()
        .insert(supportRequests)
        .values({
          reference,
          requesterId: staff.id,
          organisationId: org.id,
          staffGroup: staff.staffGroup,
          tenureBand: "1_to_2",
          offerId: yearOffer.id,
          status,
          answers: { details: "Test" },
          contactMethod: "email",
          submissionKey: `prefix-${reference}`,
          submittedAt,
          dueAt: new Date(submittedAt.getTime() + 5 * DAY),
          firstContactAt: new Date(submittedAt.getTime() + DAY),
          // Closed much later (the closed view walks closing time, which has no year bound).
          closedAt: status === "in_progress" ? null : new Date("2026-05-01T10:00:00Z"),
          closeOutcome: status === "closed" ? "support_given" : null,
        });
    }
    const list = async (status: HubQueueFilters["status"], q: string) =>
      (await listHubQueue(asCurrentUser(caller), { ...BASE, status, q }, NOW)).items.map((i) => i.reference).sort();
    expect(await list("all", "SW-2023")).toEqual(["SW-2023-77001", "SW-2023-77002", "SW-2023-77003"]);
    expect(await list("all", "sw-2023-")).toEqual(["SW-2023-77001", "SW-2023-77002", "SW-2023-77003"]);
    expect(await list("closed", "SW-2023")).toEqual(["SW-2023-77001"]);
    expect(await list("withdrawn", "SW-2023-")).toEqual(["SW-2023-77003"]);
    expect(await list("open", "SW-2023")).toEqual(["SW-2023-77002"]);
    expect(await list("all", "SW-2024")).toEqual(["SW-2024-77001"]);
    expect(await list("all", "SW-20")).toEqual(rows.map((r) => r[0]).sort());
  });
});
