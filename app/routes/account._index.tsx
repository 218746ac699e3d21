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
import { requireSession, requireUser } from "~/.server/auth/session.server";
import { clientOf } from "~/.server/auth/throttle.server";
import { ACCOUNT_FLASH, clearFlash, readFlash, setFlash } from "~/.server/flash.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import {
  accountDetails,
  changeSharedAddressOrganisation,
  requestEmployerChange,
  updateDetails,
} from "~/.server/models/account.server";
import { organisationChoices } from "~/.server/models/accounts.server";
import { Select } from "~/components/nhsuk/select";
import { Button, DateInput, ErrorSummary, Radios, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { detailsSchema, employerSchema, sharedOrganisationSchema } from "~/schemas/account";

export const meta: MetaFunction = () => [{ title: "Your details – StayWell" }];

export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [details, organisations] = await Promise.all([accountDetails(user), organisationChoices()]);
  // The banner comes from a one-time flash set by a save that worked (never from the URL: a
  // reload, or a failed save, would show it again).
  const done = readFlash(request, ACCOUNT_FLASH, 20);
  return data(
    {
      details,
      organisations,
      done: done === "saved" || done === "sent" || done === "changed" || done === "organisation" ? done : null,
    },
    done ? { headers: { "Set-Cookie": clearFlash(ACCOUNT_FLASH, "/account") } } : undefined,
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "organisation") {
    const parsed = await parseForm(formData, sharedOrganisationSchema, { omitFromValues: ["currentPassword"] });
    if (!parsed.ok)
      return data({ form: "organisation", errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await changeSharedAddressOrganisation(user, parsed.data, sessionId, clientOf(context));
    if (!result.ok) {
      return data(
        {
          form: "organisation",
          errors: { [result.field]: result.message },
          values: { organisationId: parsed.data.organisationId },
        },
        {
          status: result.retryAfterSeconds ? 429 : 400,
          headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
        },
      );
    }
    return redirect("/account", { headers: { "Set-Cookie": setFlash(ACCOUNT_FLASH, "organisation", "/account") } });
  }
  if (intent === "employer") {
    const parsed = await parseForm(formData, employerSchema);
    if (!parsed.ok) return data({ form: "employer", errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await requestEmployerChange(user, parsed.data, clientOf(context));
    if (!result.ok) {
      // The password is never sent back to the page.
      return data(
        {
          form: "employer",
          errors: { [result.field]: result.message },
          values: { newEmail: parsed.data.newEmail, organisationId: parsed.data.organisationId },
        },
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
  const { details, organisations, done } = useLoaderData<typeof loader>();
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
  const organisationForm = useServerValidatedForm(sharedOrganisationSchema, {
    defaultValues: { organisationId: "", currentPassword: "" },
    actionData: actionData?.form === "organisation" ? actionData : undefined,
  });
  const errors = { ...detailsForm.errors, ...employerForm.errors };
  const organisationErrors = organisationForm.errors;
  const organisationItems = [
    { value: "", label: "Select your organisation" },
    ...organisations.map((o) => ({ value: String(o.id), label: o.name })),
  ];
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
      {done === "organisation" ? (
        <SuccessBanner body="It shows as self-declared until a StayWell administrator confirms it. You have been signed out everywhere else.">
          Your organisation has been changed
        </SuccessBanner>
      ) : null}
      <ErrorSummary errors={errors} order={[...ORDER, "newEmail", "organisationId", "currentPassword"]} />
      {/* The organisation form's fields have their own ids (the address form has fields of the same names). */}
      <ErrorSummary
        errors={(["organisationId", "currentPassword"] as const)
          .filter((k) => organisationErrors[k])
          .map((k) => ({ href: `#organisation-${k}`, text: String(organisationErrors[k]) }))}
      />
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
          <dd className="nhsuk-summary-list__value">
            {details.organisationName}
            {details.organisationSelfDeclared ? " (self-declared: not yet confirmed by an administrator)" : null}
          </dd>
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
      {details.sharedAddress ? (
        <>
          <h3>Work for another organisation now?</h3>
          <p>
            Your address is a shared one (such as nhs.net), so it does not say who you work for. Choose your
            organisation: it shows as self-declared until a StayWell administrator confirms it. Your team places and any
            manager access end, and you are signed out everywhere else.
          </p>
          <Form method="post" {...organisationForm.formProps}>
            <input type="hidden" name="intent" value="organisation" />
            <Select
              id="organisation-organisationId"
              label="Your organisation now"
              error={organisationErrors.organisationId}
              defaultValue={str(organisationForm.values.organisationId)}
              options={organisationItems}
              {...organisationForm.register("organisationId")}
            />
            <TextInput
              id="organisation-currentPassword"
              label="Your current password"
              hint="To check it is you"
              type="password"
              autoComplete="current-password"
              spellCheck={false}
              error={organisationErrors.currentPassword}
              {...organisationForm.register("currentPassword")}
            />
            <Button variant="secondary" disabled={organisationForm.isSubmitting}>
              Change my organisation
            </Button>
          </Form>
        </>
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
        <Select
          label="Organisation (only for an nhs.net or other shared address)"
          hint="A partner organisation's address already says who you work for"
          error={errors.organisationId}
          defaultValue={str(employerForm.values.organisationId)}
          options={organisationItems}
          {...employerForm.register("organisationId")}
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
