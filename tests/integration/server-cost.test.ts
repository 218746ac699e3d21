// Issue 11, server cost per page (docs/performance/server-cost.md): what was changed to send fewer
// statements per page must not change what anyone sees or may do.
// - The per-request memo (app/.server/request-memo.server.ts): the signed-in person and their team
//   ids are read once per read-only HTTP request, and never carried into another request or into
//   an action (where they may have just changed).
// - The hub's visibility condition with the caller's teams and offers as lists (hubScopeOf, ADR 041)
//   selects exactly what the subquery form selects.
// - /hub's one-statement extras (hubQueuePageExtras) give exactly what the separate functions give,
//   for every view, for a coordinator of several teams (with a pinned request) and of one team;
//   so do /admin's counts (loadAdminOverview, with the failed-mail count).
import { eq, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox, supportRequests, teamMembers, type RequestStatus, type SupportOffer } from "@db/schema";
import { endSession } from "~/.server/auth/lucia.server";
import { getOptionalUser } from "~/.server/auth/session.server";
import { newRequestId, runWithRequestContext } from "~/.server/log.server";
import { loadAdminOverview } from "~/.server/models/admin/audit.server";
import { countFailedMail } from "~/.server/models/admin/mail.server";
import { teamsOf } from "~/.server/models/hub-access.server";
import {
  countHubQueue,
  countMyNewActivity,
  hubQueueFilterOptions,
  hubQueuePageExtras,
} from "~/.server/models/hub-queue.server";
import { hubScopeOf, hubVisibleRequests, teamIdsOf } from "~/.server/permissions.server";
import type { HubQueueCountFilters } from "~/schemas/hub-queue";
import {
  addTeamMembers,
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

/** Runs `fn` as one HTTP request does on the server: in a log context of its own (requestLogging). */
function inRequest<T>(fn: () => Promise<T>): Promise<T> {
  return runWithRequestContext({ requestId: newRequestId() }, fn);
}

describe("per-request memo of the signed-in person and their teams", () => {
  let coordinator: TestUser;
  let otherTeamId: number;

  beforeAll(async () => {
    const org = await createOrganisation();
    coordinator = await createUser({ role: "coordinator", organisationId: org.id });
    await createTeam({ members: [coordinator.id] });
    otherTeamId = (await createTeam()).id;
  });

  it("reads the person once per GET: every loader of the request gets the same answer", async () => {
    const cookie = await signInCookie(coordinator.id);
    await inRequest(async () => {
      // Remix gives each loader a copy of the Request: two copies, as the root and page loaders get.
      const [fromRoot, fromPage] = await Promise.all([
        getOptionalUser(getRequest("/hub", { cookie })),
        getOptionalUser(getRequest("/hub", { cookie })),
      ]);
      expect(fromRoot?.id).toBe(coordinator.id);
      expect(fromPage).toBe(fromRoot);
    });
  });

  it("never carries the person into the next request: a session ended in between is signed out", async () => {
    const cookie = await signInCookie(coordinator.id);
    const first = await inRequest(() => getOptionalUser(getRequest("/hub", { cookie })));
    expect(first?.id).toBe(coordinator.id);
    const again = await inRequest(() => getOptionalUser(getRequest("/hub", { cookie })));
    expect(again?.id).toBe(coordinator.id);
    expect(again).not.toBe(first);
    await endSession(getRequest("/logout", { cookie }));
    expect(await inRequest(() => getOptionalUser(getRequest("/hub", { cookie })))).toBeNull();
  });

  it("reads afresh within an action (POST): the session may end during it", async () => {
    const cookie = await signInCookie(coordinator.id);
    await inRequest(async () => {
      const post = () => formRequest("/logout", {}, { cookie });
      const before = await getOptionalUser(post());
      expect(before?.id).toBe(coordinator.id);
      expect(await getOptionalUser(post())).not.toBe(before);
      await endSession(post());
      expect(await getOptionalUser(post())).toBeNull();
    });
  });

  it("is not used outside a request context (a loader called directly)", async () => {
    const cookie = await signInCookie(coordinator.id);
    const a = await getOptionalUser(getRequest("/hub", { cookie }));
    const b = await getOptionalUser(getRequest("/hub", { cookie }));
    expect(a?.id).toBe(coordinator.id);
    expect(b).not.toBe(a);
  });

  it("reads the team ids once per GET, and afresh in the next request and in an action", async () => {
    const cookie = await signInCookie(coordinator.id);
    const before = await inRequest(async () => {
      const user = (await getOptionalUser(getRequest("/hub", { cookie })))!;
      const ids = await teamIdsOf(user);
      // Joining a team during this GET is not seen by it (one snapshot per page)...
      await addTeamMembers(otherTeamId, [coordinator.id]);
      expect(await teamIdsOf(user)).toEqual(ids);
      return ids;
    });
    expect(before).not.toContain(otherTeamId);
    // ...but by the next request,
    const next = await inRequest(async () => teamIdsOf((await getOptionalUser(getRequest("/hub", { cookie })))!));
    expect(next).toContain(otherTeamId);
    // and an action sees a change made during it.
    await inRequest(async () => {
      const user = (await getOptionalUser(formRequest("/hub", {}, { cookie })))!;
      expect(await teamIdsOf(user)).toContain(otherTeamId);
      await getDb().delete(teamMembers).where(eq(teamMembers.teamId, otherTeamId));
      expect(await teamIdsOf(user)).not.toContain(otherTeamId);
    });
  });

  it("hands each caller its own copy of the team ids", async () => {
    const cookie = await signInCookie(coordinator.id);
    await inRequest(async () => {
      const user = (await getOptionalUser(getRequest("/hub", { cookie })))!;
      const first = await teamIdsOf(user);
      first.push(-1);
      expect(await teamIdsOf(user)).not.toContain(-1);
    });
  });
});

describe("/hub's extras in one statement", () => {
  const NOW = new Date("2026-06-10T12:00:00Z");
  const DAY = 24 * 3_600_000;
  let serial = 0;
  let many: TestUser, one: TestUser;

  async function addRequest(
    requester: TestUser,
    offer: SupportOffer,
    status: RequestStatus,
    extra: Partial<typeof supportRequests.$inferInsert> = {},
  ) {
    serial += 1;
    const submittedAt = new Date(NOW.getTime() - 20 * DAY - serial * 60_000);
    const finished = status === "closed" || status === "withdrawn";
    await getDb()
      .insert(supportRequests)
      .values({
        reference: `SW-2026-${String(serial).padStart(5, "0")}`,
        requesterId: requester.id,
        organisationId: requester.organisationId,
        staffGroup: requester.staffGroup,
        tenureBand: "1_to_2",
        offerId: offer.id,
        status,
        answers: { details: "Test" },
        contactMethod: "email",
        submissionKey: `server-cost-${serial}`,
        submittedAt,
        dueAt: serial % 3 === 0 ? new Date(NOW.getTime() - DAY) : new Date(NOW.getTime() + 5 * DAY),
        firstContactAt: serial % 3 === 0 ? null : new Date(submittedAt.getTime() + DAY),
        closedAt: finished ? new Date(submittedAt.getTime() + 2 * DAY) : null,
        closeOutcome: status === "closed" ? "support_given" : null,
        ...extra,
      });
  }

  beforeAll(async () => {
    const orgA = await createOrganisation({ name: "Alpha Trust" });
    const orgB = await createOrganisation({ name: "Beta Trust" });
    many = await createUser({ role: "coordinator", organisationId: orgA.id });
    one = await createUser({ role: "coordinator", organisationId: orgB.id });
    const staff = await createUser({ organisationId: orgA.id });
    const staffB = await createUser({ organisationId: orgB.id });
    const teamA = await createTeam({ name: "Zebra team", members: [many.id] });
    const teamB = await createTeam({ name: "Aardvark team", members: [many.id, one.id] });
    const teamC = await createTeam({ name: "Other team" });
    const offerA = await createOffer({ teamId: teamA.id, title: "Money advice" });
    const offerB = await createOffer({ teamId: teamB.id, title: "Physio", sensitive: true });
    const offerC = await createOffer({ teamId: teamC.id, title: "Elsewhere" });
    for (const status of ["new", "triaged", "in_progress", "closed", "withdrawn", "new", "closed"] as const) {
      await addRequest(staff, offerA, status);
      await addRequest(staffB, offerB, status, status === "new" ? { assigneeId: one.id } : {});
      await addRequest(staff, offerC, status);
    }
    // Kept by team B after its offer moved to team C (a pinned request), with new activity for its assignee.
    await addRequest(staffB, offerC, "in_progress", {
      pinnedTeamId: teamB.id,
      assigneeId: many.id,
      lastRequesterActivityAt: new Date(NOW.getTime() - DAY),
    });
    await addRequest(staff, offerB, "triaged", { assigneeId: one.id, lastRequesterActivityAt: NOW });
    // The coordinator's own request: never counted for them.
    await addRequest(many, offerA, "new");
  });

  const VIEWS: HubQueueCountFilters[] = [
    { assignee: "anyone", overdue: false, urgent: false },
    { assignee: "anyone", overdue: true, urgent: false },
    { assignee: "me", overdue: false, urgent: false },
    { assignee: "anyone", overdue: false, urgent: false, q: "SW-2026-00002" },
  ];

  for (const who of ["many", "one"] as const) {
    it(`gives what the separate queries give (${who === "many" ? "several teams" : "one team"})`, async () => {
      const caller = asCurrentUser(who === "many" ? many : one);
      for (const filters of VIEWS) {
        const extras = await hubQueuePageExtras(caller, filters, NOW);
        expect(extras.counts, JSON.stringify(filters)).toEqual(await countHubQueue(caller, filters, NOW));
      }
      const extras = await hubQueuePageExtras(caller, null, NOW);
      expect(extras.counts).toBeNull();
      expect(extras.options).toEqual(await hubQueueFilterOptions(caller));
      expect(extras.teams).toEqual((await teamsOf(caller)).map((t) => t.name));
      expect(extras.myNew).toBe(await countMyNewActivity(caller));
    });
  }

  it("selects the same requests with the caller's teams and offers as lists (hubScopeOf) as with subqueries", async () => {
    for (const who of [many, one]) {
      const caller = asCurrentUser(who);
      const ids = async (condition: SQL) =>
        (
          await getDb()
            .select({ id: supportRequests.id })
            .from(supportRequests)
            .where(condition)
            .orderBy(supportRequests.id)
        ).map((r) => r.id);
      const withSubqueries = await ids(hubVisibleRequests(caller));
      expect(withSubqueries.length).toBeGreaterThan(0);
      expect(await ids(hubVisibleRequests(caller, await hubScopeOf(caller)))).toEqual(withSubqueries);
    }
    // No teams: nothing, as with subqueries.
    const loner = asCurrentUser(await createUser({ role: "coordinator" }));
    expect(await hubScopeOf(loner)).toEqual({ teamIds: [], offerIds: [] });
    const none = await getDb()
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(hubVisibleRequests(loner, await hubScopeOf(loner)));
    expect(none).toEqual([]);
  });

  it("sees what it should: teams in name order, the moved offer of the pinned request, new activity", async () => {
    const extras = await hubQueuePageExtras(asCurrentUser(many), VIEWS[0]!, NOW);
    expect(extras.teams).toEqual(["Aardvark team", "Zebra team"]);
    expect(extras.options.offers.map((o) => o.title)).toEqual(["Elsewhere", "Money advice", "Physio"]);
    expect(extras.myNew).toBe(1);
    // 4 open of offer A and 4 of offer B, the pinned one and the triaged one of offer B; not the
    // caller's own request, nor offer C's (another team's).
    expect(extras.counts!.open).toBe(10);
    const oneExtras = await hubQueuePageExtras(asCurrentUser(one), VIEWS[0]!, NOW);
    expect(oneExtras.teams).toEqual(["Aardvark team"]);
    expect(oneExtras.myNew).toBe(1);
  });
});

describe("/admin's counts in one statement", () => {
  it("counts failed mail (only failed) as countFailedMail does, and the overview's other counts", async () => {
    const org = await createOrganisation();
    const admin = asCurrentUser(await createUser({ role: "admin", organisationId: org.id }));
    const before = await loadAdminOverview(admin);
    expect(before.failedMail).toBe(await countFailedMail(admin));
    const mail = (status: "failed" | "pending") =>
      getDb()
        .insert(mailOutbox)
        .values({ toAddress: `${status}@x.test`, subject: "Test", textBody: "Test", status });
    await mail("failed");
    await mail("failed");
    await mail("pending");
    await createOffer({ active: false });
    const after = await loadAdminOverview(admin);
    expect(after.failedMail).toBe(before.failedMail + 2);
    expect(after.failedMail).toBe(await countFailedMail(admin));
    // createOffer made a team of its own for the retired offer.
    expect(after.offers).toEqual({ active: before.offers.active, retired: before.offers.retired + 1 });
    expect(after.teams).toBe(before.teams + 1);
    expect(after.organisations).toBe(before.organisations);
  });
});
