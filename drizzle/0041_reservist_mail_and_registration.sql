-- Review of issue 14 (ADR 040, addendum 2026-11-30). If two profiles already hold the same
-- (registration_body, registration_number), the unique index cannot be built and this migration
-- stops, on purpose: which of them holds the registration is for the people hub to find out, not
-- for a migration to guess. The contact_email copy goes: bank mail works out the address at send time.
CREATE UNIQUE INDEX "reservists_registration_idx" ON "reservists" USING btree ("registration_body","registration_number") WHERE registration_number is not null;--> statement-breakpoint
ALTER TABLE "reservists" DROP COLUMN "contact_email";