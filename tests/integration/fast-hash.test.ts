// tests/helpers/fast-hash.ts: integration tests hash at a test-only low cost; the production cost
// is checked by tests/unit/password.test.ts (a project without that mock).
import { describe, expect, it, vi } from "vitest";
import { hashPassword, verifyPassword } from "~/.server/auth/password.server";

describe("argon2id in integration tests", () => {
  it("hashes with argon2id at the low test cost, and the hash verifies", async () => {
    const stored = await hashPassword("a long enough passphrase");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=256,t=1,p=1\$/);
    expect(await verifyPassword(stored, "a long enough passphrase")).toBe(true);
    expect(await verifyPassword(stored, "another long passphrase")).toBe(false);
  });

  it("still verifies a hash made at the production cost (verify reads the cost from the hash)", async () => {
    const real = await vi.importActual<typeof import("@node-rs/argon2")>("@node-rs/argon2");
    const stored = await real.hash("a long enough passphrase", { algorithm: 2, memoryCost: 19456, timeCost: 2 });
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, "a long enough passphrase")).toBe(true);
  });
});
