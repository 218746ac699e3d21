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
