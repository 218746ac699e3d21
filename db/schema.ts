// The StayWell data model (drizzle pg-core). Migrations in drizzle/ are generated from this file
// with `npm run db:generate`; never edit them by hand.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  primaryKey,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
};

export const organisationType = pgEnum("organisation_type", [
  "nhs_trust",
  "council",
  "care_provider",
  "gp_practice",
  "icb",
]);

export const userRole = pgEnum("user_role", ["staff", "coordinator", "manager", "admin"]);

export const formKind = pgEnum("form_kind", [
  "financial",
  "psychological",
  "physiotherapy",
  "flexible_working",
  "retire_return",
  "general",
  // "Thinking about leaving? Talk to us first" (stay conversations, issue 13 part 1).
  "thinking_of_leaving",
]);

export const requestStatus = pgEnum("request_status", [
  "new",
  "triaged",
  "in_progress",
  "waiting_on_staff",
  "referred",
  "closed",
  "withdrawn",
]);

// Triage priority, derived on the server at submission (docs/decisions/012-risk-first-triage.md).
export const requestPriority = pgEnum("request_priority", ["at_risk", "safety_check", "urgent", "normal"]);
export type RequestPriority = (typeof requestPriority.enumValues)[number];

export const contactMethod = pgEnum("contact_method", ["email", "phone", "teams"]);

export const eventKind = pgEnum("event_kind", [
  "submitted",
  "message_from_staff",
  "message_to_staff",
  "internal_note",
  "status_changed",
  "assigned",
  "withdrawn",
  "viewed",
  // The person withdrew or gave again their consent to involve their line manager; a coordinator
  // recorded a contact with the line manager (only while consent is given).
  "consent_withdrawn",
  "consent_given",
  "manager_contacted",
]);

export const closeOutcome = pgEnum("close_outcome", [
  "support_given",
  "referred_on",
  "declined",
  "no_response",
  "not_eligible",
]);

// How a stay conversation ended (app/lib/leaving.ts RETENTION_OUTCOMES): set when the hub closes a
// request of the thinking_of_leaving form, cleared when it is reopened.
export const retentionOutcome = pgEnum("retention_outcome", [
  "stayed_in_role",
  "moved_within_organisation",
  "moved_to_ics_organisation",
  "left_ics",
  "retired_returning",
  "retired_not_returning",
  "not_known",
]);

export const accessAction = pgEnum("access_action", [
  "viewed",
  "assigned",
  "status_changed",
  "messaged",
  "noted",
  "manager_contacted",
  // Administrative changes (docs/decisions/009-two-person-rule-for-confidential-support.md).
  "unassigned",
  "transferred",
]);

export const outboxStatus = pgEnum("outbox_status", ["pending", "sent", "failed"]);

// Years in post when the request was made (app/lib/insights/facts.ts computes it).
export const tenureBand = pgEnum("tenure_band", ["under_1", "1_to_2", "2_to_5", "5_plus"]);

export const organisations = pgTable("organisations", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  // Short name for narrow places (the hub queue's column), e.g. "UHNM"; null: the full name is used.
  shortName: text("short_name"),
  type: organisationType("type").notNull(),
  headcount: integer("headcount").notNull(),
  // The organisation's code in ESR leavers extracts (e.g. "RJE"): how /admin/leavers matches rows
  // to organisations. Set by administrators; unique; null until set (docs/decisions/035-esr-leavers-import.md).
  esrCode: text("esr_code").unique(),
  // Bumped by every administrative change: a stale edit is refused, not applied.
  version: integer("version").notNull().default(1),
  ...timestamps,
});

// Staff in post per organisation and StayWell staff group (app/lib/staff-groups.ts; ESR staff
// groups count under them, app/lib/leaving.ts): the denominators of turnover per 100 by staff group
// (docs/decisions/036-retention-insights.md). Set by administrators on the organisation's page
// with the rest of it (same version, same audit entry); no row: not set for that group.
export const organisationStaffGroupHeadcounts = pgTable(
  "organisation_staff_group_headcounts",
  {
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    staffGroup: text("staff_group").notNull(),
    headcount: integer("headcount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.staffGroup] }),
    check("organisation_staff_group_headcounts_headcount_check", sql`${t.headcount} >= 0`),
  ],
);

// One row per email domain: a domain belongs to exactly one organisation.
export const organisationDomains = pgTable(
  "organisation_domains",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    domain: text("domain").notNull().unique(),
  },
  (t) => [index("organisation_domains_organisation_idx").on(t.organisationId)],
);

// Shared email domains (nhs.net and any other an administrator marks as shared): an address at
// one belongs to no single organisation, so the person chooses theirs at sign-up and it is shown
// as "self-declared" until an administrator confirms it (docs/decisions/027-joining.md). A domain
// is either an organisation's (organisation_domains) or shared, never both (checked on every add).
export const sharedDomains = pgTable("shared_domains", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  domain: text("domain").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull().unique(), // stored lower-cased
    name: text("name").notNull(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    staffGroup: text("staff_group").notNull(),
    jobTitle: text("job_title"),
    startDate: date("start_date", { mode: "string" }).notNull(),
    role: userRole("role").notNull().default("staff"),
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true, mode: "date" }),
    disabledAt: timestamp("disabled_at", { withTimezone: true, mode: "date" }),
    // For managers: the one organisation whose figures they see; null means the whole ICS.
    // Ignored for other roles.
    managesOrganisationId: integer("manages_organisation_id").references(() => organisations.id),
    // Generated staff for demo volume; never able to sign in (no usable password).
    isDemo: boolean("is_demo").notNull().default(false),
    // Bumped by every administrative change to the account (role, scope, disabled).
    version: integer("version").notNull().default(1),
    // The person chose their organisation themselves (a shared domain such as nhs.net): shown to
    // the hub and in /admin/people as "self-declared" until an administrator confirms it.
    organisationSelfDeclared: boolean("organisation_self_declared").notNull().default(false),
    // When an approved proposal made them an administrator (ADR 009): for 7 days after, they may
    // not approve proposals. Null for everyone else, and for administrators made outside the app
    // (installation, seed) — those count as administrators of long standing.
    adminSince: timestamp("admin_since", { withTimezone: true, mode: "date" }),
    // Contact preferences (/account): how the person would rather the hub got in touch; a request
    // form starts from them. Null: not said.
    contactMethod: contactMethod("contact_method"),
    contactPhone: text("contact_phone"),
    contactTimes: text("contact_times"),
    // Optional emails (/account/preferences, docs/decisions/028-your-account.md). Mail about the
    // person's own requests and their account is always sent; urgent and at-risk new requests
    // always reach the team.
    mailTeamNewRequests: boolean("mail_team_new_requests").notNull().default(true),
    mailTeamActivity: boolean("mail_team_activity").notNull().default(true),
    mailTeamDigest: boolean("mail_team_digest").notNull().default(true),
    // First-year check-ins (docs/decisions/039-first-year-check-ins.md): the person may turn them off.
    firstYearCheckIns: boolean("first_year_check_ins").notNull().default(true),
    // Retention (docs/decisions/031-retention-schedule.md): an administrator's hold keeps a disabled
    // account from being anonymised after 24 months (e.g. a complaint or legal matter); erasedAt is
    // when the account's personal details were replaced (the retention job, or the person's erasure:
    // the same column as issue 12 part 3's, app/.server/models/anonymise.server.ts).
    retentionHold: boolean("retention_hold").notNull().default(false),
    erasedAt: timestamp("erased_at", { withTimezone: true, mode: "date" }),
    ...timestamps,
  },
  (t) => [
    // The retention job's disabled-accounts rule: only accounts not yet anonymised, oldest first.
    index("users_retention_disabled_idx")
      .on(t.disabledAt, t.id)
      .where(sql`disabled_at is not null and erased_at is null`),
    index("users_organisation_idx").on(t.organisationId),
    // With the columns the admin overview counts by (countAccountsByRole), so its count per role
    // reads this index alone instead of every row of users (10.7 ms of database CPU per /admin at
    // 50,000 staff: ADR 041, addendum of 1 December).
    index("users_role_idx").on(t.role, t.isDemo, t.disabledAt),
    index("users_manages_organisation_idx").on(t.managesOrganisationId),
    // The first-year check-in job reads only people who started in the last year or so.
    index("users_start_date_idx").on(t.startDate),
  ],
);

