// "You already have an open request for …": the warning before a second request for the same
// offer (issue 9, part 4), on the request form, the offer page and the confirmation. Only the
// person's own request: its reference, when it was sent and its status, never what they wrote.
import { Link } from "@remix-run/react";
import { forwardRef } from "react";
import { formatDate } from "~/components/format";
import { statusLabel } from "~/components/status-tag";

/** What the loader sends (dates arrive as strings after serialisation). */
export interface OpenRequestView {
  reference: string;
  status: string;
  submittedAt: Date | string;
  offerTitle: string;
}

function describe(openRequest: OpenRequestView) {
  return (
    <>
      You already have an open request for {openRequest.offerTitle} ({openRequest.reference}, sent{" "}
      {formatDate(openRequest.submittedAt)}, status: {statusLabel(openRequest.status).toLowerCase()}).
    </>
  );
}

function linkTo(openRequest: OpenRequestView) {
  return `/my/requests/${encodeURIComponent(openRequest.reference)}`;
}

/** Top of the request form: NHS.UK warning callout, with a link, and "you can still send". */
export const OpenRequestWarning = forwardRef<
  HTMLDivElement,
  {
    openRequest: OpenRequestView;
    refused: boolean;
    /** The psychological form: never discourage someone who may be at risk from sending. */
    safetyForm?: boolean;
  }
>(function OpenRequestWarning({ openRequest, refused, safetyForm = false }, ref) {
  return (
    <div className="nhsuk-warning-callout" id="open-request" data-testid="open-request-warning" ref={ref} tabIndex={-1}>
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          You already have an open request
        </span>
      </h2>
      <p>
        Your request for {openRequest.offerTitle} ({openRequest.reference}, sent {formatDate(openRequest.submittedAt)})
        is still open. Status: {statusLabel(openRequest.status).toLowerCase()}.
      </p>
      <p>
        <Link to={linkTo(openRequest)}>View your open request {openRequest.reference}</Link>. You can add to it by
        sending the people hub a message there.
      </p>
      {refused ? (
        <p>
          <strong>We have not sent this request yet.</strong> Your answers are below. If you still want to make a new
          request, check them and select &lsquo;Send request&rsquo;.
        </p>
      ) : (
        <p>You can still send a new request if it is about something different.</p>
      )}
      {safetyForm ? (
        <p>If you do not feel safe, or you are not sure, send this request: it goes to the people hub at once.</p>
      ) : null}
    </div>
  );
});

/** The offer page, next to "Request this support". */
export function OpenRequestNotice({ openRequest }: { openRequest: OpenRequestView }) {
  return (
    <div className="nhsuk-inset-text" id="open-request" data-testid="open-request-notice">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{describe(openRequest)}</p>
      <p>
        <Link to={linkTo(openRequest)}>View your open request {openRequest.reference}</Link>
      </p>
    </div>
  );
}

/** The confirmation of a request sent while another for the same offer was open. */
export function AlsoOpenNotice({ openRequest }: { openRequest: OpenRequestView }) {
  return (
    <div className="nhsuk-inset-text" id="open-request" data-testid="also-open-notice">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        You also have an open request for {openRequest.offerTitle}:{" "}
        <Link to={linkTo(openRequest)}>{openRequest.reference}</Link>, sent {formatDate(openRequest.submittedAt)}. The
        people hub can see both.
      </p>
    </div>
  );
}
