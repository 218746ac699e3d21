CREATE TABLE "insights_page_cache" (
	"format" integer NOT NULL,
	"scope" text NOT NULL,
	"period" text NOT NULL,
	"filter" text NOT NULL,
	"payload" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "insights_page_cache_format_scope_period_filter_pk" PRIMARY KEY("format","scope","period","filter")
);
--> statement-breakpoint
CREATE INDEX "insights_page_cache_expires_idx" ON "insights_page_cache" USING btree ("expires_at");--> statement-breakpoint
-- A change to what /insights lists (organisations: names, slugs, headcounts; their staff-group
-- headcounts; support offers: titles, slugs, sensitive, active, order) empties the page cache in
-- the same transaction, whichever code made it (admin pages, proposals, team moves, seeds).
CREATE FUNCTION insights_page_cache_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM insights_page_cache;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER organisations_insights_page_cache AFTER INSERT OR UPDATE OR DELETE ON organisations
FOR EACH STATEMENT EXECUTE FUNCTION insights_page_cache_clear();
--> statement-breakpoint
CREATE TRIGGER organisation_staff_group_headcounts_insights_page_cache AFTER INSERT OR UPDATE OR DELETE ON organisation_staff_group_headcounts
FOR EACH STATEMENT EXECUTE FUNCTION insights_page_cache_clear();
--> statement-breakpoint
CREATE TRIGGER support_offers_insights_page_cache AFTER INSERT OR UPDATE OR DELETE ON support_offers
FOR EACH STATEMENT EXECUTE FUNCTION insights_page_cache_clear();
