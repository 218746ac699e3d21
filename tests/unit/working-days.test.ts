import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BankHolidayRangeError } from "~/lib/bank-holidays";
import {
  addCalendarMonths,
  addWorkingDays,
  computeDueAt,
  endOfLondonDay,
  isOverdue,
  isWorkingDay,
  londonDate,
  startOfLondonDay,
  statutoryDecisionDeadline,
  workingDaysBetween,
  workingMillisecondsBetween,
} from "~/lib/working-days";

// Instants are written with their London offset: +00:00 in GMT (late October to late March), +01:00 in BST.
const at = (s: string) => new Date(s);
const iso = (d: Date) => d.toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("London days", () => {
  it("puts an instant on its London calendar day", () => {
    expect(londonDate(at("2026-07-03T23:30:00+01:00"))).toBe("2026-07-03"); // Friday 23:30 BST is 22:30 UTC
    expect(londonDate(at("2026-07-04T00:30:00+01:00"))).toBe("2026-07-04"); // 23:30 UTC on the Friday is Saturday in London
    expect(londonDate(at("2026-01-09T23:30:00+00:00"))).toBe("2026-01-09");
    expect(londonDate(at("2026-12-31T23:59:59.999+00:00"))).toBe("2026-12-31");
    expect(londonDate(at("2027-01-01T00:00:00+00:00"))).toBe("2027-01-01");
  });

  it("knows a London day is 23 hours when the clocks go forward and 25 when they go back", () => {
    // 2026: BST from Sunday 29 March to Sunday 25 October.
    expect(iso(startOfLondonDay("2026-03-29"))).toBe("2026-03-29T00:00:00.000Z");
    expect(iso(endOfLondonDay("2026-03-29"))).toBe("2026-03-29T22:59:59.999Z");
    expect(iso(startOfLondonDay("2026-03-30"))).toBe("2026-03-29T23:00:00.000Z");
    expect(iso(startOfLondonDay("2026-10-25"))).toBe("2026-10-24T23:00:00.000Z");
    expect(iso(endOfLondonDay("2026-10-25"))).toBe("2026-10-25T23:59:59.999Z");
    expect(iso(startOfLondonDay("2026-10-26"))).toBe("2026-10-26T00:00:00.000Z");
    // 01:30 on the day the clocks go back happens twice; both are that Sunday.
    expect(londonDate(at("2026-10-25T01:30:00+01:00"))).toBe("2026-10-25");
    expect(londonDate(at("2026-10-25T01:30:00+00:00"))).toBe("2026-10-25");
  });

  it("adds calendar months, falling back to the month's last day", () => {
    expect(addCalendarMonths("2027-12-31", 2)).toBe("2028-02-29");
    expect(addCalendarMonths("2026-12-31", 2)).toBe("2027-02-28");
    expect(addCalendarMonths("2026-03-31", 1)).toBe("2026-04-30");
    expect(addCalendarMonths("2026-11-15", 2)).toBe("2027-01-15");
    expect(() => addCalendarMonths("2026-11-15", 1.5)).toThrow(RangeError);
  });
});

