// What generated requests say, for both demo data sets (db/seed.ts and db/scale.ts): answers by
// form kind, contact times and satisfaction comments.

export const CONTACT_TIMES = [
  "Weekday mornings",
  "After 4pm",
  "Lunchtime, 12 to 1",
  "Not before 11am, I work nights",
  "Any time on Wednesdays (my day off)",
  "Tuesday or Thursday afternoons",
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

/** Stay conversations (thinking-of-leaving): what people add in their own words. */
export const STAY_DETAILS = [
  "I love the job but the rota makes it impossible to plan childcare.",
  "I have been offered a job outside the NHS that pays more. I would rather stay if I could.",
  "Since the team changed I dread coming in. I have not told my manager.",
  "I am 58 and tired of nights. I would stay longer on fewer hours.",
  "I have been in the same band for six years and cannot see a way up here.",
  "My partner is moving for work, so I need something nearer Stafford.",
];
