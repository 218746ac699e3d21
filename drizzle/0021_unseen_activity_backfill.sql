-- Backfill for docs/decisions/015-unseen-activity.md.
-- last_updated_at: the latest timeline event by anyone (never "viewed"), or the rating, or the submission.
-- last_requester_activity_at: the person's latest reply, withdrawal or consent change, or their rating.
-- (kind::text: migrations run in one transaction on PostgreSQL, where enum values added earlier in
-- it, such as consent_given, cannot be written as enum literals yet.)
-- Nobody has a request_reads row yet, so every request with activity by the person shows "New reply"
-- to every coordinator until they open it (the safe side: an old reply is looked at once more).
UPDATE "support_requests" AS r SET
  "last_updated_at" = greatest(r."submitted_at", r."rated_at", e."last_event_at"),
  "last_requester_activity_at" = CASE
    WHEN e."last_requester_event_at" IS NULL AND r."rated_at" IS NULL THEN NULL
    ELSE greatest(e."last_requester_event_at", r."rated_at")
  END
FROM (
  SELECT sr."id" AS "request_id",
    (SELECT max(ev."created_at") FROM "request_events" ev WHERE ev."request_id" = sr."id" AND ev."kind"::text <> 'viewed') AS "last_event_at",
    (SELECT max(ev."created_at") FROM "request_events" ev
      WHERE ev."request_id" = sr."id" AND ev."actor_id" = sr."requester_id"
        AND ev."kind"::text IN ('message_from_staff', 'withdrawn', 'consent_withdrawn', 'consent_given')) AS "last_requester_event_at"
  FROM "support_requests" sr
) AS e
WHERE e."request_id" = r."id";
--> statement-breakpoint
-- Each coordinator has already seen a request as of their latest recorded view (ADR 011's access log).
INSERT INTO "request_reads" ("user_id", "request_id", "seen_at")
SELECT "actor_id", "request_id", max("created_at") FROM "request_access_log" WHERE "action" = 'viewed'
GROUP BY "actor_id", "request_id"
ON CONFLICT ("user_id", "request_id") DO NOTHING;
