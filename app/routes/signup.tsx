import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { getOptionalUser } from "~/.server/auth/session.server";
import { clientOf } from "~/.server/auth/throttle.server";
import { workplaceFor } from "~/.server/navigation.server";
import { parseForm } from "~/.server/forms.server";
import { registerAccount } from "~/.server/models/accounts.server";
import { Button, DateInput, ErrorSummary, Radios, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { signupSchema } from "~/schemas/accounts";

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
  return null;
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
  return redirect(`/signup/check-email?email=${encodeURIComponent(result.email)}`);
}

export default function Signup() {
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(signupSchema, {
    defaultValues: { email: "", name: "", staffGroup: "", jobTitle: "", startDate: "" },
    actionData,
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={["email", "name", "staffGroup", "jobTitle", "startDate"]} />
        <h1>Create a StayWell account</h1>
        <p>
          You need a work email address from one of the Integrated Care System's partner organisations. We use it to
          know which organisation you work for.
        </p>
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
          Already have an account? <Link to="/login">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
