// /admin/offers: the support offers in catalogue order (by category, then the order within it),
// those in the catalogue first and the retired ones after, filterable by state, 50 a page. Each
// offer can be moved up or down within its category (a small POST form: intent=move, with the
// version the admin saw), which changes the order of the list of support at once.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ShouldRevalidateFunctionArgs,
} from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { readFormData } from "~/.server/forms.server";
import { expectedVersion } from "~/.server/models/admin/common.server";
import {
  listOffersForAdmin,
  moveOffer,
  type AdminOfferListItem,
  type OfferListFilter,
} from "~/.server/models/admin/offers.server";
import { ErrorSummary } from "~/components/fields";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { errorPageTitle } from "~/lib/page-title";
import { isMoveDirection } from "~/schemas/admin-offers";
import { responsiveTable as rt, Stacked } from "~/components/nhsuk/table";
import { pageNumber } from "~/lib/paging";
import { NumberedPagination } from "~/components/nhsuk/pagination";

export const meta: MetaFunction<typeof loader> = ({ error }) => [
  { title: error ? errorPageTitle(error) : "Support offers – Administration – StayWell" },
];

const FILTERS: { value: OfferListFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "active", label: "In the catalogue" },
  { value: "retired", label: "Retired" },
];

function filterOf(value: string | null): OfferListFilter {
  return value === "active" || value === "retired" ? value : "all";
}

function listPath(filter: OfferListFilter, page = 1, extra: Record<string, string> = {}) {
  const params = new URLSearchParams();
  if (filter !== "all") params.set("show", filter);
  if (page > 1) params.set("page", String(page));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const query = params.toString();
  return `/admin/offers${query ? `?${query}` : ""}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const url = new URL(request.url);
  const filter = filterOf(url.searchParams.get("show"));
  const page = pageNumber(url.searchParams.get("page"));
  const list = await listOffersForAdmin(user, { filter, page });
  const movedId = Number(url.searchParams.get("moved"));
  const moved = list.offers.find((o) => o.id === movedId) ?? null;
  return { ...list, filter, moved: moved ? { title: moved.title, category: moved.category } : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const filter = filterOf(String(formData.get("show") ?? ""));
  const page = pageNumber(formData.get("page"));
  const intent = formData.get("intent");
  const direction = formData.get("direction");
  const id = Number(formData.get("offerId"));
  if (intent !== "move" || !isMoveDirection(direction) || !Number.isSafeInteger(id) || id < 1) {
    return data<AdminActionData>(
      { errors: { _form: "Choose an offer to move up or down" }, values: {} },
      { status: 400 },
    );
  }
  try {
    await moveOffer(user, id, expectedVersion(formData.get("version")), direction);
  } catch (err) {
    return adminErrorResponse(err, {});
  }
  throw redirect(`${listPath(filter, page, { moved: String(id) })}#offer-${id}`);
}

/** After a conflict the list shows the order as it is now. */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionStatus === 409) return true;
  return defaultShouldRevalidate;
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** Offers grouped by state, then category, in the order they came (catalogue order). */
function groups(offers: AdminOfferListItem[]) {
  const states: { active: boolean; categories: { name: string; offers: AdminOfferListItem[] }[] }[] = [];
  for (const offer of offers) {
    let state = states[states.length - 1];
    if (!state || state.active !== offer.active) {
      state = { active: offer.active, categories: [] };
      states.push(state);
    }
    const last = state.categories[state.categories.length - 1];
    if (last?.name === offer.category) last.offers.push(offer);
    else state.categories.push({ name: offer.category, offers: [offer] });
  }
  return states;
}

