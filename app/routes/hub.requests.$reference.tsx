// One request in the people hub: the answers, the person, their contact preferences and consent,
// the response target, the full timeline (internal notes included), and the coordinator's actions:
// assign, change status, message the person, internal note, record a contact with the line manager
// (offered and accepted only while the person's consent is given; a change of consent is a warning
// callout at the top). Each action is its own small form
// with an `intent` and the `version` the coordinator saw; all work without JavaScript.
//
// Access: requireHubUser (403 for anyone who is not a coordinator in a team). A reference the
// caller may not see is 404 — exactly as for one that does not exist — or, for another team's
// non-sensitive request, a 403 page naming the team (app/.server/permissions.server.ts).
//
// Opened from another site (a link in web mail, a chat, another website: Sec-Fetch-Site), the page
// first asks "Open request SW-…?" and reads and records nothing; following its link (a StayWell
// navigation) opens the request and records the view (ADR 011).
import { errorPageTitle } from "~/lib/page-title";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  useActionData,
  useLoaderData,
  useRouteError,
  type ShouldRevalidateFunctionArgs,
} from "@remix-run/react";
import { useMemo, useRef, useState } from "react";
import { appendSavedText, insertText, setTextareaValue } from "~/components/textarea-value";
import { parseForm, readFormData } from "~/.server/forms.server";
import { openedFromAnotherSite } from "~/.server/navigation.server";
import { requireHubUser, throwDomainError, withDomainErrors } from "~/.server/route-errors.server";
import {
  addInternalNote,
  assignHubRequest,
  changeHubRequestStatus,
  isHubRequestError,
  messageRequester,
  openHubRequest,
  recordManagerContact,
  savedResponseForHubRequest,
} from "~/.server/models/hub-requests.server";
import { Button, ErrorSummary, Radios, str, Textarea } from "~/components/fields";
import { formatDate } from "~/components/format";
import { useServerValidatedForm } from "~/components/forms";
import { HubStatusTag, OverdueTag, SelfDeclaredTag, When } from "~/components/hub-request-parts";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { Select } from "~/components/nhsuk/select";
import { HubTimeline } from "~/components/hub-timeline";
import { PriorityTag } from "~/components/priority-tag";
import { CLOSE_OUTCOMES, isOpen, STATUS_LABELS, type RequestStatus } from "~/lib/request-status";
import { RETENTION_OUTCOMES, retentionOutcomeLabel } from "~/lib/leaving";
import {
  assignSchema,
  HUB_LIMITS,
  isHubIntent,
  managerContactSchema,
  messageSchema,
  noteSchema,
  parseVersion,
  statusSchema,
  statusSchemaFor,
  stayStatusSchema,
  needsRetentionOutcome,
  type HubIntent,
} from "~/schemas/hub-actions";
import { contactMethodLabels, describeAnswers, formatIsoDate, priorityTags } from "~/schemas/request-forms";
import { HUB_CLOSES_HOUR } from "~/lib/working-days";
import { AnswersList } from "~/components/nhsuk/answers-list";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error) return [{ title: errorPageTitle(error, "You do not have access to this request") }];
  if (!data) return [{ title: "People hub – StayWell" }];
  if (data.step === "confirm") return [{ title: `${openStepHeading(data.confirm.reference)} – People hub – StayWell` }];
  return [{ title: `${data.request.reference} – People hub – StayWell` }];
};

const DONE_MESSAGES: Record<HubIntent, string> = {
  assign: "The request has been assigned.",
  status: "The status has been changed.",
  message: "Your message has been sent. The person has been emailed that there is a new message.",
  note: "Your internal note has been added.",
  manager_contact: "The contact with the line manager has been recorded.",
};

function pathOf(reference: string) {
  return `/hub/requests/${encodeURIComponent(reference)}`;
}

/** Full-width layout: the queue and the request page are work screens. */
export const handle = { fluid: true };

/** In the address, makes the page ask before it opens (the way back from signing in after another site's link). */
const CONFIRM_PARAM = "confirm";
/** Only a well-formed reference is repeated on the step: another site cannot put its own words on our page. */
const REFERENCE_SHAPE = /^SW-\d{4}-\d{5,7}$/;

function openStepHeading(reference: string | null) {
  return reference ? `Open request ${reference}?` : "Open this request?";
}

