// /admin/people/<id>: one account — who they are, their organisation, role and scope, status and
// teams (never their requests) — and the administrator's actions: change the role (a manager's
// scope with it), disable the account (which signs them out at once; confirmed with a checkbox,
// so it works without JavaScript) and re-enable it. Each form carries an `intent` and the account
// `version` the administrator saw; a stale one is answered 409 with who changed it and when.
// "Delete this account" erases it on the person's request, the reason kept in the audit log
// (app/.server/models/anonymise.server.ts; one administrator: docs/decisions/030 says why).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunctionArgs } from "@remix-run/react";
import { useMemo } from "react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import {
  changeRole,
  disableAccount,
  enableAccount,
  getPerson,
  setRetentionHold,
} from "~/.server/models/admin/people.server";
import { isAdminError } from "~/.server/models/admin/common.server";
import { eraseAccountByAdmin, isErasureError } from "~/.server/models/anonymise.server";
import { confirmOrganisation } from "~/.server/models/joining.server";
import { Button, Checkbox, ErrorSummary, Radios, str, bool, Textarea } from "~/components/fields";
import { formatDate, formatDateTime } from "~/components/format";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { Select } from "~/components/nhsuk/select";
import { ProposedBanner } from "~/components/proposals";
import { errorPageTitle } from "~/lib/page-title";
import {
  disableSchema,
  ICS_SCOPE,
  isPersonIntent,
  ROLE_HINTS,
  ROLE_NAMES,
  roleSchema,
  USER_ROLES,
  type PersonIntent,
} from "~/schemas/admin-people";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { adminEraseAccountSchema, ERASURE_REASON_MAX } from "~/schemas/your-data";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => [
  { title: error ? errorPageTitle(error) : `${data?.person.name ?? "Person"} – People – Administration – StayWell` },
];

const DONE = [
  "role",
  "unchanged",
  "disabled",
  "enabled",
  "proposed",
  "erased",
  "held",
  "released",
  "organisation",
] as const;
type Done = (typeof DONE)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  let person;
  try {
    person = await getPerson(user, params.userId ?? "");
  } catch (err) {
    if (isAdminError(err, "not_found")) throw new Response(null, { status: 404 });
    throw err;
  }
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  const unassigned = Number(url.searchParams.get("unassigned"));
  return {
    person,
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
    unassigned: Number.isInteger(unassigned) && unassigned > 0 ? unassigned : 0,
  };
}

type ActionResult = AdminActionData;

function formValues(formData: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && key !== "version") values[key] = value;
  }
  return values;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const userId = params.userId ?? "";
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const values = formValues(formData);
  if (!isPersonIntent(intent)) {
    return data<ActionResult>({ errors: { _form: "Choose what you want to do" }, values }, { status: 400 });
  }
  const version = formData.get("version");
  const path = `/admin/people/${encodeURIComponent(userId)}`;
  try {
    if (intent === "role") {
      const parsed = await parseForm(formData, roleSchema);
      if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values }, { status: 400 });
      const result = await changeRole(user, userId, { ...parsed.data, version });
      // Someone who gave up their own administrator role can no longer see /admin.
      if (result.leftAdmin) throw redirect("/");
      if (result.proposed) throw redirect(`${path}?done=proposed`);
      const extra = result.unassigned ? `&unassigned=${result.unassigned}` : "";
      throw redirect(`${path}?done=${result.changed ? "role" : "unchanged"}${extra}`);
    }
    if (intent === "confirm-organisation") {
      await confirmOrganisation(user, userId, { version });
      throw redirect(`${path}?done=organisation`);
    }
    if (intent === "disable") {
      const parsed = await parseForm(formData, disableSchema);
      if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values }, { status: 400 });
      const result = await disableAccount(user, userId, { version });
      throw redirect(`${path}?done=disabled${result.unassigned ? `&unassigned=${result.unassigned}` : ""}`);
    }
    if (intent === "erase") {
      const parsed = await parseForm(formData, adminEraseAccountSchema);
      if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values }, { status: 400 });
      await eraseAccountByAdmin(user, userId, { reason: parsed.data.reason, confirm: "yes" });
      throw redirect(`${path}?done=erased`);
    }
    if (intent === "hold" || intent === "release") {
      await setRetentionHold(user, userId, { version, hold: intent === "hold" });
      throw redirect(`${path}?done=${intent === "hold" ? "held" : "released"}`);
    }
    await enableAccount(user, userId, { version });
    throw redirect(`${path}?done=enabled`);
  } catch (err) {
    if (err instanceof Response) throw err;
    if (isErasureError(err, "not_found")) throw new Response(null, { status: 404 });
    if (isErasureError(err)) {
      return data<ActionResult>({ errors: { [err.field ?? "_form"]: err.message }, values }, { status: 400 });
    }
    return adminErrorResponse(err, values);
  }
}

