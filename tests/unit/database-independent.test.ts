// The integration files run only once by `npm test` (not on PostgreSQL) must really not use the
// test database: were one to start using it, the PostgreSQL run would silently test less.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DATABASE_INDEPENDENT_FILES } from "../helpers/database-independent";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** What a file that reaches the test database uses (tests/helpers/test-db.ts and db/current.ts). */
const USES_TEST_DATABASE = [/helpers\/test-db/, /@db\/current/, /\bgetDb\(/, /\binject\(/, /\bgetDatabaseHandle\b/];

describe("integration files run on one database only", () => {
  it.each(DATABASE_INDEPENDENT_FILES)("%s uses no test database", (file) => {
    const source = readFileSync(path.join(root, file), "utf8");
    for (const pattern of USES_TEST_DATABASE) expect(source, `${file} matches ${pattern}`).not.toMatch(pattern);
  });

  it("the check itself recognises a file that uses the test database", () => {
    const source = readFileSync(path.join(root, "tests/integration/hub-visibility.test.ts"), "utf8");
    expect(USES_TEST_DATABASE.some((p) => p.test(source))).toBe(true);
  });
});
