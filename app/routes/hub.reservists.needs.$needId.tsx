// /hub/reservists/needs/<id>: one need, its filled and open places, the people invited and their
// answers, and the reservists who match it, best fit first (never paused or unavailable people).
// The coordinator ticks who to invite, withdraws an unanswered invitation, or closes the need early
// (each a plain POST with an intent: works without JavaScript). The Reservist bank team only: 404
// for anyone else.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { readFormData } from "~/.server/forms.server";
import {
  closeNeed,
  inviteReservists,
  isReservistError,
  loadNeed,
  withdrawInvitation,
  type NeedState,
} from "~/.server/models/reservists.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { Button, ErrorSummary } from "~/components/fields";
import { formatDate } from "~/components/format";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { StackedTable } from "~/components/nhsuk/table";
import { INVITATIONS_PER_PLACE, needReasonLabel, registrationLabel, WEEK_DAYS } from "~/lib/reservists";
import { staffGroupLabel } from "~/lib/staff-groups";

export const meta: MetaFunction = () => [{ title: "Reservist need – People hub – StayWell" }];

const DONE: Record<string, string> = {
  posted: "The need has been posted.",
  invited: "Invitations sent.",
  withdrawn: "The invitation has been withdrawn.",
  closed: "The need has been closed. Its unanswered invitations have been withdrawn.",
};

