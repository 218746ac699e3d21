// "Your data" (issue 12, part 3): the download holds only the caller's data (attacked with another
// person's ids), every value is escaped in its HTML; deleting an account withdraws open requests
// (the hub is told), leaves the person's name, address, phone, answers and messages nowhere in the
// database (every text and JSON column of every table is searched), signs them out everywhere and
// leaves the insights totals as they were. Administrators erase on request with a reason.
import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import {
  adminAudit,
  authThrottleEvents,
  checkIns,
  emailChangeTokens,
  mailOutbox,
  requestEvents,
  reservistInvitations,
  reservistNeeds,
  reservistPlaces,
  reservists,
  reservistSkillChoices,
  reservistSkills,
  sessions,
  supportRequests,
  twoStepSettings,
  users,
} from "@db/schema";
import {
  anonymiseRequest,
  eraseAccountByAdmin,
  eraseMyAccount,
  ERASED_NAME,
  isErasureError,
} from "~/.server/models/anonymise.server";
import { FREE_FAILURES_PER_PAIR } from "~/.server/auth/throttle.server";
import { addressKey } from "~/.server/models/auth-throttle.server";
import { recordAccess } from "~/.server/models/hub-access.server";
import { addInternalNote, messageRequester, openHubRequest } from "~/.server/models/hub-requests.server";
import { describeAnswers } from "~/schemas/request-forms";
import { collectMyData, exportMyData, myDataHtml } from "~/.server/models/my-data.server";
import { submitMyLeaving } from "~/.server/models/leaving.server";
import { leavingSchema } from "~/schemas/leaving";
import { createRequest, getMyRequest, replyToMyRequest } from "~/.server/models/requests.server";
import { unzip } from "~/.server/zip.server";
import { deliverDueMail, enqueueMail, ERASED_RECIPIENT, type MailMessage } from "~/.server/mail/outbox.server";
import * as downloadRoute from "~/routes/account.data_.download";
import * as deleteRoute from "~/routes/account.data_.delete";
import {
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const me = asCurrentUser;

interface Person {
  label: string;
  user: TestUser;
  reference: string;
  secret: string;
  phone: string;
  message: string;
}

let coordinator: TestUser;
let admin: TestUser;
let offerSlug: string;

let serial = 0;

async function personWithRequest(letter: string): Promise<Person> {
  // Unique per call: the test database is shared by the tests of this file.
  serial++;
  const label = `${letter}${randomUUID()
    .replace(/[^a-f]/g, "")
    .slice(0, 6)}x${serial}`;
  const org = await createOrganisation();
  const user = await createUser({
    organisationId: org.id,
    name: `Zelda ${label} Quartermaine`,
    email: `zelda.${label.toLowerCase()}.${randomUUID().slice(0, 6)}@uhnm.staywell.test`,
    jobTitle: `Ward sister ${label}`,
  });
  const secret = `Secret worry ${label} <script>alert("${label}")</script> & more`;
  const phone = `07700${String(900000 + serial * 37 + Math.floor(Math.random() * 30)).padStart(6, "0")}`;
  const created = await createRequest(me(user), offerSlug, {
    details: secret,
    contactMethod: "phone",
    contactPhone: phone,
    contactTimes: `Mornings ${label}`,
    submissionKey: randomUUID(),
  });
  const message = `My private reply ${label}`;
  await replyToMyRequest(me(user), created.reference, { message });
  const request = await getMyRequest(me(user), created.reference);
  await messageRequester(me(coordinator), created.reference, {
    body: `Hello ${user.name}, we will call you on ${phone}.`,
    version: request!.version,
  });
  const again = await getDb()
    .select({ version: supportRequests.version })
    .from(supportRequests)
    .where(eq(supportRequests.reference, created.reference));
  await addInternalNote(me(coordinator), created.reference, {
    body: `Note about ${user.name} (${user.email})`,
    version: again[0]!.version,
  });
  await recordAccess(getDb(), created.id, coordinator.id, "viewed");
  return { label, user, reference: created.reference, secret, phone, message };
}

/** Every text-like column of every table in the schema: where a name or address could hide. */
async function textColumns() {
  return queryRows<{ table_name: string; column_name: string }>(
    getDb(),
    sql`select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and data_type in ('text', 'character varying', 'jsonb', 'json')
        order by table_name, column_name`,
  );
}

/** Which needles occur (any case) in any text-like column, as "needle in table.column". */
async function findAnyOf(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { table_name, column_name } of await textColumns()) {
    const column = sql`lower(${sql.identifier(column_name)}::text)`;
    const hits = sql.join(
      needles.map((needle, i) => sql`bool_or(strpos(${column}, lower(${needle})) > 0) as ${sql.identifier(`n${i}`)}`),
      sql`, `,
    );
    const [row] = await queryRows<Record<string, boolean | null>>(
      getDb(),
      sql`select ${hits} from ${sql.identifier(table_name)}`,
    );
    needles.forEach((needle, i) => {
      if (row?.[`n${i}`]) found.push(`${needle} in ${table_name}.${column_name}`);
    });
  }
  return found;
}

