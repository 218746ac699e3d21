// The name check shared by sign-up, request access and /account: what counts as a link, and that
// a long name costs time in proportion to its length (the fuzz test found a 130 KB name taking 20 s
// of CPU in POST /signup: a backtracking regex, 2026-11-30).
import { describe, expect, it } from "vitest";
import {
  looksLikeLink,
  NAME_WITH_LINK_MESSAGE,
  newLinkSchema,
  personNameField,
  signupSchema,
} from "~/schemas/accounts";
import { slugSchema } from "~/schemas/admin-offers";
import { sharedDomainSchema } from "~/schemas/joining";

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

describe("length checks abort before any other check (docs/decisions/019-hostile-input.md)", () => {
  // zod 4 runs later checks after a failed .max() unless it aborts: a 1 MB address was still run
  // through the email regex (430 ms on this machine), a 1 MB domains box split and checked
  // entry by entry (1.8 s). Each case: only the length message, and a valid value still passes.
  const cases = [
    ["sign-up email", signupSchema.shape.email, `a@${"a.".repeat(500_000)}!`, "name@uhnm.nhs.uk"],
    ["new-link email", newLinkSchema.shape.email, "a".repeat(1_000_000), "name@uhnm.nhs.uk"],
    ["shared domain", sharedDomainSchema.shape.domain, `${"a.".repeat(500_000)}!`, "nhs.net"],
    ["offer slug", slugSchema, `${"a-".repeat(500_000)}!`, "talking-therapies"],
  ] as const;

  it.each(cases)("%s: one issue, the length", (_name, schema, hostile, good) => {
    const result = schema.safeParse(hostile);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.code).toBe("too_big");
    expect(schema.safeParse(good).success).toBe(true);
  });
});
