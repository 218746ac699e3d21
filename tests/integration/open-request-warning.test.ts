// Issue 9, part 4: a warning before a second request for the same support while one is open.
// The request form's loader and action are called as Remix calls them for a browser without
// JavaScript (plain form POSTs): a submission without the acknowledgement is held back with the
// warning and every value as typed; with it, the request is made; a person who says they are not
// safe or not sure is never held back (ADR 012, amendment); nobody sees anyone else's request.
import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox, supportRequests, type SupportOffer } from "@db/schema";
import { createRequest, findMyOpenRequestForOffer, withdrawMyRequest } from "~/.server/models/requests.server";
import * as requestRoute from "~/routes/support.$slug.request";
import * as offerRoute from "~/routes/support.$slug._index";
import * as detailRoute from "~/routes/my.requests.$reference";
import { asCurrentUser, createOffer, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie, type FormFields } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

type Warned = {
  openRequest: { reference: string; status: string; offerTitle: string; submittedAt: unknown };
  values: Record<string, unknown>;
  errors: Record<string, string>;
};

const money = (extra: FormFields = {}): FormFields => ({
  topics: ["debt", "housing"],
  urgentSituations: ["none"],
  details: 'Typed <b>words</b> & a quote " kept as typed',
  contactMethod: "phone",
  contactPhone: "07700 900 982",
  contactTimes: "After 3pm on Tuesdays",
  consentToShareWithManager: true,
  submissionKey: randomUUID(),
  ...extra,
});
const psych = (safety: "safe" | "unsure" | "at_risk", extra: FormFields = {}): FormFields => ({
  whatIsHappening: "A hard month",
  effectOnWork: "struggling",
  safety,
  contactMethod: "email",
  submissionKey: randomUUID(),
  ...extra,
});

async function requestsOf(user: TestUser, offer: SupportOffer) {
  const [{ n }] = await getDb()
    .select({ n: count() })
    .from(supportRequests)
    .where(and(eq(supportRequests.requesterId, user.id), eq(supportRequests.offerId, offer.id)));
  return Number(n);
}

async function mailsTo(user: TestUser) {
  const [{ n }] = await getDb().select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
  return Number(n);
}

function referenceOf(location: string | null) {
  expect(location).toMatch(/^\/my\/requests\/SW-\d{4}-\d{5}\?submitted=1$/);
  return location!.split("/")[3]!.split("?")[0]!;
}

