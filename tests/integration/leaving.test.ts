// The leaving questionnaire (issue 13 part 2, docs/decisions/033-leaving-questionnaire.md):
// validation keeps what was typed; answers are stored as countable columns and rows; need-to-know
// (only the person sees their answers; only Retention and careers coordinators see verified contact
// consents, nothing else; managers and other teams see nothing); links are single-use, expire and
// cannot be replayed; consent counts only after verification; erasure and retention.
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import {
  adminAudit,
  leavingContacts,
  leavingLinks,
  leavingResponses,
  mailOutbox,
  supportOffers,
  teamMembers,
  teams,
} from "@db/schema";
import { applyRetention } from "~/.server/jobs/retention.server";
import { eraseMyAccount } from "~/.server/models/anonymise.server";
import {
  confirmContact,
  isLeavingError,
  myLeaving,
  parseLeaverList,
  RETENTION_TEAM_SLUG,
  retentionContacts,
  sendLeavingLinks,
  submitMyLeaving,
} from "~/.server/models/leaving.server";
import { PermissionError } from "~/.server/permissions.server";
import * as adminLinksRoute from "~/routes/admin.leaving-questionnaire";
import * as hubLeaversRoute from "~/routes/hub.leavers";
import * as hubIndexRoute from "~/routes/hub._index";
import * as confirmRoute from "~/routes/leaving.confirm-contact";
import * as leavingRoute from "~/routes/leaving._index";
import * as linkRoute from "~/routes/leaving.$token";
import { leavingSchema, type LeavingInput } from "~/schemas/leaving";
import { STAY_OFFER_SLUG } from "~/lib/leaving";
import {
  addTeamMembers,
  asCurrentUser,
  createOffer,
  createOrganisation,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie, type FormFields } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const me = asCurrentUser;
const WLB = "Voluntary Resignation - Work Life Balance";
const PAY = "Voluntary Resignation - Better Reward Package";

let offerId: number;
let retentionCoordinator: TestUser;
let otherCoordinator: TestUser;
let manager: TestUser;
let admin: TestUser;

beforeAll(async () => {
  const offer = await createOffer();
  offerId = offer.id;
  const [team] = await getDb()
    .insert(teams)
    .values({ slug: RETENTION_TEAM_SLUG, name: "Retention and careers" })
    .returning();
  // The team that handles the stay conversations offer is the one that sees the contact consents.
  await createOffer({ slug: STAY_OFFER_SLUG, teamId: team.id });
  retentionCoordinator = await createUser({ role: "coordinator" });
  await addTeamMembers(team.id, [retentionCoordinator.id]);
  otherCoordinator = await createUser({ role: "coordinator" });
  await createTeam({ members: [otherCoordinator.id] });
  manager = await createUser({ role: "manager" });
  admin = await createUser({ role: "admin" });
});

function fields(overrides: FormFields = {}): FormFields {
  return {
    intent: "submit",
    "leavingDate-day": "31",
    "leavingDate-month": "3",
    "leavingDate-year": "2026",
    destination: "nhs_outside_ics",
    reasons: [WLB, PAY],
    mainReason: WLB,
    details: "Rota changes every week; Zebedee-secret-text",
    kept: ["flexible_working"],
    supportUsed: [String(offerId)],
    supportKnown: [],
    returnWays: ["bank"],
    ...overrides,
  };
}

function input(overrides: Partial<LeavingInput> = {}): LeavingInput {
  return leavingSchema.parse({
    leavingDate: "2026-03-31",
    destination: "nhs_outside_ics",
    reasons: [WLB],
    mainReason: WLB,
    kept: [],
    supportUsed: ["none"],
    supportKnown: [],
    returnWays: ["retire_return"],
    contactConsent: false,
    ...overrides,
  });
}

async function post(
  path: string,
  route: { action: (args: never) => Promise<unknown> },
  user: TestUser | null,
  body: FormFields,
  params: Record<string, string> = {},
) {
  const cookie = user ? await signInCookie(user.id) : undefined;
  return runRoute(() => route.action({ request: formRequest(path, body, { cookie }), params, context: {} } as never));
}

async function load(
  path: string,
  route: { loader: (args: never) => Promise<unknown> },
  user: TestUser | null,
  params: Record<string, string> = {},
) {
  const cookie = user ? await signInCookie(user.id) : undefined;
  return runRoute(() => route.loader({ request: getRequest(path, { cookie }), params, context: {} } as never));
}

async function lastMailTo(address: string) {
  const [mail] = await getDb()
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.toAddress, address))
    .orderBy(sql`${mailOutbox.id} desc`)
    .limit(1);
  return mail;
}