describe("isWorkingDay", () => {
  it("is Monday to Friday", () => {
    expect(isWorkingDay("2026-06-08")).toBe(true); // Monday
    expect(isWorkingDay("2026-06-12")).toBe(true); // Friday
    expect(isWorkingDay("2026-06-13")).toBe(false); // Saturday
    expect(isWorkingDay("2026-06-14")).toBe(false); // Sunday
  });

  it("excludes every kind of bank holiday, substitute days included", () => {
    for (const d of [
      "2025-01-01", // New Year's Day
      "2028-01-03", // New Year's Day substitute (1 January 2028 is a Saturday)
      "2025-04-18", // Good Friday
      "2027-03-29", // Easter Monday
      "2026-05-04", // early May
      "2027-05-31", // spring
      "2028-08-28", // summer
      "2025-12-25", // Christmas Day
      "2025-12-26", // Boxing Day
      "2026-12-28", // Boxing Day substitute
      "2027-12-27", // Christmas Day substitute
      "2027-12-28", // Boxing Day substitute
    ]) {
      expect(isWorkingDay(d), d).toBe(false);
    }
    expect(isWorkingDay("2028-12-27")).toBe(true); // the Wednesday after Christmas 2028
  });

  it("takes the London day of an instant", () => {
    expect(isWorkingDay(at("2026-07-03T23:30:00+01:00"))).toBe(true); // still Friday in London
    expect(isWorkingDay(at("2026-07-04T00:30:00+01:00"))).toBe(false); // Saturday in London, Friday in UTC
    expect(isWorkingDay(at("2026-12-24T23:59:59.999+00:00"))).toBe(true);
    expect(isWorkingDay(at("2026-12-25T00:00:00+00:00"))).toBe(false);
  });

  it("has no date cliff: years after the published data come from the rules", () => {
    expect(isWorkingDay("2029-01-01")).toBe(false); // New Year's Day 2029
    expect(isWorkingDay("2029-01-02")).toBe(true);
    expect(isWorkingDay("2032-12-27")).toBe(false); // Christmas 2032 (a Saturday) moves to Monday 27
    expect(isWorkingDay("2032-12-28")).toBe(false); // and Boxing Day to Tuesday 28
    expect(isWorkingDay("2032-12-29")).toBe(true);
    expect(isWorkingDay("2040-03-30")).toBe(false); // Good Friday 2040
  });

  it("throws before the bank holiday data, even at a weekend, and on nonsense", () => {
    expect(() => isWorkingDay("2017-01-03")).toThrow(BankHolidayRangeError);
    expect(() => isWorkingDay("2017-01-07")).toThrow(BankHolidayRangeError); // a Saturday
    expect(() => isWorkingDay(at("2017-12-31T12:00:00Z"))).toThrow(BankHolidayRangeError);
    expect(() => isWorkingDay(new Date(Number.NaN))).toThrow(TypeError);
    expect(() => isWorkingDay("2026-02-30")).toThrow(TypeError);
  });
});

