// /admin/teams: the people hub teams with how many coordinators each has and how many offers it
// handles, 50 a page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/.server/admin-route.server";
import { listTeams } from "~/.server/models/admin/teams.server";
import { AdminListPagination } from "~/components/admin-organisation-fields";
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
        Each support offer is handled by one people hub team. Coordinators see the requests for their teams’ offers, and only
        those; an administrator who is added to a team can use the hub for it too.
      </p>
      <Link className="nhsuk-button" to="/admin/teams/new" data-module="nhsuk-button">
        Create a team
      </Link>
      <div className="staywell-table-scroll" role="region" aria-labelledby="teams-caption" tabIndex={0}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="teams-caption">
            {total === 1 ? "1 team" : `${total} teams`}
            {pageCount > 1 ? ` (page ${page} of ${pageCount})` : null}
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Team
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Coordinators
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Offers handled
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {items.map((t) => (
              <tr className="nhsuk-table__row" key={t.id}>
                <th className="nhsuk-table__header" scope="row">
                  <Link to={`/admin/teams/${t.id}`}>{t.name}</Link>
                </th>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {t.coordinators === 0 ? <strong className="nhsuk-tag nhsuk-tag--red">None</strong> : t.coordinators}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {t.offers}
                  {t.retiredOffers ? ` (${t.retiredOffers} retired)` : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="nhsuk-body-s">Coordinators counts the active coordinators and administrators in the team.</p>
      <AdminListPagination path="/admin/teams" page={page} pageCount={pageCount} />
    </>
  );
}
