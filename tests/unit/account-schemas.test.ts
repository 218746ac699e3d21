// The name check shared by sign-up, request access and /account: what counts as a link, and that
// a long name costs time in proportion to its length (the fuzz test found a 130 KB name taking 20 s
// of CPU in POST /signup: a backtracking regex, 2026-11-30).
import { describe, expect, it } from "vitest";
import { looksLikeLink, NAME_WITH_LINK_MESSAGE, personNameField } from "~/schemas/accounts";

describe("looksLikeLink", () => {
  it.each([
    "https://evil.example",
    "ftp://x",
    "see javascript://x",
    "www.example",
    "a@b.org",
    "[me](x)",
    "<b>",
    "evil.com",
  ])("finds a link in %j", (value) => expect(looksLikeLink(value)).toBe(true));

  it.each(["St.John Smith", "J. Smith", "Mary-Jane O'Neil", "Dr A: Smith", "Ngozi Ọkọnkwọ"])(
    "takes %j for a name",
    (value) => expect(looksLikeLink(value)).toBe(false),
  );

  it("answers for a million letters at once (linear, no backtracking)", () => {
    // With the old scheme regex this was ~5 * 10^11 steps: the test would run into its timeout.
    expect(looksLikeLink("a".repeat(1_000_000))).toBe(false);
    expect(looksLikeLink(`${"a".repeat(1_000_000)}://`)).toBe(true);
  });
});

describe("personNameField", () => {
  it("says only that an over-long name is too long (the link check does not run on it)", () => {
    const result = personNameField.safeParse(`${"x".repeat(200_000)}.com`);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(["Full name must be 100 characters or fewer"]);
  });

  it("still refuses a link in a name of allowed length", () => {
    const result = personNameField.safeParse("Jo https://x.example");
    expect(result.error?.issues.map((i) => i.message)).toEqual([NAME_WITH_LINK_MESSAGE]);
  });
});
