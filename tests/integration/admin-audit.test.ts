// The audit log (/admin/audit) and the /admin overview: loaders called as Remix calls them, on
// PGlite and PostgreSQL. Who may see them; keyset paging with no entry lost or repeated (ties on
// created_at included); every filter; London dates; values shown as text; links to what still
// exists; the overview's counts and latest entries.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { adminAudit, cannedResponses, teams, users, type AdminAuditEntry } from "@db/schema";
import { isAdminError } from "~/.server/models/admin/common.server";
import {
  fieldLabel,
  listAudit,
  loadAdminOverview,
  parseAuditQuery,
  valueText,
  type AuditPage,
} from "~/.server/models/admin/audit.server";
import * as auditRoute from "~/routes/admin.audit";
import * as indexRoute from "~/routes/admin._index";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { getRequest, signInCookie, runRoute } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const run = runRoute;

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

async function auditPage(user: TestUser, query = ""): Promise<AuditPage> {
  const out = await run(async () =>
    auditRoute.loader({
      request: getRequest(`/admin/audit${query}`, { cookie: await cookieOf(user) }),
      params: {},
      context: {},
    }),
  );
  expect(out.status).toBe(200);
  return out.data as AuditPage;
}

/** "?before=12" from "/admin/audit?before=12". */
const queryOf = (href: string | null) => (href ? href.slice("/admin/audit".length) : null);

let ann: TestUser;
let bob: TestUser;

beforeAll(async () => {
  const org = await createOrganisation();
  ann = await createUser({
    role: "admin",
    organisationId: org.id,
    name: "Ann Admin",
    email: "Ann.Audit@icb.staywell.test",
  });
  bob = await createUser({ role: "admin", organisationId: org.id, name: "Bob Admin" });
});

async function insertEntry(
  values: Partial<typeof adminAudit.$inferInsert> & { createdAt: Date },
): Promise<AdminAuditEntry> {
  const [row] = await getDb()
    .insert(adminAudit)
    .values({
      actorId: ann.id,
      entity: "team",
      entityId: "1",
      action: "updated",
      summary: "Renamed a team",
      before: { name: "Old" },
      after: { name: "New" },
      ...values,
    })
    .returning();
  return row!;
}

/** Newest first, ties on created_at broken by id (newest id first). */
function newestFirst(rows: AdminAuditEntry[]) {
  return [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id).map((r) => r.id);
}

describe("who may see the audit log and the overview", () => {
  it("answers 403 to staff, coordinators and managers, sends the signed-out to sign in, and the models refuse", async () => {
    for (const role of ["staff", "coordinator", "manager"] as const) {
      const user = await createUser({ role });
      const cookie = await signInCookie(user.id);
      expect(
        (
          await run(() =>
            auditRoute.loader({ request: getRequest("/admin/audit", { cookie }), params: {}, context: {} }),
          )
        ).status,
      ).toBe(403);
      expect(
        (await run(() => indexRoute.loader({ request: getRequest("/admin", { cookie }), params: {}, context: {} })))
          .status,
      ).toBe(403);
      const caller = asCurrentUser(user);
      expect(await listAudit(caller, new URLSearchParams()).catch((e: unknown) => isAdminError(e, "forbidden"))).toBe(
        true,
      );
      expect(await loadAdminOverview(caller).catch((e: unknown) => isAdminError(e, "forbidden"))).toBe(true);
    }
    const anonymous = await run(() =>
      auditRoute.loader({ request: getRequest("/admin/audit"), params: {}, context: {} }),
    );
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/login?redirectTo=%2Fadmin%2Faudit");
  });
});

