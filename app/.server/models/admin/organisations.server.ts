// Partner organisations for administrators: name, type, email domains, headcount (the denominator
// of uptake rates).
//
// Email domains decide only where a NEW sign-up goes (accounts.server.ts organisationForEmail).
// Signing in looks the account up by its email address and never by its domain, and an account
// keeps the organisation it signed up with; so adding, moving or removing a domain never locks
// anyone out and never moves an existing account. A domain belongs to one organisation (the
// organisation_domains.domain unique index); adding one another organisation has is refused with
// that organisation's name, and nothing is written. An organisation may be left with no domains:
// it then takes no new sign-ups (how a domain moves to another organisation, e.g. after a merger,
// is: remove it here, then add it there).
import { and, asc, count, eq, inArray, ne, sql } from "drizzle-orm";
import { isUniqueViolation } from "@db/client";
import { getDb } from "@db/current";
import {
  organisationDomains,
  organisations,
  organisationStaffGroupHeadcounts,
  users,
  type Organisation,
} from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import {
  isDomainLike,
  normaliseDomain,
  ORGANISATION_LIMITS,
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
  ESR_CODE_PATTERN,
  type OrganisationTypeValue,
  SHORT_NAME_PATTERN,
  staffGroupField,
  staffGroupHeadcountsProblem,
} from "~/schemas/admin-organisations";
import { isStaffGroup, STAFF_GROUP_VALUES } from "~/lib/staff-groups";
import { slugFromName } from "~/schemas/admin-teams";
import {
  AdminError,
  assertAdmin,
  changedFields,
  conflictFor,
  invalid,
  recordAdminChange,
  updateVersioned,
  type Tx,
} from "./common.server";
import { ADMIN_PAGE_SIZE, freeSlug, parseId } from "./teams.server";
import { sharedDomainsAmong } from "../joining.server";
import { pageNumber } from "~/lib/paging";

// The form's list of types is the database enum (a compile error if they drift apart).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesMatch: Same<Organisation["type"], OrganisationTypeValue> = true;
void typesMatch;

export interface OrganisationInput {
  name: string;
  /** Shown where space is short (the hub queue); null or blank: the full name is used. */
  shortName?: string | null;
  /** The ESR organisation code (unique, upper case); null or blank: none. */
  esrCode?: string | null;
  type: OrganisationTypeValue;
  /** Normalised here again (trimmed, lower-case, no leading @), de-duplicated and sorted. */
  domains: string[];
  headcount: number;
  /**
   * Staff in post by staff group (every group, adding up to the headcount), all null to clear;
   * undefined: left as it is (the new-organisation form does not ask).
   */
  staffGroupHeadcounts?: Record<string, number | null>;
}

// ---------------------------------------------------------------------------------------------
// reading

export interface OrganisationListItem {
  id: number;
  slug: string;
  name: string;
  type: OrganisationTypeValue;
  headcount: number;
  domains: string[];
  /** Accounts that belong to it (every role, disabled ones included). */
  accounts: number;
}

export async function listOrganisations(caller: CurrentUser, options: { page?: number } = {}) {
  assertAdmin(caller);
  const db = getDb();
  const page = pageNumber(options.page ?? 1);
  const [{ total }] = await db.select({ total: count() }).from(organisations);
  const rows = await db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      type: organisations.type,
      headcount: organisations.headcount,
      // users_organisation_idx
      accounts: sql<number>`(select count(*)::int from users u where u.organisation_id = "organisations"."id")`,
    })
    .from(organisations)
    .orderBy(asc(organisations.name), asc(organisations.id))
    .limit(ADMIN_PAGE_SIZE)
    .offset((page - 1) * ADMIN_PAGE_SIZE);
  const domainRows = rows.length
    ? await db
        .select({ organisationId: organisationDomains.organisationId, domain: organisationDomains.domain })
        .from(organisationDomains)
        .where(
          inArray(
            organisationDomains.organisationId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(organisationDomains.domain))
    : [];
  const items: OrganisationListItem[] = rows.map((r) => ({
    ...r,
    domains: domainRows.filter((d) => d.organisationId === r.id).map((d) => d.domain),
  }));
  return { items, page, total, pageCount: Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE)) };
}

