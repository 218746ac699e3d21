// ESR leavers imports for administrators (/admin/leavers; docs/decisions/035-esr-leavers-import.md).
//
// A checked extract (app/.server/esr-extract.server.ts) is stored in ONE transaction: the import
// row, its leavers and the audit entry. A leaver already stored (same assignment-number hash and
// termination date) is not added again and keeps the values it was first imported with; an upload
// that adds nobody leaves no import behind, so the same file twice changes nothing. Removing an
// import removes its leavers (cascade), audited. Administrators are not scoped to organisations
// (admin:manage is ICS-wide): any administrator imports for any organisation with an ESR code.
import { randomUUID } from "node:crypto";
import { and, count, desc, eq, gte, isNotNull, lt, sql } from "drizzle-orm";
import { getDb } from "@db/current";
import { esrImportErrorReports, esrLeaverImports, esrLeavers, organisations } from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import type { EsrLeaverRow } from "../../esr-extract.server";
import { AdminError, assertAdmin, recordAdminChange } from "./common.server";
import { parseId } from "./teams.server";

/**
 * Rows per INSERT. Each statement sends one array per column (11 parameters, whatever the rows),
 * unnested on the server: 100,000 rows are ten statements rather than fifty of 22,000 parameters
 * each, which parsed and bound slowly on both drivers (docs/performance/esr-upload.md).
 */
const INSERT_BATCH = 10_000;

type Tx = Parameters<Parameters<ReturnType<typeof getDb>["transaction"]>[0]>[0];

/** Inserts leavers not stored yet (same hash and termination date); returns how many were added. */
async function insertLeavers(tx: Tx, importId: number, rows: readonly EsrLeaverRow[]): Promise<number> {
  const column = <K extends keyof EsrLeaverRow>(key: K) => sql.param(rows.map((r) => r[key]));
  const result = await tx.execute<{ added: number }>(sql`
    with added as (
      insert into ${esrLeavers} (import_id, organisation_id, esr_staff_group, staff_group, assignment_start_date,
        termination_date, tenure_band, reason, reason_group, age_band, assignment_hash)
      select ${importId}, * from unnest(
        ${column("organisationId")}::integer[], ${column("esrStaffGroup")}::text[], ${column("staffGroup")}::text[],
        ${column("assignmentStartDate")}::text[]::date[], ${column("terminationDate")}::text[]::date[], ${column("tenureBand")}::text[],
        ${column("reason")}::text[], ${column("reasonGroup")}::text[], ${column("ageBand")}::text[],
        ${column("assignmentHash")}::text[])
      on conflict (assignment_hash, termination_date) do nothing
      returning 1
    )
    select count(*)::integer as added from added`);
  const resultRows = (Array.isArray(result) ? result : (result as { rows: { added: number }[] }).rows) as {
    added: number;
  }[];
  return Number(resultRows[0]?.added ?? 0);
}
/** How long a refused upload's error report can be downloaded. */
export const ERROR_REPORT_HOURS = 24;

/** Upper-case ESR code → organisation id, for checking an extract. */
export async function esrOrganisationCodes(caller: CurrentUser): Promise<Map<string, number>> {
  assertAdmin(caller);
  const rows = await getDb()
    .select({ id: organisations.id, code: organisations.esrCode })
    .from(organisations)
    .where(isNotNull(organisations.esrCode));
  return new Map(rows.map((r) => [r.code!.toUpperCase(), r.id]));
}

export interface EsrImportInput {
  fileName: string;
  rows: readonly EsrLeaverRow[];
  firstTermination: string;
  lastTermination: string;
}

export type EsrImportResult =
  | { imported: true; importId: number; added: number; alreadyImported: number }
  | { imported: false; alreadyImported: number };

