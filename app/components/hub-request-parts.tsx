// Small NHS.UK pieces of the hub request page: a select field, the hub's status tag, the success
// banner shown after an action (markup from the nhsuk-frontend v10 fixtures).
import { formatDateTime } from "./format";
import { forwardRef, type ChangeEvent, type FocusEvent, type ReactNode } from "react";
import type { RequestStatus } from "@db/schema";
import { STATUS_LABELS } from "~/lib/request-status";
import { ErrorMessage, fieldId, Hint } from "./fields";
import { statusColours } from "./status-tag";

export interface SelectProps {
  name: string;
  label: ReactNode;
  labelSize?: "s" | "m" | "l";
  hint?: ReactNode;
  error?: string;
  id?: string;
  defaultValue?: string;
  options: { value: string; label: string }[];
  onChange?: (event: ChangeEvent<HTMLSelectElement>) => unknown;
  onBlur?: (event: FocusEvent<HTMLSelectElement>) => unknown;
  disabled?: boolean;
}

export const Select = forwardRef<HTMLSelectElement, SelectProps>(function Select(
  { name, label, labelSize, hint, error, id, defaultValue, options, onChange, onBlur, disabled },
  ref,
) {
  const selectId = id ?? fieldId(name);
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = error ? `${selectId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"}>
      <label className={labelSize ? `nhsuk-label nhsuk-label--${labelSize}` : "nhsuk-label"} htmlFor={selectId}>
        {label}
      </label>
      {hint ? <Hint id={hintId}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
      <select
        className={error ? "nhsuk-select nhsuk-select--error" : "nhsuk-select"}
        id={selectId}
        name={name}
        defaultValue={defaultValue}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        disabled={disabled}
        onChange={onChange}
        onBlur={onBlur}
        ref={ref}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
});

/** A status in the hub's words ("Waiting on staff"). */
export function HubStatusTag({ status }: { status: RequestStatus }) {
  const colour = statusColours[status];
  return <strong className={colour ? `nhsuk-tag nhsuk-tag--${colour}` : "nhsuk-tag"}>{STATUS_LABELS.hub[status]}</strong>;
}

export function OverdueTag() {
  return <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>;
}

/** The NHS.UK success notification banner (role="alert"; shown after a redirect). */
export function SuccessBanner({ children }: { children: ReactNode }) {
  return (
    <div
      className="nhsuk-notification-banner nhsuk-notification-banner--success"
      data-module="nhsuk-notification-banner"
      role="alert"
      aria-labelledby="hub-success-title"
    >
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id="hub-success-title">
          Success
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">{children}</p>
      </div>
    </div>
  );
}

/** "5 March 2026 at 12:05pm" (London time). */
export const formatHubDateTime = formatDateTime;

/** A <time> element with the London date and time. */
export function When({ at }: { at: Date | string }) {
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{formatHubDateTime(d)}</time>;
}
