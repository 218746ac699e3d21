// Consent to involve the line manager, changed after sending the request: the person withdraws it
// (and gives it again) from /my/requests/<reference> with the version they saw; the change is in
// both timelines and on the hub's page; a coordinator can record a contact with the line manager
// only while consent is given (refused with its own error otherwise, changing nothing); the person
// sees that a contact was recorded, never the note. Routes called as Remix calls them (plain form
// POSTs, as without JavaScript), on PGlite and PostgreSQL.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox, supportRequests, type SupportOffer } from "@db/schema";
import {
  changeMyManagerConsent,
  createRequest,
  getMyRequestAccessLog,
  getMyRequestTimeline,
} from "~/.server/models/requests.server";
import { getHubRequest, recordManagerContact } from "~/.server/models/hub-requests.server";
import * as hubRoute from "~/routes/hub.requests.$reference";
import * as myRoute from "~/routes/my.requests.$reference";
import { asCurrentUser, createOffer, createTeam, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie } from "../helpers/http";
import { accessOf, eventsOf, mailCount, rowOf } from "../helpers/request-rows";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

async function myPage(user: TestUser, reference: string, query = "") {
  const cookie = await cookieOf(user);
  return runRoute(() =>
    myRoute.loader({
      request: getRequest(`/my/requests/${reference}${query}`, { cookie }),
      params: { reference },
      context: {},
    }),
  );
}

async function myAction(user: TestUser, reference: string, fields: Record<string, string | number | undefined>) {
  const cookie = await cookieOf(user);
  return runRoute(() =>
    myRoute.action({
      request: formRequest(`/my/requests/${reference}`, fields, { cookie }),
      params: { reference },
      context: {},
    }),
  );
}

async function hubPage(user: TestUser, reference: string) {
  const cookie = await cookieOf(user);
  return runRoute(() =>
    // Opened from inside StayWell (Sec-Fetch-Site: same-origin), not from another site's link (ADR 011).
    hubRoute.loader({
      request: getRequest(`/hub/requests/${reference}`, { cookie, headers: { "Sec-Fetch-Site": "same-origin" } }),
      params: { reference },
      context: {},
    }),
  );
}

async function hubAction(user: TestUser, reference: string, fields: Record<string, string | number | undefined>) {
  const cookie = await cookieOf(user);
  return runRoute(() =>
    hubRoute.action({
      request: formRequest(`/hub/requests/${reference}`, fields, { cookie }),
      params: { reference },
      context: {},
    }),
  );
}

/** Everything a refused change must leave as it was (views are not changes: they are left out). */
async function snapshot(reference: string) {
  const row = await rowOf(reference);
  const access = (await accessOf(row.id)).filter((a) => a.action !== "viewed").length;
  return { row, events: (await eventsOf(row.id)).length, access, mail: await mailCount() };
}

