// The insights page (/insights) and its CSV (/insights.csv): their loaders called as Remix calls
// them, on PGlite and PostgreSQL. Who may see them; an organisation's manager never reaches another
// organisation's figures by any URL; the page (rendered from the loader's data) and the CSV show
// the same tables, cell for cell.
import { randomUUID } from "node:crypto";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import type { Organisation, SupportOffer } from "@db/schema";
import type { InsightsPageData } from "~/.server/models/insights.server";
import * as csvRoute from "~/routes/insights[.]csv";
import * as pageRoute from "~/routes/insights";
import { loader as rootLoader } from "~/root";
import { createOffer, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { getRequest, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";
import { parseCsv } from "../helpers/csv";

useTestDatabase();

// ---------------------------------------------------------------------------------------------
// helpers

type Outcome =
  | { status: 200; data: InsightsPageData }
  | { status: number; location: string | null };

/** Runs the page loader; a thrown Response or data() becomes its status. */
async function page(user: TestUser | null, query = ""): Promise<Outcome> {
  const cookie = user ? await cookieOf(user) : undefined;
  try {
    const data = (await pageRoute.loader({ request: getRequest(`/insights${query}`, { cookie }), params: {}, context: {} })) as InsightsPageData;
    return { status: 200, data };
  } catch (err) {
    return thrown(err);
  }
}

/** Runs the CSV loader: the Response, or the status of what it threw. */
async function csv(user: TestUser | null, query = ""): Promise<{ status: number; response?: Response; location?: string | null }> {
  const cookie = user ? await cookieOf(user) : undefined;
  try {
    const response = (await csvRoute.loader({ request: getRequest(`/insights.csv${query}`, { cookie }), params: {}, context: {} })) as Response;
    return { status: response.status, response };
  } catch (err) {
    return thrown(err);
  }
}

function thrown(err: unknown): { status: number; location: string | null } {
  if (err instanceof Response) return { status: err.status, location: err.headers.get("Location") };
  const d = err as { type?: string; init?: ResponseInit | null } | null;
  if (d && typeof d === "object" && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, location: null };
  throw err;
}

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

/** The page as the server renders it (the route's component, given the loader's data). */
function renderPage(data: InsightsPageData): string {
  return renderToStaticMarkup(createElement(pageRoute.InsightsPage, { data }));
}

function decode(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, "\u00a0")
    .replace(/&amp;/g, "&")
    .trim();
}

/** The page's visible text (tags dropped, entities decoded). */
function pageText(html: string): string {
  return decode(html.replace(/<title[^>]*>[\s\S]*?<\/title>/g, " ").replace(/>/g, "> "));
}

interface ParsedTable {
  id: string;
  caption: string;
  header: string[];
  rows: string[][];
}

/** The HTML tables of the rendered page, by id, in page order. */
function htmlTables(html: string): ParsedTable[] {
  const tables: ParsedTable[] = [];
  for (const match of html.matchAll(/<table\b[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/table>/g)) {
    const [, id, body] = match;
    const caption = decode(/<caption\b[^>]*>([\s\S]*?)<\/caption>/.exec(body!)?.[1] ?? "");
    const rows = [...body!.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((tr) =>
      [...tr[1]!.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1]!)),
    );
    tables.push({ id: id!, caption, header: rows[0] ?? [], rows: rows.slice(1) });
  }
  return tables;
}

/** The CSV's tables: after the header lines, blocks of [caption], [header], rows… separated by blank lines. */
function csvTables(rows: string[][]): { caption: string; header: string[]; rows: string[][] }[] {
  const blocks: string[][][] = [];
  let current: string[][] | null = null;
  for (const row of rows) {
    if (row.length === 1 && row[0] === "") {
      current = [];
      blocks.push(current);
    } else if (current) current.push(row);
  }
  return blocks.map(([caption, header, ...rest]) => ({ caption: caption![0]!, header: header!, rows: rest }));
}

async function csvText(response: Response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
}

/** Requests straight into the table (the triggers keep the rollups), made a few days ago. */
async function addRequests(organisationId: number, offerId: number, n: number, staffGroup = "nursing_midwifery") {
  const requester = await createUser({ organisationId });
  const submitted = new Date(Date.now() - 3 * 24 * 3600 * 1000);
  for (let k = 0; k < n; k++) {
    await queryRows(
      getDb(),
      sql`insert into support_requests (reference, requester_id, organisation_id, offer_id, status, answers, contact_method,
                                        submission_key, submitted_at, due_at, staff_group, tenure_band)
          values (${`SW-2031-${randomUUID().slice(0, 8)}`}, ${requester.id}, ${organisationId}, ${offerId}, 'new', '{}'::jsonb, 'email',
                  ${randomUUID()}, ${submitted.toISOString()}::timestamptz, ${submitted.toISOString()}::timestamptz,
                  ${staffGroup}, '2_to_5')`,
    );
  }
  return requester;
}

// ---------------------------------------------------------------------------------------------
// the data: organisation A (13 requests of the offer) and B (29 of it)

let orgA: Organisation & { domains: string[] };
let orgB: Organisation & { domains: string[] };
let offer: SupportOffer;
let managerA: TestUser;
let managerIcs: TestUser;
let requesterNames: string[];

beforeAll(async () => {
  orgA = await createOrganisation({ headcount: 2600 });
  orgB = await createOrganisation({ headcount: 4100 });
  offer = await createOffer({ title: "Routes test support" });
  const a = await addRequests(orgA.id, offer.id, 13);
  const b = await addRequests(orgB.id, offer.id, 29, "allied_health");
  requesterNames = [a.name, b.name];
  managerA = await createUser({ role: "manager", organisationId: orgA.id, managesOrganisationId: orgA.id });
  managerIcs = await createUser({ role: "manager" });
});

// Most checks filter by the offer, so other tests' data (none so far) could not change the counts.
const OFFER = () => `offer=${offer.slug}`;

describe("who may see insights", () => {
  it("answers 403 to staff, coordinators and administrators, on the page and the CSV", async () => {
    for (const role of ["staff", "coordinator", "admin"] as const) {
      const user = await createUser({ role, organisationId: orgA.id });
      expect((await page(user)).status, `${role} /insights`).toBe(403);
      expect((await csv(user)).status, `${role} /insights.csv`).toBe(403);
    }
  });

  it("sends someone not signed in to sign in, and back to the same address", async () => {
    const p = await page(null, "?from=2026-01");
    expect(p).toMatchObject({ status: 302, location: `/login?redirectTo=${encodeURIComponent("/insights?from=2026-01")}` });
    const c = await csv(null);
    expect(c).toMatchObject({ status: 302, location: `/login?redirectTo=${encodeURIComponent("/insights.csv")}` });
  });
});

describe("the header's Insights link", () => {
  it("is offered to managers only", async () => {
    const headerFor = async (user: TestUser) =>
      ((await rootLoader({ request: getRequest("/", { cookie: await cookieOf(user) }), params: {}, context: {} })) as {
        user: { canSeeInsights: boolean } | null;
      }).user;
    expect(await headerFor(managerA)).toMatchObject({ canSeeInsights: true });
    expect(await headerFor(managerIcs)).toMatchObject({ canSeeInsights: true });
    for (const role of ["staff", "coordinator", "admin"] as const) {
      expect(await headerFor(await createUser({ role })), role).toMatchObject({ canSeeInsights: false });
    }
  });
});

describe("an organisation's manager sees only their organisation", () => {
  it("sees A's figures (13), never B's (29) or the ICS's (42), and no organisation select", async () => {
    const result = await page(managerA, `?${OFFER()}`);
    expect(result.status).toBe(200);
    const { data } = result as { data: InsightsPageData };
    expect(data.published.total.text).toBe("13");
    const html = renderPage(data);
    const text = pageText(html);
    expect(text).toContain(orgA.name);
    expect(html).not.toContain(orgB.name);
    expect(html).not.toContain(orgB.slug);
    expect(text).not.toMatch(/\b(29|42)\b/);
    expect(decode(/<p[^>]*id="insights-total"[^>]*>([\s\S]*?)<\/p>/.exec(html)![1]!)).toBe("Requests made: 13");
    expect(html).not.toMatch(/<select[^>]*id="organisation"/);
    expect(html).toMatch(/<select[^>]*id="offer"/);

    // Unfiltered: still A's requests alone (this database has no other requests in A).
    const unfiltered = await page(managerA);
    expect(unfiltered.status).toBe(200);
    expect((unfiltered as { data: InsightsPageData }).data.published.total.text).toBe("13");
  });

  it("cannot reach B's figures with any organisation parameter: 403, or A's figures", async () => {
    const attempts = [
      `organisation=${orgB.slug}`,
      `organisation=${orgB.id}`,
      `organisation=${orgA.slug}&organisation=${orgB.slug}`,
      `organisation=${orgB.slug}&organisation=${orgA.slug}`,
      `organisation=${orgB.slug.toUpperCase()}`,
      `organisation=${encodeURIComponent(` ${orgB.slug} `)}`,
      `organisation=${orgA.slug.toUpperCase()}`,
      `organisation[]=${orgB.slug}`,
      `organisation=${encodeURIComponent(`${orgA.slug},${orgB.slug}`)}`,
      `organisation=${encodeURIComponent("' or 1=1 --")}`,
      `organisation=%00`,
      `organisationId=${orgB.id}`,
      `org=${orgB.slug}`,
      `organisation=`,
      `organisation=${orgA.slug}`,
    ];
    let refused = 0;
    for (const attempt of attempts) {
      const query = `?${attempt}&${OFFER()}`;
      const result = await page(managerA, query);
      const file = await csv(managerA, query);
      expect([200, 403], query).toContain(result.status);
      expect(file.status, `${query} (CSV)`).toBe(result.status);
      if (result.status === 403) {
        refused++;
        continue;
      }
      const { data } = result as { data: InsightsPageData };
      expect(data.published.total.text, query).toBe("13");
      expect(data.published.byOrganisation.rows.map((r) => r.organisation.slug), query).toEqual([orgA.slug]);
      const html = renderPage(data);
      expect(html, query).not.toContain(orgB.name);
      expect(pageText(html), query).not.toMatch(/\b(29|42)\b/);
      const { text } = await csvText(file.response!);
      expect(text, query).not.toContain(orgB.name);
      expect(text, query).not.toMatch(/(^|[^0-9])(29|42)([^0-9]|$)/);
      expect(text, query).toContain(orgA.name);
    }
    // B's slug, B's id, the arrays and the case variants are refused outright.
    expect(refused).toBeGreaterThanOrEqual(8);
    expect((await page(managerA, `?organisation=${orgB.slug}`)).status).toBe(403);
    expect((await page(managerA, `?organisation=${orgA.slug}&organisation=${orgB.slug}`)).status).toBe(403);
  });

  it("the same figures are B's and the ICS's for an ICS-wide manager (so the numbers above are A's alone)", async () => {
    const all = (await page(managerIcs, `?${OFFER()}`)) as { status: number; data: InsightsPageData };
    expect(all.status).toBe(200);
    expect(all.data.published.total.text).toBe("42");
    const b = (await page(managerIcs, `?organisation=${orgB.slug}&${OFFER()}`)) as { status: number; data: InsightsPageData };
    expect(b.data.published.total.text).toBe("29");
    const html = renderPage(b.data);
    // The ICS-wide manager chooses the organisation; the line says whose figures these are.
    expect(html).toMatch(/<select[^>]*id="organisation"/);
    expect(pageText(/<p[^>]*id="insights-scope"[^>]*>[\s\S]*?<\/p>/.exec(html)![0])).toContain(orgB.name);
    expect(pageText(renderPage(all.data))).toContain("All organisations in the ICS");
  });
});

describe("the page", () => {
  it("shows no names, references or free text; each chart is an image named by its title and pointing at its table", async () => {
    const { data } = (await page(managerIcs)) as { data: InsightsPageData };
    const html = renderPage(data);
    for (const name of requesterNames) expect(html).not.toContain(name);
    expect(html).not.toContain("SW-2031-");
    expect(pageText(html)).toContain("numbers from 1 to 7 are shown as *");

    const tables = htmlTables(html);
    expect(tables.map((t) => t.id)).toEqual(data.tables.map((t) => t.id));
    const charts = [...html.matchAll(/<svg\b[^>]*role="img"[^>]*>/g)].map((m) => m[0]);
    expect(charts.length).toBeGreaterThanOrEqual(7);
    for (const svg of charts) {
      const labelledBy = /aria-labelledby="([^"]+)"/.exec(svg)?.[1];
      const describedBy = /aria-describedby="([^"]+)"/.exec(svg)?.[1];
      expect(labelledBy, svg).toBeTruthy();
      expect(html).toMatch(new RegExp(`<title id="${labelledBy}">[^<]+</title>`));
      expect(describedBy, svg).toBeTruthy();
      expect(html).toMatch(new RegExp(`<caption[^>]*id="${describedBy}"`));
    }
    // A suppressed figure is never drawn as a bar (each null value has "*" and a hatched marker).
    expect(data.published.trend.monthTotals.some((f) => f.value === null) ? html.includes("-hatch)") : true).toBe(true);
  });

  it("shows bad filters in an error summary linking to each field, and uses the defaults", async () => {
    const result = (await page(managerIcs, "?from=1999-01&group=wizards")) as { status: number; data: InsightsPageData };
    expect(result.status).toBe(200);
    expect(result.data.errors.map((e) => e.field).sort()).toEqual(["from", "group"]);
    const html = renderPage(result.data);
    expect(html).toContain("nhsuk-error-summary");
    expect(html).toMatch(/<a href="#from">/);
    expect(html).toMatch(/<a href="#group">/);
    expect(html).toMatch(/nhsuk-form-group nhsuk-form-group--error"><label class="nhsuk-label" for="from">/);
    expect(html).toMatch(/nhsuk-form-group nhsuk-form-group--error"><label class="nhsuk-label" for="group">/);
    expect(html).toMatch(/<select[^>]*id="from"[^>]*aria-invalid="true"/);
    // The CSV link carries the filters in force, not the bad ones.
    const href = /href="(\/insights\.csv\?[^"]*)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    const params = new URL(href, "http://x").searchParams;
    expect(params.get("from")).toBe(result.data.filters.from);
    expect(params.get("group")).toBeNull();
  });

  it("has the title and headings the brief asks for", async () => {
    const { data } = (await page(managerA)) as { data: InsightsPageData };
    const html = renderPage(data);
    expect(html).toMatch(/<h1[^>]*>Support uptake and responsiveness<\/h1>/);
    const meta = pageRoute.meta({ data, error: undefined } as never);
    expect(meta).toEqual([{ title: "Insights – StayWell" }]);
    for (const heading of ["Requests by month and support", "Requests by organisation", "Requests by staff group", "Requests by years in post", "How quickly the people hub responds", "Where the requests stand now", "Satisfaction"]) {
      expect(html).toContain(`>${heading}</h2>`);
    }
  });
});

