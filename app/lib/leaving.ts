// Leaving: the shared vocabulary of issue 13 (stay conversations, the /leaving questionnaire, the
// ESR leavers import and the retention insights). One table per idea, so every part of the product
// groups reasons, destinations and tenure the same way.
import type { StaffGroup } from "./staff-groups";

/** The groups the retention charts use. Every ESR leaving reason belongs to exactly one. */
export const LEAVING_REASON_GROUPS = [
  { value: "work_life_balance", label: "Work-life balance and hours" },
  { value: "pay_reward", label: "Pay and reward" },
  { value: "health", label: "Health" },
  { value: "family_caring", label: "Family and caring" },
  { value: "development", label: "Development and progression" },
  { value: "relationships", label: "Relationships at work" },
  { value: "relocation", label: "Relocation" },
  { value: "retirement", label: "Retirement" },
  { value: "contract_dismissal", label: "End of contract and dismissal" },
  { value: "other", label: "Other or not known" },
] as const;

export type LeavingReasonGroup = (typeof LEAVING_REASON_GROUPS)[number]["value"];

/**
 * The ESR leaving reasons, by their ESR names (as they appear in an ESR leavers extract), with the
 * group each belongs to. `retirementKind` separates retirement at age from early or flexible
 * retirement and ill-health retirement for the age-band chart.
 */
export const ESR_LEAVING_REASONS = [
  { value: "Voluntary Resignation - Work Life Balance", group: "work_life_balance" },
  { value: "Voluntary Resignation - Relocation", group: "relocation" },
  { value: "Voluntary Resignation - Promotion", group: "development" },
  { value: "Voluntary Resignation - Better Reward Package", group: "pay_reward" },
  { value: "Voluntary Resignation - Health", group: "health" },
  { value: "Voluntary Resignation - Child Dependants", group: "family_caring" },
  { value: "Voluntary Resignation - Adult Dependants", group: "family_caring" },
  { value: "Voluntary Resignation - To undertake further education or training", group: "development" },
  { value: "Voluntary Resignation - Lack of Opportunities", group: "development" },
  { value: "Voluntary Resignation - Incompatible Working Relationships", group: "relationships" },
  { value: "Voluntary Resignation - Other/Not Known", group: "other" },
  { value: "Retirement Age", group: "retirement", retirementKind: "age" },
  {
    value: "Voluntary Early Retirement - with Actuarial Reduction",
    group: "retirement",
    retirementKind: "early_flexible",
  },
  {
    value: "Voluntary Early Retirement - no Actuarial Reduction",
    group: "retirement",
    retirementKind: "early_flexible",
  },
  { value: "Flexi Retirement", group: "retirement", retirementKind: "early_flexible" },
  { value: "Ill Health Retirement", group: "health", retirementKind: "ill_health" },
  { value: "End of Fixed Term Contract", group: "contract_dismissal" },
  { value: "Dismissal - Conduct", group: "contract_dismissal" },
  { value: "Dismissal - Capability", group: "contract_dismissal" },
  { value: "Redundancy - Compulsory", group: "contract_dismissal" },
  { value: "Redundancy - Voluntary", group: "contract_dismissal" },
  { value: "Mutually Agreed Resignation", group: "other" },
  { value: "Employee Transfer", group: "other" },
  { value: "Death in Service", group: "other" },
] as const satisfies readonly {
  value: string;
  group: LeavingReasonGroup;
  retirementKind?: "age" | "early_flexible" | "ill_health";
}[];

export type EsrLeavingReason = (typeof ESR_LEAVING_REASONS)[number]["value"];

let leavingReasonByName: NameLookup<EsrLeavingReason> | undefined;

/**
 * ESR exports use a hyphen or an en/em dash between the two halves, and vary in spacing and case.
 * Returns the canonical name, or null when the text is not an ESR leaving reason.
 */
export function parseEsrLeavingReason(text: string): EsrLeavingReason | null {
  leavingReasonByName ??= byNormalisedName(ESR_LEAVING_REASONS.map((r) => r.value));
  return leavingReasonByName(text);
}

