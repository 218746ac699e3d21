// The leaving questionnaire (/leaving and /leaving/<token>): one schema for the form, used by
// react-hook-form in the browser and by the server action; and the administrator's list of leavers.
import { z } from "zod";
import {
  LEAVING_DESTINATIONS,
  LEAVING_KEPT_OPTIONS,
  LEAVING_RETURN_OPTIONS,
  QUESTIONNAIRE_REASONS,
} from "~/lib/leaving";
import { multiline } from "./text";
import { checkboxBoolean, isoDate, optionalLongText, optionalText } from "./request-forms";

export const LEAVING_DETAILS_MAX = 2000;
export const NAME_MAX = 200;

const values = <T extends readonly { value: string }[]>(list: T) =>
  list.map((o) => o.value) as unknown as [T[number]["value"], ...T[number]["value"][]];

const REASON_VALUES = values(QUESTIONNAIRE_REASONS);
const KEPT_VALUES = values(LEAVING_KEPT_OPTIONS);
const RETURN_VALUES = [...values(LEAVING_RETURN_OPTIONS), "no"] as const;

/**
 * A checkbox group: react-hook-form gives false when no box is ticked (and a string for one box),
 * the server an array; both become an array before the checks.
 */
function choices<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v === false || v == null ? [] : typeof v === "string" ? [v] : v), schema);
}

/** A support choice: an offer's id, or "none". */
const supportChoice = z.string().regex(/^(none|[1-9]\d{0,8})$/, { error: "Select from the list" });

const emailField = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z
    .string()
    .trim()
    .max(254, { message: "Email address must be 254 characters or fewer", abort: true })
    .email("Enter an email address in the correct format, like name@example.com")
    .optional(),
);

export const leavingSchema = z
  .object({
    leavingDate: isoDate({
      missing: "Enter your leaving date",
      name: "Your leaving date",
      minYear: 2000,
      maxYear: 2100,
    }),
    destination: z.enum(values(LEAVING_DESTINATIONS), { error: "Select where you are going" }),
    reasons: choices(
      z
        .array(z.enum(REASON_VALUES, { error: "Select why you are leaving" }), { error: "Select why you are leaving" })
        .min(1, { error: "Select at least one reason for leaving" }),
    ),
    mainReason: z.enum(REASON_VALUES, { error: "Select the main reason you are leaving" }),
    details: optionalLongText(
      LEAVING_DETAILS_MAX,
      `What you would like to tell us must be ${LEAVING_DETAILS_MAX} characters or fewer`,
    ),
    kept: choices(z.array(z.enum(KEPT_VALUES, { error: "Select from the list" }))),
    supportUsed: choices(
      z
        .array(supportChoice, { error: "Select the StayWell support you used, or None" })
        .min(1, { error: "Select the StayWell support you used, or None" }),
    ),
    supportKnown: choices(z.array(supportChoice)),
    returnWays: choices(
      z
        .array(z.enum(RETURN_VALUES, { error: "Select from the list" }), {
          error: "Select whether you would consider coming back",
        })
        .min(1, { error: "Select whether you would consider coming back" }),
    ),
    contactConsent: checkboxBoolean,
    contactName: optionalText(NAME_MAX, `Your name must be ${NAME_MAX} characters or fewer`),
    personalEmail: emailField,
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message, input: "" });
    if (v.reasons.length && !v.reasons.includes(v.mainReason)) {
      issue("mainReason", "The main reason must be one of the reasons you selected");
    }
    if (v.supportUsed.includes("none") && v.supportUsed.length > 1) {
      issue("supportUsed", "Select the support you used, or None, not both");
    }
    if (v.kept.includes("nothing") && v.kept.length > 1) {
      issue("kept", "Select what would have kept you, or Nothing, not both");
    }
    if (v.returnWays.includes("no") && v.returnWays.length > 1) {
      issue("returnWays", "Select how you would consider coming back, or No, not both");
    }
    if (v.contactConsent) {
      if (v.returnWays.includes("no")) {
        issue("contactConsent", "You said you would not consider coming back, so we will not contact you");
      }
      if (!v.personalEmail) issue("personalEmail", "Enter a personal email address");
    }
  });

export type LeavingInput = z.output<typeof leavingSchema>;

/** The administrator's list: one leaver a line, "work address, leaving date". */
export const LEAVER_ROWS_MAX = 500;

export const leavingLinksSchema = z.object({
  organisationId: z.preprocess(
    (v) => (typeof v === "string" && /^\d{1,9}$/.test(v) ? Number(v) : v),
    z.number({ error: "Select the organisation the leavers work for" }).int().positive(),
  ),
  leavers: multiline(
    z.string().max(200_000, "The list is too long: send at most 500 leavers at a time").optional().default(""),
  ),
});
