// React's HTML leaves in one chunk per event-loop turn, byte for byte (app/.server/coalescing-stream.server.ts).
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { COALESCE_BYTES, CoalescingStream } from "~/.server/coalescing-stream.server";

function collect(stream: CoalescingStream) {
  const out: Buffer[] = [];
  stream.on("data", (c: Buffer) => out.push(c));
  return out;
}

describe("CoalescingStream", () => {
  it("passes what is written in one turn on as one chunk, same bytes in the same order", async () => {
    const stream = new CoalescingStream();
    const out = collect(stream);
    const pieces = ["<!DOCTYPE html>", "<html><body>", "é ünïcode ✓", "</body></html>"];
    for (const p of pieces) stream.write(Buffer.from(p));
    expect(out).toEqual([]); // nothing yet: it waits for the end of the turn
    await nextTurn();
    await nextTurn();
    expect(out).toHaveLength(1);
    expect(Buffer.concat(out).toString("utf8")).toBe(pieces.join(""));
  });

  it("sends at once past the size limit, keeps later turns apart, and flushes what is left at the end", async () => {
    const stream = new CoalescingStream();
    const out = collect(stream);
    const big = Buffer.alloc(COALESCE_BYTES, "a");
    stream.write(Buffer.from("<head>"));
    stream.write(big);
    expect(out.map((c) => c.length)).toEqual([COALESCE_BYTES + 6]); // released in the same turn
    await nextTurn();
    stream.write(Buffer.from("later"));
    const ended = new Promise((resolve) => stream.on("end", resolve));
    stream.end(Buffer.from("-end"));
    await ended;
    expect(Buffer.concat(out).toString("latin1")).toBe(`<head>${big.toString("latin1")}later-end`);
    expect(out).toHaveLength(2);
  });
});
