// /admin/access-requests: people who asked for an account without a partner or shared address
// (docs/decisions/027-joining.md). Open requests oldest first (the queue), 50 a page; expired and
// decided ones newest first on their own tabs.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/.server/admin-route.server";
import { listAccessRequests } from "~/.server/models/joining.server";
import { formatDate } from "~/components/format";
import { NumberedPagination } from "~/components/nhsuk/pagination";
import { responsiveTable as rt, Stacked } from "~/components/nhsuk/table";
import { pageNumber } from "~/lib/paging";
import {
  ACCESS_REQUEST_STATE_TAGS as STATE_TAGS,
  ACCESS_REQUEST_VIEWS,
  type AccessRequestView,
} from "~/schemas/joining";

export const meta: MetaFunction = () => [{ title: "Access requests – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const params = new URL(request.url).searchParams;
  const show = params.get("show") ?? "";
  const view = (ACCESS_REQUEST_VIEWS as readonly string[]).includes(show) ? (show as AccessRequestView) : "open";
  return listAccessRequests(user, { view, page: pageNumber(params.get("page")) });
}

const VIEW_LABELS: Record<AccessRequestView, string> = { open: "Waiting", expired: "Expired", decided: "Decided" };

function hrefFor(view: AccessRequestView, page = 1) {
  const params = new URLSearchParams();
  if (view !== "open") params.set("show", view);
  if (page > 1) params.set("page", String(page));
  const s = params.toString();
  return s ? `/admin/access-requests?${s}` : "/admin/access-requests";
}

export default function AdminAccessRequests() {
  const { items, view, page, pageCount, total, counts } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Access requests</h1>
      <p>
        People who work in the ICS but have neither a partner organisation's work address nor an nhs.net address ask for
        an account here. Approving one sends them a link to choose their password; declining one tells them your reason.
        Requests expire after 30 days.
      </p>
      <nav aria-label="Access requests">
        <ul className="nhsuk-list">
          {ACCESS_REQUEST_VIEWS.map((v) => (
            <li key={v} className="nhsuk-u-margin-bottom-1">
              {v === view ? (
                <strong aria-current="page">
                  {VIEW_LABELS[v]} ({counts[v]})
                </strong>
              ) : (
                <Link to={hrefFor(v)}>
                  {VIEW_LABELS[v]} ({counts[v]})
                </Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      {items.length === 0 ? (
        <p>{view === "open" ? "No requests are waiting." : "There are none."}</p>
      ) : (
        <div>
          <table {...rt.table}>
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              {VIEW_LABELS[view]}: {total === 1 ? "1 request" : `${total} requests`}
              {view === "open" ? ", oldest first" : ", newest first"}
              {pageCount > 1 ? ` (page ${page} of ${pageCount})` : null}
            </caption>
            <thead className="nhsuk-table__head" {...rt.rowgroup}>
              <tr {...rt.row}>
                <th {...rt.columnheader}>Person</th>
                <th {...rt.columnheader}>Organisation</th>
                <th {...rt.columnheader}>Job or role</th>
                <th {...rt.columnheader}>Asked on</th>
                <th {...rt.columnheader}>Status</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body" {...rt.rowgroup}>
              {items.map((r) => (
                <tr {...rt.row} key={r.id}>
                  <th {...rt.rowheader}>
                    <Stacked heading="Person">
                      <Link to={`/admin/access-requests/${r.id}`}>{r.name}</Link>
                      <br />
                      <span className="staywell-break-anywhere">{r.email}</span>
                    </Stacked>
                  </th>
                  <td {...rt.cell}>
                    <Stacked heading="Organisation">
                      {r.organisation}
                      {r.organisationFromList ? null : " (typed)"}
                    </Stacked>
                  </td>
                  <td {...rt.cell}>
                    <Stacked heading="Job or role">{r.jobTitle}</Stacked>
                  </td>
                  <td {...rt.cell}>
                    <Stacked heading="Asked on">{formatDate(r.createdAt)}</Stacked>
                  </td>
                  <td {...rt.cell}>
                    <Stacked heading="Status">
                      <strong className={STATE_TAGS[r.state].className}>{STATE_TAGS[r.state].label}</strong>
                    </Stacked>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NumberedPagination page={page} pageCount={pageCount} pageHref={(n) => hrefFor(view, n)} />
    </>
  );
}
