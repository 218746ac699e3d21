// Signed-in staff see on the home page that the people hub is waiting for their reply (a request
// of theirs in waiting_on_staff), with a link to it, and a count on the header's "My requests"
// link. Only their own requests count; signed out, or nothing waiting, shows nothing.
import { randomUUID } from "node:crypto";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { supportRequests, type RequestStatus } from "@db/schema";
import { createRequest, replyToMyRequest } from "~/.server/models/requests.server";
import * as rootRoute from "~/root";
import * as homeRoute from "~/routes/_index";
import * as myRequestsRoute from "~/routes/my.requests._index";
import { WaitingCount, WaitingForYourReply } from "~/components/waiting-for-reply";
import { asCurrentUser, createOffer, createUser, type TestUser } from "../helpers/factories";
import { getRequest, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

type Waiting = { total: number; references: string[] };

function render(element: ReturnType<typeof createElement>) {
  return renderToStaticMarkup(createElement(MemoryRouter, null, element));
}

describe("the people hub is waiting for your reply", () => {
  let amy: TestUser;
  let ben: TestUser;
  let amyCookie: string;
  let benCookie: string;
  let offerSlug: string;

  async function requestFor(user: TestUser, status: RequestStatus) {
    const { reference } = await createRequest(asCurrentUser(user), offerSlug, {
      details: "Help with something private",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    await getDb().update(supportRequests).set({ status }).where(eq(supportRequests.reference, reference));
    return reference;
  }

  async function home(cookie?: string) {
    const out = await runRoute(() =>
      homeRoute.loader({ request: getRequest("/", cookie ? { cookie } : {}), params: {}, context: {} }),
    );
    expect(out.status).toBe(200);
    return (out.data as { waiting: Waiting }).waiting;
  }

  async function myRequestsWaiting(cookie: string) {
    const out = await runRoute(() =>
      myRequestsRoute.loader({ request: getRequest("/my/requests", { cookie }), params: {}, context: {} }),
    );
    expect(out.status).toBe(200);
    return (out.data as { waiting: Waiting }).waiting;
  }

  async function headerCount(cookie: string) {
    const out = await runRoute(() =>
      rootRoute.loader({ request: getRequest("/", { cookie }), params: {}, context: {} }),
    );
    return (out.data as { user: { waitingForReply: number } }).user.waitingForReply;
  }

  beforeAll(async () => {
    amy = await createUser({ name: "Amy Asker" });
    ben = await createUser({ name: "Ben Other" });
    amyCookie = await signInCookie(amy.id);
    benCookie = await signInCookie(ben.id);
    offerSlug = (await createOffer({ formKind: "general", title: "Help offer" })).slug;
  });

  it("shows nothing when nothing waits on you, or when signed out", async () => {
    await requestFor(amy, "new");
    await requestFor(amy, "in_progress");
    expect(await home(amyCookie)).toEqual({ total: 0, references: [] });
    expect(await headerCount(amyCookie)).toBe(0);
    expect(await home()).toEqual({ total: 0, references: [] });
    expect(render(createElement(WaitingForYourReply, { total: 0, references: [] }))).toBe("");
    expect(render(createElement(WaitingCount, { count: 0 }))).toBe("");
  });

  it("lists your own waiting request with a link, counts it in the header, and not someone else's", async () => {
    const mine = await requestFor(amy, "waiting_on_staff");
    const bens = await requestFor(ben, "waiting_on_staff");
    expect(await home(amyCookie)).toEqual({ total: 1, references: [mine] });
    expect(await headerCount(amyCookie)).toBe(1);
    expect(await home(benCookie)).toEqual({ total: 1, references: [bens] });
    // Staff land on /my/requests after signing in: the notice is there too, for their own only.
    expect(await myRequestsWaiting(amyCookie)).toEqual({ total: 1, references: [mine] });
    expect(await myRequestsWaiting(benCookie)).toEqual({ total: 1, references: [bens] });

    const html = render(createElement(WaitingForYourReply, { total: 1, references: [mine] }));
    expect(html).toContain("The people hub is waiting for your reply");
    expect(html).toContain("nhsuk-warning-callout");
    expect(html).toContain(`href="/my/requests/${mine}"`);
    expect(html).not.toContain(bens);
    expect(html).not.toContain("Help with something private");

    // The header's "My requests" link (SiteHeader) carries this count.
    const count = render(createElement(WaitingCount, { count: await headerCount(amyCookie) }));
    expect(count).toContain("(1 waiting)");
    expect(count).toContain("1 waiting for your reply");
  });

  it("counts several, and your reply takes the request off the list", async () => {
    const second = await requestFor(amy, "waiting_on_staff");
    const before = await home(amyCookie);
    expect(before.total).toBe(2);
    expect(before.references).toContain(second);
    expect(await headerCount(amyCookie)).toBe(2);
    const html = render(createElement(WaitingForYourReply, before));
    expect(html).toContain("2 of your requests");
    for (const reference of before.references) expect(html).toContain(`href="/my/requests/${reference}"`);

    await replyToMyRequest(asCurrentUser(amy), second, { message: "Here is my answer" });
    const after = await home(amyCookie);
    expect(after.total).toBe(1);
    expect(after.references).not.toContain(second);
    expect(await headerCount(amyCookie)).toBe(1);
  });
});
