// /leaving: any signed-in person tells StayWell they are leaving (issue 13 part 2), and later sees,
// and can withdraw, their own answers and their consent to be contacted. Confidential: nobody else
// sees one person's answers (docs/decisions/033-leaving-questionnaire.md).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { formDataToObject, parseForm, readFormData } from "~/.server/forms.server";
import {
  isLeavingError,
  myLeaving,
  submitMyLeaving,
  supportChoices,
  withdrawMyContact,
  withdrawMyLeaving,
} from "~/.server/models/leaving.server";
import { Button } from "~/components/fields";
import { LeavingForm, LeavingHelp } from "~/components/leaving-form";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import {
  labelOf,
  LEAVING_DESTINATIONS,
  LEAVING_KEPT_OPTIONS,
  LEAVING_RETURN_OPTIONS,
  QUESTIONNAIRE_REASONS,
} from "~/lib/leaving";
import { leavingSchema } from "~/schemas/leaving";

export const meta: MetaFunction = () => [{ title: "Leaving – StayWell" }];

const DONE: Record<string, string> = {
  sent: "Thank you. Your answers have been saved.",
  withdrawn: "Your answers have been deleted.",
  contact: "Your consent to be contacted has been withdrawn.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [mine, offers] = await Promise.all([myLeaving(user), supportChoices()]);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return { mine, offers, done: DONE[done] ?? null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "withdraw") {
    await withdrawMyLeaving(user);
    return redirect("/leaving?done=withdrawn");
  }
  if (intent === "withdraw-contact") {
    await withdrawMyContact(user);
    return redirect("/leaving?done=contact");
  }
  const parsed = await parseForm(formData, leavingSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    await submitMyLeaving(user, parsed.data);
  } catch (err) {
    if (isLeavingError(err, "exists")) return redirect("/leaving");
    if (isLeavingError(err)) {
      return data(
        { errors: err.errors, values: formDataToObject(formData, leavingSchema) },
        { status: err.code === "throttled" ? 429 : 400 },
      );
    }
    throw err;
  }
  return redirect("/leaving?done=sent");
}

function choicesOf(mine: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["mine"]>, question: string) {
  return mine.choices.filter((c) => c.question === question);
}

export default function Leaving() {
  const { mine, offers, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {done ? <SuccessBanner>{done}</SuccessBanner> : null}
        <h1>Leaving</h1>
        {mine ? (
          <>
            <p>
              These are the answers you gave. Nobody at your organisation sees them individually: they are only counted
              with other people&apos;s answers.
            </p>
            <SummaryList>
              <SummaryListRow label="Last working day">{mine.leavingDate}</SummaryListRow>
              <SummaryListRow label="Where you are going">
                {labelOf(LEAVING_DESTINATIONS, mine.destination)}
              </SummaryListRow>
              <SummaryListRow label="Why you are leaving">
                <ul className="nhsuk-list">
                  {choicesOf(mine, "reason").map((c) => (
                    <li key={c.value}>
                      {labelOf(QUESTIONNAIRE_REASONS, c.value)}
                      {c.value === mine.mainReason ? " (the main reason)" : ""}
                    </li>
                  ))}
                </ul>
              </SummaryListRow>
              <SummaryListRow label="What you told us">{mine.details ?? "Nothing"}</SummaryListRow>
              <SummaryListRow label="What might have kept you">
                {choicesOf(mine, "kept")
                  .map((c) => labelOf(LEAVING_KEPT_OPTIONS, c.value))
                  .join(", ") || "Not answered"}
              </SummaryListRow>
              <SummaryListRow label="StayWell support you used">
                {choicesOf(mine, "support_used")
                  .map((c) => (c.value === "none" ? "None" : (c.offerTitle ?? "Support no longer offered")))
                  .join(", ")}
              </SummaryListRow>
              <SummaryListRow label="Support you knew about">
                {choicesOf(mine, "support_known")
                  .map((c) => c.offerTitle ?? "Support no longer offered")
                  .join(", ") || "Not answered"}
              </SummaryListRow>
              <SummaryListRow label="Would you consider coming back">
                {choicesOf(mine, "return")
                  .map((c) => (c.value === "no" ? "No" : labelOf(LEAVING_RETURN_OPTIONS, c.value)))
                  .join(", ")}
              </SummaryListRow>
              <SummaryListRow label="Contact about coming back">
                {mine.contact
                  ? `${mine.contact.personalEmail} (${mine.contact.verified ? "confirmed" : "waiting for you to open the link we emailed"})`
                  : "No"}
              </SummaryListRow>
            </SummaryList>
            {mine.contact ? (
              <Form method="post">
                <input type="hidden" name="intent" value="withdraw-contact" />
                <Button variant="secondary">Withdraw my consent to be contacted</Button>
              </Form>
            ) : null}
            <Form method="post">
              <input type="hidden" name="intent" value="withdraw" />
              <p>Deleting your answers cannot be undone. You can then answer again.</p>
              <Button variant="warning">Delete my answers</Button>
            </Form>
          </>
        ) : (
          <>
            <p>
              If you are leaving your job, please tell us why. Your answers help the organisations in Staffordshire and
              Stoke-on-Trent change what makes people leave. They are confidential: nobody at your organisation, and no
              manager, sees them individually; they are only counted with other people&apos;s answers.
            </p>
            <LeavingHelp />
            <LeavingForm offers={offers} actionData={actionData} askName={false} />
          </>
        )}
      </div>
    </div>
  );
}
