// Two-step verification (docs/decisions/029): setting it up, the sign-in second step through the
// real route actions (no session until the code; replayed codes refused; recovery codes once;
// wrong codes throttled in the database), MFA_REQUIRED_FOR enforced on every page, turning it off,
// and an administrator's reset that needs a second administrator.
import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  adminAudit,
  authThrottleEvents,
  mailOutbox,
  sessions,
  signInChallenges,
  twoStepRecoveryCodes,
  twoStepSettings,
} from "@db/schema";
import { resetEnvCache } from "~/.server/env";
import { FREE_FAILURES_PER_PAIR } from "~/.server/auth/throttle.server";
import { totpCode, TWO_STEP_FAILURE_LIMIT } from "~/.server/auth/two-step.server";
import { decideProposal, listProposals, proposeTwoStepReset } from "~/.server/models/admin/proposals.server";
import {
  confirmSetup,
  disableTwoStep,
  PENDING_SECRET_MINUTES,
  pendingSetup,
  replaceRecoveryCodes,
  SETUP_EXPIRED,
  twoStepStatus,
} from "~/.server/models/two-step.server";
import { isAdminError } from "~/.server/models/admin/common.server";
import { addressKey } from "~/.server/models/auth-throttle.server";
import * as security from "~/routes/account.security";
import * as adminTwoStep from "~/routes/admin.people.$userId_.two-step";
import * as hub from "~/routes/hub._index";
import * as hubRequest from "~/routes/hub.requests.$reference";
import * as loginRoute from "~/routes/login";
import * as twoStepRoute from "~/routes/login_.two-step";
import * as root from "~/root";
import { asCurrentUser, createUser, type TestUser } from "../helpers/factories";
import { cookiesFromResponse, formRequest, getRequest, runRoute, signInCookie } from "../helpers/http";
import { captureLogs } from "../helpers/logs";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const CLIENT = { clientAddress: "192.0.2.10" };
const MINUTE = 60_000;

afterEach(() => {
  delete process.env.MFA_REQUIRED_FOR;
  delete process.env.TWO_STEP_ENCRYPTION_KEY;
  resetEnvCache();
});

function requireFor(roles: string) {
  process.env.MFA_REQUIRED_FOR = roles;
  resetEnvCache();
}

/** Turns two-step on for the user as if a minute ago (so a code for now is a later step); returns secret and codes. */
async function turnOn(user: TestUser) {
  const me = asCurrentUser(user);
  const setup = await pendingSetup(me);
  const secret = setup!.secret.replace(/\s/g, "");
  const then = new Date(Date.now() - 2 * MINUTE);
  const result = await confirmSetup(me, { otp: totpCode(secret, then), setupId: setup!.setupId }, "unknown", then);
  if (!result.ok) throw new Error(result.message);
  return { secret, recoveryCodes: result.value };
}

async function password(user: TestUser) {
  return runRoute(() =>
    loginRoute.action({
      request: formRequest("/login", { email: user.email, password: user.password }),
      params: {},
      context: CLIENT,
    }),
  );
}

/** The password step, then the code step with `otp`; the final outcome and the cookies it set. */
async function signInWith(user: TestUser, otp: string) {
  const first = await password(user);
  expect(first.status).toBe(302);
  expect(first.location).toBe("/login/two-step");
  const challenge = first.headers!.get("Set-Cookie")!.split(";")[0];
  const second = await runRoute(() =>
    twoStepRoute.action({
      request: formRequest("/login/two-step", { otp }, { cookie: challenge }),
      params: {},
      context: CLIENT,
    }),
  );
  return { first, second, challenge };
}

async function sessionCount(userId: string) {
  return (await getDb().select().from(sessions).where(eq(sessions.userId, userId))).length;
}

