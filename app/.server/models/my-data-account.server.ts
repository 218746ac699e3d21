// "Download your data": the account's own settings and records (review of issue 12, finding 9),
// kept apart from the requests part (my-data.server.ts) so other parts of the export can be added
// beside it without touching this one. Every query is scoped to the caller in the query itself.
//
// Two-step verification: only whether it is on and since when; never the secret or any code.
import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import { getDb } from "@db/current";
import { accessRequests, emailChangeTokens, organisations, sessions, twoStepSettings, users } from "@db/schema";
import { liveSessionCondition } from "../auth/lucia.server";
import type { CurrentUser } from "../auth/types";
import { staffGroupLabel } from "~/lib/staff-groups";
import { describeDevice } from "~/lib/user-agent";
import { contactMethodLabels } from "~/schemas/request-forms";

export interface ExportedAccountRecords {
  contactPreferences: { method: string | null; phone: string | null; bestTimes: string | null };
  /** The optional emails; mail about your own requests and your account is always sent. */
  emailPreferences: { email: string; receive: boolean }[];
  /** Where you are signed in now (device as shown at /account/sessions). */
  sessions: { device: string; signedInAt: string; lastUsedAt: string }[];
  twoStepVerification: { on: boolean; since: string | null };
  /** Requests for access made with your address, or that made your account. */
  accessRequests: {
    madeAt: string;
    name: string;
    email: string;
    organisation: string | null;
    jobTitle: string;
    staffGroup: string;
    startDateInPost: string;
    status: string;
    decidedAt: string | null;
    declineReason: string | null;
    expiresAt: string;
  }[];
  /** A change of address waiting for its link to be opened, else null. */
  pendingAddressChange: { newEmail: string; organisation: string; askedAt: string; linkExpiresAt: string } | null;
}

const ACCESS_STATUS_LABELS: Record<string, string> = {
  pending: "Waiting for an administrator",
  approved: "Approved",
  declined: "Declined",
  expired: "Expired",
};

const EMAIL_PREFERENCE_LABELS = {
  mailTeamNewRequests: "New requests for my team",
  mailTeamActivity: "Replies, withdrawals and ratings on requests I look after",
  mailTeamDigest: "The daily summary of overdue and unassigned requests",
} as const;

export async function collectAccountRecords(caller: CurrentUser, now = new Date()): Promise<ExportedAccountRecords> {
  const db = getDb();
  const [me] = await db
    .select({
      email: users.email,
      contactMethod: users.contactMethod,
      contactPhone: users.contactPhone,
      contactTimes: users.contactTimes,
      mailTeamNewRequests: users.mailTeamNewRequests,
      mailTeamActivity: users.mailTeamActivity,
      mailTeamDigest: users.mailTeamDigest,
      twoStepSince: twoStepSettings.enabledAt,
    })
    .from(users)
    .leftJoin(twoStepSettings, eq(twoStepSettings.userId, users.id))
    .where(eq(users.id, caller.id))
    .limit(1);
  if (!me) throw new Response("Not found", { status: 404 });

  const [live, asked, pending] = await Promise.all([
    db
      .select({ userAgent: sessions.userAgent, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .where(and(eq(sessions.userId, caller.id), liveSessionCondition(now)))
      .orderBy(desc(sessions.lastSeenAt)),
    db
      .select({
        createdAt: accessRequests.createdAt,
        name: accessRequests.name,
        email: accessRequests.email,
        organisation: organisations.name,
        organisationText: accessRequests.organisationText,
        jobTitle: accessRequests.jobTitle,
        staffGroup: accessRequests.staffGroup,
        startDate: accessRequests.startDate,
        status: accessRequests.status,
        decidedAt: accessRequests.decidedAt,
        declineReason: accessRequests.declineReason,
        expiresAt: accessRequests.expiresAt,
      })
      .from(accessRequests)
      .leftJoin(organisations, eq(organisations.id, accessRequests.organisationId))
      .where(or(eq(accessRequests.userId, caller.id), eq(accessRequests.email, me.email)))
      .orderBy(desc(accessRequests.createdAt))
      .limit(100),
    db
      .select({
        newEmail: emailChangeTokens.newEmail,
        organisation: organisations.name,
        createdAt: emailChangeTokens.createdAt,
        expiresAt: emailChangeTokens.expiresAt,
      })
      .from(emailChangeTokens)
      .innerJoin(organisations, eq(organisations.id, emailChangeTokens.organisationId))
      .where(
        and(
          eq(emailChangeTokens.userId, caller.id),
          isNull(emailChangeTokens.usedAt),
          gt(emailChangeTokens.expiresAt, now),
        ),
      )
      .orderBy(desc(emailChangeTokens.createdAt))
      .limit(1),
  ]);

  return {
    contactPreferences: {
      method: me.contactMethod ? contactMethodLabels[me.contactMethod] : null,
      phone: me.contactPhone,
      bestTimes: me.contactTimes,
    },
    emailPreferences: (Object.keys(EMAIL_PREFERENCE_LABELS) as (keyof typeof EMAIL_PREFERENCE_LABELS)[]).map((k) => ({
      email: EMAIL_PREFERENCE_LABELS[k],
      receive: me[k],
    })),
    sessions: live.map((s) => ({
      device: describeDevice(s.userAgent),
      signedInAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastSeenAt.toISOString(),
    })),
    twoStepVerification: { on: me.twoStepSince !== null, since: me.twoStepSince?.toISOString() ?? null },
    accessRequests: asked.map((a) => ({
      madeAt: a.createdAt.toISOString(),
      name: a.name,
      email: a.email,
      organisation: a.organisation ?? a.organisationText,
      jobTitle: a.jobTitle,
      staffGroup: staffGroupLabel(a.staffGroup),
      startDateInPost: a.startDate,
      status: ACCESS_STATUS_LABELS[a.status] ?? a.status,
      decidedAt: a.decidedAt?.toISOString() ?? null,
      declineReason: a.declineReason,
      expiresAt: a.expiresAt.toISOString(),
    })),
    pendingAddressChange: pending[0]
      ? {
          newEmail: pending[0].newEmail,
          organisation: pending[0].organisation,
          askedAt: pending[0].createdAt.toISOString(),
          linkExpiresAt: pending[0].expiresAt.toISOString(),
        }
      : null,
  };
}
