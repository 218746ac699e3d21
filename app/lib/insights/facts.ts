// Facts about a request that manager insights count, fixed when they happen so the figures stay
// true later: the requester's tenure band when they asked, and how first contact went.
// drizzle/0002_insight_rollups.sql backfills older rows with the same tenure rule.
import type { TenureBandValue } from "@db/schema";
import { londonDate, workingDaysBetween } from "~/lib/working-days";

export const TENURE_BANDS: readonly { readonly value: TenureBandValue; readonly label: string }[] = [
  { value: "under_1", label: "Under 1 year" },
  { value: "1_to_2", label: "1 to 2 years" },
  { value: "2_to_5", label: "2 to 5 years" },
  { value: "5_plus", label: "5 years or more" },
];

/** Whole years from startDate (YYYY-MM-DD) to the London date of `at`, as a band. */
export function tenureBand(startDate: string, at: Date): TenureBandValue {
  const [sy, sm, sd] = startDate.split("-").map(Number) as [number, number, number];
  const [ay, am, ad] = londonDate(at).split("-").map(Number) as [number, number, number];
  let years = ay - sy;
  if (am < sm || (am === sm && ad < sd)) years -= 1;
  if (years < 1) return "under_1";
  if (years < 2) return "1_to_2";
  if (years < 5) return "2_to_5";
  return "5_plus";
}

/** Set with firstContactAt, once: working days it took and whether it was by the due time. */
export function firstContactFacts(submittedAt: Date, firstContactAt: Date, dueAt: Date) {
  return {
    firstContactAt,
    firstContactWorkingDays: Math.max(0, workingDaysBetween(submittedAt, firstContactAt)),
    firstContactWithinTarget: firstContactAt.getTime() <= dueAt.getTime(),
  };
}
