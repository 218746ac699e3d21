// NHS.UK frontend v10 form components in React (markup copied from the nhsuk-frontend fixtures).
//
// Every field takes `name`, `label`, `hint?`, `error?` (a message string) and `defaultValue`
// (or `defaultChecked` / `defaultValues`), and accepts the props of react-hook-form's
// `register(name)` spread onto it (name, onChange, onBlur, ref). Each renders `defaultValue` into
// the HTML, so a page re-rendered by the server after a 400 (no JavaScript) keeps what was typed.
//
// Usage (see app/components/forms.tsx for the hook):
//
//   const { register, errors, values, formProps } = useServerValidatedForm(loginSchema, { actionData });
//   <Form method="post" {...formProps}>
//     <ErrorSummary errors={errors} />
//     <TextInput label="Email address" type="email" autoComplete="email" spellCheck={false}
//       error={errors.email} defaultValue={str(values.email)} {...register("email")} />
//     <Radios legend="How should we contact you?" error={errors.contactMethod}
//       defaultValue={str(values.contactMethod)} items={[{ value: "email", label: "Email" },
//       { value: "phone", label: "Phone", conditional: <TextInput … {...register("contactPhone")} /> }]}
//       {...register("contactMethod")} />
//     <Button>Continue</Button>
//   </Form>
//
// Field ids: `fieldId(name)` (the first radio/checkbox, and the day box of a date, carry it), so the
// error summary links `#<fieldId(name)>` land on the field.
import {
  forwardRef,
  useCallback,
  useEffect,
  useRef,
  useState,
  type ChangeEvent,
  type FocusEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type TextareaHTMLAttributes,
} from "react";
import { splitIsoDate, joinDateParts, type DateParts } from "./form-paths";

// ---------------------------------------------------------------------------------------------
// helpers

/** The id of a field's (first) input: `contact.phone` → `contact-phone`. */
export function fieldId(name: string) {
  return name.replace(/[^A-Za-z0-9_-]+/g, "-");
}

/** Value to a string for `defaultValue` (undefined for anything that is not a string or number). */
export function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Value to a string array for checkbox `defaultValues`. */
export function strs(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string" && value !== "") return [value];
  return [];
}

/** Value to a boolean for a single checkbox's `defaultChecked`. */
export function bool(value: unknown): boolean {
  return value === true || value === "on" || value === "true";
}

function cx(...names: Array<string | false | null | undefined>) {
  return names.filter(Boolean).join(" ");
}

function describedBy(...ids: Array<string | false | null | undefined>) {
  const joined = ids.filter(Boolean).join(" ");
  return joined || undefined;
}

/** True after the first client render: conditional reveals stay open until JavaScript runs. */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** Assigns one element to a callback or object ref. */
function assignRef<T>(ref: Ref<T> | undefined, value: T | null) {
  if (!ref) return;
  if (typeof ref === "function") ref(value);
  else (ref as { current: T | null }).current = value;
}

/** The props react-hook-form's `register(name)` returns, all optional so fields work without it. */
export interface RegisterProps<E extends HTMLElement = HTMLInputElement> {
  name: string;
  onChange?: (event: ChangeEvent<E>) => unknown;
  onBlur?: (event: FocusEvent<E>) => unknown;
  disabled?: boolean;
  required?: boolean;
}

type LabelSize = "s" | "m" | "l" | "xl";

// ---------------------------------------------------------------------------------------------
// small pieces

export function ErrorMessage({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <span className="nhsuk-error-message" id={id}>
      <span className="nhsuk-u-visually-hidden">Error: </span>
      {children}
    </span>
  );
}

export function Hint({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <div className="nhsuk-hint" id={id}>
      {children}
    </div>
  );
}

