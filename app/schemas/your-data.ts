// "Your data" forms (/account/data/delete, and an administrator's "Delete this account" on
// /admin/people/<id>): one schema each, used by react-hook-form in the browser and by the action.
import { z } from "zod";
import { PASSWORD_MAX } from "./accounts";
import { multiline } from "./text";

export const deleteMyAccountSchema = z.object({
  password: z
    .string({ error: "Enter your password" })
    .min(1, "Enter your password")
    .max(PASSWORD_MAX, "Enter your password"),
});

export type DeleteMyAccountInput = z.infer<typeof deleteMyAccountSchema>;

export const ERASURE_REASON_MAX = 500;

export const adminEraseAccountSchema = z.object({
  reason: multiline(
    z
      .string({ error: "Enter why the account is being deleted" })
      .trim()
      .min(1, "Enter why the account is being deleted")
      .max(ERASURE_REASON_MAX, `The reason must be ${ERASURE_REASON_MAX} characters or fewer`),
  ),
  confirm: z
    .boolean()
    .refine((v) => v === true, { error: "Confirm that the person asked for their account to be deleted" }),
});

export type AdminEraseAccountInput = z.infer<typeof adminEraseAccountSchema>;
