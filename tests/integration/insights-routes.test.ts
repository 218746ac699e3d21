// The insights page (/insights) and its CSV (/insights.csv): their loaders called as Remix calls
// them, on PGlite and PostgreSQL. Who may see them; an organisation's manager never reaches another
// organisation's figures by any URL; the page (rendered from the loader's data) and the CSV show
// the same tables, cell for cell.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import type { Organisation, SupportOffer } from "@db/schema";
import { loadInsightsPage } from "~/.server/models/insights.server";
import { insightTables } from "~/lib/insights/tables";
import * as csvRoute from "~/routes/insights[.]csv";
import * as pageRoute from "~/routes/insights";
import type { InsightsPayload, SectionKey } from "~/routes/insights";
import type { InsightTable } from "~/lib/insights/types";
import { loader as rootLoader } from "~/root";
import { asCurrentUser, createOffer, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { getRequest, signInCookie } from "../helpers/http";
import { addRequests } from "../helpers/insights-requests";
import { useTestDatabase } from "../helpers/test-db";
import { capitalisePeriod } from "~/lib/insights/types";
import { parseCsv } from "../helpers/csv";
import { perturbedCount } from "~/lib/insights/cell-key";

useTestDatabase();

// ---------------------------------------------------------------------------------------------
// helpers

/** The loader's data with the tables the page builds from its published figures. */
type PageData = InsightsPayload & { tables: InsightTable[] };

type Outcome = { status: 200; data: PageData; payload: InsightsPayload } | { status: number; location: string | null };

/**
 * Runs the page loader; a thrown Response or data() becomes its status. `payload` is what the loader
 * sends; `data` adds the tables the page builds from its published figures (as the component does).
 */
async function page(user: TestUser | null, query = ""): Promise<Outcome> {
  const cookie = user ? await cookieOf(user) : undefined;
  try {
    const payload = (await pageRoute.loader({
      request: getRequest(`/insights${query}`, { cookie }),
      params: {},
      context: {},
    })) as InsightsPayload;
    const data: PageData = { ...payload, tables: payload.published ? insightTables(payload.published) : [] };
    return { status: 200, data, payload };
  } catch (err) {
    return thrown(err);
  }
}

/** Runs the CSV loader: the Response, or the status of what it threw. */
async function csv(
  user: TestUser | null,
  query = "",
): Promise<{ status: number; response?: Response; location?: string | null }> {
  const cookie = user ? await cookieOf(user) : undefined;
  try {
    const response = (await csvRoute.loader({
      request: getRequest(`/insights.csv${query}`, { cookie }),
      params: {},
      context: {},
    })) as Response;
    return { status: response.status, response };
  } catch (err) {
    return thrown(err);
  }
}

function thrown(err: unknown): { status: number; location: string | null } {
  if (err instanceof Response) return { status: err.status, location: err.headers.get("Location") };
  const d = err as { type?: string; init?: ResponseInit | null } | null;
  if (d && typeof d === "object" && d.type === "DataWithResponseInit")
    return { status: d.init?.status ?? 200, location: null };
  throw err;
}

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

/** The page as the server renders it (the route's component, given the loader's data). */
function renderPage(data: PageData, show: SectionKey | "" = data.show): string {
  return renderToStaticMarkup(createElement(pageRoute.InsightsPage, { data: { ...data, show } }));
}

/** The section pages' keys (the first, Requests by month, is on the overview). */
const SECTION_PAGES = pageRoute.SECTIONS.map((s) => s.key).filter((k) => k !== "trend");

/** The overview and every section page of the same data, in the contents list's order. */
function renderEveryPage(data: PageData): string[] {
  return [renderPage(data, ""), ...SECTION_PAGES.map((key) => renderPage(data, key))];
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
  /** Each body row's data-label attributes (the column heading a stacked figure shows). */
  labels: string[][];
}

/** The HTML tables of the rendered page, by id, in page order. */
function htmlTables(html: string): ParsedTable[] {
  const tables: ParsedTable[] = [];
  for (const match of html.matchAll(/<table\b[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/table>/g)) {
    const [, id, body] = match;
    const caption = decode(/<caption\b[^>]*>([\s\S]*?)<\/caption>/.exec(body!)?.[1] ?? "");
    const trs = [...body!.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((tr) => tr[1]!);
    const rows = trs.map((tr) =>
      [...tr.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1]!)),
    );
    // A stacked cell's column heading is its data-label (shown by CSS on narrow screens), not its value.
    const labels = trs
      .slice(1)
      .map((tr) => [...tr.matchAll(/<td\b[^>]*?\bdata-label="([^"]*)"/g)].map((m) => decode(m[1]!)));
    tables.push({ id: id!, caption, header: rows[0] ?? [], rows: rows.slice(1), labels });
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

/** The published (perturbed) value of the requests matching `where`. */
async function publishedCount(where: ReturnType<typeof sql>): Promise<string> {
  const [row] = await queryRows<{ n: number; key: string | null }>(
    getDb(),
    sql`select count(*)::int as n, sum(record_key)::text as key from support_requests where ${where}`,
  );
  return String(perturbedCount({ n: Number(row!.n), key: Number(row!.key ?? 0) }));
}

/** The offer's total in the trend table (page totals are rounded once any offer is sensitive). */
const offerTotal = (data: PageData) => data.published!.trend.rows.find((r) => r.offer.id === offer.id)!.total.text;

// ---------------------------------------------------------------------------------------------
// the data: organisation A (33 requests of the offer) and B (49 of it): far enough above the page
// minimum (20) that a perturbation of up to 5 can never withhold either page

let orgA: Organisation & { domains: string[] };
let orgB: Organisation & { domains: string[] };
let offer: SupportOffer;
let managerA: TestUser;
let managerIcs: TestUser;
let requesterNames: string[];
let shownA: string;
let shownB: string;

beforeAll(async () => {
  orgA = await createOrganisation({ headcount: 2600 });
  orgB = await createOrganisation({ headcount: 4100 });
  offer = await createOffer({ title: "Routes test support" });
  const a = await addRequests(orgA.id, offer.id, 33);
  const b = await addRequests(orgB.id, offer.id, 49, "allied_health");
  requesterNames = [a.name, b.name];
  managerA = await createUser({ role: "manager", organisationId: orgA.id, managesOrganisationId: orgA.id });
  managerIcs = await createUser({ role: "manager" });
  shownA = await publishedCount(sql`organisation_id = ${orgA.id}`);
  shownB = await publishedCount(sql`organisation_id = ${orgB.id}`);
});

const OFFER = () => `for=offer:${offer.slug}`;

describe("who may see insights", () => {
  it("answers 403 to staff, coordinators and administrators, on the page and the CSV", async () => {
    for (const role of ["staff", "coordinator", "admin"] as const) {
      const user = await createUser({ role, organisationId: orgA.id });
      expect((await page(user)).status, `${role} /insights`).toBe(403);
      expect((await csv(user)).status, `${role} /insights.csv`).toBe(403);
    }
  });

  it("sends someone not signed in to sign in, and back to the same address", async () => {
    const p = await page(null, "?period=12m");
    expect(p).toMatchObject({
      status: 302,
      location: `/login?redirectTo=${encodeURIComponent("/insights?period=12m")}`,
    });
    const c = await csv(null);
    expect(c).toMatchObject({ status: 302, location: `/login?redirectTo=${encodeURIComponent("/insights.csv")}` });
  });
});

describe("the header's Insights link", () => {
  it("is offered to managers only", async () => {
    const headerFor = async (user: TestUser) =>
      (
        (await rootLoader({ request: getRequest("/", { cookie: await cookieOf(user) }), params: {}, context: {} })) as {
          user: { canSeeInsights: boolean } | null;
        }
      ).user;
    expect(await headerFor(managerA)).toMatchObject({ canSeeInsights: true });
    expect(await headerFor(managerIcs)).toMatchObject({ canSeeInsights: true });
    for (const role of ["staff", "coordinator", "admin"] as const) {
      expect(await headerFor(await createUser({ role })), role).toMatchObject({ canSeeInsights: false });
    }
  });
});

describe("an organisation's manager sees only their organisation", () => {
  it("sees exactly the ICS manager's page for A, never B's figures, and no filter select", async () => {
    const result = await page(managerA);
    expect(result.status).toBe(200);
    const { data } = result as { data: PageData };
    expect(offerTotal(data)).toBe(shownA);
    const html = renderEveryPage(data).join("\n");
    const text = pageText(html);
    expect(text).toContain(orgA.name);
    expect(html).not.toContain(orgB.name);
    expect(html).not.toContain(orgB.slug);
    expect(html).not.toMatch(/<select[^>]*id="for"/);
    expect(html).toMatch(/<select[^>]*id="period"/);
    const ics = (await page(managerIcs, `?for=organisation:${orgA.slug}`)) as { data: PageData };
    expect(data.tables).toEqual(ics.data.tables);
  });

  it("cannot reach B's figures with any parameter: 403, or A's figures", async () => {
    const attempts = [
      `for=organisation:${orgB.slug}`,
      `for=organisation:${orgB.id}`,
      `for=organisation:${orgA.slug}&for=organisation:${orgB.slug}`,
      `for=organisation:${orgB.slug}&for=organisation:${orgA.slug}`,
      `for=organisation:${orgB.slug.toUpperCase()}`,
      `for=${encodeURIComponent(`organisation: ${orgB.slug} `)}`,
      `for=organisation:${orgA.slug.toUpperCase()}`,
      `for[]=organisation:${orgB.slug}`,
      `for=${encodeURIComponent(`organisation:${orgA.slug},${orgB.slug}`)}`,
      `for=${encodeURIComponent("organisation:' or 1=1 --")}`,
      `for=organisation:%00`,
      `organisation=${orgB.slug}`,
      `organisationId=${orgB.id}`,
      `for=offer:${offer.slug}`,
      `for=group:allied_health`,
      `for=`,
      `for=organisation:${orgA.slug}`,
    ];
    let refused = 0;
    for (const attempt of attempts) {
      const query = `?${attempt}`;
      const result = await page(managerA, query);
      const file = await csv(managerA, query);
      expect([200, 403], query).toContain(result.status);
      expect(file.status, `${query} (CSV)`).toBe(result.status);
      if (result.status === 403) {
        refused++;
        continue;
      }
      const { data } = result as { data: PageData };
      expect(offerTotal(data), query).toBe(shownA);
      expect(
        data.published!.byOrganisation.rows.map((r) => r.organisation.slug),
        query,
      ).toEqual([orgA.slug]);
      const html = renderEveryPage(data).join("\n");
      expect(html, query).not.toContain(orgB.name);
      const { text } = await csvText(file.response!);
      expect(text, query).not.toContain(orgB.name);
      expect(text, query).toContain(orgA.name);
    }
    // Every other organisation named (slug, id, with A, in any case or spacing) is refused outright.
    expect(refused).toBeGreaterThanOrEqual(10);
    expect((await page(managerA, `?for=organisation:${orgB.slug}`)).status).toBe(403);
  });

  it("the ICS-wide manager sees B and all organisations, choosing one filter at a time", async () => {
    const all = (await page(managerIcs, `?${OFFER()}`)) as { status: number; data: PageData };
    expect(all.status).toBe(200);
    const row = (slug: string) =>
      all.data.published!.byOrganisation.rows.find((r) => r.organisation.slug === slug)!.requests.text;
    expect(row(orgA.slug)).toBe(shownA);
    expect(row(orgB.slug)).toBe(shownB);
    const b = (await page(managerIcs, `?for=organisation:${orgB.slug}`)) as { status: number; data: PageData };
    expect(offerTotal(b.data)).toBe(shownB);
    const html = renderPage(b.data);
    expect(html).toMatch(/<select[^>]*id="for"/);
    expect(html).toContain(`<optgroup label="One organisation">`);
    expect(pageText(/<p[^>]*id="insights-scope"[^>]*>[\s\S]*?<\/p>/.exec(html)![0])).toContain(orgB.name);
    expect(pageText(renderPage(all.data))).toContain("All organisations in the ICS");
  });
});

describe("the page", () => {
  it("sends the published figures only, not the tables made from them (issue 11: half the payload)", async () => {
    const result = (await page(managerIcs)) as { data: PageData; payload: InsightsPayload };
    expect(result.payload.published).not.toBeNull();
    expect(Object.keys(result.payload)).not.toContain("tables");
    // The same page from the model (which the CSV uses) carries the tables: the payload is smaller by them.
    const model = await loadInsightsPage(asCurrentUser(managerIcs), new URL("http://localhost/insights"));
    expect(model.tables.length).toBeGreaterThan(0);
    expect(result.data.tables).toEqual(model.tables);
    const sent = JSON.stringify(result.payload).length;
    expect(sent).toBeLessThan(JSON.stringify(model).length - JSON.stringify(model.tables).length + 10);
    // And what the page renders still has every table.
    // And the pages (overview and sections) still render every table, each once.
    expect(
      renderEveryPage(result.data)
        .flatMap(htmlTables)
        .map((t) => t.id),
    ).toEqual(model.tables.map((t) => t.id));
  });

  it("shows no names, references or free text; each chart is an image named by its title and pointing at its table", async () => {
    const { data } = (await page(managerIcs)) as { data: PageData };
    // The overview and every section page, read together.
    const html = renderEveryPage(data).join("\n");
    for (const name of requesterNames) expect(html).not.toContain(name);
    expect(html).not.toContain("SW-2031-");
    expect(pageText(html)).toContain("numbers from 1 to 7 are shown as *");
    expect(pageText(html)).toContain("always the same for the same requests");

    const tables = htmlTables(html);
    expect(tables.map((t) => t.id)).toEqual(data.tables.map((t) => t.id));
    // Stacked at 375 px each figure shows its column's heading: every figure cell carries it, and
    // no cell holds anything but its figure (no heading span for a screen reader to read twice).
    for (const table of tables) {
      table.rows.forEach((row, r) => expect(table.labels[r], table.id).toEqual(table.header.slice(1, row.length)));
    }
    expect(html).not.toContain("nhsuk-table__heading");
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
    expect(data.published!.trend.monthTotals.some((f) => f.value === null) ? html.includes("-hatch)") : true).toBe(
      true,
    );
  });

  it("shows bad choices in an error summary linking to each field, and uses the defaults", async () => {
    const result = (await page(managerIcs, "?period=1999-01&for=group:wizards")) as {
      status: number;
      data: PageData;
    };
    expect(result.status).toBe(200);
    expect(result.data.errors.map((e) => e.field).sort()).toEqual(["for", "period"]);
    const html = renderPage(result.data);
    expect(html).toContain("nhsuk-error-summary");
    expect(html).toMatch(/<a href="#period">/);
    expect(html).toMatch(/<a href="#for">/);
    expect(html).toMatch(/nhsuk-form-group nhsuk-form-group--error"><label class="nhsuk-label" for="period">/);
    expect(html).toMatch(/nhsuk-form-group nhsuk-form-group--error"><label class="nhsuk-label" for="for">/);
    expect(html).toMatch(/<select[^>]*id="period"[^>]*aria-invalid="true"/);
    // The CSV link carries the choices in force, not the bad ones.
    const href = /href="(\/insights\.csv\?[^"]*)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    const params = new URL(href, "http://x").searchParams;
    expect(params.get("period")).toBe("12m");
    expect(params.get("for")).toBeNull();
  });

  it("says plainly when a choice has too few requests to publish, and shows no figures", async () => {
    const small = await createOrganisation();
    await addRequests(small.id, offer.id, 6);
    const result = (await page(managerIcs, `?for=organisation:${small.slug}`)) as {
      status: number;
      data: PageData;
    };
    expect(result.status).toBe(200);
    expect(result.data.published).toBeNull();
    const html = renderPage(result.data);
    expect(html).toContain('id="insights-too-few"');
    expect(html).not.toContain("<table");
    expect(html).not.toContain("Download these figures");
    const file = await csv(managerIcs, `?for=organisation:${small.slug}`);
    const { text } = await csvText(file.response!);
    expect(text).toContain("too few requests");
    // No rules to explain when nothing is shown; the advice fits an ICS-wide manager's choices.
    expect(pageText(html)).not.toContain("numbers from 1 to 7");
    expect(pageText(html)).toContain("or everything rather than one organisation");
    expect(text).not.toMatch(/Requests by month/);
  });

  it("says in words, rather than drawing a chart of stars, when no month has a number to show", async () => {
    const thin = await createOffer({ title: "Thinly spread support" });
    const thinOrg = await createOrganisation(); // not A or B: the other tests' figures stay theirs
    const now = new Date();
    // Three requests in each of ten months: 30 in the period, every month too small to show.
    for (let back = 1; back <= 10; back++) {
      await addRequests(
        thinOrg.id,
        thin.id,
        3,
        "nursing_midwifery",
        new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 10, 12)),
      );
    }
    const result = (await page(managerIcs, `?for=offer:${thin.slug}`)) as { status: number; data: PageData };
    expect(result.data.published).not.toBeNull();
    expect(result.data.published!.trend.monthTotals.every((f) => f.value === null || f.value === 0)).toBe(true);
    const html = renderPage(result.data);
    expect(html).not.toMatch(/<svg[^>]*id="chart-trend"/);
    expect(pageText(html)).toContain("No month has a number that can be shown");
  });

  it("has the title and headings the brief asks for", async () => {
    const { data } = (await page(managerA)) as { data: PageData };
    const html = renderPage(data);
    expect(html).toMatch(/<h1[^>]*>Support uptake and responsiveness<\/h1>/);
    const meta = pageRoute.meta({ data, error: undefined } as never);
    // The choice is in the title, so a screen reader hears what the page now shows.
    expect(meta).toEqual([{ title: `Insights: ${orgA.name}, ${data.filters.period.label} – StayWell` }]);
    expect(html).toContain(">Requests by month and support</h2>");
    // Each other section has its own page, named by its h1 and its title.
    for (const [key, heading] of [
      ["organisations", "Requests by organisation"],
      ["staff-groups", "Requests by staff group"],
      ["tenure", "Requests by years in post"],
      ["responsiveness", "How quickly the people hub responds"],
      ["outcomes", "Where the requests stand now"],
      ["satisfaction", "Satisfaction"],
    ] as const) {
      const section = (await page(managerA, `?show=${key}`)) as { status: number; data: PageData };
      expect(section.status, key).toBe(200);
      const sectionHtml = renderPage(section.data);
      expect(decode(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(sectionHtml)![1]!), key).toBe(
        `Support uptake and responsiveness – ${heading}`,
      );
      expect(pageRoute.meta({ data: section.data, error: undefined } as never), key).toEqual([
        { title: `Insights: ${heading}, ${orgA.name}, ${data.filters.period.label} – StayWell` },
      ]);
    }
  });
});

describe("the overview and the section pages", () => {
  const tableIdsOf = (html: string) => htmlTables(html).map((t) => t.id);
  const chartIdsOf = (html: string) => [...html.matchAll(/<svg\b[^>]*\bid="(chart-[a-z-]+)"/g)].map((m) => m[1]);

  it("each section page shows its section and only it; the overview shows key figures and requests by month", async () => {
    const overview = (await page(managerIcs, `?${OFFER()}`)) as { status: number; data: PageData };
    expect(overview.status).toBe(200);
    expect(overview.data.show).toBe("");
    const byPage = new Map<string, string[]>();
    const overviewHtml = renderPage(overview.data);
    expect(chartIdsOf(overviewHtml)).toEqual(["chart-trend"]);
    expect(tableIdsOf(overviewHtml).length).toBeGreaterThan(0);
    expect(tableIdsOf(overviewHtml).every((id) => /trend|month/.test(id))).toBe(true);
    byPage.set("", tableIdsOf(overviewHtml));
    // Key figures, exactly as published ("*" where suppressed) and the total.
    const p = overview.data.published!;
    const keyFigures = pageText(/<dl class="nhsuk-summary-list">[\s\S]*?<\/dl>/.exec(overviewHtml)![0]).replace(
      /\s+/g,
      " ",
    );
    expect(keyFigures).toContain(`Requests made ${p.total.text}`);
    expect(keyFigures).toContain(
      `First contacted within the target time ${p.responsiveness.all.withinTargetPercent.text}`,
    );
    expect(keyFigures).toContain(`Median working days to first contact ${p.responsiveness.all.medianDays.text}`);
    expect(keyFigures).toContain(`Average rating out of 5 ${p.satisfaction.all.average.text}`);
    expect(overviewHtml).toContain('id="insights-total"');
    expect(overviewHtml).toContain('href="/insights/retention"');

    for (const key of SECTION_PAGES) {
      const section = (await page(managerIcs, `?${OFFER()}&show=${key}`)) as { status: number; data: PageData };
      expect(section.status, key).toBe(200);
      expect(section.data.show, key).toBe(key);
      expect(section.data.errors, key).toEqual([]);
      // The same published set as the overview.
      expect(section.data.published, key).toEqual(overview.data.published);
      const html = renderPage(section.data);
      expect(chartIdsOf(html), key).toEqual([`chart-${key}`]);
      expect(html, key).toMatch(new RegExp(`<section aria-labelledby="insights-${key}-heading"`));
      expect(html, key).toMatch(new RegExp(`<h1 id="insights-${key}-heading">`));
      expect([...html.matchAll(/<section\b/g)].length, key).toBe(1);
      expect(html, key).not.toContain('<h2 id="insights-');
      expect(html, key).not.toContain('id="insights-total"');
      expect(html, key).not.toContain("nhsuk-summary-list");
      // The CSV link is the whole set's: no section in it.
      const csvHref = /href="(\/insights\.csv\?[^"]*)"/.exec(html)![1]!.replace(/&amp;/g, "&");
      expect(new URL(csvHref, "http://x").searchParams.get("show"), key).toBeNull();
      byPage.set(key, tableIdsOf(html));
    }
    // Between them the pages show every table once.
    expect([...byPage.values()].flat()).toEqual(overview.data.tables.map((t) => t.id));
    expect([...byPage.values()].every((ids) => ids.length > 0)).toBe(true);
  });

  it("has a contents list marking the page shown, each link keeping the period and filter", async () => {
    const quarter = (await page(managerIcs)) as { data: PageData };
    const period = quarter.data.options.periods.find((p) => p.kind === "quarter")!.key;
    for (const show of ["", ...SECTION_PAGES]) {
      const query = `?period=${period}&${OFFER()}${show ? `&show=${show}` : ""}`;
      const { data } = (await page(managerIcs, query)) as { data: PageData };
      const html = renderPage(data);
      const nav =
        /<nav class="nhsuk-contents-list" id="insights-contents" aria-label="Insights sections">([\s\S]*?)<\/nav>/.exec(
          html,
        );
      expect(nav, query).not.toBeNull();
      const items = [...nav![1]!.matchAll(/<li\b([^>]*)>([\s\S]*?)<\/li>/g)];
      expect(items).toHaveLength(7);
      const current = items.filter((m) => m[1]!.includes('aria-current="page"'));
      expect(current, query).toHaveLength(1);
      // The page shown is a span, not a link.
      expect(current[0]![2], query).not.toContain("<a");
      expect(current[0]![2], query).toContain("nhsuk-contents-list__current");
      const currentIndex = items.indexOf(current[0]!);
      expect(currentIndex, query).toBe(show ? pageRoute.SECTIONS.findIndex((s) => s.key === show) : 0);
      const links = items
        .filter((m) => m !== current[0])
        .map((m) => new URL(/href="([^"]+)"/.exec(m[2]!)![1]!.replace(/&amp;/g, "&"), "http://x"));
      expect(links).toHaveLength(6);
      for (const link of links) {
        expect(link.pathname).toBe("/insights");
        expect(link.searchParams.get("period")).toBe(period);
        expect(link.searchParams.get("for")).toBe(`offer:${offer.slug}`);
      }
      expect(links.map((l) => l.searchParams.get("show") ?? "").sort()).toEqual(
        ["", ...SECTION_PAGES].filter((k) => k !== show).sort(),
      );
    }
  });

  it("shows the overview with an error for an unknown or repeated section, never what was typed", async () => {
    for (const query of [
      "?show=nope",
      "?show=organisations&show=tenure",
      `?show=${encodeURIComponent('<script>alert("x")</script>')}`,
      "?show=ORGANISATIONS",
    ]) {
      const result = (await page(managerIcs, query)) as { status: number; data: PageData };
      expect(result.status, query).toBe(200);
      expect(result.data.show, query).toBe("");
      expect(result.data.errors, query).toEqual([{ field: "show", message: "Choose a section from the list" }]);
      const html = renderPage(result.data);
      expect(html, query).toContain("nhsuk-error-summary");
      expect(html, query).toMatch(/<a href="#insights-contents">Choose a section from the list<\/a>/);
      expect(html, query).toMatch(/<h1[^>]*>Support uptake and responsiveness<\/h1>/);
      expect(html, query).not.toContain("<script>alert");
      expect(html, query).not.toContain("nope");
      expect(html, query).not.toMatch(/name="show"/);
    }
    // Requests by month's key, or an empty one, names the overview itself: no error.
    for (const query of ["?show=trend", "?show="]) {
      const result = (await page(managerIcs, query)) as { data: PageData };
      expect(result.data.show, query).toBe("");
      expect(result.data.errors, query).toEqual([]);
    }
  });

  it("keeps the section in the filter form (a GET form), so a new choice stays on the section", async () => {
    const { data } = (await page(managerIcs, `?show=staff-groups`)) as { data: PageData };
    const html = renderPage(data);
    const form = /<form method="get" action="\/insights"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    expect(form).not.toBeNull();
    expect(form![1]).toContain('<input type="hidden" name="show" value="staff-groups"/>');
    // What the browser sends without JavaScript: the form's fields as the query string.
    const fields = new URLSearchParams({ show: "staff-groups", period: "12m", for: `organisation:${orgB.slug}` });
    const next = (await page(managerIcs, `?${fields}`)) as { status: number; data: PageData };
    expect(next.status).toBe(200);
    expect(next.data.show).toBe("staff-groups");
    expect(next.data.filters.filter).toMatchObject({ kind: "organisation", slug: orgB.slug });
    const nextHtml = renderPage(next.data);
    expect(chartIdsOf(nextHtml)).toEqual(["chart-staff-groups"]);
    expect(pageText(/<p[^>]*id="insights-scope"[^>]*>[\s\S]*?<\/p>/.exec(nextHtml)![0])).toContain(orgB.name);
    // The overview's form has no section field.
    expect(renderPage(next.data, "")).not.toMatch(/name="show"/);
  });
});

describe("the CSV", () => {
  it("is the page's tables cell for cell, with a BOM, CRLF, the period and scope, and download headers", async () => {
    for (const [user, query] of [
      [managerIcs, ""],
      [managerIcs, `?for=organisation:${orgB.slug}`],
      [managerIcs, `?${OFFER()}`],
      [managerA, "?period=12m"],
    ] as const) {
      const result = (await page(user, query)) as { status: number; data: PageData };
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
      // The period starts the CSV's cell, so it is capitalised ("The 12 months to…").
      expect(rows[0]).toEqual([
        "StayWell insights",
        capitalisePeriod(result.data.filters.period.label),
        expect.any(String),
      ]);
      const scope =
        user === managerA ? orgA.name : query.includes(orgB.slug) ? orgB.name : "All organisations in the ICS";
      expect(rows[0]![2]).toBe(scope);

      const fromPage = renderEveryPage(result.data).flatMap(htmlTables);
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
      expect(trend.rows.at(-1)!.at(-1)).toBe(result.data.published!.total.text);
    }
  });
});
