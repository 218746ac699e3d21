// The administration audit log (/admin/audit) and the /admin overview. Recording happens in
// common.server.ts (recordAdminChange, inside each change's transaction); this file only reads.
//
// Listing: newest first, 50 a page by keyset on (created_at, id) — `before=<id>` for older
// entries, `after=<id>` for newer ones. The cursor is an entry id and the comparison reads that
// entry's own (created_at, id), so microsecond timestamps never make an entry appear twice or
// not at all. Indexes: admin_audit_created_idx (created_at, id) for the unfiltered list and date
// ranges, admin_audit_actor_idx (actor_id, created_at) for "who", admin_audit_entity_idx for area.
// Filters live in the URL: area (entity), who (actor email, exact, any case), action, from/to
// (London dates, both inclusive).
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { adminAudit, cannedResponses, mailOutbox, organisations, supportOffers, teams, users } from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import { addCalendarDays, startOfLondonDay } from "~/lib/working-days";
import { assertAdmin, type AuditEntity } from "./common.server";
import { countAccountsByRole } from "./people.server";
import { stripControlCharacters } from "~/schemas/text";

export const AUDIT_PAGE_SIZE = 50;

export const AUDIT_AREAS: readonly { value: AuditEntity; label: string }[] = [
  { value: "offer", label: "Support offers" },
  { value: "canned_response", label: "Saved responses" },
  { value: "organisation", label: "Organisations" },
  { value: "team", label: "Hub teams" },
  { value: "user", label: "People" },
  { value: "mail", label: "Mail" },
  { value: "shared_domain", label: "Shared email domains" },
  { value: "access_request", label: "Access requests" },
  { value: "esr_import", label: "ESR leavers imports" },
  { value: "check_in_point", label: "First-year check-ins" },
  { value: "reservist", label: "Reservist profiles" },
  { value: "reservist_need", label: "Reservist needs and invitations" },
  { value: "reservist_skill", label: "Reservist roles and skills" },
];

const AREA_VALUES = new Set<string>(AUDIT_AREAS.map((a) => a.value));

export interface AuditFilters {
  area?: AuditEntity;
  /** One thing in the area (its id), e.g. one account's changes. Needs `area`. */
  id?: string;
  /** Actor email as typed (trimmed). */
  who?: string;
  action?: string;
  /** YYYY-MM-DD, London, inclusive. */
  from?: string;
  to?: string;
}

export type AuditFilterField = keyof AuditFilters;

export interface AuditQuery {
  filters: AuditFilters;
  /** Keyset cursors: entry ids. */
  before?: number;
  after?: number;
  errors: { field: AuditFilterField; message: string }[];
  /** What was in the URL for the dates, to show again in the form when it was not a date. */
  typed: { from: string; to: string };
}

/** "2026-03-27" or "27/3/2026" (as people in England write it) → "2026-03-27"; null if not a real date. */
export function parseDateFilter(value: string): string | null {
  let iso = value;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (uk) iso = `${uk[3]}-${uk[2]!.padStart(2, "0")}-${uk[1]!.padStart(2, "0")}`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  const real = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
  return real && iso >= "2000-01-01" && iso <= "2999-12-31" ? iso : null;
}

function cursorOf(value: string | null): number | undefined {
  return value && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined;
}

/** Reads the filters and cursor from the URL. Never throws: a bad value is reported and not applied. */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const filters: AuditFilters = {};
  const errors: AuditQuery["errors"] = [];
  // A NUL or other control character in a filter is dropped, never sent to the database.
  const get = (name: string) => stripControlCharacters(params.get(name) ?? "").trim();

  const area = get("area");
  if (area) {
    if (AREA_VALUES.has(area)) filters.area = area as AuditEntity;
    else errors.push({ field: "area", message: "Choose an area from the list" });
  }
  const id = get("id");
  if (id && filters.area) {
    if (/^[A-Za-z0-9_-]{1,100}$/.test(id)) filters.id = id;
    else errors.push({ field: "id", message: "This link is not valid: showing the whole area" });
  }
  const who = get("who");
  if (who) {
    if (who.length <= 320) filters.who = who;
    else errors.push({ field: "who", message: "Enter an email address of 320 characters or fewer" });
  }
  const action = get("action");
  if (action) {
    if (/^[a-z][a-z_]{0,39}$/.test(action)) filters.action = action;
    else errors.push({ field: "action", message: "Choose an action from the list" });
  }
  for (const [field, label] of [
    ["from", "From"],
    ["to", "To"],
  ] as const) {
    const value = get(field);
    if (!value) continue;
    const iso = parseDateFilter(value);
    if (iso) filters[field] = iso;
    else errors.push({ field, message: `${label} must be a real date, like 27/3/2026` });
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.push({ field: "to", message: "To must be the same as or after From" });
    delete filters.to;
  }
  return {
    filters,
    before: cursorOf(params.get("before")),
    after: cursorOf(params.get("after")),
    errors,
    typed: { from: get("from").slice(0, 40), to: get("to").slice(0, 40) },
  };
}

