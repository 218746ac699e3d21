// /admin/reservist-skills: the roles and skills reservists offer and needs ask for (issue 14 part 2).
// Administrators add, retire and restore them; every change is in the audit log.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { isAdminError } from "~/.server/models/admin/common.server";
import {
  addReservistSkill,
  listReservistSkills,
  setReservistSkillRetired,
} from "~/.server/models/admin/reservist-skills.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { Button, ErrorSummary, str, TextInput } from "~/components/fields";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { StackedTable } from "~/components/nhsuk/table";
import { reservistSkillSchema } from "~/schemas/reservists";

export const meta: MetaFunction = () => [{ title: "Reservist roles and skills – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const done = new URL(request.url).searchParams.get("done");
  return { skills: await withDomainErrors(() => listReservistSkills(user)), done: done === "saved" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "retire" || intent === "restore") {
    await withDomainErrors(() => setReservistSkillRetired(user, Number(formData.get("skill")), intent === "retire"));
    return redirect("/admin/reservist-skills?done=saved");
  }
  const parsed = await parseForm(formData, reservistSkillSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    await withDomainErrors(() => addReservistSkill(user, parsed.data.label));
  } catch (err) {
    if (isAdminError(err, "invalid"))
      return data({ errors: err.errors, values: { label: parsed.data.label } }, { status: 400 });
    throw err;
  }
  return redirect("/admin/reservist-skills?done=saved");
}

export default function AdminReservistSkills() {
  const { skills, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  return (
    <>
      {done ? <SuccessBanner>Saved.</SuccessBanner> : null}
      <ErrorSummary errors={errors} />
      <h1>Reservist roles and skills</h1>
      <p>
        The list reservists choose from when they join the reservist bank, and the reservist bank team when it posts a
        need. Retiring one stops it being offered; people and needs that have it keep it.
      </p>
      <StackedTable
        caption="Roles and skills"
        rowKey={(s) => s.id}
        firstCellIsHeader
        rows={skills}
        columns={[
          { heading: "Role or skill", cell: (s) => s.label },
          { heading: "Reservists", numeric: true, cell: (s) => s.profiles },
          { heading: "Status", cell: (s) => (s.retired ? "Retired" : "Offered") },
          {
            heading: "Action",
            headingHidden: true,
            block: true,
            cell: (s) => (
              <Form method="post">
                <input type="hidden" name="skill" value={s.id} />
                <input type="hidden" name="intent" value={s.retired ? "restore" : "retire"} />
                <Button variant="secondary" small>
                  {s.retired ? "Restore" : "Retire"}
                  <span className="nhsuk-u-visually-hidden"> {s.label}</span>
                </Button>
              </Form>
            ),
          },
        ]}
      />
      <h2>Add a role or skill</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="add" />
        <TextInput
          name="label"
          label="Role or skill"
          error={errors.label}
          defaultValue={str(actionData?.values?.label)}
        />
        <Button>Add</Button>
      </Form>
    </>
  );
}
