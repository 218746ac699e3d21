// Stay conversations ("Thinking about leaving? Talk to us first", issue 13 part 1, ADR 034): the
// request form's validation, the coded answers stored for SQL counts, closing with a retention
// outcome (required for this form only), need-to-know, what the person sees, and the seed that
// puts the offer, the Retention and careers team and its coordinator on new and existing databases.
// Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import {
  stayConversationAnswers,
  supportOffers,
  supportRequests,
  teamMembers,
  teams,
  users,
  type SupportOffer,
} from "@db/schema";
import { seedDemoData } from "@db/seed";
import { changeHubRequestStatus, getHubRequest, HubRequestError } from "~/.server/models/hub-requests.server";
import { createRequest, getMyRequest } from "~/.server/models/requests.server";
import { listHubQueue } from "~/.server/models/hub-queue.server";
import { parseHubQueueQuery } from "~/schemas/hub-queue";
import { RETENTION_OUTCOME_REQUIRED } from "~/schemas/hub-actions";
import * as hubRoute from "~/routes/hub.requests.$reference";
import * as requestRoute from "~/routes/support.$slug.request";
import * as detailRoute from "~/routes/my.requests.$reference";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie } from "../helpers/http";
import { rowOf } from "../helpers/request-rows";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const FROM_STAYWELL = { "Sec-Fetch-Site": "same-origin" };

const goodAnswers = {
  leavingReasons: ["work_life_balance", "shift_patterns_hours"],
  wouldHelpStay: ["flexible_working", "move_ics_organisation"],
  howSoon: "1_3_months",
  hubAction: "conversation",
};

let staff: TestUser;
let retentionCoordinator: TestUser;
let otherCoordinator: TestUser;
let manager: TestUser;
let stayOffer: SupportOffer;
let generalOffer: SupportOffer;

beforeAll(async () => {
  const org = await createOrganisation();
  staff = await createUser({ organisationId: org.id, name: "Sam Leaver" });
  retentionCoordinator = await createUser({ role: "coordinator", organisationId: org.id });
  otherCoordinator = await createUser({ role: "coordinator", organisationId: org.id });
  manager = await createUser({ role: "manager", organisationId: org.id });
  const retention = await createTeam({ name: "Retention and careers", members: [retentionCoordinator.id] });
  const general = await createTeam({
    name: "General support",
    members: [otherCoordinator.id, retentionCoordinator.id],
  });
  stayOffer = await createOffer({
    slug: `thinking-of-leaving-${randomUUID().slice(0, 8)}`,
    formKind: "thinking_of_leaving",
    sensitive: true,
    teamId: retention.id,
  });
  generalOffer = await createOffer({ formKind: "general", teamId: general.id });
});

async function ask(answers: Record<string, unknown> = goodAnswers) {
  return createRequest(asCurrentUser(staff), stayOffer.slug, {
    ...answers,
    contactMethod: "email",
    submissionKey: randomUUID(),
  });
}

async function hubAct(user: TestUser, reference: string, fields: Record<string, string | undefined>) {
  const cookie = await signInCookie(user.id);
  return runRoute(() =>
    hubRoute.action({
      request: formRequest(`/hub/requests/${reference}`, fields, { cookie }),
      params: { reference },
      context: {},
    }),
  );
}

