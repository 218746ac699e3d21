// /account/sessions: where you are signed in (browser and system from the User-Agent, when you
// signed in, when it was last used, to within a few minutes), and signing out of one session or of
// all the others. A session is named in the page by an opaque handle; a handle that is not one of
// the caller's own sessions is 404 (docs/decisions/028-your-account.md).
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { blankSessionCookie, endAllSessions, SESSION_SEEN_MINUTES } from "~/.server/auth/lucia.server";
import { requireSession } from "~/.server/auth/session.server";
import { parseForm } from "~/.server/forms.server";
import { endOtherSessions, endSessionByHandle, listSessions, sessionHandle } from "~/.server/models/account.server";
import { Button } from "~/components/fields";
import { formatDateTime } from "~/components/format";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { describeDevice } from "~/lib/user-agent";
import { endSessionSchema } from "~/schemas/account";

export const meta: MetaFunction = () => [{ title: "Where you are signed in – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const rows = await listSessions(user, sessionId);
  const done = new URL(request.url).searchParams.get("done");
  return {
    sessions: rows.map((s) => ({
      handle: s.handle,
      device: describeDevice(s.userAgent),
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      current: s.current,
    })),
    done: done === "one" || done === "others" ? done : null,
    seenMinutes: SESSION_SEEN_MINUTES,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const parsed = await parseForm(request, endSessionSchema);
  if (!parsed.ok) throw new Response("Send this form from its StayWell page.", { status: 400 });
  if (parsed.data.intent === "all") {
    await endAllSessions(user.id);
    return redirect("/login", { headers: { "Set-Cookie": blankSessionCookie() } });
  }
  if (parsed.data.intent === "others") {
    await endOtherSessions(user, sessionId);
    return redirect("/account/sessions?done=others");
  }
  if (!(await endSessionByHandle(user, parsed.data.session))) {
    throw new Response("Not found", { status: 404 });
  }
  // Signing out of the session in use is signing out.
  if (parsed.data.session === sessionHandle(sessionId)) {
    return redirect("/login", { headers: { "Set-Cookie": blankSessionCookie() } });
  }
  return redirect("/account/sessions?done=one");
}

export default function Sessions() {
  const { sessions, done, seenMinutes } = useLoaderData<typeof loader>();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <>
      {done === "one" ? <SuccessBanner>That session has been signed out</SuccessBanner> : null}
      {done === "others" ? <SuccessBanner>You have been signed out everywhere else</SuccessBanner> : null}
      <h1>Where you are signed in</h1>
      <p>
        Each time you sign in to StayWell, on a computer, phone or browser, it appears here until you sign out or it
        expires (after 12 hours without use, or 24 hours after you signed in). If you do not recognise one, sign it out
        and change your password.
      </p>
      <p className="nhsuk-body-s">
        Browser names come from what the browser says about itself and may not be exact. &ldquo;Last used&rdquo; is
        correct to within {seenMinutes} minutes.
      </p>
      <ul className="nhsuk-list staywell-sessions">
        {sessions.map((s) => (
          <li key={s.handle} className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h2 className="nhsuk-card__heading nhsuk-heading-s">
                {s.device}
                {s.current ? (
                  <strong className="nhsuk-tag nhsuk-tag--green nhsuk-u-margin-left-2">This browser</strong>
                ) : null}
              </h2>
              <dl className="nhsuk-summary-list nhsuk-summary-list--no-border">
                <div className="nhsuk-summary-list__row">
                  <dt className="nhsuk-summary-list__key">Signed in</dt>
                  <dd className="nhsuk-summary-list__value">{formatDateTime(s.createdAt)}</dd>
                </div>
                <div className="nhsuk-summary-list__row">
                  <dt className="nhsuk-summary-list__key">Last used</dt>
                  <dd className="nhsuk-summary-list__value">{formatDateTime(s.lastSeenAt)}</dd>
                </div>
              </dl>
              <Form method="post">
                <input type="hidden" name="intent" value="one" />
                <input type="hidden" name="session" value={s.handle} />
                <Button variant="secondary" small className="nhsuk-u-margin-bottom-0">
                  {s.current ? "Sign out of this browser" : "Sign out of this session"}
                  <span className="nhsuk-u-visually-hidden">
                    {" "}
                    ({s.device}, signed in {formatDateTime(s.createdAt)})
                  </span>
                </Button>
              </Form>
            </div>
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="others" />
          <Button variant="warning">Sign out everywhere else</Button>
        </Form>
      ) : (
        <p>You are not signed in anywhere else.</p>
      )}
      <Form method="post">
        <input type="hidden" name="intent" value="all" />
        <Button variant="secondary">Sign out everywhere, including here</Button>
      </Form>
    </>
  );
}
