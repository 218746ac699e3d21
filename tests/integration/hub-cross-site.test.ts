// A hub request page opened from another site asks "Open request SW-…?" before anything is read or
// logged (ADR 011): the loader as Remix calls it, with the headers a browser sends, on PGlite and
// PostgreSQL. Only a navigation started inside StayWell (or typed) shows the request and records a view.
import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { requestAccessLog, supportRequests, type SupportOffer } from "@db/schema";
import { createRequest } from "~/.server/models/requests.server";
import * as route from "~/routes/hub.requests.$reference";
import { action as loginAction } from "~/routes/login";
import { appOrigin, formRequest, getRequest, runRoute, signInCookie } from "../helpers/http";
import {
  asCurrentUser,
  createOffer,
  createTeam,
  createUser,
  DEFAULT_TEST_PASSWORD,
  type TestUser,
} from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

type Loaded = Awaited<ReturnType<typeof route.loader>>;

async function ask(requester: TestUser, offer: SupportOffer) {
  const created = await createRequest(asCurrentUser(requester), offer.slug, {
    details: "Please call me about my shifts",
    contactMethod: "email",
    submissionKey: randomUUID(),
  });
  return created.reference;
}

async function logRows() {
  const [{ n }] = await getDb().select({ n: count() }).from(requestAccessLog);
  return Number(n);
}

async function viewsOf(reference: string, actorId: string) {
  const [{ n }] = await getDb()
    .select({ n: count() })
    .from(requestAccessLog)
    .innerJoin(supportRequests, eq(supportRequests.id, requestAccessLog.requestId))
    .where(
      and(
        eq(supportRequests.reference, reference),
        eq(requestAccessLog.actorId, actorId),
        eq(requestAccessLog.action, "viewed"),
      ),
    );
  return Number(n);
}

