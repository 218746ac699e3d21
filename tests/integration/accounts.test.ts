// Sign-up, email verification, sign-in and sign-out, through the real route actions.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { authThrottleEvents, emailVerificationTokens, mailOutbox, users } from "@db/schema";
import { getOptionalUser, requireUser } from "~/.server/auth/session.server";
import { FREE_FAILURES_PER_PAIR } from "~/.server/auth/throttle.server";
import { addressKey } from "~/.server/models/auth-throttle.server";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as signupAction } from "~/routes/signup";
import { action as verifyAction } from "~/routes/verify-email";
import { createOrganisation, createTeam, createUser } from "../helpers/factories";
import { cookiesFromResponse, formRequest, getRequest } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const args = (request: Request) => ({ request, params: {}, context: {} });

type Payload = { errors: Record<string, string>; values: Record<string, unknown> };
/** Single fetch: an action's `data(...)` result is { type: "DataWithResponseInit", data, init }. */
function payload(result: unknown): { status: number; body: Payload } {
  const r = result as { data: Payload; init: { status: number } };
  return { status: r.init.status, body: r.data };
}

async function expectRedirect(promise: Promise<unknown>): Promise<Response> {
  const outcome = await promise.then(
    (value) => value,
    (thrown) => thrown,
  );
  expect(outcome).toBeInstanceOf(Response);
  const response = outcome as Response;
  expect(response.status).toBe(302);
  return response;
}

const goodSignup = (email: string) => ({
  email,
  name: "Priya Shah",
  staffGroup: "nursing_midwifery",
  jobTitle: "Staff nurse",
  "startDate-day": "3",
  "startDate-month": "9",
  "startDate-year": "2024",
  password: "lantern orchard velvet 42",
});

async function verificationLinkFor(email: string) {
  const rows = await getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, email));
  const text = rows.map((r) => r.textBody).join("\n");
  const match = text.match(/\/verify-email\?token=([A-Za-z0-9_-]+)/);
  expect(match, `a verification link was mailed to ${email}`).not.toBeNull();
  return match![1];
}

