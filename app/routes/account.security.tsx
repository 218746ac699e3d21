// /account/security: two-step verification with an authenticator app (docs/decisions/029).
// Off: a QR code and the same secret as text, then the code the app shows to turn it on; the 10
// recovery codes are shown once, in the answer to that form. On: how many recovery codes are left,
// new recovery codes (with a code), and turning it off (password and a code; not for a role listed
// in MFA_REQUIRED_FOR). Someone whose role requires it and who has not set it up is sent here from
// every other page (session.server.ts) until they have.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireSession, requireUser } from "~/.server/auth/session.server";
import { clientOf } from "~/.server/auth/throttle.server";
import { readFormData, parseForm } from "~/.server/forms.server";
import {
  confirmSetup,
  disableTwoStep,
  pendingSetup,
  replaceRecoveryCodes,
  twoStepStatus,
} from "~/.server/models/two-step.server";
import { workplaceFor } from "~/.server/navigation.server";
import { Button, ErrorSummary, fieldId, TextInput } from "~/components/fields";
import { formatDate } from "~/components/format";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { twoStepConfirmSchema, twoStepDisableSchema, twoStepNewCodesSchema } from "~/schemas/two-step";

export const meta: MetaFunction = () => [{ title: "Two-step verification – Your account – StayWell" }];

export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const status = await twoStepStatus(user);
  const setup = status.enabled ? null : await pendingSetup(user);
  const done = new URL(request.url).searchParams.get("done");
  return {
    status,
    setup: setup
      ? {
          secret: setup.secret,
          setupId: setup.setupId,
          qr: `data:image/svg+xml;base64,${Buffer.from(setup.qrSvg).toString("base64")}`,
        }
      : null,
    continueTo: await workplaceFor(user),
    turnedOff: done === "off",
  };
}

