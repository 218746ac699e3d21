// /insights/first-year.csv: the first-year page's tables as a CSV file (same auth, same period and
// filter in the URL, the same published figures: "*" stays "*"). A resource route: no component.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/.server/auth/session.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { loadFirstYearInsights } from "~/.server/models/first-year-insights.server";
import { insightsCsv } from "~/lib/insights/csv";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await withDomainErrors(() => loadFirstYearInsights(user, new URL(request.url)));
  const body = insightsCsv(data.tables, {
    period: data.period.label,
    scope: data.scopeLabel,
    filters: [
      "Check-ins sent are counted in the month they were sent; answers, scores and support requests in the month the answer was given",
    ],
  });
  const fileName = data.csvFileName.replace(/[^A-Za-z0-9._-]/g, "") || "staywell-first-year.csv";
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
