// People administration (/admin/people and /admin/people/<id>): loaders and actions called as
// Remix calls them (plain form POSTs), and the model functions, on PGlite and PostgreSQL.
// Who may use it; search; the person page (no request content); role changes with a manager's
// scope (and what /insights then shows); the last administrator; disabling (sessions end at once)
// and re-enabling; the audit rows; stale versions; two administrators acting at the same moment.
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray, isNull, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  adminAudit,
  adminProposals,
  requestEvents,
  sessions,
  supportRequests,
  teamMembers,
  users,
  type Organisation,
  type SupportOffer,
} from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import { AdminError, isAdminError } from "~/.server/models/admin/common.server";
import {
  activeAdminIds,
  changeRole,
  containsPattern,
  countAccountsByRole,
  disableAccount,
  enableAccount,
  getPerson,
  searchPeople,
} from "~/.server/models/admin/people.server";
import { loadInsightsPage } from "~/.server/models/insights.server";
import { decideProposal } from "~/.server/models/admin/proposals.server";
import { createRequest } from "~/.server/models/requests.server";
import * as personRoute from "~/routes/admin.people.$userId";
import * as peopleRoute from "~/routes/admin.people._index";
import * as myRequestsRoute from "~/routes/my.requests._index";
import { parsePeopleSearch } from "~/schemas/admin-people";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, signInCookie, runRoute } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const run = runRoute;

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

async function listPage(user: TestUser, query = "") {
  const cookie = await cookieOf(user);
  return run(() =>
    peopleRoute.loader({ request: getRequest(`/admin/people${query}`, { cookie }), params: {}, context: {} }),
  );
}

async function personPage(user: TestUser, userId: string, query = "") {
  const cookie = await cookieOf(user);
  return run(() =>
    personRoute.loader({
      request: getRequest(`/admin/people/${userId}${query}`, { cookie }),
      params: { userId },
      context: {},
    }),
  );
}

async function act(user: TestUser, userId: string, fields: Record<string, string | number | boolean | undefined>) {
  const cookie = await cookieOf(user);
  return run(() =>
    personRoute.action({
      request: formRequest(`/admin/people/${userId}`, fields, { cookie }),
      params: { userId },
      context: {},
    }),
  );
}

async function rowOf(userId: string) {
  const [row] = await getDb().select().from(users).where(eq(users.id, userId));
  return row;
}

async function auditOf(userId: string) {
  return getDb()
    .select()
    .from(adminAudit)
    .where(and(eq(adminAudit.entity, "user"), eq(adminAudit.entityId, userId)))
    .orderBy(asc(adminAudit.id));
}

async function teamsOf(userId: string) {
  const rows = await getDb()
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId));
  return rows.map((r) => r.teamId);
}

async function sessionCount(userId: string) {
  const [{ n }] = await getDb().select({ n: count() }).from(sessions).where(eq(sessions.userId, userId));
  return Number(n);
}

/** Makes `admin` the only active administrator (every other one is disabled). */
async function makeSoleAdmin(admin: TestUser) {
  await getDb()
    .update(users)
    .set({ disabledAt: new Date() })
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, admin.id)));
}

async function activeAdminCount() {
  const [{ n }] = await getDb()
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt)));
  return Number(n);
}

async function expectAdminError(promise: Promise<unknown>, code: AdminError["code"]) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAdminError(err, code), `expected AdminError ${code}, got ${String(err)}`).toBe(true);
  return err as AdminError;
}

let org: Organisation;
let otherOrg: Organisation;

beforeAll(async () => {
  org = await createOrganisation({ name: "Royal Stoke Test Trust", slug: "rstt" });
  otherOrg = await createOrganisation({ name: "Midlands Partnership Test Trust", slug: "mptt" });
});

