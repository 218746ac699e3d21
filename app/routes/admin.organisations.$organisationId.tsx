// /admin/organisations/<id>: change an organisation's name, type, email domains and headcount.
// The form carries the version the administrator saw: a stale save is refused (409) naming who
// changed it and when, with what was typed kept and what is saved now shown beside it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunctionArgs } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { expectedVersion } from "~/.server/models/admin/common.server";
import { getOrganisationForAdmin, updateOrganisation } from "~/.server/models/admin/organisations.server";
import { OrganisationFields } from "~/components/admin-organisation-fields";
import { Button, ErrorSummary } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { errorPageTitle } from "~/lib/page-title";
import {
  domainsAsText,
  ORGANISATION_TYPE_LABELS,
  organisationSchema,
  STAFF_GROUP_FIELDS,
  staffGroupField,
  staffGroupHeadcountsOf,
} from "~/schemas/admin-organisations";
import { STAFF_GROUP_VALUES } from "~/lib/staff-groups";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error || !data) return [{ title: errorPageTitle(error) }];
  return [{ title: `${data.organisation.name} – Organisations – Administration – StayWell` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  let found: Awaited<ReturnType<typeof getOrganisationForAdmin>>;
  try {
    found = await getOrganisationForAdmin(user, params.organisationId);
  } catch (err) {
    throw adminErrorResponse(err, {});
  }
  const url = new URL(request.url);
  const saved = url.searchParams.get("saved");
  const notice: keyof typeof NOTICES | null =
    url.searchParams.get("created") === "1" ? "created" : saved === "1" ? "saved" : saved === "0" ? "unchanged" : null;
  return { ...found, notice };
}

function typedValues(formData: FormData) {
  const values: Record<string, unknown> = {};
  for (const key of ["name", "shortName", "esrCode", "type", "domains", "headcount", ...STAFF_GROUP_FIELDS]) {
    const value = formData.get(key);
    if (typeof value === "string") values[key] = value;
  }
  return values;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const values = typedValues(formData);
  const parsed = await parseForm(formData, organisationSchema);
  if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
  let result: { changed: boolean };
  try {
    result = await updateOrganisation(user, params.organisationId, {
      ...parsed.data,
      staffGroupHeadcounts: staffGroupHeadcountsOf(parsed.data),
      version: expectedVersion(formData.get("version")),
    });
  } catch (err) {
    return adminErrorResponse(err, values);
  }
  throw redirect(
    `/admin/organisations/${encodeURIComponent(params.organisationId ?? "")}?saved=${result.changed ? 1 : 0}`,
  );
}

/** After a conflict the page shows what is saved now (with JavaScript too). */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionStatus === 409) return true;
  return defaultShouldRevalidate;
}

const ORDER = ["_form", "name", "shortName", "esrCode", "type", "domains", "headcount", ...STAFF_GROUP_FIELDS];

const NOTICES = {
  created: "The organisation has been added. Staff with an address at its domains can now create an account.",
  saved: "Your changes have been saved.",
  unchanged: "Nothing was changed: the details were already as shown.",
} as const;

export default function EditOrganisation() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  // Keyed by version: after a save or a conflict the form starts again from the page as it is
  // now (after a conflict, with what was typed kept and the version now saved).
  return <EditOrganisationPage key={loaderData.organisation.version} {...loaderData} actionData={actionData} />;
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function EditOrganisationPage({
  organisation,
  accounts,
  accountsByDomain,
  accountsAtOtherDomains,
  notice,
  actionData,
}: LoaderData & { actionData: AdminActionData | undefined }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(organisationSchema, {
    defaultValues: {
      name: organisation.name,
      shortName: organisation.shortName ?? "",
      esrCode: organisation.esrCode ?? "",
      type: organisation.type,
      domains: domainsAsText(organisation.domains),
      headcount: String(organisation.headcount),
      ...Object.fromEntries(
        STAFF_GROUP_VALUES.map((g) => [staffGroupField(g), String(organisation.staffGroupHeadcounts[g] ?? "")]),
      ),
    },
    actionData,
  });
  const conflict = actionData?.conflict === true;
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/organisations">
          Back to organisations
        </Link>
      </nav>
      {notice && !actionData ? <SuccessBanner>{NOTICES[notice]}</SuccessBanner> : null}
      <ErrorSummary
        errors={errors}
        order={ORDER}
        title={conflict ? "Someone else changed this organisation" : undefined}
        description={
          conflict
            ? "What you typed is still in the form below. Check what is saved now, then save again if it is still right."
            : undefined
        }
      />
      <h1>
        <span className="nhsuk-caption-l">Organisation</span>
        {organisation.name}
      </h1>

      {conflict ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <h2 className="nhsuk-heading-s">What is saved now</h2>
          <SavedSummary organisation={organisation} />
        </div>
      ) : null}

      <h2 className="nhsuk-heading-m">Accounts</h2>
      <p>
        {accounts === 1 ? "1 account belongs" : `${accounts.toLocaleString("en-GB")} accounts belong`} to this
        organisation
        {organisation.domains.length || accountsAtOtherDomains ? ":" : "."}
      </p>
      {organisation.domains.length || accountsAtOtherDomains ? (
        <ul>
          {organisation.domains.map((d) => (
            <li key={d}>
              {(accountsByDomain[d] ?? 0).toLocaleString("en-GB")} with an address at {d}
            </li>
          ))}
          {accountsAtOtherDomains ? (
            <li>
              {accountsAtOtherDomains.toLocaleString("en-GB")} with an address at a domain this organisation does not
              have now (they still sign in)
            </li>
          ) : null}
        </ul>
      ) : null}

      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>
          Domains decide only where a new account goes. People sign in with their email address and password whatever
          its domain, so changing or removing a domain never locks anyone out, and existing accounts stay with this
          organisation.
        </p>
        <p>
          You can remove every domain: the organisation then takes no new sign-ups, and its accounts carry on as before.
          To move a domain to another organisation, remove it here first, then add it there.
        </p>
      </div>

      <h2 className="nhsuk-heading-m">Change details</h2>
      <Form method="post" {...formProps}>
        <input type="hidden" name="version" value={organisation.version} />
        <OrganisationFields register={register} errors={errors} values={values} editing />
        <Button disabled={isSubmitting}>Save changes</Button>
      </Form>
    </>
  );
}

function SavedSummary({
  organisation,
}: {
  organisation: {
    name: string;
    esrCode: string | null;
    type: keyof typeof ORGANISATION_TYPE_LABELS;
    domains: string[];
    headcount: number;
  };
}) {
  return (
    <SummaryList>
      <SummaryListRow label="Name">{organisation.name}</SummaryListRow>
      <SummaryListRow label="ESR organisation code">{organisation.esrCode ?? "None"}</SummaryListRow>
      <SummaryListRow label="Type">{ORGANISATION_TYPE_LABELS[organisation.type]}</SummaryListRow>
      <SummaryListRow label="Email domains">
        {organisation.domains.length ? organisation.domains.join(", ") : "None"}
      </SummaryListRow>
      <SummaryListRow label="Headcount">{organisation.headcount.toLocaleString("en-GB")}</SummaryListRow>
    </SummaryList>
  );
}
