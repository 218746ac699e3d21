// Did the person choose to open this page, or did a link on another site send them here?
//
// A hub request page records a "view" that the person it belongs to can read. A link on another
// site (a web-mail message, a chat, a malicious page) must not be able to add one: such a visit
// first shows an "Open request …?" step (ADR 011). The browser tells us where a navigation came
// from in Sec-Fetch-Site, a header page script cannot set or change:
//   same-origin  a link, form, redirect or Remix data fetch started by a StayWell page  -> chosen
//   none         typed into the address bar, a bookmark, or opened from an app outside
//                the browser (the desktop mail client)                                  -> chosen
//   same-site    another subdomain of the same registrable domain (a trust intranet,
//                which many people can edit)                                            -> not chosen
//   cross-site   anything else                                                          -> not chosen
// A redirect chain keeps the least trusted value of its steps, so a cross-site link cannot become
// same-origin by bouncing through one of our own redirects.
// Browsers too old to send Sec-Fetch-Site (before Safari 16.4) are judged by the Referer: our own
// origin counts as chosen (our Referrer-Policy, same-origin, sends it only to ourselves); a foreign
// or missing Referer does not. Pages cannot be framed (X-Frame-Options: DENY), so another site
// cannot trick a click on the step itself.
import type { CurrentUser } from "./auth/types";
import { env } from "./env";
import { canAdminister, canSeeInsights, canUseHub } from "./permissions.server";

const CHOSEN_SITES = new Set(["same-origin", "none"]);

/**
 * A prefetch or prerender (Chrome prerenders from the address bar while the person is still
 * typing; links may be prefetched): nobody is looking at the page yet, so it is not chosen.
 */
function isSpeculative(request: Request): boolean {
  const purpose = `${request.headers.get("Sec-Purpose") ?? ""} ${request.headers.get("Purpose") ?? ""} ${request.headers.get("X-Moz") ?? ""}`;
  return /prefetch|prerender/i.test(purpose);
}

/** True when the request is a navigation the person did not start inside StayWell (or type). */
export function openedFromAnotherSite(request: Request, appUrl: string = env().APP_URL): boolean {
  if (isSpeculative(request)) return true;
  const site = request.headers.get("Sec-Fetch-Site");
  if (site !== null) return !CHOSEN_SITES.has(site.trim().toLowerCase());
  const referer = request.headers.get("Referer");
  if (!referer) return true;
  try {
    return new URL(referer).origin !== new URL(appUrl).origin;
  } catch {
    return true;
  }
}

/**
 * Is this way back a hub request page (ADR 011)? Judged the way the router would match it: routes
 * match whatever the letter case, repeated slashes and percent-encoded letters ("/Hub//requests/…",
 * "/%68ub/requests/…"), so the path is decoded, folded to lower case and its slashes collapsed
 * before it is compared. An undecodable path is treated as one, to be safe.
 */
function isHubRequestPath(path: string): boolean {
  const pathname = path.split(/[?#]/, 1)[0] ?? "";
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return true;
  }
  const normal = decoded.replace(/[\\/]+/g, "/").toLowerCase();
  return /^\/hub\/requests\/[^/]+/.test(normal);
}

/**
 * Where to go after signing in. The way back is whatever `redirectTo` the sign-in page was given,
 * and another site can write that link (`/login?redirectTo=/hub/requests/SW-…`): the sign-in's own
 * redirect is same-origin, so a hub request page would open and record a view the coordinator
 * never chose. Any hub request path therefore comes back with the page's confirm marker.
 */
export function wayBackAfterSignIn(path: string): string {
  if (!isHubRequestPath(path)) return path;
  const url = new URL(path, "http://staywell.invalid");
  url.searchParams.set("confirm", "1");
  return `${url.pathname}${url.search}`;
}

/**
 * Where a person works, and so where signing in takes them when no `redirectTo` says otherwise:
 * administrators to administration, coordinators (hub work and a team) to their queue, managers
 * to insights, everyone else to their own requests. Asked of the permission module only: an
 * administrator who is also in a hub team lands on administration (the hub is one click away).
 */
export async function workplaceFor(caller: CurrentUser): Promise<string> {
  if (canAdminister(caller)) return "/admin";
  if (await canUseHub(caller)) return "/hub";
  if (canSeeInsights(caller)) return "/insights";
  return "/my/requests";
}
