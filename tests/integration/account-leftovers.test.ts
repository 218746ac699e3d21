// Issue 12 leftovers: the request form starts from the saved contact preferences, and the hub
// queue shows "Self-declared" as the request page does.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { users } from "@db/schema";
import { listHubQueue } from "~/.server/models/hub-queue.server";
import { createRequest } from "~/.server/models/requests.server";
import * as requestRoute from "~/routes/support.$slug.request";
import { asCurrentUser, createOffer, createTeam, createUser } from "../helpers/factories";
import { getRequest, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

describe("the request form and saved contact preferences", () => {
  it("starts from the person's saved method, phone and best times; without them, from nothing", async () => {
    const saved = await createUser();
    const none = await createUser();
    await getDb()
      .update(users)
      .set({ contactMethod: "phone", contactPhone: "07700 900982", contactTimes: "Weekday mornings" })
      .where(eq(users.id, saved.id));
    const slug = (await createOffer({ formKind: "general" })).slug;
    const load = async (userId: string) =>
      runRoute(async () =>
        requestRoute.loader({
          request: getRequest(`/support/${slug}/request`, { cookie: await signInCookie(userId) }),
          params: { slug },
          context: {},
        }),
      );
    expect(((await load(saved.id)).data as { contact: unknown }).contact).toEqual({
      contactMethod: "phone",
      contactPhone: "07700 900982",
      contactTimes: "Weekday mornings",
    });
    expect(((await load(none.id)).data as { contact: unknown }).contact).toEqual({});
  });
});

describe("the hub queue", () => {
  it("tags a request whose organisation the person chose themselves, and no other", async () => {
    const coordinator = await createUser({ role: "coordinator" });
    const team = await createTeam({ members: [coordinator.id] });
    const offer = await createOffer({ formKind: "general", teamId: team.id });
    const chose = await createUser();
    const partner = await createUser();
    await getDb().update(users).set({ organisationSelfDeclared: true }).where(eq(users.id, chose.id));
    const ask = (u: typeof chose) =>
      createRequest(asCurrentUser(u), offer.slug, {
        details: "Test request",
        contactMethod: "email",
        submissionKey: randomUUID(),
      });
    const a = await ask(chose);
    const b = await ask(partner);
    const page = await listHubQueue(asCurrentUser(coordinator), {
      status: "open",
      assignee: "anyone",
      overdue: false,
      urgent: false,
    });
    const tag = Object.fromEntries(page.items.map((i) => [i.reference, i.organisationSelfDeclared]));
    expect(tag).toEqual({ [a.reference]: true, [b.reference]: false });
  });
});
