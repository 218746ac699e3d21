import { describe, expect, it } from "vitest";
import { formDataToObject, parseForm } from "~/.server/forms.server";
import {
  answersSchemaFor,
  describeAnswers,
  isUkPhone,
  isUrgent,
  replySchema,
  requestFormSchemaFor,
  todayInEngland,
} from "~/schemas/request-forms";
import type { FormKind } from "@db/schema";

const KEY = "3b241101-e2bb-4255-8caf-4136c566a962";
const common = { contactMethod: "email", submissionKey: KEY };

function nextYear(monthDay = "03-15") {
  return `${Number(todayInEngland().slice(0, 4)) + 1}-${monthDay}`;
}

const good: Record<FormKind, Record<string, unknown>> = {
  financial: { topics: ["debt", "housing"], urgentSituations: ["bailiffs"], details: "Letters from a debt collector" },
  psychological: {
    whatIsHappening: "I cannot sleep and feel overwhelmed at work",
    effectOnWork: "struggling",
    safety: "safe",
  },
  physiotherapy: { bodyArea: "back", duration: "2_to_6_weeks", effectOnWork: "working_with_difficulty" },
  flexible_working: {
    currentPattern: "37.5 hours, Monday to Friday",
    requestedPattern: "30 hours over 4 days",
    requestedStartDate: nextYear(),
    effectOnTeam: "A colleague could pick up Fridays",
    earlierRequests: "none",
  },
  retire_return: {
    pensionSection: "1995",
    intendedDate: nextYear("09-01"),
    interests: ["retire_and_return"],
    hoursPerWeek: 22,
  },
  general: { details: "I would like to talk about career pathways" },
  thinking_of_leaving: {
    leavingReasons: ["work_life_balance", "pay_money"],
    wouldHelpStay: ["move_ics_organisation", "development_career_pathway"],
    howSoon: "just_thinking",
    hubAction: "information_only",
  },
};

/** Messages by field for an input. */
function errorsOf(kind: FormKind, input: Record<string, unknown>) {
  const result = requestFormSchemaFor(kind).safeParse(input);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "_form");
    out[key] ??= issue.message;
  }
  return out;
}

describe("request form schemas: good examples", () => {
  for (const kind of Object.keys(good) as FormKind[]) {
    it(`accepts a good ${kind} request, and accepts its own output again`, () => {
      const parsed = requestFormSchemaFor(kind).parse({ ...good[kind], ...common });
      expect(parsed.contactMethod).toBe("email");
      expect(parsed.consentToShareWithManager).toBe(false);
      const answers = answersSchemaFor(kind).parse(parsed);
      // Re-validation (the model does it) gives the same answers.
      expect(answersSchemaFor(kind).parse(answers)).toEqual(answers);
      expect(answers).not.toHaveProperty("contactMethod");
      expect(answers).not.toHaveProperty("submissionKey");
    });
  }

  it("gives the exact contract shapes", () => {
    expect(answersSchemaFor("financial").parse({ topics: ["debt"], urgentSituations: [] })).toEqual({
      topics: ["debt"],
      urgentSituations: [],
      details: undefined,
    });
    const retire = answersSchemaFor("retire_return").parse({ ...good.retire_return, hoursPerWeek: "22" });
    expect(retire.hoursPerWeek).toBe(22);
    const flexible = answersSchemaFor("flexible_working").parse({
      ...good.flexible_working,
      requestedStartDate: `${nextYear().slice(0, 4)}-3-5`,
    });
    expect(flexible.requestedStartDate).toBe(`${nextYear().slice(0, 4)}-03-05`);
  });
});

