// Sign-in protection without lockout, and sign-up / verification-mail limits (ADR 017), through
// the real route actions with the client address server.ts puts in the load context.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { authThrottleEvents, mailOutbox, users } from "@db/schema";
import { runScheduledJobs } from "~/.server/jobs/scheduler.server";
import { addressKey } from "~/.server/models/auth-throttle.server";
import { action as loginAction, headers as loginHeaders } from "~/routes/login";
import { action as signupAction } from "~/routes/signup";
import { createOrganisation, createUser } from "../helpers/factories";
import { formRequest, runRoute } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const WARNING_SUBJECT = "Someone tried to sign in to your StayWell account";

/** runRoute's shape, keeping the headers of a data(...) answer too (Retry-After). */
async function run(fn: () => Promise<unknown>) {
  const raw = await fn().then(
    (value) => value,
    (thrown) => {
      if (thrown instanceof Error) throw thrown;
      return thrown;
    },
  );
  const outcome = await runRoute(async () => raw);
  const init =
    (raw as { type?: string; init?: ResponseInit | null })?.type === "DataWithResponseInit"
      ? (raw as { init?: ResponseInit | null }).init
      : null;
  return { ...outcome, headers: outcome.headers ?? new Headers(init?.headers) };
}

function signIn(clientAddress: string, email: string, password: string) {
  return run(() =>
    loginAction({ request: formRequest("/login", { email, password }), params: {}, context: { clientAddress } }),
  );
}

function signUp(clientAddress: string, fields: Record<string, string>) {
  return run(() => signupAction({ request: formRequest("/signup", fields), params: {}, context: { clientAddress } }));
}

const errorOf = (outcome: { data: unknown }) => (outcome.data as { errors: Record<string, string> }).errors.email;

async function mailTo(email: string, subject?: string) {
  const rows = await getDb().select().from(mailOutbox).where(eq(mailOutbox.toAddress, email));
  return subject ? rows.filter((r) => r.subject === subject) : rows;
}

/** Moves a client's failures back in time, as if the client had waited that long. */
async function wait(client: string, seconds: number) {
  await getDb()
    .update(authThrottleEvents)
    .set({ occurredAt: sql`${authThrottleEvents.occurredAt} - make_interval(secs => ${seconds})` })
    .where(eq(authThrottleEvents.client, client));
}

/** Moves every row about one address back in time (its failures and its warning). */
async function ageAddress(email: string, seconds: number) {
  await getDb()
    .update(authThrottleEvents)
    .set({ occurredAt: sql`${authThrottleEvents.occurredAt} - make_interval(secs => ${seconds})` })
    .where(eq(authThrottleEvents.emailHash, addressKey(email)));
}

