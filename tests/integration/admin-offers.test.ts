// Administration of support offers and saved responses (/admin/offers…): the loaders and actions
// called as Remix calls them (plain form POSTs, as a browser without JavaScript sends them) and
// the model functions, on PGlite and PostgreSQL. Who may use them; an offer made here is in the
// catalogue and takes requests; retiring takes it out and refuses new requests while its existing
// requests go on; restoring brings it back; unique and stable slugs; audited edits holding only
// what changed; stale versions refused with who and when; reordering; saved responses reaching the hub.
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { adminAudit, cannedResponses, supportOffers, supportRequests, teams, type SupportOffer } from "@db/schema";
import { AdminError } from "~/.server/models/admin/common.server";
import * as model from "~/.server/models/admin/offers.server";
import { formatChangeTime, getHubRequest, messageRequester } from "~/.server/models/hub-requests.server";
import { listActiveOffers } from "~/.server/models/offers.server";
import {
  createRequest,
  getMyRequest,
  isRequestError,
  listMyRequests,
  replyToMyRequest,
} from "~/.server/models/requests.server";
import * as editRoute from "~/routes/admin.offers.$offerId";
import * as responsesRoute from "~/routes/admin.offers.$offerId_.responses";
import * as listRoute from "~/routes/admin.offers._index";
import * as newRoute from "~/routes/admin.offers.new";
import * as offerPage from "~/routes/support.$slug._index";
import * as requestRoute from "~/routes/support.$slug.request";
import * as catalogueRoute from "~/routes/support._index";
import { asCurrentUser, createOffer, createTeam, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, signInCookie, type FormFields, runRoute, type RouteOutcome } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

// ---------------------------------------------------------------------------------------------
// helpers

const run = runRoute;
type Outcome = RouteOutcome;

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

type RouteModule = {
  loader: (args: LoaderFunctionArgs) => Promise<unknown>;
  action?: (args: ActionFunctionArgs) => Promise<unknown>;
};

async function load(route: RouteModule, user: TestUser | null, path: string, params: Record<string, string> = {}) {
  const cookie = user ? await cookieOf(user) : undefined;
  return run(() => route.loader({ request: getRequest(path, { cookie }), params, context: {} }));
}

async function post(
  route: RouteModule,
  user: TestUser | null,
  path: string,
  fields: FormFields,
  params: Record<string, string> = {},
) {
  const cookie = user ? await cookieOf(user) : undefined;
  return run(() => route.action!({ request: formRequest(path, fields, { cookie }), params, context: {} }));
}

const edit = (id: number) => ({ path: `/admin/offers/${id}`, params: { offerId: String(id) } });
const responsesOf = (id: number) => ({ path: `/admin/offers/${id}/responses`, params: { offerId: String(id) } });

async function offerRow(id: number): Promise<SupportOffer> {
  const [row] = await getDb().select().from(supportOffers).where(eq(supportOffers.id, id));
  return row;
}

async function auditOf(entity: string, entityId: number | string) {
  return getDb()
    .select()
    .from(adminAudit)
    .where(and(eq(adminAudit.entity, entity), eq(adminAudit.entityId, String(entityId))))
    .orderBy(asc(adminAudit.id));
}

async function countOf(table: typeof adminAudit | typeof supportOffers | typeof cannedResponses) {
  const [{ n }] = await getDb().select({ n: count() }).from(table);
  return Number(n);
}