describe("the questionnaire form", () => {
  it("refuses bad answers with a specific error for each field and keeps what was typed", async () => {
    const person = await createUser();
    const out = await post("/leaving", leavingRoute, person, {
      intent: "submit",
      "leavingDate-day": "31",
      "leavingDate-month": "2",
      "leavingDate-year": "2026",
      reasons: [PAY],
      mainReason: WLB,
      details: "kept text",
      supportUsed: ["none", String(offerId)],
      returnWays: ["no"],
      contactConsent: "on",
    });
    expect(out.status).toBe(400);
    const { errors, values } = out.data as { errors: Record<string, string>; values: Record<string, unknown> };
    expect(errors.leavingDate).toBe("Your leaving date must be a real date");
    expect(errors.destination).toBe("Select where you are going");
    expect(values.details).toBe("kept text");
    expect(values.reasons).toEqual([PAY]);

    // Once each answer is there, the answers that contradict each other are named.
    const second = await post("/leaving", leavingRoute, person, {
      ...fields(),
      reasons: [PAY],
      mainReason: WLB,
      supportUsed: ["none", String(offerId)],
      returnWays: ["no"],
      contactConsent: "on",
    });
    expect(second.status).toBe(400);
    const more = (second.data as { errors: Record<string, string> }).errors;
    expect(more.mainReason).toBe("The main reason must be one of the reasons you selected");
    expect(more.supportUsed).toBe("Select the support you used, or None, not both");
    expect(more.contactConsent).toMatch(/not consider coming back/);
    expect(more.personalEmail).toBe("Enter a personal email address");
    expect(await myLeaving(me(person))).toBeNull();
  });

  it("refuses a work address for the contact consent", async () => {
    const org = await createOrganisation();
    const person = await createUser({ organisationId: org.id });
    const out = await post(
      "/leaving",
      leavingRoute,
      person,
      fields({ contactConsent: "on", personalEmail: `me@${org.domains[0]}` }),
    );
    expect(out.status).toBe(400);
    expect((out.data as { errors: Record<string, string> }).errors.personalEmail).toMatch(/personal email address/);
    expect((out.data as { values: Record<string, unknown> }).values.personalEmail).toBe(`me@${org.domains[0]}`);
  });

  it("stores the answers as columns and rows SQL can count, and shows them to the person", async () => {
    const org = await createOrganisation();
    const person = await createUser({
      organisationId: org.id,
      startDate: "2025-09-01",
      staffGroup: "nursing_midwifery",
    });
    const out = await post("/leaving", leavingRoute, person, fields());
    expect(out.status).toBe(302);
    expect(out.location).toBe("/leaving?done=sent");

    const [row] = await getDb().select().from(leavingResponses).where(eq(leavingResponses.userId, person.id));
    expect(row).toMatchObject({
      organisationId: org.id,
      staffGroup: "nursing_midwifery",
      tenureBand: "6_10m",
      destination: "nhs_outside_ics",
      mainReason: WLB,
      usedSupport: true,
      wouldReturn: true,
    });
    const counts = await queryRows<{ question: string; value: string; n: number }>(
      getDb(),
      sql`select c.question, c.value, count(*)::int as n from leaving_response_choices c
            join leaving_responses r on r.id = c.response_id where r.organisation_id = ${org.id}
           group by c.question, c.value order by c.question, c.value`,
    );
    expect(counts.map((c) => `${c.question}:${c.value}:${c.n}`)).toEqual([
      "kept:flexible_working:1",
      `reason:${PAY}:1`,
      `reason:${WLB}:1`,
      "return:bank:1",
      `support_used:${offerId}:1`,
    ]);

    const page = await load("/leaving", leavingRoute, person);
    const mine = (page.data as { mine: Awaited<ReturnType<typeof myLeaving>> }).mine;
    expect(mine?.details).toContain("Zebedee-secret-text");

    // A second questionnaire is not stored.
    const again = await post("/leaving", leavingRoute, person, fields({ destination: "study" }));
    expect(again.location).toBe("/leaving");
    const all = await getDb().select().from(leavingResponses).where(eq(leavingResponses.userId, person.id));
    expect(all).toHaveLength(1);
  });
});