/** One organisation with its domains and how many of its accounts have an address at each. */
export async function getOrganisationForAdmin(caller: CurrentUser, idInput: unknown) {
  assertAdmin(caller);
  const id = parseId(idInput, "organisation");
  const db = getDb();
  const [organisation] = await db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      shortName: organisations.shortName,
      esrCode: organisations.esrCode,
      type: organisations.type,
      headcount: organisations.headcount,
      version: organisations.version,
    })
    .from(organisations)
    .where(eq(organisations.id, id));
  if (!organisation) throw new AdminError("not_found", "There is no such organisation");
  const domainOf = sql<string>`split_part(${users.email}, '@', 2)`;
  const [domainRows, byDomain] = await Promise.all([
    db
      .select({ domain: organisationDomains.domain })
      .from(organisationDomains)
      .where(eq(organisationDomains.organisationId, id))
      .orderBy(asc(organisationDomains.domain)),
    db
      .select({ domain: domainOf, accounts: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.organisationId, id))
      .groupBy(domainOf),
  ]);
  const groupRows = await db
    .select({
      staffGroup: organisationStaffGroupHeadcounts.staffGroup,
      headcount: organisationStaffGroupHeadcounts.headcount,
    })
    .from(organisationStaffGroupHeadcounts)
    .where(eq(organisationStaffGroupHeadcounts.organisationId, id));
  const domains = domainRows.map((d) => d.domain);
  const accounts = byDomain.reduce((sum, r) => sum + Number(r.accounts), 0);
  const accountsByDomain = Object.fromEntries(domains.map((d) => [d, 0]));
  let elsewhere = 0;
  for (const r of byDomain) {
    if (r.domain in accountsByDomain) accountsByDomain[r.domain] = Number(r.accounts);
    else elsewhere += Number(r.accounts);
  }
  return {
    organisation: {
      ...organisation,
      domains,
      /** By staff group; empty: not set. */
      staffGroupHeadcounts: Object.fromEntries(groupRows.map((r) => [r.staffGroup, r.headcount])) as Record<
        string,
        number
      >,
    },
    accounts,
    accountsByDomain: accountsByDomain as Record<string, number>,
    /** Accounts at a domain the organisation no longer has (or never had). They still sign in. */
    accountsAtOtherDomains: elsewhere,
  };
}

// ---------------------------------------------------------------------------------------------
// commands

function cleanInput(input: OrganisationInput): OrganisationInput {
  const name = (input.name ?? "").trim();
  if (!name) throw invalid("name", "Enter the organisation’s name");
  if (name.length > ORGANISATION_LIMITS.name)
    throw invalid("name", `The name must be ${ORGANISATION_LIMITS.name} characters or fewer`);
  if (!(ORGANISATION_TYPES as readonly string[]).includes(input.type))
    throw invalid("type", "Choose the type of organisation");
  const headcount = input.headcount;
  if (!Number.isInteger(headcount) || headcount < 1 || headcount > ORGANISATION_LIMITS.headcount) {
    throw invalid("headcount", "Headcount must be a whole number, 1 or more");
  }
  const domains = [...new Set((input.domains ?? []).map(normaliseDomain).filter(Boolean))].sort();
  const bad = domains.find((d) => !isDomainLike(d));
  if (bad)
    throw invalid("domains", `“${bad}” is not an email domain. Enter domains like uhnm.nhs.uk, one on each line`);
  if (domains.length > ORGANISATION_LIMITS.domains)
    throw invalid("domains", `Enter ${ORGANISATION_LIMITS.domains} domains or fewer`);
  const shortName = (input.shortName ?? "").trim() || null;
  if (shortName !== null) {
    if (shortName.length > ORGANISATION_LIMITS.shortName) {
      throw invalid("shortName", `The short name must be ${ORGANISATION_LIMITS.shortName} characters or fewer`);
    }
    if (!SHORT_NAME_PATTERN.test(shortName))
      throw invalid("shortName", "The short name can only contain letters, numbers, spaces and & ' ( ) . , -");
  }
  // Not given (a caller that predates ESR codes): left as it is on update.
  const esrCode = input.esrCode === undefined ? undefined : (input.esrCode ?? "").trim().toUpperCase() || null;
  if (esrCode && !ESR_CODE_PATTERN.test(esrCode))
    throw invalid("esrCode", "The ESR code must be 2 to 10 letters or numbers, like RJE");
  let staffGroupHeadcounts: Record<string, number | null> | undefined;
  if (input.staffGroupHeadcounts !== undefined) {
    const given = input.staffGroupHeadcounts;
    if (Object.keys(given).some((g) => !isStaffGroup(g))) throw invalid("_form", "Unknown staff group");
    staffGroupHeadcounts = Object.fromEntries(STAFF_GROUP_VALUES.map((g) => [g, given[g] ?? null]));
    for (const g of STAFF_GROUP_VALUES) {
      const n = staffGroupHeadcounts[g];
      if (n !== null && (!Number.isInteger(n) || n! < 0 || n! > ORGANISATION_LIMITS.headcount))
        throw invalid(staffGroupField(g), "Enter a whole number of staff, like 1200, or 0");
    }
    const problem = staffGroupHeadcountsProblem(staffGroupHeadcounts, headcount);
    if (problem) throw invalid(problem.field, problem.message);
  }
  return { name, shortName, esrCode, type: input.type, headcount, domains, staffGroupHeadcounts };
}