describe("paging and filters", () => {
  let all: AdminAuditEntry[];
  let teamId: number;
  const base = Date.parse("2026-06-01T12:00:00Z");

  beforeAll(async () => {
    const team = await createTeam({ name: "Audit team" });
    teamId = team.id;
    all = [];
    // 123 entries a minute apart, except five that share one instant (ties broken by id), inserted
    // out of time order so id order and time order differ.
    const order = Array.from({ length: 123 }, (_, i) => (i * 37) % 123);
    for (const i of order) {
      const at = i >= 60 && i < 65 ? new Date(base + 60 * 60_000) : new Date(base + i * 60_000);
      const kind = i % 3;
      all.push(
        await insertEntry({
          createdAt: at,
          actorId: i % 2 === 0 ? ann.id : bob.id,
          entity: kind === 0 ? "user" : kind === 1 ? "team" : "offer",
          entityId: kind === 0 ? bob.id : kind === 1 ? String(teamId) : "999999",
          action: kind === 0 ? "role_changed" : kind === 1 ? "updated" : "retired",
          summary: `Entry ${i}`,
        }),
      );
    }
  });

  it("lists newest first, 50 a page; older and newer links walk every entry exactly once", async () => {
    const expected = newestFirst(all);
    const first = await auditPage(ann);
    expect(first.entries).toHaveLength(50);
    expect(first.newerHref).toBeNull();
    expect(first.newestHref).toBeNull();
    const seen = [...first.entries.map((e) => e.id)];
    let page = first;
    const pages = [first];
    while (page.olderHref) {
      page = await auditPage(ann, queryOf(page.olderHref)!);
      pages.push(page);
      seen.push(...page.entries.map((e) => e.id));
    }
    expect(pages.map((p) => p.entries.length)).toEqual([50, 50, 23]);
    expect(seen).toEqual(expected);
    expect(pages[2]!.newestHref).toBe("/admin/audit");

    // Back from the last page: the newer link gives exactly the middle page, then the first.
    const middle = await auditPage(ann, queryOf(pages[2]!.newerHref)!);
    expect(middle.entries.map((e) => e.id)).toEqual(pages[1]!.entries.map((e) => e.id));
    const top = await auditPage(ann, queryOf(middle.newerHref)!);
    expect(top.entries.map((e) => e.id)).toEqual(first.entries.map((e) => e.id));
    expect(top.newerHref).toBeNull();

    // A cursor naming no entry, or not a number, shows the first page.
    expect((await auditPage(ann, "?before=2147483647")).entries.map((e) => e.id)).toEqual(expected.slice(0, 50));
    expect((await auditPage(ann, "?before=abc")).entries.map((e) => e.id)).toEqual(expected.slice(0, 50));
  });

  it("filters by area, by who (email in any case), by action, and keeps the filters when paging", async () => {
    const users_ = await auditPage(ann, "?area=user");
    expect(users_.entries).toHaveLength(41);
    expect(users_.entries.every((e) => e.entity === "user" && e.areaLabel === "People")).toBe(true);
    expect(users_.olderHref).toBeNull();

    const byAnn = await auditPage(ann, `?who=${encodeURIComponent("  ANN.audit@ICB.staywell.test ")}`);
    const annIds = newestFirst(all.filter((e) => e.actorId === ann.id));
    expect(annIds).toHaveLength(62);
    expect(byAnn.entries.map((e) => e.id)).toEqual(annIds.slice(0, 50));
    expect(byAnn.entries.every((e) => e.actor.name === "Ann Admin")).toBe(true);
    expect(byAnn.olderHref).toMatch(/^\/admin\/audit\?who=ANN\.audit%40ICB\.staywell\.test&before=\d+$/);
    const byAnn2 = await auditPage(ann, queryOf(byAnn.olderHref)!);
    expect(byAnn2.entries.map((e) => e.id)).toEqual(annIds.slice(50));

    const nobody = await auditPage(ann, "?who=nobody%40example.test");
    expect(nobody.entries).toEqual([]);
    expect(nobody.query.errors.map((e) => e.field)).toEqual(["who"]);

    const retired = await auditPage(ann, "?action=retired&who=" + encodeURIComponent(bob.email));
    expect(retired.entries.map((e) => e.id)).toEqual(
      newestFirst(all.filter((e) => e.action === "retired" && e.actorId === bob.id)),
    );
    expect(retired.options.actions).toEqual(expect.arrayContaining(["retired", "role_changed", "updated"]));

    const one = await auditPage(ann, `?area=team&id=${teamId}`);
    expect(one.entries).toHaveLength(41);
    expect(one.entries.every((e) => e.entityId === String(teamId))).toBe(true);

    const bad = await auditPage(ann, "?area=spaceships&action=DROP%20TABLE");
    expect(bad.query.errors.map((e) => e.field)).toEqual(["area", "action"]);
    expect(bad.entries).toHaveLength(50);
  });

  it("from and to are London days, both inclusive; bad or back-to-front dates are reported", async () => {
    // 1 July 2026 00:30 in London is 30 June 23:30 UTC (summer time).
    const late = await insertEntry({
      createdAt: new Date("2026-06-30T23:30:00Z"),
      summary: "Just after midnight in London",
    });
    const early = await insertEntry({
      createdAt: new Date("2026-06-30T22:59:59Z"),
      summary: "Just before midnight in London",
    });
    const july = await auditPage(ann, "?from=2026-07-01&to=2026-07-01");
    expect(july.entries.map((e) => e.id)).toEqual([late.id]);
    const june30 = await auditPage(ann, `?from=30/6/2026&to=${encodeURIComponent("30/06/2026")}`);
    expect(june30.entries.map((e) => e.id)).toEqual([early.id]);
    const june1 = await auditPage(ann, "?to=2026-06-01");
    expect(june1.entries).toHaveLength(50);
    expect(june1.entries.every((e) => new Date(e.at) < new Date("2026-06-01T23:00:00Z"))).toBe(true);

    expect(june30.query.filters).toMatchObject({ from: "2026-06-30", to: "2026-06-30" });
    const bad = await auditPage(ann, "?from=2026-02-30&to=yesterday");
    expect(bad.query.errors).toEqual([
      { field: "from", message: "From must be a real date, like 27/3/2026" },
      { field: "to", message: "To must be a real date, like 27/3/2026" },
    ]);
    expect(parseAuditQuery(new URLSearchParams("from=31/4/2026")).errors.map((e) => e.field)).toEqual(["from"]);
    const backwards = parseAuditQuery(new URLSearchParams("from=2026-07-02&to=2026-07-01"));
    expect(backwards.errors).toEqual([{ field: "to", message: "To must be the same as or after From" }]);
    expect(backwards.filters).toEqual({ from: "2026-07-02" });
  });
});

