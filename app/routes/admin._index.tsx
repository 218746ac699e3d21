// /admin: the administrators' overview — changes waiting for a second administrator (approve,
// decline or withdraw them here), how many offers (active and retired), organisations, hub teams
// and accounts by role there are, the 10 latest changes, and links to each area.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { readFormData } from "~/.server/forms.server";
import { loadAdminOverview } from "~/.server/models/admin/audit.server";
import { decideProposal, listProposals } from "~/.server/models/admin/proposals.server";
import { ErrorSummary } from "~/components/fields";
import { formatDateTime } from "~/components/format";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { StackedTable } from "~/components/nhsuk/table";
import { ProposalList } from "~/components/proposals";
import { errorPageTitle } from "~/lib/page-title";
import { ROLE_NAMES } from "~/lib/role-names";

export const meta: MetaFunction<typeof loader> = ({ error }) => [
  { title: error ? errorPageTitle(error) : "Administration – StayWell" },
];

const DECIDED = {
  approved: "The change has been approved and made.",
  declined: "The proposal has been declined. Nothing was changed.",
  withdrawn: "Your proposal has been withdrawn. Nothing was changed.",
} as const;
type Decided = keyof typeof DECIDED;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const decided = new URL(request.url).searchParams.get("decided");
  // The failed-mail count comes with the overview's other counts (one statement).
  const [overview, proposals] = await Promise.all([loadAdminOverview(user), listProposals(user)]);
  return { ...overview, proposals, decided: decided && decided in DECIDED ? (decided as Decided) : null };
}

/** Approve or decline (withdraw, for one's own) a proposal. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent !== "approve" && intent !== "decline") {
    return data<AdminActionData>(
      { errors: { _form: "Choose whether to approve or decline" }, values: {} },
      { status: 400 },
    );
  }
  let status: string;
  try {
    ({ status } = await decideProposal(user, formData.get("proposalId"), intent));
  } catch (err) {
    return adminErrorResponse(err, {});
  }
  // No #proposals fragment: the page opens at the top, where the success banner is (and takes focus).
  throw redirect(`/admin?decided=${status}`);
}

const n = (value: number) => value.toLocaleString("en-GB");
const plural = (value: number, one: string, many = `${one}s`) => `${n(value)} ${value === 1 ? one : many}`;

export default function AdminIndex() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  const demo = data.accounts.reduce((sum, a) => sum + a.demo, 0);
  const disabled = data.accounts.reduce((sum, a) => sum + a.disabled, 0);

  return (
    <>
      {data.decided && !actionData ? <SuccessBanner>{DECIDED[data.decided]}</SuccessBanner> : null}
      {actionData?.errors._form ? (
        <ErrorSummary
          errors={{ _form: actionData.errors._form }}
          title={actionData.conflict ? "This proposal is out of date" : undefined}
        />
      ) : null}
      <h1>Administration</h1>
      <p>
        Change the support catalogue, organisations, hub teams and people. Every change is recorded in the audit log.
      </p>
      {data.failedMail > 0 ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Mail could not be sent
            </span>
          </h2>
          <p>
            {data.failedMail === 1 ? "1 message" : `${n(data.failedMail)} messages`} could not be sent after a day of
            trying. <Link to="/admin/mail">See mail that could not be sent</Link>
          </p>
        </div>
      ) : null}

      <section aria-labelledby="proposals">
        <h2 id="proposals">Waiting for a second administrator</h2>
        <p>
          Moving a confidential offer to another team, unticking “confidential”, adding someone to a team that handles
          confidential support (or that a confidential offer is about to move to), transferring requests a team kept,
          and making someone an administrator, each need two administrators: one proposes, another approves. An
          administrator approves nothing in their first 7 days in the role. Proposals expire after 7 days.
        </p>
        <ProposalList proposals={data.proposals} />
      </section>

      <ul className="nhsuk-grid-row nhsuk-card-group">
        <AreaCard href="/admin/offers" title="Support offers">
          {plural(data.offers.active, "active offer")}, {n(data.offers.retired)} retired
        </AreaCard>
        <AreaCard href="/admin/organisations" title="Organisations">
          {plural(data.organisations, "organisation")}
        </AreaCard>
        <AreaCard href="/admin/teams" title="Hub teams">
          {plural(data.teams, "team")}
        </AreaCard>
        <AreaCard href="/admin/people" title="People">
          {plural(
            data.accounts.reduce((sum, a) => sum + a.active, 0),
            "active account",
          )}
        </AreaCard>
      </ul>

      <h2 id="accounts-heading">Accounts by role</h2>
      <StackedTable
        labelledBy="accounts-heading"
        rows={data.accounts}
        rowKey={(a) => a.role}
        firstCellIsHeader
        columns={[
          {
            heading: "Role",
            cellClassName: "nhsuk-u-font-weight-normal",
            cell: (a) => <Link to={`/admin/people?role=${a.role}`}>{ROLE_NAMES[a.role]}</Link>,
          },
          { heading: "Active", numeric: true, cell: (a) => n(a.active) },
          { heading: "Disabled", numeric: true, cell: (a) => n(a.disabled) },
        ]}
      />
      <p className="nhsuk-body-s">
        {disabled === 0 ? "No account is disabled. " : null}
        {demo > 0 ? `Not counted: ${plural(demo, "generated demo account")} (they cannot sign in).` : null}
      </p>

      <h2 id="latest-heading">Latest changes</h2>
      {data.latest.length === 0 ? (
        <p>No administrative change has been made yet.</p>
      ) : (
        <StackedTable
          labelledBy="latest-heading"
          rows={data.latest}
          rowKey={(entry) => entry.id}
          columns={[
            {
              heading: "When",
              cell: (entry) => <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at)}</time>,
            },
            { heading: "Who", cell: (entry) => entry.actor.name },
            {
              heading: "What",
              cell: (entry) => (entry.href ? <Link to={entry.href}>{entry.summary}</Link> : entry.summary),
            },
          ]}
        />
      )}
      <p>
        <Link to="/admin/audit">See the full audit log</Link>
      </p>
    </>
  );
}

function AreaCard({ href, title, children }: { href: string; title: string; children: React.ReactNode }) {
  return (
    <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
      <div className="nhsuk-card nhsuk-card--clickable">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading nhsuk-heading-s">
            <Link className="nhsuk-card__link" to={href}>
              {title}
            </Link>
          </h2>
          <p className="nhsuk-card__description">{children}</p>
        </div>
      </div>
    </li>
  );
}