/** This page's path and query, with or without the confirm marker. */
function pathAndQuery(url: URL, confirm: boolean) {
  const search = new URLSearchParams(url.search);
  search.delete(CONFIRM_PARAM);
  if (confirm) search.set(CONFIRM_PARAM, "1");
  const query = search.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

/** The step's "open" link: this page without the confirm marker or anything another site may have added. */
function openHref(url: URL) {
  return url.pathname;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const mustAsk = openedFromAnotherSite(request) || url.searchParams.has(CONFIRM_PARAM);
  // Signing in after following another site's link is not choosing this request: the way back asks.
  const user = await requireHubUser(request, mustAsk ? pathAndQuery(url, true) : undefined);
  const reference = params.reference ?? "";
  if (mustAsk) {
    // Nothing about the request is read, and nothing is recorded: the step is the same for a real
    // reference, a missing one and another team's sensitive one.
    return {
      step: "confirm" as const,
      // The link opens the request only: another site cannot pre-set a "done" banner or a saved response.
      confirm: { reference: REFERENCE_SHAPE.test(reference) ? reference : null, href: openHref(url) },
    };
  }
  const now = new Date();
  const view = await withDomainErrors(() => openHubRequest(user, reference, now));

  const done = url.searchParams.get("done");
  const cannedId = Number(url.searchParams.get("canned"));
  const canned = view.cannedResponses.find((c) => c.id === cannedId) ?? null;
  const { id: _id, answers, ...rest } = view;
  return {
    step: "request" as const,
    request: rest,
    answers: describeAnswers(view.offer.formKind, answers, view.answersRemoved),
    me: { id: user.id },
    done: isHubIntent(done) ? done : null,
    canned,
  };
}

/**
 * A saved response chosen without JavaScript: a submit button of the message form named "canned"
 * (value: its id), so what was typed travels with it. The action sends nothing and writes nothing:
 * the page comes back with the box holding the typed text, a blank line and the saved text.
 */
const INSERT_CANNED = "insert-canned";

type ActionResult = {
  intent: HubIntent | typeof INSERT_CANNED | null;
  errors: Record<string, string>;
  values: Record<string, unknown>;
  conflict?: boolean;
  /** insert-canned: the saved response now in the box. */
  inserted?: number;
};

function formValues(formData: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && key !== "version" && key !== "intent") values[key] = value;
  }
  return values;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireHubUser(request);
  const reference = params.reference ?? "";
  const formData = await readFormData(request);
  // The saved-response buttons carry their id as "canned"; "intent" is then absent (one name a button).
  const rawIntent = formData.get("intent") ?? (formData.has("canned") ? INSERT_CANNED : null);
  const values = formValues(formData);
  if (rawIntent === INSERT_CANNED) return insertSavedResponse(user, reference, formData);
  if (!isHubIntent(rawIntent)) {
    return data<ActionResult>(
      { intent: null, errors: { _form: "Choose what you want to do" }, values },
      { status: 400 },
    );
  }
  const intent = rawIntent;
  const version = parseVersion(formData.get("version"));
  if (version === null) {
    return data<ActionResult>(
      { intent, errors: { _form: "This page is out of date. Reload it and try again." }, values },
      { status: 400 },
    );
  }
  try {
    if (intent === "assign") {
      const parsed = await parseForm(formData, assignSchema);
      if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, values }, { status: 400 });
      await assignHubRequest(user, reference, { assigneeId: parsed.data.assigneeId, version });
    } else if (intent === "status") {
      // The stay form's marker only chooses which problems are listed together; the model requires
      // the retention outcome of every stay conversation it closes, whatever the form sent.
      const schema = formData.get("stayConversation") === "1" ? stayStatusSchema : statusSchema;
      const parsed = await parseForm(formData, schema);
      if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, values }, { status: 400 });
      await changeHubRequestStatus(user, reference, {
        to: parsed.data.to,
        outcome: parsed.data.outcome,
        retentionOutcome: parsed.data.retentionOutcome,
        version,
      });
    } else if (intent === "message") {
      const parsed = await parseForm(formData, messageSchema);
      if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, values }, { status: 400 });
      await messageRequester(user, reference, { body: parsed.data.message, version });
    } else if (intent === "note") {
      const parsed = await parseForm(formData, noteSchema);
      if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, values }, { status: 400 });
      await addInternalNote(user, reference, { body: parsed.data.note, version });
    } else {
      const parsed = await parseForm(formData, managerContactSchema);
      if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, values }, { status: 400 });
      await recordManagerContact(user, reference, { note: parsed.data.managerNote, version });
    }
  } catch (err) {
    if (isHubRequestError(err, "conflict")) {
      return data<ActionResult>({ intent, errors: { _form: err.message }, values, conflict: true }, { status: 409 });
    }
    if (isHubRequestError(err, "invalid"))
      return data<ActionResult>({ intent, errors: err.errors, values }, { status: 400 });
    if (isHubRequestError(err, "consent_withdrawn")) {
      return data<ActionResult>({ intent, errors: { _form: err.message }, values }, { status: 400 });
    }
    throwDomainError(err);
  }
  throw redirect(`${pathOf(reference)}?done=${intent}`);
}

/** The typed message with the chosen saved response after it; reads the request (scoped), writes nothing. */
async function insertSavedResponse(
  user: Awaited<ReturnType<typeof requireHubUser>>,
  reference: string,
  formData: FormData,
) {
  const typed = formData.get("message");
  const message = typeof typed === "string" ? typed : "";
  const raw = formData.get("canned");
  const id = typeof raw === "string" && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
  const saved = id === null ? null : await withDomainErrors(() => savedResponseForHubRequest(user, reference, id));
  if (!saved) {
    return data<ActionResult>(
      {
        intent: INSERT_CANNED,
        errors: { _form: "That saved response is not one of this request's. Choose one from the list." },
        values: { message },
      },
      { status: 400 },
    );
  }
  return data<ActionResult>({
    intent: INSERT_CANNED,
    errors: {},
    values: { message: appendSavedText(message, saved.body) },
    inserted: saved.id,
  });
}