let counter = 0;
function uniqueSlug(prefix = "offer") {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

function offerForm(teamId: number, overrides: FormFields = {}): FormFields {
  return {
    title: "Cycle to work advice",
    slug: uniqueSlug("cycle"),
    category: "Physical health",
    summary: "Help choosing a bike and a safe route to work.",
    body: "A bike mechanic and a route planner.\n\nAsk [Sustrans](https://www.sustrans.org.uk) too.",
    whoFor: "Anyone who works for a partner organisation.",
    provider: "Active travel team",
    whatHappensNext: "Someone will contact you within 4 working days.",
    firstContactTargetDays: "4",
    formKind: "general",
    teamId: String(teamId),
    ...overrides,
  };
}

const REQUEST_WORDS = "Private words zq7 about my commute";

function generalAnswers(details = REQUEST_WORDS) {
  return { details, contactMethod: "email", consentToShareWithManager: false, submissionKey: randomUUID() };
}

function dataOf<T = Record<string, unknown>>(outcome: Outcome): T {
  return outcome.data as T;
}

// ---------------------------------------------------------------------------------------------
// people

let admin: TestUser;
let otherAdmin: TestUser;
let staff: TestUser;
let coordinator: TestUser;
let manager: TestUser;
let teamId: number;
let otherTeamId: number;

beforeAll(async () => {
  admin = await createUser({ role: "admin", name: "Alex Admin" });
  otherAdmin = await createUser({ role: "admin", name: "Olive Other-Admin" });
  staff = await createUser({ role: "staff" });
  coordinator = await createUser({ role: "coordinator", name: "Cora Coordinator" });
  manager = await createUser({ role: "manager" });
  teamId = (await createTeam({ name: "Active travel hub", members: [coordinator.id] })).id;
  otherTeamId = (await createTeam({ name: "Other team" })).id;
});

// ---------------------------------------------------------------------------------------------

describe("only administrators", () => {
  let offer: SupportOffer;
  let responseId: number;
  beforeAll(async () => {
    offer = await createOffer({ teamId });
    [{ id: responseId }] = await getDb()
      .insert(cannedResponses)
      .values({ offerId: offer.id, title: "Hello", body: "Hello there", sortOrder: 1 })
      .returning({ id: cannedResponses.id });
  });

  it("staff, coordinators and managers get 403 from every admin offers loader and action; nothing is written", async () => {
    const auditBefore = await countOf(adminAudit);
    const offersBefore = await countOf(supportOffers);
    const before = await offerRow(offer.id);
    for (const user of [staff, coordinator, manager]) {
      const who = `${user.role}`;
      expect((await load(listRoute, user, "/admin/offers")).status, `${who} list`).toBe(403);
      expect((await load(newRoute, user, "/admin/offers/new")).status, `${who} new`).toBe(403);
      expect((await load(editRoute, user, edit(offer.id).path, edit(offer.id).params)).status, `${who} edit`).toBe(403);
      expect(
        (await load(responsesRoute, user, responsesOf(offer.id).path, responsesOf(offer.id).params)).status,
        `${who} responses`,
      ).toBe(403);

      const actions: [RouteModule, string, FormFields, Record<string, string>][] = [
        [
          listRoute,
          "/admin/offers?index",
          { intent: "move", offerId: offer.id, version: before.version, direction: "up" },
          {},
        ],
        [newRoute, "/admin/offers/new", offerForm(teamId), {}],
        [
          editRoute,
          edit(offer.id).path,
          { ...offerForm(teamId), intent: "save", version: before.version },
          edit(offer.id).params,
        ],
        [editRoute, edit(offer.id).path, { intent: "retire", version: before.version }, edit(offer.id).params],
        [editRoute, edit(offer.id).path, { intent: "restore", version: before.version }, edit(offer.id).params],
        [
          responsesRoute,
          responsesOf(offer.id).path,
          { intent: "add", title: "x", body: "y" },
          responsesOf(offer.id).params,
        ],
        [
          responsesRoute,
          responsesOf(offer.id).path,
          { intent: "edit", responseId, version: 1, title: "x", body: "y" },
          responsesOf(offer.id).params,
        ],
        [
          responsesRoute,
          responsesOf(offer.id).path,
          { intent: "delete", responseId, version: 1 },
          responsesOf(offer.id).params,
        ],
        [
          responsesRoute,
          responsesOf(offer.id).path,
          { intent: "move", responseId, version: 1, direction: "down" },
          responsesOf(offer.id).params,
        ],
      ];
      for (const [route, path, fields, params] of actions) {
        const outcome = await post(route, user, path, fields, params);
        expect(outcome.status, `${who} POST ${path} ${String(fields.intent ?? "create")}`).toBe(403);
      }
    }
    expect(await countOf(adminAudit)).toBe(auditBefore);
    expect(await countOf(supportOffers)).toBe(offersBefore);
    expect(await offerRow(offer.id)).toEqual(before);
    const [response] = await getDb().select().from(cannedResponses).where(eq(cannedResponses.id, responseId));
    expect(response).toMatchObject({ title: "Hello", body: "Hello there", version: 1 });
  });

  it("someone not signed in is sent to sign in", async () => {
    const outcome = await load(listRoute, null, "/admin/offers");
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`/login?redirectTo=${encodeURIComponent("/admin/offers")}`);
    const posted = await post(newRoute, null, "/admin/offers/new", offerForm(teamId));
    expect(posted.status).toBe(302);
    expect(posted.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("the model functions refuse non-admins themselves", async () => {
    const auditBefore = await countOf(adminAudit);
    for (const user of [staff, coordinator, manager]) {
      const caller = asCurrentUser(user);
      const calls: [string, () => Promise<unknown>][] = [
        ["listOffersForAdmin", () => model.listOffersForAdmin(caller)],
        ["listTeamsForOffers", () => model.listTeamsForOffers(caller)],
        ["listOfferCategories", () => model.listOfferCategories(caller)],
        ["getOfferForAdmin", () => model.getOfferForAdmin(caller, offer.id)],
        ["createOffer", () => model.createOffer(caller, { ...offerForm(teamId) })],
        ["updateOffer", () => model.updateOffer(caller, offer.id, 1, { ...offerForm(teamId) })],
        ["retireOffer", () => model.retireOffer(caller, offer.id, 1)],
        ["restoreOffer", () => model.restoreOffer(caller, offer.id, 1)],
        ["moveOffer", () => model.moveOffer(caller, offer.id, 1, "up")],
        ["listCannedResponsesForAdmin", () => model.listCannedResponsesForAdmin(caller, offer.id)],
        ["addCannedResponse", () => model.addCannedResponse(caller, offer.id, { title: "x", body: "y" })],
        [
          "updateCannedResponse",
          () => model.updateCannedResponse(caller, offer.id, responseId, 1, { title: "x", body: "y" }),
        ],
        ["deleteCannedResponse", () => model.deleteCannedResponse(caller, offer.id, responseId, 1)],
        ["moveCannedResponse", () => model.moveCannedResponse(caller, offer.id, responseId, 1, "up")],
      ];
      for (const [name, call] of calls) {
        const err = await call().then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, `${user.role} ${name}`).toBeInstanceOf(AdminError);
        expect((err as AdminError).code, `${user.role} ${name}`).toBe("forbidden");
      }
    }
    expect(await countOf(adminAudit)).toBe(auditBefore);
  });
});

describe("an offer made by an administrator, retired and restored", () => {
  let offerId: number;
  let slug: string;
  let existingReference: string;

  it("the new-offer form adds it with its team: in the catalogue, requestable, audited", async () => {
    const form = offerForm(teamId, { title: "Cycle to work advice (new)" });
    slug = String(form.slug);
    const outcome = await post(newRoute, admin, "/admin/offers/new", form);
    expect(outcome.status).toBe(302);
    const match = /^\/admin\/offers\/(\d+)\?saved=created$/.exec(outcome.location ?? "");
    expect(match, `redirect ${outcome.location}`).not.toBeNull();
    offerId = Number(match![1]);

    const row = await offerRow(offerId);
    expect(row).toMatchObject({
      slug,
      title: "Cycle to work advice (new)",
      category: "Physical health",
      firstContactTargetDays: 4,
      sensitive: false,
      formKind: "general",
      teamId,
      active: true,
      version: 1,
    });

    // The catalogue (model and page) lists it; its page offers "Request this support".
    expect((await listActiveOffers()).map((o) => o.slug)).toContain(slug);
    const catalogue = await load(catalogueRoute, null, "/support");
    const slugs = dataOf<{ categories: { offers: { slug: string }[] }[] }>(catalogue).categories.flatMap((c) =>
      c.offers.map((o) => o.slug),
    );
    expect(slugs).toContain(slug);
    const page = await load(offerPage, null, `/support/${slug}`, { slug });
    expect(page.status).toBe(200);
    expect(dataOf<{ offer: { active: boolean; title: string } }>(page).offer).toMatchObject({
      active: true,
      title: "Cycle to work advice (new)",
    });
    // The admin's Markdown arrives as HTML made on the server (no Markdown code in the browser).
    expect(dataOf<{ offer: { bodyHtml: string } }>(page).offer.bodyHtml).toBe(
      '<p class="nhsuk-body-m">A bike mechanic and a route planner.</p>\n' +
        '<p class="nhsuk-body-m">Ask <a href="https://www.sustrans.org.uk" rel="noopener noreferrer">Sustrans</a> too.</p>',
    );

    // Staff can ask for it; it reaches the team's coordinator.
    const created = await createRequest(asCurrentUser(staff), slug, generalAnswers());
    expect(created.created).toBe(true);
    existingReference = created.reference;
    const hub = await getHubRequest(asCurrentUser(coordinator), existingReference);
    expect(hub.outcome).toBe("found");

    const audit = await auditOf("offer", offerId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, action: "created", before: null });
    expect(audit[0].summary).toContain("Cycle to work advice (new)");
    expect(audit[0].after).toMatchObject({
      slug,
      title: "Cycle to work advice (new)",
      teamId,
      team: "Active travel hub",
      active: true,
    });
  });

  it("the edit page loads it for the admin, without request content", async () => {
    const outcome = await load(editRoute, admin, edit(offerId).path, edit(offerId).params);
    expect(outcome.status).toBe(200);
    const data = dataOf<{ offer: Record<string, unknown>; teams: { id: number; name: string }[] }>(outcome);
    expect(data.offer).toMatchObject({
      id: offerId,
      slug,
      teamName: "Active travel hub",
      openRequests: 1,
      active: true,
    });
    expect(data.teams.map((t) => t.id)).toEqual(expect.arrayContaining([teamId, otherTeamId]));
    expect(JSON.stringify(data)).not.toContain("zq7");
  });

  it("the confirmation step says existing requests go on; retiring takes it out of the catalogue and refuses new requests", async () => {
    const confirm = await load(editRoute, admin, `${edit(offerId).path}?confirm=retire`, edit(offerId).params);
    expect(dataOf<{ confirm: string | null }>(confirm).confirm).toBe("retire");

    const version = (await offerRow(offerId)).version;
    const outcome = await post(
      editRoute,
      admin,
      edit(offerId).path,
      { intent: "retire", version },
      edit(offerId).params,
    );
    expect(outcome).toMatchObject({ status: 302, location: `/admin/offers/${offerId}?saved=retired` });
    expect(await offerRow(offerId)).toMatchObject({ active: false, version: version + 1 });

    // Gone from the catalogue (model, page and a search for it).
    expect((await listActiveOffers()).map((o) => o.slug)).not.toContain(slug);
    expect((await listActiveOffers("Cycle")).map((o) => o.slug)).not.toContain(slug);
    const catalogue = await load(catalogueRoute, null, "/support");
    const slugs = dataOf<{ categories: { offers: { slug: string }[] }[] }>(catalogue).categories.flatMap((c) =>
      c.offers.map((o) => o.slug),
    );
    expect(slugs).not.toContain(slug);
    // Its own page says it is no longer taking requests (no "Request this support").
    const page = await load(offerPage, null, `/support/${slug}`, { slug });
    expect(dataOf<{ offer: { active: boolean } }>(page).offer.active).toBe(false);

    // No new requests: the model refuses, and so does the request form's action.
    const refused = await createRequest(asCurrentUser(staff), slug, generalAnswers()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isRequestError(refused, "offer_inactive")).toBe(true);
    expect((refused as Error).message).toBe("This support is no longer taking requests.");
    const posted = await post(requestRoute, staff, `/support/${slug}/request`, generalAnswers(), { slug });
    expect(posted.status).toBe(409);
    expect(posted.data).toEqual({ inactive: true });
    expect((await listMyRequests(asCurrentUser(staff))).total).toBe(1);

    const audit = await auditOf("offer", offerId);
    expect(audit.at(-1)).toMatchObject({
      actorId: admin.id,
      action: "retired",
      before: { active: true },
      after: { active: false },
    });
  });

  it("its existing request goes on: in the hub and in My requests, with messages both ways", async () => {
    const hub = await getHubRequest(asCurrentUser(coordinator), existingReference);
    expect(hub.outcome).toBe("found");
    if (hub.outcome !== "found") return;
    await messageRequester(asCurrentUser(coordinator), existingReference, {
      body: "We can help: when suits you?",
      version: hub.request.version,
    });
    const mine = await listMyRequests(asCurrentUser(staff));
    expect(mine.items.map((i) => i.reference)).toContain(existingReference);
    const request = await getMyRequest(asCurrentUser(staff), existingReference);
    expect(request?.offer.slug).toBe(slug);
    await expect(
      replyToMyRequest(asCurrentUser(staff), existingReference, { message: "Tuesday works" }),
    ).resolves.toMatchObject({
      status: "new",
    });
  });

  it("a retired offer is listed under Retired for the admin", async () => {
    const retired = dataOf<model.AdminOfferList>(await load(listRoute, admin, "/admin/offers?show=retired"));
    expect(retired.offers.map((o) => o.id)).toContain(offerId);
    expect(retired.offers.every((o) => !o.active)).toBe(true);
    const active = dataOf<model.AdminOfferList>(await load(listRoute, admin, "/admin/offers?show=active"));
    expect(active.offers.map((o) => o.id)).not.toContain(offerId);
  });

  it("restoring brings it back to the catalogue and it takes requests again; audited", async () => {
    const version = (await offerRow(offerId)).version;
    const outcome = await post(
      editRoute,
      admin,
      edit(offerId).path,
      { intent: "restore", version },
      edit(offerId).params,
    );
    expect(outcome).toMatchObject({ status: 302, location: `/admin/offers/${offerId}?saved=restored` });
    expect((await listActiveOffers()).map((o) => o.slug)).toContain(slug);
    const created = await createRequest(asCurrentUser(staff), slug, generalAnswers("Second request"));
    expect(created.created).toBe(true);
    const audit = await auditOf("offer", offerId);
    expect(audit.at(-1)).toMatchObject({
      actorId: admin.id,
      action: "restored",
      before: { active: false },
      after: { active: true },
    });
  });
});

describe("slugs: well-formed, unique, stable", () => {
  it("a slug already in use is a field error and nothing is written", async () => {
    const existing = await createOffer({ teamId });
    const auditBefore = await countOf(adminAudit);
    const offersBefore = await countOf(supportOffers);
    const form = offerForm(teamId, { slug: existing.slug, title: "Typed title kept" });
    const outcome = await post(newRoute, admin, "/admin/offers/new", form);
    expect(outcome.status).toBe(400);
    const data = dataOf<{ errors: Record<string, string>; values: Record<string, unknown> }>(outcome);
    expect(data.errors.slug).toBe(
      `The web address name ${existing.slug} is already used by another support offer — choose a different one`,
    );
    expect(data.values).toMatchObject({ title: "Typed title kept", slug: existing.slug });
    expect(await countOf(adminAudit)).toBe(auditBefore);
    expect(await countOf(supportOffers)).toBe(offersBefore);
  });

  it.each([
    ["upper case and spaces", "Back Care"],
    ["an underscore", "back_care"],
    ["a leading hyphen", "-back-care"],
    ["two hyphens together", "back--care"],
    ["too short", "ab"],
    ["too long", "a".repeat(61)],
    ["missing", ""],
  ])("a slug with %s is refused", async (_label, slug) => {
    const outcome = await post(newRoute, admin, "/admin/offers/new", offerForm(teamId, { slug }));
    expect(outcome.status).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(outcome).errors.slug).toBeTruthy();
  });

  it("edits never change the slug, even when one is sent", async () => {
    const offer = await createOffer({ teamId });
    const outcome = await post(
      editRoute,
      admin,
      edit(offer.id).path,
      { ...offerForm(teamId, { slug: "a-new-slug-attempt" }), intent: "save", version: offer.version },
      edit(offer.id).params,
    );
    expect(outcome.status).toBe(302);
    const row = await offerRow(offer.id);
    expect(row.slug).toBe(offer.slug);
    expect(row.title).toBe("Cycle to work advice");
    const audit = await auditOf("offer", offer.id);
    expect(Object.keys(audit[0].after ?? {})).not.toContain("slug");
  });
});

