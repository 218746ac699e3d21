// Retention insights (issue 13 part 4, docs/decisions/036-retention-insights.md): who left, why and
// when in their service, what leavers told the questionnaire, and how stay conversations ended, for
// the period and organisation in the URL (a GET form: works without JavaScript). Every number comes
// already published from the model (same disclosure control as /insights, ADR 008); each chart has
// its data table, and /insights/retention.csv writes the same tables.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { loadRetentionPage, type RetentionPageData } from "~/.server/models/retention-insights.server";
import { InsightsFilterErrors, InsightsFilterForm } from "~/components/insights-filter";
import { HorizontalBarChart, MonthlyTrendChart, SuppressedKey, type BarRow } from "~/components/insights-charts";
import { InsightsSection, InsightTableView, type InsightsSectionProps } from "~/components/insights-tables";
import {
  RETENTION_PERTURBATION_SENTENCE,
  RETENTION_SUPPRESSION_SENTENCE,
  retentionTables,
  type PublishedRetention,
} from "~/lib/insights/retention";
import type { Figure } from "~/lib/insights/types";
import { errorPageTitle } from "~/lib/page-title";

export type RetentionPayload = Omit<RetentionPageData, "tables">;

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error || !data) return [{ title: error ? errorPageTitle(error) : "Retention insights – StayWell" }];
  const page = data as unknown as RetentionPayload;
  return [{ title: `Retention insights: ${retentionScopeLabel(page)}, ${page.filters.period.label} – StayWell` }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return withDomainErrors(async (): Promise<RetentionPayload> => {
    // The tables are rebuilt from `published` where the page renders (as /insights does).
    const { tables, ...payload } = await loadRetentionPage(user, new URL(request.url));
    return payload;
  });
}

export function retentionScopeLabel(data: Pick<RetentionPayload, "scope" | "filters" | "options">): string {
  if (data.scope.kind === "organisation") return data.scope.organisation.name;
  const { filter } = data.filters;
  const chosen = filter.kind === "organisation" ? data.options.organisations.find((o) => o.slug === filter.slug) : null;
  return chosen?.name ?? "All organisations in the ICS";
}

export function retentionQuery(data: Pick<RetentionPayload, "scope" | "filters">): string {
  const params = new URLSearchParams({ period: data.filters.period.key });
  if (data.scope.kind === "ics" && data.filters.filter.kind === "organisation")
    params.set("for", `organisation:${data.filters.filter.slug}`);
  return params.toString();
}

export default function RetentionInsightsRoute() {
  const data = useLoaderData<typeof loader>() as unknown as RetentionPayload;
  return <RetentionPage data={data} />;
}

const anySuppressed = (figures: Figure[]) => figures.some((f) => f.value === null);

function FilterForm({ data }: { data: RetentionPayload }) {
  const choices = [
    { value: "", label: "All organisations" },
    ...data.options.organisations.map((o) => ({ value: `organisation:${o.slug}`, label: o.name })),
  ];
  const forValue = data.filters.filter.kind === "organisation" ? `organisation:${data.filters.filter.slug}` : "";
  return (
    <InsightsFilterForm
      action="/insights/retention"
      formKey={retentionQuery(data)}
      periods={data.options.periods}
      period={data.filters.period.key}
      errors={data.errors}
      scope={data.scope}
      forSelect={{ label: "Organisation", options: choices, value: forValue }}
    />
  );
}

type SectionProps = Omit<InsightsSectionProps, "headingId"> & { id: string };

function Section({ id, ...section }: SectionProps) {
  return <InsightsSection headingId={`retention-${id}-heading`} {...section} />;
}

function TooFew({ id, what, narrowed }: { id: string; what: string; narrowed: boolean }) {
  return (
    <div className="nhsuk-warning-callout" id={id}>
      <h3 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          Too few {what} to show
        </span>
      </h3>
      <p>
        There were too few {what} for this choice to publish figures without risking identifying someone. Choose a
        longer period{narrowed ? " or all organisations" : ""}.
      </p>
    </div>
  );
}

/** A section whose chart is one bar chart (described by the section's first table). */
function BarsSection({
  chartId,
  title,
  rows,
  ...section
}: Omit<SectionProps, "chart"> & { chartId: string; title: string; rows: BarRow[] }) {
  return (
    <Section
      {...section}
      chart={(describedBy) => (
        <>
          <HorizontalBarChart id={chartId} title={title} describedBy={describedBy} rows={rows} />
          {anySuppressed(rows.map((r) => r.figure)) ? <SuppressedKey id={chartId} /> : null}
        </>
      )}
    />
  );
}