describe("sign-in without lockout", () => {
  it("after ten wrong passwords from one client the owner still signs in from another, and is warned once", async () => {
    const owner = await createUser();
    const attacker = "198.51.100.7";
    const delays = [30, 60, 120, 240, 480]; // before the 6th … 10th guess
    for (let i = 0; i < 10; i++) {
      if (i >= 5) {
        // Too soon: refused without checking the password, and not counted.
        const early = await signIn(attacker, owner.email, `wrong guess ${i}`);
        expect(early.status, `guess ${i + 1} too soon`).toBe(429);
        expect(errorOf(early)).toMatch(
          /^Too many attempts to sign in\. Wait (\d+ seconds|\d+ minutes?) and try again$/,
        );
        await wait(attacker, delays[i - 5]);
      }
      const outcome = await signIn(attacker, owner.email, `wrong guess ${i}`);
      expect(outcome.status, `guess ${i + 1}`).toBe(400);
      expect(errorOf(outcome)).toBe("Enter a correct email address and password");
    }
    const counted = await getDb()
      .select()
      .from(authThrottleEvents)
      .where(and(eq(authThrottleEvents.kind, "sign_in_failure"), eq(authThrottleEvents.client, attacker)));
    expect(counted).toHaveLength(10);
    // What is stored: the address as a hash, never as typed.
    expect(counted.every((r) => r.emailHash === addressKey(owner.email))).toBe(true);

    // The attacker's client now waits 15 minutes, even with the right password…
    const blocked = await signIn(attacker, owner.email, owner.password);
    expect(blocked.status).toBe(429);
    expect(errorOf(blocked)).toBe("Too many attempts to sign in. Wait 15 minutes and try again");
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect(Number(blocked.headers.get("Retry-After"))).toBeLessThanOrEqual(15 * 60);
    // The page's response carries it (Remix passes action headers on only through `headers`).
    const page = new Headers(
      loginHeaders({
        actionHeaders: blocked.headers,
        loaderHeaders: new Headers(),
        parentHeaders: new Headers({ "X-From-Root": "kept" }),
        errorHeaders: undefined,
      }),
    );
    expect(page.get("X-From-Root")).toBe("kept");
    expect(page.get("Retry-After")).toBe(blocked.headers.get("Retry-After"));

    // …while the owner, from their own client, signs in with the right password.
    const ownerIn = await signIn("203.0.113.9", owner.email, owner.password);
    expect(ownerIn.status).toBe(302);
    expect(ownerIn.headers?.get("Set-Cookie")).toMatch(/^staywell_session=/);

    // Exactly one warning, with an approximate time and nothing about the client or what was typed.
    const warnings = await mailTo(owner.email, WARNING_SUBJECT);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].textBody).toMatch(/most recently at about .+ \(UK time\)/);
    expect(warnings[0].textBody).toContain("your account is not locked");
    expect(warnings[0].textBody).not.toMatch(/198\.51|wrong guess|203\.0/);
    expect(await mailTo(owner.email)).toHaveLength(1);
  });

  it("refuses a client after 20 failures in 15 minutes across any addresses, and lets it back after 15 minutes", async () => {
    const owner = await createUser();
    const sprayer = "198.51.100.20";
    for (let i = 0; i < 20; i++) {
      const outcome = await signIn(sprayer, `person-${i}@test.staywell.test`, "Summer2026!!");
      expect(outcome.status, `attempt ${i + 1}`).toBe(400);
    }
    // The 21st, for a real account with its right password, is refused: the password is not checked.
    const refused = await signIn(sprayer, owner.email, owner.password);
    expect(refused.status).toBe(429);
    expect(errorOf(refused)).toBe("Too many attempts to sign in from your connection. Wait 15 minutes and try again");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    // Another client is not refused.
    expect((await signIn("203.0.113.20", owner.email, owner.password)).status).toBe(302);
    // 15 minutes later the client may try again.
    await wait(sprayer, 15 * 60 + 1);
    expect((await signIn(sprayer, owner.email, owner.password)).status).toBe(302);
  });

  it("answers an unknown address exactly as a known one, step by step, including the waits", async () => {
    const known = await createUser();
    const unknown = "no-such-person@test.staywell.test";
    const responses: Record<string, unknown[]> = { known: [], unknown: [] };
    for (const [label, email, client] of [
      ["known", known.email, "198.51.100.31"],
      ["unknown", unknown, "198.51.100.32"],
    ] as const) {
      for (let i = 0; i < 7; i++) {
        const outcome = await signIn(client, email, `wrong guess ${i}`);
        // The wait is counted in whole seconds from the clock: compared without its number.
        const errors = JSON.stringify((outcome.data as { errors: unknown }).errors).replace(/\d+/g, "N");
        responses[label].push({ status: outcome.status, errors, retryAfter: outcome.headers.has("Retry-After") });
      }
    }
    expect(responses.unknown).toEqual(responses.known);
    expect(responses.known.map((r) => (r as { status: number }).status)).toEqual([400, 400, 400, 400, 400, 429, 429]);
    // Only the real owner is mailed; the unknown address has no account to mail.
    expect(await mailTo(known.email, WARNING_SUBJECT)).toHaveLength(1);
    expect(await mailTo(unknown)).toHaveLength(0);
  });

  it("counts failures from many clients towards the owner's warning, at most one an hour", async () => {
    const owner = await createUser();
    const clients = (round: number) => Array.from({ length: 5 }, (_, i) => `2001:db8:${round}:${i}::1`);
    for (const client of clients(1).slice(0, 4))
      expect((await signIn(client, owner.email, "not it at all")).status).toBe(400);
    expect(await mailTo(owner.email, WARNING_SUBJECT)).toHaveLength(0); // four is not yet "repeated"
    expect((await signIn(clients(1)[4], owner.email, "not it at all")).status).toBe(400);
    expect(await mailTo(owner.email, WARNING_SUBJECT)).toHaveLength(1);
    // Five more within the hour: no second mail.
    for (const client of clients(2)) await signIn(client, owner.email, "still not it");
    expect(await mailTo(owner.email, WARNING_SUBJECT)).toHaveLength(1);
    // An hour later, five more failures warn again.
    await ageAddress(owner.email, 61 * 60);
    for (const client of clients(3)) await signIn(client, owner.email, "not it again");
    expect(await mailTo(owner.email, WARNING_SUBJECT)).toHaveLength(2);
  });

  it("sends one warning when failures from many clients arrive at once", async () => {
    const owner = await createUser();
    await Promise.all(Array.from({ length: 8 }, (_, i) => signIn(`2001:db8:99:${i}::5`, owner.email, "wrong at once")));
    expect(await mailTo(owner.email, WARNING_SUBJECT)).toHaveLength(1);
  });

  it("never warns a disabled account", async () => {
    const disabled = await createUser({ disabled: true });
    for (let i = 0; i < 5; i++) await signIn(`198.51.100.${40 + i}`, disabled.email, "wrong guess");
    expect(await mailTo(disabled.email)).toHaveLength(0);
  });

  it("starts a client's pair afresh after the right password", async () => {
    const user = await createUser();
    const client = "198.51.100.50";
    for (let i = 0; i < 4; i++) await signIn(client, user.email, `typo ${i}`);
    expect((await signIn(client, user.email, user.password)).status).toBe(302);
    // Four more typos and a fifth: had the first four still counted, the fifth would be refused.
    for (let i = 0; i < 5; i++)
      expect((await signIn(client, user.email, `typo again ${i}`)).status, `typo ${i}`).toBe(400);
  });
});