/** After a conflict the page shows the request as it is now (with JavaScript too). */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionStatus === 409) return true;
  return defaultShouldRevalidate;
}

// ---------------------------------------------------------------------------------------------
// page

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type PageData = Extract<LoaderData, { step: "request" }>;
type View = PageData["request"];

export default function HubRequestRoute() {
  const loaded = useLoaderData<typeof loader>();
  if (loaded.step === "confirm")
    return <OpenRequestStep reference={loaded.confirm.reference} href={loaded.confirm.href} />;
  return <HubRequestPage loaded={loaded} />;
}

/** Shown instead of the request when another site's link brought the coordinator here. */
function OpenRequestStep({ reference, href }: { reference: string | null; href: string }) {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>
          {reference ? (
            <>
              Open request <span className="staywell-nowrap">{reference}</span>?
            </>
          ) : (
            openStepHeading(null)
          )}
        </h1>
        <p>You followed a link from another website, email or app.</p>
        <p>
          Opening a request is recorded, and the person who asked for support can see who has looked at it. Only open it
          if you need to for your work.
        </p>
        <Link className="nhsuk-button" to={href} draggable={false}>
          Open the request
        </Link>
        <p>
          <Link to="/hub">Go to the people hub queue instead</Link>
        </p>
      </div>
    </div>
  );
}

function HubRequestPage({ loaded }: { loaded: PageData }) {
  const { request, answers, done, canned, me } = loaded;
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const forIntent = (intent: HubIntent | typeof INSERT_CANNED) =>
    actionData?.intent === intent ? actionData : undefined;
  const open = isOpen(request.status);
  const formError = actionData?.errors?._form;
  const person = request.requester;

  // Layout (issue 9): at 1280 x 800 px the first screen holds what a coordinator acts on: the
  // person, the priority and target, and the four actions, in two rows of three columns
  // (person | priority and target | assign, then status | message | internal note). The answers
  // and the timeline follow, with the request's full details beside them. Reading order, keyboard
  // order and visual order are the same: row by row, left to right. Below 769 px the columns stack.
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/hub">
          Back to the queue
        </Link>
      </nav>
      {done && !actionData ? <SuccessBanner>{DONE_MESSAGES[done]}</SuccessBanner> : null}
      {formError ? (
        <ErrorSummary
          errors={{ _form: formError }}
          title={actionData?.conflict ? "Someone else changed this request" : undefined}
        />
      ) : null}

      <h1 className="nhsuk-heading-l staywell-hub-heading">
        <span className="nhsuk-caption-m">{request.offer.title}</span>
        {request.reference}
      </h1>
      <div className="staywell-hub-bar">
        <p className="staywell-hub-tags">
          <HubStatusTag status={request.status} />
          <PriorityTag priority={request.priority} /> {request.due.overdue ? <OverdueTag /> : null}
        </p>
        <nav className="nhsuk-contents-list staywell-hub-contents" aria-label="On this page">
          <h2 className="nhsuk-u-visually-hidden">On this page</h2>
          <ol className="nhsuk-contents-list__list">
            {open ? (
              <li className="nhsuk-contents-list__item">
                <a className="nhsuk-contents-list__link" href="#hub-assign">
                  Assign
                </a>
              </li>
            ) : null}
            <li className="nhsuk-contents-list__item">
              <a className="nhsuk-contents-list__link" href="#hub-status">
                Change status
              </a>
            </li>
            {open ? (
              <li className="nhsuk-contents-list__item">
                <a className="nhsuk-contents-list__link" href="#hub-message">
                  Message {person.firstName}
                </a>
              </li>
            ) : null}
            <li className="nhsuk-contents-list__item">
              <a className="nhsuk-contents-list__link" href="#hub-note">
                Internal note
              </a>
            </li>
            <li className="nhsuk-contents-list__item">
              <a className="nhsuk-contents-list__link" href="#answers">
                Answers
              </a>
            </li>
            <li className="nhsuk-contents-list__item">
              <a className="nhsuk-contents-list__link" href="#timeline">
                Timeline
              </a>
            </li>
            {request.managerConsent.asked ? (
              <li className="nhsuk-contents-list__item">
                <a className="nhsuk-contents-list__link" href="#hub-manager-contact">
                  Line manager
                </a>
              </li>
            ) : null}
          </ol>
        </nav>
      </div>
      <ManagerConsentCallout request={request} />

      <div className="nhsuk-grid-row staywell-hub-row">
        <div className="nhsuk-grid-column-one-third">
          <PersonAtAGlance request={request} />
        </div>
        <div className="nhsuk-grid-column-one-third">
          <TargetAtAGlance request={request} />
        </div>
        <div className="nhsuk-grid-column-one-third">
          {/* Keyed by version: after a change the forms start again from the request as it is now. */}
          {/* A closed or withdrawn request is not assigned or messaged; it can be reopened (closed only). */}
          {open ? (
            <AssignForm
              key={`assign-${request.version}`}
              request={request}
              meId={me.id}
              actionData={forIntent("assign")}
            />
          ) : (
            <section aria-labelledby="hub-not-open">
              <h2 id="hub-not-open" className="nhsuk-heading-s">
                Assign and message
              </h2>
              <p className="nhsuk-inset-text">
                {request.status === "withdrawn"
                  ? `${person.firstName} withdrew this request, so it cannot be assigned or messaged.`
                  : `This request is closed. Reopen it to assign it or to message ${person.firstName}.`}
              </p>
            </section>
          )}
        </div>
      </div>

      <div className="nhsuk-grid-row staywell-hub-row">
        <div className="nhsuk-grid-column-one-third">
          <StatusForm key={`status-${request.version}`} request={request} actionData={forIntent("status")} />
        </div>
        {open ? (
          <div className="nhsuk-grid-column-one-third">
            <MessageForm
              key={`message-${request.version}-${canned?.id ?? "none"}`}
              request={request}
              canned={canned}
              actionData={forIntent("message") ?? forIntent(INSERT_CANNED)}
            />
          </div>
        ) : null}
        <div className="nhsuk-grid-column-one-third">
          <NoteForm key={`note-${request.version}`} request={request} actionData={forIntent("note")} />
        </div>
      </div>

      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h2 id="answers">Answers</h2>
          <AnswersList answers={answers} />

          {request.satisfaction ? (
            <>
              <h2>What {person.firstName} thought of the support</h2>
              <SummaryList>
                <SummaryListRow label="Rating">{request.satisfaction.rating} out of 5</SummaryListRow>
                <SummaryListRow label="Comment">
                  {request.satisfaction.comment ? (
                    <span className="staywell-pre-wrap">{request.satisfaction.comment}</span>
                  ) : (
                    "No comment"
                  )}
                </SummaryListRow>
                {request.satisfaction.ratedAt ? (
                  <SummaryListRow label="Rated on">
                    <When at={request.satisfaction.ratedAt} />
                  </SummaryListRow>
                ) : null}
              </SummaryList>
            </>
          ) : null}

          <h2 id="timeline">Timeline</h2>
          {request.seen && request.seen.newEntries > 0 ? (
            <p className="nhsuk-body-s" data-testid="timeline-new-count">
              {request.seen.newEntries === 1 ? "1 entry is" : `${request.seen.newEntries} entries are`} new since you
              last looked
              {request.seen.previously ? null : " (you have not opened this request before)"}.
            </p>
          ) : null}
          <HubTimeline events={request.timeline} requesterName={person.name} requesterFirstName={person.firstName} />
        </div>
        <div className="nhsuk-grid-column-one-third">
          <RequestSummary request={request} />
          <ResponseTarget request={request} />
          <PersonSummary request={request} />
          {request.managerConsent.asked ? (
            <ManagerContactForm
              key={`manager-${request.version}`}
              request={request}
              actionData={forIntent("manager_contact")}
            />
          ) : null}
        </div>
      </div>
    </>
  );
}

