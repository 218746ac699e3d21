// tests/helpers/shared-analysis.ts: an analysis computed once per `npm test` run when the PGlite and
// the PostgreSQL runs ask for the same key, each computed alone when the keys differ, and computed
// here when nothing is shared, when the claimant died or when its verdict never comes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analysisKey, rowsDigest, SHARED_DIR_VARIABLE, sharedAnalysis, stableJson } from "../helpers/shared-analysis";

const folders: string[] = [];
function sharedDir() {
  const folder = mkdtempSync(path.join(tmpdir(), "staywell-shared-unit-"));
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A compute function that counts its calls and takes a while (so a second caller finds the claim). */
function counted<T>(value: T, ms = 150) {
  const counter = {
    calls: 0,
    compute: async () => {
      counter.calls++;
      await sleep(ms);
      return value;
    },
  };
  return counter;
}

describe("analysisKey", () => {
  it("depends on the data, not on the order of object keys, and on every part of it", () => {
    expect(analysisKey({ a: 1, b: [1, 2] })).toBe(analysisKey({ b: [1, 2], a: 1 }));
    expect(analysisKey({ a: 1, b: [1, 2] })).not.toBe(analysisKey({ a: 1, b: [2, 1] }));
    expect(analysisKey({ a: 1, b: [1, 2] })).toMatch(/^[0-9a-f]{64}$/);
    expect(stableJson({ z: { y: 1, x: 2 } })).toBe('{"z":{"x":2,"y":1}}');
    expect(rowsDigest([{ a: 1 }, { a: 2 }])).toBe(rowsDigest([{ a: 2 }, { a: 1 }]));
    expect(rowsDigest([{ a: 1 }, { a: 2 }])).not.toBe(rowsDigest([{ a: 1 }, { a: 3 }]));
  });
});

describe("sharedAnalysis", () => {
  it("two concurrent callers with the same key: computed once, both get the result", async () => {
    const dir = sharedDir();
    const key = analysisKey({ pages: ["a", "b"] });
    const first = counted({ verdict: [1, 2, 3] });
    const second = counted({ verdict: ["never used"] });
    const [a, b] = await Promise.all([
      sharedAnalysis(key, first.compute, { dir, pollMs: 20 }),
      sharedAnalysis(key, second.compute, { dir, pollMs: 20 }),
    ]);
    expect(first.calls + second.calls).toBe(1);
    expect(a.value).toEqual({ verdict: [1, 2, 3] });
    expect(b.value).toEqual({ verdict: [1, 2, 3] });
    expect([a.computedHere, b.computedHere]).toEqual([true, false]);
    expect(b.how).toMatch(
      new RegExp(`^reused from the other database's run with the same pages \\(key ${key.slice(0, 12)},`),
    );
    expect(a.how).toContain(key.slice(0, 12));
    expect(readdirSync(dir).sort()).toEqual([`${key}.claim`, `${key}.json`]);
    // A third caller later reads the file at once.
    const third = counted("never used");
    expect((await sharedAnalysis(key, third.compute, { dir })).value).toEqual({ verdict: [1, 2, 3] });
    expect(third.calls).toBe(0);
  });

  it("different keys (the databases published different figures): each computes its own", async () => {
    const dir = sharedDir();
    const one = counted("from PGlite");
    const two = counted("from PostgreSQL");
    const [a, b] = await Promise.all([
      sharedAnalysis(analysisKey("pages on PGlite"), one.compute, { dir, pollMs: 20 }),
      sharedAnalysis(analysisKey("pages on PostgreSQL"), two.compute, { dir, pollMs: 20 }),
    ]);
    expect([one.calls, two.calls]).toEqual([1, 1]);
    expect([a.value, b.value]).toEqual(["from PGlite", "from PostgreSQL"]);
    expect([a.computedHere, b.computedHere]).toEqual([true, true]);
  });

  it("without a shared folder (a single `npx vitest run`): computes, writes nothing", async () => {
    const saved = process.env[SHARED_DIR_VARIABLE];
    delete process.env[SHARED_DIR_VARIABLE];
    try {
      const c = counted({ n: 1 }, 0);
      const [a, b] = [await sharedAnalysis("k", c.compute), await sharedAnalysis("k", c.compute)];
      expect(c.calls).toBe(2);
      expect([a.value, b.value]).toEqual([{ n: 1 }, { n: 1 }]);
      expect(a.computedHere).toBe(true);
      expect(a.how).toMatch(/not shared/);
    } finally {
      if (saved !== undefined) process.env[SHARED_DIR_VARIABLE] = saved;
    }
  });

  it("takes its folder from STAYWELL_TEST_SHARED_DIR", async () => {
    const saved = process.env[SHARED_DIR_VARIABLE];
    const dir = sharedDir();
    process.env[SHARED_DIR_VARIABLE] = dir;
    try {
      const key = analysisKey("from the environment");
      await sharedAnalysis(key, () => 42);
      expect(existsSync(path.join(dir, `${key}.json`))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env[SHARED_DIR_VARIABLE];
      else process.env[SHARED_DIR_VARIABLE] = saved;
    }
  });

  it("a claim whose owner never writes a verdict: waits until the timeout, then computes", async () => {
    const dir = sharedDir();
    const key = analysisKey("claimed, never written");
    // A live owner (this process) that never writes.
    writeFileSync(path.join(dir, `${key}.claim`), JSON.stringify({ pid: process.pid, host: hostname() }));
    const c = counted("computed after the wait", 0);
    const started = performance.now();
    const r = await sharedAnalysis(key, c.compute, { dir, timeoutMs: 300, pollMs: 20 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(c.calls).toBe(1);
    expect(r.value).toBe("computed after the wait");
    expect(r.computedHere).toBe(true);
    expect(r.how).toMatch(/no verdict from the run that claimed it/);
  });

  it("a claim whose owner's process is gone: computes at once, without waiting for the timeout", async () => {
    const dir = sharedDir();
    const key = analysisKey("claimant died");
    const ended = spawnSync(process.execPath, ["-e", ""]);
    expect(ended.status).toBe(0);
    writeFileSync(path.join(dir, `${key}.claim`), JSON.stringify({ pid: ended.pid, host: hostname() }));
    const c = counted("computed here", 0);
    const started = performance.now();
    const r = await sharedAnalysis(key, c.compute, { dir, timeoutMs: 60_000, pollMs: 20 });
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(c.calls).toBe(1);
    expect(r.how).toMatch(new RegExp(`pid ${ended.pid}\\) ended without a verdict`));
  });

  it("a computation that throws fails both callers with its error (the waiter too)", async () => {
    const dir = sharedDir();
    const key = analysisKey("throws");
    let calls = 0;
    const failing = async () => {
      calls++;
      await sleep(150);
      throw new Error("an interval without the truth");
    };
    const results = await Promise.allSettled([
      sharedAnalysis(key, failing, { dir, pollMs: 20 }),
      sharedAnalysis(key, failing, { dir, pollMs: 20 }),
    ]);
    expect(calls).toBe(1);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/an interval without the truth/);
    }
  });

  it("the verdict goes through JSON even when computed here: both runs assert on the same data", async () => {
    const r = await sharedAnalysis("k", () => ({ kept: 1, dropped: undefined, when: new Date(0) }), {
      dir: sharedDir(),
    });
    expect(r.value).toEqual({ kept: 1, when: "1970-01-01T00:00:00.000Z" });
  });
});
