// Two-step verification: the policy and the cryptography (docs/decisions/029-two-step-verification.md).
// Storage and the sign-in challenge live in models/two-step.server.ts.
//
// - TOTP (RFC 6238) with otpauth: SHA-1, 6 digits, 30-second steps — what every authenticator app
//   reads from the QR code. A code is accepted for the current step and one either side (clock
//   drift), and only for a step later than the last one accepted (no replay).
// - The secret (160 bits) is encrypted with AES-256-GCM when TWO_STEP_ENCRYPTION_KEY is set.
// - Recovery codes: 10 per person, 12 characters from a 32-letter alphabet without look-alikes
//   (60 bits each), stored as SHA-256(user id + code), each usable once.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { env, type Env } from "../env";
import type { UserRole } from "@db/schema";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted (phones whose clocks are a little out). */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** How long the password step is good for before the code must be given. */
export const CHALLENGE_MINUTES = 10;
/** Wrong codes per person within TWO_STEP_FAILURE_WINDOW_MINUTES before codes are refused… */
export const TWO_STEP_FAILURE_LIMIT = 5;
export const TWO_STEP_FAILURE_WINDOW_MINUTES = 15;
export const CHALLENGE_COOKIE = "staywell_2sv";
const ISSUER = "StayWell";

// ---------------------------------------------------------------------------------------------
// who must use it

/** The roles MFA_REQUIRED_FOR lists. */
export function requiredRoles(): string[] {
  return env().MFA_REQUIRED_FOR;
}

export function twoStepRequiredFor(role: UserRole): boolean {
  return requiredRoles().includes(role);
}

/** Roles a real deployment must list in MFA_REQUIRED_FOR (they can read or open hub requests). */
export const PRODUCTION_REQUIRED_ROLES = ["coordinator", "admin"] as const;

/**
 * What is wrong with the two-step configuration of a real deployment (NODE_ENV=production with
 * DATABASE_URL, i.e. not the embedded demo): MFA_REQUIRED_FOR without coordinator or admin, or no
 * TWO_STEP_ENCRYPTION_KEY (one that is not 32 bytes of base64 is already refused by env()).
 * Empty when nothing is, or when it is not a real deployment. server.ts refuses to start on any,
 * unless STAYWELL_ALLOW_INSECURE_2SV=1.
 */
export function productionTwoStepProblems(
  config: Pick<Env, "NODE_ENV" | "DATABASE_URL" | "MFA_REQUIRED_FOR" | "TWO_STEP_ENCRYPTION_KEY">,
): string[] {
  if (config.NODE_ENV !== "production" || !config.DATABASE_URL) return [];
  const problems: string[] = [];
  const missing = PRODUCTION_REQUIRED_ROLES.filter((r) => !config.MFA_REQUIRED_FOR.includes(r));
  if (missing.length > 0)
    problems.push(
      `MFA_REQUIRED_FOR does not include ${missing.join(" and ")} (set MFA_REQUIRED_FOR=${[
        ...new Set([...config.MFA_REQUIRED_FOR, ...PRODUCTION_REQUIRED_ROLES]),
      ].join(",")})`,
    );
  if (!config.TWO_STEP_ENCRYPTION_KEY)
    problems.push("TWO_STEP_ENCRYPTION_KEY is not set (32 random bytes, base64: `openssl rand -base64 32`)");
  return problems;
}

export { isTwoStepSetupPath } from "~/lib/two-step-paths";

// ---------------------------------------------------------------------------------------------
// the secret at rest

function encryptionKey(): Buffer | null {
  const raw = env().TWO_STEP_ENCRYPTION_KEY;
  return raw ? Buffer.from(raw, "base64") : null;
}

export function sealSecret(base32: string): string {
  const key = encryptionKey();
  if (!key) return `plain:${base32}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(base32, "utf8"), cipher.final()]);
  return `v1:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${sealed.toString("base64")}`;
}

/** The base32 secret, or null when it cannot be read (key missing or changed). */
export function openSecret(stored: string): string | null {
  if (stored.startsWith("plain:")) return stored.slice("plain:".length);
  const [version, iv, tag, sealed] = stored.split(":");
  const key = encryptionKey();
  if (version !== "v1" || !key || !iv || !tag || !sealed) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(sealed, "base64")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// TOTP

export function newSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(base32: string, label = "") {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(base32),
  });
}

/** The otpauth:// address the QR code holds. */
export function otpauthUri(base32: string, email: string) {
  return totp(base32, email).toString();
}

/** The secret in groups of four, easier to type into an app. */
export function groupedSecret(base32: string) {
  return base32.replace(/(.{4})/g, "$1 ").trim();
}

/** An SVG QR code for the address (rendered on the server: no script, nothing from another site). */
export async function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** Digits only: spaces and dashes people type are dropped. */
export function normaliseOtp(input: string): string {
  return input.replace(/[\s-]/g, "");
}

/**
 * The time step the code belongs to (now's, or one either side), or null when it is not a valid
 * code for the secret. The caller refuses a step not later than the last one used.
 */
export function totpStep(base32: string, code: string, now = new Date()): number | null {
  const token = normaliseOtp(code);
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(token)) return null;
  const t = totp(base32);
  const delta = t.validate({ token, timestamp: now.getTime(), window: TOTP_WINDOW });
  if (delta === null) return null;
  return t.counter({ timestamp: now.getTime() }) + delta;
}

/** The current code (tests, and nothing else in the app). */
export function totpCode(base32: string, now = new Date()) {
  return totp(base32).generate({ timestamp: now.getTime() });
}

// ---------------------------------------------------------------------------------------------
// recovery codes

// No 0/O, 1/I/L: read off paper without doubt.
const RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let code = "";
    for (let i = 0; i < 12; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  });
}

/** Upper-case, without spaces and dashes: "abcd efgh-jkmn" is "ABCDEFGHJKMN". */
export function normaliseRecoveryCode(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}

export function looksLikeRecoveryCode(input: string) {
  return /^[A-Z0-9]{12}$/.test(normaliseRecoveryCode(input));
}

export function recoveryCodeHash(userId: string, code: string): string {
  return createHash("sha256")
    .update(`${userId}:${normaliseRecoveryCode(code)}`, "utf8")
    .digest("hex");
}

// ---------------------------------------------------------------------------------------------
// the challenge cookie (password accepted, code not yet given)

export function newChallengeToken() {
  return randomBytes(24).toString("base64url");
}

export function challengeTokenHash(token: string) {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function secureCookie() {
  const url = env().APP_URL;
  return env().NODE_ENV === "production" && !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(url);
}

export function challengeCookie(token: string) {
  return [
    `${CHALLENGE_COOKIE}=${token}`,
    "Path=/login",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${CHALLENGE_MINUTES * 60}`,
    ...(secureCookie() ? ["Secure"] : []),
  ].join("; ");
}

export function clearChallengeCookie() {
  return [`${CHALLENGE_COOKIE}=`, "Path=/login", "HttpOnly", "SameSite=Lax", "Max-Age=0"].join("; ");
}

export function challengeTokenFrom(request: Request): string | null {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === CHALLENGE_COOKIE) {
      const value = rest.join("=");
      return /^[A-Za-z0-9_-]{16,64}$/.test(value) ? value : null;
    }
  }
  return null;
}