describe("setting up two-step verification", () => {
  it("shows the same secret until confirmed, turns on only with a right code, and gives 10 recovery codes stored hashed", async () => {
    const user = await createUser();
    const me = asCurrentUser(user);
    const first = await pendingSetup(me);
    const again = await pendingSetup(me);
    expect(first!.secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4})+$/);
    expect(again!.secret).toBe(first!.secret);
    expect(first!.qrSvg).toMatch(/^<svg/);
    const secret = first!.secret.replace(/\s/g, "");

    const setupId = first!.setupId;
    expect(again!.setupId).toBe(setupId);
    const wrong = await confirmSetup(me, { otp: "000000" === totpCode(secret) ? "111111" : "000000", setupId });
    expect(wrong.ok).toBe(false);
    expect((await twoStepStatus(me)).enabled).toBe(false);

    const right = await confirmSetup(me, { otp: totpCode(secret), setupId });
    expect(right.ok).toBe(true);
    const codes = right.ok ? right.value : [];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await twoStepStatus(me)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    const stored = await getDb().select().from(twoStepRecoveryCodes).where(eq(twoStepRecoveryCodes.userId, user.id));
    const dump = JSON.stringify(stored);
    for (const code of codes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace(/-/g, ""));
    }
    expect(await pendingSetup(me)).toBeNull();
  });

  it(`shows a new secret once the pending one is ${PENDING_SECRET_MINUTES} minutes old; the old one no longer confirms`, async () => {
    const user = await createUser();
    const me = asCurrentUser(user);
    const start = new Date(Date.now() - 60 * MINUTE);
    const first = await pendingSetup(me, start);
    const later = await pendingSetup(me, new Date(start.getTime() + (PENDING_SECRET_MINUTES - 1) * MINUTE));
    expect(later!.secret).toBe(first!.secret);
    const renewedAt = new Date(start.getTime() + (PENDING_SECRET_MINUTES + 1) * MINUTE);
    const renewed = await pendingSetup(me, renewedAt);
    expect(renewed!.secret).not.toBe(first!.secret);
    // The new one is kept for its own 15 minutes.
    expect((await pendingSetup(me, new Date(renewedAt.getTime() + MINUTE)))!.secret).toBe(renewed!.secret);
    expect(renewed!.setupId).not.toBe(first!.setupId);
    const oldSecret = first!.secret.replace(/\s/g, "");
    const newSecret = renewed!.secret.replace(/\s/g, "");
    const at = new Date(renewedAt.getTime() + 2 * MINUTE);
    // The old form (its id, a code from the old secret) is refused as expired, without a code being checked.
    expect(await confirmSetup(me, { otp: totpCode(oldSecret, at), setupId: first!.setupId }, "unknown", at)).toEqual({
      ok: false,
      field: "otp",
      message: SETUP_EXPIRED,
    });
    // Even with the right code for the new secret, a form that showed the old one is refused.
    expect((await confirmSetup(me, { otp: totpCode(newSecret, at), setupId: first!.setupId }, "unknown", at)).ok).toBe(
      false,
    );
    expect((await twoStepStatus(me)).enabled).toBe(false);
    expect(
      (await confirmSetup(me, { otp: totpCode(newSecret, at), setupId: renewed!.setupId }, "unknown", at)).ok,
    ).toBe(true);
  });

  it(`refuses a setup form left open past ${PENDING_SECRET_MINUTES} minutes (no reload) with its right code, and the page then shows a new QR code`, async () => {
    const user = await createUser();
    const cookie = await signInCookie(user.id);
    const opened = await runRoute(() =>
      security.loader({ request: getRequest("/account/security", { cookie }), params: {}, context: {} }),
    );
    const page = opened.data as Awaited<ReturnType<typeof security.loader>>;
    const shownSecret = page.setup!.secret.replace(/\s/g, "");
    expect(page.setup!.setupId).toMatch(/^\d+$/);
    // Sixteen minutes later, without reloading: the pending secret (not replaced by anyone) is now too old.
    await getDb()
      .update(twoStepSettings)
      .set({ createdAt: new Date(Date.now() - (PENDING_SECRET_MINUTES + 1) * MINUTE) })
      .where(eq(twoStepSettings.userId, user.id));
    const [aged] = await getDb().select().from(twoStepSettings).where(eq(twoStepSettings.userId, user.id));
    const late = await runRoute(() =>
      security.action({
        request: formRequest(
          "/account/security",
          { intent: "confirm", otp: totpCode(shownSecret), setup: String(aged.createdAt.getTime()) },
          { cookie },
        ),
        params: {},
        context: CLIENT,
      }),
    );
    expect(late.status).toBe(400);
    expect(JSON.stringify(late.data)).toContain("This set-up has expired");
    expect((await twoStepStatus(asCurrentUser(user))).enabled).toBe(false);
    // Not a wrong guess: nothing counted against the address.
    const counted = await getDb()
      .select()
      .from(authThrottleEvents)
      .where(
        and(eq(authThrottleEvents.kind, "two_step_failure"), eq(authThrottleEvents.emailHash, addressKey(user.email))),
      );
    expect(counted).toEqual([]);
    // The page as shown after that answer has a new secret and a new id; with them it turns on.
    const after = await runRoute(() =>
      security.loader({ request: getRequest("/account/security", { cookie }), params: {}, context: {} }),
    );
    const fresh = (after.data as Awaited<ReturnType<typeof security.loader>>).setup!;
    expect(fresh.secret).not.toBe(page.setup!.secret);
    expect(fresh.setupId).not.toBe(page.setup!.setupId);
    const on = await runRoute(() =>
      security.action({
        request: formRequest(
          "/account/security",
          { intent: "confirm", otp: totpCode(fresh.secret.replace(/\s/g, "")), setup: fresh.setupId },
          { cookie },
        ),
        params: {},
        context: CLIENT,
      }),
    );
    expect(on.status).toBe(200);
    expect((await twoStepStatus(asCurrentUser(user))).enabled).toBe(true);
  });

  it("refuses a form without the setup id (a page from before the id existed) as expired", async () => {
    const user = await createUser();
    const me = asCurrentUser(user);
    const setup = await pendingSetup(me);
    const result = await confirmSetup(me, { otp: totpCode(setup!.secret.replace(/\s/g, "")) });
    expect(result).toMatchObject({ ok: false, message: SETUP_EXPIRED });
  });

  it(`counts wrong setup codes with the other two-step failures: past ${TWO_STEP_FAILURE_LIMIT}, 429 with Retry-After, even for the right code`, async () => {
    const user = await createUser();
    const cookie = await signInCookie(user.id);
    const opened = await runRoute(() =>
      security.loader({ request: getRequest("/account/security", { cookie }), params: {}, context: {} }),
    );
    const setup = (opened.data as Awaited<ReturnType<typeof security.loader>>).setup!;
    const secret = setup.secret.replace(/\s/g, "");
    const wrongCode = totpCode(secret) === "000000" ? "111111" : "000000";
    const post = (otp: string) =>
      security.action({
        request: formRequest("/account/security", { intent: "confirm", otp, setup: setup.setupId }, { cookie }),
        params: {},
        context: CLIENT,
      }) as unknown as Promise<{ data: unknown; init: ResponseInit }>;
    for (let i = 0; i < TWO_STEP_FAILURE_LIMIT; i++) {
      const wrong = await post(wrongCode);
      expect(wrong.init.status).toBe(400);
      expect(JSON.stringify(wrong.data)).toContain("The code is not right");
    }
    const failures = await getDb()
      .select({ client: authThrottleEvents.client })
      .from(authThrottleEvents)
      .where(
        and(eq(authThrottleEvents.kind, "two_step_failure"), eq(authThrottleEvents.emailHash, addressKey(user.email))),
      );
    expect(failures).toHaveLength(TWO_STEP_FAILURE_LIMIT);
    expect(failures[0].client).toBe(CLIENT.clientAddress);
    const blocked = await post(totpCode(secret));
    expect(blocked.init.status).toBe(429);
    expect(Number(new Headers(blocked.init.headers).get("Retry-After"))).toBeGreaterThan(0);
    expect(JSON.stringify(blocked.data)).toContain("Too many wrong attempts");
    expect((await twoStepStatus(asCurrentUser(user))).enabled).toBe(false);
    // The window passes: the right code turns it on.
    const later = new Date(Date.now() + 16 * MINUTE);
    const fresh = await pendingSetup(asCurrentUser(user), later);
    const ok = await confirmSetup(
      asCurrentUser(user),
      { otp: totpCode(fresh!.secret.replace(/\s/g, ""), later), setupId: fresh!.setupId },
      CLIENT.clientAddress,
      later,
    );
    expect(ok.ok).toBe(true);
  });

  it("stores the secret encrypted when TWO_STEP_ENCRYPTION_KEY is set, and it still verifies", async () => {
    process.env.TWO_STEP_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
    resetEnvCache();
    const user = await createUser();
    const { secret } = await turnOn(user);
    const [row] = await getDb().select().from(twoStepSettings).where(eq(twoStepSettings.userId, user.id));
    expect(row.secret.startsWith("v1:")).toBe(true);
    expect(row.secret).not.toContain(secret);
    const { second } = await signInWith(user, totpCode(secret));
    expect(second.status).toBe(302);
    expect(second.headers!.getSetCookie().some((c) => c.startsWith("staywell_session=") && !/=;/.test(c))).toBe(true);
  });
});

describe("signing in with two-step verification on", () => {
  it("creates no session after the password, only after a right code, and takes the person where they work", async () => {
    const user = await createUser();
    const { secret } = await turnOn(user);
    const first = await password(user);
    expect(first.location).toBe("/login/two-step");
    expect(first.headers!.get("Set-Cookie")).toMatch(/^staywell_2sv=[A-Za-z0-9_-]+; Path=\/login; HttpOnly/);
    expect(await sessionCount(user.id)).toBe(0);

    const { second } = await signInWith(user, totpCode(secret));
    expect(second.status).toBe(302);
    expect(second.location).toBe("/my/requests");
    expect(await sessionCount(user.id)).toBe(1);
    // The challenge is used up.
    expect(await getDb().select().from(signInChallenges).where(eq(signInChallenges.userId, user.id))).toEqual([]);
  });

  it("refuses a wrong code without a session, and the same right code a second time (replay)", async () => {
    const user = await createUser();
    const { secret } = await turnOn(user);
    const code = totpCode(secret);
    const wrongCode = code === "123456" ? "654321" : "123456";
    const wrong = await signInWith(user, wrongCode);
    expect(wrong.second.status).toBe(400);
    expect(JSON.stringify(wrong.second.data)).toContain("The code is not right");
    expect(await sessionCount(user.id)).toBe(0);

    const ok = await signInWith(user, code);
    expect(ok.second.status).toBe(302);
    expect(await sessionCount(user.id)).toBe(1);

    // Someone who saw the code (over a shoulder, a phishing page) tries it within its 30 seconds.
    const replay = await signInWith(user, code);
    expect(replay.second.status).toBe(400);
    expect(await sessionCount(user.id)).toBe(1);
  });

  it("accepts each recovery code once", async () => {
    const user = await createUser();
    const { recoveryCodes } = await turnOn(user);
    const code = recoveryCodes[3];
    const first = await signInWith(user, code.toLowerCase().replace(/-/g, " "));
    expect(first.second.status).toBe(302);
    expect(await sessionCount(user.id)).toBe(1);
    const again = await signInWith(user, code);
    expect(again.second.status).toBe(400);
    expect(await sessionCount(user.id)).toBe(1);
    expect(await twoStepStatus(asCurrentUser(user))).toMatchObject({ recoveryCodesLeft: 9 });
    const unused = await getDb()
      .select()
      .from(twoStepRecoveryCodes)
      .where(and(eq(twoStepRecoveryCodes.userId, user.id), isNull(twoStepRecoveryCodes.usedAt)));
    expect(unused).toHaveLength(9);
  });

  it(`refuses codes after ${TWO_STEP_FAILURE_LIMIT} wrong ones, even the right one, counted in the database`, async () => {
    const user = await createUser();
    const { secret } = await turnOn(user);
    const wrongCode = totpCode(secret) === "000000" ? "111111" : "000000";
    for (let i = 0; i < TWO_STEP_FAILURE_LIMIT; i++) {
      const attempt = await signInWith(user, wrongCode);
      expect(attempt.second.status).toBe(400);
    }
    const blocked = await signInWith(user, totpCode(secret));
    expect(blocked.second.status).toBe(429);
    expect(JSON.stringify(blocked.second.data)).toContain("Too many wrong codes");
    expect(await sessionCount(user.id)).toBe(0);
  });

  it("sends a challenge that is missing or past its 10 minutes back to the password", async () => {
    const user = await createUser();
    const { secret } = await turnOn(user);
    const first = await password(user);
    const challenge = first.headers!.get("Set-Cookie")!.split(";")[0];
    await getDb()
      .update(signInChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(signInChallenges.userId, user.id));
    const late = await runRoute(() =>
      twoStepRoute.action({
        request: formRequest("/login/two-step", { otp: totpCode(secret) }, { cookie: challenge }),
        params: {},
        context: CLIENT,
      }),
    );
    expect(late.status).toBe(302);
    expect(late.location).toBe("/login?expired=1");
    expect(await sessionCount(user.id)).toBe(0);
    const none = await runRoute(() =>
      twoStepRoute.loader({ request: getRequest("/login/two-step"), params: {}, context: {} }),
    );
    expect(none.location).toBe("/login?expired=1");
  });
});

describe("MFA_REQUIRED_FOR", () => {
  it("sends a coordinator without two-step from any page (a direct request to /hub, the root loader) to the setup page", async () => {
    requireFor("coordinator,admin");
    const coordinator = await createUser({ role: "coordinator" });
    const cookie = await signInCookie(coordinator.id);
    const toHub = await runRoute(() =>
      hub.loader({ request: getRequest("/hub", { cookie }), params: {}, context: {} }),
    );
    expect(toHub.status).toBe(302);
    expect(toHub.location).toBe("/account/security");
    const anyPage = await runRoute(() =>
      root.loader({ request: getRequest("/support", { cookie }), params: {}, context: {} }),
    );
    expect(anyPage.location).toBe("/account/security");

    // The setup page itself is reached, and shows the QR code and the warning.
    const setup = await runRoute(() =>
      security.loader({ request: getRequest("/account/security", { cookie }), params: {}, context: {} }),
    );
    expect(setup.status).toBe(200);
    const page = setup.data as Awaited<ReturnType<typeof security.loader>>;
    expect(page.status).toMatchObject({ enabled: false, required: true });
    expect(page.setup?.qr).toMatch(/^data:image\/svg\+xml;base64,/);

    // An action elsewhere is refused the same way, and nothing is done.
    const posted = await runRoute(() =>
      security.action({
        request: formRequest("/account/security", { intent: "confirm", otp: "000000" }, { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(posted.status).toBe(400);
    const elsewhere = await runRoute(() =>
      hubRequest.action({
        request: formRequest("/hub/requests/SW-0000-0000", { intent: "note", body: "x" }, { cookie }),
        params: { reference: "SW-0000-0000" },
        context: {},
      }),
    );
    expect(elsewhere.location).toBe("/account/security");

    // Once set up, the hub answers (whatever it then decides about teams, it is no longer the setup redirect).
    const secret = page.setup!.secret.replace(/\s/g, "");
    const on = await runRoute(() =>
      security.action({
        request: formRequest(
          "/account/security",
          { intent: "confirm", otp: totpCode(secret), setup: page.setup!.setupId },
          { cookie },
        ),
        params: {},
        context: {},
      }),
    );
    expect(on.status).toBe(200);
    expect((on.data as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    const after = await runRoute(() =>
      hub.loader({ request: getRequest("/hub", { cookie }), params: {}, context: {} }),
    );
    expect(after.location).not.toBe("/account/security");
  });

  it("leaves staff alone, and everyone when it is empty (the demo)", async () => {
    requireFor("coordinator,admin");
    const staff = await createUser({ role: "staff" });
    const staffCookie = await signInCookie(staff.id);
    const staffPage = await runRoute(() =>
      root.loader({ request: getRequest("/support", { cookie: staffCookie }), params: {}, context: {} }),
    );
    expect(staffPage.status).toBe(200);

    requireFor("");
    const admin = await createUser({ role: "admin" });
    const adminCookie = await signInCookie(admin.id);
    const adminPage = await runRoute(() =>
      root.loader({ request: getRequest("/support", { cookie: adminCookie }), params: {}, context: {} }),
    );
    expect(adminPage.status).toBe(200);
  });

  it("sends a coordinator straight to the setup page after the password, and refuses turning it off", async () => {
    requireFor("coordinator");
    const coordinator = await createUser({ role: "coordinator" });
    const signedIn = await password(coordinator);
    expect(signedIn.status).toBe(302);
    const cookie = cookiesFromResponse(new Response(null, { headers: signedIn.headers! }));
    const next = await runRoute(() =>
      root.loader({ request: getRequest(signedIn.location!, { cookie }), params: {}, context: {} }),
    );
    expect(next.location).toBe("/account/security");

    const { secret } = await turnOn(coordinator);
    const off = await disableTwoStep(asCurrentUser(coordinator), {
      password: coordinator.password,
      otp: totpCode(secret),
    });
    expect(off).toMatchObject({ ok: false, field: "otp" });
    expect((await twoStepStatus(asCurrentUser(coordinator))).enabled).toBe(true);
  });
});

describe("turning it off", () => {
  it("needs the password and a code, and does not say which of them was wrong", async () => {
    const user = await createUser();
    const me = asCurrentUser(user);
    const { secret } = await turnOn(user);
    const combined = { ok: false, field: "password", message: "The password or the code is not right" };
    expect(await disableTwoStep(me, { password: "not the password", otp: totpCode(secret) })).toEqual(combined);
    const wrong = totpCode(secret) === "000000" ? "111111" : "000000";
    expect(await disableTwoStep(me, { password: user.password, otp: wrong })).toEqual(combined);
    expect((await twoStepStatus(me)).enabled).toBe(true);
    expect(await disableTwoStep(me, { password: user.password, otp: totpCode(secret) })).toEqual({
      ok: true,
      value: null,
    });
    expect((await twoStepStatus(me)).enabled).toBe(false);
    expect(await getDb().select().from(twoStepRecoveryCodes).where(eq(twoStepRecoveryCodes.userId, user.id))).toEqual(
      [],
    );
    // Signing in is the password alone again.
    const again = await password(user);
    expect(again.location).toBe("/my/requests");
  });
});

describe("the two-step settings are throttled like sign-in", () => {
  async function securityForm(cookie: string, fields: Record<string, string>) {
    return runRoute(() =>
      security.action({ request: formRequest("/account/security", fields, { cookie }), params: {}, context: CLIENT }),
    );
  }

  it("turning it off: wrong passwords count as failed sign-ins; past the limit even the right ones get 429", async () => {
    const user = await createUser();
    const { secret } = await turnOn(user);
    const cookie = await signInCookie(user.id);
    for (let i = 0; i < FREE_FAILURES_PER_PAIR; i++) {
      const wrong = await securityForm(cookie, { intent: "disable", password: `guess number ${i}`, otp: "123456" });
      expect(wrong.status).toBe(400);
    }
    const blocked = (await security.action({
      request: formRequest(
        "/account/security",
        { intent: "disable", password: user.password, otp: totpCode(secret) },
        { cookie },
      ),
      params: {},
      context: CLIENT,
    })) as unknown as { data: unknown; init: ResponseInit };
    expect(blocked.init.status).toBe(429);
    expect(Number(new Headers(blocked.init.headers).get("Retry-After"))).toBeGreaterThan(0);
    expect(JSON.stringify(blocked.data)).toContain("Too many wrong attempts");
    expect((await twoStepStatus(asCurrentUser(user))).enabled).toBe(true);
  });

  it(`new recovery codes and turning it off: wrong codes share the sign-in limit of ${TWO_STEP_FAILURE_LIMIT}`, async () => {
    const user = await createUser();
    const { secret } = await turnOn(user);
    const cookie = await signInCookie(user.id);
    const wrongCode = totpCode(secret) === "000000" ? "111111" : "000000";
    for (let i = 0; i < TWO_STEP_FAILURE_LIMIT - 1; i++) {
      expect((await securityForm(cookie, { intent: "codes", otp: wrongCode })).status).toBe(400);
    }
    const wrongOff = await securityForm(cookie, { intent: "disable", password: user.password, otp: wrongCode });
    expect(wrongOff.status).toBe(400);
    expect(JSON.stringify(wrongOff.data)).toContain("The password or the code is not right");
    const codes = await securityForm(cookie, { intent: "codes", otp: totpCode(secret) });
    expect(codes.status).toBe(429);
    const off = await securityForm(cookie, { intent: "disable", password: user.password, otp: totpCode(secret) });
    expect(off.status).toBe(429);
    expect((await twoStepStatus(asCurrentUser(user))).enabled).toBe(true);
    // The sign-in second step counts the same failures.
    const signIn = await signInWith(user, totpCode(secret));
    expect(signIn.second.status).toBe(429);
  });
});

describe("an administrator resetting someone's two-step verification", () => {
  it("is only a proposal until a second administrator approves it; audited", async () => {
    const adminA = asCurrentUser(await createUser({ role: "admin" }));
    const adminB = asCurrentUser(await createUser({ role: "admin" }));
    const person = await createUser({ role: "coordinator" });
    await turnOn(person);

    const { id } = await proposeTwoStepReset(adminA, person.id);
    expect((await twoStepStatus(asCurrentUser(person))).enabled).toBe(true);

    // The proposer cannot approve it, and a second proposal is refused.
    await expect(decideProposal(adminA, id, "approve")).rejects.toSatisfy((e) => isAdminError(e, "invalid"));
    await expect(proposeTwoStepReset(adminA, person.id)).rejects.toSatisfy((e) => isAdminError(e, "invalid"));
    expect((await twoStepStatus(asCurrentUser(person))).enabled).toBe(true);

    const listed = await listProposals(adminB);
    const mine = listed.find((p) => p.id === id)!;
    expect(mine).toMatchObject({ kind: "reset_two_step", canApprove: true });
    expect(mine.href).toBe(`/admin/people/${person.id}`);

    expect(await decideProposal(adminB, id, "approve")).toMatchObject({ status: "approved" });
    expect((await twoStepStatus(asCurrentUser(person))).enabled).toBe(false);
    expect(await getDb().select().from(twoStepRecoveryCodes).where(eq(twoStepRecoveryCodes.userId, person.id))).toEqual(
      [],
    );

    const audit = await getDb()
      .select({ action: adminAudit.action, actorId: adminAudit.actorId })
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "user"), eq(adminAudit.entityId, person.id)));
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: "proposal_made", actorId: adminA.id },
        { action: "two_step_reset", actorId: adminB.id },
        { action: "proposal_approved", actorId: adminB.id },
      ]),
    );
  });

  it("after the reset, a coordinator whose role requires it signs in with the password and is sent to set it up again", async () => {
    requireFor("coordinator,admin");
    const adminA = asCurrentUser(await createUser({ role: "admin" }));
    const adminB = asCurrentUser(await createUser({ role: "admin" }));
    const coordinator = await createUser({ role: "coordinator" });
    await turnOn(coordinator);
    expect((await password(coordinator)).location).toBe("/login/two-step");
    const { id } = await proposeTwoStepReset(adminA, coordinator.id);
    await decideProposal(adminB, id, "approve");
    const signedIn = await password(coordinator);
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).not.toBe("/login/two-step");
    const cookie = cookiesFromResponse(new Response(null, { headers: signedIn.headers! }));
    const next = await runRoute(() =>
      root.loader({ request: getRequest(signedIn.location!, { cookie }), params: {}, context: {} }),
    );
    expect(next.location).toBe("/account/security");
  });

  it("cannot be approved by the person it resets, nor proposed by someone who is not an administrator", async () => {
    const adminA = asCurrentUser(await createUser({ role: "admin" }));
    const adminB = await createUser({ role: "admin" });
    await turnOn(adminB);
    const { id } = await proposeTwoStepReset(adminA, adminB.id);
    await expect(decideProposal(asCurrentUser(adminB), id, "approve")).rejects.toSatisfy((e) =>
      isAdminError(e, "invalid"),
    );
    expect((await twoStepStatus(asCurrentUser(adminB))).enabled).toBe(true);

    const coordinator = asCurrentUser(await createUser({ role: "coordinator" }));
    await expect(proposeTwoStepReset(coordinator, adminB.id)).rejects.toBeTruthy();
  });
});

