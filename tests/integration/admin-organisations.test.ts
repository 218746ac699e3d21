// /admin/organisations: the list, new and edit pages' loaders and actions called as Remix calls
// them (plain form POSTs), and the model behind them, on PGlite and PostgreSQL. Who may use them,
// domain normalisation and uniqueness across organisations, domains never locking anyone out,
// the audit's before/after, stale versions, and errors that keep what was typed.
import { and, asc, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { adminAudit, organisationDomains, organisations, organisationStaffGroupHeadcounts, users } from "@db/schema";
import { STAFF_GROUP_VALUES } from "~/lib/staff-groups";
import { AdminError } from "~/.server/models/admin/common.server";
import * as model from "~/.server/models/admin/organisations.server";
import * as editRoute from "~/routes/admin.organisations.$organisationId";
import * as listRoute from "~/routes/admin.organisations._index";
import * as newRoute from "~/routes/admin.organisations.new";
import { action as loginAction } from "~/routes/login";
import { action as signupAction } from "~/routes/signup";
import {
  domainListProblem,
  isDomainLike,
  normaliseDomain,
  organisationSchema,
  parseDomainList,
} from "~/schemas/admin-organisations";
import { asCurrentUser, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, signInCookie, type FormFields, runRoute } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const run = runRoute;

type ActionBody = { errors: Record<string, string>; values: Record<string, unknown>; conflict?: boolean };

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser | null) {
  if (!user) return undefined;
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

async function listAs(user: TestUser | null, query = "") {
  const cookie = await cookieOf(user);
  return run(() =>
    listRoute.loader({ request: getRequest(`/admin/organisations${query}`, { cookie }), params: {}, context: {} }),
  );
}
async function newPageAs(user: TestUser | null) {
  const cookie = await cookieOf(user);
  return run(() =>
    newRoute.loader({ request: getRequest("/admin/organisations/new", { cookie }), params: {}, context: {} }),
  );
}
async function createAs(user: TestUser | null, fields: FormFields) {
  const cookie = await cookieOf(user);
  return run(() =>
    newRoute.action({ request: formRequest("/admin/organisations/new", fields, { cookie }), params: {}, context: {} }),
  );
}
async function editPageAs(user: TestUser | null, id: number | string) {
  const cookie = await cookieOf(user);
  const organisationId = String(id);
  return run(() =>
    editRoute.loader({
      request: getRequest(`/admin/organisations/${organisationId}`, { cookie }),
      params: { organisationId },
      context: {},
    }),
  );
}
async function editAs(user: TestUser | null, id: number | string, fields: FormFields) {
  const cookie = await cookieOf(user);
  const organisationId = String(id);
  return run(() =>
    editRoute.action({
      request: formRequest(`/admin/organisations/${organisationId}`, fields, { cookie }),
      params: { organisationId },
      context: {},
    }),
  );
}

async function domainsOf(organisationId: number) {
  const rows = await getDb()
    .select({ domain: organisationDomains.domain })
    .from(organisationDomains)
    .where(eq(organisationDomains.organisationId, organisationId))
    .orderBy(asc(organisationDomains.domain));
  return rows.map((r) => r.domain);
}

async function orgRow(id: number) {
  const [row] = await getDb().select().from(organisations).where(eq(organisations.id, id));
  return row;
}

async function auditOf(entityId: number) {
  return getDb()
    .select()
    .from(adminAudit)
    .where(and(eq(adminAudit.entity, "organisation"), eq(adminAudit.entityId, String(entityId))))
    .orderBy(asc(adminAudit.id));
}

async function organisationCount() {
  const [{ n }] = await getDb().select({ n: count() }).from(organisations);
  return Number(n);
}

let n = 0;
function uniqueDomain(prefix = "trust") {
  n += 1;
  return `${prefix}-${Date.now().toString(36)}-${n}.nhs.test`;
}

/** The edit form as the page would send it. */
function editFields(
  org: { name: string; type: string; headcount: number; version: number },
  domains: string[],
  extra: FormFields = {},
) {
  return {
    name: org.name,
    type: org.type,
    headcount: String(org.headcount),
    domains: domains.join("\n"),
    version: org.version,
    ...extra,
  };
}

describe("who may administer organisations", () => {
  it("answers 403 to every non-admin on every loader and action, and sends the signed-out to sign in", async () => {
    const org = await createOrganisation();
    const before = await organisationCount();
    for (const role of ["staff", "coordinator", "manager"] as const) {
      const user = await createUser({ role, organisationId: org.id });
      const fields = { name: "Sneaky Trust", type: "nhs_trust", domains: uniqueDomain(), headcount: "10", version: 1 };
      for (const out of [
        await listAs(user),
        await newPageAs(user),
        await createAs(user, fields),
        await editPageAs(user, org.id),
        await editAs(user, org.id, fields),
      ]) {
        expect(out.status, role).toBe(403);
      }
    }
    for (const out of [await listAs(null), await newPageAs(null), await editPageAs(null, org.id)]) {
      expect(out.status).toBe(302);
      expect(out.location).toMatch(/^\/login\?redirectTo=/);
    }
    expect(await organisationCount()).toBe(before);
    expect((await orgRow(org.id)).name).toBe(org.name);
  });

  it("has the model refuse non-admins itself, writing nothing", async () => {
    const org = await createOrganisation();
    const coordinator = asCurrentUser(await createUser({ role: "coordinator" }));
    const input = { name: "Refused Trust", type: "council" as const, domains: [uniqueDomain()], headcount: 5 };
    const attempts = [
      () => model.listOrganisations(coordinator),
      () => model.getOrganisationForAdmin(coordinator, org.id),
      () => model.createOrganisation(coordinator, input),
      () => model.updateOrganisation(coordinator, org.id, { ...input, version: 1 }),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toMatchObject({ code: "forbidden" });
      await expect(attempt()).rejects.toBeInstanceOf(AdminError);
    }
    expect((await orgRow(org.id)).name).toBe(org.name);
    expect(await domainsOf(org.id)).toEqual(org.domains);
  });
});

describe("domains in the form", () => {
  it("normalises: trimmed, lower-case, no leading @, no trailing dot, one each, sorted", () => {
    expect(normaliseDomain("  @@UHNM.NHS.uk. ")).toBe("uhnm.nhs.uk");
    expect(parseDomainList(" @Mail.Trust.nhs.uk\r\ntrust.nhs.uk , TRUST.nhs.uk\n\n  ")).toEqual([
      "mail.trust.nhs.uk",
      "trust.nhs.uk",
    ]);
    const parsed = organisationSchema.safeParse({
      name: " A Trust ",
      type: "nhs_trust",
      domains: "B.test\n@a.test",
      headcount: "11,200",
    });
    expect(parsed.success && parsed.data).toEqual({
      name: "A Trust",
      shortName: null,
      type: "nhs_trust",
      domains: ["a.test", "b.test"],
      headcount: 11200,
      // No ESR code given: none (ADR 035).
      esrCode: null,
      // No staff groups given: not set (ADR 036).
      ...Object.fromEntries(STAFF_GROUP_VALUES.map((g) => [`staffGroup_${g}`, null])),
    });
  });

  it("takes an optional short name (trimmed, up to 20 characters, letters, numbers and a few marks)", () => {
    const base = { name: "A Trust", type: "nhs_trust", domains: "a.test", headcount: "10" };
    const ok = organisationSchema.safeParse({ ...base, shortName: "  Staffs ICB " });
    expect(ok.success && ok.data.shortName).toBe("Staffs ICB");
    const long = organisationSchema.safeParse({ ...base, shortName: "A very long short name indeed" });
    expect(long.success).toBe(false);
    expect(!long.success && long.error.issues[0]!.message).toBe("The short name must be 20 characters or fewer");
    const odd = organisationSchema.safeParse({ ...base, shortName: "<b>UHNM</b>" });
    expect(odd.success).toBe(false);
  });

  it("accepts only things that look like domains", () => {
    for (const ok of ["nhs.net", "uhnm.nhs.uk", "a-b.c.test", "xn--80ak6aa92e.com"])
      expect(isDomainLike(ok), ok).toBe(true);
    for (const bad of [
      "localhost",
      "nhs",
      "-a.test",
      "a-.test",
      "a..test",
      "10.0.0.1",
      "a b.test",
      "a_b.test",
      "ünï.test",
    ]) {
      expect(isDomainLike(bad), bad).toBe(false);
    }
    expect(domainListProblem("good.test\nname@bad.test")).toMatch(/after the @: bad\.test/);
    expect(domainListProblem("good.test\nnot a domain")).toMatch(/“not” is not an email domain/);
    expect(domainListProblem("good.test\n@other.test")).toBeNull();
  });
});

describe("adding an organisation", () => {
  it("saves it with normalised domains, a slug made from its name, and an audit entry", async () => {
    const admin = await createUser({ role: "admin", name: "Ada Admin" });
    const domain = uniqueDomain("new");
    const out = await createAs(admin, {
      name: "  Newcastle-under-Lyme Care Homes  ",
      type: "care_provider",
      domains: ` @${domain.toUpperCase()}\n${domain}\n  mail.${domain} `,
      headcount: "1,250",
    });
    expect(out.status).toBe(302);
    const id = Number(/^\/admin\/organisations\/(\d+)\?created=1$/.exec(out.location ?? "")?.[1]);
    expect(id).toBeGreaterThan(0);
    const row = await orgRow(id);
    expect(row).toMatchObject({
      name: "Newcastle-under-Lyme Care Homes",
      slug: "newcastle-under-lyme-care-homes",
      type: "care_provider",
      headcount: 1250,
      version: 1,
    });
    expect(await domainsOf(id)).toEqual([domain, `mail.${domain}`].sort());
    const [entry] = await auditOf(id);
    expect(entry).toMatchObject({ actorId: admin.id, action: "created", before: null });
    expect(entry.after).toEqual({
      name: "Newcastle-under-Lyme Care Homes",
      shortName: null,
      slug: "newcastle-under-lyme-care-homes",
      type: "care_provider",
      headcount: 1250,
      domains: [domain, `mail.${domain}`].sort(),
      esrCode: null,
    });
    expect(entry.summary).toContain("Newcastle-under-Lyme Care Homes");

    // The page shows it; the list shows it with its domains and no accounts yet.
    const page = await editPageAs(admin, id);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      notice: null,
      accounts: 0,
      organisation: { id, domains: [domain, `mail.${domain}`].sort() },
    });
    const list = await listAs(admin);
    const item = (list.data as Awaited<ReturnType<typeof listRoute.loader>>).items.find((o) => o.id === id);
    expect(item).toMatchObject({
      headcount: 1250,
      accounts: 0,
      domains: [domain, `mail.${domain}`].sort(),
      type: "care_provider",
    });

    // A second organisation whose name makes the same slug gets the next one.
    const again = await createAs(admin, {
      name: "Newcastle under Lyme care homes!",
      type: "care_provider",
      domains: uniqueDomain(),
      headcount: "3",
    });
    expect(again.status).toBe(302);
    const secondId = Number(/(\d+)\?created=1$/.exec(again.location ?? "")?.[1]);
    expect((await orgRow(secondId)).slug).toBe("newcastle-under-lyme-care-homes-2");
  });

  it("answers 400 with what was typed, writing nothing, when something is wrong", async () => {
    const admin = await createUser({ role: "admin" });
    const before = await organisationCount();
    const typed = {
      name: "Leek Moorlands Trust",
      type: "nhs_trust",
      domains: "leek.nhs.test\nthis is wrong",
      headcount: "twelve",
    };
    const out = await createAs(admin, typed);
    expect(out.status).toBe(400);
    const body = out.data as ActionBody;
    expect(body.values).toEqual(typed);
    expect(body.errors.domains).toMatch(/is not an email domain/);
    expect(body.errors.headcount).toBe("Headcount must be a whole number, like 4300");

    const noDomains = await createAs(admin, { ...typed, domains: "  \n ", headcount: "0" });
    expect(noDomains.status).toBe(400);
    expect((noDomains.data as ActionBody).errors).toMatchObject({ headcount: "Headcount must be 1 or more" });
    const noDomainsOnly = await createAs(admin, { ...typed, domains: "", headcount: "40" });
    expect((noDomainsOnly.data as ActionBody).errors.domains).toMatch(/at least one email domain/);
    const noType = await createAs(admin, { name: "", domains: uniqueDomain(), headcount: "40" });
    expect((noType.data as ActionBody).errors).toMatchObject({
      name: "Enter the organisation’s name",
      type: "Choose the type of organisation",
    });
    expect(await organisationCount()).toBe(before);
  });

  it("refuses a name another organisation has", async () => {
    const admin = await createUser({ role: "admin" });
    const existing = await createOrganisation({ name: "Stafford Hospice Partnership" });
    const out = await createAs(admin, {
      name: "stafford hospice partnership",
      type: "care_provider",
      domains: uniqueDomain(),
      headcount: "80",
    });
    expect(out.status).toBe(400);
    expect((out.data as ActionBody).errors.name).toBe(`There is already an organisation called ${existing.name}`);
  });
});