/** The filters (and a cursor) as a query string: "" or "?…". */
export function auditSearch(filters: AuditFilters, cursor?: { before?: number; after?: number }): string {
  const params = new URLSearchParams();
  if (filters.area) params.set("area", filters.area);
  if (filters.area && filters.id) params.set("id", filters.id);
  if (filters.who) params.set("who", filters.who);
  if (filters.action) params.set("action", filters.action);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (cursor?.before) params.set("before", String(cursor.before));
  if (cursor?.after) params.set("after", String(cursor.after));
  const s = params.toString();
  return s ? `?${s}` : "";
}

export interface AuditChangeRow {
  field: string;
  label: string;
  /** Text to show (JSON pretty-printed for lists and objects); null = no value. */
  before: string | null;
  after: string | null;
}

export interface AuditEntryView {
  id: number;
  at: Date;
  actor: { name: string; email: string };
  entity: string;
  areaLabel: string;
  entityId: string;
  action: string;
  summary: string;
  /** "created": only after values; "deleted": only before; otherwise both. */
  kind: "created" | "deleted" | "changed";
  changes: AuditChangeRow[];
  /** The changed thing's admin page, when it still exists. */
  href: string | null;
}

export interface AuditPage {
  query: AuditQuery;
  entries: AuditEntryView[];
  /** Links for paging (null when there is nothing that way). */
  olderHref: string | null;
  newerHref: string | null;
  /** The newest page with the same filters (shown when not already on it). */
  newestHref: string | null;
  options: { areas: { value: string; label: string }[]; actions: string[] };
}

/** "managesOrganisation" → "Manages organisation". */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** A stored value as text, never markup: strings as they are, lists and objects as JSON. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return String(value);
  return JSON.stringify(value, null, 2);
}

function changesOf(before: Record<string, unknown> | null, after: Record<string, unknown> | null): AuditChangeRow[] {
  const keys: string[] = [];
  for (const k of [...Object.keys(before ?? {}), ...Object.keys(after ?? {})]) if (!keys.includes(k)) keys.push(k);
  return keys.map((field) => ({
    field,
    label: fieldLabel(field),
    before: valueText(before?.[field]),
    after: valueText(after?.[field]),
  }));
}

const areaLabels = new Map<string, string>(AUDIT_AREAS.map((a) => [a.value, a.label]));

