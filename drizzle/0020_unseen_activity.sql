CREATE TABLE "request_reads" (
	"user_id" text NOT NULL,
	"request_id" integer NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "request_reads_user_id_request_id_pk" PRIMARY KEY("user_id","request_id")
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "short_name" text;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "last_requester_activity_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "last_updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "request_reads" ADD CONSTRAINT "request_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_reads" ADD CONSTRAINT "request_reads_request_id_support_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."support_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_reads_request_idx" ON "request_reads" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "support_requests_assignee_activity_idx" ON "support_requests" USING btree ("assignee_id","last_requester_activity_at","id") WHERE last_requester_activity_at is not null;