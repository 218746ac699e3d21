// CSRF defence for every non-GET request: the browser's Origin header must be our own origin.
// Session cookies are also SameSite=Lax; this check covers the rest (same-site subdomains, old
// browsers). A request with no Origin at all is refused too: every current browser sends one on POST.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isAllowedOrigin(method: string, originHeader: string | null | undefined, appUrl: string) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (!originHeader) return false;
  try {
    return new URL(originHeader).origin === new URL(appUrl).origin;
  } catch {
    return false;
  }
}

/**
 * Remix refuses an action whose Origin names another host than X-Forwarded-Host (else Host) by
 * throwing, which is a 500. The same rule, checked first so the answer is the 403 it should be.
 */
export function originMatchesHost(
  method: string,
  originHeader: string | null | undefined,
  host: string | undefined,
  forwardedHost: string | undefined,
) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (!originHeader) return false;
  const expected = forwardedHost?.split(",")[0]?.trim() || host;
  try {
    return !!expected && new URL(originHeader).host === expected;
  } catch {
    return false;
  }
}
