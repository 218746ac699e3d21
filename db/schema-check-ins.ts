// First-year check-ins (issue 14 part 1; docs/decisions/039-first-year-check-ins.md). Kept apart
// from schema.ts (re-exported from it) so the tables merge cleanly with other branches.
import { sql } from "drizzle-orm";
import { boolean, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { organisations, supportRequests, users } from "./schema";

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
