CREATE TYPE "public"."request_priority" AS ENUM('at_risk', 'safety_check', 'urgent', 'normal');--> statement-breakpoint
ALTER TABLE "support_offers" ADD COLUMN "urgent_cutoff_hour" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "support_offers" ADD COLUMN "urgent_next_day_hour" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "priority" "request_priority" DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "urgent_contact_email" text;--> statement-breakpoint
CREATE INDEX "support_requests_risk_uncontacted_idx" ON "support_requests" USING btree ("submitted_at","id") WHERE priority in ('at_risk', 'safety_check') and first_contact_at is null and status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred');