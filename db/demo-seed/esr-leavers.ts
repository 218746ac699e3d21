// A generated ESR leavers extract for the demo (docs/decisions/035-esr-leavers-import.md): a few
// thousand leavers over three years from the NHS organisations with ESR codes, with realistic
// reasons (work-life balance first), staff groups, age bands and tenures (first-year leavers
// concentrated before month 10). The same rows are seeded and written out as a CSV
// (scripts/esr-demo-extract.ts) for uploading. Deterministic for a given seed and `now`.
import { eq, sql } from "drizzle-orm";
import type { Tx } from "../client";
import {
  DEMO_ESR_ASSIGNMENT_KEY,
  MissingEsrKeyError,
  assignmentHasher,
  esrAssignmentKey,
} from "../esr-assignment-hash";
import { esrLeaverImports, esrLeavers, organisations, users } from "../schema";
import {
  ESR_STAFF_GROUPS,
  leaverTenureBand,
  leavingReasonGroup,
  parseEsrLeavingReason,
  type EsrLeavingReason,
} from "../../app/lib/leaving";

/** ESR organisation codes of the demo organisations on ESR (councils, care providers and GP practices are not). */
export const DEMO_ESR_CODES: Readonly<Record<string, string>> = {
  uhnm: "RJE",
  mpft: "RRE",
  combined: "RLY",
  icb: "QNC",
};
const ORG_WEIGHTS: Readonly<Record<string, number>> = { RJE: 55, RRE: 30, RLY: 10, QNC: 5 };

export const DEMO_ESR_FILE_NAME = "esr-leavers-demo.csv";
export const DEMO_ESR_LEAVERS = 3000;

const REASON_WEIGHTS: readonly [string, number][] = [
  ["Voluntary Resignation - Work Life Balance", 24],
  ["Voluntary Resignation - Relocation", 11],
  ["Voluntary Resignation - Promotion", 9],
  ["Voluntary Resignation - Better Reward Package", 5],
  ["Voluntary Resignation - Health", 4],
  ["Voluntary Resignation - Child Dependants", 3],
  ["Voluntary Resignation - Adult Dependants", 2],
  ["Voluntary Resignation - To undertake further education or training", 3],
  ["Voluntary Resignation - Lack of Opportunities", 3],
  ["Voluntary Resignation - Incompatible Working Relationships", 3],
  ["Voluntary Resignation - Other/Not Known", 8],
  ["Retirement Age", 8],
  ["Voluntary Early Retirement - with Actuarial Reduction", 2],
  ["Voluntary Early Retirement - no Actuarial Reduction", 1],
  ["Flexi Retirement", 2],
  ["Ill Health Retirement", 1],
  ["End of Fixed Term Contract", 6],
  ["Dismissal - Conduct", 1],
  ["Dismissal - Capability", 1],
  ["Redundancy - Compulsory", 0.3],
  ["Redundancy - Voluntary", 0.3],
  ["Mutually Agreed Resignation", 0.5],
  ["Employee Transfer", 2],
  ["Death in Service", 0.2],
];
const STAFF_GROUP_WEIGHTS: readonly [string, number][] = [
  ["Nursing and Midwifery Registered", 27],
  ["Additional Clinical Services", 24],
  ["Administrative and Clerical", 20],
  ["Allied Health Professionals", 8],
  ["Medical and Dental", 8],
  ["Estates and Ancillary", 7],
  ["Add Prof Scientific and Technic", 3],
  ["Healthcare Scientists", 2],
  ["Students", 1],
];
// Months of service: the first-year curve (most first-year leavers go before month 10), then longer.
const TENURE_WEIGHTS: readonly [[number, number], number][] = [
  [[0, 3], 9],
  [[3, 6], 10],
  [[6, 10], 9],
  [[10, 12], 3],
  [[12, 24], 17],
  [[24, 60], 25],
  [[60, 360], 27],
];

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [value, w] of weighted) {
    r -= w;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}

