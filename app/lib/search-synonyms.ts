// The words staff use for a problem are often not the words an offer uses for its help. This list
// ships with the product (administrators add words per offer as keywords; this is for words that
// belong to the problem, not to one offer). Catalogue search adds each group's `find` phrases to
// the query when the person's words contain one of its `when` phrases (docs/decisions/013-…).
//
// `when` phrases are matched on whole words, lower case, with plurals and -ing tolerated by the
// stemming in the database afterwards; `find` phrases are searched like typed words, so they
// should be words the offers' titles, summaries or keywords use.

export interface SynonymGroup {
  when: readonly string[];
  find: readonly string[];
}

export const SEARCH_SYNONYMS: readonly SynonymGroup[] = [
  {
    // psychological-wellbeing-hub
    when: [
      "anxiety",
      "anxious",
      "stress",
      "stressed",
      "burnout",
      "burnt out",
      "burned out",
      "depression",
      "depressed",
      "low mood",
      "panic",
      "worry",
      "worried",
      "mental health",
      "trauma",
      "grief",
      "bereavement",
      "cope",
      "coping",
      "suicidal",
      "suicide",
      "self harm",
      "self-harm",
      "crisis",
      "not safe",
      "overwhelmed",
      "exhausted",
    ],
    find: ["psychological wellbeing"],
  },
  {
    // physiotherapy
    when: [
      "msk",
      "musculoskeletal",
      "back pain",
      "back",
      "neck",
      "shoulder",
      "knee",
      "joint",
      "joints",
      "injury",
      "injured",
      "sprain",
      "sprained",
      "strain",
      "physio",
      "muscle",
      "pain",
    ],
    find: ["physiotherapy"],
  },
  {
    // financial-wellbeing
    when: [
      "bills",
      "bill",
      "debt",
      "debts",
      "money",
      "cost of living",
      "rent",
      "mortgage",
      "loan",
      "bailiffs",
      "benefits",
      "budget",
      "energy",
      "council tax",
      "broke",
      "skint",
      "payday",
    ],
    find: ["money advice"],
  },
  {
    // The offers that help people stay: changing how you work, your next step, or working on after retiring.
    when: [
      "leaving",
      "leave the nhs",
      "resign",
      "resigning",
      "resignation",
      "quit",
      "quitting",
      "thinking of leaving",
      "thinking about leaving",
      "notice",
      "hand in my notice",
      "handing in my notice",
      "new job",
      "stay",
      "staying",
    ],
    find: ["thinking about leaving", "flexible working", "career pathways", "retire and return"],
  },
  {
    // flexible-working and carers-support
    when: [
      "nights",
      "night shifts",
      "shifts",
      "shift",
      "rota",
      "rotas",
      "childcare",
      "hours",
      "part time",
      "part-time",
      "school run",
      "caring",
      "carer",
      "work life balance",
      "compressed hours",
      "term time",
    ],
    find: ["flexible working", "carer"],
  },
  {
    // retire-and-return
    when: ["pension", "pensions", "retire", "retiring", "retirement", "retired"],
    find: ["retire and return"],
  },
];

/** The longest search a person can make: longer input is cut (docs/decisions/013-…). */
export const SEARCH_MAX_LENGTH = 200;

/**
 * What a person typed, made safe to hand to the database as a parameter: no NUL bytes (PostgreSQL
 * text cannot hold them), no control characters or lone surrogates, spaces collapsed, cut to
 * SEARCH_MAX_LENGTH. Never concatenated into SQL: this is about giving a sensible answer.
 */
export function normaliseSearch(input: string | null | undefined): string {
  return (input ?? "")
    .slice(0, SEARCH_MAX_LENGTH * 4)
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, SEARCH_MAX_LENGTH)
    .trim();
}

/** The `find` phrases of every group whose `when` phrase appears, as whole words, in the search. */
export function expandSearch(search: string): string[] {
  const words = ` ${search
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()} `;
  const found = new Set<string>();
  for (const group of SEARCH_SYNONYMS) {
    const hit = group.when.some((phrase) =>
      words.includes(` ${phrase.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `),
    );
    if (hit) for (const phrase of group.find) found.add(phrase);
  }
  return [...found];
}