describe("the CSV", () => {
  it("is the page's tables cell for cell, with a BOM, CRLF, the period and scope, and download headers", async () => {
    for (const [user, query] of [
      [managerIcs, ""],
      [managerIcs, `?organisation=${orgB.slug}&${OFFER()}&from=2026-01`],
      [managerA, `?${OFFER()}`],
      [managerA, "?group=allied_health"],
    ] as const) {
      const result = (await page(user, query)) as { status: number; data: InsightsPageData };
      expect(result.status).toBe(200);
      const file = await csv(user, query);
      expect(file.status).toBe(200);
      const response = file.response!;
      expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${result.data.csvFileName}"`);
      expect(response.headers.get("Cache-Control")).toBe("no-store");

      const { bytes, text } = await csvText(response);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      const rows = parseCsv(text.slice(1));
      expect(rows[0]).toEqual(["StayWell insights", result.data.published.period.label, expect.any(String)]);
      const scope = user === managerA ? orgA.name : query.includes(orgB.slug) ? orgB.name : "All organisations in the ICS";
      expect(rows[0]![2]).toBe(scope);

      const fromPage = htmlTables(renderPage(result.data));
      const fromCsv = csvTables(rows);
      expect(fromCsv).toHaveLength(fromPage.length);
      expect(fromPage.length).toBe(7);
      fromPage.forEach((table, i) => {
        expect(fromCsv[i]!.caption, table.id).toBe(table.caption);
        expect(fromCsv[i]!.header, table.id).toEqual(table.header);
        expect(fromCsv[i]!.rows, table.id).toEqual(table.rows);
      });
      // The total the page shows is in the CSV's trend table.
      const trend = fromCsv[0]!;
      expect(trend.rows.at(-1)!.at(-1)).toBe(result.data.published.total.text);
    }
  });
});
