DROP INDEX "support_requests_open_insight_idx";--> statement-breakpoint
ALTER TABLE "insight_cube" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "insight_cube" ADD COLUMN "rated_key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "insight_outcomes_cube" ADD COLUMN "key_sum" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "record_key" integer DEFAULT floor(random() * 1048576)::int NOT NULL;--> statement-breakpoint
CREATE INDEX "support_requests_open_insight_idx" ON "support_requests" USING btree ("organisation_id","offer_id","staff_group","submitted_at","due_at","first_contact_at","paused_at","record_key") WHERE status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred');