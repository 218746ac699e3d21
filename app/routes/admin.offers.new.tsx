// /admin/offers/new: add a support offer with the team that handles it. It is in the catalogue
// (at the end of its category) as soon as it is added.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { createOffer, listOfferCategories, listTeamsForOffers } from "~/.server/models/admin/offers.server";
import { OfferFields } from "~/components/admin-offer-form";
import { Button, ErrorSummary } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { errorPageTitle } from "~/lib/page-title";
import { offerCreateSchema, offerFormValues, OFFER_FIELD_ORDER } from "~/schemas/admin-offers";

export const meta: MetaFunction<typeof loader, Record<string, unknown>> = ({ error }) => [
  { title: error ? errorPageTitle(error) : "Add a support offer – Administration – StayWell" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const [teams, categories] = await Promise.all([listTeamsForOffers(user), listOfferCategories(user)]);
  return { teams, categories };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const values = offerFormValues(formData);
  const parsed = await parseForm(formData, offerCreateSchema);
  if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
  let created: { id: number };
  try {
    created = await createOffer(user, parsed.data);
  } catch (err) {
    return adminErrorResponse(err, values);
  }
  throw redirect(`/admin/offers/${created.id}?saved=created`);
}

const EMPTY = {
  title: "",
  slug: "",
  category: "",
  summary: "",
  keywords: "",
  body: "",
  whoFor: "",
  provider: "",
  whatHappensNext: "",
  firstContactTargetDays: "5",
  urgentCutoffHour: "15",
  urgentNextDayHour: "10",
  sensitive: false,
  formKind: "general",
  teamId: "",
};

export default function NewOffer() {
  const { teams, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(offerCreateSchema, {
    defaultValues: EMPTY,
    actionData,
  });
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/offers">
          Back to support offers
        </Link>
      </nav>
      <ErrorSummary errors={errors} order={OFFER_FIELD_ORDER} />
      <h1>Add a support offer</h1>
      <p>It appears in the list of support as soon as you add it, and staff can ask for it straight away.</p>
      <Form method="post" {...formProps}>
        <OfferFields
          register={register}
          errors={errors}
          values={values}
          teams={teams}
          categories={categories}
          withSlug
        />
        <Button disabled={isSubmitting}>Add support offer</Button>
      </Form>
    </>
  );
}
