// /account: your details (name, staff group, job title, start date) and a change of employer
// (a new work address, confirmed by a link mailed to it: docs/decisions/028-your-account.md).
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { clientOf } from "~/.server/auth/throttle.server";
import { ACCOUNT_FLASH, clearFlash, readFlash, setFlash } from "~/.server/flash.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { accountDetails, requestEmployerChange, updateDetails } from "~/.server/models/account.server";
import { Button, DateInput, ErrorSummary, Radios, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { detailsSchema, employerSchema } from "~/schemas/account";

export const meta: MetaFunction = () => [{ title: "Your details – StayWell" }];

export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const details = await accountDetails(user);
  // The banner comes from a one-time flash set by a save that worked (never from the URL: a
  // reload, or a failed save, would show it again).
  const done = readFlash(request, ACCOUNT_FLASH, 20);
  return data(
    { details, done: done === "saved" || done === "sent" || done === "changed" ? done : null },
    done ? { headers: { "Set-Cookie": clearFlash(ACCOUNT_FLASH, "/account") } } : undefined,
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "employer") {
    const parsed = await parseForm(formData, employerSchema);
    if (!parsed.ok) return data({ form: "employer", errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await requestEmployerChange(user, parsed.data, clientOf(context));
    if (!result.ok) {
      // The password is never sent back to the page.
      return data(
        { form: "employer", errors: { [result.field]: result.message }, values: { newEmail: parsed.data.newEmail } },
        {
          status: result.retryAfterSeconds ? 429 : 400,
          headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
        },
      );
    }
    return redirect("/account", { headers: { "Set-Cookie": setFlash(ACCOUNT_FLASH, "sent", "/account") } });
  }
  const parsed = await parseForm(formData, detailsSchema);
  if (!parsed.ok) return data({ form: "details", errors: parsed.errors, values: parsed.values }, { status: 400 });
  await updateDetails(user, parsed.data);
  return redirect("/account", { headers: { "Set-Cookie": setFlash(ACCOUNT_FLASH, "saved", "/account") } });
}

const ORDER = ["name", "staffGroup", "jobTitle", "startDate"];

export default function AccountDetails() {
  const { details, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const detailsForm = useServerValidatedForm(detailsSchema, {
    defaultValues: {
      name: details.name,
      staffGroup: details.staffGroup,
      jobTitle: details.jobTitle ?? "",
      startDate: details.startDate,
    },
    actionData: actionData?.form === "details" ? actionData : undefined,
  });
  const employerForm = useServerValidatedForm(employerSchema, {
    defaultValues: { newEmail: "", currentPassword: "" },
    actionData: actionData?.form === "employer" ? actionData : undefined,
  });
  const errors = { ...detailsForm.errors, ...employerForm.errors };
  const values = detailsForm.values;
  return (
    <>
      {done === "saved" ? <SuccessBanner>Your details have been saved</SuccessBanner> : null}
      {done === "sent" ? (
        <SuccessBanner body="Open the link in that email while signed in to StayWell to finish. Until then, nothing has changed.">
          We have sent a link to your new work email address
        </SuccessBanner>
      ) : null}
      {done === "changed" ? <SuccessBanner>Your email address and organisation have been changed</SuccessBanner> : null}
      <ErrorSummary errors={errors} order={[...ORDER, "newEmail", "currentPassword"]} />
      <h1>Your details</h1>
      <p>The people hub sees these when you ask for support. Managers only ever see totals.</p>
      <Form method="post" {...detailsForm.formProps}>
        <input type="hidden" name="intent" value="details" />
        <TextInput
          label="Full name"
          autoComplete="name"
          spellCheck={false}
          error={errors.name}
          defaultValue={str(values.name)}
          {...detailsForm.register("name")}
        />
        <Radios
          legend="Staff group"
          hint="The group your job belongs to"
          error={errors.staffGroup}
          defaultValue={str(values.staffGroup)}
          items={STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label }))}
          {...detailsForm.register("staffGroup")}
        />
        <TextInput
          label="Job title (optional)"
          autoComplete="organization-title"
          error={errors.jobTitle}
          defaultValue={str(values.jobTitle)}
          {...detailsForm.register("jobTitle")}
        />
        <DateInput
          legend="When did you start working for your organisation?"
          hint="For example, 15 3 2024"
          error={errors.startDate}
          defaultValue={str(values.startDate)}
          {...detailsForm.register("startDate")}
        />
        <Button disabled={detailsForm.isSubmitting}>Save your details</Button>
      </Form>

      <h2>Email address and organisation</h2>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Email address</dt>
          <dd className="nhsuk-summary-list__value">{details.email}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Organisation</dt>
          <dd className="nhsuk-summary-list__value">{details.organisationName}</dd>
        </div>
      </dl>
      {details.pendingEmail ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            We are waiting for you to open the link we sent to {details.pendingEmail}. Until then, your account keeps
            its current address and organisation.
          </p>
        </div>
      ) : null}
      <h3>Moved to another employer in the ICS?</h3>
      <p>
        Enter your new work email address. We will email it a link; your address and organisation change when you open
        it.
      </p>
      <Form method="post" {...employerForm.formProps}>
        <input type="hidden" name="intent" value="employer" />
        <TextInput
          label="New work email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          error={errors.newEmail}
          defaultValue={str(employerForm.values.newEmail)}
          {...employerForm.register("newEmail")}
        />
        <TextInput
          label="Your current password"
          hint="To check it is you before anything is sent"
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          error={errors.currentPassword}
          {...employerForm.register("currentPassword")}
        />
        <Button variant="secondary" disabled={employerForm.isSubmitting}>
          Send a link to my new address
        </Button>
      </Form>
    </>
  );
}