/** The first screen's view of the person: who, how to reach them, where they work. */
function PersonAtAGlance({ request }: { request: View }) {
  const person = request.requester;
  const contact = request.contact;
  return (
    <section aria-labelledby="hub-person">
      <h2 id="hub-person" className="nhsuk-heading-s">
        The person
      </h2>
      <SummaryList className="staywell-glance">
        <SummaryListRow label="Name" data={{ "data-first-screen": "person-name" }}>
          {person.name}
        </SummaryListRow>
        <SummaryListRow label="Contact" data={{ "data-first-screen": "person-contact" }}>
          {contactMethodLabels[contact.method]}
          {contact.method === "phone" && contact.phone ? `: ${contact.phone}` : null}
          <br />
          <EmailAddress email={person.email} />
        </SummaryListRow>
        <SummaryListRow label="Works at" data={{ "data-first-screen": "person-organisation" }}>
          {person.organisationName}
          {person.organisationSelfDeclared ? <SelfDeclaredTag /> : null}
        </SummaryListRow>
      </SummaryList>
    </section>
  );
}

/** An email address that, when it must wrap, wraps before the "@". */
function EmailAddress({ email }: { email: string }) {
  const at = email.lastIndexOf("@");
  if (at <= 0) return <span className="staywell-break-anywhere">{email}</span>;
  return (
    <span className="staywell-break-anywhere">
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </span>
  );
}

