// /admin/audit: every administrative change, newest first, 50 a page (keyset: older / newer
// links). Filters in the URL (a GET form, works without JavaScript): area, who (the email of the
// administrator), action, from and to (London dates). Each entry: when (London time), who, the
// one-line summary, and the values before and after as text (lists and objects as JSON text,
// never markup), with a link to the changed thing while it exists.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/.server/admin-route.server";
import { listAudit, type AuditChangeRow } from "~/.server/models/admin/audit.server";
import { Button, ErrorSummary } from "~/components/fields";
import { formatDateTime } from "~/components/format";
import { Select } from "~/components/nhsuk/select";
import { responsiveTable as rt, Stacked } from "~/components/nhsuk/table";
import { errorPageTitle } from "~/lib/page-title";

export const meta: MetaFunction<typeof loader> = ({ error }) => [
  { title: error ? errorPageTitle(error) : "Audit log – Administration – StayWell" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  return listAudit(user, new URL(request.url).searchParams);
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
type Entry = PageData["entries"][number];

const ACTION_WORDS: Record<string, string> = {
  created: "Created",
  updated: "Updated",
  retired: "Retired",
  restored: "Restored",
  reordered: "Reordered",
  deleted: "Deleted",
  members_changed: "Members changed",
  role_changed: "Role changed",
  disabled: "Disabled",
  enabled: "Re-enabled",
};

/** "members_changed" → "Members changed" for actions without a label of their own. */
function actionLabel(action: string) {
  return ACTION_WORDS[action] ?? (action.charAt(0).toUpperCase() + action.slice(1)).replace(/_/g, " ");
}

const LINK_WORDS: Record<string, string> = {
  offer: "Go to the support offer",
  canned_response: "Go to the saved responses",
  organisation: "Go to the organisation",
  team: "Go to the team",
  user: "Go to the person",
};

export default function AdminAudit() {
  const data = useLoaderData<typeof loader>();
  const { filters, errors, typed } = data.query;
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  const filtered = Boolean(filters.area || filters.who || filters.action || filters.from || filters.to);
  const areaName = data.options.areas.find((a) => a.value === filters.area)?.label;

  return (
    <>
      <h1>Audit log</h1>
      <p>Every change made in administration: who made it, when, and the values before and after. Newest first.</p>
      <ErrorSummary
        errors={errors.map((e) => ({ href: `#${e.field === "id" ? "area" : e.field}`, text: e.message }))}
      />

      <Form
        method="get"
        action="/admin/audit"
        role="search"
        aria-label="Filter the audit log"
        className="nhsuk-u-margin-bottom-5"
      >
        <h2 className="nhsuk-heading-m">Filter</h2>
        {filters.id ? <input type="hidden" name="id" value={filters.id} /> : null}
        <Select
          name="area"
          label="Area"
          error={errorFor("area")}
          defaultValue={filters.area ?? ""}
          options={[{ value: "", label: "Every area" }, ...data.options.areas]}
        />
        {filters.id ? (
          <p className="nhsuk-body-s">
            Showing the changes to one item of {areaName?.toLowerCase() ?? "this area"} only.{" "}
            <Link to={`/admin/audit?area=${encodeURIComponent(filters.area ?? "")}`}>Show the whole area</Link>
          </p>
        ) : null}
        <div className={errorFor("who") ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"}>
          <label className="nhsuk-label" htmlFor="who">
            Changed by (email address)
          </label>
          <div className="nhsuk-hint" id="who-hint">
            The full email address of the administrator
          </div>
          {errorFor("who") ? (
            <span className="nhsuk-error-message" id="who-error">
              <span className="nhsuk-u-visually-hidden">Error: </span>
              {errorFor("who")}
            </span>
          ) : null}
          <input
            className={
              errorFor("who")
                ? "nhsuk-input nhsuk-input--error nhsuk-u-width-two-thirds"
                : "nhsuk-input nhsuk-u-width-two-thirds"
            }
            id="who"
            name="who"
            type="email"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={errorFor("who") ? "who-hint who-error" : "who-hint"}
            defaultValue={filters.who ?? ""}
          />
        </div>
        <Select
          name="action"
          label="Action"
          error={errorFor("action")}
          defaultValue={filters.action ?? ""}
          options={[
            { value: "", label: "Any action" },
            ...[...new Set([...data.options.actions, ...(filters.action ? [filters.action] : [])])].map((a) => ({
              value: a,
              label: actionLabel(a),
            })),
          ]}
        />
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-half">
            <DateField
              name="from"
              label="From"
              hint="For example, 1/3/2026"
              value={filters.from}
              typed={typed.from}
              error={errorFor("from")}
            />
          </div>
          <div className="nhsuk-grid-column-one-half">
            <DateField
              name="to"
              label="To (inclusive)"
              hint="For example, 31/3/2026"
              value={filters.to}
              typed={typed.to}
              error={errorFor("to")}
            />
          </div>
        </div>
        <Button variant="secondary" preventDoubleClick={false}>
          Apply filters
        </Button>
        {filtered ? (
          <p className="nhsuk-body-s">
            <Link to="/admin/audit">Clear the filters</Link>
          </p>
        ) : null}
      </Form>

      <h2 className="nhsuk-heading-m" id="changes-heading">
        {data.entries.length === 0 ? "No changes found" : filtered ? "Changes matching the filters" : "Changes"}
      </h2>
      {data.entries.length === 0 ? (
        <p>
          {filtered
            ? "Nothing matches these filters. Try a wider date range or clear a filter."
            : "No administrative change has been made yet."}
        </p>
      ) : (
        <ol className="nhsuk-list" aria-labelledby="changes-heading">
          {data.entries.map((entry) => (
            <li key={entry.id}>
              <AuditEntry entry={entry} />
            </li>
          ))}
        </ol>
      )}

      {data.newerHref || data.olderHref ? (
        <nav className="nhsuk-pagination" role="navigation" aria-label="Pages of the audit log">
          <ul className="nhsuk-list nhsuk-pagination__list">
            {data.newerHref ? (
              <li className="nhsuk-pagination-item--previous">
                <Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={data.newerHref} rel="prev">
                  <span className="nhsuk-pagination__title">
                    Newer<span className="nhsuk-u-visually-hidden"> changes</span>
                  </span>
                  <span className="nhsuk-u-visually-hidden">:</span>
                  <span className="nhsuk-pagination__page">Previous page</span>
                </Link>
              </li>
            ) : null}
            {data.olderHref ? (
              <li className="nhsuk-pagination-item--next">
                <Link className="nhsuk-pagination__link nhsuk-pagination__link--next" to={data.olderHref} rel="next">
                  <span className="nhsuk-pagination__title">
                    Older<span className="nhsuk-u-visually-hidden"> changes</span>
                  </span>
                  <span className="nhsuk-u-visually-hidden">:</span>
                  <span className="nhsuk-pagination__page">Next page</span>
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      {data.newestHref ? (
        <p>
          <Link to={data.newestHref}>Back to the newest changes</Link>
        </p>
      ) : null}
    </>
  );
}

/** "2026-03-07" → "7/3/2026". */
function ukDate(iso: string) {
  const [y, m, d] = iso.split("-");
  return `${Number(d)}/${Number(m)}/${y}`;
}

function DateField({
  name,
  label,
  hint,
  value,
  typed,
  error,
}: {
  name: string;
  label: string;
  hint: string;
  value?: string;
  typed: string;
  error?: string;
}) {
  return (
    <div className={error ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"}>
      <label className="nhsuk-label" htmlFor={name}>
        {label}
      </label>
      <div className="nhsuk-hint" id={`${name}-hint`}>
        {hint}
      </div>
      {error ? (
        <span className="nhsuk-error-message" id={`${name}-error`}>
          <span className="nhsuk-u-visually-hidden">Error: </span>
          {error}
        </span>
      ) : null}
      <input
        className={error ? "nhsuk-input nhsuk-input--error nhsuk-input--width-10" : "nhsuk-input nhsuk-input--width-10"}
        id={name}
        name={name}
        type="text"
        autoComplete="off"
        spellCheck={false}
        aria-describedby={error ? `${name}-hint ${name}-error` : `${name}-hint`}
        defaultValue={value ? ukDate(value) : error ? typed : ""}
      />
    </div>
  );
}

/** One change: summary, who and when, and the values before and after (text only). */
function AuditEntry({ entry }: { entry: Entry }) {
  const headingId = `audit-${entry.id}`;
  return (
    // Break anywhere: a summary or value may hold a long unbroken word (a file name, an address, a
    // code) that would otherwise widen the page past 375 px.
    <article className="nhsuk-card nhsuk-u-margin-bottom-4 staywell-break-anywhere" aria-labelledby={headingId}>
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s" id={headingId}>
          {entry.summary}
        </h3>
        <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
          <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at)}</time> by {entry.actor.name} (
          <span className="staywell-break-anywhere">{entry.actor.email}</span>) · {entry.areaLabel} ·{" "}
          {actionLabel(entry.action)}
        </p>
        {entry.changes.length ? <ChangesTable entry={entry} /> : null}
        {entry.href ? (
          <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            <Link to={entry.href}>
              {LINK_WORDS[entry.entity] ?? "Go to it"}
              <span className="nhsuk-u-visually-hidden"> ({entry.summary})</span>
            </Link>
          </p>
        ) : null}
      </div>
    </article>
  );
}

function Value({ text }: { text: string | null }) {
  if (text === null) return <span className="nhsuk-u-secondary-text-colour">(none)</span>;
  if (text === "") return <span className="nhsuk-u-secondary-text-colour">(empty)</span>;
  return <span className="staywell-pre-wrap">{text}</span>;
}

export function ChangesTable({ entry }: { entry: Entry }) {
  const rows: AuditChangeRow[] = entry.changes;
  const only = entry.kind === "created" ? "after" : entry.kind === "deleted" ? "before" : null;
  const beforeHeading = only === "before" ? "Value" : "Before";
  const afterHeading = only === "after" ? "Value" : "After";
  return (
    // Below 769 px each field is a stacked block (nothing scrolls sideways on a phone).
    <table {...rt.table} className="nhsuk-table nhsuk-table--responsive nhsuk-u-margin-bottom-2">
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
        {only === "after"
          ? "Values when created"
          : only === "before"
            ? "Values before it was deleted"
            : "Values before and after"}
      </caption>
      <thead className="nhsuk-table__head" {...rt.rowgroup}>
        <tr {...rt.row}>
          <th {...rt.columnheader}>Field</th>
          {only !== "after" ? <th {...rt.columnheader}>{beforeHeading}</th> : null}
          {only !== "before" ? <th {...rt.columnheader}>{afterHeading}</th> : null}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body" {...rt.rowgroup}>
        {rows.map((row) => (
          <tr key={row.field} {...rt.row}>
            <th {...rt.rowheader} className="nhsuk-table__header nhsuk-u-font-weight-normal">
              {row.label}
            </th>
            {only !== "after" ? (
              <td {...rt.cell}>
                <Stacked heading={beforeHeading}>
                  <Value text={row.before} />
                </Stacked>
              </td>
            ) : null}
            {only !== "before" ? (
              <td {...rt.cell}>
                <Stacked heading={afterHeading}>
                  <Value text={row.after} />
                </Stacked>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
