import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/.server/auth/session.server";

describe("redirectTo after sign-in", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeRedirectPath("/my/requests")).toBe("/my/requests");
    expect(safeRedirectPath("/hub?status=open&assignee=me#top")).toBe("/hub?status=open&assignee=me#top");
    expect(safeRedirectPath("/support/physiotherapy/request")).toBe("/support/physiotherapy/request");
  });

  it("refuses anything a browser could take to another site", () => {
    for (const evil of [
      "//evil.example",
      "/\\evil.example",
      "/./\\evil.example",
      "/x/../\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/x",
      "/%E3%80%82/x".replace("%E3%80%82", "\u3002"),
      "https://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "/x/../../y",
      "/./y",
      "",
      null,
      undefined,
    ]) {
      expect(safeRedirectPath(evil as string, "/fallback"), JSON.stringify(evil)).toBe("/fallback");
    }
  });
});
