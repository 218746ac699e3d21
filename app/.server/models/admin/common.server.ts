// What every administrative command shares: the admin check, the audit record (same transaction
// as the change), optimistic versions (a stale edit is refused with who changed it and when), and
// one error type that routes turn into 400 / 403 / 404 / 409 pages.
import { and, asc, desc, eq, inArray, isNotNull, notLike, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "@db/client";
import { adminAudit, requestAccessLog, requestEvents, supportRequests, teams, users } from "@db/schema";
import { OPEN_STATUSES } from "~/lib/request-status";
import type { CurrentUser } from "../../auth/types";
import { canAdminister } from "../../permissions.server";
import { formatChangeTime } from "../hub-requests.server";

/** Commands run every step inside one drizzle transaction (the type is db/query.ts's). */
export type { Tx };

export type AdminErrorCode = "invalid" | "conflict" | "not_found" | "forbidden";

/**
 * A refused administrative change. `errors` maps form field names to messages (shown next to the
 * fields, with what the person typed kept); `conflict` carries the "changed by … at …" message.
 */
export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly errors: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AdminError";
  }
}

export function isAdminError(err: unknown, code?: AdminErrorCode): err is AdminError {
  return err instanceof AdminError && (code === undefined || err.code === code);
}

export function invalid(field: string, message: string): AdminError {
  return new AdminError("invalid", message, { [field]: message });
}

/** Every admin model function starts with this: the query layer refuses non-admins itself. */
export function assertAdmin(caller: CurrentUser): void {
  if (!canAdminister(caller)) throw new AdminError("forbidden", "Only administrators can do this.");
}

export type AuditEntity =
  | "offer"
  | "canned_response"
  | "organisation"
  | "team"
  | "user"
  | "mail"
  | "shared_domain"
  | "access_request"
  | "esr_import"
  | "check_in_point"
  | "reservist"
  | "reservist_need"
  | "reservist_skill";

export interface AuditChange {
  entity: AuditEntity;
  entityId: string | number;
  action: string;
  summary: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * An offer moved from one team to another: both teams get a new version (a page showing either is
 * now stale) and an audit entry, the one it left with the offer "before", the one it joined "after".
 */
export async function recordOfferMovedBetweenTeams(
  tx: Tx,
  caller: CurrentUser,
  move: { offerSlug: string; fromTeamId: number; toTeamId: number; summary: (side: "from" | "to") => string },
  now = new Date(),
) {
  await tx
    .update(teams)
    .set({ version: sql`${teams.version} + 1`, updatedAt: now })
    .where(inArray(teams.id, [move.fromTeamId, move.toTeamId]));
  for (const [teamId, side] of [
    [move.fromTeamId, "from"],
    [move.toTeamId, "to"],
  ] as const) {
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "team",
        entityId: teamId,
        action: "offers_changed",
        summary: move.summary(side),
        before: side === "from" ? { offer: move.offerSlug } : null,
        after: side === "to" ? { offer: move.offerSlug } : null,
      },
      now,
    );
  }
}

/** Records one administrative change; call inside the change's transaction. */
export async function recordAdminChange(tx: Tx, caller: CurrentUser, change: AuditChange, now = new Date()) {
  await tx.insert(adminAudit).values({
    actorId: caller.id,
    entity: change.entity,
    entityId: String(change.entityId),
    action: change.action,
    summary: change.summary,
    before: change.before ?? null,
    after: change.after ?? null,
    createdAt: now,
  });
}

/** Only the fields that changed, as { before, after } for the audit record. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    const was = before[key];
    const now = after[key];
    if (JSON.stringify(was) !== JSON.stringify(now)) {
      b[key] = was ?? null;
      a[key] = now ?? null;
    }
  }
  return { before: b, after: a, changed: Object.keys(a).length > 0 };
}

/** Parses the version a form carried; anything else is a conflict (the page was not current). */
export function expectedVersion(value: unknown): number {
  const n = typeof value === "number" ? value : Number(typeof value === "string" ? value : NaN);
  if (!Number.isInteger(n) || n < 1)
    throw new AdminError("conflict", "This page was out of date — review and try again");
  return n;
}

/**
 * Bumps `table.version` from `expected` to expected + 1 with `set`, or throws the conflict error
 * naming who last changed the record (from the audit) and when. Use inside the transaction.
 */
