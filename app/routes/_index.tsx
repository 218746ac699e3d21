import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOptionalUser } from "~/.server/auth/session.server";
import { myOpenCheckIn } from "~/.server/models/check-ins.server";
import { getStayConversationOffer } from "~/.server/models/offers.server";
import { myRequestsWaitingOnMe } from "~/.server/models/requests.server";
import { CheckInCard } from "~/components/check-in-card";
import { StayConversationCard } from "~/components/stay-conversation-card";
import { WaitingForYourReply } from "~/components/waiting-for-reply";

export const meta: MetaFunction = () => [{ title: "StayWell – support for health and care staff" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  // Only the signed-in person's own requests (the model scopes by the caller).
  const [waiting, stayOffer, checkIn] = await Promise.all([
    user ? myRequestsWaitingOnMe(user) : { total: 0, references: [] },
    getStayConversationOffer(),
    // The signed-in person's own open first-year check-in (ADR 039), scoped by the model.
    user ? myOpenCheckIn(user) : null,
  ]);
  return { waiting, stayOffer, checkIn };
}

export default function Home() {
  const { waiting, stayOffer, checkIn } = useLoaderData<typeof loader>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <WaitingForYourReply total={waiting.total} references={waiting.references} />
        {checkIn ? <CheckInCard checkIn={checkIn} /> : null}
        <h1>Support for everyone who works in health and care in Staffordshire and Stoke-on-Trent</h1>
        <p className="nhsuk-lede-text">
          StayWell brings together the support on offer to staff of the NHS trusts, councils, care providers and GP
          practices of our Integrated Care System, and lets you ask for it in one place.
        </p>
        <p>You can:</p>
        <ul>
          <li>get free, confidential advice on money worries from Citizens Advice</li>
          <li>talk to the psychological wellbeing hub</li>
          <li>get fast-track physiotherapy for muscle and joint problems</li>
          <li>
            ask about flexible working or retire and return, or <Link to="/reservists">join the reservist bank</Link>
          </li>
          <li>talk to us in confidence if you are thinking about leaving</li>
          <li>find support for new starters, carers, menopause and more</li>
        </ul>
        <p>The people hub follows up every request. You can see what happens to yours, and who has looked at it.</p>
        <Link className="nhsuk-action-link" to="/support">
          <svg
            className="nhsuk-icon nhsuk-icon--arrow-right-circle"
            xmlns="http://www.w3.org/2000/svg"
            viewBox="0 0 24 24"
            width="36"
            height="36"
            focusable="false"
            aria-hidden="true"
          >
            <path d="M12 2a10 10 0 0 0-10 9h11.7l-4-4a1 1 0 0 1 1.5-1.4l5.6 5.7a1 1 0 0 1 0 1.4l-5.6 5.7a1 1 0 0 1-1.5 0 1 1 0 0 1 0-1.4l4-4H2A10 10 0 1 0 12 2z" />
          </svg>
          <span className="nhsuk-action-link__text">Find support</span>
        </Link>
        {stayOffer ? <StayConversationCard offer={stayOffer} /> : null}
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            If you need help now with your mental health, call NHS 111 and select option 2, call Samaritans on 116 123,
            or text SHOUT to 85258. In an emergency, call 999.
          </p>
        </div>
      </div>
    </div>
  );
}
