// Reading an ESR leavers extract (CSV) for /admin/leavers (docs/decisions/035-esr-leavers-import.md).
//
// The file is parsed as it streams in (csv-parse), counting bytes: past the limit (20 MB) reading
// stops at once. Every row is checked; rows are kept only as the values StayWell stores (never the
// assignment number: its keyed hash), and errors as (row, column, value, what is wrong), where
// "row" is the spreadsheet row (the header is row 1). Nothing here touches the database: the caller
// passes the organisations' ESR codes and imports only when there is no error at all.
import { CsvError, parse } from "csv-parse";
import {
  ESR_AGE_BANDS,
  leaverTenureBand,
  leavingReasonGroup,
  parseEsrAgeBand,
  parseEsrLeavingReason,
  parseEsrStaffGroup,
  ESR_STAFF_GROUPS,
  type LeaverTenureBand,
  type LeavingReasonGroup,
} from "~/lib/leaving";

import { ESR_COLUMNS, ESR_MAX_FILE_BYTES, type EsrColumn } from "~/lib/leaving";

export { ESR_COLUMNS, ESR_MAX_FILE_BYTES, type EsrColumn };
/** Errors kept for the report; beyond this they are counted only. */
export const ESR_MAX_REPORTED_ERRORS = 10_000;

export interface EsrRowError {
  /** Spreadsheet row: 1 is the header, 2 the first leaver. */
  row: number;
  column: EsrColumn | "";
  value: string;
  problem: string;
}

export interface EsrLeaverRow {
  organisationId: number;
  esrStaffGroup: string;
  staffGroup: string;
  assignmentStartDate: string;
  terminationDate: string;
  tenureBand: LeaverTenureBand;
  reason: string;
  reasonGroup: LeavingReasonGroup;
  ageBand: string;
  assignmentHash: string;
}

export type EsrReadResult =
  | { ok: true; rows: EsrLeaverRow[]; firstTermination: string; lastTermination: string }
  | { ok: false; tooLarge: boolean; errors: EsrRowError[]; errorCount: number; fileRows: number };

export class EsrFileTooLargeError extends Error {
  constructor() {
    super("The file is larger than 20 MB");
    this.name = "EsrFileTooLargeError";
  }
}

export interface EsrReadContext {
  /** Upper-case ESR organisation code → organisation id. */
  organisationIdByCode: ReadonlyMap<string, number>;
  /** Today (YYYY-MM-DD, London): a termination date after it is refused. */
  today: string;
  hash: (assignmentNumber: string) => string;
  maxBytes?: number;
  /** Called every few thousand rows with the rows read so far. */
  onProgress?: (rowsRead: number) => void;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/**
 * An extract's date as YYYY-MM-DD, or null. Accepts 2024-03-31, 31/03/2024 (UK order) and ESR's
 * 31-MAR-2024 (any case); the date must exist.
 */
export function parseEsrDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match: RegExpMatchArray | null;
  if ((match = t.match(/^(\d{4})-(\d{2})-(\d{2})$/))) [y, m, d] = [+match[1], +match[2], +match[3]];
  else if ((match = t.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/))) [d, m, y] = [+match[1], +match[2], +match[3]];
  else if ((match = t.match(/^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/))) {
    const month = MONTHS.indexOf(match[2].toUpperCase());
    if (month < 0) return null;
    [d, m, y] = [+match[1], month + 1, +match[3]];
  } else return null;
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > last) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** ESR assignment numbers: digits, optionally a hyphen and a suffix ("12345678-2"). */
export const ASSIGNMENT_NUMBER = /^[0-9A-Za-z]{1,20}(?:-[0-9A-Za-z]{1,5})?$/;

/** Header cells → column positions; unknown columns are ignored (and never stored). */
export function readHeader(cells: readonly string[]): { columns: Map<EsrColumn, number>; errors: EsrRowError[] } {
  const columns = new Map<EsrColumn, number>();
  const errors: EsrRowError[] = [];
  cells.forEach((cell, i) => {
    const name = cell
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_");
    if (!(ESR_COLUMNS as readonly string[]).includes(name)) return;
    const column = name as EsrColumn;
    if (columns.has(column)) {
      errors.push({ row: 1, column, value: cell, problem: `The column ${column} appears more than once` });
    } else columns.set(column, i);
  });
  for (const column of ESR_COLUMNS) {
    if (!columns.has(column)) {
      errors.push({
        row: 1,
        column,
        value: "",
        problem: `The header row has no ${column} column. The first row must name the columns: ${ESR_COLUMNS.join(", ")}`,
      });
    }
  }
  return { columns, errors };
}

