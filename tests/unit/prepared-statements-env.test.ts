// DATABASE_PREPARED_STATEMENTS (db/open-from-env.ts): on unless exactly "false"; a typo stops the
// server rather than silently leaving statements prepared behind a pooler that cannot keep them.
import { describe, expect, it } from "vitest";
import { preparedStatementsFromEnv } from "../../db/open-from-env";

describe("preparedStatementsFromEnv", () => {
  it("is true when unset, empty or true, false for false, and refuses anything else", () => {
    expect(preparedStatementsFromEnv(undefined)).toBe(true);
    expect(preparedStatementsFromEnv("")).toBe(true);
    expect(preparedStatementsFromEnv("true")).toBe(true);
    expect(preparedStatementsFromEnv("false")).toBe(false);
    for (const bad of ["0", "no", "FALSE", "off"])
      expect(() => preparedStatementsFromEnv(bad)).toThrow(/DATABASE_PREPARED_STATEMENTS must be true or false/);
  });
});
