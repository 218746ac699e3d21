// The request forms: one answers schema per offer form kind, the common contact part, and the
// human labels of every question and option (used by the form, the request pages and the hub).
//
// Contract (the seed data is generated to these shapes; do not rename):
//   financial         { topics: FinancialTopic[≥1], urgentSituations: UrgentSituation[], details? }
//   psychological     { whatIsHappening, effectOnWork: off_sick|struggling|coping, safety: safe|unsure|at_risk }
//   physiotherapy     { bodyArea, duration, effectOnWork: off_sick|working_with_difficulty|coping, details? }
//   flexible_working  { currentPattern, requestedPattern, requestedStartDate: YYYY-MM-DD (not past), effectOnTeam, earlierRequests }
//   retire_return     { pensionSection, intendedDate: YYYY-MM-DD, interests[≥1], hoursPerWeek?: 1–48, details? }
//   general           { details }
//   thinking_of_leaving { leavingReasons[≥1], wouldHelpStay[≥1], howSoon, hubAction, details? } (app/lib/leaving.ts lists)
// Every schema accepts its own output again (parse(parse(x)) succeeds), so the model can re-validate.
import { z } from "zod";
import type { FormKind } from "@db/schema";
import { labelsOf, STAY_HELPS, STAY_HOW_SOON, STAY_HUB_ACTIONS, STAY_LEAVING_REASONS, valuesOf } from "~/lib/leaving";
import { multiline } from "~/schemas/text";
import { checkInAnswerRows } from "~/lib/check-ins";

// ---------------------------------------------------------------------------------------------
// limits

export const LIMITS = {
  description: 2000,
  pattern: 1000,
  contactTimes: 200,
  phone: 30,
  reply: 2000,
  withdrawReason: 500,
} as const;

// ---------------------------------------------------------------------------------------------
// building blocks

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** Required free text: trimmed, not blank, at most `max` characters. */
export function requiredText(missing: string, max: number, tooLong: string) {
  return z.string({ error: missing }).trim().min(1, { error: missing }).max(max, { error: tooLong });
}

/** Optional free text: blank becomes undefined; trimmed; at most `max` characters. */
export function optionalText(max: number, tooLong: string) {
  return z.preprocess(blankToUndefined, z.string().trim().max(max, { error: tooLong }).optional());
}

/** requiredText for a textarea: tab and line breaks allowed (app/schemas/text.ts). */
export function requiredLongText(missing: string, max: number, tooLong: string) {
  return multiline(requiredText(missing, max, tooLong));
}

/** optionalText for a textarea: tab and line breaks allowed (app/schemas/text.ts). */
export function optionalLongText(max: number, tooLong: string) {
  return multiline(optionalText(max, tooLong));
}

/** A single checkbox: true for true/"on"/"true"/"1"/"yes", false otherwise. */
export const checkboxBoolean = z.preprocess(
  (value) => value === true || (typeof value === "string" && ["on", "true", "1", "yes"].includes(value.toLowerCase())),
  z.boolean(),
);

