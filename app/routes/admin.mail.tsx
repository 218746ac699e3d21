// /admin/mail: mail that could not be sent. The outbox retries a failing message with backoff for a
// day, then marks it failed; it is listed here (recipient, subject, attempts, the mail server's last
// answer — never the text) with "Send again", which puts it back in the outbox (audited).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { isAllowedOrigin } from "~/.server/csrf.server";
import { env } from "~/.server/env";
import { readFormData } from "~/.server/forms.server";
import {
  callerSentMailAgain,
  listFailedMail,
  parseMailId,
  sendFailedMailAgain,
} from "~/.server/models/admin/mail.server";
import { ErrorSummary } from "~/components/fields";
import { formatDateTime } from "~/components/format";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { Pagination } from "~/components/nhsuk/pagination";
import { StackedTable } from "~/components/nhsuk/table";

export const meta: MetaFunction = () => [{ title: "Mail that could not be sent – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const params = new URL(request.url).searchParams;
  const before = parseMailId(params.get("before"));
  const page = await listFailedMail(user, { before });
  const againId = parseMailId(params.get("again"));
  // The banner shows only when the audit confirms this administrator has just sent it again.
  const again = againId !== null && (await callerSentMailAgain(user, againId));
  return { ...page, firstPage: before === null, again };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  // server.ts refuses cross-site POSTs before they reach Remix; checked here too, as this puts mail on its way.
  if (!isAllowedOrigin(request.method, request.headers.get("origin"), env().APP_URL)) {
    throw new Response("This request did not come from a StayWell page, so it was refused.", { status: 403 });
  }
  const formData = await readFormData(request);
  if (formData.get("intent") !== "send_again") {
    return data<AdminActionData>({ errors: { _form: "Choose a message to send again" }, values: {} }, { status: 400 });
  }
  let sent;
  try {
    sent = await sendFailedMailAgain(user, formData.get("mailId"));
  } catch (err) {
    return adminErrorResponse(err, {});
  }
  throw redirect(`/admin/mail?again=${sent.id}`);
}

export default function AdminMail() {
  const { items, total, nextBefore, firstPage, again } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  return (
    <>
      {again && !actionData ? (
        <SuccessBanner>The message is back in the outbox and will be sent within a minute.</SuccessBanner>
      ) : null}
      {actionData?.errors._form ? <ErrorSummary errors={{ _form: actionData.errors._form }} /> : null}
      <h1>Mail that could not be sent</h1>
      <p>
        StayWell tries again with growing gaps (up to an hour) for a day when the mail server refuses a message or
        cannot be reached. After that the message is listed here. Once the problem is fixed (the mail server, or the
        address), send it again.
      </p>
      {total === 0 ? (
        <p>No message has failed.</p>
      ) : (
        <div className="staywell-table-scroll" role="region" aria-labelledby="failed-mail-caption" tabIndex={0}>
          <StackedTable
            caption={total === 1 ? "1 message could not be sent" : `${total} messages could not be sent`}
            captionId="failed-mail-caption"
            rows={items}
            rowKey={(m) => m.id}
            columns={[
              { heading: "To", cell: (m) => m.to },
              {
                heading: "Subject",
                cell: (m) => (
                  <>
                    {m.subject}
                    <br />
                    <span className="nhsuk-body-s">
                      Written <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt)}</time>
                      {m.failedAt ? (
                        <>
                          , given up{" "}
                          <time dateTime={new Date(m.failedAt).toISOString()}>{formatDateTime(m.failedAt)}</time>
                        </>
                      ) : null}{" "}
                      after {m.attempts === 1 ? "1 attempt" : `${m.attempts} attempts`}
                    </span>
                  </>
                ),
              },
              { heading: "What went wrong", cell: (m) => m.lastError ?? "Not recorded" },
              {
                heading: "Action",
                headingHidden: true,
                block: true,
                cell: (m) => (
                  <Form method="post">
                    <input type="hidden" name="intent" value="send_again" />
                    <input type="hidden" name="mailId" value={m.id} />
                    <button
                      type="submit"
                      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                    >
                      Send again<span className="nhsuk-u-visually-hidden"> the message to {m.to}</span>
                    </button>
                  </Form>
                ),
              },
            ]}
          />
        </div>
      )}
      <Pagination
        previous={!firstPage ? { href: "/admin/mail", title: "Newest" } : null}
        next={nextBefore ? { href: `/admin/mail?before=${nextBefore}`, title: "Older" } : null}
      />
    </>
  );
}
