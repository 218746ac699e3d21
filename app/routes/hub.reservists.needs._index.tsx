// /hub/reservists/needs: the Reservist bank team's needs, newest first, with filled and open
// places. Anyone outside the team (staff, managers, administrators, other coordinators) gets 404:
// the model's queries carry the team condition (permissions.server.ts, ADR 040).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { listNeeds } from "~/.server/models/reservists.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { formatDate } from "~/components/format";
import { Pagination } from "~/components/nhsuk/pagination";
import { StackedTable } from "~/components/nhsuk/table";
import { needReasonLabel, needsCaption } from "~/lib/reservists";
import { staffGroupLabel } from "~/lib/staff-groups";

export const meta: MetaFunction = () => [{ title: "Reservist needs – People hub – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pageText = new URL(request.url).searchParams.get("page") ?? "1";
  const page = /^\d{1,5}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1;
  const { needs, hasMore } = await withDomainErrors(() => listNeeds(user, page));
  return { needs, hasMore, page };
}

export default function ReservistNeeds() {
  const { needs, hasMore, page } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="nhsuk-caption-l">People hub</span>
      <h1>Reservist needs</h1>
      <p>Post a need, then invite the reservists who fit it best.</p>
      <Link className="nhsuk-button" to="/hub/reservists/needs/new">
        Post a need
      </Link>
      {needs.length ? (
        <StackedTable
          caption={needsCaption(page, hasMore)}
          rowKey={(n) => n.id}
          firstCellIsHeader
          rows={needs}
          columns={[
            {
              heading: "Where",
              cell: (n) => (
                <Link to={`/hub/reservists/needs/${n.id}`}>
                  {n.organisationName}: {n.place}
                </Link>
              ),
            },
            { heading: "Staff group", cell: (n) => staffGroupLabel(n.staffGroup) },
            { heading: "Dates", cell: (n) => `${formatDate(n.startDate)} to ${formatDate(n.endDate)}` },
            { heading: "Why", cell: (n) => needReasonLabel(n.reason) },
            {
              heading: "Places",
              cell: (n) =>
                `${n.filled} of ${n.placesWanted} filled, ${
                  n.closedAt ? "closed" : `${Math.max(0, n.placesWanted - n.filled)} open`
                }`,
            },
            { heading: "Waiting for an answer", numeric: true, cell: (n) => n.invited },
          ]}
        />
      ) : (
        <p>No needs {page > 1 ? "on this page" : "yet"}.</p>
      )}
      <Pagination
        previous={page > 1 ? { href: `/hub/reservists/needs?page=${page - 1}` } : null}
        next={hasMore ? { href: `/hub/reservists/needs?page=${page + 1}` } : null}
      />
    </>
  );
}
