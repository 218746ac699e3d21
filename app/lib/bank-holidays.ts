// England and Wales bank holidays for any year from 2018 on: computed from the standing rules, with
// the dates GOV.UK published kept as overrides. This is the source of truth for the working-day
// clock (app/lib/working-days.ts). There is no last year: a request submitted in 2040 gets a target.
//
// The rules (Banking and Financial Dealings Act 1971 and the annual royal proclamations):
// - New Year's Day, 1 January; at a weekend, the Monday after ("substitute day");
// - Good Friday and Easter Monday, from Easter Sunday by the anonymous Gregorian algorithm;
// - Early May bank holiday, the first Monday in May; Spring, the last Monday in May;
//   Summer, the last Monday in August;
// - Christmas Day and Boxing Day; a day at a weekend moves to the next weekday that is not already
//   a holiday. So Christmas on a Saturday gives Monday 27 (Christmas) and Tuesday 28 (Boxing Day);
//   on a Sunday, Boxing Day keeps Monday 26 and Christmas moves to Tuesday 27 (as GOV.UK lists
//   2022); on a Friday, Boxing Day moves to Monday 28.
//
// Overrides: a year listed in PUBLISHED replaces the computed year entirely. They hold the one-off
// changes GOV.UK announced (2020 VE day move; 2022 Platinum Jubilee and the State Funeral; 2023
// coronation) and the years we copied as published (2025, 2026) or checked by hand (2027, 2028).
// When GOV.UK announces a one-off holiday or a moved date, add that year's full list here.
// tests/unit/bank-holidays.test.ts checks the rules against GOV.UK's dates for 2018–2026.
//
// Before 2018 (the first year GOV.UK's data covers) one-offs are not recorded, so those years throw
// BankHolidayRangeError rather than guess; nothing in StayWell dates from before 2025.

export type IsoDate = string; // "YYYY-MM-DD", a calendar date with no time or zone

export interface BankHoliday {
  readonly date: IsoDate;
  readonly name: string;
  /** A weekday given in place of a holiday that fell at a weekend ("Substitute day" on GOV.UK). */
  readonly substitute?: true;
}

/** The years answered. lastYear is the last year an ISO date can have: there is no cliff before it. */
export const BANK_HOLIDAY_RANGE = { firstYear: 2018, lastYear: 9999 } as const;

const NEW_YEAR = "New Year’s Day";
const GOOD_FRIDAY = "Good Friday";
const EASTER_MONDAY = "Easter Monday";
const EARLY_MAY = "Early May bank holiday";
const SPRING = "Spring bank holiday";
const SUMMER = "Summer bank holiday";
const CHRISTMAS = "Christmas Day";
const BOXING = "Boxing Day";

const h = (date: IsoDate, name: string, substitute = false): BankHoliday =>
  substitute ? { date, name, substitute: true } : { date, name };

