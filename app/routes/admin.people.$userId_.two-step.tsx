// /admin/people/<id>/two-step: whether the person has two-step verification on, and — when they
// have lost their phone and their recovery codes — a proposal to reset it, which a second
// administrator approves on /admin (two-person rule, docs/decisions/009 and 029). Audited.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { twoStepRequiredFor } from "~/.server/auth/two-step.server";
import { getPerson } from "~/.server/models/admin/people.server";
import { isAdminError } from "~/.server/models/admin/common.server";
import { proposeTwoStepReset } from "~/.server/models/admin/proposals.server";
import { twoStepStateForAdmin } from "~/.server/models/two-step.server";
import { Button, ErrorSummary } from "~/components/fields";
import { formatDate } from "~/components/format";
import { ProposedBanner } from "~/components/proposals";
import { errorPageTitle } from "~/lib/page-title";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => [
  {
    title: error
      ? errorPageTitle(error)
      : `Two-step verification – ${data?.person.name ?? "Person"} – People – Administration – StayWell`,
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  let person;
  try {
    person = await getPerson(user, params.userId ?? "");
  } catch (err) {
    if (isAdminError(err, "not_found")) throw new Response(null, { status: 404 });
    throw err;
  }
  const state = await twoStepStateForAdmin(user, person.id);
  return {
    person: { id: person.id, name: person.name, email: person.email },
    enabledAt: state.enabledAt,
    resetPending: state.resetPending,
    required: twoStepRequiredFor(person.role),
    proposed: new URL(request.url).searchParams.get("done") === "proposed",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const userId = params.userId ?? "";
  try {
    await getPerson(user, userId);
    await proposeTwoStepReset(user, userId);
  } catch (err) {
    if (isAdminError(err, "not_found")) throw new Response(null, { status: 404 });
    return adminErrorResponse(err, {});
  }
  throw redirect(`/admin/people/${encodeURIComponent(userId)}/two-step?done=proposed`);
}

export default function AdminPersonTwoStep() {
  const { person, enabledAt, resetPending, required, proposed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  const personPath = `/admin/people/${encodeURIComponent(person.id)}`;
  return (
    <>
      {proposed ? (
        <ProposedBanner>Resetting {person.name}’s two-step verification needs a second administrator.</ProposedBanner>
      ) : null}
      <ErrorSummary errors={actionData?.errors} />
      <h1>
        <span className="nhsuk-caption-l">{person.name}</span>
        Two-step verification
      </h1>
      {enabledAt ? (
        <>
          <p>
            {person.name} turned on two-step verification on {formatDate(enabledAt)}.
          </p>
          {resetPending ? (
            <p>A reset is waiting for a second administrator on the Administration page.</p>
          ) : (
            <>
              <p>
                If they have lost their phone and their recovery codes, you can propose a reset: another administrator
                must approve it. They can then sign in with their password alone
                {required ? ", and must set up two-step verification again before anything else" : ""}. Check who is
                asking before you do this, for example by calling them on a number you already hold.
              </p>
              <Form method="post">
                <Button variant="warning">Propose resetting two-step verification</Button>
              </Form>
            </>
          )}
        </>
      ) : (
        <p>
          {person.name} does not have two-step verification on
          {required ? ": their role requires it, so they will set it up when they next sign in" : ""}.
        </p>
      )}
      <p>
        <Link to={personPath}>Back to {person.name}</Link>
      </p>
    </>
  );
}
