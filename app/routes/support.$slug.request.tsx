// Ask for one support offer: the questions of its form kind, how to be contacted, consent to
// involve the line manager. Works without JavaScript (plain POST, 400 with the errors and what was
// typed) and with it (client validation first). Success → /my/requests/<reference>?submitted=1.
import { randomUUID } from "node:crypto";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { UseFormRegister, FieldValues } from "react-hook-form";
import { requireUser } from "~/.server/auth/session.server";
import { formDataToObject, parseForm, readFormData } from "~/.server/forms.server";
import { contactPreferences } from "~/.server/models/account.server";
import { getOfferBySlug } from "~/.server/models/offers.server";
import {
  createRequest,
  findMyOpenRequestForOffer,
  isRequestError,
  OpenRequestExistsError,
} from "~/.server/models/requests.server";
import {
  Button,
  Checkbox,
  Checkboxes,
  DateInput,
  ErrorSummary,
  Radios,
  str,
  strs,
  bool,
  Textarea,
  TextInput,
} from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { OpenRequestWarning, type OpenRequestView } from "~/components/open-request";
import { HelpNowInset, UrgentHelpCard } from "~/components/urgent-help";
import {
  BODY_AREAS,
  bodyAreaLabels,
  CONTACT_METHODS,
  contactMethodLabels,
  DURATIONS,
  durationLabels,
  EARLIER_REQUESTS,
  earlierRequestsLabels,
  FINANCIAL_TOPICS,
  financialTopicLabels,
  LIMITS,
  NONE,
  PENSION_SECTIONS,
  pensionSectionLabels,
  PHYSIO_EFFECT_ON_WORK,
  physioEffectOnWorkLabels,
  PSYCH_EFFECT_ON_WORK,
  psychEffectOnWorkLabels,
  requestFormSchemaFor,
  RETIRE_INTERESTS,
  retireInterestLabels,
  SAFETY,
  safetyLabels,
  URGENT_SITUATIONS,
  urgentSituationLabels,
  STAY_HELP_VALUES,
  STAY_HOW_SOON_VALUES,
  STAY_HUB_ACTION_VALUES,
  STAY_LEAVING_REASON_VALUES,
  stayHelpLabels,
  stayHowSoonLabels,
  stayHubActionLabels,
  stayLeavingReasonLabels,
} from "~/schemas/request-forms";
import type { FormKind } from "@db/schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Page not found – StayWell" }];
  if (!data.offer.active) return [{ title: `${data.offer.title}: no longer taking requests – StayWell` }];
  return [{ title: `Request ${data.offer.title} – StayWell` }];
};

type OfferView = {
  slug: string;
  title: string;
  formKind: FormKind;
  active: boolean;
  sensitive: boolean;
  firstContactTargetDays: number;
};

async function findOffer(slug: string | undefined): Promise<OfferView> {
  const offer = await getOfferBySlug(slug ?? "");
  if (!offer) throw new Response("Not found", { status: 404 });
  const { title, formKind, active, sensitive, firstContactTargetDays } = offer;
  return { slug: offer.slug, title, formKind, active, sensitive, firstContactTargetDays };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const offer = await findOffer(params.slug);
  // The person's own open request for this offer, if any: warned about above the form (issue 9, part 4).
  const openRequest = offer.active ? await findMyOpenRequestForOffer(user, offer.slug) : null;
  // The form starts from the person's saved contact preferences (/account/preferences).
  const contact = offer.active ? await contactPreferences(user) : {};
  return { offer, submissionKey: randomUUID(), email: user.email, openRequest, contact };
}