export function leavingReasonGroup(reason: EsrLeavingReason): LeavingReasonGroup {
  return ESR_LEAVING_REASONS.find((r) => r.value === reason)!.group;
}

/** ESR staff groups (the names in an ESR extract) and the StayWell staff group each counts under. */
export const ESR_STAFF_GROUPS = [
  { value: "Add Prof Scientific and Technic", staffGroup: "scientific_technical" },
  { value: "Additional Clinical Services", staffGroup: "support_worker" },
  { value: "Administrative and Clerical", staffGroup: "admin_estates" },
  { value: "Allied Health Professionals", staffGroup: "allied_health" },
  { value: "Estates and Ancillary", staffGroup: "admin_estates" },
  { value: "Healthcare Scientists", staffGroup: "scientific_technical" },
  { value: "Medical and Dental", staffGroup: "medical_dental" },
  { value: "Nursing and Midwifery Registered", staffGroup: "nursing_midwifery" },
  { value: "Students", staffGroup: "other" },
] as const satisfies readonly { value: string; staffGroup: StaffGroup }[];

export type EsrStaffGroup = (typeof ESR_STAFF_GROUPS)[number]["value"];

let staffGroupByName: NameLookup<EsrStaffGroup> | undefined;
export function parseEsrStaffGroup(text: string): EsrStaffGroup | null {
  staffGroupByName ??= byNormalisedName(ESR_STAFF_GROUPS.map((g) => g.value));
  return staffGroupByName(text);
}

/** ESR age bands as they appear in an extract. */
export const ESR_AGE_BANDS = [
  "<=20 Years",
  "21-25",
  "26-30",
  "31-35",
  "36-40",
  "41-45",
  "46-50",
  "51-55",
  "56-60",
  "61-65",
  "66-70",
  ">=71 Years",
] as const;

export type EsrAgeBand = (typeof ESR_AGE_BANDS)[number];

export function parseEsrAgeBand(text: string): EsrAgeBand | null {
  const key = text.trim().replace(/\s+/g, " ").toLowerCase();
  return ESR_AGE_BANDS.find((b) => b.toLowerCase() === key) ?? null;
}

/** Tenure at leaving, in the bands the retention insights show (the first-year curve). */
export const LEAVER_TENURE_BANDS = [
  { value: "under_3m", label: "Under 3 months", maxMonths: 3 },
  { value: "3_6m", label: "3 to 6 months", maxMonths: 6 },
  { value: "6_10m", label: "6 to 10 months", maxMonths: 10 },
  { value: "10_12m", label: "10 to 12 months", maxMonths: 12 },
  { value: "1_2y", label: "1 to 2 years", maxMonths: 24 },
  { value: "2_5y", label: "2 to 5 years", maxMonths: 60 },
  { value: "5y_plus", label: "5 years or more", maxMonths: Infinity },
] as const;

export type LeaverTenureBand = (typeof LEAVER_TENURE_BANDS)[number]["value"];

/** Whole calendar months from start to end (ISO dates, YYYY-MM-DD), counting a part month as not yet done. */
export function monthsBetween(start: string, end: string): number {
  const [sy, sm, sd] = isoParts(start);
  const [ey, em, ed] = isoParts(end);
  let months = (ey - sy) * 12 + (em - sm);
  if (ed < sd) months -= 1;
  return Math.max(0, months);
}

/** As `date.split("-").map(Number)`, without the arrays for the usual YYYY-MM-DD (once per imported row). */
function isoParts(date: string): number[] {
  if (date.length === 10 && date.indexOf("-") === 4 && date.indexOf("-", 5) === 7 && date.indexOf("-", 8) < 0)
    return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8))];
  return date.split("-").map(Number);
}

export function leaverTenureBand(start: string, end: string): LeaverTenureBand {
  const months = monthsBetween(start, end);
  return LEAVER_TENURE_BANDS.find((b) => months < b.maxMonths)!.value;
}