describe("sign-up", () => {
  it("creates an unverified account for a partner domain and mails a single-use link", async () => {
    const org = await createOrganisation({ domains: ["trust-a.staywell.test"] });
    const response = await expectRedirect(signupAction(args(formRequest("/signup", goodSignup("Priya.Shah@Trust-A.staywell.test")))));
    expect(response.headers.get("Location")).toBe("/signup/check-email?email=priya.shah%40trust-a.staywell.test");

    const [user] = await getDb().select().from(users).where(eq(users.email, "priya.shah@trust-a.staywell.test"));
    expect(user.organisationId).toBe(org.id);
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.startDate).toBe("2024-09-03");
    expect(user.role).toBe("staff");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);

    const token = await verificationLinkFor(user.email);
    // Only the hash is stored.
    const tokens = await getDb().select().from(emailVerificationTokens).where(eq(emailVerificationTokens.userId, user.id));
    expect(tokens).toHaveLength(1);
    expect(tokens[0].tokenHash).not.toContain(token);

    // Before verification the password does not sign in.
    const early = payload(await loginAction(args(formRequest("/login", { email: user.email, password: "lantern orchard velvet 42" }))));
    expect(early.status).toBe(400);
    expect(early.body.errors.email).toMatch(/Confirm your email address/);

    const verified = await expectRedirect(verifyAction(args(formRequest("/verify-email", { token }))));
    expect(verified.headers.get("Location")).toBe("/login?verified=1");
    const again = payload(await verifyAction(args(formRequest("/verify-email", { token }))));
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ reason: "used" });

    const signedIn = await expectRedirect(
      loginAction(args(formRequest("/login", { email: "PRIYA.SHAH@trust-a.staywell.test", password: "lantern orchard velvet 42", redirectTo: "/support/physiotherapy/request" }))),
    );
    expect(signedIn.headers.get("Location")).toBe("/support/physiotherapy/request");
    const setCookie = signedIn.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/^staywell_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    // A browser-session cookie: it ends when the browser closes (no Max-Age or Expires).
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    const me = await getOptionalUser(getRequest("/", { cookie: cookiesFromResponse(signedIn) }));
    expect(me?.id).toBe(user.id);
  });

  it("refuses an email outside the partner organisations and says which addresses can register", async () => {
    await createOrganisation({ domains: ["trust-b.staywell.test"] });
    const result = payload(await signupAction(args(formRequest("/signup", goodSignup("someone@gmail.com")))));
    expect(result.status).toBe(400);
    expect(result.body.errors.email).toContain("@trust-b.staywell.test");
    expect(result.body.values.name).toBe("Priya Shah");
    expect(result.body.values).not.toHaveProperty("password");
    expect(await getDb().select().from(users).where(eq(users.email, "someone@gmail.com"))).toHaveLength(0);
  });

  it("gives field errors and keeps what was typed", async () => {
    await createOrganisation({ domains: ["trust-c.staywell.test"] });
    const result = payload(
      await signupAction(
        args(formRequest("/signup", { ...goodSignup("a@trust-c.staywell.test"), name: "", staffGroup: "", "startDate-day": "31", "startDate-month": "2", password: "short" })),
      ),
    );
    expect(result.status).toBe(400);
    expect(result.body.errors.name).toBe("Enter your full name");
    expect(result.body.errors.staffGroup).toBe("Select your staff group");
    expect(result.body.errors.startDate).toBe("Start date must be a real date");
    expect(result.body.errors.password).toBe("Password must be 12 characters or more");
    expect(result.body.values.email).toBe("a@trust-c.staywell.test");
    expect(result.body.values).not.toHaveProperty("password");
  });

  it("refuses a common password, even with digits added", async () => {
    await createOrganisation({ domains: ["trust-d.staywell.test"] });
    for (const password of ["qwerty123456", "password123456", "aaaaaaaaaaaa"]) {
      const result = payload(await signupAction(args(formRequest("/signup", { ...goodSignup("b@trust-d.staywell.test"), password }))));
      expect(result.status, password).toBe(400);
      expect(result.body.errors.password).toMatch(/common passwords/);
    }
  });

  it("does not reveal that a verified account exists, and mails its owner instead", async () => {
    const org = await createOrganisation({ domains: ["trust-e.staywell.test"] });
    const existing = await createUser({ organisationId: org.id, email: "taken@trust-e.staywell.test" });
    const response = await expectRedirect(signupAction(args(formRequest("/signup", goodSignup("taken@trust-e.staywell.test")))));
    expect(response.headers.get("Location")).toContain("check-email");
    const [row] = await getDb().select().from(users).where(eq(users.id, existing.id));
    expect(row.name).toBe(existing.name); // untouched
    const mail = await getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, existing.email));
    expect(mail.map((m) => m.subject)).toContain("You already have a StayWell account");
  });

  it("never lets a second sign-up replace a pending account's password while its link works", async () => {
    await createOrganisation({ domains: ["trust-g.staywell.test"] });
    const email = "pending@trust-g.staywell.test";
    await signupAction(args(formRequest("/signup", goodSignup(email))));
    const ownersToken = await verificationLinkFor(email);
    // Someone else signs up with the same address and a password of their choosing.
    await expectRedirect(signupAction(args(formRequest("/signup", { ...goodSignup(email), name: "Mallory", password: "attacker chosen words 9" }))));
    const [user] = await getDb().select().from(users).where(eq(users.email, email));
    expect(user.name).toBe("Priya Shah");
    const subjects = (await getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, email))).map((m) => m.subject);
    expect(subjects).toContain("Your StayWell account is waiting to be confirmed");
    // The owner confirms with their own link and signs in with their own password; the other cannot.
    await expectRedirect(verifyAction(args(formRequest("/verify-email", { token: ownersToken }))));
    await expectRedirect(loginAction(args(formRequest("/login", { email, password: "lantern orchard velvet 42" }))));
    const attacker = payload(await loginAction(args(formRequest("/login", { email, password: "attacker chosen words 9" }))));
    expect(attacker.body.errors.email).toBe("Enter a correct email address and password");
  });

  it("starts a pending sign-up afresh once its links have expired, and the old links stop working", async () => {
    await createOrganisation({ domains: ["trust-h.staywell.test"] });
    const email = "again@trust-h.staywell.test";
    await signupAction(args(formRequest("/signup", goodSignup(email))));
    const oldToken = await verificationLinkFor(email);
    await getDb().update(emailVerificationTokens).set({ expiresAt: new Date(Date.now() - 1000) });
    await getDb().delete(mailOutbox).where(eq(mailOutbox.toAddress, email));
    await signupAction(args(formRequest("/signup", { ...goodSignup(email), name: "Priya S. Shah", password: "new lantern words 77" })));
    const [user] = await getDb().select().from(users).where(eq(users.email, email));
    expect(user.name).toBe("Priya S. Shah");
    expect(payload(await verifyAction(args(formRequest("/verify-email", { token: oldToken })))).body).toEqual({ reason: "invalid" });
    const newToken = await verificationLinkFor(email);
    await expectRedirect(verifyAction(args(formRequest("/verify-email", { token: newToken }))));
    await expectRedirect(loginAction(args(formRequest("/login", { email, password: "new lantern words 77" }))));
  });

  it("refuses an expired verification link", async () => {
    await createOrganisation({ domains: ["trust-f.staywell.test"] });
    await signupAction(args(formRequest("/signup", goodSignup("late@trust-f.staywell.test"))));
    const token = await verificationLinkFor("late@trust-f.staywell.test");
    await getDb().update(emailVerificationTokens).set({ expiresAt: new Date(Date.now() - 1000) });
    const result = payload(await verifyAction(args(formRequest("/verify-email", { token }))));
    expect(result.body).toEqual({ reason: "expired" });
    const bogus = payload(await verifyAction(args(formRequest("/verify-email", { token: "not-a-token" }))));
    expect(bogus.body).toEqual({ reason: "invalid" });
  });
});