function idOf(text: string) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export default function AdminOffers() {
  const list = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  const { filter, counts, moved } = list;
  const formError = actionData?.errors?._form;
  return (
    <>
      {moved && !actionData ? (
        <SuccessBanner>
          {moved.title} has been moved. The list of support shows {moved.category} in this order.
        </SuccessBanner>
      ) : null}
      {formError ? (
        <ErrorSummary
          errors={{ _form: formError }}
          title={actionData?.conflict ? "Someone else changed the support offers" : undefined}
        />
      ) : null}
      <h1>Support offers</h1>
      <p>
        The support staff can ask for, in the order the list of support shows them: by category, then in the order set
        here. A retired offer is not in the list and takes no new requests; requests already made go on.
      </p>
      <Link className="nhsuk-button" to="/admin/offers/new">
        Add a support offer
      </Link>

      <nav aria-label="Show support offers" className="nhsuk-u-margin-bottom-5">
        <ul className="nhsuk-list">
          {FILTERS.map((f) => {
            const n =
              f.value === "all"
                ? counts.active + counts.retired
                : f.value === "active"
                  ? counts.active
                  : counts.retired;
            const label = `${f.label} (${n})`;
            return (
              <li key={f.value}>
                {filter === f.value ? (
                  <strong aria-current="page">{label}</strong>
                ) : (
                  <Link to={listPath(f.value)}>{label}</Link>
                )}
              </li>
            );
          })}
        </ul>
      </nav>

      {list.offers.length === 0 ? (
        <p>{filter === "retired" ? "No support offers are retired." : "There are no support offers to show."}</p>
      ) : null}
      {groups(list.offers).map((state) => (
        <section key={String(state.active)} aria-labelledby={`state-${state.active ? "active" : "retired"}`}>
          <h2 id={`state-${state.active ? "active" : "retired"}`}>{state.active ? "In the catalogue" : "Retired"}</h2>
          {state.categories.map((category) => (
            <CategoryTable key={category.name} category={category} active={state.active} list={list} />
          ))}
        </section>
      ))}
      <NumberedPagination page={list.page} pageCount={list.pageCount} pageHref={(n) => listPath(filter, n)} />
    </>
  );
}

function CategoryTable({
  category,
  active,
  list,
}: {
  category: { name: string; offers: AdminOfferListItem[] };
  active: boolean;
  list: LoaderData;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const captionId = `${active ? "active" : "retired"}-${idOf(category.name)}`;
  return (
    // Below 769 px each offer is a stacked block (nothing scrolls sideways on a phone).
    <div>
      <table {...rt.table}>
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={captionId}>
          {category.name}
        </caption>
        <thead className="nhsuk-table__head" {...rt.rowgroup}>
          <tr {...rt.row}>
            <th {...rt.columnheader} className="nhsuk-table__header nhsuk-u-width-one-half">
              Support offer
            </th>
            <th {...rt.columnheader} className="nhsuk-table__header nhsuk-u-width-one-third">
              Handled by
            </th>
            <th {...rt.columnheader}>Order</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body" {...rt.rowgroup}>
          {category.offers.map((offer) => (
            <tr {...rt.row} key={offer.id} id={`offer-${offer.id}`}>
              <th {...rt.rowheader}>
                <Stacked heading="Support offer">
                  <Link to={`/admin/offers/${offer.id}`}>{offer.title}</Link>
                  <br />
                  <span className="nhsuk-u-font-weight-normal nhsuk-u-secondary-text-colour staywell-break-anywhere">
                    /support/{offer.slug}
                  </span>
                  {offer.sensitive ? (
                    <>
                      {" "}
                      <strong className="nhsuk-tag nhsuk-tag--white">Confidential</strong>
                    </>
                  ) : null}
                </Stacked>
              </th>
              <td {...rt.cell}>
                <Stacked heading="Handled by">{offer.teamName}</Stacked>
              </td>
              <td {...rt.cell}>
                <Stacked heading="Order" block>
                  {offer.canMoveUp ? (
                    <MoveButton offer={offer} direction="up" filter={list.filter} page={list.page} disabled={busy} />
                  ) : null}
                  {offer.canMoveDown ? (
                    <MoveButton offer={offer} direction="down" filter={list.filter} page={list.page} disabled={busy} />
                  ) : null}
                </Stacked>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MoveButton({
  offer,
  direction,
  filter,
  page,
  disabled,
}: {
  offer: AdminOfferListItem;
  direction: "up" | "down";
  filter: OfferListFilter;
  page: number;
  disabled: boolean;
}) {
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="offerId" value={offer.id} />
      <input type="hidden" name="version" value={offer.version} />
      <input type="hidden" name="direction" value={direction} />
      <input type="hidden" name="show" value={filter} />
      <input type="hidden" name="page" value={page} />
      <button
        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-1"
        type="submit"
        name="intent"
        value="move"
        disabled={disabled}
      >
        {direction === "up" ? "Move up" : "Move down"}
        <span className="nhsuk-u-visually-hidden">: {offer.title}</span>
      </button>
    </Form>
  );
}
