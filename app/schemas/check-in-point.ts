// /admin/check-ins: adding a first-year check-in point (ADR 039).
import { z } from "zod";

export const checkInPointSchema = z
  .object({
    amount: z.preprocess(
      (v) => (typeof v === "string" && /^\d{1,3}$/.test(v.trim()) ? Number(v.trim()) : v),
      z
        .number({ error: "Enter how long after the start date, as a whole number" })
        .int({ error: "Enter how long after the start date, as a whole number" })
        .min(1, { error: "The check-in must be at least 1 week or month after the start date" }),
    ),
    unit: z.enum(["weeks", "months"], { error: "Select weeks or months" }),
  })
  .superRefine((value, ctx) => {
    if (value.amount >= (value.unit === "weeks" ? 52 : 12)) {
      ctx.addIssue({
        code: "custom",
        path: ["amount"],
        message: "A check-in must fall within the first year (under 52 weeks or 12 months)",
        input: value.amount,
      });
    }
  });
