// Forms that work with and without JavaScript, validated by one zod schema on both sides.
//
// Usage (route module):
//
//   export async function action({ request }: ActionFunctionArgs) {
//     const parsed = await parseForm(request, loginSchema);            // app/.server/forms.server.ts
//     if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
//     …use parsed.data…; throw redirect("/next");
//   }
//   export default function Login() {
//     const actionData = useActionData<typeof action>();
//     const { register, errors, values, formProps, isSubmitting } =
//       useServerValidatedForm(loginSchema, { defaultValues: { email: "" }, actionData });
//     return (
//       <Form method="post" {...formProps}>
//         <ErrorSummary errors={errors} />
//         <TextInput label="Email address" error={errors.email} defaultValue={str(values.email)} {...register("email")} />
//         <Button disabled={isSubmitting}>Sign in</Button>
//       </Form>
//     );
//   }
//
// With JavaScript: react-hook-form validates with zodResolver(schema) before anything is sent;
// when valid the real <form> element is submitted through Remix (useSubmit), so the same action
// runs and redirects or answers 400 exactly as without JavaScript. Errors from the server
// (actionData.errors) are shown next to the client's until the field is changed or the form is
// sent again. Without JavaScript: the browser POSTs, the action answers 400 with
// { errors, values } and the page re-renders with the error summary and the values typed.
import { useSubmit, useNavigation } from "@remix-run/react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useForm, type FieldErrors, type FieldValues, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { fieldPathOf } from "./form-paths";

/** What an action answers when the form is not valid (see parseForm). */
export interface FormActionData {
  errors?: Record<string, string>;
  values?: Record<string, unknown>;
}

export interface ServerValidatedFormOptions {
  /** Values for a first visit (e.g. from the loader). */
  defaultValues?: Record<string, unknown>;
  /** useActionData(): when it has `values`, they replace defaultValues; its `errors` are shown. */
  actionData?: FormActionData | unknown;
}

export interface ServerValidatedForm {
  form: UseFormReturn<FieldValues>;
  register: UseFormReturn<FieldValues>["register"];
  /** Field path → message, client and server merged (checkbox/array items fold into the field). */
  errors: Record<string, string>;
  /** The values to render as `defaultValue` on each field. */
  values: Record<string, unknown>;
  /** Spread on <Form>: onSubmit (client validation, then a Remix submission) and noValidate. */
  formProps: { onSubmit: (event: FormEvent<HTMLFormElement>) => void; noValidate: true };
  isSubmitting: boolean;
}

function asActionData(value: unknown): FormActionData | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as FormActionData;
  if (!v.errors && !v.values) return undefined;
  return v;
}

export { fieldPathOf };

/** react-hook-form's nested errors → { "a.b": message }, first message per field. */
export function flattenFieldErrors(errors: FieldErrors | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== "object") return;
    const message = (node as { message?: unknown }).message;
    if (typeof message === "string" && message) {
      const key = fieldPathOf(path);
      if (!(key in out)) out[key] = message;
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === "ref" || k === "type" || k === "types") continue;
      walk(v, [...path, k]);
    }
  };
  walk(errors, []);
  return out;
}

export function useServerValidatedForm(
  schema: z.ZodType,
  options: ServerValidatedFormOptions = {},
): ServerValidatedForm {
  const actionData = asActionData(options.actionData);
  const values = useMemo(
    () => ({ ...(options.defaultValues ?? {}), ...(actionData?.values ?? {}) }),
    [actionData, options.defaultValues],
  );
  const form = useForm<FieldValues>({
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    resolver: zodResolver(schema as any) as any,
    defaultValues: values,
    mode: "onSubmit",
    reValidateMode: "onChange",
    // The error summary takes focus instead (NHS.UK pattern).
    shouldFocusError: false,
  });
  const submit = useSubmit();
  const navigation = useNavigation();

  const [serverErrors, setServerErrors] = useState<Record<string, string>>(actionData?.errors ?? {});
  const lastActionData = useRef(actionData);
  useEffect(() => {
    if (lastActionData.current === actionData) return;
    lastActionData.current = actionData;
    setServerErrors(actionData?.errors ?? {});
  }, [actionData]);

  // A server message goes once its field is changed.
  useEffect(() => {
    const subscription = form.watch((_values, { name }) => {
      if (!name) return;
      const key = fieldPathOf(name.split("."));
      setServerErrors((current) => {
        if (!(key in current)) return current;
        const next = { ...current };
        delete next[key];
        return next;
      });
    });
    return () => subscription.unsubscribe();
  }, [form]);

  const clientErrors = flattenFieldErrors(form.formState.errors);
  const errors = { ...serverErrors, ...clientErrors };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const formElement = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | HTMLInputElement | null;
    setServerErrors({});
    void form.handleSubmit(() => {
      // Submit the real form (with the button pressed, for intent=…) through Remix.
      submit(submitter && submitter.form === formElement ? submitter : formElement);
    })(event);
  };

  return {
    form,
    register: form.register,
    errors,
    values,
    formProps: { onSubmit, noValidate: true },
    isSubmitting: navigation.state === "submitting",
  };
}
