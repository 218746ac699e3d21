// /admin/teams/<id>: one people hub team: its members (add, remove), the offers it handles (move
// offers here from other teams) and its name (rename; the slug stays). Each action is its own
// small form with an `intent` and the team `version` the administrator saw; all work without
// JavaScript. A stale change is refused (409) naming who changed the team and when.
// No request content is shown here: only how many open requests each member is looking after.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunctionArgs } from "@remix-run/react";
import { responsiveTable as rt, Stacked } from "~/components/nhsuk/table";
import { useMemo } from "react";
import { adminErrorResponse, requireAdmin } from "~/.server/admin-route.server";
import { mayJoinHubTeam } from "~/.server/permissions.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { expectedVersion } from "~/.server/models/admin/common.server";
import {
  addTeamMember,
  getTeamForAdmin,
  moveOffersToTeam,
  removeTeamMember,
  renameTeam,
  setTeamUrgentContact,
} from "~/.server/models/admin/teams.server";
import { Button, Checkboxes, ErrorSummary, str, strs, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { Select } from "~/components/nhsuk/select";
import { ProposedBanner } from "~/components/proposals";
import { errorPageTitle } from "~/lib/page-title";
import { ROLE_SHORT_NAMES } from "~/schemas/admin-people";
import {
  addMemberSchema,
  isTeamIntent,
  MEMBER_CANDIDATE_LIMIT,
  memberSearchFrom,
  moveOffersSchema,
  removeMemberSchema,
  TEAM_LIMITS,
  teamNameSchema,
  urgentContactSchema,
  type TeamIntent,
} from "~/schemas/admin-teams";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error || !data) return [{ title: errorPageTitle(error) }];
  return [{ title: `${data.team.name} – Hub teams – Administration – StayWell` }];
};

const DONE = [
  "created",
  "renamed",
  "urgent_contact_saved",
  "unchanged",
  "member_added",
  "member_removed",
  "offers_moved",
  "member_proposed",
  "offers_proposed",
] as const;
type Done = (typeof DONE)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const url = new URL(request.url);
  let view: Awaited<ReturnType<typeof getTeamForAdmin>>;
  try {
    view = await getTeamForAdmin(user, params.teamId, { search: memberSearchFrom(url.searchParams) });
  } catch (err) {
    throw adminErrorResponse(err, {});
  }
  const done = url.searchParams.get("done");
  const count = (name: string) => {
    const n = Number(url.searchParams.get(name));
    return Number.isInteger(n) && n >= 0 && n < 1_000_000 ? n : 0;
  };
  return {
    ...view,
    members: view.members.map((m) => ({ ...m, mayWorkInHub: mayJoinHubTeam(m.role) })),
    done: (DONE as readonly string[]).includes(done ?? "") ? (done as Done) : null,
    moved: count("moved"),
    proposed: count("proposed"),
    unassigned: count("unassigned"),
  };
}

type ActionResult = {
  intent: TeamIntent | null;
  errors: Record<string, string>;
  values: Record<string, unknown>;
  conflict?: boolean;
};

