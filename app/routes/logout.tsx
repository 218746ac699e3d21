import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/.server/auth/lucia.server";

// Sign out is a POST (a link could be triggered by another site); GET just goes home.
export async function action({ request }: ActionFunctionArgs) {
  const cookie = await endSession(request);
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  return redirect("/");
}
