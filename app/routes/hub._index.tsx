// The people hub queue: the requests for the caller's teams' offers (never their own), filtered by
// the URL, counted per status, attention first, 25 a page by keyset cursor.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { isReservistCoordinator } from "~/.server/permissions.server";
import { requireHubUser } from "~/.server/route-errors.server";
import { canSeeLeaverContacts } from "~/.server/permissions.server";
import { hubQueuePageExtras, listHubQueue } from "~/.server/models/hub-queue.server";
import {
  HUB_STATUS_FILTER_LABELS,
  QueueFilters,
  QueuePagination,
  QueueTable,
  StatusCounts,
} from "~/components/hub-queue-table";
import { hasNarrowingFilters, hubCountText, hubQueueSearch } from "~/lib/hub-queue-filters";
import { parseHubQueueQuery } from "~/schemas/hub-queue";

export const meta: MetaFunction = () => [{ title: "People hub queue – StayWell" }];

/** Full-width layout: the queue and the request page are work screens. */
export const handle = { fluid: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireHubUser(request);
  const { cursor, ...filters } = parseHubQueueQuery(new URL(request.url).searchParams);
  const { status: _status, ...countFilters } = filters;
  const [page, canSeeLeavers] = await Promise.all([
    listHubQueue(user, { ...filters, cursor }, new Date()),
    canSeeLeaverContacts(user),
  ]);
  // Counted at the page's `now` snapshot, so "overdue" means the same in the counts and the list.
  // My work shows no status counts: none are read there. One statement for all of it (issue 11).
  const { counts, options, teams, myNew } = await hubQueuePageExtras(
    user,
    filters.view === "mine" ? null : countFilters,
    page.now,
  );
  return {
    filters,
    counts,
    options,
    teams,
    items: page.items,
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    now: page.now.toISOString(),
    mode: page.mode,
    paged: Boolean(cursor),
    myNew,
    canSeeLeavers,
    reservistCoordinator: await isReservistCoordinator(user),
  };
}

export default function HubQueue() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const { filters, counts, items } = data;
  const mine = filters.view === "mine";
  const statusLabel = HUB_STATUS_FILTER_LABELS[filters.status];
  const total = counts ? hubCountText(filters.status, counts[filters.status]) : "";
  // My work is "assigned to me" by definition: that alone is not a narrowing filter there.
  const narrowed = hasNarrowingFilters(mine ? { ...filters, assignee: "anyone" } : filters);
  const caption = mine
    ? `Requests assigned to you${narrowed ? " matching the filters" : ""}${data.myNew > 0 ? ` (${data.myNew} with new activity)` : ""}`
    : `${filters.status === "all" ? "All requests" : `${statusLabel} requests`}${narrowed ? " matching the filters" : ""} (${total})`;
  const myWorkText = `My work${data.myNew > 0 ? ` (${data.myNew} new)` : ""}`;

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-full">
        <div className="staywell-queue-heading">
          <h1 className="nhsuk-heading-m nhsuk-u-margin-bottom-2">{mine ? "My work" : "People hub queue"}</h1>
          <nav aria-label="Queue views" className="staywell-hub-views">
            <ul className="nhsuk-list nhsuk-u-margin-bottom-2">
              <li>
                <Link to="/hub" aria-current={mine ? undefined : "page"}>
                  Team queue
                </Link>
              </li>
              <li>
                <Link to="/hub?view=mine" aria-current={mine ? "page" : undefined}>
                  {myWorkText}
                </Link>
              </li>
              {data.canSeeLeavers ? (
                <li>
                  <Link to="/hub/leavers">Leavers who would come back</Link>
                </li>
              ) : null}
              {data.reservistCoordinator ? (
                <li>
                  <Link to="/hub/reservists/needs">Reservist needs</Link>
                </li>
              ) : null}
            </ul>
          </nav>
        </div>
        <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
          {mine ? "Requests assigned to you. " : ""}For {data.teams.length === 1 ? "your team" : "your teams"}:{" "}
          {data.teams.join(", ")}.
        </p>
        {counts ? <StatusCounts counts={counts} filters={filters} /> : null}
        {/* Re-mounted when the URL changes, so the fields show the filters in use. */}
        <QueueFilters key={location.search} filters={filters} options={data.options} open={narrowed} />
        {items.length === 0 ? (
          <div>
            <h2 className="nhsuk-heading-m">No requests to show</h2>
            {data.paged ? (
              <p>
                There are no more requests here.{" "}
                <Link to={`/hub${hubQueueSearch(filters)}`}>Go back to the start of the list</Link>.
              </p>
            ) : mine && !narrowed ? (
              <p>Nothing is assigned to you at the moment, and nothing you looked after has new activity.</p>
            ) : narrowed || (!mine && filters.status !== "open") ? (
              <p>
                No {filters.status === "all" ? "" : `${statusLabel.toLowerCase()} `}requests match these filters.{" "}
                <Link to="/hub">Clear the filters</Link> to see every open request.
              </p>
            ) : (
              <p>There are no open requests for your teams.</p>
            )}
          </div>
        ) : (
          <>
            <QueueTable rows={items} caption={caption} now={data.now} />
            <QueuePagination filters={filters} prevCursor={data.prevCursor} nextCursor={data.nextCursor} />
          </>
        )}
        {/* How the list is ordered: below the table, so the rows start high on the screen. */}
        {data.mode === "mine" ? (
          <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">
            Open requests where the person did something you have not seen come first, most recent first (marked New
            reply), then closed or withdrawn ones with something new, then your other open requests in queue order.
          </p>
        ) : data.mode === "queue" ? (
          <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">
            At-risk and safety-check requests not yet contacted come first (oldest first), then overdue ones, then the
            rest by when first contact is due.
          </p>
        ) : data.mode === "finished" ? (
          <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">Most recently finished first.</p>
        ) : (
          <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">Most recently sent first.</p>
        )}
      </div>
    </div>
  );
}
