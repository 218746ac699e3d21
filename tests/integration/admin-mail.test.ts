// /admin/mail: failed mail an operator can rescue. Only administrators see it (the permission
// module); the list shows recipient, subject and the last error, never a message's text; "Send
// again" is a POST with the same-origin check, puts the message back to pending with a fresh day of
// retries, is recorded in admin_audit, and the outbox then delivers it. On PGlite and PostgreSQL.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { adminAudit, mailOutbox } from "@db/schema";
import { deliverDueMail, type MailMessage } from "~/.server/mail/outbox.server";
import { listAudit } from "~/.server/models/admin/audit.server";
import { isAdminError } from "~/.server/models/admin/common.server";
import { FAILED_MAIL_PAGE_SIZE, listFailedMail, sendFailedMailAgain } from "~/.server/models/admin/mail.server";
import * as indexRoute from "~/routes/admin._index";
import * as mailRoute from "~/routes/admin.mail";
import { asCurrentUser, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { formRequest, getRequest, runRoute, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const BODY = "Confidential words the person wrote: I cannot sleep";
let admin: TestUser;
let adminCookie: string;

async function failedMail(to: string, subject = "New confidential request SW-1 for your team") {
  const [row] = await getDb()
    .insert(mailOutbox)
    .values({
      toAddress: to,
      subject,
      textBody: BODY,
      status: "failed",
      attempts: 29,
      lastError: "550 5.1.1 mailbox unavailable",
      firstFailedAt: new Date("2026-11-01T09:00:00Z"),
      failedAt: new Date("2026-11-02T09:00:00Z"),
      nextAttemptAt: new Date("2026-11-02T09:00:00Z"),
    })
    .returning();
  return row!;
}

const load = (cookie: string | undefined, query = "") =>
  runRoute(() => mailRoute.loader({ request: getRequest(`/admin/mail${query}`, { cookie }), params: {}, context: {} }));
const sendAgain = (cookie: string, mailId: number | string, origin?: string | null) =>
  runRoute(() =>
    mailRoute.action({
      request: formRequest("/admin/mail", { intent: "send_again", mailId }, { cookie, origin }),
      params: {},
      context: {},
    }),
  );
const rowOf = async (id: number) => (await getDb().select().from(mailOutbox).where(eq(mailOutbox.id, id)))[0]!;

beforeAll(async () => {
  const org = await createOrganisation();
  admin = await createUser({ role: "admin", organisationId: org.id, name: "Ann Admin" });
  adminCookie = await signInCookie(admin.id);
});

describe("who may see and rescue failed mail", () => {
  it("answers 403 to staff, coordinators and managers (page and action), sends the signed-out to sign in, and the models refuse", async () => {
    const mail = await failedMail("who@x.test");
    for (const role of ["staff", "coordinator", "manager"] as const) {
      const user = await createUser({ role });
      const cookie = await signInCookie(user.id);
      expect((await load(cookie)).status).toBe(403);
      expect((await sendAgain(cookie, mail.id)).status).toBe(403);
      const caller = asCurrentUser(user);
      expect(await listFailedMail(caller).catch((e: unknown) => isAdminError(e, "forbidden"))).toBe(true);
      expect(
        await sendFailedMailAgain(caller, String(mail.id)).catch((e: unknown) => isAdminError(e, "forbidden")),
      ).toBe(true);
    }
    const anonymous = await load(undefined);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/login?redirectTo=%2Fadmin%2Fmail");
    expect((await rowOf(mail.id)).status).toBe("failed");
  });
});

describe("the failed mail list", () => {
  it("shows recipient, subject, attempts and the last error, never the text", async () => {
    await getDb().delete(mailOutbox);
    const mail = await failedMail("list@x.test");
    await getDb().insert(mailOutbox).values({ toAddress: "pending@x.test", subject: "Still trying", textBody: BODY });
    const out = await load(adminCookie);
    expect(out.status).toBe(200);
    const page = out.data as Awaited<ReturnType<typeof listFailedMail>>;
    expect(page.total).toBe(1);
    expect(page.items).toEqual([
      {
        id: mail.id,
        to: "list@x.test",
        subject: "New confidential request SW-1 for your team",
        attempts: 29,
        lastError: "550 5.1.1 mailbox unavailable",
        createdAt: mail.createdAt,
        failedAt: new Date("2026-11-02T09:00:00Z"),
      },
    ]);
    expect(JSON.stringify(out.data)).not.toContain("cannot sleep");
    // The /admin overview counts it (its notice links here).
    const overview = await runRoute(() =>
      indexRoute.loader({ request: getRequest("/admin", { cookie: adminCookie }), params: {}, context: {} }),
    );
    expect((overview.data as { failedMail: number }).failedMail).toBe(1);
  });

  it("pages newest first, 25 a page, each message once", async () => {
    await getDb().delete(mailOutbox);
    const ids: number[] = [];
    for (let i = 0; i < FAILED_MAIL_PAGE_SIZE + 5; i++) ids.push((await failedMail(`p${i}@x.test`)).id);
    const first = (await load(adminCookie)).data as Awaited<ReturnType<typeof listFailedMail>>;
    expect(first.total).toBe(30);
    expect(first.items).toHaveLength(FAILED_MAIL_PAGE_SIZE);
    expect(first.nextBefore).not.toBeNull();
    const second = (await load(adminCookie, `?before=${first.nextBefore}`)).data as Awaited<
      ReturnType<typeof listFailedMail>
    >;
    expect(second.items).toHaveLength(5);
    expect(second.nextBefore).toBeNull();
    expect([...first.items, ...second.items].map((m) => m.id)).toEqual([...ids].reverse());
    // A nonsense cursor is ignored: the first page.
    for (const q of ["?before=abc", "?before=1e309", "?before=99999999999999999999", "?before=-3"]) {
      const out = await load(adminCookie, q);
      expect(out.status, q).toBe(200);
      expect((out.data as { items: unknown[] }).items, q).toHaveLength(FAILED_MAIL_PAGE_SIZE);
    }
  });
});

describe("Send again", () => {
  it("puts the message back to pending with a fresh day of retries, audited, and the outbox delivers it", async () => {
    await getDb().delete(mailOutbox);
    const mail = await failedMail("again@x.test");
    const out = await sendAgain(adminCookie, mail.id);
    expect(out.status).toBe(302);
    expect(out.location).toBe(`/admin/mail?again=${mail.id}`);
    const row = await rowOf(mail.id);
    expect(row).toMatchObject({ status: "pending", attempts: 0, firstFailedAt: null, failedAt: null, claimedBy: null });
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    const audit = await getDb()
      .select()
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "mail"), eq(adminAudit.entityId, String(mail.id))));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.id,
      action: "sent_again",
      before: { status: "failed", attempts: 29, lastError: "550 5.1.1 mailbox unavailable" },
      after: { status: "pending" },
    });
    expect(audit[0]!.summary).toContain("again@x.test");
    expect(JSON.stringify(audit[0])).not.toContain("cannot sleep");
    // The audit log lists it under its own area.
    const auditPage = await listAudit(asCurrentUser(admin), new URLSearchParams("area=mail"));
    expect(auditPage.entries.map((e) => e.entityId)).toContain(String(mail.id));
    // The list no longer shows it, and the worker sends it.
    expect(((await load(adminCookie)).data as { total: number }).total).toBe(0);
    const sent: MailMessage[] = [];
    expect(await deliverDueMail(async (m) => void sent.push(m))).toMatchObject({ sent: 1 });
    expect(sent).toEqual([{ to: "again@x.test", subject: mail.subject, text: BODY }]);
    expect((await rowOf(mail.id)).status).toBe("sent");
  });

  it("shows the confirmation banner only to the administrator who has just sent that message again", async () => {
    const mail = await failedMail("banner@x.test");
    const again = (cookie: string, id: number) => load(cookie, `?again=${id}`);
    // A link made up by someone else says nothing: the message was never sent again.
    expect(((await again(adminCookie, mail.id)).data as { again: boolean }).again).toBe(false);
    expect((await sendAgain(adminCookie, mail.id)).status).toBe(302);
    expect(((await again(adminCookie, mail.id)).data as { again: boolean }).again).toBe(true);
    // Another administrator opening the same link did not send it.
    const other = await createUser({ role: "admin" });
    expect(((await again(await signInCookie(other.id), mail.id)).data as { again: boolean }).again).toBe(false);
    // Nor does a stale link, long after.
    const [audit] = await getDb()
      .select({ id: adminAudit.id })
      .from(adminAudit)
      .where(and(eq(adminAudit.entity, "mail"), eq(adminAudit.entityId, String(mail.id))));
    await getDb()
      .update(adminAudit)
      .set({ createdAt: new Date(Date.now() - 60 * 60_000) })
      .where(eq(adminAudit.id, audit!.id));
    expect(((await again(adminCookie, mail.id)).data as { again: boolean }).again).toBe(false);
  });

  it("refuses a POST from another site or without an Origin, changing nothing", async () => {
    const mail = await failedMail("csrf@x.test");
    for (const origin of [null, "https://evil.example"]) {
      const out = await sendAgain(adminCookie, mail.id, origin);
      expect(out.status, String(origin)).toBe(403);
    }
    expect((await rowOf(mail.id)).status).toBe("failed");
    expect(
      await getDb()
        .select()
        .from(adminAudit)
        .where(and(eq(adminAudit.entity, "mail"), eq(adminAudit.entityId, String(mail.id)))),
    ).toEqual([]);
  });

  it("answers 409 when it was already sent again, 404 for no such message, 400 for no message chosen", async () => {
    const mail = await failedMail("twice@x.test");
    expect((await sendAgain(adminCookie, mail.id)).status).toBe(302);
    const second = await sendAgain(adminCookie, mail.id);
    expect(second.status).toBe(409);
    expect((second.data as { errors: { _form: string } }).errors._form).toContain("already sent it again");
    for (const id of ["999999", "abc", "0", "1e3"]) expect((await sendAgain(adminCookie, id)).status, id).toBe(404);
    const none = await runRoute(() =>
      mailRoute.action({ request: formRequest("/admin/mail", {}, { cookie: adminCookie }), params: {}, context: {} }),
    );
    expect(none.status).toBe(400);
    // Exactly one audit entry for the one real change.
    expect(
      await getDb()
        .select()
        .from(adminAudit)
        .where(and(eq(adminAudit.entity, "mail"), eq(adminAudit.entityId, String(mail.id)))),
    ).toHaveLength(1);
  });
});