/** The hidden field the form carries when it showed the warning: the open request's reference. */
const ACKNOWLEDGED = "acknowledgedOpenRequest";

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const offer = await findOffer(params.slug);
  if (!offer.active) return data({ inactive: true as const }, { status: 409 });
  const schema = requestFormSchemaFor(offer.formKind);
  const formData = await readFormData(request);
  const parsed = await parseForm(formData, schema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const acknowledged = formData.get(ACKNOWLEDGED);
  try {
    const created = await createRequest(user, offer.slug, parsed.data, new Date(), {
      openRequestCheck: {
        acknowledgedReference: typeof acknowledged === "string" && acknowledged ? acknowledged : null,
      },
    });
    throw redirect(`/my/requests/${encodeURIComponent(created.reference)}?submitted=1`);
  } catch (err) {
    if (err instanceof OpenRequestExistsError) {
      // Nothing was sent: the form again, with the warning and everything as typed.
      return data(
        { openRequest: err.openRequest, errors: {}, values: formDataToObject(formData, schema) },
        { status: 409 },
      );
    }
    if (isRequestError(err, "offer_inactive")) return data({ inactive: true as const }, { status: 409 });
    if (isRequestError(err, "offer_not_found")) throw new Response("Not found", { status: 404 });
    if (isRequestError(err, "invalid")) {
      return data({ errors: err.errors ?? {}, values: parsed.data as Record<string, unknown> }, { status: 400 });
    }
    throw err;
  }
}

/** Field names in page order, for the error summary. */
const FIELD_ORDER = [
  "topics",
  "urgentSituations",
  "whatIsHappening",
  "currentPattern",
  "requestedPattern",
  "requestedStartDate",
  "effectOnTeam",
  "earlierRequests",
  "pensionSection",
  "intendedDate",
  "interests",
  "hoursPerWeek",
  "leavingReasons",
  "wouldHelpStay",
  "howSoon",
  "hubAction",
  "bodyArea",
  "duration",
  "effectOnWork",
  "safety",
  "details",
  "contactMethod",
  "contactPhone",
  "contactTimes",
  "consentToShareWithManager",
  "submissionKey",
];

function options<T extends string>(values: readonly T[], labels: Record<T, string>) {
  return values.map((value) => ({ value, label: labels[value] }));
}

function exampleDate(daysAhead: number) {
  const d = new Date(Date.now() + daysAhead * 86_400_000);
  return `${d.getUTCDate()} ${d.getUTCMonth() + 1} ${d.getUTCFullYear()}`;
}

export default function RequestSupport() {
  const { offer, submissionKey: freshKey, email, openRequest: openOnLoad, contact } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!offer.active || (actionData && "inactive" in actionData)) return <NoLongerTakingRequests offer={offer} />;
  // A refused submission names the open request found then (it may be newer than the page).
  const refusedFor = actionData && "openRequest" in actionData ? actionData.openRequest : null;
  return (
    <RequestForm
      offer={offer}
      freshKey={freshKey}
      email={email}
      contact={contact}
      actionData={actionData}
      openRequest={refusedFor ?? openOnLoad}
      refused={refusedFor !== null}
    />
  );
}

function NoLongerTakingRequests({ offer }: { offer: OfferView }) {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>This support is no longer taking requests</h1>
        <p>
          {offer.title} is no longer taking new requests. If you asked for it before, your request carries on as before:
          you can follow it in <Link to="/my/requests">your requests</Link>.
        </p>
        <p>
          <Link to="/support">Find other support</Link>
        </p>
      </div>
    </div>
  );
}

interface FormParts {
  register: UseFormRegister<FieldValues>;
  errors: Record<string, string>;
  values: Record<string, unknown>;
}

