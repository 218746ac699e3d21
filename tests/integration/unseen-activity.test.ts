// Replies never go unseen (issue 9 part 2, docs/decisions/018-unseen-activity.md):
// - the person's reply, withdrawal or rating sets last_requester_activity_at and last_updated_at;
// - the queue's "New reply" marker is per coordinator: X opening the request clears it for X only;
// - a coordinator's own actions never mark anything new (for anyone), and their own entries are
//   never highlighted for them;
// - the timeline marks entries written by others after the coordinator's previous opening;
// - My work lists only the caller's assigned requests of their own teams, new activity first, paged
//   by keyset without gaps or repeats; another team's requests never appear (even assigned to them).
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { requestReads, supportRequests, type SupportOffer } from "@db/schema";
import {
  addInternalNote,
  assignHubRequest,
  changeHubRequestStatus,
  messageRequester,
  openHubRequest,
} from "~/.server/models/hub-requests.server";
import { countMyNewActivity, listHubQueue, type HubQueueItem } from "~/.server/models/hub-queue.server";
import { createRequest, rateMyRequest, replyToMyRequest, withdrawMyRequest } from "~/.server/models/requests.server";
import type { HubQueueFilters } from "~/schemas/hub-queue";
import {
  addTeamMembers,
  asCurrentUser,
  createOffer,
  createTeam,
  createUser,
  type TestUser,
} from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const QUEUE: HubQueueFilters = { status: "all", assignee: "anyone", overdue: false, urgent: false };
const MINE: HubQueueFilters = { ...QUEUE, status: "open", view: "mine" };
const MINUTE = 60_000;

