-- The rollups also sum each request's secret record key (the cell-key perturbation's input,
-- app/lib/insights/cell-key.ts): key_sum for the requests counted, rated_key_sum for the rated ones.
-- Same shape as 0006, with explicit column lists.

CREATE OR REPLACE FUNCTION insight_apply(r "support_requests", sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', r."submitted_at" AT TIME ZONE 'Europe/London')::date;
  rated integer := CASE WHEN r."satisfaction_rating" IS NULL THEN 0 ELSE sign END;
  rating integer := coalesce(r."satisfaction_rating", 0) * sign;
  k bigint := r."record_key"::bigint * sign;
  rk bigint := CASE WHEN r."satisfaction_rating" IS NULL THEN 0 ELSE r."record_key"::bigint * sign END;
  fo integer;
  ff integer;
  fg text;
BEGIN
  FOREACH fo IN ARRAY ARRAY[r."organisation_id", 0] LOOP
    FOREACH fg IN ARRAY ARRAY[r."staff_group", ''] LOOP
      INSERT INTO "insight_cube" AS t ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month", "requests", "rated", "rating_sum", "key_sum", "rated_key_sum")
        VALUES ('offer', fo, 0, fg, r."offer_id"::text, m, sign, rated, rating, k, rk)
      ON CONFLICT ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month") DO UPDATE
        SET "requests" = t."requests" + excluded."requests", "rated" = t."rated" + excluded."rated",
            "rating_sum" = t."rating_sum" + excluded."rating_sum",
            "key_sum" = t."key_sum" + excluded."key_sum", "rated_key_sum" = t."rated_key_sum" + excluded."rated_key_sum";

      FOREACH ff IN ARRAY ARRAY[r."offer_id", 0] LOOP
        INSERT INTO "insight_cube" AS t ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month", "requests", "rated", "rating_sum", "key_sum", "rated_key_sum")
        VALUES ('tenure_band', fo, ff, fg, r."tenure_band"::text, m, sign, rated, rating, k, rk)
        ON CONFLICT ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month") DO UPDATE
          SET "requests" = t."requests" + excluded."requests", "rated" = t."rated" + excluded."rated",
              "rating_sum" = t."rating_sum" + excluded."rating_sum",
            "key_sum" = t."key_sum" + excluded."key_sum", "rated_key_sum" = t."rated_key_sum" + excluded."rated_key_sum";
      END LOOP;

      IF r."first_contact_working_days" IS NOT NULL THEN
        INSERT INTO "insight_first_contact_cube" AS t
        VALUES (fo, fg, r."offer_id", m, r."first_contact_working_days", coalesce(r."first_contact_within_target", false), sign)
        ON CONFLICT ("filter_organisation_id", "filter_staff_group", "offer_id", "month", "working_days", "within_target") DO UPDATE
          SET "requests" = t."requests" + excluded."requests";
      END IF;

      IF r."status" = 'closed' AND r."close_outcome" IS NOT NULL THEN
        INSERT INTO "insight_outcomes_cube" AS t ("filter_organisation_id", "filter_staff_group", "offer_id", "month", "outcome", "requests", "key_sum")
        VALUES (fo, fg, r."offer_id", m, r."close_outcome", sign, k)
        ON CONFLICT ("filter_organisation_id", "filter_staff_group", "offer_id", "month", "outcome") DO UPDATE
          SET "requests" = t."requests" + excluded."requests", "key_sum" = t."key_sum" + excluded."key_sum";
      END IF;
    END LOOP;

    FOREACH ff IN ARRAY ARRAY[r."offer_id", 0] LOOP
      INSERT INTO "insight_cube" AS t ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month", "requests", "rated", "rating_sum", "key_sum", "rated_key_sum")
        VALUES ('staff_group', fo, ff, '', r."staff_group", m, sign, rated, rating, k, rk)
      ON CONFLICT ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month") DO UPDATE
        SET "requests" = t."requests" + excluded."requests", "rated" = t."rated" + excluded."rated",
            "rating_sum" = t."rating_sum" + excluded."rating_sum",
            "key_sum" = t."key_sum" + excluded."key_sum", "rated_key_sum" = t."rated_key_sum" + excluded."rated_key_sum";
    END LOOP;
  END LOOP;

  FOREACH ff IN ARRAY ARRAY[r."offer_id", 0] LOOP
    FOREACH fg IN ARRAY ARRAY[r."staff_group", ''] LOOP
      INSERT INTO "insight_cube" AS t ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month", "requests", "rated", "rating_sum", "key_sum", "rated_key_sum")
        VALUES ('organisation', 0, ff, fg, r."organisation_id"::text, m, sign, rated, rating, k, rk)
      ON CONFLICT ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month") DO UPDATE
        SET "requests" = t."requests" + excluded."requests", "rated" = t."rated" + excluded."rated",
            "rating_sum" = t."rating_sum" + excluded."rating_sum",
            "key_sum" = t."key_sum" + excluded."key_sum", "rated_key_sum" = t."rated_key_sum" + excluded."rated_key_sum";
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rebuild_insight_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "insight_cube";
  DELETE FROM "insight_first_contact_cube";
  DELETE FROM "insight_outcomes_cube";

  -- Each grouping set below is one "this value or all" combination of a breakdown's filters.
  WITH r AS (
    SELECT date_trunc('month', "submitted_at" AT TIME ZONE 'Europe/London')::date AS m, "organisation_id" AS o,
           "offer_id" AS f, "staff_group" AS g, "tenure_band"::text AS b, "satisfaction_rating" AS rating,
           "record_key"::bigint AS k, CASE WHEN "satisfaction_rating" IS NULL THEN 0 ELSE "record_key"::bigint END AS rk
    FROM "support_requests"
  )
  INSERT INTO "insight_cube" ("breakdown", "filter_organisation_id", "filter_offer_id", "filter_staff_group", "dim", "month",
                              "requests", "rated", "rating_sum", "key_sum", "rated_key_sum")
  SELECT 'offer', coalesce(o, 0), 0, coalesce(g, ''), f::text, m, count(*), count(rating), coalesce(sum(rating), 0), sum(k), sum(rk)
  FROM r GROUP BY m, f, GROUPING SETS ((o, g), (o), (g), ())
  UNION ALL
  SELECT 'organisation', 0, coalesce(f, 0), coalesce(g, ''), o::text, m, count(*), count(rating), coalesce(sum(rating), 0), sum(k), sum(rk)
  FROM r GROUP BY m, o, GROUPING SETS ((f, g), (f), (g), ())
  UNION ALL
  SELECT 'staff_group', coalesce(o, 0), coalesce(f, 0), '', g, m, count(*), count(rating), coalesce(sum(rating), 0), sum(k), sum(rk)
  FROM r GROUP BY m, g, GROUPING SETS ((o, f), (o), (f), ())
  UNION ALL
  SELECT 'tenure_band', coalesce(o, 0), coalesce(f, 0), coalesce(g, ''), b, m, count(*), count(rating), coalesce(sum(rating), 0), sum(k), sum(rk)
  FROM r GROUP BY m, b, CUBE (o, f, g);

  INSERT INTO "insight_first_contact_cube" ("filter_organisation_id", "filter_staff_group", "offer_id", "month",
                                            "working_days", "within_target", "requests")
  SELECT coalesce(o, 0), coalesce(g, ''), f, m, d, w, count(*)
  FROM (SELECT date_trunc('month', "submitted_at" AT TIME ZONE 'Europe/London')::date AS m, "organisation_id" AS o,
               "staff_group" AS g, "offer_id" AS f, "first_contact_working_days" AS d,
               coalesce("first_contact_within_target", false) AS w
        FROM "support_requests" WHERE "first_contact_working_days" IS NOT NULL) c
  GROUP BY m, f, d, w, CUBE (o, g);

  INSERT INTO "insight_outcomes_cube" ("filter_organisation_id", "filter_staff_group", "offer_id", "month", "outcome",
                                       "requests", "key_sum")
  SELECT coalesce(o, 0), coalesce(g, ''), f, m, x, count(*), sum(k)
  FROM (SELECT date_trunc('month', "submitted_at" AT TIME ZONE 'Europe/London')::date AS m, "organisation_id" AS o,
               "staff_group" AS g, "offer_id" AS f, "close_outcome" AS x, "record_key"::bigint AS k
        FROM "support_requests" WHERE "status" = 'closed' AND "close_outcome" IS NOT NULL) c
  GROUP BY m, f, x, CUBE (o, g);
END $$;
--> statement-breakpoint
SELECT rebuild_insight_rollups();
