// /leaving/<token>: the leaving questionnaire through a link an organisation's administrator sent
// to a leaver's work address. No account needed; the link works once and for 60 days; the answers
// belong to the organisation that sent it (docs/decisions/033-leaving-questionnaire.md).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { formDataToObject, parseForm, readFormData } from "~/.server/forms.server";
import {
  checkLeavingLink,
  isLeavingError,
  submitByLink,
  supportChoices,
  type LinkState,
} from "~/.server/models/leaving.server";
import { LeavingForm, LeavingHelp } from "~/components/leaving-form";
import { leavingSchema } from "~/schemas/leaving";

export const meta: MetaFunction = () => [{ title: "Leaving questionnaire – StayWell" }];

/** A link that cannot be used: 410 when it was (used or expired), 404 when it never was. */
function statusFor(state: LinkState) {
  return state.status === "invalid" ? 404 : 410;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const state = await checkLeavingLink(params.token ?? "");
  if (state.status !== "ok") return data({ state, offers: [] }, { status: statusFor(state) });
  return { state, offers: await supportChoices() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const formData = await readFormData(request);
  const parsed = await parseForm(formData, leavingSchema);
  if (!parsed.ok) {
    const state = await checkLeavingLink(token);
    if (state.status !== "ok") return data({ state, errors: {}, values: {} }, { status: statusFor(state) });
    return data({ state, errors: parsed.errors, values: parsed.values }, { status: 400 });
  }
  let state: LinkState;
  try {
    state = await submitByLink(token, parsed.data);
  } catch (err) {
    if (!isLeavingError(err)) throw err;
    return data(
      { state: null, errors: err.errors, values: formDataToObject(formData, leavingSchema) },
      { status: err.code === "throttled" ? 429 : 400 },
    );
  }
  if (state.status !== "ok") return data({ state, errors: {}, values: {} }, { status: statusFor(state) });
  return redirect("/leaving/thank-you");
}

const MESSAGES = {
  used: {
    title: "This link has already been used",
    body: "Each link works once, and the answers for this one have been sent. Thank you.",
  },
  expired: {
    title: "This link has expired",
    body: "Links to the leaving questionnaire work for 60 days. If you would still like to answer, ask your organisation's HR or workforce team to send you a new one.",
  },
  invalid: {
    title: "This link does not work",
    body: "Check you copied the whole link from the email. If it still does not work, ask your organisation's HR or workforce team to send you a new one.",
  },
} as const;

export default function LeavingByLink() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const state = actionData?.state && actionData.state.status !== "ok" ? actionData.state : loaded.state;
  if (state.status !== "ok") {
    const message = MESSAGES[state.status];
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>{message.title}</h1>
          <p>{message.body}</p>
        </div>
      </div>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Before you leave</h1>
        <p>
          {state.organisationName} would like to know why you are leaving, so that it can change what makes people
          leave. Your answers are confidential: nobody at {state.organisationName} sees them individually; they are only
          counted with other people&apos;s answers. This link works once.
        </p>
        <LeavingHelp />
        <LeavingForm
          offers={loaded.offers}
          actionData={actionData}
          defaultValues={{ leavingDate: state.leavingDate }}
          askName
        />
      </div>
    </div>
  );
}