describe("a domain belongs to one organisation", () => {
  it("refuses a new organisation with another's domain, naming that organisation, and writes nothing", async () => {
    const admin = await createUser({ role: "admin" });
    const owner = await createOrganisation({ name: "Burton Community Trust", domains: [uniqueDomain("burton")] });
    const before = await organisationCount();
    const out = await createAs(admin, {
      name: "Copycat Trust",
      type: "nhs_trust",
      domains: `${uniqueDomain("copy")}\n@${owner.domains[0].toUpperCase()}`,
      headcount: "100",
    });
    expect(out.status).toBe(400);
    expect((out.data as ActionBody).errors.domains).toContain(
      `${owner.domains[0]} already belongs to Burton Community Trust`,
    );
    expect((out.data as ActionBody).values.name).toBe("Copycat Trust");
    expect(await organisationCount()).toBe(before);
  });

  it("refuses adding another's domain on edit: nothing written, version and audit unchanged", async () => {
    const admin = await createUser({ role: "admin" });
    const owner = await createOrganisation({ name: "Cannock Chase Practices", domains: [uniqueDomain("cannock")] });
    const org = await createOrganisation({ domains: [uniqueDomain("mine")] });
    const out = await editAs(
      admin,
      org.id,
      editFields({ ...org, headcount: 2222 }, [...org.domains, owner.domains[0]]),
    );
    expect(out.status).toBe(400);
    const body = out.data as ActionBody;
    expect(body.errors.domains).toContain(`${owner.domains[0]} already belongs to Cannock Chase Practices`);
    expect(body.values.headcount).toBe("2222");
    expect(await domainsOf(org.id)).toEqual(org.domains);
    expect(await domainsOf(owner.id)).toEqual(owner.domains);
    const row = await orgRow(org.id);
    expect(row.version).toBe(1);
    expect(row.headcount).toBe(org.headcount);
    expect(await auditOf(org.id)).toHaveLength(0);
  });

  it("lets exactly one of two organisations created at once have the same domain", async () => {
    const admin = asCurrentUser(await createUser({ role: "admin" }));
    const domain = uniqueDomain("race");
    const results = await Promise.allSettled([
      model.createOrganisation(admin, { name: "Race Trust One", type: "nhs_trust", domains: [domain], headcount: 1 }),
      model.createOrganisation(admin, { name: "Race Trust Two", type: "nhs_trust", domains: [domain], headcount: 1 }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(AdminError);
    expect((refused[0].reason as AdminError).errors.domains).toMatch(
      new RegExp(`${domain.replace(/\./g, "\\.")} already belongs to Race Trust (One|Two)`),
    );
    const [{ owners }] = await getDb()
      .select({ owners: count() })
      .from(organisationDomains)
      .where(eq(organisationDomains.domain, domain));
    expect(Number(owners)).toBe(1);
  });

  it("moves a domain: removed from one organisation, then added to another", async () => {
    const admin = await createUser({ role: "admin" });
    const shared = uniqueDomain("merged");
    const from = await createOrganisation({ domains: [shared, uniqueDomain("keep")] });
    const to = await createOrganisation({ domains: [uniqueDomain("to")] });
    expect((await editAs(admin, from.id, editFields(from, [from.domains[1]]))).status).toBe(302);
    expect((await editAs(admin, to.id, editFields(to, [...to.domains, shared]))).status).toBe(302);
    expect(await domainsOf(to.id)).toEqual([...to.domains, shared].sort());
    expect(await domainsOf(from.id)).toEqual([from.domains[1]]);
  });
});

describe("editing an organisation", () => {
  it("saves the change, bumps the version and audits only what changed (domains as sorted arrays)", async () => {
    const admin = await createUser({ role: "admin", name: "Ada Admin" });
    const [a, b, c] = [uniqueDomain("a"), uniqueDomain("b"), uniqueDomain("c")];
    const org = await createOrganisation({ name: "Tamworth Trust", domains: [b, a], headcount: 1000 });
    const out = await editAs(admin, org.id, editFields({ ...org, headcount: 1200 }, [`  @${c.toUpperCase()}`, a]));
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/organisations/${org.id}?saved=1`);
    const row = await orgRow(org.id);
    expect(row).toMatchObject({ version: 2, headcount: 1200, name: "Tamworth Trust", type: org.type });
    expect(await domainsOf(org.id)).toEqual([a, c].sort());
    const [entry] = await auditOf(org.id);
    expect(entry).toMatchObject({ actorId: admin.id, action: "updated" });
    expect(entry.before).toEqual({ headcount: 1000, domains: [a, b].sort() });
    expect(entry.after).toEqual({ headcount: 1200, domains: [a, c].sort() });
    expect(entry.summary).toBe(
      `Updated organisation Tamworth Trust: added domain ${c}; removed domain ${b}; headcount 1,000 → 1,200`,
    );

    const page = await editPageAs(admin, `${org.id}`);
    expect(page.data).toMatchObject({ organisation: { version: 2, headcount: 1200 } });
  });

  it("sets staff by staff group (every group, adding up to the headcount), audited, and refuses anything else", async () => {
    const admin = await createUser({ role: "admin" });
    const domain = uniqueDomain("groups");
    const org = await createOrganisation({ name: "Groups Trust", domains: [domain], headcount: 100 });
    const groups = (values: number[]) =>
      Object.fromEntries(STAFF_GROUP_VALUES.map((g, i) => [`staffGroup_${g}`, String(values[i] ?? "")]));
    const split = [30, 10, 12, 7, 18, 2, 19, 2];

    // Not adding up to the headcount: 400, what was typed kept, nothing written.
    const wrongSum = await editAs(admin, org.id, editFields(org, [domain], groups([30, 10, 12, 7, 18, 2, 19, 3])));
    expect(wrongSum.status).toBe(400);
    expect((wrongSum.data as ActionBody).errors.staffGroup_nursing_midwifery).toBe(
      "The staff groups add up to 101: they must add up to the headcount, 100",
    );
    expect((wrongSum.data as ActionBody).values.staffGroup_other).toBe("3");
    // Some filled, some blank; and not a number.
    const partial = await editAs(admin, org.id, editFields(org, [domain], groups([100])));
    expect((partial.data as ActionBody).errors.staffGroup_medical_dental).toMatch(
      /^Enter the staff in medical and dental \(0 if none\), or leave every staff group blank$/,
    );
    const notNumber = await editAs(
      admin,
      org.id,
      editFields(org, [domain], { ...groups(split), staffGroup_social_care: "two" }),
    );
    expect((notNumber.data as ActionBody).errors.staffGroup_social_care).toBe(
      "Enter a whole number of staff, like 1200, or 0",
    );
    expect(await getDb().select().from(organisationStaffGroupHeadcounts)).toEqual([]);
    expect(await auditOf(org.id)).toEqual([]);

    const saved = await editAs(admin, org.id, editFields(org, [domain], groups(split)));
    expect(saved.status).toBe(302);
    const rows = await getDb()
      .select({
        staffGroup: organisationStaffGroupHeadcounts.staffGroup,
        headcount: organisationStaffGroupHeadcounts.headcount,
      })
      .from(organisationStaffGroupHeadcounts)
      .where(eq(organisationStaffGroupHeadcounts.organisationId, org.id));
    expect(Object.fromEntries(rows.map((r) => [r.staffGroup, r.headcount]))).toEqual(
      Object.fromEntries(STAFF_GROUP_VALUES.map((g, i) => [g, split[i]])),
    );
    expect((await orgRow(org.id)).version).toBe(2);
    const [entry] = await auditOf(org.id);
    expect(entry.before).toEqual({ staffGroupHeadcounts: null });
    expect(entry.after).toEqual({
      staffGroupHeadcounts: Object.fromEntries(STAFF_GROUP_VALUES.map((g, i) => [g, split[i]])),
    });
    expect(entry.summary).toBe("Updated organisation Groups Trust: staff by staff group set");
    const page = await editPageAs(admin, org.id);
    expect(page.data).toMatchObject({ organisation: { staffGroupHeadcounts: { nursing_midwifery: 30, other: 2 } } });

    // Changing the headcount alone through the model, groups no longer adding up: refused.
    await expect(
      model.updateOrganisation(asCurrentUser(admin), org.id, {
        name: org.name,
        type: org.type,
        domains: [domain],
        headcount: 120,
        version: 2,
      }),
    ).rejects.toMatchObject({ errors: { headcount: expect.stringMatching(/add up to the headcount, 120$/) } });

    // Cleared: every group blank.
    const cleared = await editAs(admin, org.id, editFields({ ...org, version: 2 }, [domain], groups([])));
    expect(cleared.status).toBe(302);
    expect(
      await getDb()
        .select()
        .from(organisationStaffGroupHeadcounts)
        .where(eq(organisationStaffGroupHeadcounts.organisationId, org.id)),
    ).toEqual([]);
    expect((await auditOf(org.id)).at(-1)!.summary).toBe(
      "Updated organisation Groups Trust: staff by staff group cleared",
    );
  });

  it("saves nothing (no version, no audit) when nothing changed", async () => {
    const admin = await createUser({ role: "admin" });
    const org = await createOrganisation();
    const out = await editAs(
      admin,
      org.id,
      editFields(
        org,
        [...org.domains].map((d) => d.toUpperCase()),
      ),
    );
    expect(out.location).toBe(`/admin/organisations/${org.id}?saved=0`);
    expect((await orgRow(org.id)).version).toBe(1);
    expect(await auditOf(org.id)).toHaveLength(0);
  });

  it("refuses a stale version with 409 naming who changed it, keeping what was typed", async () => {
    const first = await createUser({ role: "admin", name: "Fiona First" });
    const second = await createUser({ role: "admin", name: "Sam Second" });
    const org = await createOrganisation({ name: "Lichfield Practices", headcount: 300 });
    expect((await editAs(first, org.id, editFields({ ...org, headcount: 310 }, org.domains))).status).toBe(302);
    const stale = await editAs(
      second,
      org.id,
      editFields({ ...org, name: "Lichfield GP Practices", headcount: 999 }, org.domains),
    );
    expect(stale.status).toBe(409);
    const body = stale.data as ActionBody;
    expect(body.conflict).toBe(true);
    expect(body.errors._form).toMatch(
      /^This organisation was changed by Fiona First at \d{2}:\d{2} on .* — review and try again$/,
    );
    expect(body.values).toMatchObject({ name: "Lichfield GP Practices", headcount: "999" });
    expect(await orgRow(org.id)).toMatchObject({ name: "Lichfield Practices", headcount: 310, version: 2 });
    expect(await auditOf(org.id)).toHaveLength(1);

    // A missing or tampered version is a conflict too, never a blind overwrite.
    const noVersion = await editAs(second, org.id, {
      ...editFields({ ...org, headcount: 5 }, org.domains),
      version: "x",
    });
    expect(noVersion.status).toBe(409);
    expect((await orgRow(org.id)).headcount).toBe(310);
  });

  it("answers 400 with what was typed for invalid values", async () => {
    const admin = await createUser({ role: "admin" });
    const org = await createOrganisation();
    const out = await editAs(admin, org.id, {
      ...editFields(org, org.domains),
      name: "  ",
      headcount: "-4",
      type: "hospital",
    });
    expect(out.status).toBe(400);
    const body = out.data as ActionBody;
    expect(body.errors).toMatchObject({
      name: "Enter the organisation’s name",
      headcount: "Headcount must be a whole number, like 4300",
      type: "Choose the type of organisation",
    });
    expect(body.values).toMatchObject({
      name: "  ",
      headcount: "-4",
      type: "hospital",
      domains: org.domains.join("\n"),
    });
    expect((await orgRow(org.id)).version).toBe(1);
  });

  it("answers 404 for an organisation that does not exist", async () => {
    const admin = await createUser({ role: "admin" });
    expect((await editPageAs(admin, 987654)).status).toBe(404);
    expect((await editPageAs(admin, "abc")).status).toBe(404);
    expect(
      (await editAs(admin, 987654, { name: "X", type: "council", domains: uniqueDomain(), headcount: "1", version: 1 }))
        .status,
    ).toBe(404);
  });
});

describe("changing domains never locks anyone out", () => {
  const password = "correct horse battery staple";
  const signup = (email: string) => ({
    email,
    name: "Nia Newcomer",
    staffGroup: "nursing_midwifery",
    jobTitle: "Staff nurse",
    "startDate-day": "3",
    "startDate-month": "9",
    "startDate-year": "2024",
  });

  it("lets an existing account sign in after its domain is removed, and refuses new sign-ups there", async () => {
    const admin = await createUser({ role: "admin" });
    const [gone, kept] = [uniqueDomain("gone"), uniqueDomain("kept")];
    const org = await createOrganisation({ name: "Stone Hospital Trust", domains: [gone, kept] });
    const member = await createUser({ organisationId: org.id, email: `rhys.jones@${gone}` });

    // Before: a new sign-up at the domain is accepted.
    expect(
      (
        await run(() =>
          signupAction({ request: formRequest("/signup", signup(`first@${gone}`)), params: {}, context: {} }),
        )
      ).status,
    ).toBe(302);

    expect((await editAs(admin, org.id, editFields(org, [kept]))).status).toBe(302);
    expect(await domainsOf(org.id)).toEqual([kept]);

    const login = await run(() =>
      loginAction({
        request: formRequest("/login", { email: member.email, password, redirectTo: "/my/requests" }),
        params: {},
        context: {},
      }),
    );
    expect(login.status).toBe(302);
    expect(login.location).toBe("/my/requests");
    expect(login.headers?.get("Set-Cookie")).toMatch(/^staywell_session=/);
    // The account keeps its organisation.
    const [after] = await getDb().select().from(users).where(eq(users.id, member.id));
    expect(after.organisationId).toBe(org.id);
    const page = await editPageAs(admin, org.id);
    expect(page.data).toMatchObject({ accounts: 2, accountsByDomain: { [kept]: 0 }, accountsAtOtherDomains: 2 });

    const refused = await run(() =>
      signupAction({ request: formRequest("/signup", signup(`second@${gone}`)), params: {}, context: {} }),
    );
    expect(refused.status).toBe(400);
    expect((refused.data as ActionBody).errors.email).toMatch(
      /^Enter your work email address from a partner organisation, or your nhs\.net address/,
    );
    expect(
      await getDb()
        .select()
        .from(users)
        .where(eq(users.email, `second@${gone}`)),
    ).toHaveLength(0);
  });

  it("allows removing the last domain: the organisation takes no new sign-ups, its accounts still sign in", async () => {
    const admin = await createUser({ role: "admin" });
    const only = uniqueDomain("only");
    const org = await createOrganisation({ name: "Closing Care Ltd", type: "care_provider", domains: [only] });
    const member = await createUser({ organisationId: org.id, email: `kim.lowe@${only}` });
    const out = await editAs(admin, org.id, editFields(org, []));
    expect(out.status).toBe(302);
    expect(await domainsOf(org.id)).toEqual([]);
    const [entry] = await auditOf(org.id);
    expect(entry.before).toEqual({ domains: [only] });
    expect(entry.after).toEqual({ domains: [] });
    const list = await listAs(admin);
    expect(
      (list.data as Awaited<ReturnType<typeof listRoute.loader>>).items.find((o) => o.id === org.id),
    ).toMatchObject({ domains: [], accounts: 1 });

    const login = await run(() =>
      loginAction({ request: formRequest("/login", { email: member.email, password }), params: {}, context: {} }),
    );
    expect(login.status).toBe(302);
    const refused = await run(() =>
      signupAction({ request: formRequest("/signup", signup(`new.starter@${only}`)), params: {}, context: {} }),
    );
    expect(refused.status).toBe(400);
  });
});

describe("the organisations list", () => {
  it("shows name, type, domains, headcount and the number of accounts", async () => {
    const admin = await createUser({ role: "admin" });
    const org = await createOrganisation({
      name: "Aardvark Test Council",
      type: "council",
      headcount: 4321,
      domains: [uniqueDomain("z"), uniqueDomain("y")],
    });
    await createUser({ organisationId: org.id });
    await createUser({ organisationId: org.id, disabled: true });
    const out = await listAs(admin);
    expect(out.status).toBe(200);
    const data = out.data as Awaited<ReturnType<typeof listRoute.loader>>;
    expect(data.total).toBe(await organisationCount());
    expect(data.items.find((o) => o.id === org.id)).toEqual({
      id: org.id,
      slug: org.slug,
      name: "Aardvark Test Council",
      type: "council",
      headcount: 4321,
      domains: [...org.domains].sort(),
      accounts: 2,
    });
  });
});
