// Writes the demo ESR leavers extract (the rows the demo seed imports) as a CSV, for uploading at
// /admin/leavers:  npx tsx scripts/esr-demo-extract.ts [file] [--count N] [--seed S] [--first-assignment A]
// Without options it is the seeded file itself (same rows as of today), so uploading it changes
// nothing; another --seed and --first-assignment make new leavers.
import { writeFileSync } from "node:fs";
import { DEMO_ESR_FILE_NAME, esrExtractCsv, generateEsrExtract } from "../db/demo-seed/esr-leavers";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const file = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? DEMO_ESR_FILE_NAME;
const rows = generateEsrExtract({
  now: new Date(),
  count: option("--count"),
  seed: option("--seed"),
  firstAssignment: option("--first-assignment"),
});
writeFileSync(file, esrExtractCsv(rows));
process.stdout.write(`Wrote ${rows.length.toLocaleString("en-GB")} leavers to ${file}\n`);
