// Administration of the support catalogue: offers (create, edit, reorder, retire, restore) and
// each offer's saved responses for the hub (add, edit, reorder, delete).
//
// Every exported function starts with assertAdmin(caller), validates its input with the same zod
// schema as the form, and makes its change and the audit record in one transaction. Edits carry
// the version the admin saw: a stale one is refused with who changed the record and when.
// Nothing here reads or returns request content: offers' request counts at most.
import { and, asc, count, desc, eq, inArray, isNull, max, ne, notInArray, sql } from "drizzle-orm";
import { isUniqueViolation } from "@db/client";
import { getDb } from "@db/current";
import { cannedResponses, supportOffers, supportRequests, teamMembers, teams, type SupportOffer } from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import { issuesToErrors } from "../../forms.server";
import { OPEN_STATUSES } from "~/lib/request-status";
import {
  cannedResponseSchema,
  FORM_KIND_LOCKED,
  offerCreateSchema,
  offerFieldsSchema,
  type MoveDirection,
  type OfferFormKind,
} from "~/schemas/admin-offers";
import type { z } from "zod";
import {
  AdminError,
  assertAdmin,
  changedFields,
  conflictFor,
  invalid,
  recordAdminAccessWhere,
  recordAdminChange,
  recordOfferMovedBetweenTeams,
  unassignOpenRequests,
  type Tx,
} from "./common.server";
import { proposeChange, type ProposalDetail } from "./proposals.server";
import { pageNumber } from "~/lib/paging";

export const ADMIN_OFFERS_PAGE_SIZE = 50;

/** Gap left between sort orders, so an offer can be placed between two without renumbering. */
const SORT_STEP = 10;

// ---------------------------------------------------------------------------------------------
// helpers

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AdminError("invalid", "There is a problem with the form", issuesToErrors(parsed.error.issues));
  }
  return parsed.data;
}

function slugTaken(slug: string) {
  return invalid(
    "slug",
    `The web address name ${slug} is already used by another support offer — choose a different one`,
  );
}

async function teamName(tx: Tx, teamId: number): Promise<string> {
  const [team] = await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId)).limit(1);
  if (!team) throw invalid("teamId", "Choose one of the listed teams");
  return team.name;
}

/** The next sort order at the end of a category (of all offers in it, active or retired). */
async function endOfCategory(tx: Tx, category: string, except?: number): Promise<number> {
  const [row] = await tx
    .select({ last: max(supportOffers.sortOrder) })
    .from(supportOffers)
    .where(
      except === undefined
        ? eq(supportOffers.category, category)
        : and(eq(supportOffers.category, category), ne(supportOffers.id, except)),
    );
  return (row?.last ?? 0) + SORT_STEP;
}

/** The offer, locked for the rest of the transaction; not_found when there is none. */
async function lockOffer(tx: Tx, id: number): Promise<SupportOffer> {
  if (!Number.isSafeInteger(id) || id < 1) throw new AdminError("not_found", "There is no such support offer.");
  const [offer] = await tx.select().from(supportOffers).where(eq(supportOffers.id, id)).for("update").limit(1);
  if (!offer) throw new AdminError("not_found", "There is no such support offer.");
  return offer;
}

/** Refuses a change made from a page that was out of date (someone else changed it since). */
async function checkVersion(
  tx: Tx,
  entity: "offer" | "canned_response",
  id: number,
  current: number,
  expected: number,
) {
  if (current !== expected) throw await conflictFor(tx, entity, id);
}

const OFFER_FIELD_LABELS: Record<string, string> = {
  title: "title",
  category: "category",
  summary: "summary",
  keywords: "search keywords",
  body: "description",
  whoFor: "who it is for",
  provider: "who provides it",
  whatHappensNext: "what happens next",
  firstContactTargetDays: "first contact target",
  urgentCutoffHour: "urgent target: same working day if sent before",
  urgentNextDayHour: "urgent target: otherwise next working day by",
  sensitive: "confidential",
  formKind: "request form",
  teamId: "handling team",
};