function isoDay(date: Date) {
  return date.toISOString().slice(0, 10);
}

function ageBandFor(random: () => number, reason: string, tenureMonths: number): string {
  if (reason === "Retirement Age")
    return pick(random, [
      ["61-65", 6],
      ["66-70", 3],
      ["56-60", 1],
    ] as const);
  if (/Early Retirement|Flexi Retirement/.test(reason))
    return pick(random, [
      ["51-55", 3],
      ["56-60", 6],
      ["61-65", 2],
    ]);
  if (reason === "Ill Health Retirement")
    return pick(random, [
      ["46-50", 2],
      ["51-55", 3],
      ["56-60", 3],
    ]);
  const young = tenureMonths < 24;
  return pick(random, [
    ["<=20 Years", young ? 4 : 1],
    ["21-25", young ? 18 : 6],
    ["26-30", young ? 18 : 12],
    ["31-35", 12],
    ["36-40", 10],
    ["41-45", 9],
    ["46-50", 8],
    ["51-55", 8],
    ["56-60", 6],
    ["61-65", 2],
  ]);
}

export interface EsrExtractRow {
  organisation_code: string;
  staff_group: string;
  assignment_start_date: string;
  termination_date: string;
  leaving_reason: string;
  age_band: string;
  assignment_number: string;
}

/** `count` leavers with termination dates over the three years to `now`. */
export function generateEsrExtract(options: { now: Date; count?: number; seed?: number; firstAssignment?: number }) {
  const random = mulberry32(options.seed ?? 13);
  const count = options.count ?? DEMO_ESR_LEAVERS;
  const orgWeights = Object.entries(ORG_WEIGHTS) as [string, number][];
  const end = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate()) - 86_400_000;
  const span = 3 * 365 * 86_400_000;
  const rows: EsrExtractRow[] = [];
  for (let i = 0; i < count; i++) {
    const termination = new Date(end - Math.floor(random() * span));
    const [low, high] = pick(random, TENURE_WEIGHTS);
    const months = low + random() * (high - low);
    const start = new Date(termination.getTime() - Math.floor(months * 30.44 * 86_400_000));
    let reason = pick(random, REASON_WEIGHTS);
    // Retirement after a few months' service is rare: such rows become work-life balance leavers.
    if (months < 24 && /Retirement/.test(reason)) reason = "Voluntary Resignation - Work Life Balance";
    rows.push({
      organisation_code: pick(random, orgWeights),
      staff_group: pick(random, STAFF_GROUP_WEIGHTS),
      assignment_start_date: isoDay(start),
      termination_date: isoDay(termination),
      leaving_reason: reason,
      age_band: ageBandFor(random, reason, months),
      assignment_number: String((options.firstAssignment ?? 20_000_000) + i * 7 + 1),
    });
  }
  return rows;
}

const COLUMNS: readonly (keyof EsrExtractRow)[] = [
  "assignment_number",
  "organisation_code",
  "staff_group",
  "assignment_start_date",
  "termination_date",
  "leaving_reason",
  "age_band",
];

/** The rows as an ESR-style CSV (header first; the columns in an order of ESR's, not StayWell's). */
export function esrExtractCsv(rows: readonly EsrExtractRow[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [COLUMNS.join(","), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(","))].join("\r\n") + "\r\n";
}

/** Sets the demo organisations' ESR codes where they have none. */
export async function setDemoEsrCodes(tx: Tx) {
  for (const [slug, code] of Object.entries(DEMO_ESR_CODES)) {
    await tx.update(organisations).set({ esrCode: code })
      .where(sql`${organisations.slug} = ${slug} and ${organisations.esrCode} is null
        and not exists (select 1 from organisations o where o.esr_code = ${code})`);
  }
}

