// The reservist bank (issue 14 part 2; docs/decisions/040-reservist-bank.md): the fixed lists the
// joining form, the needs form and matching share. Roles and skills are not here: administrators
// keep them (reservist_skills).
import { addCalendarDays, addCalendarMonths, londonDate } from "./working-days";

/**
 * HCPC registration numbers are a profession's prefix and then digits (review of issue 14, finding
 * 5): a number under another profession's prefix is someone else's register entry, so the prefix
 * is checked. The profession is said in the error, so people can find their own.
 */
export const HCPC_PREFIXES = [
  { prefix: "AS", profession: "arts therapists" },
  { prefix: "BS", profession: "biomedical scientists" },
  { prefix: "CH", profession: "chiropodists and podiatrists" },
  { prefix: "CS", profession: "clinical scientists" },
  { prefix: "DT", profession: "dietitians" },
  { prefix: "HAD", profession: "hearing aid dispensers" },
  { prefix: "OT", profession: "occupational therapists" },
  { prefix: "ODP", profession: "operating department practitioners" },
  { prefix: "OR", profession: "orthoptists" },
  { prefix: "PA", profession: "paramedics" },
  { prefix: "PH", profession: "physiotherapists" },
  { prefix: "PYL", profession: "practitioner psychologists" },
  { prefix: "PO", profession: "prosthetists and orthotists" },
  { prefix: "RA", profession: "radiographers" },
  { prefix: "SL", profession: "speech and language therapists" },
] as const;

const HCPC_PATTERN = new RegExp(`^(${HCPC_PREFIXES.map((p) => p.prefix).join("|")})\\d{5,6}$`);

export const RESERVIST_REGISTRATION_BODIES = [
  {
    value: "nmc",
    label: "Nursing and Midwifery Council (NMC)",
    example: "12A3456E",
    pattern: /^\d{2}[A-Z]\d{4}[A-Z]$/,
  },
  {
    value: "hcpc",
    label: "Health and Care Professions Council (HCPC)",
    example: "PH123456",
    pattern: HCPC_PATTERN,
    formatError: `Enter your HCPC number: your profession's letters and then the digits, like PH123456 for a physiotherapist (${HCPC_PREFIXES.map((p) => p.prefix).join(", ")})`,
  },
  { value: "gmc", label: "General Medical Council (GMC)", example: "1234567", pattern: /^\d{7}$/ },
  { value: "gphc", label: "General Pharmaceutical Council (GPhC)", example: "2012345", pattern: /^\d{7}$/ },
  { value: "swe", label: "Social Work England", example: "SW12345", pattern: /^SW\d{1,6}$/ },
  { value: "none", label: "I am not registered with a professional body", example: "", pattern: /^$/ },
] as const;

export type RegistrationBody = (typeof RESERVIST_REGISTRATION_BODIES)[number]["value"];

/** A registration number as people type it (spaces, lower case) in the form it is stored and matched. */
export function normaliseRegistrationNumber(value: string): string {
  return value.replace(/[\s-]/g, "").toUpperCase();
}

/** Whether `number` (normalised) has the format of `body`'s numbers. */
export function registrationNumberFits(body: string, number: string): boolean {
  const entry = RESERVIST_REGISTRATION_BODIES.find((b) => b.value === body);
  return !!entry && entry.pattern.test(number);
}

export function registrationLabel(body: string | null): string {
  if (!body) return "None needed";
  return RESERVIST_REGISTRATION_BODIES.find((b) => b.value === body)?.label ?? body;
}

export const WEEK_DAYS = [
  { value: "mon", label: "Monday" },
  { value: "tue", label: "Tuesday" },
  { value: "wed", label: "Wednesday" },
  { value: "thu", label: "Thursday" },
  { value: "fri", label: "Friday" },
  { value: "sat", label: "Saturday" },
  { value: "sun", label: "Sunday" },
] as const;

export const RESERVIST_NEED_REASONS = [
  { value: "winter_pressure", label: "Winter pressure" },
  { value: "vaccination_clinic", label: "Vaccination clinic" },
  { value: "industrial_action", label: "Industrial action cover" },
  { value: "outbreak", label: "Outbreak or incident" },
  { value: "vacancy_cover", label: "Vacancy or sickness cover" },
  { value: "other", label: "Other" },
] as const;

export function needReasonLabel(value: string): string {
  return RESERVIST_NEED_REASONS.find((r) => r.value === value)?.label ?? value;
}

/** The needs list's caption: "page 1" only means something when there is a page 2. */
export function needsCaption(page: number, hasMore: boolean): string {
  return page === 1 && !hasMore ? "Needs" : `Needs, page ${page}`;
}

/** Reservists are asked to confirm their profile this often (and reminded once when it is due). */
export const CONFIRM_EVERY_MONTHS = 3;

/** Hours a week a reservist can offer, and a need can ask for. */
export const MAX_HOURS_PER_WEEK = 48;
export const MAX_PLACES_PER_NEED = 50;

/**
 * A profile not confirmed for CONFIRM_EVERY_MONTHS months and this many days more is not matched
 * (ADR 040 addendum): the reminder goes when the months are up; the grace gives time to answer it.
 */
export const CONFIRM_GRACE_DAYS = 30;

/** Every unanswered or accepted invitation counts; at most this many per place wanted. */
export const INVITATIONS_PER_PLACE = 3;

/** The last London day a profile confirmed at `lastConfirmedAt` is matched (and so offered shifts). */
export function matchedUntil(lastConfirmedAt: Date): string {
  return addCalendarDays(addCalendarMonths(londonDate(lastConfirmedAt), CONFIRM_EVERY_MONTHS), CONFIRM_GRACE_DAYS);
}