/** Where a leaver is going (the /leaving questionnaire). */
export const LEAVING_DESTINATIONS = [
  { value: "another_ics_organisation", label: "Another organisation in Staffordshire and Stoke-on-Trent" },
  { value: "nhs_outside_ics", label: "The NHS outside Staffordshire and Stoke-on-Trent" },
  { value: "social_care", label: "Social care" },
  { value: "outside_health_care", label: "Work outside health and care" },
  { value: "retirement", label: "Retirement" },
  { value: "study", label: "Study" },
  { value: "not_working", label: "Not working" },
  { value: "prefer_not_to_say", label: "Prefer not to say" },
] as const;

export type LeavingDestination = (typeof LEAVING_DESTINATIONS)[number]["value"];

/** How a stay conversation ended: required when the hub closes a `thinking-of-leaving` request. */
export const RETENTION_OUTCOMES = [
  { value: "stayed_in_role", label: "Stayed in role", retained: true },
  { value: "moved_within_organisation", label: "Moved within the organisation", retained: true },
  { value: "moved_to_ics_organisation", label: "Moved to another ICS organisation", retained: true },
  { value: "left_ics", label: "Left the ICS", retained: false },
  { value: "retired_returning", label: "Retired and returning", retained: false },
  { value: "retired_not_returning", label: "Retired and not returning", retained: false },
  { value: "not_known", label: "Not known", retained: false },
] as const;

export type RetentionOutcome = (typeof RETENTION_OUTCOMES)[number]["value"];

/**
 * Linear on any input: whitespace is collapsed first, so each dash takes at most one space either
 * side. Not the global regex `\s*[-–—]\s*`: on a long run of spaces with no dash that retried the run from every
 * position (one 64 KB ESR cell of spaces took 8.6 s of CPU; the extract allows 64 KB a row and
 * 20 MB a file). Same answers: compared on 200,000 random strings (2026-11-30).
 */
function normaliseEsrName(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, " ")
    .replace(/ ?[-\u2013\u2014] ?/g, " - ")
    .replace(/ {2,}/g, " ")
    .toLowerCase();
}

/**
 * Normalised name → canonical name, the first in list order winning (as `find` did). Built once:
 * normalising every canonical name again for each row of a 100,000-row extract was a third of the
 * extract's checking time (docs/decisions/023-ci-budget.md, addendum of 1 December 2026).
 */
function byNormalisedName<T extends string>(names: readonly T[]): NameLookup<T> {
  const normalised = new Map<string, T>();
  for (const name of names) {
    const key = normaliseEsrName(name);
    if (!normalised.has(key)) normalised.set(key, name);
  }
  // A cell spelled exactly as a canonical name (as ESR writes them) normalises as that name does:
  // answered without normalising it.
  const exact = new Map(names.map((name) => [name as string, normalised.get(normaliseEsrName(name))!]));
  return (text) => exact.get(text) ?? normalised.get(normaliseEsrName(text)) ?? null;
}

type NameLookup<T> = (text: string) => T | null;

// ---------------------------------------------------------------------------------------------
// The /leaving questionnaire (issue 13 part 2; docs/decisions/033-leaving-questionnaire.md)

/**
 * The ESR leaving reasons a leaver can choose themselves, in plain words. Dismissal and death in
 * service are never a leaver's own answer, so they are not offered; every value is an ESR name.
 */
