// Manager insights: uptake and responsiveness in aggregate, for the period, organisation, support
// and staff group in the URL (a GET form, so it works without JavaScript and the back button
// works). Every number comes already suppressed from the model (insights.server.ts); each chart
// has its data table, and the CSV (/insights.csv) writes the same tables.
// The page is an overview (key figures, requests by month, a contents list) and one page per
// section, `?show=<section key>` (ADR 041, addendum h-ins4): the same loader and the same stored
// entry for every page (the key has no section), so all of them show the one published set.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import type { InsightsPageData } from "~/.server/models/insights.server";
import { loadPublishedInsightsPage, type InsightsPagePayload } from "~/.server/models/insights-page-cache.server";
import { InsightsFilterErrors, InsightsFilterForm } from "~/components/insights-filter";
import {
  HorizontalBarChart,
  MonthlyTrendChart,
  StackedBarChart,
  SuppressedKey,
  type BarRow,
} from "~/components/insights-charts";
import { InsightsSection, InsightTableView } from "~/components/insights-tables";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import {
  insightsFilterLabels,
  insightsScopeLabel,
  PERIOD_SENTENCE,
  PERTURBATION_SENTENCE,
  SUPPRESSION_SENTENCE,
  TOO_FEW_REASON,
} from "~/lib/insights/csv";
import { shareEqualFigures } from "~/lib/insights/share-figures";
import { insightTables } from "~/lib/insights/tables";
import type { Figure, InsightTable, PublishedInsights } from "~/lib/insights/types";
import { errorPageTitle } from "~/lib/page-title";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error || !data) return [{ title: error ? errorPageTitle(error) : "Insights – StayWell" }];
  // The choice in the title: after "Show figures" a screen reader hears what the page now shows.
  const page = data as unknown as InsightsPayload;
  const section = SECTIONS.find((s) => s.key === page.show);
  const what = section ? `${section.heading}, ` : "";
  return [{ title: `Insights: ${what}${insightsScopeLabel(page)}, ${page.filters.period.label} – StayWell` }];
};

/**
 * What the page needs: the published figures, not the data tables made from them (issue 11: sending
 * both doubled the payload). The tables are rebuilt from `published` where the page renders
 * (insightTables, pure), so the HTML and the CSV still show the same cells.
 */
export type InsightsPayload = Omit<InsightsPagePayload, "errors"> & {
  errors: { field: "period" | "for" | "show"; message: string }[];
  /** The section this page shows ("" for the overview). */
  show: SectionKey | "";
};

/** The URL's section: one known key, or none (the overview); anything else is an error. */
export function sectionOfUrl(url: URL): { show: SectionKey | ""; error: boolean } {
  const values = url.searchParams.getAll("show");
  if (values.length === 0 || (values.length === 1 && values[0] === "")) return { show: "", error: false };
  const section = values.length === 1 ? SECTIONS.find((s) => s.key === values[0]) : undefined;
  // Requests by month is on the overview: its key names that page.
  if (section) return { show: section.key === OVERVIEW_SECTION ? "" : section.key, error: false };
  return { show: "", error: true };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return withDomainErrors(async (): Promise<InsightsPayload> => {
    const url = new URL(request.url);
    const { show, error } = sectionOfUrl(url);
    // From the shared store when this scope's page was computed in the last few minutes (ADR 041).
    // Every section reads the same entry (its key has no section); a URL with an unknown section
    // may read it but never stores one.
    const { published, errors, ...payload } = await loadPublishedInsightsPage(user, url, undefined, !error);
    return {
      ...payload,
      errors: error ? [...errors, { field: "show", message: "Choose a section from the list" }] : errors,
      show,
      // Equal figures as one object: the hydration data writes each once (ADR 041 addendum).
      published: published && shareEqualFigures(published),
    };
  });
}

export default function InsightsRoute() {
  const data = useLoaderData<typeof loader>() as unknown as InsightsPayload;
  return <InsightsPage data={data} />;
}

// ---------------------------------------------------------------------------------------------
// the page (plain props, so tests can render it with the loader's data)

