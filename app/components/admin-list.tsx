// An administration list whose every row has one button (remove, stop, send again): an NHS.UK
// responsive table, the first column heading its row, and in the last column a small POST form
// that sends the row's id and the button's intent to the page's own action (which checks the
// caller and the id). Works without JavaScript.
import { Form } from "@remix-run/react";
import { Button } from "./fields";
import { StackedTable, type StackedColumn } from "./nhsuk/table";

export interface AdminListAction {
  /** The `intent` the button submits. */
  intent: string;
  /** What the button says. */
  label: string;
  /** Said after the label to screen readers only, to tell the rows' buttons apart. */
  hiddenLabel: string;
}

export interface AdminListProps<Row extends { id: string | number }> {
  caption: string;
  rows: Row[];
  /** The row's columns; the first heads it. */
  columns: StackedColumn<Row>[];
  action: (row: Row) => AdminListAction;
}

export function AdminList<Row extends { id: string | number }>({
  caption,
  rows,
  columns,
  action,
}: AdminListProps<Row>) {
  return (
    <StackedTable
      caption={caption}
      rows={rows}
      rowKey={(row) => row.id}
      firstCellIsHeader
      columns={[
        ...columns,
        {
          heading: "Action",
          headingHidden: true,
          block: true,
          cell: (row) => {
            const { intent, label, hiddenLabel } = action(row);
            return (
              <Form method="post">
                <input type="hidden" name="id" value={row.id} />
                <Button name="intent" value={intent} variant="secondary" className="nhsuk-u-margin-bottom-0">
                  {label}
                  <span className="nhsuk-u-visually-hidden"> {hiddenLabel}</span>
                </Button>
              </Form>
            );
          },
        },
      ]}
    />
  );
}
