// The first-year check-in form (/check-ins/<id>): one schema, used by the page and the model.
import { z } from "zod";
import { checkboxBoolean, optionalLongText } from "~/schemas/request-forms";

export const CHECK_IN_COMMENTS_MAX = 2000;

const score = (message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^[1-5]$/.test(v) ? Number(v) : v),
    z.number({ error: message }).int({ error: message }).min(1, { error: message }).max(5, { error: message }),
  );

export const checkInSchema = z.object({
  workScore: score("Select how you are finding your work, from 1 to 5"),
  supportedScore: score("Select how supported you feel by your team, from 1 to 5"),
  hasWhatNeeded: z.enum(["yes", "partly", "no"], { error: "Select whether you have what you need to do your job" }),
  thinkingOfLeaving: z.enum(["no", "sometimes", "yes"], { error: "Select whether you are thinking about leaving" }),
  comments: optionalLongText(
    CHECK_IN_COMMENTS_MAX,
    `What you tell us must be ${CHECK_IN_COMMENTS_MAX} characters or fewer`,
  ),
  contactWanted: checkboxBoolean,
});
export type CheckInInput = z.output<typeof checkInSchema>;
