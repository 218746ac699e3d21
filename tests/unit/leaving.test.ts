import { describe, expect, it } from "vitest";
import {
  ESR_AGE_BANDS,
  ESR_LEAVING_REASONS,
  ESR_STAFF_GROUPS,
  LEAVING_REASON_GROUPS,
  leaverTenureBand,
  leavingReasonGroup,
  monthsBetween,
  parseEsrAgeBand,
  parseEsrLeavingReason,
  parseEsrStaffGroup,
} from "~/lib/leaving";
import { isStaffGroup } from "~/lib/staff-groups";

describe("ESR leaving reasons", () => {
  it("has the 24 reasons of the issue, each in one of the chart groups", () => {
    expect(ESR_LEAVING_REASONS).toHaveLength(24);
    const groups = new Set(LEAVING_REASON_GROUPS.map((g) => g.value));
    for (const r of ESR_LEAVING_REASONS) expect(groups.has(r.group)).toBe(true);
    expect(new Set(ESR_LEAVING_REASONS.map((r) => r.value)).size).toBe(24);
  });

  it("reads hyphens, en and em dashes, spacing and case alike", () => {
    const canonical = "Voluntary Resignation - Work Life Balance";
    expect(parseEsrLeavingReason(canonical)).toBe(canonical);
    expect(parseEsrLeavingReason("Voluntary Resignation \u2013 Work Life Balance")).toBe(canonical);
    expect(parseEsrLeavingReason("  voluntary resignation\u2014work life  balance ")).toBe(canonical);
    expect(parseEsrLeavingReason("Voluntary Resignation - Work-Life Balance")).toBeNull();
    expect(parseEsrLeavingReason("Resigned")).toBeNull();
    expect(parseEsrLeavingReason("")).toBeNull();
  });

  it("reads a hostile cell of a million spaces in linear time, with the same answers", () => {
    // The old /\s*[-–—]\s*/g retried a run of spaces from every position: 8.6 s of CPU for one
    // 64 KB cell on this machine (the extract allows 64 KB a row), ~15 s for 100 KB. This input
    // would run for many minutes, far past the timeout; now it takes milliseconds.
    const spaces = " ".repeat(1_000_000);
    expect(parseEsrLeavingReason(`Voluntary Resignation${spaces}x`)).toBeNull();
    expect(parseEsrStaffGroup(`Nursing${spaces}and Midwifery Registered`)).toBe("Nursing and Midwifery Registered");
    expect(parseEsrLeavingReason(`Voluntary Resignation${spaces}\u2013${spaces}Work Life Balance`)).toBe(
      "Voluntary Resignation - Work Life Balance",
    );
    expect(parseEsrLeavingReason(`x${"\t \u00a0".repeat(300_000)}-`)).toBeNull();
  }, 10_000);

  it("groups retirement and separates ill-health retirement under health", () => {
    expect(leavingReasonGroup("Retirement Age")).toBe("retirement");
    expect(leavingReasonGroup("Flexi Retirement")).toBe("retirement");
    expect(leavingReasonGroup("Ill Health Retirement")).toBe("health");
    expect(leavingReasonGroup("Voluntary Resignation - Child Dependants")).toBe("family_caring");
    expect(leavingReasonGroup("End of Fixed Term Contract")).toBe("contract_dismissal");
  });
});

describe("ESR staff groups and age bands", () => {
  it("maps every ESR staff group to a StayWell staff group", () => {
    for (const g of ESR_STAFF_GROUPS) expect(isStaffGroup(g.staffGroup)).toBe(true);
    expect(parseEsrStaffGroup("nursing and midwifery registered")).toBe("Nursing and Midwifery Registered");
    expect(parseEsrStaffGroup("Nurses")).toBeNull();
  });

  it("reads age bands as ESR writes them", () => {
    expect(ESR_AGE_BANDS).toHaveLength(12);
    expect(parseEsrAgeBand(" 51-55 ")).toBe("51-55");
    expect(parseEsrAgeBand("<=20 years")).toBe("<=20 Years");
    expect(parseEsrAgeBand("51 to 55")).toBeNull();
  });
});

describe("leaver tenure bands", () => {
  it("counts whole months, a part month not yet done", () => {
    expect(monthsBetween("2024-01-15", "2024-04-14")).toBe(2);
    expect(monthsBetween("2024-01-15", "2024-04-15")).toBe(3);
    expect(monthsBetween("2024-05-01", "2024-04-01")).toBe(0);
  });

  it("puts each leaver in the band of the first-year curve", () => {
    expect(leaverTenureBand("2024-01-01", "2024-03-31")).toBe("under_3m");
    expect(leaverTenureBand("2024-01-01", "2024-04-01")).toBe("3_6m");
    expect(leaverTenureBand("2024-01-01", "2024-10-31")).toBe("6_10m");
    expect(leaverTenureBand("2024-01-01", "2024-11-01")).toBe("10_12m");
    expect(leaverTenureBand("2024-01-01", "2025-01-01")).toBe("1_2y");
    expect(leaverTenureBand("2020-01-01", "2024-12-31")).toBe("2_5y");
    expect(leaverTenureBand("2010-01-01", "2024-12-31")).toBe("5y_plus");
  });
});
