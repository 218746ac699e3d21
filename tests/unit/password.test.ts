import { describe, expect, it } from "vitest";
import { hashPassword, isCommonPassword, verifyPassword } from "~/.server/auth/password.server";

describe("passwords", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const hash = await hashPassword("lantern orchard velvet 42");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "lantern orchard velvet 42")).toBe(true);
    expect(await verifyPassword(hash, "lantern orchard velvet 43")).toBe(false);
    expect(await verifyPassword("!", "anything")).toBe(false); // generated demo staff cannot sign in
  });

  it("spots common passwords, with trailing digits and symbols, and repeats", () => {
    for (const p of [
      "123qweasdzxc",
      "Qwerty123456",
      "password1234!",
      "iloveyou2026!!",
      "aaaaaaaaaaaa",
      "abcabcabcabc",
    ]) {
      expect(isCommonPassword(p), p).toBe(true);
    }
    for (const p of ["lantern orchard velvet 42", "staywell-demo-2026", "correct horse battery staple"]) {
      expect(isCommonPassword(p), p).toBe(false);
    }
  });
});