/** The first screen's view of the priority and the response target. */
function TargetAtAGlance({ request }: { request: View }) {
  const due = request.due;
  return (
    <section aria-labelledby="hub-target">
      <h2 id="hub-target" className="nhsuk-heading-s">
        Priority and target
      </h2>
      <SummaryList className="staywell-glance">
        <SummaryListRow label="Priority" data={{ "data-first-screen": "priority" }}>
          {priorityTags[request.priority] ?? "Normal"}
        </SummaryListRow>
        <SummaryListRow label="First contact" data={{ "data-first-screen": "target" }}>
          {due.firstContactAt ? (
            <>
              Made <When at={due.firstContactAt} />
            </>
          ) : (
            <>
              {due.paused ? "Paused (waiting on staff)" : due.overdue ? "Was due " : "Due "}
              {due.paused ? null : <When at={due.dueAt} />}
              {due.overdue ? (
                <>
                  {" "}
                  <OverdueTag />
                </>
              ) : null}
            </>
          )}
        </SummaryListRow>
        <SummaryListRow label="Looked after by">
          {request.assignee ? request.assignee.name : "Nobody yet"}
        </SummaryListRow>
      </SummaryList>
    </section>
  );
}

function RequestSummary({ request }: { request: View }) {
  return (
    <>
      <h2>Request</h2>
      <SummaryList>
        <SummaryListRow label="Reference">{request.reference}</SummaryListRow>
        <SummaryListRow label="Support">
          {request.offer.title}
          {request.offer.sensitive ? " (sensitive: only the team can see it; every view is recorded)" : null}
        </SummaryListRow>
        <SummaryListRow label="Team">{request.offer.teamName}</SummaryListRow>
        <SummaryListRow label="Status">
          {STATUS_LABELS.hub[request.status]}
          {request.closeOutcome ? ` – outcome: ${CLOSE_OUTCOMES[request.closeOutcome]}` : null}
        </SummaryListRow>
        {request.retentionOutcome ? (
          <SummaryListRow label="Retention outcome">{retentionOutcomeLabel(request.retentionOutcome)}</SummaryListRow>
        ) : null}
        {request.closedAt ? (
          <SummaryListRow label={request.status === "withdrawn" ? "Withdrawn" : "Closed"}>
            <When at={request.closedAt} />
            {request.reopenUntil ? (
              <>
                <br />
                {request.transitions.includes("in_progress")
                  ? `Can be reopened until ${formatDate(request.reopenUntil)}`
                  : "Closed more than 30 days ago: it can no longer be reopened"}
              </>
            ) : null}
          </SummaryListRow>
        ) : null}
        <SummaryListRow label="Priority">{priorityTags[request.priority] ?? "Normal"}</SummaryListRow>
        <SummaryListRow label="Sent">
          <When at={request.submittedAt} />
        </SummaryListRow>
      </SummaryList>
    </>
  );
}

/** 15 → "3pm", 10 → "10am", 12 → "midday". */
function hourText(hour: number): string {
  if (hour === 12) return "midday";
  return hour < 12 ? `${hour === 0 ? 12 : hour}am` : `${hour - 12}pm`;
}

function ResponseTarget({ request }: { request: View }) {
  const due = request.due;
  const days = request.offer.firstContactTargetDays;
  return (
    <>
      <h2>Response target</h2>
      <SummaryList>
        <SummaryListRow label="First contact due">
          {due.paused ? "Paused while waiting on staff. If it restarted now, it would be due " : null}
          <When at={due.dueAt} />
          {due.overdue ? (
            <>
              {" "}
              <OverdueTag />
            </>
          ) : null}
          <br />
          <span className="nhsuk-u-secondary-text-colour" data-testid="target-rule">
            {request.priority === "normal" ? (
              <>
                Target: {days} working {days === 1 ? "day" : "days"} from the day it was sent
              </>
            ) : (
              <>
                {priorityTags[request.priority]} target: by {hourText(HUB_CLOSES_HOUR)} the same working day if sent
                before {hourText(request.offer.urgentCutoffHour)}, otherwise by{" "}
                {hourText(request.offer.urgentNextDayHour)} the next working day
              </>
            )}
          </span>
        </SummaryListRow>
        <SummaryListRow label="First contact made">
          {due.firstContactAt ? <When at={due.firstContactAt} /> : "Not yet"}
        </SummaryListRow>
        {due.paused && due.pausedAt ? (
          <SummaryListRow label="Clock paused since">
            <When at={due.pausedAt} />
          </SummaryListRow>
        ) : null}
        {due.statutoryDecisionDeadline ? (
          <SummaryListRow label="Statutory decision deadline">
            {formatIsoDate(due.statutoryDecisionDeadline)}
            <br />
            <span className="nhsuk-u-secondary-text-colour">
              Two calendar months from receipt, for a flexible working request (including any appeal)
            </span>
          </SummaryListRow>
        ) : null}
      </SummaryList>
    </>
  );
}

