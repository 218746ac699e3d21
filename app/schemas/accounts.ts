// Sign-up, choose-a-password and sign-in forms: one schema each, used by react-hook-form in the
// browser and by the server action. (The common-password check runs on the server only: its list
// is large.)
//
// Sign-up asks for no password: the password is chosen on the page the emailed link opens, by the
// person who holds the mailbox (docs/decisions/017, "Account pre-hijacking"). Whatever an earlier
// sign-up for the same address did, it never chose the password.
import { z } from "zod";
import { STAFF_GROUP_VALUES } from "~/lib/staff-groups";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

function isRealIsoDate(value: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Whether a name holds a web address or a link: a scheme ("https://"), "www.", an email address, a
 * Markdown link, or a host name such as "example.com". A name goes into mail to administrators and
 * into the hub's pages, where a link would look like StayWell's own (review of issue 12, finding 3).
 * "St.John" or "J. Smith" are names: only a dot followed by a common top-level domain counts.
 */
export function looksLikeLink(value: string): boolean {
  return (
    // Any "://" (a scheme separator; no name has one). Not /[a-z][a-z0-9+.-]*:\/\//i: on a long run
    // of letters that backtracked quadratically (a 130 KB name in the sign-up form took 20 s of CPU,
    // found by the fuzz test's per-target timings, 2026-11-30).
    value.includes("://") ||
    /\bwww\./i.test(value) ||
    /[^\s@]@[^\s@]+\.[^\s@]/.test(value) ||
    /\]\s*\(/.test(value) ||
    /[<>]/.test(value) ||
    /[a-z0-9-]\.(com|net|org|info|biz|io|co|uk|me|ly|gl|gg|app|dev|xyz|top|site|online|click|link|ru|cn|tk|ml|ga|cf|to|su|shop|store|live|win|vip|sh|in|us|eu|de|fr)\b/i.test(
      value,
    )
  );
}

export const NAME_WITH_LINK_MESSAGE = "Enter your name without a web address or link";

/** A person's full name: sign-up, request access and /account details share it. */
export const personNameField = z
  .string({ error: "Enter your full name" })
  .trim()
  .min(1, "Enter your full name")
  // abort: a name over the limit is not also searched for links (zod 4 runs later checks by default).
  .max(100, { message: "Full name must be 100 characters or fewer", abort: true })
  .refine((v) => !looksLikeLink(v), NAME_WITH_LINK_MESSAGE);

export const signupSchema = z.object({
  email: z
    .string({ error: "Enter your work email address" })
    .trim()
    .min(1, "Enter your work email address")
    .max(254, { message: "Email address must be 254 characters or fewer", abort: true })
    .email("Enter an email address in the correct format, like name@uhnm.staywell.test"),
  name: personNameField,
  // Only for an address at a shared domain such as nhs.net (the server decides, from the address):
  // the organisation they work for, chosen from the list. Ignored for a partner organisation's domain.
  organisationId: z.string().trim().max(12).optional().default(""),
  staffGroup: z.enum(STAFF_GROUP_VALUES, { error: "Select your staff group" }),
  jobTitle: z.string().trim().max(100, "Job title must be 100 characters or fewer").optional().default(""),
  startDate: z
    .string({ error: "Enter the date you started in your current organisation" })
    .trim()
    .min(1, "Enter the date you started in your current organisation")
    .refine(isRealIsoDate, "Start date must be a real date")
    .refine((v) => v >= "1950-01-01", "Start date must be after 1950")
    .refine((v) => {
      const limit = new Date();
      limit.setUTCMonth(limit.getUTCMonth() + 3);
      return v <= limit.toISOString().slice(0, 10);
    }, "Start date must be today, in the past, or within the next 3 months"),
});

export type SignupInput = z.infer<typeof signupSchema>;

/** The sign-up error for an address that is neither a partner organisation's nor shared (the page adds the link). */
export const NOT_A_JOINING_ADDRESS =
  "Enter your work email address from a partner organisation, or your nhs.net address. If you have neither, request access instead";

/** A new password: the same rules wherever one is chosen. */
export const newPasswordField = z
  .string({ error: "Enter a password" })
  .min(1, "Enter a password")
  .min(PASSWORD_MIN, `Password must be ${PASSWORD_MIN} characters or more`)
  .max(PASSWORD_MAX, `Password must be ${PASSWORD_MAX} characters or fewer`);

/** The page an email confirmation link opens: the mailbox holder chooses the password there. */
export const choosePasswordSchema = z
  .object({
    token: z.string().max(200).optional().default(""),
    password: newPasswordField,
    confirmPassword: z
      .string({ error: "Enter the password again" })
      .min(1, "Enter the password again")
      .max(PASSWORD_MAX, "Enter the same password again"),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "Enter the same password in both boxes",
  });

export type ChoosePasswordInput = z.infer<typeof choosePasswordSchema>;

/** "Send me a new link" for a sign-up whose links have expired or gone missing. */
export const newLinkSchema = z.object({
  email: z
    .string({ error: "Enter your work email address" })
    .trim()
    .min(1, "Enter your work email address")
    .max(254, { message: "Email address must be 254 characters or fewer", abort: true })
    .email("Enter an email address in the correct format, like name@uhnm.staywell.test"),
});

export const loginSchema = z.object({
  email: z
    .string({ error: "Enter your email address" })
    .trim()
    .min(1, "Enter your email address")
    .max(254, { message: "Email address must be 254 characters or fewer", abort: true }),
  password: z
    .string({ error: "Enter your password" })
    .min(1, "Enter your password")
    .max(PASSWORD_MAX, "Enter your password"),
  redirectTo: z.string().optional(),
});

export type LoginInput = z.infer<typeof loginSchema>;
