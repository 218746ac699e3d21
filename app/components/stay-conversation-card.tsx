// "Thinking about leaving? Talk to us first": the stay-conversation offer as an NHS.UK feature card,
// on the home page and at the top of /support (issue 13, part 1; ADR 034). Plain link: no JavaScript.
import { Link } from "@remix-run/react";

export function StayConversationCard({
  offer,
  headingLevel = 2,
}: {
  offer: { slug: string; title: string; summary: string };
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="nhsuk-card nhsuk-card--feature" data-testid="stay-conversation-card">
      <div className="nhsuk-card__content nhsuk-card__content--feature">
        <Heading className="nhsuk-card__heading nhsuk-card__heading--feature nhsuk-heading-m">{offer.title}</Heading>
        <p className="nhsuk-card__description">{offer.summary}</p>
        <p className="nhsuk-card__description">
          It is confidential: your employer and your manager are not told, unless you ask us to involve your manager.
        </p>
        <p className="nhsuk-u-margin-bottom-0">
          <Link to={`/support/${offer.slug}`}>Talk to the Retention and careers team</Link>
        </p>
      </div>
    </div>
  );
}
