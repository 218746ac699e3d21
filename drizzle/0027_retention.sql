ALTER TABLE "job_runs" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "result" jsonb;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "retention_hold" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "email_verification_tokens_expires_idx" ON "email_verification_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "mail_outbox_retention_idx" ON "mail_outbox" USING btree ("sent_at","id") WHERE status = 'sent' and text_body <> '';--> statement-breakpoint
CREATE INDEX "support_requests_retention_idx" ON "support_requests" USING btree ("closed_at","id") WHERE status in ('closed', 'withdrawn') and anonymised_at is null;--> statement-breakpoint
CREATE INDEX "users_retention_disabled_idx" ON "users" USING btree ("disabled_at","id") WHERE disabled_at is not null and erased_at is null;