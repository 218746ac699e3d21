// The organisation form at /admin/organisations (new and edit): one schema shared by the browser
// (react-hook-form + zodResolver) and the server action. Email domains are typed one per line; they
// are normalised here (trimmed, lower-case, no leading @, duplicates dropped, sorted) so the page,
// the model and the audit all see the same list. The edit form also carries a hidden `version`
// (not part of the schema; read with expectedVersion in the action).
import { z } from "zod";
import { STAFF_GROUP_VALUES, staffGroupLabel, type StaffGroup } from "~/lib/staff-groups";
import { multiline } from "~/schemas/text";

/** The organisation_type enum of db/schema.ts, in its order (the model checks the two match). */
export const ORGANISATION_TYPES = ["nhs_trust", "council", "care_provider", "gp_practice", "icb"] as const;
export type OrganisationTypeValue = (typeof ORGANISATION_TYPES)[number];

export const ORGANISATION_TYPE_LABELS: Readonly<Record<OrganisationTypeValue, string>> = {
  nhs_trust: "NHS trust",
  council: "Council",
  care_provider: "Care provider",
  gp_practice: "GP practice",
  icb: "Integrated care board",
};

export const ORGANISATION_LIMITS = {
  name: 120,
  /** A short name for narrow places such as the hub queue ("UHNM", "Staffs ICB"). */
  shortName: 20,
  /** Domains per organisation. */
  domains: 50,
  /** Characters in the domains box. */
  domainsText: 5000,
  headcount: 1_000_000,
} as const;

/** " @UHNM.nhs.uk. " → "uhnm.nhs.uk" */
export function normaliseDomain(raw: string): string {
  return raw.trim().toLowerCase().replace(/^@+/, "").replace(/\.$/, "");
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A host name with at least two labels whose last label is not all digits (so not an IP address). */
export function isDomainLike(domain: string): boolean {
  if (domain.length < 3 || domain.length > 253) return false;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return false;
  return /[a-z]/.test(labels[labels.length - 1]);
}

function entriesOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** The domains box → normalised, without duplicates, sorted (invalid entries are kept: check first). */
export function parseDomainList(text: string): string[] {
  return [...new Set(entriesOf(text).map(normaliseDomain).filter(Boolean))].sort();
}

/** The first problem with what was typed in the domains box, or null. */
export function domainListProblem(text: string): string | null {
  for (const entry of entriesOf(text)) {
    const domain = normaliseDomain(entry);
    if (!domain) continue;
    if (domain.includes("@")) {
      return `Enter only the part of the email address after the @: ${domain.split("@").pop() || "like uhnm.nhs.uk"}`;
    }
    if (!isDomainLike(domain))
      return `“${entry}” is not an email domain. Enter domains like uhnm.nhs.uk, one on each line`;
  }
  if (parseDomainList(text).length > ORGANISATION_LIMITS.domains) {
    return `Enter ${ORGANISATION_LIMITS.domains} domains or fewer`;
  }
  return null;
}

/** The domains as they go back into the box: one per line. */
export function domainsAsText(domains: readonly string[]): string {
  return domains.join("\n");
}

const nameField = z
  .string({ error: "Enter the organisation’s name" })
  .trim()
  .min(1, "Enter the organisation’s name")
  .max(ORGANISATION_LIMITS.name, `The name must be ${ORGANISATION_LIMITS.name} characters or fewer`);

/** Optional: blank means "use the full name". Letters, digits, spaces and & ' ( ) . , - only. */
export const SHORT_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} &'’().,-]*$/u;
const shortNameField = z
  .string()
  .trim()
  .max(ORGANISATION_LIMITS.shortName, {
    message: `The short name must be ${ORGANISATION_LIMITS.shortName} characters or fewer`,
    abort: true,
  })
  .refine(
    (v) => v === "" || SHORT_NAME_PATTERN.test(v),
    "The short name can only contain letters, numbers, spaces and & ' ( ) . , -",
  )
  .optional()
  .transform((v) => (v ? v : null));

/** The organisation's code in ESR extracts ("RJE"): letters and digits; blank means none yet. */
export const ESR_CODE_PATTERN = /^[A-Z0-9]{2,10}$/;
const esrCodeField = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => v === "" || ESR_CODE_PATTERN.test(v), "The ESR code must be 2 to 10 letters or numbers, like RJE")
  .optional()
  .transform((v) => (v ? v : null));