// lucia v3 session table (see app/.server/auth/lucia.server.ts).
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    // When the person signed in: a session ends at created_at + its absolute lifetime however
    // busy it is (docs/decisions/016). The id is the SHA-256 of the cookie's token, never the token.
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    // Shown at /account/sessions: the browser's User-Agent (cut to 512 characters) and when the
    // session was last used, updated at most every SESSION_SEEN_MINUTES (not on every request).
    userAgent: text("user_agent"),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("sessions_user_idx").on(t.userId),
    index("sessions_expires_idx").on(t.expiresAt),
    index("sessions_created_idx").on(t.createdAt),
  ],
);

// Single-use email verification tokens; only the SHA-256 of the token is stored.
/**
 * The columns every single-use link table has (verification, reset, change of address): the
 * account, the SHA-256 of the token, when it stops working, when it was used. A function, so each
 * table gets its own column objects (the SQL is the same as when each table spelled them out).
 */
function singleUseTokenColumns() {
  return {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  };
}

export const emailVerificationTokens = pgTable("email_verification_tokens", singleUseTokenColumns(), (t) => [
  index("email_verification_tokens_user_idx").on(t.userId),
  // The retention job deletes expired tokens (docs/decisions/031-retention-schedule.md).
  index("email_verification_tokens_expires_idx").on(t.expiresAt),
]);

// "Forgot your password?" links: single use, valid for an hour; only the SHA-256 of the token is
// stored (docs/decisions/028-your-account.md).
export const passwordResetTokens = pgTable("password_reset_tokens", singleUseTokenColumns(), (t) => [
  index("password_reset_tokens_user_idx").on(t.userId),
  index("password_reset_tokens_expires_idx").on(t.expiresAt),
]);

// "Forgot your password?" asks waiting to be handled (docs/decisions/028-your-account.md): the page
// writes one row for every address, with or without an account, so both answers do the same work;
// the outbox worker (app/.server/mail/outbox.server.ts) turns a row into a reset link and its mail
// when the address has a confirmed, enabled account, and deletes it either way within seconds.
export const passwordResetRequests = pgTable(
  "password_reset_requests",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(), // normalised (lower-cased)
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("password_reset_requests_created_idx").on(t.createdAt, t.id)],
);

// A change of employer (/account): the new work address and its organisation wait here until the
// link mailed to the new address is opened by the signed-in person. Only the token's SHA-256 is kept.
export const emailChangeTokens = pgTable(
  "email_change_tokens",
  {
    ...singleUseTokenColumns(),
    newEmail: text("new_email").notNull(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
  },
  (t) => [index("email_change_tokens_user_idx").on(t.userId), index("email_change_tokens_expires_idx").on(t.expiresAt)],
);

// Failed sign-in attempts, kept in the database so every app instance sees the same count.
// Sign-in, sign-up and account-mail throttling (docs/decisions/017-sign-in-throttling.md). One row
// per counted event: a failed sign-in (client and address), a sign-up (client), an account mail
// (address) or a "someone tried to sign in" warning (address). The address is kept only as a
// SHA-256 of its normalised form; the client is an IPv4 address or an IPv6 /64. Rows older than a
// day are deleted by the daily purge job. Refused attempts write nothing.
export const authThrottleKind = pgEnum("auth_throttle_kind", [
  "sign_in_failure",
  "sign_up",
  "account_mail",
  "sign_in_warning",
  // A wrong two-step code (or recovery code) at sign-in, for the person's address (docs/decisions/029).
  "two_step_failure",
]);
export type AuthThrottleKind = (typeof authThrottleKind.enumValues)[number];

export const authThrottleEvents = pgTable(
  "auth_throttle_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: authThrottleKind("kind").notNull(),
    client: text("client"),
    emailHash: text("email_hash"),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("auth_throttle_client_idx").on(t.kind, t.client, t.occurredAt),
    index("auth_throttle_address_idx").on(t.kind, t.emailHash, t.occurredAt),
    index("auth_throttle_pair_idx").on(t.kind, t.emailHash, t.client, t.occurredAt),
    index("auth_throttle_time_idx").on(t.occurredAt),
  ],
);

// Two-step verification (docs/decisions/029-two-step-verification.md). One row per person who has
// started setting it up; it is on once enabled_at is set. The TOTP secret is stored encrypted
// (AES-256-GCM, "v1:" prefix) when TWO_STEP_ENCRYPTION_KEY is configured, else as "plain:<base32>".
// last_used_step is the newest 30-second step whose code was accepted: a code is accepted only for
// a later step, so the same code (or an older one) cannot be replayed.
export const twoStepSettings = pgTable("two_step_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  enabledAt: timestamp("enabled_at", { withTimezone: true, mode: "date" }),
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

// Ten single-use recovery codes per person, shown once; only their SHA-256 (salted with the user id) is kept.
export const twoStepRecoveryCodes = pgTable(
  "two_step_recovery_codes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [uniqueIndex("two_step_recovery_codes_user_hash_idx").on(t.userId, t.codeHash)],
);

// A password accepted for someone with two-step verification on: no session yet, only this
// challenge (its id is the SHA-256 of a cookie token), valid for 10 minutes, until the code is given.
export const signInChallenges = pgTable(
  "sign_in_challenges",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    redirectTo: text("redirect_to").notNull().default(""),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_challenges_user_idx").on(t.userId), index("sign_in_challenges_expires_idx").on(t.expiresAt)],
);

// "Request access": people with no partner or shared address ask an administrator to let them in
// (docs/decisions/027-joining.md). pending → approved (an unverified account is made and the
// person gets the choose-a-password mail) | declined (with a reason, mailed to them). A pending
// request past expires_at (30 days) is expired: shown as such, never approvable. At most one
// pending request per address. No password is ever asked for here.
export const accessRequests = pgTable(
  "access_requests",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(), // stored lower-cased
    name: text("name").notNull(),
    // The organisation they chose from the list, or null when they typed one (organisationText).
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    organisationText: text("organisation_text"),
    jobTitle: text("job_title").notNull(),
    staffGroup: text("staff_group").notNull(),
    startDate: date("start_date", { mode: "string" }).notNull(),
    /** pending | approved | declined | expired (set when a newer request from the address replaces it) */
    status: text("status").notNull().default("pending"),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    decidedById: text("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true, mode: "date" }),
    declineReason: text("decline_reason"),
    // The account an approval made (or found pending).
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    // When the administrators' hourly mail about new requests counted this one (ADR 027).
    adminsNotifiedAt: timestamp("admins_notified_at", { withTimezone: true, mode: "date" }),
    // When the person was told their pending request expired (once).
    expiryNotifiedAt: timestamp("expiry_notified_at", { withTimezone: true, mode: "date" }),
    ...timestamps,
  },
  (t) => [
    index("access_requests_status_created_idx").on(t.status, t.createdAt, t.id),
    // The retention job (ADR 031): a request ended when it was decided, else when it expired.
    index("access_requests_ended_idx").on(sql`coalesce(${t.decidedAt}, ${t.expiresAt})`),
    uniqueIndex("access_requests_pending_email_idx")
      .on(t.email)
      .where(sql`status = 'pending'`),
  ],
);

// People hub teams. Each offer is handled by exactly one team; coordinators belong to teams and
// see only their teams' requests.
export const teams = pgTable("teams", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  // Also told of urgent and at-risk requests (a shared duty inbox), besides the members.
  urgentContactEmail: text("urgent_contact_email"),
  version: integer("version").notNull().default(1),
  ...timestamps,
});

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/** PostgreSQL's tsvector (read only: the catalogue's search column is generated by the database). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * What catalogue search matches (docs/decisions/013-catalogue-search.md): English stems of the
 * title and keywords (weight A), category and summary (B), who it is for and the provider (C)
 * and the description (D). Generated by the database, so it is never out of date.
 */
