// The demo seed's own word lists: what the hub and the person write in a request's history.
// Staff groups, job titles, answers and comments shared with the scale seed are in db/seed-data/.
import type { FormKind, Organisation } from "../schema";

export const ENGAGEMENT: Record<Organisation["type"], number> = {
  nhs_trust: 1,
  council: 0.8,
  care_provider: 0.5,
  gp_practice: 0.8,
  icb: 1.2,
};

export const FINANCIAL_DETAILS = [
  "My rent has gone up by £150 a month and I am behind with my council tax.",
  "I have two credit cards and a loan, and the payments take most of my wages.",
  "My partner lost their job and we are struggling with the energy bills.",
  "I would like to check if I can get any help with childcare costs or Universal Credit.",
  "I work bank shifts and my pay changes every month, so I find it hard to budget.",
  "I have had a letter about a court date for an old debt and I do not know what to do.",
  "My landlord is selling the house and I cannot afford a deposit for somewhere new.",
];

export const PHYSIO_DETAILS = [
  "It started after moving a patient on a night shift.",
  "Pain down my leg when I sit for long, which is most of my day at the desk.",
  "I hurt it lifting boxes in the stores and it has not got better.",
  "It is worse at the end of a long day on my feet.",
  "I have had this before and the exercises helped, but it has come back.",
  "Driving between home visits makes it much worse.",
];

export const RETIRE_DETAILS = [
  "I am 58 and would like to drop to 3 days a week but keep my role.",
  "I want to retire in the summer and come back on the bank.",
  "I am not sure which section I am in. I joined in 1992 and had a break in service.",
  "I would like to keep teaching students after I retire.",
  "I am interested in the reservist bank but I want to know what the commitment is.",
];

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
  thinking_of_leaving: [
    "thank you for telling us. Nothing you have told us goes to your manager or your employer unless you want it to. I would like to arrange a conversation about what would help you stay: when suits you?",
    "thank you for getting in touch before making a decision. I will call you this week to talk through your options, including flexible working and roles in other partner organisations.",
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
  thinking_of_leaving: [
    "As we agreed, I have put you in touch with the careers team, who can tell you about roles in other partner organisations.",
    "As we agreed, I have referred you to the flexible working team, who will help you write your request.",
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
  thinking_of_leaving: [
    "Thank you for talking with us. You have agreed a move to a new role, so I am closing this request now.",
    "Thank you for talking with us. You have decided what to do next, so I am closing this request now.",
  ],
};

export const CLOSING_FOOTER = "You can ask for support again at any time.";

export const WITHDRAW_REASONS = [
  "I have sorted this out myself, thank you.",
  "I no longer need this.",
  "I have got help elsewhere.",
];

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
  thinking_of_leaving: [
    "your employer is not one of the partner organisations in the ICS, so we cannot arrange a move for you, but I have sent you details of the NHS careers service.",
  ],
};

export const REFERRED_ON_CLOSING: Record<FormKind, readonly string[]> = {
  financial: ["Citizens Advice are now helping you directly, so I am closing this request now."],
  psychological: [
    "You are now seeing the service we referred you to, so I am closing this request now. If things get harder again, please ask for help.",
  ],
  physiotherapy: ["You are now being seen by the service we referred you to, so I am closing this request now."],
  flexible_working: [
    "Your request is now with your manager, who will give you their decision, so I am closing this request now.",
  ],
  retire_return: ["The pensions team are now helping you directly, so I am closing this request now."],
  general: ["The team we referred you to are now helping you directly, so I am closing this request now."],
  thinking_of_leaving: [
    "The team we put you in touch with are now helping you directly, so I am closing this request now.",
  ],
};
