// Passwords: argon2id (OWASP's recommended parameters), 12+ characters, no composition rules,
// refused when on a common-password list (NCSC / NIST SP 800-63B guidance).
import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";

const ARGON2ID = 2; // Algorithm.Argon2id (the const enum is not importable under isolatedModules)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string) {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string) {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let common: Set<string> | undefined;

/**
 * True when the password is on the common-password list, also after removing the digits and
 * symbols people add at the end ("password1234!" is as weak as "password").
 */
export function isCommonPassword(password: string) {
  common ??= new Set(dictionary["passwords-common"] as string[]);
  const lower = password.toLowerCase();
  if (common.has(lower)) return true;
  const stem = lower.replace(/[\d\W_]+$/, "");
  if (stem.length >= 4 && common.has(stem)) return true;
  // A single character or a short pattern repeated ("aaaaaaaaaaaa", "abcabcabcabc").
  return /^(.{1,3})\1+$/.test(lower);
}

// A real hash to compare against when the email is unknown, so a wrong email takes as long as a
// wrong password and sign-in does not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash() {
  dummyHash ??= hashPassword("not-a-real-password-for-timing");
  return dummyHash;
}
