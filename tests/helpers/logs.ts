// Captures what the app's logger would print (app/.server/log.server.ts), at debug level.
//
//   const logs = captureLogs();      // in beforeAll / at the start of a test
//   …
//   expect(logs.text()).not.toContain(secret);
//   logs.restore();
import { captureLogOutput } from "~/.server/log.server";

export interface LogRecord {
  level: string;
  msg?: string;
  reqId?: string;
  userId?: string;
  [key: string]: unknown;
}

export function captureLogs() {
  const lines: string[] = [];
  const restore = captureLogOutput((line) => lines.push(line));
  return {
    lines,
    /** Everything printed, exactly as it would reach stdout. */
    text: () => lines.join(""),
    records: (): LogRecord[] => lines.map((line) => JSON.parse(line) as LogRecord),
    clear: () => void lines.splice(0),
    restore,
  };
}
