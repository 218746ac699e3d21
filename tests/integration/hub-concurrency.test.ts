// No lost work: two coordinators open the same version of a request and both submit a change at
// the same moment. Exactly one wins; the other is told who changed it and nothing of theirs is
// written. On PostgreSQL (TEST_DATABASE_URL) the two transactions really run at once.
import { randomUUID } from "node:crypto";
import { and, asc, eq, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { requestAccessLog, requestEvents, supportRequests, type SupportOffer } from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import {
  addInternalNote,
  assignHubRequest,
  changeHubRequestStatus,
  HubRequestError,
  messageRequester,
} from "~/.server/models/hub-requests.server";
import { createRequest } from "~/.server/models/requests.server";
import { createOffer, createTeam, createUser, asCurrentUser, type TestUser } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const asCaller = asCurrentUser;

describe("two coordinators changing one request at once", () => {
  let amy: TestUser;
  let ann: CurrentUser;
  let bob: CurrentUser;
  let offer: SupportOffer;

  beforeAll(async () => {
    amy = await createUser({ name: "Amy Lee" });
    const a = await createUser({ role: "coordinator", name: "Ann Coordinator" });
    const b = await createUser({ role: "coordinator", name: "Bob Coordinator" });
    ann = asCaller(a);
    bob = asCaller(b);
    const team = await createTeam({ members: [a.id, b.id] });
    offer = await createOffer({ teamId: team.id, formKind: "general" });
  });

  async function newRequest() {
    const { reference } = await createRequest(asCaller(amy), offer.slug, {
      details: "Help please",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    const [row] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, reference));
    return row;
  }

  async function changesOf(requestId: number) {
    const events = await getDb()
      .select()
      .from(requestEvents)
      .where(and(eq(requestEvents.requestId, requestId), ne(requestEvents.kind, "submitted")))
      .orderBy(asc(requestEvents.id));
    const access = await getDb()
      .select()
      .from(requestAccessLog)
      .where(and(eq(requestAccessLog.requestId, requestId), ne(requestAccessLog.action, "viewed")));
    return { events, access };
  }

  type Attempt = (caller: CurrentUser, reference: string, version: number) => Promise<unknown>;

  const scenarios: { name: string; ann: Attempt; bob: Attempt }[] = [
    {
      name: "both assign it to themselves",
      ann: (c, r, version) => assignHubRequest(c, r, { assigneeId: "me", version }),
      bob: (c, r, version) => assignHubRequest(c, r, { assigneeId: "me", version }),
    },
    {
      name: "one moves it on, the other closes it",
      ann: (c, r, version) => changeHubRequestStatus(c, r, { to: "in_progress", version }),
      bob: (c, r, version) => changeHubRequestStatus(c, r, { to: "closed", outcome: "not_eligible", version }),
    },
    {
      name: "one messages the person, the other writes a note",
      ann: (c, r, version) => messageRequester(c, r, { body: "Hello from Ann", version }),
      bob: (c, r, version) => addInternalNote(c, r, { body: "Note from Bob", version }),
    },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.name}: exactly one wins, the other gets the conflict`, async () => {
      for (let round = 0; round < 5; round++) {
        const row = await newRequest();
        const results = await Promise.allSettled([
          scenario.ann(ann, row.reference, row.version),
          scenario.bob(bob, row.reference, row.version),
        ]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const winner = results[0].status === "fulfilled" ? ann : bob;
        const error = lost[0].reason as HubRequestError;
        expect(error).toBeInstanceOf(HubRequestError);
        expect(error.code).toBe("conflict");
        expect(error.message).toMatch(
          new RegExp(
            `^This request was changed by ${winner.name} at \\d{2}:\\d{2} on \\d{1,2} [A-Z][a-z]{2} \\d{4} — review and try again$`,
          ),
        );

        const [after] = await getDb().select().from(supportRequests).where(eq(supportRequests.id, row.id));
        expect(after.version).toBe(row.version + 1);
        const { events, access } = await changesOf(row.id);
        expect(events).toHaveLength(1);
        expect(access).toHaveLength(1);
        expect(events[0].actorId).toBe(winner.id);
        expect(access[0].actorId).toBe(winner.id);
        if (scenario.name.startsWith("both assign")) expect(after.assigneeId).toBe(winner.id);
        if (scenario.name.startsWith("one moves")) {
          expect(after.status).toBe(winner === ann ? "in_progress" : "closed");
          expect(after.closeOutcome).toBe(winner === ann ? null : "not_eligible");
        }
        if (scenario.name.startsWith("one messages")) {
          expect(events[0].kind).toBe(winner === ann ? "message_to_staff" : "internal_note");
          expect(after.firstContactAt === null).toBe(winner === bob);
        }
      }
    });
  }
});
