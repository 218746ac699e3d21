CREATE TABLE "insight_cube" (
	"breakdown" text NOT NULL,
	"filter_organisation_id" integer NOT NULL,
	"filter_offer_id" integer NOT NULL,
	"filter_staff_group" text NOT NULL,
	"dim" text NOT NULL,
	"month" date NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_cube_breakdown_filter_organisation_id_filter_offer_id_filter_staff_group_dim_month_pk" PRIMARY KEY("breakdown","filter_organisation_id","filter_offer_id","filter_staff_group","dim","month")
);
--> statement-breakpoint
CREATE TABLE "insight_first_contact_cube" (
	"filter_organisation_id" integer NOT NULL,
	"filter_staff_group" text NOT NULL,
	"offer_id" integer NOT NULL,
	"month" date NOT NULL,
	"working_days" integer NOT NULL,
	"within_target" boolean NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_first_contact_cube_filter_organisation_id_filter_staff_group_offer_id_month_working_days_within_target_pk" PRIMARY KEY("filter_organisation_id","filter_staff_group","offer_id","month","working_days","within_target")
);
--> statement-breakpoint
CREATE TABLE "insight_outcomes_cube" (
	"filter_organisation_id" integer NOT NULL,
	"filter_staff_group" text NOT NULL,
	"offer_id" integer NOT NULL,
	"month" date NOT NULL,
	"outcome" "close_outcome" NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_outcomes_cube_filter_organisation_id_filter_staff_group_offer_id_month_outcome_pk" PRIMARY KEY("filter_organisation_id","filter_staff_group","offer_id","month","outcome")
);
--> statement-breakpoint
ALTER TABLE "insight_first_contact" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "insight_outcomes" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "insight_requests" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "insight_first_contact" CASCADE;--> statement-breakpoint
DROP TABLE "insight_outcomes" CASCADE;--> statement-breakpoint
DROP TABLE "insight_requests" CASCADE;--> statement-breakpoint
DROP INDEX "support_requests_open_insight_idx";--> statement-breakpoint
CREATE INDEX "support_requests_open_insight_idx" ON "support_requests" USING btree ("organisation_id","offer_id","staff_group","submitted_at","due_at","first_contact_at","paused_at") WHERE status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred');