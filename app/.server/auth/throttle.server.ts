// Sign-in, sign-up and verification-mail throttling: the policy (numbers and pure functions). The
// counting lives in the database (models/auth-throttle.server.ts), shared by every app instance.
// docs/decisions/017-sign-in-throttling.md explains the numbers.
import { isIP } from "node:net";

/** Failed sign-ins for one (client, address) pair that are free; each further one makes the pair wait. */
export const FREE_FAILURES_PER_PAIR = 5;
/** The first wait (after the 5th failure), doubled after each further failure… */
export const FIRST_DELAY_SECONDS = 30;
/** …up to this (15 minutes). */
export const MAX_DELAY_SECONDS = 15 * 60;
/** A pair's failures count for this long (the delay schedule does not reset within a day). */
export const PAIR_WINDOW_HOURS = 24;

/** Failed sign-ins from one client, across any addresses, within CLIENT_WINDOW_MINUTES… */
export const CLIENT_FAILURE_LIMIT = 20;
export const CLIENT_WINDOW_MINUTES = 15;
/** …refuse every sign-in from that client for this long after the failure that reached the limit. */
export const CLIENT_REFUSAL_MINUTES = 15;

/** The owner is warned at the 5th failure for their address (from any clients) within an hour… */
export const WARNING_AFTER_FAILURES = 5;
export const WARNING_WINDOW_MINUTES = 60;
/** …and at most once an hour. */
export const WARNING_INTERVAL_MINUTES = 60;

/** Account mails ("choose your password" link, "you already have an account") per address per hour. */
export const ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR = 3;
/** Sign-ups (forms that pass validation for a partner domain) per client per hour. */
export const SIGNUPS_PER_CLIENT_PER_HOUR = 10;

/** Attempt rows older than this are deleted by the daily purge (no window is longer). */
export const RETENTION_HOURS = 24;

/**
 * Seconds the (client, address) pair must wait after its latest failure, given how many failures
 * it has had in the window: none for the first four, then 30 s after the 5th, doubling, capped at
 * 15 minutes (5th: 30 s, 6th: 1 min, 7th: 2 min, 8th: 4 min, 9th: 8 min, 10th and after: 15 min).
 */
export function pairDelaySeconds(failures: number): number {
  if (!Number.isFinite(failures) || failures < FREE_FAILURES_PER_PAIR) return 0;
  const steps = Math.min(failures - FREE_FAILURES_PER_PAIR, 10);
  return Math.min(FIRST_DELAY_SECONDS * 2 ** steps, MAX_DELAY_SECONDS);
}

/**
 * When a client is refused: given the times of its most recent failures (any order), the moment
 * the refusal ends, or null when it is not refused at `now`. A client is refused for
 * CLIENT_REFUSAL_MINUTES after any failure that was its CLIENT_FAILURE_LIMIT-th within
 * CLIENT_WINDOW_MINUTES. Refused attempts are not failures (the password is not checked), so the
 * refusal is not extended by knocking on the door; it ends, and the next failure starts again.
 */
export function clientRefusedUntil(failureTimes: readonly Date[], now: Date): Date | null {
  const times = failureTimes.map((t) => t.getTime()).sort((a, b) => b - a);
  const windowMs = CLIENT_WINDOW_MINUTES * 60_000;
  const refusalMs = CLIENT_REFUSAL_MINUTES * 60_000;
  // times[i] is the newest of a run of CLIENT_FAILURE_LIMIT when times[i + limit - 1] is within the window of it.
  for (let i = 0; i + CLIENT_FAILURE_LIMIT - 1 < times.length; i++) {
    const until = times[i] + refusalMs;
    if (until <= now.getTime()) break; // older runs ended even earlier
    if (times[i] - times[i + CLIENT_FAILURE_LIMIT - 1] <= windowMs) return new Date(until);
  }
  return null;
}

/** How far back clientRefusedUntil needs failures to decide at `now`. */
export function clientLookbackStart(now: Date) {
  return new Date(now.getTime() - (CLIENT_WINDOW_MINUTES + CLIENT_REFUSAL_MINUTES) * 60_000);
}

/**
 * The key one client is counted under: its IPv4 address, or the /64 prefix of an IPv6 address
 * (one household or phone is given a whole /64 and can pick any address in it). An IPv4 address
 * written as IPv6 (::ffff:192.0.2.1) is the IPv4 address. Without an address (a request that did
 * not come through server.ts) every such request shares the key "unknown".
 */
export function clientKey(address: string | null | undefined): string {
  if (!address) return "unknown";
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  if (mapped && isIP(mapped[1]) === 4) return mapped[1];
  const kind = isIP(trimmed);
  if (kind === 4) return trimmed;
  if (kind === 6) return `${ipv6Groups(trimmed).slice(0, 4).join(":")}::/64`;
  return "unknown";
}

/** The eight groups of an IPv6 address, without leading zeros (zone id dropped; embedded IPv4 ignored). */
function ipv6Groups(address: string): string[] {
  const plain = address.split("%")[0].toLowerCase();
  const [head, tail] = plain.includes("::") ? plain.split("::") : [plain, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill("0"), ...tailGroups];
  return groups.map((g) => (g.includes(".") ? g : String(parseInt(g || "0", 16).toString(16))));
}

/** "30 seconds", "1 minute", "15 minutes": a wait, rounded up, as the page says it. */
export function describeWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} ${s === 1 ? "second" : "seconds"}`;
  const m = Math.ceil(s / 60);
  return `${m} ${m === 1 ? "minute" : "minutes"}`;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as express sees it (req.ip, after `trust proxy`): server.ts getLoadContext. */
    clientAddress?: string;
  }
}

/** The client key of a loader or action's request, from the load context server.ts gives it. */
export function clientOf(context: { clientAddress?: string } | undefined): string {
  return clientKey(context?.clientAddress);
}
