-- Backfill for docs/decisions/018-unseen-activity.md (amended after the UX review of issue 9).
-- 0021 marked a request seen only from the access log's "viewed" rows, which exist for sensitive
-- requests only; every other request with a reply, withdrawal or rating counted as "New reply" for
-- its coordinators, flooding My work with finished requests from months ago.
-- Whoever worked on a request saw it: each hub user who wrote an event on it (anyone but the person
-- who asked; never a "viewed" event) has seen it as of their latest such event. Only where they
-- have no row yet, or an older one: seen_at never moves backwards (greatest).
-- (kind::text, as in 0021: enum values added earlier in the same migration run cannot be written as
-- enum literals yet on PostgreSQL.)
INSERT INTO "request_reads" ("user_id", "request_id", "seen_at")
SELECT ev."actor_id", ev."request_id", max(ev."created_at")
FROM "request_events" ev
JOIN "support_requests" sr ON sr."id" = ev."request_id"
WHERE ev."actor_id" IS NOT NULL
  AND ev."actor_id" <> sr."requester_id"
  AND ev."kind"::text <> 'viewed'
GROUP BY ev."actor_id", ev."request_id"
ON CONFLICT ("user_id", "request_id") DO UPDATE
  SET "seen_at" = greatest("request_reads"."seen_at", excluded."seen_at")
  WHERE "request_reads"."seen_at" < excluded."seen_at";
