// Catalogue search (issue 9 part 3, docs/decisions/013-catalogue-search.md): PostgreSQL full-text
// search with English stemming, administrators' keywords and the shipped synonym list, ranked;
// a search that finds nothing suggests categories; hostile input gets an answer, not an error.
// On the demo catalogue, on PGlite and (TEST_DATABASE_URL) PostgreSQL.
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows, sql } from "@db/client";
import { adminAudit, supportOffers } from "@db/schema";
import { seedDemoData } from "@db/seed";
import { OFFER_CATEGORIES, SEED_OFFERS } from "@db/seed-data/offers";
import * as model from "~/.server/models/admin/offers.server";
import { isMentalHealthOffer, listActiveOffers } from "~/.server/models/offers.server";
import { expandSearch, normaliseSearch, SEARCH_MAX_LENGTH } from "~/lib/search-synonyms";
import * as editRoute from "~/routes/admin.offers.$offerId";
import * as newRoute from "~/routes/admin.offers.new";
import * as catalogueRoute from "~/routes/support._index";
import { asCurrentUser, createUser } from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();
const db = () => database().db;

beforeAll(async () => {
  await seedDemoData(db(), { now: new Date("2026-03-16T10:30:00Z"), pastRequests: 0 });
}, 120_000);

const slugsFor = async (q: string) => (await listActiveOffers(q)).map((o) => o.slug);

// "Thinking about leaving? Talk to us first" (ADR 034) and the offers that help people stay.
const STAY = ["thinking-of-leaving", "flexible-working", "career-pathways", "retire-and-return"];

// Each word of the issue, and the offer(s) it must put first.
const FIRST: [string, string[]][] = [
  ["anxiety", ["psychological-wellbeing-hub"]],
  ["anxious", ["psychological-wellbeing-hub"]],
  ["stress", ["psychological-wellbeing-hub"]],
  ["burnout", ["psychological-wellbeing-hub"]],
  ["depression", ["psychological-wellbeing-hub"]],
  ["low mood", ["psychological-wellbeing-hub"]],
  ["MSK", ["physiotherapy"]],
  ["back pain", ["physiotherapy"]],
  ["injury", ["physiotherapy"]],
  ["sprain", ["physiotherapy"]],
  ["bills", ["financial-wellbeing"]],
  ["debt", ["financial-wellbeing"]],
  ["money", ["financial-wellbeing"]],
  ["cost of living", ["financial-wellbeing"]],
  ["leaving", STAY],
  ["resign", STAY],
  ["quit", STAY],
  ["resigning", ["thinking-of-leaving"]],
  ["quitting", ["thinking-of-leaving"]],
  ["notice", ["thinking-of-leaving"]],
  ["thinking of leaving", STAY],
  ["nights", ["flexible-working", "carers-support"]],
  ["shifts", ["flexible-working", "carers-support"]],
  ["rota", ["flexible-working", "carers-support"]],
  ["childcare", ["flexible-working", "carers-support"]],
  ["hours", ["flexible-working", "carers-support"]],
  ["pension", ["retire-and-return"]],
  ["retire", ["retire-and-return"]],
];

describe("each word staff use finds its offer first", () => {
  it.each(FIRST)("%s", async (q, expected) => {
    const slugs = await slugsFor(q);
    expect(expected, `${q}: ${slugs.join(", ")}`).toContain(slugs[0]);
  });

  it("finds every offer that helps people stay for 'leaving', and both flexible working and carers for 'childcare'", async () => {
    expect(await slugsFor("leaving")).toEqual(expect.arrayContaining(STAY));
    expect(await slugsFor("childcare")).toEqual(expect.arrayContaining(["flexible-working", "carers-support"]));
  });
});

describe("English stemming", () => {
  it("matches other forms of a word in the offers' own texts", async () => {
    // 'injuries' and 'injury' share the stem 'injuri'; 'budgeting' is in the money summary.
    expect((await slugsFor("injuries"))[0]).toBe("physiotherapy");
    expect((await slugsFor("budgets"))[0]).toBe("financial-wellbeing");
    expect((await slugsFor("apprenticeship"))[0]).toBe("career-pathways");
  });

  it("ranks: a word in the title beats the same word deep in a description", async () => {
    const slugs = await slugsFor("menopause");
    expect(slugs[0]).toBe("menopause-support");
  });
});

