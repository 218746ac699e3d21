// The test helpers themselves: each file gets its own migrated database, factories insert rows
// on either driver, and signInCookie() gives a session the app accepts.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { supportOffers, users } from "@db/schema";
import { getOptionalUser } from "~/.server/auth/session.server";
import { createOffer, createOrganisation, createUser } from "../helpers/factories";
import { formRequest, getRequest, signInCookie } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();

describe("test helpers", () => {
  it("gives the file a migrated database and makes it current", async () => {
    expect(getDb()).toBe(database().db);
    const rows = await database().db.select().from(supportOffers);
    expect(Array.isArray(rows)).toBe(true);
  });

  it("creates users with unique emails in an organisation", async () => {
    const org = await createOrganisation();
    const a = await createUser({ organisationId: org.id });
    const b = await createUser({ organisationId: org.id, role: "coordinator" });
    expect(a.email).not.toBe(b.email);
    const [row] = await getDb().select().from(users).where(eq(users.id, b.id));
    expect(row.role).toBe("coordinator");
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("creates offers", async () => {
    const offer = await createOffer({ formKind: "psychological", sensitive: true });
    expect(offer.formKind).toBe("psychological");
    expect(offer.sensitive).toBe(true);
    expect(offer.active).toBe(true);
  });

  it("signs a verified user in, and not an unverified or disabled one", async () => {
    const user = await createUser();
    const cookie = await signInCookie(user.id);
    expect(cookie).toMatch(/^staywell_session=/);
    expect((await getOptionalUser(getRequest("/", { cookie })))?.id).toBe(user.id);

    for (const other of [await createUser({ verified: false }), await createUser({ disabled: true })]) {
      const otherCookie = await signInCookie(other.id);
      expect(await getOptionalUser(getRequest("/", { cookie: otherCookie }))).toBeNull();
    }
  });

  it("builds form posts with the app's Origin", async () => {
    const request = formRequest("/x", { a: "1", b: true, c: undefined }, { cookie: "k=v" });
    expect(request.method).toBe("POST");
    expect(request.headers.get("Origin")).toBe("http://localhost:3000");
    expect(request.headers.get("Cookie")).toBe("k=v");
    expect(await request.text()).toBe("a=1&b=on");
  });
});
