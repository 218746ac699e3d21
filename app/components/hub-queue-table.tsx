// The people hub queue's presentational parts: the status links with counts, the filter form
// (a plain GET form: works without JavaScript), the table and the Previous/Next links.
import { Form, Link } from "@remix-run/react";
import type { RequestStatus } from "@db/schema";
import type { RequestPriorityValue } from "~/lib/request-priority";
import { STATUS_LABELS } from "~/lib/request-status";
import { PriorityTag } from "~/components/priority-tag";
import { statusColours } from "~/components/status-tag";
import { Pagination } from "~/components/nhsuk/pagination";
import { Select, type SelectOption } from "~/components/nhsuk/select";
import {
  HUB_ASSIGNEE_FILTERS,
  HUB_ASSIGNEE_LABELS,
  HUB_QUERY_MAX,
  hubCountText,
  hubQueueSearch,
  type HubQueueFilters,
  type HubStatusFilter,
} from "~/lib/hub-queue-filters";
import { SelfDeclaredTag } from "./hub-request-parts";

// Dates travel from the loader as ISO strings (single fetch keeps Dates, but accept both).
type DateLike = Date | string;

export type QueueDue =
  | { kind: "overdue"; dueAt: DateLike; workingDays: number }
  | { kind: "due"; dueAt: DateLike }
  | { kind: "paused"; dueAt: DateLike }
  | { kind: "contacted"; at: DateLike }
  | { kind: "not_contacted" };

export interface QueueRow {
  reference: string;
  status: RequestStatus;
  urgent: boolean;
  priority: RequestPriorityValue;
  needsAttention: boolean;
  submittedAt: DateLike;
  closedAt: DateLike | null;
  offerTitle: string;
  organisationName: string;
  /** Short name (e.g. "UHNM"), or the full name when the organisation has none. */
  organisationShortName: string;
  /** The person chose the organisation themselves; no administrator has confirmed it yet (ADR 027). */
  organisationSelfDeclared?: boolean;
  assigneeName: string | null;
  assignedToCaller: boolean;
  due: QueueDue;
  /** The latest timeline event by anyone. */
  lastUpdatedAt: DateLike;
  /** The person did something this coordinator has not seen yet (docs/decisions/015). */
  newActivity: boolean;
}

/** "New reply" (NHS.UK tag): the person replied, withdrew, rated or changed consent since this coordinator last looked. */
export function NewReplyTag() {
  return (
    <>
      {" "}
      <strong className="nhsuk-tag nhsuk-tag--blue staywell-nowrap" data-new-reply="">
        New reply
      </strong>
    </>
  );
}

const shortDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "Europe/London" });
const shortDateYear = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "Europe/London",
});
const yearOf = new Intl.DateTimeFormat("en-GB", { year: "numeric", timeZone: "Europe/London" });

const timeOfDay = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
  timeZone: "Europe/London",
});
const dayOf = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  timeZone: "Europe/London",
});

/** "14:05" when on the day of `now` (London), otherwise "3 Dec" / "3 Dec 2025". */
export function formatUpdated(date: DateLike, now: DateLike): string {
  const d = new Date(date);
  return dayOf.format(d) === dayOf.format(new Date(now)) ? timeOfDay.format(d) : formatShortDate(d, now);
}

/** "3 Dec", or "3 Dec 2025" when not in the year of `now`. */
export function formatShortDate(date: DateLike, now: DateLike): string {
  const d = new Date(date);
  return yearOf.format(d) === yearOf.format(new Date(now)) ? shortDate.format(d) : shortDateYear.format(d);
}

export const HUB_STATUS_FILTER_LABELS: Record<HubStatusFilter, string> = {
  open: "Open",
  ...STATUS_LABELS.hub,
  all: "All",
};

/** The order of the status links: open (all), each open status, then finished, then all. */
export const STATUS_NAV_ORDER: readonly HubStatusFilter[] = [
  "open",
  "new",
  "triaged",
  "in_progress",
  "waiting_on_staff",
  "referred",
  "closed",
  "withdrawn",
  "all",
];

export function HubStatusTag({ status }: { status: RequestStatus }) {
  const colour = statusColours[status];
  return (
    <strong className={colour ? `nhsuk-tag nhsuk-tag--${colour}` : "nhsuk-tag"}>{STATUS_LABELS.hub[status]}</strong>
  );
}

const londonTime = new Intl.DateTimeFormat("en-GB", {
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "Europe/London",
});

/**
 * ", 10am" / ", 5pm" for a target with a time of day (the urgent, safety-check and at-risk targets,
 * where 10am against the end of the day is what matters); nothing for a day target (due 23:59).
 */
export function dueTimeOfDay(date: DateLike): string {
  const [hour, minute] = londonTime.format(new Date(date)).split(":").map(Number) as [number, number];
  if (hour === 23 && minute === 59) return "";
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return `, ${h}${minute ? `:${String(minute).padStart(2, "0")}` : ""}${hour < 12 ? "am" : "pm"}`;
}

