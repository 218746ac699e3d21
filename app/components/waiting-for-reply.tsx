import { Link } from "@remix-run/react";

/**
 * Home page callout for signed-in staff when the people hub has asked them something
 * (a request waiting_on_staff). References only: nothing of the request itself.
 */
export function WaitingForYourReply({ total, references }: { total: number; references: string[] }) {
  if (total === 0) return null;
  return (
    <div className="nhsuk-warning-callout" data-testid="waiting-for-your-reply">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          The people hub is waiting for your reply
        </span>
      </h2>
      {total === 1 ? (
        <p>
          The people hub has asked you something about your request{" "}
          <Link to={`/my/requests/${references[0]}`}>{references[0]}</Link>. Read it and reply when you can.
        </p>
      ) : (
        <>
          <p>
            The people hub has asked you something about {total} of your requests. Read them and reply when you can:
          </p>
          <ul>
            {references.map((reference) => (
              <li key={reference}>
                <Link to={`/my/requests/${reference}`}>{reference}</Link>
              </li>
            ))}
          </ul>
          {total > references.length ? (
            <p>
              <Link to="/my/requests">See all your requests</Link>
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

/**
 * The "My requests" header link's count, in words everyone can read: "(1 waiting)" — a bare "(1)"
 * reads as the number of requests. Screen readers hear "1 waiting for your reply".
 */
export function WaitingCount({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <>
      {" "}
      <span className="app-waiting-count" aria-hidden="true">
        ({count} waiting)
      </span>
      <span className="nhsuk-u-visually-hidden">, {count} waiting for your reply</span>
    </>
  );
}
