// The generated staff of both demo data sets (db/seed.ts and db/scale.ts): staff groups weighted
// by organisation type, and job titles by staff group ("<organisation type>:<group>" first).
import type { StaffGroup } from "../../app/lib/staff-groups";
import type { Organisation } from "../schema";

export const STAFF_GROUP_WEIGHTS: Record<Organisation["type"], readonly (readonly [StaffGroup, number])[]> = {
  nhs_trust: [
    ["nursing_midwifery", 30],
    ["medical_dental", 10],
    ["allied_health", 12],
    ["scientific_technical", 7],
    ["support_worker", 18],
    ["social_care", 2],
    ["admin_estates", 19],
    ["other", 2],
  ],
  council: [
    ["social_care", 55],
    ["admin_estates", 33],
    ["allied_health", 6],
    ["other", 6],
  ],
  care_provider: [
    ["social_care", 70],
    ["nursing_midwifery", 12],
    ["support_worker", 8],
    ["admin_estates", 10],
  ],
  gp_practice: [
    ["medical_dental", 20],
    ["nursing_midwifery", 20],
    ["admin_estates", 40],
    ["support_worker", 10],
    ["allied_health", 5],
    ["scientific_technical", 5],
  ],
  icb: [
    ["admin_estates", 70],
    ["nursing_midwifery", 10],
    ["medical_dental", 5],
    ["other", 15],
  ],
};

export const JOB_TITLES: Record<string, readonly string[]> = {
  nursing_midwifery: ["Staff nurse", "Senior staff nurse", "Ward sister", "Community nurse", "Midwife", "Mental health nurse", "Nursing associate", "Charge nurse"],
  medical_dental: ["Foundation doctor", "Specialty registrar", "Consultant", "Specialty doctor", "Clinical fellow"],
  allied_health: ["Physiotherapist", "Occupational therapist", "Speech and language therapist", "Dietitian", "Diagnostic radiographer", "Podiatrist"],
  scientific_technical: ["Biomedical scientist", "Pharmacy technician", "Clinical physiologist", "Operating department practitioner", "Pharmacist"],
  support_worker: ["Healthcare assistant", "Healthcare support worker", "Maternity support worker", "Mental health support worker", "Phlebotomist", "Therapy assistant"],
  social_care: ["Care and support worker", "Senior care worker", "Social worker", "Reablement support worker", "Residential care worker"],
  admin_estates: ["Ward clerk", "Medical secretary", "Porter", "Domestic assistant", "Estates technician", "HR adviser", "Finance officer", "Receptionist"],
  other: ["Chaplain", "Volunteer coordinator", "IT service desk analyst", "Catering assistant"],
  "council:social_care": ["Social worker", "Senior social worker", "Reablement support worker", "Occupational therapy assistant", "Care home worker"],
  "council:admin_estates": ["Business support officer", "Customer services adviser", "Commissioning officer", "HR adviser"],
  "council:allied_health": ["Occupational therapist"],
  "council:other": ["Public health practitioner", "Community development worker"],
  "care_provider:social_care": ["Care worker", "Senior care worker", "Home care assistant", "Care team leader", "Support worker (learning disabilities)", "Registered manager"],
  "care_provider:nursing_midwifery": ["Registered nurse (nursing home)", "Clinical lead nurse"],
  "care_provider:support_worker": ["Care assistant", "Activities coordinator"],
  "care_provider:admin_estates": ["Care coordinator", "Administrator", "Cook", "Housekeeper"],
  "gp_practice:medical_dental": ["Salaried GP", "GP partner", "GP registrar"],
  "gp_practice:nursing_midwifery": ["Practice nurse", "Advanced nurse practitioner"],
  "gp_practice:admin_estates": ["Receptionist", "Practice manager", "Medical secretary", "Care navigator"],
  "gp_practice:support_worker": ["Healthcare assistant", "Phlebotomist"],
  "gp_practice:allied_health": ["First contact physiotherapist", "Paramedic practitioner"],
  "gp_practice:scientific_technical": ["Clinical pharmacist", "Pharmacy technician"],
  "icb:admin_estates": ["Commissioning manager", "Business intelligence analyst", "Programme manager", "Executive assistant", "Finance manager"],
  "icb:nursing_midwifery": ["Quality and safeguarding lead", "Continuing healthcare nurse assessor"],
  "icb:medical_dental": ["Clinical director"],
  "icb:other": ["Communications officer", "Digital transformation lead"],
};
