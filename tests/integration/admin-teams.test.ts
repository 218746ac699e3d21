// /admin/teams: the list, new and team pages' loaders and actions called as Remix calls them
// (plain form POSTs), and the model behind them, on PGlite and PostgreSQL. Who may use them,
// slugs, members (and what that does to the hub at once), moving offers between teams (exactly one
// team per offer; the previous team stops seeing its requests), open requests never left assigned
// to someone who cannot see them, audit before/after, stale versions, errors keeping what was typed.
import { randomUUID } from "node:crypto";
import { and, asc, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  adminAudit,
  requestEvents,
  supportOffers,
  supportRequests,
  teamMembers,
  teams,
  type SupportOffer,
  type Team,
} from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import { AdminError } from "~/.server/models/admin/common.server";
import * as model from "~/.server/models/admin/teams.server";
import { canUseHub, hubVisibleRequests } from "~/.server/permissions.server";
import { createRequest } from "~/.server/models/requests.server";
import * as teamRoute from "~/routes/admin.teams.$teamId";
import * as listRoute from "~/routes/admin.teams._index";
import * as newRoute from "~/routes/admin.teams.new";
import { slugFromName } from "~/schemas/admin-teams";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, signInCookie, type FormFields, runRoute } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const run = runRoute;

type ActionBody = {
  intent: string | null;
  errors: Record<string, string>;
  values: Record<string, unknown>;
  conflict?: boolean;
};
type TeamPage = Awaited<ReturnType<typeof teamRoute.loader>>;

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser | null) {
  if (!user) return undefined;
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

async function listAs(user: TestUser | null) {
  const cookie = await cookieOf(user);
  return run(() => listRoute.loader({ request: getRequest("/admin/teams", { cookie }), params: {}, context: {} }));
}
async function newPageAs(user: TestUser | null) {
  const cookie = await cookieOf(user);
  return run(() => newRoute.loader({ request: getRequest("/admin/teams/new", { cookie }), params: {}, context: {} }));
}
async function createAs(user: TestUser | null, fields: FormFields) {
  const cookie = await cookieOf(user);
  return run(() =>
    newRoute.action({ request: formRequest("/admin/teams/new", fields, { cookie }), params: {}, context: {} }),
  );
}
async function pageAs(user: TestUser | null, id: number | string, query = "") {
  const cookie = await cookieOf(user);
  const teamId = String(id);
  return run(() =>
    teamRoute.loader({
      request: getRequest(`/admin/teams/${teamId}${query}`, { cookie }),
      params: { teamId },
      context: {},
    }),
  );
}
async function actAs(user: TestUser | null, id: number | string, fields: FormFields) {
  const cookie = await cookieOf(user);
  const teamId = String(id);
  return run(() =>
    teamRoute.action({
      request: formRequest(`/admin/teams/${teamId}`, fields, { cookie }),
      params: { teamId },
      context: {},
    }),
  );
}

async function teamRow(id: number) {
  const [row] = await getDb().select().from(teams).where(eq(teams.id, id));
  return row;
}
async function offerRow(id: number) {
  const [row] = await getDb().select().from(supportOffers).where(eq(supportOffers.id, id));
  return row;
}
async function requestRow(reference: string) {
  const [row] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, reference));
  return row;
}
async function auditOf(entity: string, entityId: number) {
  return getDb()
    .select()
    .from(adminAudit)
    .where(and(eq(adminAudit.entity, entity), eq(adminAudit.entityId, String(entityId))))
    .orderBy(asc(adminAudit.id));
}
async function memberIds(teamId: number) {
  const rows = await getDb()
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(eq(teamMembers.teamId, teamId));
  return rows.map((r) => r.userId).sort();
}
async function teamCount() {
  const [{ n }] = await getDb().select({ n: count() }).from(teams);
  return Number(n);
}

/** True when the caller's hub would show this request (the hub's own condition). */
async function hubSees(user: TestUser, reference: string) {
  const rows = await getDb()
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(and(eq(supportRequests.reference, reference), hubVisibleRequests(asCurrentUser(user))));
  return rows.length === 1;
}

