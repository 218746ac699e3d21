// The data tables of manager insights, rendered exactly as insightTables() gives them (the CSV
// writes the same tables). Each table is the accessible version of the chart beside it: a caption,
// a row-header column, column headers, totals rows in bold, figures right-aligned. Below 769 px
// each row is a stacked block, every figure with its column's heading (NHS.UK responsive table),
// so nothing scrolls sideways on a phone; on a wider screen a table wider than the page scrolls
// sideways inside its own region (focusable, so a keyboard can scroll it).
// The stacked heading is not NHS.UK's span in every cell (~300 bytes and three elements a cell;
// /insights has 446 cells) but the cell's data-label, drawn by app.css with
// `content: attr(data-label) / ""`: the empty alternative text keeps it out of the accessibility
// tree, as the aria-hidden span was; the <th> headers name the column (ADR 041, addendum).
// The rows' and cells' attributes are written out, not spread from responsiveTable: a spread props
// object costs React's jsx() a slow copy per element, and these are most of the page's elements
// (ADR 041, addendum of 30 November, late evening).
// The rows, header cells and figure cells carry no NHS.UK class: app.css gives them, by element under
// .staywell-insight-table, NHS.UK's numeric and responsive table rules (right-aligned figures; a
// stacked block per row on a phone), ~50 bytes less a cell.
import type { InsightTable } from "~/lib/insights/types";
import { responsiveTable as rt } from "./nhsuk/table";

/** The id of a table's caption: charts point at it with aria-describedby. */
export function tableCaptionId(tableId: string) {
  return `${tableId}-caption`;
}

export function InsightTableView({ table }: { table: InsightTable }) {
  const captionId = tableCaptionId(table.id);
  return (
    <div className="staywell-insight-table">
      <div className="staywell-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="nhsuk-table nhsuk-table--responsive" role="table" id={table.id}>
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={captionId}>
            {table.caption}
          </caption>
          <thead className="nhsuk-table__head" {...rt.rowgroup}>
            <tr role="row">
              <th scope="col" role="columnheader">
                {table.rowHeader}
              </th>
              {table.columns.map((column, i) => (
                <th key={i} scope="col" role="columnheader">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body" {...rt.rowgroup}>
            {table.rows.map((row, r) => (
              <tr key={r} className={row.isTotal ? "staywell-total-row" : undefined} role="row">
                <th scope="row" role="rowheader">
                  {row.label}
                </th>
                {row.cells.map((cell, c) => (
                  <td
                    key={c}
                    // A <td> is not interactive (the rule's mistake); the stacked layout's display change needs the role back.
                    // eslint-disable-next-line jsx-a11y/no-interactive-element-to-noninteractive-role
                    role="cell"
                    data-label={table.columns[c]}
                  >
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export interface InsightsSectionProps {
  /** The id of the section's heading (the section is labelled by it). */
  headingId: string;
  heading: string;
  intro?: string;
  tables: InsightTable[];
  /** The chart, described by the first table's caption (its accessible version). */
  chart?: (describedBy: string | undefined) => JSX.Element;
  /** false when the page's own h1 (with id headingId) names the section: no h2 repeats it. */
  headingShown?: boolean;
}

/** One section of an insights page: its heading, a sentence, the chart and its data tables. */
export function InsightsSection({
  headingId,
  heading,
  intro,
  tables,
  chart,
  headingShown = true,
}: InsightsSectionProps) {
  return (
    <section aria-labelledby={headingId} className="staywell-insights-section">
      {headingShown ? <h2 id={headingId}>{heading}</h2> : null}
      {intro ? <p>{intro}</p> : null}
      {chart ? (
        <div className="staywell-chart-frame">{chart(tables[0] ? tableCaptionId(tables[0].id) : undefined)}</div>
      ) : null}
      {tables.map((table) => (
        <InsightTableView key={table.id} table={table} />
      ))}
    </section>
  );
}
