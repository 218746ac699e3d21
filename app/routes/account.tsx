// /account: "Your account". This layout checks there is a signed-in person for the pages' shell;
// every child loader and action checks again (Remix runs loaders in parallel) and the models work
// on the caller's own row only. The sections come from app/lib/account-sections.ts.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { ACCOUNT_SECTIONS } from "~/lib/account-sections";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function AccountLayout() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-one-quarter">
        <nav className="nhsuk-contents-list" aria-label="Your account">
          <h2 className="nhsuk-u-visually-hidden">Your account</h2>
          <ol className="nhsuk-contents-list__list">
            {ACCOUNT_SECTIONS.map((s) => (
              <li key={s.href} className="nhsuk-contents-list__item">
                <NavLink className="nhsuk-contents-list__link" to={s.href} end>
                  {s.label}
                </NavLink>
              </li>
            ))}
          </ol>
        </nav>
      </div>
      <div className="nhsuk-grid-column-three-quarters">
        <Outlet />
      </div>
    </div>
  );
}
