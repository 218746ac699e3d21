// Sign-ins reused within a test file (ADR 023). A sign-in costs the login page, the server's
// argon2 check of the password and a redirect; a test that is not about signing in only needs the
// session. After a file's first real sign-in as someone, their session cookies are kept (per file:
// module state, each file runs in its own process); a later sign-in as the same person in the same
// file puts those cookies into the (fresh) context and opens where the sign-in would have gone:
// the redirectTo, else the page the real sign-in landed on. If the server no longer accepts the
// session (it was signed out or invalidated) the page is the login page, and the caller signs in
// for real. Tests that are about signing in (the form, the landing per role, sign-up) do not use
// this. E2E_REUSE_SESSIONS=0 turns it off.
import type { Cookie, Page } from "playwright-core";
import { e2e, visit } from "./browser";
import { stats } from "./stats";

interface SavedSession {
  cookies: Cookie[];
  /** Where a sign-in without redirectTo landed (path + search), when one was seen. */
  landing?: string;
}

const saved = new Map<string, SavedSession>();

function enabled() {
  return process.env.E2E_REUSE_SESSIONS !== "0";
}

/** Remembers the session `page` is signed in with, as `email`; `redirectTo` as passed to the sign-in. */
export async function rememberSession(page: Page, email: string, redirectTo?: string) {
  if (!enabled()) return;
  const cookies = await page.context().cookies(e2e().baseURL);
  const current = new URL(page.url());
  const previous = saved.get(email.toLowerCase());
  saved.set(email.toLowerCase(), {
    cookies,
    landing: redirectTo ? previous?.landing : `${current.pathname}${current.search}`,
  });
}

/**
 * Signs `page`'s context in as `email` with a session kept from earlier in this file and opens
 * `redirectTo` (or the remembered landing page). False when there is none to reuse or the server
 * refused it: then sign in for real.
 */
export async function reuseSession(page: Page, email: string, javaScript: boolean, redirectTo?: string) {
  if (!enabled()) return false;
  const session = saved.get(email.toLowerCase());
  const target = redirectTo ?? session?.landing;
  if (!session || !target) return false;
  await page.context().addCookies(session.cookies);
  const response = await visit(page, target, javaScript);
  if (new URL(page.url()).pathname.startsWith("/login") || !response || response.status() >= 400) {
    saved.delete(email.toLowerCase());
    await page.context().clearCookies();
    return false;
  }
  stats.signInsReused++;
  return true;
}
