-- ADR 040, addendum "registration numbers are not refused": the index stays (the need page's
-- duplicate check is a lookup on it) but is no longer unique, so a number typed first by someone
-- else cannot lock its holder out, and saving no longer tells anyone whether a number is in the bank.
DROP INDEX "reservists_registration_idx";--> statement-breakpoint
CREATE INDEX "reservists_registration_idx" ON "reservists" USING btree ("registration_body","registration_number") WHERE registration_number is not null;