// /admin/retention: the retention schedule as the job applies it (docs/decisions/031-retention-schedule.md),
// the latest runs (when, and how many rows each rule handled: counts only) and how many accounts
// administrators have put on hold. Administrators only, checked here as well as in the route.
import { and, count, eq, isNull } from "drizzle-orm";
import { getDb } from "@db/current";
import { users } from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import {
  RETENTION_HOUR,
  RETENTION_RULES,
  recentRetentionRuns,
  type RetentionRule,
  type RetentionRunRecord,
} from "../../jobs/retention.server";
import { assertAdmin } from "./common.server";

export interface RetentionOverview {
  rules: readonly Omit<RetentionRule, "batchSize">[];
  /** Newest first; the first is the last run. */
  runs: RetentionRunRecord[];
  accountsOnHold: number;
  /** The London hour from which the daily run starts. */
  runHour: number;
}

export async function loadRetentionOverview(caller: CurrentUser): Promise<RetentionOverview> {
  assertAdmin(caller);
  const [runs, [held]] = await Promise.all([
    recentRetentionRuns(7),
    getDb()
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.retentionHold, true), isNull(users.erasedAt))),
  ]);
  return {
    rules: RETENTION_RULES.map(({ batchSize: _batchSize, ...rule }) => rule),
    runs,
    accountsOnHold: held?.n ?? 0,
    runHour: RETENTION_HOUR,
  };
}
