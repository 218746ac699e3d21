// /insights/retention.csv: the retention page's tables as a CSV file (same auth, same period and
// organisation in the URL, the same published figures: "*" stays "*"). A resource route.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/.server/auth/session.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { loadRetentionPage } from "~/.server/models/retention-insights.server";
import { insightsCsv } from "~/lib/insights/csv";
import { RETENTION_SENTENCES } from "~/lib/insights/retention";
import { retentionScopeLabel } from "./insights_.retention";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await withDomainErrors(() => loadRetentionPage(user, new URL(request.url)));
  const body = insightsCsv(data.tables, {
    period: data.filters.period.label,
    scope: retentionScopeLabel(data),
    sentences: RETENTION_SENTENCES,
  });
  const fileName = data.csvFileName.replace(/[^A-Za-z0-9._-]/g, "") || "staywell-retention.csv";
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