describe("addWorkingDays: due at the end of the n-th working day after the day of submission", () => {
  const due = (from: string, n: number) => iso(addWorkingDays(at(from), n));

  it("does not count the day of submission, whatever the time", () => {
    expect(due("2026-06-08T00:00:00+01:00", 1)).toBe("2026-06-09T22:59:59.999Z"); // Monday → end of Tuesday
    expect(due("2026-06-08T23:59:00+01:00", 1)).toBe("2026-06-09T22:59:59.999Z");
    expect(due("2026-06-08T10:00:00+01:00", 3)).toBe("2026-06-11T22:59:59.999Z"); // → end of Thursday
  });

  it("skips weekends; a weekend submission counts from the next working day", () => {
    expect(due("2026-06-12T09:00:00+01:00", 1)).toBe("2026-06-15T22:59:59.999Z"); // Friday → end of Monday
    expect(due("2026-07-03T23:30:00+01:00", 1)).toBe("2026-07-06T22:59:59.999Z"); // Friday 23:30 BST belongs to Friday
    expect(due("2026-07-04T00:30:00+01:00", 1)).toBe("2026-07-06T22:59:59.999Z"); // Saturday (Friday in UTC)
    expect(due("2026-06-14T14:00:00+01:00", 1)).toBe("2026-06-15T22:59:59.999Z"); // Sunday → end of Monday
    expect(due("2026-06-12T09:00:00+01:00", 5)).toBe("2026-06-19T22:59:59.999Z"); // Friday + 5 → next Friday
    expect(due("2026-06-13T09:00:00+01:00", 5)).toBe("2026-06-19T22:59:59.999Z"); // Saturday + 5 → next Friday
  });

  it("n = 0 is the end of the same working day, or of the next one after a weekend or holiday", () => {
    expect(due("2026-06-10T09:00:00+01:00", 0)).toBe("2026-06-10T22:59:59.999Z");
    expect(due("2026-06-13T09:00:00+01:00", 0)).toBe("2026-06-15T22:59:59.999Z");
    expect(due("2025-12-25T09:00:00+00:00", 0)).toBe("2025-12-29T23:59:59.999Z");
  });

  it("skips each kind of bank holiday", () => {
    expect(due("2026-04-02T12:00:00+01:00", 1)).toBe("2026-04-07T22:59:59.999Z"); // Thu before Good Friday → Tue after Easter Monday
    expect(due("2025-05-02T12:00:00+01:00", 1)).toBe("2025-05-06T22:59:59.999Z"); // early May
    expect(due("2027-05-28T12:00:00+01:00", 1)).toBe("2027-06-01T22:59:59.999Z"); // spring
    expect(due("2028-08-25T12:00:00+01:00", 1)).toBe("2028-08-29T22:59:59.999Z"); // summer
    expect(due("2026-08-28T12:00:00+01:00", 2)).toBe("2026-09-02T22:59:59.999Z"); // summer, then into September
    expect(due("2025-04-18T12:00:00+01:00", 1)).toBe("2025-04-22T22:59:59.999Z"); // submitted on Good Friday
  });

  it("handles Christmas and New Year 2025 → 2026", () => {
    // Wed 24 Dec; 25, 26 holidays; weekend; Mon 29 (1), Tue 30 (2), Wed 31 (3); 1 Jan holiday; Fri 2 (4); Mon 5 (5).
    expect(due("2025-12-24T15:00:00+00:00", 3)).toBe("2025-12-31T23:59:59.999Z");
    expect(due("2025-12-24T15:00:00+00:00", 4)).toBe("2026-01-02T23:59:59.999Z");
    expect(due("2025-12-24T15:00:00+00:00", 5)).toBe("2026-01-05T23:59:59.999Z");
    expect(due("2025-12-31T23:30:00+00:00", 1)).toBe("2026-01-02T23:59:59.999Z");
  });

  it("handles Christmas and New Year 2026 → 2027 (Boxing Day substitute on Monday 28th)", () => {
    // Thu 24 Dec; Fri 25 holiday; weekend; Mon 28 substitute; Tue 29 (1), Wed 30 (2), Thu 31 (3); Fri 1 Jan holiday; Mon 4 (4).
    expect(due("2026-12-24T10:00:00+00:00", 1)).toBe("2026-12-29T23:59:59.999Z");
    expect(due("2026-12-24T10:00:00+00:00", 3)).toBe("2026-12-31T23:59:59.999Z");
    expect(due("2026-12-24T10:00:00+00:00", 4)).toBe("2027-01-04T23:59:59.999Z");
    expect(due("2026-12-25T10:00:00+00:00", 1)).toBe("2026-12-29T23:59:59.999Z"); // submitted on Christmas Day
  });

  it("handles Christmas and New Year 2027 → 2028 (both Christmas substitutes, New Year's Day substitute)", () => {
    // Fri 24 Dec; weekend; Mon 27, Tue 28 substitutes; Wed 29 (1), Thu 30 (2), Fri 31 (3); weekend; Mon 3 Jan substitute; Tue 4 (4).
    expect(due("2027-12-24T10:00:00+00:00", 1)).toBe("2027-12-29T23:59:59.999Z");
    expect(due("2027-12-24T10:00:00+00:00", 3)).toBe("2027-12-31T23:59:59.999Z");
    expect(due("2027-12-24T10:00:00+00:00", 4)).toBe("2028-01-04T23:59:59.999Z");
    expect(due("2027-12-31T16:00:00+00:00", 1)).toBe("2028-01-04T23:59:59.999Z");
    expect(due("2027-12-31T16:00:00+00:00", 3)).toBe("2028-01-06T23:59:59.999Z");
  });

  it("ends the day in the right offset in the weeks the clocks change", () => {
    // Clocks go forward Sunday 29 March 2026: Friday's deadline is in GMT, Monday's in BST.
    expect(due("2026-03-26T12:00:00+00:00", 1)).toBe("2026-03-27T23:59:59.999Z");
    expect(due("2026-03-27T12:00:00+00:00", 1)).toBe("2026-03-30T22:59:59.999Z");
    expect(due("2026-03-29T01:30:00+01:00", 1)).toBe("2026-03-30T22:59:59.999Z"); // just after the change
    // Clocks go back Sunday 25 October 2026.
    expect(due("2026-10-23T12:00:00+01:00", 1)).toBe("2026-10-26T23:59:59.999Z");
    expect(due("2026-10-25T01:30:00+00:00", 1)).toBe("2026-10-26T23:59:59.999Z"); // the second 01:30
    // Easter 2027 falls on the weekend the clocks go forward.
    expect(due("2027-03-25T12:00:00+00:00", 1)).toBe("2027-03-30T22:59:59.999Z");
    // Late October 2028 (clocks go back Sunday 29th).
    expect(due("2028-10-27T16:00:00+01:00", 2)).toBe("2028-10-31T23:59:59.999Z");
  });

  it("refuses a negative or fractional number of days and a bad date", () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => addWorkingDays(at("2026-06-08T10:00:00Z"), n), String(n)).toThrow(RangeError);
    }
    expect(() => addWorkingDays(new Date("nope"), 1)).toThrow(TypeError);
    expect(due("2028-12-27T10:00:00Z", 1)).toBe("2028-12-28T23:59:59.999Z");
  });

  it("computes targets from December 2028 through 2040 without a cliff", () => {
    // Friday 29 December 2028, 1 day: Monday 1 January 2029 is New Year's Day, so Tuesday 2nd.
    expect(due("2028-12-29T10:00:00Z", 1)).toBe("2029-01-02T23:59:59.999Z");
    // Christmas 2032 falls on a Saturday: Fri 24 → Wed 29 (27 and 28 are substitute days).
    expect(due("2032-12-24T10:00:00Z", 1)).toBe("2032-12-29T23:59:59.999Z");
    for (let y = 2028; y <= 2040; y++) {
      for (let day = 1; day <= 31; day++) {
        const from = at(`${y}-12-${String(day).padStart(2, "0")}T12:00:00Z`);
        for (const n of [0, 1, 3, 5, 10, 20]) {
          const r = addWorkingDays(from, n);
          expect(isWorkingDay(r), `${y}-12-${day} +${n}`).toBe(true);
          if (n >= 1) expect(workingDaysBetween(from, r)).toBe(n);
        }
        const { dueAt } = computeDueAt({ submittedAt: from, targetDays: 5, pauses: [], now: from });
        expect(dueAt.getTime()).toBe(addWorkingDays(from, 5).getTime());
      }
    }
  });
});

