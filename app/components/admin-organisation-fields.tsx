// Pieces shared by the organisation and team administration pages: the organisation form's
// fields (new and edit) and the Previous / Next links of the admin lists.
import { Link } from "@remix-run/react";
import type { UseFormRegister, FieldValues } from "react-hook-form";
import { Radios, str, Textarea, TextInput } from "./fields";
import { ORGANISATION_LIMITS, ORGANISATION_TYPE_LABELS, ORGANISATION_TYPES } from "~/schemas/admin-organisations";

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
            One on each line, like uhnm.nhs.uk (the part of a work email address after the @). Staff with an address at one of
            these can create an account with this organisation.
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
    </>
  );
}

const ARROW_LEFT = "M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z";
const ARROW_RIGHT = "m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z";

/** Previous / Next for an admin list paged by ?page=N (nothing when it fits on one page). */
export function AdminListPagination({ path, page, pageCount }: { path: string; page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav className="nhsuk-pagination" role="navigation" aria-label="Pagination">
      <ul className="nhsuk-list nhsuk-pagination__list">
        {page > 1 ? (
          <li className="nhsuk-pagination-item--previous">
            <Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={`${path}?page=${page - 1}`} rel="prev">
              <span className="nhsuk-pagination__title">
                Previous<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">
                Page {page - 1} of {pageCount}
              </span>
              <svg className="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                <path d={ARROW_LEFT} />
              </svg>
            </Link>
          </li>
        ) : null}
        {page < pageCount ? (
          <li className="nhsuk-pagination-item--next">
            <Link className="nhsuk-pagination__link nhsuk-pagination__link--next" to={`${path}?page=${page + 1}`} rel="next">
              <span className="nhsuk-pagination__title">
                Next<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">
                Page {page + 1} of {pageCount}
              </span>
              <svg className="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                <path d={ARROW_RIGHT} />
              </svg>
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
