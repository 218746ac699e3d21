// "Your account" (docs/decisions/028-your-account.md) through the real route loaders and actions:
// forgot password (enumeration-safe, single-use hashed links valid an hour, every session ends),
// change of password (other sessions end), sessions (yours only: another's is 404), details and
// change of employer (applies only when the mailed link is opened by the same person).
import { createHash } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import {
  adminProposals,
  authThrottleEvents,
  mailOutbox,
  passwordResetRequests,
  passwordResetTokens,
  sessions,
  users,
} from "@db/schema";
import { isAdminError } from "~/.server/models/admin/common.server";
import { changeRole } from "~/.server/models/admin/people.server";
import { decideProposal } from "~/.server/models/admin/proposals.server";
import { sessionTokenHash, sessionUserId, startSession } from "~/.server/auth/lucia.server";
import { authenticate } from "~/.server/models/accounts.server";
import {
  handlePasswordResetRequests,
  requestPasswordReset,
  resetPassword,
  RESET_LINK_MINUTES,
  sessionHandle,
} from "~/.server/models/account.server";
import { challengeIsOpen, startChallenge } from "~/.server/models/two-step.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password";
import { action as passwordAction } from "~/routes/account.password";
import { action as sessionsAction, loader as sessionsLoader } from "~/routes/account.sessions";
import { action as detailsAction } from "~/routes/account._index";
import { action as confirmAction, loader as confirmLoader } from "~/routes/account.confirm-email";
import { asCurrentUser, createOrganisation, createUser } from "../helpers/factories";
import { cookieFromSetCookie, formRequest, getRequest } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

let connection = 0;
const fromNewClient = (request: Request) => ({
  request,
  params: {},
  context: { clientAddress: `198.19.${Math.floor(++connection / 250)}.${connection % 250}` },
});
const fromClient = (request: Request, clientAddress: string) => ({ request, params: {}, context: { clientAddress } });

async function outcome(promise: Promise<unknown>) {
  return promise.then(
    (v) => v,
    (thrown) => thrown,
  );
}

function payload(result: unknown) {
  const r = result as { data: { errors: Record<string, string>; problem?: string }; init: { status: number } };
  return { status: r.init.status, body: r.data };
}

async function rowCounts() {
  const db = getDb();
  const [[asks], [tokens], [mails], [throttle]] = await Promise.all([
    db.select({ n: count() }).from(passwordResetRequests),
    db.select({ n: count() }).from(passwordResetTokens),
    db.select({ n: count() }).from(mailOutbox),
    db.select({ n: count() }).from(authThrottleEvents),
  ]);
  return { asks: asks.n, tokens: tokens.n, mails: mails.n, throttle: throttle.n };
}

async function mailsTo(email: string) {
  return getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)).orderBy(mailOutbox.id);
}

async function resetTokensIn(email: string) {
  // The outbox worker turns waiting asks into links (server.ts runs it every second).
  await handlePasswordResetRequests();
  return (await mailsTo(email)).flatMap((m) =>
    [...m.textBody.matchAll(/\/reset-password\?token=([A-Za-z0-9_-]+)/g)].map((x) => x[1]),
  );
}

async function signIn(userId: string, userAgent?: string) {
  const request = new Request("http://localhost/login", {
    headers: userAgent ? { "User-Agent": userAgent } : {},
  });
  const cookie = cookieFromSetCookie(await startSession(userId, request));
  return { cookie, sessionId: sessionTokenHash(cookie.slice("staywell_session=".length)) };
}

const NEW_PASSWORD = "meadow kettle saffron 77";

