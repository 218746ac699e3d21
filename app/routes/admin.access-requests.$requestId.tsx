// /admin/access-requests/<id>: one request for access and the administrator's decision
// (docs/decisions/027-joining.md): approve into an organisation (an account is made and the person
// is mailed a link to choose their password) or decline with a reason (mailed to them). An expired
// or decided request shows what happened and offers neither.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { isAdminError } from "~/.server/models/admin/common.server";
import { approveAccessRequest, declineAccessRequest, getAccessRequest } from "~/.server/models/joining.server";
import { Button, ErrorSummary, str, Textarea } from "~/components/fields";
import { formatDate, formatDateTime } from "~/components/format";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { Select } from "~/components/nhsuk/select";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { errorPageTitle } from "~/lib/page-title";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import {
  ACCESS_REQUEST_STATE_TAGS,
  approveAccessSchema,
  DECLINE_REASON_MAX,
  declineAccessSchema,
} from "~/schemas/joining";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => [
  {
    title: error
      ? errorPageTitle(error)
      : `${data?.request.name ?? "Request"} – Access requests – Administration – StayWell`,
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  try {
    const found = await getAccessRequest(user, params.requestId);
    const done = new URL(request.url).searchParams.get("done");
    return { ...found, done: done === "approved" || done === "declined" ? done : null };
  } catch (err) {
    if (isAdminError(err, "not_found")) throw new Response(null, { status: 404 });
    throw err;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const values: Record<string, unknown> = { intent: typeof intent === "string" ? intent : "" };
  for (const key of ["organisationId", "reason"]) {
    const v = formData.get(key);
    if (typeof v === "string") values[key] = v;
  }
  const path = `/admin/access-requests/${encodeURIComponent(params.requestId ?? "")}`;
  try {
    if (intent === "approve") {
      const parsed = await parseForm(formData, approveAccessSchema);
      if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
      await approveAccessRequest(user, params.requestId, parsed.data);
      throw redirect(`${path}?done=approved`);
    }
    if (intent === "decline") {
      const parsed = await parseForm(formData, declineAccessSchema);
      if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
      await declineAccessRequest(user, params.requestId, parsed.data);
      throw redirect(`${path}?done=declined`);
    }
    return data<AdminActionData>({ errors: { _form: "Choose approve or decline" }, values }, { status: 400 });
  } catch (err) {
    if (err instanceof Response) throw err;
    return adminErrorResponse(err, values);
  }
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

export default function AdminAccessRequest() {
  const { request, organisationOptions, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  const intent = actionData?.values?.intent;
  const tag = ACCESS_REQUEST_STATE_TAGS[request.state];
  const staffGroup = STAFF_GROUPS.find((g) => g.value === request.staffGroup)?.label ?? request.staffGroup;
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/access-requests">
          Back to access requests
        </Link>
      </nav>
      {done && !actionData ? (
        <SuccessBanner>
          {done === "approved"
            ? `${request.name} has been sent a link to choose their password.`
            : `The request has been declined and ${request.name} has been told why.`}
        </SuccessBanner>
      ) : null}
      {actionData?.errors._form ? <ErrorSummary errors={{ _form: actionData.errors._form }} /> : null}
      <h1>
        <span className="nhsuk-caption-l">Access request</span>
        {request.name}
      </h1>
      <p>
        <strong className={tag.className}>{tag.label}</strong>
      </p>
      <SummaryList>
        <SummaryListRow label="Email address">
          <span className="staywell-break-anywhere">{request.email}</span>
        </SummaryListRow>
        <SummaryListRow label="Organisation">
          {request.organisationName ?? request.organisationText ?? ""}
          {request.organisationName ? null : " (typed by them: not in the list)"}
        </SummaryListRow>
        <SummaryListRow label="Job or role">{request.jobTitle}</SummaryListRow>
        <SummaryListRow label="Staff group">{staffGroup}</SummaryListRow>
        <SummaryListRow label="Started with their organisation">{formatDate(request.startDate)}</SummaryListRow>
        <SummaryListRow label="Asked on">{formatDateTime(request.createdAt)}</SummaryListRow>
        <SummaryListRow label={request.state === "expired" ? "Expired on" : "Expires on"}>
          {formatDateTime(request.expiresAt)}
        </SummaryListRow>
        {request.decidedAt ? (
          <SummaryListRow label="Decided">
            {request.state === "approved" ? "Approved" : "Declined"} by {request.decidedBy ?? "a former administrator"}{" "}
            on {formatDateTime(request.decidedAt)}
          </SummaryListRow>
        ) : null}
        {request.declineReason ? (
          <SummaryListRow label="Reason given">
            <span className="staywell-pre-wrap">{request.declineReason}</span>
          </SummaryListRow>
        ) : null}
        {request.userId ? (
          <SummaryListRow label="Account">
            <Link to={`/admin/people/${encodeURIComponent(request.userId)}`}>View {request.name}'s account</Link>
          </SummaryListRow>
        ) : null}
      </SummaryList>
      {request.state === "pending" ? (
        <>
          <ApproveForm
            request={request}
            organisationOptions={organisationOptions}
            actionData={intent === "approve" ? actionData : undefined}
          />
          <DeclineForm request={request} actionData={intent === "decline" ? actionData : undefined} />
        </>
      ) : request.state === "expired" ? (
        <p>This request expired without a decision. The person can ask again.</p>
      ) : null}
    </>
  );
}

function ApproveForm({
  request,
  organisationOptions,
  actionData,
}: {
  request: Loaded["request"];
  organisationOptions: Loaded["organisationOptions"];
  actionData: AdminActionData | undefined;
}) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(approveAccessSchema, {
    defaultValues: { organisationId: request.organisationId ? String(request.organisationId) : "" },
    actionData,
  });
  return (
    <section aria-labelledby="approve-heading">
      <h2 id="approve-heading">Approve</h2>
      <p>
        We will make {request.name} an account with the staff role and email them a link to choose their password. Their
        organisation will show as confirmed.
      </p>
      <ErrorSummary errors={errors} />
      <Form method="post" {...formProps}>
        <Select
          label="Which organisation do they work for?"
          hint={
            request.organisationName
              ? "They chose this from the list"
              : "They typed an organisation that is not in the list. If it should be, add it on the Organisations page first"
          }
          options={[
            { value: "", label: "Choose an organisation" },
            ...organisationOptions.map((o) => ({ value: String(o.id), label: o.name })),
          ]}
          error={errors.organisationId}
          defaultValue={str(values.organisationId) ?? ""}
          {...register("organisationId")}
        />
        <Button name="intent" value="approve" disabled={isSubmitting}>
          Approve and send the link
        </Button>
      </Form>
    </section>
  );
}

function DeclineForm({ request, actionData }: { request: Loaded["request"]; actionData: AdminActionData | undefined }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(declineAccessSchema, {
    defaultValues: { reason: "" },
    actionData,
  });
  return (
    <section aria-labelledby="decline-heading">
      <h2 id="decline-heading">Decline</h2>
      <ErrorSummary errors={errors} />
      <Form method="post" {...formProps}>
        <Textarea
          label="Why are you declining it?"
          hint={`We email this to ${request.name}. Say what they can do instead if there is something.`}
          maxLength={DECLINE_REASON_MAX}
          error={errors.reason}
          defaultValue={str(values.reason)}
          {...register("reason")}
        />
        <Button name="intent" value="decline" variant="secondary" disabled={isSubmitting}>
          Decline and tell them
        </Button>
      </Form>
    </section>
  );
}