describe("each entry", () => {
  it("has its before and after values as text, and a link to the changed thing while it exists", async () => {
    const org = await createOrganisation({ name: "Linked Trust" });
    const offer = await createOffer();
    const [response] = await getDb()
      .insert(cannedResponses)
      .values({ offerId: offer.id, title: "Hello", body: "Hi" })
      .returning();
    const gone = await createTeam({ name: "Short-lived team" });
    await getDb().delete(teams).where(eq(teams.id, gone.id));
    const at = new Date("2027-01-01T10:00:00Z");
    const made = [
      await insertEntry({ createdAt: at, entity: "offer", entityId: String(offer.id), summary: "offer" }),
      await insertEntry({
        createdAt: at,
        entity: "canned_response",
        entityId: String(response!.id),
        summary: "canned",
      }),
      await insertEntry({ createdAt: at, entity: "organisation", entityId: String(org.id), summary: "org" }),
      await insertEntry({ createdAt: at, entity: "team", entityId: String(gone.id), summary: "gone" }),
      await insertEntry({ createdAt: at, entity: "user", entityId: bob.id, summary: "user" }),
      await insertEntry({ createdAt: at, entity: "user", entityId: "no-such-user", summary: "nobody" }),
      await insertEntry({
        createdAt: at,
        entity: "organisation",
        entityId: String(org.id),
        action: "created",
        summary: "created",
        before: null,
        after: {
          name: "<b>Linked</b> Trust",
          domains: ["a.nhs.uk", "b.nhs.uk"],
          headcount: 1200,
          sensitive: true,
          note: null,
        },
      }),
    ];
    const page = await auditPage(ann, "?from=2027-01-01&to=2027-01-01");
    const bySummary = new Map(page.entries.map((e) => [e.summary, e]));
    expect(page.entries.map((e) => e.id)).toEqual(made.map((m) => m.id).reverse());
    expect(bySummary.get("offer")!.href).toBe(`/admin/offers/${offer.id}`);
    expect(bySummary.get("canned")!.href).toBe(`/admin/offers/${offer.id}/responses`);
    expect(bySummary.get("org")!.href).toBe(`/admin/organisations/${org.id}`);
    expect(bySummary.get("gone")!.href).toBeNull();
    expect(bySummary.get("user")!.href).toBe(`/admin/people/${bob.id}`);
    expect(bySummary.get("nobody")!.href).toBeNull();
    expect(bySummary.get("offer")!).toMatchObject({
      kind: "changed",
      actor: { name: "Ann Admin", email: "ann.audit@icb.staywell.test" },
      changes: [{ field: "name", label: "Name", before: "Old", after: "New" }],
    });

    const created = bySummary.get("created")!;
    expect(created.kind).toBe("created");
    // (jsonb keeps its own key order, so compare by field)
    const byField = (a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field);
    expect([...created.changes].sort(byField)).toEqual(
      [
        { field: "name", label: "Name", before: null, after: "<b>Linked</b> Trust" },
        { field: "domains", label: "Domains", before: null, after: '[\n  "a.nhs.uk",\n  "b.nhs.uk"\n]' },
        { field: "headcount", label: "Headcount", before: null, after: "1200" },
        { field: "sensitive", label: "Sensitive", before: null, after: "Yes" },
        { field: "note", label: "Note", before: null, after: null },
      ].sort(byField),
    );
    // Rendered as text: the markup someone typed is escaped, never interpreted.
    const html = renderToStaticMarkup(createElement(auditRoute.ChangesTable, { entry: created }));
    expect(html).toContain("&lt;b&gt;Linked&lt;/b&gt; Trust");
    expect(html).not.toContain("<b>");
    expect(html).toContain("Values when created");

    expect(fieldLabel("managesOrganisation")).toBe("Manages organisation");
    expect(fieldLabel("first_contact_target_days")).toBe("First contact target days");
    expect(valueText({ role: "manager" })).toBe('{\n  "role": "manager"\n}');
    expect(valueText(false)).toBe("No");
  });
});

