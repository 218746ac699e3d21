import { describe, expect, it } from "vitest";
import {
  BANK_HOLIDAY_RANGE,
  BankHolidayRangeError,
  PUBLISHED_YEARS,
  bankHolidayOn,
  bankHolidaysIn,
  easterSunday,
  isBankHoliday,
  ruleBankHolidays,
} from "~/lib/bank-holidays";

const dates = (year: number) => bankHolidaysIn(year).map((x) => x.date);
const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();

// GOV.UK's published England and Wales dates for years with no one-off change: the rules alone
// must reproduce them.
const GOV_UK_ORDINARY_YEARS: Record<number, string[]> = {
  2018: [
    "2018-01-01",
    "2018-03-30",
    "2018-04-02",
    "2018-05-07",
    "2018-05-28",
    "2018-08-27",
    "2018-12-25",
    "2018-12-26",
  ],
  2019: [
    "2019-01-01",
    "2019-04-19",
    "2019-04-22",
    "2019-05-06",
    "2019-05-27",
    "2019-08-26",
    "2019-12-25",
    "2019-12-26",
  ],
  2021: [
    "2021-01-01",
    "2021-04-02",
    "2021-04-05",
    "2021-05-03",
    "2021-05-31",
    "2021-08-30",
    "2021-12-27",
    "2021-12-28",
  ],
  2024: [
    "2024-01-01",
    "2024-03-29",
    "2024-04-01",
    "2024-05-06",
    "2024-05-27",
    "2024-08-26",
    "2024-12-25",
    "2024-12-26",
  ],
  2025: [
    "2025-01-01",
    "2025-04-18",
    "2025-04-21",
    "2025-05-05",
    "2025-05-26",
    "2025-08-25",
    "2025-12-25",
    "2025-12-26",
  ],
  2026: [
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-25",
    "2026-12-28",
  ],
};

describe("Easter Sunday (anonymous Gregorian algorithm)", () => {
  it("matches the published dates, including the earliest and latest possible", () => {
    const known: Record<number, string> = {
      2019: "2019-04-21",
      2024: "2024-03-31",
      2025: "2025-04-20",
      2026: "2026-04-05",
      2027: "2027-03-28",
      2028: "2028-04-16",
      2029: "2029-04-01",
      2030: "2030-04-21",
      2032: "2032-03-28",
      2035: "2035-03-25",
      2038: "2038-04-25", // the latest possible date
      2040: "2040-04-01",
      2285: "2285-03-22", // the earliest possible date
    };
    for (const [y, d] of Object.entries(known)) expect(easterSunday(Number(y)), y).toBe(d);
  });
});

describe("England and Wales bank holidays from the rules", () => {
  it("reproduce GOV.UK's dates for every ordinary year it has published", () => {
    for (const [y, expected] of Object.entries(GOV_UK_ORDINARY_YEARS)) {
      expect(
        ruleBankHolidays(Number(y)).map((x) => x.date),
        y,
      ).toEqual(expected);
      expect(dates(Number(y)), y).toEqual(expected);
    }
  });

  it("agree with the hand-written lists kept for 2027 and 2028, names and substitute days included", () => {
    for (const y of [2025, 2026, 2027, 2028]) expect(ruleBankHolidays(y), String(y)).toEqual(bankHolidaysIn(y));
  });

  it("give every year from 2029 to 2040 eight holidays, distinct, in order, all on weekdays", () => {
    for (let y = 2029; y <= 2040; y++) {
      const list = bankHolidaysIn(y);
      expect(list, String(y)).toHaveLength(8);
      const ds = list.map((x) => x.date);
      expect(new Set(ds).size).toBe(8);
      expect([...ds].sort()).toEqual(ds);
      for (const d of ds) expect([1, 2, 3, 4, 5], d).toContain(weekday(d));
      expect(list.slice(0, 6).map((x) => x.name)).toEqual([
        "New Year’s Day",
        "Good Friday",
        "Easter Monday",
        "Early May bank holiday",
        "Spring bank holiday",
        "Summer bank holiday",
      ]);
      expect(
        list
          .slice(6)
          .map((x) => x.name)
          .sort(),
      ).toEqual(["Boxing Day", "Christmas Day"]);
      expect(ds[6] >= `${y}-12-25` && ds[7] <= `${y}-12-28`, String(y)).toBe(true);
      // Easter is always between 22 March and 25 April: Good Friday and Easter Monday follow.
      expect(ds[1] >= `${y}-03-20` && ds[2] <= `${y}-04-26`, String(y)).toBe(true);
      // May and August Mondays.
      expect(weekday(ds[3])).toBe(1);
      expect(ds[3] <= `${y}-05-07`).toBe(true);
      expect(ds[4] >= `${y}-05-25`).toBe(true);
      expect(ds[5] >= `${y}-08-25`).toBe(true);
    }
  });

  it("moves Christmas on a Saturday to Monday 27 and Boxing Day to Tuesday 28 (2032)", () => {
    expect(weekday("2032-12-25")).toBe(6);
    expect(bankHolidaysIn(2032).slice(-2)).toEqual([
      { date: "2032-12-27", name: "Christmas Day", substitute: true },
      { date: "2032-12-28", name: "Boxing Day", substitute: true },
    ]);
  });

  it("on a Sunday Christmas keeps Boxing Day on Monday 26 and moves Christmas to Tuesday 27 (2033, as GOV.UK listed 2022)", () => {
    expect(weekday("2033-12-25")).toBe(0);
    expect(bankHolidaysIn(2033).slice(-2)).toEqual([
      { date: "2033-12-26", name: "Boxing Day" },
      { date: "2033-12-27", name: "Christmas Day", substitute: true },
    ]);
    // The rules give 2022 exactly what GOV.UK published for Christmas that year.
    expect(ruleBankHolidays(2022).slice(-2)).toEqual(bankHolidaysIn(2022).slice(-2));
  });

  it("moves Boxing Day on a Saturday to Monday 28 (2037: Christmas on a Friday)", () => {
    expect(weekday("2037-12-25")).toBe(5);
    expect(bankHolidaysIn(2037).slice(-2)).toEqual([
      { date: "2037-12-25", name: "Christmas Day" },
      { date: "2037-12-28", name: "Boxing Day", substitute: true },
    ]);
  });

  it("moves New Year's Day at a weekend to the Monday (Saturday 2033, Sunday 2034)", () => {
    expect(bankHolidayOn("2033-01-03")).toEqual({ date: "2033-01-03", name: "New Year’s Day", substitute: true });
    expect(isBankHoliday("2033-01-01")).toBe(false);
    expect(bankHolidayOn("2034-01-02")).toEqual({ date: "2034-01-02", name: "New Year’s Day", substitute: true });
    expect(bankHolidayOn("2030-01-01")).toEqual({ date: "2030-01-01", name: "New Year’s Day" });
  });

  it("has no last year", () => {
    expect(BANK_HOLIDAY_RANGE.lastYear).toBe(9999);
    expect(dates(2100)).toHaveLength(8);
    expect(isBankHoliday("2100-12-27")).toBe(true); // Christmas 2100 is a Saturday
  });
});