describe("validation of the other fields", () => {
  it.each([
    ["firstContactTargetDays", "0", "between 1 and 30"],
    ["firstContactTargetDays", "31", "between 1 and 30"],
    ["firstContactTargetDays", "2.5", "whole number"],
    ["firstContactTargetDays", "", "Enter the first contact target"],
    ["formKind", "hypnotherapy", "Choose the request form"],
    ["teamId", "", "Choose the team"],
    ["title", "", "Enter the title"],
    ["title", "x".repeat(121), "120 characters or fewer"],
    ["summary", "x".repeat(301), "300 characters or fewer"],
    ["category", "   ", "Enter the category"],
  ])("%s = %j is refused (%s), keeping what was typed", async (field, value, message) => {
    const offersBefore = await countOf(supportOffers);
    const outcome = await post(
      newRoute,
      admin,
      "/admin/offers/new",
      offerForm(teamId, { [field]: value, provider: "Kept provider" }),
    );
    expect(outcome.status).toBe(400);
    const data = dataOf<{ errors: Record<string, string>; values: Record<string, unknown> }>(outcome);
    expect(data.errors[field]).toContain(message);
    expect(data.values.provider).toBe("Kept provider");
    expect(await countOf(supportOffers)).toBe(offersBefore);
  });

  it("a team that does not exist is refused by the model", async () => {
    const outcome = await post(newRoute, admin, "/admin/offers/new", offerForm(teamId, { teamId: "999999" }));
    expect(outcome.status).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(outcome).errors.teamId).toBe("Choose one of the listed teams");
  });
});