describe("workingDaysBetween: whole working days after a's day up to and including b's day", () => {
  const between = (a: string, b: string) => workingDaysBetween(at(a), at(b));

  it("counts working days, ignoring the time of day", () => {
    expect(between("2026-06-08T09:00:00+01:00", "2026-06-08T17:00:00+01:00")).toBe(0);
    expect(between("2026-06-12T16:00:00+01:00", "2026-06-15T09:00:00+01:00")).toBe(1); // Friday → Monday
    expect(between("2026-06-13T10:00:00+01:00", "2026-06-15T09:00:00+01:00")).toBe(1); // Saturday → Monday
    expect(between("2026-06-13T10:00:00+01:00", "2026-06-14T09:00:00+01:00")).toBe(0); // Saturday → Sunday
    expect(between("2026-06-08T23:59:00+01:00", "2026-06-09T00:01:00+01:00")).toBe(1);
    expect(between("2026-06-08T10:00:00+01:00", "2026-06-22T10:00:00+01:00")).toBe(10);
  });

  it("skips holidays across the year end", () => {
    expect(between("2026-12-24T10:00:00Z", "2027-01-04T10:00:00Z")).toBe(4); // 29, 30, 31 Dec, 4 Jan
    expect(between("2027-12-24T10:00:00Z", "2028-01-04T10:00:00Z")).toBe(4); // 29, 30, 31 Dec, 4 Jan
    expect(between("2025-12-24T10:00:00Z", "2026-01-02T10:00:00Z")).toBe(4); // 29, 30, 31 Dec, 2 Jan
  });

  it("is negative when b is before a", () => {
    expect(between("2026-06-15T09:00:00+01:00", "2026-06-12T16:00:00+01:00")).toBe(-1);
  });

  it("equals the day-by-day count (isWorkingDay on each day) over ranges of up to four years", () => {
    // The count is arithmetic (weekdays less bank holidays): it must agree with walking the days.
    // Noon UTC is on the same London calendar day in GMT and in BST: one instant per day.
    const walk = (a: Date, b: Date) => {
      let n = 0;
      const last = londonDate(b);
      for (let t = Date.parse(`${londonDate(a)}T12:00:00Z`) + DAY; londonDate(new Date(t)) <= last; t += DAY)
        if (isWorkingDay(new Date(t))) n++;
      return n;
    };
    const start = Date.UTC(2018, 0, 1);
    const end = Date.UTC(2036, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 0, max: 1500 * DAY }), (t, span) => {
        const a = new Date(t);
        const b = new Date(t + span);
        expect(workingDaysBetween(a, b)).toBe(walk(a, b));
      }),
      { numRuns: 200 },
    );
  });

  it("throws BankHolidayRangeError when the range starts before the bank holiday data, as the walk did", () => {
    expect(() => between("2017-06-01T10:00:00+01:00", "2026-06-01T10:00:00+01:00")).toThrow(BankHolidayRangeError);
    expect(between("2017-12-31T10:00:00Z", "2018-01-02T10:00:00Z")).toBe(1); // 1 January is a holiday
  });
});

