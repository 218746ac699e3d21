// db/query.ts integerList / integerLiteral: server-chosen integers (a caller's team and offer ids, a
// page size) written into a statement's text instead of sent as parameters, so a prepared
// statement's generic plan knows them (ADR 041, addendum of 30 November late evening). Anything but
// a safe integer is refused, so nothing else can reach the text through them.
import { describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { integerList, integerLiteral, sql } from "@db/client";

const dialect = new PgDialect();
const render = (query: ReturnType<typeof sql>) => dialect.sqlToQuery(query);

describe("integerList and integerLiteral", () => {
  it("write the integers into the text, with no parameter", () => {
    expect(render(sql`offer_id in ${integerList([4, 7, 12])} limit ${integerLiteral(26)}`)).toEqual({
      sql: "offer_id in (4, 7, 12) limit 26",
      params: [],
    });
    expect(render(sql`x in ${integerList([-3, 0])}`).sql).toBe("x in (-3, 0)");
  });

  it("give (null) for an empty list, which matches nothing", () => {
    expect(render(sql`team_id in ${integerList([])}`)).toEqual({ sql: "team_id in (null)", params: [] });
  });

  it("refuse anything but safe integers", () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, "1) or (1=1" as unknown as number]) {
      expect(() => integerList([1, bad])).toThrow(/Not an integer/);
      expect(() => integerLiteral(bad)).toThrow(/Not an integer/);
    }
  });
});