describe("the person is told, and it is audited", () => {
  async function mailTo(address: string) {
    return getDb()
      .select({ subject: mailOutbox.subject, text: mailOutbox.textBody })
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, address));
  }
  async function auditOf(userId: string) {
    return getDb()
      .select({ action: adminAudit.action, actorId: adminAudit.actorId })
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "user"), eq(adminAudit.entityId, userId)));
  }

  it("mails the person and writes the audit log when they turn it on, make new recovery codes and turn it off", async () => {
    const user = await createUser();
    const me = asCurrentUser(user);
    const { secret } = await turnOn(user);
    let mail = await mailTo(user.email);
    expect(mail.map((m) => m.subject)).toEqual(["Two-step verification was turned on for your StayWell account"]);
    expect(mail[0].text).toContain("If this was not you");
    expect(mail[0].text).not.toContain(secret);
    expect(await auditOf(user.id)).toEqual([{ action: "two_step_enabled", actorId: user.id }]);

    const codes = await replaceRecoveryCodes(me, totpCode(secret));
    expect(codes.ok).toBe(true);
    mail = await mailTo(user.email);
    expect(mail.map((m) => m.subject)).toContain("New recovery codes were made for your StayWell account");
    for (const code of codes.ok ? codes.value : []) expect(JSON.stringify(mail)).not.toContain(code);

    const later = new Date(Date.now() + MINUTE);
    expect(
      (await disableTwoStep(me, { password: user.password, otp: totpCode(secret, later) }, "unknown", later)).ok,
    ).toBe(true);
    mail = await mailTo(user.email);
    expect(mail.map((m) => m.subject)).toContain("Two-step verification was turned off for your StayWell account");
    expect((await auditOf(user.id)).map((a) => a.action)).toEqual([
      "two_step_enabled",
      "two_step_recovery_codes_replaced",
      "two_step_disabled",
    ]);
  });

  it("mails and audits nothing for a wrong code or a wrong password", async () => {
    const user = await createUser();
    const me = asCurrentUser(user);
    const { secret } = await turnOn(user);
    const wrongCode = totpCode(secret) === "000000" ? "111111" : "000000";
    expect((await replaceRecoveryCodes(me, wrongCode)).ok).toBe(false);
    expect((await disableTwoStep(me, { password: "not it", otp: totpCode(secret) })).ok).toBe(false);
    expect((await mailTo(user.email)).map((m) => m.subject)).toEqual([
      "Two-step verification was turned on for your StayWell account",
    ]);
    expect((await auditOf(user.id)).map((a) => a.action)).toEqual(["two_step_enabled"]);
  });

  it("mails the person when two administrators reset it", async () => {
    const adminA = asCurrentUser(await createUser({ role: "admin" }));
    const adminB = asCurrentUser(await createUser({ role: "admin" }));
    const person = await createUser();
    await turnOn(person);
    const { id } = await proposeTwoStepReset(adminA, person.id);
    expect((await mailTo(person.email)).map((m) => m.subject)).not.toContain(
      "Two-step verification was reset for your StayWell account",
    );
    await decideProposal(adminB, id, "approve");
    expect((await mailTo(person.email)).map((m) => m.subject)).toContain(
      "Two-step verification was reset for your StayWell account",
    );
  });
});

