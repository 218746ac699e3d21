// /insights.csv: the insights page's tables as a CSV file (same auth, same filters in the URL,
// the same published figures: "*" stays "*"). A resource route: no component.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/.server/auth/session.server";
import { loadInsightsPage } from "~/.server/models/insights.server";
import { insightsCsv, insightsFilterLabels, insightsScopeLabel } from "~/lib/insights/csv";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await loadInsightsPage(user, new URL(request.url));
  const body = insightsCsv(data.tables, {
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
