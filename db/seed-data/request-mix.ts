// How generated requests are spread: the same weights for the demo seed (db/seed.ts, a few
// hundred requests drawn with a PRNG) and the scale seed (db/scale.ts, millions drawn in SQL),
// so both data sets look alike at any size.
import type { CloseOutcomeValue, FormKind, RetentionOutcomeValue } from "../schema";

/** How popular each offer is (by slug); an offer not listed gets DEFAULT_OFFER_WEIGHT. */
export const OFFER_WEIGHTS: Record<string, number> = {
  "psychological-wellbeing-hub": 16,
  physiotherapy: 14,
  "flexible-working": 14,
  "financial-wellbeing": 12,
  "retire-and-return": 7,
  "new-starter-support": 6,
  "occupational-health": 6,
  "menopause-support": 5,
  "career-pathways": 5,
  "education-training-funding": 5,
  "clinical-supervision": 3,
  "carers-support": 4,
  "staff-networks": 3,
  "thinking-of-leaving": 8,
};

export const DEFAULT_OFFER_WEIGHT = 4;

/** Hour of the day (London) a request is made, with its weight: busy in working hours, some in the evening. */
export const HOUR_WEIGHTS = [
  [7, 3],
  [8, 6],
  [9, 9],
  [10, 9],
  [11, 8],
  [12, 9],
  [13, 9],
  [14, 8],
  [15, 7],
  [16, 6],
  [17, 5],
  [18, 4],
  [19, 5],
  [20, 6],
  [21, 5],
  [22, 3],
  [23, 1],
] as const;

/** How closed requests end, per form kind. */
export const OUTCOME_WEIGHTS: Record<FormKind, readonly (readonly [CloseOutcomeValue, number])[]> = {
  financial: [
    ["support_given", 60],
    ["referred_on", 22],
    ["declined", 6],
    ["no_response", 8],
    ["not_eligible", 4],
  ],
  psychological: [
    ["support_given", 58],
    ["referred_on", 25],
    ["declined", 7],
    ["no_response", 8],
    ["not_eligible", 2],
  ],
  physiotherapy: [
    ["support_given", 72],
    ["referred_on", 12],
    ["declined", 4],
    ["no_response", 9],
    ["not_eligible", 3],
  ],
  flexible_working: [
    ["support_given", 74],
    ["referred_on", 6],
    ["declined", 10],
    ["no_response", 5],
    ["not_eligible", 5],
  ],
  retire_return: [
    ["support_given", 64],
    ["referred_on", 16],
    ["declined", 8],
    ["no_response", 6],
    ["not_eligible", 6],
  ],
  general: [
    ["support_given", 68],
    ["referred_on", 14],
    ["declined", 5],
    ["no_response", 8],
    ["not_eligible", 5],
  ],
  thinking_of_leaving: [
    ["support_given", 70],
    ["referred_on", 14],
    ["declined", 6],
    ["no_response", 8],
    ["not_eligible", 2],
  ],
};

/** Satisfaction ratings, skewed positive after support was given, more mixed otherwise. */
export const HAPPY_RATINGS = [
  [5, 52],
  [4, 30],
  [3, 10],
  [2, 5],
  [1, 3],
] as const;
export const MIXED_RATINGS = [
  [5, 18],
  [4, 24],
  [3, 26],
  [2, 17],
  [1, 15],
] as const;

/** How closed stay conversations (thinking-of-leaving) end: most stay in the ICS, as the minutes hope. */
export const RETENTION_OUTCOME_WEIGHTS: readonly (readonly [RetentionOutcomeValue, number])[] = [
  ["stayed_in_role", 34],
  ["moved_within_organisation", 16],
  ["moved_to_ics_organisation", 14],
  ["left_ics", 17],
  ["retired_returning", 5],
  ["retired_not_returning", 5],
  ["not_known", 9],
];

/** Stay conversations: what makes people think of leaving (work-life balance first, as the minutes say). */
export const STAY_REASON_WEIGHTS = [
  ["work_life_balance", 22],
  ["workload", 16],
  ["shift_patterns_hours", 14],
  ["stress", 10],
  ["pay_money", 9],
  ["lack_of_development", 8],
  ["caring_responsibilities", 6],
  ["health", 5],
  ["relationships_at_work", 4],
  ["retirement", 3],
  ["relocation", 2],
  ["other", 1],
] as const;

export const STAY_HELP_WEIGHTS = [
  ["flexible_working", 30],
  ["change_team_role", 16],
  ["development_career_pathway", 15],
  ["move_ics_organisation", 12],
  ["health_money_caring_support", 10],
  ["retire_return_partial", 6],
  ["other", 3],
] as const;

export const STAY_HOW_SOON_WEIGHTS = [
  ["within_month", 12],
  ["1_3_months", 30],
  ["over_3_months", 28],
  ["just_thinking", 30],
] as const;
