import { describe, expect, it } from "vitest";
import {
  BANK_HOLIDAYS,
  BANK_HOLIDAY_RANGE,
  BankHolidayRangeError,
  bankHolidayOn,
  isBankHoliday,
} from "~/lib/bank-holidays";

// The rules, computed independently of the data in app/lib/bank-holidays.ts.
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const iso = (d: Date) => d.toISOString().slice(0, 10);
const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const weekday = (d: Date) => d.getUTCDay();

// Gregorian Easter Sunday (Meeus/Jones/Butcher).
function easterSunday(y: number): Date {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utc(y, month, day);
}

function firstMonday(y: number, m: number): Date {
  let d = utc(y, m, 1);
  while (weekday(d) !== 1) d = plusDays(d, 1);
  return d;
}
function lastMonday(y: number, m: number): Date {
  let d = utc(y, m + 1, 0);
  while (weekday(d) !== 1) d = plusDays(d, -1);
  return d;
}

function rulesFor(y: number): { date: string; name: string; substitute: boolean }[] {
  const out: { date: string; name: string; substitute: boolean }[] = [];
  let nyd = utc(y, 1, 1);
  const nydSubstitute = weekday(nyd) === 0 || weekday(nyd) === 6;
  while (weekday(nyd) === 0 || weekday(nyd) === 6) nyd = plusDays(nyd, 1);
  out.push({ date: iso(nyd), name: "New Year’s Day", substitute: nydSubstitute });
  const easter = easterSunday(y);
  out.push({ date: iso(plusDays(easter, -2)), name: "Good Friday", substitute: false });
  out.push({ date: iso(plusDays(easter, 1)), name: "Easter Monday", substitute: false });
  out.push({ date: iso(firstMonday(y, 5)), name: "Early May bank holiday", substitute: false });
  out.push({ date: iso(lastMonday(y, 5)), name: "Spring bank holiday", substitute: false });
  out.push({ date: iso(lastMonday(y, 8)), name: "Summer bank holiday", substitute: false });
  // Christmas Day and Boxing Day: a day at a weekend moves to the next weekday not already a holiday.
  const taken = new Set<string>();
  for (const [day, name] of [
    [25, "Christmas Day"],
    [26, "Boxing Day"],
  ] as const) {
    let d = utc(y, 12, day);
    const substitute = weekday(d) === 0 || weekday(d) === 6;
    while (weekday(d) === 0 || weekday(d) === 6 || taken.has(iso(d))) d = plusDays(d, 1);
    taken.add(iso(d));
    out.push({ date: iso(d), name, substitute });
  }
  return out.sort((p, q) => p.date.localeCompare(q.date));
}

describe("England and Wales bank holidays", () => {
  it("covers 2025 to 2028", () => {
    expect(BANK_HOLIDAY_RANGE).toEqual({ firstYear: 2025, lastYear: 2028 });
    const years = new Set(BANK_HOLIDAYS.map((h) => Number(h.date.slice(0, 4))));
    expect([...years]).toEqual([2025, 2026, 2027, 2028]);
  });

  it("has GOV.UK's published dates for 2025 and 2026", () => {
    const byYear = (y: string) => BANK_HOLIDAYS.filter((h) => h.date.startsWith(y)).map((h) => h.date);
    expect(byYear("2025")).toEqual([
      "2025-01-01",
      "2025-04-18",
      "2025-04-21",
      "2025-05-05",
      "2025-05-26",
      "2025-08-25",
      "2025-12-25",
      "2025-12-26",
    ]);
    expect(byYear("2026")).toEqual([
      "2026-01-01",
      "2026-04-03",
      "2026-04-06",
      "2026-05-04",
      "2026-05-25",
      "2026-08-31",
      "2026-12-25",
      "2026-12-28",
    ]);
  });

  it("agrees with the rules for every year it covers (dates, names and substitute days)", () => {
    for (let y = BANK_HOLIDAY_RANGE.firstYear; y <= BANK_HOLIDAY_RANGE.lastYear; y++) {
      const data = BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${y}-`)).map((h) => ({
        date: h.date,
        name: h.name,
        substitute: h.substitute === true,
      }));
      expect(data, String(y)).toEqual(rulesFor(y));
    }
  });

  it("computes Easter correctly (a check on the checker)", () => {
    expect([2025, 2026, 2027, 2028].map((y) => iso(easterSunday(y)))).toEqual([
      "2025-04-20",
      "2026-04-05",
      "2027-03-28",
      "2028-04-16",
    ]);
  });

  it("lists each date once, in order, all on weekdays", () => {
    const dates = BANK_HOLIDAYS.map((h) => h.date);
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
    for (const d of dates) expect([1, 2, 3, 4, 5], d).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
  });

  it("is frozen", () => {
    expect(Object.isFrozen(BANK_HOLIDAYS)).toBe(true);
    expect(Object.isFrozen(BANK_HOLIDAYS[0])).toBe(true);
  });

  it("answers isBankHoliday for holidays, substitutes and ordinary days", () => {
    expect(isBankHoliday("2025-12-25")).toBe(true);
    expect(isBankHoliday("2026-12-28")).toBe(true); // Boxing Day substitute
    expect(isBankHoliday("2026-12-26")).toBe(false); // the Saturday itself is not listed
    expect(isBankHoliday("2027-12-27")).toBe(true);
    expect(isBankHoliday("2028-01-03")).toBe(true);
    expect(isBankHoliday("2028-01-01")).toBe(false);
    expect(isBankHoliday("2027-03-26")).toBe(true);
    expect(isBankHoliday("2027-06-15")).toBe(false);
    expect(bankHolidayOn("2028-01-03")).toEqual({ date: "2028-01-03", name: "New Year’s Day", substitute: true });
    expect(bankHolidayOn("2026-07-01")).toBeUndefined();
  });

  it("throws, with a message saying what to do, for a year it does not cover", () => {
    for (const d of ["2024-12-31", "2029-01-01", "1999-06-01"]) {
      expect(() => isBankHoliday(d), d).toThrow(BankHolidayRangeError);
    }
    expect(() => isBankHoliday("2029-01-01")).toThrow(/No England and Wales bank holiday data for 2029-01-01.*2025–2028.*2029/);
    // The edges of the range are covered.
    expect(isBankHoliday("2025-01-01")).toBe(true);
    expect(isBankHoliday("2028-12-31")).toBe(false);
  });

  it("refuses anything that is not a calendar date", () => {
    for (const d of ["2025-02-29", "2025-13-01", "2025-1-1", "25-01-01", "2025-01-01T00:00:00Z", "", "yesterday"]) {
      expect(() => isBankHoliday(d), d).toThrow(TypeError);
    }
    expect(isBankHoliday("2028-02-29")).toBe(false); // a leap day is a date
  });
});