type EntryRow = {
  id: number;
  createdAt: Date;
  actorName: string;
  actorEmail: string;
  entity: string;
  entityId: string;
  action: string;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

async function selectEntries(where: SQL | undefined, order: "newest" | "oldest", limit: number): Promise<EntryRow[]> {
  return getDb()
    .select({
      id: adminAudit.id,
      createdAt: adminAudit.createdAt,
      actorName: users.name,
      actorEmail: users.email,
      entity: adminAudit.entity,
      entityId: adminAudit.entityId,
      action: adminAudit.action,
      summary: adminAudit.summary,
      before: adminAudit.before,
      after: adminAudit.after,
    })
    .from(adminAudit)
    .innerJoin(users, eq(users.id, adminAudit.actorId))
    .where(where)
    .orderBy(
      ...(order === "newest"
        ? [desc(adminAudit.createdAt), desc(adminAudit.id)]
        : [asc(adminAudit.createdAt), asc(adminAudit.id)]),
    )
    .limit(limit);
}

const numericIds = (ids: string[]) =>
  [...new Set(ids.filter((id) => /^[1-9]\d{0,9}$/.test(id)).map(Number))].filter((n) => n <= 2_147_483_647);

/** Admin pages of the entries' things that still exist (one query per area on the page). */
async function linksFor(rows: EntryRow[]): Promise<Map<number, string>> {
  const db = getDb();
  const idsOf = (entity: string) => rows.filter((r) => r.entity === entity).map((r) => r.entityId);
  const offerIds = numericIds(idsOf("offer"));
  const orgIds = numericIds(idsOf("organisation"));
  const teamIds = numericIds(idsOf("team"));
  const cannedIds = numericIds(idsOf("canned_response"));
  const userIds = [...new Set(idsOf("user"))];
  const [offers, orgs, teamRows, canned, people] = await Promise.all([
    offerIds.length
      ? db.select({ id: supportOffers.id }).from(supportOffers).where(inArray(supportOffers.id, offerIds))
      : [],
    orgIds.length
      ? db.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, orgIds))
      : [],
    teamIds.length ? db.select({ id: teams.id }).from(teams).where(inArray(teams.id, teamIds)) : [],
    cannedIds.length
      ? db
          .select({ id: cannedResponses.id, offerId: cannedResponses.offerId })
          .from(cannedResponses)
          .where(inArray(cannedResponses.id, cannedIds))
      : [],
    userIds.length ? db.select({ id: users.id }).from(users).where(inArray(users.id, userIds)) : [],
  ]);
  const exists = {
    offer: new Set(offers.map((o) => String(o.id))),
    organisation: new Set(orgs.map((o) => String(o.id))),
    team: new Set(teamRows.map((t) => String(t.id))),
    user: new Set(people.map((p) => p.id)),
  };
  const cannedOffer = new Map(canned.map((c) => [String(c.id), c.offerId]));
  const links = new Map<number, string>();
  for (const r of rows) {
    const id = encodeURIComponent(r.entityId);
    if (r.entity === "offer" && exists.offer.has(r.entityId)) links.set(r.id, `/admin/offers/${id}`);
    else if (r.entity === "organisation" && exists.organisation.has(r.entityId))
      links.set(r.id, `/admin/organisations/${id}`);
    else if (r.entity === "team" && exists.team.has(r.entityId)) links.set(r.id, `/admin/teams/${id}`);
    else if (r.entity === "user" && exists.user.has(r.entityId)) links.set(r.id, `/admin/people/${id}`);
    else if (r.entity === "canned_response" && cannedOffer.has(r.entityId))
      links.set(r.id, `/admin/offers/${cannedOffer.get(r.entityId)}/responses`);
  }
  return links;
}

async function toViews(rows: EntryRow[]): Promise<AuditEntryView[]> {
  const links = await linksFor(rows);
  return rows.map((r) => ({
    id: r.id,
    at: r.createdAt,
    actor: { name: r.actorName, email: r.actorEmail },
    entity: r.entity,
    areaLabel: areaLabels.get(r.entity) ?? r.entity,
    entityId: r.entityId,
    action: r.action,
    summary: r.summary,
    kind:
      r.before === null && r.after !== null ? "created" : r.after === null && r.before !== null ? "deleted" : "changed",
    changes: changesOf(r.before, r.after),
    href: links.get(r.id) ?? null,
  }));
}

/** (created_at, id) of the cursor entry, compared as a row: exact whatever the timestamp precision. */
function cursorCondition(op: "<" | ">", id: number): SQL {
  return op === "<"
    ? sql`(${adminAudit.createdAt}, ${adminAudit.id}) < (select c.created_at, c.id from admin_audit c where c.id = ${id})`
    : sql`(${adminAudit.createdAt}, ${adminAudit.id}) > (select c.created_at, c.id from admin_audit c where c.id = ${id})`;
}