function RequestForm({
  offer,
  freshKey,
  email,
  contact,
  actionData,
  openRequest,
  refused,
}: {
  offer: OfferView;
  freshKey: string;
  email: string;
  /** Saved contact preferences: the form's starting values, which the person can change. */
  contact: { contactMethod?: string; contactPhone?: string; contactTimes?: string };
  actionData: unknown;
  openRequest: OpenRequestView | null;
  /** The last submission was held back because of the open request. */
  refused: boolean;
}) {
  const schema = requestFormSchemaFor(offer.formKind);
  const defaults = {
    topics: [],
    urgentSituations: [],
    interests: [],
    leavingReasons: [],
    wouldHelpStay: [],
    consentToShareWithManager: false,
    submissionKey: freshKey,
    ...contact,
  };
  const { form, register, errors, values, formProps, isSubmitting } = useServerValidatedForm(schema, {
    defaultValues: defaults,
    actionData,
  });
  // The key of this form stays the same after a 400, so a resubmission never makes a second request.
  const submissionKey = str(values.submissionKey) ?? freshKey;
  const parts: FormParts = { register, errors, values };
  const safety = offer.formKind === "psychological" ? (form.watch("safety") ?? values.safety) : undefined;
  // With JavaScript, a held-back submission moves focus to the warning (without, the page opens at it).
  const warningRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (refused) warningRef.current?.focus();
  }, [refused, actionData]);

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <nav className="nhsuk-back-link" aria-label="Back">
          <Link className="nhsuk-back-link__link" to={`/support/${offer.slug}`}>
            Back to {offer.title}
          </Link>
        </nav>
        <ErrorSummary errors={errors} order={FIELD_ORDER} />
        <span className="nhsuk-caption-l">Request support</span>
        <h1>{offer.title}</h1>
        {/* Below the heading (it is a warning, not an error): the page says what it is first. */}
        {openRequest ? (
          <OpenRequestWarning
            ref={warningRef}
            openRequest={openRequest}
            refused={refused}
            safetyForm={offer.formKind === "psychological"}
          />
        ) : null}
        <p>
          Answer a few questions so the people hub can help you. It takes about 5 minutes.
          {offer.sensitive ? " Only the coordinators who handle this support can read your answers." : null}
        </p>
        {offer.formKind === "psychological" ? <HelpNowInset /> : null}
        {offer.formKind === "thinking_of_leaving" ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              Your employer and your manager are not told that you are thinking about leaving. Only the Retention and
              careers team reads this. Your manager hears about it only if you tick the box about your line manager
              below.
            </p>
          </div>
        ) : null}

        <Form method="post" {...formProps}>
          <input type="hidden" {...register("submissionKey")} value={submissionKey} />
          {/* Only when the warning is on the page: sending this form is sending anyway. */}
          {openRequest ? <input type="hidden" name={ACKNOWLEDGED} value={openRequest.reference} /> : null}

          {offer.formKind === "financial" ? <FinancialQuestions {...parts} /> : null}
          {offer.formKind === "psychological" ? <PsychologicalQuestions {...parts} safety={safety} /> : null}
          {offer.formKind === "physiotherapy" ? <PhysiotherapyQuestions {...parts} /> : null}
          {offer.formKind === "flexible_working" ? <FlexibleWorkingQuestions {...parts} /> : null}
          {offer.formKind === "retire_return" ? <RetireReturnQuestions {...parts} /> : null}
          {offer.formKind === "general" ? <GeneralQuestions {...parts} /> : null}
          {offer.formKind === "thinking_of_leaving" ? <ThinkingOfLeavingQuestions {...parts} /> : null}

          <h2>How we will contact you</h2>
          <Radios
            legend="How would you like the people hub to contact you?"
            error={errors.contactMethod}
            defaultValue={str(values.contactMethod)}
            items={CONTACT_METHODS.map((value) => ({
              value,
              label: contactMethodLabels[value],
              hint:
                value === "email"
                  ? `We will email ${email}`
                  : value === "teams"
                    ? "We will message or call you on Microsoft Teams, using your work account"
                    : undefined,
              conditional:
                value === "phone" ? (
                  <TextInput
                    label="Phone number"
                    hint="Only needed if you choose phone. For example, 07700 900 982"
                    type="tel"
                    autoComplete="tel"
                    width={20}
                    error={errors.contactPhone}
                    defaultValue={str(values.contactPhone)}
                    {...register("contactPhone")}
                  />
                ) : undefined,
            }))}
            {...register("contactMethod")}
          />
          <TextInput
            label="When is the best time to contact you? (optional)"
            hint="For example, weekday mornings, or after 3pm on Tuesdays"
            error={errors.contactTimes}
            defaultValue={str(values.contactTimes)}
            {...register("contactTimes")}
          />

          <Checkbox
            legend="Your line manager"
            label="I agree that the people hub can talk to my line manager about this request"
            hint="You can change your mind at any time by sending the people hub a message."
            error={errors.consentToShareWithManager}
            defaultChecked={bool(values.consentToShareWithManager)}
            {...register("consentToShareWithManager")}
          >
            <p>
              Nothing about this request reaches your line manager unless you tick this box. Leave it unticked and the
              people hub will not contact them.
            </p>
          </Checkbox>

          <h2>Before you send your request</h2>
          <p>
            The people hub aims to contact you within {offer.firstContactTargetDays} working{" "}
            {offer.firstContactTargetDays === 1 ? "day" : "days"}. You can follow your request, read messages and reply
            in StayWell.
          </p>
          <Button disabled={isSubmitting}>Send request</Button>
        </Form>
      </div>
    </div>
  );
}

