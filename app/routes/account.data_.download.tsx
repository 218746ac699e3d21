// POST /account/data/download: the signed-in person's data as a ZIP (app/.server/models/my-data.server.ts).
// A POST from a StayWell page only (server.ts refuses other origins; checked here again), so another
// site cannot make a browser fetch it; audited. A GET goes back to /account/data.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/.server/auth/session.server";
import { isAllowedOrigin } from "~/.server/csrf.server";
import { env } from "~/.server/env";
import { exportMyData, myDataFileName } from "~/.server/models/my-data.server";

export function loader() {
  return redirect("/account/data");
}

export async function action({ request }: ActionFunctionArgs) {
  if (!isAllowedOrigin(request.method, request.headers.get("origin"), env().APP_URL)) {
    throw new Response("This request did not come from a StayWell page, so it was refused.", { status: 403 });
  }
  const user = await requireUser(request, "/account/data");
  const now = new Date();
  const archive = await exportMyData(user, now);
  return new Response(new Uint8Array(archive), {
    status: 200,
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${myDataFileName(now)}"`,
      "Content-Length": String(archive.length),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
