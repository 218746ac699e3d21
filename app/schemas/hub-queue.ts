// The people hub queue's filters, read from the URL (/hub?status=open&offer=…&q=…) by the route's
// loader (server). A bad value never fails the page: each field falls
// back to its default (`.catch`), so a hand-edited or stale URL shows the queue, not a 500.
import { z } from "zod";
import { stripControlCharacters } from "~/schemas/text";
import { HUB_ASSIGNEE_FILTERS, HUB_QUERY_MAX, HUB_STATUS_FILTERS, type HubQueueQuery } from "~/lib/hub-queue-filters";

// The values, labels and link-building half live in app/lib/hub-queue-filters.ts (no zod: the
// browser's queue page uses them); re-exported so the server keeps one place to import from.
export * from "~/lib/hub-queue-filters";

const TRUE_STRINGS = new Set(["on", "true", "1", "yes"]);

/** A checkbox in the URL: present as on/true/1/yes → true; anything else → false. */
const flag = z
  .unknown()
  .transform((v) => (typeof v === "string" ? TRUE_STRINGS.has(v.toLowerCase()) : v === true))
  .catch(false);

/** Empty strings are "no filter". */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const hubQueueFiltersSchema = z.object({
  status: z.enum(HUB_STATUS_FILTERS).catch("open"),
  offer: z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .max(100, { abort: true })
        .regex(/^[a-z0-9][a-z0-9-]*$/i)
        .transform((s) => s.toLowerCase())
        .optional(),
    )
    .catch(undefined),
  organisation: z
    .preprocess(blankToUndefined, z.coerce.number().int().positive().max(2_147_483_647).optional())
    .catch(undefined),
  assignee: z.enum(HUB_ASSIGNEE_FILTERS).catch("anyone"),
  overdue: flag,
  urgent: flag,
  q: z.preprocess(blankToUndefined, z.string().trim().max(HUB_QUERY_MAX).optional()).catch(undefined),
  /**
   * "mine": My work (docs/decisions/018-unseen-activity.md): the caller's assigned requests, new
   * activity by the person first, then open ones in queue order. Absent: the team queue.
   */
  view: z.enum(["mine"]).optional().catch(undefined),
  /** Opaque keyset cursor (see app/.server/models/hub-queue.server.ts); ignored when not valid. */
  cursor: z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .max(600, { abort: true })
        .regex(/^[A-Za-z0-9_-]+$/)
        .optional(),
    )
    .catch(undefined),
});

// The schema's output is exactly the HubQueueQuery the browser side is written against.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _outputIsHubQueueQuery: Same<z.output<typeof hubQueueFiltersSchema>, HubQueueQuery> = true;
void _outputIsHubQueueQuery;

/** Reads the filters from a URL's search params (the first value of each key). Never throws. */
export function parseHubQueueQuery(params: URLSearchParams): HubQueueQuery {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(hubQueueFiltersSchema.shape)) {
    const value = params.get(key);
    // A NUL or other control character in a filter is dropped, never sent to the database.
    if (value !== null) raw[key] = stripControlCharacters(value);
  }
  return hubQueueFiltersSchema.parse(raw);
}