type Intent = "confirm" | "disable" | "codes";
type ActionResult =
  | { form: Intent; errors: Record<string, string>; values: Record<string, unknown>; recoveryCodes?: undefined }
  | { form: Intent; errors?: undefined; values?: undefined; recoveryCodes: string[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const fail = (form: Intent, errors: Record<string, string>, retryAfterSeconds?: number) =>
    retryAfterSeconds === undefined
      ? data<ActionResult>({ form, errors, values: {} }, { status: 400 })
      : data<ActionResult>(
          { form, errors, values: {} },
          { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
        );
  if (intent === "confirm") {
    const parsed = await parseForm(formData, twoStepConfirmSchema, { omitFromValues: ["otp"] });
    if (!parsed.ok) return fail("confirm", parsed.errors);
    const result = await confirmSetup(
      user,
      { otp: parsed.data.otp, setupId: parsed.data.setup },
      clientOf(context),
      new Date(),
      sessionId,
    );
    if (!result.ok) return fail("confirm", { [result.field]: result.message }, result.retryAfterSeconds);
    return data<ActionResult>({ form: "confirm", recoveryCodes: result.value });
  }
  if (intent === "codes") {
    const parsed = await parseForm(formData, twoStepNewCodesSchema, { omitFromValues: ["otp"] });
    if (!parsed.ok) return fail("codes", parsed.errors);
    const result = await replaceRecoveryCodes(user, parsed.data.otp, clientOf(context));
    if (!result.ok) return fail("codes", { [result.field]: result.message }, result.retryAfterSeconds);
    return data<ActionResult>({ form: "codes", recoveryCodes: result.value });
  }
  if (intent === "disable") {
    const parsed = await parseForm(formData, twoStepDisableSchema, { omitFromValues: ["otp"] });
    if (!parsed.ok) return fail("disable", parsed.errors);
    const result = await disableTwoStep(user, parsed.data, clientOf(context));
    if (!result.ok) return fail("disable", { [result.field]: result.message }, result.retryAfterSeconds);
    throw redirect("/account/security?done=off");
  }
  return fail("confirm", { _form: "Choose what you want to do" });
}

/** Error summary links: two forms on the page each have a code box, with their own ids. */
function summaryItems(errors: Record<string, string>, ids: Record<string, string>) {
  return Object.entries(errors).map(([name, text]) =>
    name === "_form" ? { text } : { href: `#${ids[name] ?? fieldId(name)}`, text },
  );
}

function RecoveryCodes({ codes, continueTo, first }: { codes: string[]; continueTo: string; first: boolean }) {
  return (
    <>
      <SuccessBanner>
        {first ? "Two-step verification is on" : "You have new recovery codes: the old ones no longer work"}
      </SuccessBanner>
      <h2>Save your recovery codes</h2>
      <p>
        If you lose your phone, each of these codes lets you sign in once instead of a code from the app. Write them
        down or print this page and keep them somewhere safe. <strong>They are shown only now.</strong>
      </p>
      <ol className="staywell-recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <Link className="nhsuk-button" to={continueTo}>
          I have saved my recovery codes
        </Link>
      </p>
    </>
  );
}

export default function AccountSecurity() {
  const { status, setup, continueTo, turnedOff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const forForm = (form: Intent) => (actionData?.form === form ? actionData : undefined);
  const confirm = useServerValidatedForm(twoStepConfirmSchema, {
    defaultValues: { intent: "confirm", otp: "" },
    actionData: forForm("confirm"),
  });
  const codes = useServerValidatedForm(twoStepNewCodesSchema, {
    defaultValues: { intent: "codes", otp: "" },
    actionData: forForm("codes"),
  });
  const disable = useServerValidatedForm(twoStepDisableSchema, {
    defaultValues: { intent: "disable", password: "", otp: "" },
    actionData: forForm("disable"),
  });

  if (actionData?.recoveryCodes) {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>Two-step verification</h1>
          <RecoveryCodes
            codes={actionData.recoveryCodes}
            continueTo={actionData.form === "confirm" ? continueTo : "/account/security"}
            first={actionData.form === "confirm"}
          />
        </div>
      </div>
    );
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {turnedOff && !status.enabled ? <SuccessBanner>Two-step verification is off</SuccessBanner> : null}
        <ErrorSummary
          errors={[
            ...summaryItems(confirm.errors, {}),
            ...summaryItems(codes.errors, { otp: "codes-otp" }),
            ...summaryItems(disable.errors, { otp: "disable-otp" }),
          ]}
        />
        <h1>Two-step verification</h1>
        {status.enabled ? (
          <>
            <p>
              Two-step verification is <strong>on</strong>
              {status.enabledAt ? ` since ${formatDate(status.enabledAt)}` : ""}. When you sign in, you enter your
              password and then a code from your authenticator app.
            </p>
            <p>
              You have {status.recoveryCodesLeft} unused recovery {status.recoveryCodesLeft === 1 ? "code" : "codes"}.
            </p>

            <h2>Get new recovery codes</h2>
            <Form method="post" {...codes.formProps}>
              <input type="hidden" {...codes.register("intent")} value="codes" />
              <TextInput
                label="Code from your authenticator app"
                inputMode="numeric"
                autoComplete="one-time-code"
                width={10}
                code
                id="codes-otp"
                error={codes.errors.otp}
                {...codes.register("otp")}
              />
              <Button variant="secondary" disabled={codes.isSubmitting}>
                Get new recovery codes
              </Button>
            </Form>

            <h2>Turn off two-step verification</h2>
            {status.required ? (
              <p>Your role in StayWell requires two-step verification, so it cannot be turned off.</p>
            ) : (
              <Form method="post" {...disable.formProps}>
                <input type="hidden" {...disable.register("intent")} value="disable" />
                <TextInput
                  label="Your password"
                  type="password"
                  autoComplete="current-password"
                  error={disable.errors.password}
                  {...disable.register("password")}
                />
                <TextInput
                  label="Code from your authenticator app, or a recovery code"
                  autoComplete="one-time-code"
                  spellCheck={false}
                  width={20}
                  code
                  id="disable-otp"
                  error={disable.errors.otp}
                  {...disable.register("otp")}
                />
                <Button variant="warning" disabled={disable.isSubmitting}>
                  Turn off two-step verification
                </Button>
              </Form>
            )}
          </>
        ) : setup ? (
          <>
            {status.required ? (
              <div className="nhsuk-warning-callout">
                <h2 className="nhsuk-warning-callout__label">
                  <span role="text">
                    <span className="nhsuk-u-visually-hidden">Important: </span>
                    Set up two-step verification to continue
                  </span>
                </h2>
                <p>
                  People with your role can see confidential requests, so StayWell asks for a code from your phone as
                  well as your password. You need to do this once, before you can use the rest of StayWell.
                </p>
              </div>
            ) : (
              <p>
                Two-step verification is <strong>off</strong>. Turn it on so that someone who learns your password still
                cannot sign in without your phone.
              </p>
            )}
            <h2>1. Add StayWell to an authenticator app</h2>
            <p>
              Use an authenticator app on your phone, such as Microsoft Authenticator or Google Authenticator. In the
              app, add an account and scan this QR code.
            </p>
            <img src={setup.qr} alt="QR code to add StayWell to your authenticator app" width={200} height={200} />
            <p>If you cannot scan it, choose to enter a key in the app and type this key:</p>
            <p>
              <code className="staywell-secret" data-testid="two-step-secret">
                {setup.secret}
              </code>
            </p>
            <h2>2. Enter the code the app shows</h2>
            <Form method="post" {...confirm.formProps}>
              <input type="hidden" {...confirm.register("intent")} value="confirm" />
              {/* Not registered: the form element is what is sent, so a new secret's id (after the
                  page reloads its data) is always the one sent. */}
              <input type="hidden" name="setup" value={setup.setupId} />
              <TextInput
                label="6-digit code"
                inputMode="numeric"
                autoComplete="one-time-code"
                width={10}
                code
                error={confirm.errors.otp}
                {...confirm.register("otp")}
              />
              <Button disabled={confirm.isSubmitting}>Turn on two-step verification</Button>
            </Form>
          </>
        ) : null}
      </div>
    </div>
  );
}
