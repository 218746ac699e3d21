// The data tables shown beside the /insights charts and written to the CSV, made from the
// published figures only (PublishedInsights: already perturbed and suppressed). Pure and small:
// /insights sends the published figures alone and each side builds the tables from them
// (issue 11: sending both doubled the loader payload).
import type { Figure, InsightTable, PublishedInsights } from "./types";

const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

const ALL_SUPPORT = "All support";

/** The data tables shown beside the charts, and written to the CSV in the same order. */
export function insightTables(p: PublishedInsights): InsightTable[] {
  const offerTitles = p.trend.rows.map((r) => r.offer.title);
  const text = (f: Figure) => f.text;
  return [
    {
      id: "table-trend",
      caption: "Requests by month and type of support",
      rowHeader: "Month",
      columns: [...offerTitles, ALL_SUPPORT],
      rows: [
        ...p.months.map((m, c) => ({
          label: m.label,
          cells: [...p.trend.rows.map((r) => r.cells[c]!.text), p.trend.monthTotals[c]!.text],
        })),
        { label: "Total", cells: [...p.trend.rows.map((r) => r.total.text), p.trend.grandTotal.text], isTotal: true },
      ],
    },
    {
      id: "table-organisations",
      caption: "Requests by organisation, and per 100 staff",
      rowHeader: "Organisation",
      columns: ["Requests", "Staff (headcount)", "Requests per 100 staff"],
      rows: [
        ...p.byOrganisation.rows.map((r) => ({
          label: r.organisation.name,
          cells: [r.requests.text, integer.format(r.organisation.headcount), r.per100Staff.text],
        })),
        {
          label: "Total",
          cells: [
            p.byOrganisation.total.text,
            integer.format(p.byOrganisation.rows.reduce((n, r) => n + r.organisation.headcount, 0)),
            p.byOrganisation.per100Staff.text,
          ],
          isTotal: true,
        },
      ],
    },
    {
      id: "table-staff-groups",
      caption: "Requests by staff group",
      rowHeader: "Staff group",
      columns: ["Requests"],
      rows: [
        ...p.byStaffGroup.rows.map((r) => ({ label: r.label, cells: [r.requests.text] })),
        { label: "Total", cells: [p.byStaffGroup.total.text], isTotal: true },
      ],
    },
    {
      id: "table-tenure",
      caption: "Requests by years in post",
      rowHeader: "Years in post",
      columns: ["Requests"],
      rows: [
        ...p.byTenure.rows.map((r) => ({ label: r.label, cells: [r.requests.text] })),
        { label: "Total", cells: [p.byTenure.total.text], isTotal: true },
      ],
    },
    {
      id: "table-responsiveness",
      caption: "How quickly the people hub makes first contact",
      rowHeader: "Type of support",
      columns: ["Median working days to first contact", "90th percentile working days", "First contact within target"],
      rows: [
        ...p.responsiveness.rows.map((r) => ({
          label: r.offer.title,
          cells: [r.medianDays, r.p90Days, r.withinTargetPercent].map(text),
        })),
        {
          label: ALL_SUPPORT,
          cells: [
            p.responsiveness.all.medianDays,
            p.responsiveness.all.p90Days,
            p.responsiveness.all.withinTargetPercent,
          ].map(text),
          isTotal: true,
        },
      ],
    },
    {
      id: "table-outcomes",
      caption: "Where the requests stand now, by type of support",
      rowHeader: "Type of support",
      columns: [...p.outcomes.outcomes.map((o) => o.label), "All requests"],
      rows: [
        ...p.outcomes.rows.map((r) => ({ label: r.offer.title, cells: [...r.cells.map(text), r.total.text] })),
        {
          label: ALL_SUPPORT,
          cells: [...p.outcomes.outcomeTotals.map(text), p.outcomes.grandTotal.text],
          isTotal: true,
        },
      ],
    },
    {
      id: "table-satisfaction",
      caption: "Satisfaction by type of support",
      rowHeader: "Type of support",
      columns: ["Average rating (out of 5)", "Ratings"],
      rows: [
        ...p.satisfaction.rows.map((r) => ({ label: r.offer.title, cells: [r.average.text, r.rated.text] })),
        { label: ALL_SUPPORT, cells: [p.satisfaction.all.average.text, p.satisfaction.all.rated.text], isTotal: true },
      ],
    },
  ];
}