const offerSearchVector = sql`setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', keywords), 'A') || setweight(to_tsvector('english', category || ' ' || summary), 'B') || setweight(to_tsvector('english', who_for || ' ' || provider), 'C') || setweight(to_tsvector('english', body), 'D')`;

export const supportOffers = pgTable(
  "support_offers",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    category: text("category").notNull(),
    summary: text("summary").notNull(),
    body: text("body").notNull(),
    whoFor: text("who_for").notNull(),
    provider: text("provider").notNull(),
    whatHappensNext: text("what_happens_next").notNull(),
    firstContactTargetDays: integer("first_contact_target_days").notNull(),
    // Urgent and at-risk requests (app/lib/working-days.ts urgentDueAt): sent on a working day
    // before urgentCutoffHour, due by the end of that working day; otherwise urgentNextDayHour next working day.
    urgentCutoffHour: integer("urgent_cutoff_hour").notNull().default(15),
    urgentNextDayHour: integer("urgent_next_day_hour").notNull().default(10),
    sensitive: boolean("sensitive").notNull().default(false),
    formKind: formKind("form_kind").notNull().default("general"),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id),
    active: boolean("active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    version: integer("version").notNull().default(1),
    ...timestamps,
    /** Words staff might search with that the texts do not use (edited by administrators). */
    keywords: text("keywords").notNull().default(""),
    searchVector: tsvector("search_vector").generatedAlwaysAs(offerSearchVector),
  },
  (t) => [
    index("support_offers_active_order_idx").on(t.active, t.category, t.sortOrder),
    index("support_offers_team_idx").on(t.teamId),
    index("support_offers_search_idx").using("gin", t.searchVector),
  ],
);

