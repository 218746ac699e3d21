// A request's triage priority and the tag the hub shows for it (docs/decisions/012-risk-first-triage.md).
// No zod here: the hub queue's table uses the tags in the browser (issue 11, goal 4). Re-exported
// by app/schemas/request-forms.ts.

/** Triage priority, most pressing first (docs/decisions/012-risk-first-triage.md). */
export const REQUEST_PRIORITIES = ["at_risk", "safety_check", "urgent", "normal"] as const;
export type RequestPriorityValue = (typeof REQUEST_PRIORITIES)[number];

/**
 * The priority of a request from its stored answers and urgent flag: the person said they are not
 * safe → at_risk; "I am not sure" → safety_check; any other urgent reason → urgent; else normal.
 * The migration that added the column backfills with the same rule in SQL.
 */
export function priorityOf(answers: Record<string, unknown>, urgent: boolean): RequestPriorityValue {
  if (answers.safety === "at_risk") return "at_risk";
  if (answers.safety === "unsure") return "safety_check";
  return urgent ? "urgent" : "normal";
}

/** The tag the hub shows for a priority (none for normal). */
export const priorityTags: Record<RequestPriorityValue, string | null> = {
  at_risk: "At risk",
  safety_check: "Safety check",
  urgent: "Urgent",
  normal: null,
};