type OfferAuditFields = {
  title: string;
  category: string;
  summary: string;
  keywords: string;
  body: string;
  whoFor: string;
  provider: string;
  whatHappensNext: string;
  firstContactTargetDays: number;
  urgentCutoffHour: number;
  urgentNextDayHour: number;
  sensitive: boolean;
  formKind: OfferFormKind;
  teamId: number;
};

function auditFieldsOf(offer: SupportOffer): OfferAuditFields {
  const {
    title,
    category,
    summary,
    keywords,
    body,
    whoFor,
    provider,
    whatHappensNext,
    firstContactTargetDays,
    sensitive,
    formKind,
    teamId,
  } = offer;
  const { urgentCutoffHour, urgentNextDayHour } = offer;
  return {
    title,
    category,
    summary,
    keywords,
    body,
    whoFor,
    provider,
    whatHappensNext,
    firstContactTargetDays,
    urgentCutoffHour,
    urgentNextDayHour,
    sensitive,
    formKind,
    teamId,
  };
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Proposes moving a confidential offer to another team and/or unticking "confidential"
 * (proposals.server.ts applies it once a second administrator approves).
 */
export async function proposeOfferChange(
  tx: Tx,
  caller: CurrentUser,
  offer: SupportOffer,
  wanted: { teamId?: number; untick: boolean },
  targetVersion: number,
  now: Date,
) {
  const fromName = await teamName(tx, offer.teamId);
  const details: ProposalDetail[] = [];
  const parts: string[] = [];
  let teamVersion: number | undefined;
  if (wanted.teamId !== undefined) {
    const toName = await teamName(tx, wanted.teamId);
    const [destination] = await tx.select({ version: teams.version }).from(teams).where(eq(teams.id, wanted.teamId));
    teamVersion = destination?.version;
    details.push({ label: "Handling team", before: fromName, after: `${toName} (new requests only)` });
    parts.push(`move ${offer.title} from team ${fromName} to team ${toName}`);
  }
  if (wanted.untick) {
    details.push({ label: "Confidential", before: "Yes", after: "No" });
    parts.push(`${parts.length ? "mark it" : `mark ${offer.title}`} as not confidential`);
  }
  const [{ n }] = await tx
    .select({ n: count() })
    .from(supportRequests)
    .where(and(eq(supportRequests.offerId, offer.id), isNull(supportRequests.pinnedTeamId)));
  details.push({
    label: "Existing requests",
    before: `${n} with team ${fromName}`,
    after: `${n} stay with team ${fromName} (a transfer needs its own approval)`,
  });
  const summary = parts.join(" and ");
  return proposeChange(
    tx,
    caller,
    {
      kind: "offer_change",
      offerId: offer.id,
      targetVersion,
      summary: summary[0]!.toUpperCase() + summary.slice(1),
      change: {
        ...(wanted.teamId !== undefined ? { teamId: wanted.teamId, fromTeamId: offer.teamId, teamVersion } : {}),
        ...(wanted.untick ? { sensitive: false as const } : {}),
        details,
      },
    },
    now,
  );
}

// ---------------------------------------------------------------------------------------------
// reading

export type OfferListFilter = "all" | "active" | "retired";

export interface AdminOfferListItem {
  id: number;
  slug: string;
  title: string;
  category: string;
  active: boolean;
  sensitive: boolean;
  teamName: string;
  version: number;
  /** Whether there is an offer before / after it in its category (and state: in the catalogue or retired). */
  canMoveUp: boolean;
  canMoveDown: boolean;
}

export interface AdminOfferList {
  offers: AdminOfferListItem[];
  total: number;
  page: number;
  pageCount: number;
  counts: { active: number; retired: number };
}

/**
 * Offers in catalogue order (category, then the order within it), those in the catalogue before
 * the retired ones, 50 a page. Whether each can move up or down is worked out over the whole
 * category (window functions), so it is right on every page.
 */
export async function listOffersForAdmin(
  caller: CurrentUser,
  options: { filter?: OfferListFilter; page?: number } = {},
): Promise<AdminOfferList> {
  assertAdmin(caller);
  const db = getDb();
  const filter = options.filter ?? "all";
  const window = sql`over (partition by ${supportOffers.active}, ${supportOffers.category} order by ${supportOffers.sortOrder}, ${supportOffers.title}, ${supportOffers.id})`;
  const ordered = db
    .select({
      id: supportOffers.id,
      slug: supportOffers.slug,
      title: supportOffers.title,
      category: supportOffers.category,
      active: supportOffers.active,
      sensitive: supportOffers.sensitive,
      version: supportOffers.version,
      sortOrder: supportOffers.sortOrder,
      teamName: teams.name,
      previousId: sql<number | null>`lag(${supportOffers.id}) ${window}`.as("previous_id"),
      nextId: sql<number | null>`lead(${supportOffers.id}) ${window}`.as("next_id"),
    })
    .from(supportOffers)
    .innerJoin(teams, eq(teams.id, supportOffers.teamId))
    .as("ordered");
  const where =
    filter === "active" ? eq(ordered.active, true) : filter === "retired" ? eq(ordered.active, false) : undefined;

  const [countRows, stateCounts] = await Promise.all([
    db
      .select({ n: count() })
      .from(supportOffers)
      .where(
        filter === "active"
          ? eq(supportOffers.active, true)
          : filter === "retired"
            ? eq(supportOffers.active, false)
            : undefined,
      ),
    db.select({ active: supportOffers.active, n: count() }).from(supportOffers).groupBy(supportOffers.active),
  ]);
  const total = Number(countRows[0]?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / ADMIN_OFFERS_PAGE_SIZE));
  const page = Math.min(pageNumber(options.page ?? 1), pageCount);
  const rows = await db
    .select()
    .from(ordered)
    .where(where)
    .orderBy(desc(ordered.active), asc(ordered.category), asc(ordered.sortOrder), asc(ordered.title), asc(ordered.id))
    .limit(ADMIN_OFFERS_PAGE_SIZE)
    .offset((page - 1) * ADMIN_OFFERS_PAGE_SIZE);
  return {
    offers: rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      category: r.category,
      active: r.active,
      sensitive: r.sensitive,
      teamName: r.teamName,
      version: r.version,
      canMoveUp: r.previousId !== null,
      canMoveDown: r.nextId !== null,
    })),
    total,
    page,
    pageCount,
    counts: {
      active: Number(stateCounts.find((c) => c.active)?.n ?? 0),
      retired: Number(stateCounts.find((c) => !c.active)?.n ?? 0),
    },
  };
}

/** The teams an offer can be handed to (the handling team select), by name. */
export async function listTeamsForOffers(caller: CurrentUser): Promise<{ id: number; name: string }[]> {
  assertAdmin(caller);
  return getDb().select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name), asc(teams.id));
}

/** The categories in use, for the category field's hint. */
export async function listOfferCategories(caller: CurrentUser): Promise<string[]> {
  assertAdmin(caller);
  const rows = await getDb()
    .selectDistinct({ category: supportOffers.category })
    .from(supportOffers)
    .orderBy(asc(supportOffers.category));
  return rows.map((r) => r.category);
}

export interface AdminOfferView extends SupportOffer {
  teamName: string;
  /** How many of its requests are open, and how many there are in all (numbers only: never what they say). */
  openRequests: number;
  totalRequests: number;
  cannedResponseCount: number;
}

export async function getOfferForAdmin(caller: CurrentUser, id: number): Promise<AdminOfferView> {
  assertAdmin(caller);
  if (!Number.isSafeInteger(id) || id < 1) throw new AdminError("not_found", "There is no such support offer.");
  const db = getDb();
  const [offer] = await db
    .select({ offer: supportOffers, teamName: teams.name })
    .from(supportOffers)
    .innerJoin(teams, eq(teams.id, supportOffers.teamId))
    .where(eq(supportOffers.id, id))
    .limit(1);
  if (!offer) throw new AdminError("not_found", "There is no such support offer.");
  const [[open], [all], [canned]] = await Promise.all([
    db
      .select({ n: count() })
      .from(supportRequests)
      .where(and(eq(supportRequests.offerId, id), inArray(supportRequests.status, [...OPEN_STATUSES]))),
    db.select({ n: count() }).from(supportRequests).where(eq(supportRequests.offerId, id)),
    db.select({ n: count() }).from(cannedResponses).where(eq(cannedResponses.offerId, id)),
  ]);
  return {
    ...offer.offer,
    teamName: offer.teamName,
    openRequests: Number(open?.n ?? 0),
    totalRequests: Number(all?.n ?? 0),
    cannedResponseCount: Number(canned?.n ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// offers: create, edit, retire, restore, move

/** Adds an offer at the end of its category, in the catalogue at once. */
export async function createOffer(
  caller: CurrentUser,
  input: unknown,
  now = new Date(),
): Promise<{ id: number; slug: string }> {
  assertAdmin(caller);
  const data = withUnixLineEnds(parseOrThrow(offerCreateSchema, input));
  try {
    return await getDb().transaction(async (tx) => {
      const [taken] = await tx
        .select({ id: supportOffers.id })
        .from(supportOffers)
        .where(eq(supportOffers.slug, data.slug))
        .limit(1);
      if (taken) throw slugTaken(data.slug);
      const team = await teamName(tx, data.teamId);
      const sortOrder = await endOfCategory(tx, data.category);
      const [offer] = await tx
        .insert(supportOffers)
        .values({
          slug: data.slug,
          title: data.title,
          category: data.category,
          summary: data.summary,
          keywords: data.keywords ?? "",
          body: data.body,
          whoFor: data.whoFor,
          provider: data.provider,
          whatHappensNext: data.whatHappensNext,
          firstContactTargetDays: data.firstContactTargetDays,
          urgentCutoffHour: data.urgentCutoffHour,
          urgentNextDayHour: data.urgentNextDayHour,
          sensitive: data.sensitive,
          formKind: data.formKind,
          teamId: data.teamId,
          active: true,
          sortOrder,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await recordAdminChange(
        tx,
        caller,
        {
          entity: "offer",
          entityId: offer.id,
          action: "created",
          summary: `Added support offer ${offer.title} (handled by ${team})`,
          before: null,
          after: { slug: offer.slug, ...auditFieldsOf(offer), team, active: true },
        },
        now,
      );
      return { id: offer.id, slug: offer.slug };
    });
  } catch (err) {
    // Two admins choosing the same new slug at once: the database's unique index decides.
    if (isUniqueViolation(err)) throw slugTaken(data.slug);
    throw err;
  }
}

/** `proposed`: part of the change (the team, or unticking confidential) waits for a second administrator. */
export type OfferUpdateResult = { changed: boolean; proposed?: boolean };

/**
 * Saves the edit form. The slug cannot change (links and requests use it). Only changed fields
 * go in the audit record; a save that changes nothing writes nothing. Moving the offer to another
 * category puts it at the end of that category.
 */
/**
 * Browsers send a textarea's line breaks as CRLF; the seed and the database hold LF. Without this
 * an unchanged form looked changed (a new version, an audit entry, and any pending proposal on the
 * offer made stale).
 */
function withUnixLineEnds<T extends Record<string, unknown>>(data: T): T {
  const out: Record<string, unknown> = { ...data };
  for (const [key, value] of Object.entries(out))
    if (typeof value === "string") out[key] = value.replace(/\r\n?/g, "\n");
  return out as T;
}

export async function updateOffer(
  caller: CurrentUser,
  id: number,
  expected: number,
  input: unknown,
  now = new Date(),
): Promise<OfferUpdateResult> {
  assertAdmin(caller);
  const data = withUnixLineEnds(parseOrThrow(offerFieldsSchema, input));
  return getDb().transaction(async (tx) => {
    const offer = await lockOffer(tx, id);
    await checkVersion(tx, "offer", id, offer.version, expected);
    const before = auditFieldsOf(offer);
    const next: OfferAuditFields = {
      title: data.title,
      category: data.category,
      summary: data.summary,
      keywords: data.keywords ?? offer.keywords,
      body: data.body,
      whoFor: data.whoFor,
      provider: data.provider,
      whatHappensNext: data.whatHappensNext,
      firstContactTargetDays: data.firstContactTargetDays,
      urgentCutoffHour: data.urgentCutoffHour,
      urgentNextDayHour: data.urgentNextDayHour,
      sensitive: data.sensitive,
      formKind: data.formKind,
      teamId: data.teamId,
    };
    // Moving a confidential offer to another team, or unticking "confidential", needs a second
    // administrator (docs/decisions/009-…): those parts are proposed, the rest is saved now.
    const wanted =
      offer.sensitive && (next.teamId !== offer.teamId || !next.sensitive)
        ? { teamId: next.teamId !== offer.teamId ? next.teamId : undefined, untick: !next.sensitive }
        : null;
    if (wanted) {
      if (wanted.teamId !== undefined) await teamName(tx, wanted.teamId);
      next.teamId = offer.teamId;
      next.sensitive = true;
    }
    const diff = changedFields(before, next);
    if (!diff.changed) {
      if (!wanted) return { changed: false };
      await proposeOfferChange(tx, caller, offer, wanted, offer.version, now);
      return { changed: false, proposed: true };
    }
    if ("formKind" in diff.after) {
      // Requests keep their answers in the shape of the form they were made with; the hub reads
      // them by the offer's form kind, so it cannot change under them.
      const [made] = await tx
        .select({ id: supportRequests.id })
        .from(supportRequests)
        .where(eq(supportRequests.offerId, id))
        .limit(1);
      if (made) throw invalid("formKind", FORM_KIND_LOCKED);
    }

    const set: Record<string, unknown> = { ...diff.after };
    let unassigned = 0;
    if ("teamId" in diff.after) {
      diff.before.team = await teamName(tx, offer.teamId).catch(() => null);
      diff.after.team = await teamName(tx, data.teamId);
      // As moving it from the team page does: both teams change, and open requests held by
      // someone outside the new team go back to its queue (they could no longer open them).
      // Its requests follow it (it is not confidential; requests kept by a team stay there):
      // each person's access log says an administrator moved theirs.
      await recordAdminAccessWhere(
        tx,
        caller,
        and(eq(supportRequests.offerId, id), isNull(supportRequests.pinnedTeamId))!,
        "transferred",
        now,
      );
      unassigned = await unassignOpenRequests(
        tx,
        caller,
        and(
          eq(supportRequests.offerId, id),
          isNull(supportRequests.pinnedTeamId),
          notInArray(
            supportRequests.assigneeId,
            tx.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, data.teamId)),
          ),
        )!,
        "offer_moved_team",
        now,
      );
      await recordOfferMovedBetweenTeams(
        tx,
        caller,
        {
          offerSlug: offer.slug,
          fromTeamId: offer.teamId,
          toTeamId: data.teamId,
          summary: (side) =>
            `Moved ${offer.title} from team ${String(diff.before.team)} to team ${String(diff.after.team)}${
              side === "from" && unassigned ? `; ${unassigned} open requests unassigned` : ""
            }`,
        },
        now,
      );
    }
    if ("category" in diff.after) set.sortOrder = await endOfCategory(tx, data.category, id);
    await tx
      .update(supportOffers)
      .set({ ...set, version: sql`${supportOffers.version} + 1`, updatedAt: now })
      .where(and(eq(supportOffers.id, id), eq(supportOffers.version, expected)));

    const what = Object.keys(diff.after)
      .filter((k) => k in OFFER_FIELD_LABELS)
      .map((k) => OFFER_FIELD_LABELS[k]);
    const name = "title" in diff.after ? `${offer.title} (now ${data.title})` : offer.title;
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "offer",
        entityId: id,
        action: "updated",
        summary: `Edited support offer ${name}: ${what.join(", ")}`,
        before: withoutUndefined(diff.before),
        after: withoutUndefined(diff.after),
      },
      now,
    );
    if (wanted) {
      const [saved] = await tx.select().from(supportOffers).where(eq(supportOffers.id, id));
      await proposeOfferChange(tx, caller, saved!, wanted, saved!.version, now);
      return { changed: true, proposed: true };
    }
    return { changed: true };
  });
}

async function setActive(caller: CurrentUser, id: number, expected: number, active: boolean, now: Date) {
  assertAdmin(caller);
  return getDb().transaction(async (tx) => {
    const offer = await lockOffer(tx, id);
    await checkVersion(tx, "offer", id, offer.version, expected);
    if (offer.active === active) return { changed: false };
    await tx
      .update(supportOffers)
      .set({ active, version: sql`${supportOffers.version} + 1`, updatedAt: now })
      .where(eq(supportOffers.id, id));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "offer",
        entityId: id,
        action: active ? "restored" : "retired",
        summary: active
          ? `Restored support offer ${offer.title} to the catalogue`
          : `Retired support offer ${offer.title}: no new requests; its existing requests go on`,
        before: { active: offer.active },
        after: { active },
      },
      now,
    );
    return { changed: true };
  });
}

