// The keyed hash that stands in for an ESR assignment number (docs/decisions/035-esr-leavers-import.md).
// StayWell never stores assignment numbers: only HMAC-SHA256(key, normalised number), so a re-upload
// of the same leaver is recognised, while the stored value cannot be turned back into the number
// (nor checked against a guessed one) without the key.
//
// The key is ESR_ASSIGNMENT_KEY (any string of 32 characters or more; e.g. `openssl rand -base64 32`).
// Unset, a fixed demo key is used, except on a production deploy (NODE_ENV=production with
// DATABASE_URL set, as for the two-step start check), where importing is refused until it is set;
// the embedded demo (`npm start`) runs in production mode with the demo key. Keep the key for good: with another key the same leaver hashes
// differently, so a re-upload would count them twice.
import { createHmac } from "node:crypto";

export const DEMO_ESR_ASSIGNMENT_KEY = "staywell-demo-esr-assignment-key-not-for-production";

export class MissingEsrKeyError extends Error {
  constructor() {
    super("ESR_ASSIGNMENT_KEY is not set: ESR leavers cannot be imported until it is");
    this.name = "MissingEsrKeyError";
  }
}

/** The key in force: ESR_ASSIGNMENT_KEY, else the demo key except on a production deploy. */
export function esrAssignmentKey(environment: NodeJS.ProcessEnv = process.env): string {
  const key = environment.ESR_ASSIGNMENT_KEY?.trim();
  if (key) {
    if (key.length < 32) throw new Error("ESR_ASSIGNMENT_KEY must be 32 characters or more");
    return key;
  }
  if (environment.NODE_ENV === "production" && environment.DATABASE_URL) throw new MissingEsrKeyError();
  return DEMO_ESR_ASSIGNMENT_KEY;
}

/** "  12345678-2 " and "12345678-2" are the same assignment. */
export function normaliseAssignmentNumber(text: string): string {
  return text.trim().toUpperCase();
}

/** Returns a hasher bound to the key (look the key up once per import, not per row). */
export function assignmentHasher(key = esrAssignmentKey()): (assignmentNumber: string) => string {
  return (assignmentNumber) =>
    createHmac("sha256", key).update(normaliseAssignmentNumber(assignmentNumber)).digest("hex");
}