async function assertNameFree(tx: Tx, name: string, exceptId: number | null) {
  const [other] = await tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(
      and(
        sql`lower(${organisations.name}) = lower(${name})`,
        exceptId === null ? undefined : ne(organisations.id, exceptId),
      ),
    )
    .limit(1);
  if (other) throw invalid("name", `There is already an organisation called ${other.name}`);
}

/** Refuses an ESR code another organisation has, naming it. */
async function assertEsrCodeFree(tx: Pick<Tx, "select">, esrCode: string | null | undefined, exceptId: number | null) {
  if (!esrCode) return;
  const [other] = await tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.esrCode, esrCode), exceptId === null ? undefined : ne(organisations.id, exceptId)))
    .limit(1);
  if (other)
    throw invalid(
      "esrCode",
      `${other.name} already has the ESR code ${esrCode}: each code belongs to one organisation`,
    );
}

/** Refuses domains that belong to another organisation, naming it. */
async function assertDomainsFree(tx: Pick<Tx, "select">, domains: string[], exceptId: number | null) {
  if (domains.length === 0) return;
  // A shared domain (nhs.net) belongs to no single organisation (docs/decisions/027-joining.md).
  const shared = await sharedDomainsAmong(tx, domains);
  if (shared.length) {
    throw invalid(
      "domains",
      `${shared.join(", ")} ${shared.length === 1 ? "is a shared domain" : "are shared domains"}: people there work for many organisations and choose theirs when they sign up. Remove it from Shared email domains first if it should belong to this organisation only`,
    );
  }
  const taken = await tx
    .select({ domain: organisationDomains.domain, name: organisations.name })
    .from(organisationDomains)
    .innerJoin(organisations, eq(organisations.id, organisationDomains.organisationId))
    .where(
      and(
        inArray(organisationDomains.domain, domains),
        exceptId === null ? undefined : ne(organisationDomains.organisationId, exceptId),
      ),
    )
    .orderBy(asc(organisationDomains.domain));
  if (taken.length === 0) return;
  const owners = taken.map((t) => `${t.domain} already belongs to ${t.name}`).join("; ");
  throw invalid(
    "domains",
    `${owners}. A domain can belong to only one organisation: remove it there first if it should move to this one`,
  );
}

/** A unique violation from a concurrent change: explained like the checks would have. */
async function explainRace(
  err: unknown,
  domains: string[],
  exceptId: number | null,
  esrCode?: string | null,
): Promise<unknown> {
  if (!isUniqueViolation(err)) return err;
  try {
    await assertDomainsFree(getDb(), domains, exceptId);
    await assertEsrCodeFree(getDb(), esrCode, exceptId);
  } catch (explained) {
    return explained;
  }
  return invalid(
    "name",
    "Another administrator has just added an organisation like this one: check the list and try again",
  );
}

