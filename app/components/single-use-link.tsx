// The pages of single-use links: choosing a password from a mailed link (/verify-email,
// /reset-password) and the form that asks for a link (/forgot-password, /signup/check-email).
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { Button, ErrorSummary, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { PASSWORD_MIN } from "~/schemas/accounts";

export interface ChoosePasswordPageProps<P extends string> {
  schema: z.ZodType;
  token: string;
  /** Why the link cannot be used (from the loader, or from the last POST), or null. */
  problem: P | null;
  problems: Record<P, string>;
  actionData: unknown;
  title: string;
  intro: string;
  passwordLabel: string;
  confirmLabel: string;
  button: string;
  /** Shown instead of the form when the link cannot be used (or there is none): where to go next. */
  noForm: ReactNode;
  /** Show the form only with a token (a page opened without its link shows `noForm`). */
  needsToken?: boolean;
}

export function ChoosePasswordPage<P extends string>(props: ChoosePasswordPageProps<P>) {
  const { token, problem } = props;
  const { register, errors, formProps, isSubmitting } = useServerValidatedForm(props.schema, {
    defaultValues: { token, password: "", confirmPassword: "" },
    actionData: props.actionData,
  });
  if (problem || (props.needsToken && !token)) {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {problem ? <ErrorSummary errors={[{ text: props.problems[problem] }]} /> : null}
          <h1>{props.title}</h1>
          {props.noForm}
        </div>
      </div>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={["password", "confirmPassword"]} />
        <h1>{props.title}</h1>
        <p>{props.intro}</p>
        <Form method="post" {...formProps}>
          <input type="hidden" {...register("token")} value={token} />
          <TextInput
            label={props.passwordLabel}
            hint={`Use ${PASSWORD_MIN} characters or more. A few unrelated words together make a strong password that is easy to remember.`}
            type="password"
            autoComplete="new-password"
            error={errors.password}
            {...register("password")}
          />
          <TextInput
            label={props.confirmLabel}
            type="password"
            autoComplete="new-password"
            error={errors.confirmPassword}
            {...register("confirmPassword")}
          />
          <Button disabled={isSubmitting}>{props.button}</Button>
        </Form>
      </div>
    </div>
  );
}

/** The one-field form that asks for a link to be mailed. */
export function EmailLinkForm({
  schema,
  email,
  actionData,
  label,
  autoComplete,
  button,
  secondary,
  before,
  after,
}: {
  schema: z.ZodType;
  email: string;
  actionData: unknown;
  label: string;
  autoComplete: "email" | "username";
  button: string;
  secondary?: boolean;
  /** What comes between the error summary and the form (headings, explanations). */
  before: ReactNode;
  after?: ReactNode;
}) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(schema, {
    defaultValues: { email },
    actionData,
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {before}
        <Form method="post" {...formProps}>
          <TextInput
            label={label}
            type="email"
            autoComplete={autoComplete}
            spellCheck={false}
            error={errors.email}
            defaultValue={str(values.email)}
            {...register("email")}
          />
          <Button variant={secondary ? "secondary" : undefined} disabled={isSubmitting}>
            {button}
          </Button>
        </Form>
        {after}
      </div>
    </div>
  );
}
