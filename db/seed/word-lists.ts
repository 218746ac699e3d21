// The demo seed's word lists and weights: the people it makes up (staff groups, job titles) and
// what they and the hub write (answers, messages, notes, comments).
import type { StaffGroup } from "../../app/lib/staff-groups";
import type { FormKind, Organisation } from "../schema";

export const ENGAGEMENT: Record<Organisation["type"], number> = {
  nhs_trust: 1,
  council: 0.8,
  care_provider: 0.5,
  gp_practice: 0.8,
  icb: 1.2,
};

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

export const CONTACT_TIMES = [
  "Weekday mornings",
  "After 4pm",
  "Lunchtime, 12 to 1",
  "Not before 11am, I work nights",
  "Any time on Wednesdays (my day off)",
  "Tuesday or Thursday afternoons",
];

export const FINANCIAL_DETAILS = [
  "My rent has gone up by £150 a month and I am behind with my council tax.",
  "I have two credit cards and a loan, and the payments take most of my wages.",
  "My partner lost their job and we are struggling with the energy bills.",
  "I would like to check if I can get any help with childcare costs or Universal Credit.",
  "I work bank shifts and my pay changes every month, so I find it hard to budget.",
  "I have had a letter about a court date for an old debt and I do not know what to do.",
  "My landlord is selling the house and I cannot afford a deposit for somewhere new.",
];

export const PSYCHOLOGICAL_DETAILS = [
  "Since a patient died on my shift last month I cannot stop thinking about it and I am not sleeping.",
  "I feel anxious before every shift and I have started to dread going in.",
  "Things at home are very difficult and I am finding it hard to concentrate at work.",
  "I have felt low for a few months. I used to enjoy my job and now I just feel numb.",
  "There was an incident with a family member of a resident and it has really shaken me.",
  "I am exhausted all the time and I snap at colleagues. I think I am burnt out.",
  "I have been off with stress for two weeks and I would like help to get back to work.",
  "I lost my dad recently and I am struggling to cope with work and grief.",
];

export const PHYSIO_DETAILS = [
  "It started after moving a patient on a night shift.",
  "Pain down my leg when I sit for long, which is most of my day at the desk.",
  "I hurt it lifting boxes in the stores and it has not got better.",
  "It is worse at the end of a long day on my feet.",
  "I have had this before and the exercises helped, but it has come back.",
  "Driving between home visits makes it much worse.",
];

export const CURRENT_PATTERNS = [
  "Full time, 37.5 hours, rotating days and nights including weekends",
  "Full time, 3 long days a week on a rolling rota",
  "Part time, 22.5 hours over 3 days, alternate weekends",
  "Monday to Friday, 9am to 5pm, in the office every day",
  "Full time on nights, 4 nights a week",
  "Early and late shifts, 5 days a week, every other weekend",
  "Home care calls, split shifts from 7am to 10pm",
];

export const REQUESTED_PATTERNS = [
  "30 hours over 4 days, with no night shifts",
  "Fixed days, Monday to Wednesday, so I can manage childcare",
  "Term-time only working",
  "Compressed hours: 37.5 hours over 4 days",
  "Two days a week working from home",
  "Early shifts only, finishing by 3pm",
  "Self-rostering, with no more than 2 nights a month",
  "Reduce to 22.5 hours over 3 days",
  "No split shifts: one block of calls from 7am to 3pm",
];

export const EFFECT_ON_TEAM = [
  "Two colleagues already work fixed days, so cover on Thursdays would need rearranging.",
  "I think the team could cover this, as a new starter is joining in the spring.",
  "My manager has said the rota could work if I swap one weekend a month with a colleague.",
  "There may be less cover on nights, but a bank worker regularly picks up shifts on our ward.",
  "It should make no difference to the team, as most of my work is on the phone and computer.",
  "Someone else on the team has asked for later shifts, so we could swap.",
];

export const RETIRE_DETAILS = [
  "I am 58 and would like to drop to 3 days a week but keep my role.",
  "I want to retire in the summer and come back on the bank.",
  "I am not sure which section I am in. I joined in 1992 and had a break in service.",
  "I would like to keep teaching students after I retire.",
  "I am interested in the reservist bank but I want to know what the commitment is.",
];