export function RetentionPage({ data }: { data: RetentionPayload }) {
  const p: PublishedRetention = data.published;
  const tables = retentionTables(p, data.previousLabel);
  const table = (id: string) => tables.filter((t) => t.id === id);
  // "Or all organisations" only helps an ICS-wide manager who chose one.
  const narrowed = data.scope.kind === "ics" && data.filters.filter.kind === "organisation";
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-full">
        <InsightsFilterErrors scope={data.scope} errors={data.errors} />
        <h1>Retention: who leaves, why, and what helps them stay</h1>
        <p className="nhsuk-body-l" id="retention-scope">
          {retentionScopeLabel(data)}: {data.filters.period.label}
        </p>
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{RETENTION_SUPPRESSION_SENTENCE}</p>
          <p>{RETENTION_PERTURBATION_SENTENCE}</p>
        </div>
        <p>
          Leavers come from the ESR leavers extracts administrators upload, by termination date; questionnaire answers
          by leaving date; stay conversations by the date they were asked for, with their outcome as of today.
        </p>
        <FilterForm data={data} />
        <p>
          <a href={`/insights/retention.csv?${retentionQuery(data)}`} download={data.csvFileName}>
            Download these figures (CSV)
          </a>
        </p>

        <section aria-labelledby="retention-headline-heading" className="staywell-insights-section">
          <h2 id="retention-headline-heading">The four figures that matter most</h2>
          <ul className="nhsuk-grid-row nhsuk-card-group" id="retention-headline">
            {p.headline.map((h) => (
              <li key={h.key} className="nhsuk-grid-column-one-quarter nhsuk-card-group__item">
                <div className="nhsuk-card">
                  <div className="nhsuk-card__content">
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{h.label}</p>
                    <p className="nhsuk-heading-l nhsuk-u-margin-bottom-1">{h.figure.text}</p>
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                      {h.change ? `${h.change} in the previous period` : "No comparison with the previous period"}
                    </p>
                  </div>
                </div>
              </li>
            ))}
          </ul>
          {table("table-retention-headline").map((t) => (
            <InsightTableView key={t.id} table={t} />
          ))}
        </section>

        {p.leavers ? (
          <>
            <Section
              id="months"
              heading="Leavers by month"
              tables={table("table-leavers-month")}
              chart={(describedBy) => (
                <>
                  <MonthlyTrendChart
                    id="chart-leavers-month"
                    title={`Bar chart of leavers each month, ${p.period.label}`}
                    describedBy={describedBy}
                    months={p.months}
                    totals={p.leavers!.monthTotals}
                  />
                  {anySuppressed(p.leavers!.monthTotals) ? <SuppressedKey id="chart-leavers-month" /> : null}
                </>
              )}
            />
            <BarsSection
              id="organisations"
              heading="Turnover by organisation and staff group"
              intro="Leavers in the period per 100 staff in post (each organisation's headcount, and its staff by staff group, as set in StayWell's administration)."
              tables={[...table("table-leavers-organisation"), ...table("table-leavers-staff-group")]}
              chartId="chart-leavers-organisation"
              title="Bar chart of leavers per 100 staff, by organisation"
              rows={p.leavers!.byOrganisation.rows.map((r) => ({
                key: r.organisation.slug,
                label: r.organisation.name,
                figure: r.per100,
                note: `${r.total.text} leavers`,
              }))}
            />
            <BarsSection
              id="tenure"
              heading="When in their service people leave: the first-year curve"
              intro="Leavers by length of service at leaving, and their reasons (ESR leaving reasons, grouped)."
              tables={table("table-leavers-tenure")}
              chartId="chart-leavers-tenure"
              title="Bar chart of leavers by length of service"
              rows={p.leavers!.tenure.rows.map((r) => ({ key: r.value, label: r.label, figure: r.total }))}
            />
            <BarsSection
              id="age"
              heading="Reasons for leaving by age band"
              intro="Retirement at pension age and early or flexible retirement are shown apart; ill-health retirement counts under health."
              tables={table("table-leavers-age")}
              chartId="chart-leavers-age"
              title="Bar chart of leavers by age band"
              rows={p.leavers!.age.rows.map((r) => ({ key: r.value, label: r.label, figure: r.total }))}
            />
          </>
        ) : (
          <TooFew id="retention-too-few-leavers" what="leavers" narrowed={narrowed} />
        )}

        <h2 className="nhsuk-u-margin-top-7">What leavers told us</h2>
        {p.questionnaire ? (
          <>
            <BarsSection
              id="destination"
              heading="Where leavers went"
              intro="From the leaving questionnaire, those who had used StayWell support beside those who had not."
              tables={table("table-questionnaire-destination")}
              chartId="chart-questionnaire-destination"
              title="Bar chart of where leavers went"
              rows={p.questionnaire!.destinations.rows.map((r) => ({
                key: r.value,
                label: r.label,
                figure: r.total,
              }))}
            />
            <BarsSection
              id="kept"
              heading="What would have kept them"
              tables={[...table("table-questionnaire-kept"), ...table("table-questionnaire-support")]}
              chartId="chart-questionnaire-kept"
              title="Bar chart of what would have kept leavers"
              rows={p.questionnaire!.kept.rows.map((r) => ({ key: r.value, label: r.label, figure: r.total }))}
            />
          </>
        ) : (
          <TooFew id="retention-too-few-questionnaire" what="questionnaire answers" narrowed={narrowed} />
        )}

        <h2 className="nhsuk-u-margin-top-7">Stay conversations</h2>
        {p.stay ? (
          <BarsSection
            id="stay"
            heading="How stay conversations ended"
            intro={`${p.stay.total.text} people asked for a stay conversation. ${p.stay.retainedPercent.text} of those with an outcome stayed or moved within the ICS; the median time from request to first contact was ${p.stay.medianDaysToFirstContact.text} working days.`}
            tables={[...table("table-stay-outcomes"), ...table("table-stay-retained"), ...table("table-stay-reasons")]}
            chartId="chart-stay-outcomes"
            title="Bar chart of stay conversations by outcome"
            rows={p.stay!.byStanding.rows.map((r) => ({ key: r.value, label: r.label, figure: r.requests }))}
          />
        ) : (
          <TooFew id="retention-too-few-stay" what="stay conversations" narrowed={narrowed} />
        )}
      </div>
    </div>
  );
}
