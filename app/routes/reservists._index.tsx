// /reservists: the reservist bank (issue 14 part 2; docs/decisions/040-reservist-bank.md). Staff,
// people about to retire and people who have left (with a confirmed personal address) offer their
// time to organisations across Staffordshire and Stoke-on-Trent. A member sees their own profile,
// when it was last confirmed, and can confirm, pause, resume or leave; nobody else's is reachable.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { readFormData } from "~/.server/forms.server";
import {
  activeSkills,
  changeMyReservistStatus,
  leaveReservistBank,
  myReservistProfile,
  organisationChoices,
  reservistEligibility,
} from "~/.server/models/reservists.server";
import { saveProfileFromForm } from "~/.server/reservist-routes.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { Button } from "~/components/fields";
import { formatDate } from "~/components/format";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { ReservistProfileForm } from "~/components/reservist-profile-form";
import { matchedUntil, registrationLabel, WEEK_DAYS } from "~/lib/reservists";
import { staffGroupLabel } from "~/lib/staff-groups";
import { londonDate } from "~/lib/working-days";

export const meta: MetaFunction = () => [{ title: "Reservist bank – StayWell" }];

const DONE: Record<string, string> = {
  joined: "You have joined the reservist bank. Thank you.",
  updated: "Your details have been saved and confirmed.",
  confirmed: "Thank you. Your details are confirmed.",
  paused: "Your profile is paused. Nobody will ask you to help until you resume it.",
  resumed: "Your profile is active again.",
  left: "You have left the reservist bank. Your profile has been deleted.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const profile = await myReservistProfile(user);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  const [eligibility, skills, organisations] = profile
    ? [await reservistEligibility(user), [], []]
    : await Promise.all([reservistEligibility(user), activeSkills(), organisationChoices()]);
  // Matching leaves out a profile past its confirmation grace (ADR 040 addendum): say so here.
  const until = profile ? matchedUntil(profile.lastConfirmedAt) : null;
  const today = londonDate(new Date());
  const notOffered = !profile
    ? null
    : until !== null && until < today
      ? ("unconfirmed" as const)
      : !eligibility.eligible
        ? ("unreachable" as const)
        : null;
  return {
    profile,
    eligibility,
    skills,
    organisations,
    notOffered,
    matchedUntil: until,
    confirmOverdue: profile ? profile.confirmDueOn <= today : false,
    done: DONE[done] ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "pause" || intent === "resume" || intent === "confirm") {
    await withDomainErrors(() => changeMyReservistStatus(user, intent));
    return redirect(`/reservists?done=${intent === "confirm" ? "confirmed" : `${intent}d`}`);
  }
  if (intent === "leave") {
    // Deleting is final, so the first POST only asks; the second (confirm=yes) deletes.
    if (formData.get("confirm") !== "yes") return { confirmLeave: true as const };
    await leaveReservistBank(user);
    return redirect("/reservists?done=left");
  }
  return saveProfileFromForm(user, formData);
}

/** The second step of leaving: what is deleted, then leave (confirm=yes) or cancel. */
function ConfirmLeave() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Are you sure you want to leave the reservist bank?</h1>
        <div className="nhsuk-warning-callout" id="leave-warning">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Your profile will be deleted
            </span>
          </h2>
          <p>
            Your registration, staff group, roles and skills, organisations, days, hours, dates and DBS answer are
            deleted straight away and cannot be brought back. Needs you agreed to help with keep only that a place was
            filled.
          </p>
          <p>You can join again at any time.</p>
        </div>
        <Form method="post">
          <input type="hidden" name="intent" value="leave" />
          <input type="hidden" name="confirm" value="yes" />
          <div className="nhsuk-button-group">
            <Button variant="warning">Yes, leave and delete my profile</Button>
            <Link className="nhsuk-link" to="/reservists">
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}

function dayNames(days: string[]) {
  return WEEK_DAYS.filter((d) => days.includes(d.value))
    .map((d) => d.label)
    .join(", ");
}

