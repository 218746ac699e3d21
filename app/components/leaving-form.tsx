// The leaving questionnaire's form: the same fields at /leaving (signed in) and /leaving/<token>
// (a link an organisation sent). One schema (app/schemas/leaving.ts) in the browser and the action.
import { Form } from "@remix-run/react";
import {
  LEAVING_DESTINATIONS,
  LEAVING_KEPT_OPTIONS,
  LEAVING_RETURN_OPTIONS,
  QUESTIONNAIRE_REASONS,
} from "~/lib/leaving";
import { leavingSchema, LEAVING_DETAILS_MAX } from "~/schemas/leaving";
import {
  bool,
  Button,
  Checkbox,
  Checkboxes,
  DateInput,
  ErrorSummary,
  Radios,
  str,
  strs,
  Textarea,
  TextInput,
} from "./fields";
import { useServerValidatedForm } from "./forms";
import { HelpNowInset } from "./urgent-help";

export interface LeavingFormProps {
  offers: { id: number; title: string; category: string }[];
  actionData: unknown;
  defaultValues?: Record<string, unknown>;
  /** Signed in: the name for the consent is the account's, so it is not asked. */
  askName: boolean;
}

const ORDER = [
  "leavingDate",
  "destination",
  "reasons",
  "mainReason",
  "details",
  "kept",
  "supportUsed",
  "supportKnown",
  "returnWays",
  "contactConsent",
  "contactName",
  "personalEmail",
];

export function LeavingHelp() {
  return (
    <>
      <p>
        If you are leaving because work has become too much, you do not have to decide alone. You can still{" "}
        <a href="/support">ask for support</a>, or search for &ldquo;leaving&rdquo; to talk to the Retention and careers
        team before you go.
      </p>
      <HelpNowInset />
    </>
  );
}

export function LeavingForm({ offers, actionData, defaultValues, askName }: LeavingFormProps) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(leavingSchema, {
    defaultValues,
    actionData,
  });
  const offerItems = offers.map((o) => ({ value: String(o.id), label: o.title, hint: o.category }));
  return (
    <>
      <ErrorSummary errors={errors} order={ORDER} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="submit" />
        <DateInput
          legend="When is (or was) your last working day?"
          hint="For example, 31 3 2026"
          error={errors.leavingDate}
          defaultValue={str(values.leavingDate)}
          {...register("leavingDate")}
        />
        <Radios
          legend="Where are you going?"
          error={errors.destination}
          defaultValue={str(values.destination)}
          items={LEAVING_DESTINATIONS.map((d) => ({ value: d.value, label: d.label }))}
          {...register("destination")}
        />
        <Checkboxes
          legend="Why are you leaving?"
          hint="Select all that apply."
          error={errors.reasons}
          defaultValues={strs(values.reasons)}
          items={QUESTIONNAIRE_REASONS.map((r) => ({ value: r.value, label: r.label }))}
          {...register("reasons")}
        />
        <Radios
          legend="What is the main reason?"
          hint="Choose one of the reasons you selected."
          error={errors.mainReason}
          defaultValue={str(values.mainReason)}
          small
          items={QUESTIONNAIRE_REASONS.map((r) => ({ value: r.value, label: r.label }))}
          {...register("mainReason")}
        />
        <Textarea
          label="Is there anything else you would like to tell us? (optional)"
          hint="Only counted and read without your name. Do not include other people's names."
          maxLength={LEAVING_DETAILS_MAX}
          error={errors.details}
          defaultValue={str(values.details)}
          {...register("details")}
        />
        <Checkboxes
          legend="What might have kept you? (optional)"
          hint="Select all that apply."
          error={errors.kept}
          defaultValues={strs(values.kept)}
          items={LEAVING_KEPT_OPTIONS.map((k) => ({
            value: k.value,
            label: k.label,
            ...(k.value === "nothing" ? { exclusive: true, dividerBefore: "or" } : {}),
          }))}
          {...register("kept")}
        />
        <Checkboxes
          legend="Which StayWell support did you use?"
          hint="Select all that apply."
          error={errors.supportUsed}
          defaultValues={strs(values.supportUsed)}
          items={[
            ...offerItems,
            { value: "none", label: "I did not use any StayWell support", exclusive: true, dividerBefore: "or" },
          ]}
          {...register("supportUsed")}
        />
        <Checkboxes
          legend="Which StayWell support did you know about but not use? (optional)"
          error={errors.supportKnown}
          defaultValues={strs(values.supportKnown)}
          small
          items={offerItems}
          {...register("supportKnown")}
        />
        <Checkboxes
          legend="Would you consider coming back?"
          hint="Select all that apply."
          error={errors.returnWays}
          defaultValues={strs(values.returnWays)}
          items={[
            ...LEAVING_RETURN_OPTIONS.map((r) => ({ value: r.value, label: r.label })),
            { value: "no", label: "No, I would not consider coming back", exclusive: true, dividerBefore: "or" },
          ]}
          {...register("returnWays")}
        />
        <Checkbox
          legend="May the Retention and careers team contact you about coming back?"
          legendSize="m"
          label="Yes, contact me at a personal email address"
          hint="We will email a link to the address to confirm it is yours. Nobody contacts you until you confirm. You can withdraw this at any time."
          error={errors.contactConsent}
          defaultChecked={bool(values.contactConsent)}
          {...register("contactConsent")}
        />
        {askName ? (
          <TextInput
            label="Your name (if you would like to be contacted)"
            autoComplete="name"
            error={errors.contactName}
            defaultValue={str(values.contactName)}
            {...register("contactName")}
          />
        ) : null}
        <TextInput
          label="Personal email address (if you would like to be contacted)"
          hint="Not your work address: it stops working when you leave."
          type="email"
          autoComplete="email"
          spellCheck={false}
          error={errors.personalEmail}
          defaultValue={str(values.personalEmail)}
          {...register("personalEmail")}
        />
        <Button disabled={isSubmitting}>Send my answers</Button>
      </Form>
    </>
  );
}