describe("sign-in", () => {
  it("gives one generic error for a wrong password and for an unknown email", async () => {
    const user = await createUser();
    const wrongPassword = payload(await loginAction(args(formRequest("/login", { email: user.email, password: "wrong password here" }))));
    const unknownEmail = payload(await loginAction(args(formRequest("/login", { email: "nobody@nowhere.test", password: user.password }))));
    expect(wrongPassword.status).toBe(400);
    expect(unknownEmail.status).toBe(400);
    expect(wrongPassword.body.errors).toEqual(unknownEmail.body.errors);
    expect(wrongPassword.body.errors.email).toBe("Enter a correct email address and password");
  });

  it("refuses a disabled account with the same generic error", async () => {
    const user = await createUser({ disabled: true });
    const result = payload(await loginAction(args(formRequest("/login", { email: user.email, password: user.password }))));
    expect(result.body.errors.email).toBe("Enter a correct email address and password");
  });

  it("sends redirectTo only to a path on this site", async () => {
    const user = await createUser();
    for (const evil of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
      const response = await expectRedirect(loginAction(args(formRequest("/login", { email: user.email, password: user.password, redirectTo: evil }))));
      expect(response.headers.get("Location"), evil).toBe("/my/requests");
    }
  });

  it("slows down guessing from one client: after five failures even the right password waits there, not elsewhere", async () => {
    // The old rule locked the address for everyone after ten failures; now only the guessing
    // client waits (ADR 017; the whole policy: sign-in-throttle.test.ts).
    const user = await createUser();
    const guesser = { clientAddress: "198.51.100.1" };
    for (let i = 0; i < FREE_FAILURES_PER_PAIR; i++) {
      const failed = payload(await loginAction({ ...args(formRequest("/login", { email: user.email, password: `wrong guess ${i}` })), context: guesser }));
      expect(failed.status).toBe(400);
    }
    const result = payload(await loginAction({ ...args(formRequest("/login", { email: user.email, password: user.password })), context: guesser }));
    expect(result.status).toBe(429);
    expect(result.body.errors.email).toMatch(/^Too many attempts to sign in\. Wait \d+ seconds and try again$/);
    expect(result.body.values.email).toBe(user.email);
    // The refused attempt was not counted.
    const failures = await getDb()
      .select()
      .from(authThrottleEvents)
      .where(and(eq(authThrottleEvents.kind, "sign_in_failure"), eq(authThrottleEvents.emailHash, addressKey(user.email))));
    expect(failures).toHaveLength(FREE_FAILURES_PER_PAIR);
    await expectRedirect(loginAction({ ...args(formRequest("/login", { email: user.email, password: user.password })), context: { clientAddress: "203.0.113.1" } }));
  });

  it("redirects a signed-in person away from the sign-in page", async () => {
    const user = await createUser();
    const signedIn = await expectRedirect(loginAction(args(formRequest("/login", { email: user.email, password: user.password }))));
    const cookie = cookiesFromResponse(signedIn);
    const response = await expectRedirect(loginLoader(args(getRequest("/login?redirectTo=/support", { cookie }))));
    expect(response.headers.get("Location")).toBe("/support");
  });
});

