-- Manager insights read rollups, never request rows (docs/decisions/006-insights-rollups.md).
-- 1. Backfill the snapshot columns added in 0001 on requests made before them.
-- 2. insight_apply() adds (sign 1) or removes (sign -1) one request's part of the three rollups;
--    triggers call it on every insert, relevant update and delete of support_requests, in the
--    same transaction, so the rollups are always exactly current.
-- 3. rebuild_insight_rollups() recomputes them from scratch (after a bulk load, which sets
--    staywell.bulk_load = 'on' for its transaction so the triggers stand aside).
-- Tenure bands here must match tenureBand() in app/lib/insights/facts.ts.

UPDATE "support_requests" AS r
SET "staff_group" = u."staff_group",
    "tenure_band" = (CASE
      WHEN extract(year FROM age((r."submitted_at" AT TIME ZONE 'Europe/London')::date, u."start_date")) < 1 THEN 'under_1'
      WHEN extract(year FROM age((r."submitted_at" AT TIME ZONE 'Europe/London')::date, u."start_date")) < 2 THEN '1_to_2'
      WHEN extract(year FROM age((r."submitted_at" AT TIME ZONE 'Europe/London')::date, u."start_date")) < 5 THEN '2_to_5'
      ELSE '5_plus' END)::"tenure_band"
FROM "users" AS u
WHERE u."id" = r."requester_id" AND r."staff_group" IS NULL;
--> statement-breakpoint
-- Earlier first contacts: weekdays after the day of submission up to and including the day of
-- contact (bank holidays are not known to SQL; new contacts are counted by the app's calendar).
UPDATE "support_requests"
SET "first_contact_working_days" = (
      SELECT count(*)::integer
      FROM generate_series(("submitted_at" AT TIME ZONE 'Europe/London')::date + 1,
                           ("first_contact_at" AT TIME ZONE 'Europe/London')::date, interval '1 day') AS d
      WHERE extract(isodow FROM d) < 6),
    "first_contact_within_target" = "first_contact_at" <= "due_at"
WHERE "first_contact_at" IS NOT NULL AND "first_contact_working_days" IS NULL;
--> statement-breakpoint
CREATE FUNCTION insight_apply(r "support_requests", sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', r."submitted_at" AT TIME ZONE 'Europe/London')::date;
BEGIN
  INSERT INTO "insight_requests" AS t ("month", "organisation_id", "offer_id", "staff_group", "tenure_band", "requests", "rated", "rating_sum")
  VALUES (m, r."organisation_id", r."offer_id", r."staff_group", r."tenure_band", sign,
          CASE WHEN r."satisfaction_rating" IS NULL THEN 0 ELSE sign END,
          coalesce(r."satisfaction_rating", 0) * sign)
  ON CONFLICT ("month", "organisation_id", "offer_id", "staff_group", "tenure_band") DO UPDATE
    SET "requests" = t."requests" + excluded."requests",
        "rated" = t."rated" + excluded."rated",
        "rating_sum" = t."rating_sum" + excluded."rating_sum";

  IF r."first_contact_working_days" IS NOT NULL THEN
    INSERT INTO "insight_first_contact" AS t ("month", "organisation_id", "offer_id", "staff_group", "working_days", "within_target", "requests")
    VALUES (m, r."organisation_id", r."offer_id", r."staff_group", r."first_contact_working_days",
            coalesce(r."first_contact_within_target", false), sign)
    ON CONFLICT ("month", "organisation_id", "offer_id", "staff_group", "working_days", "within_target") DO UPDATE
      SET "requests" = t."requests" + excluded."requests";
  END IF;

  IF r."status" = 'closed' AND r."close_outcome" IS NOT NULL THEN
    INSERT INTO "insight_outcomes" AS t ("month", "organisation_id", "offer_id", "staff_group", "outcome", "requests")
    VALUES (m, r."organisation_id", r."offer_id", r."staff_group", r."close_outcome", sign)
    ON CONFLICT ("month", "organisation_id", "offer_id", "staff_group", "outcome") DO UPDATE
      SET "requests" = t."requests" + excluded."requests";
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION insight_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('staywell.bulk_load', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM insight_apply(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM insight_apply(NEW, 1);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "support_requests_insight_rollup"
AFTER INSERT OR DELETE ON "support_requests"
FOR EACH ROW EXECUTE FUNCTION insight_rollup_trigger();
--> statement-breakpoint
-- Most hub actions (assign, notes, triage) change nothing the rollups count: skip them.
CREATE TRIGGER "support_requests_insight_rollup_update"
AFTER UPDATE ON "support_requests"
FOR EACH ROW
WHEN ((OLD."submitted_at", OLD."organisation_id", OLD."offer_id", OLD."staff_group", OLD."tenure_band",
       OLD."satisfaction_rating", OLD."first_contact_working_days", OLD."first_contact_within_target",
       OLD."status" = 'closed', OLD."close_outcome")
      IS DISTINCT FROM
      (NEW."submitted_at", NEW."organisation_id", NEW."offer_id", NEW."staff_group", NEW."tenure_band",
       NEW."satisfaction_rating", NEW."first_contact_working_days", NEW."first_contact_within_target",
       NEW."status" = 'closed', NEW."close_outcome"))
EXECUTE FUNCTION insight_rollup_trigger();
--> statement-breakpoint
CREATE FUNCTION rebuild_insight_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "insight_requests";
  DELETE FROM "insight_first_contact";
  DELETE FROM "insight_outcomes";

  INSERT INTO "insight_requests" ("month", "organisation_id", "offer_id", "staff_group", "tenure_band", "requests", "rated", "rating_sum")
  SELECT date_trunc('month', "submitted_at" AT TIME ZONE 'Europe/London')::date, "organisation_id", "offer_id", "staff_group", "tenure_band",
         count(*), count("satisfaction_rating"), coalesce(sum("satisfaction_rating"), 0)
  FROM "support_requests"
  GROUP BY 1, 2, 3, 4, 5;

  INSERT INTO "insight_first_contact" ("month", "organisation_id", "offer_id", "staff_group", "working_days", "within_target", "requests")
  SELECT date_trunc('month', "submitted_at" AT TIME ZONE 'Europe/London')::date, "organisation_id", "offer_id", "staff_group",
         "first_contact_working_days", coalesce("first_contact_within_target", false), count(*)
  FROM "support_requests"
  WHERE "first_contact_working_days" IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6;

  INSERT INTO "insight_outcomes" ("month", "organisation_id", "offer_id", "staff_group", "outcome", "requests")
  SELECT date_trunc('month', "submitted_at" AT TIME ZONE 'Europe/London')::date, "organisation_id", "offer_id", "staff_group",
         "close_outcome", count(*)
  FROM "support_requests"
  WHERE "status" = 'closed' AND "close_outcome" IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5;
END $$;
--> statement-breakpoint
SELECT rebuild_insight_rollups();