/** Today's date in England as YYYY-MM-DD. */
export function todayInEngland(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/London",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

const ISO_LOOSE = /^(\d*)-(\d*)-(\d*)$/;

/**
 * A date from the three-box date input, as "YYYY-MM-DD". `name` starts the messages:
 * "<name> must include a month", "<name> must be a real date", "<name> must be today or in the future".
 */
export function isoDate(options: {
  missing: string;
  name: string;
  notInPast?: boolean;
  minYear?: number;
  maxYear?: number;
}) {
  const { missing, name, notInPast, minYear = 1900, maxYear = 2100 } = options;
  return z
    .string({ error: missing })
    .trim()
    .superRefine((value, ctx) => {
      const fail = (message: string) => ctx.addIssue({ code: "custom", message, input: value });
      if (value === "") return fail(missing);
      const m = ISO_LOOSE.exec(value);
      if (!m) return fail(`${name} must be a real date`);
      const [, y, mo, d] = m;
      const missingParts = [!d && "day", !mo && "month", !y && "year"].filter(Boolean) as string[];
      if (missingParts.length === 1) return fail(`${name} must include a ${missingParts[0]}`);
      if (missingParts.length === 2) return fail(`${name} must include a ${missingParts[0]} and ${missingParts[1]}`);
      if (y.length !== 4) return fail("Year must include 4 numbers");
      const year = Number(y);
      const month = Number(mo);
      const day = Number(d);
      const date = new Date(Date.UTC(year, month - 1, day));
      if (
        mo.length > 2 ||
        d.length > 2 ||
        date.getUTCFullYear() !== year ||
        date.getUTCMonth() !== month - 1 ||
        date.getUTCDate() !== day
      ) {
        return fail(`${name} must be a real date`);
      }
      if (year < minYear || year > maxYear) return fail(`${name} must be between ${minYear} and ${maxYear}`);
      const iso = `${y}-${mo.padStart(2, "0")}-${d.padStart(2, "0")}`;
      if (notInPast && iso < todayInEngland()) return fail(`${name} must be today or in the future`);
    })
    .transform((value) => {
      const m = ISO_LOOSE.exec(value);
      return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : value;
    });
}

/** UK phone numbers: 0…, +44… or 0044…, 10 or 11 digits, spaces, brackets and hyphens allowed. */
export function isUkPhone(value: string) {
  const compact = value.replace(/[\s()-]/g, "");
  return /^(?:0|\+44|0044)[1-9]\d{8,9}$/.test(compact);
}

// ---------------------------------------------------------------------------------------------
// option values and their labels

export const FINANCIAL_TOPICS = ["debt", "benefits", "housing", "budgeting", "cost_of_living", "other"] as const;
export const URGENT_SITUATIONS = ["bailiffs", "eviction", "disconnection", "court"] as const;
export const PSYCH_EFFECT_ON_WORK = ["off_sick", "struggling", "coping"] as const;
export const SAFETY = ["safe", "unsure", "at_risk"] as const;
export const BODY_AREAS = ["neck", "back", "shoulder", "arm_hand", "hip", "knee", "ankle_foot", "other"] as const;
export const DURATIONS = ["under_2_weeks", "2_to_6_weeks", "6_to_12_weeks", "over_12_weeks"] as const;
export const PHYSIO_EFFECT_ON_WORK = ["off_sick", "working_with_difficulty", "coping"] as const;
export const EARLIER_REQUESTS = ["none", "one", "two_or_more"] as const;
export const PENSION_SECTIONS = ["1995", "2008", "2015", "not_sure"] as const;
export const RETIRE_INTERESTS = ["partial_retirement", "retire_and_return", "reservist_bank"] as const;
export const CONTACT_METHODS = ["email", "phone", "teams"] as const;

export type FinancialTopic = (typeof FINANCIAL_TOPICS)[number];
export type UrgentSituation = (typeof URGENT_SITUATIONS)[number];
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** The value of the exclusive "None of these" box of urgentSituations (never stored). */
export const NONE = "none";

export const financialTopicLabels: Record<FinancialTopic, string> = {
  debt: "Debt",
  benefits: "Benefits",
  housing: "Housing costs",
  budgeting: "Budgeting",
  cost_of_living: "Cost of living",
  other: "Something else",
};

export const urgentSituationLabels: Record<UrgentSituation, string> = {
  bailiffs: "Bailiffs or enforcement agents",
  eviction: "Eviction or repossession",
  disconnection: "Gas, electricity or water being cut off",
  court: "A court date or court papers",
};

export const psychEffectOnWorkLabels: Record<(typeof PSYCH_EFFECT_ON_WORK)[number], string> = {
  off_sick: "I am off sick",
  struggling: "I am at work but struggling",
  coping: "I am at work and coping",
};

export const safetyLabels: Record<(typeof SAFETY)[number], string> = {
  safe: "Yes, I feel safe",
  unsure: "I am not sure",
  at_risk: "No, I am at risk of harming myself or I do not feel safe",
};

export const bodyAreaLabels: Record<(typeof BODY_AREAS)[number], string> = {
  neck: "Neck",
  back: "Back",
  shoulder: "Shoulder",
  arm_hand: "Arm, elbow, wrist or hand",
  hip: "Hip",
  knee: "Knee",
  ankle_foot: "Ankle or foot",
  other: "Somewhere else",
};

export const durationLabels: Record<(typeof DURATIONS)[number], string> = {
  under_2_weeks: "Less than 2 weeks",
  "2_to_6_weeks": "2 to 6 weeks",
  "6_to_12_weeks": "6 to 12 weeks",
  over_12_weeks: "More than 12 weeks",
};

export const physioEffectOnWorkLabels: Record<(typeof PHYSIO_EFFECT_ON_WORK)[number], string> = {
  off_sick: "I am off sick",
  working_with_difficulty: "I am working, with difficulty",
  coping: "I am working and coping",
};

export const earlierRequestsLabels: Record<(typeof EARLIER_REQUESTS)[number], string> = {
  none: "None",
  one: "One",
  two_or_more: "Two or more",
};

export const pensionSectionLabels: Record<(typeof PENSION_SECTIONS)[number], string> = {
  "1995": "1995 section",
  "2008": "2008 section",
  "2015": "2015 scheme",
  not_sure: "I am not sure",
};

export const retireInterestLabels: Record<(typeof RETIRE_INTERESTS)[number], string> = {
  partial_retirement: "Partial retirement (take some of my pension and keep working)",
  retire_and_return: "Retiring and returning to work",
  reservist_bank: "Joining the reservist bank",
};

export const STAY_LEAVING_REASON_VALUES = valuesOf(STAY_LEAVING_REASONS);
export const STAY_HELP_VALUES = valuesOf(STAY_HELPS);
export const STAY_HOW_SOON_VALUES = valuesOf(STAY_HOW_SOON);
export const STAY_HUB_ACTION_VALUES = valuesOf(STAY_HUB_ACTIONS);
export const stayLeavingReasonLabels = labelsOf(STAY_LEAVING_REASONS);
export const stayHelpLabels = labelsOf(STAY_HELPS);
export const stayHowSoonLabels = labelsOf(STAY_HOW_SOON);
export const stayHubActionLabels = labelsOf(STAY_HUB_ACTIONS);

export const contactMethodLabels: Record<ContactMethod, string> = {
  email: "Email",
  phone: "Phone",
  teams: "Microsoft Teams",
};

// ---------------------------------------------------------------------------------------------
// answers, one shape per form kind

const detailsTooLong = (what: string) => `${what} must be ${LIMITS.description} characters or fewer`;

export const financialShape = {
  topics: z
    .array(z.enum(FINANCIAL_TOPICS, { error: "Select what you would like advice about" }), {
      error: "Select what you would like advice about",
    })
    .min(1, { error: "Select what you would like advice about" }),
  urgentSituations: z
    .array(z.enum([...URGENT_SITUATIONS, NONE], { error: "Select any of these that are happening to you now" }), {
      error: "Select any of these that are happening to you now",
    })
    .refine((list) => !(list.includes(NONE) && list.length > 1), {
      error: "Select the situations that are happening, or select 'None of these', not both",
    })
    .transform((list) => list.filter((v): v is UrgentSituation => v !== NONE)),
  details: optionalLongText(LIMITS.description, detailsTooLong("Anything else you want to tell us")),
};

export const psychologicalShape = {
  whatIsHappening: requiredLongText(
    "Enter what is happening for you",
    LIMITS.description,
    detailsTooLong("What is happening for you"),
  ),
  effectOnWork: z.enum(PSYCH_EFFECT_ON_WORK, { error: "Select how this is affecting your work" }),
  safety: z.enum(SAFETY, { error: "Select whether you feel safe at the moment" }),
};

export const physiotherapyShape = {
  bodyArea: z.enum(BODY_AREAS, { error: "Select where the problem is" }),
  duration: z.enum(DURATIONS, { error: "Select how long you have had the problem" }),
  effectOnWork: z.enum(PHYSIO_EFFECT_ON_WORK, { error: "Select how the problem is affecting your work" }),
  details: optionalLongText(LIMITS.description, detailsTooLong("Anything else you want to tell us")),
};

export const flexibleWorkingShape = {
  currentPattern: requiredLongText(
    "Enter your current working pattern",
    LIMITS.pattern,
    `Your current working pattern must be ${LIMITS.pattern} characters or fewer`,
  ),
  requestedPattern: requiredLongText(
    "Enter the working pattern you would like",
    LIMITS.pattern,
    `The working pattern you would like must be ${LIMITS.pattern} characters or fewer`,
  ),
  requestedStartDate: isoDate({
    missing: "Enter the date you would like the new pattern to start",
    name: "The start date",
    notInPast: true,
  }),
  effectOnTeam: requiredLongText(
    "Enter how the change might affect your team and how it could be managed",
    LIMITS.description,
    detailsTooLong("How the change might affect your team"),
  ),
  earlierRequests: z.enum(EARLIER_REQUESTS, {
    error: "Select how many flexible working requests you have made in the last 12 months",
  }),
};

export const retireReturnShape = {
  pensionSection: z.enum(PENSION_SECTIONS, { error: "Select which NHS Pension Scheme section you are in" }),
  intendedDate: isoDate({
    missing: "Enter the date you intend to retire or make the change",
    name: "The date you intend to retire",
    minYear: 2000,
  }),
  interests: z
    .array(z.enum(RETIRE_INTERESTS, { error: "Select what you are interested in" }), {
      error: "Select what you are interested in",
    })
    .min(1, { error: "Select what you are interested in" }),
  hoursPerWeek: z.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      if (typeof v === "string" && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
      return v;
    },
    z
      .number({ error: "Enter the hours a week you would like to work as a number, like 22" })
      .int({ error: "Hours a week must be a whole number" })
      .min(1, { error: "Hours a week must be between 1 and 48" })
      .max(48, { error: "Hours a week must be between 1 and 48" })
      .optional(),
  ),
  details: optionalLongText(LIMITS.description, detailsTooLong("Anything else you want to tell us")),
};

