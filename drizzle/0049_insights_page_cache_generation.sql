-- The page store's generation (ADR 041, night addendum, lead after review h-rev): a page is stored
-- with the generation read before it was computed, and only rows of the current generation are
-- read. A change to organisations, headcounts or offers bumps it in its own transaction, so a page
-- computed from the old data is never served, even when its write lands after the change emptied
-- the table. Stored pages are disposable: the table is emptied before the column is added.
CREATE TABLE "insights_page_cache_generation" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"generation" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "insights_page_cache_generation_one_row" CHECK (id)
);
--> statement-breakpoint
INSERT INTO "insights_page_cache_generation" ("id", "generation") VALUES (true, 0);
--> statement-breakpoint
DELETE FROM "insights_page_cache";
--> statement-breakpoint
ALTER TABLE "insights_page_cache" ADD COLUMN "generation" bigint NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION insights_page_cache_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- An upsert: the row's absence (a table emptied by hand) must not turn the bump into a no-op.
  INSERT INTO insights_page_cache_generation (id, generation) VALUES (true, 1)
    ON CONFLICT (id) DO UPDATE SET generation = insights_page_cache_generation.generation + 1;
  DELETE FROM insights_page_cache;
  RETURN NULL;
END;
$$;
