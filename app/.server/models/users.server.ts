import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "@db/current";
import { users } from "@db/schema";
import type { CurrentUser } from "../auth/types";

const currentUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  organisationId: users.organisationId,
  staffGroup: users.staffGroup,
  jobTitle: users.jobTitle,
  startDate: users.startDate,
  managesOrganisationId: users.managesOrganisationId,
};

/** A verified, enabled account, or null. */
export async function findActiveUserById(id: string): Promise<CurrentUser | null> {
  const [row] = await getDb()
    .select(currentUserColumns)
    .from(users)
    .where(and(eq(users.id, id), isNull(users.disabledAt), isNotNull(users.emailVerifiedAt)))
    .limit(1);
  return row ?? null;
}