export const QUESTIONNAIRE_REASONS = [
  { value: "Voluntary Resignation - Work Life Balance", label: "Work-life balance, hours or shift patterns" },
  { value: "Voluntary Resignation - Better Reward Package", label: "Pay or a better reward package elsewhere" },
  { value: "Voluntary Resignation - Promotion", label: "A promotion elsewhere" },
  { value: "Voluntary Resignation - Lack of Opportunities", label: "Lack of development or progression" },
  {
    value: "Voluntary Resignation - To undertake further education or training",
    label: "To study or train",
  },
  { value: "Voluntary Resignation - Health", label: "My health" },
  { value: "Voluntary Resignation - Child Dependants", label: "Looking after children" },
  { value: "Voluntary Resignation - Adult Dependants", label: "Caring for an adult" },
  { value: "Voluntary Resignation - Incompatible Working Relationships", label: "Relationships at work" },
  { value: "Voluntary Resignation - Relocation", label: "Moving away" },
  { value: "Retirement Age", label: "Retiring at pension age" },
  { value: "Voluntary Early Retirement - with Actuarial Reduction", label: "Retiring early (with a reduced pension)" },
  { value: "Voluntary Early Retirement - no Actuarial Reduction", label: "Retiring early (without a reduction)" },
  { value: "Flexi Retirement", label: "Flexible or partial retirement" },
  { value: "Ill Health Retirement", label: "Retiring because of ill health" },
  { value: "End of Fixed Term Contract", label: "My fixed-term contract is ending" },
  { value: "Redundancy - Voluntary", label: "Voluntary redundancy" },
  { value: "Redundancy - Compulsory", label: "Compulsory redundancy" },
  { value: "Mutually Agreed Resignation", label: "A mutually agreed resignation" },
  { value: "Voluntary Resignation - Other/Not Known", label: "Something else" },
] as const satisfies readonly { value: EsrLeavingReason; label: string }[];

export type QuestionnaireReason = (typeof QUESTIONNAIRE_REASONS)[number]["value"];

/** "What would have kept you?" (several; the same ideas as the stay conversation's "what might help"). */
export const LEAVING_KEPT_OPTIONS = [
  { value: "flexible_working", label: "Flexible working or different hours" },
  { value: "change_of_team_or_role", label: "A change of team or role" },
  { value: "ics_move", label: "A move to another organisation in Staffordshire and Stoke-on-Trent" },
  { value: "development", label: "Development or a career pathway" },
  { value: "pay", label: "Better pay or reward" },
  { value: "retire_return", label: "Retire-and-return or partial retirement" },
  { value: "health_support", label: "Support with my health" },
  { value: "money_support", label: "Support with money" },
  { value: "caring_support", label: "Support with caring responsibilities" },
  { value: "better_management", label: "Better support from my manager or team" },
  { value: "other", label: "Something else" },
  { value: "nothing", label: "Nothing would have kept me" },
] as const;

export type LeavingKept = (typeof LEAVING_KEPT_OPTIONS)[number]["value"];

/** Ways back a leaver would consider ("no" excludes the others). */
export const LEAVING_RETURN_OPTIONS = [
  { value: "bank", label: "Working on the staff bank" },
  { value: "retire_return", label: "Retire and return" },
  { value: "reservist_bank", label: "The reservist bank" },
] as const;

export type LeavingReturnWay = (typeof LEAVING_RETURN_OPTIONS)[number]["value"];

/** The rows of leaving_response_choices, by question (see db/schema.ts). */
export const LEAVING_CHOICE_QUESTIONS = ["reason", "kept", "support_used", "support_known", "return"] as const;
export type LeavingChoiceQuestion = (typeof LEAVING_CHOICE_QUESTIONS)[number];

export function labelOf(list: readonly { value: string; label: string }[], value: string): string {
  return list.find((o) => o.value === value)?.label ?? value;
}

// ---------------------------------------------------------------------------------------------
// Stay conversations ("Thinking about leaving? Talk to us first", the `thinking-of-leaving` offer).
// The request form's option lists; each answer is also stored, one row per chosen value, in
// stay_conversation_answers (question = the key below), so the retention insights count them in SQL.

/** What is making you think about leaving (several of). */
export const STAY_LEAVING_REASONS = [
  { value: "workload", label: "Workload" },
  { value: "work_life_balance", label: "Work-life balance" },
  { value: "shift_patterns_hours", label: "Shift patterns or hours" },
  { value: "pay_money", label: "Pay or money" },
  { value: "health", label: "Health" },
  { value: "stress", label: "Stress" },
  { value: "caring_responsibilities", label: "Caring responsibilities" },
  { value: "relationships_at_work", label: "Relationships at work" },
  { value: "lack_of_development", label: "Lack of development or progression" },
  { value: "relocation", label: "Relocation" },
  { value: "retirement", label: "Retirement" },
  { value: "other", label: "Other" },
] as const;

