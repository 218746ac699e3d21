// A reservist who accepted a place and can no longer help gives it back at /reservists/invitations
// (ADR 040, addendum "giving a place back"): the place is open again, the Reservist bank team is
// emailed about the need (never the person's name), the audit says so; nobody can give back someone
// else's place, one they never accepted, or one whose need has ended. PGlite and PostgreSQL.
import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { adminAudit, mailOutbox, reservistInvitations, reservistSkills } from "@db/schema";
import { NotFoundError } from "~/.server/permissions.server";
import {
  answerInvitation,
  createNeed,
  inviteReservists,
  isReservistError,
  loadNeed,
  myInvitations,
  saveMyReservistProfile,
} from "~/.server/models/reservists.server";
import * as invitationsRoute from "~/routes/reservists.invitations";
import { asCurrentUser, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { formRequest, runRoute, signInCookie } from "../helpers/http";
import { addToReservistTeam, reservistNeedInput, reservistProfileInput } from "../helpers/reservists";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

let orgA: number;
let nurse: number;
let coordinator: TestUser;
/** Members of the Reservist bank team who must not hear: disabled, and not allowed to work in the hub. */
let leftTeam: TestUser;
let notHub: TestUser;
const me = (u: TestUser) => asCurrentUser(u);
const before = new Date("2029-12-05T10:00:00Z");

beforeAll(async () => {
  orgA = (await createOrganisation({ name: "Give Back Trust" })).id;
  nurse = (await getDb().select().from(reservistSkills)).find((r) => r.slug === "registered-nurse-adult")!.id;
  coordinator = await createUser({ role: "coordinator", organisationId: orgA, name: "Bank Coordinator" });
  leftTeam = await createUser({ role: "coordinator", organisationId: orgA, name: "Gone Coordinator", disabled: true });
  notHub = await createUser({ organisationId: orgA, name: "Staff Member" });
  await addToReservistTeam([coordinator.id, leftTeam.id, notHub.id]);
});

/** A reservist invited to, and accepted on, a fresh one-place need in February 2030. */
async function accepted(name: string, place: string) {
  const person = await createUser({ organisationId: orgA, name });
  await saveMyReservistProfile(
    me(person),
    reservistProfileInput({ skills: [nurse], organisations: [orgA] }),
    new Date("2029-12-01T10:00:00Z"),
  );
  const needId = await createNeed(
    me(coordinator),
    reservistNeedInput({ organisationId: orgA, skills: [nurse], place }),
  );
  await inviteReservists(me(coordinator), needId, [person.id], before);
  const [invitation] = await myInvitations(me(person), before);
  await answerInvitation(me(person), invitation!.id, "accept", before);
  return { person, needId, invitationId: invitation!.id };
}

describe("giving an accepted place back", () => {
  it("opens the place again, tells the team about the need without naming the person, and audits it", async () => {
    const { person, needId, invitationId } = await accepted("Gwen Giveback", "Ward Give 1");
    expect((await loadNeed(me(coordinator), needId, before)).need.filled).toBe(1);
    const offered = await myInvitations(me(person), before);
    expect(offered[0]).toMatchObject({ status: "accepted", canCancel: true });

    const cookie = await signInCookie(person.id);
    const res = await runRoute(() =>
      invitationsRoute.action({
        request: formRequest(
          "/reservists/invitations",
          { invitation: String(invitationId), answer: "cancel" },
          { cookie },
        ),
        params: {},
        context: {},
      } as never),
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe("/reservists/invitations?done=cancelled");

    const { need, invitations } = await loadNeed(me(coordinator), needId, before);
    expect(need.filled).toBe(0);
    expect(invitations[0]).toMatchObject({ status: "declined" });
    expect(invitations[0]!.cancelledAt).toBeInstanceOf(Date);
    const [mine] = await myInvitations(me(person));
    expect(mine).toMatchObject({ status: "declined", canCancel: false });
    expect(mine!.cancelledAt).toBeInstanceOf(Date);

    const mail = await getDb()
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.toAddress, coordinator.email), like(mailOutbox.subject, "%open again%")));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.textBody).toContain(`/hub/reservists/needs/${needId}`);
    expect(mail[0]!.textBody).toContain("Ward Give 1");
    expect(mail[0]!.textBody).not.toContain("Gwen");
    // Only the team's active members who may work in the hub (teamMembersOfTeam).
    const recipients = await getDb().select().from(mailOutbox).where(like(mailOutbox.subject, "%open again%"));
    expect(recipients.map((m) => m.toAddress)).toEqual([coordinator.email]);
    expect(recipients.map((m) => m.toAddress)).not.toContain(leftTeam.email);
    expect(recipients.map((m) => m.toAddress)).not.toContain(notHub.email);
    const audit = await getDb().select().from(adminAudit).where(eq(adminAudit.action, "invitation_cancelled"));
    expect(audit.map((a) => a.entityId)).toContain(String(needId));
  });

  it("is refused for someone else's invitation (not found), one never accepted, and once the need has ended", async () => {
    const { invitationId } = await accepted("Owen Owner", "Ward Give 2");
    const stranger = await createUser({ organisationId: orgA });
    await expect(answerInvitation(me(stranger), invitationId, "cancel", before)).rejects.toBeInstanceOf(NotFoundError);

    const { person: late, invitationId: lateId } = await accepted("Lena Late", "Ward Give 3");
    await expect(answerInvitation(me(late), lateId, "cancel", new Date("2030-03-01T10:00:00Z"))).rejects.toSatisfy(
      (e) => isReservistError(e, "closed"),
    );
    expect((await myInvitations(me(late), new Date("2030-03-01T10:00:00Z")))[0]!.canCancel).toBe(false);

    const invitee = await createUser({ organisationId: orgA });
    await saveMyReservistProfile(
      me(invitee),
      reservistProfileInput({ skills: [nurse], organisations: [orgA] }),
      before,
    );
    const needId = await createNeed(me(coordinator), reservistNeedInput({ organisationId: orgA, skills: [nurse] }));
    await inviteReservists(me(coordinator), needId, [invitee.id], before);
    const [open] = await myInvitations(me(invitee), before);
    await expect(answerInvitation(me(invitee), open!.id, "cancel", before)).rejects.toSatisfy((e) =>
      isReservistError(e, "answered"),
    );
    const statuses = await getDb()
      .select({ status: reservistInvitations.status })
      .from(reservistInvitations)
      .where(eq(reservistInvitations.id, invitationId));
    expect(statuses[0]!.status).toBe("accepted");
  });
});