type RowCheck = { row: EsrLeaverRow; errors: [] } | { row: null; errors: EsrRowError[] };

/** Checks one data row (cells by column); `rowNumber` is its spreadsheet row. */
export function checkEsrRow(
  rowNumber: number,
  cells: Readonly<Record<EsrColumn, string>>,
  context: Pick<EsrReadContext, "organisationIdByCode" | "today" | "hash">,
): RowCheck {
  const errors: EsrRowError[] = [];
  const fail = (column: EsrColumn, problem: string, value = cells[column]) =>
    errors.push({ row: rowNumber, column, value, problem });
  const blank = (column: EsrColumn) => cells[column].trim() === "";

  const code = cells.organisation_code.trim().toUpperCase();
  const organisationId = context.organisationIdByCode.get(code);
  if (!code) fail("organisation_code", "Enter the organisation’s ESR code");
  else if (organisationId === undefined)
    fail(
      "organisation_code",
      "No organisation has this ESR code. Set it on the organisation’s page under Organisations, or correct the code",
    );

  const esrStaffGroup = parseEsrStaffGroup(cells.staff_group);
  if (blank("staff_group")) fail("staff_group", "Enter the ESR staff group");
  else if (!esrStaffGroup)
    fail("staff_group", `Not an ESR staff group. Use one of: ${ESR_STAFF_GROUPS.map((g) => g.value).join("; ")}`);

  const start = parseEsrDate(cells.assignment_start_date);
  if (blank("assignment_start_date")) fail("assignment_start_date", "Enter the assignment start date");
  else if (!start) fail("assignment_start_date", "Not a real date. Use YYYY-MM-DD, DD/MM/YYYY or DD-MON-YYYY");

  const end = parseEsrDate(cells.termination_date);
  if (blank("termination_date")) fail("termination_date", "Enter the termination date");
  else if (!end) fail("termination_date", "Not a real date. Use YYYY-MM-DD, DD/MM/YYYY or DD-MON-YYYY");
  else if (end > context.today) fail("termination_date", "The termination date is in the future");
  else if (start && end < start) fail("termination_date", "The termination date is before the assignment start date");

  const reason = parseEsrLeavingReason(cells.leaving_reason);
  if (blank("leaving_reason")) fail("leaving_reason", "Enter the leaving reason");
  else if (!reason)
    fail("leaving_reason", "Not an ESR leaving reason (for example Voluntary Resignation - Relocation)");

  const ageBand = parseEsrAgeBand(cells.age_band);
  if (blank("age_band")) fail("age_band", "Enter the age band");
  else if (!ageBand) fail("age_band", `Not an ESR age band. Use one of: ${ESR_AGE_BANDS.join(", ")}`);

  const assignment = cells.assignment_number.trim();
  // The assignment number is never echoed (nor stored, even in the error report).
  if (!assignment) fail("assignment_number", "Enter the assignment number", "");
  else if (!ASSIGNMENT_NUMBER.test(assignment))
    fail("assignment_number", "Not an ESR assignment number (digits, optionally a hyphen and a suffix)", "(not shown)");

  if (errors.length || organisationId === undefined || !esrStaffGroup || !start || !end || !reason || !ageBand) {
    return { row: null, errors };
  }
  const staffGroup = ESR_STAFF_GROUPS.find((g) => g.value === esrStaffGroup)!.staffGroup;
  return {
    row: {
      organisationId,
      esrStaffGroup,
      staffGroup,
      assignmentStartDate: start,
      terminationDate: end,
      tenureBand: leaverTenureBand(start, end),
      reason,
      reasonGroup: leavingReasonGroup(reason),
      ageBand,
      assignmentHash: context.hash(assignment),
    },
    errors: [],
  };
}