export default function Reservists() {
  const { profile, eligibility, skills, organisations, notOffered, matchedUntil, confirmOverdue, done } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (profile && actionData && "confirmLeave" in actionData) return <ConfirmLeave />;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {done ? <SuccessBanner>{done}</SuccessBanner> : null}
        <h1>Reservist bank</h1>
        {profile && notOffered ? (
          <div className="nhsuk-warning-callout" id="not-offered">
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                You are not being offered shifts
              </span>
            </h2>
            {notOffered === "unconfirmed" ? (
              <p>
                You have not confirmed your details for more than 3 months. Confirm them below (or change them) to be
                offered shifts again.
              </p>
            ) : (
              <p>
                You have left your job and we have no confirmed personal email address for you. Confirm one on the{" "}
                <Link to="/leaving">leaving page</Link> to be offered shifts again.
              </p>
            )}
          </div>
        ) : profile && confirmOverdue && matchedUntil ? (
          <div className="nhsuk-inset-text" id="confirm-due">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              Please confirm your details. If you do not confirm them by {formatDate(matchedUntil)}, you will not be
              offered shifts until you do.
            </p>
          </div>
        ) : null}
        {profile ? (
          <>
            {profile.contactEmail === null ? (
              // The address is worked out when mail is sent (ADR 040 addendum): after leaving, only a
              // verified personal one whose consent stands. Without it nobody can invite them.
              <div className="nhsuk-warning-callout" id="no-contact-address">
                <h2 className="nhsuk-warning-callout__label">
                  <span role="text">
                    <span className="nhsuk-u-visually-hidden">Important: </span>
                    No contact address
                  </span>
                </h2>
                <p>
                  You have left, and we have no personal email address you have confirmed, so the reservist bank team
                  cannot invite you and we send you no reminders. To be invited again, confirm a personal email address
                  on the <Link to="/leaving">leaving page</Link>.
                </p>
              </div>
            ) : null}
            <p>
              {profile.pausedAt
                ? "Your profile is paused: the reservist bank team cannot see or invite you."
                : "The reservist bank team can invite you when a need matches your roles, organisations and dates."}{" "}
              <Link to="/reservists/invitations">See your invitations</Link>.
            </p>
            <SummaryList>
              <SummaryListRow label="Status">
                {profile.pausedAt ? "Paused" : profile.contactEmail === null ? "No contact address" : "Active"}
              </SummaryListRow>
              <SummaryListRow label="Last confirmed">
                {formatDate(profile.lastConfirmedAt)} (next due {formatDate(profile.confirmDueOn)})
              </SummaryListRow>
              <SummaryListRow label="Registration">
                {registrationLabel(profile.registrationBody)}
                {profile.registrationNumber ? ` ${profile.registrationNumber}` : ""}
              </SummaryListRow>
              <SummaryListRow label="Staff group">{staffGroupLabel(profile.staffGroup)}</SummaryListRow>
              <SummaryListRow label="Roles">{profile.skills.map((s) => s.label).join(", ")}</SummaryListRow>
              <SummaryListRow label="Organisations">
                {profile.organisations.map((o) => o.label).join(", ")}
              </SummaryListRow>
              <SummaryListRow label="Hours a week">{profile.hoursPerWeek}</SummaryListRow>
              <SummaryListRow label="Days">{dayNames(profile.days)}</SummaryListRow>
              <SummaryListRow label="Available">
                from {formatDate(profile.availableFrom)}
                {profile.availableUntil ? ` until ${formatDate(profile.availableUntil)}` : ""}
              </SummaryListRow>
              <SummaryListRow label="Current DBS check">{profile.dbsCurrent ? "Yes" : "No"}</SummaryListRow>
              <SummaryListRow label="We email you at">{profile.contactEmail ?? "No contact address"}</SummaryListRow>
            </SummaryList>
            <p>
              <Link to="/reservists/profile">Change your details</Link>
            </p>
            <div className="nhsuk-button-group">
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <Button>My details are still right</Button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value={profile.pausedAt ? "resume" : "pause"} />
                <Button variant="secondary">{profile.pausedAt ? "Resume my profile" : "Pause my profile"}</Button>
              </Form>
            </div>
            <h2>Leave the reservist bank</h2>
            <p>
              Your profile is deleted. You will be asked to confirm first. Needs you agreed to help with keep only that
              a place was filled.
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="leave" />
              <Button variant="warning">Leave the reservist bank</Button>
            </Form>
          </>
        ) : eligibility && !eligibility.eligible ? (
          <p>
            You have left your job. To join the reservist bank, first confirm a personal email address we can contact
            you at, on the <Link to="/leaving">leaving page</Link>: your work address will stop working.
          </p>
        ) : (
          <>
            <p>
              Offer your time where it is most needed across Staffordshire and Stoke-on-Trent: winter pressure,
              vaccination clinics, cover during industrial action. Staff, people about to retire and people who have
              retired or left can join. You choose where, when and how much; you can pause or leave at any time.
            </p>
            <p>
              Only the reservist bank team sees your profile, to match you to needs. We will ask you to confirm it every
              3 months.
            </p>
            <ReservistProfileForm
              skills={skills}
              organisations={organisations}
              actionData={actionData}
              submitLabel="Join the reservist bank"
            />
          </>
        )}
      </div>
    </div>
  );
}