describe("forgot password: the same reply whether or not the address has an account", () => {
  it("answers an account, an unknown address and a disabled account alike; only the account gets a link", async () => {
    const known = await createUser();
    const disabled = await createUser({ disabled: true });
    const unknown = `nobody-${Date.now()}@test.staywell.test`;
    const answers = [];
    const written = [];
    for (const email of [known.email, unknown, disabled.email]) {
      const before = await rowCounts();
      const res = (await outcome(forgotAction(fromNewClient(formRequest("/forgot-password", { email }))))) as Response;
      const after = await rowCounts();
      answers.push({
        status: res.status,
        headers: [...res.headers.entries()],
        body: await res.text(),
      });
      // What the answer wrote before it was sent: the same for every address.
      written.push(
        Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof typeof before]])),
      );
    }
    expect(answers[0]).toEqual({ status: 302, headers: [["location", "/forgot-password?sent=1"]], body: "" });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(written[0]).toEqual({ asks: 1, tokens: 0, mails: 0, throttle: 2 });
    expect(written[1]).toEqual(written[0]);
    expect(written[2]).toEqual(written[0]);
    // Then the worker: a link for the account only, and no ask left waiting.
    expect(await resetTokensIn(known.email)).toHaveLength(1);
    expect(await mailsTo(unknown)).toHaveLength(0);
    expect(await mailsTo(disabled.email)).toHaveLength(0);
    expect((await rowCounts()).asks).toBe(0);
  });

  it("drops an ask the worker reaches after the link's lifetime, unanswered", async () => {
    const user = await createUser();
    await requestPasswordReset(user.email, `198.18.1.${++connection % 250}`);
    await handlePasswordResetRequests(new Date(Date.now() + (RESET_LINK_MINUTES + 1) * 60_000));
    expect(await mailsTo(user.email)).toHaveLength(0);
    expect((await rowCounts()).asks).toBe(0);
  });

  it("takes about as long for an unknown address as for an account (measured, reported)", async () => {
    const known = await createUser();
    const time = async (email: string) => {
      const t = performance.now();
      await outcome(forgotAction(fromNewClient(formRequest("/forgot-password", { email }))));
      return performance.now() - t;
    };
    const a: number[] = [];
    const b: number[] = [];
    // Alternated, after a warm-up, so neither side pays for the first calls.
    await time(`warm-${Date.now()}@test.staywell.test`);
    for (let i = 0; i < 5; i++) {
      a.push(await time(known.email));
      b.push(await time(`nobody-${i}-${Date.now()}@test.staywell.test`));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[2];
    console.info(`forgot-password median ms: account ${median(a).toFixed(1)}, no account ${median(b).toFixed(1)}`);
    // The same statements run for both (see the test above); this only reports the figures.
    expect(median(a)).toBeGreaterThan(0);
    expect(median(b)).toBeGreaterThan(0);
  });

  it("is limited per client, in the database: the 11th request in an hour is told to wait", async () => {
    const client = "198.51.100.77";
    for (let i = 0; i < 10; i++) {
      const res = (await outcome(
        forgotAction(fromClient(formRequest("/forgot-password", { email: `x${i}@test.staywell.test` }), client)),
      )) as Response;
      expect(res.status).toBe(302);
    }
    const refused = payload(
      await forgotAction(fromClient(formRequest("/forgot-password", { email: "y@test.staywell.test" }), client)),
    );
    expect(refused.status).toBe(429);
    expect(refused.body.errors.email).toMatch(/^Too many emails have been asked for from your connection\. Wait/);
  });
});

