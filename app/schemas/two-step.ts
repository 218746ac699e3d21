// Two-step verification forms (docs/decisions/029). One schema per form; the server checks the code.
import { z } from "zod";
import { PASSWORD_MAX } from "./accounts";

const otp = z
  .string({ error: "Enter the code from your authenticator app" })
  .trim()
  .min(1, "Enter the code from your authenticator app")
  .max(40, "Enter the 6-digit code from your app, or a recovery code");

/** /login/two-step: a code from the app, or a recovery code. */
export const twoStepSignInSchema = z.object({ otp });

/** /account/security, turning it on: the code the app shows after scanning. */
export const twoStepConfirmSchema = z.object({
  intent: z.literal("confirm"),
  otp: z
    .string({ error: "Enter the 6-digit code from your authenticator app" })
    .trim()
    .min(1, "Enter the 6-digit code from your authenticator app")
    .regex(/^\d{3}\s?\d{3}$/, "Enter the 6-digit code from your authenticator app, numbers only"),
  // Which pending secret the page showed (a hidden field, not typed): the server refuses a form
  // whose secret has been replaced or is past its 15 minutes ("this set-up has expired").
  setup: z.string().trim().max(40).optional(),
});

/** /account/security, turning it off: password and a code (or a recovery code). */
export const twoStepDisableSchema = z.object({
  intent: z.literal("disable"),
  password: z
    .string({ error: "Enter your password" })
    .min(1, "Enter your password")
    .max(PASSWORD_MAX, "Enter your password"),
  otp,
});

/** /account/security: new recovery codes (a current code from the app). */
export const twoStepNewCodesSchema = z.object({
  intent: z.literal("codes"),
  otp: twoStepConfirmSchema.shape.otp,
});
