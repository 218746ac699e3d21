// /admin/people: find an account by name or email (any part, any case), filtered by role and
// organisation; generated demo staff left out unless asked for. 50 a page. A GET form, so the
// search lives in the URL and works without JavaScript.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { responsiveTable as rt, Stacked } from "~/components/nhsuk/table";
import { requireAdmin } from "~/.server/admin-route.server";
import { searchPeople } from "~/.server/models/admin/people.server";
import { Button, ErrorSummary } from "~/components/fields";
import { Pagination } from "~/components/nhsuk/pagination";
import { Select } from "~/components/nhsuk/select";
import { errorPageTitle } from "~/lib/page-title";
import {
  parsePeopleSearch,
  peopleSearchQuery,
  PEOPLE_MAX_PAGE,
  PEOPLE_PAGE_SIZE,
  PEOPLE_QUERY_MAX,
  ROLE_NAMES,
  USER_ROLES,
} from "~/schemas/admin-people";

export const meta: MetaFunction<typeof loader> = ({ error }) => [
  { title: error ? errorPageTitle(error) : "People – Administration – StayWell" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const filters = parsePeopleSearch(new URL(request.url).searchParams);
  const result = await searchPeople(user, filters);
  return { filters, ...result };
}

export default function AdminPeople() {
  const data = useLoaderData<typeof loader>();
  const { filters, people, page } = data;
  const first = (page - 1) * PEOPLE_PAGE_SIZE + 1;
  const searched = Boolean(filters.q || filters.role || filters.organisation);
  const totalText = data.total.toLocaleString("en-GB");

  return (
    <>
      <h1>People</h1>
      <p>Find an account to change its role, or to disable or re-enable it.</p>
      <ErrorSummary errors={data.errors.map((e) => ({ href: `#${e.field}`, text: e.message }))} />

      <Form
        method="get"
        action="/admin/people"
        role="search"
        aria-label="Find people"
        className="nhsuk-u-margin-bottom-5"
      >
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="q">
            Name or email address
          </label>
          <div className="nhsuk-hint" id="q-hint">
            Any part of it, for example &ldquo;bennett&rdquo; or &ldquo;@uhnm&rdquo;
          </div>
          <input
            className="nhsuk-input nhsuk-u-width-two-thirds"
            id="q"
            name="q"
            type="search"
            aria-describedby="q-hint"
            autoComplete="off"
            spellCheck={false}
            maxLength={PEOPLE_QUERY_MAX}
            defaultValue={filters.q ?? ""}
          />
        </div>
        <Select
          name="role"
          label="Role"
          defaultValue={filters.role ?? ""}
          options={[{ value: "", label: "Any role" }, ...USER_ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))]}
        />
        <Select
          name="organisation"
          label="Organisation"
          error={data.errors.find((e) => e.field === "organisation")?.message}
          defaultValue={data.organisations.some((o) => o.slug === filters.organisation) ? filters.organisation : ""}
          options={[
            { value: "", label: "Any organisation" },
            ...data.organisations.map((o) => ({ value: o.slug, label: o.name })),
          ]}
        />
        <div className="nhsuk-form-group">
          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
            <div className="nhsuk-checkboxes__item">
              <input
                className="nhsuk-checkboxes__input"
                id="demo"
                name="demo"
                type="checkbox"
                value="1"
                defaultChecked={filters.demo}
                aria-describedby="demo-hint"
              />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="demo">
                Include generated demo staff
              </label>
              <div className="nhsuk-hint nhsuk-checkboxes__hint" id="demo-hint">
                Made for demonstration volume; they cannot sign in
              </div>
            </div>
          </div>
        </div>
        <Button variant="secondary" preventDoubleClick={false}>
          Search
        </Button>{" "}
        {searched || filters.demo ? (
          <p className="nhsuk-body-s">
            <Link to="/admin/people">Clear the search</Link>
          </p>
        ) : null}
      </Form>

      <h2 className="nhsuk-heading-m" id="results-heading" aria-live="polite">
        {data.total === 0
          ? "No people found"
          : `${totalText} ${data.total === 1 ? "person" : "people"}${searched ? " found" : ""}`}
      </h2>

      {people.length > 0 ? (
        <table {...rt.table} aria-labelledby="results-heading">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
            People {first} to {first + people.length - 1}
          </caption>
          <thead className="nhsuk-table__head" {...rt.rowgroup}>
            <tr {...rt.row}>
              <th {...rt.columnheader}>Name and email</th>
              <th {...rt.columnheader}>Organisation</th>
              <th {...rt.columnheader}>Role</th>
              <th {...rt.columnheader}>Status</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body" {...rt.rowgroup}>
            {people.map((p) => (
              <tr key={p.id} {...rt.row}>
                <td {...rt.cell}>
                  <Stacked heading="Name">
                    <Link to={`/admin/people/${encodeURIComponent(p.id)}`}>{p.name}</Link>
                    <br />
                    <span className="nhsuk-body-s nhsuk-u-secondary-text-colour staywell-break-word">
                      <BreakableEmail email={p.email} />
                    </span>
                  </Stacked>
                </td>
                <td {...rt.cell}>
                  <Stacked heading="Organisation">
                    {p.organisationName}
                    {p.organisationSelfDeclared ? (
                      <>
                        {" "}
                        <strong className="nhsuk-tag nhsuk-tag--yellow">Self-declared</strong>
                      </>
                    ) : null}
                  </Stacked>
                </td>
                <td {...rt.cell}>
                  <Stacked heading="Role">
                    {ROLE_NAMES[p.role]}
                    {p.role === "manager" ? (
                      <>
                        <br />
                        <span className="nhsuk-body-s">
                          {p.managesOrganisationName ? `Sees ${p.managesOrganisationName}` : "Sees the whole ICS"}
                        </span>
                      </>
                    ) : null}
                  </Stacked>
                </td>
                <td {...rt.cell}>
                  <Stacked heading="Status">
                    <StatusTag disabled={p.disabled} verified={p.verified} isDemo={p.isDemo} />
                  </Stacked>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Check the spelling, search for part of the name or email address, or clear the filters.</p>
      )}

      <Pagination
        ariaLabel="Pages of people"
        previous={
          page > 1
            ? { href: `/admin/people${peopleSearchQuery(filters, { page: page - 1 })}`, label: `Page ${page - 1}` }
            : null
        }
        next={
          data.hasNextPage && page < PEOPLE_MAX_PAGE
            ? { href: `/admin/people${peopleSearchQuery(filters, { page: page + 1 })}`, label: `Page ${page + 1}` }
            : null
        }
      />
    </>
  );
}

/** An email address that may wrap before "@" and "." only (not in the middle of a word). */
function BreakableEmail({ email }: { email: string }) {
  const parts = email.split(/(?=[@.])/);
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </span>
      ))}
    </>
  );
}

function StatusTag({ disabled, verified, isDemo }: { disabled: boolean; verified: boolean; isDemo: boolean }) {
  if (disabled) return <strong className="nhsuk-tag nhsuk-tag--grey">Disabled</strong>;
  if (isDemo) return <strong className="nhsuk-tag nhsuk-tag--white">Demo</strong>;
  if (!verified) return <strong className="nhsuk-tag nhsuk-tag--yellow">Not verified</strong>;
  return <strong className="nhsuk-tag nhsuk-tag--green">Active</strong>;
}