describe("where signing in takes each role", () => {
  const signIn = (email: string, password: string, redirectTo?: string) =>
    expectRedirect(loginAction(args(formRequest("/login", { email, password, ...(redirectTo === undefined ? {} : { redirectTo }) }))));

  it("lands each role where it works when no redirectTo is given", async () => {
    const staff = await createUser();
    const coordinator = await createUser({ role: "coordinator" });
    await createTeam({ members: [coordinator.id] });
    const manager = await createUser({ role: "manager" });
    const admin = await createUser({ role: "admin" });
    const adminInTeam = await createUser({ role: "admin" });
    await createTeam({ members: [adminInTeam.id] });
    expect((await signIn(staff.email, staff.password)).headers.get("Location")).toBe("/my/requests");
    expect((await signIn(coordinator.email, coordinator.password)).headers.get("Location")).toBe("/hub");
    expect((await signIn(manager.email, manager.password)).headers.get("Location")).toBe("/insights");
    expect((await signIn(admin.email, admin.password)).headers.get("Location")).toBe("/admin");
    expect((await signIn(adminInTeam.email, adminInTeam.password)).headers.get("Location")).toBe("/admin");
    // An empty redirectTo (the sign-in page's hidden field when none was given) is no redirectTo.
    expect((await signIn(manager.email, manager.password, "")).headers.get("Location")).toBe("/insights");
  });

  it("lands a coordinator who is in no team on their own requests: /hub would refuse them", async () => {
    const coordinator = await createUser({ role: "coordinator" });
    expect((await signIn(coordinator.email, coordinator.password)).headers.get("Location")).toBe("/my/requests");
  });

  it("follows redirectTo before the role's landing, and falls back to the landing for a foreign one", async () => {
    const coordinator = await createUser({ role: "coordinator" });
    await createTeam({ members: [coordinator.id] });
    const manager = await createUser({ role: "manager" });
    expect((await signIn(coordinator.email, coordinator.password, "/support/physiotherapy")).headers.get("Location")).toBe("/support/physiotherapy");
    expect((await signIn(manager.email, manager.password, "/my/requests?page=2")).headers.get("Location")).toBe("/my/requests?page=2");
    // A hub request page still comes back through its confirmation step (ADR 011).
    expect((await signIn(coordinator.email, coordinator.password, "/hub/requests/SW-ABC123")).headers.get("Location")).toBe("/hub/requests/SW-ABC123?confirm=1");
    expect((await signIn(manager.email, manager.password, "//evil.example/x")).headers.get("Location")).toBe("/insights");
  });

  it("sends a signed-in person who opens the sign-in page where they work, or to redirectTo", async () => {
    const manager = await createUser({ role: "manager" });
    const cookie = cookiesFromResponse(await signIn(manager.email, manager.password));
    expect((await expectRedirect(loginLoader(args(getRequest("/login", { cookie }))))).headers.get("Location")).toBe("/insights");
    expect((await expectRedirect(loginLoader(args(getRequest("/login?redirectTo=/support", { cookie }))))).headers.get("Location")).toBe("/support");
  });
});

describe("pages that need sign-in", () => {
  it("redirect to /login and back", async () => {
    const response = await expectRedirect(requireUser(getRequest("/my/requests?page=2")));
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fmy%2Frequests%3Fpage%3D2");
  });
});

describe("sign-out", () => {
  it("ends the session on the server, not just in the browser", async () => {
    const user = await createUser();
    const signedIn = await expectRedirect(loginAction(args(formRequest("/login", { email: user.email, password: user.password }))));
    const cookie = cookiesFromResponse(signedIn);
    expect(await getOptionalUser(getRequest("/", { cookie }))).not.toBeNull();
    const out = await expectRedirect(logoutAction(args(formRequest("/logout", {}, { cookie }))));
    expect(out.headers.get("Set-Cookie")).toMatch(/staywell_session=;/);
    // The old cookie no longer works even if a browser kept it.
    expect(await getOptionalUser(getRequest("/", { cookie }))).toBeNull();
  });
});
