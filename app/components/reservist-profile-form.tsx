// The reservist bank's joining form (/reservists, and /reservists/profile to change it): one
// schema (app/schemas/reservists.ts) in the browser and the action; works without JavaScript.
import { Form } from "@remix-run/react";
import { RESERVIST_REGISTRATION_BODIES, WEEK_DAYS } from "~/lib/reservists";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { reservistProfileSchema } from "~/schemas/reservists";
import { Button, Checkboxes, DateInput, ErrorSummary, Radios, str, strs, TextInput } from "./fields";
import { useServerValidatedForm } from "./forms";

const ORDER = [
  "registrationBody",
  "registrationNumber",
  "staffGroup",
  "skills",
  "organisations",
  "hoursPerWeek",
  "days",
  "availableFrom",
  "availableUntil",
  "dbsCurrent",
];

export interface ReservistProfileFormProps {
  skills: { id: number; label: string }[];
  organisations: { id: number; label: string }[];
  actionData: unknown;
  defaultValues?: Record<string, unknown>;
  submitLabel: string;
}

export function ReservistProfileForm({
  skills,
  organisations,
  actionData,
  defaultValues,
  submitLabel,
}: ReservistProfileFormProps) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(reservistProfileSchema, {
    defaultValues,
    actionData,
  });
  return (
    <>
      <ErrorSummary errors={errors} order={ORDER} />
      <Form method="post" {...formProps}>
        <input type="hidden" name="intent" value="save" />
        <Radios
          legend="Which professional body are you registered with?"
          hint="Choose the registration you would work under."
          error={errors.registrationBody}
          defaultValue={str(values.registrationBody)}
          items={RESERVIST_REGISTRATION_BODIES.map((b) => ({
            value: b.value,
            label: b.label,
            ...(b.value === "none" ? { dividerBefore: "or" } : {}),
          }))}
          {...register("registrationBody")}
        />
        <TextInput
          label="Registration number"
          hint="Not needed if you are not registered. For example, NMC 12A3456E, HCPC PH123456, GMC 1234567, GPhC 2012345, Social Work England SW12345."
          width={10}
          code
          autoComplete="off"
          spellCheck={false}
          error={errors.registrationNumber}
          defaultValue={str(values.registrationNumber)}
          {...register("registrationNumber")}
        />
        <Radios
          legend="Staff group"
          error={errors.staffGroup}
          defaultValue={str(values.staffGroup)}
          small
          items={STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label }))}
          {...register("staffGroup")}
        />
        <Checkboxes
          legend="Which roles could you do?"
          hint="Select all that apply."
          error={errors.skills}
          defaultValues={strs(values.skills)}
          small
          items={skills.map((s) => ({ value: String(s.id), label: s.label }))}
          {...register("skills")}
        />
        <Checkboxes
          legend="Which organisations would you work in?"
          hint="Select all that apply."
          error={errors.organisations}
          defaultValues={strs(values.organisations)}
          small
          items={organisations.map((o) => ({ value: String(o.id), label: o.label }))}
          {...register("organisations")}
        />
        <TextInput
          label="How many hours a week could you work?"
          width={3}
          inputMode="numeric"
          suffix="hours"
          error={errors.hoursPerWeek}
          defaultValue={str(values.hoursPerWeek)}
          {...register("hoursPerWeek")}
        />
        <Checkboxes
          legend="Which days could you work?"
          error={errors.days}
          defaultValues={strs(values.days)}
          small
          items={WEEK_DAYS.map((d) => ({ value: d.value, label: d.label }))}
          {...register("days")}
        />
        <DateInput
          legend="Available from"
          hint="For example, 1 12 2026"
          error={errors.availableFrom}
          defaultValue={str(values.availableFrom)}
          {...register("availableFrom")}
        />
        <DateInput
          legend="Available until (optional)"
          hint="Leave blank if there is no end date."
          error={errors.availableUntil}
          defaultValue={str(values.availableUntil)}
          {...register("availableUntil")}
        />
        <Radios
          legend="Do you hold a current DBS check?"
          error={errors.dbsCurrent}
          defaultValue={str(values.dbsCurrent)}
          inline
          items={[
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ]}
          {...register("dbsCurrent")}
        />
        <Button disabled={isSubmitting}>{submitLabel}</Button>
      </Form>
    </>
  );
}