/** Takes the offer out of the catalogue: no new requests; the requests already made go on. */
export function retireOffer(caller: CurrentUser, id: number, expected: number, now = new Date()) {
  return setActive(caller, id, expected, false, now);
}

/** Puts a retired offer back in the catalogue, where it was in its category. */
export function restoreOffer(caller: CurrentUser, id: number, expected: number, now = new Date()) {
  return setActive(caller, id, expected, true, now);
}

/**
 * Swaps `id` with its neighbour in `siblings` (locked, in display order) through `setOrder`; when
 * two share a sort order (old data) the list is numbered afresh first, in steps of `step`.
 * Null when there is no neighbour that way.
 */
async function swapWithNeighbour(
  siblings: { id: number; title: string; sortOrder: number }[],
  id: number,
  direction: MoveDirection,
  step: number,
  setOrder: (rowId: number, sortOrder: number, bumpVersion: boolean) => Promise<unknown>,
): Promise<{ other: { id: number; title: string }; mine: number; theirs: number } | null> {
  const at = siblings.findIndex((s) => s.id === id);
  const other = siblings[direction === "up" ? at - 1 : at + 1];
  if (at === -1 || !other) return null;
  let mine = siblings[at]!.sortOrder;
  let theirs = other.sortOrder;
  if (new Set(siblings.map((s) => s.sortOrder)).size !== siblings.length) {
    for (const [i, s] of siblings.entries()) {
      const fresh = (i + 1) * step;
      if (s.sortOrder !== fresh) await setOrder(s.id, fresh, false);
      if (s.id === id) mine = fresh;
      if (s.id === other.id) theirs = fresh;
    }
  }
  await setOrder(id, theirs, true);
  await setOrder(other.id, mine, true);
  return { other, mine, theirs };
}