describe("workingMillisecondsBetween", () => {
  it("counts only the time on working days", () => {
    expect(workingMillisecondsBetween(at("2026-06-12T16:00:00+01:00"), at("2026-06-15T10:00:00+01:00"))).toBe(
      18 * HOUR,
    );
    expect(workingMillisecondsBetween(at("2026-06-13T00:00:00+01:00"), at("2026-06-15T00:00:00+01:00"))).toBe(0);
    expect(workingMillisecondsBetween(at("2026-05-25T00:00:00+01:00"), at("2026-05-26T00:00:00+01:00"))).toBe(0); // spring bank holiday
    expect(workingMillisecondsBetween(at("2026-06-08T00:00:00+01:00"), at("2026-06-15T00:00:00+01:00"))).toBe(5 * DAY);
    expect(workingMillisecondsBetween(at("2026-06-15T10:00:00+01:00"), at("2026-06-12T16:00:00+01:00"))).toBe(0);
  });

  it("is unaffected by the clocks changing at the weekend", () => {
    // 65 hours elapse from Friday 16:00 GMT to Monday 10:00 BST; 18 of them are working time.
    expect(workingMillisecondsBetween(at("2026-03-27T16:00:00+00:00"), at("2026-03-30T10:00:00+01:00"))).toBe(
      18 * HOUR,
    );
    expect(workingMillisecondsBetween(at("2026-10-23T16:00:00+01:00"), at("2026-10-26T10:00:00+00:00"))).toBe(
      18 * HOUR,
    );
  });
});