describe("request form schemas: messages", () => {
  it("asks for every required answer in NHS.UK words", () => {
    expect(errorsOf("financial", { ...common })).toMatchObject({ topics: "Select what you would like advice about" });
    expect(errorsOf("psychological", { ...common })).toMatchObject({
      whatIsHappening: "Enter what is happening for you",
      effectOnWork: "Select how this is affecting your work",
      safety: "Select whether you feel safe at the moment",
    });
    expect(errorsOf("physiotherapy", { ...common })).toMatchObject({
      bodyArea: "Select where the problem is",
      duration: "Select how long you have had the problem",
      effectOnWork: "Select how the problem is affecting your work",
    });
    expect(errorsOf("flexible_working", { ...common })).toMatchObject({
      currentPattern: "Enter your current working pattern",
      requestedPattern: "Enter the working pattern you would like",
      requestedStartDate: "Enter the date you would like the new pattern to start",
      effectOnTeam: "Enter how the change might affect your team and how it could be managed",
      earlierRequests: "Select how many flexible working requests you have made in the last 12 months",
    });
    expect(errorsOf("retire_return", { ...common })).toMatchObject({
      pensionSection: "Select which NHS Pension Scheme section you are in",
      intendedDate: "Enter the date you intend to retire or make the change",
      interests: "Select what you are interested in",
    });
    expect(errorsOf("general", { ...common })).toMatchObject({ details: "Enter what you would like help with" });
    expect(errorsOf("general", { details: "x" })).toMatchObject({
      contactMethod: "Select how you would like us to contact you",
      submissionKey: "This form has expired. Reload the page and try again",
    });
  });

  it("treats blank text as missing and trims", () => {
    expect(errorsOf("general", { ...common, details: "   \n  " })).toEqual({
      details: "Enter what you would like help with",
    });
    expect(requestFormSchemaFor("general").parse({ ...common, details: "  hello  " }).details).toBe("hello");
  });

  it("says when text is too long", () => {
    expect(errorsOf("general", { ...common, details: "a".repeat(2001) })).toEqual({
      details: "What you would like help with must be 2000 characters or fewer",
    });
    expect(errorsOf("general", { ...common, details: "a".repeat(2000) })).toEqual({});
    expect(
      errorsOf("flexible_working", { ...good.flexible_working, ...common, currentPattern: "a".repeat(1001) }),
    ).toEqual({
      currentPattern: "Your current working pattern must be 1000 characters or fewer",
    });
    expect(errorsOf("general", { ...good.general, ...common, contactTimes: "a".repeat(201) })).toEqual({
      contactTimes: "The best times to contact you must be 200 characters or fewer",
    });
  });

  it("needs a UK phone number when phone is chosen, and only then", () => {
    expect(errorsOf("general", { ...good.general, ...common, contactMethod: "phone" })).toEqual({
      contactPhone: "Enter a phone number",
    });
    expect(errorsOf("general", { ...good.general, ...common, contactMethod: "phone", contactPhone: "12345" })).toEqual({
      contactPhone: "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
    });
    expect(
      errorsOf("general", { ...good.general, ...common, contactMethod: "phone", contactPhone: "07700 900 982" }),
    ).toEqual({});
    expect(
      errorsOf("general", { ...good.general, ...common, contactMethod: "email", contactPhone: "not a number" }),
    ).toEqual({});
    expect(isUkPhone("+44 (0)1632 960001".replace("(0)", ""))).toBe(true);
    expect(isUkPhone("01632 960 001")).toBe(true);
    expect(isUkPhone("+1 202 555 0100")).toBe(false);
  });

  it("checks dates: real, complete, not in the past", () => {
    const base = { ...good.flexible_working, ...common };
    const year = nextYear().slice(0, 4);
    expect(errorsOf("flexible_working", { ...base, requestedStartDate: "2001-01-01" })).toEqual({
      requestedStartDate: "The start date must be today or in the future",
    });
    expect(errorsOf("flexible_working", { ...base, requestedStartDate: `${year}-02-30` })).toEqual({
      requestedStartDate: "The start date must be a real date",
    });
    expect(errorsOf("flexible_working", { ...base, requestedStartDate: `${year}--05` })).toEqual({
      requestedStartDate: "The start date must include a month",
    });
    expect(errorsOf("flexible_working", { ...base, requestedStartDate: "26-03-05" })).toEqual({
      requestedStartDate: "Year must include 4 numbers",
    });
    expect(errorsOf("flexible_working", { ...base, requestedStartDate: todayInEngland() })).toEqual({});
  });

  it("keeps 'None of these' exclusive and never stores it", () => {
    const base = { ...good.financial, ...common };
    expect(errorsOf("financial", { ...base, urgentSituations: ["none", "eviction"] })).toEqual({
      urgentSituations: "Select the situations that are happening, or select 'None of these', not both",
    });
    const parsed = requestFormSchemaFor("financial").parse({ ...base, urgentSituations: ["none"] });
    expect(parsed.urgentSituations).toEqual([]);
    expect(errorsOf("financial", { ...base, topics: ["debt", "lottery"] })).toEqual({
      topics: "Select what you would like advice about",
    });
  });

  it("checks hours a week", () => {
    const base = { ...good.retire_return, ...common };
    expect(errorsOf("retire_return", { ...base, hoursPerWeek: "0" })).toEqual({
      hoursPerWeek: "Hours a week must be between 1 and 48",
    });
    expect(errorsOf("retire_return", { ...base, hoursPerWeek: "49" })).toEqual({
      hoursPerWeek: "Hours a week must be between 1 and 48",
    });
    expect(errorsOf("retire_return", { ...base, hoursPerWeek: "lots" })).toEqual({
      hoursPerWeek: "Enter the hours a week you would like to work as a number, like 22",
    });
    expect(errorsOf("retire_return", { ...base, hoursPerWeek: "" })).toEqual({});
  });

  it("checks the reply message", () => {
    expect(replySchema.safeParse({ message: " " }).error?.issues[0].message).toBe("Enter your message");
    expect(replySchema.safeParse({ message: "a".repeat(2001) }).error?.issues[0].message).toBe(
      "Your message must be 2000 characters or fewer",
    );
  });
});