describe("who may use people administration", () => {
  it("answers 403 to staff, coordinators and managers on every loader and action, and sends the signed-out to sign in", async () => {
    const target = await createUser({ organisationId: org.id });
    for (const role of ["staff", "coordinator", "manager"] as const) {
      const user = await createUser({ role, organisationId: org.id });
      expect((await listPage(user)).status, `${role} list`).toBe(403);
      expect((await personPage(user, target.id)).status, `${role} person`).toBe(403);
      for (const fields of [
        { intent: "role", role: "admin", version: 1 },
        { intent: "disable", confirm: "on", version: 1 },
        { intent: "enable", version: 1 },
      ]) {
        expect((await act(user, target.id, fields)).status, `${role} ${fields.intent}`).toBe(403);
      }
    }
    const anonymous = await run(() =>
      peopleRoute.loader({ request: getRequest("/admin/people"), params: {}, context: {} }),
    );
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
    // Nothing was changed by any of it.
    expect(await rowOf(target.id)).toMatchObject({ role: "staff", disabledAt: null, version: 1 });
    expect(await auditOf(target.id)).toEqual([]);
  });

  it("the model functions refuse a caller who is not an administrator", async () => {
    const target = await createUser({ organisationId: org.id });
    for (const role of ["staff", "coordinator", "manager"] as const) {
      const caller = asCurrentUser(await createUser({ role, organisationId: org.id }));
      await expectAdminError(searchPeople(caller, parsePeopleSearch(new URLSearchParams())), "forbidden");
      await expectAdminError(getPerson(caller, target.id), "forbidden");
      await expectAdminError(changeRole(caller, target.id, { role: "admin", version: 1 }), "forbidden");
      await expectAdminError(disableAccount(caller, target.id, { version: 1 }), "forbidden");
      await expectAdminError(enableAccount(caller, target.id, { version: 1 }), "forbidden");
      await expectAdminError(countAccountsByRole(caller), "forbidden");
      await expectAdminError(activeAdminIds(caller), "forbidden");
    }
    expect(await rowOf(target.id)).toMatchObject({ role: "staff", version: 1 });
  });

  it("refuses an administrator whose role was taken away after they signed in (the caller object is stale)", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id });
    const target = await createUser({ organisationId: org.id });
    const stale: CurrentUser = asCurrentUser(admin);
    await getDb().update(users).set({ role: "staff" }).where(eq(users.id, admin.id));
    await expectAdminError(changeRole(stale, target.id, { role: "coordinator", version: 1 }), "forbidden");
    await expectAdminError(disableAccount(stale, target.id, { version: 1 }), "forbidden");
    expect(await rowOf(target.id)).toMatchObject({ role: "staff", disabledAt: null, version: 1 });
  });
});