export const generalShape = {
  details: requiredLongText(
    "Enter what you would like help with",
    LIMITS.description,
    detailsTooLong("What you would like help with"),
  ),
};

export const thinkingOfLeavingShape = {
  leavingReasons: z
    .array(z.enum(STAY_LEAVING_REASON_VALUES, { error: "Select what is making you think about leaving" }), {
      error: "Select what is making you think about leaving",
    })
    .min(1, { error: "Select what is making you think about leaving" }),
  wouldHelpStay: z
    .array(z.enum(STAY_HELP_VALUES, { error: "Select what might help you stay" }), {
      error: "Select what might help you stay",
    })
    .min(1, { error: "Select what might help you stay" }),
  howSoon: z.enum(STAY_HOW_SOON_VALUES, { error: "Select how soon you might leave" }),
  hubAction: z.enum(STAY_HUB_ACTION_VALUES, { error: "Select what you would like the people hub to do" }),
  details: optionalLongText(LIMITS.description, detailsTooLong("Anything else you want to tell us")),
};

export const answerShapes = {
  financial: financialShape,
  psychological: psychologicalShape,
  physiotherapy: physiotherapyShape,
  flexible_working: flexibleWorkingShape,
  retire_return: retireReturnShape,
  general: generalShape,
  thinking_of_leaving: thinkingOfLeavingShape,
} satisfies Record<FormKind, z.ZodRawShape>;

