// /admin/teams: the people hub teams with how many coordinators each has and how many offers it
// handles, 50 a page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/.server/admin-route.server";
import { listTeams } from "~/.server/models/admin/teams.server";
import { NumberedPagination } from "~/components/nhsuk/pagination";
import { responsiveTable as rt, Stacked } from "~/components/nhsuk/table";
import { pageNumber } from "~/lib/paging";

export const meta: MetaFunction = () => [{ title: "Hub teams – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const page = pageNumber(new URL(request.url).searchParams.get("page"));
  return listTeams(user, { page });
}

export default function AdminTeams() {
  const { items, page, pageCount, total } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Hub teams</h1>
      <p>
        Each support offer is handled by one people hub team. Coordinators see the requests for their teams’ offers, and
        only those; an administrator who is added to a team can use the hub for it too.
      </p>
      <Link className="nhsuk-button" to="/admin/teams/new" data-module="nhsuk-button">
        Create a team
      </Link>
      {/* Below 769 px each team is a stacked block (nothing scrolls sideways on a phone). */}
      <div>
        <table {...rt.table}>
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="teams-caption">
            {total === 1 ? "1 team" : `${total} teams`}
            {pageCount > 1 ? ` (page ${page} of ${pageCount})` : null}
          </caption>
          <thead className="nhsuk-table__head" {...rt.rowgroup}>
            <tr {...rt.row}>
              <th {...rt.columnheader}>Team</th>
              <th {...rt.columnheader} className="nhsuk-table__header nhsuk-table__header--numeric">
                Coordinators
              </th>
              <th {...rt.columnheader} className="nhsuk-table__header nhsuk-table__header--numeric">
                Offers handled
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body" {...rt.rowgroup}>
            {items.map((t) => (
              <tr {...rt.row} key={t.id}>
                <th {...rt.rowheader}>
                  <Stacked heading="Team">
                    <Link to={`/admin/teams/${t.id}`}>{t.name}</Link>
                  </Stacked>
                </th>
                <td {...rt.cell} className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  <Stacked heading="Coordinators">
                    {t.coordinators === 0 ? <strong className="nhsuk-tag nhsuk-tag--red">None</strong> : t.coordinators}
                  </Stacked>
                </td>
                <td {...rt.cell} className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  <Stacked heading="Offers handled">
                    {t.offers}
                    {t.retiredOffers ? ` (${t.retiredOffers} retired)` : null}
                  </Stacked>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="nhsuk-body-s">Coordinators counts the active coordinators and administrators in the team.</p>
      <NumberedPagination page={page} pageCount={pageCount} pageHref={(n) => `/admin/teams?page=${n}`} />
    </>
  );
}