describe("finding people", () => {
  let admin: TestUser;
  const token = `zq${Date.now().toString(36)}`;

  beforeAll(async () => {
    admin = await createUser({ role: "admin", organisationId: org.id, name: "Ada Administrator" });
    // 53 people whose names contain the token, in two organisations, one a manager.
    for (let i = 0; i < 53; i++) {
      await createUser({
        organisationId: i % 2 === 0 ? org.id : otherOrg.id,
        name: `Person ${String(i).padStart(2, "0")} ${token.toUpperCase()}`,
        email: `p${i}.${token}@example.test`,
        role: i === 7 ? "manager" : "staff",
        managesOrganisationId: i === 7 ? otherOrg.id : null,
      });
    }
    await createUser({
      organisationId: org.id,
      name: "Sarah O'Bennett-Smith",
      email: `sarah.${token}@uhnm.example.test`,
    });
    await createUser({ organisationId: org.id, name: "Percy Literal", email: `percy.${token}@example.test` });
    const demo = await createUser({
      organisationId: org.id,
      name: `Generated ${token} Demo`,
      email: `demo.${token}@example.test`,
    });
    await getDb().update(users).set({ isDemo: true }).where(eq(users.id, demo.id));
  });

  async function search(query: string) {
    const out = await listPage(admin, query);
    expect(out.status).toBe(200);
    return out.data as Awaited<ReturnType<typeof peopleRoute.loader>>;
  }

  it("matches any part of the name or email, in any case, 50 a page in name order", async () => {
    const first = await search(`?q=${token.toUpperCase()}`);
    // 53 + Sarah + Percy (email) = 55; the demo account is left out.
    expect(first.total).toBe(55);
    expect(first.people).toHaveLength(50);
    expect(first.hasNextPage).toBe(true);
    const names = first.people.map((p) => p.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    const second = await search(`?q=${token}&page=2`);
    expect(second.people).toHaveLength(5);
    expect(second.hasNextPage).toBe(false);
    const ids = new Set([...first.people, ...second.people].map((p) => p.id));
    expect(ids.size).toBe(55);
    expect(second.total).toBe(55);
    const beyond = await search(`?q=${token}&page=9`);
    expect([beyond.people.length, beyond.total, beyond.hasNextPage]).toEqual([0, 55, false]);

    const byName = await search(`?q=bennett-sm`);
    expect(byName.people.map((p) => p.name)).toEqual(["Sarah O'Bennett-Smith"]);
    const byEmail = await search(`?q=${encodeURIComponent(`H.${token}@UHNM`)}`);
    expect(byEmail.people.map((p) => p.name)).toEqual(["Sarah O'Bennett-Smith"]);
    expect((await search(`?q=${encodeURIComponent(`O'Bennett`)}`)).total).toBe(1);
  });

  it("takes % and _ literally, filters by role and organisation, and includes demo staff only when asked", async () => {
    expect(containsPattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
    expect((await search(`?q=${encodeURIComponent(`%${token}`)}`)).total).toBe(0);
    expect((await search(`?q=${encodeURIComponent(`p_.${token}`)}`)).total).toBe(0);

    const managers = await search(`?q=${token}&role=manager`);
    expect(managers.people.map((p) => [p.name, p.managesOrganisationName])).toEqual([
      [`Person 07 ${token.toUpperCase()}`, otherOrg.name],
    ]);
    const inOther = await search(`?q=${token}&organisation=${otherOrg.slug}`);
    expect(inOther.total).toBe(26);
    expect(inOther.people.every((p) => p.organisationName === otherOrg.name)).toBe(true);
    const unknownOrg = await search(`?q=${token}&organisation=no-such-org`);
    expect(unknownOrg.errors).toEqual([{ field: "organisation", message: "Choose an organisation from the list" }]);

    const withDemo = await search(`?q=${token}&demo=1`);
    expect(withDemo.total).toBe(56);
    expect(
      withDemo.people.concat((await search(`?q=${token}&demo=1&page=2`)).people).filter((p) => p.isDemo),
    ).toHaveLength(1);

    // A bad page number or role falls back to the default rather than failing.
    const odd = await search(`?q=${token}&page=-3&role=emperor`);
    expect(odd.page).toBe(1);
    expect(odd.filters.role).toBeUndefined();
  });
});

describe("a person's page", () => {
  it("shows who they are, their role, scope, status and teams, and nothing of their requests", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id });
    const person = await createUser({ role: "coordinator", organisationId: org.id, name: "Cora Ordinator" });
    await createTeam({ name: "Wellbeing hub B", members: [person.id] });
    await createTeam({ name: "Wellbeing hub A", members: [person.id] });
    const offer = await createOffer({ formKind: "general" });
    const secret = `Private details ${randomUUID()}`;
    const { reference } = await createRequest(asCurrentUser(person), offer.slug, {
      details: secret,
      contactMethod: "email",
      submissionKey: randomUUID(),
    });

    const out = await personPage(admin, person.id);
    expect(out.status).toBe(200);
    const data = out.data as Awaited<ReturnType<typeof personRoute.loader>>;
    expect(data.person).toMatchObject({
      id: person.id,
      name: "Cora Ordinator",
      email: person.email,
      organisation: { id: org.id, name: org.name },
      role: "coordinator",
      managesOrganisation: null,
      disabledAt: null,
      teams: ["Wellbeing hub A", "Wellbeing hub B"],
      isSelf: false,
      version: 1,
    });
    const text = JSON.stringify(data);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(reference);

    expect((await personPage(admin, "no-such-person")).status).toBe(404);
    expect((await act(admin, "no-such-person", { intent: "enable", version: 1 })).status).toBe(404);
  });
});

describe("changing a role", () => {
  it("records role_changed with before and after, bumps the version and redirects with a message", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id, name: "Ada Admin" });
    const person = await createUser({ organisationId: org.id, name: "Sam Staff" });
    const out = await act(admin, person.id, { intent: "role", role: "coordinator", version: 1 });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/people/${person.id}?done=role`);
    expect(await rowOf(person.id)).toMatchObject({ role: "coordinator", managesOrganisationId: null, version: 2 });
    const audit = await auditOf(person.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.id,
      entity: "user",
      action: "role_changed",
      summary: "Changed Sam Staff from staff member to people hub coordinator",
      before: { role: "staff" },
      after: { role: "coordinator" },
    });

    // The same role again: nothing changes, nothing is recorded.
    const again = await act(admin, person.id, { intent: "role", role: "coordinator", version: 2 });
    expect(again.location).toBe(`/admin/people/${person.id}?done=unchanged`);
    expect((await rowOf(person.id)).version).toBe(2);
    expect(await auditOf(person.id)).toHaveLength(1);

    const page = await personPage(admin, person.id, "?done=role");
    expect((page.data as { done: string }).done).toBe("role");
  });

  it("gives a manager a scope (one organisation or the whole ICS) that /insights then uses, and clears it for other roles", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id });
    const person = await createUser({ organisationId: org.id, name: "Mo Manager" });

    // A manager needs a scope; an unknown organisation is refused.
    const noScope = await act(admin, person.id, { intent: "role", role: "manager", version: 1 });
    expect(noScope.status).toBe(400);
    expect((noScope.data as { errors: Record<string, string> }).errors).toEqual({
      managesOrganisation: "Choose whether they see the whole ICS or one organisation",
    });
    const unknown = await act(admin, person.id, {
      intent: "role",
      role: "manager",
      managesOrganisation: "999999",
      version: 1,
    });
    expect(unknown.status).toBe(400);
    expect((unknown.data as { errors: Record<string, string>; values: Record<string, unknown> }).errors).toEqual({
      managesOrganisation: "Choose an organisation from the list",
    });
    expect((unknown.data as { values: Record<string, unknown> }).values).toMatchObject({
      role: "manager",
      managesOrganisation: "999999",
    });
    expect(await rowOf(person.id)).toMatchObject({ role: "staff", version: 1 });

    expect(
      (
        await act(admin, person.id, {
          intent: "role",
          role: "manager",
          managesOrganisation: String(otherOrg.id),
          version: 1,
        })
      ).status,
    ).toBe(302);
    let row = await rowOf(person.id);
    expect(row).toMatchObject({ role: "manager", managesOrganisationId: otherOrg.id, version: 2 });
    const scoped = await loadInsightsPage(asCurrentUser(row), new URL("http://localhost/insights"));
    expect(scoped.scope).toMatchObject({ kind: "organisation", organisation: { slug: otherOrg.slug } });
    expect(scoped.filters.filter).toEqual({ kind: "organisation", slug: otherOrg.slug });
    expect(scoped.options.organisations).toEqual([]);

    expect(
      (await act(admin, person.id, { intent: "role", role: "manager", managesOrganisation: "ics", version: 2 })).status,
    ).toBe(302);
    row = await rowOf(person.id);
    expect(row).toMatchObject({ role: "manager", managesOrganisationId: null, version: 3 });
    const ics = await loadInsightsPage(asCurrentUser(row), new URL("http://localhost/insights"));
    expect(ics.scope).toEqual({ kind: "ics" });
    expect(ics.options.organisations.map((o) => o.slug)).toEqual(expect.arrayContaining([org.slug, otherOrg.slug]));

    // Another role: the scope is cleared even when the form sends one.
    expect(
      (
        await act(admin, person.id, {
          intent: "role",
          role: "coordinator",
          managesOrganisation: String(org.id),
          version: 3,
        })
      ).status,
    ).toBe(302);
    expect(await rowOf(person.id)).toMatchObject({ role: "coordinator", managesOrganisationId: null, version: 4 });

    const audit = await auditOf(person.id);
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      [
        "role_changed",
        { role: "staff", managesOrganisation: null },
        { role: "manager", managesOrganisation: otherOrg.slug },
      ],
      ["role_changed", { managesOrganisation: otherOrg.slug }, { managesOrganisation: "ICS" }],
      [
        "role_changed",
        { role: "manager", managesOrganisation: "ICS" },
        { role: "coordinator", managesOrganisation: null },
      ],
    ]);
    expect(audit[0]!.summary).toBe(`Changed Mo Manager from staff member to manager (${otherOrg.name})`);
    expect(audit[1]!.summary).toBe(`Changed Mo Manager from manager (${otherOrg.name}) to manager (whole ICS)`);
  });

  it("refuses a bad role, a missing intent and a stale or missing version (409, with who changed it)", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id, name: "Ada Lovelace" });
    const person = await createUser({ organisationId: org.id });
    const badRole = await act(admin, person.id, { intent: "role", role: "emperor", version: 1 });
    expect(badRole.status).toBe(400);
    expect((badRole.data as { errors: Record<string, string> }).errors.role).toBeTruthy();
    expect((await act(admin, person.id, { intent: "promote", version: 1 })).status).toBe(400);

    expect((await act(admin, person.id, { intent: "role", role: "coordinator", version: 1 })).status).toBe(302);
    for (const version of [1, "abc", undefined]) {
      const stale = await act(admin, person.id, {
        intent: "role",
        role: "manager",
        managesOrganisation: "ics",
        version,
      });
      expect(stale.status, String(version)).toBe(409);
      const body = stale.data as { errors: Record<string, string>; conflict: boolean; values: Record<string, unknown> };
      expect(body.conflict).toBe(true);
      expect(body.values).toMatchObject({ role: "manager" });
      if (version === 1)
        expect(body.errors._form).toMatch(
          /^This account was changed by Ada Lovelace at \d{2}:\d{2} on .+ — review and try again$/,
        );
    }
    for (const fields of [
      { intent: "disable", confirm: "on", version: 1 },
      { intent: "enable", version: 1 },
    ]) {
      expect((await act(admin, person.id, fields)).status, fields.intent).toBe(409);
    }
    expect(await rowOf(person.id)).toMatchObject({ role: "coordinator", disabledAt: null, version: 2 });
    expect(await auditOf(person.id)).toHaveLength(1);
  });

  it("unassigns the open requests of a coordinator who is no longer one (they could not open them)", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id });
    const coord = await createUser({ role: "coordinator", organisationId: org.id, name: "Cy Coordinator" });
    const team = await createTeam({ members: [coord.id] });
    const offer = await createOffer({ teamId: team.id, formKind: "general" });
    const asker = await createUser({ organisationId: org.id });
    const refs = await requestsAssignedTo(asker, offer, coord, 2);

    // Making them an administrator is a proposal (ADR 009); a second administrator approves it.
    expect((await act(admin, coord.id, { intent: "role", role: "admin", version: 1 })).location).toBe(
      `/admin/people/${coord.id}?done=proposed`,
    );
    const [proposal] = await getDb().select().from(adminProposals).where(eq(adminProposals.userId, coord.id));
    const second = await createUser({ role: "admin", organisationId: org.id });
    await decideProposal(asCurrentUser(second), proposal!.id, "approve");
    expect(await assigneesOf(refs)).toEqual([coord.id, coord.id]); // an administrator in a team keeps the hub
    expect(await teamsOf(coord.id)).toEqual([team.id]);
    const out = await act(admin, coord.id, { intent: "role", role: "staff", version: 2 });
    expect(out.location).toBe(`/admin/people/${coord.id}?done=role&unassigned=2`);
    expect(await assigneesOf(refs)).toEqual([null, null]);
    const events = await getDb()
      .select({
        kind: requestEvents.kind,
        actorId: requestEvents.actorId,
        visible: requestEvents.visibleToRequester,
        data: requestEvents.data,
      })
      .from(requestEvents)
      .innerJoin(supportRequests, eq(supportRequests.id, requestEvents.requestId))
      .where(and(inArray(supportRequests.reference, refs), eq(requestEvents.kind, "assigned")));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      actorId: admin.id,
      visible: false,
      data: { assigneeId: null, previousAssigneeId: coord.id },
    });
    expect((await auditOf(coord.id)).at(-1)!.summary).toMatch(
      /; 2 open requests they were looking after unassigned; taken out of team /,
    );
    // Their membership went with the hub: getting the role back re-opens nothing.
    expect(await teamsOf(coord.id)).toEqual([]);
  });
});

async function requestsAssignedTo(asker: TestUser, offer: SupportOffer, assignee: TestUser, n: number) {
  const refs: string[] = [];
  for (let i = 0; i < n; i++) {
    const { reference } = await createRequest(asCurrentUser(asker), offer.slug, {
      details: "Help with my rota",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    await getDb()
      .update(supportRequests)
      .set({ assigneeId: assignee.id })
      .where(eq(supportRequests.reference, reference));
    refs.push(reference);
  }
  return refs;
}

async function assigneesOf(refs: string[]) {
  const rows = await getDb()
    .select({ ref: supportRequests.reference, assigneeId: supportRequests.assigneeId })
    .from(supportRequests)
    .where(inArray(supportRequests.reference, refs));
  return refs.map((r) => rows.find((row) => row.ref === r)!.assigneeId);
}

describe("the last administrator", () => {
  it("cannot be demoted: the only active administrator's role change is refused with a clear message", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id });
    await makeSoleAdmin(admin);
    const page = await personPage(admin, admin.id);
    expect((page.data as { person: { isLastActiveAdmin: boolean; isSelf: boolean } }).person).toMatchObject({
      isLastActiveAdmin: true,
      isSelf: true,
    });
    const out = await act(admin, admin.id, { intent: "role", role: "staff", version: 1 });
    expect(out.status).toBe(400);
    expect((out.data as { errors: Record<string, string> }).errors.role).toBe(
      "You are the only active administrator. Make someone else an administrator before you change your own role.",
    );
    expect(await rowOf(admin.id)).toMatchObject({ role: "admin", version: 1 });
    expect(await auditOf(admin.id)).toEqual([]);
  });

  it("cannot disable themselves, with or without other administrators", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id });
    await createUser({ role: "admin", organisationId: org.id });
    const out = await act(admin, admin.id, { intent: "disable", confirm: "on", version: 1 });
    expect(out.status).toBe(400);
    expect((out.data as { errors: Record<string, string> }).errors._form).toBe(
      "You cannot disable your own account. Ask another administrator.",
    );
    await makeSoleAdmin(admin);
    expect((await act(admin, admin.id, { intent: "disable", confirm: "on", version: 1 })).status).toBe(400);
    expect(await rowOf(admin.id)).toMatchObject({ disabledAt: null, version: 1 });
    expect(await sessionCount(admin.id)).toBeGreaterThan(0);
  });

  it("a disabled administrator does not count; one of two can be demoted, then the other is the last", async () => {
    const ann = await createUser({ role: "admin", organisationId: org.id, name: "Ann Admin" });
    const bob = await createUser({ role: "admin", organisationId: org.id, name: "Bob Admin" });
    await makeSoleAdmin(ann);
    await getDb().update(users).set({ disabledAt: null }).where(eq(users.id, bob.id));
    const dora = await createUser({ role: "admin", organisationId: org.id, disabled: true });
    expect(await activeAdminIds(asCurrentUser(ann))).toEqual([ann.id, bob.id].sort());

    expect(
      (await act(ann, bob.id, { intent: "role", role: "manager", managesOrganisation: "ics", version: 1 })).status,
    ).toBe(302);
    const refused = await act(ann, ann.id, { intent: "role", role: "coordinator", version: 1 });
    expect(refused.status).toBe(400);
    const viaModel = await expectAdminError(
      changeRole(asCurrentUser(ann), ann.id, { role: "staff", version: 1 }),
      "invalid",
    );
    expect(viaModel.message).toMatch(/only active administrator/);
    expect(await activeAdminIds(asCurrentUser(ann))).toEqual([ann.id]);
    expect((await rowOf(dora.id)).role).toBe("admin");
  });

  it("an administrator may give up the role while another remains, and is sent to the home page", async () => {
    const ann = await createUser({ role: "admin", organisationId: org.id });
    const bob = await createUser({ role: "admin", organisationId: org.id });
    await makeSoleAdmin(ann);
    await getDb().update(users).set({ disabledAt: null }).where(eq(users.id, bob.id));
    const out = await act(ann, ann.id, { intent: "role", role: "staff", version: 1 });
    expect(out.status).toBe(302);
    expect(out.location).toBe("/");
    expect((await rowOf(ann.id)).role).toBe("staff");
    // At once, on the next request: no more /admin.
    expect((await listPage(ann)).status).toBe(403);
    expect((await listPage(bob)).status).toBe(200);
  });
});

describe("two administrators acting on each other at the same moment", () => {
  type Attempt = (me: CurrentUser, other: TestUser) => Promise<unknown>;
  const demote: Attempt = (me, other) => changeRole(me, other.id, { role: "staff", version: 1 });
  const disable: Attempt = (me, other) => disableAccount(me, other.id, { version: 1 });
  const scenarios: { name: string; ann: Attempt; bob: Attempt }[] = [
    { name: "each demotes the other", ann: demote, bob: demote },
    { name: "each disables the other", ann: disable, bob: disable },
    { name: "one demotes, the other disables", ann: demote, bob: disable },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.name}: exactly one wins and one active administrator remains`, async () => {
      for (let round = 0; round < 4; round++) {
        const ann = await createUser({ role: "admin", organisationId: org.id });
        const bob = await createUser({ role: "admin", organisationId: org.id });
        await makeSoleAdmin(ann);
        await getDb().update(users).set({ disabledAt: null }).where(eq(users.id, bob.id));
        expect(await activeAdminCount()).toBe(2);

        const results = await Promise.allSettled([
          scenario.ann(asCurrentUser(ann), bob),
          scenario.bob(asCurrentUser(bob), ann),
        ]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(won, `round ${round}`).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(isAdminError(lost[0]!.reason, "forbidden") || isAdminError(lost[0]!.reason, "invalid")).toBe(true);
        expect(await activeAdminCount()).toBe(1);
        const audits = await getDb()
          .select({ n: count() })
          .from(adminAudit)
          .where(and(eq(adminAudit.entity, "user"), inArray(adminAudit.entityId, [ann.id, bob.id])));
        expect(Number(audits[0]!.n)).toBe(1);
      }
    });
  }
});