describe("edits: audited with only what changed; stale versions refused", () => {
  it("the audit holds only the changed fields, before and after; the version goes up", async () => {
    const offer = await createOffer({ teamId, title: "Bike loans", firstContactTargetDays: 5 });
    const form = {
      title: "Bike loans for staff",
      category: offer.category,
      summary: offer.summary,
      body: offer.body,
      whoFor: offer.whoFor,
      provider: offer.provider,
      whatHappensNext: offer.whatHappensNext,
      firstContactTargetDays: "7",
      formKind: offer.formKind,
      teamId: String(otherTeamId),
      sensitive: true,
      intent: "save",
      version: offer.version,
    };
    const outcome = await post(editRoute, admin, edit(offer.id).path, form, edit(offer.id).params);
    expect(outcome).toMatchObject({ status: 302, location: `/admin/offers/${offer.id}?saved=saved` });
    expect(await offerRow(offer.id)).toMatchObject({
      title: "Bike loans for staff",
      firstContactTargetDays: 7,
      sensitive: true,
      teamId: otherTeamId,
      version: offer.version + 1,
    });
    const [audit] = await auditOf("offer", offer.id);
    expect(audit.action).toBe("updated");
    expect(audit.before).toEqual({
      title: "Bike loans",
      firstContactTargetDays: 5,
      sensitive: false,
      teamId,
      team: "Active travel hub",
    });
    expect(audit.after).toEqual({
      title: "Bike loans for staff",
      firstContactTargetDays: 7,
      sensitive: true,
      teamId: otherTeamId,
      team: "Other team",
    });
    expect(audit.summary).toBe(
      "Edited support offer Bike loans (now Bike loans for staff): title, first contact target, confidential, handling team",
    );
  });

  it("a save that changes nothing writes nothing", async () => {
    const offer = await createOffer({ teamId });
    const form = {
      title: offer.title,
      category: offer.category,
      summary: offer.summary,
      body: offer.body,
      whoFor: offer.whoFor,
      provider: offer.provider,
      whatHappensNext: offer.whatHappensNext,
      firstContactTargetDays: String(offer.firstContactTargetDays),
      formKind: offer.formKind,
      teamId: String(teamId),
      intent: "save",
      version: offer.version,
    };
    const outcome = await post(editRoute, admin, edit(offer.id).path, form, edit(offer.id).params);
    expect(outcome).toMatchObject({ status: 302, location: `/admin/offers/${offer.id}?saved=unchanged` });
    expect((await offerRow(offer.id)).version).toBe(offer.version);
    expect(await auditOf("offer", offer.id)).toHaveLength(0);
  });

  it("a stale version is a 409 naming who changed it and when; nothing of the stale edit is saved", async () => {
    const offer = await createOffer({ teamId, title: "Walking groups" });
    const seenVersion = offer.version;
    const first = await post(
      editRoute,
      otherAdmin,
      edit(offer.id).path,
      { ...offerForm(teamId, { title: "Walking groups at lunchtime" }), intent: "save", version: seenVersion },
      edit(offer.id).params,
    );
    expect(first.status).toBe(302);
    const [change] = await auditOf("offer", offer.id);

    const stale = await post(
      editRoute,
      admin,
      edit(offer.id).path,
      { ...offerForm(teamId, { title: "Walking groups (my edit)" }), intent: "save", version: seenVersion },
      edit(offer.id).params,
    );
    expect(stale.status).toBe(409);
    const data = dataOf<{ errors: Record<string, string>; values: Record<string, unknown>; conflict: boolean }>(stale);
    expect(data.conflict).toBe(true);
    expect(data.errors._form).toBe(
      `This support offer was changed by Olive Other-Admin at ${formatChangeTime(change.createdAt)} — review and try again`,
    );
    expect(data.values.title).toBe("Walking groups (my edit)");
    expect(await offerRow(offer.id)).toMatchObject({ title: "Walking groups at lunchtime", version: seenVersion + 1 });
    expect(await auditOf("offer", offer.id)).toHaveLength(1);

    // Retiring from an out-of-date page is refused the same way.
    const retire = await post(
      editRoute,
      admin,
      edit(offer.id).path,
      { intent: "retire", version: seenVersion },
      edit(offer.id).params,
    );
    expect(retire.status).toBe(409);
    expect((await offerRow(offer.id)).active).toBe(true);
  });

  it("the request form cannot change once anyone has asked for the offer (their answers follow it); before that it can", async () => {
    const fresh = await createOffer({ teamId, formKind: "general" });
    const formOf = (offer: SupportOffer, formKind: string) => ({
      ...offerForm(teamId, { title: offer.title, formKind }),
      intent: "save",
      version: offer.version,
    });
    const changed = await post(
      editRoute,
      admin,
      edit(fresh.id).path,
      formOf(fresh, "physiotherapy"),
      edit(fresh.id).params,
    );
    expect(changed.status).toBe(302);
    expect((await offerRow(fresh.id)).formKind).toBe("physiotherapy");

    const used = await createOffer({ teamId, formKind: "general" });
    await createRequest(asCurrentUser(staff), used.slug, generalAnswers());
    const page = await load(editRoute, admin, edit(used.id).path, edit(used.id).params);
    expect(dataOf<{ offer: { totalRequests: number } }>(page).offer.totalRequests).toBe(1);
    const refused = await post(
      editRoute,
      admin,
      edit(used.id).path,
      formOf(used, "physiotherapy"),
      edit(used.id).params,
    );
    expect(refused.status).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(refused).errors.formKind).toMatch(
      /^The request form cannot be changed/,
    );
    expect(await offerRow(used.id)).toMatchObject({ formKind: "general", version: used.version });
    expect(await auditOf("offer", used.id)).toHaveLength(0);
  });

  it("an offer that does not exist is a 404", async () => {
    expect((await load(editRoute, admin, "/admin/offers/999999", { offerId: "999999" })).status).toBe(404);
    expect((await load(editRoute, admin, "/admin/offers/abc", { offerId: "abc" })).status).toBe(404);
    const posted = await post(
      editRoute,
      admin,
      "/admin/offers/999999",
      { intent: "retire", version: 1 },
      { offerId: "999999" },
    );
    expect(posted.status).toBe(404);
  });
});

