// /admin/offers/<id>/responses: the saved (canned) responses of one support offer, which the
// offer's hub team can start a message from (app/routes/hub.requests.$reference.tsx lists them
// in this order). Add, edit, reorder and delete; every change is audited and carries the version
// the admin saw. Editing and deleting are steps of their own (?edit=<id>, ?delete=<id>), so the
// page works without JavaScript.
//
// (File name: "$offerId_" keeps this page out of the edit page's layout; the URL is
// /admin/offers/<id>/responses.)
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ShouldRevalidateFunctionArgs,
} from "@remix-run/react";
import { adminErrorResponse, requireAdmin } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { expectedVersion, isAdminError } from "~/.server/models/admin/common.server";
import {
  addCannedResponse,
  deleteCannedResponse,
  listCannedResponsesForAdmin,
  moveCannedResponse,
  updateCannedResponse,
  type AdminCannedResponse,
} from "~/.server/models/admin/offers.server";
import { Button, ErrorSummary, str, Textarea, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { errorPageTitle } from "~/lib/page-title";
import { CANNED_LIMITS, cannedResponseSchema, isMoveDirection } from "~/schemas/admin-offers";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => [
  {
    title:
      error || !data ? errorPageTitle(error) : `Saved responses for ${data.offer.title} – Administration – StayWell`,
  },
];

const INTENTS = ["add", "edit", "delete", "move"] as const;
type Intent = (typeof INTENTS)[number];
function isIntent(value: unknown): value is Intent {
  return typeof value === "string" && (INTENTS as readonly string[]).includes(value);
}

const DONE_MESSAGES = {
  added: "The saved response has been added. The hub can use it straight away.",
  saved: "Your changes to the saved response have been saved.",
  unchanged: "There were no changes to save.",
  deleted: "The saved response has been deleted. Messages already sent with it are not changed.",
  moved: "The saved response has been moved. The hub lists them in this order.",
} as const;
type Done = keyof typeof DONE_MESSAGES;

interface ResponsesActionData {
  intent: Intent | null;
  responseId: number | null;
  errors: Record<string, string>;
  values: Record<string, unknown>;
  conflict?: boolean;
}

function offerIdOf(params: { offerId?: string }): number {
  if (!/^\d{1,9}$/.test(params.offerId ?? "")) throw new Response(null, { status: 404 });
  const id = Number(params.offerId);
  if (id < 1) throw new Response(null, { status: 404 });
  return id;
}

function pathOf(offerId: number) {
  return `/admin/offers/${offerId}/responses`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const offerId = offerIdOf(params);
  let list;
  try {
    list = await listCannedResponsesForAdmin(user, offerId);
  } catch (err) {
    if (isAdminError(err, "not_found")) throw new Response(null, { status: 404 });
    throw err;
  }
  const url = new URL(request.url);
  const editId = Number(url.searchParams.get("edit"));
  const deleteId = Number(url.searchParams.get("delete"));
  const done = url.searchParams.get("done");
  return {
    ...list,
    editing: list.responses.some((r) => r.id === editId) ? editId : null,
    deleting: list.responses.some((r) => r.id === deleteId) ? deleteId : null,
    done: done && done in DONE_MESSAGES ? (done as Done) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const offerId = offerIdOf(params);
  const formData = await readFormData(request);
  const rawIntent = formData.get("intent");
  const intent = isIntent(rawIntent) ? rawIntent : null;
  const responseId = Number(formData.get("responseId")) || null;
  const values: Record<string, unknown> = {};
  for (const key of ["title", "body"]) {
    const value = formData.get(key);
    if (typeof value === "string") values[key] = value;
  }
  const answer = (status: 400 | 409, errors: Record<string, string>, conflict?: boolean) =>
    data<ResponsesActionData>({ intent, responseId, errors, values, conflict }, { status });

  if (!intent) return answer(400, { _form: "Choose what you want to do" });
  let done: Done;
  let anchor = "";
  try {
    if (intent === "add") {
      const parsed = await parseForm(formData, cannedResponseSchema);
      if (!parsed.ok) return answer(400, parsed.errors);
      const added = await addCannedResponse(user, offerId, parsed.data);
      done = "added";
      anchor = `#response-${added.id}`;
    } else {
      if (!responseId) return answer(400, { _form: "Choose a saved response" });
      const version = expectedVersion(formData.get("version"));
      if (intent === "edit") {
        const parsed = await parseForm(formData, cannedResponseSchema);
        if (!parsed.ok) return answer(400, parsed.errors);
        const result = await updateCannedResponse(user, offerId, responseId, version, parsed.data);
        done = result.changed ? "saved" : "unchanged";
        anchor = `#response-${responseId}`;
      } else if (intent === "delete") {
        await deleteCannedResponse(user, offerId, responseId, version);
        done = "deleted";
      } else {
        const direction = formData.get("direction");
        if (!isMoveDirection(direction)) return answer(400, { _form: "Choose to move it up or down" });
        await moveCannedResponse(user, offerId, responseId, version, direction);
        done = "moved";
        anchor = `#response-${responseId}`;
      }
    }
  } catch (err) {
    if (isAdminError(err, "conflict")) return answer(409, { _form: err.message }, true);
    if (isAdminError(err, "invalid"))
      return answer(400, Object.keys(err.errors).length ? err.errors : { _form: err.message });
    // A response (or offer) that is not there any more: 404; anything else as the admin pages do.
    return adminErrorResponse(err, values);
  }
  throw redirect(`${pathOf(offerId)}?done=${done}${anchor}`);
}

/** After a conflict the page shows the responses as they are now. */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionStatus === 409) return true;
  return defaultShouldRevalidate;
}

