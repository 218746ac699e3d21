// Page numbers from a URL or a form (?page=): a whole number from 1 to MAX_PAGE; anything else
// ("1e309", "99999999999999999999", "-3", "2.5", "abc", missing) is page 1, never an error and
// never an OFFSET the database cannot take (docs/decisions/019-hostile-input.md).
export const MAX_PAGE = 1_000_000;

export function pageNumber(value: unknown): number {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 1 && value <= MAX_PAGE ? value : 1;
  if (typeof value !== "string" || !/^\s*\d{1,7}\s*$/.test(value)) return 1;
  const n = Number(value);
  return n >= 1 && n <= MAX_PAGE ? n : 1;
}