/** Both halves of a swap in the audit. */
async function recordSwap(
  tx: Tx,
  caller: CurrentUser,
  entity: "offer" | "canned_response",
  id: number,
  swap: { other: { id: number }; mine: number; theirs: number },
  summaries: { moved: string; other: string },
  now: Date,
) {
  const { other, mine, theirs } = swap;
  for (const [entityId, summary, before, after] of [
    [id, summaries.moved, mine, theirs],
    [other.id, summaries.other, theirs, mine],
  ] as const) {
    const change = {
      entity,
      entityId,
      action: "reordered",
      summary,
      before: { sortOrder: before },
      after: { sortOrder: after },
    };
    await recordAdminChange(tx, caller, change, now);
  }
}

/**
 * Swaps the offer with its neighbour in its category (among offers in the same state: in the
 * catalogue, or retired), in one transaction, both versions bumped and both moves audited. When
 * the two share a sort order (old data), the category is numbered afresh first.
 */
export async function moveOffer(
  caller: CurrentUser,
  id: number,
  expected: number,
  direction: MoveDirection,
  now = new Date(),
): Promise<{ moved: boolean }> {
  assertAdmin(caller);
  return getDb().transaction(async (tx) => {
    const offer = await lockOffer(tx, id);
    await checkVersion(tx, "offer", id, offer.version, expected);
    const siblings = await tx
      .select({ id: supportOffers.id, title: supportOffers.title, sortOrder: supportOffers.sortOrder })
      .from(supportOffers)
      .where(and(eq(supportOffers.category, offer.category), eq(supportOffers.active, offer.active)))
      .orderBy(asc(supportOffers.sortOrder), asc(supportOffers.title), asc(supportOffers.id))
      .for("update");
    const swap = await swapWithNeighbour(siblings, id, direction, SORT_STEP, (rowId, sortOrder, bump) =>
      tx
        .update(supportOffers)
        .set(bump ? { sortOrder, version: sql`${supportOffers.version} + 1`, updatedAt: now } : { sortOrder })
        .where(eq(supportOffers.id, rowId)),
    );
    if (!swap) return { moved: false };
    const { other } = swap;
    const where = direction === "up" ? "above" : "below";
    const back = direction === "up" ? "below" : "above";
    const summaries = {
      moved: `Moved ${offer.title} ${where} ${other.title} in ${offer.category}`,
      other: `Moved ${other.title} ${back} ${offer.title} in ${offer.category}`,
    };
    await recordSwap(tx, caller, "offer", id, swap, summaries, now);
    return { moved: true };
  });
}