/** After a conflict the page shows the account as it is now (with JavaScript too). */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionStatus === 409) return true;
  return defaultShouldRevalidate;
}

// ---------------------------------------------------------------------------------------------
// page

type Person = ReturnType<typeof useLoaderData<typeof loader>>["person"];

function doneMessage(done: Done, person: Person, unassigned: number) {
  const note = unassigned
    ? ` ${unassigned} open ${unassigned === 1 ? "request they were looking after was" : "requests they were looking after were"} unassigned and went back to the team's queue.`
    : "";
  switch (done) {
    case "role":
      return `${person.name} is now ${roleWithScope(person)}.${note}`;
    case "unchanged":
      return "Nothing was changed: that is already their role.";
    case "disabled":
      return `${person.name}'s account has been disabled and they have been signed out.${note}`;
    case "enabled":
      return `${person.name}'s account has been re-enabled. They can sign in again. They are in no hub team: add them again on the Teams pages if needed.`;
    case "held":
      return `${person.name}'s account is on hold: the retention schedule will not anonymise it.`;
    case "released":
      return `${person.name}'s account is no longer on hold: the retention schedule applies to it again.`;
    case "proposed":
      return "";
    case "erased":
      return "The account has been deleted. Its open requests were withdrawn (the hub was told), and the person's name, email address, answers and messages were erased.";
    case "organisation":
      return `${person.name}'s organisation, ${person.organisation.name}, is now confirmed.`;
  }
}

/** "a manager for <organisation>", "an administrator", … */
function roleWithScope(person: Person) {
  const role = ROLE_NAMES[person.role].toLowerCase();
  const name = `${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`;
  if (person.role !== "manager") return name;
  return person.managesOrganisation ? `${name} for ${person.managesOrganisation.name}` : `${name} for the whole ICS`;
}

function intentOf(actionData: ActionResult | undefined): PersonIntent | null {
  const intent = actionData?.values?.intent;
  return isPersonIntent(intent) ? intent : null;
}

export default function AdminPerson() {
  const { person, done, unassigned } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const intent = intentOf(actionData);
  const forIntent = (i: PersonIntent) => (intent === i ? actionData : undefined);
  const conflict = actionData?.conflict ? actionData.errors._form : undefined;
  const hubNote =
    person.teams.length > 0 && !person.mayWorkInHub
      ? " (team membership gives the people hub only to coordinators and administrators)"
      : "";

  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/people">
          Back to people
        </Link>
      </nav>
      {done === "proposed" && !actionData ? (
        <ProposedBanner>
          Making {person.name} an administrator waits for a second administrator’s approval.
        </ProposedBanner>
      ) : done && !actionData ? (
        <SuccessBanner>{doneMessage(done, person, unassigned)}</SuccessBanner>
      ) : null}
      {conflict ? <ErrorSummary errors={{ _form: conflict }} title="Someone else changed this account" /> : null}
      {intent === "confirm-organisation" && !conflict && actionData?.errors._form ? (
        <ErrorSummary errors={{ _form: actionData.errors._form }} />
      ) : null}

      <h1>
        <span className="nhsuk-caption-l">Person</span>
        {person.name}
      </h1>

      <SummaryList>
        <SummaryListRow label="Name">{person.name}</SummaryListRow>
        <SummaryListRow label="Email address">
          <span className="staywell-break-anywhere">{person.email}</span>
        </SummaryListRow>
        <SummaryListRow label="Organisation">
          {person.organisation.name}
          {person.organisationSelfDeclared ? (
            <>
              {" "}
              <strong className="nhsuk-tag nhsuk-tag--yellow">Self-declared</strong>
              <Form method="post" className="nhsuk-u-margin-top-3">
                <VersionField version={person.version} />
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
                  {person.name} chose this organisation when they signed up with a shared address. Confirm it once you
                  know they work there.
                </p>
                <Button name="intent" value="confirm-organisation" variant="secondary" small>
                  Confirm organisation
                </Button>
              </Form>
            </>
          ) : null}
        </SummaryListRow>
        <SummaryListRow label="Role">{ROLE_NAMES[person.role]}</SummaryListRow>
        {person.role === "manager" ? (
          <SummaryListRow label="Insights scope">
            {person.managesOrganisation ? person.managesOrganisation.name : "The whole ICS"}
          </SummaryListRow>
        ) : null}
        <SummaryListRow label="Status">
          {person.disabledAt
            ? `Disabled on ${formatDate(person.disabledAt)}: cannot sign in`
            : person.isDemo
              ? "Generated demo account: cannot sign in"
              : person.emailVerifiedAt
                ? "Active"
                : "Email address not verified yet: cannot sign in until they confirm it"}
        </SummaryListRow>
        <SummaryListRow label="Hub teams">
          {person.teams.length ? (
            <>
              {person.teams.join(", ")}
              {hubNote}
            </>
          ) : (
            "None"
          )}
        </SummaryListRow>
        <SummaryListRow label="Account created">{formatDateTime(person.createdAt)}</SummaryListRow>
        <SummaryListRow label="Last changed">{formatDateTime(person.updatedAt)}</SummaryListRow>
      </SummaryList>
      <p>
        <Link to={`/admin/people/${encodeURIComponent(person.id)}/two-step`}>Two-step verification</Link>
      </p>
      <p>
        <Link to={`/admin/audit?area=user&id=${encodeURIComponent(person.id)}`}>
          Changes to this account in the audit log
        </Link>
      </p>

      {/* Keyed by version: after a change the forms start again from the account as it is now. */}
      <RoleForm key={`role-${person.version}`} person={person} actionData={forIntent("role")} />
      <AccessSection
        key={`access-${person.version}`}
        person={person}
        actionData={forIntent("disable") ?? forIntent("enable")}
      />
      <RetentionSection
        key={`retention-${person.version}`}
        person={person}
        actionData={forIntent("hold") ?? forIntent("release")}
      />
      <EraseSection key={`erase-${person.version}`} person={person} actionData={forIntent("erase")} />
    </>
  );
}