export const answerSchemas = {
  financial: z.object(financialShape),
  psychological: z.object(psychologicalShape),
  physiotherapy: z.object(physiotherapyShape),
  flexible_working: z.object(flexibleWorkingShape),
  retire_return: z.object(retireReturnShape),
  general: z.object(generalShape),
  thinking_of_leaving: z.object(thinkingOfLeavingShape),
};

export type AnswersFor<K extends FormKind> = z.output<(typeof answerSchemas)[K]>;
export type FinancialAnswers = AnswersFor<"financial">;
export type PsychologicalAnswers = AnswersFor<"psychological">;
export type PhysiotherapyAnswers = AnswersFor<"physiotherapy">;
export type FlexibleWorkingAnswers = AnswersFor<"flexible_working">;
export type RetireReturnAnswers = AnswersFor<"retire_return">;
export type GeneralAnswers = AnswersFor<"general">;
export type ThinkingOfLeavingAnswers = AnswersFor<"thinking_of_leaving">;

export function answersSchemaFor<K extends FormKind>(formKind: K): (typeof answerSchemas)[K] {
  const schema = answerSchemas[formKind];
  if (!schema) throw new Error(`Unknown form kind: ${String(formKind)}`);
  return schema;
}

// ---------------------------------------------------------------------------------------------
// the common part: how to contact, consent, the submission key

