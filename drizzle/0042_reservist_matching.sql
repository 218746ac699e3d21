ALTER TYPE "public"."reservist_invitation_status" ADD VALUE 'withdrawn';--> statement-breakpoint
DROP INDEX "reservists_matching_idx";--> statement-breakpoint
DROP INDEX "reservist_skill_choices_skill_idx";--> statement-breakpoint
ALTER TABLE "reservist_invitations" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reservist_needs" ADD COLUMN "days" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "reservist_needs" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "reservist_skill_choices_skill_idx" ON "reservist_skill_choices" USING btree ("skill_id","user_id");