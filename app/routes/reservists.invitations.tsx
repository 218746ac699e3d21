// /reservists/invitations: the caller's own invitations from the reservist bank team, to accept or
// decline. Another person's invitation is "not found" (404), like one that does not exist.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { readFormData } from "~/.server/forms.server";
import { answerInvitation, isReservistError, myInvitations } from "~/.server/models/reservists.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { Button, ErrorSummary } from "~/components/fields";
import { formatDate } from "~/components/format";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { needReasonLabel } from "~/lib/reservists";

export const meta: MetaFunction = () => [{ title: "Your invitations – Reservist bank – StayWell" }];

const DONE: Record<string, string> = {
  accepted: "Thank you. You have accepted. The reservist bank team will be in touch with the details.",
  declined: "You have declined the invitation.",
  cancelled: "You have given the place back. The reservist bank team has been told, so they can ask someone else.",
};

const STATUS_WORDS = {
  invited: "Waiting for your answer",
  accepted: "Accepted",
  declined: "Declined",
  withdrawn: "Withdrawn by the reservist bank team: you do not need to answer",
} as const;

// An unanswered invitation that can no longer be accepted (answerInvitation refuses it too).
const CLOSED_WORDS = {
  ended: "No longer open: this need has ended",
  paused: "Not open while your profile is paused: resume it on the reservist bank page to accept",
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return { invitations: await myInvitations(user), done: DONE[done] ?? null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const answer = formData.get("answer");
  const id = Number(formData.get("invitation"));
  if (answer !== "accept" && answer !== "decline" && answer !== "cancel") {
    return data({ error: "Choose whether to accept or decline" }, { status: 400 });
  }
  try {
    await withDomainErrors(() => answerInvitation(user, id, answer));
  } catch (err) {
    if (isReservistError(err)) return data({ error: err.message }, { status: 409 });
    throw err;
  }
  const done = { accept: "accepted", decline: "declined", cancel: "cancelled" } as const;
  return redirect(`/reservists/invitations?done=${done[answer]}`);
}

export default function ReservistInvitations() {
  const { invitations, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-back-link">
          <Link className="nhsuk-back-link__link" to="/reservists">
            Back to the reservist bank
          </Link>
        </div>
        {done ? <SuccessBanner>{done}</SuccessBanner> : null}
        {actionData?.error ? <ErrorSummary errors={[{ text: actionData.error }]} /> : null}
        <h1>Your invitations</h1>
        {invitations.length === 0 ? (
          <p>You have no invitations yet. We will email you when the reservist bank team invites you.</p>
        ) : (
          invitations.map((inv) => (
            <div className="nhsuk-card" key={inv.id}>
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-m">
                  {inv.organisationName}: {inv.place}
                </h2>
                <SummaryList>
                  <SummaryListRow label="Dates">
                    {formatDate(inv.startDate)} to {formatDate(inv.endDate)}
                  </SummaryListRow>
                  <SummaryListRow label="Hours a week">{inv.hoursPerWeek}</SummaryListRow>
                  <SummaryListRow label="Why">{needReasonLabel(inv.reason)}</SummaryListRow>
                  <SummaryListRow label="Your answer">
                    {inv.closedReason
                      ? CLOSED_WORDS[inv.closedReason]
                      : inv.cancelledAt
                        ? "You accepted, then told the team you can no longer help"
                        : STATUS_WORDS[inv.status]}
                  </SummaryListRow>
                </SummaryList>
                {inv.status === "invited" && inv.closedReason !== "ended" ? (
                  <Form method="post" className="nhsuk-button-group">
                    <input type="hidden" name="invitation" value={inv.id} />
                    {inv.closedReason === "paused" ? null : (
                      <Button name="answer" value="accept">
                        Accept
                      </Button>
                    )}
                    <Button name="answer" value="decline" variant="secondary">
                      Decline
                    </Button>
                  </Form>
                ) : null}
                {inv.canCancel ? (
                  <Form method="post">
                    <input type="hidden" name="invitation" value={inv.id} />
                    <p className="nhsuk-body-s">
                      If you can no longer help, give the place back so the team can ask someone else.
                    </p>
                    <Button name="answer" value="cancel" variant="secondary">
                      I can no longer help
                    </Button>
                  </Form>
                ) : null}
              </div>
            </div>
          ))
        )}
      </div>
    </div>
  );
}
