// The insights CSV (app/lib/insights/csv.ts): what Excel needs (a byte order mark, CRLF, RFC 4180
// quoting), no cell that a spreadsheet would run as a formula, and each table written exactly as
// the page shows it.
import { describe, expect, it } from "vitest";
import {
  csvCell,
  insightsCsv,
  neutraliseFormula,
  PERIOD_SENTENCE,
  PERTURBATION_SENTENCE,
  SUPPRESSION_SENTENCE,
  TOO_FEW_SENTENCE,
} from "~/lib/insights/csv";
import type { InsightTable } from "~/lib/insights/types";
import { parseCsv } from "../helpers/csv";

const trendTable: InsightTable = {
  id: "insights-trend",
  caption: "Requests by month and support",
  rowHeader: "Month",
  columns: ["Physiotherapy", "Financial wellbeing", "All support"],
  rows: [
    { label: "December 2025", cells: ["*", "12", "1,215"] },
    { label: "January 2026", cells: ["15", "*", "*"] },
    { label: "Total", cells: ["1,200", "20", "1,235"], isTotal: true },
  ],
};

const meta = { period: "December 2025 to November 2026", scope: "All organisations in the ICS" };

describe("insights CSV", () => {
  it("starts with a UTF-8 byte order mark and ends every line with CRLF (no bare LF)", () => {
    const csv = insightsCsv([trendTable], meta);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("quotes commas, quotes and line breaks as RFC 4180 says, and leaves plain cells bare", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("*")).toBe("*");
    expect(csvCell("87%")).toBe("87%");
    expect(csvCell("1,234")).toBe('"1,234"');
    expect(csvCell('Say "hello"')).toBe('"Say ""hello"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("two\r\nlines")).toBe('"two\r\nlines"');
    const table: InsightTable = {
      id: "t",
      caption: 'Support, "care" and more',
      rowHeader: "Support",
      columns: ["Requests"],
      rows: [{ label: 'Line\nbreak, and "quotes"', cells: ["1,234"] }],
    };
    const rows = parseCsv(insightsCsv([table], meta).slice(1));
    expect(rows).toContainEqual(['Support, "care" and more']);
    expect(rows).toContainEqual(['Line\nbreak, and "quotes"', "1,234"]);
  });

  it("puts an apostrophe before any cell a spreadsheet would run as a formula", () => {
    for (const bad of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]) {
      expect(neutraliseFormula(bad)).toBe(`'${bad}`);
    }
    for (const ok of ["Physiotherapy", "*", "1,234", "87%", "4.5", "Staff group: Social care", "a=b"]) {
      expect(neutraliseFormula(ok)).toBe(ok);
    }
    const table: InsightTable = {
      id: "t",
      caption: "=cmd|' /C calc'!A0",
      rowHeader: "Support",
      columns: ["+Requests"],
      rows: [{ label: "@evil offer, =1+1", cells: ["-5"] }],
    };
    const rows = parseCsv(insightsCsv([table], meta).slice(1));
    expect(rows).toContainEqual(["'=cmd|' /C calc'!A0"]);
    expect(rows).toContainEqual(["Support", "'+Requests"]);
    expect(rows).toContainEqual(["'@evil offer, =1+1", "'-5"]);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("writes the header lines, then each table: a blank line, its caption, its header row and its rows as shown", () => {
    const second: InsightTable = {
      id: "insights-satisfaction",
      caption: "Satisfaction by support",
      rowHeader: "Support",
      columns: ["Average rating out of 5", "Ratings"],
      rows: [
        { label: "Physiotherapy", cells: ["4.5", "10"] },
        { label: "All support", cells: ["*", "*"], isTotal: true },
      ],
    };
    const csv = insightsCsv([trendTable, second], { ...meta, filters: ["Support: Physiotherapy"] });
    expect(
      csv.startsWith("\uFEFFStayWell insights,December 2025 to November 2026,All organisations in the ICS\r\n"),
    ).toBe(true);
    expect(parseCsv(csv.slice(1))).toEqual([
      ["StayWell insights", "December 2025 to November 2026", "All organisations in the ICS"],
      ["Support: Physiotherapy"],
      [SUPPRESSION_SENTENCE],
      [PERTURBATION_SENTENCE],
      [PERIOD_SENTENCE],
      [""],
      ["Requests by month and support"],
      ["Month", "Physiotherapy", "Financial wellbeing", "All support"],
      ["December 2025", "*", "12", "1,215"],
      ["January 2026", "15", "*", "*"],
      ["Total", "1,200", "20", "1,235"],
      [""],
      ["Satisfaction by support"],
      ["Support", "Average rating out of 5", "Ratings"],
      ["Physiotherapy", "4.5", "10"],
      ["All support", "*", "*"],
    ]);
  });

  it("says the suppression rule in one sentence that names the threshold and the rounding", () => {
    expect(SUPPRESSION_SENTENCE.split(/\.\s/)).toHaveLength(1);
    expect(SUPPRESSION_SENTENCE).toMatch(/1 to 7/);
    expect(SUPPRESSION_SENTENCE).toMatch(/nearest 5/);
    expect(SUPPRESSION_SENTENCE).toMatch(/fewer than 8/);
  });

  it("says there are too few requests when there are no tables, and never writes an empty file", () => {
    const rows = parseCsv(insightsCsv([], meta).slice(1));
    expect(rows.at(-1)).toEqual([TOO_FEW_SENTENCE]);
    expect(rows).toContainEqual([PERTURBATION_SENTENCE]);
  });
});
