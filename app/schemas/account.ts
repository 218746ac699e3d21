// The /account forms (docs/decisions/028-your-account.md): one schema each, used by
// react-hook-form in the browser and by the server action. Passwords follow the sign-up rules
// (newPasswordField; the common-password check runs on the server).
import { z } from "zod";
import { newPasswordField, PASSWORD_MAX, signupSchema } from "./accounts";
import { checkboxBoolean, CONTACT_METHODS, isUkPhone, LIMITS, optionalText } from "./request-forms";

/** Your details: what sign-up asked, less the address (a new address is a change of employer). */
export const detailsSchema = signupSchema.pick({ name: true, staffGroup: true, jobTitle: true, startDate: true });
export type DetailsInput = z.infer<typeof detailsSchema>;

const workEmail = z
  .string({ error: "Enter your new work email address" })
  .trim()
  .min(1, "Enter your new work email address")
  .max(254, { message: "Email address must be 254 characters or fewer", abort: true })
  .email("Enter an email address in the correct format, like name@uhnm.staywell.test");

/** A change of employer: the new work address, confirmed by a link mailed to it. */
export const employerSchema = z.object({
  newEmail: workEmail,
  // Asked again so that a session left open on a shared computer cannot move the account to another
  // mailbox (and then reset its password there): review finding 2.
  currentPassword: z.string().min(1, "Enter your current password").max(1000, "Enter your current password"),
  // Only for a new address at a shared domain (nhs.net): the organisation, chosen from the list.
  organisationId: z.string().trim().max(12).optional().default(""),
});

/** An nhs.net (shared-domain) address changes organisation without changing address (finding 7). */
export const sharedOrganisationSchema = z.object({
  organisationId: z
    .string({ error: "Select the organisation you now work for" })
    .trim()
    .regex(/^\d{1,9}$/, "Select the organisation you now work for"),
  currentPassword: z.string().min(1, "Enter your current password").max(1000, "Enter your current password"),
});

const PHONE_MESSAGE = "Enter a UK phone number, like 01632 960 001 or 07700 900 982";

/** Contact preferences and the optional emails. */
export const preferencesSchema = z
  .object({
    contactMethod: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(CONTACT_METHODS, { error: "Select how you would like the people hub to contact you" }).optional(),
    ),
    contactPhone: optionalText(LIMITS.phone, PHONE_MESSAGE),
    contactTimes: optionalText(
      LIMITS.contactTimes,
      `The best times to contact you must be ${LIMITS.contactTimes} characters or fewer`,
    ),
    mailTeamNewRequests: checkboxBoolean,
    mailTeamActivity: checkboxBoolean,
    mailTeamDigest: checkboxBoolean,
    firstYearCheckIns: checkboxBoolean,
  })
  .superRefine((value, ctx) => {
    if (value.contactPhone && !isUkPhone(value.contactPhone)) {
      ctx.addIssue({ code: "custom", path: ["contactPhone"], message: PHONE_MESSAGE, input: value.contactPhone });
    } else if (value.contactMethod === "phone" && !value.contactPhone) {
      ctx.addIssue({ code: "custom", path: ["contactPhone"], message: "Enter a phone number", input: "" });
    }
  });
export type PreferencesInput = z.infer<typeof preferencesSchema>;

const confirmField = z
  .string({ error: "Enter the new password again" })
  .min(1, "Enter the new password again")
  .max(PASSWORD_MAX, "Enter the same password again");

/** /account/password */
export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password" })
      .min(1, "Enter your current password")
      .max(PASSWORD_MAX, "Enter your current password"),
    password: newPasswordField,
    confirmPassword: confirmField,
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "Enter the same password in both boxes",
  });

/** /forgot-password */
export const forgotPasswordSchema = z.object({
  email: z
    .string({ error: "Enter your email address" })
    .trim()
    .min(1, "Enter your email address")
    .max(254, { message: "Email address must be 254 characters or fewer", abort: true })
    .email("Enter an email address in the correct format, like name@uhnm.staywell.test"),
});

/** /reset-password (the page the emailed link opens) */
export const resetPasswordSchema = z
  .object({
    token: z.string().max(200).optional().default(""),
    password: newPasswordField,
    confirmPassword: confirmField,
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "Enter the same password in both boxes",
  });

/** /account/sessions: which session to end (an opaque handle, never the session's id). */
export const endSessionSchema = z.object({
  intent: z.enum(["one", "others", "all"], { error: "Choose which sessions to end" }),
  session: z.string().max(64).optional().default(""),
});
