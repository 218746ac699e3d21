// /reservists/profile: change (and so confirm) the caller's own reservist profile. Nobody else's:
// the profile is the caller's, found by their id.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { readFormData } from "~/.server/forms.server";
import { activeSkills, myReservistProfile, organisationChoices } from "~/.server/models/reservists.server";
import { saveProfileFromForm } from "~/.server/reservist-routes.server";
import { ReservistProfileForm } from "~/components/reservist-profile-form";

export const meta: MetaFunction = () => [{ title: "Change your details – Reservist bank – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const profile = await myReservistProfile(user);
  if (!profile) throw redirect("/reservists");
  const [skills, organisations] = await Promise.all([activeSkills(), organisationChoices()]);
  const defaults = {
    registrationBody: profile.registrationBody,
    registrationNumber: profile.registrationNumber ?? "",
    staffGroup: profile.staffGroup,
    skills: profile.skills.map((s) => String(s.id)),
    organisations: profile.organisations.map((o) => String(o.id)),
    hoursPerWeek: String(profile.hoursPerWeek),
    days: profile.days,
    availableFrom: profile.availableFrom,
    availableUntil: profile.availableUntil ?? "",
    dbsCurrent: profile.dbsCurrent ? "yes" : "no",
  };
  return { skills, organisations, defaults };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  return saveProfileFromForm(user, await readFormData(request));
}

export default function ReservistProfilePage() {
  const { skills, organisations, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-back-link">
          <Link className="nhsuk-back-link__link" to="/reservists">
            Back to the reservist bank
          </Link>
        </div>
        <h1>Change your details</h1>
        <p>Saving also confirms your details are up to date.</p>
        <ReservistProfileForm
          skills={skills}
          organisations={organisations}
          actionData={actionData}
          defaultValues={defaults}
          submitLabel="Save and confirm"
        />
      </div>
    </div>
  );
}
