// The signed-in person's own requests, newest first, 20 a page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { listMyRequests, myRequestsWaitingOnMe } from "~/.server/models/requests.server";
import { formatDate } from "~/components/format";
import { responsiveTable as rt, Stacked } from "~/components/responsive-table";
import { StatusTag, UrgentTag } from "~/components/status-tag";
import { pageNumber } from "~/lib/paging";
import { WaitingForYourReply } from "~/components/waiting-for-reply";

export const meta: MetaFunction = () => [{ title: "Your requests – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  // Staff land here after signing in: the hub's questions are the first thing they see.
  const [page, waiting] = await Promise.all([listMyRequests(user, { page: pageNumber(url.searchParams.get("page")) }), myRequestsWaitingOnMe(user)]);
  return { page, waiting };
}

export default function MyRequests() {
  const { page, waiting } = useLoaderData<typeof loader>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-full">
        <h1>Your requests</h1>
        <WaitingForYourReply total={waiting.total} references={waiting.references} />
        {page.total === 0 ? (
          <>
            <p>You have not asked for any support yet.</p>
            <p>
              <Link to="/support">Find support</Link> for money worries, your mental or physical health, flexible working,
              retirement and more.
            </p>
          </>
        ) : (
          <>
            <p>
              Select a request to see its updates, send a message to the people hub or withdraw it.{" "}
              <Link to="/support">Ask for other support</Link>.
            </p>
            <table {...rt.table}>
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                Your requests{page.pageCount > 1 ? `, page ${page.page} of ${page.pageCount}` : ""}
              </caption>
              <thead className="nhsuk-table__head" {...rt.rowgroup}>
                <tr {...rt.row}>
                  <th {...rt.columnheader}>Reference</th>
                  <th {...rt.columnheader}>Support</th>
                  <th {...rt.columnheader}>Sent</th>
                  <th {...rt.columnheader}>Status</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body" {...rt.rowgroup}>
                {page.items.map((item) => (
                  <tr {...rt.row} key={item.reference}>
                    <th {...rt.rowheader}>
                      <Stacked heading="Reference">
                        <Link to={`/my/requests/${encodeURIComponent(item.reference)}`}>{item.reference}</Link>
                      </Stacked>
                    </th>
                    <td {...rt.cell}>
                      <Stacked heading="Support">{item.offerTitle}</Stacked>
                    </td>
                    <td {...rt.cell}>
                      <Stacked heading="Sent">{formatDate(item.submittedAt)}</Stacked>
                    </td>
                    <td {...rt.cell}>
                      <Stacked heading="Status">
                        <StatusTag status={item.status} />{" "}
                        {item.urgent && item.status !== "closed" && item.status !== "withdrawn" ? <UrgentTag /> : null}
                      </Stacked>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page.pageCount > 1 ? <Pagination page={page.page} pageCount={page.pageCount} /> : null}
          </>
        )}
      </div>
    </div>
  );
}

function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  return (
    <nav className="nhsuk-pagination" role="navigation" aria-label="Pagination">
      <ul className="nhsuk-list nhsuk-pagination__list">
        {page > 1 ? (
          <li className="nhsuk-pagination-item--previous">
            <Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={`?page=${page - 1}`} rel="prev">
              <span className="nhsuk-pagination__title">
                Previous<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">
                Page {page - 1} of {pageCount}
              </span>
              <svg className="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                <path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z" />
              </svg>
            </Link>
          </li>
        ) : null}
        {page < pageCount ? (
          <li className="nhsuk-pagination-item--next">
            <Link className="nhsuk-pagination__link nhsuk-pagination__link--next" to={`?page=${page + 1}`} rel="next">
              <span className="nhsuk-pagination__title">
                Next<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">
                Page {page + 1} of {pageCount}
              </span>
              <svg className="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                <path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z" />
              </svg>
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
