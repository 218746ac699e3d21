CREATE TABLE "leaving_contacts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "leaving_contacts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"response_id" integer NOT NULL,
	"name" text NOT NULL,
	"personal_email" text NOT NULL,
	"token_hash" text,
	"token_expires_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leaving_contacts_response_id_unique" UNIQUE("response_id"),
	CONSTRAINT "leaving_contacts_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "leaving_links" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "leaving_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"email_hash" text NOT NULL,
	"leaving_date" date NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "leaving_links_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "leaving_response_choices" (
	"response_id" integer NOT NULL,
	"question" text NOT NULL,
	"value" text NOT NULL,
	"offer_id" integer,
	CONSTRAINT "leaving_response_choices_response_id_question_value_pk" PRIMARY KEY("response_id","question","value")
);
--> statement-breakpoint
CREATE TABLE "leaving_responses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "leaving_responses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" text,
	"link_id" integer,
	"organisation_id" integer NOT NULL,
	"staff_group" text,
	"tenure_band" text,
	"leaving_date" date NOT NULL,
	"destination" text NOT NULL,
	"main_reason" text NOT NULL,
	"details" text,
	"used_support" boolean NOT NULL,
	"would_return" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"anonymised_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "leaving_contacts" ADD CONSTRAINT "leaving_contacts_response_id_leaving_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."leaving_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaving_links" ADD CONSTRAINT "leaving_links_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaving_links" ADD CONSTRAINT "leaving_links_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaving_response_choices" ADD CONSTRAINT "leaving_response_choices_response_id_leaving_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."leaving_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaving_response_choices" ADD CONSTRAINT "leaving_response_choices_offer_id_support_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."support_offers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaving_responses" ADD CONSTRAINT "leaving_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaving_responses" ADD CONSTRAINT "leaving_responses_link_id_leaving_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."leaving_links"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leaving_responses" ADD CONSTRAINT "leaving_responses_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leaving_contacts_verified_idx" ON "leaving_contacts" USING btree ("verified_at");--> statement-breakpoint
CREATE INDEX "leaving_links_email_idx" ON "leaving_links" USING btree ("email_hash","expires_at");--> statement-breakpoint
CREATE INDEX "leaving_links_created_idx" ON "leaving_links" USING btree ("created_by_id","created_at");--> statement-breakpoint
CREATE INDEX "leaving_links_expires_idx" ON "leaving_links" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "leaving_response_choices_question_idx" ON "leaving_response_choices" USING btree ("question","value");--> statement-breakpoint
CREATE UNIQUE INDEX "leaving_responses_user_idx" ON "leaving_responses" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "leaving_responses_org_idx" ON "leaving_responses" USING btree ("organisation_id","leaving_date");--> statement-breakpoint
CREATE INDEX "leaving_responses_retention_idx" ON "leaving_responses" USING btree ("created_at","id") WHERE anonymised_at is null;