// Pages a person who must set up two-step verification (MFA_REQUIRED_FOR, docs/decisions/029) can
// still reach: the setup page and sign-out. Shared by the server (session.server.ts redirects from
// every other path) and the root route's shouldRevalidate (client-side navigations).

export function isTwoStepSetupPath(pathname: string): boolean {
  const path = pathname.replace(/\.data$/, "");
  return path === "/account/security" || path === "/logout";
}