async function* limited(source: AsyncIterable<Uint8Array | string>, maxBytes: number) {
  let size = 0;
  for await (const chunk of source) {
    size += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (size > maxBytes) throw new EsrFileTooLargeError();
    yield typeof chunk === "string" ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/**
 * Reads and checks a whole extract as it streams. Ok only when every row is good (and there is at
 * least one). Throws EsrFileTooLargeError past the limit (reading stops there).
 */
export async function readEsrExtract(
  source: AsyncIterable<Uint8Array | string>,
  context: EsrReadContext,
): Promise<EsrReadResult> {
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: false,
    max_record_size: 64 * 1024,
  });
  // Resolves on "drain", or when the parser is gone (a CSV error or a bad header destroys it): a
  // destroyed parser never drains, and waiting for it hung the request for good on a hostile file.
  const drainedOrClosed = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        parser.off("drain", done);
        parser.off("close", done);
        resolve();
      };
      parser.on("drain", done);
      parser.on("close", done);
    });
  const feeding = (async () => {
    try {
      for await (const chunk of limited(source, context.maxBytes ?? ESR_MAX_FILE_BYTES)) {
        if (parser.destroyed) break;
        if (!parser.write(chunk) && !parser.destroyed) await drainedOrClosed();
      }
      if (!parser.destroyed) parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();

  const errors: EsrRowError[] = [];
  let errorCount = 0;
  const record = (e: EsrRowError) => {
    errorCount += 1;
    if (errors.length < ESR_MAX_REPORTED_ERRORS) errors.push(e);
  };
  const rows: EsrLeaverRow[] = [];
  const seen = new Map<string, number>();
  let header: Map<EsrColumn, number> | null = null;
  /** Each of ESR_COLUMNS' position in a row, looked up once from the header. */
  let positions: number[] = [];
  let headerWidth = 0;
  let rowNumber = 0;
  let first = "";
  let last = "";
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      if (!header) {
        const read = readHeader(cells);
        if (read.errors.length) {
          read.errors.forEach(record);
          // Without the columns no row can be checked: stop reading.
          parser.destroy();
          break;
        }
        header = read.columns;
        positions = ESR_COLUMNS.map((c) => read.columns.get(c)!);
        headerWidth = cells.length;
        continue;
      }
      if (context.onProgress && rowNumber % 5000 === 0) context.onProgress(rowNumber - 1);
      if (cells.length !== headerWidth) {
        record({
          row: rowNumber,
          column: "",
          value: "",
          problem: `This row has ${cells.length} ${cells.length === 1 ? "value" : "values"}; the header row has ${headerWidth}`,
        });
        continue;
      }
      const byColumn = {} as Record<EsrColumn, string>;
      for (let i = 0; i < ESR_COLUMNS.length; i++) byColumn[ESR_COLUMNS[i]] = cells[positions[i]] ?? "";
      const checked = checkEsrRow(rowNumber, byColumn, context);
      if (!checked.row) {
        checked.errors.forEach(record);
        continue;
      }
      const key = `${checked.row.assignmentHash}|${checked.row.terminationDate}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        record({
          row: rowNumber,
          column: "assignment_number",
          value: "(not shown)",
          problem: `The same assignment number and termination date as row ${earlier}: each leaver once`,
        });
        continue;
      }
      seen.set(key, rowNumber);
      if (errorCount === 0) {
        rows.push(checked.row);
        if (!first || checked.row.terminationDate < first) first = checked.row.terminationDate;
        if (!last || checked.row.terminationDate > last) last = checked.row.terminationDate;
      }
    }
  } catch (err) {
    if (err instanceof EsrFileTooLargeError) throw err;
    // csv-parse 7's codes carry no CSV_ prefix (INVALID_OPENING_QUOTE…): matching on the prefix let a
    // stray quote or a binary file through as "The upload could not be read".
    if (err instanceof CsvError) {
      record({
        row: rowNumber + 1,
        column: "",
        value: "",
        problem: `The file is not a CSV StayWell can read here (${(err as Error).message.split(":")[0]})`,
      });
    } else throw err;
  } finally {
    await feeding;
  }
  const fileRows = Math.max(0, rowNumber - 1);
  if (!header && errorCount === 0) {
    record({ row: 1, column: "", value: "", problem: "The file is empty: it needs a header row and a row per leaver" });
  } else if (header && fileRows === 0 && errorCount === 0) {
    record({ row: 2, column: "", value: "", problem: "The file has a header row but no leavers" });
  }
  if (errorCount) return { ok: false, tooLarge: false, errors, errorCount, fileRows };
  return { ok: true, rows, firstTermination: first, lastTermination: last };
}

/** The error report as a CSV file (UTF-8 with BOM, CRLF, formula-guarded cells). */
export function errorReportCsv(errors: readonly EsrRowError[], errorCount: number): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [["row", "column", "value", "problem"].join(",")];
  for (const e of errors) lines.push([String(e.row), e.column, e.value, e.problem].map(cell).join(","));
  if (errorCount > errors.length) {
    lines.push(
      ["", "", "", `…and ${(errorCount - errors.length).toLocaleString("en-GB")} more errors not listed`]
        .map(cell)
        .join(","),
    );
  }
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}
