CREATE TYPE "public"."reservist_invitation_status" AS ENUM('invited', 'accepted', 'declined');--> statement-breakpoint
CREATE TABLE "reservist_invitations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reservist_invitations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"need_id" integer NOT NULL,
	"reservist_user_id" text,
	"status" "reservist_invitation_status" DEFAULT 'invited' NOT NULL,
	"invited_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"responded_at" timestamp with time zone,
	"record_key" integer DEFAULT floor(random() * 1048576)::int NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reservist_need_skills" (
	"need_id" integer NOT NULL,
	"skill_id" integer NOT NULL,
	CONSTRAINT "reservist_need_skills_need_id_skill_id_pk" PRIMARY KEY("need_id","skill_id")
);
--> statement-breakpoint
CREATE TABLE "reservist_needs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reservist_needs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"place" text NOT NULL,
	"staff_group" text NOT NULL,
	"registration_body" text,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"hours_per_week" integer NOT NULL,
	"places_wanted" integer NOT NULL,
	"reason" text NOT NULL,
	"record_key" integer DEFAULT floor(random() * 1048576)::int NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reservist_places" (
	"user_id" text NOT NULL,
	"organisation_id" integer NOT NULL,
	CONSTRAINT "reservist_places_user_id_organisation_id_pk" PRIMARY KEY("user_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "reservist_skill_choices" (
	"user_id" text NOT NULL,
	"skill_id" integer NOT NULL,
	CONSTRAINT "reservist_skill_choices_user_id_skill_id_pk" PRIMARY KEY("user_id","skill_id")
);
--> statement-breakpoint
CREATE TABLE "reservist_skills" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reservist_skills_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"label" text NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reservist_skills_slug_unique" UNIQUE("slug"),
	CONSTRAINT "reservist_skills_label_unique" UNIQUE("label")
);
--> statement-breakpoint
CREATE TABLE "reservists" (
	"user_id" text PRIMARY KEY NOT NULL,
	"registration_body" text NOT NULL,
	"registration_number" text,
	"staff_group" text NOT NULL,
	"hours_per_week" integer NOT NULL,
	"days" text[] NOT NULL,
	"available_from" date NOT NULL,
	"available_until" date,
	"dbs_current" boolean NOT NULL,
	"contact_email" text NOT NULL,
	"paused_at" timestamp with time zone,
	"last_confirmed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reminder_sent_at" timestamp with time zone,
	"record_key" integer DEFAULT floor(random() * 1048576)::int NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reservist_invitations" ADD CONSTRAINT "reservist_invitations_need_id_reservist_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."reservist_needs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_invitations" ADD CONSTRAINT "reservist_invitations_reservist_user_id_reservists_user_id_fk" FOREIGN KEY ("reservist_user_id") REFERENCES "public"."reservists"("user_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_invitations" ADD CONSTRAINT "reservist_invitations_invited_by_id_users_id_fk" FOREIGN KEY ("invited_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_need_skills" ADD CONSTRAINT "reservist_need_skills_need_id_reservist_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."reservist_needs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_need_skills" ADD CONSTRAINT "reservist_need_skills_skill_id_reservist_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."reservist_skills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_needs" ADD CONSTRAINT "reservist_needs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_needs" ADD CONSTRAINT "reservist_needs_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_places" ADD CONSTRAINT "reservist_places_user_id_reservists_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."reservists"("user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_places" ADD CONSTRAINT "reservist_places_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_skill_choices" ADD CONSTRAINT "reservist_skill_choices_user_id_reservists_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."reservists"("user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservist_skill_choices" ADD CONSTRAINT "reservist_skill_choices_skill_id_reservist_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."reservist_skills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservists" ADD CONSTRAINT "reservists_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reservist_invitations_need_user_idx" ON "reservist_invitations" USING btree ("need_id","reservist_user_id");--> statement-breakpoint
CREATE INDEX "reservist_invitations_user_idx" ON "reservist_invitations" USING btree ("reservist_user_id","created_at");--> statement-breakpoint
CREATE INDEX "reservist_needs_created_idx" ON "reservist_needs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "reservist_needs_org_idx" ON "reservist_needs" USING btree ("organisation_id","start_date");--> statement-breakpoint
CREATE INDEX "reservist_places_org_idx" ON "reservist_places" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "reservist_skill_choices_skill_idx" ON "reservist_skill_choices" USING btree ("skill_id");--> statement-breakpoint
CREATE INDEX "reservists_matching_idx" ON "reservists" USING btree ("available_from","available_until") WHERE paused_at is null;--> statement-breakpoint
CREATE INDEX "reservists_reminder_idx" ON "reservists" USING btree ("last_confirmed_at") WHERE reminder_sent_at is null;--> statement-breakpoint
CREATE INDEX "reservists_group_idx" ON "reservists" USING btree ("staff_group");--> statement-breakpoint
-- ---- DATA (issue 14 part 2): the starting list of reservist roles and skills, kept afterwards by
-- administrators at /admin/reservist-skills. Re-append by hand after regenerating the DDL above.
INSERT INTO "reservist_skills" ("slug", "label") VALUES
  ('registered-nurse-adult', 'Registered nurse — adult'),
  ('healthcare-support-worker', 'Healthcare support worker'),
  ('vaccinator', 'Vaccinator'),
  ('ward-clerk', 'Ward clerk'),
  ('physiotherapist', 'Physiotherapist'),
  ('social-worker', 'Social worker'),
  ('care-worker', 'Care worker'),
  ('administrator', 'Administrator')
ON CONFLICT ("slug") DO NOTHING;