describe("reordering within a category", () => {
  const category = `Reorder test ${Date.now().toString(36)}`;
  let a: SupportOffer;
  let b: SupportOffer;
  let c: SupportOffer;
  beforeAll(async () => {
    a = await createOffer({ teamId, category, title: "A first", sortOrder: 10 });
    b = await createOffer({ teamId, category, title: "B second", sortOrder: 20 });
    c = await createOffer({ teamId, category, title: "C third", sortOrder: 30 });
  });

  async function catalogueOrder() {
    return (await listActiveOffers()).filter((o) => o.category === category).map((o) => o.title);
  }

  it("the list says which can move: the first not up, the last not down", async () => {
    const list = dataOf<model.AdminOfferList>(await load(listRoute, admin, "/admin/offers?show=active"));
    const mine = list.offers.filter((o) => o.category === category);
    expect(mine.map((o) => [o.title, o.canMoveUp, o.canMoveDown])).toEqual([
      ["A first", false, true],
      ["B second", true, true],
      ["C third", true, false],
    ]);
  });

  it("Move up swaps sort_order with the neighbour (both versions bumped, both audited); the catalogue follows", async () => {
    const auditBefore = await countOf(adminAudit);
    const outcome = await post(listRoute, admin, "/admin/offers?index", {
      intent: "move",
      offerId: c.id,
      version: c.version,
      direction: "up",
      show: "active",
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`/admin/offers?show=active&moved=${c.id}#offer-${c.id}`);
    const [rb, rc] = [await offerRow(b.id), await offerRow(c.id)];
    expect([rb.sortOrder, rc.sortOrder]).toEqual([30, 20]);
    expect([rb.version, rc.version]).toEqual([b.version + 1, c.version + 1]);
    expect((await offerRow(a.id)).sortOrder).toBe(10);
    expect(await catalogueOrder()).toEqual(["A first", "C third", "B second"]);
    expect(await countOf(adminAudit)).toBe(auditBefore + 2);
    const [moved] = await auditOf("offer", c.id);
    expect(moved).toMatchObject({ action: "reordered", before: { sortOrder: 30 }, after: { sortOrder: 20 } });
    expect(moved.summary).toBe(`Moved C third above B second in ${category}`);
  });

  it("a stale version moves nothing (409); the first offer cannot move up", async () => {
    const stale = await post(listRoute, admin, "/admin/offers?index", {
      intent: "move",
      offerId: c.id,
      version: c.version,
      direction: "up",
    });
    expect(stale.status).toBe(409);
    expect(await catalogueOrder()).toEqual(["A first", "C third", "B second"]);
    const first = await offerRow(a.id);
    const top = await post(listRoute, admin, "/admin/offers?index", {
      intent: "move",
      offerId: a.id,
      version: first.version,
      direction: "up",
    });
    expect(top.status).toBe(302);
    expect(await offerRow(a.id)).toEqual(first);
  });

  it("offers sharing a sort order are numbered afresh, then swapped", async () => {
    const tied = `Tied ${Date.now().toString(36)}`;
    const x = await createOffer({ teamId, category: tied, title: "X", sortOrder: 0 });
    const y = await createOffer({ teamId, category: tied, title: "Y", sortOrder: 0 });
    await model.moveOffer(asCurrentUser(admin), x.id, x.version, "down");
    expect((await listActiveOffers()).filter((o) => o.category === tied).map((o) => o.title)).toEqual(["Y", "X"]);
    const rows = await getDb()
      .select()
      .from(supportOffers)
      .where(inArray(supportOffers.id, [x.id, y.id]));
    expect(new Set(rows.map((r) => r.sortOrder)).size).toBe(2);
  });

  it("a new offer goes at the end of its category", async () => {
    const outcome = await post(
      newRoute,
      admin,
      "/admin/offers/new",
      offerForm(teamId, { category, title: "D fourth" }),
    );
    expect(outcome.status).toBe(302);
    expect(await catalogueOrder()).toEqual(["A first", "C third", "B second", "D fourth"]);
  });
});

describe("saved responses", () => {
  let offer: SupportOffer;
  let reference: string;
  const path = () => responsesOf(offer.id);

  async function hubCanned() {
    const found = await getHubRequest(asCurrentUser(coordinator), reference);
    if (found.outcome !== "found") throw new Error(`hub request ${found.outcome}`);
    return found.request.cannedResponses.map((c) => ({ title: c.title, body: c.body }));
  }

  async function responseRows() {
    return getDb()
      .select()
      .from(cannedResponses)
      .where(eq(cannedResponses.offerId, offer.id))
      .orderBy(asc(cannedResponses.sortOrder));
  }

  beforeAll(async () => {
    offer = await createOffer({ teamId });
    reference = (await createRequest(asCurrentUser(staff), offer.slug, generalAnswers())).reference;
  });

  it("adding one: audited, and the hub offers it on the offer's requests", async () => {
    expect(await hubCanned()).toEqual([]);
    const first = await post(
      responsesRoute,
      admin,
      path().path,
      { intent: "add", title: "Booking", body: "When can we call you?" },
      path().params,
    );
    expect(first.status).toBe(302);
    expect(first.location).toMatch(new RegExp(`^/admin/offers/${offer.id}/responses\\?done=added#response-\\d+$`));
    await post(
      responsesRoute,
      admin,
      path().path,
      { intent: "add", title: "Follow-up", body: "How did it go?" },
      path().params,
    );
    expect(await hubCanned()).toEqual([
      { title: "Booking", body: "When can we call you?" },
      { title: "Follow-up", body: "How did it go?" },
    ]);
    const [row] = await responseRows();
    const [audit] = await auditOf("canned_response", row.id);
    expect(audit).toMatchObject({
      actorId: admin.id,
      action: "created",
      before: null,
      after: { offerId: offer.id, title: "Booking", body: "When can we call you?" },
    });
    // The admin page lists them, in the hub's order.
    const page = dataOf<{ responses: { title: string; canMoveUp: boolean; canMoveDown: boolean }[] }>(
      await load(responsesRoute, admin, path().path, path().params),
    );
    expect(page.responses.map((r) => [r.title, r.canMoveUp, r.canMoveDown])).toEqual([
      ["Booking", false, true],
      ["Follow-up", true, false],
    ]);
  });

  it("an empty or too long message is a field error and nothing is written", async () => {
    const before = (await responseRows()).length;
    const empty = await post(
      responsesRoute,
      admin,
      path().path,
      { intent: "add", title: "Kept", body: "  " },
      path().params,
    );
    expect(empty.status).toBe(400);
    expect(
      dataOf<{ errors: Record<string, string>; values: Record<string, unknown>; intent: string }>(empty),
    ).toMatchObject({
      intent: "add",
      errors: { body: "Enter the message" },
      values: { title: "Kept" },
    });
    const long = await post(
      responsesRoute,
      admin,
      path().path,
      { intent: "add", title: "Long", body: "x".repeat(2001) },
      path().params,
    );
    expect(dataOf<{ errors: Record<string, string> }>(long).errors.body).toBe(
      "The message must be 2000 characters or fewer",
    );
    expect((await responseRows()).length).toBe(before);
  });

  it("editing one: only the changed field audited; the hub sees the new text; a stale version is a 409", async () => {
    const [row] = await responseRows();
    const outcome = await post(
      responsesRoute,
      admin,
      `${path().path}?edit=${row.id}`,
      {
        intent: "edit",
        responseId: row.id,
        version: row.version,
        title: "Booking",
        body: "When is a good time to call?",
      },
      path().params,
    );
    expect(outcome.status).toBe(302);
    expect((await hubCanned())[0]).toEqual({ title: "Booking", body: "When is a good time to call?" });
    const audit = await auditOf("canned_response", row.id);
    expect(audit.at(-1)).toMatchObject({
      action: "updated",
      before: { body: "When can we call you?" },
      after: { body: "When is a good time to call?" },
    });

    const stale = await post(
      responsesRoute,
      admin,
      path().path,
      { intent: "edit", responseId: row.id, version: row.version, title: "Booking", body: "Stale text" },
      path().params,
    );
    expect(stale.status).toBe(409);
    expect(dataOf<{ errors: Record<string, string> }>(stale).errors._form).toMatch(
      /^This saved response was changed by Alex Admin at .+ — review and try again$/,
    );
    expect((await hubCanned())[0].body).toBe("When is a good time to call?");
  });

  it("reordering swaps the two in one step, and the hub lists them in the new order", async () => {
    const [, second] = await responseRows();
    const outcome = await post(
      responsesRoute,
      admin,
      path().path,
      { intent: "move", responseId: second.id, version: second.version, direction: "up" },
      path().params,
    );
    expect(outcome.status).toBe(302);
    expect((await hubCanned()).map((c) => c.title)).toEqual(["Follow-up", "Booking"]);
    expect((await auditOf("canned_response", second.id)).at(-1)).toMatchObject({ action: "reordered" });
  });

  it("deleting one: audited with what it said; gone from the hub; a response of another offer is a 404", async () => {
    const rows = await responseRows();
    const booking = rows.find((r) => r.title === "Booking")!;
    const elsewhere = await createOffer({ teamId });
    const wrongOffer = await post(
      responsesRoute,
      admin,
      responsesOf(elsewhere.id).path,
      { intent: "delete", responseId: booking.id, version: booking.version },
      responsesOf(elsewhere.id).params,
    );
    expect(wrongOffer.status).toBe(404);

    const outcome = await post(
      responsesRoute,
      admin,
      path().path,
      { intent: "delete", responseId: booking.id, version: booking.version },
      path().params,
    );
    expect(outcome).toMatchObject({ status: 302, location: `/admin/offers/${offer.id}/responses?done=deleted` });
    expect((await hubCanned()).map((c) => c.title)).toEqual(["Follow-up"]);
    const audit = await auditOf("canned_response", booking.id);
    expect(audit.at(-1)).toMatchObject({
      action: "deleted",
      before: { offerId: offer.id, title: "Booking", body: "When is a good time to call?" },
      after: null,
    });
  });
});

describe("moving an offer to another team from its edit form", () => {
  it("unassigns open requests held outside the new team, bumps both teams and audits both", async () => {
    const admin = await createUser({ role: "admin" });
    const oldCoordinator = await createUser({ role: "coordinator" });
    const staff = await createUser();
    const teamA = await createTeam({ name: `Team A ${randomUUID().slice(0, 6)}`, members: [oldCoordinator.id] });
    const teamB = await createTeam({ name: `Team B ${randomUUID().slice(0, 6)}` });
    const offer = await createOffer({ teamId: teamA.id, formKind: "general" });
    const made = await createRequest(asCurrentUser(staff), offer.slug, {
      details: "Help, please",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    await getDb()
      .update(supportRequests)
      .set({ assigneeId: oldCoordinator.id })
      .where(eq(supportRequests.reference, made.reference));

    await model.updateOffer(asCurrentUser(admin), offer.id, offer.version, {
      title: offer.title,
      category: offer.category,
      summary: offer.summary,
      body: offer.body,
      whoFor: offer.whoFor,
      provider: offer.provider,
      whatHappensNext: offer.whatHappensNext,
      firstContactTargetDays: String(offer.firstContactTargetDays),
      formKind: offer.formKind,
      teamId: String(teamB.id),
    });

    const [row] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, made.reference));
    expect(row!.assigneeId).toBeNull();
    const versions = await getDb()
      .select({ id: teams.id, version: teams.version })
      .from(teams)
      .where(inArray(teams.id, [teamA.id, teamB.id]));
    expect(versions.map((t) => t.version)).toEqual([2, 2]);
    const teamEntries = await getDb()
      .select({ entityId: adminAudit.entityId, action: adminAudit.action })
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "team"), inArray(adminAudit.entityId, [String(teamA.id), String(teamB.id)])));
    expect(teamEntries).toHaveLength(2);
    expect(teamEntries.every((e) => e.action === "offers_changed")).toBe(true);
  });
});