// ---------------------------------------------------------------------------------------------
// saved (canned) responses

export interface AdminCannedResponse {
  id: number;
  title: string;
  body: string;
  version: number;
  canMoveUp: boolean;
  canMoveDown: boolean;
}

export interface AdminCannedResponses {
  offer: { id: number; slug: string; title: string; active: boolean; teamName: string };
  responses: AdminCannedResponse[];
}

/** An offer's saved responses in the order the hub lists them (at most a few dozen). */
export async function listCannedResponsesForAdmin(caller: CurrentUser, offerId: number): Promise<AdminCannedResponses> {
  assertAdmin(caller);
  const offer = await getOfferForAdmin(caller, offerId);
  const rows = await getDb()
    .select({
      id: cannedResponses.id,
      title: cannedResponses.title,
      body: cannedResponses.body,
      version: cannedResponses.version,
    })
    .from(cannedResponses)
    .where(eq(cannedResponses.offerId, offerId))
    .orderBy(asc(cannedResponses.sortOrder), asc(cannedResponses.id));
  return {
    offer: { id: offer.id, slug: offer.slug, title: offer.title, active: offer.active, teamName: offer.teamName },
    responses: rows.map((r, i) => ({ ...r, canMoveUp: i > 0, canMoveDown: i < rows.length - 1 })),
  };
}

