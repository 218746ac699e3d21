// The people hub queue's filters as values and links: the options, their labels and the URL
// search they make. No zod here, so the queue's page and table (which only build links) do not
// ship the schema library to the browser (issue 11, goal 4); reading a URL into filters is
// app/schemas/hub-queue.ts (server), which re-exports all of this.
import { REQUEST_STATUSES, type RequestStatus } from "~/lib/request-status";

/** "open" = every open status; "all" = every status; or one status. */
export const HUB_STATUS_FILTERS = ["open", ...REQUEST_STATUSES, "all"] as const;
export type HubStatusFilter = (typeof HUB_STATUS_FILTERS)[number];

export const HUB_ASSIGNEE_FILTERS = ["anyone", "me", "unassigned"] as const;
export type HubAssigneeFilter = (typeof HUB_ASSIGNEE_FILTERS)[number];

export const HUB_ASSIGNEE_LABELS: Record<HubAssigneeFilter, string> = {
  anyone: "Anyone or nobody",
  me: "Assigned to me",
  unassigned: "Unassigned",
};

/** Longest reference search accepted (a reference is "SW-2026-00042"). */
export const HUB_QUERY_MAX = 40;

/** The queue's filters once read from the URL (hubQueueFiltersSchema's output). */
export interface HubQueueQuery {
  status: HubStatusFilter;
  offer?: string | undefined;
  organisation?: number | undefined;
  assignee: HubAssigneeFilter;
  overdue: boolean;
  urgent: boolean;
  q?: string | undefined;
  /**
   * "mine": My work (docs/decisions/018-unseen-activity.md): the caller's assigned requests, new
   * activity by the person first, then open ones in queue order. Absent: the team queue.
   */
  view?: "mine" | undefined;
  /** Opaque keyset cursor (see app/.server/models/hub-queue.server.ts); ignored when not valid. */
  cursor?: string | undefined;
}
export type HubQueueFilters = Omit<HubQueueQuery, "cursor">;
export type HubQueueCountFilters = Omit<HubQueueFilters, "status">;

/**
 * The filters as URL search params, defaults left out (so links stay short), in a fixed order.
 * `overrides` replaces fields (e.g. another status for the count links, a cursor for paging).
 */
export function hubQueueSearch(filters: HubQueueFilters, overrides: Partial<HubQueueQuery> = {}): string {
  const f: Partial<HubQueueQuery> = { ...filters, ...overrides };
  const params = new URLSearchParams();
  if (f.status && f.status !== "open") params.set("status", f.status);
  if (f.offer) params.set("offer", f.offer);
  if (f.organisation) params.set("organisation", String(f.organisation));
  if (f.assignee && f.assignee !== "anyone") params.set("assignee", f.assignee);
  if (f.overdue) params.set("overdue", "1");
  if (f.urgent) params.set("urgent", "1");
  if (f.q) params.set("q", f.q);
  if (f.view) params.set("view", f.view);
  if (f.cursor) params.set("cursor", f.cursor);
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** True when any filter other than status narrows the queue. */
export function hasNarrowingFilters(filters: HubQueueFilters): boolean {
  return Boolean(
    filters.offer ||
    filters.organisation ||
    filters.assignee !== "anyone" ||
    filters.overdue ||
    filters.urgent ||
    filters.q,
  );
}

export const OPEN_STATUS_FILTERS: readonly RequestStatus[] = [
  "new",
  "triaged",
  "in_progress",
  "waiting_on_staff",
  "referred",
];

/**
 * Counts of the history views (closed, withdrawn, all) stop at this many (docs/decisions/021): past
 * it the link says "more than 1,000", so the hub never counts five years of finished requests. The
 * open statuses are always counted exactly (the open set stays small whatever the history).
 */
export const HUB_COUNT_CAP = 1000;

/** The status filters whose count is bounded by HUB_COUNT_CAP (a value above it means "more than"). */
export const BOUNDED_COUNT_STATUSES: readonly HubStatusFilter[] = ["closed", "withdrawn", "all"];

/** A status count as the queue shows it: "34,428", or "more than 1,000" for a capped history count. */
export function hubCountText(status: HubStatusFilter, n: number): string {
  if (BOUNDED_COUNT_STATUSES.includes(status) && n > HUB_COUNT_CAP)
    return `more than ${HUB_COUNT_CAP.toLocaleString("en-GB")}`;
  return n.toLocaleString("en-GB");
}
