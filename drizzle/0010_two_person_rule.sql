ALTER TYPE "public"."access_action" ADD VALUE 'unassigned';--> statement-breakpoint
ALTER TYPE "public"."access_action" ADD VALUE 'transferred';--> statement-breakpoint
CREATE TABLE "admin_proposals" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "admin_proposals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"offer_id" integer,
	"team_id" integer,
	"user_id" text,
	"change" jsonb NOT NULL,
	"target_version" integer NOT NULL,
	"summary" text NOT NULL,
	"proposed_by_id" text NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_by_id" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "pinned_team_id" integer;--> statement-breakpoint
ALTER TABLE "admin_proposals" ADD CONSTRAINT "admin_proposals_offer_id_support_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."support_offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_proposals" ADD CONSTRAINT "admin_proposals_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_proposals" ADD CONSTRAINT "admin_proposals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_proposals" ADD CONSTRAINT "admin_proposals_proposed_by_id_users_id_fk" FOREIGN KEY ("proposed_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_proposals" ADD CONSTRAINT "admin_proposals_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_proposals_status_expires_idx" ON "admin_proposals" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "admin_proposals_offer_idx" ON "admin_proposals" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "admin_proposals_team_idx" ON "admin_proposals" USING btree ("team_id");--> statement-breakpoint
ALTER TABLE "support_requests" ADD CONSTRAINT "support_requests_pinned_team_id_teams_id_fk" FOREIGN KEY ("pinned_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_requests_pinned_team_idx" ON "support_requests" USING btree ("pinned_team_id","offer_id") WHERE pinned_team_id is not null;