function typedValues(formData: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const name = formData.get("name");
  if (typeof name === "string") values.name = name;
  const userId = formData.get("userId");
  if (typeof userId === "string") values.userId = userId;
  const urgentContactEmail = formData.get("urgentContactEmail");
  if (typeof urgentContactEmail === "string") values.urgentContactEmail = urgentContactEmail;
  const offerIds = formData.getAll("offerIds").filter((v): v is string => typeof v === "string");
  if (offerIds.length) values.offerIds = offerIds;
  return values;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const rawIntent = formData.get("intent");
  const values = typedValues(formData);
  if (!isTeamIntent(rawIntent)) {
    return data<ActionResult>(
      { intent: null, errors: { _form: "Choose what you want to do" }, values },
      { status: 400 },
    );
  }
  const intent = rawIntent;
  const path = `/admin/teams/${encodeURIComponent(params.teamId ?? "")}`;
  const fail = (errors: Record<string, string>) => data<ActionResult>({ intent, errors, values }, { status: 400 });
  try {
    if (intent === "rename") {
      const parsed = await parseForm(formData, teamNameSchema);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await renameTeam(user, params.teamId, {
        name: parsed.data.name,
        version: expectedVersion(formData.get("version")),
      });
      throw redirect(`${path}?done=${result.changed ? "renamed" : "unchanged"}`);
    }
    if (intent === "urgent_contact") {
      const parsed = await parseForm(formData, urgentContactSchema);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await setTeamUrgentContact(user, params.teamId, {
        urgentContactEmail: parsed.data.urgentContactEmail,
        version: expectedVersion(formData.get("version")),
      });
      throw redirect(`${path}?done=${result.changed ? "urgent_contact_saved" : "unchanged"}`);
    }
    if (intent === "add_member") {
      const parsed = await parseForm(formData, addMemberSchema);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await addTeamMember(user, params.teamId, {
        userId: parsed.data.userId,
        version: expectedVersion(formData.get("version")),
      });
      throw redirect(`${path}?done=${result.proposed ? "member_proposed" : "member_added"}`);
    }
    if (intent === "remove_member") {
      const parsed = await parseForm(formData, removeMemberSchema);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await removeTeamMember(user, params.teamId, {
        userId: parsed.data.userId,
        version: expectedVersion(formData.get("version")),
      });
      throw redirect(`${path}?done=member_removed&unassigned=${result.unassigned}`);
    }
    const parsed = await parseForm(formData, moveOffersSchema);
    if (!parsed.ok) return fail(parsed.errors);
    const result = await moveOffersToTeam(user, params.teamId, {
      offerIds: parsed.data.offerIds,
      version: expectedVersion(formData.get("version")),
    });
    if (result.proposed.length) {
      throw redirect(
        `${path}?done=offers_proposed&moved=${result.moved.length}&proposed=${result.proposed.length}&unassigned=${result.unassigned}`,
      );
    }
    throw redirect(`${path}?done=offers_moved&moved=${result.moved.length}&unassigned=${result.unassigned}`);
  } catch (err) {
    if (err instanceof Response) throw err;
    const answer = adminErrorResponse(err, values);
    return data<ActionResult>({ intent, ...answer.data }, answer.init ?? undefined);
  }
}

/** After a conflict the page shows the team as it is now (with JavaScript too). */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionStatus === 409) return true;
  return defaultShouldRevalidate;
}

// ---------------------------------------------------------------------------------------------
// page

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function requests(n: number) {
  return n === 1 ? "1 open request" : `${n} open requests`;
}

function doneMessage(done: Done, moved: number, unassigned: number): string {
  switch (done) {
    case "member_proposed":
    case "offers_proposed":
      return "";
    case "created":
      return "The team has been created. Add its coordinators and choose which offers it handles.";
    case "renamed":
      return "The team has been renamed.";
    case "urgent_contact_saved":
      return "The urgent-contact email address has been saved.";
    case "unchanged":
      return "Nothing was changed: the team already has that name.";
    case "member_added":
      return "The person has been added to the team. They can use the people hub for its requests from their next page.";
    case "member_removed":
      return unassigned
        ? `The person has been removed from the team. ${requests(unassigned)} they were looking after ${unassigned === 1 ? "is" : "are"} now unassigned and back in the team’s queue.`
        : "The person has been removed from the team.";
    case "offers_moved":
      return (
        `${moved === 1 ? "The offer has" : `${moved} offers have`} been moved to this team.` +
        (unassigned
          ? ` ${requests(unassigned)} looked after by someone outside this team ${unassigned === 1 ? "is" : "are"} now unassigned and in this team’s queue.`
          : "")
      );
  }
}