describe("consent to involve the line manager", () => {
  let amy: TestUser;
  let ben: TestUser;
  let coord: TestUser;
  let offer: SupportOffer;

  async function newRequest(consent: boolean) {
    const created = await createRequest(asCurrentUser(amy), offer.slug, {
      details: "I would like help returning to work after an injury",
      contactMethod: "email",
      consentToShareWithManager: consent ? "on" : undefined,
      submissionKey: randomUUID(),
    });
    return created.reference;
  }

  beforeAll(async () => {
    amy = await createUser({ name: "Amy Lee" });
    ben = await createUser({ name: "Ben Other" });
    coord = await createUser({ role: "coordinator", name: "Cora Ordinator" });
    const team = await createTeam({ name: "Consent test team", members: [coord.id] });
    offer = await createOffer({
      teamId: team.id,
      formKind: "general",
      sensitive: true,
      title: "Occupational health test",
    });
  });

  it("offers the confirmation step only for a change that makes sense now", async () => {
    const reference = await newRequest(true);
    const page = await myPage(amy, reference);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      request: { consentToShareWithManager: true, managerConsentAsked: true },
      confirmConsent: null,
    });
    expect((await myPage(amy, reference, "?consent=withdraw")).data).toMatchObject({ confirmConsent: "withdraw" });
    // Consent is given: there is nothing to give.
    expect((await myPage(amy, reference, "?consent=give")).data).toMatchObject({ confirmConsent: null });
  });

  it("withdraws consent: versioned, one event both sides see, the hub's callout data; then gives it again", async () => {
    const reference = await newRequest(true);
    const before = await rowOf(reference);
    const mailBefore = await mailCount();

    const withdrawn = await myAction(amy, reference, {
      intent: "consent",
      change: "withdraw",
      version: before.version,
    });
    expect(withdrawn).toMatchObject({
      status: 302,
      location: `/my/requests/${reference}?consent=changed#line-manager`,
    });
    let row = await rowOf(reference);
    expect(row.consentToShareWithManager).toBe(false);
    expect(row.version).toBe(before.version + 1);
    const [event] = (await eventsOf(row.id)).filter((e) => e.kind === "consent_withdrawn");
    expect(event).toMatchObject({ actorId: amy.id, visibleToRequester: true, body: null });
    // No email: nothing for the person to read that they did not just do.
    expect(await mailCount()).toBe(mailBefore);

    // The person's timeline and page.
    const mine = await getMyRequestTimeline(asCurrentUser(amy), reference);
    expect(mine!.map((e) => e.kind)).toEqual(["submitted", "consent_withdrawn"]);
    expect(mine![1]).toMatchObject({ byMe: true });
    expect((await myPage(amy, reference, "?consent=changed")).data).toMatchObject({
      request: { consentToShareWithManager: false },
      consentChanged: true,
    });
    // The person's own change is not a hub access: their access log stays empty.
    expect((await getMyRequestAccessLog(asCurrentUser(amy), reference))!.total).toBe(0);

    // The hub: the change is on its timeline, with when, and the page knows to show the callout.
    const hub = await getHubRequest(asCurrentUser(coord), reference);
    if (hub.outcome !== "found") throw new Error(hub.outcome);
    expect(hub.request.managerConsent).toEqual({ asked: true, given: false, changedAt: event.createdAt });
    expect(hub.request.timeline.find((e) => e.kind === "consent_withdrawn")).toMatchObject({
      byRequester: true,
      actorName: "Amy Lee",
    });

    // Given again.
    const given = await myAction(amy, reference, { intent: "consent", change: "give", version: row.version });
    expect(given.status).toBe(302);
    row = await rowOf(reference);
    expect(row.consentToShareWithManager).toBe(true);
    expect(row.version).toBe(before.version + 2);
    const kinds = (await eventsOf(row.id)).map((e) => e.kind);
    expect(kinds).toEqual(["submitted", "consent_withdrawn", "consent_given"]);
    const again = await getHubRequest(asCurrentUser(coord), reference);
    if (again.outcome !== "found") throw new Error(again.outcome);
    expect(again.request.managerConsent).toMatchObject({ given: true, changedAt: expect.any(Date) });
    expect((await getMyRequestTimeline(asCurrentUser(amy), reference))!.map((e) => e.kind)).toContain("consent_given");
  });

  it("never refuses a withdrawal because the hub changed the request since the person opened it", async () => {
    const reference = await newRequest(true);
    const opened = await rowOf(reference);
    // The hub touches the request (a new version) while the person reads the confirmation.
    await getDb()
      .update(supportRequests)
      .set({ version: opened.version + 3 })
      .where(eq(supportRequests.reference, reference));
    const withdrawn = await myAction(amy, reference, {
      intent: "consent",
      change: "withdraw",
      version: opened.version,
    });
    expect(withdrawn.status).toBe(302);
    const row = await rowOf(reference);
    expect(row.consentToShareWithManager).toBe(false);
    // Giving it again widens what the hub may do: that needs the version the person saw.
    const staleGive = await myAction(amy, reference, { intent: "consent", change: "give", version: opened.version });
    expect(staleGive.status).toBe(409);
    expect(staleGive.data).toMatchObject({
      intent: "consent",
      errors: { _form: "This request has changed since you opened it. Check it and try again." },
    });
    expect((await rowOf(reference)).consentToShareWithManager).toBe(false);
  });

  it("refuses a change that changes nothing and a bad change, writing nothing", async () => {
    const reference = await newRequest(true);
    const kept = await snapshot(reference);

    const same = await myAction(amy, reference, { intent: "consent", change: "give", version: kept.row.version });
    expect(same.status).toBe(400);
    expect(same.data).toMatchObject({
      errors: { _form: "You have already agreed that the people hub can talk to your line manager." },
    });

    for (const fields of [
      { intent: "consent", change: "maybe", version: kept.row.version },
      { intent: "consent", change: "withdraw" },
      { intent: "consent", change: "withdraw", version: "x" },
    ]) {
      const bad = await myAction(amy, reference, fields);
      expect(bad.status, JSON.stringify(fields)).toBe(400);
    }
    expect(await snapshot(reference)).toEqual(kept);

    // The model checks the version for giving consent too (it is given here already: unchanged).
    await expect(
      changeMyManagerConsent(asCurrentUser(amy), reference, { change: "give", version: kept.row.version + 5 }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await snapshot(reference)).toEqual(kept);
  });

  it("lets only one of two withdrawals at once land", async () => {
    const reference = await newRequest(true);
    const { version } = await rowOf(reference);
    const results = await Promise.allSettled([
      changeMyManagerConsent(asCurrentUser(amy), reference, { change: "withdraw", version }),
      changeMyManagerConsent(asCurrentUser(amy), reference, { change: "withdraw", version }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const row = await rowOf(reference);
    expect(row.version).toBe(version + 1);
    expect((await eventsOf(row.id)).filter((e) => e.kind === "consent_withdrawn")).toHaveLength(1);
  });

  it("answers 404 for another person's request, exactly as for one that does not exist, changing nothing", async () => {
    const reference = await newRequest(true);
    const kept = await snapshot(reference);
    const theirs = await myAction(ben, reference, { intent: "consent", change: "withdraw", version: kept.row.version });
    const missing = await myAction(ben, "SW-1999-99999", { intent: "consent", change: "withdraw", version: 1 });
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.body).toBe(missing.body);
    expect((await myPage(ben, reference, "?consent=withdraw")).status).toBe(404);
    await expect(
      changeMyManagerConsent(asCurrentUser(ben), reference, { change: "withdraw", version: kept.row.version }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await snapshot(reference)).toEqual(kept);
  });

  it("records a contact with the line manager while consent is given: the person sees that it happened, never the note", async () => {
    const reference = await newRequest(true);
    const before = await rowOf(reference);
    const note = "Agreed a phased return with Jo (manager) — private 5521";
    const out = await hubAction(coord, reference, {
      intent: "manager_contact",
      managerNote: note,
      version: before.version,
    });
    expect(out).toMatchObject({ status: 302, location: `/hub/requests/${reference}?done=manager_contact` });
    const row = await rowOf(reference);
    expect(row.version).toBe(before.version + 1);
    const [event] = (await eventsOf(row.id)).filter((e) => e.kind === "manager_contacted");
    expect(event).toMatchObject({ actorId: coord.id, body: note, visibleToRequester: true });
    expect((await accessOf(row.id)).map((a) => a.action)).toContain("manager_contacted");

    // The hub's timeline has the note.
    const hub = await hubPage(coord, reference);
    const timeline = (hub.data as { request: { timeline: { kind: string; body: string | null }[] } }).request.timeline;
    expect(timeline.find((e) => e.kind === "manager_contacted")).toMatchObject({ body: note });

    // The person: the event without its text, the access log entry, an "update" email without it.
    const mine = await getMyRequestTimeline(asCurrentUser(amy), reference);
    const seen = mine!.find((e) => e.kind === "manager_contacted");
    expect(seen).toMatchObject({ body: null, data: null, actorName: "Cora Ordinator" });
    const page = await myPage(amy, reference);
    expect(JSON.stringify(page.data)).not.toContain("5521");
    expect(JSON.stringify(page.data)).not.toContain("phased return");
    const log = await getMyRequestAccessLog(asCurrentUser(amy), reference);
    expect(log!.entries.map((e) => e.actionLabel)).toContain("Recorded a contact with your line manager");
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, amy.email));
    const last = mails.sort((a, b) => b.id - a.id)[0];
    expect(last.subject).toBe(`There is an update on your request ${reference}`);
    expect(last.textBody).not.toContain("5521");
  });

  it("refuses to record a manager contact while consent is withdrawn, with its own error, changing nothing", async () => {
    const reference = await newRequest(true);
    const seenByCoordinator = (await rowOf(reference)).version;
    await myAction(amy, reference, { intent: "consent", change: "withdraw", version: seenByCoordinator });
    const kept = await snapshot(reference);
    const message =
      "The person has withdrawn their consent for the people hub to contact their line manager, so a contact with their line manager cannot be recorded";

    // With the current version (a form sent by hand), and with the version the coordinator saw
    // before the withdrawal (a page left open): the same specific refusal, not "changed".
    for (const version of [kept.row.version, seenByCoordinator]) {
      const out = await hubAction(coord, reference, {
        intent: "manager_contact",
        managerNote: "Called the manager",
        version,
      });
      expect(out.status, `version ${version}`).toBe(400);
      expect(out.data).toMatchObject({
        intent: "manager_contact",
        errors: { _form: message },
        values: { managerNote: "Called the manager" },
      });
      await expect(
        recordManagerContact(asCurrentUser(coord), reference, { note: "Called the manager", version }),
      ).rejects.toMatchObject({ code: "consent_withdrawn", message });
    }
    expect(await snapshot(reference)).toEqual(kept);

    // Never agreed at all: refused the same way.
    const never = await newRequest(false);
    const neverKept = await snapshot(never);
    const out = await hubAction(coord, never, {
      intent: "manager_contact",
      managerNote: "Called",
      version: neverKept.row.version,
    });
    expect(out.status).toBe(400);
    expect(await snapshot(never)).toEqual(neverKept);
    const view = await getHubRequest(asCurrentUser(coord), never);
    if (view.outcome !== "found") throw new Error(view.outcome);
    expect(view.request.managerConsent).toEqual({ asked: true, given: false, changedAt: null });

    // Given again: accepted.
    await myAction(amy, reference, { intent: "consent", change: "give", version: kept.row.version });
    const ok = await hubAction(coord, reference, {
      intent: "manager_contact",
      managerNote: "Called the manager",
      version: kept.row.version + 1,
    });
    expect(ok.status).toBe(302);
  });

  it("refuses a blank or long note, a stale version and a withdrawn request", async () => {
    const reference = await newRequest(true);
    const kept = await snapshot(reference);
    const blank = await hubAction(coord, reference, {
      intent: "manager_contact",
      managerNote: "  ",
      version: kept.row.version,
    });
    expect(blank.status).toBe(400);
    expect(blank.data).toMatchObject({
      errors: { managerNote: "Enter a short note of the contact with the line manager" },
    });
    const long = await hubAction(coord, reference, {
      intent: "manager_contact",
      managerNote: "x".repeat(1001),
      version: kept.row.version,
    });
    expect(long.data).toMatchObject({ errors: { managerNote: "The note must be 1000 characters or fewer" } });
    const stale = await hubAction(coord, reference, {
      intent: "manager_contact",
      managerNote: "Called",
      version: kept.row.version + 3,
    });
    expect(stale.status).toBe(409);
    expect(await snapshot(reference)).toEqual(kept);

    await myAction(amy, reference, { intent: "withdraw", reason: "Sorted" });
    const withdrawnKept = await snapshot(reference);
    const out = await hubAction(coord, reference, {
      intent: "manager_contact",
      managerNote: "Called",
      version: withdrawnKept.row.version,
    });
    expect(out.status).toBe(400);
    expect(out.data).toMatchObject({
      errors: {
        managerNote: "The person withdrew this request, so a contact with their line manager cannot be recorded",
      },
    });
    expect(await snapshot(reference)).toEqual(withdrawnKept);
  });
});
