// One of the signed-in person's requests: confirmation (after sending), answers, updates, reply,
// withdraw, rating a closed request (once), and who in the people hub has looked at or changed it.
// Someone else's reference is a 404, exactly like a missing one. Withdrawing has a confirmation
// step (?withdraw=1) that works without JavaScript, and so do withdrawing and giving again consent
// to involve the line manager (?consent=withdraw, ?consent=give).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireUser } from "~/.server/auth/session.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import {
  changeMyManagerConsent,
  findMyOpenRequestForOffer,
  getMyRequest,
  getMyRequestAccessLog,
  getMyRequestTimeline,
  isOpenStatus,
  isRequestError,
  rateMyRequest,
  replyToMyRequest,
  withdrawMyRequest,
  type AccessLogEntry,
  type TimelineEvent,
} from "~/.server/models/requests.server";
import { Button, ErrorSummary, Radios, str, Textarea } from "~/components/fields";
import { formatDate, formatDateTime } from "~/components/format";
import { useServerValidatedForm } from "~/components/forms";
import { setTextareaValue } from "~/components/textarea-value";
import { StatusTag, statusLabel, UrgentTag } from "~/components/status-tag";
import { HelpNowInset, UrgentHelpCard } from "~/components/urgent-help";
import { AlsoOpenNotice } from "~/components/open-request";
import { nextHubOpening } from "~/lib/working-days";
import { retentionOutcomeLabel } from "~/lib/leaving";
import {
  asksManagerConsent,
  contactMethodLabels,
  describeAnswers,
  LIMITS,
  managerConsentSchema,
  replySchema,
  withdrawSchema,
  type ManagerConsentChange,
} from "~/schemas/request-forms";
import { RATING_COMMENT_MAX, RATING_LABELS, ratingSchema, type Rating } from "~/schemas/rating";
import { AnswersList } from "~/components/nhsuk/answers-list";
import { NotificationBanner } from "~/components/nhsuk/notification-banner";
import { StackedTable } from "~/components/nhsuk/table";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Page not found – StayWell" }];
  const ref = data.request.reference;
  if (data.confirmWithdraw) return [{ title: `Withdraw request ${ref} – StayWell` }];
  if (data.confirmConsent === "withdraw")
    return [{ title: `Withdraw consent to contact your line manager: ${ref} – StayWell` }];
  if (data.confirmConsent === "give")
    return [{ title: `Agree that the people hub can talk to your line manager: ${ref} – StayWell` }];
  if (data.submitted) return [{ title: `Request sent: ${ref} – StayWell` }];
  return [{ title: `Request ${ref} – StayWell` }];
};

function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