describe("a hub request page opened from another site", () => {
  let amy: TestUser;
  let coord: TestUser;
  let otherCoord: TestUser;
  let staff: TestUser;
  let cookie: string;
  let general: string; // coord's team, not sensitive
  let sensitive: string; // coord's team, sensitive
  let othersSensitive: string; // another team, sensitive
  const missing = "SW-2026-99999";

  beforeAll(async () => {
    amy = await createUser({ name: "Amy Lee" });
    coord = await createUser({ role: "coordinator" });
    otherCoord = await createUser({ role: "coordinator" });
    staff = await createUser();
    const team = await createTeam({ members: [coord.id] });
    const otherTeam = await createTeam({ members: [otherCoord.id] });
    const generalOffer = await createOffer({ teamId: team.id });
    const psychOffer = await createOffer({ teamId: team.id, sensitive: true });
    const otherPsych = await createOffer({ teamId: otherTeam.id, sensitive: true });
    general = await ask(amy, generalOffer);
    sensitive = await ask(amy, psychOffer);
    othersSensitive = await ask(amy, otherPsych);
    cookie = await signInCookie(coord.id);
  });

  function open(
    reference: string,
    headers: Record<string, string>,
    options: { query?: string; as?: string | null } = {},
  ) {
    const path = `/hub/requests/${reference}${options.query ?? ""}`;
    const withCookie = options.as === null ? undefined : (options.as ?? cookie);
    return runRoute(() =>
      route.loader({ request: getRequest(path, { cookie: withCookie, headers }), params: { reference }, context: {} }),
    );
  }

  it("cross-site: shows only the step, records nothing, and looks the same for a real, a sensitive, another team's and a missing reference", async () => {
    const before = await logRows();
    const answers = [];
    for (const reference of [general, sensitive, othersSensitive, missing]) {
      const out = await open(reference, { "Sec-Fetch-Site": "cross-site" });
      expect(out.status, reference).toBe(200);
      const data = out.data as Loaded;
      expect(data).toEqual({ step: "confirm", confirm: { reference, href: `/hub/requests/${reference}` } });
      // With the reference taken out, nothing tells one answer from another.
      answers.push(JSON.stringify(out).replaceAll(reference, "REF"));
    }
    expect(new Set(answers).size).toBe(1);
    expect(await logRows()).toBe(before);
  });

  it("same-origin (a StayWell link, or Remix's data fetch after the step): shows the request and records exactly one view", async () => {
    const before = await viewsOf(general, coord.id);
    const out = await open(general, {
      "Sec-Fetch-Site": "same-origin",
      "Sec-Fetch-Mode": "cors",
      "Sec-Fetch-Dest": "empty",
    });
    expect(out.status).toBe(200);
    const data = out.data as Extract<Loaded, { step: "request" }>;
    expect(data.step).toBe("request");
    expect(data.request.reference).toBe(general);
    expect(await viewsOf(general, coord.id)).toBe(before + 1);
  });

  it("typed into the address bar or a bookmark (Sec-Fetch-Site: none) is the coordinator's choice", async () => {
    const before = await viewsOf(sensitive, coord.id);
    const out = await open(sensitive, { "Sec-Fetch-Site": "none" });
    expect((out.data as Loaded).step).toBe("request");
    expect(await viewsOf(sensitive, coord.id)).toBe(before + 1);
  });

  it("a sibling subdomain (same-site) or an unknown value asks first", async () => {
    const before = await logRows();
    for (const site of ["same-site", "bogus", ""]) {
      expect((await open(general, { "Sec-Fetch-Site": site })).data, site).toMatchObject({ step: "confirm" });
    }
    expect(await logRows()).toBe(before);
  });

  it("without Sec-Fetch-Site (older browsers): a foreign or missing Referer asks first; our own Referer opens", async () => {
    const before = await logRows();
    expect((await open(general, {})).data).toMatchObject({ step: "confirm" });
    expect((await open(general, { Referer: "https://mail.example.com/inbox" })).data).toMatchObject({
      step: "confirm",
    });
    // A look-alike host, and our host on another scheme or port, are other origins.
    expect((await open(general, { Referer: `${appOrigin()}.evil.example/` })).data).toMatchObject({ step: "confirm" });
    expect((await open(general, { Referer: "not a url" })).data).toMatchObject({ step: "confirm" });
    expect(await logRows()).toBe(before);

    const out = await open(general, { Referer: `${appOrigin()}/hub` });
    expect((out.data as Loaded).step).toBe("request");
    expect(await viewsOf(general, coord.id)).toBeGreaterThan(0);
    expect(await logRows()).toBe(before + 1);
  });

  it("the step's link opens the request and nothing else (no banner or saved response another site set), and a forged link cannot skip the step", async () => {
    const out = await open(
      general,
      { "Sec-Fetch-Site": "cross-site" },
      { query: "?canned=3&done=note&open=1&confirm=0" },
    );
    expect(out.data).toEqual({ step: "confirm", confirm: { reference: general, href: `/hub/requests/${general}` } });
    // ?confirm only ever adds the step, even on a StayWell navigation.
    const before = await logRows();
    expect((await open(general, { "Sec-Fetch-Site": "same-origin" }, { query: "?confirm=1" })).data).toMatchObject({
      step: "confirm",
    });
    expect(await logRows()).toBe(before);
  });

  it("repeats only a well-formed reference: another site cannot write its own words on the step", async () => {
    const words = "Call 0800 000 000 now";
    const out = await open(words, { "Sec-Fetch-Site": "cross-site" });
    // The heading then reads "Open this request?"; the words stay only in the link's address.
    expect(out.data).toEqual({
      step: "confirm",
      confirm: { reference: null, href: `/hub/requests/${encodeURIComponent(words)}` },
    });
  });

  it("signed out from another site's link: signing in comes back to the step, not to the request", async () => {
    const crossSite = await open(general, { "Sec-Fetch-Site": "cross-site" }, { as: null });
    expect(crossSite.status).toBe(302);
    expect(crossSite.location).toBe(`/login?redirectTo=${encodeURIComponent(`/hub/requests/${general}?confirm=1`)}`);
    const typed = await open(general, { "Sec-Fetch-Site": "none" }, { as: null });
    expect(typed.location).toBe(`/login?redirectTo=${encodeURIComponent(`/hub/requests/${general}`)}`);
  });

  it("a sign-in link another site wrote (/login?redirectTo=/hub/requests/…) comes back to the step, and records nothing", async () => {
    const before = await viewsOf(general, coord.id);
    const signedIn = await runRoute(() =>
      loginAction({
        request: formRequest("/login", {
          email: coord.email,
          password: DEFAULT_TEST_PASSWORD,
          redirectTo: `/hub/requests/${general}`,
        }),
        params: {},
        context: {},
      }),
    );
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe(`/hub/requests/${general}?confirm=1`);
    // The sign-in's own redirect is same-origin: the marker, not the header, makes the page ask.
    const back = await open(general, { "Sec-Fetch-Site": "same-origin" }, { query: "?confirm=1" });
    expect((back.data as Loaded).step).toBe("confirm");
    expect(await viewsOf(general, coord.id)).toBe(before);
  });

  it("someone who may not use the hub still gets 403, the same for every reference", async () => {
    const staffCookie = await signInCookie(staff.id);
    const outcomes = [];
    for (const reference of [general, missing]) {
      const out = await open(reference, { "Sec-Fetch-Site": "cross-site" }, { as: staffCookie });
      expect(out.status).toBe(403);
      outcomes.push(JSON.stringify(out));
    }
    expect(new Set(outcomes).size).toBe(1);
  });
});
