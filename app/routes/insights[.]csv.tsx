// /insights.csv: the insights page's tables as a CSV file (same auth, same filters in the URL,
// the same published figures: "*" stays "*"). A resource route: no component.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/.server/auth/session.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { loadPublishedInsightsPage } from "~/.server/models/insights-page-cache.server";
import { insightsCsv, insightsFilterLabels, insightsScopeLabel } from "~/lib/insights/csv";
import { insightTables } from "~/lib/insights/tables";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // The same stored entry as the page (ADR 041): the file shows exactly the page's figures.
  const data = await withDomainErrors(() => loadPublishedInsightsPage(user, new URL(request.url)));
  const tables = data.published ? insightTables(data.published) : [];
  const body = insightsCsv(tables, {
    period: data.filters.period.label,
    scope: insightsScopeLabel(data),
    filters: insightsFilterLabels(data),
  });
  // The file name comes from the model (dates only); quotes and non-ASCII are dropped to be safe.
  const fileName = data.csvFileName.replace(/[^A-Za-z0-9._-]/g, "") || "staywell-insights.csv";
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