function needIdOf(value: string | undefined) {
  if (!value || !/^\d{1,9}$/.test(value)) throw new Response(null, { status: 404 });
  return Number(value);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = needIdOf(params.needId);
  const result = await withDomainErrors(() => loadNeed(user, id));
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return { ...result, done: DONE[done] ?? null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = needIdOf(params.needId);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  try {
    if (intent === "withdraw") {
      const invitation = formData.get("invitation");
      const invitationId = typeof invitation === "string" && /^\d{1,9}$/.test(invitation) ? Number(invitation) : 0;
      await withDomainErrors(() => withdrawInvitation(user, id, invitationId));
      return redirect(`/hub/reservists/needs/${id}?done=withdrawn`);
    }
    if (intent === "close") {
      await withDomainErrors(() => closeNeed(user, id));
      return redirect(`/hub/reservists/needs/${id}?done=closed`);
    }
    const chosen = formData.getAll("invite").filter((v): v is string => typeof v === "string" && v.length <= 100);
    await withDomainErrors(() => inviteReservists(user, id, chosen));
  } catch (err) {
    if (isReservistError(err)) {
      return data(
        { errors: Object.keys(err.errors).length ? err.errors : { _form: err.message } },
        {
          status: err.code === "invalid" || err.code === "too_many" ? 400 : 409,
        },
      );
    }
    throw err;
  }
  return redirect(`/hub/reservists/needs/${id}?done=invited`);
}

const STATUS_WORDS = {
  invited: "Invited",
  accepted: "Accepted",
  declined: "Declined",
  withdrawn: "Withdrawn",
} as const;

const SHUT_WORDS: Record<Exclude<NeedState["shut"], null>, string> = {
  closed: "This need is closed: nobody more can be invited or accept.",
  ended: "This need's last date has passed: nobody more can be invited.",
  full: "Every place is filled: nobody more can be invited.",
};

function dayNames(days: string[]) {
  return WEEK_DAYS.filter((d) => days.includes(d.value))
    .map((d) => d.label)
    .join(", ");
}

export default function ReservistNeed() {
  const { need, state, matches, invitations, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const open = Math.max(0, need.placesWanted - need.filled);
  const invitable = state.shut || state.canInvite === 0 ? [] : matches.filter((m) => m.invitation === null);
  return (
    <>
      <div className="nhsuk-back-link">
        <Link className="nhsuk-back-link__link" to="/hub/reservists/needs">
          Back to reservist needs
        </Link>
      </div>
      {done ? <SuccessBanner>{done}</SuccessBanner> : null}
      {actionData?.errors ? <ErrorSummary errors={actionData.errors} /> : null}
      <span className="nhsuk-caption-l">Reservist need</span>
      <h1>
        {need.organisationName}: {need.place}
      </h1>
      <p className="nhsuk-body-l" id="need-places">
        {need.filled} of {need.placesWanted} {need.placesWanted === 1 ? "place" : "places"} filled, {open} open
      </p>
      <p id="need-invitations">
        {state.shut
          ? SHUT_WORDS[state.shut]
          : state.canInvite > 0
            ? `You can invite ${state.canInvite} more ${state.canInvite === 1 ? "person" : "people"}: up to ${INVITATIONS_PER_PLACE} for each place, counting unanswered and accepted invitations.`
            : `There are as many unanswered and accepted invitations as this need may have (${INVITATIONS_PER_PLACE} for each place). Wait for answers, or withdraw an invitation.`}
      </p>
      <SummaryList>
        <SummaryListRow label="Staff group">{staffGroupLabel(need.staffGroup)}</SummaryListRow>
        <SummaryListRow label="Registration needed">{registrationLabel(need.registrationBody)}</SummaryListRow>
        <SummaryListRow label="Roles and skills">{need.skills.map((s) => s.label).join(", ")}</SummaryListRow>
        <SummaryListRow label="Dates">
          {formatDate(need.startDate)} to {formatDate(need.endDate)}
        </SummaryListRow>
        <SummaryListRow label="Days">{need.days.length ? dayNames(need.days) : "Any day"}</SummaryListRow>
        <SummaryListRow label="Hours a week">{need.hoursPerWeek}</SummaryListRow>
        <SummaryListRow label="Why">{needReasonLabel(need.reason)}</SummaryListRow>
      </SummaryList>

      <h2>Invited</h2>
      {invitations.length ? (
        <StackedTable
          caption={`${invitations.length} invited`}
          className="staywell-whole-words"
          rowKey={(i) => i.id}
          firstCellIsHeader
          rows={invitations}
          columns={[
            { heading: "Name", cell: (i) => i.name ?? "Left the bank" },
            {
              heading: "Answer",
              cell: (i) => (i.cancelledAt ? "Accepted, then could no longer help" : STATUS_WORDS[i.status]),
            },
            { heading: "Invited", cell: (i) => formatDate(i.createdAt) },
            {
              heading: "Action",
              block: true,
              cell: (i) =>
                i.status === "invited" && need.closedAt === null ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="withdraw" />
                    <input type="hidden" name="invitation" value={i.id} />
                    <Button variant="secondary" className="nhsuk-u-margin-bottom-0">
                      Withdraw
                      <span className="nhsuk-u-visually-hidden"> the invitation to {i.name ?? "this person"}</span>
                    </Button>
                  </Form>
                ) : (
                  ""
                ),
            },
          ]}
        />
      ) : (
        <p>Nobody yet.</p>
      )}

      <h2>Reservists who match</h2>
      <p>
        Best fit first: matching roles, willing to work at {need.organisationName}, available for more of the dates
        {need.days.length ? " and days" : ""}, the same staff group and enough hours. Not shown: paused profiles, people
        not available on these dates{need.days.length ? " or on any of these days" : ""}, profiles not confirmed for
        over 3 months and 30 days, and people who have left without a confirmed personal email address.
      </p>
      {matches.length ? (
        <Form method="post">
          <StackedTable
            caption={`${matches.length} ${matches.length === 1 ? "match" : "matches"}`}
            className="staywell-whole-words staywell-stacked-left"
            rowKey={(m) => m.userId}
            rows={matches}
            columns={[
              {
                heading: "Invite",
                block: true,
                cell: (m) =>
                  m.invitation ? (
                    // The name stays: the row would otherwise not say who it is.
                    `${m.name}: ${STATUS_WORDS[m.invitation]}`
                  ) : !invitable.length ? (
                    m.name
                  ) : (
                    <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                      <div className="nhsuk-checkboxes__item">
                        <input
                          className="nhsuk-checkboxes__input"
                          id={`invite-${m.userId}`}
                          name="invite"
                          type="checkbox"
                          value={m.userId}
                        />
                        <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`invite-${m.userId}`}>
                          <span className="nhsuk-u-visually-hidden">Invite </span>
                          {m.name}
                        </label>
                      </div>
                    </div>
                  ),
              },
              {
                heading: "Fit",
                cell: (m) => (
                  <ul className="nhsuk-list nhsuk-u-font-size-16">
                    <li>Roles: {m.skillLabels.join(", ")}</li>
                    <li>{m.willing ? `Will work at ${need.organisationName}` : "Has not chosen this organisation"}</li>
                    <li>Available for {m.coverPercent}% of the dates</li>
                    <li>
                      {need.days.length ? "Can work" : "Works"}: {dayNames(m.days)}
                    </li>
                  </ul>
                ),
                block: true,
              },
              {
                // We do not check the regulators' registers: the person says what they hold.
                heading: "Registration (self-declared)",
                cell: (m) =>
                  m.registrationBody === "none" ? (
                    "Not registered"
                  ) : (
                    <>
                      {`${registrationLabel(m.registrationBody)} ${m.registrationNumber ?? ""}`}
                      {m.registrationShared ? (
                        // Numbers are not refused when already used (ADR 040): the coordinator is told here.
                        <p className="nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0" data-registration-shared="">
                          <strong className="nhsuk-tag nhsuk-tag--orange">Also given by another reservist</strong>{" "}
                          <span className="nhsuk-u-font-size-16">Check the register before inviting.</span>
                        </p>
                      ) : null}
                    </>
                  ),
              },
              { heading: "Staff group", cell: (m) => staffGroupLabel(m.staffGroup) },
              { heading: "Hours a week", numeric: true, cell: (m) => m.hoursPerWeek },
              { heading: "Current DBS check", cell: (m) => (m.dbsCurrent ? "Yes" : "No") },
            ]}
          />
          {invitable.length ? (
            <>
              <input type="hidden" name="intent" value="invite" />
              <Button>Invite the people ticked</Button>
            </>
          ) : null}
        </Form>
      ) : (
        <p>Nobody in the bank matches this need at the moment.</p>
      )}

      {need.closedAt === null ? (
        <>
          <h2>Close this need early</h2>
          <p>
            Nobody more can be invited or accept. Unanswered invitations are withdrawn; the people who accepted keep
            their places.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="close" />
            <Button variant="warning">Close this need</Button>
          </Form>
        </>
      ) : null}
    </>
  );
}