export const commonShape = {
  contactMethod: z.enum(CONTACT_METHODS, { error: "Select how you would like us to contact you" }),
  contactPhone: optionalText(LIMITS.phone, "Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
  contactTimes: optionalText(
    LIMITS.contactTimes,
    `The best times to contact you must be ${LIMITS.contactTimes} characters or fewer`,
  ),
  consentToShareWithManager: checkboxBoolean,
  submissionKey: z.uuid({ error: "This form has expired. Reload the page and try again" }),
};

type Common = { contactMethod: ContactMethod; contactPhone?: string | undefined };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function checkPhone(value: Common, ctx: z.RefinementCtx<any>) {
  if (!value || typeof value !== "object" || value.contactMethod !== "phone") return;
  if (!value.contactPhone) {
    ctx.addIssue({
      code: "custom",
      path: ["contactPhone"],
      message: "Enter a phone number",
      input: value.contactPhone,
    });
  } else if (!isUkPhone(value.contactPhone)) {
    ctx.addIssue({
      code: "custom",
      path: ["contactPhone"],
      message: "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
      input: value.contactPhone,
    });
  }
}

/**
 * Run the phone check even when other fields have problems (zod skips object refinements after
 * a field fails), so a person sees every problem at once; skip it only when the contact method
 * or phone itself already failed.
 */
const phoneCheckParams = {
  when: (payload: { issues: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey> }> }) =>
    !payload.issues.some((issue) => issue.path?.[0] === "contactMethod" || issue.path?.[0] === "contactPhone"),
};

export const commonSchema = z.object(commonShape).superRefine((value, ctx) => checkPhone(value, ctx), phoneCheckParams);
export type CommonRequestFields = z.output<typeof commonSchema>;

function buildRequestFormSchema<K extends FormKind>(formKind: K) {
  return z
    .object({ ...answerShapes[formKind], ...commonShape })
    .superRefine((value, ctx) => checkPhone(value as unknown as Common, ctx), phoneCheckParams);
}

const requestFormSchemas = {
  financial: buildRequestFormSchema("financial"),
  psychological: buildRequestFormSchema("psychological"),
  physiotherapy: buildRequestFormSchema("physiotherapy"),
  flexible_working: buildRequestFormSchema("flexible_working"),
  retire_return: buildRequestFormSchema("retire_return"),
  general: buildRequestFormSchema("general"),
  thinking_of_leaving: buildRequestFormSchema("thinking_of_leaving"),
};

/** The whole request form of an offer: its answers plus the common part, flat (one level of names). */
export function requestFormSchemaFor<K extends FormKind>(formKind: K): (typeof requestFormSchemas)[K] {
  const schema = requestFormSchemas[formKind];
  if (!schema) throw new Error(`Unknown form kind: ${String(formKind)}`);
  return schema;
}

export type RequestFormInput<K extends FormKind = FormKind> = z.input<(typeof requestFormSchemas)[K]>;
export type RequestFormData<K extends FormKind = FormKind> = z.output<(typeof requestFormSchemas)[K]>;

/** Urgent: a financial request with any urgent situation, or a psychological one marked at risk. */
export function isUrgent(formKind: FormKind, answers: Record<string, unknown>): boolean {
  if (formKind === "financial") return Array.isArray(answers.urgentSituations) && answers.urgentSituations.length > 0;
  if (formKind === "psychological") return answers.safety === "at_risk";
  // A stay conversation from someone who may leave within a month: "urgent" (the offer's urgent
  // first-contact target, hours not days, so it sorts ahead of the rest in the hub queue; the
  // "Urgent" tag): after that the conversation comes too late (ADR 034).
  if (formKind === "thinking_of_leaving") return answers.howSoon === "within_month";
  return false;
}

