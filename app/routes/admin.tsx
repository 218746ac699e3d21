// /admin: the administrators' area. This layout checks the role for the pages' shell; every child
// loader and action checks again (Remix runs loaders in parallel) and the models check a third time.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SectionNav } from "~/components/section-nav";
import { requireAdmin } from "~/.server/admin-route.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

const SECTIONS = [
  { to: "/admin/offers", label: "Support offers" },
  { to: "/admin/organisations", label: "Organisations" },
  { to: "/admin/teams", label: "Hub teams" },
  { to: "/admin/people", label: "People" },
  { to: "/admin/access-requests", label: "Access requests" },
  { to: "/admin/shared-domains", label: "Shared email domains" },
  { to: "/admin/audit", label: "Audit log" },
  { to: "/admin/mail", label: "Mail that could not be sent" },
  { to: "/admin/leavers", label: "ESR leavers" },
  { to: "/admin/retention", label: "Data retention" },
  { to: "/admin/leaving-questionnaire", label: "Leaving questionnaire" },
  { to: "/admin/check-ins", label: "First-year check-ins" },
  { to: "/admin/reservist-skills", label: "Reservist roles and skills" },
] as const;

export default function AdminLayout() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-one-quarter">
        <SectionNav label="Administration" items={SECTIONS} />
      </div>
      <div className="nhsuk-grid-column-three-quarters">
        <Outlet />
      </div>
    </div>
  );
}
