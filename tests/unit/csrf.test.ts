import { describe, expect, it } from "vitest";
import { isAllowedOrigin } from "~/.server/csrf.server";

const APP = "https://staywell.example.nhs.uk";

describe("CSRF origin check", () => {
  it("lets safe methods through whatever their origin", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get"])
      expect(isAllowedOrigin(method, "https://evil.example", APP)).toBe(true);
  });
  it("accepts a POST from our own origin", () => {
    expect(isAllowedOrigin("POST", "https://staywell.example.nhs.uk", APP)).toBe(true);
  });
  it("refuses a POST from another site, a look-alike, another port or scheme, or with no origin", () => {
    for (const origin of [
      "https://evil.example",
      "https://staywell.example.nhs.uk.evil.example",
      "http://staywell.example.nhs.uk",
      "https://staywell.example.nhs.uk:8443",
      "null",
      "",
      null,
      undefined,
    ]) {
      expect(isAllowedOrigin("POST", origin, APP), String(origin)).toBe(false);
    }
    expect(isAllowedOrigin("DELETE", "https://evil.example", APP)).toBe(false);
  });
});

describe("Origin and Host agree (Remix would throw a 500 otherwise)", () => {
  it("accepts the same host, through a proxy's X-Forwarded-Host too, and refuses a mismatch", async () => {
    const { originMatchesHost } = await import("~/.server/csrf.server");
    expect(originMatchesHost("GET", "https://evil.example", "staywell.example.nhs.uk", undefined)).toBe(true);
    expect(originMatchesHost("POST", APP, "staywell.example.nhs.uk", undefined)).toBe(true);
    expect(originMatchesHost("POST", APP, "127.0.0.1:3000", "staywell.example.nhs.uk, proxy.internal")).toBe(true);
    expect(originMatchesHost("POST", APP, "127.0.0.1:3000", undefined)).toBe(false);
    expect(originMatchesHost("POST", APP, undefined, undefined)).toBe(false);
    expect(originMatchesHost("POST", "not a url", "staywell.example.nhs.uk", undefined)).toBe(false);
  });
});
