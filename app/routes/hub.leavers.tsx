// /hub/leavers: for coordinators of the Retention and careers team only (the team that handles the
// stay conversations offer: permissions.server.ts canSeeLeaverContacts) — leavers who said they
// would consider coming back and confirmed a personal address to be contacted at. Only the contact
// consent: name, personal address, the ways back they would consider and when they left; never their
// organisation, reasons or anything else they answered (docs/decisions/033-leaving-questionnaire.md).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { retentionContacts } from "~/.server/models/leaving.server";
import { requireLeaverContactsAccess } from "~/.server/permissions.server";
import { requireHubUser, withDomainErrors } from "~/.server/route-errors.server";
import { formatDate } from "~/components/format";
import { StackedTable } from "~/components/nhsuk/table";
import { labelOf, LEAVING_RETURN_OPTIONS } from "~/lib/leaving";

export const meta: MetaFunction = () => [{ title: "Leavers who would come back – People hub – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireHubUser(request);
  // The permission module: coordinators in the team that handles the stay conversations offer.
  await withDomainErrors(() => requireLeaverContactsAccess(user));
  return { contacts: await withDomainErrors(() => retentionContacts(user)) };
}

export default function HubLeavers() {
  const { contacts } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Leavers who would consider coming back</h1>
      <p>
        These people left, said they would consider coming back, and confirmed a personal email address for the
        Retention and careers team to contact them at. Use it only for that. If someone asks not to be contacted, they
        can withdraw at /leaving, or you can tell them how.
      </p>
      {contacts.length ? (
        <StackedTable
          caption={`${contacts.length} ${contacts.length === 1 ? "person" : "people"}`}
          rowKey={(c) => `${c.personalEmail}-${c.leavingDate}`}
          firstCellIsHeader
          rows={contacts}
          columns={[
            { heading: "Name", cell: (c) => c.name },
            { heading: "Personal email", cell: (c) => <a href={`mailto:${c.personalEmail}`}>{c.personalEmail}</a> },
            {
              heading: "Would consider",
              cell: (c) => c.returnWays.map((w) => labelOf(LEAVING_RETURN_OPTIONS, w)).join(", "),
            },
            { heading: "Left", cell: (c) => formatDate(c.leavingDate) },
          ]}
        />
      ) : (
        <p>Nobody yet.</p>
      )}
    </>
  );
}