// Ready-made messages coordinators can start from, per offer.
export const cannedResponses = pgTable(
  "canned_responses",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    offerId: integer("offer_id")
      .notNull()
      .references(() => supportOffers.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    body: text("body").notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (t) => [index("canned_responses_offer_idx").on(t.offerId, t.sortOrder)],
);

// Per-year counter behind references like SW-2026-00042.
export const referenceCounters = pgTable("reference_counters", {
  year: integer("year").primaryKey(),
  last: integer("last").notNull(),
});

export const supportRequests = pgTable(
  "support_requests",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    reference: text("reference").notNull().unique(),
    requesterId: text("requester_id")
      .notNull()
      .references(() => users.id),
    // The requester's organisation when they asked: aggregate reporting stays true if they move.
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    offerId: integer("offer_id")
      .notNull()
      .references(() => supportOffers.id),
    status: requestStatus("status").notNull().default("new"),
    urgent: boolean("urgent").notNull().default(false),
    priority: requestPriority("priority").notNull().default("normal"),
    answers: jsonb("answers").notNull().$type<Record<string, unknown>>(),
    contactMethod: contactMethod("contact_method").notNull(),
    contactPhone: text("contact_phone"),
    contactTimes: text("contact_times"),
    consentToShareWithManager: boolean("consent_to_share_with_manager").notNull().default(false),
    // Client-generated key of the form submission: a double click or resubmission finds the
    // request it already created instead of making a second one.
    submissionKey: text("submission_key").notNull(),
    // The requester's staff group and tenure band when they asked, for aggregate reporting
    // (like organisationId: the figures stay true when the person moves on).
    staffGroup: text("staff_group").notNull(),
    tenureBand: tenureBand("tenure_band").notNull(),
    submittedAt: timestamp("submitted_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    assigneeId: text("assignee_id").references(() => users.id),
    // The team that keeps this request when it is not its offer's team: set when a confidential
    // offer moves or stops being confidential (its past requests stay with the team that had
    // them), changed only by an approved transfer. Null: the request follows its offer's team.
    // hubVisibleRequests (app/.server/models/hub-access.server.ts) is the one place that reads it.
    pinnedTeamId: integer("pinned_team_id").references(() => teams.id),
    // First contact is due by dueAt (working days from submission, pushed back by time spent
    // waiting on staff); firstContactAt is the first message to the person or move to in progress.
    dueAt: timestamp("due_at", { withTimezone: true, mode: "date" }).notNull(),
    firstContactAt: timestamp("first_contact_at", { withTimezone: true, mode: "date" }),
    // Fixed at first contact (app/lib/insights/facts.ts): working days it took, and whether it
    // was by the due time then (a later pause moves dueAt but must not rewrite history).
    firstContactWorkingDays: integer("first_contact_working_days"),
    firstContactWithinTarget: boolean("first_contact_within_target"),
    // Set while the clock is stopped (waiting on staff).
    pausedAt: timestamp("paused_at", { withTimezone: true, mode: "date" }),
    closedAt: timestamp("closed_at", { withTimezone: true, mode: "date" }),
    closeOutcome: closeOutcome("close_outcome"),
    // Stay conversations only (form kind thinking_of_leaving): required to close, counted by the
    // retention insights (docs/decisions/034-stay-conversations.md).
    retentionOutcome: retentionOutcome("retention_outcome"),
    satisfactionRating: integer("satisfaction_rating"),
    satisfactionComment: text("satisfaction_comment"),
    ratedAt: timestamp("rated_at", { withTimezone: true, mode: "date" }),
    // The person's latest reply, withdrawal, rating or consent change (docs/decisions/015): set in
    // the same transaction; compared with request_reads.seen_at for the hub's "New reply" marker.
    lastRequesterActivityAt: timestamp("last_requester_activity_at", { withTimezone: true, mode: "date" }),
    // The latest timeline event (or rating) by anyone: the queue's "Last updated", never derived per row.
    lastUpdatedAt: timestamp("last_updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    // When the free text, contact details and answers were erased (retention, ADR 031, or the
    // person's erasure): what is left still counts in the insights.
    anonymisedAt: timestamp("anonymised_at", { withTimezone: true, mode: "date" }),
    // Why: "account_deleted" (the person's erasure, ADR 030) or "retention" (ADR 031); null before
    // this was recorded (such rows are shown as removed under the retention schedule).
    anonymisedReason: text("anonymised_reason").$type<"account_deleted" | "retention">(),
    version: integer("version").notNull().default(1),
    // Secret random key for the insights' cell-key perturbation (app/lib/insights/cell-key.ts):
    // summed into the rollups, never shown or sent to a browser.
    recordKey: integer("record_key")
      .notNull()
      .default(sql`floor(random() * 1048576)::int`),
    ...timestamps,
  },
  (t) => [
    // Status second: "assigned to me" counts the open statuses and stops at 1,001 closed or withdrawn
    // from this index alone, however many requests a coordinator handled over the years (ADR 021).
    // With the columns of the visibility rule (offer, pinned team, requester) those counts are
    // index-only: without them PostgreSQL walked support_requests_finished_count_idx through every
    // withdrawn request of the caller's offers to find theirs (about 6 ms at 1,000,000 requests;
    // ADR 041, addendum of 30 November late evening).
    index("support_requests_assignee_idx").on(t.assigneeId, t.status, t.offerId, t.pinnedTeamId, t.requesterId),
    // "My work": a coordinator's requests with activity by the person, newest activity read first.
    index("support_requests_assignee_activity_idx")
      .on(t.assigneeId, t.lastRequesterActivityAt, t.id)
      .where(sql`last_requester_activity_at is not null`),
    index("support_requests_pinned_team_idx")
      .on(t.pinnedTeamId, t.offerId)
      .where(sql`pinned_team_id is not null`),
    // The hub queue walks open requests (a small part of all) in due order across offers, and
    // finished ones by closing time (docs/performance/hub-queue.md has the plans at 1M rows).
    index("support_requests_open_due_idx")
      .on(t.dueAt, t.id)
      .where(sql`status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred')`),
    // Open requests not yet contacted, in due order, with what the overdue filter and visibility
    // read: the overdue view's rank-1 branch walks it and stops after a page, and its counts read
    // only the overdue entries (due_at < now), both from the index alone. Without it both read
    // every open request through support_requests_status_submitted_idx and the table (about 5 and
    // 4 ms of database CPU each at 1,000,000 requests; ADR 041, addendum of 30 November late evening).
    // "Assigned to me" and My work: the caller's open requests in due order (queue ranks 1 and 2),
    // with the first-contact and pause columns the rank-1 ("overdue") condition tests in the index.
    // Walked from the caller's id, so a prepared statement's generic plan (the caller's id a
    // parameter) costs about what a custom plan does and PostgreSQL keeps it: without it both pages'
    // statements filtered support_requests_open_due_idx by assignee and were planned afresh on every
    // run (2–3 ms of planning each at 1,000,000 requests; ADR 041, addendum of 30 November night).
    index("support_requests_assignee_open_due_idx")
      .on(t.assigneeId, t.dueAt, t.id, t.firstContactAt, t.pausedAt)
      .where(sql`status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred')`),
    index("support_requests_open_uncontacted_idx")
      .on(t.dueAt, t.id, t.pausedAt, t.offerId, t.pinnedTeamId, t.requesterId, t.status, t.priority)
      .where(
        sql`first_contact_at is null and status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred')`,
      ),
    // The queue's first rank: at-risk and safety-check requests not yet contacted, oldest first.
    index("support_requests_risk_uncontacted_idx")
      .on(t.submittedAt, t.id)
      .where(
        sql`priority in ('at_risk', 'safety_check') and first_contact_at is null and status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred')`,
      ),
    // The hub's exact open-status counts (docs/decisions/021): every column their conditions read —
    // visibility (offer, pinned team, requester) and the filters (assignee, organisation, urgent,
    // overdue) — so the count is an index-only scan of the open set, never of the history.
    index("support_requests_open_count_idx")
      .on(
        t.offerId,
        t.status,
        t.pinnedTeamId,
        t.requesterId,
        t.assigneeId,
        t.organisationId,
        t.urgent,
        t.firstContactAt,
        t.pausedAt,
        t.dueAt,
      )
      .where(sql`status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred')`),
    // The hub's bounded closed / withdrawn counts (docs/decisions/021 addendum): the same columns for
    // finished requests, so the count of a team's unpinned requests is an index-only range (offer,
    // status, not pinned) that stops at the 1,001st row, whatever share of the history is theirs.
    index("support_requests_finished_count_idx")
      .on(t.offerId, t.status, t.pinnedTeamId, t.requesterId, t.assigneeId, t.organisationId, t.urgent)
      .where(sql`status in ('closed', 'withdrawn')`),
    // Reference prefix search ("SW-2026-001", "SW-2025"): LIKE 'prefix%' cannot use the unique index
    // under a non-C collation; the pattern operator class can, for the list and the bounded counts.
    index("support_requests_reference_pattern_idx").on(t.reference.op("text_pattern_ops")),
    index("support_requests_finished_idx")
      .on(t.closedAt, t.id)
      .where(sql`status in ('closed', 'withdrawn')`),
    // The hub's closed / withdrawn views searched by a year prefix ("SW-2023…"): that year's finished
    // requests in closing order, so the page walk stops after a page instead of reading every later
    // closing (6.2 s at 1,000,000 requests without it; docs/performance/hub-queue.md).
    index("support_requests_finished_year_idx")
      .on(sql`left(${t.reference}, 7)`, t.closedAt, t.id)
      .where(sql`status in ('closed', 'withdrawn')`),
    // The retention job: finished requests whose content is still held, by closing time (ADR 031).
    index("support_requests_retention_idx")
      .on(t.closedAt, t.id)
      .where(sql`status in ('closed', 'withdrawn') and anonymised_at is null`),
    index("support_requests_offer_status_idx").on(t.offerId, t.status),
    index("support_requests_offer_submitted_idx").on(t.offerId, t.submittedAt, t.id),
    uniqueIndex("support_requests_requester_submission_key_idx").on(t.requesterId, t.submissionKey),
    index("support_requests_requester_submitted_idx").on(t.requesterId, t.submittedAt),
    index("support_requests_organisation_idx").on(t.organisationId),
    index("support_requests_status_submitted_idx").on(t.status, t.submittedAt),
    index("support_requests_submitted_idx").on(t.submittedAt),
    // Insights count the open backlog and overdue requests by offer from this index alone.
    index("support_requests_open_insight_idx")
      .on(t.organisationId, t.offerId, t.staffGroup, t.submittedAt, t.dueAt, t.firstContactAt, t.pausedAt, t.recordKey)
      .where(sql`status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred')`),
  ],
);

/**
 * The coded answers of a stay conversation (form kind thinking_of_leaving), one row per chosen
 * value: question is leavingReasons | wouldHelpStay | howSoon | hubAction (app/lib/leaving.ts),
 * answer one of that list's values. Written with the request, in the same transaction; the same
 * values are in support_requests.answers for the request pages. Only codes, never free text, so
 * the rows stay (and keep counting) when retention or erasure clears the request's answers.
 */
export const stayConversationAnswers = pgTable(
  "stay_conversation_answers",
  {
    requestId: integer("request_id")
      .notNull()
      .references(() => supportRequests.id, { onDelete: "cascade" }),
    question: text("question").notNull(),
    answer: text("answer").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.question, t.answer] }),
    index("stay_conversation_answers_question_idx").on(t.question, t.answer),
  ],
);

