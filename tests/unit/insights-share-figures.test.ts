import { describe, expect, it } from "vitest";
import { shareEqualFigures } from "~/lib/insights/share-figures";

describe("shareEqualFigures", () => {
  it("makes equal figures one object and leaves every value as it was", () => {
    const star = () => ({ value: null, text: "*", suppressed: true, rounded: false });
    const five = () => ({ value: 5, text: "5", suppressed: false, rounded: true });
    const model = {
      total: five(),
      rows: [
        {
          offer: { id: 1, slug: "a" },
          cells: [star(), five(), { value: 5, text: "5", suppressed: false, rounded: false }],
        },
        { offer: { id: 2, slug: "b" }, cells: [star(), five()], note: null },
      ],
      months: [{ key: "2026-01", label: "Jan 2026" }],
    };
    const shared = shareEqualFigures(model);
    expect(shared).toEqual(model);
    expect(shared.rows[0]!.cells[0]).toBe(shared.rows[1]!.cells[0]);
    expect(shared.total).toBe(shared.rows[0]!.cells[1]);
    expect(shared.rows[1]!.cells[1]).toBe(shared.total);
    // Not equal (rounded differs): not shared.
    expect(shared.rows[0]!.cells[2]).not.toBe(shared.total);
    // Other objects are copies, never merged.
    expect(shared.rows[0]!.offer).not.toBe(shared.rows[1]!.offer);
  });
});