export function DueCell({ due, now }: { due: QueueDue; now: DateLike }) {
  switch (due.kind) {
    case "overdue":
      return (
        <strong className="nhsuk-tag nhsuk-tag--red">
          {due.workingDays > 0
            ? `Overdue by ${due.workingDays} working ${due.workingDays === 1 ? "day" : "days"}`
            : "Overdue"}
        </strong>
      );
    case "due":
      return (
        <>
          Due {formatShortDate(due.dueAt, now)}
          {dueTimeOfDay(due.dueAt)}
        </>
      );
    case "paused":
      return <>Paused (waiting on staff)</>;
    case "contacted":
      return <>Contacted</>;
    case "not_contacted":
      return <>Not contacted</>;
  }
}

export function StatusCounts({
  counts,
  filters,
}: {
  counts: Record<HubStatusFilter, number>;
  filters: HubQueueFilters;
}) {
  return (
    <nav aria-label="Requests by status" className="staywell-hub-status-nav">
      <ul className="nhsuk-list nhsuk-body-s nhsuk-u-margin-bottom-2">
        {STATUS_NAV_ORDER.map((status) => {
          const current = status === filters.status;
          const text = `${HUB_STATUS_FILTER_LABELS[status]} (${hubCountText(status, counts[status])})`;
          return (
            <li key={status}>
              {current ? (
                <Link
                  to={`/hub${hubQueueSearch(filters, { status })}`}
                  aria-current="page"
                  className="nhsuk-u-font-weight-bold"
                >
                  {text}
                </Link>
              ) : (
                <Link to={`/hub${hubQueueSearch(filters, { status })}`}>{text}</Link>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export interface FilterOptions {
  offers: { slug: string; title: string }[];
  organisations: { id: number; name: string }[];
}

/** A filter select, only as wide as its options (the kit's NHS.UK select). */
function SelectField({
  value,
  ...props
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  options: SelectOption[];
}) {
  return <Select {...props} defaultValue={value} className="staywell-select-fit" />;
}

/**
 * The filter form: a GET to /hub, so the filters live in the URL and it works without JavaScript.
 * Behind a "Filter requests" disclosure (an NHS.UK details element: no JavaScript needed), open
 * while filters are in use, so the table starts near the top of the screen.
 */
export function QueueFilters({
  filters,
  options,
  open,
}: {
  filters: HubQueueFilters;
  options: FilterOptions;
  open: boolean;
}) {
  return (
    <details className="nhsuk-details staywell-hub-filters" open={open}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Filter requests</span>
      </summary>
      <div className="nhsuk-details__text">
        <Form method="get" action="/hub" role="search" aria-label="Filter requests">
          {filters.view ? <input type="hidden" name="view" value={filters.view} /> : null}
          <div className="staywell-hub-filter-fields">
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="q">
                Reference
              </label>
              <div className="nhsuk-hint" id="q-hint">
                For example, SW-2026-00042 or 00042
              </div>
              <input
                className="nhsuk-input nhsuk-input--width-10"
                id="q"
                name="q"
                type="search"
                aria-describedby="q-hint"
                autoComplete="off"
                spellCheck={false}
                maxLength={HUB_QUERY_MAX}
                defaultValue={filters.q ?? ""}
              />
            </div>
            <SelectField
              id="status"
              name="status"
              label="Status"
              value={filters.status}
              options={STATUS_NAV_ORDER.map((s) => ({
                value: s,
                label: s === "open" ? "Open (any open status)" : HUB_STATUS_FILTER_LABELS[s],
              }))}
            />
            <SelectField
              id="offer"
              name="offer"
              label="Support"
              value={filters.offer ?? ""}
              options={[
                { value: "", label: "Any support" },
                ...options.offers.map((o) => ({ value: o.slug, label: o.title })),
              ]}
            />
            <SelectField
              id="organisation"
              name="organisation"
              label="Organisation"
              value={filters.organisation ? String(filters.organisation) : ""}
              options={[
                { value: "", label: "Any organisation" },
                ...options.organisations.map((o) => ({ value: String(o.id), label: o.name })),
              ]}
            />
            <SelectField
              id="assignee"
              name="assignee"
              label="Assigned to"
              value={filters.assignee}
              options={HUB_ASSIGNEE_FILTERS.map((a) => ({ value: a, label: HUB_ASSIGNEE_LABELS[a] }))}
            />
            <div className="nhsuk-form-group">
              <fieldset className="nhsuk-fieldset">
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Show only</legend>
                <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                  <div className="nhsuk-checkboxes__item">
                    <input
                      className="nhsuk-checkboxes__input"
                      id="overdue"
                      name="overdue"
                      type="checkbox"
                      value="1"
                      defaultChecked={filters.overdue}
                    />
                    <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="overdue">
                      Overdue for first contact
                    </label>
                  </div>
                  <div className="nhsuk-checkboxes__item">
                    <input
                      className="nhsuk-checkboxes__input"
                      id="urgent"
                      name="urgent"
                      type="checkbox"
                      value="1"
                      defaultChecked={filters.urgent}
                    />
                    <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="urgent">
                      Urgent
                    </label>
                  </div>
                </div>
              </fieldset>
            </div>
          </div>
          <button
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-2"
            data-module="nhsuk-button"
            type="submit"
          >
            Apply filters
          </button>{" "}
          <p className="nhsuk-u-margin-bottom-0">
            <Link to={filters.view ? `/hub?view=${filters.view}` : "/hub"}>Clear filters</Link>
          </p>
        </Form>
      </div>
    </details>
  );
}

/**
 * The queue table: compact rows (issue 9 part 5: at least 12 on a 1280 x 800 screen), organisation
 * short names (full name for assistive technology and as a tooltip), references never broken, one
 * line a row (a long offer title is cut with an ellipsis on screen, whole as a tooltip and for screen
 * readers). "Sent" is shown from 1440 px (it is on the request page). Below 641 px the organisation,
 * sent, assigned and last-updated columns are left out (CSS), so reference, support, status and first
 * contact fit a 375 px screen without sideways scrolling.
 */
export function QueueTable({ rows, caption, now }: { rows: QueueRow[]; caption: string; now: DateLike }) {
  return (
    <div className="staywell-hub-queue">
      <table className="nhsuk-table staywell-hub-queue-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="hub-queue-caption">
          {caption}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Reference
            </th>
            <th className="nhsuk-table__header" scope="col">
              Support
            </th>
            <th className="nhsuk-table__header staywell-hub-wide" scope="col">
              Organisation
            </th>
            <th className="nhsuk-table__header staywell-hub-wide staywell-hub-xwide" scope="col">
              Sent
            </th>
            <th className="nhsuk-table__header" scope="col">
              Status
            </th>
            <th className="nhsuk-table__header staywell-hub-wide" scope="col">
              Assigned to
            </th>
            <th className="nhsuk-table__header" scope="col">
              First contact
            </th>
            <th className="nhsuk-table__header staywell-hub-wide" scope="col">
              Last updated
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((row) => (
            <tr className="nhsuk-table__row" key={row.reference}>
              <th className="nhsuk-table__header" scope="row">
                <Link className="staywell-nowrap" to={`/hub/requests/${encodeURIComponent(row.reference)}`}>
                  {row.reference}
                </Link>
                {row.status !== "closed" && row.status !== "withdrawn" ? <PriorityTag priority={row.priority} /> : null}
                {row.newActivity ? <NewReplyTag /> : null}
              </th>
              <td className="nhsuk-table__cell">
                <span className="staywell-hub-offer" title={row.offerTitle}>
                  {row.offerTitle}
                </span>
              </td>
              <td className="nhsuk-table__cell staywell-hub-wide">
                {row.organisationShortName === row.organisationName ? (
                  row.organisationName
                ) : (
                  <>
                    <span title={row.organisationName} aria-hidden="true">
                      {row.organisationShortName}
                    </span>
                    <span className="nhsuk-u-visually-hidden">{row.organisationName}</span>
                  </>
                )}
                {row.organisationSelfDeclared ? <SelfDeclaredTag /> : null}
              </td>
              <td className="nhsuk-table__cell staywell-hub-wide staywell-hub-xwide staywell-nowrap">
                {formatShortDate(row.submittedAt, now)}
              </td>
              <td className="nhsuk-table__cell">
                <HubStatusTag status={row.status} />
              </td>
              <td className="nhsuk-table__cell staywell-hub-wide">
                {row.assigneeName === null ? "Unassigned" : row.assignedToCaller ? "You" : row.assigneeName}
              </td>
              <td className="nhsuk-table__cell">
                <DueCell due={row.due} now={now} />
              </td>
              <td className="nhsuk-table__cell staywell-hub-wide staywell-nowrap">
                <time dateTime={new Date(row.lastUpdatedAt).toISOString()}>
                  {formatUpdated(row.lastUpdatedAt, now)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Previous/Next links (keyset cursors), keeping every filter. */
export function QueuePagination({
  filters,
  prevCursor,
  nextCursor,
}: {
  filters: HubQueueFilters;
  prevCursor: string | null;
  nextCursor: string | null;
}) {
  return (
    <Pagination
      previous={
        prevCursor
          ? { href: `/hub${hubQueueSearch(filters, { cursor: prevCursor })}`, label: "Earlier in the list" }
          : null
      }
      next={
        nextCursor
          ? { href: `/hub${hubQueueSearch(filters, { cursor: nextCursor })}`, label: "Later in the list" }
          : null
      }
    />
  );
}
