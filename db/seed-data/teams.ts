// People hub teams and the offers each one handles (every offer has exactly one team).
export interface SeedTeam {
  slug: string;
  name: string;
  offers: readonly string[];
}

export const SEED_TEAMS: readonly SeedTeam[] = [
  { slug: "financial-wellbeing", name: "Financial wellbeing & CAB liaison", offers: ["financial-wellbeing"] },
  { slug: "psychological-wellbeing", name: "Psychological wellbeing hub", offers: ["psychological-wellbeing-hub"] },
  {
    slug: "msk-occupational-health",
    name: "MSK & occupational health",
    offers: ["physiotherapy", "occupational-health", "menopause-support"],
  },
  {
    slug: "flexible-working-pensions",
    name: "Flexible working, pensions & reservists",
    offers: ["flexible-working", "retire-and-return"],
  },
  { slug: "retention-careers", name: "Retention and careers", offers: ["thinking-of-leaving"] },
  // Posts reservist needs and invites reservists (issue 14 part 2, ADR 040): handles no offer.
  { slug: "reservist-bank", name: "Reservist bank", offers: [] },
  {
    slug: "general-support",
    name: "General support",
    offers: [
      "clinical-supervision",
      "carers-support",
      "new-starter-support",
      "career-pathways",
      "education-training-funding",
      "staff-networks",
    ],
  },
];

/** The team that handles an offer; offers not listed go to General support. */
export function seedTeamForOffer(offerSlug: string): string {
  return SEED_TEAMS.find((t) => t.offers.includes(offerSlug))?.slug ?? "general-support";
}

/**
 * Who is in which team on a fresh demo database (by email; demo sign-in accounts and the generated
 * colleagues of accounts.ts). The seed adds these only for an account that has no team at all, so
 * a membership an administrator has changed is never put back or removed.
 */
export const SEED_TEAM_MEMBERSHIPS: Readonly<Record<string, readonly string[]>> = {
  // Every team except the psychological wellbeing hub and Retention and careers: the demo of
  // "sensitive requests of another team are invisible" (stay conversations are need-to-know, ADR 034).
  "coordinator@icb.staywell.test": SEED_TEAMS.map((t) => t.slug).filter(
    (slug) => slug !== "psychological-wellbeing" && slug !== "retention-careers" && slug !== "reservist-bank",
  ),
  "psych.coordinator@icb.staywell.test": ["psychological-wellbeing"],
  "retention.coordinator@icb.staywell.test": ["retention-careers"],
  "reservists.coordinator@icb.staywell.test": ["reservist-bank"],
  "gemma.hulme@icb.staywell.test": ["financial-wellbeing", "general-support"],
  "daniel.mensah@icb.staywell.test": ["msk-occupational-health", "flexible-working-pensions"],
  "ruth.beardmore@icb.staywell.test": ["psychological-wellbeing"],
  "amira.khan@icb.staywell.test": ["retention-careers", "reservist-bank"],
};
