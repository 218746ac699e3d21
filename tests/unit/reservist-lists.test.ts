// The reservist needs list's caption (user walk, fix 2): no "page 1" when there is only one page.
import { describe, expect, it } from "vitest";
import { needsCaption } from "~/lib/reservists";

describe("needsCaption", () => {
  it("says Needs for a single page and numbers the pages when there are more", () => {
    expect(needsCaption(1, false)).toBe("Needs");
    expect(needsCaption(1, true)).toBe("Needs, page 1");
    expect(needsCaption(2, false)).toBe("Needs, page 2");
  });
});