async function lockResponse(tx: Tx, offerId: number, responseId: number) {
  if (!Number.isSafeInteger(responseId) || responseId < 1)
    throw new AdminError("not_found", "There is no such saved response.");
  const [row] = await tx
    .select({ response: cannedResponses, offerTitle: supportOffers.title })
    .from(cannedResponses)
    .innerJoin(supportOffers, eq(supportOffers.id, cannedResponses.offerId))
    .where(and(eq(cannedResponses.id, responseId), eq(cannedResponses.offerId, offerId)))
    .for("update", { of: cannedResponses })
    .limit(1);
  if (!row) throw new AdminError("not_found", "There is no such saved response.");
  return row;
}

export async function addCannedResponse(
  caller: CurrentUser,
  offerId: number,
  input: unknown,
  now = new Date(),
): Promise<{ id: number }> {
  assertAdmin(caller);
  const data = withUnixLineEnds(parseOrThrow(cannedResponseSchema, input));
  return getDb().transaction(async (tx) => {
    const offer = await lockOffer(tx, offerId);
    const [last] = await tx
      .select({ last: max(cannedResponses.sortOrder) })
      .from(cannedResponses)
      .where(eq(cannedResponses.offerId, offerId));
    const [row] = await tx
      .insert(cannedResponses)
      .values({
        offerId,
        title: data.title,
        body: data.body,
        sortOrder: (last?.last ?? 0) + 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: cannedResponses.id });
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "canned_response",
        entityId: row.id,
        action: "created",
        summary: `Added saved response ${data.title} to ${offer.title}`,
        before: null,
        after: { offerId, title: data.title, body: data.body },
      },
      now,
    );
    return { id: row.id };
  });
}

