// The support catalogue the demo starts with. Administrators change offers in the app; the seed
// only inserts offers that are missing (by slug) and never overwrites one.
// Written in the NHS.UK content style: plain English, short sentences, "you".
// whatHappensNext never gives the first-contact target: the offer page and the confirmation state
// it once, from firstContactTargetDays (which administrators set). Because offers are never
// overwritten, a change to a text here reaches fresh databases only; an existing one keeps its own.
import type { NewSupportOffer } from "../schema";

export type SeedOffer = Omit<NewSupportOffer, "id" | "createdAt" | "updatedAt" | "teamId">;

export const OFFER_CATEGORIES = [
  "Money and housing",
  "Mental health and wellbeing",
  "Physical health",
  "Working life and flexibility",
  "Retirement and pensions",
  "Starting out and career",
  "Community and networks",
] as const;

export type OfferCategory = (typeof OFFER_CATEGORIES)[number];

/** The offers with their own request forms; other code relies on these slugs. */
export const CORE_OFFER_SLUGS = [
  "financial-wellbeing",
  "psychological-wellbeing-hub",
  "physiotherapy",
  "flexible-working",
  "retire-and-return",
  "thinking-of-leaving",
] as const;

type Offer = SeedOffer & { category: OfferCategory };

const p = (...paragraphs: string[]) => paragraphs.join("\n\n");

