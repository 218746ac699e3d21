import { describe, expect, it } from "vitest";
import { BankHolidayRangeError } from "~/lib/bank-holidays";
import { DEFAULT_URGENT_TARGET, nextHubOpening, urgentDueAt } from "~/lib/working-days";

// Instants are written with their London offset: +00:00 in GMT, +01:00 in BST.
const at = (s: string) => new Date(s);
const due = (s: string, target = DEFAULT_URGENT_TARGET) => urgentDueAt(at(s), target).toISOString();

describe("urgent first-contact target (default: before 15:00 → 17:00 that day, else 10:00 next working day)", () => {
  it("is the end of the same working day when sent on a working day before the cut-off", () => {
    expect(due("2026-07-01T09:30:00+01:00")).toBe(at("2026-07-01T17:00:00+01:00").toISOString()); // Wednesday, BST
    expect(due("2026-07-01T14:59:59+01:00")).toBe(at("2026-07-01T17:00:00+01:00").toISOString());
    expect(due("2026-12-01T00:10:00+00:00")).toBe(at("2026-12-01T17:00:00+00:00").toISOString()); // before opening, GMT
  });

  it("is 10:00 the next working day from the cut-off on, and in the evening", () => {
    expect(due("2026-07-01T15:00:00+01:00")).toBe(at("2026-07-02T10:00:00+01:00").toISOString());
    expect(due("2026-07-01T21:45:00+01:00")).toBe(at("2026-07-02T10:00:00+01:00").toISOString());
    expect(due("2026-12-01T23:59:59+00:00")).toBe(at("2026-12-02T10:00:00+00:00").toISOString());
  });

  it("skips the weekend: Friday afternoon, Saturday and Sunday are due Monday 10:00", () => {
    expect(due("2026-07-03T16:00:00+01:00")).toBe(at("2026-07-06T10:00:00+01:00").toISOString());
    expect(due("2026-07-04T08:00:00+01:00")).toBe(at("2026-07-06T10:00:00+01:00").toISOString());
    expect(due("2026-07-05T11:00:00+01:00")).toBe(at("2026-07-06T10:00:00+01:00").toISOString()); // a Sunday morning
  });

  it("skips bank holidays (summer bank holiday, Easter, Christmas with a substitute day)", () => {
    // Friday 28 August 2026 evening → Monday 31 August is a bank holiday → Tuesday 1 September.
    expect(due("2026-08-28T18:00:00+01:00")).toBe(at("2026-09-01T10:00:00+01:00").toISOString());
    // On the bank holiday itself, before the cut-off: not a working day, so the next one at 10:00.
    expect(due("2026-08-31T11:00:00+01:00")).toBe(at("2026-09-01T10:00:00+01:00").toISOString());
    // Thursday 2 April 2026 at 15:30 → Good Friday, weekend, Easter Monday → Tuesday 7 April.
    expect(due("2026-04-02T15:30:00+01:00")).toBe(at("2026-04-07T10:00:00+01:00").toISOString());
    // Christmas Eve 2026 (Thursday) 16:00 → 25th, weekend, substitute Boxing Day 28th → Tuesday 29th.
    expect(due("2026-12-24T16:00:00+00:00")).toBe(at("2026-12-29T10:00:00+00:00").toISOString());
  });

  it("crosses the clock change: Saturday 24 October 2026 (BST) is due Monday 26 October 10:00 GMT", () => {
    expect(due("2026-10-24T20:00:00+01:00")).toBe("2026-10-26T10:00:00.000Z");
  });

  it("follows an offer's own hours", () => {
    const target = { cutoffHour: 12, nextDayHour: 9 };
    expect(due("2026-07-01T11:59:00+01:00", target)).toBe(at("2026-07-01T17:00:00+01:00").toISOString());
    expect(due("2026-07-01T12:00:00+01:00", target)).toBe(at("2026-07-02T09:00:00+01:00").toISOString());
  });

  it("refuses hours outside the working day and dates outside the bank holiday data", () => {
    expect(() => urgentDueAt(at("2026-07-01T10:00:00+01:00"), { cutoffHour: 0, nextDayHour: 10 })).toThrow(RangeError);
    expect(() => urgentDueAt(at("2026-07-01T10:00:00+01:00"), { cutoffHour: 15, nextDayHour: 20 })).toThrow(RangeError);
    expect(() => urgentDueAt(at("2017-07-03T10:00:00+01:00"))).toThrow(BankHolidayRangeError);
    // No cliff after the published data: Monday 1 July 2030 is an ordinary working day.
    expect(due("2030-07-01T10:00:00+01:00")).toBe(at("2030-07-01T17:00:00+01:00").toISOString());
  });
});

describe("when the hub is next working (09:00–17:00 on working days)", () => {
  it("is null during working hours", () => {
    expect(nextHubOpening(at("2026-07-01T09:00:00+01:00"))).toBeNull();
    expect(nextHubOpening(at("2026-07-01T16:59:59+01:00"))).toBeNull();
  });
  it("is 09:00 the same day early in the morning, the next working day in the evening", () => {
    expect(nextHubOpening(at("2026-07-01T07:00:00+01:00"))?.toISOString()).toBe(
      at("2026-07-01T09:00:00+01:00").toISOString(),
    );
    expect(nextHubOpening(at("2026-07-01T17:00:00+01:00"))?.toISOString()).toBe(
      at("2026-07-02T09:00:00+01:00").toISOString(),
    );
  });
  it("is Monday (or the day after a bank holiday) at weekends", () => {
    expect(nextHubOpening(at("2026-07-04T12:00:00+01:00"))?.toISOString()).toBe(
      at("2026-07-06T09:00:00+01:00").toISOString(),
    );
    expect(nextHubOpening(at("2026-12-25T12:00:00+00:00"))?.toISOString()).toBe(
      at("2026-12-29T09:00:00+00:00").toISOString(),
    );
  });
});
