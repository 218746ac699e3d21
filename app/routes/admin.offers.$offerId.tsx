// /admin/offers/<id>: edit a support offer (every field but its web address name, which stays as
// it was made), and retire or restore it after a confirmation step (?confirm=retire|restore, a
// page of its own, so it works without JavaScript). Each form carries the version the admin saw:
// a change made meanwhile by someone else is refused with who and when (409), keeping what was typed.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunctionArgs } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { expectedVersion, isAdminError } from "~/.server/models/admin/common.server";
import {
  getOfferForAdmin,
  listOfferCategories,
  listTeamsForOffers,
  restoreOffer,
  retireOffer,
  updateOffer,
} from "~/.server/models/admin/offers.server";
import { keptRequestsOfOffer, proposeTransfer } from "~/.server/models/admin/proposals.server";
import { OfferFields } from "~/components/admin-offer-form";
import { ProposedBanner } from "~/components/proposals";
import { Button, ErrorSummary, Radios } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { errorPageTitle } from "~/lib/page-title";
import { offerFieldsSchema, offerFormValues, OFFER_FIELD_ORDER } from "~/schemas/admin-offers";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error || !data) return [{ title: errorPageTitle(error) }];
  const { offer, confirm } = data;
  if (confirm === "retire") return [{ title: `Retire ${offer.title} – Administration – StayWell` }];
  if (confirm === "restore") return [{ title: `Restore ${offer.title} – Administration – StayWell` }];
  return [{ title: `Edit ${offer.title} – Administration – StayWell` }];
};

const SAVED_MESSAGES = {
  created: "The support offer has been added. It is in the list of support and staff can ask for it.",
  saved: "Your changes have been saved.",
  unchanged: "There were no changes to save.",
  retired: "The support offer has been retired. It is no longer in the list of support; requests already made go on.",
  restored: "The support offer has been restored. It is back in the list of support and staff can ask for it again.",
  proposed: "",
  saved_proposed: "",
  transfer_proposed: "",
} as const;
type SavedMessage = keyof typeof SAVED_MESSAGES;