/** The retention hold (ADR 031): a disabled account on hold is not anonymised after 24 months. */
function RetentionSection({ person, actionData }: { person: Person; actionData: ActionResult | undefined }) {
  const formError = actionData && !actionData.conflict ? actionData.errors._form : undefined;
  return (
    <section aria-labelledby="retention-heading">
      <h2 id="retention-heading">Data retention</h2>
      {person.erasedAt ? (
        <p>This account was anonymised on {formatDateTime(person.erasedAt)}.</p>
      ) : (
        <>
          <p>
            {person.retentionHold
              ? `On hold: the account will not be anonymised while the hold lasts, even if it stays disabled for more than 24 months.`
              : `Not on hold: if the account is disabled, it is anonymised 24 months later (unless a request of theirs is still open).`}{" "}
            <Link to="/admin/retention">The retention schedule</Link>
          </p>
          <ErrorSummary errors={formError ? { _form: formError } : {}} />
          <Form method="post">
            <VersionField version={person.version} />
            {person.retentionHold ? (
              <Button name="intent" value="release" variant="secondary">
                Release the hold
              </Button>
            ) : (
              <Button name="intent" value="hold" variant="secondary">
                Put on hold
              </Button>
            )}
          </Form>
        </>
      )}
    </section>
  );
}

/** After a conflict the values typed come back without errors (the conflict is shown at the top). */
function useFormActionData(actionData: ActionResult | undefined) {
  return useMemo(() => (actionData?.conflict ? { values: actionData.values } : actionData), [actionData]);
}

function VersionField({ version }: { version: number }) {
  return <input type="hidden" name="version" value={version} />;
}

