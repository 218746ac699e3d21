// Working days and first-contact clocks for support requests. Pure: every function takes the
// instants it needs (`now` included) and never reads the clock. Rules in
// docs/decisions/004-request-state-machine-and-working-days.md.
//
// - A day is a calendar day in Europe/London: a request submitted at 23:30 on a Friday in BST
//   (22:30 UTC) belongs to that Friday; one submitted at 00:30 BST on a Saturday (23:30 UTC on the
//   Friday) belongs to the Saturday.
// - A working day is Monday to Friday, except England and Wales bank holidays (app/lib/bank-holidays.ts).
//   Bank holidays are computed for any year from 2018 on; earlier dates throw BankHolidayRangeError.
// - Clocks change at 01:00 UTC on Sundays, so every working day is exactly 24 hours long; only
//   weekend days are 23 or 25 hours. London midnight always exists and is never ambiguous.
//
// Due-time rule (an SLA of n working days, as the NHS complaints regulations count "n working days
// after the day on which it is received"): the day of submission is day 0 and does not count,
// whatever the time; the request is due at the END (23:59:59.999 London) of the n-th working day
// after it. A submission at a weekend or on a bank holiday therefore counts from the next working
// day: Friday 09:00, Friday 23:30 and Sunday 14:00 with a 1-day target are all due at the end of
// Monday (if Monday is not a bank holiday).
import {
  assertIsoDate,
  BANK_HOLIDAY_RANGE,
  BankHolidayRangeError,
  bankHolidaysIn,
  isBankHoliday,
  type IsoDate,
} from "~/lib/bank-holidays";

export type { IsoDate } from "~/lib/bank-holidays";

export const TIME_ZONE = "Europe/London";
const DAY_MS = 86_400_000;

const londonParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

function assertDate(d: Date, what = "date"): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`Invalid ${what}: ${String(d)}`);
}

function wallClock(t: number): { y: number; m: number; d: number; wallMs: number } {
  const parts: Record<string, string> = {};
  for (const p of londonParts.formatToParts(new Date(t))) parts[p.type] = p.value;
  const y = Number(parts.year);
  const m = Number(parts.month);
  const d = Number(parts.day);
  const wallMs = Date.UTC(y, m - 1, d, Number(parts.hour), Number(parts.minute), Number(parts.second));
  return { y, m, d, wallMs };
}

/** London's offset from UTC at instant t, in ms (0 in GMT, 3 600 000 in BST). */
function offsetAt(t: number): number {
  return wallClock(t).wallMs - Math.floor(t / 1000) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** The London calendar date of an instant, "YYYY-MM-DD". */
export function londonDate(instant: Date): IsoDate {
  assertDate(instant);
  const { y, m, d } = wallClock(instant.getTime());
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** The calendar date `days` days after (or before, if negative) an ISO date. */
export function addCalendarDays(isoDate: IsoDate, days: number): IsoDate {
  assertIsoDate(isoDate);
  const t =
    Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) +
    days * DAY_MS;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The same day of the month `months` calendar months later; if that month is too short, its last
 * day (31 December + 2 months = 28 or 29 February; 31 March + 1 month = 30 April).
 */
export function addCalendarMonths(isoDate: IsoDate, months: number): IsoDate {
  assertIsoDate(isoDate);
  if (!Number.isInteger(months)) throw new RangeError(`Whole months only: ${months}`);
  const y = Number(isoDate.slice(0, 4));
  const m0 = Number(isoDate.slice(5, 7)) - 1 + months;
  const day = Number(isoDate.slice(8, 10));
  const lastDay = new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m0, Math.min(day, lastDay))).toISOString().slice(0, 10);
}

/** The instant London's calendar day begins (00:00 London, GMT or BST). */
export function startOfLondonDay(isoDate: IsoDate): Date {
  assertIsoDate(isoDate);
  const utcMidnight = Date.UTC(
    Number(isoDate.slice(0, 4)),
    Number(isoDate.slice(5, 7)) - 1,
    Number(isoDate.slice(8, 10)),
  );
  let t = utcMidnight - offsetAt(utcMidnight);
  const second = offsetAt(t);
  if (utcMidnight - second !== t) t = utcMidnight - second;
  return new Date(t);
}

/** The last millisecond of London's calendar day (23:59:59.999 London). */
export function endOfLondonDay(isoDate: IsoDate): Date {
  return new Date(startOfLondonDay(addCalendarDays(isoDate, 1)).getTime() - 1);
}

function isWorkingIsoDate(isoDate: IsoDate): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  // Look the date up even at weekends, so a weekend outside the data throws like a weekday would.
  const holiday = isBankHoliday(isoDate);
  return weekday !== 0 && weekday !== 6 && !holiday;
}

