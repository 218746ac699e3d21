// England and Wales bank holidays, 2025–2028, as data. This list is the source of truth for the
// working-day clock (app/lib/working-days.ts).
//
// 2025 and 2026 are copied from GOV.UK (https://www.gov.uk/bank-holidays, "England and Wales").
// 2027 and 2028 were worked out from the standard rules (New Year's Day or the Monday after,
// Good Friday and Easter Monday from the Gregorian Easter date, the first and last Mondays of May,
// the last Monday of August, Christmas Day and Boxing Day with substitute weekdays) and written out
// by hand; tests/unit/bank-holidays.test.ts recomputes every year from those rules and must agree.
// When GOV.UK publishes a year (or announces a one-off holiday, as for a coronation or jubilee),
// check it against this list and update both the list and BANK_HOLIDAY_RANGE. Extending the range
// is the only change needed for later years: outside the range every function throws rather than
// quietly treating a bank holiday as a working day.

export type IsoDate = string; // "YYYY-MM-DD", a calendar date with no time or zone

export interface BankHoliday {
  readonly date: IsoDate;
  readonly name: string;
  /** A weekday given in place of a holiday that fell at a weekend ("Substitute day" on GOV.UK). */
  readonly substitute?: true;
}

export const BANK_HOLIDAY_RANGE = { firstYear: 2025, lastYear: 2028 } as const;

const DATA: BankHoliday[] = [
  // 2025 (GOV.UK)
  { date: "2025-01-01", name: "New Year’s Day" },
  { date: "2025-04-18", name: "Good Friday" },
  { date: "2025-04-21", name: "Easter Monday" },
  { date: "2025-05-05", name: "Early May bank holiday" },
  { date: "2025-05-26", name: "Spring bank holiday" },
  { date: "2025-08-25", name: "Summer bank holiday" },
  { date: "2025-12-25", name: "Christmas Day" },
  { date: "2025-12-26", name: "Boxing Day" },
  // 2026 (GOV.UK). 26 December is a Saturday: Boxing Day moves to Monday 28 December.
  { date: "2026-01-01", name: "New Year’s Day" },
  { date: "2026-04-03", name: "Good Friday" },
  { date: "2026-04-06", name: "Easter Monday" },
  { date: "2026-05-04", name: "Early May bank holiday" },
  { date: "2026-05-25", name: "Spring bank holiday" },
  { date: "2026-08-31", name: "Summer bank holiday" },
  { date: "2026-12-25", name: "Christmas Day" },
  { date: "2026-12-28", name: "Boxing Day", substitute: true },
  // 2027 (standard rules; Easter Sunday 28 March). 25 and 26 December are a Saturday and Sunday.
  { date: "2027-01-01", name: "New Year’s Day" },
  { date: "2027-03-26", name: "Good Friday" },
  { date: "2027-03-29", name: "Easter Monday" },
  { date: "2027-05-03", name: "Early May bank holiday" },
  { date: "2027-05-31", name: "Spring bank holiday" },
  { date: "2027-08-30", name: "Summer bank holiday" },
  { date: "2027-12-27", name: "Christmas Day", substitute: true },
  { date: "2027-12-28", name: "Boxing Day", substitute: true },
  // 2028 (standard rules; Easter Sunday 16 April). 1 January is a Saturday.
  { date: "2028-01-03", name: "New Year’s Day", substitute: true },
  { date: "2028-04-14", name: "Good Friday" },
  { date: "2028-04-17", name: "Easter Monday" },
  { date: "2028-05-01", name: "Early May bank holiday" },
  { date: "2028-05-29", name: "Spring bank holiday" },
  { date: "2028-08-28", name: "Summer bank holiday" },
  { date: "2028-12-25", name: "Christmas Day" },
  { date: "2028-12-26", name: "Boxing Day" },
];

export const BANK_HOLIDAYS: readonly BankHoliday[] = Object.freeze(DATA.map((h) => Object.freeze({ ...h })));

const BY_DATE: ReadonlyMap<IsoDate, BankHoliday> = new Map(BANK_HOLIDAYS.map((h) => [h.date, h]));

/** Thrown for a date the bank holiday data does not cover. */
export class BankHolidayRangeError extends RangeError {
  constructor(readonly isoDate: IsoDate) {
    super(
      `No England and Wales bank holiday data for ${isoDate}: app/lib/bank-holidays.ts covers ` +
        `${BANK_HOLIDAY_RANGE.firstYear}–${BANK_HOLIDAY_RANGE.lastYear}. Add the GOV.UK dates for ${isoDate.slice(0, 4)} ` +
        `and widen BANK_HOLIDAY_RANGE.`,
    );
    this.name = "BankHolidayRangeError";
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Throws a TypeError unless `isoDate` is a real calendar date written "YYYY-MM-DD". */
export function assertIsoDate(isoDate: string): asserts isoDate is IsoDate {
  const m = ISO_DATE.exec(isoDate);
  const ok =
    m !== null &&
    (() => {
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
    })();
  if (!ok) throw new TypeError(`Not a calendar date in the form YYYY-MM-DD: ${JSON.stringify(isoDate)}`);
}

/** The bank holiday on that date, or undefined. Throws BankHolidayRangeError outside BANK_HOLIDAY_RANGE. */
export function bankHolidayOn(isoDate: string): BankHoliday | undefined {
  assertIsoDate(isoDate);
  const year = Number(isoDate.slice(0, 4));
  if (year < BANK_HOLIDAY_RANGE.firstYear || year > BANK_HOLIDAY_RANGE.lastYear) throw new BankHolidayRangeError(isoDate);
  return BY_DATE.get(isoDate);
}

/** Whether the date is an England and Wales bank holiday. Throws BankHolidayRangeError outside BANK_HOLIDAY_RANGE. */
export function isBankHoliday(isoDate: string): boolean {
  return bankHolidayOn(isoDate) !== undefined;
}
