// Demo stay conversations over the three years to `now` (issue 13 part 1), so the retention
// insights' stay-conversation section (ADR 036) publishes in a 12-month ICS view: the year of past
// requests holds only about 20, below the disclosure threshold once split by reason or outcome.
// Written through the same tables the real flow writes: a closed support request of the
// thinking-of-leaving offer by one of the generated demo staff, its coded answers in
// stay_conversation_answers, its history (submission, assignment, first contact, close with a
// retention outcome) in request_events, the access log and request_reads (seen: nothing new in
// My work). All closed, so the hub's open queues are unchanged. Marked by their submission key
// (DEMO_STAY_KEY_PREFIX): inserted once; a second run inserts nothing.
import { and, eq, like } from "drizzle-orm";
import type { Tx } from "../client";
import { supportOffers, supportRequests, users } from "../schema";
import { DAY, HOUR, MINUTE, Rng, startOfUtcDay } from "./common";
import { type PlannedRequest, planRequest, type Requester } from "./request-plan";
import { offerCoordinators, SEED_OFFER_COLUMNS, writePlannedRequests } from "./requests";

export const DEMO_STAY_CONVERSATIONS = 120;
/**
 * Their submission keys (a UUID, as the form's) start with this: no random UUID does in practice,
 * so it marks the demo stay conversations for the idempotency check and the tests.
 */
export const DEMO_STAY_KEY_PREFIX = "00000000-5a7e-4000-8000-";
const STAY_OFFER_SLUG = "thinking-of-leaving";

/** Inserts the demo stay conversations once; 0 when they exist or there is nobody to ask. */
export async function insertDemoStayConversations(
  tx: Tx,
  options: { now: Date; count?: number; seed?: number },
): Promise<number> {
  const [already] = await tx
    .select({ id: supportRequests.id })
    .from(supportRequests)
    .where(like(supportRequests.submissionKey, `${DEMO_STAY_KEY_PREFIX}%`))
    .limit(1);
  if (already) return 0;
  const [offer] = await tx
    .select(SEED_OFFER_COLUMNS)
    .from(supportOffers)
    .where(eq(supportOffers.slug, STAY_OFFER_SLUG));
  if (!offer || offer.formKind !== "thinking_of_leaving") return 0;
  const members = await offerCoordinators(tx, [offer.teamId]);
  if (members.length === 0) return 0;
  const nameById = new Map(members.map((m) => [m.id, m.name]));

  // The people who ask: the generated demo staff (they cannot sign in), in a stable order.
  const staff = await tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      organisationId: users.organisationId,
      staffGroup: users.staffGroup,
      startDate: users.startDate,
    })
    .from(users)
    .where(and(eq(users.isDemo, true), eq(users.role, "staff"), eq(users.passwordHash, "!")))
    .orderBy(users.email);
  if (staff.length === 0) return 0;

  const rng = new Rng(options.seed ?? 34_120);
  const nowMs = options.now.getTime();
  const count = options.count ?? DEMO_STAY_CONVERSATIONS;
  const offerForPlan = { ...offer, coordinatorIds: members.map((m) => m.id) };
  const personById = new Map(staff.map((s) => [s.id, s]));
  const requesterIdByEmail = new Map(staff.map((s) => [s.email, s.id]));
  const planned: PlannedRequest[] = [];
  for (let i = 0; i < count; i++) {
    // Spread over three years, ending six weeks ago (time to talk and close), on a weekday daytime.
    let t = nowMs - 42 * DAY - rng.next() * (3 * 365 - 42) * DAY;
    const day = new Date(startOfUtcDay(t));
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) day.setUTCDate(day.getUTCDate() + (weekday === 6 ? -1 : 1));
    t = day.getTime() + rng.int(8, 17) * HOUR + rng.int(0, 59) * MINUTE;
    const started = staff.filter((s) => Date.parse(s.startDate) + 30 * DAY < t);
    const pool = started.length > 0 ? started : staff;
    const person = pool[Math.floor(rng.next() * pool.length)]!;
    const requester: Requester = {
      email: person.email,
      firstName: person.name.split(" ")[0]!,
      organisationId: person.organisationId,
      startMs: Date.parse(person.startDate),
    };
    // Closed, mostly with a conversation; planRequest tells the story as the hub would record it.
    planned.push(planRequest(rng, nowMs, requester, offerForPlan, { status: "closed", submittedMs: t }));
  }
  const requests = planned.filter((r) => r.status === "closed" && r.closedAt && r.closedAt.getTime() < nowMs);
  await writePlannedRequests(tx, requests, {
    requester: (email) => personById.get(requesterIdByEmail.get(email)!)!,
    // The index-th in time order: a marked key (DEMO_STAY_KEY_PREFIX), numbered from 1.
    submissionKey: (index) => `${DEMO_STAY_KEY_PREFIX}${String(index + 1).padStart(12, "0")}`,
    nameById,
    stayOffers: new Set([offer.id]),
    now: options.now,
    signInCoordinators: new Set<string>(),
    sensitiveOffers: new Set(offer.sensitive ? [offer.id] : []),
  });
  return requests.length;
}
