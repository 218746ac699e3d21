// The signed-in person's own requests, newest first, 20 a page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { listMyRequests, myRequestsWaitingOnMe } from "~/.server/models/requests.server";
import { formatDate } from "~/components/format";
import { responsiveTable as rt, Stacked } from "~/components/nhsuk/table";
import { StatusTag, UrgentTag } from "~/components/status-tag";
import { pageNumber } from "~/lib/paging";
import { NumberedPagination } from "~/components/nhsuk/pagination";
import { WaitingForYourReply } from "~/components/waiting-for-reply";

export const meta: MetaFunction = () => [{ title: "Your requests – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  // Staff land here after signing in: the hub's questions are the first thing they see.
  const [page, waiting] = await Promise.all([
    listMyRequests(user, { page: pageNumber(url.searchParams.get("page")) }),
    myRequestsWaitingOnMe(user),
  ]);
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
              <Link to="/support">Find support</Link> for money worries, your mental or physical health, flexible
              working, retirement and more.
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
            <NumberedPagination page={page.page} pageCount={page.pageCount} pageHref={(n) => `?page=${n}`} />
          </>
        )}
      </div>
    </div>
  );
}