function PersonSummary({ request }: { request: View }) {
  const person = request.requester;
  const contact = request.contact;
  return (
    <>
      <h2>The person</h2>
      <SummaryList>
        <SummaryListRow label="Name">{person.name}</SummaryListRow>
        <SummaryListRow label="Email">{person.email}</SummaryListRow>
        <SummaryListRow label="Organisation">
          {person.organisationName}
          {person.organisationSelfDeclared ? <SelfDeclaredTag /> : null}
        </SummaryListRow>
        <SummaryListRow label="Staff group">{person.staffGroup}</SummaryListRow>
        <SummaryListRow label="Job title">{person.jobTitle ?? "Not given"}</SummaryListRow>
        <SummaryListRow label="Time in post">
          {person.tenure} (started {formatIsoDate(person.startDate)})
        </SummaryListRow>
      </SummaryList>
      <h2>Contact preferences</h2>
      <SummaryList>
        <SummaryListRow label="Contact by">
          {contactMethodLabels[contact.method]}
          {contact.method === "phone" && contact.phone ? `: ${contact.phone}` : null}
        </SummaryListRow>
        <SummaryListRow label="Best times">
          {contact.times ? <span className="staywell-pre-wrap">{contact.times}</span> : "Any time"}
        </SummaryListRow>
        <SummaryListRow label="Line manager">
          {request.consentToShareWithManager
            ? "The person has agreed that we talk to their line manager"
            : request.managerConsent.changedAt
              ? "The person has withdrawn their consent: do not talk to their line manager"
              : "The person has not agreed that we talk to their line manager"}
        </SummaryListRow>
      </SummaryList>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// action forms

type FormActionData = ActionResult | undefined;

/**
 * After a conflict, what was typed comes back without the error (the page shows the conflict at
 * the top). Memoised: useServerValidatedForm resets its errors whenever this object changes.
 */
function useKeptValues(actionData: FormActionData): FormActionData | { values: Record<string, unknown> } | undefined {
  return useMemo(() => (actionData?.conflict ? { values: actionData.values } : actionData), [actionData]);
}

function VersionField({ version }: { version: number }) {
  return <input type="hidden" name="version" value={version} />;
}

function AssignForm({ request, meId, actionData }: { request: View; meId: string; actionData: FormActionData }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(assignSchema, {
    defaultValues: { assigneeId: request.assignee?.id ?? "" },
    actionData: actionData?.conflict ? undefined : actionData,
  });
  const options = [
    { value: "", label: "Nobody (unassigned)" },
    ...request.teamMembers.map((m) => ({ value: m.id, label: m.id === meId ? `${m.name} (you)` : m.name })),
  ];
  const current = str(values.assigneeId) ?? "";
  const iAmOnIt = request.assignee?.id === meId;
  return (
    <section aria-labelledby="hub-assign">
      <h2 id="hub-assign" className="nhsuk-heading-s">
        Assign
      </h2>
      <ErrorSummary errors={errors._form ? {} : errors} />
      <Form method="post" {...formProps}>
        <VersionField version={request.version} />
        <div className="staywell-inline-action">
          <Select
            label="Who should look after it?"
            options={options}
            error={errors.assigneeId}
            defaultValue={options.some((o) => o.value === current) ? current : ""}
            {...register("assigneeId")}
          />
          <Button name="intent" value="assign" disabled={isSubmitting}>
            Assign
          </Button>
        </div>
      </Form>
      {!iAmOnIt ? (
        <Form method="post">
          <VersionField version={request.version} />
          <input type="hidden" name="assigneeId" value="me" />
          <Button name="intent" value="assign" variant="secondary" disabled={isSubmitting}>
            Assign to me
          </Button>
        </Form>
      ) : null}
    </section>
  );
}

const TRANSITION_LABELS: Partial<Record<RequestStatus, string>> = {
  triaged: "Triaged",
  in_progress: "In progress",
  waiting_on_staff: "Waiting on staff (pauses the response clock)",
  referred: "Referred",
  closed: "Closed",
};

function StatusForm({ request, actionData }: { request: View; actionData: FormActionData }) {
  const stay = needsRetentionOutcome(request.offer.formKind);
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(
    statusSchemaFor(request.offer.formKind),
    {
      defaultValues: { to: "", outcome: "", retentionOutcome: "" },
      actionData: actionData?.conflict ? undefined : actionData,
    },
  );
  const transitions = request.transitions;
  const retentionItems = RETENTION_OUTCOMES.map(({ value, label }) => ({ value, label }));
  const outcomeItems = Object.entries(CLOSE_OUTCOMES).map(([value, label]) => ({ value, label }));
  return (
    <section aria-labelledby="hub-status">
      <h2 id="hub-status" className="nhsuk-heading-s">
        Change status
      </h2>
      {transitions.length === 0 ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {request.status === "withdrawn"
              ? "The person withdrew this request, so its status cannot be changed."
              : request.status === "closed"
                ? "This request was closed more than 30 days ago, so it can no longer be reopened."
                : "The status of this request cannot be changed."}
          </p>
        </div>
      ) : (
        <>
          <ErrorSummary errors={errors._form ? {} : errors} order={["to", "outcome", "retentionOutcome"]} />
          <Form method="post" {...formProps}>
            <VersionField version={request.version} />
            {stay ? <input type="hidden" name="stayConversation" value="1" /> : null}
            <Radios
              legend="New status"
              legendSize="s"
              small
              hint={
                <>
                  It is {STATUS_LABELS.hub[request.status]} now. {request.requester.firstName} will get an email saying
                  there is an update.
                </>
              }
              error={errors.to}
              defaultValue={str(values.to)}
              items={transitions.map((to) => ({
                value: to,
                label:
                  request.status === "closed" && to === "in_progress"
                    ? `Reopen (back to In progress, possible until ${request.reopenUntil ? formatDate(request.reopenUntil) : "30 days after closing"})`
                    : (TRANSITION_LABELS[to] ?? STATUS_LABELS.hub[to]),
                conditional:
                  to === "closed" ? (
                    <>
                      <Radios
                        legend="Outcome"
                        legendSize="s"
                        small
                        hint="Required to close the request"
                        error={errors.outcome}
                        defaultValue={str(values.outcome)}
                        items={outcomeItems}
                        {...register("outcome")}
                      />
                      {stay ? (
                        <Radios
                          legend="Retention outcome"
                          legendSize="s"
                          small
                          hint={`Required to close a stay conversation: what happened to ${request.requester.firstName}. ${request.requester.firstName} can see it on their request page; it counts only in protected totals.`}
                          error={errors.retentionOutcome}
                          defaultValue={str(values.retentionOutcome)}
                          items={retentionItems}
                          {...register("retentionOutcome")}
                        />
                      ) : null}
                    </>
                  ) : undefined,
              }))}
              {...register("to")}
            />
            <Button name="intent" value="status" disabled={isSubmitting}>
              Change status
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}

function MessageForm({
  request,
  canned,
  actionData,
}: {
  request: View;
  canned: { id: number; title: string; body: string } | null;
  actionData: FormActionData;
}) {
  // Without JavaScript a saved response is a submit button of this form (name "canned"): what was
  // typed goes to the server with it and comes back in the box, followed by a blank line and the
  // saved text (the action sends and writes nothing), with the focus in the box. With JavaScript
  // the click is kept on the page and the text goes in at the cursor (insertCanned), as a paragraph
  // of its own, never instead of what was typed.
  const { form, register, errors, values, formProps, isSubmitting } = useServerValidatedForm(messageSchema, {
    defaultValues: { message: canned?.body ?? "" },
    actionData: useKeptValues(actionData),
  });
  const person = request.requester;
  const boxWasFocused = useRef(false);
  const [inserted, setInserted] = useState<number | null>(null);
  const insertCanned = (event: React.MouseEvent<HTMLButtonElement>, choice: { id: number; body: string }) => {
    const box = document.querySelector<HTMLTextAreaElement>('textarea[name="message"]');
    if (!box) return;
    event.preventDefault();
    // A box never focused has no cursor the coordinator chose: the text goes after what is there.
    const at = boxWasFocused.current ? { start: box.selectionStart, end: box.selectionEnd } : null;
    const { value, caret } = insertText(box.value, choice.body, at);
    setTextareaValue(box, value);
    form.setValue("message", value, { shouldDirty: true });
    box.focus();
    box.setSelectionRange(caret, caret);
    setInserted(choice.id);
  };
  const insertedByServer = actionData?.intent === INSERT_CANNED ? (actionData.inserted ?? null) : null;
  const shownInBox = inserted ?? insertedByServer ?? canned?.id ?? null;
  return (
    <section aria-labelledby="hub-message">
      <h2 id="hub-message" className="nhsuk-heading-s">
        Message {person.name}
      </h2>
      <ErrorSummary errors={errors._form ? {} : errors} />
      <Form method="post" {...formProps}>
        <VersionField version={request.version} />
        <Textarea
          label={`Your message to ${person.firstName}`}
          hint={`${person.firstName} gets an email saying there is a new message, without what you write.`}
          maxLength={HUB_LIMITS.message}
          rows={6}
          error={errors.message}
          defaultValue={str(values.message)}
          onFocus={() => {
            boxWasFocused.current = true;
          }}
          // Back from choosing a saved response without JavaScript: carry on typing where it ends.
          // eslint-disable-next-line jsx-a11y/no-autofocus -- only after that round trip, which the person began in this box
          autoFocus={insertedByServer !== null || undefined}
          {...register("message")}
        />
        {request.cannedResponses.length ? (
          <details
            className="nhsuk-details"
            open={canned !== null || actionData?.intent === INSERT_CANNED || undefined}
          >
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">Start from a ready-made message</span>
            </summary>
            <div className="nhsuk-details__text">
              <ul className="nhsuk-list">
                {request.cannedResponses.map((c) => (
                  <li key={c.id}>
                    {/* A button of this form, so what was typed is sent with it (without JavaScript). */}
                    <button
                      type="submit"
                      name="canned"
                      value={c.id}
                      formAction={`${pathOf(request.reference)}#message`}
                      className="staywell-link-button"
                      aria-current={shownInBox === c.id ? "true" : undefined}
                      onClick={(event) => insertCanned(event, c)}
                    >
                      {c.title}
                    </button>
                    {shownInBox === c.id ? " (in the message box above)" : null}
                  </li>
                ))}
              </ul>
            </div>
          </details>
        ) : null}
        <Button name="intent" value="message" disabled={isSubmitting}>
          Send message to {person.firstName}
        </Button>
      </Form>
    </section>
  );
}

function NoteForm({ request, actionData }: { request: View; actionData: FormActionData }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(noteSchema, {
    defaultValues: { note: "" },
    actionData: useKeptValues(actionData),
  });
  return (
    // Not a labelled region: its name would be "Internal note", the note box's own name.
    <section className="nhsuk-card nhsuk-card--warning staywell-hub-note">
      <div className="nhsuk-card__content">
        <h2 id="hub-note" className="nhsuk-card__heading nhsuk-heading-s">
          Internal note
        </h2>
        <ErrorSummary errors={errors._form ? {} : errors} />
        <Form method="post" {...formProps}>
          <VersionField version={request.version} />
          {/* The card's heading tab, right above, is the visible label. */}
          <Textarea
            label={<span className="nhsuk-u-visually-hidden">Internal note</span>}
            hint={`${request.requester.firstName} never sees it, and no email is sent.`}
            maxLength={HUB_LIMITS.note}
            rows={4}
            error={errors.note}
            defaultValue={str(values.note)}
            {...register("note")}
          />
          <Button name="intent" value="note" variant="secondary" disabled={isSubmitting}>
            Add internal note
          </Button>
        </Form>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// consent to involve the line manager

/**
 * When the person has changed their consent since sending the request: an NHS.UK warning callout
 * (nhsuk-frontend 10: a warning card) at the top of the page, so nobody acts on the old answer.
 */
function ManagerConsentCallout({ request }: { request: View }) {
  const consent = request.managerConsent;
  if (!consent.asked || !consent.changedAt) return null;
  const person = request.requester.firstName;
  return (
    <div className="nhsuk-card nhsuk-card--warning" id="manager-consent">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>
            Consent to contact the line manager {consent.given ? "given" : "withdrawn"} on{" "}
            {formatDate(consent.changedAt)}
          </span>
        </h2>
        <p className="nhsuk-card__description">
          {consent.given
            ? `${person} now agrees that the people hub can talk to their line manager about this request.`
            : `${person} has withdrawn their consent for the people hub to talk to their line manager about this request. Do not contact their line manager.`}
        </p>
      </div>
    </div>
  );
}

function ManagerContactForm({ request, actionData }: { request: View; actionData: FormActionData }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(managerContactSchema, {
    defaultValues: { managerNote: "" },
    actionData: useKeptValues(actionData),
  });
  const person = request.requester.firstName;
  const offered = request.managerConsent.given && request.status !== "withdrawn";
  return (
    <section aria-labelledby="hub-manager-contact">
      <h2 id="hub-manager-contact" className="nhsuk-heading-m">
        Line manager
      </h2>
      {offered ? (
        <>
          <p>
            {person} has agreed that the people hub can talk to their line manager about this request. Record each
            contact here. {person} will see that their line manager was contacted, and when, but not your note.
          </p>
          <ErrorSummary errors={errors._form ? {} : errors} />
          <Form method="post" {...formProps}>
            <VersionField version={request.version} />
            <Textarea
              label="What was discussed with the line manager"
              labelSize="s"
              hint="A short note for the people hub, for example 'Agreed a phased return from Monday'."
              maxLength={HUB_LIMITS.managerContact}
              rows={3}
              error={errors.managerNote}
              defaultValue={str(values.managerNote)}
              {...register("managerNote")}
            />
            <Button name="intent" value="manager_contact" variant="secondary" disabled={isSubmitting}>
              Record that the line manager was contacted
            </Button>
          </Form>
        </>
      ) : (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {request.status === "withdrawn"
              ? `${person} withdrew this request, so a contact with their line manager cannot be recorded.`
              : request.managerConsent.changedAt
                ? `${person} has withdrawn their consent, so do not contact their line manager. A contact cannot be recorded unless ${person} gives their consent again.`
                : `${person} has not agreed that the people hub can talk to their line manager, so do not contact them.`}
          </p>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// errors

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 403) {
    const teamName = (error.data as { teamName?: unknown } | null)?.teamName;
    return (
      <>
        <h1>You do not have access to this request</h1>
        {typeof teamName === "string" ? (
          <p>
            This request is handled by the {teamName} team. You can only open requests for your own teams&apos; support.
          </p>
        ) : (
          <p>The people hub is for coordinators in a hub team.</p>
        )}
        <p>
          <a href="/hub">Go to the people hub</a>
        </p>
      </>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <>
        <h1>Page not found</h1>
        <p>If you typed the web address, check it is correct.</p>
        <p>If you pasted the web address, check you copied the entire address.</p>
        <p>
          You can <a href="/hub">go to the people hub</a>.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Sorry, there is a problem with the service</h1>
      <p>Try again later.</p>
      <p>
        Nothing you sent has been half-saved: if you were submitting a form, it either went through in full or not at
        all.
      </p>
    </>
  );
}
