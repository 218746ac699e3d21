// workingDaysBetween counts weekdays arithmetically and subtracts the bank holidays (docs/decisions/021
// addendum). Here it is compared with the day-by-day walk it replaced (the walk's code, kept below)
// where arithmetic tends to break: the same day, weekends, bank holidays and their substitutes, year
// boundaries, the clock changes (instants around 00:00 and 01:00 UTC on the last Sundays of March
// and October), b before a, ranges that start before the bank holiday data and ranges far beyond the
// published years (rule-made holidays) — the result or the error, exactly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BankHolidayRangeError } from "~/lib/bank-holidays";
import { addCalendarDays, isWorkingDay, londonDate, workingDaysBetween } from "~/lib/working-days";

const DAY = 24 * 3_600_000;

/** The implementation before a4ff241: every day after a's London day up to b's, one at a time. */
function walk(a: Date, b: Date): number {
  if (b.getTime() < a.getTime()) return -walk(b, a);
  const last = londonDate(b);
  let count = 0;
  for (let d = addCalendarDays(londonDate(a), 1); d <= last; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) count++;
  return count;
}

/** The result, or the error's class: both implementations must agree on either. */
function outcome(f: () => number): number | string {
  try {
    return f() + 0; // -0 and 0 alike
  } catch (error) {
    return error instanceof BankHolidayRangeError ? "BankHolidayRangeError" : String(error);
  }
}

function agree(a: Date, b: Date) {
  expect(
    outcome(() => workingDaysBetween(a, b)),
    `${a.toISOString()} → ${b.toISOString()}`,
  ).toEqual(outcome(() => walk(a, b)));
}

/** Instants that sit on a London day boundary or a clock change. */
const edgeInstants = fc
  .tuple(fc.integer({ min: 2017, max: 2070 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 31 }))
  .chain(([y, mo, d]) =>
    fc
      .constantFrom(-1, 0, 1, 59 * 60_000, 3_600_000 - 1, 3_600_000, 3_600_000 + 1, 2 * 3_600_000, 23 * 3_600_000)
      .map((offset) => new Date(Date.UTC(y, mo, Math.min(d, 28)) + offset)),
  );

describe("workingDaysBetween equals the day-by-day walk", () => {
  it("at fixed edges: same day, weekends, holidays, New Year, clock changes, before the data", () => {
    const t = (s: string) => new Date(s);
    const cases: [string, string][] = [
      ["2026-06-12T09:00:00+01:00", "2026-06-12T17:00:00+01:00"], // same day
      ["2026-06-12T17:00:00+01:00", "2026-06-12T09:00:00+01:00"], // same day, b < a
      ["2026-06-13T10:00:00+01:00", "2026-06-14T10:00:00+01:00"], // Saturday → Sunday
      ["2026-06-12T23:30:00+01:00", "2026-06-15T00:30:00+01:00"], // Friday night → Monday
      ["2026-12-24T10:00:00Z", "2027-01-04T10:00:00Z"], // Christmas, Boxing Day, New Year
      ["2027-12-24T10:00:00Z", "2028-01-04T10:00:00Z"], // Christmas on Saturday (substitutes)
      ["2026-03-28T23:30:00Z", "2026-03-29T23:30:00Z"], // spring forward: 23:30 UTC is 00:30 BST
      ["2026-10-24T23:30:00Z", "2026-10-25T23:30:00Z"], // fall back
      ["2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z"],
      ["2017-12-29T10:00:00Z", "2018-01-02T10:00:00Z"], // first day (a Saturday) before the data
      ["2017-12-31T10:00:00Z", "2018-01-02T10:00:00Z"], // first day 1 January 2018
      ["2017-12-31T23:30:00Z", "2017-12-31T23:45:00Z"], // before the data, same day: no day to count
      ["2018-01-02T10:00:00Z", "2017-12-29T10:00:00Z"], // b before a, reaching before the data
      ["2018-01-01T00:00:00Z", "2099-12-31T23:59:59Z"], // far beyond the published years
      ["2099-12-31T12:00:00Z", "2100-01-05T12:00:00Z"],
      ["2026-04-02T12:00:00+01:00", "2026-04-07T12:00:00+01:00"], // Good Friday, Easter Monday
    ];
    for (const [a, b] of cases) agree(t(a), t(b));
  });

  it("on random instants around day boundaries and clock changes, both ways, up to fifty years apart", () => {
    fc.assert(
      fc.property(edgeInstants, edgeInstants, (a, b) => agree(a, b)),
      { numRuns: 150 },
    );
  });

  it("on random ranges of a few days around every New Year from 2017 to 2130", () => {
    for (let y = 2017; y <= 2130; y++) {
      for (const start of [-4, -2, -1, 0]) {
        for (const span of [0, 1, 2, 3, 6, 9]) {
          const a = new Date(Date.UTC(y, 0, 1) + start * DAY + 11 * 3_600_000);
          agree(a, new Date(a.getTime() + span * DAY));
        }
      }
    }
  });
});
