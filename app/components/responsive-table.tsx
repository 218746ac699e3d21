// NHS.UK responsive table (nhsuk-frontend 10, `nhsuk-table--responsive`): below 769 px each row is
// a stacked block and every cell shows its column's heading, so nothing scrolls sideways on a
// phone. The display change drops the browser's table semantics, so the roles are given back
// explicitly, as the NHS.UK template does.
import type { ReactNode } from "react";

export const responsiveTable = {
  table: { className: "nhsuk-table nhsuk-table--responsive", role: "table" },
  rowgroup: { role: "rowgroup" },
  row: { className: "nhsuk-table__row", role: "row" },
  columnheader: { className: "nhsuk-table__header", scope: "col", role: "columnheader" },
  rowheader: { className: "nhsuk-table__header", scope: "row", role: "rowheader" },
  cell: { className: "nhsuk-table__cell", role: "cell" },
} as const;

/**
 * A cell's content with its column heading shown when the rows are stacked (hidden from assistive
 * technology: the header cell already names the column). The content is wrapped so that several
 * pieces (a tag and a line of text) stay together on the right.
 */
export function Stacked({ heading, children, block }: { heading: string; children: ReactNode; block?: boolean }) {
  // `block`: the content has block elements (forms, lists), so its wrapper is a <div>.
  const Value = block ? "div" : "span";
  return (
    <>
      <span className="nhsuk-table__heading" aria-hidden="true">
        {heading}{" "}
      </span>
      <Value className="staywell-stacked-value">{children}</Value>
    </>
  );
}
