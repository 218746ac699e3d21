// /admin/check-ins: when first-year check-ins are sent, after the start date in post (ADR 039).
// Administrators add points and stop or restart them; each change is in the audit log. Check-ins
// already sent at a stopped point stay (and keep counting in the insights).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { addCheckInPoint, listCheckInPoints, setCheckInPointActive } from "~/.server/models/check-ins.server";
import { AdminList } from "~/components/admin-list";
import { Button, ErrorSummary, Radios, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { checkInPointSchema } from "~/schemas/check-in-point";

export const meta: MetaFunction = () => [{ title: "First-year check-ins – Administration – StayWell" }];

const DONE = {
  added: "The check-in point has been added.",
  stopped: "That check-in is no longer sent.",
  started: "That check-in is sent again.",
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const done = new URL(request.url).searchParams.get("done");
  return { points: await listCheckInPoints(user), done: done && done in DONE ? (done as keyof typeof DONE) : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const values = { amount: str(formData.get("amount")) ?? "", unit: str(formData.get("unit")) ?? "" };
  try {
    if (intent === "stop" || intent === "start") {
      await setCheckInPointActive(user, formData.get("id"), intent === "start");
      throw redirect(`/admin/check-ins?done=${intent === "start" ? "started" : "stopped"}`);
    }
    const parsed = await parseForm(formData, checkInPointSchema);
    if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
    await addCheckInPoint(user, parsed.data);
    throw redirect("/admin/check-ins?done=added");
  } catch (err) {
    if (err instanceof Response) throw err;
    return adminErrorResponse(err, values);
  }
}

export default function AdminCheckIns() {
  const { points, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(checkInPointSchema, {
    defaultValues: { amount: "", unit: "" },
    actionData,
  });
  return (
    <>
      {done && !actionData ? <SuccessBanner>{DONE[done]}</SuccessBanner> : null}
      <ErrorSummary errors={errors} order={["amount", "unit"]} />
      <h1>First-year check-ins</h1>
      <p>
        Everyone whose start date in post is less than 12 months ago is asked “How is your first year going?” at each of
        these points after their start date, by email and on their home page, until they answer or 21 days pass. Someone
        who joins StayWell part-way through their first year gets the next check-in that falls due, not the ones they
        missed. People can turn check-ins off in their account.
      </p>
      <AdminList
        caption="Check-in points"
        rows={points}
        columns={[
          { heading: "After the start date", cell: (p) => p.label },
          { heading: "Sent", cell: (p) => (p.active ? "Yes" : "No (stopped)") },
        ]}
        action={(p) => ({
          intent: p.active ? "stop" : "start",
          label: p.active ? "Stop sending" : "Send again",
          hiddenLabel: `the ${p.label} check-in`,
        })}
      />
      <h2>Add a check-in point</h2>
      <Form method="post" {...formProps}>
        <TextInput
          label="How long after the start date"
          hint="A whole number, for example 2"
          inputMode="numeric"
          width={3}
          error={errors.amount}
          defaultValue={str(values.amount)}
          {...register("amount")}
        />
        <Radios
          legend="Weeks or months"
          legendSize="s"
          inline
          error={errors.unit}
          defaultValue={str(values.unit)}
          items={[
            { value: "weeks", label: "Weeks" },
            { value: "months", label: "Months" },
          ]}
          {...register("unit")}
        />
        <Button disabled={isSubmitting} name="intent" value="add">
          Add check-in point
        </Button>
      </Form>
    </>
  );
}
