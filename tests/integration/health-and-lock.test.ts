import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox } from "@db/schema";
import { DatabaseLockedError, openDatabase, type DatabaseHandle } from "@db/client";
import { healthReport } from "~/.server/health.server";
import { createOrganisation, createUser } from "../helpers/factories";
import { signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();

describe("/healthz", () => {
  let adminCookie: string;
  let staffCookie: string;
  const broken = (): DatabaseHandle => ({ ...database(), ping: () => Promise.reject(new Error("connection refused")) });

  beforeAll(async () => {
    const org = await createOrganisation();
    adminCookie = await signInCookie((await createUser({ role: "admin", organisationId: org.id })).id);
    staffCookie = await signInCookie((await createUser({ role: "staff", organisationId: org.id })).id);
    await getDb()
      .insert(mailOutbox)
      .values([
        { toAddress: "p@x.test", subject: "Pending", textBody: "body" },
        { toAddress: "f@x.test", subject: "Failed", textBody: "body", status: "failed", failedAt: new Date() },
      ]);
  });

  it("tells anyone only that it is up", async () => {
    for (const cookie of [undefined, "", staffCookie, "staywell_session=%", "staywell_session=not-a-session"]) {
      const report = await healthReport(database(), cookie);
      expect(report.status, String(cookie)).toBe(200);
      expect(report.body, String(cookie)).toEqual({ status: "ok" });
    }
  });

  it("gives a signed-in administrator the database and the mail outbox's counts", async () => {
    const report = await healthReport(database(), adminCookie);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      status: "ok",
      database: { kind: database().kind, reachable: true },
      mailOutbox: { pending: 1, failed: 1 },
    });
    expect(typeof (report.body.database as { latencyMs: unknown }).latencyMs).toBe("number");
  });

  it("answers 503 when the database does not answer, to anyone, without the error", async () => {
    for (const cookie of [undefined, adminCookie]) {
      const report = await healthReport(broken(), cookie);
      expect(report.status).toBe(503);
      expect(report.body).toEqual({ status: "unavailable" });
    }
  });
});

describe("the embedded database's lock", () => {
  const folders: string[] = [];
  const tempDataDir = () => {
    const folder = mkdtempSync(path.join(tmpdir(), "staywell-lock-"));
    folders.push(folder);
    return path.join(folder, "pglite");
  };
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  // The lock's rules (live, dead and foreign owners, release) are unit-tested on the lock file
  // alone in tests/unit/directory-lock.test.ts; here, once, that openDatabase() really takes it
  // around a real on-disk PGlite (one PGlite boot: each costs several seconds).
  it("refuses a second opener of the same folder with a clear message, and frees it on close", async () => {
    const dataDir = tempDataDir();
    // On the PGlite run, start the folder from the migrated dump globalSetup made: no initdb (the
    // slow part of a first start); the lock is taken the same way either way.
    const prepared = inject("testDatabase");
    const loadDataDir =
      prepared.kind === "pglite" ? new Blob([new Uint8Array(await readFile(prepared.dumpFile))]) : undefined;
    // The first opener runs PGlite in this process (so it can start from the dump); the reopen
    // below takes the default path, the child process behind the socket, on the same folder.
    const first = await openDatabase({ dataDir, loadDataDir, inProcess: loadDataDir !== undefined });
    try {
      await first.ping();
      expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${process.pid}@${hostname()}`);
      const second = openDatabase({ dataDir });
      await expect(second).rejects.toBeInstanceOf(DatabaseLockedError);
      await expect(openDatabase({ dataDir })).rejects.toThrow(/already in use by another StayWell process/);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const reopened = await openDatabase({ dataDir });
    await reopened.ping();
    await reopened.close();
  }, 180_000);

  it("will not open a folder whose lock a live process on this machine holds", async () => {
    const dataDir = tempDataDir();
    // A live owner (the test runner's parent process): refused before PGlite is even started.
    writeFileSync(`${dataDir}.lock`, `${process.ppid}@${hostname()}`);
    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${process.ppid}@${hostname()}`);
  });
});
