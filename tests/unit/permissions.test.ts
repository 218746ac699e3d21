// The permission module's pure rules: what each role may do (written out here as the table the
// product promises, so a change to GRANTS has to change this table too), the insights scope, and
// what the hub tells a coordinator about a request outside their view (sensitive or not). The
// rules that need the database (team membership) are in tests/integration/permissions.test.ts.
import { describe, expect, it } from "vitest";
import { userRole, type UserRole } from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import {
  can,
  canAdminister,
  canSeeInsights,
  insightsScopeFor,
  mayJoinHubTeam,
  NotFoundError,
  PermissionError,
  PERMISSIONS,
  refusalFor,
  requirePermission,
  roleMay,
  rolesThatMay,
  type Permission,
} from "~/.server/permissions.server";
import { responseForDomainError, throwDomainError, withDomainErrors } from "~/.server/route-errors.server";
import { AdminError } from "~/.server/models/admin/common.server";
import { HubRequestError } from "~/.server/models/hub-requests.server";

const ROLES = userRole.enumValues;

/** role × permission: the whole promise, one row per role. */
const EXPECTED: Record<UserRole, Record<Permission, boolean>> = {
  staff: { "hub:work": false, "insights:read": false, "admin:manage": false },
  coordinator: { "hub:work": true, "insights:read": false, "admin:manage": false },
  manager: { "hub:work": false, "insights:read": true, "admin:manage": false },
  admin: { "hub:work": true, "insights:read": false, "admin:manage": true },
};

function caller(role: UserRole, managesOrganisationId: number | null = null): CurrentUser {
  return {
    id: `user-${role}`,
    email: `${role}@example.test`,
    name: `A ${role}`,
    role,
    organisationId: 1,
    staffGroup: "admin_clerical",
    jobTitle: null,
    startDate: "2020-01-01",
    managesOrganisationId,
  };
}

describe("role × permission", () => {
  it("covers every role in the database enum and every permission", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect(Object.keys(EXPECTED[role]).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = EXPECTED[role][permission];
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, () => {
        expect(roleMay(role, permission)).toBe(allowed);
        expect(can(caller(role), permission)).toBe(allowed);
        expect(rolesThatMay(permission).includes(role)).toBe(allowed);
        if (allowed) expect(() => requirePermission(caller(role), permission)).not.toThrow();
        else expect(() => requirePermission(caller(role), permission)).toThrow(PermissionError);
      });
    }
  }

  it("the named checks follow the table", () => {
    for (const role of ROLES) {
      expect(canAdminister(caller(role)), role).toBe(EXPECTED[role]["admin:manage"]);
      expect(canSeeInsights(caller(role)), role).toBe(EXPECTED[role]["insights:read"]);
      expect(mayJoinHubTeam(role), role).toBe(EXPECTED[role]["hub:work"]);
    }
  });

  it("nobody signed out may do anything", () => {
    for (const permission of PERMISSIONS) expect(can(null, permission)).toBe(false);
    expect(canAdminister(undefined)).toBe(false);
    expect(canSeeInsights(null)).toBe(false);
  });

  it("an unknown role (a stale session after a role is removed) may do nothing", () => {
    for (const permission of PERMISSIONS) expect(roleMay("retired-role" as UserRole, permission)).toBe(false);
  });
});

describe("insights scope", () => {
  it("an ICS manager sees the ICS; an organisation manager only their organisation", () => {
    expect(insightsScopeFor(caller("manager", null))).toEqual({ kind: "ics" });
    expect(insightsScopeFor(caller("manager", 7))).toEqual({ kind: "organisation", organisationId: 7 });
  });

  it("throws PermissionError for everyone else, whatever scope their row still holds", () => {
    for (const role of ROLES.filter((r) => r !== "manager")) {
      expect(() => insightsScopeFor(caller(role, null)), role).toThrow(PermissionError);
      expect(() => insightsScopeFor(caller(role, 7)), role).toThrow(PermissionError);
    }
  });
});

describe("a hub request outside the caller's view", () => {
  const me = { id: "me" };

  it("another team's non-sensitive request is forbidden, naming its team", () => {
    expect(refusalFor(me, { sensitive: false, teamName: "Physio", requesterId: "amy" })).toEqual({
      outcome: "forbidden",
      teamName: "Physio",
    });
  });

  it("another team's sensitive request is not found, exactly like one that does not exist", () => {
    const missing = refusalFor(me, null);
    expect(missing).toEqual({ outcome: "not_found" });
    expect(refusalFor(me, { sensitive: true, teamName: "Psychological wellbeing hub", requesterId: "amy" })).toEqual(
      missing,
    );
  });

  it("the caller's own request is not found in the hub, sensitive or not", () => {
    expect(refusalFor(me, { sensitive: false, teamName: "Physio", requesterId: "me" })).toEqual({
      outcome: "not_found",
    });
    expect(refusalFor(me, { sensitive: true, teamName: "Psych", requesterId: "me" })).toEqual({ outcome: "not_found" });
  });
});

describe("the route helper", () => {
  it("turns not-found errors into the same empty 404", async () => {
    for (const err of [
      new NotFoundError(),
      new AdminError("not_found", "No such account"),
      new HubRequestError("not_found", "x"),
    ]) {
      const res = responseForDomainError(err) as Response;
      expect(res).toBeInstanceOf(Response);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe("");
    }
  });

  it("turns permission errors into 403, with the team's name when there is one", () => {
    expect((responseForDomainError(new PermissionError()) as Response).status).toBe(403);
    expect(
      (responseForDomainError(new AdminError("forbidden", "Only administrators can do this.")) as Response).status,
    ).toBe(403);
    const named = responseForDomainError(new PermissionError("Not yours", { teamName: "Physio" })) as unknown as {
      data: unknown;
      init: ResponseInit;
    };
    expect(named.init.status).toBe(403);
    expect(named.data).toEqual({ teamName: "Physio" });
  });

  it("leaves every other error alone (it becomes a logged 500)", async () => {
    for (const err of [
      new Error("boom"),
      new AdminError("invalid", "x"),
      new HubRequestError("conflict", "x"),
      "text",
    ]) {
      expect(responseForDomainError(err)).toBeNull();
      expect(() => throwDomainError(err)).toThrow();
      await expect(withDomainErrors(() => Promise.reject(err))).rejects.toBe(err);
    }
    await expect(withDomainErrors(() => Promise.reject(new NotFoundError()))).rejects.toBeInstanceOf(Response);
    await expect(withDomainErrors(() => 42)).resolves.toBe(42);
  });
});