/** The "for" value of a filter ("" for everything in scope). */
export function forValue(filter: InsightsPageData["filters"]["filter"]): string {
  if (filter.kind === "all") return "";
  return filter.kind === "group" ? `group:${filter.value}` : `${filter.kind}:${filter.slug}`;
}

/** The query string of the period and filter in force (for the CSV link). */
export function insightsQuery(filters: InsightsPageData["filters"], scopeKind: "ics" | "organisation"): string {
  const params = new URLSearchParams({ period: filters.period.key });
  if (scopeKind === "ics" && filters.filter.kind !== "all") params.set("for", forValue(filters.filter));
  return params.toString();
}

interface Section {
  key: SectionKey;
  heading: string;
  /** Which of insightTables()' tables belong to this section, by id. */
  match: RegExp;
}

export type SectionKey =
  "trend" | "organisations" | "staff-groups" | "tenure" | "responsiveness" | "outcomes" | "satisfaction";

/** The section shown on the overview (its key in a URL shows the overview). */
const OVERVIEW_SECTION: SectionKey = "trend";

export const SECTIONS: readonly Section[] = [
  { key: "trend", heading: "Requests by month and support", match: /trend|month/ },
  { key: "organisations", heading: "Requests by organisation", match: /organi[sz]ation/ },
  { key: "staff-groups", heading: "Requests by staff group", match: /staff|group/ },
  { key: "tenure", heading: "Requests by years in post", match: /tenure|years/ },
  { key: "responsiveness", heading: "How quickly the people hub responds", match: /respon|contact/ },
  { key: "outcomes", heading: "Where the requests stand now", match: /outcome/ },
  { key: "satisfaction", heading: "Satisfaction", match: /satisf|rating/ },
];

/** Each table under the first section its id matches; the rest (if any) go at the end. */
function tablesBySection(tables: InsightTable[]) {
  const bySection = new Map<string, InsightTable[]>(SECTIONS.map((s) => [s.key, []]));
  const other: InsightTable[] = [];
  for (const table of tables) {
    const section = SECTIONS.find((s) => s.match.test(table.id));
    if (section) bySection.get(section.key)!.push(table);
    else other.push(table);
  }
  return { bySection, other };
}

const anySuppressed = (figures: Figure[]) => figures.some((f) => f.value === null);

/** The link to a section's page (the overview for "") with the period and filter in force. */
export function sectionHref(data: InsightsPayload, key: SectionKey | "") {
  const query = insightsQuery(data.filters, data.scope.kind);
  return `/insights?${query}${key && key !== OVERVIEW_SECTION ? `&show=${key}` : ""}`;
}

