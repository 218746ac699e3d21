// What StayWell tells people by email. Never the content of a request: only that something
// happened and where to sign in to read it. Call these inside the transaction of the change.
import type { Database } from "@db/client";
import { env } from "../env";
import { enqueueMail } from "./outbox.server";

type Tx = Pick<Database, "insert">;

const SIGN_OFF = ["", "For your privacy we do not include the details in emails.", "", "StayWell – Staffordshire and Stoke-on-Trent people hub"];

/** Tells the person their request has an update (a message or a change of status). */
export async function notifyRequesterOfUpdate(
  tx: Tx,
  requester: { email: string; name: string },
  reference: string,
  kind: "message" | "status",
) {
  const what = kind === "message" ? "a new message" : "an update";
  await enqueueMail(tx, {
    to: requester.email,
    subject: `There is ${what} on your request ${reference}`,
    text: [
      `Hello ${requester.name},`,
      "",
      `There is ${what} on your StayWell request ${reference}.`,
      "",
      `Sign in to read it: ${env().APP_URL}/my/requests/${reference}`,
      ...SIGN_OFF,
    ].join("\n"),
  });
}
