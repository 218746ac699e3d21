// /account/preferences: how the person would rather the people hub contacted them (a request form
// starts from it), and the emails they may turn off. Mail about their own requests and their
// account cannot be turned off; urgent and at-risk new requests always reach the team
// (docs/decisions/028-your-account.md).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { parseForm } from "~/.server/forms.server";
import { accountDetails, updatePreferences } from "~/.server/models/account.server";
import { canUseHub } from "~/.server/permissions.server";
import { Button, Checkbox, ErrorSummary, Fieldset, Radios, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { preferencesSchema } from "~/schemas/account";

export const meta: MetaFunction = () => [{ title: "Contact and emails – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [details, hub] = await Promise.all([accountDetails(user), canUseHub(user)]);
  return {
    prefs: {
      contactMethod: details.contactMethod ?? "",
      contactPhone: details.contactPhone ?? "",
      contactTimes: details.contactTimes ?? "",
      mailTeamNewRequests: details.mailTeamNewRequests,
      mailTeamActivity: details.mailTeamActivity,
      mailTeamDigest: details.mailTeamDigest,
      firstYearCheckIns: details.firstYearCheckIns,
    },
    hub,
    saved: new URL(request.url).searchParams.get("done") === "saved",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = await parseForm(request, preferencesSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  // Someone who does not work in the hub has no team emails: their choices stay as they were.
  const input = (await canUseHub(user))
    ? parsed.data
    : { ...parsed.data, mailTeamNewRequests: true, mailTeamActivity: true, mailTeamDigest: true };
  await updatePreferences(user, input);
  return redirect("/account/preferences?done=saved");
}

const CONTACT_ITEMS = [
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "teams", label: "Microsoft Teams" },
];

export default function Preferences() {
  const { prefs, hub, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(preferencesSchema, {
    defaultValues: prefs,
    actionData,
  });
  // After a refused form, a box is ticked as it was sent (an unticked box sends nothing).
  const sent = actionData?.values as Record<string, unknown> | undefined;
  const checked = (name: keyof typeof prefs) => (sent ? sent[name] === "on" : Boolean(prefs[name]));
  return (
    <>
      {saved ? <SuccessBanner>Your preferences have been saved</SuccessBanner> : null}
      <ErrorSummary errors={errors} order={["contactMethod", "contactPhone", "contactTimes"]} />
      <h1>Contact and emails</h1>
      <Form method="post" {...formProps}>
        <h2>How the people hub contacts you</h2>
        <p>A new request starts with these answers. You can change them on each request.</p>
        <Radios
          legend="How would you like to be contacted?"
          legendSize="s"
          error={errors.contactMethod}
          defaultValue={str(values.contactMethod)}
          items={CONTACT_ITEMS}
          {...register("contactMethod")}
        />
        <TextInput
          label="Phone number (optional unless you choose phone)"
          type="tel"
          autoComplete="tel"
          width={20}
          error={errors.contactPhone}
          defaultValue={str(values.contactPhone)}
          {...register("contactPhone")}
        />
        <TextInput
          label="Best times to contact you (optional)"
          hint="For example, weekday mornings, or after 4pm on Tuesdays"
          error={errors.contactTimes}
          defaultValue={str(values.contactTimes)}
          {...register("contactTimes")}
        />

        <h2>Emails</h2>
        <p>
          We always email you about your own requests (when there is a message or an update) and about your account
          (such as a password change). You cannot turn these off.
        </p>
        <Checkbox
          legend="First-year check-ins"
          legendSize="s"
          label="Send me first-year check-ins"
          hint="During your first year in post we ask how it is going a few times (such as after 4 weeks and 3 months), by email and on the home page."
          defaultChecked={checked("firstYearCheckIns")}
          {...register("firstYearCheckIns")}
        />
        {hub ? (
          <Fieldset legend="Emails about your people hub team's work" legendSize="s">
            <Checkbox
              label="New requests for my team"
              hint="Urgent and at-risk requests are always emailed to you, whatever you choose here."
              defaultChecked={checked("mailTeamNewRequests")}
              {...register("mailTeamNewRequests")}
            />
            <Checkbox
              label="Replies, withdrawals and ratings on requests I look after"
              hint="You still see them in the people hub."
              defaultChecked={checked("mailTeamActivity")}
              {...register("mailTeamActivity")}
            />
            <Checkbox
              label="The daily summary of overdue and unassigned requests"
              defaultChecked={checked("mailTeamDigest")}
              {...register("mailTeamDigest")}
            />
          </Fieldset>
        ) : null}
        <Button disabled={isSubmitting}>Save preferences</Button>
      </Form>
    </>
  );
}
