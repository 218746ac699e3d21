// /insights/first-year: how new starters' first-year check-ins are going (ADR 039). Managers only,
// scoped by the one permission module; every figure goes through the disclosure control of
// /insights (suppression, cell-key perturbation, rounding). Never an individual, never free text.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { loadFirstYearInsights, type FirstYearPageData } from "~/.server/models/first-year-insights.server";
import { InsightsFilterErrors, InsightsFilterForm } from "~/components/insights-filter";
import { HorizontalBarChart, SuppressedKey, type BarRow } from "~/components/insights-charts";
import { InsightTableView } from "~/components/insights-tables";
import { PERTURBATION_SENTENCE, SUPPRESSION_SENTENCE, TOO_FEW_SENTENCE } from "~/lib/insights/csv";
import { firstYearTables, LEAVING_SHARE_MIN_BASE } from "~/lib/insights/first-year";
import type { Figure } from "~/lib/insights/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const page = data as unknown as Payload | undefined;
  return [
    {
      title: page
        ? `First-year check-ins: ${page.scopeLabel}, ${page.period.label} – Insights – StayWell`
        : "First-year check-ins – Insights – StayWell",
    },
  ];
};

type Payload = Omit<FirstYearPageData, "tables">;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return withDomainErrors(async (): Promise<Payload> => {
    const { tables: _tables, ...payload } = await loadFirstYearInsights(user, new URL(request.url));
    return payload;
  });
}

const anySuppressed = (figures: Figure[]) => figures.some((f) => f.suppressed);

/** The page's query (period and filter), for the CSV link and the form's key. */
export function firstYearQuery(data: Pick<Payload, "scope" | "period" | "filter">): string {
  const params = new URLSearchParams({ period: data.period.key });
  if (data.scope.kind === "ics" && data.filter.kind === "organisation")
    params.set("for", `organisation:${data.filter.slug}`);
  if (data.scope.kind === "ics" && data.filter.kind === "group") params.set("for", `group:${data.filter.value}`);
  return params.toString();
}

/** Period and the one filter (an organisation or a staff group), as /insights/retention's form. */
function FilterForm({ data }: { data: Payload }) {
  const choices = [
    { value: "", label: "All organisations and staff groups" },
    ...data.options.organisations.map((o) => ({
      group: "Organisations",
      value: `organisation:${o.slug}`,
      label: o.name,
    })),
    ...data.options.staffGroups.map((g) => ({ group: "Staff groups", value: `group:${g.value}`, label: g.label })),
  ];
  const forValue =
    data.filter.kind === "organisation"
      ? `organisation:${data.filter.slug}`
      : data.filter.kind === "group"
        ? `group:${data.filter.value}`
        : "";
  return (
    <InsightsFilterForm
      action="/insights/first-year"
      formKey={firstYearQuery(data)}
      periods={data.periods}
      period={data.period.key}
      periodHint="Check-ins sent, and answers given, in these months"
      errors={data.errors}
      scope={
        data.scope.kind === "organisation"
          ? { kind: "organisation", organisation: { name: data.scope.name } }
          : { kind: "ics" }
      }
      forSelect={{ label: "Organisation or staff group", options: choices, value: forValue }}
    />
  );
}

/** A chart with a visible caption naming what it measures (the SVG's <title> is not shown). */
function Chart({ id, caption, rows, unit }: { id: string; caption: string; rows: BarRow[]; unit?: string }) {
  return (
    <>
      <h3 className="nhsuk-heading-s" id={`${id}-caption`}>
        {caption}
      </h3>
      <HorizontalBarChart id={id} title={`Bar chart: ${caption}`} rows={rows} unit={unit} />
      {anySuppressed(rows.map((r) => r.figure)) ? <SuppressedKey id={id} /> : null}
    </>
  );
}

export default function FirstYearInsights() {
  const data = useLoaderData<typeof loader>() as unknown as Payload;
  const { published, period } = data;
  const tables = published ? firstYearTables(published) : [];
  const table = (id: string) => tables.find((t) => t.id === id);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-full">
        <InsightsFilterErrors
          scope={
            data.scope.kind === "organisation"
              ? { kind: "organisation", organisation: { name: data.scope.name } }
              : { kind: "ics" }
          }
          errors={data.errors}
        />
        <span className="nhsuk-caption-l">
          Insights{data.scope.kind === "organisation" ? ` for ${data.scope.name}` : " for the whole ICS"}
        </span>
        <h1>First-year check-ins</h1>
        <p className="nhsuk-body-l">
          {data.scopeLabel}, {period.label}
        </p>
        <p>
          Everyone in their first year in post is asked how it is going at set points after their start date. These
          figures show how many check-ins were sent and answered, how new starters score their work and the support of
          their team, and how many are thinking of leaving. They never show a person or what anyone wrote.
        </p>
        <p>
          Check-ins sent are counted in the month they were sent. Answers, scores and support requests are counted in
          the month the answer was given, so a month that is over never changes.
        </p>
        <p>
          <Link to="/insights">All insights</Link>
        </p>
        <FilterForm data={data} />
        {!published ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>{TOO_FEW_SENTENCE}</p>
          </div>
        ) : (
          <>
            <p className="nhsuk-body-s">
              {SUPPRESSION_SENTENCE} {PERTURBATION_SENTENCE} The share thinking of leaving is shown from{" "}
              {LEAVING_SHARE_MIN_BASE} answers, to the nearest 5%.
            </p>
            <p>
              <a href={`/insights/first-year.csv?${firstYearQuery(data)}`} download>
                Download these figures (CSV)
              </a>
            </p>
            <h2>Sent and answered</h2>
            <Chart
              id="chart-points"
              caption="Check-ins answered, by point after the start date (the table gives those sent, still open and not answered)"
              rows={published.points.rows.map((r) => ({ key: r.label, label: r.label, figure: r.answered }))}
            />
            {table("table-points") ? <InsightTableView table={table("table-points")!} /> : null}
            <h2>Over time</h2>
            {table("table-months") ? <InsightTableView table={table("table-months")!} /> : null}
            <h2>By organisation</h2>
            <Chart
              id="chart-organisations"
              caption="Share of answers thinking of leaving, by organisation (%)"
              unit="%"
              rows={published.byOrganisation.map((r) => ({ key: r.label, label: r.label, figure: r.leavingShare }))}
            />
            {table("table-organisations") ? <InsightTableView table={table("table-organisations")!} /> : null}
            <h2>By staff group</h2>
            <Chart
              id="chart-staff-groups"
              caption="Average score for how new starters find their work (1 to 5), by staff group"
              rows={published.byStaffGroup.map((r) => ({ key: r.label, label: r.label, figure: r.work }))}
            />
            {table("table-staff-groups") ? <InsightTableView table={table("table-staff-groups")!} /> : null}
            <h2>Led to support</h2>
            {table("table-support") ? <InsightTableView table={table("table-support")!} /> : null}
          </>
        )}
      </div>
    </div>
  );
}