async function newRequest(requester: TestUser, offer: SupportOffer) {
  const created = await createRequest(asCurrentUser(requester), offer.slug, {
    details: "Please can someone call me about this",
    contactMethod: "email",
    submissionKey: randomUUID(),
  });
  return created.reference;
}

async function assign(reference: string, userId: string) {
  await getDb().update(supportRequests).set({ assigneeId: userId }).where(eq(supportRequests.reference, reference));
}

async function close(reference: string) {
  await getDb()
    .update(supportRequests)
    .set({ status: "closed", closedAt: new Date(), closeOutcome: "support_given" })
    .where(eq(supportRequests.reference, reference));
}

let orgId: number;
let requester: TestUser;
beforeAll(async () => {
  orgId = (await createOrganisation()).id;
  requester = await createUser({ organisationId: orgId, name: "Rita Requester" });
});

const user = (options: Parameters<typeof createUser>[0] = {}) => createUser({ organisationId: orgId, ...options });

describe("who may administer teams", () => {
  it("answers 403 to every non-admin on every loader and action, and sends the signed-out to sign in", async () => {
    const member = await user({ role: "coordinator" });
    const team = await createTeam({ name: "Guarded team", members: [member.id] });
    const offer = await createOffer();
    const before = await teamCount();
    for (const role of ["staff", "coordinator", "manager"] as const) {
      const caller = await user({ role });
      const outcomes = [
        await listAs(caller),
        await newPageAs(caller),
        await createAs(caller, { name: `Sneaky ${role}` }),
        await pageAs(caller, team.id),
        await actAs(caller, team.id, { intent: "rename", name: "Hijacked", version: 1 }),
        await actAs(caller, team.id, { intent: "add_member", userId: caller.id, version: 1 }),
        await actAs(caller, team.id, { intent: "remove_member", userId: member.id, version: 1 }),
        await actAs(caller, team.id, { intent: "move_offers", offerIds: [String(offer.id)], version: 1 }),
      ];
      for (const out of outcomes) expect(out.status, role).toBe(403);
    }
    for (const out of [await listAs(null), await newPageAs(null), await pageAs(null, team.id)]) {
      expect(out.status).toBe(302);
      expect(out.location).toMatch(/^\/login\?redirectTo=/);
    }
    expect(await teamCount()).toBe(before);
    expect(await teamRow(team.id)).toMatchObject({ name: "Guarded team", version: 1 });
    expect(await memberIds(team.id)).toEqual([member.id]);
    expect((await offerRow(offer.id)).teamId).not.toBe(team.id);
  });

  it("has the model refuse non-admins itself, writing nothing", async () => {
    const coordinator = await user({ role: "coordinator" });
    const caller: CurrentUser = asCurrentUser(coordinator);
    const team = await createTeam({ members: [coordinator.id] });
    const offer = await createOffer();
    const attempts = [
      () => model.listTeams(caller),
      () => model.getTeamForAdmin(caller, team.id),
      () => model.createTeam(caller, { name: "Refused team" }),
      () => model.renameTeam(caller, team.id, { name: "Refused", version: 1 }),
      () => model.addTeamMember(caller, team.id, { userId: coordinator.id, version: 1 }),
      () => model.removeTeamMember(caller, team.id, { userId: coordinator.id, version: 1 }),
      () => model.moveOffersToTeam(caller, team.id, { offerIds: [offer.id], version: 1 }),
    ];
    for (const attempt of attempts) {
      const err = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AdminError);
      expect((err as AdminError).code).toBe("forbidden");
    }
    expect(await teamRow(team.id)).toMatchObject({ name: team.name, version: 1 });
    expect(await memberIds(team.id)).toEqual([coordinator.id]);
    expect((await offerRow(offer.id)).teamId).toBe(offer.teamId);
  });
});