export const requestEvents = pgTable(
  "request_events",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    requestId: integer("request_id")
      .notNull()
      .references(() => supportRequests.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => users.id),
    kind: eventKind("kind").notNull(),
    body: text("body"),
    visibleToRequester: boolean("visible_to_requester").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("request_events_request_created_idx").on(t.requestId, t.createdAt),
    index("request_events_actor_idx").on(t.actorId),
  ],
);

// When each hub coordinator last opened each request (docs/decisions/018-unseen-activity.md): one
// upsert per opening of the hub request page; the queue's "New reply" marker and the timeline's
// "New since you last looked" compare with it. Per coordinator: X opening a request clears it for X only.
export const requestReads = pgTable(
  "request_reads",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    requestId: integer("request_id")
      .notNull()
      .references(() => supportRequests.id, { onDelete: "cascade" }),
    seenAt: timestamp("seen_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.requestId] }), index("request_reads_request_idx").on(t.requestId)],
);

// Who viewed or changed a request, shown to the person it belongs to (as the Care Record
// Guarantee gives patients a list of everyone who accessed their record).
export const requestAccessLog = pgTable(
  "request_access_log",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    requestId: integer("request_id")
      .notNull()
      .references(() => supportRequests.id, { onDelete: "cascade" }),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    action: accessAction("action").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("request_access_log_request_created_idx").on(t.requestId, t.createdAt),
    index("request_access_log_actor_idx").on(t.actorId),
  ],
);

// Scheduled jobs that must run once across all instances (the daily digest): the first instance
// to insert (name, run_key) runs it. Jobs that report (the retention job, ADR 031) also record when
// they finished, what they did (counts only, never content) and the error that stopped them.
export const jobRuns = pgTable(
  "job_runs",
  {
    name: text("name").notNull(),
    runKey: text("run_key").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.name, t.runKey] })],
);

export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** A worker's lease (app/.server/mail/outbox.server.ts): who is sending it, and until when. */
    claimedBy: text("claimed_by"),
    claimedUntil: timestamp("claimed_until", { withTimezone: true, mode: "date" }),
    /** The first failure since the message was enqueued (or sent again): retries stop a day later. */
    firstFailedAt: timestamp("first_failed_at", { withTimezone: true, mode: "date" }),
    /** When it became "failed" (listed at /admin/mail). */
    failedAt: timestamp("failed_at", { withTimezone: true, mode: "date" }),
    /**
     * Mail to an address that is being erased (the "your account has been deleted" mail, ADR 030):
     * once sent, or given up, the address and text are blanked at once, so nothing keeps them.
     */
    eraseAfterSend: boolean("erase_after_send").notNull().default(false),
    /**
     * The account the recipient address belonged to when it was queued (none: nobody's yet). An
     * erasure finds the person's mail by it after a change of address (ADR 031). No foreign key:
     * the retention job deletes never-confirmed accounts with their mail.
     */
    userId: text("user_id"),
  },
  (t) => [
    index("mail_outbox_status_next_idx").on(t.status, t.nextAttemptAt),
    index("mail_outbox_user_idx").on(t.userId),
    index("mail_outbox_failed_idx")
      .on(t.id)
      .where(sql`status = 'failed'`),
    // The retention job blanks sent mail bodies after 90 days (ADR 031): those not yet blanked.
    index("mail_outbox_retention_idx")
      .on(t.sentAt, t.id)
      .where(sql`status = 'sent' and text_body <> ''`),
  ],
);

// Every administrative change: who, when, what, and the values before and after (never request
// content). Listed at /admin/audit.
export const adminAudit = pgTable(
  "admin_audit",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    /** offer | canned_response | organisation | team | user */
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    /** e.g. created, updated, retired, restored, reordered, members_changed, role_changed, disabled, enabled */
    action: text("action").notNull(),
    /** One line for people: "Retired Physiotherapy for staff". */
    summary: text("summary").notNull(),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown> | null>(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("admin_audit_created_idx").on(t.createdAt, t.id),
    index("admin_audit_entity_idx").on(t.entity, t.entityId, t.createdAt),
    index("admin_audit_actor_idx").on(t.actorId, t.createdAt),
  ],
);

// Changes that widen who can see confidential requests need a second administrator: they wait
// here as proposals until another administrator approves (applied then, re-checked against the
// version the proposer saw) or declines them, the proposer withdraws them, or they expire
// (expires_at, read from the app clock: no timers). docs/decisions/009-….
export const adminProposals = pgTable(
  "admin_proposals",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** offer_change (team and/or confidential unticked) | team_member | transfer_requests */
    kind: text("kind").notNull(),
    /** pending | approved | declined | withdrawn | expired */
    status: text("status").notNull().default("pending"),
    offerId: integer("offer_id").references(() => supportOffers.id, { onDelete: "cascade" }),
    teamId: integer("team_id").references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** What changes, e.g. { teamId, sensitive } or { scope: "open" | "all" }. */
    change: jsonb("change").notNull().$type<Record<string, unknown>>(),
    /** The version of the offer (or team) the proposer saw: approval is refused if it moved on. */
    targetVersion: integer("target_version").notNull(),
    /** One line for people: "Move Psychological wellbeing hub from team A to team B". */
    summary: text("summary").notNull(),
    proposedById: text("proposed_by_id")
      .notNull()
      .references(() => users.id),
    proposedAt: timestamp("proposed_at", { withTimezone: true, mode: "date" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    decidedById: text("decided_by_id").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("admin_proposals_status_expires_idx").on(t.status, t.expiresAt),
    index("admin_proposals_offer_idx").on(t.offerId),
    index("admin_proposals_team_idx").on(t.teamId),
  ],
);

// Insight rollups, shaped by the page's filters so a page view reads a bounded number of rows
// whatever the volume (docs/decisions/006-insights-rollups-and-suppression.md). Each row is one
// breakdown value for one filter combination and month; a filter column holds 0 / '' for "all".
// Kept current by the triggers in drizzle/0006_insight_cube_functions.sql on every write to
// support_requests; rebuilt by rebuild_insight_rollups() after bulk loads.
export const insightCube = pgTable(
  "insight_cube",
  {
    /** offer | organisation | staff_group | tenure_band: what `dim` holds. */
    breakdown: text("breakdown").notNull(),
    filterOrganisationId: integer("filter_organisation_id").notNull(),
    filterOfferId: integer("filter_offer_id").notNull(),
    filterStaffGroup: text("filter_staff_group").notNull(),
    dim: text("dim").notNull(),
    /** First day of the London month the requests were made in. */
    month: date("month", { mode: "string" }).notNull(),
    requests: integer("requests").notNull().default(0),
    rated: integer("rated").notNull().default(0),
    ratingSum: integer("rating_sum").notNull().default(0),
    /** Sums of the requests' (and the rated requests') record keys: the cell keys' input. */
    keySum: bigint("key_sum", { mode: "number" }).notNull().default(0),
    ratedKeySum: bigint("rated_key_sum", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.breakdown, t.filterOrganisationId, t.filterOfferId, t.filterStaffGroup, t.dim, t.month],
    }),
  ],
);

/** Working days to first contact by offer: a histogram per filter combination and month. */
export const insightFirstContact = pgTable(
  "insight_first_contact_cube",
  {
    filterOrganisationId: integer("filter_organisation_id").notNull(),
    filterStaffGroup: text("filter_staff_group").notNull(),
    offerId: integer("offer_id").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    workingDays: integer("working_days").notNull(),
    withinTarget: boolean("within_target").notNull(),
    requests: integer("requests").notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.filterOrganisationId, t.filterStaffGroup, t.offerId, t.month, t.workingDays, t.withinTarget],
    }),
  ],
);