export async function updateCannedResponse(
  caller: CurrentUser,
  offerId: number,
  responseId: number,
  expected: number,
  input: unknown,
  now = new Date(),
): Promise<{ changed: boolean }> {
  assertAdmin(caller);
  const data = withUnixLineEnds(parseOrThrow(cannedResponseSchema, input));
  return getDb().transaction(async (tx) => {
    const { response, offerTitle } = await lockResponse(tx, offerId, responseId);
    await checkVersion(tx, "canned_response", responseId, response.version, expected);
    const diff = changedFields({ title: response.title, body: response.body }, { title: data.title, body: data.body });
    if (!diff.changed) return { changed: false };
    await tx
      .update(cannedResponses)
      .set({ ...diff.after, version: sql`${cannedResponses.version} + 1`, updatedAt: now })
      .where(eq(cannedResponses.id, responseId));
    const name = "title" in diff.after ? `${response.title} (now ${data.title})` : response.title;
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "canned_response",
        entityId: responseId,
        action: "updated",
        summary: `Edited saved response ${name} of ${offerTitle}`,
        before: diff.before,
        after: diff.after,
      },
      now,
    );
    return { changed: true };
  });
}

export async function deleteCannedResponse(
  caller: CurrentUser,
  offerId: number,
  responseId: number,
  expected: number,
  now = new Date(),
) {
  assertAdmin(caller);
  return getDb().transaction(async (tx) => {
    const { response, offerTitle } = await lockResponse(tx, offerId, responseId);
    await checkVersion(tx, "canned_response", responseId, response.version, expected);
    await tx.delete(cannedResponses).where(eq(cannedResponses.id, responseId));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "canned_response",
        entityId: responseId,
        action: "deleted",
        summary: `Deleted saved response ${response.title} of ${offerTitle}`,
        before: { offerId, title: response.title, body: response.body },
        after: null,
      },
      now,
    );
    return { deleted: true };
  });
}

/** Swaps a saved response with its neighbour in the offer's list (renumbering ties first). */
export async function moveCannedResponse(
  caller: CurrentUser,
  offerId: number,
  responseId: number,
  expected: number,
  direction: MoveDirection,
  now = new Date(),
): Promise<{ moved: boolean }> {
  assertAdmin(caller);
  return getDb().transaction(async (tx) => {
    const { response, offerTitle } = await lockResponse(tx, offerId, responseId);
    await checkVersion(tx, "canned_response", responseId, response.version, expected);
    const siblings = await tx
      .select({ id: cannedResponses.id, title: cannedResponses.title, sortOrder: cannedResponses.sortOrder })
      .from(cannedResponses)
      .where(eq(cannedResponses.offerId, offerId))
      .orderBy(asc(cannedResponses.sortOrder), asc(cannedResponses.id))
      .for("update");
    const swap = await swapWithNeighbour(siblings, responseId, direction, 1, (rowId, sortOrder, bump) =>
      tx
        .update(cannedResponses)
        .set(bump ? { sortOrder, version: sql`${cannedResponses.version} + 1`, updatedAt: now } : { sortOrder })
        .where(eq(cannedResponses.id, rowId)),
    );
    if (!swap) return { moved: false };
    const { other } = swap;
    const where = direction === "up" ? "above" : "below";
    const back = direction === "up" ? "below" : "above";
    const summaries = {
      moved: `Moved saved response ${response.title} ${where} ${other.title} for ${offerTitle}`,
      other: `Moved saved response ${other.title} ${back} ${response.title} for ${offerTitle}`,
    };
    await recordSwap(tx, caller, "canned_response", responseId, swap, summaries, now);
    return { moved: true };
  });
}
