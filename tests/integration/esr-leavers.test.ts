// The ESR leavers import at /admin/leavers, through the route's action: bad rows import nothing and
// are all reported; a clean file imports in one go; the same file twice changes nothing; an import
// is removed as a whole; only administrators (ICS-wide: not scoped to an organisation) may use it.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { esrLeaverImports, esrLeavers, organisations } from "@db/schema";
import { getDb } from "@db/current";
import { action, loader } from "~/routes/admin.leavers";
import { action as removeAction } from "~/routes/admin.leavers_.$importId.remove";
import { loader as reportLoader } from "~/routes/admin.leavers_.errors.$reportId";
import { createOrganisation, createUser } from "../helpers/factories";
import { appUrl, getRequest, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const HEADER =
  "organisation_code,staff_group,assignment_start_date,termination_date,leaving_reason,age_band,assignment_number";
const row = (code: string, n: number, reason = "Voluntary Resignation - Work Life Balance") =>
  `${code},Nursing and Midwifery Registered,2023-01-0${(n % 9) + 1},2024-0${(n % 9) + 1}-15,${reason},26-30,${10000000 + n}`;

function upload(csv: string, cookie: string, fileName = "leavers.csv") {
  const form = new FormData();
  form.append("file", new File([csv], fileName, { type: "text/csv" }));
  return new Request(appUrl("/admin/leavers"), {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, Origin: new URL(appUrl("/")).origin },
  });
}

let adminCookie: string;
let orgA: number;
let orgB: number;

beforeAll(async () => {
  const a = await createOrganisation();
  const b = await createOrganisation();
  orgA = a.id;
  orgB = b.id;
  await getDb().update(organisations).set({ esrCode: "AAA" }).where(eq(organisations.id, orgA));
  await getDb().update(organisations).set({ esrCode: "BBB" }).where(eq(organisations.id, orgB));
  // An administrator who belongs to organisation A imports for B too (administrators are ICS-wide).
  const admin = await createUser({ role: "admin", organisationId: orgA });
  adminCookie = await signInCookie(admin.id);
});

async function leavers() {
  return getDb().select().from(esrLeavers);
}

describe("ESR leavers import", () => {
  it("imports nothing from a file with bad rows and reports each of them", async () => {
    const csv = [HEADER, row("AAA", 1), row("ZZZ", 2), row("BBB", 3, "Fed up"), row("BBB", 4)].join("\n");
    const outcome = await runRoute(() => action({ request: upload(csv, adminCookie), params: {}, context: {} }));
    expect(outcome.status).toBe(400);
    const body = outcome.data as {
      kind: string;
      errorCount: number;
      errors: { row: number; column: string }[];
      reportId: string;
    };
    expect(body.kind).toBe("errors");
    expect(body.errors.map((e) => `${e.row}:${e.column}`)).toEqual(["3:organisation_code", "4:leaving_reason"]);
    expect(await leavers()).toHaveLength(0);
    expect(await getDb().select().from(esrLeaverImports)).toHaveLength(0);
    const report = (await reportLoader({
      request: getRequest(`/admin/leavers/errors/${body.reportId}`, { cookie: adminCookie }),
      params: { reportId: body.reportId },
      context: {},
    })) as Response;
    const text = await report.text();
    expect(text).toContain("3,organisation_code,ZZZ,");
    expect(text).toContain("4,leaving_reason,Fed up,");
  });

  it("imports a clean file once: the same file again changes nothing; removing the import removes its leavers", async () => {
    const csv = [HEADER, row("AAA", 1), row("BBB", 2), row("BBB", 3)].join("\n");
    const first = await runRoute(() => action({ request: upload(csv, adminCookie), params: {}, context: {} }));
    expect(first.status).toBe(302);
    const stored = await leavers();
    expect(stored).toHaveLength(3);
    expect(stored.filter((l) => l.organisationId === orgB)).toHaveLength(2);
    expect(JSON.stringify(stored)).not.toContain("10000001");

    const again = await runRoute(() => action({ request: upload(csv, adminCookie), params: {}, context: {} }));
    expect(again.location).toBe("/admin/leavers?unchanged=3");
    expect(await leavers()).toHaveLength(3);
    const imports = await getDb().select().from(esrLeaverImports);
    expect(imports).toHaveLength(1);

    // A file with one new leaver adds only that one.
    const more = await runRoute(() =>
      action({
        request: upload([HEADER, row("AAA", 1), row("AAA", 5)].join("\n"), adminCookie),
        params: {},
        context: {},
      }),
    );
    expect(more.status).toBe(302);
    expect(await leavers()).toHaveLength(4);

    const removed = await runRoute(() =>
      removeAction({
        request: new Request(appUrl(`/admin/leavers/${imports[0].id}/remove`), {
          method: "POST",
          headers: { Cookie: adminCookie },
        }),
        params: { importId: String(imports[0].id) },
        context: {},
      }),
    );
    expect(removed.location).toBe("/admin/leavers?removed=3");
    expect(await leavers()).toHaveLength(1);
  });

  it("refuses everyone but administrators", async () => {
    const before = (await leavers()).length;
    for (const role of ["staff", "coordinator", "manager"] as const) {
      const user = await createUser({ role, organisationId: orgA });
      const cookie = await signInCookie(user.id);
      const outcome = await runRoute(() =>
        action({ request: upload([HEADER, row("AAA", 1)].join("\n"), cookie), params: {}, context: {} }),
      );
      expect(outcome.status).toBe(403);
      const page = await runRoute(() =>
        loader({ request: getRequest("/admin/leavers", { cookie }), params: {}, context: {} }),
      );
      expect(page.status).toBe(403);
    }
    expect(await leavers()).toHaveLength(before);
  });
});