function RoleForm({ person, actionData }: { person: Person; actionData: ActionResult | undefined }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(roleSchema, {
    defaultValues: {
      role: person.role,
      managesOrganisation:
        person.role === "manager"
          ? person.managesOrganisation
            ? String(person.managesOrganisation.id)
            : ICS_SCOPE
          : "",
    },
    actionData: useFormActionData(actionData),
  });
  const formError = actionData && !actionData.conflict ? actionData.errors._form : undefined;
  const scopeOptions = [
    { value: "", label: "Choose whose figures they see" },
    { value: ICS_SCOPE, label: "The whole ICS" },
    ...person.organisationOptions.map((o) => ({ value: String(o.id), label: o.name })),
  ];
  const scopeValue = str(values.managesOrganisation) ?? "";
  return (
    <section aria-labelledby="role-heading">
      <h2 id="role-heading">Role</h2>
      {person.isLastActiveAdmin ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {person.isSelf ? "You are" : `${person.name} is`} the only active administrator, so this role cannot be
            changed. Make someone else an administrator first.
          </p>
        </div>
      ) : (
        <>
          <ErrorSummary errors={formError ? { _form: formError } : errors} order={["role", "managesOrganisation"]} />
          <Form method="post" {...formProps}>
            <VersionField version={person.version} />
            <Radios
              legend={`What can ${person.name} do?`}
              legendSize="s"
              hint={
                person.isSelf
                  ? "If you stop being an administrator you will lose access to these pages at once."
                  : undefined
              }
              error={errors.role}
              defaultValue={str(values.role)}
              items={USER_ROLES.map((role) => ({
                value: role,
                label: ROLE_NAMES[role],
                hint: ROLE_HINTS[role],
                conditional:
                  role === "manager" ? (
                    <Select
                      label="Whose figures do they see?"
                      hint="Managers see aggregate figures only, never a request"
                      options={scopeOptions}
                      error={errors.managesOrganisation}
                      defaultValue={scopeOptions.some((o) => o.value === scopeValue) ? scopeValue : ""}
                      {...register("managesOrganisation")}
                    />
                  ) : undefined,
              }))}
              {...register("role")}
            />
            <Button name="intent" value="role" disabled={isSubmitting}>
              Change role
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}

function AccessSection({ person, actionData }: { person: Person; actionData: ActionResult | undefined }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(disableSchema, {
    defaultValues: { confirm: false },
    actionData: useFormActionData(actionData),
  });
  const formError = actionData && !actionData.conflict ? actionData.errors._form : undefined;
  return (
    <section aria-labelledby="access-heading">
      <h2 id="access-heading">Account access</h2>
      {person.erasedAt ? (
        <p>This account was deleted: it cannot be re-enabled.</p>
      ) : person.disabledAt ? (
        <>
          <p>
            This account was disabled on {formatDateTime(person.disabledAt)}. {person.name} cannot sign in. Their
            requests and history are kept.
          </p>
          <ErrorSummary errors={formError ? { _form: formError } : {}} />
          <Form method="post">
            <VersionField version={person.version} />
            <Button name="intent" value="enable" variant="secondary">
              Re-enable account
            </Button>
          </Form>
        </>
      ) : person.isSelf ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>You cannot disable your own account. Another administrator can.</p>
        </div>
      ) : person.isLastActiveAdmin ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{person.name} is the only active administrator, so their account cannot be disabled.</p>
        </div>
      ) : (
        <>
          <p>
            Disabling the account signs {person.name} out of StayWell at once and stops them signing in. Their requests
            and history are kept, and you can re-enable the account later.
          </p>
          <ErrorSummary errors={formError ? { _form: formError } : errors} />
          <Form method="post" {...formProps}>
            <VersionField version={person.version} />
            <Checkbox
              legend="Disable this account"
              legendSize="s"
              label={`Yes, disable ${person.name}'s account and sign them out now`}
              error={errors.confirm}
              defaultChecked={bool(values.confirm)}
              {...register("confirm")}
            />
            <Button name="intent" value="disable" variant="warning" disabled={isSubmitting}>
              Disable account
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}

function EraseSection({ person, actionData }: { person: Person; actionData: ActionResult | undefined }) {
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(adminEraseAccountSchema, {
    defaultValues: { reason: "", confirm: false },
    actionData: useFormActionData(actionData),
  });
  const formError = actionData && !actionData.conflict ? actionData.errors._form : undefined;
  if (person.erasedAt) {
    return (
      <section aria-labelledby="erase-heading">
        <h2 id="erase-heading">Deleted account</h2>
        <p>This account was deleted on {formatDateTime(person.erasedAt)}. Nothing about the person is left.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="erase-heading">
      <h2 id="erase-heading">Delete this account</h2>
      {person.isSelf ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            To delete your own account, use <Link to="/account/data">Your data</Link>.
          </p>
        </div>
      ) : (
        <>
          <p>
            Only when {person.name} has asked for it. Their open requests are withdrawn (the hub is told), their name,
            email address, answers and messages are erased, and they are signed out everywhere. Their requests still
            count in the figures, with nothing to link them back to them. This cannot be undone.
          </p>
          <ErrorSummary errors={formError ? { _form: formError } : errors} />
          <Form method="post" {...formProps}>
            <Textarea
              label="Why is the account being deleted?"
              hint="For the audit log, e.g. how and when they asked. Do not write their name or email address."
              rows={3}
              maxLength={ERASURE_REASON_MAX}
              error={errors.reason}
              defaultValue={str(values.reason)}
              {...register("reason")}
            />
            <Checkbox
              legend="Confirm"
              legendSize="s"
              label={`${person.name} asked for their account to be deleted`}
              error={errors.confirm}
              defaultChecked={bool(values.confirm)}
              {...register("confirm")}
            />
            <Button name="intent" value="erase" variant="warning" disabled={isSubmitting}>
              Delete account
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}