describe("saving the edit form unchanged, as a browser sends it (line breaks as CRLF)", () => {
  it("changes nothing: no new version, no audit entry (so a pending proposal on the offer stays current)", async () => {
    const admin = await createUser({ role: "admin" });
    const team = await createTeam({ name: `Team CRLF ${randomUUID().slice(0, 6)}` });
    const offer = await createOffer({
      teamId: team.id,
      formKind: "general",
      body: "First paragraph.\n\nSecond paragraph.",
    });
    const result = await model.updateOffer(asCurrentUser(admin), offer.id, offer.version, {
      title: offer.title,
      category: offer.category,
      summary: offer.summary,
      body: offer.body.replace(/\n/g, "\r\n"),
      whoFor: offer.whoFor,
      provider: offer.provider,
      whatHappensNext: offer.whatHappensNext,
      firstContactTargetDays: String(offer.firstContactTargetDays),
      formKind: offer.formKind,
      teamId: String(team.id),
    });
    expect(result).toEqual({ changed: false });
    const [row] = await getDb().select().from(supportOffers).where(eq(supportOffers.id, offer.id));
    expect(row!.version).toBe(offer.version);
    expect(row!.body).toBe("First paragraph.\n\nSecond paragraph.");
    const entries = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "offer"), eq(adminAudit.entityId, String(offer.id))));
    expect(entries).toEqual([]);
  });
});
