// publishReservistInsights: hours a week beside each staff group's count (user walk, fix 2).
import { describe, expect, it } from "vitest";
import type { Tally } from "~/lib/insights/cell-key";
import { publishReservistInsights, reservistInsightTables } from "~/lib/insights/reservists";

const t = (n: number, salt = 0): Tally => ({ n, key: n * 104729 + salt });

function publish(groups: [string, number, number][]) {
  const published = publishReservistInsights(
    {
      byStaffGroup: groups.map(([value, n, hours], i) => ({ value, label: value, members: t(n, i), hours })),
      byOrganisation: [{ name: "Org", members: t(groups.reduce((s, g) => s + g[1], 0)) }],
      months: [{ key: "2026-10", label: "October 2026" }],
      needsPosted: [t(0)],
      placesFilled: [t(0)],
    },
    "December 2025 to November 2026",
  );
  expect(published).not.toBeNull();
  return published!;
}

describe("reservist insights hours", () => {
  it("shows 0 hours beside a published 0, and still hides hours beside a hidden or small count", () => {
    const p = publish([
      ["nursing", 30, 400],
      ["medical", 0, 0],
      ["ahp", 3, 30],
      ["other", 20, 300],
    ]);
    const row = (v: string) => p.byStaffGroup.rows.find((r) => r.value === v)!;
    expect(row("medical").members.text).toBe("0");
    expect(row("medical").hours).toMatchObject({ text: "0", value: 0, suppressed: false });
    expect(row("ahp").members.suppressed).toBe(true);
    expect(row("ahp").hours.suppressed).toBe(true);
    expect(row("nursing").hours.suppressed).toBe(false);
    expect(row("nursing").hours.value! % 50).toBe(0);
    const table = reservistInsightTables(p)[0]!;
    expect(table.rows.find((r) => r.label === "medical")!.cells).toEqual(["0", "0"]);
  });
});
