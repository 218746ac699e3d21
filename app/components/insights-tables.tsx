// The data tables of manager insights, rendered exactly as insightTables() gives them (the CSV
// writes the same tables). Each table is the accessible version of the chart beside it: a caption,
// a row-header column, column headers, totals rows in bold, figures right-aligned. A wide table
// scrolls sideways inside its own region (focusable, so a keyboard can scroll it on a phone).
import type { InsightTable } from "~/lib/insights/types";

/** The id of a table's caption: charts point at it with aria-describedby. */
export function tableCaptionId(tableId: string) {
  return `${tableId}-caption`;
}

export function InsightTableView({ table }: { table: InsightTable }) {
  const captionId = tableCaptionId(table.id);
  return (
    <div className="staywell-insight-table">
      <div className="staywell-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="nhsuk-table" id={table.id}>
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={captionId}>
            {table.caption}
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                {table.rowHeader}
              </th>
              {table.columns.map((column, i) => (
                <th key={i} className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {table.rows.map((row, r) => (
              <tr key={r} className={row.isTotal ? "nhsuk-table__row staywell-total-row" : "nhsuk-table__row"}>
                <th className="nhsuk-table__header" scope="row">
                  {row.label}
                </th>
                {row.cells.map((cell, c) => (
                  <td key={c} className="nhsuk-table__cell nhsuk-table__cell--numeric">
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