export function Label({
  htmlFor,
  size,
  isPageHeading,
  className,
  children,
}: {
  htmlFor: string;
  size?: LabelSize;
  isPageHeading?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const label = (
    <label className={cx("nhsuk-label", size && `nhsuk-label--${size}`, className)} htmlFor={htmlFor}>
      {children}
    </label>
  );
  return isPageHeading ? <h1 className="nhsuk-label-wrapper">{label}</h1> : label;
}

export interface FieldsetProps {
  legend: ReactNode;
  legendSize?: LabelSize;
  /** The legend is the page's h1 (one question per page). */
  isPageHeading?: boolean;
  describedBy?: string;
  /** role="group" (used by the date input). */
  role?: string;
  className?: string;
  children?: ReactNode;
}

export function Fieldset({
  legend,
  legendSize,
  isPageHeading,
  describedBy: ariaDescribedBy,
  role,
  className,
  children,
}: FieldsetProps) {
  return (
    <fieldset className={cx("nhsuk-fieldset", className)} aria-describedby={ariaDescribedBy} role={role}>
      <legend className={cx("nhsuk-fieldset__legend", legendSize && `nhsuk-fieldset__legend--${legendSize}`)}>
        {isPageHeading ? <h1 className="nhsuk-fieldset__heading">{legend}</h1> : legend}
      </legend>
      {children}
    </fieldset>
  );
}

export interface ButtonProps extends Omit<React.ButtonHTMLAttributes<HTMLButtonElement>, "className"> {
  variant?: "primary" | "secondary" | "reverse" | "warning" | "login";
  small?: boolean;
  /** Ignore a second click within a second (the NHS.UK button's data-prevent-double-click). */
  preventDoubleClick?: boolean;
  className?: string;
}

export function Button({
  variant = "primary",
  small,
  preventDoubleClick = true,
  className,
  type = "submit",
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      className={cx(
        "nhsuk-button",
        variant !== "primary" && `nhsuk-button--${variant}`,
        small && "nhsuk-button--small",
        className,
      )}
      data-module="nhsuk-button"
      data-prevent-double-click={preventDoubleClick ? "true" : undefined}
      type={type}
      {...rest}
    >
      {children}
    </button>
  );
}

// ---------------------------------------------------------------------------------------------
// error summary

/** Field name → message, or items; an item without href (or the "_form" key) is shown without a link. */
export type ErrorList = Record<string, string | undefined> | Array<{ href?: string; text: string }>;

export interface ErrorSummaryProps {
  errors: ErrorList | undefined | null;
  title?: ReactNode;
  description?: ReactNode;
  /** Field names in page order; errors for names not listed come after, in their own order. */
  order?: string[];
}

/**
 * The NHS.UK error summary. Renders nothing when there are no errors; when shown (on the server
 * render after a failed POST, or after client validation) it takes focus so screen readers
 * announce it. Each link goes to `#fieldId(name)` and focuses that field.
 */
export function ErrorSummary({ errors, title = "There is a problem", description, order }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  let items: Array<{ href?: string; text: string }>;
  if (Array.isArray(errors)) items = errors;
  else {
    const entries = Object.entries(errors ?? {}).filter(
      (e): e is [string, string] => typeof e[1] === "string" && e[1] !== "",
    );
    if (order) {
      const rank = (k: string) => {
        const i = order.indexOf(k);
        return i === -1 ? order.length : i;
      };
      entries.sort((a, b) => rank(a[0]) - rank(b[0]));
    }
    items = entries.map(([name, text]) => ({ href: name === "_form" ? undefined : `#${fieldId(name)}`, text }));
  }
  const signature = items.map((i) => `${i.href ?? ""}:${i.text}`).join("|");

  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);

  if (items.length === 0) return null;
  return (
    <div className="nhsuk-error-summary" data-module="nhsuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading">{title}</h2>
        <div className="nhsuk-error-summary__body">
          {description ? <p>{description}</p> : null}
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {items.map((item) => (
              <li key={`${item.href ?? ""}${item.text}`}>
                {item.href === undefined ? (
                  item.text
                ) : (
                  <a
                    href={item.href}
                    onClick={(event) => {
                      const target = item.href?.startsWith("#") ? document.getElementById(item.href.slice(1)) : null;
                      if (!target) return;
                      event.preventDefault();
                      // Show the question (legend or label) above the field, then focus the field.
                      const context =
                        target.closest("fieldset")?.querySelector("legend") ??
                        document.querySelector(`label[for="${CSS.escape(target.id)}"]`);
                      (context ?? target).scrollIntoView();
                      target.focus({ preventScroll: true });
                    }}
                  >
                    {item.text}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// text input

export interface TextInputProps
  extends
    Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "onChange" | "onBlur" | "defaultValue" | "value" | "size">,
    RegisterProps<HTMLInputElement> {
  label: ReactNode;
  labelSize?: LabelSize;
  isPageHeading?: boolean;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  /** NHS.UK fixed widths (2, 3, 4, 5, 10, 20, 30 characters) or fluid widths. */
  width?:
    2 | 3 | 4 | 5 | 10 | 20 | 30 | "full" | "three-quarters" | "two-thirds" | "one-half" | "one-third" | "one-quarter";
  /** Monospace digits (NHS numbers, codes). */
  code?: boolean;
  prefix?: string;
  suffix?: string;
  /** Extra class on the wrapping form group. */
  formGroupClassName?: string;
}

function widthClass(width: TextInputProps["width"]) {
  if (width === undefined) return undefined;
  return typeof width === "number" ? `nhsuk-input--width-${width}` : `nhsuk-u-width-${width}`;
}

export const TextInput = forwardRef<HTMLInputElement, TextInputProps>(function TextInput(
  {
    name,
    label,
    labelSize,
    isPageHeading,
    hint,
    error,
    width,
    code,
    prefix,
    suffix,
    id,
    type = "text",
    formGroupClassName,
    className,
    "aria-describedby": extraDescribedBy,
    ...rest
  },
  ref,
) {
  const inputId = id ?? fieldId(name);
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const input = (
    <input
      {...rest}
      className={cx(
        "nhsuk-input",
        code && "nhsuk-input--code",
        error && "nhsuk-input--error",
        widthClass(width),
        className,
      )}
      id={inputId}
      name={name}
      type={type}
      aria-describedby={describedBy(hintId, errorId, extraDescribedBy)}
      aria-invalid={error ? true : undefined}
      ref={ref}
    />
  );
  return (
    <div className={cx("nhsuk-form-group", error && "nhsuk-form-group--error", formGroupClassName)}>
      <Label htmlFor={inputId} size={labelSize} isPageHeading={isPageHeading}>
        {label}
      </Label>
      {hint ? <Hint id={hintId}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
      {prefix || suffix ? (
        <div className="nhsuk-input-wrapper">
          {prefix ? (
            <div className="nhsuk-input-wrapper__prefix" aria-hidden="true">
              {prefix}
            </div>
          ) : null}
          {input}
          {suffix ? (
            <div className="nhsuk-input-wrapper__suffix" aria-hidden="true">
              {suffix}
            </div>
          ) : null}
        </div>
      ) : (
        input
      )}
    </div>
  );
});

// ---------------------------------------------------------------------------------------------
// textarea (with the character count message)

export interface TextareaProps
  extends
    Omit<
      TextareaHTMLAttributes<HTMLTextAreaElement>,
      "name" | "onChange" | "onBlur" | "defaultValue" | "value" | "maxLength"
    >,
    RegisterProps<HTMLTextAreaElement> {
  label: ReactNode;
  labelSize?: LabelSize;
  isPageHeading?: boolean;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  /**
   * The limit the server enforces. Shown as "You can enter up to N characters" (and, once
   * JavaScript runs, how many are left). The browser's maxlength is deliberately not set: the
   * NHS.UK pattern lets people type past it and tells them, instead of silently cutting text.
   */
  maxLength?: number;
  rows?: number;
}

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaProps>(function Textarea(
  {
    name,
    label,
    labelSize,
    isPageHeading,
    hint,
    error,
    maxLength,
    rows = 5,
    id,
    className,
    defaultValue,
    onChange,
    ...rest
  },
  ref,
) {
  const inputId = id ?? fieldId(name);
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const infoId = maxLength ? `${inputId}-info` : undefined;
  const hydrated = useHydrated();
  const [length, setLength] = useState((defaultValue ?? "").length);
  const innerRef = useRef<HTMLTextAreaElement | null>(null);
  const setRefs = useCallback(
    (el: HTMLTextAreaElement | null) => {
      innerRef.current = el;
      assignRef(ref, el);
    },
    [ref],
  );
  useEffect(() => {
    // After hydration (or a browser restoring the form), count what is really in the box.
    if (innerRef.current) setLength(innerRef.current.value.length);
  }, [hydrated]);

  let message = maxLength ? `You can enter up to ${maxLength} characters` : undefined;
  let over = false;
  if (maxLength && hydrated) {
    const left = maxLength - length;
    over = left < 0;
    message =
      left >= 0
        ? `You have ${left} character${left === 1 ? "" : "s"} remaining`
        : `You have ${-left} character${left === -1 ? "" : "s"} too many`;
  }

  const textarea = (
    <textarea
      {...rest}
      className={cx(
        "nhsuk-textarea",
        error && "nhsuk-textarea--error",
        !!maxLength && "nhsuk-js-character-count",
        className,
      )}
      id={inputId}
      name={name}
      rows={rows}
      defaultValue={defaultValue}
      aria-describedby={describedBy(infoId, hintId, errorId)}
      aria-invalid={error ? true : undefined}
      ref={setRefs}
      onChange={(event) => {
        setLength(event.target.value.length);
        onChange?.(event);
      }}
    />
  );
  return (
    <div
      className={cx("nhsuk-form-group", error && "nhsuk-form-group--error", !!maxLength && "nhsuk-character-count")}
      data-maxlength={maxLength}
    >
      <Label htmlFor={inputId} size={labelSize} isPageHeading={isPageHeading}>
        {label}
      </Label>
      {hint ? <Hint id={hintId}>{hint}</Hint> : null}
      {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
      {textarea}
      {maxLength ? (
        <div
          className={cx(over ? "nhsuk-error-message" : "nhsuk-hint", "nhsuk-character-count__message")}
          id={infoId}
          aria-live={hydrated ? "polite" : undefined}
        >
          {message}
        </div>
      ) : null}
    </div>
  );
});

// ---------------------------------------------------------------------------------------------
// radios

export interface ChoiceItem {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
  /**
   * Content revealed under this option when it is chosen. Without JavaScript it is always shown
   * (so a no-JS user can always fill it in); once JavaScript runs it is hidden until chosen.
   */
  conditional?: ReactNode;
  /** Text of a divider ("or") shown before this item. */
  dividerBefore?: string;
  /** Checkboxes only: choosing this clears the others, and the others clear it ("None of these"). */
  exclusive?: boolean;
  disabled?: boolean;
}

export interface ChoiceGroupProps extends RegisterProps<HTMLInputElement> {
  legend: ReactNode;
  legendSize?: LabelSize;
  isPageHeading?: boolean;
  hint?: ReactNode;
  error?: string;
  items: ChoiceItem[];
  inline?: boolean;
  small?: boolean;
  /** Base id (defaults to fieldId(name)); items get id, id-2, id-3 … */
  id?: string;
}

function itemId(base: string, index: number) {
  return index === 0 ? base : `${base}-${index + 1}`;
}

export interface RadiosProps extends ChoiceGroupProps {
  defaultValue?: string;
}

export const Radios = forwardRef<HTMLInputElement, RadiosProps>(function Radios(
  {
    name,
    legend,
    legendSize = "m",
    isPageHeading,
    hint,
    error,
    items,
    inline,
    small,
    id,
    defaultValue,
    onChange,
    onBlur,
    disabled,
    required,
  },
  ref,
) {
  const base = id ?? fieldId(name);
  const hintId = hint ? `${base}-hint` : undefined;
  const errorId = error ? `${base}-error` : undefined;
  const hydrated = useHydrated();
  const [selected, setSelected] = useState<string | undefined>(defaultValue);
  const groupRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The browser may have restored a choice (back button): read what is really checked.
    const checked = groupRef.current?.querySelector<HTMLInputElement>("input:checked");
    if (checked) setSelected(checked.value);
  }, []);

  return (
    <div className={cx("nhsuk-form-group", error && "nhsuk-form-group--error")}>
      <Fieldset
        legend={legend}
        legendSize={legendSize}
        isPageHeading={isPageHeading}
        describedBy={describedBy(hintId, errorId)}
      >
        {hint ? <Hint id={hintId}>{hint}</Hint> : null}
        {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
        <div
          className={cx("nhsuk-radios", inline && "nhsuk-radios--inline", small && "nhsuk-radios--small")}
          data-module="nhsuk-radios"
          ref={groupRef}
        >
          {items.map((item, index) => {
            const inputId = itemId(base, index);
            const conditionalId = item.conditional ? `conditional-${inputId}` : undefined;
            const itemHintId = item.hint ? `${inputId}-item-hint` : undefined;
            const open = !hydrated || selected === item.value;
            return (
              <FragmentWithDivider key={item.value} divider={item.dividerBefore} kind="radios">
                <div className="nhsuk-radios__item">
                  <input
                    className="nhsuk-radios__input"
                    id={inputId}
                    name={name}
                    type="radio"
                    value={item.value}
                    defaultChecked={defaultValue === item.value}
                    disabled={disabled || item.disabled}
                    required={required}
                    aria-describedby={itemHintId}
                    aria-controls={hydrated ? conditionalId : undefined}
                    ref={ref}
                    onChange={(event) => {
                      setSelected(event.target.value);
                      onChange?.(event);
                    }}
                    onBlur={onBlur}
                  />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={inputId}>
                    {item.label}
                  </label>
                  {item.hint ? (
                    <div className="nhsuk-hint nhsuk-radios__hint" id={itemHintId}>
                      {item.hint}
                    </div>
                  ) : null}
                </div>
                {item.conditional ? (
                  <div
                    className={cx("nhsuk-radios__conditional", !open && "nhsuk-radios__conditional--hidden")}
                    id={conditionalId}
                  >
                    {item.conditional}
                  </div>
                ) : null}
              </FragmentWithDivider>
            );
          })}
        </div>
      </Fieldset>
    </div>
  );
});

function FragmentWithDivider({
  divider,
  kind,
  children,
}: {
  divider?: string;
  kind: "radios" | "checkboxes";
  children: ReactNode;
}) {
  return (
    <>
      {divider ? <div className={`nhsuk-${kind}__divider`}>{divider}</div> : null}
      {children}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// checkboxes

export interface CheckboxesProps extends ChoiceGroupProps {
  defaultValues?: string[];
}

export const Checkboxes = forwardRef<HTMLInputElement, CheckboxesProps>(function Checkboxes(
  {
    name,
    legend,
    legendSize = "m",
    isPageHeading,
    hint,
    error,
    items,
    small,
    id,
    defaultValues = [],
    onChange,
    onBlur,
    disabled,
    required,
  },
  ref,
) {
  const base = id ?? fieldId(name);
  const hintId = hint ? `${base}-hint` : undefined;
  const errorId = error ? `${base}-error` : undefined;
  const hydrated = useHydrated();
  const [checked, setChecked] = useState<string[]>(defaultValues);
  const groupRef = useRef<HTMLDivElement>(null);

  const readChecked = () =>
    Array.from(groupRef.current?.querySelectorAll<HTMLInputElement>("input.nhsuk-checkboxes__input") ?? [])
      .filter((el) => el.checked)
      .map((el) => el.value);

  useEffect(() => {
    setChecked(readChecked());
  }, []);

  return (
    <div className={cx("nhsuk-form-group", error && "nhsuk-form-group--error")}>
      <Fieldset
        legend={legend}
        legendSize={legendSize}
        isPageHeading={isPageHeading}
        describedBy={describedBy(hintId, errorId)}
      >
        {hint ? <Hint id={hintId}>{hint}</Hint> : null}
        {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
        <div
          className={cx("nhsuk-checkboxes", small && "nhsuk-checkboxes--small")}
          data-module="nhsuk-checkboxes"
          ref={groupRef}
        >
          {items.map((item, index) => {
            const inputId = itemId(base, index);
            const conditionalId = item.conditional ? `conditional-${inputId}` : undefined;
            const itemHintId = item.hint ? `${inputId}-item-hint` : undefined;
            const open = !hydrated || checked.includes(item.value);
            return (
              <FragmentWithDivider key={item.value} divider={item.dividerBefore} kind="checkboxes">
                <div className="nhsuk-checkboxes__item">
                  <input
                    className="nhsuk-checkboxes__input"
                    id={inputId}
                    name={name}
                    type="checkbox"
                    value={item.value}
                    defaultChecked={defaultValues.includes(item.value)}
                    disabled={disabled || item.disabled}
                    required={required}
                    data-behaviour={item.exclusive ? "exclusive" : undefined}
                    aria-describedby={itemHintId}
                    aria-controls={hydrated ? conditionalId : undefined}
                    ref={ref}
                    onChange={(event) => {
                      if (event.target.checked) {
                        // Exclusive option: "None of these" and the others cannot both be ticked.
                        const inputs =
                          groupRef.current?.querySelectorAll<HTMLInputElement>("input.nhsuk-checkboxes__input") ?? [];
                        for (const other of Array.from(inputs)) {
                          if (other === event.target) continue;
                          const otherExclusive = other.dataset.behaviour === "exclusive";
                          if (item.exclusive || otherExclusive) other.checked = false;
                        }
                      }
                      setChecked(readChecked());
                      // react-hook-form reads every box of the group from the DOM here.
                      onChange?.(event);
                    }}
                    onBlur={onBlur}
                  />
                  <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={inputId}>
                    {item.label}
                  </label>
                  {item.hint ? (
                    <div className="nhsuk-hint nhsuk-checkboxes__hint" id={itemHintId}>
                      {item.hint}
                    </div>
                  ) : null}
                </div>
                {item.conditional ? (
                  <div
                    className={cx("nhsuk-checkboxes__conditional", !open && "nhsuk-checkboxes__conditional--hidden")}
                    id={conditionalId}
                  >
                    {item.conditional}
                  </div>
                ) : null}
              </FragmentWithDivider>
            );
          })}
        </div>
      </Fieldset>
    </div>
  );
});

// ---------------------------------------------------------------------------------------------
// a single yes/no checkbox (consent, "remember me"): submits "on" when ticked, nothing otherwise

export interface CheckboxProps extends RegisterProps<HTMLInputElement> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultChecked?: boolean;
  /** Wraps the box in a fieldset with this legend (the question), the label being the answer. */
  legend?: ReactNode;
  legendSize?: LabelSize;
  id?: string;
  /** Content shown above the box, inside the fieldset (an explanation). */
  children?: ReactNode;
}

export const Checkbox = forwardRef<HTMLInputElement, CheckboxProps>(function Checkbox(
  {
    name,
    label,
    hint,
    error,
    defaultChecked,
    legend,
    legendSize = "m",
    id,
    children,
    onChange,
    onBlur,
    disabled,
    required,
  },
  ref,
) {
  const inputId = id ?? fieldId(name);
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const box = (
    <>
      {children}
      {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
      <div className="nhsuk-checkboxes">
        <div className="nhsuk-checkboxes__item">
          <input
            className="nhsuk-checkboxes__input"
            id={inputId}
            name={name}
            type="checkbox"
            defaultChecked={defaultChecked}
            disabled={disabled}
            required={required}
            aria-describedby={describedBy(hintId, errorId)}
            ref={ref}
            onChange={onChange}
            onBlur={onBlur}
          />
          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={inputId}>
            {label}
          </label>
          {hint ? (
            <div className="nhsuk-hint nhsuk-checkboxes__hint" id={hintId}>
              {hint}
            </div>
          ) : null}
        </div>
      </div>
    </>
  );
  return (
    <div className={cx("nhsuk-form-group", error && "nhsuk-form-group--error")}>
      {legend ? (
        <Fieldset legend={legend} legendSize={legendSize}>
          {box}
        </Fieldset>
      ) : (
        box
      )}
    </div>
  );
});

// ---------------------------------------------------------------------------------------------
// date input: three boxes (day, month, year), as the NHS.UK design system recommends for dates
// people know or can look up (type="date" pickers are hard to use with assistive technology).
//
// The boxes are named `<name>-day`, `<name>-month`, `<name>-year`; parseForm (app/.server/forms.server.ts)
// joins them into one `YYYY-MM-DD` value under `<name>`, which the zod schema checks. In the browser
// the component reports the joined value to react-hook-form under `<name>`.

export { splitIsoDate, joinDateParts, type DateParts } from "./form-paths";

export interface DateInputProps extends RegisterProps<HTMLInputElement> {
  legend: ReactNode;
  legendSize?: LabelSize;
  isPageHeading?: boolean;
  hint?: ReactNode;
  error?: string;
  /** Which box the error is about (for the red border); default all. */
  errorPart?: "day" | "month" | "year";
  /** ISO `YYYY-MM-DD` (or a partial value as typed). */
  defaultValue?: string;
  id?: string;
  /** e.g. "bday" → bday-day, bday-month, bday-year. */
  autoCompletePrefix?: string;
}

type RhfRefTarget = { focus: () => void; name: string } | null;

export const DateInput = forwardRef<RhfRefTarget, DateInputProps>(function DateInput(
  {
    name,
    legend,
    legendSize = "m",
    isPageHeading,
    hint,
    error,
    errorPart,
    defaultValue,
    id,
    autoCompletePrefix,
    onChange,
    onBlur,
    disabled,
  },
  ref,
) {
  const base = id ?? fieldId(name);
  const hintId = hint ? `${base}-hint` : undefined;
  const errorId = error ? `${base}-error` : undefined;
  // "… must include a month" / "Year must include 4 numbers": only that box is marked.
  const markedPart =
    errorPart ??
    (error
      ? (/must include a (day|month|year)$/.exec(error)?.[1] ?? (/^Year\b/.test(error) ? "year" : undefined))
      : undefined);
  const initial = splitIsoDate(defaultValue);
  const partsRef = useRef<DateParts>(initial);
  const dayRef = useRef<HTMLInputElement | null>(null);

  // react-hook-form gets a stand-in element: focusing it focuses the day box. (Giving it a real
  // box would make it write the ISO value into that box.)
  const refTarget = useCallback(
    (el: HTMLInputElement | null) => {
      dayRef.current = el;
      assignRef(ref, el ? { focus: () => el.focus(), name } : null);
    },
    [ref, name],
  );

  const report = (event: ChangeEvent<HTMLInputElement> | FocusEvent<HTMLInputElement>, kind: "change" | "blur") => {
    const part = event.target.dataset.part as keyof DateParts;
    partsRef.current = { ...partsRef.current, [part]: event.target.value };
    const value = joinDateParts(partsRef.current);
    const fake = { target: { name, value }, type: kind } as unknown as ChangeEvent<HTMLInputElement>;
    if (kind === "change") onChange?.(fake);
    else onBlur?.(fake as unknown as FocusEvent<HTMLInputElement>);
  };

  const boxes: Array<{ part: keyof DateParts; label: string; width: 2 | 4; autoComplete?: string }> = [
    { part: "day", label: "Day", width: 2, autoComplete: autoCompletePrefix && `${autoCompletePrefix}-day` },
    { part: "month", label: "Month", width: 2, autoComplete: autoCompletePrefix && `${autoCompletePrefix}-month` },
    { part: "year", label: "Year", width: 4, autoComplete: autoCompletePrefix && `${autoCompletePrefix}-year` },
  ];

  return (
    <div className={cx("nhsuk-form-group", error && "nhsuk-form-group--error")}>
      <Fieldset
        legend={legend}
        legendSize={legendSize}
        isPageHeading={isPageHeading}
        role="group"
        describedBy={describedBy(hintId, errorId)}
      >
        {hint ? <Hint id={hintId}>{hint}</Hint> : null}
        {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
        <div className="nhsuk-date-input" id={`${base}-date`}>
          {boxes.map(({ part, label, width, autoComplete }) => {
            const boxError = !!error && (!markedPart || markedPart === part);
            const boxId = part === "day" ? base : `${base}-${part}`;
            return (
              <div className="nhsuk-date-input__item" key={part}>
                <div className={cx("nhsuk-form-group", boxError && "nhsuk-form-group--error")}>
                  <label className="nhsuk-label nhsuk-date-input__label" htmlFor={boxId}>
                    {label}
                  </label>
                  <input
                    className={cx(
                      "nhsuk-input",
                      boxError && "nhsuk-input--error",
                      `nhsuk-input--width-${width}`,
                      "nhsuk-date-input__input",
                    )}
                    id={boxId}
                    name={`${name}-${part}`}
                    type="text"
                    inputMode="numeric"
                    autoComplete={autoComplete}
                    defaultValue={initial[part]}
                    disabled={disabled}
                    data-part={part}
                    ref={part === "day" ? refTarget : undefined}
                    onChange={(event) => report(event, "change")}
                    onBlur={(event) => report(event, "blur")}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </Fieldset>
    </div>
  );
});