/** GOV.UK's lists, each replacing the computed year (see the header). Sorted by date. */
const PUBLISHED: Readonly<Record<number, readonly BankHoliday[]>> = {
  // 2020: the early May bank holiday moved to Friday 8 May for the 75th anniversary of VE day.
  2020: [
    h("2020-01-01", NEW_YEAR),
    h("2020-04-10", GOOD_FRIDAY),
    h("2020-04-13", EASTER_MONDAY),
    h("2020-05-08", "Early May bank holiday (VE day)"),
    h("2020-05-25", SPRING),
    h("2020-08-31", SUMMER),
    h("2020-12-25", CHRISTMAS),
    h("2020-12-28", BOXING, true),
  ],
  // 2022: the spring bank holiday moved to Thursday 2 June, the Platinum Jubilee added Friday 3
  // June, and the State Funeral of Queen Elizabeth II added Monday 19 September.
  2022: [
    h("2022-01-03", NEW_YEAR, true),
    h("2022-04-15", GOOD_FRIDAY),
    h("2022-04-18", EASTER_MONDAY),
    h("2022-05-02", EARLY_MAY),
    h("2022-06-02", SPRING),
    h("2022-06-03", "Platinum Jubilee bank holiday"),
    h("2022-08-29", SUMMER),
    h("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"),
    h("2022-12-26", BOXING),
    h("2022-12-27", CHRISTMAS, true),
  ],
  // 2023: the coronation of King Charles III added Monday 8 May.
  2023: [
    h("2023-01-02", NEW_YEAR, true),
    h("2023-04-07", GOOD_FRIDAY),
    h("2023-04-10", EASTER_MONDAY),
    h("2023-05-01", EARLY_MAY),
    h("2023-05-08", "Bank holiday for the coronation of King Charles III"),
    h("2023-05-29", SPRING),
    h("2023-08-28", SUMMER),
    h("2023-12-25", CHRISTMAS),
    h("2023-12-26", BOXING),
  ],
  // 2025 and 2026 copied from GOV.UK ("England and Wales").
  2025: [
    h("2025-01-01", NEW_YEAR),
    h("2025-04-18", GOOD_FRIDAY),
    h("2025-04-21", EASTER_MONDAY),
    h("2025-05-05", EARLY_MAY),
    h("2025-05-26", SPRING),
    h("2025-08-25", SUMMER),
    h("2025-12-25", CHRISTMAS),
    h("2025-12-26", BOXING),
  ],
  2026: [
    h("2026-01-01", NEW_YEAR),
    h("2026-04-03", GOOD_FRIDAY),
    h("2026-04-06", EASTER_MONDAY),
    h("2026-05-04", EARLY_MAY),
    h("2026-05-25", SPRING),
    h("2026-08-31", SUMMER),
    h("2026-12-25", CHRISTMAS),
    h("2026-12-28", BOXING, true),
  ],
  // 2027 and 2028, written out by hand from the rules before the derivation below existed; kept so
  // a GOV.UK change for them is a one-line edit here.
  2027: [
    h("2027-01-01", NEW_YEAR),
    h("2027-03-26", GOOD_FRIDAY),
    h("2027-03-29", EASTER_MONDAY),
    h("2027-05-03", EARLY_MAY),
    h("2027-05-31", SPRING),
    h("2027-08-30", SUMMER),
    h("2027-12-27", CHRISTMAS, true),
    h("2027-12-28", BOXING, true),
  ],
  2028: [
    h("2028-01-03", NEW_YEAR, true),
    h("2028-04-14", GOOD_FRIDAY),
    h("2028-04-17", EASTER_MONDAY),
    h("2028-05-01", EARLY_MAY),
    h("2028-05-29", SPRING),
    h("2028-08-28", SUMMER),
    h("2028-12-25", CHRISTMAS),
    h("2028-12-26", BOXING),
  ],
};

/** The years whose dates come from PUBLISHED rather than the rules. */
export const PUBLISHED_YEARS: readonly number[] = Object.freeze(Object.keys(PUBLISHED).map(Number));

// ---- The rules -------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
const isoOf = (t: number): IsoDate => new Date(t).toISOString().slice(0, 10);
const weekdayOf = (t: number) => new Date(t).getUTCDay(); // 0 Sunday … 6 Saturday
const isWeekend = (t: number) => weekdayOf(t) === 0 || weekdayOf(t) === 6;