function hubOpeningAfter(sentAt: Date): Date | null {
  try {
    return nextHubOpening(sentAt);
  } catch {
    return null; // outside the bank holiday data: say nothing rather than guess
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const reference = params.reference ?? "";
  const found = await getMyRequest(user, reference);
  if (!found) notFound();
  // found.id is the caller's own request (getMyRequest is scoped to them): no second lookup.
  const timeline = (await getMyRequestTimeline(user, reference, { requestId: found.id })) ?? [];
  const accessLog = (await getMyRequestAccessLog(user, reference, { requestId: found.id })) ?? {
    total: 0,
    entries: [],
  };
  const url = new URL(request.url);
  const open = isOpenStatus(found.status);
  const managerConsentAsked = asksManagerConsent(found.offer.formKind);
  // The confirmation step of a change that makes sense now (withdraw only what is given).
  const consentStep = url.searchParams.get("consent");
  const confirmConsent: ManagerConsentChange | null =
    managerConsentAsked && consentStep === (found.consentToShareWithManager ? "withdraw" : "give") ? consentStep : null;
  const { id: _id, answers, ...rest } = found;
  const submitted = url.searchParams.get("submitted") === "1";
  return {
    request: { ...rest, open, managerConsentAsked },
    answers: describeAnswers(found.offer.formKind, answers),
    timeline,
    accessLog,
    submitted,
    // On the confirmation: another open request of theirs for the same support (sent anyway, or
    // made at once because they said they are not safe or not sure: ADR 012, amendment).
    alsoOpen:
      submitted && open
        ? await findMyOpenRequestForOffer(user, found.offer.slug, { excludeReference: found.reference })
        : null,
    // Sent outside the hub's working hours: when it will next be working (null in working hours).
    hubOpensAt: hubOpeningAfter(found.submittedAt),
    replied: url.searchParams.get("replied") === "1",
    rated: url.searchParams.get("rated") === "1" && found.ratedAt !== null,
    confirmWithdraw: url.searchParams.get("withdraw") === "1" && open,
    confirmConsent,
    consentChanged: url.searchParams.get("consent") === "changed",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const reference = params.reference ?? "";
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const path = `/my/requests/${encodeURIComponent(reference)}`;
  try {
    if (intent === "reply") {
      const parsed = await parseForm(formData, replySchema);
      if (!parsed.ok)
        return data({ intent: "reply" as const, errors: parsed.errors, values: parsed.values }, { status: 400 });
      await replyToMyRequest(user, reference, { message: parsed.data.message });
      // No #updates: the page opens at its top, where the success banner says the message went
      // (without JavaScript the new page's reply box is empty; with it, ReplyForm resets).
      throw redirect(`${path}?replied=1`);
    }
    if (intent === "withdraw") {
      const parsed = await parseForm(formData, withdrawSchema);
      if (!parsed.ok)
        return data({ intent: "withdraw" as const, errors: parsed.errors, values: parsed.values }, { status: 400 });
      await withdrawMyRequest(user, reference, { reason: parsed.data.reason });
      throw redirect(path);
    }
    if (intent === "consent") {
      const parsed = await parseForm(formData, managerConsentSchema);
      if (!parsed.ok)
        return data(
          {
            intent: "consent" as const,
            errors: { _form: Object.values(parsed.errors)[0] ?? "Reload the page and try again." },
            values: {},
          },
          { status: 400 },
        );
      await changeMyManagerConsent(user, reference, parsed.data);
      throw redirect(`${path}?consent=changed#line-manager`);
    }
    if (intent === "rate") {
      const parsed = await parseForm(formData, ratingSchema);
      if (!parsed.ok)
        return data({ intent: "rate" as const, errors: parsed.errors, values: parsed.values }, { status: 400 });
      await rateMyRequest(user, reference, parsed.data);
      throw redirect(`${path}?rated=1#satisfaction`);
    }
    return data({ intent: null, errors: { _form: "Choose what you want to do" }, values: {} }, { status: 400 });
  } catch (err) {
    if (isRequestError(err, "not_found")) notFound();
    if (isRequestError(err) && intent === "consent") {
      return data(
        { intent: "consent" as const, errors: { _form: err.message }, values: {} },
        { status: err.code === "conflict" ? 409 : 400 },
      );
    }
    if (isRequestError(err) && intent === "rate") {
      return data(
        { intent: "rate" as const, errors: err.errors ?? { _form: err.message }, values: {} },
        { status: 400 },
      );
    }
    if (isRequestError(err)) {
      const field = intent === "reply" ? "message" : "_form";
      return data(
        {
          intent: intent === "withdraw" ? ("withdraw" as const) : ("reply" as const),
          errors: err.errors ?? { [field]: err.message },
          values: {},
        },
        { status: 400 },
      );
    }
    throw err;
  }
}

const contactPhrases = { email: "email", phone: "phone", teams: "Microsoft Teams" } as const;

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function MyRequestPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (loaderData.confirmWithdraw) {
    return (
      <ConfirmWithdraw
        request={loaderData.request}
        actionData={actionData?.intent === "withdraw" ? actionData : undefined}
      />
    );
  }
  if (loaderData.confirmConsent) {
    return (
      <ConfirmManagerConsent
        request={loaderData.request}
        change={loaderData.confirmConsent}
        error={actionData?.intent === "consent" ? actionData.errors?._form : undefined}
      />
    );
  }
  return <RequestDetails {...loaderData} actionData={actionData} />;
}

function RequestDetails({
  request,
  answers,
  timeline,
  accessLog,
  submitted,
  alsoOpen,
  hubOpensAt,
  replied,
  rated,
  consentChanged,
  actionData,
}: LoaderData & { actionData: ReturnType<typeof useActionData<typeof action>> }) {
  // At risk, or "not sure" whether they feel safe: the crisis card (worded for uncertainty for the latter).
  const crisisCard =
    request.open && (request.priority === "at_risk" || request.priority === "safety_check") ? (
      <UrgentHelpCard afterSubmit uncertain={request.priority === "safety_check"} />
    ) : null;
  const shortTarget = request.priority !== "normal";
  const withdrawError =
    actionData?.intent === "withdraw" || actionData?.intent === "consent" ? actionData.errors?._form : undefined;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {submitted ? (
          <>
            <div className="nhsuk-panel">
              <h1 className="nhsuk-panel__heading">Request sent</h1>
              <div className="nhsuk-panel__body">
                Your reference is
                <br />
                <strong>{request.reference}</strong>
              </div>
            </div>
            {crisisCard}
            {hubOpensAt ? (
              <div className="nhsuk-inset-text" id="outside-hours">
                <span className="nhsuk-u-visually-hidden">Information: </span>
                <p>
                  You sent this outside the people hub&apos;s working hours (9am to 5pm, Monday to Friday, not bank
                  holidays). The people hub will next be working from <strong>{formatDateTime(hubOpensAt)}</strong>.
                </p>
              </div>
            ) : null}
            {hubOpensAt && !crisisCard ? <HelpNowInset /> : null}
            {alsoOpen ? <AlsoOpenNotice openRequest={alsoOpen} /> : null}
            <p>We have sent a confirmation to your email address. It does not include what you told us.</p>
            <h2>What happens next</h2>
            <p className="staywell-pre-wrap">{request.offer.whatHappensNext}</p>
            <p>
              The people hub aims to contact you by {contactPhrases[request.contactMethod]}{" "}
              {shortTarget ? (
                <>
                  by <strong>{formatDateTime(request.dueAt)}</strong>.
                </>
              ) : (
                <>
                  within{" "}
                  <strong>
                    {request.offer.firstContactTargetDays} working{" "}
                    {request.offer.firstContactTargetDays === 1 ? "day" : "days"}
                  </strong>{" "}
                  (Monday to Friday, not bank holidays).
                </>
              )}
              {request.priority === "urgent"
                ? " Your request is marked as urgent, so it will be looked at first."
                : null}
            </p>
            <p>Any updates and messages from the people hub will appear on this page.</p>
          </>
        ) : (
          <>
            <nav className="nhsuk-back-link" aria-label="Back">
              <Link className="nhsuk-back-link__link" to="/my/requests">
                Back to your requests
              </Link>
            </nav>
            {withdrawError ? <ErrorSummary errors={{ _form: withdrawError }} /> : null}
            {replied ? <ReplySentBanner /> : null}
            <span className="nhsuk-caption-l">Request {request.reference}</span>
            <h1>{request.offer.title}</h1>
            {crisisCard}
          </>
        )}

        <h2>{submitted ? "Your request" : "About this request"}</h2>
        <SummaryList>
          <SummaryListRow label="Status">
            <StatusTag status={request.status} /> {request.urgent && request.open ? <UrgentTag /> : null}
          </SummaryListRow>
          <SummaryListRow label="Reference">{request.reference}</SummaryListRow>
          <SummaryListRow label="Support">{request.offer.title}</SummaryListRow>
          {request.retentionOutcome ? (
            <SummaryListRow label="What happened">{retentionOutcomeLabel(request.retentionOutcome)}</SummaryListRow>
          ) : null}
          <SummaryListRow label="Sent">{formatDate(request.submittedAt)}</SummaryListRow>
          <SummaryListRow label="Contact by">
            {contactMethodLabels[request.contactMethod]}
            {request.contactMethod === "phone" && request.contactPhone ? `: ${request.contactPhone}` : null}
          </SummaryListRow>
          {request.contactTimes ? <SummaryListRow label="Best times">{request.contactTimes}</SummaryListRow> : null}
          <SummaryListRow label="Your line manager">
            {request.consentToShareWithManager
              ? "You agreed that the people hub can talk to your line manager about this request"
              : "The people hub will not contact your line manager about this request"}
          </SummaryListRow>
        </SummaryList>

        <h2>Your answers</h2>
        <AnswersList answers={answers} />

        {request.managerConsentAsked ? <ManagerConsent request={request} changed={consentChanged} /> : null}

        <h2 id="updates">Updates</h2>
        <Timeline events={timeline} />

        {request.open ? (
          <ReplyForm replied={replied} actionData={actionData?.intent === "reply" ? actionData : undefined} />
        ) : (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              This request is {statusLabel(request.status).toLowerCase()}. If you need more help,{" "}
              <Link to="/support">make a new request</Link>.
            </p>
          </div>
        )}

        {request.status === "closed" || request.ratedAt ? (
          <Satisfaction
            request={request}
            rated={rated}
            actionData={actionData?.intent === "rate" ? actionData : undefined}
          />
        ) : null}

        <AccessLog log={accessLog} />

        {request.open ? (
          <>
            <h2>Withdraw this request</h2>
            <p>
              If you no longer need this support, you can withdraw your request. The people hub will stop working on it.
            </p>
            <Link className="nhsuk-button nhsuk-button--secondary" to="?withdraw=1">
              Withdraw this request
            </Link>
          </>
        ) : null}
        <p>
          <Link to="/my/requests">All your requests</Link>
        </p>
      </div>
    </div>
  );
}

