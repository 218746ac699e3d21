// NHS.UK select (nhsuk-frontend 10 components/select/template.njk): label, optional hint and error
// message tied to the select by aria-describedby. Options may be grouped (<optgroup>): options
// without a group come first, then each group in the order first seen.
import { forwardRef, type ChangeEvent, type FocusEvent, type ReactNode } from "react";
import { ErrorMessage, fieldId, Hint } from "../fields";

export interface SelectOption {
  value: string;
  label: string;
  group?: string;
}

export interface SelectProps {
  name: string;
  label: ReactNode;
  labelSize?: "s" | "m" | "l";
  hint?: ReactNode;
  error?: string;
  /** Defaults to the field id made from the name (fieldId). */
  id?: string;
  defaultValue?: string;
  options: SelectOption[];
  /** Extra classes on the <select> (e.g. a width). */
  className?: string;
  onChange?: (event: ChangeEvent<HTMLSelectElement>) => unknown;
  onBlur?: (event: FocusEvent<HTMLSelectElement>) => unknown;
  disabled?: boolean;
}

export const Select = forwardRef<HTMLSelectElement, SelectProps>(function Select(
  { name, label, labelSize, hint, error, id, defaultValue, options, className, onChange, onBlur, disabled },
  ref,
) {
  const selectId = id ?? fieldId(name);
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = error ? `${selectId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const selectClass = ["nhsuk-select", error ? "nhsuk-select--error" : null, className].filter(Boolean).join(" ");
  const ungrouped = options.filter((o) => !o.group);
  const groups = [...new Set(options.flatMap((o) => (o.group ? [o.group] : [])))];
  return (
    <div className={error ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"}>
      <label className={labelSize ? `nhsuk-label nhsuk-label--${labelSize}` : "nhsuk-label"} htmlFor={selectId}>
        {label}
      </label>
      {hint ? <Hint id={hintId}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
      <select
        className={selectClass}
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
        {ungrouped.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {groups.map((group) => (
          <optgroup key={group} label={group}>
            {options
              .filter((o) => o.group === group)
              .map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
});
