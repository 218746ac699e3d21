// /check-ins/<id>: a first-year check-in (docs/decisions/039-first-year-check-ins.md). Only the
// person it was sent to can open it: anyone else's, like an id that does not exist, is 404. Once
// answered, or 21 days after it was sent, it can no longer be answered.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { parseForm } from "~/.server/forms.server";
import { answerCheckIn, getMyCheckIn } from "~/.server/models/check-ins.server";
import { Button, Checkbox, ErrorSummary, Radios, str, Textarea } from "~/components/fields";
import { formatDate } from "~/components/format";
import { useServerValidatedForm } from "~/components/forms";
import { HelpNowInset } from "~/components/urgent-help";
import {
  CHECK_IN_QUESTIONS,
  HAS_WHAT_NEEDED,
  pointAdjective,
  SCORE_HINTS,
  SCORE_VALUES,
  THINKING_OF_LEAVING,
} from "~/lib/check-ins";
import { CHECK_IN_COMMENTS_MAX, checkInSchema } from "~/schemas/check-in";

export const meta: MetaFunction = () => [{ title: "How is your first year going? – StayWell" }];

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const checkIn = await getMyCheckIn(user, params.id ?? "");
  if (!checkIn) throw notFound();
  return { checkIn };
}

type ActionData =
  | { errors: Record<string, string>; values: Record<string, unknown> }
  | { refused: "answered" | "expired" | "no_offer"; values: Record<string, unknown> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = params.id ?? "";
  // Someone else's check-in is "not found" before anything they sent is looked at.
  if (!(await getMyCheckIn(user, id))) throw notFound();
  const parsed = await parseForm(request, checkInSchema);
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await answerCheckIn(user, id, parsed.data);
  if (result.ok) return redirect(`/check-ins/${id}`);
  if (result.reason === "not_found") throw notFound();
  if (result.reason === "invalid") return data<ActionData>({ errors: result.errors, values: {} }, { status: 400 });
  return data<ActionData>({ refused: result.reason, values: {} }, { status: 409 });
}

const SCORE_ITEMS = SCORE_VALUES.map((value) => ({ value, label: value }));
const ORDER = ["workScore", "supportedScore", "hasWhatNeeded", "thinkingOfLeaving", "comments", "contactWanted"];

export default function CheckInPage() {
  const { checkIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(checkInSchema, {
    defaultValues: {},
    actionData: actionData && "errors" in actionData ? actionData : undefined,
  });
  const refused = actionData && "refused" in actionData ? actionData.refused : null;

  if (checkIn.state === "answered") {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <div className="nhsuk-panel nhsuk-panel--confirmation" role="status">
            <h1 className="nhsuk-panel__title">Thank you for your check-in</h1>
          </div>
          {checkIn.requestReference ? (
            <>
              <p>
                You asked for someone from the people hub to contact you. Your request reference is{" "}
                <strong>{checkIn.requestReference}</strong>.
              </p>
              <p>
                <Link to={`/my/requests/${checkIn.requestReference}`}>Follow your request</Link>
              </p>
            </>
          ) : (
            <p>Your answers help us understand how new starters are doing. Nobody will contact you about them.</p>
          )}
          {checkIn.signpost ? (
            <>
              <h2>Support you can ask for</h2>
              <p>
                It sounds like things may be hard at the moment. You can talk to us in confidence at any time:{" "}
                <Link to="/support/thinking-of-leaving">thinking about leaving? Talk to us first</Link>, or{" "}
                <Link to="/support/new-starter-support">new starter support</Link>.
              </p>
            </>
          ) : null}
          <HelpNowInset />
          <p>
            <Link to="/">Go to the home page</Link>
          </p>
        </div>
      </div>
    );
  }

  if (checkIn.state === "expired" || refused) {
    const message =
      refused === "no_offer"
        ? "We could not pass your request to the people hub. Please ask for new starter support instead."
        : refused === "answered"
          ? "This check-in has already been answered."
          : `This check-in closed on ${formatDate(checkIn.expiresAt)}, 21 days after we sent it.`;
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>This check-in can no longer be answered</h1>
          <p>{message}</p>
          <p>
            If you would like to talk to someone, you can{" "}
            <Link to="/support/new-starter-support">ask for new starter support</Link> at any time.
          </p>
          <HelpNowInset />
        </div>
      </div>
    );
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={ORDER} />
        <span className="nhsuk-caption-l">Your {pointAdjective(checkIn.pointLabel)} check-in</span>
        <h1>How is your first year going?</h1>
        <p>
          This takes about a minute. Your manager does not see your answers. The people hub sees them only if you ask
          them to contact you.
        </p>
        <Form method="post" {...formProps}>
          <Radios
            legend={CHECK_IN_QUESTIONS.workScore}
            legendSize="s"
            hint={SCORE_HINTS.workScore}
            inline
            error={errors.workScore}
            defaultValue={str(values.workScore)}
            items={SCORE_ITEMS}
            {...register("workScore")}
          />
          <Radios
            legend={CHECK_IN_QUESTIONS.supportedScore}
            legendSize="s"
            hint={SCORE_HINTS.supportedScore}
            inline
            error={errors.supportedScore}
            defaultValue={str(values.supportedScore)}
            items={SCORE_ITEMS}
            {...register("supportedScore")}
          />
          <Radios
            legend={CHECK_IN_QUESTIONS.hasWhatNeeded}
            legendSize="s"
            error={errors.hasWhatNeeded}
            defaultValue={str(values.hasWhatNeeded)}
            items={[...HAS_WHAT_NEEDED]}
            {...register("hasWhatNeeded")}
          />
          <Radios
            legend={CHECK_IN_QUESTIONS.thinkingOfLeaving}
            legendSize="s"
            error={errors.thinkingOfLeaving}
            defaultValue={str(values.thinkingOfLeaving)}
            items={[...THINKING_OF_LEAVING]}
            {...register("thinkingOfLeaving")}
          />
          <Textarea
            label={CHECK_IN_QUESTIONS.comments}
            labelSize="s"
            hint="Only the people hub reads this, and only if you ask them to contact you. Otherwise it is not kept."
            maxLength={CHECK_IN_COMMENTS_MAX}
            rows={4}
            error={errors.comments}
            defaultValue={str(values.comments)}
            {...register("comments")}
          />
          <Checkbox
            legend="Would you like to talk to someone?"
            legendSize="s"
            label={CHECK_IN_QUESTIONS.contactWanted}
            hint="They will use the contact preferences in your account. Nobody else is told."
            error={errors.contactWanted}
            defaultChecked={values.contactWanted === "on" || values.contactWanted === true}
            {...register("contactWanted")}
          />
          <Button disabled={isSubmitting}>Send my answers</Button>
        </Form>
        <HelpNowInset />
      </div>
    </div>
  );
}
