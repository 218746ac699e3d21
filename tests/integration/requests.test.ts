import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox, referenceCounters, requestEvents, supportRequests, type FormKind } from "@db/schema";
import type { CurrentUser } from "~/.server/auth/types";
import {
  createRequest,
  getMyRequest,
  getMyRequestTimeline,
  listMyRequests,
  replyToMyRequest,
  RequestError,
  withdrawMyRequest,
} from "~/.server/models/requests.server";
import { todayInEngland } from "~/schemas/request-forms";
import { createOffer, createUser, asCurrentUser } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const asCaller = asCurrentUser;

const nextYear = `${Number(todayInEngland().slice(0, 4)) + 1}`;

const answers: Record<Exclude<FormKind, "general">, Record<string, unknown>> = {
  financial: { topics: ["debt", "cost_of_living"], urgentSituations: ["bailiffs"], details: "Bailiffs wrote to me" },
  psychological: { whatIsHappening: "Struggling since a difficult shift", effectOnWork: "off_sick", safety: "at_risk" },
  physiotherapy: { bodyArea: "shoulder", duration: "over_12_weeks", effectOnWork: "coping", details: "" },
  flexible_working: {
    currentPattern: "Full time, rotating nights",
    requestedPattern: "Days only",
    requestedStartDate: `${nextYear}-04-01`,
    effectOnTeam: "Swap with a colleague who wants nights",
    earlierRequests: "one",
  },
  retire_return: {
    pensionSection: "2015",
    intendedDate: `${nextYear}-06-30`,
    interests: ["partial_retirement", "reservist_bank"],
    hoursPerWeek: "24",
  },
  thinking_of_leaving: {
    leavingReasons: ["workload", "shift_patterns_hours"],
    wouldHelpStay: ["flexible_working"],
    howSoon: "1_3_months",
    hubAction: "conversation",
  },
};

function form(kind: keyof typeof answers, extra: Record<string, unknown> = {}) {
  return { ...answers[kind], contactMethod: "email", submissionKey: randomUUID(), ...extra };
}

async function countRequests(requesterId: string) {
  const [row] = await getDb()
    .select({ n: count() })
    .from(supportRequests)
    .where(eq(supportRequests.requesterId, requesterId));
  return Number(row.n);
}

