// Demo answers to the /leaving questionnaire (issue 13 part 2) over the three years to `now`, so the
// retention insights (ADR 036) have something to show: where leavers went, what would have kept
// them, and whether they had used StayWell support. No account, no link, no free text: only the
// coded answers the insights count. Deterministic for a given `now`; inserted once.
import { inArray, sql } from "drizzle-orm";
import type { Tx } from "../client";
import { leavingResponseChoices, leavingResponses, organisations, supportOffers } from "../schema";
import { LEAVER_TENURE_BANDS, type LeavingDestination, type LeavingKept } from "../../app/lib/leaving";
import { STAFF_GROUPS } from "../../app/lib/staff-groups";
import { BATCH, chunks, DAY, isoDate, Rng } from "./common";

export const DEMO_LEAVING_RESPONSES = 420;

const ORG_WEIGHTS: readonly [string, number][] = [
  ["uhnm", 50],
  ["mpft", 28],
  ["combined", 10],
  ["icb", 4],
  ["staffordshire", 4],
  ["stoke", 4],
];
const DESTINATIONS: readonly [LeavingDestination, number][] = [
  ["another_ics_organisation", 14],
  ["nhs_outside_ics", 22],
  ["social_care", 5],
  ["outside_health_care", 20],
  ["retirement", 16],
  ["study", 6],
  ["not_working", 9],
  ["prefer_not_to_say", 8],
];
const MAIN_REASONS: readonly [string, number][] = [
  ["Voluntary Resignation - Work Life Balance", 30],
  ["Voluntary Resignation - Better Reward Package", 9],
  ["Voluntary Resignation - Promotion", 8],
  ["Voluntary Resignation - Lack of Opportunities", 7],
  ["Voluntary Resignation - Health", 6],
  ["Voluntary Resignation - Child Dependants", 5],
  ["Voluntary Resignation - Adult Dependants", 3],
  ["Voluntary Resignation - Incompatible Working Relationships", 5],
  ["Voluntary Resignation - Relocation", 8],
  ["Retirement Age", 9],
  ["Flexi Retirement", 3],
  ["Voluntary Early Retirement - with Actuarial Reduction", 2],
  ["Voluntary Resignation - Other/Not Known", 5],
];
// What would have kept them: those who had used StayWell support name flexible working and a change
// of role more, and "nothing" less, than those who had not.
const KEPT: readonly [LeavingKept, number, number][] = [
  ["flexible_working", 45, 38],
  ["change_of_team_or_role", 22, 14],
  ["ics_move", 12, 6],
  ["development", 20, 18],
  ["pay", 24, 30],
  ["retire_return", 8, 5],
  ["health_support", 9, 7],
  ["money_support", 5, 6],
  ["caring_support", 8, 6],
  ["better_management", 18, 22],
  ["other", 4, 5],
  ["nothing", 8, 18],
];
const SUPPORT_USED = [
  "flexible-working",
  "psychological-wellbeing-hub",
  "financial-wellbeing",
  "career-pathways",
  "retire-and-return",
  "thinking-of-leaving",
  "occupational-health",
];

/** Inserts the demo questionnaire answers once (nothing when any response exists). */
export async function insertDemoLeavingResponses(tx: Tx, options: { now: Date; count?: number }): Promise<number> {
  const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(leavingResponses);
  if ((existing?.n ?? 0) > 0) return 0;
  const orgRows = await tx
    .select({ id: organisations.id, slug: organisations.slug })
    .from(organisations)
    .where(
      inArray(
        organisations.slug,
        ORG_WEIGHTS.map(([slug]) => slug),
      ),
    );
  const orgIdBySlug = new Map(orgRows.map((o) => [o.slug, o.id]));
  const offerRows = await tx
    .select({ id: supportOffers.id, slug: supportOffers.slug })
    .from(supportOffers)
    .where(inArray(supportOffers.slug, SUPPORT_USED));
  const offerIdBySlug = new Map(offerRows.map((o) => [o.slug, o.id]));
  const orgWeights = ORG_WEIGHTS.filter(([slug]) => orgIdBySlug.has(slug));
  if (orgWeights.length === 0) return 0;

  const rng = new Rng(36);
  const count = options.count ?? DEMO_LEAVING_RESPONSES;
  const end = options.now.getTime() - DAY;
  let inserted = 0;
  for (const batch of chunks(
    Array.from({ length: count }, (_, i) => i),
    BATCH,
  )) {
    const planned = batch.map(() => {
      const usedSupport = rng.chance(0.45);
      let mainReason = rng.weighted(MAIN_REASONS);
      const destination: LeavingDestination = /Retirement/.test(mainReason) ? "retirement" : rng.weighted(DESTINATIONS);
      if (destination === "retirement" && !/Retirement/.test(mainReason)) mainReason = "Retirement Age";
      const kept = KEPT.filter(([, used, notUsed]) => rng.chance((usedSupport ? used : notUsed) / 100)).map(
        ([value]) => value,
      );
      const used = usedSupport ? rng.sample(SUPPORT_USED, rng.int(1, 2)) : [];
      return {
        row: {
          organisationId: orgIdBySlug.get(rng.weighted(orgWeights))!,
          staffGroup: rng.pick(STAFF_GROUPS).value,
          tenureBand: rng.weighted(
            LEAVER_TENURE_BANDS.map((b, i) => [b.value, [9, 10, 9, 3, 17, 25, 27][i]!] as const),
          ),
          leavingDate: isoDate(end - Math.floor(rng.next() * 3 * 365 * DAY)),
          destination,
          mainReason,
          usedSupport,
          wouldReturn: rng.chance(0.4),
        },
        kept: kept.length ? kept : (["nothing"] as LeavingKept[]),
        used,
      };
    });
    const ids = await tx
      .insert(leavingResponses)
      .values(planned.map((p) => p.row))
      .returning({ id: leavingResponses.id });
    const choices = planned.flatMap((p, i) => {
      const responseId = ids[i]!.id;
      return [
        { responseId, question: "reason", value: p.row.mainReason, offerId: null },
        ...p.kept.map((value) => ({ responseId, question: "kept", value, offerId: null })),
        ...(p.used.length
          ? p.used.map((slug) => ({
              responseId,
              question: "support_used",
              value: String(offerIdBySlug.get(slug) ?? slug),
              offerId: offerIdBySlug.get(slug) ?? null,
            }))
          : [{ responseId, question: "support_used", value: "none", offerId: null }]),
      ];
    });
    for (const part of chunks(choices, BATCH)) await tx.insert(leavingResponseChoices).values(part);
    inserted += ids.length;
  }
  return inserted;
}