/** NHS.UK contents list of the overview and the sections; the page shown is marked, not linked. */
function ContentsList({ data }: { data: InsightsPayload }) {
  const current = data.show || OVERVIEW_SECTION;
  return (
    <nav className="nhsuk-contents-list" id="insights-contents" aria-label="Insights sections">
      <h2 className="nhsuk-u-visually-hidden">Contents</h2>
      <ol className="nhsuk-contents-list__list">
        {SECTIONS.map((s) => {
          const label = s.key === OVERVIEW_SECTION ? `Overview and ${s.heading.toLowerCase()}` : s.heading;
          return s.key === current ? (
            <li key={s.key} className="nhsuk-contents-list__item" aria-current="page">
              <span className="nhsuk-contents-list__current">{label}</span>
            </li>
          ) : (
            <li key={s.key} className="nhsuk-contents-list__item">
              <a className="nhsuk-contents-list__link" href={sectionHref(data, s.key)}>
                {label}
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/** The overview's key figures for all support, exactly as published ("*" where suppressed). */
function KeyFigures({ published }: { published: PublishedInsights }) {
  const resp = published.responsiveness.all;
  const sat = published.satisfaction.all;
  return (
    <section aria-labelledby="insights-key-figures-heading">
      <h2 id="insights-key-figures-heading">Key figures</h2>
      <SummaryList>
        <SummaryListRow label="Requests made">{published.total.text}</SummaryListRow>
        <SummaryListRow label="First contacted within the target time">{resp.withinTargetPercent.text}</SummaryListRow>
        <SummaryListRow label="Median working days to first contact">{resp.medianDays.text}</SummaryListRow>
        <SummaryListRow label="Average rating out of 5">
          {sat.average.text} <span className="nhsuk-body-s">(from {sat.rated.text} ratings)</span>
        </SummaryListRow>
      </SummaryList>
    </section>
  );
}

function FilterForm({ data }: { data: InsightsPayload }) {
  const { filters, options } = data;
  const choices = [
    { value: "", label: "Everything: all organisations, support and staff groups" },
    ...options.organisations.map((o) => ({
      group: "One organisation",
      value: `organisation:${o.slug}`,
      label: o.name,
    })),
    ...options.offers.map((o) => ({ group: "One type of support", value: `offer:${o.slug}`, label: o.title })),
    ...options.staffGroups.map((g) => ({ group: "One staff group", value: `group:${g.value}`, label: g.label })),
  ];
  return (
    <InsightsFilterForm
      action="/insights"
      formKey={insightsQuery(filters, data.scope.kind)}
      periods={options.periods}
      period={filters.period.key}
      errors={data.errors}
      scope={data.scope}
      keep={data.show ? [{ name: "show", value: data.show }] : []}
      forSelect={{ label: "Show figures for", options: choices, value: forValue(filters.filter) }}
      note={
        data.scope.kind === "organisation"
          ? "Figures are published for whole quarters, financial years and the latest 12 complete months."
          : "Figures are published for whole quarters, financial years and the latest 12 complete months, for everything or for one organisation, type of support or staff group at a time."
      }
    />
  );
}

function ChartAndTables({
  section,
  tables,
  chart,
}: {
  section: Section;
  tables: InsightTable[];
  chart: (describedBy: string | undefined) => JSX.Element;
}) {
  return (
    <InsightsSection
      headingId={`insights-${section.key}-heading`}
      heading={section.heading}
      tables={tables}
      chart={chart}
      // A section's own page names it in its h1 (with this id): no h2 repeats it.
      headingShown={section.key === OVERVIEW_SECTION}
    />
  );
}

export function InsightsPage({ data }: { data: InsightsPayload }) {
  const { published } = data;
  const scopeLabel = insightsScopeLabel(data);
  const filterLabels = insightsFilterLabels(data);
  const section = SECTIONS.find((s) => s.key === data.show);

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-full">
        <InsightsFilterErrors scope={data.scope} errors={data.errors} links={{ show: "#insights-contents" }} />
        {section ? (
          <h1 id={`insights-${section.key}-heading`}>
            <span className="nhsuk-caption-l">
              Support uptake and responsiveness<span className="nhsuk-u-visually-hidden"> – </span>
            </span>
            {section.heading}
          </h1>
        ) : (
          <h1>Support uptake and responsiveness</h1>
        )}
        <p className="nhsuk-body-l" id="insights-scope">
          {scopeLabel}: {data.filters.period.label}
          {filterLabels.length ? (
            <span className="nhsuk-u-display-block nhsuk-body-m nhsuk-u-margin-top-1">{filterLabels.join(". ")}.</span>
          ) : null}
        </p>
        <ContentsList data={data} />
        {published ? (
          <>
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>{SUPPRESSION_SENTENCE}</p>
              <p>{PERTURBATION_SENTENCE}</p>
            </div>
            <p>{PERIOD_SENTENCE}</p>
            {section ? null : (
              <p className="nhsuk-body-l" id="insights-total">
                Requests made: <strong>{published.total.text}</strong>
              </p>
            )}
            <p id="insights-as-at">
              Figures as at {data.asAt}. Requests open or overdue are counted as at that time; the figures are worked
              out again every few minutes.
            </p>
          </>
        ) : null}

        {section ? null : (
          <ul className="nhsuk-list">
            <li>
              <a href="/insights/retention">Retention insights: who leaves, why, and what helps them stay</a>
            </li>
            <li>
              <a href="/insights/first-year">First-year check-ins</a>
            </li>
            <li>
              <a href="/insights/reservists">Reservist bank figures</a>
            </li>
          </ul>
        )}
        <FilterForm data={data} />
        {published ? (
          <>
            <p>
              <a href={`/insights.csv?${insightsQuery(data.filters, data.scope.kind)}`} download={data.csvFileName}>
                Download these figures (CSV)
              </a>
              <span className="nhsuk-u-display-block nhsuk-body-s">
                Every section, for the period and filter chosen.
              </span>
            </p>
            {section ? null : <KeyFigures published={published} />}
            <PublishedSections
              published={published}
              tables={insightTables(published)}
              show={section?.key ?? OVERVIEW_SECTION}
            />
          </>
        ) : (
          <div className="nhsuk-warning-callout" id="insights-too-few">
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                Too few requests to show
              </span>
            </h2>
            <p>{TOO_FEW_REASON}</p>
            <p>
              {data.scope.kind === "organisation"
                ? "Choose a longer period: a financial year or the latest 12 months."
                : "Choose a longer period, or everything rather than one organisation, type of support or staff group."}
            </p>
          </div>
        )}
      </div>
    </div>
  );
}

/** The one section `show` names (its chart and tables); the overview's is Requests by month. */
function PublishedSections({
  published,
  tables,
  show,
}: {
  published: PublishedInsights;
  tables: InsightTable[];
  show: SectionKey;
}) {
  const { bySection, other } = tablesBySection(tables);
  const sectionOf = (key: string) => SECTIONS.find((s) => s.key === key)!;
  const tablesOf = (key: string) => bySection.get(key) ?? [];
  const resp = published.responsiveness;
  const sat = published.satisfaction;
  const outcomes = published.outcomes;
  return (
    <>
      {show === "trend" ? (
        <ChartAndTables
          section={sectionOf("trend")}
          tables={tablesOf("trend")}
          chart={(describedBy) => (
            <>
              {published.trend.monthTotals.every((f) => f.value === null || f.value === 0) ? (
                // Nothing to draw: a chart of hatched markers on a 0-1 axis says less than this.
                <p className="nhsuk-body" id="chart-trend">
                  No month has a number that can be shown: each is 0 or too small to publish. The table below has the
                  months.
                </p>
              ) : (
                <>
                  <MonthlyTrendChart
                    id="chart-trend"
                    title={`Bar chart of requests made each month, ${published.period.label}`}
                    describedBy={describedBy}
                    months={published.months}
                    totals={published.trend.monthTotals}
                  />
                  {anySuppressed(published.trend.monthTotals) ? <SuppressedKey id="chart-trend" /> : null}
                </>
              )}
            </>
          )}
        />
      ) : null}

      {show === "organisations" ? (
        <ChartAndTables
          section={sectionOf("organisations")}
          tables={tablesOf("organisations")}
          chart={(describedBy) => {
            const rows: BarRow[] = published.byOrganisation.rows.map((r) => ({
              key: r.organisation.slug,
              label: r.organisation.name,
              figure: r.requests,
              note: `${r.per100Staff.text} per 100 staff`,
            }));
            return (
              <>
                <HorizontalBarChart
                  id="chart-organisations"
                  title="Bar chart of requests by organisation"
                  describedBy={describedBy}
                  rows={rows}
                />
                {anySuppressed(rows.map((r) => r.figure)) ? <SuppressedKey id="chart-organisations" /> : null}
              </>
            );
          }}
        />
      ) : null}

      {show === "staff-groups" ? (
        <ChartAndTables
          section={sectionOf("staff-groups")}
          tables={tablesOf("staff-groups")}
          chart={(describedBy) => {
            const rows: BarRow[] = published.byStaffGroup.rows.map((r) => ({
              key: r.value,
              label: r.label,
              figure: r.requests,
            }));
            return (
              <>
                <HorizontalBarChart
                  id="chart-staff-groups"
                  title="Bar chart of requests by staff group"
                  describedBy={describedBy}
                  rows={rows}
                />
                {anySuppressed(rows.map((r) => r.figure)) ? <SuppressedKey id="chart-staff-groups" /> : null}
              </>
            );
          }}
        />
      ) : null}

      {show === "tenure" ? (
        <ChartAndTables
          section={sectionOf("tenure")}
          tables={tablesOf("tenure")}
          chart={(describedBy) => {
            const rows: BarRow[] = published.byTenure.rows.map((r) => ({
              key: r.value,
              label: r.label,
              figure: r.requests,
            }));
            return (
              <>
                <HorizontalBarChart
                  id="chart-tenure"
                  title="Bar chart of requests by years in post"
                  describedBy={describedBy}
                  rows={rows}
                />
                {anySuppressed(rows.map((r) => r.figure)) ? <SuppressedKey id="chart-tenure" /> : null}
              </>
            );
          }}
        />
      ) : null}

      {show === "responsiveness" ? (
        <ChartAndTables
          section={sectionOf("responsiveness")}
          tables={tablesOf("responsiveness")}
          chart={(describedBy) => {
            const rows: BarRow[] = [
              {
                key: "all",
                label: "All support",
                figure: resp.all.withinTargetPercent,
                note: `Median ${resp.all.medianDays.text} working days`,
                strong: true,
              },
              ...resp.rows.map((r) => ({
                key: r.offer.slug,
                label: r.offer.title,
                figure: r.withinTargetPercent,
                note: `Median ${r.medianDays.text} working days`,
              })),
            ];
            return (
              <>
                <p className="nhsuk-body-s">
                  Percentage of requests with first contact within the target time, and the median working days to first
                  contact.
                </p>
                <HorizontalBarChart
                  id="chart-responsiveness"
                  title="Bar chart of the percentage of requests contacted within the target time, by support"
                  describedBy={describedBy}
                  rows={rows}
                  max={100}
                  unit="%"
                />
                {anySuppressed(rows.map((r) => r.figure)) ? <SuppressedKey id="chart-responsiveness" /> : null}
              </>
            );
          }}
        />
      ) : null}

      {show === "outcomes" ? (
        <ChartAndTables
          section={sectionOf("outcomes")}
          tables={tablesOf("outcomes")}
          chart={(describedBy) => (
            <StackedBarChart
              id="chart-outcomes"
              title="Stacked bar chart of where the requests stand now: outcome, withdrawn or open, by support"
              describedBy={describedBy}
              series={outcomes.outcomes}
              rows={outcomes.rows.map((r) => ({
                key: r.offer.slug,
                label: r.offer.title,
                cells: r.cells,
                total: r.total,
              }))}
            />
          )}
        />
      ) : null}

      {show === "satisfaction" ? (
        <ChartAndTables
          section={sectionOf("satisfaction")}
          tables={tablesOf("satisfaction")}
          chart={(describedBy) => {
            const rows: BarRow[] = [
              {
                key: "all",
                label: "All support",
                figure: sat.all.average,
                note: `out of 5, from ${sat.all.rated.text} ratings`,
                strong: true,
              },
              ...sat.rows.map((r) => ({
                key: r.offer.slug,
                label: r.offer.title,
                figure: r.average,
                note: `out of 5, from ${r.rated.text} ratings`,
              })),
            ];
            return (
              <>
                <HorizontalBarChart
                  id="chart-satisfaction"
                  title="Bar chart of the average rating out of 5, by support"
                  describedBy={describedBy}
                  rows={rows}
                  max={5}
                />
                {anySuppressed(rows.map((r) => r.figure)) ? <SuppressedKey id="chart-satisfaction" /> : null}
              </>
            );
          }}
        />
      ) : null}

      {show === OVERVIEW_SECTION && other.length ? (
        <section aria-labelledby="insights-other-heading" className="staywell-insights-section">
          <h2 id="insights-other-heading">More figures</h2>
          {other.map((table) => (
            <InsightTableView key={table.id} table={table} />
          ))}
        </section>
      ) : null}
    </>
  );
}
