import type { UserRole } from "@db/schema";

/** The signed-in person, as every loader, action and model function receives them. */
export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  organisationId: number;
  staffGroup: string;
  jobTitle: string | null;
  startDate: string;
  /** Managers: the organisation whose figures they see; null means the whole ICS. */
  managesOrganisationId: number | null;
}
