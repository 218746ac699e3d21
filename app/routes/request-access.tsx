// /request-access: for people with neither a partner organisation's work address nor an nhs.net
// (or other shared) address — care providers without a domain, bank and agency staff, personal
// addresses. An administrator approves or declines the request in /admin/access-requests
// (docs/decisions/027-joining.md). The reply is the same whether or not the address has an
// account; throttled like sign-up (ADR 017).
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getOptionalUser } from "~/.server/auth/session.server";
import { clientOf } from "~/.server/auth/throttle.server";
import { ACCESS_EMAIL_FLASH, setFlash } from "~/.server/flash.server";
import { parseForm } from "~/.server/forms.server";
import { organisationChoices } from "~/.server/models/accounts.server";
import { submitAccessRequest } from "~/.server/models/joining.server";
import { workplaceFor } from "~/.server/navigation.server";
import { Button, DateInput, ErrorSummary, Radios, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { Select } from "~/components/nhsuk/select";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { ACCESS_REQUEST_DAYS, accessRequestSchema } from "~/schemas/joining";

export const meta: MetaFunction = () => [{ title: "Request access – StayWell" }];

export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user) throw redirect(await workplaceFor(user));
  return { organisations: await organisationChoices() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, accessRequestSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const values = parsed.data;
  const result = await submitAccessRequest(parsed.data, clientOf(context));
  if (!result.ok) {
    const headers: Record<string, string> = result.retryAfterSeconds
      ? { "Retry-After": String(result.retryAfterSeconds) }
      : {};
    return data(
      { errors: { [result.field]: result.message }, values },
      { status: result.retryAfterSeconds ? 429 : 400, headers },
    );
  }
  // The address goes to the next page in a short-lived cookie, never in its URL (logs, history, Referer).
  return redirect("/request-access/sent", {
    headers: { "Set-Cookie": setFlash(ACCESS_EMAIL_FLASH, result.email, "/request-access/sent") },
  });
}

const ORDER = ["email", "name", "organisationId", "organisationText", "jobTitle", "staffGroup", "startDate"];

export default function RequestAccess() {
  const { organisations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(accessRequestSchema, {
    defaultValues: {
      email: "",
      name: "",
      organisationId: "",
      organisationText: "",
      jobTitle: "",
      staffGroup: "",
      startDate: "",
    },
    actionData,
  });
  const signUpInstead = typeof errors.email === "string" && errors.email.endsWith("Go to Create an account");
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={ORDER} />
        <h1>Request access to StayWell</h1>
        <p>
          If you work in the Integrated Care System but have no work email address from a partner organisation and no
          nhs.net address (for example you work for a care provider, or for a bank or agency), tell us who you are. A
          StayWell administrator will check your request.
        </p>
        <p>
          If they approve it, we will email you a link to choose your password. If not, we will email you to say why.
          Requests we have not answered within {ACCESS_REQUEST_DAYS} days expire.
        </p>
        {signUpInstead ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              <Link to="/signup">Create an account</Link> with this address instead: you do not need to ask.
            </p>
          </div>
        ) : null}
        <Form method="post" {...formProps}>
          <TextInput
            label="Email address"
            hint="We will send the link to choose your password to this address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            error={errors.email}
            defaultValue={str(values.email)}
            {...register("email")}
          />
          <TextInput
            label="Full name"
            autoComplete="name"
            spellCheck={false}
            error={errors.name}
            defaultValue={str(values.name)}
            {...register("name")}
          />
          <Select
            label="Your organisation"
            hint="Choose it if it is in the list"
            options={[
              { value: "", label: "It is not in the list" },
              ...organisations.map((o) => ({ value: String(o.id), label: o.name })),
            ]}
            error={errors.organisationId}
            defaultValue={str(values.organisationId) ?? ""}
            {...register("organisationId")}
          />
          <TextInput
            label="If it is not in the list, the organisation you work for"
            hint="For example, the care home, practice or agency that employs you"
            autoComplete="organization"
            error={errors.organisationText}
            defaultValue={str(values.organisationText)}
            {...register("organisationText")}
          />
          <TextInput
            label="Your job or role"
            hint="For example, senior care assistant or bank staff nurse"
            autoComplete="organization-title"
            error={errors.jobTitle}
            defaultValue={str(values.jobTitle)}
            {...register("jobTitle")}
          />
          <Radios
            legend="Staff group"
            hint="The group your job belongs to"
            error={errors.staffGroup}
            defaultValue={str(values.staffGroup)}
            items={STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label }))}
            {...register("staffGroup")}
          />
          <DateInput
            legend="When did you start working for your organisation?"
            hint="For example, 15 3 2024. This helps the people hub support new starters."
            error={errors.startDate}
            defaultValue={str(values.startDate)}
            {...register("startDate")}
          />
          <Button disabled={isSubmitting}>Send request</Button>
        </Form>
        <p>
          Have a work address from a partner organisation or an nhs.net address?{" "}
          <Link to="/signup">Create an account</Link>
        </p>
        <p>
          Already have an account? <Link to="/login">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