/** The audit log page for the URL's filters and cursor. */
export async function listAudit(caller: CurrentUser, params: URLSearchParams): Promise<AuditPage> {
  assertAdmin(caller);
  const db = getDb();
  const query = parseAuditQuery(params);
  const { filters } = query;
  const conditions: SQL[] = [];
  let impossible = false;

  if (filters.area) conditions.push(eq(adminAudit.entity, filters.area));
  if (filters.area && filters.id) conditions.push(eq(adminAudit.entityId, filters.id));
  if (filters.action) conditions.push(eq(adminAudit.action, filters.action));
  if (filters.from) conditions.push(gte(adminAudit.createdAt, startOfLondonDay(filters.from)));
  if (filters.to) conditions.push(lt(adminAudit.createdAt, startOfLondonDay(addCalendarDays(filters.to, 1))));
  if (filters.who) {
    const [actor] = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, filters.who.toLowerCase()))
      .limit(1);
    if (actor) conditions.push(eq(adminAudit.actorId, actor.id));
    else {
      impossible = true;
      query.errors.push({
        field: "who",
        message: "No account has this email address: enter the full email address of the person",
      });
    }
  }

  const actionsPromise = db
    .selectDistinct({ action: adminAudit.action })
    .from(adminAudit)
    .orderBy(asc(adminAudit.action));

  // A cursor that names no entry is ignored (first page).
  let mode: "first" | "older" | "newer" = "first";
  let cursorId: number | undefined;
  if (query.before !== undefined || query.after !== undefined) {
    const id = (query.before ?? query.after)!;
    const [exists] = await db.select({ id: adminAudit.id }).from(adminAudit).where(eq(adminAudit.id, id)).limit(1);
    if (exists) {
      mode = query.before !== undefined ? "older" : "newer";
      cursorId = id;
    }
  }

  let rows: EntryRow[] = [];
  let more = false;
  if (!impossible) {
    if (mode === "newer") {
      const found = await selectEntries(
        and(...conditions, cursorCondition(">", cursorId!)),
        "oldest",
        AUDIT_PAGE_SIZE + 1,
      );
      more = found.length > AUDIT_PAGE_SIZE;
      rows = found.slice(0, AUDIT_PAGE_SIZE).reverse();
    } else {
      const where =
        mode === "older"
          ? and(...conditions, cursorCondition("<", cursorId!))
          : conditions.length
            ? and(...conditions)
            : undefined;
      const found = await selectEntries(where, "newest", AUDIT_PAGE_SIZE + 1);
      more = found.length > AUDIT_PAGE_SIZE;
      rows = found.slice(0, AUDIT_PAGE_SIZE);
    }
  }

  const hasOlder = mode === "newer" ? rows.length > 0 : more;
  const hasNewer = mode === "newer" ? more : mode === "older";
  const first = rows[0];
  const last = rows[rows.length - 1];
  const [entries, actionRows] = await Promise.all([toViews(rows), actionsPromise]);
  const clean = { ...filters };
  return {
    query,
    entries,
    olderHref: hasOlder && last ? `/admin/audit${auditSearch(clean, { before: last.id })}` : null,
    newerHref: hasNewer && first ? `/admin/audit${auditSearch(clean, { after: first.id })}` : null,
    newestHref: mode !== "first" ? `/admin/audit${auditSearch(clean)}` : null,
    options: { areas: [...AUDIT_AREAS], actions: actionRows.map((a) => a.action) },
  };
}

export interface AdminOverview {
  offers: { active: number; retired: number };
  organisations: number;
  teams: number;
  /** Messages in the outbox that could not be sent (countFailedMail). */
  failedMail: number;
  accounts: Awaited<ReturnType<typeof countAccountsByRole>>;
  latest: AuditEntryView[];
}

/**
 * The /admin page: counts of each area and the 10 latest audit entries. The plain counts (offers
 * active and retired, organisations, teams, failed mail) are one statement: one round trip, not
 * five (issue 11, docs/performance/server-cost.md).
 */
export async function loadAdminOverview(caller: CurrentUser): Promise<AdminOverview> {
  assertAdmin(caller);
  const db = getDb();
  const [[counts], accounts, latestRows] = await Promise.all([
    queryRows<{ active: number; retired: number; organisations: number; teams: number; failed_mail: number }>(
      db,
      sql`select
        (select count(*) from ${supportOffers} where ${supportOffers.active})::int as active,
        (select count(*) from ${supportOffers} where not ${supportOffers.active})::int as retired,
        (select count(*) from ${organisations})::int as organisations,
        (select count(*) from ${teams})::int as teams,
        (select count(*) from ${mailOutbox} where ${mailOutbox.status} = 'failed')::int as failed_mail`,
    ),
    countAccountsByRole(caller),
    selectEntries(undefined, "newest", 10),
  ]);
  return {
    offers: { active: Number(counts?.active ?? 0), retired: Number(counts?.retired ?? 0) },
    organisations: Number(counts?.organisations ?? 0),
    teams: Number(counts?.teams ?? 0),
    failedMail: Number(counts?.failed_mail ?? 0),
    accounts,
    latest: await toViews(latestRows),
  };
}