describe("the overview", () => {
  it("counts offers, organisations, teams and accounts by role, and shows the 10 latest changes", async () => {
    const before = await loadAdminOverview(asCurrentUser(ann));
    const org = await createOrganisation();
    await createOffer(); // and its own team
    await createOffer({ active: false });
    await createTeam();
    await createUser({ role: "coordinator", organisationId: org.id });
    await createUser({ role: "manager", organisationId: org.id, disabled: true });
    const demo = await createUser({ organisationId: org.id });
    await getDb().update(users).set({ isDemo: true }).where(eq(users.id, demo.id));
    const newest = await insertEntry({ createdAt: new Date("2099-01-01T00:00:00Z"), summary: "From the future" });

    const out = await run(async () =>
      indexRoute.loader({ request: getRequest("/admin", { cookie: await cookieOf(ann) }), params: {}, context: {} }),
    );
    expect(out.status).toBe(200);
    const after = out.data as Awaited<ReturnType<typeof loadAdminOverview>>;
    expect(after.offers).toEqual({ active: before.offers.active + 1, retired: before.offers.retired + 1 });
    expect(after.organisations).toBe(before.organisations + 1);
    expect(after.teams).toBe(before.teams + 3);
    const delta = (role: string, key: "active" | "disabled" | "demo") =>
      after.accounts.find((a) => a.role === role)![key] - before.accounts.find((a) => a.role === role)![key];
    expect([
      delta("coordinator", "active"),
      delta("manager", "disabled"),
      delta("manager", "active"),
      delta("staff", "demo"),
      delta("staff", "active"),
    ]).toEqual([1, 1, 0, 1, 0]);
    expect(after.accounts.find((a) => a.role === "admin")!.active).toBeGreaterThanOrEqual(2);
    expect(after.latest).toHaveLength(10);
    expect(after.latest[0]!.id).toBe(newest.id);
    const times = after.latest.map((e) => new Date(e.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
