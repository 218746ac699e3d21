// NHS.UK summary list (nhsuk-frontend 10 components/summary-list): a <dl> of key/value rows.
// Rows without actions only; the values are React nodes (never HTML strings).
import type { ReactNode } from "react";

export function SummaryList({ className, children }: { className?: string; children: ReactNode }) {
  return <dl className={className ? `nhsuk-summary-list ${className}` : "nhsuk-summary-list"}>{children}</dl>;
}

export interface SummaryListRowProps {
  label: ReactNode;
  children: ReactNode;
  /** data-* attributes for the row (the hub request page marks its first-screen rows). */
  data?: Record<`data-${string}`, string | undefined>;
}

export function SummaryListRow({ label, children, data }: SummaryListRowProps) {
  return (
    <div className="nhsuk-summary-list__row" {...data}>
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}
