// The hub queue's opaque keyset cursor and URL filters: round trips, and anything forged, stale
// or malformed is ignored rather than trusted.
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, type QueueCursor } from "~/.server/models/hub-queue.server";
import { hubQueueSearch, parseHubQueueQuery } from "~/schemas/hub-queue";

const now = new Date("2026-03-10T12:00:00Z");

describe("queue cursor", () => {
  it("round-trips each sort mode and direction", () => {
    const cursors: QueueCursor[] = [
      { mode: "queue", direction: "next", now, key: [0, Date.parse("2026-03-09T23:59:59.999Z"), 42] },
      { mode: "queue", direction: "prev", now, key: [1, Date.parse("2026-03-20T10:00:00Z"), 7] },
      { mode: "finished", direction: "next", now, key: [Date.parse("2026-02-01T09:00:00Z"), 99] },
      { mode: "submitted", direction: "prev", now, key: [Date.parse("2025-12-01T09:00:00Z"), 1] },
      { mode: "mine", direction: "next", now, key: [0, Date.parse("2026-03-10T11:00:00Z"), 5] },
      { mode: "mine", direction: "prev", now, key: [1, Date.parse("2026-03-01T11:00:00Z"), 6] },
      { mode: "mine", direction: "next", now, key: [4, Date.parse("2026-03-20T10:00:00Z"), 8] },
    ];
    for (const c of cursors) {
      const text = encodeCursor(c);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text, c.mode, now)).toEqual(c);
    }
  });

  it("ignores a cursor of another sort, a stale or future snapshot, and anything malformed", () => {
    const good = encodeCursor({ mode: "queue", direction: "next", now, key: [0, now.getTime(), 1] });
    expect(decodeCursor(good, "finished", now)).toBeNull();
    expect(decodeCursor(good, "queue", new Date(now.getTime() + 13 * 3_600_000))).toBeNull();
    expect(decodeCursor(good, "queue", new Date(now.getTime() - 3_600_000))).toBeNull();
    const forge = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const t = now.getTime();
    for (const bad of [
      "",
      "not-base64!",
      forge("x"),
      forge({ v: 1, m: "queue", d: "n", t, k: [0, t, 1] }),
      // Version 2: My work had four codes, oldest activity first; such a cursor would mislead now.
      forge({ v: 2, m: "queue", d: "n", t, k: [0, t, 1] }),
      // Version 3 kept times in milliseconds, which repeated or skipped rows on PostgreSQL.
      forge({ v: 3, m: "queue", d: "n", t, k: [0, t * 1000, 1] }),
      forge({ v: 4, m: "queue", d: "x", t, k: [0, t, 1] }),
      forge({ v: 4, m: "queue", d: "n", t, k: [3, t, 1] }),
      forge({ v: 4, m: "queue", d: "n", t, k: [0, "2026-01-01", 1] }),
      forge({ v: 4, m: "queue", d: "n", t, k: [0, t] }),
      forge({ v: 4, m: "queue", d: "n", t, k: [0, t, -1] }),
      forge({ v: 4, m: "queue", d: "n", t, k: [0, 1e300, 1] }),
      forge({ v: 4, m: "queue", d: "n", t: "now", k: [0, t, 1] }),
      "A".repeat(700),
    ]) {
      expect(decodeCursor(bad, "queue", now), bad).toBeNull();
    }
    // My work has codes 0–4 (new activity open / finished, then queue ranks 0–2) and nothing else.
    for (const code of [-1, 5])
      expect(decodeCursor(forge({ v: 4, m: "mine", d: "n", t, k: [code, t, 1] }), "mine", now)).toBeNull();
    expect(decodeCursor(forge({ v: 4, m: "mine", d: "n", t, k: [4, t, 1] }), "mine", now)).not.toBeNull();
  });
});

describe("queue filters in the URL", () => {
  it("falls back to defaults for bad values and keeps good ones", () => {
    expect(
      parseHubQueueQuery(
        new URLSearchParams("status=bogus&assignee=everyone&organisation=-3&overdue=perhaps&offer=a/b"),
      ),
    ).toEqual({
      status: "open",
      assignee: "anyone",
      overdue: false,
      urgent: false,
    });
    const q = parseHubQueueQuery(
      new URLSearchParams(
        "status=closed&offer=Money-Advice&organisation=12&assignee=me&overdue=1&urgent=on&q=+sw-2026-00042+",
      ),
    );
    expect(q).toEqual({
      status: "closed",
      offer: "money-advice",
      organisation: 12,
      assignee: "me",
      overdue: true,
      urgent: true,
      q: "sw-2026-00042",
    });
    expect(hubQueueSearch(q, { status: "open" })).toBe(
      "?offer=money-advice&organisation=12&assignee=me&overdue=1&urgent=1&q=sw-2026-00042",
    );
    expect(hubQueueSearch({ status: "open", assignee: "anyone", overdue: false, urgent: false })).toBe("");
  });
});

describe("a cursor with dates PostgreSQL cannot take", () => {
  it("is refused (page 1), never passed to the database", () => {
    const now = new Date("2026-11-28T12:00:00Z");
    for (const [mode, key] of [
      // Keys are microseconds since 1970: before 1970, or past a safe integer, is refused.
      ["queue", [0, -1, 1]],
      ["queue", [1, -8_640_000_000_000_000, 1]],
      ["finished", [-62_198_755_200_001, 1]],
      ["submitted", [Number.MAX_SAFE_INTEGER + 2, 1]],
    ] as const) {
      const text = encodeCursor({ mode, direction: "next", now, key: [...key] });
      expect(decodeCursor(text, mode, now), `${mode} ${key.join(",")}`).toBeNull();
    }
  });
});
