// The partner organisations of the Staffordshire and Stoke-on-Trent Integrated Care System.
// A person's organisation is found from their email domain at registration, so each domain
// belongs to exactly one organisation. Headcounts are rounded, realistic figures for the demo.
import type { Organisation } from "../schema";

export interface SeedOrganisation {
  slug: string;
  name: string;
  type: Organisation["type"];
  headcount: number;
  /** Email domains; the first is the one generated demo staff use. */
  domains: readonly string[];
  /** Short name for narrow places (the hub queue), seeded into organisations.short_name. */
  shortName: string;
}

export const SEED_ORGANISATIONS: readonly SeedOrganisation[] = [
  {
    slug: "uhnm",
    name: "University Hospitals of North Midlands NHS Trust",
    shortName: "UHNM",
    type: "nhs_trust",
    headcount: 11_200,
    domains: ["uhnm.staywell.test"],
  },
  {
    slug: "mpft",
    name: "Midlands Partnership University NHS Foundation Trust",
    shortName: "MPFT",
    type: "nhs_trust",
    headcount: 9_100,
    domains: ["mpft.staywell.test"],
  },
  {
    slug: "combined",
    name: "North Staffordshire Combined Healthcare NHS Trust",
    shortName: "NSCHT",
    type: "nhs_trust",
    headcount: 1_700,
    domains: ["combined.staywell.test"],
  },
  {
    slug: "staffordshire",
    name: "Staffordshire County Council",
    shortName: "Staffs CC",
    type: "council",
    headcount: 4_300,
    domains: ["staffordshire.staywell.test"],
  },
  {
    slug: "stoke",
    name: "Stoke-on-Trent City Council",
    shortName: "Stoke CC",
    type: "council",
    headcount: 2_900,
    domains: ["stoke.staywell.test"],
  },
  {
    slug: "care-providers",
    name: "Independent care providers in Staffordshire and Stoke-on-Trent",
    shortName: "Care providers",
    type: "care_provider",
    headcount: 17_500,
    domains: ["care.staywell.test"],
  },
  {
    slug: "gp-practices",
    name: "GP practices in Staffordshire and Stoke-on-Trent",
    shortName: "GP practices",
    type: "gp_practice",
    headcount: 3_100,
    domains: ["gp.staywell.test"],
  },
  {
    slug: "icb",
    name: "NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
    shortName: "Staffs ICB",
    type: "icb",
    headcount: 400,
    domains: ["icb.staywell.test"],
  },
];
