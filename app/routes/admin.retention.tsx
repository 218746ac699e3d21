// /admin/retention: the data retention schedule (docs/decisions/031-retention-schedule.md) — each
// rule, how long the data is kept and what happens then — and the daily job's last runs: when they
// started and finished and how many rows each rule handled (counts only, never content). Read only:
// the schedule is set in code and the ADR; the one thing administrators change is an account's
// hold, on the person's page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/.server/admin-route.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { loadRetentionOverview } from "~/.server/models/admin/retention.server";
import { formatDateTime } from "~/components/format";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { StackedTable } from "~/components/nhsuk/table";

export const meta: MetaFunction = () => [{ title: "Data retention – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  return withDomainErrors(() => loadRetentionOverview(user));
}

type Overview = ReturnType<typeof useLoaderData<typeof loader>>;
type Rule = Overview["rules"][number];
type Run = Overview["runs"][number];

function countText(rule: Rule, run: Run): string {
  const n = run.counts[rule.key];
  if (run.errors[rule.key]) return `Stopped with an error (${run.errors[rule.key]})${n ? ` after ${n}` : ""}`;
  if (n === undefined) return run.finishedAt ? "Not run" : "Not finished";
  const text = `${n.toLocaleString("en-GB")} ${n === 1 ? rule.unit[0] : rule.unit[1]}`;
  return run.more.includes(rule.key) ? `${text}; more to do in the next run` : text;
}

function runStatus(run: Run): string {
  if (!run.finishedAt) return "Started but not finished (the instance may have stopped: the next run carries on)";
  const failed = Object.keys(run.errors).length;
  return failed ? `Finished with ${failed === 1 ? "an error in 1 rule" : `errors in ${failed} rules`}` : "Finished";
}

export default function AdminRetention() {
  const { rules, runs, accountsOnHold, runHour } = useLoaderData<typeof loader>();
  const last = runs[0];
  return (
    <>
      <h1>Data retention</h1>
      <p>
        StayWell keeps personal data no longer than it needs. Every day from {String(runHour).padStart(2, "0")}:00 (UK
        time) a job applies the schedule below once, whichever server runs it. It records only how many records each
        rule changed, never what they held.
      </p>

      <h2 id="last-run">Last run</h2>
      {last ? (
        <SummaryList>
          <SummaryListRow label="Started">{formatDateTime(last.startedAt)}</SummaryListRow>
          <SummaryListRow label="Finished">
            {last.finishedAt ? formatDateTime(last.finishedAt) : "Not finished"}
          </SummaryListRow>
          <SummaryListRow label="Result">{runStatus(last)}</SummaryListRow>
        </SummaryList>
      ) : (
        <p>The job has not run yet.</p>
      )}

      <div className="staywell-table-scroll" role="region" aria-labelledby="schedule-caption" tabIndex={0}>
        <StackedTable
          caption="Retention schedule"
          captionId="schedule-caption"
          rows={[...rules]}
          rowKey={(r) => r.key}
          firstCellIsHeader
          columns={[
            { heading: "Data", cell: (r) => r.title },
            { heading: "Kept for", cell: (r) => r.period },
            { heading: "Then", cell: (r) => r.action },
            { heading: "Last run", cell: (r) => (last ? countText(r, last) : "Not run yet") },
          ]}
        />
      </div>

      <h2>Accounts on hold</h2>
      <p>
        {accountsOnHold === 0
          ? "No account is on hold."
          : accountsOnHold === 1
            ? "1 account is on hold: it is not anonymised however long it has been disabled."
            : `${accountsOnHold.toLocaleString("en-GB")} accounts are on hold: they are not anonymised however long they have been disabled.`}{" "}
        Put an account on hold, or release it, from its page under <Link to="/admin/people">People</Link>. Each change
        is recorded in the <Link to="/admin/audit?area=user">audit log</Link>.
      </p>

      {runs.length > 1 ? (
        <div className="staywell-table-scroll" role="region" aria-labelledby="runs-caption" tabIndex={0}>
          <StackedTable
            caption="Earlier runs"
            captionId="runs-caption"
            rows={runs.slice(1)}
            rowKey={(r) => r.runKey}
            columns={[
              { heading: "Started", cell: (r) => formatDateTime(r.startedAt) },
              { heading: "Result", cell: (r) => runStatus(r) },
              {
                heading: "Records changed",
                numeric: true,
                cell: (r) =>
                  Object.values(r.counts)
                    .reduce((sum, n) => sum + (n ?? 0), 0)
                    .toLocaleString("en-GB"),
              },
            ]}
          />
        </div>
      ) : null}
    </>
  );
}