describe("logs", () => {
  it("never carry the secret, a code typed or a recovery code", async () => {
    const logs = captureLogs();
    try {
      const user = await createUser();
      const { secret, recoveryCodes } = await turnOn(user);
      const code = totpCode(secret);
      await signInWith(user, code);
      await signInWith(user, recoveryCodes[0]);
      await signInWith(user, "999999");
      const text = logs.text();
      expect(text).not.toContain(secret);
      expect(text).not.toContain(code);
      for (const c of recoveryCodes) {
        expect(text).not.toContain(c);
        expect(text).not.toContain(c.replace(/-/g, ""));
      }
    } finally {
      logs.restore();
    }
  });
});

describe("/admin/people/<id>/two-step", () => {
  it("proposes the reset for an administrator (the page then says it waits), and is refused to anyone else", async () => {
    const admin = await createUser({ role: "admin" });
    const person = await createUser();
    await turnOn(person);
    const path = `/admin/people/${person.id}/two-step`;
    const adminCookie = await signInCookie(admin.id);
    const proposed = await runRoute(() =>
      adminTwoStep.action({
        request: formRequest(path, {}, { cookie: adminCookie }),
        params: { userId: person.id },
        context: {},
      }),
    );
    expect(proposed.location).toBe(`${path}?done=proposed`);
    const page = await runRoute(() =>
      adminTwoStep.loader({
        request: getRequest(`${path}?done=proposed`, { cookie: adminCookie }),
        params: { userId: person.id },
        context: {},
      }),
    );
    expect(page.data).toMatchObject({ resetPending: true, proposed: true });
    expect((await twoStepStatus(asCurrentUser(person))).enabled).toBe(true);

    const coordinator = await createUser({ role: "coordinator" });
    const coordinatorCookie = await signInCookie(coordinator.id);
    const refused = await runRoute(() =>
      adminTwoStep.action({
        request: formRequest(path, {}, { cookie: coordinatorCookie }),
        params: { userId: person.id },
        context: {},
      }),
    ).catch((e: unknown) => ({ status: (e as Response).status, location: null }));
    expect([403, 404]).toContain(refused.status);
    const missing = await runRoute(() =>
      adminTwoStep.loader({
        request: getRequest("/admin/people/nobody/two-step", { cookie: adminCookie }),
        params: { userId: "nobody" },
        context: {},
      }),
    );
    expect(missing.status).toBe(404);
  });
});
