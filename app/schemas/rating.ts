// The satisfaction form on a closed request ("How helpful was the people hub?"): one schema for
// the browser (react-hook-form) and the server (the action and rateMyRequest).
import { z } from "zod";
import { multiline } from "~/schemas/text";

export const RATING_COMMENT_MAX = 1000;

/** The five answers, 1 to 5, in the words shown next to each radio. */
export const RATING_LABELS = {
  1: "Not at all helpful",
  2: "Slightly helpful",
  3: "Moderately helpful",
  4: "Very helpful",
  5: "Extremely helpful",
} as const satisfies Record<1 | 2 | 3 | 4 | 5, string>;

export type Rating = keyof typeof RATING_LABELS;

const RATING_VALUES = ["1", "2", "3", "4", "5"] as const;
const chooseRating = "Select how helpful the people hub was";

export const ratingSchema = z.object({
  // A radio sends "1"…"5"; a caller in code may pass the number.
  rating: z
    .preprocess(
      (value) => (typeof value === "number" ? String(value) : value),
      z.enum(RATING_VALUES, { error: chooseRating }),
    )
    .transform((value) => Number(value) as Rating),
  comment: multiline(
    z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      z
        .string()
        .trim()
        .max(RATING_COMMENT_MAX, { error: `Your comment must be ${RATING_COMMENT_MAX} characters or fewer` })
        .optional(),
    ),
  ),
});

export type RatingInput = z.input<typeof ratingSchema>;
