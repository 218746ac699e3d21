// The root route runs its loader again on every client-side navigation that starts on the
// two-step setup page, so someone who must set it up (MFA_REQUIRED_FOR) and follows a link to a
// public page is sent back by the root loader's redirect (docs/decisions/029). Elsewhere Remix's
// own decision stands.
import { describe, expect, it } from "vitest";
import { shouldRevalidate } from "~/root";

function navigation(from: string, to: string, defaultShouldRevalidate: boolean) {
  const base = "http://staywell.test";
  return shouldRevalidate({
    currentUrl: new URL(from, base),
    nextUrl: new URL(to, base),
    currentParams: {},
    nextParams: {},
    defaultShouldRevalidate,
  });
}

describe("root shouldRevalidate", () => {
  it("asks the root loader again when leaving the setup page (or sign-out) for any page", () => {
    expect(navigation("/account/security", "/support", false)).toBe(true);
    expect(navigation("/account/security?done=off", "/privacy", false)).toBe(true);
    expect(navigation("/logout", "/support/physio", false)).toBe(true);
  });

  it("leaves other navigations to Remix's default", () => {
    expect(navigation("/support", "/privacy", false)).toBe(false);
    expect(navigation("/my/requests", "/support", false)).toBe(false);
    expect(navigation("/support", "/privacy", true)).toBe(true);
    expect(navigation("/account/securityx", "/support", false)).toBe(false);
  });
});
