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
import { workplaceFor } from "~/.server/navigation.server";
import { setFlash, SIGNUP_EMAIL_FLASH } from "~/.server/flash.server";
import { parseForm } from "~/.server/forms.server";
import { organisationChoices, registerAccount } from "~/.server/models/accounts.server";
import { Button, DateInput, ErrorSummary, Radios, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { Select } from "~/components/nhsuk/select";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { NOT_A_JOINING_ADDRESS, signupSchema } from "~/schemas/accounts";

export const meta: MetaFunction = () => [{ title: "Create an account – StayWell" }];

// A throttled answer (429) says when to come back: the action's Retry-After reaches the page's
// response (Remix passes an action's headers on only through this export). Whatever a parent
// route set is kept.
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
  const parsed = await parseForm(request, signupSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  // No password here: it is chosen on the page the emailed link opens (ADR 017, pre-hijacking).
  const values = parsed.data;
  const result = await registerAccount(parsed.data, clientOf(context));
  if (!result.ok) {
    if (result.retryAfterSeconds) {
      return data(
        { errors: { [result.field]: result.message }, values },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    return data({ errors: { [result.field]: result.message }, values }, { status: 400 });
  }
  // The address goes to the next page in a short-lived cookie, never in its URL (logs, history, Referer).
  return redirect("/signup/check-email", {
    headers: { "Set-Cookie": setFlash(SIGNUP_EMAIL_FLASH, result.email, "/signup/check-email") },
  });
}

export default function Signup() {
  const { organisations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(signupSchema, {
    defaultValues: { email: "", name: "", organisationId: "", staffGroup: "", jobTitle: "", startDate: "" },
    actionData,
  });
  const notJoining = errors.email === NOT_A_JOINING_ADDRESS;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary
          errors={errors}
          order={["email", "organisationId", "name", "staffGroup", "jobTitle", "startDate"]}
        />
        <h1>Create a StayWell account</h1>
        <p>
          Use your work email address from one of the Integrated Care System's partner organisations, or your nhs.net
          address. We use it to know which organisation you work for.
        </p>
        {notJoining ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              We do not recognise the address you entered as a partner organisation's or nhs.net. Use your work email
              address or your nhs.net address if you have one. If you have neither (for example you work for a care
              provider, or for a bank or agency), <Link to="/request-access">request access</Link> and an administrator
              will set up your account.
            </p>
          </div>
        ) : null}
        <Form method="post" {...formProps}>
          <TextInput
            label="Work email address"
            hint="For example, firstname.lastname@uhnm.staywell.test"
            type="email"
            autoComplete="email"
            spellCheck={false}
            error={errors.email}
            defaultValue={str(values.email)}
            {...register("email")}
          />
          <Select
            label="Your organisation (nhs.net addresses only)"
            hint="If your address ends @nhs.net, choose the organisation you work for. Otherwise leave this: your work address tells us."
            options={[
              { value: "", label: "Choose your organisation" },
              ...organisations.map((o) => ({ value: String(o.id), label: o.name })),
            ]}
            error={errors.organisationId}
            defaultValue={str(values.organisationId) ?? ""}
            {...register("organisationId")}
          />
          <TextInput
            label="Full name"
            autoComplete="name"
            spellCheck={false}
            error={errors.name}
            defaultValue={str(values.name)}
            {...register("name")}
          />
          <Radios
            legend="Staff group"
            hint="The group your job belongs to"
            error={errors.staffGroup}
            defaultValue={str(values.staffGroup)}
            items={STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label }))}
            {...register("staffGroup")}
          />
          <TextInput
            label="Job title (optional)"
            autoComplete="organization-title"
            error={errors.jobTitle}
            defaultValue={str(values.jobTitle)}
            {...register("jobTitle")}
          />
          <DateInput
            legend="When did you start working for your organisation?"
            hint="For example, 15 3 2024. This helps the people hub support new starters."
            error={errors.startDate}
            defaultValue={str(values.startDate)}
            {...register("startDate")}
          />
          <p>We will email you a link. You choose your password on the page it opens.</p>
          <Button disabled={isSubmitting}>Create account</Button>
        </Form>
        <p>
          No work address from a partner organisation and no nhs.net address?{" "}
          <Link to="/request-access">Request access</Link>
        </p>
        <p>
          Already have an account? <Link to="/login">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