export default function CannedResponses() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ResponsesActionData | undefined;
  const { offer, responses, editing, deleting, done } = page;
  const formError = actionData?.errors?._form;
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to={`/admin/offers/${offer.id}`}>
          Back to {offer.title}
        </Link>
      </nav>
      {done && !actionData ? <SuccessBanner>{DONE_MESSAGES[done]}</SuccessBanner> : null}
      {formError ? (
        <ErrorSummary
          errors={{ _form: formError }}
          title={actionData?.conflict ? "Someone else changed this saved response" : undefined}
        />
      ) : null}
      <h1>
        <span className="nhsuk-caption-l">{offer.title}</span>
        Saved responses
      </h1>
      <p>
        Coordinators in the {offer.teamName} team can start a message to the person from one of these, on any request
        for {offer.title}, and change it before they send it. The hub lists them in this order.
      </p>

      <h2>{responses.length === 1 ? "1 saved response" : `${responses.length} saved responses`}</h2>
      {responses.length === 0 ? <p>There are no saved responses for this support yet.</p> : null}
      <ol className="nhsuk-list">
        {responses.map((response) => (
          <li key={response.id} id={`response-${response.id}`}>
            {editing === response.id ? (
              <EditResponse
                key={`${response.id}-${response.version}`}
                offerId={offer.id}
                response={response}
                actionData={actionData}
              />
            ) : (
              <ResponseCard response={response} offerId={offer.id} deleting={deleting === response.id} />
            )}
          </li>
        ))}
      </ol>

      {editing === null ? <AddResponse key={responses.length} actionData={actionData} /> : null}
    </>
  );
}

function ResponseCard({
  response,
  offerId,
  deleting,
}: {
  response: AdminCannedResponse;
  offerId: number;
  deleting: boolean;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className={`nhsuk-card${deleting ? " nhsuk-card--warning" : ""}`}>
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading">{response.title}</h3>
        <p className="nhsuk-card__description staywell-pre-wrap">{response.body}</p>
        {deleting ? (
          <>
            <p>
              <strong>Delete this saved response?</strong> Coordinators will no longer be able to start a message from
              it. Messages already sent with it are not changed.
            </p>
            <Form method="post" action={pathOf(offerId)}>
              <input type="hidden" name="responseId" value={response.id} />
              <input type="hidden" name="version" value={response.version} />
              <div className="nhsuk-button-group">
                <Button name="intent" value="delete" variant="warning" disabled={busy}>
                  Yes, delete it<span className="nhsuk-u-visually-hidden">: {response.title}</span>
                </Button>
                <Link className="nhsuk-link" to={`${pathOf(offerId)}#response-${response.id}`}>
                  Cancel
                </Link>
              </div>
            </Form>
          </>
        ) : (
          <div className="nhsuk-button-group nhsuk-u-margin-bottom-0">
            <Link className="nhsuk-link" to={`${pathOf(offerId)}?edit=${response.id}#response-${response.id}`}>
              Edit<span className="nhsuk-u-visually-hidden"> {response.title}</span>
            </Link>
            {response.canMoveUp ? (
              <MoveButton response={response} offerId={offerId} direction="up" disabled={busy} />
            ) : null}
            {response.canMoveDown ? (
              <MoveButton response={response} offerId={offerId} direction="down" disabled={busy} />
            ) : null}
            <Link className="nhsuk-link" to={`${pathOf(offerId)}?delete=${response.id}#response-${response.id}`}>
              Delete<span className="nhsuk-u-visually-hidden"> {response.title}</span>
            </Link>
          </div>
        )}
      </div>
    </div>
  );
}

