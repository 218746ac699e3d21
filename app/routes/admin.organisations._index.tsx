// /admin/organisations: the partner organisations with their email domains, headcount and number
// of accounts, 50 a page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/.server/admin-route.server";
import { listOrganisations } from "~/.server/models/admin/organisations.server";
import { NumberedPagination } from "~/components/nhsuk/pagination";
import { responsiveTable as rt, Stacked } from "~/components/nhsuk/table";
import { ORGANISATION_TYPE_LABELS } from "~/schemas/admin-organisations";
import { pageNumber } from "~/lib/paging";

export const meta: MetaFunction = () => [{ title: "Organisations – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const page = pageNumber(new URL(request.url).searchParams.get("page"));
  return listOrganisations(user, { page });
}

export default function AdminOrganisations() {
  const { items, page, pageCount, total } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Organisations</h1>
      <p>
        The partner organisations whose staff can use StayWell. Staff create an account with their work email address;
        its domain decides their organisation. Headcount is used for uptake rates in manager insights.
      </p>
      <Link className="nhsuk-button" to="/admin/organisations/new" data-module="nhsuk-button">
        Add an organisation
      </Link>
      {/* Below 769 px each organisation is a stacked block (nothing scrolls sideways on a phone). */}
      <div>
        <table {...rt.table}>
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="organisations-caption">
            {total === 1 ? "1 organisation" : `${total} organisations`}
            {pageCount > 1 ? ` (page ${page} of ${pageCount})` : null}
          </caption>
          <thead className="nhsuk-table__head" {...rt.rowgroup}>
            <tr {...rt.row}>
              <th {...rt.columnheader}>Organisation</th>
              <th {...rt.columnheader}>Type</th>
              <th {...rt.columnheader}>Email domains</th>
              <th {...rt.columnheader} className="nhsuk-table__header nhsuk-table__header--numeric">
                Headcount
              </th>
              <th {...rt.columnheader} className="nhsuk-table__header nhsuk-table__header--numeric">
                Accounts
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body" {...rt.rowgroup}>
            {items.map((o) => (
              <tr {...rt.row} key={o.id}>
                <th {...rt.rowheader}>
                  <Stacked heading="Organisation">
                    <Link to={`/admin/organisations/${o.id}`}>{o.name}</Link>
                  </Stacked>
                </th>
                <td {...rt.cell}>
                  <Stacked heading="Type">{ORGANISATION_TYPE_LABELS[o.type]}</Stacked>
                </td>
                <td {...rt.cell}>
                  <Stacked heading="Email domains" block>
                    {o.domains.length ? (
                      <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                        {o.domains.map((d) => (
                          <li key={d} className="nhsuk-u-margin-bottom-0">
                            {d}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <strong className="nhsuk-tag nhsuk-tag--grey">None: closed to new sign-ups</strong>
                    )}
                  </Stacked>
                </td>
                <td {...rt.cell} className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  <Stacked heading="Headcount">{o.headcount.toLocaleString("en-GB")}</Stacked>
                </td>
                <td {...rt.cell} className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  <Stacked heading="Accounts">{o.accounts.toLocaleString("en-GB")}</Stacked>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <NumberedPagination page={page} pageCount={pageCount} pageHref={(n) => `/admin/organisations?page=${n}`} />
    </>
  );
}