describe("need to know", () => {
  it("nobody else sees one person's answers; only Retention and careers coordinators see verified consents", async () => {
    const leaver = await createUser({ name: "Ophelia Leaverton" });
    await submitMyLeaving(
      me(leaver),
      input({ contactConsent: true, personalEmail: "ophelia.home@example.org", details: "Private-words-QX" }),
    );
    const colleague = await createUser({ organisationId: leaver.organisationId });

    // Another person, a manager, coordinators and an administrator see only their own (none) at /leaving.
    for (const other of [colleague, manager, otherCoordinator, retentionCoordinator, admin]) {
      const page = await load("/leaving", leavingRoute, other);
      expect(page.status).toBe(200);
      expect((page.data as { mine: unknown }).mine).toBeNull();
      expect(JSON.stringify(page.data)).not.toContain("Private-words-QX");
    }

    // Before verification: nobody, not even the Retention and careers team, sees the consent.
    expect(await retentionContacts(me(retentionCoordinator))).toEqual([]);

    // Coordinators of other teams, managers and administrators: refused.
    for (const other of [otherCoordinator, manager, admin, colleague]) {
      await expect(retentionContacts(me(other))).rejects.toBeInstanceOf(PermissionError);
      const page = await load("/hub/leavers", hubLeaversRoute, other);
      expect(page.status).toBe(403);
      expect(page.body ?? "").not.toContain("ophelia");
    }

    const mail = await lastMailTo("ophelia.home@example.org");
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.textBody)![1];
    // Opening the link (GET) confirms nothing: only the button's POST does.
    await load(`/leaving/confirm-contact?token=${token}`, confirmRoute, null);
    expect(await retentionContacts(me(retentionCoordinator))).toEqual([]);
    const confirmed = await post("/leaving/confirm-contact", confirmRoute, null, { token });
    expect((confirmed.data as { result: string }).result).toBe("confirmed");
    // The link works once.
    const replay = await post("/leaving/confirm-contact", confirmRoute, null, { token });
    expect(replay.status).toBe(404);

    const page = await load("/hub/leavers", hubLeaversRoute, retentionCoordinator);
    expect(page.status).toBe(200);
    const contacts = (page.data as { contacts: Record<string, unknown>[] }).contacts;
    expect(contacts).toHaveLength(1);
    // Only the consent: name, personal address, ways back, when they left.
    expect(Object.keys(contacts[0]).sort()).toEqual([
      "confirmedAt",
      "leavingDate",
      "name",
      "personalEmail",
      "returnWays",
    ]);
    expect(contacts[0]).toMatchObject({
      name: "Ophelia Leaverton",
      personalEmail: "ophelia.home@example.org",
      returnWays: ["retire_return"],
      leavingDate: "2026-03-31",
    });
    expect(JSON.stringify(page.data)).not.toContain("Private-words-QX");

    // The person withdraws the consent: gone from the list.
    const withdrawn = await post("/leaving", leavingRoute, leaver, { intent: "withdraw-contact" });
    expect(withdrawn.location).toBe("/leaving?done=contact");
    expect(await retentionContacts(me(retentionCoordinator))).toEqual([]);
    expect((await myLeaving(me(leaver)))?.contact).toBeNull();

    // And withdraws the answers.
    await post("/leaving", leavingRoute, leaver, { intent: "withdraw" });
    expect(await myLeaving(me(leaver))).toBeNull();
  });

  it("an expired verification link confirms nothing", async () => {
    const leaver = await createUser();
    const start = new Date("2026-03-01T10:00:00Z");
    await submitMyLeaving(me(leaver), input({ contactConsent: true, personalEmail: "late@example.org" }), start);
    const token = /token=([A-Za-z0-9_-]+)/.exec((await lastMailTo("late@example.org")).textBody)![1];
    expect(await confirmContact(token, new Date("2026-03-09T10:00:00Z"))).toBe("expired");
    expect(await confirmContact("not-a-real-token")).toBe("invalid");
    const [contact] = await getDb()
      .select()
      .from(leavingContacts)
      .where(eq(leavingContacts.personalEmail, "late@example.org"));
    expect(contact.verifiedAt).toBeNull();
  });
});

