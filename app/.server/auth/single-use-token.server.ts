// Single-use links (email verification, password reset): a token of 32 random bytes is mailed and
// only its SHA-256 is stored. One lookup for every such table: the row, or why it cannot be used.
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Tx } from "@db/client";
import type { emailVerificationTokens, passwordResetTokens } from "@db/schema";

/** Why a link cannot be used. */
export type SingleUseTokenProblem = "invalid" | "expired" | "used";

export function tokenHash(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

type SingleUseTable = typeof emailVerificationTokens | typeof passwordResetTokens;

/**
 * Finds the row of `token` in `table`: `invalid` when there is none (or the token is not one we
 * could have made), `used` or `expired` when it can no longer be used. `lock` takes the row FOR
 * UPDATE (when the caller is about to use it up); a page's GET looks without locking.
 */
export async function findSingleUseToken<T extends SingleUseTable>(
  tx: Tx,
  table: T,
  token: string,
  now: Date,
  lock: boolean,
): Promise<{ ok: true; row: T["$inferSelect"] } | { ok: false; reason: SingleUseTokenProblem }> {
  if (!token || token.length > 200) return { ok: false, reason: "invalid" };
  // Both tables have the same columns (db/schema.ts, singleUseTokenColumns).
  const t = table as typeof passwordResetTokens;
  const query = tx
    .select()
    .from(t)
    .where(eq(t.tokenHash, tokenHash(token)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) return { ok: false, reason: "invalid" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, row: row as T["$inferSelect"] };
}