describe("reset links", () => {
  it("are stored hashed, work once, end every session and set the password", async () => {
    const user = await createUser();
    const a = await signIn(user.id);
    const b = await signIn(user.id);
    await outcome(forgotAction(fromNewClient(formRequest("/forgot-password", { email: user.email }))));
    const [token] = await resetTokensIn(user.email);
    const rows = await getDb().select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].expiresAt.getTime() - rows[0].createdAt.getTime()).toBe(RESET_LINK_MINUTES * 60_000);

    // Opening the link uses nothing up.
    expect(
      await resetLoader({ request: getRequest(`/reset-password?token=${token}`), params: {}, context: {} }),
    ).toEqual({
      token,
      problem: null,
    });
    const res = (await outcome(
      resetAction({
        request: formRequest("/reset-password", { token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
        params: {},
        context: {},
      }),
    )) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?reset=1");
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect(await sessionUserId(getRequest("/", { cookie: a.cookie }))).toBeNull();
    expect(await sessionUserId(getRequest("/", { cookie: b.cookie }))).toBeNull();
    expect((await authenticate(user.email, NEW_PASSWORD, "203.0.113.1")).ok).toBe(true);
    expect((await authenticate(user.email, user.password, "203.0.113.1")).ok).toBe(false);

    // A second use is refused and changes nothing.
    const again = payload(
      await resetAction({
        request: formRequest("/reset-password", {
          token,
          password: "another long password 9",
          confirmPassword: "another long password 9",
        }),
        params: {},
        context: {},
      }),
    );
    expect(again.status).toBe(400);
    expect(again.body.problem).toBe("used");
    expect((await authenticate(user.email, NEW_PASSWORD, "203.0.113.1")).ok).toBe(true);
  });

  it("expire after an hour", async () => {
    const user = await createUser();
    await outcome(forgotAction(fromNewClient(formRequest("/forgot-password", { email: user.email }))));
    const [token] = await resetTokensIn(user.email);
    const later = new Date(Date.now() + (RESET_LINK_MINUTES + 1) * 60_000);
    expect(await resetPassword(token, NEW_PASSWORD, later)).toEqual({ ok: false, reason: "expired" });
    expect((await authenticate(user.email, user.password, "203.0.113.2")).ok).toBe(true);
  });

  it("a made-up token is not valid", async () => {
    expect(await resetPassword("made-up-token", NEW_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("changing your password", () => {
  it("needs the current password, then ends every other session and keeps this one", async () => {
    const user = await createUser();
    const here = await signIn(user.id);
    const elsewhere = await signIn(user.id);
    const wrong = payload(
      await passwordAction(
        fromNewClient(
          formRequest(
            "/account/password",
            { currentPassword: "not my password at all", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
            { cookie: here.cookie },
          ),
        ),
      ),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.currentPassword).toBe("Your current password is not right");
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(2);

    const res = (await outcome(
      passwordAction(
        fromNewClient(
          formRequest(
            "/account/password",
            { currentPassword: user.password, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
            { cookie: here.cookie },
          ),
        ),
      ),
    )) as Response;
    expect(res.status).toBe(302);
    const left = await getDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
    expect(left).toEqual([{ id: here.sessionId }]);
    expect(await sessionUserId(getRequest("/", { cookie: elsewhere.cookie }))).toBeNull();
    expect((await authenticate(user.email, NEW_PASSWORD, "203.0.113.3")).ok).toBe(true);
    expect((await mailsTo(user.email)).map((m) => m.subject)).toContain("Your StayWell password has been changed");
  });

  it("refuses a common password with the sign-up rules", async () => {
    const user = await createUser();
    const here = await signIn(user.id);
    const res = payload(
      await passwordAction(
        fromNewClient(
          formRequest(
            "/account/password",
            { currentPassword: user.password, password: "password1234", confirmPassword: "password1234" },
            { cookie: here.cookie },
          ),
        ),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.password).toMatch(/common passwords/);
  });
});

describe("where you are signed in", () => {
  it("lists your sessions with their browser, and never another person's", async () => {
    const user = await createUser();
    const other = await createUser();
    const here = await signIn(
      user.id,
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    );
    await signIn(
      user.id,
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1",
    );
    await signIn(other.id, "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36");
    const page = await sessionsLoader({
      request: getRequest("/account/sessions", { cookie: here.cookie }),
      params: {},
      context: {},
    });
    expect(page.sessions.map((s) => [s.device, s.current])).toEqual([
      ["Firefox on Windows", true],
      ["Safari on iPhone", false],
    ]);
  });

  it("ending another person's session is 404 and ends nothing", async () => {
    const user = await createUser();
    const other = await createUser();
    const here = await signIn(user.id);
    const theirs = await signIn(other.id);
    const res = (await outcome(
      sessionsAction({
        request: formRequest(
          "/account/sessions",
          { intent: "one", session: sessionHandle(theirs.sessionId) },
          { cookie: here.cookie },
        ),
        params: {},
        context: {},
      }),
    )) as Response;
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(404);
    expect(await sessionUserId(getRequest("/", { cookie: theirs.cookie }))).not.toBeNull();
  });

  it("signs out of one of your sessions, or of all the others", async () => {
    const user = await createUser();
    const here = await signIn(user.id);
    const second = await signIn(user.id);
    const third = await signIn(user.id);
    const one = (await outcome(
      sessionsAction({
        request: formRequest(
          "/account/sessions",
          { intent: "one", session: sessionHandle(second.sessionId) },
          { cookie: here.cookie },
        ),
        params: {},
        context: {},
      }),
    )) as Response;
    expect(one.headers.get("Location")).toBe("/account/sessions?done=one");
    expect(await sessionUserId(getRequest("/", { cookie: second.cookie }))).toBeNull();
    expect(await sessionUserId(getRequest("/", { cookie: third.cookie }))).not.toBeNull();
    await outcome(
      sessionsAction({
        request: formRequest("/account/sessions", { intent: "others" }, { cookie: here.cookie }),
        params: {},
        context: {},
      }),
    );
    expect(await sessionUserId(getRequest("/", { cookie: third.cookie }))).toBeNull();
    expect(await sessionUserId(getRequest("/", { cookie: here.cookie }))).not.toBeNull();
  });

  it("records when a session was last used, at most every few minutes", async () => {
    const user = await createUser();
    const here = await signIn(user.id);
    const old = new Date(Date.now() - 10 * 60_000);
    await getDb().update(sessions).set({ lastSeenAt: old }).where(eq(sessions.id, here.sessionId));
    await sessionUserId(getRequest("/", { cookie: here.cookie }));
    const [after] = await getDb().select().from(sessions).where(eq(sessions.id, here.sessionId));
    expect(after.lastSeenAt.getTime()).toBeGreaterThan(old.getTime() + 9 * 60_000);
    const recent = new Date(Date.now() - 60_000);
    await getDb().update(sessions).set({ lastSeenAt: recent }).where(eq(sessions.id, here.sessionId));
    await sessionUserId(getRequest("/", { cookie: here.cookie }));
    const [unchanged] = await getDb().select().from(sessions).where(eq(sessions.id, here.sessionId));
    expect(unchanged.lastSeenAt.getTime()).toBe(recent.getTime());
  });
});

describe("your details and a change of employer", () => {
  it("saves your details", async () => {
    const user = await createUser();
    const { cookie } = await signIn(user.id);
    const res = (await outcome(
      detailsAction(
        fromNewClient(
          formRequest(
            "/account",
            {
              intent: "details",
              name: "Sam Okafor",
              staffGroup: "allied_health",
              jobTitle: "Physiotherapist",
              "startDate-day": "1",
              "startDate-month": "2",
              "startDate-year": "2023",
            },
            { cookie },
          ),
        ),
      ),
    )) as Response;
    expect(res.headers.get("Location")).toBe("/account");
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect([row.name, row.staffGroup, row.jobTitle, row.startDate]).toEqual([
      "Sam Okafor",
      "allied_health",
      "Physiotherapist",
      "2023-02-01",
    ]);
    // An admin proposal made before this change is stale.
    expect(row.version).toBe(user.version + 1);
  });

  it("changes address and organisation only when the same person opens the link mailed to the new address", async () => {
    const user = await createUser();
    const intruder = await createUser();
    const newOrg = await createOrganisation();
    const newEmail = `moved-${Date.now()}@${newOrg.domains[0]}`;
    const { cookie } = await signIn(user.id);
    const sent = (await outcome(
      detailsAction(
        fromNewClient(
          formRequest("/account", { intent: "employer", newEmail, currentPassword: user.password }, { cookie }),
        ),
      ),
    )) as Response;
    expect(sent.headers.get("Location")).toBe("/account");
    const [mail] = await mailsTo(newEmail);
    const token = /\/account\/confirm-email\?token=([A-Za-z0-9_-]+)/.exec(mail.textBody)![1];
    let [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect([row.email, row.organisationId]).toEqual([user.email, user.organisationId]);

    // Someone else's session cannot use the link.
    const intruderCookie = (await signIn(intruder.id)).cookie;
    const refused = payload(
      await confirmAction({
        request: formRequest("/account/confirm-email", { token }, { cookie: intruderCookie }),
        params: {},
        context: {},
      }),
    );
    expect(refused.body.problem).toBe("invalid");

    const shown = await confirmLoader({
      request: getRequest(`/account/confirm-email?token=${token}`, { cookie }),
      params: {},
      context: {},
    });
    expect(shown.newEmail).toBe(newEmail);
    const done = (await outcome(
      confirmAction({ request: formRequest("/account/confirm-email", { token }, { cookie }), params: {}, context: {} }),
    )) as Response;
    expect(done.headers.get("Location")).toBe("/account");
    [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect([row.email, row.organisationId]).toEqual([newEmail, newOrg.id]);
    expect((await mailsTo(user.email)).map((m) => m.subject)).toContain("Your StayWell email address has changed");
  });

  it("refuses an address outside the partner organisations, keeping what was typed", async () => {
    const user = await createUser();
    const { cookie } = await signIn(user.id);
    const res = payload(
      await detailsAction(
        fromNewClient(
          formRequest(
            "/account",
            { intent: "employer", newEmail: "me@gmail.example", currentPassword: user.password },
            { cookie },
          ),
        ),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.newEmail).toMatch(/^Enter a work email address at a partner organisation/);
    expect(
      await getDb()
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.toAddress, "me@gmail.example"))),
    ).toEqual([]);
  });
});

describe("a change of password or address closes what was open before it", () => {
  async function openCredentials(user: { id: string; email: string }) {
    await requestPasswordReset(user.email, `198.18.0.${++connection % 250}`);
    const [resetToken] = await resetTokensIn(user.email);
    expect(resetToken).toBeTruthy();
    const challenge = await startChallenge(user.id, "/");
    expect(await challengeIsOpen(challenge)).toBe(true);
    return { resetToken, challenge };
  }

  it("changing your password uses up open reset links and ends a half-finished sign-in", async () => {
    const user = await createUser();
    const here = await signIn(user.id);
    const open = await openCredentials(user);
    const res = (await outcome(
      passwordAction(
        fromNewClient(
          formRequest(
            "/account/password",
            { currentPassword: user.password, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
            { cookie: here.cookie },
          ),
        ),
      ),
    )) as Response;
    expect(res.status).toBe(302);
    expect(await resetPassword(open.resetToken, "another new passphrase 42")).toEqual({ ok: false, reason: "used" });
    expect(await challengeIsOpen(open.challenge)).toBe(false);
    expect((await authenticate(user.email, NEW_PASSWORD, "203.0.113.4")).ok).toBe(true);
  });

  it("a reset from a link ends a half-finished sign-in", async () => {
    const user = await createUser();
    const open = await openCredentials(user);
    expect(await resetPassword(open.resetToken, NEW_PASSWORD)).toEqual({ ok: true });
    expect(await challengeIsOpen(open.challenge)).toBe(false);
  });

  it("a change of employer makes a reset link sent to the old mailbox useless", async () => {
    const user = await createUser();
    const newOrg = await createOrganisation();
    const newEmail = `moved-${Date.now()}@${newOrg.domains[0]}`;
    const { cookie } = await signIn(user.id);
    await outcome(
      detailsAction(
        fromNewClient(
          formRequest("/account", { intent: "employer", newEmail, currentPassword: user.password }, { cookie }),
        ),
      ),
    );
    const token = /\/account\/confirm-email\?token=([A-Za-z0-9_-]+)/.exec((await mailsTo(newEmail))[0].textBody)![1];
    const open = await openCredentials(user);
    const done = (await outcome(
      confirmAction({ request: formRequest("/account/confirm-email", { token }, { cookie }), params: {}, context: {} }),
    )) as Response;
    expect(done.headers.get("Location")).toBe("/account");
    expect(await resetPassword(open.resetToken, NEW_PASSWORD)).toEqual({ ok: false, reason: "used" });
    expect(await challengeIsOpen(open.challenge)).toBe(false);
    expect((await authenticate(newEmail, user.password, "203.0.113.5")).ok).toBe(true);
  });
});

describe("a change of employer to a partner address", () => {
  it("is no longer self-declared and makes earlier admin proposals stale (version)", async () => {
    const user = await createUser();
    await getDb().update(users).set({ organisationSelfDeclared: true }).where(eq(users.id, user.id));
    const newOrg = await createOrganisation();
    const newEmail = `moved-${Date.now()}@${newOrg.domains[0]}`;
    const { cookie } = await signIn(user.id);
    await outcome(
      detailsAction(
        fromNewClient(
          formRequest("/account", { intent: "employer", newEmail, currentPassword: user.password }, { cookie }),
        ),
      ),
    );
    const token = /\/account\/confirm-email\?token=([A-Za-z0-9_-]+)/.exec((await mailsTo(newEmail))[0].textBody)![1];
    const done = (await outcome(
      confirmAction({ request: formRequest("/account/confirm-email", { token }, { cookie }), params: {}, context: {} }),
    )) as Response;
    expect(done.headers.get("Location")).toBe("/account");
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect([row.email, row.organisationId, row.organisationSelfDeclared]).toEqual([newEmail, newOrg.id, false]);
    expect(row.version).toBe(user.version + 1);
  });

  it("refuses, as stale, an admin proposal about the person made before they changed their details", async () => {
    const org = await createOrganisation();
    const user = await createUser({ organisationId: org.id });
    const admin = await createUser({ role: "admin", organisationId: org.id });
    const second = await createUser({ role: "admin", organisationId: org.id });
    await changeRole(asCurrentUser(admin), user.id, { role: "admin", version: user.version });
    const [proposal] = await getDb().select().from(adminProposals).where(eq(adminProposals.userId, user.id));
    expect(proposal).toBeDefined();
    const { cookie } = await signIn(user.id);
    await outcome(
      detailsAction(
        fromNewClient(
          formRequest(
            "/account",
            {
              intent: "details",
              name: "Someone Else Entirely",
              staffGroup: "allied_health",
              jobTitle: "",
              "startDate-day": "1",
              "startDate-month": "2",
              "startDate-year": "2023",
            },
            { cookie },
          ),
        ),
      ),
    );
    const refused = await outcome(decideProposal(asCurrentUser(second), proposal.id, "approve"));
    expect(isAdminError(refused) && refused.code).toBe("conflict");
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row.role).toBe("staff");
  });
});