// Triage priority (REQUEST_PRIORITIES, priorityOf, priorityTags): app/lib/request-priority.ts, no
// zod, so the hub's queue table can show the tags without the schema library.
export * from "~/lib/request-priority";

// ---------------------------------------------------------------------------------------------
// replies and withdrawal (the request page)

export const replySchema = z.object({
  message: requiredLongText(
    "Enter your message",
    LIMITS.reply,
    `Your message must be ${LIMITS.reply} characters or fewer`,
  ),
});

export const withdrawSchema = z.object({
  reason: optionalLongText(LIMITS.withdrawReason, `Your reason must be ${LIMITS.withdrawReason} characters or fewer`),
});

// ---------------------------------------------------------------------------------------------
// consent to involve the line manager, changed later (the request page)

/**
 * Whether the request form of this kind asks for consent to involve the line manager. Every form
 * does today (the question is in the common part); a form without it has nothing to withdraw.
 */
export function asksManagerConsent(formKind: FormKind): boolean {
  const schema = requestFormSchemas[formKind];
  return !!schema && Object.hasOwn(schema.shape, "consentToShareWithManager");
}

export const MANAGER_CONSENT_CHANGES = ["withdraw", "give"] as const;
export type ManagerConsentChange = (typeof MANAGER_CONSENT_CHANGES)[number];

export function isManagerConsentChange(value: unknown): value is ManagerConsentChange {
  return typeof value === "string" && (MANAGER_CONSENT_CHANGES as readonly string[]).includes(value);
}

/** The confirmation form: what to change, and the version of the request the person saw. */
export const managerConsentSchema = z.object({
  change: z.enum(MANAGER_CONSENT_CHANGES, { error: "Choose whether to withdraw or give your consent" }),
  version: z.coerce
    .number({ error: "This page is out of date. Reload it and try again." })
    .int({ error: "This page is out of date. Reload it and try again." })
    .min(1, { error: "This page is out of date. Reload it and try again." }),
});

// ---------------------------------------------------------------------------------------------
// questions, for forms and summaries

export interface QuestionLabel {
  key: string;
  question: string;
  /** Short form for summary lists. */
  short: string;
  options?: Record<string, string>;
  kind?: "text" | "date" | "number" | "list" | "choice";
}

