import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOptionalUser } from "~/.server/auth/session.server";
import { getOfferBySlug } from "~/.server/models/offers.server";
import { findMyOpenRequestForOffer } from "~/.server/models/requests.server";
import { renderMarkdown } from "~/.server/markdown.server";
import { OpenRequestNotice } from "~/components/open-request";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.offer.title} – StayWell` : "Page not found – StayWell" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const offer = await getOfferBySlug(params.slug ?? "");
  if (!offer) throw new Response("Not found", { status: 404 });
  const {
    slug,
    title,
    category,
    summary,
    body,
    whoFor,
    provider,
    whatHappensNext,
    firstContactTargetDays,
    sensitive,
    active,
  } = offer;
  // Signed in: their own open request for this support, if any, next to "Request this support".
  const user = active ? await getOptionalUser(request) : null;
  const openRequest = user ? await findMyOpenRequestForOffer(user, slug) : null;
  return {
    // The description's Markdown becomes HTML here, on the server: no Markdown code in the browser.
    offer: {
      slug,
      title,
      category,
      summary,
      bodyHtml: renderMarkdown(body),
      whoFor,
      provider,
      whatHappensNext,
      firstContactTargetDays,
      sensitive,
      active,
    },
    openRequest,
  };
}

export default function OfferPage() {
  const { offer, openRequest } = useLoaderData<typeof loader>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <nav className="nhsuk-back-link" aria-label="Back">
          <Link className="nhsuk-back-link__link" to="/support">
            Back to all support
          </Link>
        </nav>
        <span className="nhsuk-caption-l">{offer.category}</span>
        <h1>{offer.title}</h1>
        <p className="nhsuk-lede-text">{offer.summary}</p>
        {!offer.active ? (
          <div className="nhsuk-card nhsuk-card--warning">
            <div className="nhsuk-card__content">
              <h2 className="nhsuk-card__heading">No longer taking requests</h2>
              <p className="nhsuk-card__description">
                This support is no longer taking new requests. Requests already made carry on as before.
              </p>
            </div>
          </div>
        ) : null}
        {/* Written in Markdown by an administrator; rendered safely by the loader (no raw HTML, safe
            links: app/.server/markdown.server.tsx). Nothing a member of staff types goes here. */}
        <div dangerouslySetInnerHTML={{ __html: offer.bodyHtml }} />
        <h2>Who it is for</h2>
        <p className="staywell-pre-wrap">{offer.whoFor}</p>
        <h2>Who provides it</h2>
        <p>{offer.provider}</p>
        <h2>What happens next</h2>
        <p className="staywell-pre-wrap">{offer.whatHappensNext}</p>
        <p>
          The people hub aims to contact you within{" "}
          <strong>
            {offer.firstContactTargetDays} working {offer.firstContactTargetDays === 1 ? "day" : "days"}
          </strong>{" "}
          (Monday to Friday, not bank holidays).
        </p>
        <h2>Who will see your request</h2>
        {offer.sensitive ? (
          <p>
            This support is confidential. Only the people hub coordinators in the team that handles it can read your
            request. Other coordinators, administrators and your line manager cannot.
          </p>
        ) : (
          <p>Only the people hub coordinators who handle this support can read your request.</p>
        )}
        <p>
          Nothing about your request reaches your line manager unless you say so on the form, and you can see everyone
          who has looked at your request.
        </p>
        {offer.active && openRequest ? <OpenRequestNotice openRequest={openRequest} /> : null}
        {offer.active ? (
          <Link className="nhsuk-button" to={`/support/${offer.slug}/request`}>
            Request this support
          </Link>
        ) : null}
      </div>
    </div>
  );
}
