// Sign-ins reused per worker (ADR 023 and its addendum of 2026-11-30 late evening). A sign-in costs
// the login page, the server's argon2 check of the password and a redirect; a test that is not about
// signing in only needs the session. After a real sign-in as someone, their session cookies are kept
// for the worker's server: in memory for the file, and in a file next to the server's DATA_DIR for
// the worker's later files (a worker's files run one after another against its own server, so
// nothing else writes that file meanwhile). A later sign-in as the same person puts those cookies
// into the (fresh) context and opens where the sign-in would have gone: the redirectTo, else the
// page the real sign-in landed on. If the server no longer accepts the session (it was signed out or
// invalidated) the page is the login page, and the caller signs in for real. Tests that are about
// signing in (the form, the landing per role, sign-up, two-step, sign-out, a password change) do not
// use this and keep nothing for others.
// E2E_REUSE_SESSIONS=0 turns it off.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Cookie, Page } from "playwright-core";
import { e2e, visit } from "./browser";
import { stats } from "./stats";

interface SavedSession {
  cookies: Cookie[];
  /** Where a sign-in without redirectTo landed (path + search), when one was seen. */
  landing?: string;
}

let saved: Map<string, SavedSession> | undefined;

/**
 * A new file (setup.ts): its sessions are read again from the worker's file, as when every file ran
 * in a process of its own (the same content: only this worker writes it, always the whole map).
 */
export function resetSessionsForFile() {
  saved = undefined;
}

function enabled() {
  return process.env.E2E_REUSE_SESSIONS !== "0";
}

/** This worker's kept sessions, shared by its files: beside its server's DATA_DIR. */
function sessionsFile() {
  const { dataDir } = e2e();
  return path.join(path.dirname(dataDir), `sessions-${path.basename(dataDir)}.json`);
}

function sessions(): Map<string, SavedSession> {
  if (!saved) {
    saved = new Map();
    try {
      const kept = JSON.parse(readFileSync(sessionsFile(), "utf8")) as Record<string, SavedSession>;
      for (const [email, session] of Object.entries(kept)) saved.set(email, session);
    } catch {
      // None kept yet on this worker.
    }
  }
  return saved;
}

function keep() {
  writeFileSync(sessionsFile(), JSON.stringify(Object.fromEntries(sessions())));
}

/** Remembers the session `page` is signed in with, as `email`; `redirectTo` as passed to the sign-in. */
export async function rememberSession(page: Page, email: string, redirectTo?: string) {
  if (!enabled()) return;
  const cookies = await page.context().cookies(e2e().baseURL);
  const current = new URL(page.url());
  const previous = sessions().get(email.toLowerCase());
  sessions().set(email.toLowerCase(), {
    cookies,
    landing: redirectTo ? previous?.landing : `${current.pathname}${current.search}`,
  });
  keep();
}

/**
 * Signs `page`'s context in as `email` with a session kept from earlier on this worker and opens
 * `redirectTo` (or the remembered landing page). False when there is none to reuse or the server
 * refused it: then sign in for real.
 */
export async function reuseSession(page: Page, email: string, javaScript: boolean, redirectTo?: string) {
  if (!enabled()) return false;
  const session = sessions().get(email.toLowerCase());
  const target = redirectTo ?? session?.landing;
  if (!session || !target) return false;
  await page.context().addCookies(session.cookies);
  const response = await visit(page, target, javaScript);
  if (new URL(page.url()).pathname.startsWith("/login") || !response || response.status() >= 400) {
    sessions().delete(email.toLowerCase());
    keep();
    await page.context().clearCookies();
    return false;
  }
  stats.signInsReused++;
  return true;
}
