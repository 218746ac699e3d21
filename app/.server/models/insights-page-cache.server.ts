// /insights' finished pages, kept in the database for a few minutes and shared by every app
// instance (ADR 041, night addendum). A page's figures are computed by loadInsightsPage (two
// statements, the disclosure control); a repeat of the same page for the same scope within
// INSIGHTS_CACHE_MINUTES reads the stored result in one statement instead.
//
// What is stored is exactly what the loader sends to the manager's browser (published,
// disclosure-controlled figures and the page's lists), never a raw count or key sum. The key is the
// caller's scope (insightsScopeFor: never the URL) and the URL's period and "for" values as given;
// only a page computed without filter errors is stored, so a made-up query string creates no row,
// and a stored row means that very URL was valid for that scope when it was stored.
import { sql } from "drizzle-orm";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { insightsPageCache, insightsPageCacheGeneration } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { log } from "../log.server";
import { insightsScopeFor } from "../permissions.server";
import { loadInsightsPage, type InsightsPageData } from "./insights.server";
import { addMonths } from "~/lib/insights/publish";
import { londonDate, startOfLondonDay } from "~/lib/working-days";

/** What /insights sends and /insights.csv reads: the page data without its tables (rebuilt, pure). */
export type InsightsPagePayload = Omit<InsightsPageData, "tables">;

/**
 * Bump when InsightsPagePayload's shape changes, AND with any change to how figures are published
 * (publishInsights, the suppression and rounding rules, cell keys): rows of another format are never
 * read, so during a rolling deploy a new instance never serves a page an old one computed.
 */
export const INSIGHTS_CACHE_FORMAT = 1;

/**
 * How long a stored page is served. The periods are complete months, so only "open now" and
 * "overdue now" (and requests closed since) move within one; the page says "Figures as at HH:MM".
 * Five minutes: a manager refreshing after a change waits at most that long, while a page viewed
 * by several managers, or re-read by its CSV link, costs one small statement.
 */
export const INSIGHTS_CACHE_MINUTES = 5;

/** Expired rows deleted per write: bounded work on the write path; the table holds few rows. */
const EXPIRED_DELETED_PER_WRITE = 20;

interface CacheKey {
  scope: string;
  period: string;
  filter: string;
  /**
   * An organisation's manager whose URL named an organisation: their page is their organisation's
   * whatever the URL says, so it is stored under filter "" — but a stored page is served only when
   * the named organisation is the page's own (else the miss path refuses it, 403, as always).
   */
  namedOrganisation?: string;
}

/**
 * Period keys, slugs and staff group values: anything else in the URL is not in the lists, so its
 * page is never stored and is not looked up (a NUL byte or a long string never reaches the key).
 */
const KEY_VALUE = /^[A-Za-z0-9:_.-]{1,120}$/;

/** The default period (publishedPeriods' first, always there): "/insights" and "?period=12m" are one page. */
const DEFAULT_PERIOD = "12m";

/**
 * The key of a URL's page, or null when it cannot be a stored page: a repeated parameter or a value
 * that is not a period key, slug or staff group value (all errors; such pages are never stored).
 * The key is the page's as its own links ask for it (insightsQuery: the period always given, "for"
 * only for an ICS-wide manager), so the CSV link and the section links read the entry the page was
 * shown from (review h-rev).
 */
function cacheKeyOf(scope: ReturnType<typeof insightsScopeFor>, params: URLSearchParams): CacheKey | null {
  const periods = params.getAll("period").filter((v) => v !== "");
  const fors = params.getAll("for").filter((v) => v !== "");
  if (periods.length > 1 || fors.length > 1) return null;
  if (![...periods, ...fors].every((v) => KEY_VALUE.test(v))) return null;
  const period = periods[0] ?? DEFAULT_PERIOD;
  if (scope.kind === "ics") return { scope: "ics", period, filter: fors[0] ?? "" };
  const named = fors[0];
  if (named !== undefined && !named.startsWith("organisation:")) return null; // an error: never stored
  return {
    scope: `organisation:${scope.organisationId}`,
    period,
    filter: "",
    namedOrganisation: named?.slice("organisation:".length),
  };
}