describe("computeDueAt", () => {
  const NOW = at("2026-11-28T12:00:00Z");
  const dueOf = (submittedAt: string, targetDays: number, pauses: { from: string; to: string | null }[], now = NOW) =>
    computeDueAt({
      submittedAt: at(submittedAt),
      targetDays,
      pauses: pauses.map((p) => ({ from: at(p.from), to: p.to === null ? null : at(p.to) })),
      now,
    });

  it("without pauses is addWorkingDays", () => {
    const r = dueOf("2026-06-11T10:00:00+01:00", 2, []);
    expect(iso(r.dueAt)).toBe("2026-06-15T22:59:59.999Z");
    expect(r.paused).toBe(false);
  });

  it("adds nothing for a pause over a weekend", () => {
    const r = dueOf("2026-06-11T10:00:00+01:00", 2, [
      { from: "2026-06-13T09:00:00+01:00", to: "2026-06-14T18:00:00+01:00" },
    ]);
    expect(iso(r.dueAt)).toBe("2026-06-15T22:59:59.999Z");
  });

  it("adds the working time of a pause that spans a weekend (Friday 16:00 to Monday 10:00 = 18 hours)", () => {
    const r = dueOf("2026-06-11T10:00:00+01:00", 2, [
      { from: "2026-06-12T16:00:00+01:00", to: "2026-06-15T10:00:00+01:00" },
    ]);
    // End of Monday + 18 working hours = Tuesday 18:00 BST.
    expect(iso(r.dueAt)).toBe("2026-06-16T16:59:59.999Z");
  });

  it("moves an end-of-day deadline to exactly the end of the next working day for a whole working day's pause", () => {
    const r = dueOf("2026-06-10T10:00:00+01:00", 2, [
      { from: "2026-06-11T00:00:00+01:00", to: "2026-06-12T00:00:00+01:00" },
    ]);
    // Due end of Friday 12th; one working day's pause → end of Monday 15th (the weekend skipped).
    expect(iso(r.dueAt)).toBe("2026-06-15T22:59:59.999Z");
  });

  it("adds nothing for the bank holiday inside a pause", () => {
    // Thu 21 May 2026, 3 days: Fri 22 (1), [Mon 25 spring bank holiday], Tue 26 (2), Wed 27 (3).
    expect(iso(dueOf("2026-05-21T10:00:00+01:00", 3, []).dueAt)).toBe("2026-05-27T22:59:59.999Z");
    // A pause wholly on the holiday adds nothing.
    const onHoliday = dueOf("2026-05-21T10:00:00+01:00", 3, [
      { from: "2026-05-25T09:00:00+01:00", to: "2026-05-25T17:00:00+01:00" },
    ]);
    expect(iso(onHoliday.dueAt)).toBe("2026-05-27T22:59:59.999Z");
    // Friday noon to Tuesday noon: 12 + 12 working hours = one day → end of Thursday.
    const over = dueOf("2026-05-21T10:00:00+01:00", 3, [
      { from: "2026-05-22T12:00:00+01:00", to: "2026-05-26T12:00:00+01:00" },
    ]);
    expect(iso(over.dueAt)).toBe("2026-05-28T22:59:59.999Z");
  });

  it("adds up several pauses, counting overlapping time once, in any order", () => {
    const pauses = [
      { from: "2026-06-08T12:00:00+01:00", to: "2026-06-08T18:00:00+01:00" }, // 6 h
      { from: "2026-06-09T09:00:00+01:00", to: "2026-06-09T12:00:00+01:00" }, // 3 h
      { from: "2026-06-09T11:00:00+01:00", to: "2026-06-09T15:00:00+01:00" }, // overlaps: +3 h more
    ];
    // Monday 8 June 10:00, 3 days: due end of Thursday 11th; +12 h → Friday 12:00 BST.
    const r = dueOf("2026-06-08T10:00:00+01:00", 3, pauses);
    expect(iso(r.dueAt)).toBe("2026-06-12T10:59:59.999Z");
    expect(iso(dueOf("2026-06-08T10:00:00+01:00", 3, [...pauses].reverse()).dueAt)).toBe(iso(r.dueAt));
  });

  it("carries an extension over a weekend on which the clocks change", () => {
    // Wed 25 March 2026, 2 days → end of Friday 27th (GMT). A 6-hour pause → Monday 30th 06:00 BST.
    const r = dueOf("2026-03-25T10:00:00+00:00", 2, [
      { from: "2026-03-26T12:00:00+00:00", to: "2026-03-26T18:00:00+00:00" },
    ]);
    expect(iso(r.dueAt)).toBe("2026-03-30T04:59:59.999Z");
  });

  it("carries an extension over Christmas 2026", () => {
    // Mon 21 Dec 2026, 3 days → end of Thu 24th. A whole day's pause (Tue 22nd) → end of Tue 29th.
    const r = dueOf("2026-12-21T10:00:00+00:00", 3, [
      { from: "2026-12-22T00:00:00+00:00", to: "2026-12-23T00:00:00+00:00" },
    ]);
    expect(iso(r.dueAt)).toBe("2026-12-29T23:59:59.999Z");
  });

  it("ignores the part of a pause before submission", () => {
    const r = dueOf("2026-06-10T10:00:00+01:00", 1, [
      { from: "2026-06-09T10:00:00+01:00", to: "2026-06-10T12:00:00+01:00" },
    ]);
    // Only Wednesday 10:00–12:00 counts: end of Thursday + 2 h = Friday 02:00 BST.
    expect(iso(r.dueAt)).toBe("2026-06-12T00:59:59.999Z");
  });

  it("does not revive a deadline that had already passed when the pause began", () => {
    const r = dueOf("2026-06-08T10:00:00+01:00", 1, [
      { from: "2026-06-10T09:00:00+01:00", to: "2026-06-11T09:00:00+01:00" },
    ]);
    expect(iso(r.dueAt)).toBe("2026-06-09T22:59:59.999Z");
    expect(r.paused).toBe(false);
  });

  it("with an open pause, reports the clock stopped and a provisional due time that grows while it lasts", () => {
    const submittedAt = "2026-06-08T10:00:00+01:00"; // due end of Wednesday 10th with 2 days
    const pauses = [{ from: "2026-06-09T10:00:00+01:00", to: null }];
    const early = dueOf(submittedAt, 2, pauses, at("2026-06-09T12:00:00+01:00"));
    expect(early.paused).toBe(true);
    expect(iso(early.dueAt)).toBe("2026-06-11T00:59:59.999Z"); // as if restarted now: + 2 h
    const later = dueOf(submittedAt, 2, pauses, at("2026-06-15T10:00:00+01:00")); // a working week later
    expect(later.paused).toBe(true);
    // Tuesday 10:00 to Monday 10:00 is 4 working days: end of Wednesday → end of Thursday, Friday, Monday, Tuesday.
    expect(iso(later.dueAt)).toBe("2026-06-16T22:59:59.999Z");
    expect(
      isOverdue({
        dueAt: later.dueAt,
        firstContactAt: null,
        now: at("2026-06-30T10:00:00+01:00"),
        paused: later.paused,
      }),
    ).toBe(false);
  });

  it("does not stop a clock that had already run out when the open pause began", () => {
    const r = dueOf(
      "2026-06-08T10:00:00+01:00",
      1,
      [{ from: "2026-06-11T10:00:00+01:00", to: null }],
      at("2026-06-12T10:00:00+01:00"),
    );
    expect(r.paused).toBe(false);
    expect(iso(r.dueAt)).toBe("2026-06-09T22:59:59.999Z");
  });

  it("refuses a pause that ends before it starts", () => {
    expect(() =>
      dueOf("2026-06-08T10:00:00+01:00", 1, [{ from: "2026-06-09T10:00:00Z", to: "2026-06-09T09:00:00Z" }]),
    ).toThrow(RangeError);
  });
});