describe("links an organisation sends", () => {
  it("only administrators send them; each is single use, expires, and ties the answers to the organisation", async () => {
    const org = await createOrganisation();
    const address = `leaver.one@${org.domains[0]}`;

    await expect(
      sendLeavingLinks(me(manager), {
        organisationId: org.id,
        rows: [{ line: 1, email: address, leavingDate: "2026-04-30" }],
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const refused = await post("/admin/leaving-questionnaire", adminLinksRoute, manager, {
      organisationId: String(org.id),
      leavers: `${address}, 30/04/2026`,
    });
    expect(refused.status).toBe(403);

    // A list with a bad line sends nothing and names the line.
    const bad = await post("/admin/leaving-questionnaire", adminLinksRoute, admin, {
      organisationId: String(org.id),
      leavers: `email,leaving_date\n${address}, 30/04/2026\nnot-an-address, 30/04/2026\n${address}, 31/02/2026`,
    });
    expect(bad.status).toBe(400);
    expect((bad.data as { problems: string[] }).problems).toEqual([
      'Line 3: "not-an-address" is not an email address',
      "Line 4: the leaving date must be a real date, like 2026-03-31 or 31/03/2026",
    ]);
    expect(await getDb().select().from(leavingLinks).where(eq(leavingLinks.organisationId, org.id))).toHaveLength(0);

    const sent = await post("/admin/leaving-questionnaire", adminLinksRoute, admin, {
      organisationId: String(org.id),
      leavers: `${address}, 30/04/2026`,
    });
    expect(sent.status).toBe(200);
    expect((sent.data as { sent: unknown }).sent).toEqual({ sent: 1, alreadySent: 0 });
    const [link] = await getDb().select().from(leavingLinks).where(eq(leavingLinks.organisationId, org.id));
    // Stored hashed: neither the token nor the address is in the row.
    const mail = await lastMailTo(address);
    const token = new RegExp("/leaving/([A-Za-z0-9_-]{40,})").exec(mail.textBody)![1];
    expect(JSON.stringify(link)).not.toContain(token);
    expect(JSON.stringify(link)).not.toContain(address);
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBe(60 * 24 * 3600 * 1000);
    const [audit] = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.action, "leaving_links_sent"), eq(adminAudit.entityId, String(org.id))));
    expect(audit.after).toMatchObject({ sent: 1 });
    expect(JSON.stringify(audit)).not.toContain(address);

    // A second send to the same address while the link is live sends nothing.
    const twice = await sendLeavingLinks(me(admin), {
      organisationId: org.id,
      rows: [{ line: 1, email: address, leavingDate: "2026-04-30" }],
    });
    expect(twice).toEqual({ sent: 0, alreadySent: 1 });

    // Works without an account.
    const opened = await load(`/leaving/${token}`, linkRoute, null, { token });
    expect(opened.status).toBe(200);
    expect((opened.data as { state: { status: string; leavingDate: string } }).state).toMatchObject({
      status: "ok",
      leavingDate: "2026-04-30",
    });
    // A refused form does not use the link up.
    const invalid = await post(`/leaving/${token}`, linkRoute, null, { destination: "study" }, { token });
    expect(invalid.status).toBe(400);
    const answered = await post(
      `/leaving/${token}`,
      linkRoute,
      null,
      fields({ "leavingDate-day": "30", "leavingDate-month": "4" }),
      { token },
    );
    expect(answered.status).toBe(302);
    expect(answered.location).toBe("/leaving/thank-you");
    const [response] = await getDb().select().from(leavingResponses).where(eq(leavingResponses.linkId, link.id));
    expect(response).toMatchObject({ organisationId: org.id, userId: null, leavingDate: "2026-04-30" });

    // Used once: opening or answering again says so, and stores nothing.
    const reopened = await load(`/leaving/${token}`, linkRoute, null, { token });
    expect(reopened.status).toBe(410);
    expect((reopened.data as { state: { status: string } }).state.status).toBe("used");
    const replay = await post(`/leaving/${token}`, linkRoute, null, fields(), { token });
    expect(replay.status).toBe(410);
    expect(
      await getDb().select().from(leavingResponses).where(eq(leavingResponses.organisationId, org.id)),
    ).toHaveLength(1);

    // An unknown token: 404.
    const unknown = await load("/leaving/abcdefabcdef", linkRoute, null, { token: "abcdefabcdef" });
    expect(unknown.status).toBe(404);
  });

  it("an expired link says so and stores nothing", async () => {
    const org = await createOrganisation();
    const address = `leaver.two@${org.domains[0]}`;
    const sentAt = new Date(Date.now() - 61 * 24 * 3600 * 1000);
    await sendLeavingLinks(
      me(admin),
      { organisationId: org.id, rows: [{ line: 1, email: address, leavingDate: "2026-01-31" }] },
      sentAt,
    );
    const token = new RegExp("/leaving/([A-Za-z0-9_-]{40,})").exec((await lastMailTo(address)).textBody)![1];
    const opened = await load(`/leaving/${token}`, linkRoute, null, { token });
    expect(opened.status).toBe(410);
    expect((opened.data as { state: { status: string } }).state.status).toBe("expired");
    const answered = await post(`/leaving/${token}`, linkRoute, null, fields(), { token });
    expect(answered.status).toBe(410);
    expect(
      await getDb().select().from(leavingResponses).where(eq(leavingResponses.organisationId, org.id)),
    ).toHaveLength(0);
  });

  it("parses typed lists and CSV text alike", () => {
    expect(parseLeaverList('Email,Leaving date\r\n a@b.nhs.uk ; 2026-03-01\n\n"c@d.nhs.uk","1/4/2026"\n')).toEqual({
      rows: [
        { line: 2, email: "a@b.nhs.uk", leavingDate: "2026-03-01" },
        { line: 4, email: "c@d.nhs.uk", leavingDate: "2026-04-01" },
      ],
      problems: [],
    });
  });
});

