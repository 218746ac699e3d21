import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "~/components/format";

describe("dates and times as people in England read them", () => {
  it("uses London time and a 12-hour clock with 12 for noon and midnight", () => {
    expect(formatDateTime(new Date("2026-11-28T12:32:00Z"))).toBe("28 November 2026 at 12:32pm");
    expect(formatDateTime(new Date("2026-11-28T00:05:00Z"))).toBe("28 November 2026 at 12:05am");
    // British Summer Time: 13:05 UTC is 2:05pm in London.
    expect(formatDateTime(new Date("2026-07-01T13:05:00Z"))).toBe("1 July 2026 at 2:05pm");
    // 23:30 UTC on 31 July is already 1 August in London.
    expect(formatDate(new Date("2026-07-31T23:30:00Z"))).toBe("1 August 2026");
  });
});
