// /admin/leavers: the ESR leavers import (issue 13 part 3; docs/decisions/035-esr-leavers-import.md).
// Administrators upload an ESR leavers extract (CSV). It streams straight into the CSV parser
// (never to disk, never buffered whole: app/.server/uploads.server.ts), every row is checked, and
// only a file without a single bad row is imported, in one transaction. A refused file gets the
// first errors on the page and a downloadable report of all of them. Every import is listed and
// can be removed as a whole (/admin/leavers/<id>/remove).
import {
  data,
  redirect,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { MissingEsrKeyError, assignmentHasher } from "@db/esr-assignment-hash";
import { requireAdmin } from "~/.server/admin-route.server";
import {
  EsrFileTooLargeError,
  errorReportCsv,
  readEsrExtract,
  type EsrReadResult,
  type EsrRowError,
} from "~/.server/esr-extract.server";
import { UploadTooLargeError } from "~/.server/http-guards.server";
import { withSmallChunks } from "~/.server/uploads.server";
import { log } from "~/.server/log.server";
import {
  esrOrganisationCodes,
  getEsrImport,
  importEsrLeavers,
  listEsrImports,
  saveErrorReport,
} from "~/.server/models/admin/esr-leavers.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { Button, ErrorSummary } from "~/components/fields";
import { formatDate, formatDateTime } from "~/components/format";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { StackedTable } from "~/components/nhsuk/table";
import { ESR_COLUMNS, ESR_MAX_FILE_BYTES } from "~/lib/leaving";
import { londonDate } from "~/lib/working-days";

export const meta: MetaFunction = () => [{ title: "ESR leavers – Administration – StayWell" }];

/** Errors listed on the page; the report has them all. */
const ERRORS_ON_PAGE = 20;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const url = new URL(request.url);
  const list = await withDomainErrors(() => listEsrImports(user));
  let imported: Awaited<ReturnType<typeof getEsrImport>> | null = null;
  const importedId = url.searchParams.get("imported");
  if (importedId) imported = await getEsrImport(user, importedId).catch(() => null);
  const unchanged = Number(url.searchParams.get("unchanged") ?? NaN);
  const removed = Number(url.searchParams.get("removed") ?? NaN);
  return {
    ...list,
    imported,
    unchanged: Number.isInteger(unchanged) && unchanged > 0 ? unchanged : null,
    removed: Number.isInteger(removed) && removed >= 0 ? removed : null,
  };
}

type UploadActionData =
  | { kind: "problem"; message: string }
  | {
      kind: "errors";
      fileName: string;
      fileRows: number;
      errors: EsrRowError[];
      errorCount: number;
      reportId: string;
    };

const TOO_LARGE_MESSAGE =
  "The file is larger than 20 MB. Nothing was imported. Split the extract, for example by year of termination, and upload each part";

function problem(message: string, status: number) {
  return data<UploadActionData>({ kind: "problem", message }, { status });
}

function causedBy(err: unknown, type: new (...args: never[]) => Error): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof type) return true;
  }
  return false;
}

async function drain(stream: AsyncIterable<Uint8Array>) {
  for await (const _ of stream) void _;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  if (!/^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "")) {
    return problem("Choose a CSV file to upload", 400);
  }
  let hash: (assignmentNumber: string) => string;
  try {
    hash = assignmentHasher();
  } catch (err) {
    if (err instanceof MissingEsrKeyError) {
      return problem("Imports are switched off until the server has its ESR_ASSIGNMENT_KEY setting", 503);
    }
    throw err;
  }
  const organisationIdByCode = await withDomainErrors(() => esrOrganisationCodes(user));
  const started = Date.now();
  let fileName: string | null = null;
  let result: EsrReadResult | undefined;
  try {
    await unstable_parseMultipartFormData(withSmallChunks(request), async (part) => {
      if (part.name !== "file" || part.filename === undefined || fileName !== null) {
        await drain(part.data);
        return undefined;
      }
      fileName = part.filename;
      result = await readEsrExtract(part.data, {
        organisationIdByCode,
        today: londonDate(new Date()),
        hash,
        maxBytes: ESR_MAX_FILE_BYTES,
      });
      return "read";
    });
  } catch (err) {
    if (causedBy(err, EsrFileTooLargeError) || causedBy(err, UploadTooLargeError)) {
      return problem(TOO_LARGE_MESSAGE, 413);
    }
    log.warn({ err: err instanceof Error ? err.name : "unknown" }, "ESR upload could not be read");
    return problem("The upload could not be read. Choose the file again and upload it", 400);
  }
  const name = fileName as string | null;
  if (!result || !name) return problem("Choose a CSV file to upload", 400);
  if (/\.(xlsx?|ods)$/i.test(name)) {
    return problem("That is a spreadsheet file. Save the extract as CSV (comma-separated values) and upload that", 400);
  }
  const read = result as EsrReadResult;
  if (!read.ok) {
    if (read.fileRows === 0 && read.errors.length === 1 && read.errors[0].problem.startsWith("The file is empty")) {
      return problem("The selected file is empty. Choose the ESR leavers extract", 400);
    }
    const reportId = await saveErrorReport(user, name, errorReportCsv(read.errors, read.errorCount));
    log.info({ rows: read.fileRows, errors: read.errorCount, ms: Date.now() - started }, "ESR upload refused");
    return data<UploadActionData>(
      {
        kind: "errors",
        fileName: name,
        fileRows: read.fileRows,
        errors: read.errors.slice(0, ERRORS_ON_PAGE),
        errorCount: read.errorCount,
        reportId,
      },
      { status: 400 },
    );
  }
  const outcome = await withDomainErrors(() =>
    importEsrLeavers(user, {
      fileName: name,
      rows: read.rows,
      firstTermination: read.firstTermination,
      lastTermination: read.lastTermination,
    }),
  );
  log.info(
    { rows: read.rows.length, added: outcome.imported ? outcome.added : 0, ms: Date.now() - started },
    "ESR upload imported",
  );
  throw redirect(
    outcome.imported ? `/admin/leavers?imported=${outcome.importId}` : `/admin/leavers?unchanged=${read.rows.length}`,
  );
}

