// Administration of support offers and their saved (canned) responses: one schema per form,
// shared by the browser (react-hook-form + zodResolver) and the actions / model functions.
//
// The hidden `version` and `intent` fields are not part of these schemas: routes read them
// (expectedVersion in app/.server/models/admin/common.server.ts).
import { z } from "zod";
import type { FormKind } from "@db/schema";
import { checkboxBoolean, requiredLongText, requiredText } from "~/schemas/request-forms";
import { multiline } from "~/schemas/text";

export const OFFER_LIMITS = {
  title: 120,
  slugMin: 3,
  slug: 60,
  category: 60,
  summary: 300,
  keywords: 500,
  body: 10_000,
  whoFor: 1_000,
  provider: 120,
  whatHappensNext: 1_000,
  targetMin: 1,
  targetMax: 30,
} as const;

/** Saved responses go into the hub's message box, whose limit is 2000 characters. */
export const CANNED_LIMITS = { title: 120, body: 2_000 } as const;

/** The database's form_kind enum (listed here so the browser bundle needs no drizzle). */
export const FORM_KINDS = [
  "general",
  "financial",
  "psychological",
  "physiotherapy",
  "flexible_working",
  "retire_return",
  "thinking_of_leaving",
] as const;
export type OfferFormKind = (typeof FORM_KINDS)[number];
// Both ways: a kind added to (or dropped from) the database enum fails the type check here.
const _sameKinds: [OfferFormKind, FormKind] extends [FormKind, OfferFormKind] ? true : never = true;
void _sameKinds;

export const formKindLabels: Record<OfferFormKind, string> = {
  general: "General: one question, what would you like help with",
  financial: "Money advice: topics, and whether any urgent situation applies",
  psychological: "Psychological wellbeing: what is happening, effect on work, safety check",
  physiotherapy: "Physiotherapy: where the problem is, how long, effect on work",
  flexible_working: "Flexible working: current and requested pattern, start date, effect on team",
  retire_return: "Retire and return: pension section, intended date, interests, hours",
  thinking_of_leaving:
    "Thinking about leaving: reasons, what might help you stay, how soon, what the hub should do (closing needs a retention outcome)",
};

/** Why an offer's request form is fixed once anyone has asked for it (the model enforces it). */
export const FORM_KIND_LOCKED =
  "The request form cannot be changed because people have already asked for this support: their answers follow this form. To use another form, add a new support offer and retire this one.";

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const slugSchema = z
  .string({ error: "Enter a web address name" })
  .trim()
  .min(1, { error: "Enter a web address name" })
  .min(OFFER_LIMITS.slugMin, { error: `The web address name must be ${OFFER_LIMITS.slugMin} characters or more` })
  .max(OFFER_LIMITS.slug, {
    error: `The web address name must be ${OFFER_LIMITS.slug} characters or fewer`,
    abort: true,
  })
  .regex(SLUG_PATTERN, {
    error: "The web address name must only include lower case letters, numbers and hyphens, like back-care",
  });

const targetDays = z.preprocess(
  (value) => (typeof value === "string" ? value.trim() : value),
  z
    .union([z.string(), z.number()], { error: "Enter the first contact target in working days" })
    .refine((v) => v !== "", { error: "Enter the first contact target in working days" })
    .refine((v) => /^\d{1,3}$/.test(String(v)), {
      error: "The first contact target must be a whole number of working days, like 5",
    })
    .transform((v) => Number(v))
    .refine((n) => n >= OFFER_LIMITS.targetMin && n <= OFFER_LIMITS.targetMax, {
      error: `The first contact target must be between ${OFFER_LIMITS.targetMin} and ${OFFER_LIMITS.targetMax} working days`,
    }),
);

/** An hour of the day for the urgent target; left out (older forms, scripts), the default. */
function urgentHour(min: number, max: number, fallback: number, what: string) {
  return z.preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    z
      .union([z.string(), z.number(), z.undefined(), z.null()])
      .transform((v) => (v === undefined || v === null || v === "" ? String(fallback) : String(v)))
      .refine((v) => /^\d{1,2}$/.test(v), { error: `${what} must be a whole hour, like ${fallback}` })
      .transform((v) => Number(v))
      .refine((n) => n >= min && n <= max, { error: `${what} must be an hour from ${min} to ${max}` }),
  );
}