/** Outcomes of closed requests by offer, per filter combination and month. */
export const insightOutcomes = pgTable(
  "insight_outcomes_cube",
  {
    filterOrganisationId: integer("filter_organisation_id").notNull(),
    filterStaffGroup: text("filter_staff_group").notNull(),
    offerId: integer("offer_id").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    outcome: closeOutcome("outcome").notNull(),
    requests: integer("requests").notNull().default(0),
    keySum: bigint("key_sum", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.filterOrganisationId, t.filterStaffGroup, t.offerId, t.month, t.outcome] })],
);

// /insights' finished pages, kept a few minutes and shared by every app instance (ADR 041, night
// addendum). Only what the page already sends to a manager's browser is stored: the published
// (disclosure-controlled) figures and the page's lists, as the loader's JSON. The key is the
// caller's scope (never the URL's), the period and filter exactly as the URL gave them, and a format
// version; only a URL without filter errors ever creates a row. Emptied by a statement trigger
// whenever organisations, their staff-group headcounts or support offers change (drizzle/0047).
export const insightsPageCache = pgTable(
  "insights_page_cache",
  {
    /** INSIGHTS_CACHE_FORMAT when written: a release that changes the payload's shape ignores older rows. */
    format: integer("format").notNull(),
    /** "ics" or "organisation:<id>", from insightsScopeFor(caller). */
    scope: text("scope").notNull(),
    /** The URL's one period value ("" for the default). */
    period: text("period").notNull(),
    /** The URL's one "for" value ("" for everything in scope). */
    filter: text("filter").notNull(),
    /** The loader's data as JSON (published values only). */
    payload: text("payload").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    /**
     * insights_page_cache_generation's value read BEFORE the page was computed. Only rows of the
     * current generation are ever read, so a page computed from data an admin change has since
     * replaced (the change committed during the computation) is never served, even if stored after
     * the change emptied the table (drizzle/0049).
     */
    generation: bigint("generation", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.format, t.scope, t.period, t.filter] }),
    index("insights_page_cache_expires_idx").on(t.expiresAt),
  ],
);

/**
 * One row: bumped (and the page store emptied) in the same transaction as any change to what a
 * stored /insights page was computed from besides the requests themselves: organisations, their
 * staff-group headcounts, support offers (drizzle/0049 triggers).
 */
export const insightsPageCacheGeneration = pgTable(
  "insights_page_cache_generation",
  {
    id: boolean("id").primaryKey().default(true),
    generation: bigint("generation", { mode: "number" }).notNull().default(0),
  },
  () => [check("insights_page_cache_generation_one_row", sql`id`)],
);

// ---------------------------------------------------------------------------------------------
// The leaving questionnaire (/leaving, issue 13 part 2; docs/decisions/033-leaving-questionnaire.md).
// Confidential: no page shows one person's answers to anyone but that person. Every answer is a
// column or a row here (never only JSON), so the retention insights can count them in SQL by
// organisation, staff group, tenure band, destination, reason, what would have kept them and the
// support they used. The personal contact address lives apart (leaving_contacts), deleted on its own.

// A questionnaire link an administrator sent to a leaver's work address: single use, 60 days,
// only the SHA-256 of the token kept, and of the address only its SHA-256 (to refuse a second link
// to the same address while one is live). Answers given through it belong to its organisation.
export const leavingLinks = pgTable(
  "leaving_links",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    tokenHash: text("token_hash").notNull().unique(),
    emailHash: text("email_hash").notNull(),
    leavingDate: date("leaving_date", { mode: "string" }).notNull(),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("leaving_links_email_idx").on(t.emailHash, t.expiresAt),
    index("leaving_links_created_idx").on(t.createdById, t.createdAt),
    index("leaving_links_expires_idx").on(t.expiresAt),
  ],
);

export const leavingResponses = pgTable(
  "leaving_responses",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    // The account that answered (null: answered through a link, or the account was erased).
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    linkId: integer("link_id").references(() => leavingLinks.id, { onDelete: "set null" }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** users.staff_group at the time (null through a link: not asked). */
    staffGroup: text("staff_group"),
    /** LEAVER_TENURE_BANDS value at the leaving date (null through a link: not asked). */
    tenureBand: text("tenure_band"),
    leavingDate: date("leaving_date", { mode: "string" }).notNull(),
    /** LEAVING_DESTINATIONS value. */
    destination: text("destination").notNull(),
    /** ESR_LEAVING_REASONS value: the main one (also among the reasons). */
    mainReason: text("main_reason").notNull(),
    /** Free text: erased by the retention job and by account erasure (counted figures stay). */
    details: text("details"),
    /** Used any StayWell support (false when they chose "none"). */
    usedSupport: boolean("used_support").notNull(),
    /** Would consider coming back in any way (the ways are rows in leaving_response_choices). */
    wouldReturn: boolean("would_return").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** When the free text and the account link were removed (retention, ADR 033). */
    anonymisedAt: timestamp("anonymised_at", { withTimezone: true, mode: "date" }),
    // Secret random key for the retention insights' cell-key perturbation (ADR 008, ADR 036):
    // summed with every count, never shown or sent to a browser.
    recordKey: integer("record_key")
      .notNull()
      .default(sql`floor(random() * 1048576)::int`),
  },
  (t) => [
    // One questionnaire per account (a second replaces nothing: withdraw first).
    uniqueIndex("leaving_responses_user_idx").on(t.userId),
    index("leaving_responses_org_idx").on(t.organisationId, t.leavingDate),
    // The retention insights read a period of leaving dates across every organisation (ADR 036).
    index("leaving_responses_insight_idx").on(
      t.leavingDate,
      t.organisationId,
      t.usedSupport,
      t.destination,
      t.id,
      t.recordKey,
    ),
    index("leaving_responses_retention_idx")
      .on(t.createdAt, t.id)
      .where(sql`anonymised_at is null`),
  ],
);

/**
 * The several-of answers, one row each: `question` is reason (ESR leaving reason), kept (what would
 * have kept them), support_used / support_known (an offer id as text, or "none"), or return (how
 * they would come back: bank, retire_return, reservist_bank).
 */
export const leavingResponseChoices = pgTable(
  "leaving_response_choices",
  {
    responseId: integer("response_id")
      .notNull()
      .references(() => leavingResponses.id, { onDelete: "cascade" }),
    question: text("question").notNull(),
    value: text("value").notNull(),
    /** For support_used / support_known: the offer (its category is "which kind"). */
    offerId: integer("offer_id").references(() => supportOffers.id, { onDelete: "set null" }),
  },
  (t) => [
    primaryKey({ columns: [t.responseId, t.question, t.value] }),
    index("leaving_response_choices_question_idx").on(t.question, t.value),
  ],
);