describe("creating and renaming a team", () => {
  it("makes a stable, unique slug from the name; renaming keeps it", async () => {
    expect(slugFromName("MSK & Occupational Health")).toBe("msk-occupational-health");
    expect(slugFromName("  Équipe  bien-être! ")).toBe("equipe-bien-etre");
    expect(slugFromName("***")).toBe("");

    const admin = await user({ role: "admin", name: "Ada Admin" });
    const out = await createAs(admin, { name: "  Carers & Families  " });
    expect(out.status).toBe(302);
    const id = Number(/^\/admin\/teams\/(\d+)\?done=created$/.exec(out.location ?? "")?.[1]);
    expect(await teamRow(id)).toMatchObject({ name: "Carers & Families", slug: "carers-families", version: 1 });
    const [created] = await auditOf("team", id);
    expect(created).toMatchObject({
      actorId: admin.id,
      action: "created",
      before: null,
      after: { name: "Carers & Families", slug: "carers-families" },
    });

    const second = await createAs(admin, { name: "Carers – families" });
    const secondId = Number(/(\d+)\?done=created$/.exec(second.location ?? "")?.[1]);
    expect((await teamRow(secondId)).slug).toBe("carers-families-2");

    const renamed = await actAs(admin, id, { intent: "rename", name: "Carers and families support", version: 1 });
    expect(renamed.status).toBe(302);
    expect(renamed.location).toBe(`/admin/teams/${id}?done=renamed`);
    expect(await teamRow(id)).toMatchObject({
      name: "Carers and families support",
      slug: "carers-families",
      version: 2,
    });
    const entries = await auditOf("team", id);
    expect(entries[1]).toMatchObject({
      action: "updated",
      summary: "Renamed team Carers & Families to Carers and families support",
      before: { name: "Carers & Families" },
      after: { name: "Carers and families support" },
    });

    // The same name again changes nothing.
    const same = await actAs(admin, id, { intent: "rename", name: "Carers and families support", version: 2 });
    expect(same.location).toBe(`/admin/teams/${id}?done=unchanged`);
    expect((await teamRow(id)).version).toBe(2);
  });

  it("answers 400 with what was typed for an empty, too long or taken name, writing nothing", async () => {
    const admin = await user({ role: "admin" });
    const taken = await createTeam({ name: "Occupational therapy liaison" });
    const before = await teamCount();
    const empty = await createAs(admin, { name: "   " });
    expect(empty.status).toBe(400);
    expect(empty.data).toMatchObject({ errors: { name: "Enter the team’s name" }, values: { name: "   " } });
    const long = await createAs(admin, { name: "x".repeat(81) });
    expect(long.data).toMatchObject({
      errors: { name: "The name must be 80 characters or fewer" },
      values: { name: "x".repeat(81) },
    });
    const dup = await createAs(admin, { name: "occupational THERAPY liaison" });
    expect(dup.status).toBe(400);
    expect(dup.data).toMatchObject({
      errors: { name: "There is already a team called Occupational therapy liaison" },
      values: { name: "occupational THERAPY liaison" },
    });
    expect(await teamCount()).toBe(before);

    const other = await createTeam();
    const renameDup = await actAs(admin, other.id, { intent: "rename", name: taken.name, version: 1 });
    expect(renameDup.status).toBe(400);
    expect(renameDup.data).toMatchObject({
      intent: "rename",
      errors: { name: `There is already a team called ${taken.name}` },
      values: { name: taken.name },
    });
    expect(await teamRow(other.id)).toMatchObject({ name: other.name, version: 1 });
  });
});

