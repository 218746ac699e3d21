CREATE TYPE "public"."tenure_band" AS ENUM('under_1', '1_to_2', '2_to_5', '5_plus');--> statement-breakpoint
CREATE TABLE "insight_first_contact" (
	"month" date NOT NULL,
	"organisation_id" integer NOT NULL,
	"offer_id" integer NOT NULL,
	"staff_group" text NOT NULL,
	"working_days" integer NOT NULL,
	"within_target" boolean NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_first_contact_month_organisation_id_offer_id_staff_group_working_days_within_target_pk" PRIMARY KEY("month","organisation_id","offer_id","staff_group","working_days","within_target")
);
--> statement-breakpoint
CREATE TABLE "insight_outcomes" (
	"month" date NOT NULL,
	"organisation_id" integer NOT NULL,
	"offer_id" integer NOT NULL,
	"staff_group" text NOT NULL,
	"outcome" "close_outcome" NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_outcomes_month_organisation_id_offer_id_staff_group_outcome_pk" PRIMARY KEY("month","organisation_id","offer_id","staff_group","outcome")
);
--> statement-breakpoint
CREATE TABLE "insight_requests" (
	"month" date NOT NULL,
	"organisation_id" integer NOT NULL,
	"offer_id" integer NOT NULL,
	"staff_group" text NOT NULL,
	"tenure_band" "tenure_band" NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_requests_month_organisation_id_offer_id_staff_group_tenure_band_pk" PRIMARY KEY("month","organisation_id","offer_id","staff_group","tenure_band")
);
--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "staff_group" text;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "tenure_band" "tenure_band";--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "first_contact_working_days" integer;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "first_contact_within_target" boolean;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "manages_organisation_id" integer;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_manages_organisation_id_organisations_id_fk" FOREIGN KEY ("manages_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_requests_open_insight_idx" ON "support_requests" USING btree ("organisation_id","offer_id","staff_group","due_at") WHERE status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred');--> statement-breakpoint
CREATE INDEX "users_manages_organisation_idx" ON "users" USING btree ("manages_organisation_id");