// The forms of /admin/teams: create or rename a team, add or remove a member, move offers to the
// team. Shared by the browser (react-hook-form + zodResolver) and the server actions. Every form
// on a team's page also carries an `intent` and the hidden team `version` the admin saw (not part
// of these schemas; the action reads them).
import { z } from "zod";
import { stripControlCharacters } from "~/schemas/text";

export const TEAM_LIMITS = { name: 80, search: 100 } as const;

/** At most this many people are offered in the "add a member" list (a search narrows it). */
export const MEMBER_CANDIDATE_LIMIT = 100;

export const TEAM_INTENTS = ["rename", "add_member", "remove_member", "move_offers", "urgent_contact"] as const;
export type TeamIntent = (typeof TEAM_INTENTS)[number];

export function isTeamIntent(value: unknown): value is TeamIntent {
  return typeof value === "string" && (TEAM_INTENTS as readonly string[]).includes(value);
}

/**
 * A web-safe identifier from a name, for slugs fixed when a team or organisation is created:
 * "MSK & occupational health" → "msk-occupational-health". Empty when the name has no letters
 * or digits (the caller then uses a fallback).
 */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
}

export const teamNameSchema = z.object({
  name: z
    .string({ error: "Enter the team’s name" })
    .trim()
    .min(1, "Enter the team’s name")
    .max(TEAM_LIMITS.name, `The name must be ${TEAM_LIMITS.name} characters or fewer`),
});

/**
 * A shared address (a duty inbox) that is also sent the team's mail about urgent, safety-check and
 * at-risk requests (docs/decisions/012). Empty: none.
 */
export const urgentContactSchema = z.object({
  urgentContactEmail: z
    .string()
    .trim()
    .max(254, { message: "The urgent-contact email address must be 254 characters or fewer", abort: true })
    .refine((v) => v === "" || z.email().safeParse(v).success, {
      error: "Enter the urgent-contact email address in the correct format, like duty@nhs.net, or leave it empty",
    })
    .transform((v) => (v === "" ? null : v.toLowerCase())),
});

export const addMemberSchema = z.object({
  userId: z.string({ error: "Choose who to add to the team" }).trim().min(1, "Choose who to add to the team").max(100),
});

export const removeMemberSchema = z.object({
  userId: z
    .string({ error: "Choose who to remove from the team" })
    .trim()
    .min(1, "Choose who to remove from the team")
    .max(100),
});

export const moveOffersSchema = z.object({
  offerIds: z
    .array(z.string().regex(/^\d{1,9}$/, "Choose offers from the list"), {
      error: "Choose at least one offer to move to this team",
    })
    .min(1, "Choose at least one offer to move to this team")
    .max(500, "Choose offers from the list")
    .transform((ids) => [...new Set(ids.map(Number))]),
});

/** ?q= on a team's page: narrows the list of coordinators and administrators to add. */
export function memberSearchFrom(searchParams: URLSearchParams): string {
  return stripControlCharacters(searchParams.get("q") ?? "")
    .trim()
    .slice(0, TEAM_LIMITS.search);
}