function offerIdOf(params: { offerId?: string }): number {
  const id = Number(params.offerId);
  if (!/^\d{1,9}$/.test(params.offerId ?? "") || !Number.isSafeInteger(id) || id < 1)
    throw new Response(null, { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const id = offerIdOf(params);
  let offer;
  try {
    offer = await getOfferForAdmin(user, id);
  } catch (err) {
    if (isAdminError(err, "not_found")) throw new Response(null, { status: 404 });
    throw err;
  }
  const [teams, categories, keptRequests] = await Promise.all([
    listTeamsForOffers(user),
    listOfferCategories(user),
    keptRequestsOfOffer(user, id),
  ]);
  const url = new URL(request.url);
  const saved = url.searchParams.get("saved");
  const confirmParam = url.searchParams.get("confirm");
  const confirm =
    confirmParam === "retire" && offer.active
      ? "retire"
      : confirmParam === "restore" && !offer.active
        ? "restore"
        : null;
  return {
    offer: {
      id: offer.id,
      slug: offer.slug,
      title: offer.title,
      category: offer.category,
      summary: offer.summary,
      keywords: offer.keywords,
      body: offer.body,
      whoFor: offer.whoFor,
      provider: offer.provider,
      whatHappensNext: offer.whatHappensNext,
      firstContactTargetDays: offer.firstContactTargetDays,
      urgentCutoffHour: offer.urgentCutoffHour,
      urgentNextDayHour: offer.urgentNextDayHour,
      sensitive: offer.sensitive,
      formKind: offer.formKind,
      teamId: offer.teamId,
      teamName: offer.teamName,
      active: offer.active,
      version: offer.version,
      openRequests: offer.openRequests,
      totalRequests: offer.totalRequests,
      cannedResponseCount: offer.cannedResponseCount,
    },
    teams,
    categories,
    keptRequests,
    saved: saved && saved in SAVED_MESSAGES ? (saved as SavedMessage) : null,
    confirm,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const id = offerIdOf(params);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const values = intent === "save" ? offerFormValues(formData) : {};
  let saved: SavedMessage;
  try {
    const version = expectedVersion(formData.get("version"));
    if (intent === "save") {
      const parsed = await parseForm(formData, offerFieldsSchema);
      if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
      const result = await updateOffer(user, id, version, parsed.data);
      saved = result.proposed
        ? result.changed
          ? "saved_proposed"
          : "proposed"
        : result.changed
          ? "saved"
          : "unchanged";
    } else if (intent === "propose_transfer") {
      await proposeTransfer(user, id, { scope: formData.get("scope"), version });
      saved = "transfer_proposed";
    } else if (intent === "retire") {
      await retireOffer(user, id, version);
      saved = "retired";
    } else if (intent === "restore") {
      await restoreOffer(user, id, version);
      saved = "restored";
    } else {
      return data<AdminActionData>({ errors: { _form: "Choose what you want to do" }, values }, { status: 400 });
    }
  } catch (err) {
    return adminErrorResponse(err, values);
  }
  throw redirect(`/admin/offers/${id}?saved=${saved}`);
}

/** After a conflict the page shows the offer as it is now (its new version), with what was typed. */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionStatus === 409) return true;
  return defaultShouldRevalidate;
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function openRequestsText(n: number) {
  return n === 0 ? "No open requests" : n === 1 ? "1 open request" : `${n.toLocaleString("en-GB")} open requests`;
}

export default function EditOffer() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  if (loaderData.confirm) return <ConfirmStateChange data={loaderData} actionData={actionData} />;
  return <EditOfferPage data={loaderData} actionData={actionData} />;
}

function EditOfferPage({
  data: { offer, teams, categories, saved, keptRequests },
  actionData,
}: {
  data: LoaderData;
  actionData?: AdminActionData;
}) {
  const defaults = {
    title: offer.title,
    category: offer.category,
    summary: offer.summary,
    keywords: offer.keywords,
    body: offer.body,
    whoFor: offer.whoFor,
    provider: offer.provider,
    whatHappensNext: offer.whatHappensNext,
    firstContactTargetDays: String(offer.firstContactTargetDays),
    urgentCutoffHour: String(offer.urgentCutoffHour),
    urgentNextDayHour: String(offer.urgentNextDayHour),
    sensitive: offer.sensitive,
    formKind: offer.formKind,
    teamId: String(offer.teamId),
  };
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/offers">
          Back to support offers
        </Link>
      </nav>
      {saved === "proposed" && !actionData ? (
        <ProposedBanner>
          Moving a confidential offer to another team, or unticking “confidential”, needs two administrators.
        </ProposedBanner>
      ) : saved === "saved_proposed" && !actionData ? (
        <ProposedBanner>
          Your other changes have been saved. Moving a confidential offer to another team, or unticking “confidential”,
          needs two administrators.
        </ProposedBanner>
      ) : saved === "transfer_proposed" && !actionData ? (
        <ProposedBanner>The requests stay with the team that has them until the transfer is approved.</ProposedBanner>
      ) : saved && !actionData ? (
        <SuccessBanner>{SAVED_MESSAGES[saved]}</SuccessBanner>
      ) : null}
      <h1>
        <span className="nhsuk-caption-l">Support offer</span>
        {offer.title}
      </h1>
      <SummaryList>
        <SummaryListRow label="Status">
          {offer.active ? (
            <strong className="nhsuk-tag nhsuk-tag--green">In the catalogue</strong>
          ) : (
            <strong className="nhsuk-tag nhsuk-tag--grey">Retired</strong>
          )}
        </SummaryListRow>
        <SummaryListRow label="Web address">
          <Link to={`/support/${offer.slug}`}>/support/{offer.slug}</Link>
          <br />
          <span className="nhsuk-u-secondary-text-colour">
            The web address name cannot be changed: links and requests use it.
          </span>
        </SummaryListRow>
        <SummaryListRow label="Handled by">{offer.teamName}</SummaryListRow>
        <SummaryListRow label="Requests">{openRequestsText(offer.openRequests)}</SummaryListRow>
        <SummaryListRow label="Saved responses">
          <Link to={`/admin/offers/${offer.id}/responses`}>
            {offer.cannedResponseCount === 1 ? "1 saved response" : `${offer.cannedResponseCount} saved responses`}
            <span className="nhsuk-u-visually-hidden"> for {offer.title}</span>
          </Link>
        </SummaryListRow>
      </SummaryList>

      {offer.sensitive ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            This offer is confidential. Moving it to another team, or unticking “confidential”, needs a second
            administrator: saving proposes that change, and another administrator approves or declines it. Once
            approved, only new requests go to the new team; requests already made stay with the team that has them.
          </p>
        </div>
      ) : null}
      {/* Keyed by version: after a save or a conflict the fields start again from the offer as it is now. */}
      <EditForm
        key={offer.version}
        offer={offer}
        defaults={defaults}
        teams={teams}
        categories={categories}
        actionData={actionData}
      />

      {keptRequests.length ? <KeptRequests offer={offer} kept={keptRequests} actionData={actionData} /> : null}

      <h2>{offer.active ? "Retire this support offer" : "Restore this support offer"}</h2>
      {offer.active ? (
        <>
          <p>
            Retiring takes it out of the list of support and stops new requests. Requests already made go on: the hub
            keeps working on them and staff can still follow them.
          </p>
          <Link className="nhsuk-button nhsuk-button--warning" to={`/admin/offers/${offer.id}?confirm=retire`}>
            Retire this support offer
          </Link>
        </>
      ) : (
        <>
          <p>
            Restoring puts it back in the list of support, where it was in its category, and staff can ask for it again.
          </p>
          <Link className="nhsuk-button nhsuk-button--secondary" to={`/admin/offers/${offer.id}?confirm=restore`}>
            Restore this support offer
          </Link>
        </>
      )}
    </>
  );
}