describe("sign-up and verification-mail limits", () => {
  const signupFields = (email: string) => ({
    email,
    name: "Priya Shah",
    staffGroup: "nursing_midwifery",
    jobTitle: "",
    "startDate-day": "3",
    "startDate-month": "9",
    "startDate-year": "2024",
  });

  it("sends an existing address at most 3 mails an hour, however many sign-ups and clients, with the same answer", async () => {
    const org = await createOrganisation({ domains: ["bomb.staywell.test"] });
    const victim = await createUser({ organisationId: org.id, email: "victim@bomb.staywell.test" });
    for (let i = 0; i < 15; i++) {
      const outcome = await signUp(`203.0.113.${100 + i}`, signupFields(victim.email));
      expect(outcome.status, `sign-up ${i + 1}`).toBe(302);
      expect(outcome.location).toBe("/signup/check-email");
    }
    expect(await mailTo(victim.email)).toHaveLength(3);
    // A new address gets the same answer.
    const fresh = await signUp("203.0.113.99", signupFields("someone.new@bomb.staywell.test"));
    expect(fresh.status).toBe(302);
    expect(fresh.location).toBe("/signup/check-email");
  });

  it("holds the cap when sign-ups for one address arrive at once (two instances), and creates one account", async () => {
    await createOrganisation({ domains: ["race.staywell.test"] });
    const email = "racing@race.staywell.test";
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => signUp(`203.0.113.${200 + i}`, signupFields(email))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill(302));
    expect(await getDb().select().from(users).where(eq(users.email, email))).toHaveLength(1);
    const mails = await mailTo(email);
    expect(mails).toHaveLength(3);
    // Each is a link to choose the password (the one who holds the mailbox chooses it: ADR 017).
    expect(mails.filter((m) => m.subject === "Choose your password for StayWell")).toHaveLength(3);
  });

  it("lets one client sign up 10 times an hour, whatever the addresses", async () => {
    await createOrganisation({ domains: ["many.staywell.test"] });
    const client = "192.0.2.77";
    for (let i = 0; i < 10; i++)
      expect((await signUp(client, signupFields(`p${i}@many.staywell.test`))).status, `sign-up ${i + 1}`).toBe(302);
    const refused = await signUp(client, signupFields("p10@many.staywell.test"));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(59 * 60 - 30);
    const { errors, values } = refused.data as { errors: Record<string, string>; values: Record<string, unknown> };
    expect(errors.email).toMatch(
      /^Too many accounts have been asked for from your connection\. Wait (60|59) minutes and try again$/,
    );
    expect(values.name).toBe("Priya Shah"); // what was typed is kept
    expect(values).not.toHaveProperty("password");
    expect(await mailTo("p10@many.staywell.test")).toHaveLength(0);
    // Another client is unaffected.
    expect((await signUp("192.0.2.78", signupFields("p10@many.staywell.test"))).status).toBe(302);
  });

  it("sends a new verification link on sign-in to an unconfirmed account at most 3 times an hour", async () => {
    // An account made before sign-up stopped asking for a password (ADR 017) can still have one.
    const pending = await createUser({ verified: false });
    const messages: string[] = [];
    for (let i = 0; i < 5; i++)
      messages.push(errorOf(await signIn(`198.51.100.${60 + i}`, pending.email, pending.password)));
    expect(messages).toEqual([
      ...Array(3).fill("Confirm your email address first: we have sent you a new link"),
      ...Array(2).fill("Confirm your email address first: open the link in the email we sent you"),
    ]);
    expect(await mailTo(pending.email, "Choose your password for StayWell")).toHaveLength(3);
  });
});

describe("the daily purge", () => {
  it("deletes throttle rows older than a day, once per London day, from the scheduler", async () => {
    const now = new Date();
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3600_000);
    await getDb()
      .insert(authThrottleEvents)
      .values([
        { kind: "sign_in_failure", client: "purge-test", emailHash: "old-1", occurredAt: at(25) },
        { kind: "account_mail", emailHash: "old-2", occurredAt: at(24 * 30) },
        { kind: "sign_in_failure", client: "purge-test", emailHash: "recent", occurredAt: at(23) },
      ]);
    const run = await runScheduledJobs(now);
    // No other test in this file leaves a row older than a day.
    expect(run.purged).toBe(2);
    const left = await getDb()
      .select({ emailHash: authThrottleEvents.emailHash })
      .from(authThrottleEvents)
      .where(sql`${authThrottleEvents.emailHash} in ('old-1', 'old-2', 'recent')`);
    expect(left.map((r) => r.emailHash)).toEqual(["recent"]);
    // The next check the same day does not purge again.
    expect((await runScheduledJobs(now)).purged).toBeNull();
  });
});
