// The ESR leavers import at the size the issue asks for: a 100,000-row extract (the demo generator's
// rows, 10.8 MB) through the route's action. It used to answer 400 "The upload could not be read":
// Remix's multipart parser overflowed the call stack on a chunk holding the whole file
// (app/.server/uploads.server.ts withSmallChunks). The test does not time itself: the timings are in
// docs/performance/esr-upload.md (it prints the elapsed time of each upload for that).
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { esrLeaverImports, esrLeavers, organisations } from "@db/schema";
import { getDb } from "@db/current";
import { DEMO_ESR_CODES, esrExtractCsv, generateEsrExtract } from "@db/demo-seed/esr-leavers";
import { action } from "~/routes/admin.leavers";
import { createOrganisation, createUser } from "../helpers/factories";
import { appUrl, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const ROWS = 100_000;
let adminCookie: string;
let csv: string;

beforeAll(async () => {
  for (const code of Object.values(DEMO_ESR_CODES)) {
    const organisation = await createOrganisation();
    await getDb().update(organisations).set({ esrCode: code }).where(eq(organisations.id, organisation.id));
  }
  adminCookie = await signInCookie((await createUser({ role: "admin" })).id);
  csv = esrExtractCsv(generateEsrExtract({ now: new Date(), count: ROWS, seed: 5, firstAssignment: 30_000_000 }));
});

function upload() {
  const form = new FormData();
  form.append("file", new File([csv], "esr-100k.csv", { type: "text/csv" }));
  const request = new Request(appUrl("/admin/leavers"), {
    method: "POST",
    body: form,
    headers: { Cookie: adminCookie, Origin: new URL(appUrl("/")).origin },
  });
  return runRoute(() => action({ request, params: {}, context: {} }));
}

async function stored() {
  const [{ leavers }] = await getDb().select({ leavers: count() }).from(esrLeavers);
  const [{ imports }] = await getDb().select({ imports: count() }).from(esrLeaverImports);
  return { leavers, imports };
}

describe("a 100,000-row ESR extract", () => {
  it("imports every row in one import, and the same file again changes nothing", async () => {
    let started = performance.now();
    const first = await upload();
    console.log(`100,000-row upload: ${Math.round(performance.now() - started)} ms`);
    expect(first.status).toBe(302);
    expect(first.location).toMatch(/^\/admin\/leavers\?imported=\d+$/);
    expect(await stored()).toEqual({ leavers: ROWS, imports: 1 });

    started = performance.now();
    const again = await upload();
    console.log(`the same upload again: ${Math.round(performance.now() - started)} ms`);
    expect(again.location).toBe(`/admin/leavers?unchanged=${ROWS}`);
    expect(await stored()).toEqual({ leavers: ROWS, imports: 1 });
  }, 240_000);
});