export default function AdminTeam() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const forIntent = (intent: TeamIntent) => (actionData?.intent === intent ? actionData : undefined);
  const conflict = actionData?.conflict === true;
  const { team } = view;
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/teams">
          Back to hub teams
        </Link>
      </nav>
      {view.done === "member_proposed" && !actionData ? (
        <ProposedBanner>
          This team handles confidential support, so adding someone opens its confidential requests to them.
        </ProposedBanner>
      ) : view.done === "offers_proposed" && !actionData ? (
        <ProposedBanner>
          {view.proposed === 1 ? "The confidential offer" : `${view.proposed} confidential offers`} will move when
          another administrator approves; {view.proposed === 1 ? "its" : "their"} existing requests stay with the team
          that has them.
          {view.moved ? ` ${doneMessage("offers_moved", view.moved, view.unassigned)}` : ""}
        </ProposedBanner>
      ) : view.done && !actionData ? (
        <SuccessBanner>{doneMessage(view.done, view.moved, view.unassigned)}</SuccessBanner>
      ) : null}
      {actionData?.errors._form ? (
        <ErrorSummary
          errors={{ _form: actionData.errors._form }}
          title={conflict ? "Someone else changed this team" : undefined}
          description={conflict ? "The page now shows the team as it is. Check it, then try again." : undefined}
        />
      ) : null}
      <h1>
        <span className="nhsuk-caption-l">Hub team</span>
        {team.name}
      </h1>

      <nav className="nhsuk-contents-list" aria-label="On this page">
        <h2 className="nhsuk-u-visually-hidden">On this page</h2>
        <ol className="nhsuk-contents-list__list">
          <li className="nhsuk-contents-list__item">
            <a className="nhsuk-contents-list__link" href="#team-members">
              Members
            </a>
          </li>
          <li className="nhsuk-contents-list__item">
            <a className="nhsuk-contents-list__link" href="#team-add-member">
              Add a member
            </a>
          </li>
          <li className="nhsuk-contents-list__item">
            <a className="nhsuk-contents-list__link" href="#team-offers">
              Offers this team handles
            </a>
          </li>
          <li className="nhsuk-contents-list__item">
            <a className="nhsuk-contents-list__link" href="#team-rename">
              Rename the team
            </a>
          </li>
        </ol>
      </nav>

      {/* Keyed by version: after any change the forms start again from the team as it is now. */}
      <Members key={`members-${team.version}`} view={view} actionData={forIntent("remove_member")} />
      <AddMember key={`add-${team.version}-${view.search}`} view={view} actionData={forIntent("add_member")} />
      <Offers key={`offers-${team.version}`} view={view} actionData={forIntent("move_offers")} />
      <Rename key={`rename-${team.version}`} view={view} actionData={forIntent("rename")} />
      <UrgentContact key={`urgent-${team.version}`} view={view} actionData={forIntent("urgent_contact")} />
    </>
  );
}

function VersionField({ version }: { version: number }) {
  return <input type="hidden" name="version" value={version} />;
}

/** What was typed comes back after a conflict without its error (the page shows the conflict at the top). */
function useKeptValues(actionData: ActionResult | undefined) {
  return useMemo(() => (actionData?.conflict ? { values: actionData.values } : actionData), [actionData]);
}

