// How each role is named on the pages. No zod here (issue 11, goal 4): re-exported by
// app/schemas/admin-people.ts for the admin forms.
import type { UserRole } from "@db/schema";

export const ROLE_NAMES: Readonly<Record<UserRole, string>> = {
  staff: "Staff member",
  coordinator: "People hub coordinator",
  manager: "Manager",
  admin: "Administrator",
};

export const ROLE_HINTS: Readonly<Record<UserRole, string>> = {
  staff: "Can ask for support and see their own requests",
  coordinator: "Can use the people hub for the teams they are a member of",
  manager: "Can see insights (aggregate figures only) for the whole ICS or one organisation",
  admin: "Can change offers, organisations, teams and people, and read the audit log",
};

/** Short role names for lists (team members, candidates). */
export const ROLE_SHORT_NAMES: Readonly<Record<UserRole, string>> = {
  staff: "Staff",
  coordinator: "Coordinator",
  manager: "Manager",
  admin: "Administrator",
};

/** "<name> is …": the role in a sentence. */
export const ROLE_WORDS: Readonly<Record<UserRole, string>> = {
  staff: "a member of staff",
  coordinator: "a coordinator",
  manager: "a manager",
  admin: "an administrator",
};
