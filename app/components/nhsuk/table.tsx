// NHS.UK responsive table (nhsuk-frontend 10 components/tables, `responsive: true`): below 769 px
// (so at 375 px) each row is a stacked block and every cell shows its column's heading, so nothing
// scrolls sideways on a phone. The display change drops the browser's table semantics, so the
// roles are given back explicitly, as the NHS.UK template does.
//
// Two ways to use it: <StackedTable> for a table described by its columns, or the `responsiveTable`
// attribute sets with <Stacked> for a table written out by hand (several links or forms in a cell).
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
  return (
    <>
      <span className="nhsuk-table__heading" aria-hidden="true">
        {heading}{" "}
      </span>
      <StackedValue block={block}>{children}</StackedValue>
    </>
  );
}

function StackedValue({ children, block }: { children: ReactNode; block?: boolean }) {
  // `block`: the content has block elements (forms, lists), so its wrapper is a <div>.
  const Value = block ? "div" : "span";
  return <Value className="staywell-stacked-value">{children}</Value>;
}

export interface StackedColumn<Row> {
  heading: string;
  /** The heading is for screen readers only (an "Action" column of buttons); not shown when stacked. */
  headingHidden?: boolean;
  /** Right-aligned numbers (nhsuk-table__header--numeric / __cell--numeric). */
  numeric?: boolean;
  /** The cell holds block elements (lists, forms). */
  block?: boolean;
  /** Extra classes on this column's body cells (e.g. nhsuk-u-font-weight-normal on a row header). */
  cellClassName?: string;
  cell: (row: Row) => ReactNode;
}

export interface StackedTableProps<Row> {
  columns: StackedColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
  /** The first column heads its row (<th scope="row">). */
  firstCellIsHeader?: boolean;
  caption?: ReactNode;
  /** Classes of the caption; a small caption by default. */
  captionClassName?: string;
  /** The caption's id (a scrolling region around the table is labelled by it). */
  captionId?: string;
  id?: string;
  /** The id of a heading that names the table (instead of a caption). */
  labelledBy?: string;
  /** Extra classes on the <table>. */
  className?: string;
}

/** A table that stacks on narrow screens, described by its columns. */
export function StackedTable<Row>({
  columns,
  rows,
  rowKey,
  firstCellIsHeader,
  caption,
  captionClassName,
  captionId,
  id,
  labelledBy,
  className,
}: StackedTableProps<Row>) {
  const rt = responsiveTable;
  return (
    <table
      {...rt.table}
      className={className ? `${rt.table.className} ${className}` : rt.table.className}
      id={id}
      aria-labelledby={labelledBy}
    >
      {caption != null ? (
        <caption className={captionClassName ?? "nhsuk-table__caption nhsuk-table__caption--s"} id={captionId}>
          {caption}
        </caption>
      ) : null}
      <thead className="nhsuk-table__head" {...rt.rowgroup}>
        <tr {...rt.row}>
          {columns.map((c) => (
            <th
              key={c.heading}
              {...rt.columnheader}
              className={c.numeric ? "nhsuk-table__header nhsuk-table__header--numeric" : "nhsuk-table__header"}
            >
              {c.headingHidden ? <span className="nhsuk-u-visually-hidden">{c.heading}</span> : c.heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body" {...rt.rowgroup}>
        {rows.map((row) => (
          <tr {...rt.row} key={rowKey(row)}>
            {columns.map((c, i) => {
              const content = c.headingHidden ? (
                <StackedValue block={c.block}>{c.cell(row)}</StackedValue>
              ) : (
                <Stacked heading={c.heading} block={c.block}>
                  {c.cell(row)}
                </Stacked>
              );
              if (i === 0 && firstCellIsHeader) {
                return (
                  <th
                    key={c.heading}
                    {...rt.rowheader}
                    className={classes(
                      "nhsuk-table__header",
                      c.numeric && "nhsuk-table__header--numeric",
                      c.cellClassName,
                    )}
                  >
                    {content}
                  </th>
                );
              }
              return (
                <td
                  key={c.heading}
                  {...rt.cell}
                  className={classes("nhsuk-table__cell", c.numeric && "nhsuk-table__cell--numeric", c.cellClassName)}
                >
                  {content}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function classes(...names: (string | false | undefined)[]) {
  return names.filter(Boolean).join(" ");
}
