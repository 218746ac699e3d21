// The forms of a hub request page (/hub/requests/<reference>): assign, change status, message
// the person, internal note, record a contact with the line manager. Shared by the browser (react-hook-form + zodResolver) and the action.
//
// Every form also carries a hidden `version` (the request version the coordinator saw). It is not
// part of these schemas — react-hook-form does not manage it — and is read with `parseVersion`
// on the server, so a stale change can be refused (app/.server/models/hub-requests.server.ts).
import { z } from "zod";
import type { FormKind, RetentionOutcomeValue } from "@db/schema";
import { RETENTION_OUTCOMES, type RetentionOutcome, valuesOf } from "~/lib/leaving";
import { CLOSE_OUTCOMES, REQUEST_STATUSES } from "~/lib/request-status";
import { requiredLongText } from "~/schemas/request-forms";

export const HUB_LIMITS = { message: 2000, note: 2000, managerContact: 1000 } as const;

export const HUB_INTENTS = ["assign", "status", "message", "note", "manager_contact"] as const;
export type HubIntent = (typeof HUB_INTENTS)[number];

export function isHubIntent(value: unknown): value is HubIntent {
  return typeof value === "string" && (HUB_INTENTS as readonly string[]).includes(value);
}

/** "me", "" (nobody) or a user id; whether that person is in the team is checked by the model. */
export const assignSchema = z.object({
  assigneeId: z.string({ error: "Choose who should look after this request" }).trim().max(100),
});

const outcomeValues = Object.keys(CLOSE_OUTCOMES) as [keyof typeof CLOSE_OUTCOMES, ...(keyof typeof CLOSE_OUTCOMES)[]];

const retentionValues = valuesOf(RETENTION_OUTCOMES);
// Both ways: the vocabulary of app/lib/leaving.ts and the database enum must list the same outcomes.
const _sameOutcomes: [RetentionOutcome, RetentionOutcomeValue] extends [RetentionOutcomeValue, RetentionOutcome]
  ? true
  : never = true;
void _sameOutcomes;

export const OUTCOME_REQUIRED = "Choose an outcome to close this request";
export const RETENTION_OUTCOME_REQUIRED = "Choose what happened to the person to close this stay conversation";

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const statusFieldsSchema = z.object({
  to: z.enum(REQUEST_STATUSES, { error: "Choose the new status" }),
  outcome: z.preprocess(
    blankToUndefined,
    z.enum(outcomeValues, { error: "Choose one of the listed outcomes to close this request" }).optional(),
  ),
  // Stay conversations only (form kind thinking_of_leaving): what happened to the person.
  retentionOutcome: z.preprocess(
    blankToUndefined,
    z.enum(retentionValues, { error: "Choose one of the listed retention outcomes" }).optional(),
  ),
});

/** The status form: the outcome is required only when closing (the same rule as checkTransition). */
export const statusSchema = statusFieldsSchema.superRefine((value, ctx) => {
  if (value.to === "closed" && !value.outcome) {
    ctx.addIssue({ code: "custom", path: ["outcome"], message: OUTCOME_REQUIRED });
  }
});

/** A stay conversation's status form: closing needs the outcome and the retention outcome. */
export const stayStatusSchema = statusFieldsSchema.superRefine((value, ctx) => {
  if (value.to === "closed" && !value.outcome) {
    ctx.addIssue({ code: "custom", path: ["outcome"], message: OUTCOME_REQUIRED });
  }
  if (value.to === "closed" && !value.retentionOutcome) {
    ctx.addIssue({ code: "custom", path: ["retentionOutcome"], message: RETENTION_OUTCOME_REQUIRED });
  }
});

/** Whether closing a request of this form needs a retention outcome. */
export function needsRetentionOutcome(formKind: FormKind): boolean {
  return formKind === "thinking_of_leaving";
}

export function statusSchemaFor(formKind: FormKind) {
  return needsRetentionOutcome(formKind) ? stayStatusSchema : statusSchema;
}

export const messageSchema = z.object({
  message: requiredLongText(
    "Enter a message to the person",
    HUB_LIMITS.message,
    `Your message must be ${HUB_LIMITS.message} characters or fewer`,
  ),
});

export const noteSchema = z.object({
  note: requiredLongText(
    "Enter the internal note",
    HUB_LIMITS.note,
    `The note must be ${HUB_LIMITS.note} characters or fewer`,
  ),
});

/** "Record that the line manager was contacted": a short note (offered only while consent is given). */
export const managerContactSchema = z.object({
  managerNote: requiredLongText(
    "Enter a short note of the contact with the line manager",
    HUB_LIMITS.managerContact,
    `The note must be ${HUB_LIMITS.managerContact} characters or fewer`,
  ),
});

/** The hidden `version` field: a whole number ≥ 1, or null when missing or tampered with. */
export function parseVersion(value: FormDataEntryValue | null | undefined): number | null {
  if (typeof value !== "string" || !/^\d{1,9}$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return n >= 1 ? n : null;
}