const COLUMN_LABELS: Record<string, string> = { "": "Whole row" };

function n(value: number) {
  return value.toLocaleString("en-GB");
}

export default function AdminLeavers() {
  const { items, leavers, codes, imported, unchanged, removed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as UploadActionData | undefined;
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting" && navigation.formMethod?.toUpperCase() === "POST";
  const [clientError, setClientError] = useState<string | null>(null);
  const problemMessage = clientError ?? (actionData?.kind === "problem" ? actionData.message : null);

  return (
    <>
      {imported && !actionData ? (
        <SuccessBanner>
          Imported {n(imported.addedRows)} {imported.addedRows === 1 ? "leaver" : "leavers"} from {imported.fileName}
          {imported.fileRows > imported.addedRows
            ? ` (${n(imported.fileRows - imported.addedRows)} of its ${n(imported.fileRows)} rows were already imported and were left as they were)`
            : ""}
          .
        </SuccessBanner>
      ) : null}
      {unchanged && !actionData ? (
        <SuccessBanner>Nothing changed: all {n(unchanged)} leavers in that file were already imported.</SuccessBanner>
      ) : null}
      {removed !== null && !actionData ? (
        <SuccessBanner>
          The import has been removed, with its {n(removed)} {removed === 1 ? "leaver" : "leavers"}.
        </SuccessBanner>
      ) : null}
      {problemMessage ? <ErrorSummary errors={[{ href: "#file", text: problemMessage }]} /> : null}
      {actionData?.kind === "errors" ? (
        <ErrorSummary
          title="The file has errors: nothing was imported"
          description={`${n(actionData.errorCount)} ${actionData.errorCount === 1 ? "problem" : "problems"} in ${actionData.fileName} (${n(actionData.fileRows)} rows). Correct the file and upload it again.`}
          errors={[{ href: "#errors", text: "See the errors and download the full report" }]}
        />
      ) : null}

      <h1>ESR leavers</h1>
      <p>
        Upload an extract of leavers from ESR. StayWell keeps, for each leaver, their organisation, staff group, start
        and termination dates, leaving reason and age band, for the retention insights. It never keeps names, and keeps
        the assignment number only in a form that cannot be read back, so that a leaver uploaded twice is counted once.
      </p>
      <p>
        {n(leavers)} {leavers === 1 ? "leaver is" : "leavers are"} stored now.
      </p>

      {actionData?.kind === "errors" ? (
        <section id="errors" tabIndex={-1} aria-labelledby="errors-heading">
          <h2 id="errors-heading">Errors in {actionData.fileName}</h2>
          <p>
            <a href={`/admin/leavers/errors/${actionData.reportId}`} download>
              Download the error report (CSV, {n(actionData.errorCount)}{" "}
              {actionData.errorCount === 1 ? "error" : "errors"})
            </a>{" "}
            — kept for a day. Row numbers are as a spreadsheet shows them: the header is row 1.
          </p>
          <div className="staywell-table-scroll" role="region" aria-labelledby="errors-caption" tabIndex={0}>
            <StackedTable
              caption={
                actionData.errorCount > actionData.errors.length
                  ? `The first ${actionData.errors.length} of ${n(actionData.errorCount)} errors`
                  : `${actionData.errors.length === 1 ? "The error" : `All ${actionData.errors.length} errors`}`
              }
              captionId="errors-caption"
              rows={actionData.errors}
              rowKey={(e) => `${e.row}-${e.column}-${e.problem}`}
              columns={[
                { heading: "Row", numeric: true, cell: (e) => String(e.row) },
                { heading: "Column", cell: (e) => COLUMN_LABELS[e.column] ?? e.column },
                { heading: "Value", cell: (e) => e.value || "(blank)" },
                { heading: "What is wrong", cell: (e) => e.problem },
              ]}
            />
          </div>
        </section>
      ) : null}

      <h2>Upload an extract</h2>
      <Form
        method="post"
        encType="multipart/form-data"
        onSubmit={(event) => {
          const input = event.currentTarget.elements.namedItem("file") as HTMLInputElement | null;
          const file = input?.files?.[0];
          if (!file) {
            event.preventDefault();
            setClientError("Choose a CSV file to upload");
          } else if (file.size > ESR_MAX_FILE_BYTES) {
            event.preventDefault();
            setClientError(TOO_LARGE_MESSAGE);
          } else setClientError(null);
        }}
      >
        <div className={`nhsuk-form-group${problemMessage ? " nhsuk-form-group--error" : ""}`}>
          <label className="nhsuk-label nhsuk-label--s" htmlFor="file">
            ESR leavers extract (CSV)
          </label>
          <div className="nhsuk-hint" id="file-hint">
            Up to 20 MB. The first row names the columns, in any order: {ESR_COLUMNS.join(", ")}. Other columns are
            ignored. Staff groups, leaving reasons and age bands as ESR names them; dates as 2024-03-31, 31/03/2024 or
            31-MAR-2024.
          </div>
          {problemMessage ? (
            <span className="nhsuk-error-message" id="file-error">
              <span className="nhsuk-u-visually-hidden">Error:</span> {problemMessage}
            </span>
          ) : null}
          <input
            className={`nhsuk-input${problemMessage ? " nhsuk-input--error" : ""}`}
            type="file"
            id="file"
            name="file"
            accept=".csv,text/csv"
            aria-describedby={`file-hint${problemMessage ? " file-error" : ""}`}
          />
        </div>
        <p className="nhsuk-body-s">
          Every row is checked before anything is stored: if any row is wrong, nothing is imported and you get a list of
          what to correct. A large file (100,000 leavers) can take up to a minute: keep this page open after you press
          Upload.
        </p>
        {uploading ? (
          <div role="status" className="nhsuk-u-margin-bottom-4">
            <p className="nhsuk-body nhsuk-u-margin-bottom-2">
              Uploading and checking the file. This may take a minute.
            </p>
            <progress aria-label="Uploading and checking the file" style={{ width: "100%" }} />
          </div>
        ) : null}
        <Button disabled={uploading}>Upload</Button>
      </Form>

      <h2>Organisation codes</h2>
      {codes.length ? (
        <p>
          Rows are matched to organisations by their ESR code:{" "}
          {codes.map((c, i) => (
            <span key={c.code}>
              {i ? "; " : ""}
              {c.name} ({c.code})
            </span>
          ))}
          . Set or change a code on the organisation’s page under <Link to="/admin/organisations">Organisations</Link>.
        </p>
      ) : (
        <p>
          No organisation has an ESR code yet, so no row can be matched. Set each organisation’s code on its page under{" "}
          <Link to="/admin/organisations">Organisations</Link>.
        </p>
      )}

      <h2>Imports</h2>
      {items.length ? (
        <div className="staywell-table-scroll" role="region" aria-labelledby="imports-caption" tabIndex={0}>
          <StackedTable
            caption="Imports, newest first"
            captionId="imports-caption"
            rows={items}
            rowKey={(i) => String(i.id)}
            columns={[
              { heading: "Uploaded", cell: (i) => formatDateTime(i.createdAt) },
              { heading: "By", cell: (i) => i.uploadedByName },
              { heading: "File", cell: (i) => i.fileName },
              {
                heading: "Leavers added",
                numeric: true,
                cell: (i) => (i.fileRows === i.addedRows ? n(i.addedRows) : `${n(i.addedRows)} of ${n(i.fileRows)}`),
              },
              {
                heading: "Terminations",
                cell: (i) => `${formatDate(i.firstTermination)} to ${formatDate(i.lastTermination)}`,
              },
              {
                heading: "Action",
                headingHidden: true,
                cell: (i) => (
                  <Link to={`/admin/leavers/${i.id}/remove`}>
                    Remove<span className="nhsuk-u-visually-hidden"> the import {i.fileName}</span>
                  </Link>
                ),
              },
            ]}
          />
        </div>
      ) : (
        <p>Nothing has been imported yet.</p>
      )}
    </>
  );
}