/** Requests other teams kept when the offer moved, and the form to propose transferring them. */
function KeptRequests({
  offer,
  kept,
  actionData,
}: {
  offer: LoaderData["offer"];
  kept: LoaderData["keptRequests"];
  actionData?: AdminActionData;
}) {
  const open = kept.reduce((sum, k) => sum + k.open, 0);
  const all = kept.reduce((sum, k) => sum + k.all, 0);
  const scopeError = actionData && !actionData.conflict ? actionData.errors.scope : undefined;
  const count = (n: number) => (n === 1 ? "1 request" : `${n.toLocaleString("en-GB")} requests`);
  return (
    <section aria-labelledby="kept-requests">
      <h2 id="kept-requests">Requests kept by other teams</h2>
      <p>
        When this offer moved to the {offer.teamName} team, the requests already made stayed with the team that had
        them. Only that team can open them.
      </p>
      <ul>
        {kept.map((k) => (
          <li key={k.teamId}>
            {k.teamName}: {count(k.all)} ({k.open} open)
          </li>
        ))}
      </ul>
      {scopeError ? <ErrorSummary errors={{ scope: scopeError }} /> : null}
      <Form method="post">
        <input type="hidden" name="version" value={offer.version} />
        <Radios
          name="scope"
          legend={`Propose transferring them to the ${offer.teamName} team`}
          legendSize="s"
          hint="A second administrator approves or declines the transfer. Each person is told in their request's list of who has looked at or changed it."
          error={scopeError}
          items={[
            { value: "open", label: `The open ones (${count(open)})` },
            { value: "all", label: `All of them, open and finished (${count(all)})` },
          ]}
        />
        <Button name="intent" value="propose_transfer" variant="secondary">
          Propose the transfer
        </Button>
      </Form>
    </section>
  );
}

function EditForm({
  offer,
  defaults,
  teams,
  categories,
  actionData,
}: {
  offer: LoaderData["offer"];
  defaults: Record<string, unknown>;
  teams: LoaderData["teams"];
  categories: string[];
  actionData?: AdminActionData;
}) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(offerFieldsSchema, {
    defaultValues: defaults,
    actionData,
  });
  return (
    <>
      <ErrorSummary
        errors={errors}
        order={["_form", ...OFFER_FIELD_ORDER]}
        title={actionData?.conflict ? "Someone else changed this support offer" : undefined}
      />
      <h2>Details</h2>
      <Form method="post" {...formProps}>
        <input type="hidden" name="version" value={offer.version} />
        <OfferFields
          register={register}
          errors={errors}
          values={values}
          teams={teams}
          categories={categories}
          withSlug={false}
          formKindLocked={offer.totalRequests > 0}
        />
        <Button name="intent" value="save" disabled={isSubmitting}>
          Save changes
        </Button>
      </Form>
    </>
  );
}

function ConfirmStateChange({ data: { offer }, actionData }: { data: LoaderData; actionData?: AdminActionData }) {
  const retiring = offer.active;
  const formError = actionData?.errors?._form;
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to={`/admin/offers/${offer.id}`}>
          Back to {offer.title}
        </Link>
      </nav>
      {formError ? (
        <ErrorSummary
          errors={{ _form: formError }}
          title={actionData?.conflict ? "Someone else changed this support offer" : undefined}
        />
      ) : null}
      <h1>
        {retiring ? "Retire" : "Restore"} {offer.title}?
      </h1>
      {retiring ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              What retiring does
            </span>
          </h2>
          <ul className="nhsuk-list nhsuk-list--bullet">
            <li>It disappears from the list of support, and staff cannot make new requests for it.</li>
            <li>
              Requests already made go on: {openRequestsText(offer.openRequests).toLowerCase()} stay with the{" "}
              {offer.teamName} team, who keep working on them, and staff can still follow and reply to them.
            </li>
            <li>You can restore it later.</li>
          </ul>
        </div>
      ) : (
        <p>It goes back in the list of support, where it was in its category, and staff can ask for it again.</p>
      )}
      <Form method="post">
        <input type="hidden" name="version" value={offer.version} />
        <div className="nhsuk-button-group">
          <Button name="intent" value={retiring ? "retire" : "restore"} variant={retiring ? "warning" : "primary"}>
            {retiring ? "Yes, retire this support offer" : "Yes, restore this support offer"}
          </Button>
          <Link className="nhsuk-link" to={`/admin/offers/${offer.id}`}>
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