// Consent to be contacted about coming back, at a personal address the person verifies (a link
// mailed to it, stored hashed). Counts only once verified_at is set. Deleted when withdrawn, when
// the answers are withdrawn or the account erased, unverified after VERIFY days, and 24 months
// after the leaving date (ADR 033).
export const leavingContacts = pgTable(
  "leaving_contacts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    responseId: integer("response_id")
      .notNull()
      .unique()
      .references(() => leavingResponses.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    personalEmail: text("personal_email").notNull(),
    tokenHash: text("token_hash").unique(),
    tokenExpiresAt: timestamp("token_expires_at", { withTimezone: true, mode: "date" }),
    verifiedAt: timestamp("verified_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("leaving_contacts_verified_idx").on(t.verifiedAt)],
);

export type Organisation = typeof organisations.$inferSelect;
export type User = typeof users.$inferSelect;
export type SupportOffer = typeof supportOffers.$inferSelect;
export type NewSupportOffer = typeof supportOffers.$inferInsert;
export type SupportRequest = typeof supportRequests.$inferSelect;
export type RequestEvent = typeof requestEvents.$inferSelect;
export type UserRole = (typeof userRole.enumValues)[number];
export type FormKind = (typeof formKind.enumValues)[number];
export type RequestStatus = (typeof requestStatus.enumValues)[number];
export type CloseOutcomeValue = (typeof closeOutcome.enumValues)[number];
export type RetentionOutcomeValue = (typeof retentionOutcome.enumValues)[number];
export type TenureBandValue = (typeof tenureBand.enumValues)[number];
export type AdminAuditEntry = typeof adminAudit.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type AdminProposal = typeof adminProposals.$inferSelect;

// ---- ESR leavers import (issue 13 part 3; docs/decisions/035-esr-leavers-import.md) -------------
// One row per uploaded ESR leavers extract that added anything. Removing an import removes its
// leavers (cascade).
export const esrLeaverImports = pgTable(
  "esr_leaver_imports",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    // null once the administrator's account is gone (kept as who, for the list, in uploaded_by_name).
    uploadedById: text("uploaded_by_id").references(() => users.id, { onDelete: "set null" }),
    uploadedByName: text("uploaded_by_name").notNull(),
    fileName: text("file_name").notNull(),
    /** Rows in the file (header excluded). */
    fileRows: integer("file_rows").notNull(),
    /** Leavers this import added (rows already imported before are not added again). */
    addedRows: integer("added_rows").notNull(),
    /** Earliest and latest termination date in the file. */
    firstTermination: date("first_termination", { mode: "string" }).notNull(),
    lastTermination: date("last_termination", { mode: "string" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("esr_leaver_imports_created_idx").on(t.createdAt)],
);

// One row per leaver from an ESR extract. No name, no assignment number: the assignment number is
// kept only as an HMAC-SHA256 under a server key (ESR_ASSIGNMENT_KEY), so a re-upload of the same
// leaver (same assignment, same termination date) is recognised and never counted twice.
export const esrLeavers = pgTable(
  "esr_leavers",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    importId: integer("import_id")
      .notNull()
      .references(() => esrLeaverImports.id, { onDelete: "cascade" }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** The ESR staff group as in the extract (app/lib/leaving.ts ESR_STAFF_GROUPS). */
    esrStaffGroup: text("esr_staff_group").notNull(),
    /** The StayWell staff group it counts under (app/lib/staff-groups.ts). */
    staffGroup: text("staff_group").notNull(),
    assignmentStartDate: date("assignment_start_date", { mode: "string" }).notNull(),
    terminationDate: date("termination_date", { mode: "string" }).notNull(),
    /** app/lib/leaving.ts LEAVER_TENURE_BANDS, from the two dates. */
    tenureBand: text("tenure_band").notNull(),
    /** The canonical ESR leaving reason, and its chart group (app/lib/leaving.ts). */
    reason: text("reason").notNull(),
    reasonGroup: text("reason_group").notNull(),
    /** ESR age band as in the extract (app/lib/leaving.ts ESR_AGE_BANDS). */
    ageBand: text("age_band").notNull(),
    /** hex HMAC-SHA256 of the normalised assignment number. */
    assignmentHash: text("assignment_hash").notNull(),
    // Secret random key for the retention insights' cell-key perturbation (ADR 008, ADR 036).
    recordKey: integer("record_key")
      .notNull()
      .default(sql`floor(random() * 1048576)::int`),
  },
  (t) => [
    // The retention insights: a period of termination dates, for every organisation or one, read
    // from the index alone (ADR 036).
    index("esr_leavers_insight_idx").on(
      t.terminationDate,
      t.organisationId,
      t.staffGroup,
      t.tenureBand,
      t.reasonGroup,
      t.reason,
      t.ageBand,
      t.recordKey,
    ),
    uniqueIndex("esr_leavers_assignment_termination_idx").on(t.assignmentHash, t.terminationDate),
    index("esr_leavers_organisation_month_idx").on(t.organisationId, t.terminationDate),
    index("esr_leavers_organisation_group_month_idx").on(t.organisationId, t.staffGroup, t.terminationDate),
    index("esr_leavers_import_idx").on(t.importId),
  ],
);

// The error report of a refused upload, for download from /admin/leavers for a day (then removed
// by the next upload). Never holds an assignment number.
export const esrImportErrorReports = pgTable(
  "esr_import_error_reports",
  {
    id: text("id").primaryKey(),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    csv: text("csv").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("esr_import_error_reports_created_idx").on(t.createdAt)],
);

export type EsrLeaverImport = typeof esrLeaverImports.$inferSelect;
export type EsrLeaver = typeof esrLeavers.$inferSelect;

// ---------------------------------------------------------------------------------------------
// First-year check-ins (issue 14 part 1; docs/decisions/039-first-year-check-ins.md).

export const checkInPointUnit = pgEnum("check_in_point_unit", ["weeks", "months"]);
export const checkInHasWhatNeeded = pgEnum("check_in_has_what_needed", ["yes", "partly", "no"]);
export const checkInThinkingOfLeaving = pgEnum("check_in_thinking_of_leaving", ["no", "sometimes", "yes"]);

/** When check-ins fall due, after the start date in post; set by administrators at /admin/check-ins. */
export const checkInPoints = pgTable(
  "check_in_points",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    amount: integer("amount").notNull(),
    unit: checkInPointUnit("unit").notNull(),
    /** A retired point sends nothing new; check-ins already sent at it stay (and keep counting). */
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("check_in_points_unit_amount_idx").on(t.unit, t.amount)],
);

/**
 * One check-in sent to one person at one point. The row is created, with its mail, by the job
 * (app/.server/jobs/check-ins.server.ts): the unique (user, point) index is what makes the mail go
 * once whichever instance runs it. Answers are codes only: what the person wrote goes into the
 * support request they asked for (and nowhere else), so managers' figures never hold free text.
 */
export const checkIns = pgTable(
  "check_ins",
  {
    /** Random and unguessable: it is in the emailed link (/check-ins/<id>). */
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    pointId: integer("point_id").references(() => checkInPoints.id, { onDelete: "set null" }),
    /** The point as it was when sent ("4 weeks"), and its length in days for ordering. */
    pointLabel: text("point_label").notNull(),
    pointDays: integer("point_days").notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    /** The person's organisation and staff group when it was sent, for the aggregates. */
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    staffGroup: text("staff_group").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }).notNull(),
    /** sentAt + 21 days: not answerable, and off the home page, after this. */
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    answeredAt: timestamp("answered_at", { withTimezone: true, mode: "date" }),
    workScore: integer("work_score"),
    supportedScore: integer("supported_score"),
    hasWhatNeeded: checkInHasWhatNeeded("has_what_needed"),
    thinkingOfLeaving: checkInThinkingOfLeaving("thinking_of_leaving"),
    contactWanted: boolean("contact_wanted").notNull().default(false),
    /** The support request the answer created (contact wanted), written in the same transaction. */
    requestId: integer("request_id").references(() => supportRequests.id, { onDelete: "set null" }),
    /** Secret key for the insights' cell-key perturbation (app/lib/insights/cell-key.ts). */
    recordKey: integer("record_key")
      .notNull()
      .default(sql`floor(random() * 1048576)::int`),
  },
  (t) => [
    uniqueIndex("check_ins_user_point_idx").on(t.userId, t.pointId),
    // The home page card: the person's open check-in.
    index("check_ins_user_open_idx")
      .on(t.userId, t.expiresAt)
      .where(sql`answered_at is null`),
    // The first-year insights: by month sent, organisation and staff group.
    index("check_ins_sent_idx").on(t.sentAt, t.organisationId, t.staffGroup),
  ],
);