/** Easter Sunday in the Gregorian calendar (the anonymous algorithm: Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const hh = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - hh - k) % 7;
  const m = Math.floor((a + 11 * hh + 22 * l) / 451);
  const month = Math.floor((hh + l - 7 * m + 114) / 31);
  const day = ((hh + l - 7 * m + 114) % 31) + 1;
  return isoOf(utc(year, month, day));
}

function firstMonday(year: number, month: number): number {
  let t = utc(year, month, 1);
  while (weekdayOf(t) !== 1) t += DAY_MS;
  return t;
}

function lastMonday(year: number, month: number): number {
  let t = utc(year, month + 1, 0);
  while (weekdayOf(t) !== 1) t -= DAY_MS;
  return t;
}

/** The year's bank holidays by the standing rules alone (no overrides), sorted by date. */
export function ruleBankHolidays(year: number): BankHoliday[] {
  assertYear(year);
  const out: BankHoliday[] = [];
  let nyd = utc(year, 1, 1);
  const nydMoved = isWeekend(nyd);
  while (isWeekend(nyd)) nyd += DAY_MS;
  out.push(h(isoOf(nyd), NEW_YEAR, nydMoved));
  const easter = Date.parse(`${easterSunday(year)}T00:00:00Z`);
  out.push(h(isoOf(easter - 2 * DAY_MS), GOOD_FRIDAY));
  out.push(h(isoOf(easter + DAY_MS), EASTER_MONDAY));
  out.push(h(isoOf(firstMonday(year, 5)), EARLY_MAY));
  out.push(h(isoOf(lastMonday(year, 5)), SPRING));
  out.push(h(isoOf(lastMonday(year, 8)), SUMMER));
  // Christmas and Boxing Day. A day on a weekday keeps its date; a weekend day takes the next
  // weekday not already taken. Weekday days are placed first, so a Sunday Christmas leaves Boxing
  // Day on Monday 26 and itself moves to Tuesday 27.
  const christmas = utc(year, 12, 25);
  const boxing = utc(year, 12, 26);
  const taken = new Set<number>();
  const placed: { t: number; name: string; substitute: boolean }[] = [];
  for (const [t, name] of [
    [christmas, CHRISTMAS],
    [boxing, BOXING],
  ] as const) {
    if (!isWeekend(t)) {
      taken.add(t);
      placed.push({ t, name, substitute: false });
    }
  }
  for (const [t, name] of [
    [christmas, CHRISTMAS],
    [boxing, BOXING],
  ] as const) {
    if (isWeekend(t)) {
      let d = t;
      while (isWeekend(d) || taken.has(d)) d += DAY_MS;
      taken.add(d);
      placed.push({ t: d, name, substitute: true });
    }
  }
  for (const p of placed) out.push(h(isoOf(p.t), p.name, p.substitute));
  return out.sort((p, q) => p.date.localeCompare(q.date));
}

// ---- Lookup ----------------------------------------------------------------------------------

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < BANK_HOLIDAY_RANGE.firstYear || year > BANK_HOLIDAY_RANGE.lastYear) {
    throw new BankHolidayRangeError(`${String(year).padStart(4, "0")}-01-01`);
  }
}

const byYear = new Map<number, { list: readonly BankHoliday[]; byDate: ReadonlyMap<IsoDate, BankHoliday> }>();

function yearData(year: number) {
  let entry = byYear.get(year);
  if (!entry) {
    assertYear(year);
    const list = Object.freeze((PUBLISHED[year] ?? ruleBankHolidays(year)).map((x) => Object.freeze({ ...x })));
    entry = { list, byDate: new Map(list.map((x) => [x.date, x])) };
    byYear.set(year, entry);
  }
  return entry;
}

/** The England and Wales bank holidays of a year (published dates where GOV.UK gave them), sorted, frozen. */
export function bankHolidaysIn(year: number): readonly BankHoliday[] {
  return yearData(year).list;
}

/** Thrown for a date before the first year covered (see BANK_HOLIDAY_RANGE). */
export class BankHolidayRangeError extends RangeError {
  constructor(readonly isoDate: IsoDate) {
    super(
      `No England and Wales bank holiday data for ${isoDate}: app/lib/bank-holidays.ts covers ` +
        `${BANK_HOLIDAY_RANGE.firstYear} onwards (GOV.UK's one-off holidays before then are not recorded).`,
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
      return (
        d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
      );
    })();
  if (!ok) throw new TypeError(`Not a calendar date in the form YYYY-MM-DD: ${JSON.stringify(isoDate)}`);
}

/** The bank holiday on that date, or undefined. Throws BankHolidayRangeError before BANK_HOLIDAY_RANGE.firstYear. */
export function bankHolidayOn(isoDate: string): BankHoliday | undefined {
  assertIsoDate(isoDate);
  const year = Number(isoDate.slice(0, 4));
  if (year < BANK_HOLIDAY_RANGE.firstYear || year > BANK_HOLIDAY_RANGE.lastYear)
    throw new BankHolidayRangeError(isoDate);
  return yearData(year).byDate.get(isoDate);
}

/** Whether the date is an England and Wales bank holiday. Throws BankHolidayRangeError before BANK_HOLIDAY_RANGE.firstYear. */
export function isBankHoliday(isoDate: string): boolean {
  return bankHolidayOn(isoDate) !== undefined;
}