function DetailsQuestion({ register, errors, values }: FormParts) {
  return (
    <Textarea
      label="Is there anything else you want to tell us? (optional)"
      hint="Do not include other people's personal details."
      maxLength={LIMITS.description}
      error={errors.details}
      defaultValue={str(values.details)}
      {...register("details")}
    />
  );
}

function FinancialQuestions(parts: FormParts) {
  const { register, errors, values } = parts;
  return (
    <>
      <Checkboxes
        legend="What would you like advice about?"
        hint="Select all that apply. Citizens Advice will talk it through with you in confidence."
        error={errors.topics}
        defaultValues={strs(values.topics)}
        items={options(FINANCIAL_TOPICS, financialTopicLabels)}
        {...register("topics")}
      />
      <Checkboxes
        legend="Are any of these happening to you now?"
        hint="Select all that apply. We will treat your request as urgent."
        error={errors.urgentSituations}
        defaultValues={strs(values.urgentSituations)}
        items={[
          ...options(URGENT_SITUATIONS, urgentSituationLabels),
          { value: NONE, label: "None of these", exclusive: true, dividerBefore: "or" },
        ]}
        {...register("urgentSituations")}
      />
      <DetailsQuestion {...parts} />
    </>
  );
}

function PsychologicalQuestions(parts: FormParts & { safety: unknown }) {
  const { register, errors, values, safety } = parts;
  return (
    <>
      <Textarea
        label="What is happening for you?"
        hint="Tell us as much or as little as you want. For example, what has changed, how long it has been going on, and anything that has helped."
        maxLength={LIMITS.description}
        error={errors.whatIsHappening}
        defaultValue={str(values.whatIsHappening)}
        {...register("whatIsHappening")}
      />
      <Radios
        legend="How is this affecting your work?"
        error={errors.effectOnWork}
        defaultValue={str(values.effectOnWork)}
        items={options(PSYCH_EFFECT_ON_WORK, psychEffectOnWorkLabels)}
        {...register("effectOnWork")}
      />
      <Radios
        legend="Do you feel safe at the moment?"
        hint="For example, are you having thoughts of harming yourself or ending your life?"
        error={errors.safety}
        defaultValue={str(values.safety)}
        items={options(SAFETY, safetyLabels)}
        {...register("safety")}
      />
      <div aria-live="polite">
        {safety === "at_risk" ? <UrgentHelpCard /> : safety === "unsure" ? <UrgentHelpCard uncertain /> : null}
      </div>
    </>
  );
}

function PhysiotherapyQuestions(parts: FormParts) {
  const { register, errors, values } = parts;
  return (
    <>
      <Radios
        legend="Where is the problem?"
        error={errors.bodyArea}
        defaultValue={str(values.bodyArea)}
        items={options(BODY_AREAS, bodyAreaLabels)}
        {...register("bodyArea")}
      />
      <Radios
        legend="How long have you had it?"
        error={errors.duration}
        defaultValue={str(values.duration)}
        items={options(DURATIONS, durationLabels)}
        {...register("duration")}
      />
      <Radios
        legend="How is it affecting your work?"
        error={errors.effectOnWork}
        defaultValue={str(values.effectOnWork)}
        items={options(PHYSIO_EFFECT_ON_WORK, physioEffectOnWorkLabels)}
        {...register("effectOnWork")}
      />
      <DetailsQuestion {...parts} />
    </>
  );
}

