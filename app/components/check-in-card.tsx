// The signed-in home page's card while a first-year check-in is open (ADR 039): until it is answered
// or 21 days have passed. Plain link: no JavaScript.
import { Link } from "@remix-run/react";
import { formatDate } from "~/components/format";
import { pointAdjective } from "~/lib/check-ins";

export function CheckInCard({
  checkIn,
}: {
  checkIn: { id: string; pointLabel: string; startDate: string | null; expiresAt: Date | string };
}) {
  const point = pointAdjective(checkIn.pointLabel);
  return (
    <div className="nhsuk-card nhsuk-card--feature" data-testid="check-in-card">
      <div className="nhsuk-card__content nhsuk-card__content--feature">
        <h2 className="nhsuk-card__heading nhsuk-card__heading--feature nhsuk-heading-m">
          How is your first year going?
        </h2>
        <p className="nhsuk-card__description">
          {/* The card stays up to 21 days after a late send, so it names the start date, not "it is N weeks". */}
          Your {point} check-in is open
          {checkIn.startDate ? ` (you started in your post on ${formatDate(checkIn.startDate)})` : ""}. Tell us how it
          is going: it takes about a minute, and you can ask someone from the people hub to contact you.
        </p>
        <p className="nhsuk-card__description">You can answer until {formatDate(checkIn.expiresAt)}.</p>
        <p className="nhsuk-u-margin-bottom-0">
          <Link to={`/check-ins/${checkIn.id}`}>Answer your {point} check-in</Link>
        </p>
      </div>
    </div>
  );
}
