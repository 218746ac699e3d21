// The embedded database's folder lock (acquireDirectoryLock in db/client.ts) without booting PGlite:
// the lock is a file `<dir>.lock` naming its owner, taken before PGlite opens the folder, so its
// rules can be checked on the file alone. tests/integration/health-and-lock.test.ts keeps one
// check through openDatabase() with a real PGlite (the lock is taken, and freed on close).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDirectoryLock, DatabaseLockedError } from "@db/client";

const folders: string[] = [];
function tempDataDir() {
  const folder = mkdtempSync(path.join(tmpdir(), "staywell-lock-unit-"));
  folders.push(folder);
  return path.join(folder, "pglite");
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe("acquireDirectoryLock", () => {
  it("writes a lock file naming this process, refuses a second taker, and removes it on release", () => {
    const dataDir = tempDataDir();
    const release = acquireDirectoryLock(dataDir);
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${process.pid}@${hostname()}`);
    expect(() => acquireDirectoryLock(dataDir)).toThrow(DatabaseLockedError);
    expect(() => acquireDirectoryLock(dataDir)).toThrow(/already in use by another StayWell process/);
    release();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    // Free again: the next opener gets it.
    const again = acquireDirectoryLock(dataDir);
    expect(existsSync(`${dataDir}.lock`)).toBe(true);
    again();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("never takes a lock whose owner on this machine is alive", () => {
    const dataDir = tempDataDir();
    // The test runner's parent process is alive.
    writeFileSync(`${dataDir}.lock`, `${process.ppid}@${hostname()}`);
    expect(() => acquireDirectoryLock(dataDir)).toThrow(DatabaseLockedError);
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${process.ppid}@${hostname()}`);
  });

  it("treats another machine's lock as alive (a shared folder cannot be checked)", () => {
    const dataDir = tempDataDir();
    writeFileSync(`${dataDir}.lock`, `2147483646@not-${hostname()}`);
    expect(() => acquireDirectoryLock(dataDir)).toThrow(DatabaseLockedError);
  });

  it("treats a lock it cannot read an owner from as someone else's (refuses it)", () => {
    for (const leftOver of ["garbage", ""]) {
      const dataDir = tempDataDir();
      writeFileSync(`${dataDir}.lock`, leftOver);
      expect(() => acquireDirectoryLock(dataDir), leftOver).toThrow(DatabaseLockedError);
    }
  });

  it("takes over a lock left on this machine by a process that is gone (a crash) or a nonsense pid", () => {
    for (const leftOver of [`2147483646@${hostname()}`, `0@${hostname()}`, `abc@${hostname()}`]) {
      const dataDir = tempDataDir();
      writeFileSync(`${dataDir}.lock`, leftOver);
      const release = acquireDirectoryLock(dataDir);
      expect(readFileSync(`${dataDir}.lock`, "utf8"), leftOver).toBe(`${process.pid}@${hostname()}`);
      release();
      expect(existsSync(`${dataDir}.lock`), leftOver).toBe(false);
    }
  });

  it("leaves a lock alone on release once another process owns it", () => {
    const dataDir = tempDataDir();
    const release = acquireDirectoryLock(dataDir);
    writeFileSync(`${dataDir}.lock`, `${process.ppid}@${hostname()}`);
    release();
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${process.ppid}@${hostname()}`);
  });
});
