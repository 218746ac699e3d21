// Demo accounts that can sign in, one per role. The start-up banner lists them with DEMO_PASSWORD.
// Never seed these into a production database (SEED_DEMO_DATA=false).
import type { StaffGroup } from "../../app/lib/staff-groups";
import type { UserRole } from "../schema";

export const DEMO_PASSWORD = "staywell-demo-2026";

/** The demo staff member whose My requests shows a few requests of their own (db/seed/request-plan.ts). */
export const DEMO_STAFF_WITH_HISTORY = "staff@uhnm.staywell.test";

export interface DemoAccount {
  email: string;
  name: string;
  role: UserRole;
  /** The organisation its email domain belongs to (see organisations.ts). */
  organisationSlug: string;
  staffGroup: StaffGroup;
  jobTitle: string;
  /** YYYY-MM-DD */
  startDate: string;
  /** For the start-up banner, e.g. "staff member, UHNM". */
  description: string;
  /** Managers only: the organisation whose figures they see; absent means the whole ICS. */
  managesOrganisationSlug?: string;
}

/**
 * The banner's list (server start-up, `npm run db:seed`): each address padded to the longest, so
 * the descriptions line up and none runs into its address.
 */
export function demoAccountLines(accounts: readonly Pick<DemoAccount, "email" | "description">[]): string[] {
  const width = Math.max(0, ...accounts.map((a) => a.email.length));
  return accounts.map((a) => `  ${a.email.padEnd(width)} ${a.description}`);
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: "staff@uhnm.staywell.test",
    name: "Sarah Bennett",
    role: "staff",
    organisationSlug: "uhnm",
    staffGroup: "nursing_midwifery",
    jobTitle: "Senior staff nurse, acute medical unit",
    startDate: "2016-09-05",
    description: "staff member, UHNM",
  },
  {
    email: "staff2@mpft.staywell.test",
    name: "Tomasz Nowak",
    role: "staff",
    organisationSlug: "mpft",
    staffGroup: "support_worker",
    jobTitle: "Community mental health support worker",
    startDate: "2025-10-06",
    description: "staff member, MPFT",
  },
  {
    email: "coordinator@icb.staywell.test",
    name: "Priya Sharma",
    role: "coordinator",
    organisationSlug: "icb",
    staffGroup: "admin_estates",
    jobTitle: "People hub coordinator",
    startDate: "2021-04-12",
    description: "people hub coordinator (every team but the psychological hub), ICB",
  },
  {
    email: "psych.coordinator@icb.staywell.test",
    name: "Rachel Adeyemi",
    role: "coordinator",
    organisationSlug: "icb",
    staffGroup: "scientific_technical",
    jobTitle: "Psychological wellbeing hub coordinator",
    startDate: "2022-02-14",
    description: "psychological wellbeing hub coordinator, ICB",
  },
  {
    email: "retention.coordinator@icb.staywell.test",
    name: "Joanne Whitehouse",
    role: "coordinator",
    organisationSlug: "icb",
    staffGroup: "admin_estates",
    jobTitle: "Retention and careers coordinator",
    startDate: "2020-01-13",
    description: "Retention and careers coordinator (stay conversations), ICB",
  },
  {
    email: "reservists.coordinator@icb.staywell.test",
    name: "Helen Proctor",
    role: "coordinator",
    organisationSlug: "icb",
    staffGroup: "admin_estates",
    jobTitle: "Reservist bank coordinator",
    startDate: "2021-09-06",
    description: "Reservist bank coordinator (needs and invitations), ICB",
  },
  {
    email: "manager@icb.staywell.test",
    name: "Mark Holloway",
    role: "manager",
    organisationSlug: "icb",
    staffGroup: "admin_estates",
    jobTitle: "Head of workforce wellbeing and retention",
    startDate: "2018-01-08",
    description: "manager (whole ICS), ICB",
  },
  {
    email: "manager@uhnm.staywell.test",
    name: "Fiona Carter",
    role: "manager",
    organisationSlug: "uhnm",
    staffGroup: "admin_estates",
    jobTitle: "Deputy director of people, UHNM",
    startDate: "2017-03-20",
    description: "manager (UHNM only), UHNM",
    managesOrganisationSlug: "uhnm",
  },
  {
    email: "admin@icb.staywell.test",
    name: "Helen Price",
    role: "admin",
    organisationSlug: "icb",
    staffGroup: "admin_estates",
    jobTitle: "StayWell service administrator",
    startDate: "2019-06-03",
    description: "administrator, ICB",
  },
  {
    // A second administrator: confidential changes need one to propose and another to approve
    // (docs/decisions/009-two-person-rule-for-confidential-support.md).
    email: "admin2@icb.staywell.test",
    name: "Tom Bradbury",
    role: "admin",
    organisationSlug: "icb",
    staffGroup: "admin_estates",
    jobTitle: "StayWell service administrator",
    startDate: "2021-02-15",
    description: "second administrator, ICB",
  },
];

/**
 * Hub colleagues generated for the demo (is_demo: they can never sign in), so assignment, the
 * queue's "assignee" filter and the daily digest have more than one person per team. Their teams
 * are in SEED_TEAM_MEMBERSHIPS (teams.ts).
 */
export interface GeneratedCoordinator {
  email: string;
  name: string;
  staffGroup: StaffGroup;
  jobTitle: string;
  /** YYYY-MM-DD */
  startDate: string;
}

export const GENERATED_COORDINATORS: readonly GeneratedCoordinator[] = [
  {
    email: "gemma.hulme@icb.staywell.test",
    name: "Gemma Hulme",
    staffGroup: "admin_estates",
    jobTitle: "People hub coordinator",
    startDate: "2020-09-07",
  },
  {
    email: "daniel.mensah@icb.staywell.test",
    name: "Daniel Mensah",
    staffGroup: "admin_estates",
    jobTitle: "People hub coordinator (workforce)",
    startDate: "2023-05-15",
  },
  {
    email: "amira.khan@icb.staywell.test",
    name: "Amira Khan",
    staffGroup: "admin_estates",
    jobTitle: "Retention and careers adviser",
    startDate: "2022-09-05",
  },
  {
    email: "ruth.beardmore@icb.staywell.test",
    name: "Ruth Beardmore",
    staffGroup: "scientific_technical",
    jobTitle: "Psychological wellbeing practitioner",
    startDate: "2019-11-04",
  },
];
