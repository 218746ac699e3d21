CREATE TABLE "organisation_staff_group_headcounts" (
	"organisation_id" integer NOT NULL,
	"staff_group" text NOT NULL,
	"headcount" integer NOT NULL,
	CONSTRAINT "organisation_staff_group_headcounts_organisation_id_staff_group_pk" PRIMARY KEY("organisation_id","staff_group"),
	CONSTRAINT "organisation_staff_group_headcounts_headcount_check" CHECK ("organisation_staff_group_headcounts"."headcount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "organisation_staff_group_headcounts" ADD CONSTRAINT "organisation_staff_group_headcounts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;