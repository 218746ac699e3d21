// The reservist bank's forms (issue 14 part 2): joining (or changing) a profile at /reservists,
// posting a need at /hub/reservists/needs, and a skill at /admin/reservist-skills. One schema each,
// in the browser and in the action.
import { z } from "zod";
import {
  MAX_HOURS_PER_WEEK,
  MAX_PLACES_PER_NEED,
  normaliseRegistrationNumber,
  RESERVIST_NEED_REASONS,
  RESERVIST_REGISTRATION_BODIES,
  registrationNumberFits,
  WEEK_DAYS,
} from "~/lib/reservists";
import { STAFF_GROUP_VALUES } from "~/lib/staff-groups";
import { isoDate, optionalText, requiredText } from "./request-forms";

const values = <T extends readonly { value: string }[]>(list: T) =>
  list.map((o) => o.value) as unknown as [T[number]["value"], ...T[number]["value"][]];

/** A checkbox group: false / one string / an array all become an array. */
function choices<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v === false || v == null ? [] : typeof v === "string" ? [v] : v), schema);
}

/** A chosen id; `message` names what to choose (a generic "Select from the list" helps nobody). */
const id = (message: string) => z.coerce.number({ error: message }).int().positive({ error: message });

function wholeNumber(missing: string, name: string, max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v),
    z
      .string({ error: missing })
      .regex(/^\d+$/, { error: `${name} must be a whole number, like 15` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, { error: `${name} must be at least 1` })
          .max(max, { error: `${name} must be ${max} or fewer` }),
      ),
  );
}

export const reservistProfileSchema = z
  .object({
    registrationBody: z.enum(values(RESERVIST_REGISTRATION_BODIES), {
      error: "Select your professional registration, or that you are not registered",
    }),
    registrationNumber: optionalText(20, "Registration number must be 20 characters or fewer"),
    staffGroup: z.enum(STAFF_GROUP_VALUES, { error: "Select your staff group" }),
    skills: choices(
      z
        .array(id("Select roles or skills from the list"), { error: "Select at least one role or skill" })
        .min(1, { error: "Select at least one role or skill" }),
    ),
    organisations: choices(
      z
        .array(id("Select organisations from the list"), {
          error: "Select at least one organisation you would work in",
        })
        .min(1, { error: "Select at least one organisation you would work in" }),
    ),
    hoursPerWeek: wholeNumber("Enter how many hours a week you could work", "Hours a week", MAX_HOURS_PER_WEEK),
    days: choices(
      z
        .array(z.enum(values(WEEK_DAYS), { error: "Select days from the list" }), {
          error: "Select the days you could work",
        })
        .min(1, { error: "Select the days you could work" }),
    ),
    availableFrom: isoDate({ missing: "Enter the date you are available from", name: "Available from" }),
    availableUntil: z.preprocess(
      (v) => (typeof v === "string" && v.replace(/-/g, "").trim() === "" ? undefined : v),
      isoDate({ missing: "Enter the date you are available until", name: "Available until" }).optional(),
    ),
    dbsCurrent: z.enum(["yes", "no"], { error: "Select whether you hold a current DBS check" }),
  })
  // Runs even when other fields failed (`when`), so every error is shown at once: the values may
  // be unparsed, hence the type checks.
  .check(
    z.superRefine(
      (input, ctx) => {
        const v = input as Partial<Record<string, unknown>>;
        const body = RESERVIST_REGISTRATION_BODIES.find((b) => b.value === v.registrationBody);
        const number = normaliseRegistrationNumber(
          typeof v.registrationNumber === "string" ? v.registrationNumber : "",
        );
        if (body && body.value !== "none") {
          if (!number) {
            ctx.addIssue({ code: "custom", path: ["registrationNumber"], message: `Enter your ${body.label} number` });
          } else if (!registrationNumberFits(body.value, number)) {
            ctx.addIssue({
              code: "custom",
              path: ["registrationNumber"],
              message:
                "formatError" in body
                  ? body.formatError
                  : `Enter a ${body.label} number in the correct format, like ${body.example}`,
            });
          }
        }
        const from = v.availableFrom;
        const until = v.availableUntil;
        if (
          typeof from === "string" &&
          typeof until === "string" &&
          /^\d{4}-\d{2}-\d{2}$/.test(from + until.slice(0, 0)) &&
          until < from
        ) {
          ctx.addIssue({
            code: "custom",
            path: ["availableUntil"],
            message: "Available until must be the same as or after available from",
          });
        }
      },
      { when: () => true },
    ),
  )
  .transform((v) => ({
    ...v,
    registrationNumber: v.registrationBody === "none" ? null : normaliseRegistrationNumber(v.registrationNumber ?? ""),
    availableUntil: v.availableUntil ?? null,
    dbsCurrent: v.dbsCurrent === "yes",
  }));

export type ReservistProfileInput = z.output<typeof reservistProfileSchema>;

export const reservistNeedSchema = z
  .object({
    organisationId: id("Select the organisation that needs people"),
    place: requiredText("Enter the place, like a ward, clinic or site", 200, "Place must be 200 characters or fewer"),
    staffGroup: z.enum(STAFF_GROUP_VALUES, { error: "Select the staff group" }),
    registrationBody: z.preprocess(
      (v) => (v === "" || v === "none" ? undefined : v),
      z
        .enum(values(RESERVIST_REGISTRATION_BODIES).filter((b) => b !== "none") as [string, ...string[]], {
          error: "Select the registration needed, or None needed",
        })
        .optional(),
    ),
    skills: choices(
      z
        .array(id("Select roles or skills from the list"), { error: "Select at least one role or skill" })
        .min(1, { error: "Select at least one role or skill" }),
    ),
    startDate: isoDate({ missing: "Enter the first date", name: "First date" }),
    endDate: isoDate({ missing: "Enter the last date", name: "Last date" }),
    hoursPerWeek: wholeNumber("Enter the hours a week", "Hours a week", MAX_HOURS_PER_WEEK),
    placesWanted: wholeNumber("Enter how many people are needed", "People needed", MAX_PLACES_PER_NEED),
    reason: z.enum(values(RESERVIST_NEED_REASONS), { error: "Select why the need has arisen" }),
    // Optional: none ticked means any day.
    days: choices(z.array(z.enum(values(WEEK_DAYS), { error: "Select days from the list" }))),
  })
  .superRefine((v, ctx) => {
    if (v.endDate < v.startDate) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "Last date must be the same as or after first date" });
    }
  })
  .transform((v) => ({ ...v, registrationBody: v.registrationBody ?? null, days: [...new Set(v.days)] }));

export type ReservistNeedInput = z.output<typeof reservistNeedSchema>;

export const reservistSkillSchema = z.object({
  label: requiredText("Enter the role or skill", 100, "Role or skill must be 100 characters or fewer"),
});
