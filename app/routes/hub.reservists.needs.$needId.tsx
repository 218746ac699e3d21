// /hub/reservists/needs/<id>: one need, its filled and open places, the people invited and their
// answers, and the reservists who match it, best fit first (never paused or unavailable people).
// The coordinator ticks who to invite. The Reservist bank team only: 404 for anyone else.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { readFormData } from "~/.server/forms.server";
import { inviteReservists, isReservistError, loadNeed } from "~/.server/models/reservists.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { Button, ErrorSummary } from "~/components/fields";
import { formatDate } from "~/components/format";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { StackedTable } from "~/components/nhsuk/table";
import { needReasonLabel, registrationLabel } from "~/lib/reservists";
import { staffGroupLabel } from "~/lib/staff-groups";

export const meta: MetaFunction = () => [{ title: "Reservist need – People hub – StayWell" }];

const DONE: Record<string, string> = {
  posted: "The need has been posted.",
  invited: "Invitations sent.",
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
  const chosen = formData.getAll("invite").filter((v): v is string => typeof v === "string" && v.length <= 100);
  try {
    await withDomainErrors(() => inviteReservists(user, id, chosen));
  } catch (err) {
    if (isReservistError(err)) return data({ errors: err.errors }, { status: 400 });
    throw err;
  }
  return redirect(`/hub/reservists/needs/${id}?done=invited`);
}

const STATUS_WORDS = { invited: "Invited", accepted: "Accepted", declined: "Declined" } as const;

export default function ReservistNeed() {
  const { need, matches, invitations, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const open = Math.max(0, need.placesWanted - need.filled);
  const invitable = matches.filter((m) => m.invitation === null);
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
      <SummaryList>
        <SummaryListRow label="Staff group">{staffGroupLabel(need.staffGroup)}</SummaryListRow>
        <SummaryListRow label="Registration needed">{registrationLabel(need.registrationBody)}</SummaryListRow>
        <SummaryListRow label="Roles and skills">{need.skills.map((s) => s.label).join(", ")}</SummaryListRow>
        <SummaryListRow label="Dates">
          {formatDate(need.startDate)} to {formatDate(need.endDate)}
        </SummaryListRow>
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
            { heading: "Answer", cell: (i) => STATUS_WORDS[i.status] },
            { heading: "Invited", cell: (i) => formatDate(i.createdAt) },
          ]}
        />
      ) : (
        <p>Nobody yet.</p>
      )}

      <h2>Reservists who match</h2>
      <p>
        Best fit first: matching roles, willing to work at {need.organisationName}, available for more of the dates, the
        same staff group and enough hours. Paused profiles and people not available on these dates are not shown.
      </p>
      {matches.length ? (
        <Form method="post">
          <StackedTable
            caption={`${matches.length} ${matches.length === 1 ? "match" : "matches"}`}
            className="staywell-whole-words"
            rowKey={(m) => m.userId}
            rows={matches}
            columns={[
              {
                heading: "Invite",
                block: true,
                cell: (m) =>
                  m.invitation ? (
                    STATUS_WORDS[m.invitation]
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
                  </ul>
                ),
                block: true,
              },
              {
                // We do not check the regulators' registers: the person says what they hold.
                heading: "Registration (self-declared)",
                cell: (m) =>
                  m.registrationBody === "none"
                    ? "Not registered"
                    : `${registrationLabel(m.registrationBody)} ${m.registrationNumber ?? ""}`,
              },
              { heading: "Staff group", cell: (m) => staffGroupLabel(m.staffGroup) },
              { heading: "Hours a week", numeric: true, cell: (m) => m.hoursPerWeek },
              { heading: "Current DBS check", cell: (m) => (m.dbsCurrent ? "Yes" : "No") },
            ]}
          />
          {invitable.length ? <Button>Invite the people ticked</Button> : null}
        </Form>
      ) : (
        <p>Nobody in the bank matches this need at the moment.</p>
      )}
    </>
  );
}