export const GENERAL_DETAILS: Record<string, readonly string[]> = {
  "new-starter-support": [
    "I started on the ward 3 weeks ago and I do not have a preceptor yet.",
    "I moved from the Philippines last month and I am finding it hard to settle in. I would like someone to talk to outside my team.",
    "I am a newly qualified occupational therapist and I want to know what preceptorship support I can get.",
    "I am thinking about leaving because I feel out of my depth on night shifts.",
    "I am new to care work and I would like some support in my first few months.",
  ],
  "clinical-supervision": [
    "I have not had supervision since I moved teams and I would find it helpful.",
    "I would like restorative supervision with someone outside my own ward.",
    "Our team has had a difficult few months and we would like group supervision.",
  ],
  "career-pathways": [
    "I am a healthcare assistant and I would like to become a nursing associate through an apprenticeship.",
    "I work in a care home and I want to know how to become a registered nurse.",
    "I am a senior care worker and I would like to move into a team leader role.",
    "I am a receptionist and I am interested in a clinical career.",
  ],
  "occupational-health": [
    "I am going back to work after surgery and I would like advice on a phased return.",
    "I have a long-term condition and I think I need some changes at work.",
    "I have a skin reaction to the gloves we use.",
    "I have been off with long COVID and I would like advice on getting back to work.",
  ],
  "staff-networks": [
    "I would like to join the ethnic minority staff network.",
    "I am interested in the disabled staff network and the carers network.",
    "Please put me in touch with the LGBTQ+ network.",
    "I am an armed forces veteran and I would like to join the veterans network.",
    "I trained abroad and I would like to meet other internationally educated staff.",
  ],
  "education-training-funding": [
    "I would like funding for a non-medical prescribing course.",
    "I want to do a level 3 diploma in adult care.",
    "I would like to go to a wound care conference in the spring.",
    "I am applying for a master's module in leadership and I would like help with the fees.",
  ],
  "menopause-support": [
    "I am struggling with hot flushes and poor sleep, and night shifts make it worse.",
    "I would like to talk about changes to my uniform and my breaks.",
    "I think I am perimenopausal and my concentration at work is suffering.",
  ],
  "carers-support": [
    "I look after my mum, who has dementia, and I need to be able to take her to appointments.",
    "My son is disabled and I would like to know about a carer's passport.",
    "I care for my husband after his stroke and I am finding it hard to manage my shifts.",
  ],
  default: ["I would like to find out more about this support and what I can get."],
};

export const TRIAGE_NOTES = [
  "Checked the answers. Nothing urgent.",
  "Checked the answers. Passed to the right team.",
  "Second request from this person this year: checked the earlier one first.",
  "Prefers contact after shifts: noted for the team.",
];

export const URGENT_NOTES: Partial<Record<FormKind, readonly string[]>> = {
  financial: ["Urgent: bailiffs, eviction, disconnection or court. Passing to Citizens Advice as a priority."],
  psychological: ["Urgent: safety answer was 'at risk'. A practitioner is calling today to agree a safety plan."],
  general: ["Urgent: contact today."],
};

export const FIRST_CONTACT: Record<FormKind, readonly string[]> = {
  financial: [
    "thank you for getting in touch. I have passed your request to a Citizens Advice adviser, who will call you to go through your situation. If anything changes before then, reply here.",
    "a Citizens Advice adviser will call you this week. It helps to have any letters about your debts or bills to hand.",
  ],
  psychological: [
    "thank you for reaching out. A practitioner from the hub would like to arrange an assessment call with you. Please reply with two or three times that suit you this week.",
    "I have booked you an assessment call with one of our practitioners. They will call you at the time you gave us.",
  ],
  physiotherapy: [
    "I have booked you a telephone assessment with one of our physiotherapists. They will call you at the time you gave us. If that no longer works, reply here.",
    "a physiotherapist will call you in the next few days to assess you and agree a plan.",
  ],
  flexible_working: [
    "thank you for your request. I would like to talk through the options with you before it goes to your manager. I will call you this week.",
    "I have read your request. Before it goes to your manager, could we have a short call about the pattern you want and how the team could cover it?",
  ],
  retire_return: [
    "thank you for getting in touch. Before we talk, please ask NHS Pensions for an up-to-date estimate, so we can look at your own figures together.",
    "I would like to arrange a call to talk through partial retirement, retire and return and the reservist bank. When suits you?",
  ],
  general: [
    "thank you for your request. I will call you this week to talk about what would help.",
    "thank you for getting in touch. I have put you in touch with the right team, and I will call you to arrange a first conversation.",
  ],
};

export const WAITING_MESSAGES = [
  "I tried to call you today but could not get through. Please reply with a time that suits you, or a different number.",
  "could you tell us which days you are free next week? Then we can book your appointment.",
  "we need a little more information before we can go further. Could you reply with your contracted hours and your usual shift pattern?",
];

export const STAFF_REPLIES = [
  "Thanks. Tuesday or Thursday afternoon works best for me.",
  "Sorry I missed your call, I was on shift. Any time after 3pm is fine.",
  "Thank you. I am on nights this week, so mornings are not good. Friday would be fine.",
  "Thanks for getting back to me so quickly. Email is easiest for me at the moment.",
  "That is really helpful, thank you.",
];