describe("the stay-conversation request form", () => {
  it("answers 400 naming every missing question, keeping what was typed; nothing is stored", async () => {
    const cookie = await signInCookie(staff.id);
    const submissionKey = randomUUID();
    const bad = await runRoute(() =>
      requestRoute.action({
        request: formRequest(
          `/support/${stayOffer.slug}/request`,
          { submissionKey, contactMethod: "email", details: "I love the job but not the rota" },
          { cookie },
        ),
        params: { slug: stayOffer.slug },
        context: {},
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({
      errors: {
        leavingReasons: "Select what is making you think about leaving",
        wouldHelpStay: "Select what might help you stay",
        howSoon: "Select how soon you might leave",
        hubAction: "Select what you would like the people hub to do",
      },
      values: { details: "I love the job but not the rota", submissionKey },
    });
    const [{ n }] = await queryRows<{ n: number }>(
      getDb(),
      sql`select count(*)::int as n from support_requests where requester_id = ${staff.id} and submission_key = ${submissionKey}`,
    );
    expect(n).toBe(0);
  });

  it("'how soon: within a month' raises the request's priority: urgent, due in hours, ahead of the rest in the queue", async () => {
    // Two other people, so the later tests' "you already have an open request" check is untouched.
    const askAs = async (howSoon: string) =>
      createRequest(asCurrentUser(await createUser()), stayOffer.slug, {
        ...goodAnswers,
        howSoon,
        contactMethod: "email",
        submissionKey: randomUUID(),
      });
    const later = await askAs("over_3_months");
    const soon = await askAs("within_month");
    const laterRow = await rowOf(later.reference);
    const soonRow = await rowOf(soon.reference);
    expect(soonRow.priority).toBe("urgent");
    expect(laterRow.priority).toBe("normal");
    // The urgent first-contact target: due before the request sent a moment earlier.
    expect(soonRow.dueAt.getTime()).toBeLessThan(laterRow.dueAt.getTime());
    const queue = await listHubQueue(
      asCurrentUser(retentionCoordinator),
      parseHubQueueQuery(new URLSearchParams()),
      new Date(),
    );
    const order = queue.items.map((i) => i.reference);
    expect(order).toContain(soon.reference);
    expect(order.indexOf(soon.reference)).toBeLessThan(order.indexOf(later.reference));
  });

  it("refuses values that are not on the lists", async () => {
    await expect(
      ask({ ...goodAnswers, leavingReasons: ["workload", "boredom"], howSoon: "tomorrow" }),
    ).rejects.toMatchObject({
      code: "invalid",
      errors: {
        leavingReasons: "Select what is making you think about leaving",
        howSoon: "Select how soon you might leave",
      },
    });
  });

  it("sends a good form (several reasons by checkbox) and redirects to the request", async () => {
    const cookie = await signInCookie(staff.id);
    const sent = await runRoute(() =>
      requestRoute.action({
        request: formRequest(
          `/support/${stayOffer.slug}/request`,
          { ...goodAnswers, submissionKey: randomUUID(), contactMethod: "email" },
          { cookie },
        ),
        params: { slug: stayOffer.slug },
        context: {},
      }),
    );
    expect(sent.status).toBe(302);
    const reference = /\/my\/requests\/(SW-\d{4}-\d{5})/.exec(sent.location ?? "")?.[1];
    expect(reference).toBeDefined();
    const row = await rowOf(reference!);
    expect(row.answers).toEqual(goodAnswers);
  });

  it("stores each coded answer as a row SQL can count, in the same transaction as the request", async () => {
    const created = await ask({ ...goodAnswers, details: "The rota is impossible with childcare" });
    const rows = await getDb()
      .select({ question: stayConversationAnswers.question, answer: stayConversationAnswers.answer })
      .from(stayConversationAnswers)
      .where(eq(stayConversationAnswers.requestId, created.id))
      .orderBy(stayConversationAnswers.question, stayConversationAnswers.answer);
    expect(rows).toEqual([
      { question: "howSoon", answer: "1_3_months" },
      { question: "hubAction", answer: "conversation" },
      { question: "leavingReasons", answer: "shift_patterns_hours" },
      { question: "leavingReasons", answer: "work_life_balance" },
      { question: "wouldHelpStay", answer: "flexible_working" },
      { question: "wouldHelpStay", answer: "move_ics_organisation" },
    ]);
    // Free text is never copied there.
    expect(JSON.stringify(rows)).not.toContain("childcare");

    const counts = await queryRows<{ answer: string; n: number }>(
      getDb(),
      sql`select answer, count(*)::int as n from stay_conversation_answers a
          join support_requests r on r.id = a.request_id
          where a.question = 'leavingReasons' and r.requester_id = ${staff.id}
          group by answer order by answer`,
    );
    expect(counts.find((c) => c.answer === "work_life_balance")!.n).toBeGreaterThanOrEqual(2);
  });
});

describe("closing a stay conversation", () => {
  it("refuses to close without a retention outcome (clear error, what was chosen kept, nothing changed)", async () => {
    const { reference } = await ask();
    const before = await rowOf(reference);
    const refused = await hubAct(retentionCoordinator, reference, {
      intent: "status",
      version: String(before.version),
      stayConversation: "1",
      to: "closed",
      outcome: "support_given",
    });
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({
      errors: { retentionOutcome: RETENTION_OUTCOME_REQUIRED },
      values: { to: "closed", outcome: "support_given" },
    });
    const after = await rowOf(reference);
    expect(after.status).toBe("new");
    expect(after.version).toBe(before.version);

    // The model refuses it too, whatever the form sent (no marker, or a value not on the list).
    const caller = asCurrentUser(retentionCoordinator);
    for (const retentionOutcome of [undefined, "", "promoted"]) {
      const err = await changeHubRequestStatus(caller, reference, {
        to: "closed",
        outcome: "support_given",
        retentionOutcome,
        version: before.version,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HubRequestError);
      expect(err).toMatchObject({ code: "invalid", errors: { retentionOutcome: RETENTION_OUTCOME_REQUIRED } });
    }
    const noMarker = await hubAct(retentionCoordinator, reference, {
      intent: "status",
      version: String(before.version),
      to: "closed",
      outcome: "support_given",
    });
    expect(noMarker.status).toBe(400);
    expect(noMarker.data).toMatchObject({ errors: { retentionOutcome: RETENTION_OUTCOME_REQUIRED } });
    expect((await rowOf(reference)).status).toBe("new");
  });

  it("closes with 'moved to another ICS organisation': stored in its column, shown to the hub and the person; reopening clears it", async () => {
    const { reference } = await ask();
    const version = (await rowOf(reference)).version;
    const closed = await hubAct(retentionCoordinator, reference, {
      intent: "status",
      version: String(version),
      stayConversation: "1",
      to: "closed",
      outcome: "support_given",
      retentionOutcome: "moved_to_ics_organisation",
    });
    expect(closed.status).toBe(302);
    const row = await rowOf(reference);
    expect(row).toMatchObject({ status: "closed", closeOutcome: "support_given" });
    const [stored] = await getDb()
      .select({ retentionOutcome: supportRequests.retentionOutcome })
      .from(supportRequests)
      .where(eq(supportRequests.reference, reference));
    expect(stored.retentionOutcome).toBe("moved_to_ics_organisation");

    const [{ n }] = await queryRows<{ n: number }>(
      getDb(),
      sql`select count(*)::int as n from support_requests
          where retention_outcome = 'moved_to_ics_organisation' and reference = ${reference}`,
    );
    expect(n).toBe(1);

    const hub = await getHubRequest(asCurrentUser(retentionCoordinator), reference);
    expect(hub.outcome).toBe("found");
    if (hub.outcome === "found") {
      expect(hub.request.retentionOutcome).toBe("moved_to_ics_organisation");
      const closing = hub.request.timeline.find((e) => e.kind === "status_changed");
      expect(closing?.data).toMatchObject({ to: "closed", retentionOutcome: "moved_to_ics_organisation" });
    }

    const mine = await getMyRequest(asCurrentUser(staff), reference);
    expect(mine?.retentionOutcome).toBe("moved_to_ics_organisation");
    const staffCookie = await signInCookie(staff.id);
    const page = await runRoute(() =>
      detailRoute.loader({
        request: getRequest(`/my/requests/${reference}`, { cookie: staffCookie }),
        params: { reference },
        context: {},
      }),
    );
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).toContain('"retentionOutcome":"moved_to_ics_organisation"');

    await changeHubRequestStatus(asCurrentUser(retentionCoordinator), reference, {
      to: "in_progress",
      version: row.version,
    });
    const [reopened] = await getDb()
      .select({ retentionOutcome: supportRequests.retentionOutcome, status: supportRequests.status })
      .from(supportRequests)
      .where(eq(supportRequests.reference, reference));
    expect(reopened).toEqual({ status: "in_progress", retentionOutcome: null });
  });

  it("leaves other offers as they were: closing needs no retention outcome, and one sent is not stored", async () => {
    const { reference } = await createRequest(asCurrentUser(staff), generalOffer.slug, {
      details: "Career chat",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    const version = (await rowOf(reference)).version;
    const closed = await hubAct(otherCoordinator, reference, {
      intent: "status",
      version: String(version),
      to: "closed",
      outcome: "support_given",
      retentionOutcome: "left_ics",
    });
    expect(closed.status).toBe(302);
    const [row] = await getDb()
      .select({ status: supportRequests.status, retentionOutcome: supportRequests.retentionOutcome })
      .from(supportRequests)
      .where(eq(supportRequests.reference, reference));
    expect(row).toEqual({ status: "closed", retentionOutcome: null });
  });
});

describe("need-to-know", () => {
  it("another team's coordinator, even one sharing a team with the retention coordinator, gets not found", async () => {
    const { reference } = await ask();
    const other = await getHubRequest(asCurrentUser(otherCoordinator), reference);
    expect(other.outcome).toBe("not_found");
    const cookie = await signInCookie(otherCoordinator.id);
    const page = await runRoute(() =>
      hubRoute.loader({
        request: getRequest(`/hub/requests/${reference}`, { cookie, headers: FROM_STAYWELL }),
        params: { reference },
        context: {},
      }),
    );
    expect(page.status).toBe(404);
    const closing = await hubAct(otherCoordinator, reference, {
      intent: "status",
      version: "1",
      to: "closed",
      outcome: "support_given",
      retentionOutcome: "stayed_in_role",
    });
    expect(closing.status).toBe(404);
    expect((await rowOf(reference)).status).toBe("new");
  });

  it("a manager cannot open it in the hub, and another staff member cannot see it", async () => {
    const { reference } = await ask();
    const cookie = await signInCookie(manager.id);
    const page = await runRoute(() =>
      hubRoute.loader({
        request: getRequest(`/hub/requests/${reference}`, { cookie, headers: FROM_STAYWELL }),
        params: { reference },
        context: {},
      }),
    );
    expect([403, 404]).toContain(page.status);
    const stranger = await createUser();
    expect(await getMyRequest(asCurrentUser(stranger), reference)).toBeNull();
  });
});

describe("the seed", () => {
  it("puts the offer, the Retention and careers team and its coordinator on a new database, and back on an existing one", async () => {
    const db = getDb();
    await seedDemoData(db, { pastRequests: 0 });
    const check = async (expectedMembers: string[]) => {
      const [offer] = await db
        .select({
          formKind: supportOffers.formKind,
          sensitive: supportOffers.sensitive,
          active: supportOffers.active,
          team: teams.slug,
          teamName: teams.name,
        })
        .from(supportOffers)
        .innerJoin(teams, eq(teams.id, supportOffers.teamId))
        .where(eq(supportOffers.slug, "thinking-of-leaving"));
      expect(offer).toEqual({
        formKind: "thinking_of_leaving",
        sensitive: true,
        active: true,
        team: "retention-careers",
        teamName: "Retention and careers",
      });
      const members = await db
        .select({ email: users.email, role: users.role })
        .from(teamMembers)
        .innerJoin(teams, eq(teams.id, teamMembers.teamId))
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(eq(teams.slug, "retention-careers"));
      expect(members.map((m) => m.email).sort()).toEqual(expectedMembers);
      expect(members.every((m) => m.role === "coordinator")).toBe(true);
    };
    await check(["amira.khan@icb.staywell.test", "retention.coordinator@icb.staywell.test"]);

    // A database seeded before the offer existed: without the offer, the team and the account.
    await db.delete(supportOffers).where(eq(supportOffers.slug, "thinking-of-leaving"));
    await db.delete(teams).where(eq(teams.slug, "retention-careers"));
    await db.delete(users).where(eq(users.email, "retention.coordinator@icb.staywell.test"));
    const again = await seedDemoData(db, { pastRequests: 0 });
    // Only the coordinator is put in it: the colleague (amira.khan) is still in the Reservist bank
    // team, and the seed adds places only for accounts in no team (db/seed.ts), never moving people.
    expect(again.inserted).toMatchObject({ teams: 1, offers: 1, accounts: 1, teamMembers: 1 });
    await check(["retention.coordinator@icb.staywell.test"]);

    // The general coordinator is not in it (need-to-know), on either database.
    const [general] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teams.slug, "retention-careers"), eq(users.email, "coordinator@icb.staywell.test")));
    expect(general.n).toBe(0);
  });
});