describe("disabling and re-enabling an account", () => {
  async function myRequests(cookie: string) {
    return run(() =>
      myRequestsRoute.loader({ request: getRequest("/my/requests", { cookie }), params: {}, context: {} }),
    );
  }

  it("needs the confirmation box, ends the person's sessions at once, and is audited", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id, name: "Ada Admin" });
    const person = await createUser({ organisationId: org.id, name: "Dee Staff" });
    const laptop = await signInCookie(person.id);
    const phone = await signInCookie(person.id);
    expect((await myRequests(laptop)).status).toBe(200);
    expect((await myRequests(phone)).status).toBe(200);

    const unconfirmed = await act(admin, person.id, { intent: "disable", version: 1 });
    expect(unconfirmed.status).toBe(400);
    expect((unconfirmed.data as { errors: Record<string, string> }).errors).toEqual({
      confirm: "Confirm that you want to disable this account",
    });
    expect(await rowOf(person.id)).toMatchObject({ disabledAt: null, version: 1 });
    expect((await myRequests(laptop)).status).toBe(200);

    const out = await act(admin, person.id, { intent: "disable", confirm: "on", version: 1 });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/people/${person.id}?done=disabled`);
    expect((await rowOf(person.id)).disabledAt).toBeInstanceOf(Date);
    expect(await sessionCount(person.id)).toBe(0);
    for (const cookie of [laptop, phone]) {
      const next = await myRequests(cookie);
      expect(next.status).toBe(302);
      expect(next.location).toMatch(/^\/login\?redirectTo=/);
    }
    // A new session cannot be used either while the account is disabled.
    expect((await myRequests(await signInCookie(person.id))).status).toBe(302);

    const [entry] = (await auditOf(person.id)).filter((a) => a.action === "disabled");
    expect(entry).toMatchObject({
      actorId: admin.id,
      summary: "Disabled Dee Staff's account and signed them out (2 sessions ended)",
      before: { status: "active" },
      after: { status: "disabled" },
    });

    // Disabling twice (a current version) is refused rather than repeated.
    await expectAdminError(disableAccount(asCurrentUser(admin), person.id, { version: 2 }), "invalid");
  });

  it("re-enabling lets them sign in again; the old sessions stay ended", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id });
    const person = await createUser({ organisationId: org.id, name: "Eve Staff" });
    const old = await signInCookie(person.id);
    expect((await act(admin, person.id, { intent: "disable", confirm: "on", version: 1 })).status).toBe(302);
    const out = await act(admin, person.id, { intent: "enable", version: 2 });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/people/${person.id}?done=enabled`);
    expect(await rowOf(person.id)).toMatchObject({ disabledAt: null, version: 3 });
    expect((await myRequests(old)).status).toBe(302);
    expect((await myRequests(await signInCookie(person.id))).status).toBe(200);
    expect((await auditOf(person.id)).map((a) => [a.action, a.before, a.after, a.summary])).toEqual([
      [
        "disabled",
        { status: "active" },
        { status: "disabled" },
        "Disabled Eve Staff's account and signed them out (1 session ended)",
      ],
      ["enabled", { status: "disabled" }, { status: "active" }, "Re-enabled Eve Staff's account"],
    ]);
    // Enabling an account that is not disabled is refused.
    const again = await act(admin, person.id, { intent: "enable", version: 3 });
    expect(again.status).toBe(400);
  });

  it("unassigns the open requests a disabled coordinator was looking after", async () => {
    const admin = await createUser({ role: "admin", organisationId: org.id });
    const coord = await createUser({ role: "coordinator", organisationId: org.id, name: "Kit Coordinator" });
    const team = await createTeam({ members: [coord.id] });
    const offer = await createOffer({ teamId: team.id, formKind: "general" });
    const refs = await requestsAssignedTo(await createUser({ organisationId: org.id }), offer, coord, 1);
    const out = await act(admin, coord.id, { intent: "disable", confirm: "on", version: 1 });
    expect(out.location).toBe(`/admin/people/${coord.id}?done=disabled&unassigned=1`);
    expect(await assigneesOf(refs)).toEqual([null]);
    expect((await auditOf(coord.id))[0]!.summary).toBe(
      `Disabled Kit Coordinator's account (they were not signed in); 1 open request they were looking after unassigned; taken out of team ${team.name}`,
    );
    expect(await teamsOf(coord.id)).toEqual([]);
  });

  it("another administrator can be disabled (and is signed out of /admin at once)", async () => {
    const ann = await createUser({ role: "admin", organisationId: org.id });
    const bob = await createUser({ role: "admin", organisationId: org.id });
    expect((await listPage(bob)).status).toBe(200);
    expect((await act(ann, bob.id, { intent: "disable", confirm: "on", version: 1 })).status).toBe(302);
    const after = await listPage(bob);
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/login/);
  });
});
