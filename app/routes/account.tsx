// /account: "Your account". This layout checks there is a signed-in person for the pages' shell;
// every child loader and action checks again (Remix runs loaders in parallel) and the models work
// on the caller's own row only. The sections come from app/lib/account-sections.ts.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SectionNav } from "~/components/section-nav";
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
        <SectionNav
          label="Your account"
          items={ACCOUNT_SECTIONS.map((s) => ({ to: s.href, label: s.label, end: true }))}
        />
      </div>
      <div className="nhsuk-grid-column-three-quarters">
        <Outlet />
      </div>
    </div>
  );
}
