// People administration (/admin/people): the search filters read from the URL, and the forms of a
// person's page (change role, disable, re-enable). Shared by the browser (react-hook-form +
// zodResolver) and the server action. Every form also carries a hidden `version` (the account
// version the administrator saw), read on the server with expectedVersion (common.server.ts).
import { z } from "zod";
import { stripControlCharacters } from "~/schemas/text";
import type { UserRole } from "@db/schema";

export const USER_ROLES = ["staff", "coordinator", "manager", "admin"] as const satisfies readonly UserRole[];

// The roles' names, hints and words: app/lib/role-names.ts (no zod: pages without a form, like the
// admin overview, show them without shipping the schema library).
export * from "~/lib/role-names";

/** The value of the manager scope field meaning "the whole ICS" (organisations are chosen by id). */
export const ICS_SCOPE = "ics";

export const PEOPLE_PAGE_SIZE = 50;
/** Longest search text accepted. */
export const PEOPLE_QUERY_MAX = 100;
/** Pages beyond this are not offered (narrow the search instead). */
export const PEOPLE_MAX_PAGE = 2000;

const TRUE_STRINGS = new Set(["on", "true", "1", "yes"]);
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** The search filters, from the URL. A bad value never fails the page: it falls back to its default. */
export const peopleSearchSchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(PEOPLE_QUERY_MAX).optional()).catch(undefined),
  role: z.preprocess(blankToUndefined, z.enum(USER_ROLES).optional()).catch(undefined),
  /** An organisation slug. */
  organisation: z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .max(100, { abort: true })
        .regex(/^[a-z0-9][a-z0-9-]*$/i)
        .transform((s) => s.toLowerCase())
        .optional(),
    )
    .catch(undefined),
  /** Include generated demo staff (excluded by default). */
  demo: z
    .unknown()
    .transform((v) => (typeof v === "string" ? TRUE_STRINGS.has(v.toLowerCase()) : v === true))
    .catch(false),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(PEOPLE_MAX_PAGE).optional()).catch(undefined),
});

export type PeopleSearch = z.output<typeof peopleSearchSchema>;

/** Reads the filters from the URL's search params (first value of each). Never throws. */
export function parsePeopleSearch(params: URLSearchParams): PeopleSearch {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(peopleSearchSchema.shape)) {
    const value = params.get(key);
    // A NUL or other control character in a filter is dropped, never sent to the database.
    if (value !== null) raw[key] = stripControlCharacters(value);
  }
  return peopleSearchSchema.parse(raw);
}

/** The filters as a query string ("" or "?…"), defaults left out. */
export function peopleSearchQuery(filters: PeopleSearch, overrides: Partial<PeopleSearch> = {}): string {
  const f = { ...filters, ...overrides };
  const params = new URLSearchParams();
  if (f.q) params.set("q", f.q);
  if (f.role) params.set("role", f.role);
  if (f.organisation) params.set("organisation", f.organisation);
  if (f.demo) params.set("demo", "1");
  if (f.page && f.page > 1) params.set("page", String(f.page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

// ---------------------------------------------------------------------------------------------
// forms on a person's page

// erase: deletion on the person's request; hold / release: the retention hold (docs/decisions/031-retention-schedule.md);
// confirm-organisation: a self-declared organisation confirmed (docs/decisions/027-joining.md).
export const PERSON_INTENTS = [
  "role",
  "disable",
  "enable",
  "erase",
  "hold",
  "release",
  "confirm-organisation",
] as const;
export type PersonIntent = (typeof PERSON_INTENTS)[number];

export function isPersonIntent(value: unknown): value is PersonIntent {
  return typeof value === "string" && (PERSON_INTENTS as readonly string[]).includes(value);
}

export const roleFieldsSchema = z.object({
  role: z.enum(USER_ROLES, { error: "Choose a role" }),
  /** "ics" or an organisation id; required for managers, ignored (and cleared) for anyone else. */
  managesOrganisation: z.preprocess(
    blankToUndefined,
    z
      .string({ error: "Choose whose figures they see" })
      .trim()
      .regex(/^(ics|[1-9][0-9]{0,8})$/, { error: "Choose whose figures they see from the list" })
      .optional(),
  ),
});

export const roleSchema = roleFieldsSchema.superRefine((value, ctx) => {
  if (value.role === "manager" && !value.managesOrganisation) {
    ctx.addIssue({
      code: "custom",
      path: ["managesOrganisation"],
      message: "Choose whether they see the whole ICS or one organisation",
    });
  }
});

export type RoleInput = z.output<typeof roleSchema>;

export const disableSchema = z.object({
  confirm: z.boolean().refine((v) => v === true, { error: "Confirm that you want to disable this account" }),
});
