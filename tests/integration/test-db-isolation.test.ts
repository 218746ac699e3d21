// Each test file has a database of its own: rows written here are never seen by another file.
import { describe, expect, it } from "vitest";
import { supportOffers } from "@db/schema";
import { createOffer } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();

describe("per-file database", () => {
  it("starts empty and migrated", async () => {
    expect(await database().db.select().from(supportOffers)).toEqual([]);
  });

  it("keeps writes within the file", async () => {
    await createOffer({ slug: "isolation-check" });
    expect(await database().db.select().from(supportOffers)).toHaveLength(1);
  });
});