describe("erasure and retention", () => {
  it("erasing the account deletes the consent and free text but keeps the counted answers", async () => {
    const leaver = await createUser({ name: "Perdita Eraseme" });
    await submitMyLeaving(
      me(leaver),
      input({ contactConsent: true, personalEmail: "perdita@example.org", details: "Perdita-free-text" }),
    );
    const [before] = await getDb().select().from(leavingResponses).where(eq(leavingResponses.userId, leaver.id));
    await eraseMyAccount(me(leaver), { password: leaver.password });
    const [after] = await getDb().select().from(leavingResponses).where(eq(leavingResponses.id, before.id));
    expect(after).toMatchObject({
      userId: null,
      details: null,
      destination: before.destination,
      mainReason: before.mainReason,
      organisationId: before.organisationId,
    });
    expect(await getDb().select().from(leavingContacts).where(eq(leavingContacts.responseId, before.id))).toHaveLength(
      0,
    );
  });

  it("the retention job erases free text after 24 months, unconfirmed consents after a week, and old links", async () => {
    const leaver = await createUser();
    const answeredAt = new Date("2030-01-10T10:00:00Z");
    await submitMyLeaving(
      me(leaver),
      input({ contactConsent: true, personalEmail: "unconfirmed@example.org", details: "Old-words" }),
      answeredAt,
    );
    const org = await createOrganisation();
    await sendLeavingLinks(
      me(admin),
      { organisationId: org.id, rows: [{ line: 1, email: `old@${org.domains[0]}`, leavingDate: "2030-01-31" }] },
      answeredAt,
    );
    // A week and a bit later: the unconfirmed consent goes, the answers stay.
    await applyRetention(new Date("2030-01-20T10:00:00Z"));
    const [response] = await getDb().select().from(leavingResponses).where(eq(leavingResponses.userId, leaver.id));
    expect(response.details).toBe("Old-words");
    expect(
      await getDb().select().from(leavingContacts).where(eq(leavingContacts.responseId, response.id)),
    ).toHaveLength(0);
    expect(await getDb().select().from(leavingLinks).where(eq(leavingLinks.organisationId, org.id))).toHaveLength(1);

    // 25 months later: free text erased, account detached, link deleted; the counted answers stay.
    const result = await applyRetention(new Date("2032-02-15T10:00:00Z"));
    expect(result.errors).toEqual({});
    const [later] = await getDb().select().from(leavingResponses).where(eq(leavingResponses.id, response.id));
    expect(later).toMatchObject({ details: null, userId: null, destination: response.destination });
    expect(later.anonymisedAt).not.toBeNull();
    expect(await getDb().select().from(leavingLinks).where(eq(leavingLinks.organisationId, org.id))).toHaveLength(0);
  });
});

it("isLeavingError recognises only its own errors", () => {
  expect(isLeavingError(new Error("x"))).toBe(false);
});

it("the hub links to /hub/leavers for the team that handles the stay conversations offer only, whatever its slug", async () => {
  const hubOf = async (user: TestUser) =>
    ((await load("/hub", hubIndexRoute, user)).data as { canSeeLeavers: boolean }).canSeeLeavers;
  expect(await hubOf(retentionCoordinator)).toBe(true);
  expect(await hubOf(otherCoordinator)).toBe(false);
  // Move the offer to the other coordinator's team: access follows the offer, not the team's slug.
  const [other] = await getDb()
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, otherCoordinator.id));
  await getDb().update(supportOffers).set({ teamId: other!.teamId }).where(eq(supportOffers.slug, STAY_OFFER_SLUG));
  try {
    expect(await hubOf(otherCoordinator)).toBe(true);
    expect(await hubOf(retentionCoordinator)).toBe(false);
    expect((await load("/hub/leavers", hubLeaversRoute, retentionCoordinator)).status).toBe(403);
    expect((await load("/hub/leavers", hubLeaversRoute, otherCoordinator)).status).toBe(200);
  } finally {
    const [retention] = await getDb().select({ id: teams.id }).from(teams).where(eq(teams.slug, RETENTION_TEAM_SLUG));
    await getDb().update(supportOffers).set({ teamId: retention!.id }).where(eq(supportOffers.slug, STAY_OFFER_SLUG));
  }
});
