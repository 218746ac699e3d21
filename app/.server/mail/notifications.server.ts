// What StayWell tells people by email. Never the content of a request: only that something
// happened and where to sign in to read it. Call these inside the transaction of the change.
import type { DatabaseOrTx } from "@db/client";
import type { RequestPriority } from "@db/schema";
import { formatDate, formatDateTime } from "~/components/format";
import { env } from "../env";
import { enqueueMail } from "./outbox.server";

const SIGN_OFF = [
  "",
  "For your privacy we do not include the details in emails.",
  "",
  "StayWell – Staffordshire and Stoke-on-Trent people hub",
];

/** Tells the person their request has an update (a message or a change of status). */
export async function notifyRequesterOfUpdate(
  tx: DatabaseOrTx,
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

/**
 * What team mail calls support marked confidential (support_offers.sensitive): never its title.
 * A shared inbox, a delegate or a lock-screen preview is enough to disclose that someone asked
 * for, say, psychological support (docs/decisions/010-confidential-mail-and-consent.md).
 */
export const CONFIDENTIAL_SUPPORT = "Confidential support";

/** The word a team email's subject starts with for a priority (never the person's words). */
export function priorityMailLabel(priority: RequestPriority): "At risk" | "Urgent" | null {
  if (priority === "at_risk") return "At risk";
  if (priority === "urgent" || priority === "safety_check") return "Urgent";
  return null;
}

/**
 * Tells each member of the team that handles an offer that a new request is waiting. For support
 * that is not confidential: the reference and the offer's title. For confidential support: the
 * reference, that it is confidential, and a link; not the offer or the team. Urgent, safety-check
 * and at-risk requests say "Urgent" / "At risk" in the subject (docs/decisions/012), and also go
 * to the team's urgent-contact address when it has one. Never the answers, the person's name or
 * anything they wrote.
 */
export async function notifyTeamOfNewRequest(
  tx: DatabaseOrTx,
  recipients: ReadonlyArray<{ email: string; name: string }>,
  request: { reference: string; offerTitle: string; sensitive: boolean; urgent: boolean; priority?: RequestPriority },
  urgentContactEmail: string | null = null,
) {
  const { reference, offerTitle, sensitive } = request;
  const label = priorityMailLabel(request.priority ?? (request.urgent ? "urgent" : "normal"));
  const all: Array<{ email: string; name: string | null }> = [...recipients];
  if (label && urgentContactEmail && !all.some((r) => r.email.toLowerCase() === urgentContactEmail.toLowerCase())) {
    all.push({ email: urgentContactEmail, name: null });
  }
  if (all.length === 0) return;
  const plain = sensitive
    ? `new confidential request ${reference} for your team`
    : `new request ${reference} for ${offerTitle}`;
  const subject = label ? `${label}: ${plain}` : plain.charAt(0).toUpperCase() + plain.slice(1);
  const waiting = sensitive
    ? `A new confidential request is waiting: ${reference}.`
    : `A new request is waiting: ${reference}, ${offerTitle}.`;
  const link = `${env().APP_URL}/hub/requests/${reference}`;
  for (const recipient of all) {
    await enqueueMail(tx, {
      to: recipient.email,
      subject,
      text: [
        recipient.name ? `Hello ${recipient.name},` : "Hello,",
        "",
        waiting,
        ...(label
          ? ["", `Marked ${label.toLowerCase()}: it has a short first-contact target. Please look at it now.`]
          : []),
        "",
        `Sign in to the people hub to see it: ${link}`,
        ...SIGN_OFF,
      ].join("\n"),
    });
  }
}

export interface DigestItem {
  reference: string;
  offerTitle: string;
  /** Confidential support: listed as CONFIDENTIAL_SUPPORT, never by its title. */
  confidential: boolean;
  dueAt: Date;
}

export interface DigestSection {
  /** How many there are in all (the list may be shorter: it is capped). */
  total: number;
  items: DigestItem[];
}

function digestLines(title: string, section: DigestSection): string[] {
  if (section.total === 0) return [];
  const lines = ["", `${title}: ${section.total}`];
  for (const item of section.items) {
    const support = item.confidential ? CONFIDENTIAL_SUPPORT : item.offerTitle;
    lines.push(`- ${item.reference}, ${support}, first contact due ${formatDateTime(item.dueAt)}`);
  }
  if (section.total > section.items.length) {
    lines.push(`- and ${section.total - section.items.length} more`);
  }
  return lines;
}

/**
 * The daily digest of one team for one member: overdue and unassigned requests, references only.
 * A team that handles any confidential support is "your team", not named: team names such as
 * "Psychological wellbeing hub" name the support.
 */
export async function sendTeamDigest(
  tx: DatabaseOrTx,
  recipient: { email: string; name: string },
  digest: {
    teamName: string;
    handlesConfidential: boolean;
    day: Date;
    overdue: DigestSection;
    unassigned: DigestSection;
  },
) {
  const { overdue, unassigned } = digest;
  const teamName = digest.handlesConfidential ? "Your team" : digest.teamName;
  const counts = [
    overdue.total ? `${overdue.total} overdue` : null,
    unassigned.total ? `${unassigned.total} unassigned` : null,
  ].filter(Boolean);
  await enqueueMail(tx, {
    to: recipient.email,
    subject: `${teamName}: ${counts.join(", ")} (people hub daily summary)`,
    text: [
      `Hello ${recipient.name},`,
      "",
      `This is the people hub's summary for ${digest.handlesConfidential ? "your team" : teamName} on ${formatDate(digest.day)}.`,
      ...digestLines("Overdue (first contact is late)", overdue),
      ...digestLines("Not assigned to anyone", unassigned),
      "",
      `Sign in to the people hub to see them: ${env().APP_URL}/hub`,
      ...SIGN_OFF,
    ].join("\n"),
  });
}

/** What the person did that the hub should know about (never what they wrote or how they rated). */
export type RequesterActivity = "reply" | "withdrawn" | "rated";

/**
 * Tells whoever works on a request (its assignee, or the team handling it when unassigned, see
 * hubRecipientsForRequest) that the person replied, withdrew or rated it: the reference and a
 * link, "sign in to read it". Never the message, the reason, the rating or the comment. The
 * subject never names the support; the body names it only when it is not confidential (a
 * confidential offer, or a request pinned to a team, which was confidential when pinned).
 */
export async function notifyHubOfRequesterActivity(
  tx: DatabaseOrTx,
  recipients: ReadonlyArray<{ email: string; name: string }>,
  request: { reference: string; offerTitle: string; confidential: boolean },
  activity: RequesterActivity,
) {
  const { reference, offerTitle, confidential } = request;
  const subject =
    activity === "reply"
      ? `New reply on ${reference}`
      : activity === "withdrawn"
        ? `${reference} was withdrawn`
        : `${reference} was rated`;
  const what =
    activity === "reply"
      ? "The person has replied on"
      : activity === "withdrawn"
        ? "The person has withdrawn"
        : "The person has rated the help they had on";
  const which = confidential ? `confidential request ${reference}` : `request ${reference}, ${offerTitle}`;
  const link = `${env().APP_URL}/hub/requests/${reference}`;
  for (const recipient of recipients) {
    await enqueueMail(tx, {
      to: recipient.email,
      subject,
      text: [
        `Hello ${recipient.name},`,
        "",
        `${what} ${which}.`,
        "",
        `Sign in to the people hub to read it: ${link}`,
        ...SIGN_OFF,
      ].join("\n"),
    });
  }
}
