// Staff groups, as the NHS workforce statistics group them (plus social care, which the ICS
// employs through its councils and care providers). Stored in users.staff_group by value.

export const STAFF_GROUP_VALUES = [
  "nursing_midwifery",
  "medical_dental",
  "allied_health",
  "scientific_technical",
  "support_worker",
  "social_care",
  "admin_estates",
  "other",
] as const;

export type StaffGroup = (typeof STAFF_GROUP_VALUES)[number];

const LABELS: Record<StaffGroup, string> = {
  nursing_midwifery: "Nursing and midwifery",
  medical_dental: "Medical and dental",
  allied_health: "Allied health professionals",
  scientific_technical: "Healthcare scientists and technical",
  support_worker: "Healthcare support workers",
  social_care: "Social care",
  admin_estates: "Administrative, clerical and estates",
  other: "Other",
};

export const STAFF_GROUPS: readonly { readonly value: StaffGroup; readonly label: string }[] = STAFF_GROUP_VALUES.map(
  (value) => ({ value, label: LABELS[value] }),
);

export function isStaffGroup(value: unknown): value is StaffGroup {
  return typeof value === "string" && (STAFF_GROUP_VALUES as readonly string[]).includes(value);
}

/** The label of a staff group; an unknown value (e.g. one retired since) is shown as it is. */
export function staffGroupLabel(value: string): string {
  return isStaffGroup(value) ? LABELS[value] : value;
}
