// "Firefox on Windows": what /account/sessions says about a session's browser, from its
// User-Agent. Approximate on purpose (a User-Agent can say anything); unknown parts are said so.
/**
 * What /\bVersion\/[\d.]+.*Safari\//: "Version/<digit or dot>" and, later on the same line,
 * "Safari/". Searched, not matched with that regex: unanchored, its .* re-scanned the rest of the
 * text from every "Version/" (a 100 KB User-Agent of them took 4.7 s; the stored one is cut to
 * 512 characters, so 0.3 ms, but the rule is no such regex on user input).
 */
const SAFARI = {
  test(userAgent: string) {
    return userAgent.split(/[\n\r\u2028\u2029]/).some((line) => {
      const at = line.search(/\bVersion\/[\d.]/);
      return at !== -1 && line.indexOf("Safari/", at + "Version/".length + 1) !== -1;
    });
  },
};

const BROWSERS: ReadonlyArray<[Pick<RegExp, "test">, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\b(?:OPR|Opera)\//, "Opera"],
  [/\b(?:Firefox|FxiOS)\//, "Firefox"],
  [/\b(?:Chrome|CriOS|Chromium)\//, "Chrome"],
  [SAFARI, "Safari"],
];

const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\biPad\b/, "iPad"],
  [/\biPhone\b/, "iPhone"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "Mac"],
  [/\bLinux\b/, "Linux"],
];

export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown browser";
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `A browser on ${system}`;
  return "Unknown browser";
}