function typeLabel(type: string) {
  return ORGANISATION_TYPE_LABELS[type as OrganisationTypeValue] ?? type;
}

export async function createOrganisation(caller: CurrentUser, input: OrganisationInput, now = new Date()) {
  assertAdmin(caller);
  const clean = cleanInput(input);
  if (clean.domains.length === 0) {
    throw invalid("domains", "Enter at least one email domain: staff sign up with an address at one of them");
  }
  try {
    return await getDb().transaction(async (tx) => {
      await assertNameFree(tx, clean.name, null);
      await assertDomainsFree(tx, clean.domains, null);
      await assertEsrCodeFree(tx, clean.esrCode, null);
      const slug = await freeSlug(tx, organisations, slugFromName(clean.name) || "organisation");
      const [created] = await tx
        .insert(organisations)
        .values({
          slug,
          name: clean.name,
          shortName: clean.shortName ?? null,
          esrCode: clean.esrCode ?? null,
          type: clean.type,
          headcount: clean.headcount,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: organisations.id });
      await tx
        .insert(organisationDomains)
        .values(clean.domains.map((domain) => ({ organisationId: created.id, domain })));
      await recordAdminChange(
        tx,
        caller,
        {
          entity: "organisation",
          entityId: created.id,
          action: "created",
          summary: `Added organisation ${clean.name} (${typeLabel(clean.type)}; ${clean.domains.join(", ")})`,
          before: null,
          after: {
            name: clean.name,
            shortName: clean.shortName ?? null,
            esrCode: clean.esrCode ?? null,
            slug,
            type: clean.type,
            headcount: clean.headcount,
            domains: clean.domains,
          },
        },
        now,
      );
      return { id: created.id, slug };
    });
  } catch (err) {
    throw await explainRace(err, clean.domains, null, clean.esrCode);
  }
}

/**
 * Saves an organisation's name, type, domains and headcount if `version` is still current
 * (otherwise the conflict names who changed it). `changed` is false when nothing differed.
 */
