// /admin/teams/new: create a people hub team. Its slug is made from the name now and never changes.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { createTeam } from "~/.server/models/admin/teams.server";
import { Button, ErrorSummary, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { teamNameSchema } from "~/schemas/admin-teams";

export const meta: MetaFunction = () => [{ title: "Create a team – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const name = formData.get("name");
  const values = { name: typeof name === "string" ? name : "" };
  const parsed = await parseForm(formData, teamNameSchema);
  if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
  let created: { id: number };
  try {
    created = await createTeam(user, parsed.data);
  } catch (err) {
    return adminErrorResponse(err, values);
  }
  throw redirect(`/admin/teams/${created.id}?done=created`);
}

export default function NewTeam() {
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(teamNameSchema, {
    defaultValues: { name: "" },
    actionData,
  });
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/teams">
          Back to hub teams
        </Link>
      </nav>
      <ErrorSummary errors={errors} />
      <h1>Create a team</h1>
      <p>Next you can add coordinators to the team and choose which support offers it handles.</p>
      <Form method="post" {...formProps}>
        <TextInput
          label="Team name"
          hint="For example, MSK and occupational health"
          autoComplete="off"
          error={errors.name}
          defaultValue={str(values.name)}
          {...register("name")}
        />
        <Button disabled={isSubmitting}>Create team</Button>
      </Form>
    </>
  );
}
