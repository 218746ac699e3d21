// The fields of a support offer, shared by /admin/offers/new and /admin/offers/<id>. The slug
// (web address name) is a field only when adding: afterwards it is shown, not edited.
import type { FieldValues, UseFormRegister } from "react-hook-form";
import { bool, Checkbox, ErrorMessage, Radios, str, Textarea, TextInput } from "~/components/fields";
import { Select } from "~/components/nhsuk/select";
import { FORM_KIND_LOCKED, FORM_KINDS, formKindLabels, OFFER_LIMITS } from "~/schemas/admin-offers";

export interface OfferFieldsProps {
  register: UseFormRegister<FieldValues>;
  errors: Record<string, string>;
  values: Record<string, unknown>;
  teams: { id: number; name: string }[];
  categories: string[];
  /** True on the add page: the slug can be chosen. */
  withSlug: boolean;
  /** True once anyone has asked for the offer: its request form is shown, not offered for change. */
  formKindLocked?: boolean;
}

export function OfferFields({
  register,
  errors,
  values,
  teams,
  categories,
  withSlug,
  formKindLocked,
}: OfferFieldsProps) {
  const teamValue = str(values.teamId) ?? "";
  const kind = str(values.formKind);
  const lockedKindLabel = kind && kind in formKindLabels ? formKindLabels[kind as keyof typeof formKindLabels] : kind;
  return (
    <>
      <TextInput
        label="Title"
        hint="What staff will see in the list of support, for example Fast-track physiotherapy"
        error={errors.title}
        defaultValue={str(values.title)}
        {...register("title")}
      />
      {withSlug ? (
        <TextInput
          label="Web address name"
          hint={`The end of the page's web address, /support/… Use lower case letters, numbers and hyphens, for example back-care. It cannot be changed once the offer is added.`}
          width={30}
          spellCheck={false}
          autoCapitalize="none"
          autoComplete="off"
          code
          error={errors.slug}
          defaultValue={str(values.slug)}
          {...register("slug")}
        />
      ) : null}
      <TextInput
        label="Category"
        hint={
          categories.length
            ? `Offers with the same category are listed together. In use now: ${categories.join("; ")}.`
            : "Offers with the same category are listed together."
        }
        width="two-thirds"
        error={errors.category}
        defaultValue={str(values.category)}
        {...register("category")}
      />
      <Textarea
        label="Summary"
        hint="One or two sentences, shown in the list of support"
        rows={3}
        maxLength={OFFER_LIMITS.summary}
        error={errors.summary}
        defaultValue={str(values.summary)}
        {...register("summary")}
      />
      <Textarea
        label="Search keywords (optional)"
        hint="Other words people might search with to find this support, separated by commas, like burnout, low mood. They are not shown to staff."
        rows={2}
        maxLength={OFFER_LIMITS.keywords}
        error={errors.keywords}
        defaultValue={str(values.keywords)}
        {...register("keywords")}
      />
      <Textarea
        label="Description"
        hint={
          <>
            Shown on the offer&apos;s page. You can use Markdown: a blank line between paragraphs, ## for a heading, -
            for a bullet, [words](https://example.org) for a link. HTML is not shown, and links open in the same tab.
          </>
        }
        rows={10}
        maxLength={OFFER_LIMITS.body}
        error={errors.body}
        defaultValue={str(values.body)}
        {...register("body")}
      />
      <Textarea
        label="Who it is for"
        rows={3}
        maxLength={OFFER_LIMITS.whoFor}
        error={errors.whoFor}
        defaultValue={str(values.whoFor)}
        {...register("whoFor")}
      />
      <TextInput
        label="Who provides it"
        hint="For example, Citizens Advice or Staff physiotherapy service"
        error={errors.provider}
        defaultValue={str(values.provider)}
        {...register("provider")}
      />
      <Textarea
        label="What happens next"
        hint="What the person can expect after they ask, and when"
        rows={3}
        maxLength={OFFER_LIMITS.whatHappensNext}
        error={errors.whatHappensNext}
        defaultValue={str(values.whatHappensNext)}
        {...register("whatHappensNext")}
      />
      <TextInput
        label="First contact target"
        hint={`How many working days the people hub has to contact the person, from ${OFFER_LIMITS.targetMin} to ${OFFER_LIMITS.targetMax}. Requests already made keep the target they had.`}
        inputMode="numeric"
        width={3}
        suffix="working days"
        error={errors.firstContactTargetDays}
        defaultValue={str(values.firstContactTargetDays)}
        {...register("firstContactTargetDays")}
      />
      <TextInput
        label="Urgent requests: same working day if sent before"
        hint="For urgent, safety-check and at-risk requests. Sent on a working day before this hour (24-hour clock), first contact is due by 5pm that day; otherwise by the hour below on the next working day."
        inputMode="numeric"
        width={2}
        suffix=":00"
        error={errors.urgentCutoffHour}
        defaultValue={str(values.urgentCutoffHour)}
        {...register("urgentCutoffHour")}
      />
      <TextInput
        label="Urgent requests: otherwise by, on the next working day"
        hint="An hour from 9 to 17 (24-hour clock)."
        inputMode="numeric"
        width={2}
        suffix=":00"
        error={errors.urgentNextDayHour}
        defaultValue={str(values.urgentNextDayHour)}
        {...register("urgentNextDayHour")}
      />
      <Checkbox
        legend="Confidential"
        label="This support is confidential"
        hint="Only coordinators in the handling team can see its requests. Administrators outside the team cannot, and insight figures are rounded."
        error={errors.sensitive}
        defaultChecked={bool(values.sensitive)}
        {...register("sensitive")}
      />
      {formKindLocked ? (
        <div className={errors.formKind ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"}>
          <p className="nhsuk-label nhsuk-label--m" id="formKind" tabIndex={-1}>
            Request form
          </p>
          {errors.formKind ? <ErrorMessage>{errors.formKind}</ErrorMessage> : null}
          <p className="nhsuk-u-margin-bottom-2">{lockedKindLabel}</p>
          <p className="nhsuk-hint">{FORM_KIND_LOCKED}</p>
          <input type="hidden" defaultValue={str(values.formKind)} {...register("formKind")} />
        </div>
      ) : (
        <Radios
          legend="Request form"
          hint="The questions staff answer when they ask for this support"
          error={errors.formKind}
          defaultValue={str(values.formKind)}
          items={FORM_KINDS.map((value) => ({ value, label: formKindLabels[value] }))}
          {...register("formKind")}
        />
      )}
      <Select
        label="Handling team"
        hint="The people hub team whose coordinators see and answer its requests"
        error={errors.teamId}
        defaultValue={teams.some((t) => String(t.id) === teamValue) ? teamValue : ""}
        options={[{ value: "", label: "Choose a team" }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))]}
        {...register("teamId")}
      />
    </>
  );
}