describe("urgency and labels", () => {
  it("flags urgent requests", () => {
    expect(isUrgent("financial", { topics: ["debt"], urgentSituations: ["court"] })).toBe(true);
    expect(isUrgent("financial", { topics: ["debt"], urgentSituations: [] })).toBe(false);
    expect(isUrgent("psychological", { safety: "at_risk" })).toBe(true);
    expect(isUrgent("psychological", { safety: "unsure" })).toBe(false);
    expect(isUrgent("physiotherapy", { bodyArea: "back" })).toBe(false);
  });

  it("describes answers with human labels", () => {
    const rows = describeAnswers("retire_return", {
      pensionSection: "2008",
      intendedDate: "2030-09-01",
      interests: ["reservist_bank"],
      hoursPerWeek: 16,
    });
    expect(rows.map((r) => r.answer)).toEqual([
      "2008 section",
      "1 September 2030",
      ["Joining the reservist bank"],
      "16 hours",
      "Not given",
    ]);
  });
});

describe("parseForm", () => {
  it("turns FormData into the schema's shape: arrays, booleans, dates", async () => {
    const fd = new FormData();
    fd.append("topics", "debt");
    fd.append("urgentSituations", "none");
    fd.append("contactMethod", "phone");
    fd.append("contactPhone", "07700 900 982");
    fd.append("consentToShareWithManager", "on");
    fd.append("submissionKey", KEY);
    const parsed = await parseForm(fd, requestFormSchemaFor("financial"));
    expect(parsed).toEqual({
      ok: true,
      data: expect.objectContaining({ topics: ["debt"], urgentSituations: [], consentToShareWithManager: true }),
    });

    const flexible = new FormData();
    flexible.append("requestedStartDate-day", "5");
    flexible.append("requestedStartDate-month", "3");
    flexible.append("requestedStartDate-year", "2030");
    expect(formDataToObject(flexible, requestFormSchemaFor("flexible_working"))).toMatchObject({
      requestedStartDate: "2030-03-05",
      consentToShareWithManager: false,
    });
  });

  it("gives errors by field and the values typed back (never passwords)", async () => {
    const fd = new FormData();
    fd.append("details", "a".repeat(2001));
    fd.append("contactMethod", "phone");
    fd.append("password", "secret");
    const parsed = await parseForm(fd, requestFormSchemaFor("general"));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      details: "What you would like help with must be 2000 characters or fewer",
      contactPhone: "Enter a phone number",
      submissionKey: "This form has expired. Reload the page and try again",
    });
    expect(parsed.values.details).toBe("a".repeat(2001));
    expect(parsed.values).not.toHaveProperty("password");
  });

  it("reads a Request", async () => {
    const body = new URLSearchParams({ message: "<script>alert(1)</script>" });
    const request = new Request("http://localhost/x", { method: "POST", body });
    expect(await parseForm(request, replySchema)).toEqual({ ok: true, data: { message: "<script>alert(1)</script>" } });
  });
});
