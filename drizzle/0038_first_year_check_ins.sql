CREATE TYPE "public"."check_in_has_what_needed" AS ENUM('yes', 'partly', 'no');--> statement-breakpoint
CREATE TYPE "public"."check_in_point_unit" AS ENUM('weeks', 'months');--> statement-breakpoint
CREATE TYPE "public"."check_in_thinking_of_leaving" AS ENUM('no', 'sometimes', 'yes');--> statement-breakpoint
CREATE TABLE "check_in_points" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "check_in_points_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"amount" integer NOT NULL,
	"unit" "check_in_point_unit" NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "check_ins" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"point_id" integer,
	"point_label" text NOT NULL,
	"point_days" integer NOT NULL,
	"due_on" date NOT NULL,
	"organisation_id" integer NOT NULL,
	"staff_group" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"work_score" integer,
	"supported_score" integer,
	"has_what_needed" "check_in_has_what_needed",
	"thinking_of_leaving" "check_in_thinking_of_leaving",
	"contact_wanted" boolean DEFAULT false NOT NULL,
	"request_id" integer,
	"record_key" integer DEFAULT floor(random() * 1048576)::int NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "first_year_check_ins" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_point_id_check_in_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."check_in_points"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_request_id_support_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."support_requests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "check_in_points_unit_amount_idx" ON "check_in_points" USING btree ("unit","amount");--> statement-breakpoint
CREATE UNIQUE INDEX "check_ins_user_point_idx" ON "check_ins" USING btree ("user_id","point_id");--> statement-breakpoint
CREATE INDEX "check_ins_user_open_idx" ON "check_ins" USING btree ("user_id","expires_at") WHERE answered_at is null;--> statement-breakpoint
CREATE INDEX "check_ins_sent_idx" ON "check_ins" USING btree ("sent_at","organisation_id","staff_group");--> statement-breakpoint
CREATE INDEX "users_start_date_idx" ON "users" USING btree ("start_date");--> statement-breakpoint
-- DATA (issue 14 part 1, ADR 039): the default check-in points, 4 weeks, 3, 6 and 9 months after the
-- start date in post. Administrators change them at /admin/check-ins. Re-append by hand after regenerating.
INSERT INTO "check_in_points" ("amount", "unit") VALUES (4, 'weeks'), (3, 'months'), (6, 'months'), (9, 'months') ON CONFLICT DO NOTHING;
