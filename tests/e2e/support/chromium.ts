// Where Chromium is: CHROMIUM_PATH; else Debian's headless shell (package chromium-headless-shell);
// else Debian's /usr/bin/chromium. Shared by the e2e harness and scripts/test.ts (which refuses to
// run browser tests without it).
//
// The headless shell is the same Chromium (same version, same Blink and V8) without the desktop
// browser around it: what Playwright itself runs for headless tests. Measured on
// tests/e2e/hub-journey.test.ts, it used about a third less CPU than the full browser in headless
// mode for the same 26 tests (ADR 023, addendum of 30 November late evening).
import { existsSync } from "node:fs";

export const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
export const FULL_CHROMIUM = "/usr/bin/chromium";

export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : FULL_CHROMIUM;
}

export function chromiumMissingMessage(where = chromiumPath()) {
  return `Chromium not found at ${where}: install it with \`apt-get install -y chromium-headless-shell\` (or chromium) or set CHROMIUM_PATH`;
}

export function hasChromium(where = chromiumPath()) {
  return existsSync(where);
}
