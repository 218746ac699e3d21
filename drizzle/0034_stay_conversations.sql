CREATE TYPE "public"."retention_outcome" AS ENUM('stayed_in_role', 'moved_within_organisation', 'moved_to_ics_organisation', 'left_ics', 'retired_returning', 'retired_not_returning', 'not_known');--> statement-breakpoint
ALTER TYPE "public"."form_kind" ADD VALUE 'thinking_of_leaving';--> statement-breakpoint
CREATE TABLE "stay_conversation_answers" (
	"request_id" integer NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	CONSTRAINT "stay_conversation_answers_request_id_question_answer_pk" PRIMARY KEY("request_id","question","answer")
);
--> statement-breakpoint
ALTER TABLE "support_requests" ADD COLUMN "retention_outcome" "retention_outcome";--> statement-breakpoint
ALTER TABLE "stay_conversation_answers" ADD CONSTRAINT "stay_conversation_answers_request_id_support_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."support_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stay_conversation_answers_question_idx" ON "stay_conversation_answers" USING btree ("question","answer");