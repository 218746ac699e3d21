// /admin/organisations/new: add a partner organisation (name, type, email domains, headcount).
import { redirect, data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { createOrganisation } from "~/.server/models/admin/organisations.server";
import { OrganisationFields } from "~/components/admin-organisation-fields";
import { Button, ErrorSummary } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { newOrganisationSchema } from "~/schemas/admin-organisations";

export const meta: MetaFunction = () => [{ title: "Add an organisation – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

function typedValues(formData: FormData) {
  const values: Record<string, unknown> = {};
  for (const key of ["name", "shortName", "esrCode", "type", "domains", "headcount"]) {
    const value = formData.get(key);
    if (typeof value === "string") values[key] = value;
  }
  return values;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const values = typedValues(formData);
  const parsed = await parseForm(formData, newOrganisationSchema);
  if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
  let created: { id: number };
  try {
    created = await createOrganisation(user, parsed.data);
  } catch (err) {
    return adminErrorResponse(err, values);
  }
  throw redirect(`/admin/organisations/${created.id}?created=1`);
}

const ORDER = ["name", "shortName", "esrCode", "type", "domains", "headcount"];

export default function NewOrganisation() {
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(newOrganisationSchema, {
    defaultValues: { name: "", shortName: "", esrCode: "", type: "", domains: "", headcount: "" },
    actionData,
  });
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/organisations">
          Back to organisations
        </Link>
      </nav>
      <ErrorSummary errors={errors} order={ORDER} />
      <h1>Add an organisation</h1>
      <Form method="post" {...formProps}>
        <OrganisationFields register={register} errors={errors} values={values} editing={false} />
        <Button disabled={isSubmitting}>Add organisation</Button>
      </Form>
    </>
  );
}