describe("isOverdue", () => {
  const dueAt = at("2026-06-09T22:59:59.999Z");

  it("is overdue only after the due time, not at it", () => {
    expect(isOverdue({ dueAt, firstContactAt: null, now: dueAt, paused: false })).toBe(false);
    expect(isOverdue({ dueAt, firstContactAt: null, now: new Date(dueAt.getTime() + 1), paused: false })).toBe(true);
    expect(isOverdue({ dueAt, firstContactAt: null, now: new Date(dueAt.getTime() - 1), paused: false })).toBe(false);
  });

  it("is never overdue once contacted, while paused, or without a due time", () => {
    const late = new Date(dueAt.getTime() + DAY);
    expect(isOverdue({ dueAt, firstContactAt: new Date(dueAt.getTime() + HOUR), now: late, paused: false })).toBe(
      false,
    );
    expect(isOverdue({ dueAt, firstContactAt: null, now: late, paused: true })).toBe(false);
    expect(isOverdue({ dueAt: null, firstContactAt: null, now: late, paused: false })).toBe(false);
  });
});

describe("statutoryDecisionDeadline: two calendar months from the London date of receipt", () => {
  const deadline = (s: string) => statutoryDecisionDeadline(at(s));

  it("is the corresponding date", () => {
    expect(deadline("2026-01-15T10:00:00Z")).toBe("2026-03-15");
    expect(deadline("2026-11-28T10:00:00Z")).toBe("2027-01-28");
    expect(deadline("2026-10-31T10:00:00Z")).toBe("2026-12-31");
  });

  it("or the last day of the month when there is none, leap year 2028 included", () => {
    expect(deadline("2027-12-31T10:00:00Z")).toBe("2028-02-29");
    expect(deadline("2027-12-30T10:00:00Z")).toBe("2028-02-29");
    expect(deadline("2027-12-29T10:00:00Z")).toBe("2028-02-29");
    expect(deadline("2027-12-28T10:00:00Z")).toBe("2028-02-28");
    expect(deadline("2026-12-31T10:00:00Z")).toBe("2027-02-28");
    expect(deadline("2026-07-31T10:00:00+01:00")).toBe("2026-09-30");
    expect(deadline("2028-02-29T10:00:00Z")).toBe("2028-04-29");
  });

  it("uses the London date of receipt", () => {
    expect(deadline("2026-07-01T00:30:00+01:00")).toBe("2026-09-01"); // 30 June in UTC
    expect(deadline("2026-08-31T23:30:00+01:00")).toBe("2026-10-31");
  });

  it("is calendar arithmetic, so it needs no bank holiday data", () => {
    expect(deadline("2029-12-31T10:00:00Z")).toBe("2030-02-28");
  });
});

