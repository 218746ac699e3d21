// vitest setupFiles of the INTEGRATION project only (vitest.config.ts): argon2id at a test-only
// low cost. Integration tests hash for every sign-up, password change, invitation (a pending
// account gets a real hash of random bytes) and factory user; at the production cost (m=19456 KiB,
// t=2) each hash is ~30 ms of CPU, paid on both databases. The algorithm and the code paths stay
// the same: only the cost parameters passed to `hash` change, and `verify` reads them from the
// hash itself. The production options are checked by tests/unit/password.test.ts (the unit project
// does not load this file) and the browser tests run the built server, which never loads it.
// ADR 032, addendum (2026-11-30).
import { vi } from "vitest";

vi.mock("@node-rs/argon2", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@node-rs/argon2")>();
  return {
    ...actual,
    hash: (password: string | Uint8Array, options?: Parameters<typeof actual.hash>[1]) =>
      actual.hash(password, { ...options, memoryCost: 256, timeCost: 1 }),
  };
});
