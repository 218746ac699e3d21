-- Backfill: the priority existing requests would have been given at submission (priorityOf in
-- app/schemas/request-forms.ts): the safety answer first, then the urgent flag.
UPDATE "support_requests" SET "priority" = CASE
  WHEN "answers"->>'safety' = 'at_risk' THEN 'at_risk'::request_priority
  WHEN "answers"->>'safety' = 'unsure' THEN 'safety_check'::request_priority
  WHEN "urgent" THEN 'urgent'::request_priority
  ELSE 'normal'::request_priority
END;
