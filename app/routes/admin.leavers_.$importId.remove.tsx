// /admin/leavers/<id>/remove: confirm, then remove an ESR leavers import with every leaver it added
// (audited). Administrators only; a missing import is 404.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/.server/admin-route.server";
import { getEsrImport, removeEsrImport } from "~/.server/models/admin/esr-leavers.server";
import { withDomainErrors } from "~/.server/route-errors.server";
import { Button } from "~/components/fields";
import { formatDate, formatDateTime } from "~/components/format";
import { SummaryList, SummaryListRow } from "~/components/nhsuk/summary-list";
import { errorPageTitle } from "~/lib/page-title";

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (error || !data) return [{ title: errorPageTitle(error) }];
  return [{ title: `Remove ${data.fileName} – ESR leavers – Administration – StayWell` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  return withDomainErrors(() => getEsrImport(user, params.importId));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const removed = await withDomainErrors(() => removeEsrImport(user, params.importId));
  throw redirect(`/admin/leavers?removed=${removed.leavers}`);
}

export default function RemoveEsrImport() {
  const item = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="nhsuk-back-link" aria-label="Back">
        <Link className="nhsuk-back-link__link" to="/admin/leavers">
          Back to ESR leavers
        </Link>
      </nav>
      <h1>
        <span className="nhsuk-caption-l">ESR leavers</span>
        Remove this import?
      </h1>
      <SummaryList>
        <SummaryListRow label="File">{item.fileName}</SummaryListRow>
        <SummaryListRow label="Uploaded">
          {formatDateTime(item.createdAt)} by {item.uploadedByName}
        </SummaryListRow>
        <SummaryListRow label="Leavers it added">{item.addedRows.toLocaleString("en-GB")}</SummaryListRow>
        <SummaryListRow label="Terminations">
          {formatDate(item.firstTermination)} to {formatDate(item.lastTermination)}
        </SummaryListRow>
      </SummaryList>
      <div className="nhsuk-warning-callout">
        <h2 className="nhsuk-warning-callout__label">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>
            This cannot be undone
          </span>
        </h2>
        <p>
          The {item.addedRows.toLocaleString("en-GB")} leavers this import added are removed from StayWell and from the
          retention insights. To put them back, upload the file again.
        </p>
      </div>
      <Form method="post">
        <Button variant="warning">Remove the import</Button>
      </Form>
      <p>
        <Link to="/admin/leavers">Cancel</Link>
      </p>
    </>
  );
}
