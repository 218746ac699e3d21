CREATE TYPE "public"."auth_throttle_kind" AS ENUM('sign_in_failure', 'sign_up', 'account_mail', 'sign_in_warning');--> statement-breakpoint
CREATE TABLE "auth_throttle_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "auth_throttle_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" "auth_throttle_kind" NOT NULL,
	"client" text,
	"email_hash" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "auth_throttle_client_idx" ON "auth_throttle_events" USING btree ("kind","client","occurred_at");--> statement-breakpoint
CREATE INDEX "auth_throttle_address_idx" ON "auth_throttle_events" USING btree ("kind","email_hash","occurred_at");--> statement-breakpoint
CREATE INDEX "auth_throttle_pair_idx" ON "auth_throttle_events" USING btree ("kind","email_hash","client","occurred_at");--> statement-breakpoint
CREATE INDEX "auth_throttle_time_idx" ON "auth_throttle_events" USING btree ("occurred_at");