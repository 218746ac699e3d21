// The organisation form's fields (new and edit organisation pages).
import type { UseFormRegister, FieldValues } from "react-hook-form";
import { Radios, str, Textarea, TextInput } from "./fields";
import {
  ORGANISATION_LIMITS,
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
  staffGroupField,
} from "~/schemas/admin-organisations";
import { STAFF_GROUPS } from "~/lib/staff-groups";

export function OrganisationFields({
  register,
  errors,
  values,
  editing,
}: {
  register: UseFormRegister<FieldValues>;
  errors: Record<string, string>;
  values: Record<string, unknown>;
  editing: boolean;
}) {
  return (
    <>
      <TextInput
        label="Name"
        hint="The organisation’s full name, as staff would recognise it"
        autoComplete="off"
        error={errors.name}
        defaultValue={str(values.name)}
        {...register("name")}
      />
      <TextInput
        label="Short name (optional)"
        hint={`Shown where space is short, such as the people hub queue, for example UHNM or Staffs ICB. Up to ${ORGANISATION_LIMITS.shortName} characters. Leave blank to use the full name.`}
        autoComplete="off"
        width={10}
        error={errors.shortName}
        defaultValue={str(values.shortName)}
        {...register("shortName")}
      />
      <TextInput
        label="ESR organisation code (optional)"
        hint="The code ESR uses for this organisation in leavers extracts, for example RJE. Rows of an ESR leavers upload are matched to organisations by it. Leave blank if the organisation is not on ESR."
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="characters"
        width={10}
        error={errors.esrCode}
        defaultValue={str(values.esrCode)}
        {...register("esrCode")}
      />
      <Radios
        legend="Type of organisation"
        legendSize="s"
        error={errors.type}
        defaultValue={str(values.type)}
        items={ORGANISATION_TYPES.map((value) => ({ value, label: ORGANISATION_TYPE_LABELS[value] }))}
        {...register("type")}
      />
      <Textarea
        label="Email domains"
        hint={
          <>
            One on each line, like uhnm.nhs.uk (the part of a work email address after the @). Staff with an address at
            one of these can create an account with this organisation.
            {editing
              ? " Removing a domain stops new sign-ups there; accounts that already exist keep signing in as before."
              : null}
          </>
        }
        rows={4}
        spellCheck={false}
        autoCapitalize="none"
        error={errors.domains}
        defaultValue={str(values.domains)}
        {...register("domains")}
      />
      <TextInput
        label="Headcount"
        hint="How many people work there. Used to work out uptake rates (requests per 100 staff) in manager insights."
        inputMode="numeric"
        width={10}
        autoComplete="off"
        error={errors.headcount}
        defaultValue={str(values.headcount)}
        {...register("headcount")}
      />
      <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">
        Headcount can be up to {ORGANISATION_LIMITS.headcount.toLocaleString("en-GB")}; an organisation can have up to{" "}
        {ORGANISATION_LIMITS.domains} domains.
      </p>
      {editing ? (
        <fieldset className="nhsuk-fieldset" aria-describedby="staff-groups-hint">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Staff by staff group (optional)</legend>
          <div className="nhsuk-hint" id="staff-groups-hint">
            How many of the headcount work in each staff group (ESR staff groups count under these). Used to work out
            turnover per 100 staff by staff group in retention insights. Fill in every group (0 if none) so they add up
            to the headcount, or leave them all blank.
          </div>
          {STAFF_GROUPS.map((g) => (
            <TextInput
              key={g.value}
              label={g.label}
              inputMode="numeric"
              width={10}
              autoComplete="off"
              error={errors[staffGroupField(g.value)]}
              defaultValue={str(values[staffGroupField(g.value)])}
              {...register(staffGroupField(g.value))}
            />
          ))}
        </fieldset>
      ) : null}
    </>
  );
}