function eventTitle(event: TimelineEvent): string {
  const who = event.actorName ?? "The people hub";
  switch (event.kind) {
    case "submitted":
      return "You sent your request";
    case "message_from_staff":
      return event.byMe ? "You sent a message" : `Message from ${who}`;
    case "message_to_staff":
      return `Message from ${who}`;
    case "status_changed": {
      const to = typeof event.data?.to === "string" ? event.data.to : undefined;
      return to ? `Status changed to ${statusLabel(to)}` : "Status changed";
    }
    case "assigned":
      return event.actorName
        ? `${event.actorName} is looking after your request`
        : "Your request was given to a coordinator";
    case "withdrawn":
      return event.byMe ? "You withdrew your request" : "Your request was withdrawn";
    case "viewed":
      return `${who} looked at your request`;
    case "consent_withdrawn":
      return "You withdrew your consent for the people hub to talk to your line manager";
    case "consent_given":
      return "You agreed that the people hub can talk to your line manager";
    case "manager_contacted":
      return `${who} recorded that the people hub talked to your line manager`;
    default:
      return "Update";
  }
}

function Timeline({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p>There are no updates yet.</p>;
  return (
    <ol className="nhsuk-list staywell-timeline">
      {events.map((event) => (
        <li key={event.id} className="nhsuk-u-margin-bottom-4">
          <h3 className="nhsuk-heading-xs nhsuk-u-margin-bottom-1">{eventTitle(event)}</h3>
          <p className="nhsuk-body-s nhsuk-u-secondary-text-colour nhsuk-u-margin-bottom-2">
            <time dateTime={new Date(event.createdAt).toISOString()}>{formatDateTime(event.createdAt)}</time>
          </p>
          {event.body ? (
            <div className="nhsuk-inset-text nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-2">
              <p className="staywell-pre-wrap">{event.body}</p>
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

type FormData400 = { errors?: Record<string, string>; values?: Record<string, unknown> };

/**
 * NHS.UK success notification banner for a sent message. It takes focus on arrival (tabIndex -1),
 * so a screen reader announces it and nobody is left looking at the box they just sent from.
 * Keyed by the location: a second message sent from the same URL focuses it again.
 */
function ReplySentBanner() {
  const banner = useRef<HTMLDivElement>(null);
  const location = useLocation();
  useEffect(() => {
    banner.current?.focus();
  }, [location.key]);
  return (
    <NotificationBanner
      ref={banner}
      success
      titleId="reply-sent-title"
      tabIndex={-1}
      id="reply-sent"
      body={
        <>
          You can read it under <a href="#updates">Updates</a>.
        </>
      }
    >
      Your message has been sent to the people hub.
    </NotificationBanner>
  );
}

function ReplyForm({ actionData, replied }: { actionData: FormData400 | undefined; replied: boolean }) {
  const { form, register, errors, values, formProps, isSubmitting } = useServerValidatedForm(replySchema, {
    defaultValues: { message: "" },
    actionData,
  });
  // With JavaScript the page stays mounted through the action's redirect, and react-hook-form
  // would keep the sent text in the box: an invitation to send it twice. Each arrival at
  // ?replied=1 (a new location key, even for a second message) empties it.
  const location = useLocation();
  useEffect(() => {
    if (!replied) return;
    const box = document.querySelector<HTMLTextAreaElement>('textarea[name="message"]');
    if (box) setTextareaValue(box, ""); // so the character count follows
    form.reset({ message: "" });
    // Not on `form`: a reset on every render would empty the box while the person types.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [replied, location.key]);
  return (
    <>
      <h2>Send a message to the people hub</h2>
      <ErrorSummary errors={errors} />
      <Form method="post" {...formProps}>
        <Textarea
          label="Your message"
          labelSize="s"
          hint="For example, a change to when you can be contacted, or an answer to a question from the hub."
          maxLength={LIMITS.reply}
          error={errors.message ?? errors._form}
          defaultValue={str(values.message)}
          {...register("message")}
        />
        <Button name="intent" value="reply" disabled={isSubmitting}>
          Send message
        </Button>
      </Form>
    </>
  );
}

function ConfirmWithdraw({
  request,
  actionData,
}: {
  request: LoaderData["request"];
  actionData: FormData400 | undefined;
}) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(withdrawSchema, {
    defaultValues: { reason: "" },
    actionData,
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <nav className="nhsuk-back-link" aria-label="Back">
          <Link className="nhsuk-back-link__link" to=".">
            Back to request {request.reference}
          </Link>
        </nav>
        <ErrorSummary errors={errors} />
        <span className="nhsuk-caption-l">Request {request.reference}</span>
        <h1>Are you sure you want to withdraw this request?</h1>
        <p>
          The people hub will stop working on your request for {request.offer.title}. You can still read it, and you can
          make a new request at any time.
        </p>
        <Form method="post" {...formProps}>
          <Textarea
            label="Why are you withdrawing it? (optional)"
            labelSize="s"
            hint="This helps the people hub improve the support. For example, you no longer need it, or you found help elsewhere."
            rows={3}
            maxLength={LIMITS.withdrawReason}
            error={errors.reason ?? errors._form}
            defaultValue={str(values.reason)}
            {...register("reason")}
          />
          <div className="nhsuk-button-group">
            <Button variant="warning" name="intent" value="withdraw" disabled={isSubmitting}>
              Yes, withdraw my request
            </Button>
            <Link className="nhsuk-link" to=".">
              No, keep my request
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// consent to involve the line manager

function ManagerConsent({ request, changed }: { request: LoaderData["request"]; changed: boolean }) {
  const given = request.consentToShareWithManager;
  return (
    <section aria-labelledby="line-manager">
      <h2 id="line-manager">Your line manager</h2>
      {changed ? (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {given
              ? "You have agreed that the people hub can talk to your line manager about this request."
              : "You have withdrawn your consent. The people hub will not talk to your line manager about this request."}
          </p>
        </div>
      ) : null}
      {given ? (
        <>
          <p>You agreed that the people hub can talk to your line manager about this request.</p>
          <p>You can change your mind at any time.</p>
          <Link className="nhsuk-button nhsuk-button--secondary" to="?consent=withdraw">
            Withdraw your consent
          </Link>
        </>
      ) : (
        <>
          <p>The people hub will not talk to your line manager about this request.</p>
          <p>If you would like them to, for example to arrange changes at work, you can agree to it.</p>
          <Link className="nhsuk-button nhsuk-button--secondary" to="?consent=give">
            Agree that the people hub can talk to your line manager
          </Link>
        </>
      )}
    </section>
  );
}

/** The confirmation of a change of consent: what it means, then one button (no JavaScript needed). */
function ConfirmManagerConsent({
  request,
  change,
  error,
}: {
  request: LoaderData["request"];
  change: ManagerConsentChange;
  error: string | undefined;
}) {
  const withdraw = change === "withdraw";
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <nav className="nhsuk-back-link" aria-label="Back">
          <Link className="nhsuk-back-link__link" to=".">
            Back to request {request.reference}
          </Link>
        </nav>
        {error ? <ErrorSummary errors={{ _form: error }} /> : null}
        <span className="nhsuk-caption-l">Request {request.reference}</span>
        {withdraw ? (
          <>
            <h1>Withdraw your consent for the people hub to talk to your line manager?</h1>
            <p>If you withdraw your consent:</p>
            <ul className="nhsuk-list nhsuk-list--bullet">
              <li>the people hub will not contact your line manager about this request from now on</li>
              <li>
                anything the people hub has already discussed with your line manager cannot be undone, but nothing more
                will be shared
              </li>
              <li>the people hub will see that you withdrew your consent, and when</li>
              <li>the people hub will still help you with your request</li>
            </ul>
            <p>You can agree again at any time from this page.</p>
          </>
        ) : (
          <>
            <h1>Agree that the people hub can talk to your line manager?</h1>
            <p>If you agree:</p>
            <ul className="nhsuk-list nhsuk-list--bullet">
              <li>
                the people hub may contact your line manager about this request, for example to arrange changes at work
              </li>
              <li>they will only share what is needed for that</li>
              <li>you will see on this page when the people hub has talked to your line manager</li>
            </ul>
            <p>You can withdraw your consent at any time from this page.</p>
          </>
        )}
        <Form method="post">
          <input type="hidden" name="change" value={change} />
          <input type="hidden" name="version" value={request.version} />
          <div className="nhsuk-button-group">
            <Button variant={withdraw ? "warning" : undefined} name="intent" value="consent">
              {withdraw ? "Yes, withdraw my consent" : "Yes, I agree"}
            </Button>
            <Link className="nhsuk-link" to=".">
              {withdraw ? "No, keep my consent" : "No, go back"}
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// satisfaction

const RATING_ITEMS = (Object.entries(RATING_LABELS) as Array<[string, string]>).map(([value, label]) => ({
  value,
  label: `${value} – ${label}`,
}));

function Satisfaction({
  request,
  rated,
  actionData,
}: {
  request: LoaderData["request"];
  rated: boolean;
  actionData: FormData400 | undefined;
}) {
  if (request.satisfactionRating !== null) {
    const rating = request.satisfactionRating as Rating;
    return (
      <section aria-labelledby="satisfaction">
        <h2 id="satisfaction">Your feedback</h2>
        {actionData?.errors?._form ? <ErrorSummary errors={{ _form: actionData.errors._form }} /> : null}
        {rated ? (
          <div className="nhsuk-inset-text" role="status">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>Thank you for your feedback.</p>
          </div>
        ) : null}
        <p>
          You rated this {rating} out of 5{RATING_LABELS[rating] ? ` (${RATING_LABELS[rating].toLowerCase()})` : ""}.
        </p>
        {request.satisfactionComment ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Your comment: </span>
            <p className="staywell-pre-wrap">{request.satisfactionComment}</p>
          </div>
        ) : null}
      </section>
    );
  }
  return <RatingForm actionData={actionData} />;
}

function RatingForm({ actionData }: { actionData: FormData400 | undefined }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(ratingSchema, {
    defaultValues: { rating: undefined, comment: "" },
    actionData,
  });
  return (
    <section aria-labelledby="satisfaction">
      <h2 id="satisfaction">Tell us how we did</h2>
      <p>Your request is closed. Your answer helps the people hub improve its support. You can only answer once.</p>
      <ErrorSummary errors={errors} />
      <Form method="post" {...formProps}>
        <Radios
          legend="How helpful was the people hub?"
          legendSize="s"
          error={errors.rating ?? errors._form}
          defaultValue={str(values.rating)}
          items={RATING_ITEMS}
          {...register("rating")}
        />
        <Textarea
          label="Is there anything you would like to tell us? (optional)"
          labelSize="s"
          hint="Do not include personal details such as your name or anyone else's."
          rows={4}
          maxLength={RATING_COMMENT_MAX}
          error={errors.comment}
          defaultValue={str(values.comment)}
          {...register("comment")}
        />
        <Button name="intent" value="rate" disabled={isSubmitting}>
          Send feedback
        </Button>
      </Form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// who has looked at or changed the request

function AccessLog({ log }: { log: { total: number; entries: AccessLogEntry[] } }) {
  return (
    <section aria-labelledby="access-log">
      <h2 id="access-log">Who has looked at or changed your request</h2>
      <p>
        Everyone in the people hub who opens or works on your request, and every change an administrator makes to it
        (such as moving it to another team), is recorded here, so you can see who has seen it and when.
      </p>
      {log.entries.length === 0 ? (
        <p>No one in the people hub has opened your request yet.</p>
      ) : (
        <>
          <StackedTable
            caption="People who have looked at or changed your request, newest first"
            captionClassName="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden"
            rows={log.entries}
            rowKey={(entry) => entry.id}
            columns={[
              { heading: "Who", cell: (entry) => entry.name },
              { heading: "Role", cell: (entry) => entry.roleLabel },
              { heading: "What", cell: (entry) => entry.actionLabel },
              {
                heading: "When",
                cell: (entry) => <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at)}</time>,
              },
            ]}
          />
          {log.total > log.entries.length ? (
            <p className="nhsuk-body-s">
              Showing the latest {log.entries.length} of {log.total} entries.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