describe("properties", () => {
  // Instants from 2025 to 2040: the bank holidays are computed for any year from 2018 on.
  const instant = fc.date({
    min: new Date("2025-01-01T00:00:00Z"),
    max: new Date("2040-12-31T00:00:00Z"),
    noInvalidDate: true,
  });
  const days = fc.integer({ min: 0, max: 20 });

  it("addWorkingDays ends a working day, at its last millisecond", () => {
    fc.assert(
      fc.property(instant, days, (d, n) => {
        const r = addWorkingDays(d, n);
        expect(isWorkingDay(r)).toBe(true);
        expect(londonDate(new Date(r.getTime() + 1))).not.toBe(londonDate(r));
        // n = 0 from the very last millisecond of a working day is that same instant.
        if (n >= 1) expect(r.getTime()).toBeGreaterThan(d.getTime());
        else expect(r.getTime()).toBeGreaterThanOrEqual(d.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it("addWorkingDays is monotonic in n (strictly from n = 1)", () => {
    fc.assert(
      fc.property(instant, days, (d, n) => {
        const a = addWorkingDays(d, n).getTime();
        const b = addWorkingDays(d, n + 1).getTime();
        if (n >= 1 || isWorkingDay(d)) expect(b).toBeGreaterThan(a);
        else expect(b).toBeGreaterThanOrEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it("workingDaysBetween(d, addWorkingDays(d, n)) is n (for n = 0 after a weekend or holiday, 1)", () => {
    fc.assert(
      fc.property(instant, days, (d, n) => {
        const expected = n === 0 && !isWorkingDay(d) ? 1 : n;
        expect(workingDaysBetween(d, addWorkingDays(d, n))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("a contact on a working day meets an n-day target exactly when workingDaysBetween ≤ n", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 25 * DAY }), (d, n, later) => {
        const contact = new Date(d.getTime() + later);
        fc.pre(isWorkingDay(contact));
        const onTime = contact.getTime() <= addWorkingDays(d, n).getTime();
        expect(onTime).toBe(workingDaysBetween(d, contact) <= n);
      }),
      { numRuns: 300 },
    );
  });

  it("a closed pause before the deadline moves it by exactly the pause's working time", () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 10 * DAY }),
        (d, n, startAt, length) => {
          const base = addWorkingDays(d, n);
          const from = new Date(d.getTime() + Math.floor(startAt * (base.getTime() - d.getTime())));
          const to = new Date(from.getTime() + length);
          const { dueAt, paused } = computeDueAt({ submittedAt: d, targetDays: n, pauses: [{ from, to }], now: to });
          expect(paused).toBe(false);
          expect(workingMillisecondsBetween(new Date(base.getTime() + 1), new Date(dueAt.getTime() + 1))).toBe(
            workingMillisecondsBetween(from, to),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