function FlexibleWorkingQuestions({ register, errors, values }: FormParts) {
  return (
    <>
      <Textarea
        label="What is your current working pattern?"
        hint="For example, 37.5 hours a week, Monday to Friday, 8am to 4pm, or long days on a 4-week rota"
        rows={3}
        maxLength={LIMITS.pattern}
        error={errors.currentPattern}
        defaultValue={str(values.currentPattern)}
        {...register("currentPattern")}
      />
      <Textarea
        label="What working pattern would you like?"
        hint="For example, 30 hours over 4 days, no night shifts, or a later start on school days"
        rows={3}
        maxLength={LIMITS.pattern}
        error={errors.requestedPattern}
        defaultValue={str(values.requestedPattern)}
        {...register("requestedPattern")}
      />
      <DateInput
        legend="When would you like the new pattern to start?"
        hint={`For example, ${exampleDate(90)}. Your employer must decide within 2 months of receiving a request, unless you both agree to extend it.`}
        error={errors.requestedStartDate}
        defaultValue={str(values.requestedStartDate)}
        {...register("requestedStartDate")}
      />
      <Textarea
        label="How might the change affect your team, and how could that be managed?"
        hint="For example, who could cover the hours you would no longer work"
        maxLength={LIMITS.description}
        error={errors.effectOnTeam}
        defaultValue={str(values.effectOnTeam)}
        {...register("effectOnTeam")}
      />
      <Radios
        legend="How many flexible working requests have you made in the last 12 months?"
        hint="You can ask from your first day, and there is no limit on how many requests you make."
        error={errors.earlierRequests}
        defaultValue={str(values.earlierRequests)}
        items={options(EARLIER_REQUESTS, earlierRequestsLabels)}
        {...register("earlierRequests")}
      />
    </>
  );
}

function RetireReturnQuestions(parts: FormParts) {
  const { register, errors, values } = parts;
  return (
    <>
      <Radios
        legend="Which NHS Pension Scheme section are you in?"
        hint="Your annual benefit statement tells you. You may have benefits in more than one: choose the one you pay into now."
        error={errors.pensionSection}
        defaultValue={str(values.pensionSection)}
        items={options(PENSION_SECTIONS, pensionSectionLabels)}
        {...register("pensionSection")}
      />
      <DateInput
        legend="When do you intend to retire or make the change?"
        hint={`For example, ${exampleDate(180)}. An approximate date is fine.`}
        error={errors.intendedDate}
        defaultValue={str(values.intendedDate)}
        {...register("intendedDate")}
      />
      <Checkboxes
        legend="What are you interested in?"
        hint="Select all that apply."
        error={errors.interests}
        defaultValues={strs(values.interests)}
        items={options(RETIRE_INTERESTS, retireInterestLabels)}
        {...register("interests")}
      />
      <TextInput
        label="How many hours a week would you like to work? (optional)"
        hint="A whole number from 1 to 48"
        inputMode="numeric"
        width={3}
        suffix="hours"
        error={errors.hoursPerWeek}
        defaultValue={str(values.hoursPerWeek)}
        {...register("hoursPerWeek")}
      />
      <DetailsQuestion {...parts} />
    </>
  );
}

function GeneralQuestions({ register, errors, values }: FormParts) {
  return (
    <Textarea
      label="What would you like help with?"
      hint="Tell us what you would like from this support and anything that would help us arrange it."
      maxLength={LIMITS.description}
      error={errors.details}
      defaultValue={str(values.details)}
      {...register("details")}
    />
  );
}

function ThinkingOfLeavingQuestions(parts: FormParts) {
  const { register, errors, values } = parts;
  return (
    <>
      <Checkboxes
        legend="What is making you think about leaving?"
        hint="Select all that apply."
        error={errors.leavingReasons}
        defaultValues={strs(values.leavingReasons)}
        items={options(STAY_LEAVING_REASON_VALUES, stayLeavingReasonLabels)}
        {...register("leavingReasons")}
      />
      <Checkboxes
        legend="What might help you stay?"
        hint="Select all that apply. A move to another organisation in the ICS counts as staying with us."
        error={errors.wouldHelpStay}
        defaultValues={strs(values.wouldHelpStay)}
        items={options(STAY_HELP_VALUES, stayHelpLabels)}
        {...register("wouldHelpStay")}
      />
      <Radios
        legend="How soon might you leave?"
        error={errors.howSoon}
        defaultValue={str(values.howSoon)}
        items={options(STAY_HOW_SOON_VALUES, stayHowSoonLabels)}
        {...register("howSoon")}
      />
      <Radios
        legend="What would you like the people hub to do?"
        error={errors.hubAction}
        defaultValue={str(values.hubAction)}
        items={options(STAY_HUB_ACTION_VALUES, stayHubActionLabels)}
        {...register("hubAction")}
      />
      <DetailsQuestion {...parts} />
    </>
  );
}
