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

describe("the queue's due time of day", () => {
  it("shows the hour of a timed (urgent) target and nothing for a day target", async () => {
    const { dueTimeOfDay } = await import("~/components/hub-queue-table");
    const { addWorkingDays, urgentDueAt } = await import("~/lib/working-days");
    // Sent Sunday 29 November 2026 16:54 (GMT): urgent due Monday 10:00, a day target at 23:59.
    const sent = new Date("2026-11-29T16:54:00Z");
    expect(dueTimeOfDay(urgentDueAt(sent))).toBe(", 10am");
    // Sent Monday 30 November 09:30: due the end of that working day.
    expect(dueTimeOfDay(urgentDueAt(new Date("2026-11-30T09:30:00Z")))).toBe(", 5pm");
    expect(dueTimeOfDay(addWorkingDays(sent, 2))).toBe("");
    // British Summer Time: 10:00 London is 09:00 UTC.
    expect(dueTimeOfDay(new Date("2026-07-01T09:00:00Z"))).toBe(", 10am");
    expect(dueTimeOfDay(new Date("2026-07-01T11:30:00Z"))).toBe(", 12:30pm");
  });
});
