CREATE TABLE "esr_import_error_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"created_by_id" text,
	"file_name" text NOT NULL,
	"csv" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "esr_leaver_imports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "esr_leaver_imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"uploaded_by_id" text,
	"uploaded_by_name" text NOT NULL,
	"file_name" text NOT NULL,
	"file_rows" integer NOT NULL,
	"added_rows" integer NOT NULL,
	"first_termination" date NOT NULL,
	"last_termination" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "esr_leavers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "esr_leavers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"import_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"esr_staff_group" text NOT NULL,
	"staff_group" text NOT NULL,
	"assignment_start_date" date NOT NULL,
	"termination_date" date NOT NULL,
	"tenure_band" text NOT NULL,
	"reason" text NOT NULL,
	"reason_group" text NOT NULL,
	"age_band" text NOT NULL,
	"assignment_hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "esr_code" text;--> statement-breakpoint
ALTER TABLE "esr_import_error_reports" ADD CONSTRAINT "esr_import_error_reports_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "esr_leaver_imports" ADD CONSTRAINT "esr_leaver_imports_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "esr_leavers" ADD CONSTRAINT "esr_leavers_import_id_esr_leaver_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."esr_leaver_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "esr_leavers" ADD CONSTRAINT "esr_leavers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "esr_import_error_reports_created_idx" ON "esr_import_error_reports" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "esr_leaver_imports_created_idx" ON "esr_leaver_imports" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "esr_leavers_assignment_termination_idx" ON "esr_leavers" USING btree ("assignment_hash","termination_date");--> statement-breakpoint
CREATE INDEX "esr_leavers_organisation_month_idx" ON "esr_leavers" USING btree ("organisation_id","termination_date");--> statement-breakpoint
CREATE INDEX "esr_leavers_organisation_group_month_idx" ON "esr_leavers" USING btree ("organisation_id","staff_group","termination_date");--> statement-breakpoint
CREATE INDEX "esr_leavers_import_idx" ON "esr_leavers" USING btree ("import_id");--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_esr_code_unique" UNIQUE("esr_code");