/**
 * Whether the London calendar day of `day` (an instant, or an ISO date) is a working day.
 * Throws BankHolidayRangeError before the first year of bank holiday data (2018).
 */
export function isWorkingDay(day: Date | IsoDate): boolean {
  return isWorkingIsoDate(typeof day === "string" ? (assertIsoDate(day), day) : londonDate(day));
}

/** The first working day strictly after the ISO date. */
function nextWorkingDate(isoDate: IsoDate): IsoDate {
  let d = addCalendarDays(isoDate, 1);
  while (!isWorkingIsoDate(d)) d = addCalendarDays(d, 1);
  return d;
}

/**
 * The deadline `n` working days after `from`: the end (23:59:59.999 London) of the n-th working day
 * after the London day of `from`. That day itself never counts, whatever the time of day, so a
 * weekend or bank holiday submission counts from the next working day.
 * n = 0 means "the same working day": the end of `from`'s day if it is a working day, otherwise of
 * the next working day (so for a weekend submission 0 and 1 give the same deadline).
 * n must be a whole number ≥ 0.
 */
export function addWorkingDays(from: Date, n: number): Date {
  assertDate(from, "start");
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A number of working days must be a whole number ≥ 0: ${n}`);
  let day = londonDate(from);
  if (n === 0) {
    if (!isWorkingIsoDate(day)) day = nextWorkingDate(day);
  } else {
    for (let i = 0; i < n; i++) day = nextWorkingDate(day);
  }
  return endOfLondonDay(day);
}

/**
 * Whole working days elapsed from `a` to `b`: the number of working days after a's London day up
 * to and including b's London day (times of day are ignored). Same day → 0; Friday → Monday → 1;
 * Saturday → Monday → 1; Saturday → Sunday → 0. If b is before a the result is negative
 * (−workingDaysBetween(b, a)). This is the "working days to first contact" of the reports, and it
 * agrees with addWorkingDays: for n ≥ 1, workingDaysBetween(d, addWorkingDays(d, n)) = n, and a
 * contact made on a working day is within an n-day target exactly when workingDaysBetween ≤ n.
 */
export function workingDaysBetween(a: Date, b: Date): number {
  assertDate(a);
  assertDate(b);
  if (b.getTime() < a.getTime()) return -workingDaysBetween(b, a);
  const first = addCalendarDays(londonDate(a), 1);
  const last = londonDate(b);
  if (first > last) return 0;
  const firstYear = Number(first.slice(0, 4));
  const lastYear = Number(last.slice(0, 4));
  // Before the bank holiday data the day-by-day count threw at its first day: so does this.
  if (firstYear < BANK_HOLIDAY_RANGE.firstYear) throw new BankHolidayRangeError(first);
  if (lastYear > BANK_HOLIDAY_RANGE.lastYear) return workingDaysOneByOne(first, last);
  // Counted, not walked: the weekdays of the range less the bank holidays on weekdays in it. The
  // walk took ~2 ms a year of range, and /hub works this out for every overdue row it shows
  // (25 rows due in 2023 cost ~60 ms a page at 1,000,000 requests: docs/decisions/021 addendum).
  // tests/unit/working-days.test.ts checks it against the walk.
  let count = weekdaysBefore(dayNumber(last) + 1) - weekdaysBefore(dayNumber(first));
  for (let year = firstYear; year <= lastYear; year++) {
    for (const date of new Set(bankHolidaysIn(year).map((h) => h.date))) {
      if (date >= first && date <= last && isWeekday(date)) count--;
    }
  }
  return count;
}

/** workingDaysBetween's first to last ISO date, both included, one day at a time. */
function workingDaysOneByOne(first: IsoDate, last: IsoDate): number {
  let count = 0;
  for (let d = first; d <= last; d = addCalendarDays(d, 1)) if (isWorkingIsoDate(d)) count++;
  return count;
}

/** Days since 1970-01-01 of an ISO date (UTC calendar arithmetic, no zone). */
function dayNumber(isoDate: IsoDate): number {
  return Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) / DAY_MS;
}

/** Monday to Friday. */
function isWeekday(isoDate: IsoDate): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** How many of the days numbered 0 … n − 1 (n ≥ 0; day 0 is Thursday 1 January 1970) are Monday to Friday. */
function weekdaysBefore(n: number): number {
  const weeks = Math.floor(n / 7);
  let count = weeks * 5;
  for (let k = weeks * 7; k < n; k++) {
    const weekday = (k + 4) % 7; // 0 Sunday … 6 Saturday
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

/**
 * Working time between two instants, in milliseconds: the part of [a, b) that falls on working
 * days (each working day counts all its 24 hours; weekends and bank holidays count nothing).
 * 0 when b ≤ a.
 */
export function workingMillisecondsBetween(a: Date, b: Date): number {
  assertDate(a);
  assertDate(b);
  const start = a.getTime();
  const end = b.getTime();
  let total = 0;
  let day = londonDate(a);
  let dayStart = startOfLondonDay(day).getTime();
  while (dayStart < end) {
    const next = addCalendarDays(day, 1);
    const nextStart = startOfLondonDay(next).getTime();
    if (isWorkingIsoDate(day)) total += Math.max(0, Math.min(end, nextStart) - Math.max(start, dayStart));
    day = next;
    dayStart = nextStart;
  }
  return total;
}

/** The instant reached by running a working-time clock forward `ms` from `t` (weekends and holidays skipped). */
function advanceWorkingTime(t: number, ms: number): number {
  let remaining = ms;
  let cursor = t;
  while (remaining > 0) {
    const day = londonDate(new Date(cursor));
    const nextStart = startOfLondonDay(addCalendarDays(day, 1)).getTime();
    if (isWorkingIsoDate(day)) {
      const available = nextStart - cursor;
      if (remaining <= available) return cursor + remaining;
      remaining -= available;
    }
    cursor = nextStart;
  }
  return cursor;
}

/**
 * The first-contact due time after a pause (waiting on staff) from `pausedAt` to `resumedAt`: the
 * clock stopped at pausedAt and starts again where it stopped, so the due time moves on by the
 * pause's working time, counted in working time (it never lands on a weekend). A pause that began
 * after the clock ran out adds nothing.
 */
export function resumedDueAt(dueAt: Date, pausedAt: Date, resumedAt: Date): Date {
  if (pausedAt.getTime() > dueAt.getTime()) return dueAt;
  const ms = workingMillisecondsBetween(pausedAt, resumedAt);
  if (ms <= 0) return dueAt;
  // Work with the first overdue millisecond, as computeDueAt does.
  return new Date(advanceWorkingTime(dueAt.getTime() + 1, ms) - 1);
}

export interface Pause {
  readonly from: Date;
  /** null: the pause is still going on (the request is waiting on staff now). */
  readonly to: Date | null;
}

export interface DueTime {
  /**
   * When first contact is due. While `paused`, provisional: the due time if the clock restarted
   * now (the open pause counted up to `now`); it moves later for as long as the pause lasts.
   */
  readonly dueAt: Date;
  /** Whether the first-contact clock is stopped now (an open pause began before the clock ran out). */
  readonly paused: boolean;
}

/**
 * The first-contact due time: addWorkingDays(submittedAt, targetDays), then pushed back by the
 * working time of every pause (time waiting on staff). A pause stops the clock and resuming starts it
 * again where it stopped, so each pause moves the deadline by exactly the working time it covered:
 * a pause from Friday 16:00 to Monday 10:00 adds 18 hours (Friday's 8 and Monday's 10, nothing for
 * the weekend); one wholly on a bank holiday adds nothing. The due time is then an instant, no
 * longer always the end of a day.
 * - Pauses are clipped to start no earlier than submission; overlapping pauses count once.
 * - A pause that starts after the (already extended) deadline has passed adds nothing: a clock that
 *   has run out cannot be stopped, so a late request cannot be made on time by pausing it.
 * - An open pause (`to: null`) runs until `now`: the result is `paused: true` with a provisional dueAt.
 */
export function computeDueAt(input: {
  submittedAt: Date;
  targetDays: number;
  pauses: readonly Pause[];
  now: Date;
}): DueTime {
  const { submittedAt, targetDays, pauses, now } = input;
  assertDate(submittedAt, "submittedAt");
  assertDate(now, "now");
  // Work with the exclusive end of the deadline (the first overdue millisecond): a whole-day pause
  // then moves "end of Friday" to exactly "end of Monday".
  let boundary = addWorkingDays(submittedAt, targetDays).getTime() + 1;

  const intervals = pauses
    .map((p) => {
      assertDate(p.from, "pause start");
      if (p.to !== null) assertDate(p.to, "pause end");
      if (p.to !== null && p.to.getTime() < p.from.getTime()) {
        throw new RangeError(`A pause cannot end (${p.to.toISOString()}) before it starts (${p.from.toISOString()})`);
      }
      const open = p.to === null;
      const from = Math.max(p.from.getTime(), submittedAt.getTime());
      const to = open ? Math.max(now.getTime(), from) : (p.to as Date).getTime();
      return { from, to, open: open && p.from.getTime() <= now.getTime() };
    })
    .filter((p) => p.to > p.from || p.open)
    .sort((x, y) => x.from - y.from);

  const merged: { from: number; to: number; open: boolean }[] = [];
  for (const p of intervals) {
    const last = merged[merged.length - 1];
    if (last && p.from <= last.to) {
      last.to = Math.max(last.to, p.to);
      last.open ||= p.open;
    } else merged.push({ ...p });
  }

  let paused = false;
  for (const p of merged) {
    if (p.from >= boundary) break;
    boundary = advanceWorkingTime(boundary, workingMillisecondsBetween(new Date(p.from), new Date(p.to)));
    if (p.open) paused = true;
  }
  return { dueAt: new Date(boundary - 1), paused };
}

/**
 * Whether a request is overdue for first contact: not yet contacted, the clock not stopped, and
 * `now` after dueAt (at dueAt itself it is still on time). A request contacted late is no longer
 * overdue; compare firstContactAt with dueAt to report it as late.
 */
export function isOverdue(input: {
  dueAt: Date | null;
  firstContactAt: Date | null;
  now: Date;
  paused: boolean;
}): boolean {
  const { dueAt, firstContactAt, now, paused } = input;
  assertDate(now, "now");
  if (paused || dueAt === null || firstContactAt !== null) return false;
  return now.getTime() > dueAt.getTime();
}

/**
 * The statutory decision deadline for a flexible-working request: two calendar months from the
 * London date of receipt, the corresponding date or, if the month has none, its last day
 * (31 December 2027 → 29 February 2028). A London calendar date; the employer has until the end of it.
 */
export function statutoryDecisionDeadline(receivedAt: Date): IsoDate {
  return addCalendarMonths(londonDate(receivedAt), 2);
}

// ---------------------------------------------------------------------------------------------
// Urgent and at-risk requests: a first-contact target in hours, not days (docs/decisions/012).
//
// The hub works 09:00–17:00 London on working days. An urgent target is set per offer as two
// hours of the day: sent on a working day before `cutoffHour`, first contact is due by the end of
// that working day (17:00); otherwise by `nextDayHour` on the next working day. The psychological
// hub's default is 15 and 10: Monday 14:59 → Monday 17:00; Monday 15:00 → Tuesday 10:00;
// Saturday → Monday 10:00; before 09:00 on a working day → 17:00 the same day.

export const HUB_OPENS_HOUR = 9;
export const HUB_CLOSES_HOUR = 17;

export interface UrgentTarget {
  /** Sent on a working day before this hour (London): due by the end of that working day. */
  cutoffHour: number;
  /** Otherwise due at this hour (London) on the next working day. */
  nextDayHour: number;
}

export const DEFAULT_URGENT_TARGET: UrgentTarget = { cutoffHour: 15, nextDayHour: 10 };

/** Hour `hour` (0–24) of a London calendar day. Working days are always 24 hours long. */
function atLondonHour(isoDate: IsoDate, hour: number): Date {
  return new Date(startOfLondonDay(isoDate).getTime() + hour * 3_600_000);
}

function londonHourOf(instant: Date): number {
  const start = startOfLondonDay(londonDate(instant)).getTime();
  return (instant.getTime() - start) / 3_600_000;
}

/** The first-contact due time of an urgent or at-risk request sent at `from`. */
export function urgentDueAt(from: Date, target: UrgentTarget = DEFAULT_URGENT_TARGET): Date {
  assertDate(from, "start");
  const { cutoffHour, nextDayHour } = target;
  if (!Number.isInteger(cutoffHour) || cutoffHour < 1 || cutoffHour > HUB_CLOSES_HOUR) {
    throw new RangeError(`Urgent cut-off must be a whole hour from 1 to ${HUB_CLOSES_HOUR}: ${cutoffHour}`);
  }
  if (!Number.isInteger(nextDayHour) || nextDayHour < HUB_OPENS_HOUR || nextDayHour > HUB_CLOSES_HOUR) {
    throw new RangeError(
      `Next-day hour must be a whole hour from ${HUB_OPENS_HOUR} to ${HUB_CLOSES_HOUR}: ${nextDayHour}`,
    );
  }
  const day = londonDate(from);
  if (isWorkingIsoDate(day) && londonHourOf(from) < cutoffHour) return atLondonHour(day, HUB_CLOSES_HOUR);
  return atLondonHour(nextWorkingDate(day), nextDayHour);
}

/**
 * When the hub is next working, if it is not working at `at`: null during working hours
 * (09:00–17:00 London on a working day), otherwise the next 09:00 on a working day.
 */
export function nextHubOpening(at: Date): Date | null {
  assertDate(at);
  const day = londonDate(at);
  if (isWorkingIsoDate(day)) {
    const hour = londonHourOf(at);
    if (hour < HUB_OPENS_HOUR) return atLondonHour(day, HUB_OPENS_HOUR);
    if (hour < HUB_CLOSES_HOUR) return null;
  }
  return atLondonHour(nextWorkingDate(day), HUB_OPENS_HOUR);
}