/** A file name as shown: its last path part, printable, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return (printable || "leavers.csv").slice(0, 200);
}

export async function importEsrLeavers(
  caller: CurrentUser,
  input: EsrImportInput,
  now = new Date(),
): Promise<EsrImportResult> {
  assertAdmin(caller);
  if (input.rows.length === 0) throw new AdminError("invalid", "The file has no leavers");
  const fileName = cleanFileName(input.fileName);
  const NOTHING_ADDED = Symbol("nothing added");
  try {
    return await getDb().transaction(async (tx) => {
      const [created] = await tx
        .insert(esrLeaverImports)
        .values({
          uploadedById: caller.id,
          uploadedByName: caller.name,
          fileName,
          fileRows: input.rows.length,
          addedRows: 0,
          firstTermination: input.firstTermination,
          lastTermination: input.lastTermination,
          createdAt: now,
        })
        .returning({ id: esrLeaverImports.id });
      let added = 0;
      for (let i = 0; i < input.rows.length; i += INSERT_BATCH) {
        added += await insertLeavers(tx, created.id, input.rows.slice(i, i + INSERT_BATCH));
      }
      // Nobody new: undo the import row too, so the list does not change.
      if (added === 0) throw NOTHING_ADDED;
      await tx.update(esrLeaverImports).set({ addedRows: added }).where(eq(esrLeaverImports.id, created.id));
      await recordAdminChange(
        tx,
        caller,
        {
          entity: "esr_import",
          entityId: created.id,
          action: "imported",
          summary: `Imported ${added.toLocaleString("en-GB")} ESR leavers from ${fileName} (${input.rows.length.toLocaleString("en-GB")} rows, terminations ${input.firstTermination} to ${input.lastTermination})`,
          before: null,
          after: {
            fileName,
            fileRows: input.rows.length,
            addedRows: added,
            firstTermination: input.firstTermination,
            lastTermination: input.lastTermination,
          },
        },
        now,
      );
      return { imported: true as const, importId: created.id, added, alreadyImported: input.rows.length - added };
    });
  } catch (err) {
    if (err === NOTHING_ADDED) return { imported: false, alreadyImported: input.rows.length };
    throw err;
  }
}

export interface EsrImportListItem {
  id: number;
  uploadedByName: string;
  createdAt: Date;
  fileName: string;
  fileRows: number;
  addedRows: number;
  firstTermination: string;
  lastTermination: string;
}

export async function listEsrImports(caller: CurrentUser) {
  assertAdmin(caller);
  const db = getDb();
  const [items, [totals], codes] = await Promise.all([
    db
      .select({
        id: esrLeaverImports.id,
        uploadedByName: esrLeaverImports.uploadedByName,
        createdAt: esrLeaverImports.createdAt,
        fileName: esrLeaverImports.fileName,
        fileRows: esrLeaverImports.fileRows,
        addedRows: esrLeaverImports.addedRows,
        firstTermination: esrLeaverImports.firstTermination,
        lastTermination: esrLeaverImports.lastTermination,
      })
      .from(esrLeaverImports)
      .orderBy(desc(esrLeaverImports.createdAt), desc(esrLeaverImports.id))
      .limit(200),
    db.select({ leavers: count() }).from(esrLeavers),
    db
      .select({ name: organisations.name, code: organisations.esrCode })
      .from(organisations)
      .where(isNotNull(organisations.esrCode))
      .orderBy(organisations.name),
  ]);
  return { items: items as EsrImportListItem[], leavers: totals?.leavers ?? 0, codes };
}

export async function getEsrImport(caller: CurrentUser, idInput: unknown): Promise<EsrImportListItem> {
  assertAdmin(caller);
  const id = parseId(idInput, "import");
  const [found] = await getDb()
    .select({
      id: esrLeaverImports.id,
      uploadedByName: esrLeaverImports.uploadedByName,
      createdAt: esrLeaverImports.createdAt,
      fileName: esrLeaverImports.fileName,
      fileRows: esrLeaverImports.fileRows,
      addedRows: esrLeaverImports.addedRows,
      firstTermination: esrLeaverImports.firstTermination,
      lastTermination: esrLeaverImports.lastTermination,
    })
    .from(esrLeaverImports)
    .where(eq(esrLeaverImports.id, id));
  if (!found) throw new AdminError("not_found", "There is no such import");
  return found;
}

/** Removes an import and every leaver it added, with an audit entry. */
export async function removeEsrImport(caller: CurrentUser, idInput: unknown, now = new Date()) {
  assertAdmin(caller);
  const id = parseId(idInput, "import");
  return getDb().transaction(async (tx) => {
    const [found] = await tx
      .select({
        fileName: esrLeaverImports.fileName,
        createdAt: esrLeaverImports.createdAt,
        uploadedByName: esrLeaverImports.uploadedByName,
      })
      .from(esrLeaverImports)
      .where(eq(esrLeaverImports.id, id))
      .for("update");
    if (!found) throw new AdminError("not_found", "There is no such import");
    const [{ leavers }] = await tx.select({ leavers: count() }).from(esrLeavers).where(eq(esrLeavers.importId, id));
    await tx.delete(esrLeaverImports).where(eq(esrLeaverImports.id, id));
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "esr_import",
        entityId: id,
        action: "removed",
        summary: `Removed the ESR leavers import ${found.fileName} (${leavers.toLocaleString("en-GB")} leavers)`,
        before: { fileName: found.fileName, uploadedBy: found.uploadedByName, leavers },
        after: null,
      },
      now,
    );
    return { fileName: found.fileName, leavers };
  });
}

/** Keeps a refused upload's error report for a day; removes reports older than that. */
export async function saveErrorReport(caller: CurrentUser, fileName: string, csv: string, now = new Date()) {
  assertAdmin(caller);
  const id = randomUUID();
  const db = getDb();
  await db
    .delete(esrImportErrorReports)
    .where(lt(esrImportErrorReports.createdAt, new Date(now.getTime() - ERROR_REPORT_HOURS * 3_600_000)));
  await db.insert(esrImportErrorReports).values({
    id,
    createdById: caller.id,
    fileName: cleanFileName(fileName),
    csv,
    createdAt: now,
  });
  return id;
}

/** A refused upload's error report, for the administrator who uploaded it only (else not found). */
export async function getErrorReport(caller: CurrentUser, idInput: unknown, now = new Date()) {
  assertAdmin(caller);
  const id = String(idInput ?? "");
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AdminError("not_found", "There is no such error report");
  const [found] = await getDb()
    .select({ fileName: esrImportErrorReports.fileName, csv: esrImportErrorReports.csv })
    .from(esrImportErrorReports)
    .where(
      and(
        eq(esrImportErrorReports.id, id),
        // Only the administrator whose upload was refused: another administrator's report is 404.
        eq(esrImportErrorReports.createdById, caller.id),
        gte(esrImportErrorReports.createdAt, new Date(now.getTime() - ERROR_REPORT_HOURS * 3_600_000)),
      ),
    );
  if (!found) throw new AdminError("not_found", "There is no such error report (they are kept for a day)");
  return found;
}

/** Leavers stored, for tests and the page. */
export async function countEsrLeavers(caller: CurrentUser): Promise<number> {
  assertAdmin(caller);
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(esrLeavers);
  return Number(row?.n ?? 0);
}