/** A stored page's expiry: a few minutes, and never past the London month's end (the periods change). */
export function insightsCacheExpiry(now: Date): Date {
  const nextMonth = startOfLondonDay(`${addMonths(londonDate(now).slice(0, 7), 1)}-01`);
  const soon = new Date(now.getTime() + INSIGHTS_CACHE_MINUTES * 60_000);
  return soon < nextMonth ? soon : nextMonth;
}

/**
 * The /insights page (and CSV) data for `url`, as loadInsightsPage computes it, from the shared
 * store when this scope's page for the same period and filter was computed in the last few minutes.
 * Authorisation first, on every call: insightsScopeFor throws PermissionError for a caller who may
 * not see insights, and the scope in the key is the caller's own. An organisation's manager naming
 * another organisation never finds a row (only pages without errors or refusals are stored, and
 * their scope's own), so loadInsightsPage refuses it as before.
 */
export async function loadPublishedInsightsPage(
  caller: CurrentUser,
  url: URL,
  now = new Date(),
  /** false for a URL the caller found an error in (e.g. /insights' unknown "show"): read, never stored. */
  storable = true,
): Promise<InsightsPagePayload> {
  const scope = insightsScopeFor(caller);
  const key = cacheKeyOf(scope, url.searchParams);
  const db = getDb();
  // The store's generation, read BEFORE anything the page is computed from, and the page if one of
  // this generation is stored: one statement. A page stored with an older generation is never read.
  let generation = 0;
  if (key) {
    const [state] = await queryRows<{ generation: number | string; payload: string | null }>(
      db,
      sql`select g.generation,
                 (select c.payload from ${insightsPageCache} c
                   where c.format = ${INSIGHTS_CACHE_FORMAT} and c.scope = ${key.scope}
                     and c.period = ${key.period} and c.filter = ${key.filter}
                     and c.generation = g.generation and c.expires_at > ${now.toISOString()}::timestamptz) as payload
            from (select coalesce((select generation from ${insightsPageCacheGeneration}), 0) as generation) g`,
    );
    if (state?.payload) {
      const stored = JSON.parse(state.payload) as InsightsPagePayload;
      const own = stored.scope.kind === "organisation" ? stored.scope.organisation.slug : undefined;
      if (key.namedOrganisation === undefined || key.namedOrganisation === own) return stored;
    }
    generation = Number(state?.generation ?? 0);
  }

  const { tables, ...payload } = await loadInsightsPage(caller, url, now);
  if (key && storable && payload.errors.length === 0) {
    try {
      await storePage(key, payload, now, generation);
    } catch (err) {
      // The figures are computed and the manager sees them; only the next view pays again.
      log.warn({ err }, "insights page cache: store failed");
    }
  }
  return payload;
}

async function storePage(key: CacheKey, payload: InsightsPagePayload, now: Date, generation: number): Promise<void> {
  const db = getDb();
  const expiresAt = insightsCacheExpiry(now);
  // Two requests missing at once both compute the same figures; the later write wins.
  await db
    .insert(insightsPageCache)
    .values({
      format: INSIGHTS_CACHE_FORMAT,
      scope: key.scope,
      period: key.period,
      filter: key.filter,
      payload: JSON.stringify(payload),
      expiresAt,
      generation,
    })
    .onConflictDoUpdate({
      target: [insightsPageCache.format, insightsPageCache.scope, insightsPageCache.period, insightsPageCache.filter],
      set: {
        payload: sql`excluded.payload`,
        expiresAt: sql`excluded.expires_at`,
        generation: sql`excluded.generation`,
      },
    });
  // A few expired rows go on each write (by the expiry index; skipped if another write has them).
  await db.delete(insightsPageCache).where(
    sql`(format, scope, period, filter) in (select format, scope, period, filter from ${insightsPageCache}
            where expires_at <= ${now.toISOString()} limit ${EXPIRED_DELETED_PER_WRITE} for update skip locked)`,
  );
}

/**
 * Empties the store: the next page view of every scope computes afresh. Changes to organisations,
 * their headcounts and offers do this by trigger in their own transaction (drizzle/0047); tests
 * call it between data changes and page reads.
 */
export async function clearInsightsPageCache(): Promise<void> {
  await getDb().delete(insightsPageCache);
}
