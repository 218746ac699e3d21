// Joining StayWell (docs/decisions/027-joining.md): the "Request access" form, an administrator's
// approve / decline of a request, and the shared email domains list. One schema per form, used by
// react-hook-form in the browser and by the server action.
import { z } from "zod";
import { STAFF_GROUP_VALUES } from "~/lib/staff-groups";
import { isDomainLike, normaliseDomain } from "~/schemas/admin-organisations";
import { signupSchema } from "~/schemas/accounts";
import { multiline } from "~/schemas/text";

export const ACCESS_REQUEST_DAYS = 30;
export const DECLINE_REASON_MAX = 1000;

/** "Request access": the same details as sign-up, plus where they work (from the list or typed). */
export const accessRequestSchema = z
  .object({
    email: z
      .string({ error: "Enter your email address" })
      .trim()
      .min(1, "Enter your email address")
      .max(254, { message: "Email address must be 254 characters or fewer", abort: true })
      .email("Enter an email address in the correct format, like name@example.com"),
    name: signupSchema.shape.name,
    organisationId: z.string().trim().max(12).optional().default(""),
    organisationText: z
      .string()
      .trim()
      .max(200, "The name of your organisation must be 200 characters or fewer")
      .optional()
      .default(""),
    jobTitle: z
      .string({ error: "Enter your job or role" })
      .trim()
      .min(1, "Enter your job or role")
      .max(100, "Job or role must be 100 characters or fewer"),
    staffGroup: z.enum(STAFF_GROUP_VALUES, { error: "Select your staff group" }),
    startDate: signupSchema.shape.startDate,
  })
  .refine((v) => /^\d{1,9}$/.test(v.organisationId) || v.organisationText.length > 0, {
    path: ["organisationText"],
    message: "Choose your organisation from the list, or type its name",
  });

export type AccessRequestInput = z.infer<typeof accessRequestSchema>;

export const approveAccessSchema = z.object({
  organisationId: z
    .string({ error: "Choose the organisation they work for" })
    .trim()
    .regex(/^\d{1,9}$/, "Choose the organisation they work for"),
});

export const declineAccessSchema = z.object({
  // A textarea: line breaks are allowed (multiline), other control characters are not.
  reason: multiline(
    z
      .string({ error: "Enter the reason: the person is told it" })
      .trim()
      .min(1, "Enter the reason: the person is told it")
      .max(DECLINE_REASON_MAX, `The reason must be ${DECLINE_REASON_MAX} characters or fewer`),
  ),
});

export const sharedDomainSchema = z.object({
  domain: z
    .string({ error: "Enter a domain, like nhs.net" })
    .transform(normaliseDomain)
    .pipe(
      z
        .string()
        .min(1, "Enter a domain, like nhs.net")
        .max(253, { message: "A domain must be 253 characters or fewer", abort: true })
        .refine(isDomainLike, "Enter a domain like nhs.net (the part of an email address after the @)"),
    ),
});

export const ACCESS_REQUEST_VIEWS = ["open", "expired", "decided"] as const;
export type AccessRequestView = (typeof ACCESS_REQUEST_VIEWS)[number];
export type AccessRequestState = "pending" | "expired" | "approved" | "declined";

export const ACCESS_REQUEST_STATE_TAGS: Record<AccessRequestState, { label: string; className: string }> = {
  pending: { label: "Waiting", className: "nhsuk-tag nhsuk-tag--blue" },
  expired: { label: "Expired", className: "nhsuk-tag nhsuk-tag--grey" },
  approved: { label: "Approved", className: "nhsuk-tag nhsuk-tag--green" },
  declined: { label: "Declined", className: "nhsuk-tag nhsuk-tag--red" },
};