function MoveButton({
  response,
  offerId,
  direction,
  disabled,
}: {
  response: AdminCannedResponse;
  offerId: number;
  direction: "up" | "down";
  disabled: boolean;
}) {
  return (
    <Form method="post" action={pathOf(offerId)} preventScrollReset className="nhsuk-u-margin-right-3">
      <input type="hidden" name="responseId" value={response.id} />
      <input type="hidden" name="version" value={response.version} />
      <input type="hidden" name="direction" value={direction} />
      <button
        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
        type="submit"
        name="intent"
        value="move"
        disabled={disabled}
      >
        {direction === "up" ? "Move up" : "Move down"}
        <span className="nhsuk-u-visually-hidden">: {response.title}</span>
      </button>
    </Form>
  );
}

function EditResponse({
  offerId,
  response,
  actionData,
}: {
  offerId: number;
  response: AdminCannedResponse;
  actionData?: ResponsesActionData;
}) {
  const mine = actionData?.intent === "edit" && actionData.responseId === response.id ? actionData : undefined;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(cannedResponseSchema, {
    defaultValues: { title: response.title, body: response.body },
    actionData: mine,
  });
  return (
    <div className="nhsuk-card">
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading">Edit {response.title}</h3>
        <ErrorSummary errors={errors._form ? {} : errors} order={["title", "body"]} />
        <Form method="post" action={`${pathOf(offerId)}?edit=${response.id}`} {...formProps}>
          <input type="hidden" name="responseId" value={response.id} />
          <input type="hidden" name="version" value={response.version} />
          <ResponseFields register={register} errors={errors} values={values} />
          <div className="nhsuk-button-group">
            <Button name="intent" value="edit" disabled={isSubmitting}>
              Save saved response
            </Button>
            <Link className="nhsuk-link" to={`${pathOf(offerId)}#response-${response.id}`}>
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}

function AddResponse({ actionData }: { actionData?: ResponsesActionData }) {
  const mine = actionData?.intent === "add" ? actionData : undefined;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(cannedResponseSchema, {
    defaultValues: { title: "", body: "" },
    actionData: mine,
  });
  return (
    <section aria-labelledby="add-response">
      <h2 id="add-response">Add a saved response</h2>
      <ErrorSummary errors={errors._form ? {} : errors} order={["title", "body"]} />
      <Form method="post" {...formProps}>
        <ResponseFields register={register} errors={errors} values={values} />
        <Button name="intent" value="add" disabled={isSubmitting}>
          Add saved response
        </Button>
      </Form>
    </section>
  );
}

function ResponseFields({
  register,
  errors,
  values,
}: {
  register: ReturnType<typeof useServerValidatedForm>["register"];
  errors: Record<string, string>;
  values: Record<string, unknown>;
}) {
  return (
    <>
      <TextInput
        label="Name"
        hint="Coordinators choose the response by this name, for example Booking the first assessment"
        error={errors.title}
        defaultValue={str(values.title)}
        {...register("title")}
      />
      <Textarea
        label="Message"
        hint="Plain text. Coordinators can change it before they send it. Do not include anyone's personal details."
        rows={8}
        maxLength={CANNED_LIMITS.body}
        error={errors.body}
        defaultValue={str(values.body)}
        {...register("body")}
      />
    </>
  );
}
