// /hub/reservists/needs/new: the Reservist bank team posts a need (404 for anyone else).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { formDataToObject, parseForm, readFormData } from "~/.server/forms.server";
import { activeSkills, createNeed, isReservistError, organisationChoices } from "~/.server/models/reservists.server";
import { requireReservistCoordinator } from "~/.server/permissions.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { Button, Checkboxes, DateInput, ErrorSummary, Radios, str, strs, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { Select } from "~/components/nhsuk/select";
import { RESERVIST_NEED_REASONS, RESERVIST_REGISTRATION_BODIES, WEEK_DAYS } from "~/lib/reservists";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { reservistNeedSchema } from "~/schemas/reservists";

export const meta: MetaFunction = () => [{ title: "Post a need – Reservist bank – People hub – StayWell" }];

const ORDER = [
  "organisationId",
  "place",
  "staffGroup",
  "registrationBody",
  "skills",
  "startDate",
  "endDate",
  "days",
  "hoursPerWeek",
  "placesWanted",
  "reason",
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await withDomainErrors(() => requireReservistCoordinator(user));
  const [skills, organisations] = await Promise.all([activeSkills(), organisationChoices()]);
  return { skills, organisations };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await withDomainErrors(() => requireReservistCoordinator(user));
  const formData = await readFormData(request);
  const parsed = await parseForm(formData, reservistNeedSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const id = await withDomainErrors(() => createNeed(user, parsed.data));
    return redirect(`/hub/reservists/needs/${id}?done=posted`);
  } catch (err) {
    if (isReservistError(err)) {
      return data({ errors: err.errors, values: formDataToObject(formData, reservistNeedSchema) }, { status: 400 });
    }
    throw err;
  }
}

export default function NewReservistNeed() {
  const { skills, organisations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(reservistNeedSchema, {
    actionData,
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-back-link">
          <Link className="nhsuk-back-link__link" to="/hub/reservists/needs">
            Back to reservist needs
          </Link>
        </div>
        <ErrorSummary errors={errors} order={ORDER} />
        <h1>Post a need</h1>
        <Form method="post" {...formProps}>
          <Select
            label="Organisation"
            error={errors.organisationId}
            defaultValue={str(values.organisationId)}
            options={[
              { value: "", label: "Choose an organisation" },
              ...organisations.map((o) => ({ value: String(o.id), label: o.label })),
            ]}
            {...register("organisationId")}
          />
          <TextInput
            label="Place"
            hint="For example, a ward, clinic or site."
            error={errors.place}
            defaultValue={str(values.place)}
            {...register("place")}
          />
          <Radios
            legend="Staff group"
            error={errors.staffGroup}
            defaultValue={str(values.staffGroup)}
            small
            items={STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label }))}
            {...register("staffGroup")}
          />
          <Select
            label="Registration needed"
            hint="Only people with this registration are matched."
            error={errors.registrationBody}
            defaultValue={str(values.registrationBody)}
            options={[
              { value: "", label: "None needed" },
              ...RESERVIST_REGISTRATION_BODIES.filter((b) => b.value !== "none").map((b) => ({
                value: b.value,
                label: b.label,
              })),
            ]}
            {...register("registrationBody")}
          />
          <Checkboxes
            legend="Roles and skills"
            hint="Select all that would do."
            error={errors.skills}
            defaultValues={strs(values.skills)}
            small
            items={skills.map((s) => ({ value: String(s.id), label: s.label }))}
            {...register("skills")}
          />
          <DateInput
            legend="First date"
            error={errors.startDate}
            defaultValue={str(values.startDate)}
            {...register("startDate")}
          />
          <DateInput
            legend="Last date"
            error={errors.endDate}
            defaultValue={str(values.endDate)}
            {...register("endDate")}
          />
          <Checkboxes
            legend="Days needed (optional)"
            hint="Only people who can work at least one of these days are matched. Leave empty for any day."
            error={errors.days}
            defaultValues={strs(values.days)}
            small
            items={WEEK_DAYS.map((d) => ({ value: d.value, label: d.label }))}
            {...register("days")}
          />
          <TextInput
            label="Hours a week"
            width={3}
            inputMode="numeric"
            error={errors.hoursPerWeek}
            defaultValue={str(values.hoursPerWeek)}
            {...register("hoursPerWeek")}
          />
          <TextInput
            label="How many people are needed?"
            width={3}
            inputMode="numeric"
            error={errors.placesWanted}
            defaultValue={str(values.placesWanted)}
            {...register("placesWanted")}
          />
          <Radios
            legend="Why is it needed?"
            error={errors.reason}
            defaultValue={str(values.reason)}
            small
            items={RESERVIST_NEED_REASONS.map((r) => ({ value: r.value, label: r.label }))}
            {...register("reason")}
          />
          <Button disabled={isSubmitting}>Post the need</Button>
        </Form>
      </div>
    </div>
  );
}