export const answerQuestions: Record<FormKind, QuestionLabel[]> = {
  financial: [
    {
      key: "topics",
      question: "What would you like advice about?",
      short: "Advice about",
      options: financialTopicLabels,
      kind: "list",
    },
    {
      key: "urgentSituations",
      question: "Are any of these happening to you now?",
      short: "Happening now",
      options: urgentSituationLabels,
      kind: "list",
    },
    { key: "details", question: "Anything else you want to tell us (optional)", short: "More details", kind: "text" },
  ],
  psychological: [
    { key: "whatIsHappening", question: "What is happening for you?", short: "What is happening", kind: "text" },
    {
      key: "effectOnWork",
      question: "How is this affecting your work?",
      short: "Effect on work",
      options: psychEffectOnWorkLabels,
      kind: "choice",
    },
    {
      key: "safety",
      question: "Do you feel safe at the moment?",
      short: "Feeling safe",
      options: safetyLabels,
      kind: "choice",
    },
  ],
  physiotherapy: [
    { key: "bodyArea", question: "Where is the problem?", short: "Where", options: bodyAreaLabels, kind: "choice" },
    {
      key: "duration",
      question: "How long have you had it?",
      short: "How long",
      options: durationLabels,
      kind: "choice",
    },
    {
      key: "effectOnWork",
      question: "How is it affecting your work?",
      short: "Effect on work",
      options: physioEffectOnWorkLabels,
      kind: "choice",
    },
    { key: "details", question: "Anything else you want to tell us (optional)", short: "More details", kind: "text" },
  ],
  flexible_working: [
    {
      key: "currentPattern",
      question: "What is your current working pattern?",
      short: "Current pattern",
      kind: "text",
    },
    {
      key: "requestedPattern",
      question: "What working pattern would you like?",
      short: "Pattern wanted",
      kind: "text",
    },
    { key: "requestedStartDate", question: "When would you like it to start?", short: "Start date", kind: "date" },
    {
      key: "effectOnTeam",
      question: "How might the change affect your team, and how could that be managed?",
      short: "Effect on the team",
      kind: "text",
    },
    {
      key: "earlierRequests",
      question: "How many flexible working requests have you made in the last 12 months?",
      short: "Earlier requests (12 months)",
      options: earlierRequestsLabels,
      kind: "choice",
    },
  ],
  retire_return: [
    {
      key: "pensionSection",
      question: "Which NHS Pension Scheme section are you in?",
      short: "Pension section",
      options: pensionSectionLabels,
      kind: "choice",
    },
    {
      key: "intendedDate",
      question: "When do you intend to retire or make the change?",
      short: "Intended date",
      kind: "date",
    },
    {
      key: "interests",
      question: "What are you interested in?",
      short: "Interested in",
      options: retireInterestLabels,
      kind: "list",
    },
    {
      key: "hoursPerWeek",
      question: "How many hours a week would you like to work? (optional)",
      short: "Hours a week",
      kind: "number",
    },
    { key: "details", question: "Anything else you want to tell us (optional)", short: "More details", kind: "text" },
  ],
  general: [{ key: "details", question: "What would you like help with?", short: "Help wanted", kind: "text" }],
  thinking_of_leaving: [
    {
      key: "leavingReasons",
      question: "What is making you think about leaving?",
      short: "Thinking of leaving because of",
      options: stayLeavingReasonLabels,
      kind: "list",
    },
    {
      key: "wouldHelpStay",
      question: "What might help you stay?",
      short: "Might help them stay",
      options: stayHelpLabels,
      kind: "list",
    },
    {
      key: "howSoon",
      question: "How soon might you leave?",
      short: "How soon",
      options: stayHowSoonLabels,
      kind: "choice",
    },
    {
      key: "hubAction",
      question: "What would you like the people hub to do?",
      short: "Would like",
      options: stayHubActionLabels,
      kind: "choice",
    },
    { key: "details", question: "Anything else you want to tell us (optional)", short: "More details", kind: "text" },
  ],
};

/** "2026-03-05" → "5 March 2026". */
export function formatIsoDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    date,
  );
}

export interface AnswerRow {
  key: string;
  question: string;
  short: string;
  /** One string, or several (a list). Plain text: render as React text. */
  answer: string | string[];
}

/** The answers of a request as labelled rows (unknown values are shown as stored). */
/** What stands for an erased answer, by why it was erased (ADR 030 and 031). */
export const REMOVED_ANSWER = {
  account_deleted: "Removed (account deleted)",
  retention: "Removed under the retention schedule",
} as const;

export function describeAnswers(
  formKind: FormKind,
  answers: Record<string, unknown>,
  removed: keyof typeof REMOVED_ANSWER | null = null,
): AnswerRow[] {
  // A request made from a first-year check-in (ADR 039) never asked the offer's own form questions:
  // list only those it carries (the comments as details), not the rest as "Not given".
  const fromCheckIn = !removed && !!answers.checkIn && typeof answers.checkIn === "object";
  const given = (v: unknown) => v !== undefined && v !== null && v !== "";
  const questions = (answerQuestions[formKind] ?? []).filter((q) => !fromCheckIn || given(answers[q.key]));
  const rows = questions.map((q): AnswerRow => {
    if (removed) return { key: q.key, question: q.question, short: q.short, answer: REMOVED_ANSWER[removed] };
    const value = answers[q.key];
    const label = (v: unknown) => (q.options && typeof v === "string" ? (q.options[v] ?? v) : String(v));
    let answer: string | string[];
    if (value === undefined || value === null || value === "") answer = "Not given";
    else if (Array.isArray(value)) answer = value.length ? value.map(label) : ["None"];
    else if (q.kind === "date" && typeof value === "string") answer = formatIsoDate(value);
    else if (q.kind === "number") answer = `${String(value)} hours`;
    else answer = label(value);
    return { key: q.key, question: q.question, short: q.short, answer };
  });
  // A request made from a first-year check-in carries its answers (ADR 039).
  return removed ? rows : [...rows, ...checkInAnswerRows(answers.checkIn)];
}