describe("createRequest", () => {
  let alice: CurrentUser;
  const offers: Partial<Record<FormKind, string>> = {};

  beforeAll(async () => {
    alice = asCaller(await createUser());
    for (const kind of Object.keys(answers) as FormKind[]) {
      offers[kind] = (await createOffer({ formKind: kind, sensitive: kind === "psychological" })).slug;
    }
  });

  it.each(Object.keys(answers) as Array<keyof typeof answers>)(
    "creates a %s request with an event and a mail",
    async (kind) => {
      const before = await getDb().select({ n: count() }).from(mailOutbox);
      const created = await createRequest(alice, offers[kind]!, form(kind));
      expect(created.created).toBe(true);
      expect(created.reference).toMatch(/^SW-\d{4}-\d{5}$/);
      expect(created.reference.slice(3, 7)).toBe(todayInEngland().slice(0, 4));
      expect(created.urgent).toBe(kind === "financial" || kind === "psychological");

      const [row] = await getDb()
        .select()
        .from(supportRequests)
        .where(eq(supportRequests.reference, created.reference));
      expect(row.requesterId).toBe(alice.id);
      expect(row.organisationId).toBe(alice.organisationId);
      expect(row.status).toBe("new");
      expect(row.contactMethod).toBe("email");
      expect(row.consentToShareWithManager).toBe(false);
      expect(row.answers).not.toHaveProperty("contactMethod");
      expect(row.answers).not.toHaveProperty("submissionKey");
      if (kind === "retire_return")
        expect(row.answers).toMatchObject({ hoursPerWeek: 24, interests: ["partial_retirement", "reservist_bank"] });
      if (kind === "physiotherapy")
        expect(row.answers).toEqual({ bodyArea: "shoulder", duration: "over_12_weeks", effectOnWork: "coping" });

      const events = await getDb().select().from(requestEvents).where(eq(requestEvents.requestId, row.id));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: "submitted", visibleToRequester: true, actorId: alice.id, body: null });

      const after = await getDb().select({ n: count() }).from(mailOutbox);
      expect(Number(after[0].n)).toBe(Number(before[0].n) + 1);
      const [mail] = await getDb()
        .select()
        .from(mailOutbox)
        .where(eq(mailOutbox.subject, `We have your request ${created.reference}`));
      expect(mail.toAddress).toBe(alice.email);
      expect(mail.textBody).toContain(`/my/requests/${created.reference}`);
      // Never the content.
      for (const value of Object.values(answers[kind])) {
        if (typeof value === "string" && value.length > 8) expect(mail.textBody).not.toContain(value);
      }
      if (kind === "psychological") expect(mail.textBody).not.toMatch(/psycholog/i);
    },
  );

  it("allocates consecutive references from the counter", async () => {
    const a = await createRequest(alice, offers.physiotherapy!, form("physiotherapy"));
    const b = await createRequest(alice, offers.physiotherapy!, form("physiotherapy"));
    expect(Number(b.reference.slice(-5))).toBe(Number(a.reference.slice(-5)) + 1);
    const [counter] = await getDb()
      .select()
      .from(referenceCounters)
      .where(eq(referenceCounters.year, Number(todayInEngland().slice(0, 4))));
    expect(counter.last).toBe(Number(b.reference.slice(-5)));
  });

  it("returns the same request for the same submission key (double click, resubmission)", async () => {
    const bob = asCaller(await createUser());
    const input = form("physiotherapy");
    const first = await createRequest(bob, offers.physiotherapy!, input);
    const again = await createRequest(bob, offers.physiotherapy!, input);
    expect(again).toMatchObject({ id: first.id, reference: first.reference, created: false });
    // Two at once.
    const twins = await Promise.all([
      createRequest(bob, offers.physiotherapy!, input),
      createRequest(bob, offers.physiotherapy!, input),
    ]);
    expect(twins.map((t) => t.reference)).toEqual([first.reference, first.reference]);
    expect(await countRequests(bob.id)).toBe(1);
    const events = await getDb().select().from(requestEvents).where(eq(requestEvents.requestId, first.id));
    expect(events).toHaveLength(1);
  });

  it("handles concurrent first submissions with one key", async () => {
    const carol = asCaller(await createUser());
    const input = form("financial");
    const results = await Promise.all([1, 2, 3].map(() => createRequest(carol, offers.financial!, input)));
    expect(new Set(results.map((r) => r.reference)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await countRequests(carol.id)).toBe(1);
  });

  it("refuses an inactive offer and writes nothing", async () => {
    const dan = asCaller(await createUser());
    const closed = await createOffer({ formKind: "general", active: false });
    const mailsBefore = (await getDb().select({ n: count() }).from(mailOutbox))[0].n;
    const counterBefore = await getDb().select().from(referenceCounters);
    await expect(
      createRequest(dan, closed.slug, { details: "Please", contactMethod: "email", submissionKey: randomUUID() }),
    ).rejects.toMatchObject({
      code: "offer_inactive",
    });
    expect(await countRequests(dan.id)).toBe(0);
    expect((await getDb().select({ n: count() }).from(mailOutbox))[0].n).toBe(mailsBefore);
    expect(await getDb().select().from(referenceCounters)).toEqual(counterBefore);
  });

  it("refuses an unknown offer and invalid answers", async () => {
    await expect(createRequest(alice, "no-such-offer", form("physiotherapy"))).rejects.toMatchObject({
      code: "offer_not_found",
    });
    const error = await createRequest(alice, offers.physiotherapy!, {
      contactMethod: "phone",
      submissionKey: randomUUID(),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error.code).toBe("invalid");
    expect(error.errors).toMatchObject({
      bodyArea: "Select where the problem is",
      contactPhone: "Enter a phone number",
    });
  });

  it("stores text with <script> verbatim", async () => {
    const general = await createOffer({ formKind: "general" });
    const text = `<script>alert("x")</script> & <b>bold</b>`;
    const created = await createRequest(alice, general.slug, {
      details: text,
      contactMethod: "teams",
      submissionKey: randomUUID(),
    });
    const mine = await getMyRequest(alice, created.reference);
    expect(mine?.answers.details).toBe(text);
    await replyToMyRequest(alice, created.reference, { message: text });
    const timeline = await getMyRequestTimeline(alice, created.reference);
    expect(timeline?.at(-1)?.body).toBe(text);
  });
});

