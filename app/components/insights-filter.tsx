// The insights pages' "Choose figures" form (/insights, /insights/retention, /insights/first-year; any insights page
// with a period may use it): a plain GET form, so the choices live in the URL and it works
// without JavaScript. The period select groups the fixed periods (ADR 008) by kind; a manager of
// one organisation sees their organisation, fixed, and an ICS-wide one chooses what to show.
import type { ReactNode } from "react";
import { capitalisePeriod, type InsightsPeriod } from "~/lib/insights/types";
import { ErrorMessage, ErrorSummary } from "./fields";
import { Select, type SelectOption } from "./nhsuk/select";

const PERIOD_GROUPS: Record<InsightsPeriod["kind"], string> = {
  rolling: "Latest",
  "financial-year": "Financial years",
  quarter: "Quarters",
};

/** The period choices as select options, grouped: latest, financial years, quarters. */
export function periodOptions(periods: Pick<InsightsPeriod, "key" | "kind" | "label">[]): SelectOption[] {
  return periods.map((p) => ({ group: PERIOD_GROUPS[p.kind], value: p.key, label: capitalisePeriod(p.label) }));
}

export interface InsightsFilterFormProps {
  /** The page the form shows again, e.g. "/insights/retention". */
  action: string;
  /** Changes when the choices in the URL change: re-mounts the form (its selects keep no state). */
  formKey: string;
  periods: Pick<InsightsPeriod, "key" | "kind" | "label">[];
  /** The chosen period's key. */
  period: string;
  /** What the period counts, under its label (optional). */
  periodHint?: string;
  /** The page's filter errors; "period" and "for" are shown at their field. */
  errors: { field: string; message: string }[];
  /** Whose figures the manager may see: one organisation's shows its name instead of the "for" select. */
  scope: { kind: "ics" } | { kind: "organisation"; organisation: { name: string } };
  /** For an ICS-wide manager: what the "for" select asks, its choices and the chosen value. */
  forSelect?: { label: string; options: SelectOption[]; value: string };
  /** A sentence under the form (what can be chosen). */
  note?: ReactNode;
  /** Choices the form keeps as they are (e.g. /insights' section), sent as hidden fields. */
  keep?: { name: string; value: string }[];
}

export function InsightsFilterForm({
  action,
  formKey,
  periods,
  period,
  periodHint,
  errors,
  scope,
  forSelect,
  note,
  keep = [],
}: InsightsFilterFormProps) {
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <form method="get" action={action} aria-label="Choose figures" className="staywell-insights-filter" key={formKey}>
      <h2 className="nhsuk-heading-s">Choose figures</h2>
      {keep.map((k) => (
        <input key={k.name} type="hidden" name={k.name} value={k.value} />
      ))}
      <div className="staywell-filter">
        <Select
          id="period"
          name="period"
          label="Period"
          hint={periodHint}
          defaultValue={period}
          options={periodOptions(periods)}
          error={errorFor("period")}
        />
        {scope.kind === "organisation" ? (
          <div className="nhsuk-form-group">
            <p className="nhsuk-label nhsuk-u-margin-bottom-1">Organisation</p>
            <p className="nhsuk-body nhsuk-u-font-weight-bold nhsuk-u-margin-bottom-0">{scope.organisation.name}</p>
            {errorFor("for") ? <ErrorMessage id="for-error">{errorFor("for")}</ErrorMessage> : null}
          </div>
        ) : forSelect ? (
          <Select
            id="for"
            name="for"
            label={forSelect.label}
            defaultValue={forSelect.value}
            options={forSelect.options}
            error={errorFor("for")}
          />
        ) : null}
        <div className="nhsuk-form-group">
          <button
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            data-module="nhsuk-button"
            type="submit"
          >
            Show figures
          </button>
        </div>
      </div>
      {note ? <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{note}</p> : null}
    </form>
  );
}

/**
 * The page's error summary for choices it could not use (it shows the defaults instead): errors of
 * the form's fields ("period", and "for" where the form has it) link to them.
 */
export function InsightsFilterErrors({
  scope,
  errors,
  links = {},
}: Pick<InsightsFilterFormProps, "scope" | "errors"> & {
  /** Where the errors of other choices than the form's link to, by field (e.g. "show": the contents list). */
  links?: Record<string, string>;
}) {
  const fieldsShown = new Set(["period", ...(scope.kind === "ics" ? ["for"] : [])]);
  return (
    <ErrorSummary
      errors={errors.map((e) => ({
        href: fieldsShown.has(e.field) ? `#${e.field}` : Object.hasOwn(links, e.field) ? links[e.field] : undefined,
        text: e.message,
      }))}
      description="These figures use the default for each choice that could not be used."
    />
  );
}
