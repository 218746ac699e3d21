// One-time messages carried from an action to the page it redirects to, in a cookie rather than
// the URL (review of issue 12, findings 12 and 14):
// - a "saved" banner shows only after a save that worked, once: a reload, or a later failed save
//   posted to the same address, no longer shows it;
// - an email address typed on sign-up or "Request access" is shown back on the next page without
//   ever being in a URL (URLs end up in server logs, browser history and Referer headers).
//
// The cookie is HttpOnly, SameSite=Lax, short-lived and removed as it is read. It is
// not signed: it holds only what this browser itself typed or a banner name, is shown as text,
// and nothing is decided from it. Nothing is kept in the server's memory (several instances).
import { isSecureCookie } from "~/.server/auth/lucia.server";

const PREFIX = "staywell_flash_";

/** How long a flash waits for its page. */
export const FLASH_SECONDS = 15 * 60;

function cookieName(key: string) {
  return `${PREFIX}${key}`;
}

// Path=/ whatever page reads it: with single fetch the page's data comes from `<path>.data`
// (/account.data), which a cookie limited to Path=/account is not sent to.
function attributes(_path: string, maxAge: number) {
  return ["Path=/", `Max-Age=${maxAge}`, "HttpOnly", "SameSite=Lax", ...(isSecureCookie() ? ["Secure"] : [])].join(
    "; ",
  );
}

/** The Set-Cookie value that carries `value` to the page at `path` (read there with readFlash). */
export function setFlash(key: string, value: string, path: string): string {
  const encoded = Buffer.from(value, "utf8").toString("base64url");
  return `${cookieName(key)}=${encoded}; ${attributes(path, FLASH_SECONDS)}`;
}

/** The Set-Cookie value that removes the flash `key` for `path`. */
export function clearFlash(key: string, path: string): string {
  return `${cookieName(key)}=; ${attributes(path, 0)}`;
}

/** The flash `key` in the request's cookies, or null; at most `max` characters, no control characters. */
export function readFlash(request: Request, key: string, max = 254): string | null {
  const header = request.headers.get("Cookie") ?? "";
  const name = cookieName(key);
  for (const part of header.split(";")) {
    const [k, ...rest] = part.trim().split("=");
    if (k !== name) continue;
    const raw = rest.join("=");
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(raw)) return null;
    const value = Buffer.from(raw, "base64url")
      .toString("utf8")
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
    return value ? value.slice(0, max) : null;
  }
  return null;
}

/** The banner of /account ("saved", "sent", "changed"). */
export const ACCOUNT_FLASH = "account";
/** The address typed on sign-up, shown at /signup/check-email. */
export const SIGNUP_EMAIL_FLASH = "signup_email";
/** The address typed on "Request access", shown at /request-access/sent. */
export const ACCESS_EMAIL_FLASH = "access_email";