describe("published overrides", () => {
  it("win over the rules: 2020's early May holiday moved to VE day", () => {
    expect(ruleBankHolidays(2020).map((x) => x.date)).toContain("2020-05-04");
    expect(isBankHoliday("2020-05-04")).toBe(false);
    expect(bankHolidayOn("2020-05-08")?.name).toBe("Early May bank holiday (VE day)");
    expect(dates(2020)).toHaveLength(8);
  });

  it("win over the rules: 2022's moved spring holiday, the Platinum Jubilee and the State Funeral", () => {
    expect(ruleBankHolidays(2022).map((x) => x.date)).toContain("2022-05-30");
    expect(isBankHoliday("2022-05-30")).toBe(false);
    expect(bankHolidayOn("2022-06-02")?.name).toBe("Spring bank holiday");
    expect(isBankHoliday("2022-06-03")).toBe(true);
    expect(isBankHoliday("2022-09-19")).toBe(true);
    expect(dates(2022)).toHaveLength(10);
  });

  it("win over the rules: 2023's coronation holiday", () => {
    expect(ruleBankHolidays(2023).map((x) => x.date)).not.toContain("2023-05-08");
    expect(bankHolidayOn("2023-05-08")?.name).toBe("Bank holiday for the coronation of King Charles III");
    expect(dates(2023)).toHaveLength(9);
  });

  it("are each sorted, distinct and on weekdays", () => {
    expect(PUBLISHED_YEARS).toEqual(expect.arrayContaining([2020, 2022, 2023, 2025, 2026, 2027, 2028]));
    for (const y of PUBLISHED_YEARS) {
      const ds = dates(y);
      expect(new Set(ds).size).toBe(ds.length);
      expect([...ds].sort()).toEqual(ds);
      for (const d of ds) {
        expect(d.startsWith(`${y}-`), d).toBe(true);
        expect([1, 2, 3, 4, 5], d).toContain(weekday(d));
      }
    }
  });
});

describe("lookups", () => {
  it("answer isBankHoliday for holidays, substitutes and ordinary days", () => {
    expect(isBankHoliday("2025-12-25")).toBe(true);
    expect(isBankHoliday("2026-12-28")).toBe(true); // Boxing Day substitute
    expect(isBankHoliday("2026-12-26")).toBe(false); // the Saturday itself is not listed
    expect(isBankHoliday("2027-12-27")).toBe(true);
    expect(isBankHoliday("2028-01-03")).toBe(true);
    expect(isBankHoliday("2028-01-01")).toBe(false);
    expect(isBankHoliday("2027-06-15")).toBe(false);
    expect(bankHolidayOn("2028-01-03")).toEqual({ date: "2028-01-03", name: "New Year’s Day", substitute: true });
    expect(bankHolidayOn("2026-07-01")).toBeUndefined();
  });

  it("are frozen", () => {
    expect(Object.isFrozen(bankHolidaysIn(2031))).toBe(true);
    expect(Object.isFrozen(bankHolidaysIn(2031)[0])).toBe(true);
    expect(Object.isFrozen(bankHolidaysIn(2026)[0])).toBe(true);
  });

  it("throw, with a message saying why, before the first year covered", () => {
    for (const d of ["2017-12-31", "1999-06-01", "1978-05-01"])
      expect(() => isBankHoliday(d), d).toThrow(BankHolidayRangeError);
    expect(() => isBankHoliday("2017-12-25")).toThrow(
      /No England and Wales bank holiday data for 2017-12-25.*2018 onwards/,
    );
    expect(() => bankHolidaysIn(2017)).toThrow(BankHolidayRangeError);
    expect(() => bankHolidaysIn(2030.5)).toThrow(BankHolidayRangeError);
    expect(isBankHoliday("2018-01-01")).toBe(true);
  });

  it("refuse anything that is not a calendar date", () => {
    for (const d of ["2025-02-29", "2025-13-01", "2025-1-1", "25-01-01", "2025-01-01T00:00:00Z", "", "yesterday"]) {
      expect(() => isBankHoliday(d), d).toThrow(TypeError);
    }
    expect(isBankHoliday("2028-02-29")).toBe(false); // a leap day is a date
  });
});