describe("keywords edited by an administrator", () => {
  it("take effect at once, are audited, and can be taken away again", async () => {
    expect(await slugsFor("choir")).toEqual([]);
    const admin = asCurrentUser(await createUser({ role: "admin" }));
    const [offer] = await db().select().from(supportOffers).where(eq(supportOffers.slug, "staff-networks"));
    const form = {
      title: offer!.title,
      category: offer!.category,
      summary: offer!.summary,
      body: offer!.body,
      whoFor: offer!.whoFor,
      provider: offer!.provider,
      whatHappensNext: offer!.whatHappensNext,
      firstContactTargetDays: String(offer!.firstContactTargetDays),
      formKind: offer!.formKind,
      teamId: String(offer!.teamId),
    };
    await model.updateOffer(admin, offer!.id, offer!.version, { ...form, keywords: "  choir,\r\n singing  " });
    expect(await slugsFor("choir")).toEqual(["staff-networks"]);
    expect(await slugsFor("sings")).toEqual(["staff-networks"]); // stemmed like the rest
    const [saved] = await db().select().from(supportOffers).where(eq(supportOffers.id, offer!.id));
    expect(saved!.keywords).toBe("choir, singing");
    const audit = await db()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "offer"), eq(adminAudit.entityId, String(offer!.id))))
      .orderBy(asc(adminAudit.id));
    expect(audit.at(-1)!.summary).toContain("search keywords");
    expect(audit.at(-1)!.before).toEqual({ keywords: offer!.keywords });
    expect(audit.at(-1)!.after).toEqual({ keywords: "choir, singing" });

    // Leaving the field out keeps them; a blank field clears them.
    expect(await model.updateOffer(admin, offer!.id, saved!.version, form)).toEqual({ changed: false });
    await model.updateOffer(admin, offer!.id, saved!.version, { ...form, keywords: "" });
    expect(await slugsFor("choir")).toEqual([]);
  });

  it("are length-limited, with a clear message", async () => {
    const admin = asCurrentUser(await createUser({ role: "admin" }));
    const [offer] = await db().select().from(supportOffers).where(eq(supportOffers.slug, "menopause-support"));
    await expect(
      model.updateOffer(admin, offer!.id, offer!.version, {
        title: offer!.title,
        category: offer!.category,
        summary: offer!.summary,
        body: offer!.body,
        whoFor: offer!.whoFor,
        provider: offer!.provider,
        whatHappensNext: offer!.whatHappensNext,
        firstContactTargetDays: String(offer!.firstContactTargetDays),
        formKind: offer!.formKind,
        teamId: String(offer!.teamId),
        keywords: "word ".repeat(200),
      }),
    ).rejects.toMatchObject({ errors: { keywords: "Search keywords must be 500 characters or fewer" } });
  });

  it("are saved from the edit and new offer forms (plain POSTs); too long keeps what was typed", async () => {
    const admin = await createUser({ role: "admin" });
    const cookie = await signInCookie(admin.id);
    const [offer] = await db().select().from(supportOffers).where(eq(supportOffers.slug, "carers-support"));
    const fields = {
      title: offer!.title,
      category: offer!.category,
      summary: offer!.summary,
      body: offer!.body,
      whoFor: offer!.whoFor,
      provider: offer!.provider,
      whatHappensNext: offer!.whatHappensNext,
      firstContactTargetDays: String(offer!.firstContactTargetDays),
      formKind: offer!.formKind,
      teamId: String(offer!.teamId),
      intent: "save",
      version: offer!.version,
    };
    const path = `/admin/offers/${offer!.id}`;
    const params = { offerId: String(offer!.id) };
    const tooLong = "kinship care ".repeat(40);
    const refused = await runRoute(() =>
      editRoute.action({
        request: formRequest(path, { ...fields, keywords: tooLong }, { cookie }),
        params,
        context: {},
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({
      errors: { keywords: "Search keywords must be 500 characters or fewer" },
      values: { keywords: tooLong },
    });
    const saved = await runRoute(() =>
      editRoute.action({
        request: formRequest(path, { ...fields, keywords: "kinship care, young carer" }, { cookie }),
        params,
        context: {},
      }),
    );
    expect(saved.status).toBe(302);
    expect((await slugsFor("kinship"))[0]).toBe("carers-support");

    const created = await runRoute(() =>
      newRoute.action({
        request: formRequest(
          "/admin/offers/new",
          { ...fields, title: "Bicycle loans", slug: "bicycle-loans", keywords: "velocipede" },
          { cookie },
        ),
        params: {},
        context: {},
      }),
    );
    expect(created.status).toBe(302);
    expect(await slugsFor("velocipede")).toEqual(["bicycle-loans"]);
    await db().delete(supportOffers).where(eq(supportOffers.slug, "bicycle-loans"));
  });

  it("of a retired offer find nothing", async () => {
    await db().update(supportOffers).set({ active: false }).where(eq(supportOffers.slug, "education-training-funding"));
    expect(await slugsFor("CPD")).toEqual([]);
    await db().update(supportOffers).set({ active: true }).where(eq(supportOffers.slug, "education-training-funding"));
    expect(await slugsFor("CPD")).toEqual(["education-training-funding"]);
  });
});

describe("the seed's demo keywords", () => {
  const NOW = new Date("2026-03-16T10:30:00Z");
  const keywordsOf = async (slug: string) =>
    (await db().select({ k: supportOffers.keywords }).from(supportOffers).where(eq(supportOffers.slug, slug)))[0]!.k;

  it("are on every demo offer no administrator has saved (tests above edit some)", async () => {
    const rows = await db().select().from(supportOffers).where(eq(supportOffers.version, 1));
    const unedited = SEED_OFFERS.filter((o) => rows.some((r) => r.slug === o.slug));
    expect(unedited.length).toBeGreaterThanOrEqual(SEED_OFFERS.length - 2);
    for (const o of unedited) {
      expect(o.keywords, o.slug).toBeTruthy();
      expect(rows.find((r) => r.slug === o.slug)!.keywords, o.slug).toBe(o.keywords);
    }
  });

  it("fill an offer seeded before keywords existed, but never one an administrator has saved", async () => {
    // As a database seeded before migration 0012: blank keywords, never edited (version 1).
    await db().update(supportOffers).set({ keywords: "" }).where(eq(supportOffers.slug, "physiotherapy"));
    // An administrator cleared them (a save makes version 2), and another wrote their own.
    await db()
      .update(supportOffers)
      .set({ keywords: "", version: 2 })
      .where(eq(supportOffers.slug, "occupational-health"));
    await db()
      .update(supportOffers)
      .set({ keywords: "our own words", version: 2 })
      .where(eq(supportOffers.slug, "clinical-supervision"));
    await seedDemoData(db(), { now: NOW, pastRequests: 0 });
    await seedDemoData(db(), { now: NOW, pastRequests: 0 });
    expect(await keywordsOf("physiotherapy")).toBe(SEED_OFFERS.find((o) => o.slug === "physiotherapy")!.keywords);
    expect(await keywordsOf("occupational-health")).toBe("");
    expect(await keywordsOf("clinical-supervision")).toBe("our own words");
  });
});

type CatalogueData = {
  q: string;
  results: { slug: string }[];
  categories: unknown[];
  suggestions: string[];
  helpNow: boolean;
};

async function catalogue(q: string) {
  const outcome = await runRoute(() =>
    catalogueRoute.loader({ request: getRequest(`/support?${new URLSearchParams({ q })}`), params: {}, context: {} }),
  );
  return { status: outcome.status, data: outcome.data as CatalogueData };
}

describe("a search that finds nothing", () => {
  it("suggests the categories of the catalogue", async () => {
    const { status, data } = await catalogue("zzzz");
    expect(status).toBe(200);
    expect(data.results).toEqual([]);
    expect(data.suggestions).toEqual([...OFFER_CATEGORIES].sort());
  });

  it("finds nothing for words that are all stop words, without an error", async () => {
    const { status, data } = await catalogue("the and of");
    expect(status).toBe(200);
    expect(data.results).toEqual([]);
    expect(data.suggestions.length).toBeGreaterThan(0);
  });
});

describe("a search that finds mental health support shows the crisis numbers above its results", () => {
  it("for the psychological wellbeing hub, or any offer in a mental health category; not for other results", async () => {
    for (const q of ["anxiety", "low mood", "burnout"]) {
      const { data } = await catalogue(q);
      expect(
        data.results.map((r) => r.slug),
        q,
      ).toContain("psychological-wellbeing-hub");
      expect(data.helpNow, q).toBe(true);
    }
    // Clinical supervision is in "Mental health and wellbeing" but has a general form.
    const supervision = await catalogue("clinical supervision");
    expect(supervision.data.results.map((r) => r.slug)).toContain("clinical-supervision");
    expect(supervision.data.results.map((r) => r.slug)).not.toContain("psychological-wellbeing-hub");
    expect(supervision.data.helpNow).toBe(true);
    for (const q of ["MSK", "bills", "pension"]) {
      const { data } = await catalogue(q);
      expect(data.results.length, q).toBeGreaterThan(0);
      expect(data.helpNow, q).toBe(false);
    }
  });

  it("decides by the offer's form or category, whatever its title", () => {
    expect(isMentalHealthOffer({ formKind: "psychological", category: "Anything" })).toBe(true);
    expect(isMentalHealthOffer({ formKind: "general", category: "Mental health and wellbeing" })).toBe(true);
    expect(isMentalHealthOffer({ formKind: "general", category: "mental health" })).toBe(true);
    expect(isMentalHealthOffer({ formKind: "physiotherapy", category: "Physical health" })).toBe(false);
    expect(isMentalHealthOffer({ formKind: "general", category: "Mentally demanding work" })).toBe(false);
  });
});

describe("hostile input gets a sensible answer, never a 500", () => {
  const HOSTILE = [
    `"anxiety`,
    `'; drop table support_offers; --`,
    `anxiety & | ! ( ) :* <-> \\`,
    `anxiety OR -money "low mood"`,
    `%_\\%`,
    "x".repeat(10_240),
    "anxiety\u0000stress",
    "\u0000",
    "😱 anxiety 🔥",
    "\ud800 lone surrogate",
    "   ",
  ];

  it.each(HOSTILE.map((q) => [JSON.stringify(q).slice(0, 40), q]))("%s", async (_label, q) => {
    const { status, data } = await catalogue(q);
    expect(status).toBe(200);
    expect(data.q.length).toBeLessThanOrEqual(SEARCH_MAX_LENGTH);
    expect(data.q).not.toContain("\u0000");
    const [row] = await queryRows<{ n: number | string }>(db(), sql`select count(*) as n from support_offers`);
    expect(Number(row!.n)).toBeGreaterThan(0);
  });

  it("is answered by the model too, when it comes without the page's cleaning", async () => {
    for (const q of HOSTILE) await expect(listActiveOffers(q)).resolves.toBeInstanceOf(Array);
    expect((await listActiveOffers("\ud800anxiety\u0000"))[0]?.slug).toBe("psychological-wellbeing-hub");
  });

  it("still searches with what is left of the words", async () => {
    expect((await catalogue("anxiety\u0000stress")).data.results[0]?.slug).toBe("psychological-wellbeing-hub");
    expect((await catalogue("😱 anxiety 🔥")).data.results[0]?.slug).toBe("psychological-wellbeing-hub");
    expect((await catalogue(`"anxiety`)).data.results[0]?.slug).toBe("psychological-wellbeing-hub");
  });
});

describe("the synonym list and input cleaning (no database)", () => {
  it("expands on whole words and phrases only", () => {
    expect(expandSearch("Thinking of LEAVING")).toEqual(
      expect.arrayContaining(["flexible working", "career pathways", "retire and return"]),
    );
    expect(expandSearch("backpack")).toEqual([]);
    expect(expandSearch("cost of living")).toEqual(["money advice"]);
  });

  it("cuts and cleans what was typed", () => {
    expect(normaliseSearch("a\u0000b\tc\n")).toBe("a b c");
    expect(normaliseSearch("x".repeat(10_000))).toHaveLength(SEARCH_MAX_LENGTH);
    expect(normaliseSearch(null)).toBe("");
  });
});
