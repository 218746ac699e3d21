// /admin/leaving-questionnaire: an administrator sends the leaving questionnaire to leavers of one
// organisation: their work addresses and leaving dates typed (one a line) or uploaded as a simple
// CSV. Each gets a single-use link valid 60 days (docs/decisions/033-leaving-questionnaire.md).
// Nothing is sent while any line is bad; the audit log records the counts, never the addresses.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { organisationChoices } from "~/.server/models/accounts.server";
import { isLeavingError, LINK_DAYS, parseLeaverList, sendLeavingLinks } from "~/.server/models/leaving.server";
import { Button, ErrorSummary, Textarea } from "~/components/fields";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { Select } from "~/components/nhsuk/select";
import { leavingLinksSchema } from "~/schemas/leaving";

export const meta: MetaFunction = () => [{ title: "Leaving questionnaire – Administration – StayWell" }];

/** A CSV file larger than this is refused with a message (500 leavers fit in a few kilobytes). */
const FILE_MAX_BYTES = 100 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { organisations: await organisationChoices(), linkDays: LINK_DAYS };
}

type ActionData = {
  errors: Record<string, string>;
  values: Record<string, unknown>;
  problems?: string[];
  sent?: { sent: number; alreadySent: number };
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const file = formData.get("file");
  const parsed = await parseForm(formData, leavingLinksSchema);
  const values = { organisationId: formData.get("organisationId") ?? "", leavers: formData.get("leavers") ?? "" };
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values }, { status: 400 });
  let text = parsed.data.leavers;
  if (file instanceof File && file.size > 0) {
    if (file.size > FILE_MAX_BYTES) {
      const message = "The file must be 100 KB or smaller (about 500 leavers): split it and send each part";
      return data<ActionData>({ errors: { file: message }, values }, { status: 400 });
    }
    text = `${text}\n${await file.text()}`;
  }
  const { rows, problems } = parseLeaverList(text);
  if (problems.length) {
    const message = `${problems.length === 1 ? "1 line needs" : `${problems.length} lines need`} correcting: nothing has been sent`;
    return data<ActionData>({ errors: { leavers: message }, values, problems: problems.slice(0, 50) }, { status: 400 });
  }
  try {
    const sent = await sendLeavingLinks(user, { organisationId: parsed.data.organisationId, rows });
    return data<ActionData>({ errors: {}, values: { organisationId: values.organisationId, leavers: "" }, sent });
  } catch (err) {
    if (isLeavingError(err)) {
      return data<ActionData>({ errors: err.errors, values }, { status: err.code === "throttled" ? 429 : 400 });
    }
    return adminErrorResponse(err, values);
  }
}

export default function AdminLeavingQuestionnaire() {
  const { organisations, linkDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <>
      {actionData?.sent ? (
        <SuccessBanner>
          {`Sent the questionnaire to ${actionData.sent.sent} ${actionData.sent.sent === 1 ? "leaver" : "leavers"}`}
          {actionData.sent.alreadySent ? `; ${actionData.sent.alreadySent} already had a link that still works` : ""}
        </SuccessBanner>
      ) : null}
      <ErrorSummary errors={errors} order={["organisationId", "leavers", "file"]} />
      <h1>Send the leaving questionnaire</h1>
      <p>
        Each leaver gets an email at their work address with a link to the questionnaire. The link works once, for{" "}
        {linkDays} days, without an account. Their answers count for the organisation you choose and are never shown
        individually. StayWell keeps only a fingerprint (hash) of each address, to avoid sending two links.
      </p>
      {actionData?.problems?.length ? (
        <div className="nhsuk-error-summary" role="group" aria-labelledby="problems-title">
          <h2 className="nhsuk-error-summary__title" id="problems-title">
            Lines to correct
          </h2>
          <ul className="nhsuk-list">
            {actionData.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data">
        <Select
          name="organisationId"
          label="Organisation the leavers work for"
          error={errors.organisationId}
          defaultValue={typeof values.organisationId === "string" ? values.organisationId : ""}
          options={[
            { value: "", label: "Choose an organisation" },
            ...organisations.map((o) => ({ value: String(o.id), label: o.name })),
          ]}
        />
        <Textarea
          name="leavers"
          label="Leavers"
          hint="One a line: work email address, leaving date. For example: sam.jones@uhnm.staywell.test, 31/03/2026"
          rows={8}
          error={errors.leavers}
          defaultValue={typeof values.leavers === "string" ? values.leavers : ""}
        />
        <div className={`nhsuk-form-group${errors.file ? " nhsuk-form-group--error" : ""}`}>
          <label className="nhsuk-label" htmlFor="file">
            Or upload a CSV file
          </label>
          <div className="nhsuk-hint" id="file-hint">
            Two columns, email and leaving_date, with or without a header row. At most 500 leavers.
          </div>
          {errors.file ? (
            <span className="nhsuk-error-message" id="file-error">
              <span className="nhsuk-u-visually-hidden">Error:</span> {errors.file}
            </span>
          ) : null}
          <input
            className="nhsuk-file-upload"
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={errors.file ? "file-hint file-error" : "file-hint"}
          />
        </div>
        <Button>Send the questionnaire</Button>
      </Form>
    </>
  );
}
