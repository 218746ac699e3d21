// Ready-made messages coordinators can start from when they write to a person (the hub's "canned
// responses"), per offer. The seed inserts them only for an offer that has none yet, so responses
// an administrator has edited or removed are never touched.
// NHS.UK content style: plain English, short sentences, "you"; warm, and never promising what the
// service cannot do. They are starting points: the coordinator adds the person's name and details.

export interface SeedCannedResponse {
  title: string;
  body: string;
}

const p = (...paragraphs: string[]) => paragraphs.join("\n\n");

/** The five core offers' own responses. */
export const CANNED_RESPONSES: Readonly<Record<string, readonly SeedCannedResponse[]>> = {
  "financial-wellbeing": [
    {
      title: "Passed to Citizens Advice",
      body: p(
        "Thank you for getting in touch. We have passed your request to Citizens Advice, and an adviser will call you within 5 working days to go through your situation.",
        "It helps to have any letters about your bills or debts to hand when they call. If anything changes before then, reply here.",
      ),
    },
    {
      title: "Urgent: bailiffs, eviction, disconnection or court",
      body: p(
        "Thank you for telling us. Because your situation is urgent, we have asked Citizens Advice to call you as a priority, today or on the next working day.",
        "If you have a court date or bailiffs are due, tell the adviser straight away. If you cannot talk when they call, reply here with a better time.",
      ),
    },
    {
      title: "Benefits check booked",
      body: p(
        "We have booked you a benefits check with Citizens Advice. The adviser will look at whether you can get help with things like Universal Credit, council tax or childcare costs.",
        "Please have your last 2 payslips and any award letters ready for the call.",
      ),
    },
  ],
  "psychological-wellbeing-hub": [
    {
      title: "Thank you for reaching out",
      body: p(
        "Thank you for reaching out. We know it can take a lot to ask for help. A practitioner from the hub will call you within 2 working days to talk about how you are feeling and what might help.",
        "If you would like us to call at a particular time, reply here.",
        "If you feel unsafe at any time, call 999, or call NHS 111 and choose the option for mental health.",
      ),
    },
    {
      title: "Assessment call booked",
      body: p(
        "We have booked your assessment call with one of our practitioners. They will call you at the time you gave us, from a withheld number.",
        "The call usually takes about 45 minutes, so if you can, find somewhere quiet and private.",
      ),
    },
    {
      title: "We tried to call you",
      body: p(
        "We tried to call you today but could not get through. We did not leave a detailed message, to protect your privacy.",
        "Please reply here with 2 or 3 times that suit you this week, and we will call you then.",
      ),
    },
  ],
  physiotherapy: [
    {
      title: "Please book your assessment",
      body: p(
        "Thank you for your request. Please book your assessment with the staff physiotherapy service: reply here with 2 or 3 times that suit you and we will book it for you.",
        "The first appointment is usually a phone call of about 30 minutes.",
      ),
    },
    {
      title: "Telephone assessment booked",
      body: p(
        "We have booked you a telephone assessment with one of our physiotherapists. They will call you at the time you gave us.",
        "Wear something comfortable, as they may ask you to try a few movements. If the time no longer works, reply here.",
      ),
    },
    {
      title: "While you wait",
      body: p(
        "While you wait for your appointment, try to keep moving as normally as you can. Gentle activity usually helps more than rest.",
        "If your pain gets much worse, or you get numbness, weakness, or problems peeing or pooing, call NHS 111 or go to A&E.",
      ),
    },
  ],
  "flexible-working": [
    {
      title: "Request received",
      body: p(
        "Thank you for your flexible working request. We will talk it through with you before it goes to your manager, so that it has the best chance of working for you and your team.",
        "Your employer must give you a decision, including any appeal, within 2 months of receiving your request.",
      ),
    },
    {
      title: "Can we talk it through?",
      body: "Could we have a short call about the working pattern you would like and how the team could cover it? Please reply with a time that suits you this week.",
    },
    {
      title: "Sent to your manager",
      body: p(
        "We have sent your request to your manager with our notes. They must talk with you about it before they decide.",
        "If they cannot agree to it, they must tell you why, and you can appeal.",
      ),
    },
  ],
  "retire-and-return": [
    {
      title: "Ask for a pension estimate",
      body: p(
        "Thank you for getting in touch. Before we talk, please ask for an up-to-date estimate of your NHS Pension, from your Total Reward Statement or your pensions team.",
        "Then we can look at your own figures together.",
      ),
    },
    {
      title: "Options call",
      body: "We would like to arrange a call to talk through partial retirement, retiring and returning, and the reservist bank. Please reply with a time that suits you.",
    },
  ],
};

/** For the other offers: a short acknowledgement (with the offer's own target) and a call request. */
export function genericCannedResponses(firstContactTargetDays: number): SeedCannedResponse[] {
  const days = firstContactTargetDays === 1 ? "1 working day" : `${firstContactTargetDays} working days`;
  return [
    {
      title: "Thank you, we will be in touch",
      body: `Thank you for your request. We have passed it to the right person in the team, and they will contact you within ${days}. If anything changes before then, reply here.`,
    },
    {
      title: "Can we arrange a call?",
      body: "Thank you for getting in touch. We would like to have a short call to understand what would help you most. Please reply with 2 or 3 times that suit you this week.",
    },
  ];
}

/** The responses the seed gives an offer. */
export function cannedResponsesFor(offer: {
  slug: string;
  firstContactTargetDays: number;
}): readonly SeedCannedResponse[] {
  return CANNED_RESPONSES[offer.slug] ?? genericCannedResponses(offer.firstContactTargetDays);
}