describe("warning before a second request for the same support", () => {
  let amy: TestUser;
  let ben: TestUser;
  let amyCookie: string;
  let benCookie: string;
  let moneyOffer: SupportOffer;
  let psychOffer: SupportOffer;
  let firstMoney: string;

  const send = (offer: SupportOffer, fields: FormFields, cookie: string) =>
    runRoute(() =>
      requestRoute.action({
        request: formRequest(`/support/${offer.slug}/request`, fields, { cookie }),
        params: { slug: offer.slug },
        context: {},
      }),
    );
  const formFor = (offer: SupportOffer, cookie: string) =>
    runRoute(() =>
      requestRoute.loader({
        request: getRequest(`/support/${offer.slug}/request`, { cookie }),
        params: { slug: offer.slug },
        context: {},
      }),
    );
  const offerPageFor = (offer: SupportOffer, cookie?: string) =>
    runRoute(() =>
      offerRoute.loader({
        request: getRequest(`/support/${offer.slug}`, cookie ? { cookie } : {}),
        params: { slug: offer.slug },
        context: {},
      }),
    );
  const confirmationOf = (reference: string, cookie: string) =>
    runRoute(() =>
      detailRoute.loader({
        request: getRequest(`/my/requests/${reference}?submitted=1`, { cookie }),
        params: { reference },
        context: {},
      }),
    );

  beforeAll(async () => {
    amy = await createUser();
    ben = await createUser();
    amyCookie = await signInCookie(amy.id);
    benCookie = await signInCookie(ben.id);
    moneyOffer = await createOffer({ formKind: "financial", title: "Money advice (test)" });
    psychOffer = await createOffer({
      formKind: "psychological",
      sensitive: true,
      title: "Psychological wellbeing hub (test)",
    });
  });

  it("says nothing while there is no open request, and the first request is made at once", async () => {
    expect((await formFor(moneyOffer, amyCookie)).data).toMatchObject({ openRequest: null });
    expect((await offerPageFor(moneyOffer, amyCookie)).data).toMatchObject({ openRequest: null });
    const first = await send(moneyOffer, money(), amyCookie);
    expect(first.status).toBe(302);
    firstMoney = referenceOf(first.location);
    // Its confirmation mentions no other request.
    expect((await confirmationOf(firstMoney, amyCookie)).data).toMatchObject({ submitted: true, alsoOpen: null });
  });

  it("shows the open request on the form and the offer page: reference, date sent, status; never to anyone else", async () => {
    const form = await formFor(moneyOffer, amyCookie);
    expect(form.data).toMatchObject({
      openRequest: {
        reference: firstMoney,
        status: "new",
        offerTitle: "Money advice (test)",
        submittedAt: expect.any(Date),
      },
    });
    expect((await offerPageFor(moneyOffer, amyCookie)).data).toMatchObject({
      openRequest: { reference: firstMoney, status: "new" },
    });
    // Ben has no request of his own: Amy's is never shown to him, nor to someone signed out.
    expect((await formFor(moneyOffer, benCookie)).data).toMatchObject({ openRequest: null });
    expect((await offerPageFor(moneyOffer, benCookie)).data).toMatchObject({ openRequest: null });
    expect((await offerPageFor(moneyOffer)).data).toMatchObject({ openRequest: null });
    // Nor does Amy's request hold Ben back: his first request is made without any acknowledgement.
    const bens = await send(moneyOffer, money(), benCookie);
    expect(bens.status).toBe(302);
    expect((await formFor(moneyOffer, amyCookie)).data).toMatchObject({ openRequest: { reference: firstMoney } });
    expect(await requestsOf(ben, moneyOffer)).toBe(1);
  });

  it("holds back a submission without the acknowledgement: nothing written, the warning, every value as typed", async () => {
    const before = { requests: await requestsOf(amy, moneyOffer), mails: await mailsTo(amy) };
    const fields = money();
    const held = await send(moneyOffer, fields, amyCookie);
    expect(held.status).toBe(409);
    const data = held.data as Warned;
    expect(data.openRequest).toMatchObject({ reference: firstMoney, status: "new", offerTitle: "Money advice (test)" });
    expect(data.errors).toEqual({});
    expect(data.values).toMatchObject({
      topics: ["debt", "housing"],
      urgentSituations: ["none"],
      details: fields.details,
      contactMethod: "phone",
      contactPhone: "07700 900 982",
      contactTimes: "After 3pm on Tuesdays",
      consentToShareWithManager: true,
      submissionKey: fields.submissionKey,
    });
    expect(await requestsOf(amy, moneyOffer)).toBe(before.requests);
    expect(await mailsTo(amy)).toBe(before.mails);

    // An urgent reason (bailiffs) is not a safety answer: still held back.
    const urgent = await send(moneyOffer, money({ urgentSituations: ["bailiffs"] }), amyCookie);
    expect(urgent.status).toBe(409);
    // An acknowledgement of some other reference is no acknowledgement.
    const wrong = await send(moneyOffer, money({ acknowledgedOpenRequest: "SW-1999-00001" }), amyCookie);
    expect(wrong.status).toBe(409);
    expect(await requestsOf(amy, moneyOffer)).toBe(before.requests);
  });

  it("makes the request when the submission acknowledges the open one, and the confirmation names it", async () => {
    const before = await requestsOf(amy, moneyOffer);
    const fields = money({ acknowledgedOpenRequest: firstMoney });
    const sent = await send(moneyOffer, fields, amyCookie);
    expect(sent.status).toBe(302);
    const second = referenceOf(sent.location);
    expect(second).not.toBe(firstMoney);
    expect(await requestsOf(amy, moneyOffer)).toBe(before + 1);
    expect((await confirmationOf(second, amyCookie)).data).toMatchObject({ alsoOpen: { reference: firstMoney } });
    // The same form sent again (double click) is the same request, not a third one nor a warning.
    const again = await send(moneyOffer, fields, amyCookie);
    expect(again.location).toBe(sent.location);
    expect(await requestsOf(amy, moneyOffer)).toBe(before + 1);
    // Now the newest open request is the one to acknowledge: the old reference no longer will do.
    expect((await formFor(moneyOffer, amyCookie)).data).toMatchObject({ openRequest: { reference: second } });
    expect((await send(moneyOffer, money({ acknowledgedOpenRequest: firstMoney }), amyCookie)).status).toBe(409);
  });

  it("counts only open requests: once withdrawn, no warning", async () => {
    const caller = asCurrentUser(amy);
    for (
      let open = await findMyOpenRequestForOffer(caller, moneyOffer.slug);
      open;
      open = await findMyOpenRequestForOffer(caller, moneyOffer.slug)
    ) {
      await withdrawMyRequest(caller, open.reference);
    }
    expect((await formFor(moneyOffer, amyCookie)).data).toMatchObject({ openRequest: null });
    expect((await send(moneyOffer, money(), amyCookie)).status).toBe(302);
  });

  it("never holds back a person who says they are not safe or not sure, and tells them about the open request", async () => {
    const first = await createRequest(asCurrentUser(amy), psychOffer.slug, psych("safe"));
    // "Safe": the warning, as for any offer.
    expect((await send(psychOffer, psych("safe"), amyCookie)).status).toBe(409);
    for (const safety of ["at_risk", "unsure"] as const) {
      const before = await requestsOf(amy, psychOffer);
      const sent = await send(psychOffer, psych(safety), amyCookie);
      expect(sent.status, safety).toBe(302);
      const reference = referenceOf(sent.location);
      expect(await requestsOf(amy, psychOffer)).toBe(before + 1);
      const confirmation = await confirmationOf(reference, amyCookie);
      expect(confirmation.data).toMatchObject({
        request: { priority: safety === "at_risk" ? "at_risk" : "safety_check" },
        alsoOpen: { offerTitle: "Psychological wellbeing hub (test)" },
      });
      expect((confirmation.data as { alsoOpen: { reference: string } }).alsoOpen.reference).not.toBe(reference);
    }
    expect(first.created).toBe(true);
  });
});
