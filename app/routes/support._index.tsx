import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import {
  getStayConversationOffer,
  isMentalHealthOffer,
  listActiveCategories,
  listActiveOffers,
  type OfferSummary,
} from "~/.server/models/offers.server";
import { StayConversationCard } from "~/components/stay-conversation-card";
import { HelpNowInset } from "~/components/urgent-help";
import { normaliseSearch } from "~/lib/search-synonyms";

export const meta: MetaFunction = () => [{ title: "Find support – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Hostile or huge input is cut and cleaned here and bound as a parameter in the model (ADR 013).
  const q = normaliseSearch(new URL(request.url).searchParams.get("q"));
  const [offers, stayOffer] = await Promise.all([listActiveOffers(q), getStayConversationOffer()]);
  if (q) {
    // A search lists its matches best first; one that finds nothing suggests the categories.
    return {
      q,
      stayOffer,
      results: offers,
      categories: [],
      suggestions: offers.length ? [] : await listActiveCategories(),
      // Results with mental health support: the crisis numbers above them (none found: always shown).
      helpNow: offers.some(isMentalHealthOffer),
    };
  }
  const categories: { name: string; offers: OfferSummary[] }[] = [];
  for (const offer of offers) {
    const last = categories[categories.length - 1];
    if (last?.name === offer.category) last.offers.push(offer);
    else categories.push({ name: offer.category, offers: [offer] });
  }
  return { q, stayOffer, results: [], categories, suggestions: [], helpNow: false };
}

export default function SupportCatalogue() {
  const { q, stayOffer, results, categories, suggestions, helpNow } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Find support</h1>
      <p className="nhsuk-lede-text">Support for staff of every partner organisation in the Integrated Care System.</p>
      {/* At the top of the catalogue, not only in its list (a search still finds it by its words). */}
      {stayOffer && !q ? <StayConversationCard offer={stayOffer} /> : null}
      <Form method="get" role="search" className="staywell-filter nhsuk-u-margin-bottom-5">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="q">
            Search for support
          </label>
          <div className="nhsuk-hint" id="q-hint">
            Describe what is happening in your own words, for example, stress, back pain, bills, nights or pension
          </div>
          <input
            className="nhsuk-input nhsuk-input--width-20"
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            aria-describedby="q-hint"
          />
        </div>
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
          Search
        </button>
      </Form>
      {q ? (
        <>
          <p role="status">
            {results.length === 0
              ? `No support matches “${q}”.`
              : `${results.length} ${results.length === 1 ? "offer matches" : "offers match"} “${q}”, best match first.`}{" "}
            <Link to="/support">Show all support</Link>
          </p>
          {results.length && helpNow ? <HelpNowSection /> : null}
          {results.length ? (
            <ul className="nhsuk-grid-row nhsuk-card-group staywell-offer-list" aria-label="Search results">
              {results.map((offer) => (
                <OfferCard key={offer.slug} offer={offer} showCategory />
              ))}
            </ul>
          ) : (
            <NoResults suggestions={suggestions} />
          )}
        </>
      ) : null}
      {categories.map((category) => (
        <section key={category.name} aria-labelledby={`category-${slugify(category.name)}`}>
          <h2 id={`category-${slugify(category.name)}`}>{category.name}</h2>
          <ul className="nhsuk-grid-row nhsuk-card-group staywell-offer-list">
            {category.offers.map((offer) => (
              <OfferCard key={offer.slug} offer={offer} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** In a search's results the card is a level 2 heading; in the catalogue it sits under its category's. */
function OfferCard({ offer, showCategory = false }: { offer: OfferSummary; showCategory?: boolean }) {
  const Heading = showCategory ? "h2" : "h3";
  return (
    <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
      <div className="nhsuk-card nhsuk-card--clickable">
        <div className="nhsuk-card__content">
          <Heading className="nhsuk-card__heading nhsuk-heading-s">
            <Link className="nhsuk-card__link" to={`/support/${offer.slug}`}>
              {offer.title}
            </Link>
          </Heading>
          {showCategory ? (
            <p className="nhsuk-body-s nhsuk-u-secondary-text-colour nhsuk-u-margin-bottom-2">{offer.category}</p>
          ) : null}
          <p className="nhsuk-card__description">{offer.summary}</p>
          {offer.sensitive ? <strong className="nhsuk-tag nhsuk-tag--white">Confidential</strong> : null}
        </div>
      </div>
    </li>
  );
}

/** The crisis numbers: above results that include mental health support, and on every empty search. */
function HelpNowSection() {
  return (
    <section aria-labelledby="help-now" id="urgent-help">
      <h2 id="help-now">If you need help now</h2>
      <HelpNowInset underHeading />
    </section>
  );
}

/** A search that found nothing: the crisis numbers first (always), then the categories to browse. */
function NoResults({ suggestions }: { suggestions: string[] }) {
  return (
    <>
      <HelpNowSection />
      <section aria-labelledby="suggestions">
        <h2 id="suggestions">Try another word, or look at these kinds of support</h2>
        <ul className="nhsuk-list nhsuk-list--bullet">
          {suggestions.map((category) => (
            <li key={category}>
              <Link to={`/support#category-${slugify(category)}`}>{category}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function slugify(text: string) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