/** Seeds the demo extract as one import by the demo administrator, once. Returns leavers added. */
export async function insertDemoEsrLeavers(
  tx: Tx,
  options: {
    now: Date;
    adminEmail: string;
    count?: number;
    seed?: number;
    fileName?: string;
    firstAssignment?: number;
  },
): Promise<number> {
  const [already] = await tx.select({ id: esrLeaverImports.id }).from(esrLeaverImports).limit(1);
  if (already && !options.fileName) return 0;
  const [admin] = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(eq(users.email, options.adminEmail));
  const orgs = await tx
    .select({ id: organisations.id, code: organisations.esrCode })
    .from(organisations)
    .where(sql`${organisations.esrCode} is not null`);
  const idByCode = new Map(orgs.map((o) => [o.code!, o.id]));
  // The demo's assignment numbers are invented: a deploy without ESR_ASSIGNMENT_KEY (which refuses
  // real imports) still gets its demo leavers, hashed with the demo key.
  const hash = assignmentHasher(demoSeedKey());
  const extract = generateEsrExtract(options).filter((r) => idByCode.has(r.organisation_code));
  if (extract.length === 0) return 0;
  const terminations = extract.map((r) => r.termination_date).sort();
  const [created] = await tx
    .insert(esrLeaverImports)
    .values({
      uploadedById: admin?.id ?? null,
      uploadedByName: admin?.name ?? "Demo data",
      fileName: options.fileName ?? DEMO_ESR_FILE_NAME,
      fileRows: extract.length,
      addedRows: 0,
      firstTermination: terminations[0],
      lastTermination: terminations[terminations.length - 1],
      createdAt: options.now,
    })
    .returning({ id: esrLeaverImports.id });
  let added = 0;
  for (let i = 0; i < extract.length; i += 2000) {
    const values = extract.slice(i, i + 2000).map((r) => {
      const reason = parseEsrLeavingReason(r.leaving_reason) as EsrLeavingReason;
      return {
        importId: created.id,
        organisationId: idByCode.get(r.organisation_code)!,
        esrStaffGroup: r.staff_group,
        staffGroup: ESR_STAFF_GROUPS.find((g) => g.value === r.staff_group)!.staffGroup,
        assignmentStartDate: r.assignment_start_date,
        terminationDate: r.termination_date,
        tenureBand: leaverTenureBand(r.assignment_start_date, r.termination_date),
        reason,
        reasonGroup: leavingReasonGroup(reason),
        ageBand: r.age_band,
        assignmentHash: hash(r.assignment_number),
      };
    });
    // One array a column, unnested on the server, as the import does
    // (app/.server/models/admin/esr-leavers.server.ts): not 22,000 bound parameters a statement.
    const column = <K extends keyof (typeof values)[number]>(key: K) => sql.param(values.map((v) => v[key]));
    const result = await tx.execute<{ added: number }>(sql`
      with added as (
        insert into ${esrLeavers} (import_id, organisation_id, esr_staff_group, staff_group, assignment_start_date,
          termination_date, tenure_band, reason, reason_group, age_band, assignment_hash)
        select ${created.id}, * from unnest(
          ${column("organisationId")}::integer[], ${column("esrStaffGroup")}::text[], ${column("staffGroup")}::text[],
          ${column("assignmentStartDate")}::text[]::date[], ${column("terminationDate")}::text[]::date[],
          ${column("tenureBand")}::text[], ${column("reason")}::text[], ${column("reasonGroup")}::text[],
          ${column("ageBand")}::text[], ${column("assignmentHash")}::text[])
        on conflict (assignment_hash, termination_date) do nothing
        returning 1
      )
      select count(*)::integer as added from added`);
    const rows = (Array.isArray(result) ? result : (result as { rows: { added: number }[] }).rows) as {
      added: number;
    }[];
    added += Number(rows[0]?.added ?? 0);
  }
  await tx.update(esrLeaverImports).set({ addedRows: added }).where(eq(esrLeaverImports.id, created.id));
  return added;
}

function demoSeedKey(): string {
  try {
    return esrAssignmentKey();
  } catch (error) {
    if (error instanceof MissingEsrKeyError) return DEMO_ESR_ASSIGNMENT_KEY;
    throw error;
  }
}