const domainsField = multiline(
  z
    .string({ error: "Enter the email domains" })
    .max(ORGANISATION_LIMITS.domainsText, {
      message: `Enter ${ORGANISATION_LIMITS.domainsText} characters or fewer`,
      abort: true,
    })
    .superRefine((text, ctx) => {
      const problem = domainListProblem(text);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform(parseDomainList),
);

const headcountField = z
  .string({ error: "Enter the headcount" })
  // "11,200" and "11 200" are read as 11200.
  .transform((value) => value.replace(/[\s,]/g, ""))
  .pipe(
    z
      .string()
      .min(1, "Enter the headcount")
      .regex(/^\d+$/, "Headcount must be a whole number, like 4300")
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(1, "Headcount must be 1 or more")
          .max(
            ORGANISATION_LIMITS.headcount,
            `Headcount must be ${ORGANISATION_LIMITS.headcount.toLocaleString("en-GB")} or less`,
          ),
      ),
  );

/** The form field of a staff group's headcount on the organisation page, e.g. staffGroup_nursing_midwifery. */
export const staffGroupField = (group: StaffGroup) => `staffGroup_${group}` as const;
export const STAFF_GROUP_FIELDS = STAFF_GROUP_VALUES.map(staffGroupField);

/** A staff group's staff in post: blank (not set) or a whole number, 0 or more. */
const staffGroupHeadcountField = z
  .string()
  .optional()
  .transform((value) => (value ?? "").replace(/[\s,]/g, ""))
  .pipe(
    z
      .string()
      .regex(/^\d*$/, "Enter a whole number of staff, like 1200, or 0")
      .transform((v) => (v === "" ? null : Number(v)))
      .pipe(
        z
          .number()
          .int()
          .max(
            ORGANISATION_LIMITS.headcount,
            `Staff in a group must be ${ORGANISATION_LIMITS.headcount.toLocaleString("en-GB")} or fewer`,
          )
          .nullable(),
      ),
  );

/**
 * Staff in post by staff group (the denominators of turnover by staff group, ADR 036): every group
 * blank (not set), or every group filled in and adding up to the headcount.
 */
export function staffGroupHeadcountsProblem(
  groups: Record<string, number | null>,
  headcount: number,
): { field: string; message: string } | null {
  const filled = STAFF_GROUP_VALUES.filter((g) => groups[g] !== null && groups[g] !== undefined);
  if (filled.length === 0) return null;
  const missing = STAFF_GROUP_VALUES.find((g) => !filled.includes(g));
  if (missing)
    return {
      field: staffGroupField(missing),
      message: `Enter the staff in ${staffGroupLabel(missing).toLowerCase()} (0 if none), or leave every staff group blank`,
    };
  const total = filled.reduce((n, g) => n + groups[g]!, 0);
  if (total !== headcount)
    return {
      field: staffGroupField(STAFF_GROUP_VALUES[0]),
      message: `The staff groups add up to ${total.toLocaleString("en-GB")}: they must add up to the headcount, ${headcount.toLocaleString("en-GB")}`,
    };
  return null;
}

/** Editing an organisation: it may be left with no domains (closed to new sign-ups). */
export const organisationSchema = z
  .object({
    name: nameField,
    shortName: shortNameField,
    esrCode: esrCodeField,
    type: z.enum(ORGANISATION_TYPES, { error: "Choose the type of organisation" }),
    domains: domainsField,
    headcount: headcountField,
    ...(Object.fromEntries(STAFF_GROUP_FIELDS.map((f) => [f, staffGroupHeadcountField])) as Record<
      (typeof STAFF_GROUP_FIELDS)[number],
      typeof staffGroupHeadcountField
    >),
  })
  .superRefine((value, ctx) => {
    const problem = staffGroupHeadcountsProblem(staffGroupHeadcountsOf(value), value.headcount);
    if (problem) ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
  });

/** The staff-group headcounts of a parsed organisation form, by staff group (null: blank). */
export function staffGroupHeadcountsOf(value: Record<string, unknown>): Record<StaffGroup, number | null> {
  return Object.fromEntries(
    STAFF_GROUP_VALUES.map((g) => {
      const v = value[staffGroupField(g)];
      return [g, typeof v === "number" ? v : null];
    }),
  ) as Record<StaffGroup, number | null>;
}

/** Adding an organisation: at least one domain, or nobody could ever sign up to it. */
export const newOrganisationSchema = organisationSchema.superRefine((value, ctx) => {
  if (value.domains.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["domains"],
      message: "Enter at least one email domain: staff sign up with an address at one of them",
    });
  }
});

export type OrganisationFormOutput = z.output<typeof organisationSchema>;