describe("team members", () => {
  it("adding a coordinator or an administrator gives them the hub for the team at once; removing takes it away", async () => {
    const admin = await user({ role: "admin", name: "Ada Admin" });
    const coordinator = await user({ role: "coordinator", name: "Cleo Coordinator" });
    const otherAdmin = await user({ role: "admin", name: "Abe Administrator" });
    const team = await createTeam({ name: "Members team" });
    const offer = await createOffer({ teamId: team.id });
    const reference = await newRequest(requester, offer);

    expect(await canUseHub(asCurrentUser(coordinator))).toBe(false);
    expect(await canUseHub(asCurrentUser(otherAdmin))).toBe(false);
    expect(await hubSees(coordinator, reference)).toBe(false);

    const added = await actAs(admin, team.id, { intent: "add_member", userId: coordinator.id, version: 1 });
    expect(added.status).toBe(302);
    expect(added.location).toBe(`/admin/teams/${team.id}?done=member_added`);
    expect(await canUseHub(asCurrentUser(coordinator))).toBe(true);
    expect(await hubSees(coordinator, reference)).toBe(true);

    expect((await actAs(admin, team.id, { intent: "add_member", userId: otherAdmin.id, version: 2 })).status).toBe(302);
    expect(await canUseHub(asCurrentUser(otherAdmin))).toBe(true);
    expect(await hubSees(otherAdmin, reference)).toBe(true);
    expect((await teamRow(team.id)).version).toBe(3);

    const entries = await auditOf("team", team.id);
    expect(entries.map((e) => e.action)).toEqual(["members_changed", "members_changed"]);
    expect(entries[0]).toMatchObject({
      actorId: admin.id,
      summary: `Added Cleo Coordinator (${coordinator.email}) to team Members team`,
      before: { members: [] },
      after: { members: [coordinator.email] },
    });
    expect(entries[1]).toMatchObject({
      before: { members: [coordinator.email] },
      after: { members: [coordinator.email, otherAdmin.email].sort() },
    });

    const page = await pageAs(admin, team.id);
    expect((page.data as TeamPage).members.map((m) => m.name)).toEqual(["Abe Administrator", "Cleo Coordinator"]);
    expect((page.data as TeamPage).candidates.map((c) => c.id)).not.toContain(coordinator.id);

    const removed = await actAs(admin, team.id, { intent: "remove_member", userId: coordinator.id, version: 3 });
    expect(removed.status).toBe(302);
    expect(removed.location).toBe(`/admin/teams/${team.id}?done=member_removed&unassigned=0`);
    expect(await canUseHub(asCurrentUser(coordinator))).toBe(false);
    expect(await hubSees(coordinator, reference)).toBe(false);
    expect(await hubSees(otherAdmin, reference)).toBe(true);
    const last = (await auditOf("team", team.id)).at(-1)!;
    expect(last).toMatchObject({
      action: "members_changed",
      summary: `Removed Cleo Coordinator (${coordinator.email}) from team Members team`,
      before: { members: [coordinator.email, otherAdmin.email].sort() },
      after: { members: [otherAdmin.email] },
    });
  });

  it("offers only active coordinators and administrators not in the team, searchable by name or email", async () => {
    const admin = await user({ role: "admin" });
    const tag = `zq${Date.now().toString(36)}`;
    const found = await user({ role: "coordinator", name: `Quentin ${tag}` });
    const byEmail = await user({ role: "admin", email: `${tag}.boss@test.staywell.test`, name: "Bea Boss" });
    const staff = await user({ role: "staff", name: `Stan ${tag}` });
    const manager = await user({ role: "manager", name: `Mandy ${tag}` });
    const disabled = await user({ role: "coordinator", name: `Dora ${tag}`, disabled: true });
    const already = await user({ role: "coordinator", name: `Ali ${tag}` });
    const team = await createTeam({ members: [already.id] });
    const page = await pageAs(admin, team.id, `?q=${tag.toUpperCase()}`);
    const data = page.data as TeamPage;
    expect(data.search).toBe(tag.toUpperCase());
    expect(data.candidates.map((c) => c.id).sort()).toEqual([found.id, byEmail.id].sort());
    expect(data.candidateTotal).toBe(2);
    for (const other of [staff, manager, disabled, already])
      expect(data.candidates.map((c) => c.id)).not.toContain(other.id);
    // Wildcards typed in the search are taken literally.
    expect((await pageAs(admin, team.id, "?q=%25")).data).toMatchObject({ candidateTotal: 0 });
  });

  it("refuses staff, managers, disabled accounts and people already in the team with a 400 naming the reason", async () => {
    const admin = await user({ role: "admin" });
    const staff = await user({ role: "staff", name: "Sid Staff" });
    const manager = await user({ role: "manager", name: "Meg Manager" });
    const disabled = await user({ role: "coordinator", name: "Dee Disabled", disabled: true });
    const member = await user({ role: "coordinator", name: "Mo Member" });
    const team = await createTeam({ members: [member.id] });
    const cases: Array<[string, RegExp]> = [
      [staff.id, /^Sid Staff is a member of staff: only coordinators and administrators can be in a hub team/],
      [manager.id, /^Meg Manager is a manager: only coordinators/],
      [disabled.id, /^Dee Disabled’s account is disabled/],
      [member.id, /^Mo Member is already in this team$/],
      ["no-such-person", /^Choose someone from the list$/],
    ];
    for (const [userId, message] of cases) {
      const out = await actAs(admin, team.id, { intent: "add_member", userId, version: 1 });
      expect(out.status).toBe(400);
      const body = out.data as ActionBody;
      expect(body.intent).toBe("add_member");
      expect(body.errors.userId).toMatch(message);
      expect(body.values.userId).toBe(userId);
    }
    const none = await actAs(admin, team.id, { intent: "add_member", userId: "", version: 1 });
    expect(none.data).toMatchObject({ errors: { userId: "Choose who to add to the team" } });
    expect(await memberIds(team.id)).toEqual([member.id]);
    expect((await teamRow(team.id)).version).toBe(1);
    expect(await auditOf("team", team.id)).toHaveLength(0);
    const notMember = await actAs(admin, team.id, { intent: "remove_member", userId: staff.id, version: 1 });
    expect(notMember.data).toMatchObject({ errors: { userId: "That person is not in this team" } });
  });

  it("removing a member unassigns the open requests of the team's offers they looked after, and says how many", async () => {
    const admin = await user({ role: "admin", name: "Ada Admin" });
    const leaving = await user({ role: "coordinator", name: "Lee Leaving" });
    const staying = await user({ role: "coordinator", name: "Stella Staying" });
    const team = await createTeam({ name: "Unassign team", members: [leaving.id, staying.id] });
    const elsewhere = await createTeam({ name: "Elsewhere team", members: [leaving.id] });
    const offer = await createOffer({ teamId: team.id });
    const otherOffer = await createOffer({ teamId: elsewhere.id });
    const [open1, open2, closed, staysWithStella, otherTeams] = [
      await newRequest(requester, offer),
      await newRequest(requester, offer),
      await newRequest(requester, offer),
      await newRequest(requester, offer),
      await newRequest(requester, otherOffer),
    ];
    for (const ref of [open1, open2, closed, otherTeams]) await assign(ref, leaving.id);
    await assign(staysWithStella, staying.id);
    await close(closed);

    const page = await pageAs(admin, team.id);
    expect((page.data as TeamPage).members.find((m) => m.id === leaving.id)?.openAssigned).toBe(2);
    const versionBefore = (await requestRow(open1)).version;

    const out = await actAs(admin, team.id, { intent: "remove_member", userId: leaving.id, version: 1 });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/teams/${team.id}?done=member_removed&unassigned=2`);
    for (const ref of [open1, open2]) {
      const row = await requestRow(ref);
      expect(row.assigneeId).toBeNull();
      expect(row.version).toBe(versionBefore + 1);
      const events = await getDb()
        .select()
        .from(requestEvents)
        .where(eq(requestEvents.requestId, row.id))
        .orderBy(asc(requestEvents.id));
      expect(events.at(-1)).toMatchObject({
        kind: "assigned",
        actorId: admin.id,
        visibleToRequester: false,
        body: null,
        data: { assigneeId: null, previousAssigneeId: leaving.id, reason: "removed_from_team" },
      });
    }
    // Finished requests, other people's, and another team's stay as they were.
    expect((await requestRow(closed)).assigneeId).toBe(leaving.id);
    expect((await requestRow(staysWithStella)).assigneeId).toBe(staying.id);
    expect((await requestRow(otherTeams)).assigneeId).toBe(leaving.id);
    // They keep the hub for their other team only.
    expect(await canUseHub(asCurrentUser(leaving))).toBe(true);
    expect(await hubSees(leaving, open1)).toBe(false);
    expect(await hubSees(leaving, otherTeams)).toBe(true);
    const last = (await auditOf("team", team.id)).at(-1)!;
    expect(last.summary).toBe(
      `Removed Lee Leaving (${leaving.email}) from team Unassign team; 2 open requests they were looking after unassigned`,
    );
  });
});

describe("which offers a team handles", () => {
  let admin: TestUser;
  let fromCoord: TestUser;
  let toCoord: TestUser;
  let from: Team;
  let to: Team;
  let moving: SupportOffer;
  let staying: SupportOffer;

  beforeAll(async () => {
    admin = await user({ role: "admin", name: "Ada Admin" });
    fromCoord = await user({ role: "coordinator", name: "Fran From" });
    toCoord = await user({ role: "coordinator", name: "Toby To" });
    from = await createTeam({ name: "From team", members: [fromCoord.id] });
    to = await createTeam({ name: "To team", members: [toCoord.id] });
    moving = await createOffer({
      teamId: from.id,
      title: "Physio for staff",
      slug: `physio-${Date.now().toString(36)}`,
    });
    staying = await createOffer({
      teamId: from.id,
      title: "Back care classes",
      slug: `back-${Date.now().toString(36)}`,
    });
  });

  it("moves an offer: one team per offer, the previous team stops seeing its requests, and every team is audited", async () => {
    const openWithFrom = await newRequest(requester, moving);
    const openWithTo = await newRequest(requester, moving);
    await assign(openWithFrom, fromCoord.id);
    await assign(openWithTo, toCoord.id);
    expect(await hubSees(fromCoord, openWithFrom)).toBe(true);
    expect(await hubSees(toCoord, openWithFrom)).toBe(false);
    const offerVersion = (await offerRow(moving.id)).version;

    const out = await actAs(admin, to.id, { intent: "move_offers", offerIds: [String(moving.id)], version: 1 });
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/teams/${to.id}?done=offers_moved&moved=1&unassigned=1`);

    const offer = await offerRow(moving.id);
    expect(offer.teamId).toBe(to.id);
    expect(offer.version).toBe(offerVersion + 1);
    expect((await offerRow(staying.id)).teamId).toBe(from.id);
    // The previous team's coordinators no longer see its requests; the new team's do.
    for (const ref of [openWithFrom, openWithTo]) {
      expect(await hubSees(fromCoord, ref)).toBe(false);
      expect(await hubSees(toCoord, ref)).toBe(true);
    }
    // Not left with someone who cannot open it; left with someone in the new team.
    expect((await requestRow(openWithFrom)).assigneeId).toBeNull();
    expect((await requestRow(openWithTo)).assigneeId).toBe(toCoord.id);

    expect(await teamRow(to.id)).toMatchObject({ version: 2 });
    expect(await teamRow(from.id)).toMatchObject({ version: 2 });
    const [toEntry] = await auditOf("team", to.id);
    expect(toEntry).toMatchObject({
      actorId: admin.id,
      action: "offers_changed",
      before: { offers: [] },
      after: { offers: [moving.slug] },
    });
    expect(toEntry.summary).toBe(
      "Moved Physio for staff to team To team from From team; 1 open request looked after outside the team unassigned",
    );
    const [fromEntry] = await auditOf("team", from.id);
    expect(fromEntry).toMatchObject({
      action: "offers_changed",
      summary: "Moved Physio for staff from team From team to team To team",
      before: { offers: [moving.slug, staying.slug].sort() },
      after: { offers: [staying.slug] },
    });
    const [offerEntry] = await auditOf("offer", moving.id);
    expect(offerEntry).toMatchObject({
      action: "team_changed",
      before: { team: "From team" },
      after: { team: "To team" },
    });

    const page = (await pageAs(admin, to.id)).data as TeamPage;
    expect(page.offers.map((o) => o.id)).toEqual([moving.id]);
    expect(page.otherOffers.map((o) => o.id)).not.toContain(moving.id);
    expect(page.otherOffers.find((o) => o.id === staying.id)).toMatchObject({ teamName: "From team" });
  });

  it("lets a team end up with no offers", async () => {
    const version = (await teamRow(to.id)).version;
    const out = await actAs(admin, to.id, { intent: "move_offers", offerIds: [String(staying.id)], version });
    expect(out.status).toBe(302);
    const list = (await listAs(admin)).data as Awaited<ReturnType<typeof listRoute.loader>>;
    expect(list.items.find((t) => t.id === from.id)).toMatchObject({ offers: 0, coordinators: 1 });
    expect(list.items.find((t) => t.id === to.id)).toMatchObject({ offers: 2, coordinators: 1 });
    expect(((await pageAs(admin, from.id)).data as TeamPage).offers).toEqual([]);
  });

  it("answers 400 with what was chosen when there is nothing to move, writing nothing", async () => {
    const version = (await teamRow(to.id)).version;
    const none = await actAs(admin, to.id, { intent: "move_offers", version });
    expect(none.status).toBe(400);
    expect(none.data).toMatchObject({
      intent: "move_offers",
      errors: { offerIds: "Choose at least one offer to move to this team" },
    });
    const already = await actAs(admin, to.id, { intent: "move_offers", offerIds: [String(moving.id)], version });
    expect(already.status).toBe(400);
    expect(already.data).toMatchObject({
      errors: { offerIds: "This team already handles that offer" },
      values: { offerIds: [String(moving.id)] },
    });
    const unknown = await actAs(admin, to.id, { intent: "move_offers", offerIds: ["99999999"], version });
    expect(unknown.data).toMatchObject({ errors: { offerIds: "Choose offers from the list" } });
    expect((await teamRow(to.id)).version).toBe(version);
  });
});