export async function updateVersioned<T extends PgTable & { id: PgColumn; version: PgColumn }>(
  tx: Tx,
  table: T,
  id: number | string,
  expected: number,
  set: Record<string, unknown>,
  entity: AuditEntity,
  now = new Date(),
): Promise<void> {
  const updated = await tx
    .update(table)
    .set({ ...set, version: sql`${table.version} + 1`, updatedAt: now } as never)
    .where(and(eq(table.id, id), eq(table.version, expected)))
    .returning({ id: table.id });
  if (updated.length === 0) throw await conflictFor(tx, entity, id);
}

/** "This … was changed by <name> at <time> — review and try again" */
export async function conflictFor(tx: Tx, entity: AuditEntity, id: number | string): Promise<AdminError> {
  const [latest] = await tx
    .select({ at: adminAudit.createdAt, name: users.name })
    .from(adminAudit)
    .innerJoin(users, eq(users.id, adminAudit.actorId))
    .where(
      and(
        eq(adminAudit.entity, entity),
        eq(adminAudit.entityId, String(id)),
        // A proposal's steps change nothing by themselves (the approval's own entry does).
        notLike(adminAudit.action, "proposal_%"),
      ),
    )
    .orderBy(desc(adminAudit.createdAt), desc(adminAudit.id))
    .limit(1);
  const what = ENTITY_WORDS[entity];
  return new AdminError(
    "conflict",
    latest
      ? `This ${what} was changed by ${latest.name} at ${formatChangeTime(latest.at)} — review and try again`
      : `This ${what} was changed by someone else — review and try again`,
  );
}

export const ENTITY_WORDS: Record<AuditEntity, string> = {
  offer: "support offer",
  canned_response: "saved response",
  organisation: "organisation",
  team: "team",
  user: "account",
  mail: "message",
  shared_domain: "shared domain",
  access_request: "access request",
  esr_import: "ESR leavers import",
  check_in_point: "check-in point",
  reservist: "reservist profile",
  reservist_need: "reservist need",
  reservist_skill: "reservist role or skill",
};

/**
 * Records, in each request's access log (the person's "who has looked at or changed your request"),
 * that the administrator changed it. Within the change's transaction; 500 rows an insert.
 */
export async function recordAdminAccess(
  tx: Tx,
  caller: CurrentUser,
  requestIds: readonly number[],
  action: "unassigned" | "transferred",
  now: Date,
): Promise<void> {
  for (let i = 0; i < requestIds.length; i += 500) {
    await tx
      .insert(requestAccessLog)
      .values(
        requestIds.slice(i, i + 500).map((requestId) => ({ requestId, actorId: caller.id, action, createdAt: now })),
      );
  }
}

/** The same, for every request matching `where` (one INSERT … SELECT: an offer may have many). */
export async function recordAdminAccessWhere(
  tx: Tx,
  caller: CurrentUser,
  where: SQL,
  action: "unassigned" | "transferred",
  now: Date,
): Promise<void> {
  await tx.execute(
    sql`insert into request_access_log (request_id, actor_id, action, created_at)
        select ${supportRequests.id}, ${caller.id}, ${action}::access_action, ${now.toISOString()}::timestamptz
          from ${supportRequests} where ${where}`,
  );
}

/**
 * Unassigns the open requests matching `where` (within the transaction), recording an internal
 * "Unassigned" event by the administrator on each, and an "unassigned" entry in each person's
 * access log. Returns how many.
 */
export async function unassignOpenRequests(
  tx: Tx,
  caller: CurrentUser,
  where: SQL,
  reason: string,
  now: Date,
): Promise<number> {
  const rows = await tx
    .select({ id: supportRequests.id, assigneeId: supportRequests.assigneeId })
    .from(supportRequests)
    .where(and(where, inArray(supportRequests.status, [...OPEN_STATUSES]), isNotNull(supportRequests.assigneeId)))
    .orderBy(asc(supportRequests.id))
    .for("update");
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await tx
      .update(supportRequests)
      .set({ assigneeId: null, version: sql`${supportRequests.version} + 1`, updatedAt: now, lastUpdatedAt: now })
      .where(
        inArray(
          supportRequests.id,
          chunk.map((r) => r.id),
        ),
      );
    await tx.insert(requestEvents).values(
      chunk.map((r) => ({
        requestId: r.id,
        actorId: caller.id,
        kind: "assigned" as const,
        visibleToRequester: false,
        data: { assigneeId: null, assigneeName: null, previousAssigneeId: r.assigneeId, reason },
        createdAt: now,
      })),
    );
  }
  await recordAdminAccess(
    tx,
    caller,
    rows.map((r) => r.id),
    "unassigned",
    now,
  );
  return rows.length;
}
