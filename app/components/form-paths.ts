// Small pure helpers shared by the form components (browser) and parseForm (server).

/** Folds "topics.0" into "topics": a checkbox group shows one message. Empty path → "_form". */
export function fieldPathOf(path: ReadonlyArray<PropertyKey>): string {
  const parts: string[] = [];
  for (const segment of path) {
    if (typeof segment === "number" || (typeof segment === "string" && /^\d+$/.test(segment))) break;
    parts.push(String(segment));
  }
  return parts.join(".") || "_form";
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** "2026-03-05" → { day: "05", month: "03", year: "2026" }; partial values keep what was typed. */
export function splitIsoDate(value: string | undefined): DateParts {
  if (!value) return { day: "", month: "", year: "" };
  const [year = "", month = "", day = ""] = value.split("-");
  return { day, month, year };
}

/** { day: "5", month: "3", year: "2026" } → "2026-03-05"; all empty → "". Never validates. */
export function joinDateParts(parts: Partial<DateParts>): string {
  const clean = (s: string | undefined) => (s ?? "").trim().replace(/-/g, "");
  const day = clean(parts.day);
  const month = clean(parts.month);
  const year = clean(parts.year);
  if (!day && !month && !year) return "";
  const pad = (s: string) => (/^\d$/.test(s) ? `0${s}` : s);
  return `${year}-${pad(month)}-${pad(day)}`;
}
