// First-year check-ins (docs/decisions/039-first-year-check-ins.md): the questions, their option
// labels, and how a point is named. Shared by the page, the hub's view of a request and the insights.
import type { CheckInHasWhatNeeded, CheckInPointUnit, CheckInThinkingOfLeaving } from "@db/schema";

/** A check-in is open for this many days after it is sent. */
export const CHECK_IN_OPEN_DAYS = 21;

export const SCORE_VALUES = ["1", "2", "3", "4", "5"] as const;

export const HAS_WHAT_NEEDED: readonly { value: CheckInHasWhatNeeded; label: string }[] = [
  { value: "yes", label: "Yes" },
  { value: "partly", label: "Partly" },
  { value: "no", label: "No" },
];

export const THINKING_OF_LEAVING: readonly { value: CheckInThinkingOfLeaving; label: string }[] = [
  { value: "no", label: "No" },
  { value: "sometimes", label: "Sometimes" },
  { value: "yes", label: "Yes" },
];

export const CHECK_IN_QUESTIONS = {
  workScore: "How are you finding your work?",
  supportedScore: "Do you feel supported by your team?",
  hasWhatNeeded: "Do you have what you need to do your job?",
  thinkingOfLeaving: "Are you thinking about leaving?",
  comments: "Anything you want to tell us (optional)",
  contactWanted: "I would like someone from the people hub to contact me",
} as const;

export const SCORE_HINTS = {
  workScore: "1 is very hard, 5 is going very well",
  supportedScore: "1 is not at all, 5 is very well supported",
} as const;

/** "4 weeks", "3 months", "1 month". */
export function pointLabel(amount: number, unit: CheckInPointUnit): string {
  const singular = unit === "weeks" ? "week" : "month";
  return `${amount} ${amount === 1 ? singular : unit}`;
}

/**
 * A point's label used as an adjective: "4-week", "3-month" ("Your 4-week check-in"). Takes the stored
 * label ("4 weeks"); anything else is returned unchanged.
 */
export function pointAdjective(label: string): string {
  const m = /^(\d+) (week|month)s?$/.exec(label);
  return m ? `${m[1]}-${m[2]}` : label;
}

/** Roughly how many days after the start date, for putting points in order. */
export function pointDays(amount: number, unit: CheckInPointUnit): number {
  return unit === "weeks" ? amount * 7 : amount * 30;
}

/** The answers a support request made from a check-in carries (in support_requests.answers.checkIn). */
export interface CheckInRequestAnswers {
  point: string;
  workScore: number;
  supportedScore: number;
  hasWhatNeeded: CheckInHasWhatNeeded;
  thinkingOfLeaving: CheckInThinkingOfLeaving;
}

const labelOf = (list: readonly { value: string; label: string }[], value: unknown) =>
  list.find((o) => o.value === value)?.label ?? String(value);

/** The check-in's answers as rows of the request pages (the hub's and the person's). */
export function checkInAnswerRows(value: unknown): { key: string; question: string; short: string; answer: string }[] {
  if (!value || typeof value !== "object") return [];
  const a = value as Partial<CheckInRequestAnswers>;
  return [
    {
      key: "checkInPoint",
      question: "First-year check-in",
      short: "Check-in",
      answer: `${String(a.point)} after starting`,
    },
    {
      key: "checkInWork",
      question: CHECK_IN_QUESTIONS.workScore,
      short: "Work",
      answer: `${String(a.workScore)} out of 5`,
    },
    {
      key: "checkInSupported",
      question: CHECK_IN_QUESTIONS.supportedScore,
      short: "Supported",
      answer: `${String(a.supportedScore)} out of 5`,
    },
    {
      key: "checkInHasWhatNeeded",
      question: CHECK_IN_QUESTIONS.hasWhatNeeded,
      short: "Has what they need",
      answer: labelOf(HAS_WHAT_NEEDED, a.hasWhatNeeded),
    },
    {
      key: "checkInLeaving",
      question: CHECK_IN_QUESTIONS.thinkingOfLeaving,
      short: "Thinking of leaving",
      answer: labelOf(THINKING_OF_LEAVING, a.thinkingOfLeaving),
    },
  ];
}