export type CheckInPointUnit = (typeof checkInPointUnit.enumValues)[number];
export type CheckInHasWhatNeeded = (typeof checkInHasWhatNeeded.enumValues)[number];
export type CheckInThinkingOfLeaving = (typeof checkInThinkingOfLeaving.enumValues)[number];

// ---- The reservist bank (issue 14 part 2; docs/decisions/040-reservist-bank.md) ----------------
// Roles and skills a reservist can offer and a need can ask for: a list administrators keep
// (/admin/reservist-skills). Retired skills stay on old profiles and needs but are not offered.
export const reservistSkills = pgTable("reservist_skills", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  slug: text("slug").notNull().unique(),
  label: text("label").notNull().unique(),
  retiredAt: timestamp("retired_at", { withTimezone: true, mode: "date" }),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

// One profile per account. Leaving the bank deletes it (and its skills and places); invitations
// keep only their outcome (reservist_user_id set null), so a need's filled places stay counted.
export const reservists = pgTable(
  "reservists",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    /** RESERVIST_REGISTRATION_BODIES value: nmc, hcpc, gmc, gphc, swe, none. */
    registrationBody: text("registration_body").notNull(),
    registrationNumber: text("registration_number"),
    staffGroup: text("staff_group").notNull(),
    hoursPerWeek: integer("hours_per_week").notNull(),
    /** Days of the week they can work: mon … sun. */
    days: text("days").array().notNull(),
    availableFrom: date("available_from", { mode: "string" }).notNull(),
    availableUntil: date("available_until", { mode: "string" }),
    dbsCurrent: boolean("dbs_current").notNull(),
    // No address is kept here: bank mail goes to the address valid when it is sent, worked out then
    // (reservistMailAddressSql: the work address while staff, a verified personal one after leaving).
    pausedAt: timestamp("paused_at", { withTimezone: true, mode: "date" }),
    lastConfirmedAt: timestamp("last_confirmed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** The 3-monthly reminder for the current confirmation (null: not sent since the last confirmation). */
    reminderSentAt: timestamp("reminder_sent_at", { withTimezone: true, mode: "date" }),
    /** Secret random key for the insights' cell-key perturbation (ADR 008): never shown or sent. */
    recordKey: integer("record_key")
      .notNull()
      .default(sql`floor(random() * 1048576)::int`),
    ...timestamps,
  },
  (t) => [
    index("reservists_reminder_idx")
      .on(t.lastConfirmedAt)
      .where(sql`reminder_sent_at is null`),
    index("reservists_group_idx").on(t.staffGroup),
    // Not unique (ADR 040, addendum "registration numbers are not refused"): a number typed first by
    // someone else must not lock its holder out. Matching flags a number on two profiles via this index.
    index("reservists_registration_idx")
      .on(t.registrationBody, t.registrationNumber)
      .where(sql`registration_number is not null`),
  ],
);

export const reservistSkillChoices = pgTable(
  "reservist_skill_choices",
  {
    userId: text("user_id")
      .notNull()
      .references(() => reservists.userId, { onDelete: "cascade" }),
    skillId: integer("skill_id")
      .notNull()
      .references(() => reservistSkills.id),
  },
  // Matching starts from a need's few skills: (skill_id, user_id) finds who offers them without
  // reading the table (ADR 040 addendum; docs/performance/reservist-matching.md).
  (t) => [
    primaryKey({ columns: [t.userId, t.skillId] }),
    index("reservist_skill_choices_skill_idx").on(t.skillId, t.userId),
  ],
);

export const reservistPlaces = pgTable(
  "reservist_places",
  {
    userId: text("user_id")
      .notNull()
      .references(() => reservists.userId, { onDelete: "cascade" }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.organisationId] }),
    index("reservist_places_org_idx").on(t.organisationId),
  ],
);

// A need the Reservist bank team posts: where, who, when, how many, why.
export const reservistNeeds = pgTable(
  "reservist_needs",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    place: text("place").notNull(),
    staffGroup: text("staff_group").notNull(),
    /** A registration the work needs (RESERVIST_REGISTRATION_BODIES value), or null: none needed. */
    registrationBody: text("registration_body"),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }).notNull(),
    hoursPerWeek: integer("hours_per_week").notNull(),
    placesWanted: integer("places_wanted").notNull(),
    /** RESERVIST_NEED_REASONS value. */
    reason: text("reason").notNull(),
    /** Days of the week the work is on (mon … sun); empty: any day. */
    days: text("days")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Closed early by the team: no more invitations or acceptances. */
    closedAt: timestamp("closed_at", { withTimezone: true, mode: "date" }),
    /** Secret random key for the insights' cell-key perturbation (ADR 008): never shown or sent. */
    recordKey: integer("record_key")
      .notNull()
      .default(sql`floor(random() * 1048576)::int`),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("reservist_needs_created_idx").on(t.createdAt, t.id),
    index("reservist_needs_org_idx").on(t.organisationId, t.startDate),
  ],
);

export const reservistNeedSkills = pgTable(
  "reservist_need_skills",
  {
    needId: integer("need_id")
      .notNull()
      .references(() => reservistNeeds.id, { onDelete: "cascade" }),
    skillId: integer("skill_id")
      .notNull()
      .references(() => reservistSkills.id),
  },
  (t) => [primaryKey({ columns: [t.needId, t.skillId] })],
);

// withdrawn: the team withdrew it unanswered, or closed the need while it was unanswered.
export const reservistInvitationStatus = pgEnum("reservist_invitation_status", [
  "invited",
  "accepted",
  "declined",
  "withdrawn",
]);

export const reservistInvitations = pgTable(
  "reservist_invitations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    needId: integer("need_id")
      .notNull()
      .references(() => reservistNeeds.id, { onDelete: "cascade" }),
    /** Null once the reservist left the bank: the outcome stays counted, the person does not. */
    reservistUserId: text("reservist_user_id").references(() => reservists.userId, { onDelete: "set null" }),
    status: reservistInvitationStatus("status").notNull().default("invited"),
    invitedById: text("invited_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    respondedAt: timestamp("responded_at", { withTimezone: true, mode: "date" }),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true, mode: "date" }),
    /** Set when the reservist accepted, then said they can no longer help (status is then "declined"). */
    cancelledAt: timestamp("cancelled_at", { withTimezone: true, mode: "date" }),
    /** Secret random key for the insights' cell-key perturbation (ADR 008): never shown or sent. */
    recordKey: integer("record_key")
      .notNull()
      .default(sql`floor(random() * 1048576)::int`),
  },
  (t) => [
    uniqueIndex("reservist_invitations_need_user_idx").on(t.needId, t.reservistUserId),
    index("reservist_invitations_user_idx").on(t.reservistUserId, t.createdAt),
  ],
);