const teamIdSchema = z.preprocess(
  (value) => (typeof value === "string" ? value.trim() : value),
  z
    .union([z.string(), z.number()], { error: "Choose the team that handles requests for this support" })
    .refine((v) => /^[1-9]\d{0,9}$/.test(String(v)), {
      error: "Choose the team that handles requests for this support",
    })
    .transform((v) => Number(v)),
);

/** The fields of an offer that can be edited (the slug is fixed when the offer is made). */
export const offerFieldsSchema = z.object({
  title: requiredText(
    "Enter the title",
    OFFER_LIMITS.title,
    `The title must be ${OFFER_LIMITS.title} characters or fewer`,
  ),
  category: requiredText(
    "Enter the category",
    OFFER_LIMITS.category,
    `The category must be ${OFFER_LIMITS.category} characters or fewer`,
  ),
  summary: requiredLongText(
    "Enter the summary",
    OFFER_LIMITS.summary,
    `The summary must be ${OFFER_LIMITS.summary} characters or fewer`,
  ),
  /** Search keywords (docs/decisions/013-…): may be blank; left out (undefined) keeps the offer's own. */
  keywords: multiline(
    z
      .string()
      .transform((v) => v.replace(/\s+/g, " ").trim())
      .pipe(
        z.string().max(OFFER_LIMITS.keywords, {
          error: `Search keywords must be ${OFFER_LIMITS.keywords} characters or fewer`,
        }),
      )
      .optional(),
  ),
  body: requiredLongText(
    "Enter the description",
    OFFER_LIMITS.body,
    `The description must be ${OFFER_LIMITS.body} characters or fewer`,
  ),
  whoFor: requiredLongText(
    "Enter who it is for",
    OFFER_LIMITS.whoFor,
    `Who it is for must be ${OFFER_LIMITS.whoFor} characters or fewer`,
  ),
  provider: requiredText(
    "Enter who provides it",
    OFFER_LIMITS.provider,
    `Who provides it must be ${OFFER_LIMITS.provider} characters or fewer`,
  ),
  whatHappensNext: requiredLongText(
    "Enter what happens next",
    OFFER_LIMITS.whatHappensNext,
    `What happens next must be ${OFFER_LIMITS.whatHappensNext} characters or fewer`,
  ),
  firstContactTargetDays: targetDays,
  // Urgent, safety-check and at-risk requests (app/lib/working-days.ts urgentDueAt, docs/decisions/012).
  urgentCutoffHour: urgentHour(1, 17, 15, "The urgent cut-off"),
  urgentNextDayHour: urgentHour(9, 17, 10, "The next-day hour"),
  sensitive: checkboxBoolean,
  formKind: z.enum(FORM_KINDS, { error: "Choose the request form" }),
  teamId: teamIdSchema,
});

export const offerCreateSchema = offerFieldsSchema.extend({ slug: slugSchema });

export type OfferFieldsInput = z.output<typeof offerFieldsSchema>;
export type OfferCreateInput = z.output<typeof offerCreateSchema>;

/** Field names in page order, for the error summary. */
export const OFFER_FIELD_ORDER = [
  "title",
  "slug",
  "category",
  "summary",
  "keywords",
  "body",
  "whoFor",
  "provider",
  "whatHappensNext",
  "firstContactTargetDays",
  "urgentCutoffHour",
  "urgentNextDayHour",
  "sensitive",
  "formKind",
  "teamId",
];

/** What was typed in the offer form, to show again after an error (its fields only, as strings). */
export function offerFormValues(formData: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of OFFER_FIELD_ORDER) {
    const value = formData.get(key);
    if (typeof value === "string") values[key] = value;
  }
  values.sensitive = formData.get("sensitive") !== null;
  return values;
}

export const cannedResponseSchema = z.object({
  title: requiredText(
    "Enter a name for the response",
    CANNED_LIMITS.title,
    `The name must be ${CANNED_LIMITS.title} characters or fewer`,
  ),
  body: requiredLongText(
    "Enter the message",
    CANNED_LIMITS.body,
    `The message must be ${CANNED_LIMITS.body} characters or fewer`,
  ),
});

export type CannedResponseInput = z.output<typeof cannedResponseSchema>;

/** Actions on the offers list (move up / down) and on one offer's page. */
export const MOVE_DIRECTIONS = ["up", "down"] as const;
export type MoveDirection = (typeof MOVE_DIRECTIONS)[number];

export function isMoveDirection(value: unknown): value is MoveDirection {
  return value === "up" || value === "down";
}
