// /admin/leavers/errors/<id>: the error report of a refused ESR upload, as CSV (row, column,
// value, what is wrong). Only for the administrator whose upload it was (anyone else: 404); kept
// for a day, then 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/.server/admin-route.server";
import { getErrorReport } from "~/.server/models/admin/esr-leavers.server";
import { withDomainErrors } from "~/.server/route-errors.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const report = await withDomainErrors(() => getErrorReport(user, params.reportId));
  const base = report.fileName.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]+/g, "-") || "leavers";
  return new Response(report.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${base}-errors.csv"`,
    },
  });
}
