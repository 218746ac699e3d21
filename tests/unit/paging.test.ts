import { describe, expect, it } from "vitest";
import { MAX_PAGE, pageNumber } from "~/lib/paging";

describe("page numbers from a URL or a form", () => {
  it("keeps whole numbers from 1 to MAX_PAGE", () => {
    expect(pageNumber("1")).toBe(1);
    expect(pageNumber(" 7 ")).toBe(7);
    expect(pageNumber(String(MAX_PAGE))).toBe(MAX_PAGE);
    expect(pageNumber(3)).toBe(3);
  });
  it("turns anything else into page 1, never an offset the database cannot take", () => {
    for (const value of [
      "1e309",
      "99999999999999999999",
      String(MAX_PAGE + 1),
      "0",
      "-3",
      "2.5",
      "abc",
      "",
      "%00",
      "\u0000",
      null,
      undefined,
      Infinity,
      NaN,
      Number("1e309"),
      2.5,
      -1,
    ]) {
      expect(pageNumber(value), String(value)).toBe(1);
    }
  });
});
