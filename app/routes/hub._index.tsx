// The people hub queue: the requests for the caller's teams' offers (never their own), filtered by
// the URL, counted per status, attention first, 25 a page by keyset cursor.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { teamsOf } from "~/.server/models/hub-access.server";
import { requireHubUser } from "~/.server/route-errors.server";
import { countHubQueue, hubQueueFilterOptions, listHubQueue } from "~/.server/models/hub-queue.server";
import {
  HUB_STATUS_FILTER_LABELS,
  QueueFilters,
  QueuePagination,
  QueueTable,
  StatusCounts,
} from "~/components/hub-queue-table";
import { hasNarrowingFilters, hubQueueSearch, parseHubQueueQuery } from "~/schemas/hub-queue";

export const meta: MetaFunction = () => [{ title: "People hub queue – StayWell" }];

/** Full-width layout: the queue and the request page are work screens. */
export const handle = { fluid: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireHubUser(request);
  const { cursor, ...filters } = parseHubQueueQuery(new URL(request.url).searchParams);
  const { status: _status, ...countFilters } = filters;
  const page = await listHubQueue(user, { ...filters, cursor }, new Date());
  // Counted at the page's `now` snapshot, so "overdue" means the same in the counts and the list.
  const [counts, options, teams] = await Promise.all([
    countHubQueue(user, countFilters, page.now),
    hubQueueFilterOptions(user),
    teamsOf(user),
  ]);
  return {
    filters,
    counts,
    options,
    teams: teams.map((t) => t.name),
    items: page.items,
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    now: page.now.toISOString(),
    mode: page.mode,
    paged: Boolean(cursor),
  };
}

export default function HubQueue() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const { filters, counts, items } = data;
  const statusLabel = HUB_STATUS_FILTER_LABELS[filters.status];
  const total = counts[filters.status];
  const caption = `${filters.status === "all" ? "All requests" : `${statusLabel} requests`}${
    hasNarrowingFilters(filters) ? " matching the filters" : ""
  } (${total})`;

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-full">
        <h1>People hub queue</h1>
        <p className="nhsuk-body-s">Requests for {data.teams.length === 1 ? "your team" : "your teams"}: {data.teams.join(", ")}.</p>
        <StatusCounts counts={counts} filters={filters} />
      </div>
      <div className="nhsuk-grid-column-one-quarter">
        {/* Re-mounted when the URL changes, so the fields show the filters in use. */}
        <QueueFilters key={location.search} filters={filters} options={data.options} />
      </div>
      <div className="nhsuk-grid-column-three-quarters">
        {data.mode === "queue" ? (
          <p className="nhsuk-body-s">At-risk and safety-check requests not yet contacted come first (oldest first), then overdue ones, then the rest by when first contact is due.</p>
        ) : data.mode === "finished" ? (
          <p className="nhsuk-body-s">Most recently finished first.</p>
        ) : (
          <p className="nhsuk-body-s">Most recently sent first.</p>
        )}
        {items.length === 0 ? (
          <div>
            <h2 className="nhsuk-heading-m">No requests to show</h2>
            {data.paged ? (
              <p>
                There are no more requests here. <Link to={`/hub${hubQueueSearch(filters)}`}>Go back to the start of the list</Link>.
              </p>
            ) : hasNarrowingFilters(filters) || filters.status !== "open" ? (
              <p>
                No {filters.status === "all" ? "" : `${statusLabel.toLowerCase()} `}requests match these filters. <Link to="/hub">Clear the filters</Link> to see
                every open request.
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
      </div>
    </div>
  );
}