/** What might help you stay (several of). */
export const STAY_HELPS = [
  { value: "flexible_working", label: "Flexible working" },
  { value: "change_team_role", label: "A change of team or role" },
  { value: "move_ics_organisation", label: "A move to another ICS organisation" },
  { value: "development_career_pathway", label: "Development or a career pathway" },
  { value: "retire_return_partial", label: "Retire and return, or partial retirement" },
  { value: "health_money_caring_support", label: "Support with health, money or caring" },
  { value: "other", label: "Other" },
] as const;

/** How soon you might leave (one of). */
export const STAY_HOW_SOON = [
  { value: "within_month", label: "Within a month" },
  { value: "1_3_months", label: "In 1 to 3 months" },
  { value: "over_3_months", label: "In more than 3 months" },
  { value: "just_thinking", label: "I am just thinking about it" },
] as const;

/** What you would like the hub to do (one of). */
export const STAY_HUB_ACTIONS = [
  { value: "conversation", label: "Have a conversation with me" },
  { value: "information_only", label: "Send me information only" },
] as const;

export type StayLeavingReason = (typeof STAY_LEAVING_REASONS)[number]["value"];
export type StayHelp = (typeof STAY_HELPS)[number]["value"];
export type StayHowSoon = (typeof STAY_HOW_SOON)[number]["value"];
export type StayHubAction = (typeof STAY_HUB_ACTIONS)[number]["value"];

/** The questions of stay_conversation_answers.question, with the answers key each comes from. */
export const STAY_ANSWER_QUESTIONS = ["leavingReasons", "wouldHelpStay", "howSoon", "hubAction"] as const;
export type StayAnswerQuestion = (typeof STAY_ANSWER_QUESTIONS)[number];

/** The slug of the stay-conversation offer (its form kind is `thinking_of_leaving`). */
export const STAY_OFFER_SLUG = "thinking-of-leaving";

export function retentionOutcomeLabel(value: string): string {
  return RETENTION_OUTCOMES.find((o) => o.value === value)?.label ?? value;
}

export function isRetentionOutcome(value: unknown): value is RetentionOutcome {
  return typeof value === "string" && RETENTION_OUTCOMES.some((o) => o.value === value);
}

/** Value → label, for the form's option lists and the answers summary. */
export function labelsOf<T extends string>(list: readonly { value: T; label: string }[]): Record<T, string> {
  return Object.fromEntries(list.map((o) => [o.value, o.label])) as Record<T, string>;
}

/** The values of an option list as a non-empty tuple (for z.enum). */
export function valuesOf<T extends string>(list: readonly { value: T }[]): [T, ...T[]] {
  return list.map((o) => o.value) as [T, ...T[]];
}

/**
 * The stay_conversation_answers rows of a stay conversation's answers (as stored in
 * support_requests.answers): one per chosen value of each coded question. Free text never.
 */
export function stayAnswerRows(
  requestId: number,
  answers: Record<string, unknown>,
): { requestId: number; question: StayAnswerQuestion; answer: string }[] {
  return STAY_ANSWER_QUESTIONS.flatMap((question) => {
    const value = answers[question];
    const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    return [...new Set(values.filter((v): v is string => typeof v === "string" && v !== ""))].map((answer) => ({
      requestId,
      question,
      answer,
    }));
  });
}

// ---------------------------------------------------------------------------------------------
// The ESR leavers extract (/admin/leavers, ADR 035): what the upload page tells administrators,
// shared with the server's reader (app/.server/esr-extract.server.ts).

/** The columns an ESR leavers extract must have (header row, any order). */
export const ESR_COLUMNS = [
  "organisation_code",
  "staff_group",
  "assignment_start_date",
  "termination_date",
  "leaving_reason",
  "age_band",
  "assignment_number",
] as const;
export type EsrColumn = (typeof ESR_COLUMNS)[number];

/** 20 MB: about 150,000 rows of a typical extract. */
export const ESR_MAX_FILE_BYTES = 20 * 1024 * 1024;
