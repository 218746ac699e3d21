import { describe, expect, it } from "vitest";
import { assignmentHasher, esrAssignmentKey, MissingEsrKeyError } from "@db/esr-assignment-hash";
import { esrExtractCsv, generateEsrExtract } from "@db/demo-seed/esr-leavers";
import { errorReportCsv, EsrFileTooLargeError, parseEsrDate, readEsrExtract } from "~/.server/esr-extract.server";

const codes = new Map([
  ["RJE", 1],
  ["RRE", 2],
]);
const hash = assignmentHasher("k".repeat(32));
const context = { organisationIdByCode: codes, today: "2026-11-30", hash };
const HEADER =
  "organisation_code,staff_group,assignment_start_date,termination_date,leaving_reason,age_band,assignment_number";
const GOOD =
  "RJE,Nursing and Midwifery Registered,2024-01-01,2024-06-30,Voluntary Resignation - Relocation,26-30,12345678";

async function* chunks(text: string, size = 7) {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
}

describe("parseEsrDate", () => {
  it("reads ISO, UK and ESR dates that exist", () => {
    expect(parseEsrDate("2024-02-29")).toBe("2024-02-29");
    expect(parseEsrDate("31/03/2024")).toBe("2024-03-31");
    expect(parseEsrDate("31-mar-2024")).toBe("2024-03-31");
    expect(parseEsrDate("2023-02-29")).toBeNull();
    expect(parseEsrDate("03/31/2024")).toBeNull();
    expect(parseEsrDate("yesterday")).toBeNull();
  });
});

describe("readEsrExtract", () => {
  it("reads a clean file in any column order, streamed in small pieces", async () => {
    const text =
      "\uFEFFassignment_number,age_band,leaving_reason,termination_date,assignment_start_date,staff_group,Organisation Code,extra\r\n12345678-2,61-65,Retirement Age,31-MAR-2025,01/04/1990,Administrative and Clerical,rre,ignored\r\n";
    const result = await readEsrExtract(chunks(text), context);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows).toEqual([
      {
        organisationId: 2,
        esrStaffGroup: "Administrative and Clerical",
        staffGroup: "admin_estates",
        assignmentStartDate: "1990-04-01",
        terminationDate: "2025-03-31",
        tenureBand: "5y_plus",
        reason: "Retirement Age",
        reasonGroup: "retirement",
        ageBand: "61-65",
        assignmentHash: hash("12345678-2"),
      },
    ]);
    expect(JSON.stringify(result)).not.toContain("12345678");
  });

  it("reports every bad row with its row number, column, value and problem, never the assignment number", async () => {
    const text = [
      HEADER,
      GOOD,
      "XXX,Nursing and Midwifery Registered,2024-01-01,2024-06-30,Voluntary Resignation - Relocation,26-30,1",
      "RJE,Nurses,2024-07-01,2024-06-30,Quit,26 to 30,not a number!",
      "RJE,Nursing and Midwifery Registered,2024-01-01,2027-06-30,Voluntary Resignation - Relocation,26-30,2",
      GOOD,
      "RJE,too,few",
    ].join("\n");
    const result = await readEsrExtract(chunks(text), context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const brief = result.errors.map((e) => `${e.row}:${e.column}`);
    expect(brief).toEqual([
      "3:organisation_code",
      "4:staff_group",
      "4:termination_date",
      "4:leaving_reason",
      "4:age_band",
      "4:assignment_number",
      "5:termination_date",
      "6:assignment_number",
      "7:",
    ]);
    expect(result.errorCount).toBe(9);
    expect(result.fileRows).toBe(6);
    expect(result.errors[0]).toMatchObject({ value: "XXX" });
    expect(result.errors[5].value).toBe("(not shown)");
    expect(result.errors[7].problem).toMatch(/row 2/);
    expect(JSON.stringify(result.errors)).not.toContain("not a number");
  });

  it("refuses a header without the columns, and an empty file", async () => {
    const missing = await readEsrExtract(chunks("organisation_code,staff_group\nRJE,Students\n"), context);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors.map((e) => e.column)).toContain("assignment_number");
    const empty = await readEsrExtract(chunks(""), context);
    expect(empty.ok).toBe(false);
  });

  it("stops reading past the size limit", async () => {
    const text = [HEADER, ...Array.from({ length: 200 }, () => GOOD)].join("\n");
    await expect(readEsrExtract(chunks(text, 1024), { ...context, maxBytes: 4096 })).rejects.toBeInstanceOf(
      EsrFileTooLargeError,
    );
  });

  it("reads the generated demo extract without an error", async () => {
    const rows = generateEsrExtract({ now: new Date("2026-11-30T12:00:00Z"), count: 500 });
    const all = new Map([...codes, ["RLY", 3], ["QNC", 4]]);
    const result = await readEsrExtract(chunks(esrExtractCsv(rows), 4096), { ...context, organisationIdByCode: all });
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (result.ok) expect(result.rows).toHaveLength(500);
  });
});

describe("the error report and the key", () => {
  it("writes a CSV with formula-guarded cells and a line for errors not listed", () => {
    const csv = errorReportCsv([{ row: 2, column: "organisation_code", value: "=HYPERLINK(1)", problem: "x, y" }], 3);
    expect(csv).toContain('2,organisation_code,\'=HYPERLINK(1),"x, y"');
    expect(csv).toMatch(/and 2 more errors/);
  });

  it("hashes with the key: same number, same hash; another key, another hash", () => {
    expect(hash(" 123 ")).toBe(hash("123"));
    expect(assignmentHasher("j".repeat(32))("123")).not.toBe(hash("123"));
    expect(() => esrAssignmentKey({ NODE_ENV: "production", DATABASE_URL: "postgres://db/staywell" })).toThrow(
      MissingEsrKeyError,
    );
    // The embedded demo (`npm start`: production mode, no DATABASE_URL) uses the demo key.
    expect(esrAssignmentKey({ NODE_ENV: "production" })).toMatch(/demo/);
    expect(esrAssignmentKey({ NODE_ENV: "development" })).toMatch(/demo/);
  });
});