function Members({ view, actionData }: { view: LoaderData; actionData: ActionResult | undefined }) {
  const { team, members } = view;
  const fieldError = actionData && !actionData.conflict ? actionData.errors.userId : undefined;
  return (
    <section aria-labelledby="team-members">
      <h2 id="team-members">Members</h2>
      <p>
        Members see this team’s requests in the people hub. Removing someone also unassigns the open requests of this
        team’s offers they are looking after: those go back to the team’s queue, because the person can no longer open
        them.
      </p>
      {fieldError ? <ErrorSummary errors={[{ text: fieldError }]} /> : null}
      {members.length === 0 ? (
        <div className="nhsuk-warning-callout">
          <h3 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Nobody is in this team
            </span>
          </h3>
          <p>Nobody in the people hub sees the requests for this team’s offers until you add someone.</p>
        </div>
      ) : (
        <div>
          <table {...rt.table}>
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="team-members-caption">
              {members.length === 1 ? "1 member" : `${members.length} members`}
            </caption>
            <thead className="nhsuk-table__head" {...rt.rowgroup}>
              <tr {...rt.row}>
                <th {...rt.columnheader}>Name</th>
                <th {...rt.columnheader}>Role</th>
                <th {...rt.columnheader} className="nhsuk-table__header nhsuk-table__header--numeric">
                  Open requests they look after
                </th>
                <th {...rt.columnheader}>
                  <span className="nhsuk-u-visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body" {...rt.rowgroup}>
              {members.map((m) => (
                <tr {...rt.row} key={m.id}>
                  <th {...rt.rowheader}>
                    <Stacked heading="Name">
                      {m.name}
                      <br />
                      <span className="nhsuk-body-s nhsuk-u-secondary-text-colour staywell-break-anywhere">
                        {m.email}
                      </span>
                    </Stacked>
                  </th>
                  <td {...rt.cell}>
                    <Stacked heading="Role">
                      {ROLE_SHORT_NAMES[m.role]}
                      {m.disabled ? (
                        <>
                          {" "}
                          <strong className="nhsuk-tag nhsuk-tag--grey">Disabled</strong>
                        </>
                      ) : null}
                      {!m.mayWorkInHub ? (
                        <>
                          <br />
                          <span className="nhsuk-body-s">Cannot use the hub with this role</span>
                        </>
                      ) : null}
                    </Stacked>
                  </td>
                  <td {...rt.cell} className="nhsuk-table__cell nhsuk-table__cell--numeric">
                    <Stacked heading="Open requests they look after">{m.openAssigned}</Stacked>
                  </td>
                  <td {...rt.cell}>
                    <Form method="post">
                      <VersionField version={team.version} />
                      <input type="hidden" name="userId" value={m.id} />
                      <Button
                        name="intent"
                        value="remove_member"
                        variant="secondary"
                        small
                        className="nhsuk-u-margin-bottom-0"
                      >
                        Remove<span className="nhsuk-u-visually-hidden"> {m.name} from the team</span>
                      </Button>
                    </Form>
                    {m.openAssigned ? (
                      <p className="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0">
                        Removing them unassigns {requests(m.openAssigned)}
                      </p>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AddMember({ view, actionData }: { view: LoaderData; actionData: ActionResult | undefined }) {
  const { team, candidates, candidateTotal, search } = view;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(addMemberSchema, {
    defaultValues: { userId: "" },
    actionData: useKeptValues(actionData),
  });
  const chosen = str(values.userId) ?? "";
  const options = [
    { value: "", label: "Choose a person" },
    ...candidates.map((c) => ({ value: c.id, label: `${c.name} (${c.email}) – ${ROLE_SHORT_NAMES[c.role]}` })),
  ];
  return (
    <section aria-labelledby="team-add-member">
      <h2 id="team-add-member">Add a member</h2>
      <p>
        You can add active coordinators and administrators. To add someone else, first give them the coordinator role on
        the <Link to="/admin/people">People</Link> page.
      </p>
      {view.holdsConfidential ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            This team handles confidential support
            {view.keptRequests
              ? ` and keeps ${view.keptRequests === 1 ? "1 request" : `${view.keptRequests} requests`} of confidential offers that moved to other teams`
              : ""}
            . Adding someone opens those requests to them, so it needs a second administrator: your addition is
            proposed, and another administrator approves or declines it on the{" "}
            <Link to="/admin#proposals">Administration</Link> page.
          </p>
        </div>
      ) : null}
      <Form
        method="get"
        className="staywell-filter nhsuk-u-margin-bottom-4"
        role="search"
        aria-label="Find a coordinator or administrator"
      >
        <TextInput
          label="Find by name or email"
          labelSize="s"
          name="q"
          type="search"
          width={20}
          maxLength={TEAM_LIMITS.search}
          defaultValue={search}
          formGroupClassName="nhsuk-u-margin-bottom-0"
        />
        <Button variant="secondary" className="nhsuk-u-margin-bottom-0" preventDoubleClick={false}>
          Search
        </Button>
      </Form>
      {search ? (
        <p className="nhsuk-body-s">
          {candidateTotal === 0
            ? "Nobody outside this team matches"
            : candidateTotal === 1
              ? "1 person outside this team matches"
              : `${candidateTotal} people outside this team match`}{" "}
          “{search}”. <Link to={`/admin/teams/${team.id}#team-add-member`}>Show everyone</Link>
        </p>
      ) : null}
      {candidateTotal > candidates.length ? (
        <p className="nhsuk-body-s">
          Showing the first {MEMBER_CANDIDATE_LIMIT} of {candidateTotal}: search to find someone else.
        </p>
      ) : null}
      {candidates.length === 0 ? (
        search ? null : (
          <p>Every active coordinator and administrator is already in this team.</p>
        )
      ) : (
        <>
          <ErrorSummary errors={errors._form ? {} : errors} />
          <Form method="post" {...formProps}>
            <VersionField version={team.version} />
            <Select
              label="Person to add"
              labelSize="s"
              options={options}
              error={errors.userId}
              defaultValue={options.some((o) => o.value === chosen) ? chosen : ""}
              {...register("userId")}
            />
            <Button name="intent" value="add_member" disabled={isSubmitting}>
              Add to team
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}

function Offers({ view, actionData }: { view: LoaderData; actionData: ActionResult | undefined }) {
  const { team, offers, otherOffers } = view;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(moveOffersSchema, {
    defaultValues: { offerIds: [] },
    actionData: useKeptValues(actionData),
  });
  return (
    <section aria-labelledby="team-offers">
      <h2 id="team-offers">Offers this team handles</h2>
      {offers.length === 0 ? (
        <p>This team handles no offers at the moment.</p>
      ) : (
        <ul>
          {offers.map((o) => (
            <li key={o.id}>
              {o.title}
              {o.sensitive ? (
                <>
                  {" "}
                  <strong className="nhsuk-tag nhsuk-tag--blue">Confidential</strong>
                </>
              ) : null}
              {o.active ? null : (
                <>
                  {" "}
                  <strong className="nhsuk-tag nhsuk-tag--grey">Retired</strong>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {offers.length ? (
        <p>
          Every offer is handled by exactly one team. To move one of these offers away, open the team that should handle
          it and move it there.
        </p>
      ) : null}

      <h3 id="team-move-offers">Move offers to this team</h3>
      {otherOffers.length === 0 ? (
        <p>This team already handles every offer.</p>
      ) : (
        <>
          <p>
            Moving an offer here takes it from its current team: from then on only this team’s members see its requests,
            old and new. Its open requests looked after by someone who is not in this team become unassigned and wait in
            this team’s queue.
          </p>
          <p>
            A confidential offer is different: moving it needs a second administrator, and once approved only its new
            requests come to this team. Its existing requests stay with the team that has them unless a transfer is
            approved too.
          </p>
          <ErrorSummary errors={errors._form ? {} : errors} />
          <Form method="post" {...formProps}>
            <VersionField version={team.version} />
            <Checkboxes
              legend="Offers to move to this team"
              legendSize="s"
              hint="Each offer shows the team that handles it now"
              error={errors.offerIds}
              defaultValues={strs(values.offerIds)}
              items={otherOffers.map((o) => ({
                value: String(o.id),
                label: `${o.title}${o.active ? "" : " (retired)"}${o.sensitive ? " (confidential: needs a second administrator)" : ""}`,
                hint: `Now handled by ${o.teamName}`,
              }))}
              {...register("offerIds")}
            />
            <Button name="intent" value="move_offers" disabled={isSubmitting}>
              Move to this team
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}

function UrgentContact({ view, actionData }: { view: LoaderData; actionData: ActionResult | undefined }) {
  const { team } = view;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(urgentContactSchema, {
    defaultValues: { urgentContactEmail: team.urgentContactEmail ?? "" },
    actionData: useKeptValues(actionData),
  });
  return (
    <section aria-labelledby="team-urgent-contact">
      <h2 id="team-urgent-contact">Urgent-contact email</h2>
      <p>
        A shared inbox, such as a duty inbox, that is also emailed when an urgent, safety-check or at-risk request
        arrives. The email gives the reference only, never what the person wrote.
      </p>
      <ErrorSummary errors={errors._form ? {} : errors} />
      <Form method="post" {...formProps}>
        <VersionField version={team.version} />
        <TextInput
          label="Urgent-contact email address (optional)"
          labelSize="s"
          type="email"
          autoComplete="off"
          spellCheck={false}
          error={errors.urgentContactEmail}
          defaultValue={str(values.urgentContactEmail)}
          {...register("urgentContactEmail")}
        />
        <Button name="intent" value="urgent_contact" disabled={isSubmitting}>
          Save urgent-contact email
        </Button>
      </Form>
    </section>
  );
}

function Rename({ view, actionData }: { view: LoaderData; actionData: ActionResult | undefined }) {
  const { team } = view;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(teamNameSchema, {
    defaultValues: { name: team.name },
    actionData: useKeptValues(actionData),
  });
  return (
    <section aria-labelledby="team-rename">
      <h2 id="team-rename">Rename the team</h2>
      <p>
        The team’s short identifier, <code>{team.slug}</code>, stays the same when you rename it.
      </p>
      <ErrorSummary errors={errors._form ? {} : errors} />
      <Form method="post" {...formProps}>
        <VersionField version={team.version} />
        <TextInput
          label="Team name"
          labelSize="s"
          autoComplete="off"
          error={errors.name}
          defaultValue={str(values.name)}
          {...register("name")}
        />
        <Button name="intent" value="rename" disabled={isSubmitting}>
          Save name
        </Button>
      </Form>
    </section>
  );
}
