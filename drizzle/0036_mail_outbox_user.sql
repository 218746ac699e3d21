ALTER TABLE "mail_outbox" ADD COLUMN "user_id" text;--> statement-breakpoint
CREATE INDEX "mail_outbox_user_idx" ON "mail_outbox" USING btree ("user_id");--> statement-breakpoint
-- Mail already queued: whose address it is now (the best that can be known after the fact).
UPDATE "mail_outbox" m SET "user_id" = u."id" FROM "users" u WHERE lower(u."email") = lower(m."to_address");
