// Urgent mental health help: the NHS.UK urgent care card, and a short "if you need help now" inset.
// Shown on the psychological wellbeing form (at once, when "at risk" or "I am not sure" is chosen)
// and on the request page of an at-risk or safety-check request (so people without JavaScript see it too).

export function UrgentHelpCard({
  headingLevel = 2,
  afterSubmit = false,
  uncertain = false,
}: {
  headingLevel?: 2 | 3;
  afterSubmit?: boolean;
  /** The person answered "I am not sure" whether they feel safe: worded for uncertainty. */
  uncertain?: boolean;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="nhsuk-card nhsuk-card--care nhsuk-card--care--urgent" id="urgent-help">
      <div className="nhsuk-card__heading-container">
        <Heading className="nhsuk-card__heading">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Urgent advice: </span>
            {uncertain ? "If you are not sure you are safe, help is there now" : "Get help now if you do not feel safe"}
          </span>
        </Heading>
        <span className="nhsuk-card--care__arrow" aria-hidden="true"></span>
      </div>
      <div className="nhsuk-card__content">
        {uncertain ? (
          <p>
            It is all right not to be sure. If you start to feel unsafe, or you are worried about what you might do, do
            not wait for the people hub to contact you. You can:
          </p>
        ) : (
          <p>Do not wait for the people hub to contact you. You can:</p>
        )}
        <ul>
          <li>
            call <a href="tel:111">NHS 111</a> and select the mental health option (option 2), any time of day or night
          </li>
          <li>
            call Samaritans free on <a href="tel:116123">116 123</a>, any time of day or night
          </li>
          <li>
            text SHOUT to <a href="sms:85258?body=SHOUT">85258</a> for free, confidential support by text
          </li>
        </ul>
        <p>
          <strong>
            Call <a href="tel:999">999</a> or go to A&amp;E now if you have seriously harmed yourself or you are in
            immediate danger.
          </strong>
        </p>
        {uncertain ? (
          afterSubmit ? (
            <p>
              We have marked your request for a safety check, so the people hub will see it first and check in with you.
            </p>
          ) : (
            <p>You can still send this request. We will mark it for a safety check so the people hub sees it first.</p>
          )
        ) : afterSubmit ? (
          <p>We have logged your request and marked it as urgent, so the people hub will see it first.</p>
        ) : (
          <p>You can still send this request. We will mark it as urgent so the people hub sees it first.</p>
        )}
      </div>
    </div>
  );
}

/** The crisis numbers. `underHeading`: below an "If you need help now" heading, so not said twice. */
export function HelpNowInset({ underHeading = false }: { underHeading?: boolean }) {
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        {underHeading ? "Call" : "If you need help now, call"} <a href="tel:111">NHS 111</a> and select the mental
        health option (option 2), call Samaritans on <a href="tel:116123">116 123</a> or text SHOUT to{" "}
        <a href="sms:85258?body=SHOUT">85258</a>. In an emergency call <a href="tel:999">999</a>.
      </p>
    </div>
  );
}
