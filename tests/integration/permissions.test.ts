// The permission rules that depend on team membership and sensitivity, against the database:
// who may use the hub (role AND a team), which requests hubVisibleRequests lets through, and what
// lookUpForHub answers for a reference outside the caller's view — on PGlite and PostgreSQL.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { supportRequests, users, type SupportOffer, type UserRole } from "@db/schema";
import { createRequest } from "~/.server/models/requests.server";
import {
  canUseHub,
  hubVisibleRequests,
  lookUpForHub,
  PermissionError,
  requireHubAccess,
} from "~/.server/permissions.server";
import {
  addTeamMembers,
  asCurrentUser,
  createOffer,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

async function ask(requester: TestUser, offer: SupportOffer) {
  const created = await createRequest(asCurrentUser(requester), offer.slug, {
    details: "I would like some help with my rota",
    contactMethod: "email",
    submissionKey: randomUUID(),
  });
  return created.reference;
}

async function visibleReferences(user: TestUser): Promise<string[]> {
  const rows = await getDb()
    .select({ reference: supportRequests.reference })
    .from(supportRequests)
    .where(hubVisibleRequests(asCurrentUser(user)));
  return rows.map((r) => r.reference).sort();
}

function lookUp(user: TestUser, reference: string) {
  return lookUpForHub(asCurrentUser(user), reference, async (visible) => {
    const [row] = await getDb()
      .select({ reference: supportRequests.reference })
      .from(supportRequests)
      .where(visible)
      .limit(1);
    return row;
  });
}

describe("hub permissions with team membership and sensitivity", () => {
  let amy: TestUser;
  let coord: TestUser; // team one
  let adminInTeam: TestUser; // team one
  let otherCoord: TestUser; // team two
  let loneCoord: TestUser; // no team
  let byRole: Record<UserRole, TestUser>; // each role, in team one
  let teamTwoName: string;
  let general: SupportOffer;
  let sensitive: SupportOffer;
  let otherGeneral: SupportOffer;
  let otherSensitive: SupportOffer;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    amy = await createUser({ name: "Amy Lee" });
    coord = await createUser({ role: "coordinator" });
    adminInTeam = await createUser({ role: "admin" });
    otherCoord = await createUser({ role: "coordinator" });
    loneCoord = await createUser({ role: "coordinator" });
    byRole = {
      staff: await createUser({ role: "staff" }),
      coordinator: coord,
      manager: await createUser({ role: "manager" }),
      admin: adminInTeam,
    };
    const teamOne = await createTeam({ name: "Team one", members: [coord.id, adminInTeam.id] });
    // A staff member and a manager left in a team (a membership row that outlived a role change).
    await addTeamMembers(teamOne.id, [byRole.staff.id, byRole.manager.id]);
    const teamTwo = await createTeam({ name: "Team two", members: [otherCoord.id] });
    teamTwoName = teamTwo.name;
    general = await createOffer({ teamId: teamOne.id });
    sensitive = await createOffer({ teamId: teamOne.id, sensitive: true });
    otherGeneral = await createOffer({ teamId: teamTwo.id });
    otherSensitive = await createOffer({ teamId: teamTwo.id, sensitive: true });
    refs.general = await ask(amy, general);
    refs.sensitive = await ask(amy, sensitive);
    refs.otherGeneral = await ask(amy, otherGeneral);
    refs.otherSensitive = await ask(amy, otherSensitive);
    refs.coordsOwn = await ask(coord, general);
  });

  it("the hub needs a role that may work in it AND a team", async () => {
    const expected: Record<UserRole, boolean> = { staff: false, coordinator: true, manager: false, admin: true };
    for (const role of Object.keys(expected) as UserRole[]) {
      expect(await canUseHub(asCurrentUser(byRole[role])), role).toBe(expected[role]);
      if (expected[role]) await expect(requireHubAccess(asCurrentUser(byRole[role]))).resolves.toBeUndefined();
      else await expect(requireHubAccess(asCurrentUser(byRole[role]))).rejects.toBeInstanceOf(PermissionError);
    }
    expect(await canUseHub(asCurrentUser(loneCoord))).toBe(false);
    await expect(requireHubAccess(asCurrentUser(loneCoord))).rejects.toBeInstanceOf(PermissionError);
  });

  it("a coordinator sees their teams' requests, sensitive or not, never their own or another team's", async () => {
    expect(await visibleReferences(coord)).toEqual([refs.general, refs.sensitive].sort());
    expect(await visibleReferences(adminInTeam)).toEqual([refs.general, refs.coordsOwn, refs.sensitive].sort());
    expect(await visibleReferences(otherCoord)).toEqual([refs.otherGeneral, refs.otherSensitive].sort());
    expect(await visibleReferences(loneCoord)).toEqual([]);
  });

  it("a role without hub:work sees nothing, even with a membership row left behind", async () => {
    expect(await visibleReferences(byRole.staff)).toEqual([]);
    expect(await visibleReferences(byRole.manager)).toEqual([]);
  });

  it("demoting a coordinator to staff closes the hub at once, in the query itself", async () => {
    const demoted = await createUser({ role: "coordinator" });
    const team = await createTeam({ name: "Team three", members: [demoted.id] });
    const offer = await createOffer({ teamId: team.id });
    const reference = await ask(amy, offer);
    expect(await visibleReferences(demoted)).toEqual([reference]);
    await getDb().update(users).set({ role: "staff" }).where(eq(users.id, demoted.id));
    const [after] = await getDb()
      .select()
      .from(users)
      .where(and(eq(users.id, demoted.id)));
    expect(await visibleReferences({ ...demoted, role: after.role })).toEqual([]);
    expect(await canUseHub(asCurrentUser({ ...demoted, role: after.role }))).toBe(false);
  });

  it("looks a reference up: found in the team; 403 naming the team for another's non-sensitive; 404 for the rest", async () => {
    expect(await lookUp(coord, refs.general)).toEqual({ outcome: "found", request: { reference: refs.general } });
    expect(await lookUp(coord, refs.sensitive)).toEqual({ outcome: "found", request: { reference: refs.sensitive } });
    expect(await lookUp(coord, refs.otherGeneral)).toEqual({ outcome: "forbidden", teamName: teamTwoName });
    const missing = await lookUp(coord, "SW-1999-99999");
    expect(missing).toEqual({ outcome: "not_found" });
    // Another team's sensitive request and the caller's own look exactly like a missing one.
    expect(await lookUp(coord, refs.otherSensitive)).toEqual(missing);
    expect(await lookUp(coord, refs.coordsOwn)).toEqual(missing);
    // A staff member with a leftover membership is told nothing about a sensitive request either.
    expect(await lookUp(byRole.staff, refs.sensitive)).toEqual(missing);
  });
});
