// Test data through the drizzle query builder (the same on PGlite and PostgreSQL). Every call
// makes unique slugs and emails, so tests in one file never collide.
import { randomUUID } from "node:crypto";
import { getDb } from "@db/current";
import {
  organisationDomains,
  organisations,
  supportOffers,
  teamMembers,
  teams,
  users,
  type FormKind,
  type Team,
  type NewSupportOffer,
  type Organisation,
  type SupportOffer,
  type User,
  type UserRole,
} from "@db/schema";
import { hashPassword } from "~/.server/auth/password.server";
import type { CurrentUser } from "~/.server/auth/types";

export const DEFAULT_TEST_PASSWORD = "correct horse battery staple";

let counter = 0;
function unique() {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

// argon2id takes ~50-100 ms a hash: hash the default password once per test file.
let defaultHash: Promise<string> | undefined;
function passwordHashFor(password?: string) {
  if (password === undefined || password === DEFAULT_TEST_PASSWORD) {
    defaultHash ??= hashPassword(DEFAULT_TEST_PASSWORD);
    return defaultHash;
  }
  return hashPassword(password);
}

export interface OrganisationOptions {
  name?: string;
  slug?: string;
  type?: Organisation["type"];
  headcount?: number;
  /** Email domains that belong to it; default one unique `<slug>.staywell.test`. */
  domains?: string[];
}

export async function createOrganisation(
  options: OrganisationOptions = {},
): Promise<Organisation & { domains: string[] }> {
  const slug = options.slug ?? `org-${unique()}`;
  const [org] = await getDb()
    .insert(organisations)
    .values({
      slug,
      name: options.name ?? `Test Trust ${slug}`,
      type: options.type ?? "nhs_trust",
      headcount: options.headcount ?? 1000,
    })
    .returning();
  const domains = options.domains ?? [`${slug}.staywell.test`];
  if (domains.length) {
    await getDb()
      .insert(organisationDomains)
      .values(domains.map((domain) => ({ organisationId: org.id, domain: domain.toLowerCase() })));
  }
  return { ...org, domains };
}

export interface UserOptions {
  role?: UserRole;
  organisationId?: number;
  email?: string;
  name?: string;
  staffGroup?: string;
  jobTitle?: string | null;
  startDate?: string;
  /** Email verified (default true): an unverified account cannot sign in. */
  verified?: boolean;
  disabled?: boolean;
  password?: string;
  /** Managers: the organisation they see; null/absent = the whole ICS. */
  managesOrganisationId?: number | null;
}

export type TestUser = User & { password: string };

export async function createUser(options: UserOptions = {}): Promise<TestUser> {
  const organisationId = options.organisationId ?? (await createOrganisation()).id;
  const id = unique();
  const password = options.password ?? DEFAULT_TEST_PASSWORD;
  const now = new Date();
  const [user] = await getDb()
    .insert(users)
    .values({
      id: randomUUID().replace(/-/g, ""),
      email: (options.email ?? `user-${id}@test.staywell.test`).toLowerCase(),
      name: options.name ?? `Test ${options.role ?? "staff"} ${id}`,
      organisationId,
      staffGroup: options.staffGroup ?? "Nursing and midwifery",
      jobTitle: options.jobTitle ?? null,
      startDate: options.startDate ?? "2020-04-01",
      role: options.role ?? "staff",
      managesOrganisationId: options.managesOrganisationId ?? null,
      passwordHash: await passwordHashFor(options.password),
      emailVerifiedAt: options.verified === false ? null : now,
      disabledAt: options.disabled ? now : null,
    })
    .returning();
  return { ...user, password };
}

export interface OfferOptions extends Partial<Omit<NewSupportOffer, "id">> {
  slug?: string;
  formKind?: FormKind;
  sensitive?: boolean;
  active?: boolean;
}

export async function createTeam(options: { name?: string; members?: string[] } = {}): Promise<Team> {
  const id = unique();
  const [team] = await getDb()
    .insert(teams)
    .values({ slug: `team-${id}`, name: options.name ?? `Test team ${id}` })
    .returning();
  if (options.members?.length) await addTeamMembers(team.id, options.members);
  return team;
}

export async function addTeamMembers(teamId: number, userIds: string[]) {
  await getDb()
    .insert(teamMembers)
    .values(userIds.map((userId) => ({ teamId, userId })));
}

/** An offer; handled by `teamId`, or by a new team of its own when none is given. */
export async function createOffer(options: OfferOptions = {}): Promise<SupportOffer> {
  const slug = options.slug ?? `offer-${unique()}`;
  const teamId = options.teamId ?? (await createTeam()).id;
  const [offer] = await getDb()
    .insert(supportOffers)
    .values({
      title: `Test offer ${slug}`,
      category: "Test support",
      summary: "A support offer made by a test.",
      body: "What this support is, made by a test.",
      whoFor: "All staff",
      provider: "Test provider",
      whatHappensNext: "Someone will contact you.",
      firstContactTargetDays: 5,
      ...options,
      slug,
      formKind: options.formKind ?? "general",
      sensitive: options.sensitive ?? false,
      active: options.active ?? true,
      teamId,
    })
    .returning();
  return offer;
}

/** A test user as model functions receive the signed-in caller. */
export function asCurrentUser(user: User): CurrentUser {
  const { id, email, name, role, organisationId, staffGroup, jobTitle, startDate, managesOrganisationId } = user;
  return { id, email, name, role, organisationId, staffGroup, jobTitle, startDate, managesOrganisationId };
}