describe("reading, replying and withdrawing, scoped to the caller", () => {
  let owner: CurrentUser;
  let other: CurrentUser;
  let reference: string;
  let requestId: number;

  beforeAll(async () => {
    owner = asCaller(await createUser());
    other = asCaller(await createUser({ organisationId: owner.organisationId }));
    const offer = await createOffer({ formKind: "physiotherapy", title: "Fast-track physiotherapy" });
    const created = await createRequest(owner, offer.slug, form("physiotherapy"));
    reference = created.reference;
    requestId = created.id;
    // A hub message and an internal note the owner must never see.
    await getDb()
      .insert(requestEvents)
      .values([
        { requestId, kind: "message_to_staff", body: "Can you do Tuesday?", visibleToRequester: true },
        { requestId, kind: "internal_note", body: "INTERNAL: discussed with OH", visibleToRequester: false },
      ]);
  });

  it("returns the owner's request with the offer", async () => {
    const mine = await getMyRequest(owner, reference);
    expect(mine).toMatchObject({
      reference,
      status: "new",
      offer: { title: "Fast-track physiotherapy", formKind: "physiotherapy" },
    });
  });

  it("treats another person's reference exactly like a missing one", async () => {
    expect(await getMyRequest(other, reference)).toBeNull();
    expect(await getMyRequest(owner, "SW-1999-99999")).toBeNull();
    expect(await getMyRequestTimeline(other, reference)).toBeNull();
    expect(await getMyRequestTimeline(owner, "SW-1999-99999")).toBeNull();
    await expect(replyToMyRequest(other, reference, { message: "hello" })).rejects.toMatchObject({ code: "not_found" });
    await expect(withdrawMyRequest(other, reference)).rejects.toMatchObject({ code: "not_found" });
    const [row] = await getDb().select().from(supportRequests).where(eq(supportRequests.id, requestId));
    expect(row.status).toBe("new");
    expect(row.version).toBe(1);
    const replies = await getDb()
      .select()
      .from(requestEvents)
      .where(and(eq(requestEvents.requestId, requestId), eq(requestEvents.kind, "message_from_staff")));
    expect(replies).toHaveLength(0);
  });

  it("never returns internal events", async () => {
    const timeline = await getMyRequestTimeline(owner, reference);
    expect(timeline?.map((e) => e.kind)).toEqual(["submitted", "message_to_staff"]);
    expect(JSON.stringify(timeline)).not.toContain("INTERNAL");
  });

  it("lists only the caller's requests, newest first, paged", async () => {
    const list = await listMyRequests(owner, { page: 1 });
    expect(list.items.map((i) => i.reference)).toEqual([reference]);
    expect(list.items[0]).toMatchObject({ offerTitle: "Fast-track physiotherapy", status: "new" });
    expect((await listMyRequests(other)).total).toBe(0);

    const many = asCaller(await createUser());
    const offer = await createOffer({ formKind: "general" });
    const refs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const submittedAt = new Date(Date.UTC(2025, 0, 1 + i));
      refs.push(
        (
          await createRequest(
            many,
            offer.slug,
            { details: `n${i}`, contactMethod: "email", submissionKey: randomUUID() },
            submittedAt,
          )
        ).reference,
      );
    }
    const page1 = await listMyRequests(many, { page: 1, pageSize: 2 });
    const page2 = await listMyRequests(many, { page: 2, pageSize: 2 });
    expect(page1).toMatchObject({ total: 3, pageCount: 2, page: 1 });
    expect([...page1.items, ...page2.items].map((i) => i.reference)).toEqual(refs.reverse());
  });

  it("replies: a visible message, updatedAt and version bumped", async () => {
    const before = await getMyRequest(owner, reference);
    const result = await replyToMyRequest(owner, reference, { message: "  Tuesday is fine  " });
    expect(result.version).toBe(before!.version + 1);
    const after = await getMyRequest(owner, reference);
    expect(after!.version).toBe(before!.version + 1);
    expect(after!.updatedAt.getTime()).toBeGreaterThanOrEqual(before!.updatedAt.getTime());
    const timeline = await getMyRequestTimeline(owner, reference);
    expect(timeline?.at(-1)).toMatchObject({ kind: "message_from_staff", body: "Tuesday is fine", byMe: true });
    await expect(replyToMyRequest(owner, reference, { message: "x", version: 1 })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(replyToMyRequest(owner, reference, { message: "   " })).rejects.toMatchObject({ code: "invalid" });
  });

  it("moves a request waiting on the person back to in progress when they reply", async () => {
    await getDb().update(supportRequests).set({ status: "waiting_on_staff" }).where(eq(supportRequests.id, requestId));
    const result = await replyToMyRequest(owner, reference, { message: "Here is the answer" });
    expect(result.status).toBe("in_progress");
  });

  it("withdraws once; a second withdrawal and replies are refused", async () => {
    await withdrawMyRequest(owner, reference, { reason: "Feeling better" });
    const after = await getMyRequest(owner, reference);
    expect(after?.status).toBe("withdrawn");
    expect(after?.closedAt).toBeInstanceOf(Date);
    const timeline = await getMyRequestTimeline(owner, reference);
    expect(timeline?.at(-1)).toMatchObject({ kind: "withdrawn", body: "Feeling better" });
    await expect(withdrawMyRequest(owner, reference)).rejects.toMatchObject({ code: "not_open" });
    await expect(replyToMyRequest(owner, reference, { message: "one more thing" })).rejects.toMatchObject({
      code: "closed",
    });
  });

  it("refuses to withdraw a closed request", async () => {
    const offer = await createOffer({ formKind: "general" });
    const created = await createRequest(owner, offer.slug, {
      details: "x",
      contactMethod: "email",
      submissionKey: randomUUID(),
    });
    await getDb()
      .update(supportRequests)
      .set({ status: "closed", closedAt: new Date() })
      .where(eq(supportRequests.id, created.id));
    await expect(withdrawMyRequest(owner, created.reference)).rejects.toMatchObject({ code: "not_open" });
  });
});
