// Accounts: one sign-in demo account per role (db/seed-data/accounts.ts) and the generated hub
// colleagues who can never sign in. Inserted only when their email is missing, so a changed
// password or role stays.
import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { hashPassword } from "../../app/.server/auth/password.server";
import type { Database, Tx } from "../client";
import { users, type Organisation } from "../schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, GENERATED_COORDINATORS, type DemoAccount } from "../seed-data/accounts";

/** The demo accounts not in the database yet, with their password hashes. */
export interface MissingAccounts {
  accounts: readonly DemoAccount[];
  hashByEmail: Map<string, string>;
}

/** Finds the missing demo accounts and hashes their password: outside the transaction (argon2 is deliberately slow). */
export async function prepareMissingAccounts(db: Database): Promise<MissingAccounts> {
  const demoEmails = DEMO_ACCOUNTS.map((a) => a.email.toLowerCase());
  const existing = await db.select({ email: users.email }).from(users).where(inArray(users.email, demoEmails));
  const existingEmails = new Set(existing.map((r) => r.email));
  const missingAccounts = DEMO_ACCOUNTS.filter((a) => !existingEmails.has(a.email.toLowerCase()));
  const hashes = new Map<string, string>();
  if (missingAccounts.length > 0) {
    const hash = await hashPassword(DEMO_PASSWORD);
    for (const a of missingAccounts) hashes.set(a.email.toLowerCase(), hash);
  }
  return { accounts: missingAccounts, hashByEmail: hashes };
}

/** Accounts that can sign in; returns how many were inserted. */
export async function insertDemoAccounts(
  tx: Tx,
  missing: MissingAccounts,
  orgBySlug: Map<string, Organisation>,
  now: Date,
): Promise<number> {
  const { accounts: missingAccounts, hashByEmail: hashes } = missing;
  if (missingAccounts.length === 0) return 0;
  const accountRows = await tx
    .insert(users)
    .values(
      missingAccounts.map((a) => {
        const org = orgBySlug.get(a.organisationSlug);
        if (!org) throw new Error(`Demo account ${a.email}: no organisation ${a.organisationSlug}`);
        return {
          id: randomUUID(),
          email: a.email.toLowerCase(),
          name: a.name,
          organisationId: org.id,
          staffGroup: a.staffGroup,
          jobTitle: a.jobTitle,
          startDate: a.startDate,
          role: a.role,
          managesOrganisationId: a.managesOrganisationSlug ? orgBySlug.get(a.managesOrganisationSlug)!.id : null,
          passwordHash: hashes.get(a.email.toLowerCase())!,
          emailVerifiedAt: now,
          isDemo: false,
        };
      }),
    )
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  return accountRows.length;
}

/** Generated hub colleagues: coordinators (of the ICB) who can never sign in; returns how many were inserted. */
export async function insertGeneratedCoordinators(
  tx: Tx,
  orgBySlug: Map<string, Organisation>,
  now: Date,
): Promise<number> {
  const icb = orgBySlug.get("icb");
  if (!icb || GENERATED_COORDINATORS.length === 0) return 0;
  const rows = await tx
    .insert(users)
    .values(
      GENERATED_COORDINATORS.map((c) => ({
        id: randomUUID(),
        email: c.email.toLowerCase(),
        name: c.name,
        organisationId: icb.id,
        staffGroup: c.staffGroup,
        jobTitle: c.jobTitle,
        startDate: c.startDate,
        role: "coordinator" as const,
        passwordHash: "!", // not an argon2 hash: can never verify
        emailVerifiedAt: now,
        isDemo: true,
      })),
    )
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  return rows.length;
}
