import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listActiveOffers } from "~/.server/models/offers.server";

export const meta: MetaFunction = () => [{ title: "Find support – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const offers = await listActiveOffers(q);
  const categories: { name: string; offers: typeof offers }[] = [];
  for (const offer of offers) {
    const last = categories[categories.length - 1];
    if (last?.name === offer.category) last.offers.push(offer);
    else categories.push({ name: offer.category, offers: [offer] });
  }
  return { q, categories, total: offers.length };
}

export default function SupportCatalogue() {
  const { q, categories, total } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Find support</h1>
      <p className="nhsuk-lede-text">Support for staff of every partner organisation in the Integrated Care System.</p>
      <Form method="get" role="search" className="staywell-filter nhsuk-u-margin-bottom-5">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="q">
            Filter support
          </label>
          <div className="nhsuk-hint" id="q-hint">
            For example, money, back pain, hours or pension
          </div>
          <input className="nhsuk-input nhsuk-input--width-20" id="q" name="q" type="search" defaultValue={q} aria-describedby="q-hint" />
        </div>
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
          Filter
        </button>
      </Form>
      {q ? (
        <p role="status">
          {total === 0 ? `No support matches “${q}”.` : `${total} ${total === 1 ? "offer matches" : "offers match"} “${q}”.`}{" "}
          <Link to="/support">Show all support</Link>
        </p>
      ) : null}
      {categories.map((category) => (
        <section key={category.name} aria-labelledby={`category-${slugify(category.name)}`}>
          <h2 id={`category-${slugify(category.name)}`}>{category.name}</h2>
          <ul className="nhsuk-grid-row nhsuk-card-group staywell-offer-list">
            {category.offers.map((offer) => (
              <li className="nhsuk-grid-column-one-half nhsuk-card-group__item" key={offer.slug}>
                <div className="nhsuk-card nhsuk-card--clickable">
                  <div className="nhsuk-card__content">
                    <h3 className="nhsuk-card__heading nhsuk-heading-s">
                      <Link className="nhsuk-card__link" to={`/support/${offer.slug}`}>
                        {offer.title}
                      </Link>
                    </h3>
                    <p className="nhsuk-card__description">{offer.summary}</p>
                    {offer.sensitive ? <strong className="nhsuk-tag nhsuk-tag--white">Confidential</strong> : null}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function slugify(text: string) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