export const REFERRAL_MESSAGES: Record<FormKind, readonly string[]> = {
  financial: [
    "I have referred you to the Citizens Advice debt team, who can help you set up a plan with your creditors. They will contact you directly.",
    "Citizens Advice have referred you to the local housing advice service, who will contact you this week.",
  ],
  psychological: [
    "After your assessment, the practitioner has referred you to the talking therapies service for a course of sessions. They will write to you with your first appointment.",
    "The hub has referred you to a specialist trauma service. They will contact you with an appointment.",
  ],
  physiotherapy: [
    "The physiotherapist has referred you for a face-to-face assessment at the staff physiotherapy clinic.",
    "The physiotherapist has referred you to your GP for a scan. They will send the details to you.",
  ],
  flexible_working: [
    "I have sent your request to your manager with our notes. They must talk with you before they make a decision, and you will get a decision, including any appeal, within 2 months.",
  ],
  retire_return: [
    "I have referred you to your pensions team, who will prepare your figures and talk you through the forms.",
    "I have passed your details to the reservist bank team, who will contact you about the next induction.",
  ],
  general: [
    "I have put you in touch with the right team, who will contact you directly.",
    "I have referred you on. You should hear from them within 2 weeks.",
  ],
};

export const CLOSING_MESSAGES: Record<FormKind, readonly string[]> = {
  financial: [
    "Your Citizens Advice adviser has helped you set up a payment plan with your creditors, so I am closing this request now.",
    "You have had your benefits check and made your claim, so I am closing this request now.",
  ],
  psychological: [
    "You have finished your sessions with the hub, so I am closing this request now. If things get harder again, please ask for help.",
    "You told us the sessions have helped and you feel able to manage for now, so I am closing this request.",
  ],
  physiotherapy: [
    "The physiotherapist has discharged you with a home exercise plan, so I am closing this request now.",
    "You have finished your course of physiotherapy, so I am closing this request now.",
  ],
  flexible_working: [
    "Your manager has agreed your new working pattern, so I am closing this request now.",
    "Your manager could not agree the pattern you asked for, but has agreed a 3-month trial of set shifts. I am closing this request now.",
  ],
  retire_return: [
    "You have agreed a partial retirement date with your employer, so I am closing this request now.",
    "You have joined the reservist bank, so I am closing this request now.",
  ],
  general: [
    "We have given you the information and contacts you asked for, so I am closing this request now.",
    "You are now getting the support you asked for, so I am closing this request now.",
  ],
};

export const CLOSING_FOOTER = "You can ask for support again at any time.";

export const WITHDRAW_REASONS = ["I have sorted this out myself, thank you.", "I no longer need this.", "I have got help elsewhere."];

export const PHONE_NOTES = [
  "Agreed to book an assessment for next week.",
  "Happy to be contacted by email from now on.",
  "Sent the information we talked about by email after the call.",
];

export const NO_RESPONSE_MESSAGES = [
  "we have not heard back from you, so we are closing this request for now.",
  "we have tried to get in touch a few times without reaching you, so we are closing this request for now.",
];

export const DECLINE_REPLIES = [
  "Thank you, but I have decided not to go ahead for now.",
  "Things have settled down, so I do not need this any more. Thank you for your help.",
  "I have talked it over at home and I would rather not take this further at the moment.",
];

export const NOT_ELIGIBLE_MESSAGES: Record<FormKind, readonly string[]> = {
  financial: [
    "Citizens Advice have looked at your situation. The grant you asked about is only for people on a lower income, so you cannot get it, but I have sent you details of the other help they talked about.",
  ],
  psychological: [
    "after your assessment, the practitioner thinks you need longer-term specialist support than the hub can give. Please see your GP, who can refer you. I have sent you a letter to take with you.",
  ],
  physiotherapy: [
    "the staff physiotherapy service cannot treat this, as it needs a specialist assessment. Please see your GP, who can refer you to the right clinic.",
  ],
  flexible_working: [
    "you already have an agreed flexible working arrangement that started less than a year ago, so your employer's policy asks you to wait before making a new request. I have sent you the policy and what you can do in the meantime.",
  ],
  retire_return: [
    "your pension scheme does not let you take partial retirement yet, as you are under the minimum age. I have sent you the NHS Pensions guidance so you can plan ahead.",
  ],
  general: [
    "we have looked at your request, and unfortunately this support is not available for your role. I have sent you details of other support you may be able to get.",
  ],
};

export const REFERRED_ON_CLOSING: Record<FormKind, readonly string[]> = {
  financial: ["Citizens Advice are now helping you directly, so I am closing this request now."],
  psychological: ["You are now seeing the service we referred you to, so I am closing this request now. If things get harder again, please ask for help."],
  physiotherapy: ["You are now being seen by the service we referred you to, so I am closing this request now."],
  flexible_working: ["Your request is now with your manager, who will give you their decision, so I am closing this request now."],
  retire_return: ["The pensions team are now helping you directly, so I am closing this request now."],
  general: ["The team we referred you to are now helping you directly, so I am closing this request now."],
};

export const GOOD_COMMENTS = [
  "Really helpful, thank you. I felt listened to.",
  "Quick to get back to me and very kind.",
  "I did not know this support existed. Thank you.",
  "It made a real difference at a hard time.",
  "Easy to ask, and I got a call within a couple of days.",
];

export const MIDDLING_COMMENTS = [
  "Helpful in the end, but it took a while to get going.",
  "OK, but I had to explain things more than once.",
];

export const POOR_COMMENTS = [
  "I waited longer than I expected for a first call.",
  "It was not really what I needed.",
  "I found it hard to get hold of anyone.",
];