export async function updateOrganisation(
  caller: CurrentUser,
  idInput: unknown,
  input: OrganisationInput & { version: number },
  now = new Date(),
) {
  assertAdmin(caller);
  const id = parseId(idInput, "organisation");
  const clean = cleanInput(input);
  try {
    return await getDb().transaction(async (tx) => {
      const [current] = await tx
        .select({
          name: organisations.name,
          shortName: organisations.shortName,
          esrCode: organisations.esrCode,
          type: organisations.type,
          headcount: organisations.headcount,
          version: organisations.version,
        })
        .from(organisations)
        .where(eq(organisations.id, id));
      if (!current) throw new AdminError("not_found", "There is no such organisation");
      if (current.version !== input.version) throw await conflictFor(tx, "organisation", id);
      if (clean.esrCode === undefined) clean.esrCode = current.esrCode;
      const domainRows = await tx
        .select({ domain: organisationDomains.domain })
        .from(organisationDomains)
        .where(eq(organisationDomains.organisationId, id));
      const beforeDomains = domainRows.map((d) => d.domain).sort();
      const groupRows = await tx
        .select({
          staffGroup: organisationStaffGroupHeadcounts.staffGroup,
          headcount: organisationStaffGroupHeadcounts.headcount,
        })
        .from(organisationStaffGroupHeadcounts)
        .where(eq(organisationStaffGroupHeadcounts.organisationId, id));
      // By staff group in the list's order; null: not set.
      const groupsBefore =
        groupRows.length === 0
          ? null
          : Object.fromEntries(
              STAFF_GROUP_VALUES.map((g) => [g, groupRows.find((r) => r.staffGroup === g)?.headcount ?? 0]),
            );
      const groupsAfter =
        clean.staffGroupHeadcounts === undefined
          ? groupsBefore
          : Object.values(clean.staffGroupHeadcounts).every((n) => n === null)
            ? null
            : (clean.staffGroupHeadcounts as Record<string, number>);
      const added = clean.domains.filter((d) => !beforeDomains.includes(d));
      const removed = beforeDomains.filter((d) => !clean.domains.includes(d));

      const before = {
        name: current.name,
        shortName: current.shortName,
        esrCode: current.esrCode,
        type: current.type,
        headcount: current.headcount,
        domains: beforeDomains,
        staffGroupHeadcounts: groupsBefore,
      };
      const after = {
        name: clean.name,
        shortName: clean.shortName ?? null,
        esrCode: clean.esrCode ?? null,
        type: clean.type,
        headcount: clean.headcount,
        domains: clean.domains,
        staffGroupHeadcounts: groupsAfter,
      };
      // Changing the headcount with staff groups set needs them to add up to it again.
      if (clean.staffGroupHeadcounts === undefined && groupsAfter && clean.headcount !== current.headcount) {
        const problem = staffGroupHeadcountsProblem(groupsAfter, clean.headcount);
        if (problem) throw invalid("headcount", problem.message);
      }
      const diff = changedFields(before, after);
      if (!diff.changed) return { changed: false as const, added, removed };

      if (clean.name.toLowerCase() !== current.name.toLowerCase()) await assertNameFree(tx, clean.name, id);
      await assertDomainsFree(tx, added, id);
      if ((clean.esrCode ?? null) !== current.esrCode) await assertEsrCodeFree(tx, clean.esrCode, id);
      await updateVersioned(
        tx,
        organisations,
        id,
        input.version,
        {
          name: clean.name,
          shortName: clean.shortName ?? null,
          esrCode: clean.esrCode ?? null,
          type: clean.type,
          headcount: clean.headcount,
        },
        "organisation",
        now,
      );
      if (removed.length) {
        await tx
          .delete(organisationDomains)
          .where(and(eq(organisationDomains.organisationId, id), inArray(organisationDomains.domain, removed)));
      }
      if (added.length) {
        await tx.insert(organisationDomains).values(added.map((domain) => ({ organisationId: id, domain })));
      }
      const groupsChanged = JSON.stringify(groupsBefore) !== JSON.stringify(groupsAfter);
      if (groupsChanged) {
        await tx
          .delete(organisationStaffGroupHeadcounts)
          .where(eq(organisationStaffGroupHeadcounts.organisationId, id));
        if (groupsAfter)
          await tx.insert(organisationStaffGroupHeadcounts).values(
            Object.entries(groupsAfter).map(([staffGroup, headcount]) => ({
              organisationId: id,
              staffGroup,
              headcount,
            })),
          );
      }

      const parts: string[] = [];
      if (clean.name !== current.name) parts.push(`renamed to ${clean.name}`);
      if ((clean.shortName ?? null) !== current.shortName)
        parts.push(clean.shortName ? `short name ${clean.shortName}` : "short name removed");
      if ((clean.esrCode ?? null) !== current.esrCode)
        parts.push(clean.esrCode ? `ESR code ${clean.esrCode}` : "ESR code removed");
      if (clean.type !== current.type) parts.push(`type ${typeLabel(current.type)} → ${typeLabel(clean.type)}`);
      if (added.length) parts.push(`added ${added.length === 1 ? "domain" : "domains"} ${added.join(", ")}`);
      if (removed.length) parts.push(`removed ${removed.length === 1 ? "domain" : "domains"} ${removed.join(", ")}`);
      if (clean.headcount !== current.headcount) {
        parts.push(
          `headcount ${current.headcount.toLocaleString("en-GB")} → ${clean.headcount.toLocaleString("en-GB")}`,
        );
      }
      if (groupsChanged)
        parts.push(
          groupsAfter === null
            ? "staff by staff group cleared"
            : groupsBefore === null
              ? "staff by staff group set"
              : "staff by staff group changed",
        );
      await recordAdminChange(
        tx,
        caller,
        {
          entity: "organisation",
          entityId: id,
          action: "updated",
          summary: `Updated organisation ${current.name}: ${parts.join("; ")}`,
          before: diff.before,
          after: diff.after,
        },
        now,
      );
      return { changed: true as const, added, removed };
    });
  } catch (err) {
    throw await explainRace(err, clean.domains, id, clean.esrCode);
  }
}