describe("two administrators at once", () => {
  it("refuses a change made from a stale page with 409 naming who changed the team, writing nothing", async () => {
    const first = await user({ role: "admin", name: "Fiona First" });
    const second = await user({ role: "admin", name: "Sam Second" });
    const coordinator = await user({ role: "coordinator" });
    const team = await createTeam({ name: "Contested team" });
    const offer = await createOffer();
    expect(
      (await actAs(first, team.id, { intent: "rename", name: "Contested team (renamed)", version: 1 })).status,
    ).toBe(302);

    const attempts: FormFields[] = [
      { intent: "rename", name: "Second's name", version: 1 },
      { intent: "add_member", userId: coordinator.id, version: 1 },
      { intent: "move_offers", offerIds: [String(offer.id)], version: 1 },
    ];
    for (const fields of attempts) {
      const out = await actAs(second, team.id, fields);
      expect(out.status, String(fields.intent)).toBe(409);
      const body = out.data as ActionBody;
      expect(body.conflict).toBe(true);
      expect(body.intent).toBe(fields.intent);
      expect(body.errors._form).toMatch(
        /^This team was changed by Fiona First at \d{2}:\d{2} on .* — review and try again$/,
      );
    }
    expect((await actAs(second, team.id, { intent: "rename", name: "Kept", version: 1 })).data).toMatchObject({
      values: { name: "Kept" },
    });
    expect(await teamRow(team.id)).toMatchObject({ name: "Contested team (renamed)", version: 2 });
    expect(await memberIds(team.id)).toEqual([]);
    expect((await offerRow(offer.id)).teamId).toBe(offer.teamId);
    expect(await auditOf("team", team.id)).toHaveLength(1);
  });

  it("answers 404 for a team that does not exist and 400 for an unknown intent", async () => {
    const admin = await user({ role: "admin" });
    expect((await pageAs(admin, 99999999)).status).toBe(404);
    expect((await pageAs(admin, "nope")).status).toBe(404);
    expect((await actAs(admin, 99999999, { intent: "rename", name: "Ghost", version: 1 })).status).toBe(404);
    const team = await createTeam();
    const out = await actAs(admin, team.id, { intent: "delete", version: 1 });
    expect(out.status).toBe(400);
    expect(out.data).toMatchObject({ errors: { _form: "Choose what you want to do" } });
  });
});
