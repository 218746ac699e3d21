// openedFromAnotherSite: which navigations count as the person's own choice (ADR 011).
import { describe, expect, it } from "vitest";
import { openedFromAnotherSite, wayBackAfterSignIn } from "~/.server/navigation.server";

const APP = "https://staywell.example.nhs.uk";

function get(headers: Record<string, string>) {
  return new Request(`${APP}/hub/requests/SW-2026-00042`, { headers });
}

describe("openedFromAnotherSite", () => {
  it("a StayWell navigation or data fetch (same-origin) and a typed address or bookmark (none) are chosen", () => {
    for (const site of ["same-origin", "none", "Same-Origin", " none "]) {
      expect(openedFromAnotherSite(get({ "Sec-Fetch-Site": site }), APP), site).toBe(false);
    }
  });

  it("a prefetch or prerender is nobody's choice yet, even from the address bar", () => {
    expect(openedFromAnotherSite(get({ "Sec-Fetch-Site": "none", "Sec-Purpose": "prefetch;prerender" }), APP)).toBe(
      true,
    );
    expect(openedFromAnotherSite(get({ "Sec-Fetch-Site": "same-origin", "Sec-Purpose": "prefetch" }), APP)).toBe(true);
    expect(openedFromAnotherSite(get({ "Sec-Fetch-Site": "same-origin", Purpose: "prefetch" }), APP)).toBe(true);
  });

  it("another site, a sibling subdomain and anything unknown are not", () => {
    for (const site of ["cross-site", "same-site", "", "same-origin, cross-site", "bogus"]) {
      expect(openedFromAnotherSite(get({ "Sec-Fetch-Site": site }), APP), site).toBe(true);
    }
  });

  it("Sec-Fetch-Site wins over the Referer when both are sent", () => {
    expect(openedFromAnotherSite(get({ "Sec-Fetch-Site": "cross-site", Referer: `${APP}/hub` }), APP)).toBe(true);
    expect(openedFromAnotherSite(get({ "Sec-Fetch-Site": "same-origin", Referer: "https://evil.example/" }), APP)).toBe(
      false,
    );
  });

  it("without Sec-Fetch-Site: only a Referer from our own origin is chosen", () => {
    expect(openedFromAnotherSite(get({ Referer: `${APP}/hub?status=open` }), APP)).toBe(false);
    for (const referer of [
      "https://evil.example/",
      `${APP}.evil.example/hub`,
      "http://staywell.example.nhs.uk/hub",
      "https://staywell.example.nhs.uk:8443/hub",
      "https://intranet.example.nhs.uk/",
      "not a url",
    ]) {
      expect(openedFromAnotherSite(get({ Referer: referer }), APP), referer).toBe(true);
    }
    expect(openedFromAnotherSite(get({}), APP)).toBe(true);
  });
});

describe("wayBackAfterSignIn", () => {
  it("makes a hub request page ask before it opens, whoever wrote the sign-in link", () => {
    expect(wayBackAfterSignIn("/hub/requests/SW-2026-00042")).toBe("/hub/requests/SW-2026-00042?confirm=1");
    expect(wayBackAfterSignIn("/hub/requests/SW-2026-00042?done=note")).toBe(
      "/hub/requests/SW-2026-00042?done=note&confirm=1",
    );
    expect(wayBackAfterSignIn("/hub/requests/SW-2026-00042?confirm=0")).toBe("/hub/requests/SW-2026-00042?confirm=1");
  });

  it("asks for every spelling the router would match: letter case, repeated slashes, encoded letters", () => {
    for (const path of [
      "/Hub/Requests/SW-2025-00007",
      "/HUB/REQUESTS/sw-2025-00007",
      "/hub//requests/SW-2025-00012",
      "//hub/requests/SW-1",
      "/%68ub/requests/SW-1",
      "/hub/requests/%FF",
    ]) {
      expect(wayBackAfterSignIn(path), path).toMatch(/[?&]confirm=1$/);
    }
  });

  it("leaves every other way back as it is", () => {
    for (const path of [
      "/my/requests",
      "/hub",
      "/hub?status=new",
      "/support/physiotherapy/request",
      "/hub/requestsX/1",
    ]) {
      expect(wayBackAfterSignIn(path), path).toBe(path);
    }
  });
});