describe("unseen activity per coordinator", () => {
  let person: TestUser;
  let ann: TestUser; // coordinator in the money team
  let bob: TestUser; // another coordinator in the money team
  let otto: TestUser; // coordinator in another team only
  let money: SupportOffer;
  let other: SupportOffer;
  let clock = Date.now() - 6 * 60 * MINUTE;
  /** Strictly increasing times, so "after" and "before" are never ties by accident. */
  const tick = () => new Date((clock += MINUTE));

  beforeAll(async () => {
    person = await createUser({ name: "Pat Person" });
    ann = await createUser({ role: "coordinator", name: "Ann Coordinator" });
    bob = await createUser({ role: "coordinator", name: "Bob Coordinator" });
    otto = await createUser({ role: "coordinator", name: "Otto Other" });
    const moneyTeam = await createTeam({ name: "Money team" });
    await addTeamMembers(moneyTeam.id, [ann.id, bob.id]);
    const otherTeam = await createTeam({ name: "Other team" });
    await addTeamMembers(otherTeam.id, [otto.id]);
    money = await createOffer({ teamId: moneyTeam.id, formKind: "general", sensitive: false, title: "Money worries" });
    other = await createOffer({ teamId: otherTeam.id, formKind: "general", sensitive: true, title: "Other support" });
  });

  async function newRequest(offer: SupportOffer = money) {
    const created = await createRequest(
      asCurrentUser(person),
      offer.slug,
      { details: "Help please", contactMethod: "email", submissionKey: randomUUID() },
      tick(),
    );
    return created.reference;
  }

  async function versionOf(reference: string) {
    const [row] = await getDb()
      .select({ version: supportRequests.version })
      .from(supportRequests)
      .where(eq(supportRequests.reference, reference));
    return row!.version;
  }

  async function rowFor(
    who: TestUser,
    reference: string,
    filters: HubQueueFilters = QUEUE,
  ): Promise<HubQueueItem | undefined> {
    const page = await listHubQueue(asCurrentUser(who), { ...filters, q: reference });
    return page.items.find((i) => i.reference === reference);
  }

  async function allPages(who: TestUser, filters: HubQueueFilters, pageSize: number) {
    const refs: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page = await listHubQueue(asCurrentUser(who), { ...filters, cursor }, new Date(), { pageSize });
      refs.push(...page.items.map((x) => x.reference));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return refs;
  }

  /** Walks to the last page, then back to the first by the Previous links; the rows in page order. */
  async function allPagesBackwards(who: TestUser, filters: HubQueueFilters, pageSize: number) {
    let page = await listHubQueue(asCurrentUser(who), filters, new Date(), { pageSize });
    for (let i = 0; i < 50 && page.nextCursor; i++) {
      page = await listHubQueue(asCurrentUser(who), { ...filters, cursor: page.nextCursor }, new Date(), { pageSize });
    }
    const pages: string[][] = [page.items.map((x) => x.reference)];
    for (let i = 0; i < 50 && page.prevCursor; i++) {
      page = await listHubQueue(asCurrentUser(who), { ...filters, cursor: page.prevCursor }, new Date(), { pageSize });
      pages.unshift(page.items.map((x) => x.reference));
    }
    return pages.flat();
  }

  it("a reply marks the request new for every coordinator until each opens it; opening clears it for that coordinator only", async () => {
    const reference = await newRequest();
    // Only submitted: nothing from the person to read yet.
    expect((await rowFor(ann, reference))!.newActivity).toBe(false);

    const replyAt = tick();
    await replyToMyRequest(asCurrentUser(person), reference, { message: "Any news?" }, replyAt);
    const [row] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, reference));
    expect(row!.lastRequesterActivityAt).toEqual(replyAt);
    expect(row!.lastUpdatedAt).toEqual(replyAt);
    expect((await rowFor(ann, reference))!.newActivity).toBe(true);
    expect((await rowFor(ann, reference))!.lastUpdatedAt).toEqual(replyAt);
    expect((await rowFor(bob, reference))!.newActivity).toBe(true);

    await openHubRequest(asCurrentUser(ann), reference, tick());
    expect((await rowFor(ann, reference))!.newActivity).toBe(false);
    expect((await rowFor(bob, reference))!.newActivity).toBe(true);
    // One row per coordinator and request, however often it is opened.
    await openHubRequest(asCurrentUser(ann), reference, tick());
    const reads = await getDb().select().from(requestReads).where(eq(requestReads.userId, ann.id));
    expect(reads.filter((r) => r.requestId === row!.id)).toHaveLength(1);

    // A further reply is new again for Ann.
    await replyToMyRequest(asCurrentUser(person), reference, { message: "Hello?" }, tick());
    expect((await rowFor(ann, reference))!.newActivity).toBe(true);
  });

  it("a coordinator's own actions mark nothing new, for them or anyone else, but update 'Last updated'", async () => {
    const reference = await newRequest();
    await openHubRequest(asCurrentUser(ann), reference, tick());
    await openHubRequest(asCurrentUser(bob), reference, tick());
    const noteAt = tick();
    await addInternalNote(
      asCurrentUser(ann),
      reference,
      { body: "Called back", version: await versionOf(reference) },
      noteAt,
    );
    await messageRequester(
      asCurrentUser(ann),
      reference,
      { body: "We will call you", version: await versionOf(reference) },
      tick(),
    );
    for (const who of [ann, bob]) expect((await rowFor(who, reference))!.newActivity).toBe(false);
    const item = await rowFor(bob, reference);
    expect(new Date(item!.lastUpdatedAt).getTime()).toBeGreaterThan(noteAt.getTime());
    // Ann's own entries are not highlighted for her; for Bob (who looked before them) they are.
    const forAnn = await openHubRequest(asCurrentUser(ann), reference, tick());
    expect(forAnn.timeline.filter((e) => e.isNew)).toEqual([]);
    const forBob = await openHubRequest(asCurrentUser(bob), reference, tick());
    expect(
      forBob.timeline
        .filter((e) => e.isNew)
        .map((e) => e.kind)
        .sort(),
    ).toEqual(["internal_note", "message_to_staff"]);
    expect(forBob.seen!.newEntries).toBe(2);
  });

  it("the timeline highlights only entries after the previous visit, using the seen time from before this visit", async () => {
    const reference = await newRequest();
    const first = await openHubRequest(asCurrentUser(ann), reference, tick());
    // Never opened before: everything written by others is new to Ann (here: the submission).
    expect(first.seen!.previously).toBeNull();
    expect(first.timeline.filter((e) => e.isNew).map((e) => e.kind)).toEqual(["submitted"]);
    const firstSeen = new Date(clock);

    await replyToMyRequest(asCurrentUser(person), reference, { message: "Second thoughts" }, tick());
    const second = await openHubRequest(asCurrentUser(ann), reference, tick());
    expect(second.seen!.previously).toEqual(firstSeen);
    expect(second.timeline.filter((e) => e.isNew).map((e) => e.kind)).toEqual(["message_from_staff"]);
    // Reloading right away: nothing is new any more.
    const third = await openHubRequest(asCurrentUser(ann), reference, tick());
    expect(third.timeline.some((e) => e.isNew)).toBe(false);
    // An older `now` finishing last never moves seen_at back.
    await openHubRequest(asCurrentUser(ann), reference, new Date(clock - 30 * MINUTE));
    const [read] = await getDb()
      .select()
      .from(requestReads)
      .where(and(eq(requestReads.userId, ann.id), eq(requestReads.requestId, second.id)));
    expect(read!.seenAt).toEqual(new Date(clock));
  });

  it("withdrawal and rating count as the person's activity", async () => {
    const withdrawn = await newRequest();
    await openHubRequest(asCurrentUser(ann), withdrawn, tick());
    await withdrawMyRequest(asCurrentUser(person), withdrawn, {}, tick());
    expect((await rowFor(ann, withdrawn))!.newActivity).toBe(true);

    const rated = await newRequest();
    await changeHubRequestStatus(
      asCurrentUser(ann),
      rated,
      { to: "in_progress", version: await versionOf(rated) },
      tick(),
    );
    await changeHubRequestStatus(
      asCurrentUser(ann),
      rated,
      { to: "closed", outcome: "support_given", version: await versionOf(rated) },
      tick(),
    );
    await openHubRequest(asCurrentUser(ann), rated, tick());
    expect((await rowFor(ann, rated))!.newActivity).toBe(false);
    const ratedAt = tick();
    await rateMyRequest(asCurrentUser(person), rated, { rating: 5 }, ratedAt);
    const item = await rowFor(ann, rated);
    expect(item!.newActivity).toBe(true);
    expect(item!.lastUpdatedAt).toEqual(ratedAt);
    const view = await openHubRequest(asCurrentUser(ann), rated, tick());
    expect(view.seen!.newRating).toBe(true);
  });

  it("migration 0022: whoever wrote an event on a request has seen it as of their latest event; an existing later look is kept", async () => {
    // Worked on, then the person replied: still new for the assignee after the backfill.
    const repliedAfter = await newRequest();
    await assignHubRequest(
      asCurrentUser(ann),
      repliedAfter,
      { assigneeId: "me", version: await versionOf(repliedAfter) },
      tick(),
    );
    await addInternalNote(
      asCurrentUser(bob),
      repliedAfter,
      { body: "Seen by Bob", version: await versionOf(repliedAfter) },
      tick(),
    );
    await replyToMyRequest(asCurrentUser(person), repliedAfter, { message: "Thanks" }, tick());
    // The person replied, then Ann answered: Ann saw the reply.
    const answered = await newRequest();
    await replyToMyRequest(asCurrentUser(person), answered, { message: "Anything?" }, tick());
    const annsMessageAt = tick();
    await messageRequester(
      asCurrentUser(ann),
      answered,
      { body: "Yes, we will call", version: await versionOf(answered) },
      annsMessageAt,
    );
    // Bob opened `answered` later than anything he wrote (he wrote nothing): his row is kept as it is.
    const ids = await getDb()
      .select({ id: supportRequests.id, reference: supportRequests.reference })
      .from(supportRequests)
      .where(inArray(supportRequests.reference, [repliedAfter, answered]));
    const idOf = (ref: string) => ids.find((r) => r.reference === ref)!.id;
    await getDb()
      .delete(requestReads)
      .where(inArray(requestReads.requestId, [idOf(repliedAfter), idOf(answered)]));
    const bobLooked = tick();
    const annOlderLook = new Date(annsMessageAt.getTime() - 30 * MINUTE);
    await getDb()
      .insert(requestReads)
      .values([
        { userId: bob.id, requestId: idOf(answered), seenAt: bobLooked },
        { userId: ann.id, requestId: idOf(answered), seenAt: annOlderLook },
      ]);
    expect((await rowFor(ann, answered))!.newActivity).toBe(true);

    const migration = await readFile(new URL("../../drizzle/0022_reads_from_own_events.sql", import.meta.url), "utf8");
    for (const statement of migration.split("--> statement-breakpoint")) await getDb().execute(sql.raw(statement));

    const reads = await getDb()
      .select()
      .from(requestReads)
      .where(inArray(requestReads.requestId, [idOf(repliedAfter), idOf(answered)]));
    const seen = (who: TestUser, ref: string) =>
      reads.find((r) => r.userId === who.id && r.requestId === idOf(ref))?.seenAt;
    expect(seen(ann, answered)).toEqual(annsMessageAt); // moved forward from the older look
    expect(seen(bob, answered)).toEqual(bobLooked); // no event by Bob: untouched
    expect(seen(bob, repliedAfter)).toBeDefined();
    expect(reads.some((r) => r.userId === person.id)).toBe(false); // the person's own events are not "seen" rows
    expect((await rowFor(ann, answered))!.newActivity).toBe(false);
    expect((await rowFor(ann, repliedAfter))!.newActivity).toBe(true);
    expect((await rowFor(bob, repliedAfter))!.newActivity).toBe(true);

    // Run again (or after a later look): seen_at never moves backwards.
    const later = tick();
    await getDb()
      .update(requestReads)
      .set({ seenAt: later })
      .where(and(eq(requestReads.userId, ann.id), eq(requestReads.requestId, idOf(answered))));
    for (const statement of migration.split("--> statement-breakpoint")) await getDb().execute(sql.raw(statement));
    const [again] = await getDb()
      .select()
      .from(requestReads)
      .where(and(eq(requestReads.userId, ann.id), eq(requestReads.requestId, idOf(answered))));
    expect(again!.seenAt).toEqual(later);
  });

  it("My work: only the caller's assigned requests of their own teams, new activity on open requests first (newest first), then on finished ones, then open ones in queue order; paged without gaps", async () => {
    // A fresh coordinator, so earlier tests' requests do not count.
    const cara = await createUser({ role: "coordinator", name: "Cara Coordinator" });
    await addTeamMembers(money.teamId, [cara.id]);
    const assign = async (reference: string, who: TestUser) =>
      assignHubRequest(
        asCurrentUser(who),
        reference,
        { assigneeId: "me", version: await versionOf(reference) },
        tick(),
      );

    const quiet1 = await newRequest();
    const quiet2 = await newRequest();
    const replied = await newRequest();
    const repliedLater = await newRequest();
    const withdrawn = await newRequest();
    const bobs = await newRequest();
    for (const r of [quiet1, quiet2, replied, repliedLater, withdrawn]) await assign(r, cara);
    await assign(bobs, bob);
    await replyToMyRequest(asCurrentUser(person), bobs, { message: "for Bob" }, tick());
    await replyToMyRequest(asCurrentUser(person), replied, { message: "for Cara" }, tick());
    await replyToMyRequest(asCurrentUser(person), repliedLater, { message: "for Cara again" }, tick());
    // The withdrawal is the most recent activity, but a finished request comes after the open ones.
    await withdrawMyRequest(asCurrentUser(person), withdrawn, {}, tick());
    // Another team's request assigned to Cara by a direct write (as if she had left that team): never shown.
    const foreign = await newRequest(other);
    await getDb().update(supportRequests).set({ assigneeId: cara.id }).where(eq(supportRequests.reference, foreign));
    await replyToMyRequest(asCurrentUser(person), foreign, { message: "elsewhere" }, tick());

    const first = await listHubQueue(asCurrentUser(cara), MINE);
    const refs = first.items.map((i) => i.reference);
    // Unseen activity on open requests, newest first; then on finished ones; then open requests by due time.
    expect(refs).toEqual([repliedLater, replied, withdrawn, quiet1, quiet2]);
    expect(first.items.map((i) => i.newActivity)).toEqual([true, true, true, false, false]);
    expect(refs).not.toContain(bobs);
    expect(refs).not.toContain(foreign);
    expect(await countMyNewActivity(asCurrentUser(cara))).toBe(3);
    expect(await countMyNewActivity(asCurrentUser(otto))).toBe(0);
    expect((await listHubQueue(asCurrentUser(otto), MINE)).items).toEqual([]);

    // Keyset paging, one row a page, forwards and back (across the descending and ascending codes).
    expect(await allPages(cara, MINE, 1)).toEqual(refs);
    expect(await allPagesBackwards(cara, MINE, 1)).toEqual(refs);
    expect(await allPages(cara, MINE, 2)).toEqual(refs);
    expect(await allPagesBackwards(cara, MINE, 2)).toEqual(refs);
    const p1 = await listHubQueue(asCurrentUser(cara), MINE, new Date(), { pageSize: 2 });
    expect(p1.items.map((i) => i.reference)).toEqual([repliedLater, replied]);
    const p2 = await listHubQueue(asCurrentUser(cara), { ...MINE, cursor: p1.nextCursor }, new Date(), { pageSize: 2 });
    expect(p2.items.map((i) => i.reference)).toEqual([withdrawn, quiet1]);
    const back = await listHubQueue(asCurrentUser(cara), { ...MINE, cursor: p2.prevCursor }, new Date(), {
      pageSize: 2,
    });
    expect(back.items.map((i) => i.reference)).toEqual([repliedLater, replied]);

    // A reply now is the first row.
    await replyToMyRequest(asCurrentUser(person), quiet2, { message: "just now" }, tick());
    expect((await listHubQueue(asCurrentUser(cara), MINE)).items.map((i) => i.reference)).toEqual([
      quiet2,
      repliedLater,
      replied,
      withdrawn,
      quiet1,
    ]);
    await openHubRequest(asCurrentUser(cara), quiet2, tick());
    await openHubRequest(asCurrentUser(cara), repliedLater, tick());

    // Opening the replied request moves it back into queue order; the withdrawn one drops out once seen.
    await openHubRequest(asCurrentUser(cara), replied, tick());
    await openHubRequest(asCurrentUser(cara), withdrawn, tick());
    const after = (await listHubQueue(asCurrentUser(cara), MINE)).items.map((i) => i.reference);
    expect([...after].sort()).toEqual([quiet1, quiet2, replied, repliedLater].sort());
    expect(await countMyNewActivity(asCurrentUser(cara))).toBe(0);
  });
});
