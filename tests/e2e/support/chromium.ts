// Where Chromium is: CHROMIUM_PATH, or Debian's /usr/bin/chromium. Shared by the e2e harness and
// scripts/test.ts (which refuses to run browser tests without it).
import { existsSync } from "node:fs";

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

export function chromiumMissingMessage(where = chromiumPath()) {
  return `Chromium not found at ${where}: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`;
}

export function hasChromium(where = chromiumPath()) {
  return existsSync(where);
}
