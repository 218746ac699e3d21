// /insights/reservists: the reservist bank for managers (issue 14 part 2; ADR 040) — its size by
// staff group and organisation, hours offered, needs posted and places filled. Scoped (an
// organisation's manager sees their organisation) and protected by the same disclosure control as
// /insights: only published figures (perturbed, small ones suppressed) reach the browser.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { loadReservistInsights } from "~/.server/models/reservist-insights.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { HorizontalBarChart, SuppressedKey, type BarRow } from "~/components/insights-charts";
import { InsightTableView, tableCaptionId } from "~/components/insights-tables";
import {
  RESERVIST_HOURS_SENTENCE,
  RESERVIST_PERTURBATION_SENTENCE,
  RESERVIST_SUPPRESSION_SENTENCE,
  RESERVIST_TOO_FEW_SENTENCE,
  reservistInsightTables,
} from "~/lib/insights/reservists";

export const meta: MetaFunction = () => [{ title: "Reservist bank – Insights – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Only the published figures are sent: the tables are built from them on each side.
  const { published, scopeName } = await withDomainErrors(() => loadReservistInsights(user));
  return { published, scopeName };
}

export default function ReservistInsights() {
  const { published, scopeName } = useLoaderData<typeof loader>();
  const tables = published ? reservistInsightTables(published) : [];
  const groupRows: BarRow[] = published
    ? published.byStaffGroup.rows.map((r) => ({ key: r.value, label: r.label, figure: r.members }))
    : [];
  const orgRows: BarRow[] = published
    ? published.byOrganisation.rows.map((r) => ({ key: r.name, label: r.name, figure: r.members }))
    : [];
  const needRows: BarRow[] = published
    ? published.needs.rows.map((r) => ({
        key: r.key,
        label: r.label,
        figure: r.posted,
        note: `${r.filled.text} ${r.filled.text === "1" ? "place" : "places"} filled`,
      }))
    : [];
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-full">
        <div className="nhsuk-back-link">
          <Link className="nhsuk-back-link__link" to="/insights">
            Back to insights
          </Link>
        </div>
        <h1>Reservist bank</h1>
        <p className="nhsuk-body-l" id="reservist-insights-scope">
          {scopeName}: reservists available now or later, and needs posted in{" "}
          {published?.periodLabel ?? "the last 12 complete months"}
        </p>
        {published ? (
          <>
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>{RESERVIST_SUPPRESSION_SENTENCE}</p>
              <p>{RESERVIST_PERTURBATION_SENTENCE}</p>
              <p>{RESERVIST_HOURS_SENTENCE}</p>
              <p>{RESERVIST_TOO_FEW_SENTENCE}</p>
            </div>
            <p className="nhsuk-body-l" id="reservist-insights-total">
              Reservists available: <strong>{published.byStaffGroup.total.text}</strong>. Hours a week offered:{" "}
              <strong>{published.byStaffGroup.hours.text}</strong>
            </p>
            <section aria-labelledby="reservists-groups-heading">
              <h2 id="reservists-groups-heading">By staff group</h2>
              <HorizontalBarChart
                id="chart-reservists-groups"
                title="Bar chart of reservists by staff group"
                describedBy={tableCaptionId(tables[0]!.id)}
                rows={groupRows}
              />
              {groupRows.some((r) => r.figure.suppressed) ? <SuppressedKey id="chart-reservists-groups" /> : null}
              <InsightTableView table={tables[0]!} />
            </section>
            <section aria-labelledby="reservists-orgs-heading">
              <h2 id="reservists-orgs-heading">By organisation</h2>
              <HorizontalBarChart
                id="chart-reservists-organisations"
                title="Bar chart of reservists by their own organisation"
                describedBy={tableCaptionId(tables[1]!.id)}
                rows={orgRows}
              />
              {orgRows.some((r) => r.figure.suppressed) ? <SuppressedKey id="chart-reservists-organisations" /> : null}
              <InsightTableView table={tables[1]!} />
            </section>
            <section aria-labelledby="reservist-needs-heading">
              <h2 id="reservist-needs-heading">Needs posted and places filled</h2>
              <HorizontalBarChart
                id="chart-reservist-needs"
                title="Bar chart of needs posted by month"
                describedBy={tableCaptionId(tables[2]!.id)}
                rows={needRows}
              />
              {needRows.some((r) => r.figure.suppressed) ? <SuppressedKey id="chart-reservist-needs" /> : null}
              <InsightTableView table={tables[2]!} />
            </section>
          </>
        ) : (
          <div className="nhsuk-warning-callout" id="reservist-insights-too-few">
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                Too few reservists to show
              </span>
            </h2>
            <p>{RESERVIST_TOO_FEW_SENTENCE}</p>
          </div>
        )}
      </div>
    </div>
  );
}