async function findAnywhere(needle: string): Promise<string[]> {
  return (await findAnyOf([needle])).map((hit) => hit.slice(needle.length + 4));
}

/** The insights' all-filters totals (requests and ratings) and the raw count of requests. */
async function totals() {
  const [cube] = await queryRows<{ requests: string | number | null; rated: string | number | null }>(
    getDb(),
    sql`select sum(requests) as requests, sum(rated) as rated from insight_cube
        where breakdown = 'offer' and filter_organisation_id = 0 and filter_offer_id = 0 and filter_staff_group = ''`,
  );
  const [raw] = await queryRows<{ n: string | number }>(getDb(), sql`select count(*) as n from support_requests`);
  return { requests: Number(cube?.requests ?? 0), rated: Number(cube?.rated ?? 0), raw: Number(raw!.n) };
}

beforeEach(async () => {
  coordinator = await createUser({ role: "coordinator", name: "Corrie Coordinator" });
  admin = await createUser({ role: "admin", name: "Ada Administrator" });
  await createUser({ role: "admin", name: "Second Administrator" });
  const team = await createTeam({ name: "Wellbeing team", members: [coordinator.id] });
  const offer = await createOffer({ teamId: team.id });
  offerSlug = offer.slug;
});

describe("Download your data", () => {
  it(
    "holds the caller's profile, requests, answers, messages, status history and access log — and nobody else's",
    { timeout: 60_000 },
    async () => {
      const a = await personWithRequest("A");
      const b = await personWithRequest("B");
      const data = await collectMyData(me(a.user));
      expect(data.profile.email).toBe(a.user.email);
      expect(data.requests.map((r) => r.reference)).toEqual([a.reference]);
      const [request] = data.requests;
      expect(JSON.stringify(request!.answers)).toContain(a.secret.slice(0, 16));
      expect(request!.contact.phone).toBe(a.phone);
      expect(request!.updates.map((u) => u.message)).toContain(a.message);
      expect(request!.updates.some((u) => u.by.startsWith("Corrie Coordinator"))).toBe(true);
      expect(request!.statusHistory[0]!.to).toBe("New");
      expect(
        request!.whoLookedOrChanged.some((w) => w.name === "Corrie Coordinator" && w.role.includes("Wellbeing team")),
      ).toBe(true);
      // The hub's internal note is not included.
      expect(JSON.stringify(data)).not.toContain("Note about");
      // Nothing of B's.
      const text = JSON.stringify(data);
      for (const other of [b.reference, b.user.email, b.user.name, b.message, `Secret worry ${b.label}`, b.phone]) {
        expect(text).not.toContain(other);
      }
    },
  );

  it("holds the person's own leaving questionnaire and contact consent, and nobody else's", async () => {
    const a = await createUser({ name: "Leaving Person A" });
    const b = await createUser({ name: "Leaving Person B" });
    const answers = (details: string, personalEmail: string) =>
      leavingSchema.parse({
        leavingDate: "2026-03-31",
        destination: "nhs_outside_ics",
        reasons: ["Voluntary Resignation - Work Life Balance", "Voluntary Resignation - Relocation"],
        mainReason: "Voluntary Resignation - Work Life Balance",
        details,
        kept: ["flexible_working"],
        supportUsed: ["none"],
        supportKnown: [],
        returnWays: ["bank"],
        contactConsent: true,
        personalEmail,
      });
    expect((await collectMyData(me(a))).leaving).toBeNull();
    await submitMyLeaving(me(a), answers("<b>Rota</b> of A", "a.home@example.org"));
    await submitMyLeaving(me(b), answers("Rota of B", "b.home@example.org"));
    const data = await collectMyData(me(a));
    expect(data.leaving).toMatchObject({
      lastWorkingDay: "2026-03-31",
      whatYouToldUs: "<b>Rota</b> of A",
      whatMightHaveKeptYou: ["Flexible working or different hours"],
      wouldYouConsiderComingBack: ["Working on the staff bank"],
      // Signed in, the contact name is the account's.
      contactAboutComingBack: { name: "Leaving Person A", personalEmail: "a.home@example.org", confirmed: false },
    });
    expect(data.leaving!.whyYouAreLeaving).toHaveLength(2);
    expect(data.leaving!.mainReason).toMatch(/work-life balance|Work Life Balance/i);
    expect(JSON.stringify(data)).not.toContain("Rota of B");
    expect(JSON.stringify(data)).not.toContain("b.home@example.org");
    const html = myDataHtml(data);
    expect(html).toContain("Your leaving questionnaire");
    expect(html).toContain("a.home@example.org");
    expect(html).toContain("&lt;b&gt;Rota&lt;/b&gt; of A");
    expect(html).not.toContain("<b>Rota</b>");
  });

  it("holds the person's own first-year check-ins, reservist profile and invitations, in JSON and HTML, and nobody else's", async () => {
    const a = await personWithRequest("A");
    const b = await createUser({ name: "Reservist Person B" });
    const [aRequest] = await getDb()
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(eq(supportRequests.reference, a.reference));
    const checkIn = (
      userId: string,
      organisationId: number,
      point: string,
      extra: Partial<typeof checkIns.$inferInsert>,
    ) =>
      getDb()
        .insert(checkIns)
        .values({
          id: randomUUID(),
          userId,
          pointId: null,
          pointLabel: point,
          pointDays: 28,
          dueOn: "2026-05-01",
          organisationId,
          staffGroup: "Nursing and midwifery",
          sentAt: new Date("2026-05-01T08:00:00Z"),
          expiresAt: new Date("2026-05-22T08:00:00Z"),
          ...extra,
        });
    await checkIn(a.user.id, a.user.organisationId, "4 weeks", {
      answeredAt: new Date("2026-05-03T09:00:00Z"),
      workScore: 2,
      supportedScore: 4,
      hasWhatNeeded: "partly",
      thinkingOfLeaving: "sometimes",
      contactWanted: true,
      requestId: aRequest!.id,
    });
    await checkIn(b.id, b.organisationId, "11 weeks", { answeredAt: new Date(), workScore: 5, supportedScore: 5 });
    await getDb().update(users).set({ firstYearCheckIns: false }).where(eq(users.id, a.user.id));

    const [skillA, skillB] = await getDb()
      .insert(reservistSkills)
      .values([
        { slug: `skill-a-${a.label}`, label: `Phlebotomy ${a.label}` },
        { slug: `skill-b-${a.label}`, label: `Theatre skill of B ${a.label}` },
      ])
      .returning();
    const reservist = (userId: string, number: string) =>
      getDb()
        .insert(reservists)
        .values({
          userId,
          registrationBody: "nmc",
          registrationNumber: number,
          staffGroup: "Nursing and midwifery",
          hoursPerWeek: 12,
          days: ["mon", "sat"],
          availableFrom: "2026-06-01",
          availableUntil: null,
          dbsCurrent: true,
          lastConfirmedAt: new Date("2026-06-02T10:00:00Z"),
        });
    await reservist(a.user.id, "12A3456E");
    await reservist(b.id, "99Z9999Z");
    await getDb()
      .insert(reservistSkillChoices)
      .values([
        { userId: a.user.id, skillId: skillA!.id },
        { userId: b.id, skillId: skillB!.id },
      ]);
    await getDb().insert(reservistPlaces).values({ userId: a.user.id, organisationId: a.user.organisationId });
    const need = async (place: string) => {
      const [row] = await getDb()
        .insert(reservistNeeds)
        .values({
          organisationId: a.user.organisationId,
          place,
          staffGroup: "Nursing and midwifery",
          startDate: "2026-12-01",
          endDate: "2026-12-31",
          hoursPerWeek: 10,
          placesWanted: 2,
          reason: "winter_pressure",
          createdById: coordinator.id,
        })
        .returning();
      return row!.id;
    };
    const needA = await need(`Ward <b>7</b> ${a.label}`);
    const needB = await need(`Ward of B only ${a.label}`);
    await getDb()
      .insert(reservistInvitations)
      .values([
        {
          needId: needA,
          reservistUserId: a.user.id,
          status: "accepted",
          invitedById: coordinator.id,
          respondedAt: new Date("2026-11-02T10:00:00Z"),
        },
        { needId: needA, reservistUserId: b.id, status: "declined", invitedById: coordinator.id },
        { needId: needB, reservistUserId: b.id, status: "invited", invitedById: coordinator.id },
      ]);

    const data = await collectMyData(me(a.user));
    expect(data.retention.firstYearCheckIns.turnedOn).toBe(false);
    expect(data.retention.firstYearCheckIns.checkIns).toHaveLength(1);
    const [mine] = data.retention.firstYearCheckIns.checkIns;
    expect(mine).toMatchObject({ point: "4 weeks", dueOn: "2026-05-01", requestReference: a.reference });
    expect(mine!.answers.map((x) => x.answer)).toEqual(["2 out of 5", "4 out of 5", "Partly", "Sometimes", "Yes"]);
    expect(data.retention.reservistProfile).toMatchObject({
      registrationBody: "Nursing and Midwifery Council (NMC)",
      registrationNumber: "12A3456E",
      skills: [`Phlebotomy ${a.label}`],
      days: ["Monday", "Saturday"],
      // No copy is kept: the address bank mail would go to today (staff: the work address).
      contactEmail: a.user.email,
      pausedAt: null,
    });
    expect(data.retention.reservistProfile!.organisations).toHaveLength(1);
    expect(data.retention.reservistInvitations).toEqual([
      expect.objectContaining({
        place: `Ward <b>7</b> ${a.label}`,
        answer: "Accepted",
        reason: "Winter pressure",
        answeredAt: "2026-11-02T10:00:00.000Z",
      }),
    ]);
    const html = myDataHtml(data);
    for (const file of [JSON.stringify(data), html]) {
      expect(file).toContain(`Phlebotomy ${a.label}`);
      expect(file).toContain("12A3456E");
      for (const other of ["11 weeks", "99Z9999Z", b.email, `Theatre skill of B`, "Ward of B only", b.name]) {
        expect(file).not.toContain(other);
      }
    }
    expect(html).toContain("Your first-year check-ins (1)");
    expect(html).toContain("Check-ins are turned off for you.");
    expect(html).toContain(`Ward &lt;b&gt;7&lt;/b&gt; ${a.label}`);
    expect(html).toContain(a.user.email);
    expect(html).not.toContain("<b>7</b>");

    // Someone with none of it gets empty sections, not someone else's.
    const none = await collectMyData(me(await createUser()));
    expect(none.retention).toEqual({
      firstYearCheckIns: { turnedOn: true, checkIns: [] },
      reservistProfile: null,
      reservistInvitations: [],
    });
  });

  it("the route ignores any ids sent with it: another person's reference or id gives only the caller's own data", async () => {
    const a = await personWithRequest("A");
    const b = await personWithRequest("B");
    const cookie = await signInCookie(a.user.id);
    const res = await downloadRoute.action({
      request: formRequest(
        "/account/data/download",
        { reference: b.reference, userId: b.user.id, id: b.user.id, requesterId: b.user.id },
        { cookie },
      ),
      params: { userId: b.user.id, reference: b.reference },
      context: {},
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    expect(res.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="staywell-your-data-\d{4}-\d\d-\d\d\.zip"$/,
    );
    const files = unzip(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(["your-data.html", "your-data.json"]);
    for (const file of Object.values(files)) {
      expect(file).toContain(a.reference);
      expect(file).not.toContain(b.reference);
      expect(file).not.toContain(b.user.email);
    }
    // It is audited (who and that it happened, never what it held).
    const audit = await getDb().select().from(adminAudit).where(eq(adminAudit.entityId, a.user.id));
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([["data_exported", a.user.id]]);
    expect(audit[0]!.summary).not.toContain(a.reference);
  });

  it("escapes every value in the HTML page: what a person typed is never markup", async () => {
    const a = await personWithRequest("A");
    const html = myDataHtml(await collectMyData(me(a.user)));
    expect(html).not.toContain(`<script>alert("${a.label}")</script>`);
    expect(html).toContain(`&lt;script&gt;alert(&quot;${a.label}&quot;)&lt;/script&gt; &amp; more`);
    expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src (&#x27;|')none/);
  });

  it("refuses a cross-site POST and a signed-out one", async () => {
    const a = await personWithRequest("A");
    const cookie = await signInCookie(a.user.id);
    const evil = await runRoute(() =>
      downloadRoute.action({
        request: formRequest("/account/data/download", {}, { cookie, origin: "https://evil.example" }),
        params: {},
        context: {},
      }),
    );
    expect(evil.status).toBe(403);
    const signedOut = await runRoute(() =>
      downloadRoute.action({ request: formRequest("/account/data/download", {}), params: {}, context: {} }),
    );
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/login/);
    expect(await getDb().select().from(adminAudit).where(eq(adminAudit.entityId, a.user.id))).toHaveLength(0);
  });

  it("exportMyData builds a ZIP whose JSON parses back to the same export", async () => {
    const a = await personWithRequest("A");
    const files = unzip(await exportMyData(me(a.user)));
    const parsed = JSON.parse(files["your-data.json"]!) as { requests: { reference: string }[] };
    expect(parsed.requests.map((r) => r.reference)).toEqual([a.reference]);
  });
});

describe("Delete your account", () => {
  it("replaces a name only in what is linked to the person: renaming yourself 'the request' rewrites nobody else's text", async () => {
    const a = await personWithRequest("A");
    const b = await personWithRequest("B");
    // Text that belongs to others and happens to hold the words the attacker renames themselves to.
    const othersNote = `Hello ${b.user.name}, we will call you on ${b.phone}.`;
    const [audit] = await getDb()
      .insert(adminAudit)
      .values({
        actorId: admin.id,
        entity: "team",
        entityId: "1",
        action: "updated",
        summary: "Renamed the request team",
      })
      .returning({ id: adminAudit.id });
    await getDb().update(users).set({ name: "the request" }).where(eq(users.id, a.user.id));
    const cookie = await signInCookie(a.user.id);
    const res = await runRoute(() =>
      deleteRoute.action({
        request: formRequest("/account/data/delete", { password: a.user.password }, { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(res.status).toBe(302);
    const [kept] = await getDb().select().from(adminAudit).where(eq(adminAudit.id, audit!.id));
    expect(kept!.summary).toBe("Renamed the request team");
    const bodies = (await getDb().select({ body: requestEvents.body }).from(requestEvents)).map((e) => e.body);
    expect(bodies).toContain(othersNote);
    expect(bodies.some((body) => body?.includes("[deleted account]"))).toBe(false);
  });

  it("counts wrong passwords as failed sign-ins: past the limit even the right one is refused and nothing is erased", async () => {
    const a = await personWithRequest("A");
    const cookie = await signInCookie(a.user.id);
    const attempt = (password: string) =>
      runRoute(() =>
        deleteRoute.action({
          request: formRequest("/account/data/delete", { password }, { cookie }),
          params: {},
          context: { clientAddress: "203.0.113.9" },
        }),
      );
    for (let i = 0; i < FREE_FAILURES_PER_PAIR; i++) {
      expect((await attempt(`wrong guess ${i}`)).status).toBe(400);
    }
    const refused = await attempt(a.user.password);
    expect(refused.status).toBe(429);
    expect((refused.data as { errors: Record<string, string> }).errors.password).toMatch(/^Too many wrong passwords/);
    const [row] = await getDb().select().from(users).where(eq(users.id, a.user.id));
    expect(row!.erasedAt).toBeNull();
    expect(row!.name).toBe(a.user.name);
  });

  it("needs the right password: a wrong one changes nothing", async () => {
    const a = await personWithRequest("A");
    const cookie = await signInCookie(a.user.id);
    const res = await runRoute(() =>
      deleteRoute.action({
        request: formRequest("/account/data/delete", { password: "not my password at all" }, { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(res.status).toBe(400);
    expect((res.data as { errors: Record<string, string> }).errors.password).toBe("The password is not right");
    const [row] = await getDb().select().from(users).where(eq(users.id, a.user.id));
    expect(row!.name).toBe(a.user.name);
    expect(row!.erasedAt).toBeNull();
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, a.user.id))).toHaveLength(1);
  });

  it(
    "withdraws open requests (the hub is told), erases everything identifying, signs out everywhere, keeps the totals",
    { timeout: 90_000 },
    async () => {
      const a = await personWithRequest("A");
      const b = await personWithRequest("B");
      // A closed, rated request with a comment, and a throttle row keyed by A's address.
      const closed = await createRequest(me(a.user), offerSlug, {
        details: `An older worry of ${a.label}`,
        contactMethod: "email",
        submissionKey: randomUUID(),
      });
      await getDb()
        .update(supportRequests)
        .set({ status: "closed", closeOutcome: "support_given", closedAt: new Date() })
        .where(eq(supportRequests.id, closed.id));
      await getDb()
        .update(supportRequests)
        .set({ satisfactionRating: 4, satisfactionComment: `Thanks from ${a.label}`, ratedAt: new Date() })
        .where(eq(supportRequests.id, closed.id));
      await getDb()
        .insert(authThrottleEvents)
        .values({ kind: "sign_in_failure", emailHash: addressKey(a.user.email) });
      // Contact preferences on the account, an email change waiting for its link, two-step verification.
      await getDb()
        .update(users)
        .set({ contactPhone: `07700 955 ${a.label}`, contactTimes: `After six ${a.label}` })
        .where(eq(users.id, a.user.id));
      await getDb()
        .insert(emailChangeTokens)
        .values({
          userId: a.user.id,
          newEmail: `moving.${a.label}@new-employer.test`,
          organisationId: a.user.organisationId,
          tokenHash: `hash-${randomUUID()}`,
          expiresAt: new Date(Date.now() + 3_600_000),
        });
      await getDb()
        .insert(twoStepSettings)
        .values({ userId: a.user.id, secret: `SECRET${a.label}SECRETSECRET` });
      const cookie = await signInCookie(a.user.id);
      await signInCookie(a.user.id); // a second device
      const before = await totals();
      expect(before.requests).toBeGreaterThanOrEqual(3);

      const res = await runRoute(() =>
        deleteRoute.action({
          request: formRequest("/account/data/delete", { password: a.user.password }, { cookie }),
          params: {},
          context: {},
        }),
      );
      expect(res.status).toBe(302);
      expect(res.location).toBe("/account-deleted");
      expect(res.headers?.get("Set-Cookie")).toMatch(/^staywell_session=;/);

      // Signed out everywhere.
      expect(await getDb().select().from(sessions).where(eq(sessions.userId, a.user.id))).toHaveLength(0);
      // The open request was withdrawn and the coordinator told (by mail, without the person's words).
      const [open] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, a.reference));
      expect(open!.status).toBe("withdrawn");
      expect(open!.anonymisedAt).not.toBeNull();
      const told = await getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, coordinator.email));
      expect(told.some((m) => m.subject === `${a.reference} was withdrawn`)).toBe(true);
      // Nothing identifying is left anywhere in the database.
      const needles = [
        a.user.name,
        a.user.email,
        `Zelda ${a.label}`,
        a.phone,
        `Secret worry ${a.label}`,
        a.message,
        `Mornings ${a.label}`,
        `Ward sister ${a.label}`,
        `An older worry of ${a.label}`,
        `Thanks from ${a.label}`,
        addressKey(a.user.email),
        `07700 955 ${a.label}`,
        `After six ${a.label}`,
        `moving.${a.label}@new-employer.test`,
        `SECRET${a.label}SECRETSECRET`,
      ];
      expect(await findAnyOf(needles)).toEqual([]);
      // The account row stays, holding nothing, and cannot sign in.
      const [row] = await getDb().select().from(users).where(eq(users.id, a.user.id));
      expect(row!.name).toBe(ERASED_NAME);
      expect(row!.erasedAt).not.toBeNull();
      expect(row!.disabledAt).not.toBeNull();
      // The rating stays for the figures; the comment is gone.
      const [rated] = await getDb().select().from(supportRequests).where(eq(supportRequests.id, closed.id));
      expect(rated!.satisfactionRating).toBe(4);
      expect(rated!.satisfactionComment).toBeNull();
      // The insights totals are unchanged.
      expect(await totals()).toEqual(before);
      // B is untouched.
      expect(await findAnywhere(b.user.email)).toContain("users.email");
      expect((await getMyRequest(me(b.user), b.reference))!.contactPhone).toBe(b.phone);
      // The audit log says it happened (by the person), without naming them.
      const [entry] = await getDb()
        .select()
        .from(adminAudit)
        .where(and(eq(adminAudit.action, "erased"), eq(adminAudit.entityId, a.user.id)));
      expect(entry!.actorId).toBe(a.user.id);
      expect(entry!.summary).toBe("The person deleted their own account");
    },
  );

  it("a cross-site POST is refused before anything happens", async () => {
    const a = await personWithRequest("A");
    const cookie = await signInCookie(a.user.id);
    const res = await runRoute(() =>
      deleteRoute.action({
        request: formRequest(
          "/account/data/delete",
          { password: a.user.password },
          { cookie, origin: "https://evil.example" },
        ),
        params: {},
        context: {},
      }),
    );
    expect(res.status).toBe(403);
    const [row] = await getDb().select().from(users).where(eq(users.id, a.user.id));
    expect(row!.erasedAt).toBeNull();
  });

  it("anonymiseRequest erases answers, contact details and texts and is idempotent", async () => {
    const a = await personWithRequest("A");
    const [req] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, a.reference));
    const first = await getDb().transaction((tx) => anonymiseRequest(tx, req!.id));
    expect(first.eventsErased).toBeGreaterThanOrEqual(3); // reply, hub message, internal note
    const second = await getDb().transaction((tx) => anonymiseRequest(tx, req!.id));
    expect(second.eventsErased).toBe(0);
    const [after] = await getDb().select().from(supportRequests).where(eq(supportRequests.id, req!.id));
    expect(after!.answers).toEqual({});
    expect(after!.contactPhone).toBeNull();
    expect(after!.contactTimes).toBeNull();
    expect(after!.status).toBe(req!.status);
    expect(after!.recordKey).toBe(req!.recordKey);
  });
});

describe("An administrator deletes an account on request", () => {
  it(
    "records the reason in the audit log (the person's name replaced) and erases the account",
    { timeout: 60_000 },
    async () => {
      const b = await personWithRequest("B");
      const before = await totals();
      const result = await eraseAccountByAdmin(me(admin), b.user.id, {
        reason: `${b.user.name} asked by email on 3 March`,
        confirm: "yes",
      });
      expect(result.withdrawn).toEqual([b.reference]);
      const [entry] = await getDb()
        .select()
        .from(adminAudit)
        .where(and(eq(adminAudit.action, "erased"), eq(adminAudit.entityId, b.user.id)));
      expect(entry!.actorId).toBe(admin.id);
      expect(entry!.entityId).toBe(b.user.id);
      expect(entry!.summary).toBe(
        "Deleted an account at the person's request. Reason: [deleted account] asked by email on 3 March",
      );
      // Only the mail telling the person holds their address, until it is sent.
      expect(await findAnywhere(b.user.email)).toEqual(["mail_outbox.to_address"]);
      expect(await findAnywhere(`Zelda ${b.label}`)).toEqual([]);
      const sent: MailMessage[] = [];
      const transport = async (m: MailMessage) => void sent.push(m);
      while ((await deliverDueMail(transport, 50)).sent > 0);
      const goodbye = sent.filter((m) => m.to === b.user.email);
      expect(goodbye.map((m) => m.subject)).toEqual(["Your StayWell account has been deleted"]);
      expect(goodbye[0]!.text).not.toContain("Zelda");
      // Sent: the row keeps neither the address nor the text.
      expect(await findAnywhere(b.user.email)).toEqual([]);
      const [row] = await getDb()
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.subject, "Your StayWell account has been deleted"), eq(mailOutbox.status, "sent")))
        .orderBy(desc(mailOutbox.id))
        .limit(1);
      expect([row!.toAddress, row!.textBody]).toEqual([ERASED_RECIPIENT, ""]);
      // The hub sees why the answers are gone.
      const view = await openHubRequest(me(coordinator), b.reference);
      expect(view.answersRemoved).toBe("account_deleted");
      expect(describeAnswers(view.offer.formKind, view.answers, view.answersRemoved)[0]!.answer).toBe(
        "Removed (account deleted)",
      );
      expect(await totals()).toEqual(before);
    },
  );

  it("a mail to an erased address that fails for a day is given up and blanked, never resent", async () => {
    await enqueueMail(getDb(), { to: "gone@erased.staywell.test", subject: "S", text: "T", eraseAfterSend: true });
    // Fails for this address only (other tests' mail is sent as usual).
    const failing = async (m: MailMessage) => {
      if (m.to === "gone@erased.staywell.test") throw new Error("550 no such user");
    };
    const start = Date.now();
    await deliverDueMail(failing, 50, new Date(start));
    await deliverDueMail(failing, 50, new Date(start + 25 * 3600_000));
    expect(await findAnywhere("gone@erased.staywell.test")).toEqual([]);
  });

  it("needs a reason and the confirmation, refuses their own account, a staff caller and a second erasure", async () => {
    const b = await personWithRequest("B");
    const refused = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        return null;
      } catch (err) {
        return err;
      }
    };
    const noReason = await refused(() => eraseAccountByAdmin(me(admin), b.user.id, { reason: "  ", confirm: "yes" }));
    expect(isErasureError(noReason, "invalid") && noReason.field).toBe("reason");
    const noConfirm = await refused(() => eraseAccountByAdmin(me(admin), b.user.id, { reason: "Asked", confirm: "" }));
    expect(isErasureError(noConfirm, "invalid") && noConfirm.field).toBe("confirm");
    const own = await refused(() => eraseAccountByAdmin(me(admin), admin.id, { reason: "Asked", confirm: "yes" }));
    expect(isErasureError(own, "invalid")).toBe(true);
    const staff = await refused(() => eraseAccountByAdmin(me(b.user), coordinator.id, { reason: "x", confirm: "yes" }));
    expect(staff).toBeInstanceOf(Error);
    expect(isErasureError(staff)).toBe(false);
    const [untouched] = await getDb().select().from(users).where(eq(users.id, coordinator.id));
    expect(untouched!.erasedAt).toBeNull();
    await eraseAccountByAdmin(me(admin), b.user.id, { reason: "Asked", confirm: "yes" });
    const twice = await refused(() => eraseAccountByAdmin(me(admin), b.user.id, { reason: "Asked", confirm: "yes" }));
    expect(isErasureError(twice, "already_erased")).toBe(true);
  });

  it("the last administrator cannot delete their own account", async () => {
    const only = await createUser({ role: "admin", name: "Only Admin" });
    await getDb()
      .update(users)
      .set({ disabledAt: new Date() })
      .where(sql`${users.role} = 'admin' and ${users.id} <> ${only.id}`);
    const err = await eraseMyAccount(me(only), { password: only.password }).catch((e: unknown) => e);
    expect(isErasureError(err, "last_admin")).toBe(true);
  });
});