export const SEED_OFFERS: readonly Offer[] = [
  {
    // Stay conversations (issue 13, part 1; docs/decisions/034-stay-conversations.md). Confidential:
    // an employer must never learn from StayWell that someone is thinking of leaving.
    slug: "thinking-of-leaving",
    title: "Thinking about leaving? Talk to us first",
    category: "Working life and flexibility",
    summary:
      "If you are thinking about leaving your job, talk to us in confidence first. There may be a way to make it work, or a better move for you.",
    keywords:
      "leaving, leave, resign, resigning, resignation, quit, quitting, notice, hand in my notice, handing in my notice, new job, stay conversation, retention, thinking of leaving",
    body: p(
      "Many people leave health and care because of workload, hours, money, health or a lack of development, when a change could have helped them stay. Before you decide, talk to the Retention and careers team.",
      "We will listen to what is making you think about leaving and talk through what might help: flexible working, a change of team or role, a move to another organisation in Staffordshire and Stoke-on-Trent, development or a career pathway, retire and return, or support with health, money or caring.",
      "This is confidential. Your employer and your manager are not told that you have talked to us, unless you ask us to involve your manager. If you decide to leave, that is your decision, and we will help you leave well.",
    ),
    whoFor:
      "Anyone who works for a partner organisation in the ICS and is thinking about leaving their job, their organisation or health and care.",
    provider: "ICS Retention and careers team",
    whatHappensNext:
      "Someone from the Retention and careers team will contact you in the way you asked. Only that team can see what you tell us. Your manager is not told unless you agree.",
    firstContactTargetDays: 3,
    sensitive: true,
    formKind: "thinking_of_leaving",
    active: true,
    sortOrder: 0,
  },
  {
    slug: "financial-wellbeing",
    title: "Money advice from Citizens Advice",
    category: "Money and housing",
    summary: "Free, confidential advice on debt, benefits, housing costs, budgeting and the cost of living.",
    keywords:
      "money, bills, debt, cost of living, rent, mortgage, loan, bailiffs, benefits, budget, energy bills, council tax",
    body: p(
      "If you are worried about money, you are not alone. Citizens Advice advisers work with health and care staff across Staffordshire and Stoke-on-Trent.",
      "They can help you deal with debts, check which benefits or tax credits you can get, talk to your landlord or lender, and make a budget that works for you. They can also help with energy bills and council tax.",
      "Tell us if bailiffs have been in touch, you have been told you will be evicted, your gas, electricity or water may be cut off, or you have a court date. We will get you help first.",
      "The advice is free and independent. Your employer is not told that you asked for help.",
    ),
    whoFor:
      "Anyone who works for a partner organisation in the ICS, including social care, GP practice and bank staff.",
    provider: "Citizens Advice",
    whatHappensNext:
      "A Citizens Advice adviser will contact you in the way you asked. If you told us about bailiffs, eviction, disconnection or a court date, they will contact you sooner.",
    firstContactTargetDays: 5,
    sensitive: false,
    formKind: "financial",
    active: true,
    sortOrder: 10,
  },
  {
    slug: "psychological-wellbeing-hub",
    title: "Psychological wellbeing hub",
    category: "Mental health and wellbeing",
    summary: "Quick, confidential help if you are feeling stressed, anxious, low or finding it hard to cope.",
    keywords:
      "anxiety, stress, burnout, depression, low mood, panic, worry, trauma, grief, bereavement, mental health, counselling, talking therapy",
    body: p(
      "The hub is a free, confidential service for health and care staff. A psychological practitioner will talk with you about what is happening and what would help.",
      "This could be a few sessions of talking therapy, a group, self-help you can do at your own pace, or a referral to a specialist service. You do not need to see your GP first.",
      "If you feel you may harm yourself or you are not safe, do not wait for us. Call NHS 111 and choose option 2 for mental health, call Samaritans free on 116 123, or text SHOUT to 85258. In an emergency, call 999.",
    ),
    whoFor: "Anyone who works for a partner organisation in the ICS, whether you are at work or off sick.",
    provider: "ICS staff psychological wellbeing hub",
    whatHappensNext:
      "A practitioner from the hub will contact you to arrange an assessment. Only the hub team can see what you tell us. Your manager is not told unless you agree.",
    firstContactTargetDays: 2,
    sensitive: true,
    formKind: "psychological",
    active: true,
    sortOrder: 10,
  },
  {
    slug: "physiotherapy",
    title: "Fast-track physiotherapy",
    category: "Physical health",
    summary: "Quick access to a physiotherapist if you have pain or an injury in your back, joints or muscles.",
    keywords: "MSK, musculoskeletal, back pain, neck pain, injury, sprain, strain, joint pain, muscle",
    body: p(
      "Back, neck and joint problems are one of the main reasons health and care staff take time off. Getting help early can stop a problem getting worse.",
      "A physiotherapist will assess you by phone or video and then, if you need it, see you face to face. They will give you exercises and advice, and can suggest changes at work that help you recover.",
      "You can ask for help whether you are at work, working with difficulty or off sick. You do not need a referral from your GP.",
    ),
    whoFor: "Anyone who works for a partner organisation in the ICS with a muscle, joint or back problem.",
    provider: "Staff physiotherapy service",
    whatHappensNext:
      "A physiotherapist will contact you to book your first assessment. What you tell them stays with the physiotherapy team unless you agree to share it.",
    firstContactTargetDays: 3,
    sensitive: true,
    formKind: "physiotherapy",
    active: true,
    sortOrder: 10,
  },
  {
    slug: "occupational-health",
    title: "Occupational health",
    category: "Physical health",
    summary:
      "Confidential advice on your health and your work, such as returning after illness or changes that help you stay in work.",
    keywords: "sickness absence, return to work, phased return, reasonable adjustments, health at work, fit note",
    body: p(
      "Occupational health clinicians look at how your health affects your work, and how your work affects your health.",
      "They can advise on returning to work after illness or injury, adjustments for a long-term condition or disability, vaccinations, and health problems caused by your work.",
      "Nothing about your health is shared with your employer without your informed consent. You will see any report before it is sent, and you can change your mind.",
    ),
    whoFor:
      "Anyone who works for a partner organisation in the ICS. You can ask yourself; you do not need your manager to refer you.",
    provider: "Occupational health service",
    whatHappensNext:
      "An occupational health adviser will contact you to talk about what you need and, if it helps, book an appointment.",
    firstContactTargetDays: 5,
    sensitive: true,
    formKind: "general",
    active: true,
    sortOrder: 20,
  },
  {
    slug: "menopause-support",
    title: "Menopause support",
    category: "Physical health",
    summary: "Advice and practical changes at work if menopause symptoms are affecting you.",
    keywords: "menopause, perimenopause, hot flushes, HRT",
    body: p(
      "Menopause and perimenopause can cause hot flushes, poor sleep, low mood and problems with memory and concentration. You do not have to put up with it on your own.",
      "We can talk with you about changes that help at work, such as cooler uniforms, a fan, breaks when you need them or a different shift pattern. We can also point you to a GP or a menopause clinic.",
      "There is a menopause peer support group in each partner organisation. You can join without telling your manager.",
    ),
    whoFor: "Anyone affected by menopause or perimenopause, and managers who want to support someone in their team.",
    provider: "People hub menopause advisers",
    whatHappensNext:
      "A menopause adviser will contact you. What you tell us stays with the advisers unless you agree to share it.",
    firstContactTargetDays: 5,
    sensitive: true,
    formKind: "general",
    active: true,
    sortOrder: 30,
  },
  {
    slug: "clinical-supervision",
    title: "Clinical and restorative supervision",
    category: "Mental health and wellbeing",
    summary: "Regular protected time with a trained supervisor to reflect on your work and look after yourself.",
    keywords: "reflective practice, debrief, restorative supervision, difficult shift, compassion fatigue",
    body: p(
      "Supervision gives you time away from the busy day to talk through difficult situations, think about your practice and notice how work is affecting you.",
      "Restorative supervision is led by trained professional nurse advocates and other trained supervisors. It can be one to one or in a small group.",
      "We can help you find a supervisor outside your own team if you would prefer that.",
    ),
    whoFor: "Registered and unregistered clinical staff, and social care staff, in any partner organisation.",
    provider: "Professional nurse advocates and trained supervisors across the ICS",
    whatHappensNext: "We will contact you to match you with a supervisor and arrange your first session.",
    firstContactTargetDays: 10,
    sensitive: false,
    formKind: "general",
    active: true,
    sortOrder: 20,
  },
  {
    slug: "flexible-working",
    title: "Flexible working and shift patterns",
    category: "Working life and flexibility",
    summary: "Ask to change your hours, days, shift pattern or where you work.",
    keywords:
      "nights, shifts, rota, hours, part time, compressed hours, term time, self-rostering, work-life balance, thinking of leaving",
    body: p(
      "You have the right to ask for flexible working from your first day. Under NHS terms and conditions (Section 33) there is no limit on how many requests you can make.",
      "Flexible working can mean fewer hours, compressed hours, set shifts, self-rostering, term-time working, job sharing or working some of the time from home.",
      "Your employer must talk with you before they refuse a request. They must give you a decision, including any appeal, within 2 months of receiving it, unless you both agree to take longer.",
      "We can help you think about what would work for you and your team, and help you write your request.",
    ),
    whoFor: "Anyone who works for a partner organisation in the ICS, from their first day.",
    provider: "Your employer, supported by the people hub",
    whatHappensNext:
      "The people hub will contact you to help you think about what would work and write your request. Nothing reaches your manager unless you agree. When you are ready, you send your request to your manager, because your employer makes the decision.",
    firstContactTargetDays: 10,
    sensitive: false,
    formKind: "flexible_working",
    active: true,
    sortOrder: 10,
  },
  {
    slug: "carers-support",
    title: "Support if you are a carer",
    category: "Working life and flexibility",
    summary: "Help to balance work with looking after someone, including carers' leave and flexible working.",
    keywords: "childcare, caring, looking after someone, carer's leave, dependants, school run",
    body: p(
      "If you look after a family member or friend who is ill, disabled, older or has a mental health problem, you are a carer.",
      "You can get up to 1 week of unpaid carer's leave each year, and you can ask for flexible working. Many partner organisations also have a carer's passport, so you do not have to explain your situation again each time your manager changes.",
      "We can help you with a carer's passport, tell you about local carers' services and carer's assessments, and put you in touch with other staff who are carers.",
    ),
    whoFor: "Anyone who works for a partner organisation in the ICS and looks after someone.",
    provider: "People hub, with local carers' services",
    whatHappensNext: "Someone from the people hub will contact you to talk about what would help.",
    firstContactTargetDays: 5,
    sensitive: false,
    formKind: "general",
    active: true,
    sortOrder: 20,
  },
  {
    slug: "retire-and-return",
    title: "Retire and return, partial retirement and the reservist bank",
    category: "Retirement and pensions",
    summary: "Find out how to take some or all of your NHS pension and keep working in a way that suits you.",
    keywords: "pension, retire, retirement, partial retirement, reservist, wind down, thinking of leaving",
    body: p(
      "Partial retirement lets you take some of your NHS pension and keep working. You must have reached the minimum pension age of 55. You can take between 20% and 100% of your benefits. Your pensionable pay must go down by at least 10% for 12 months. You can do this at most twice.",
      "Retire and return means you take your pension and come back to work. You need a break of at least 24 hours before you return. The old rule that limited you to 16 hours a week in the first month no longer applies in England.",
      "The reservist bank is for people who want to stay involved on their own terms. Reservists usually commit to about 30 days a year, and help when services are under most pressure.",
      "We can talk you through your options and put you in touch with your pensions team. Pension rules depend on your scheme section, so we will always check your own figures before you decide.",
    ),
    whoFor: "Staff who are thinking about retirement, and retired staff who want to come back.",
    provider: "People hub, with your employer's pensions team and NHS Pensions",
    whatHappensNext:
      "An adviser will contact you to arrange a conversation about your options. Nothing is agreed until you have seen your own pension figures.",
    firstContactTargetDays: 10,
    sensitive: false,
    formKind: "retire_return",
    active: true,
    sortOrder: 10,
  },
  {
    slug: "new-starter-support",
    title: "New starter support and preceptorship",
    category: "Starting out and career",
    summary:
      "A named person to help you settle in during your first year, and preceptorship if you are newly qualified.",
    keywords: "new job, induction, first year, newly qualified, preceptee, settling in",
    body: p(
      "Starting a new job is hard, especially in a busy service. We can give you a named pastoral contact outside your line management who checks in with you during your first year.",
      "If you are a newly registered nurse, midwife, nursing associate or allied health professional, you should also have a preceptorship. This is a structured period of support with protected learning time.",
      "We can help if you have not been given a preceptor, if you are thinking of leaving, or if you just want someone to talk to.",
    ),
    whoFor:
      "Anyone in their first year in a new role in a partner organisation, including international recruits and newly qualified staff.",
    provider: "People hub pastoral team and preceptorship leads",
    whatHappensNext: "Your pastoral contact will get in touch to arrange a first conversation.",
    firstContactTargetDays: 5,
    sensitive: false,
    formKind: "general",
    active: true,
    sortOrder: 10,
  },
  {
    slug: "career-pathways",
    title: "Career pathways and apprenticeships",
    category: "Starting out and career",
    summary: "Plan your next step in health or social care, including apprenticeships you can do while you earn.",
    keywords: "promotion, next step, apprenticeship, career change, progression, development, thinking of leaving",
    body: p(
      "There are many ways to progress without leaving your job. You could become a nursing associate or registered nurse through an apprenticeship, move into an allied health profession, or take on a senior role in social care.",
      "A careers adviser will talk with you about what you want, what you would need, and how to fit it around your life. They can also tell you about roles in other partner organisations.",
      "Apprenticeships are funded, so you will not pay course fees, and you are paid while you learn.",
    ),
    whoFor: "Anyone who works in health or social care in Staffordshire and Stoke-on-Trent, in any role.",
    provider: "ICS careers and apprenticeships team",
    whatHappensNext: "A careers adviser will contact you to arrange a conversation.",
    firstContactTargetDays: 10,
    sensitive: false,
    formKind: "general",
    active: true,
    sortOrder: 20,
  },
  {
    slug: "education-training-funding",
    title: "Funding for education and training",
    category: "Starting out and career",
    summary: "Ask for help paying for a course, qualification or conference that supports your work.",
    keywords: "course, qualification, conference, study leave, CPD, training",
    body: p(
      "You may be able to get funding for courses, qualifications, modules and conferences. This includes continuing professional development money for registered nurses, midwives and allied health professionals.",
      "Tell us what you want to study, why it would help you in your work, and what it costs. We will check which funds you can apply to and help you with the application.",
      "Funding is limited, so we cannot promise to pay for every course. We will always explain our decision.",
    ),
    whoFor: "Anyone who works for a partner organisation in the ICS, in any role.",
    provider: "ICS education and training team",
    whatHappensNext: "Someone from the education team will contact you about the funding you may be able to get.",
    firstContactTargetDays: 10,
    sensitive: false,
    formKind: "general",
    active: true,
    sortOrder: 30,
  },
  {
    slug: "staff-networks",
    title: "Staff networks",
    category: "Community and networks",
    summary: "Meet colleagues who share your experience, and help make work better for people like you.",
    keywords: "race equality, disability, LGBTQ+, women's network, armed forces, peer support",
    body: p(
      "Staff networks bring people together across the ICS. There are networks for ethnic minority staff, disabled staff and staff with long-term conditions, LGBTQ+ staff, women, internationally educated staff, armed forces veterans, and staff who are carers.",
      "Networks offer peer support, a safe space to talk, and a voice with senior leaders. You can join one or more, and you can join without telling your manager.",
      "Tell us which networks you are interested in and we will put you in touch with the chair.",
    ),
    whoFor: "Anyone who works for a partner organisation in the ICS. Allies are welcome in most networks.",
    provider: "ICS staff network chairs",
    whatHappensNext: "A network chair will contact you to welcome you and tell you about the next meeting.",
    firstContactTargetDays: 10,
    sensitive: false,
    formKind: "general",
    active: true,
    sortOrder: 10,
  },
];
