// scripts/check-import-cycles.ts, the cycle check that replaced import-x/no-cycle in `npm run lint`
// (ADR 023, addendum of 2026-11-30 late evening). Each case is a small folder of files written to a
// temporary directory; the check must report exactly the files the old rule reported, and the old
// rule (eslint-plugin-import-x's no-cycle with ignoreExternal, resolved through the fixture's
// tsconfig paths, as eslint.config.js had it) is run on the same files to show it agrees.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import eslintConfig from "../../eslint.config.js";
import { findImportCycles, formatCycles, IGNORED_FOLDERS } from "../../scripts/check-import-cycles";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// Every case: its files, and which of them must be reported as being in a cycle.
const CASES: Record<string, { files: Record<string, string>; flagged: string[] }> = {
  "two files": {
    files: {
      "a.ts": `import { b } from "./b";\nexport const a = () => b;\n`,
      "b.ts": `import { a } from "./a";\nexport const b = () => a;\n`,
    },
    flagged: ["a.ts", "b.ts"],
  },
  "three files, one step through the ~/ alias": {
    files: {
      "app/c.ts": `import { d } from "~/d";\nexport const c = 1 + d;\n`,
      "app/d.ts": `import { e } from "./e";\nexport const d = 1 + e;\n`,
      "app/e.ts": `import "./c";\nexport const e = 1;\n`,
    },
    flagged: ["app/c.ts", "app/d.ts", "app/e.ts"],
  },
  "type-only imports (import type, and { type A } alone) close no cycle": {
    files: {
      "f.ts": `import type { G } from "./g";\nexport type F = G;\nexport const f = 1;\n`,
      "g.ts": `import { f } from "./f";\nexport type G = { n: typeof f };\n`,
      "h.ts": `import { type I } from "./i";\nexport const h = (x: I) => x;\n`,
      "i.ts": `import { h } from "./h";\nexport type I = number;\nexport const i = h;\n`,
    },
    flagged: [],
  },
  "a default import beside a type specifier still counts": {
    files: {
      "j.ts": `import k, { type K } from "./k";\nexport const j = (x: K) => k(x);\n`,
      "k.ts": `import { j } from "./j";\nexport type K = number;\nexport default (x: number) => j(x);\n`,
    },
    flagged: ["j.ts", "k.ts"],
  },
  "dynamic import()": {
    files: {
      "l.ts": `export async function l() {\n  return (await import("./m")).m;\n}\n`,
      "m.ts": `import { l } from "./l";\nexport const m = l;\n`,
    },
    flagged: ["l.ts", "m.ts"],
  },
  "export … from and export * from": {
    files: {
      "n.ts": `export { o } from "./o";\nexport const n = 1;\n`,
      "o.ts": `export * from "./p";\nexport const o = 2;\n`,
      "p.ts": `import { n } from "./n";\nexport const p = n;\n`,
    },
    flagged: ["n.ts", "o.ts", "p.ts"],
  },
  "export type … from counts only as the first step (the rule's own asymmetry)": {
    files: {
      "q.ts": `export type { R } from "./r";\nexport const q = 1;\n`,
      "r.ts": `import { q } from "./q";\nexport type R = number;\nexport const r = q;\n`,
    },
    flagged: ["q.ts"],
  },
  "require() and packages are not followed": {
    files: {
      "s.ts": `import fs from "node:fs";\nimport { z } from "zod";\nexport const s = [fs, z];\n`,
      "t.ts": `import { s } from "./s";\nconst u = require("./t");\nexport const t = [s, u];\n`,
    },
    flagged: [],
  },
};

const ALIAS_CASE = "three files, one step through the ~/ alias";

let root: string;
let checked: ReturnType<typeof findImportCycles>;
let ruled: string[];

// All cases in one folder (each in its own subfolder, `~/` pointing into the alias case's app/), so
// the check and the rule each run once. No import crosses from one case into another.
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "import-cycles-"));
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "import-cycles", type: "module" }));
  fs.writeFileSync(
    path.join(root, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "ESNext",
        moduleResolution: "Bundler",
        baseUrl: ".",
        paths: { "~/*": [`./${slug(ALIAS_CASE)}/app/*`] },
      },
    }),
  );
  // zod resolves from the repository's node_modules: it must count as external, not be followed.
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  for (const [name, { files }] of Object.entries(CASES)) {
    const dir = path.join(root, slug(name));
    fs.mkdirSync(path.join(dir, "app"), { recursive: true });
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  }
  checked = findImportCycles(root);
  ruled = await ruleFlags(root);
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

function slug(name: string) {
  return name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");
}

/** The files import-x/no-cycle reports under dir, configured as eslint.config.js had it. */
async function ruleFlags(dir: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.ts"],
        languageOptions: { parser: tseslint.parser, sourceType: "module" },
        plugins: { "import-x": importX },
        settings: {
          ...importX.flatConfigs.typescript.settings,
          "import-x/resolver-next": [createTypeScriptImportResolver({ project: path.join(dir, "tsconfig.json") })],
        },
        rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
      },
    ],
  });
  const results = await eslint.lintFiles(["**/*.ts"]);
  for (const result of results) {
    expect(result.messages.filter((m) => m.ruleId !== "import-x/no-cycle")).toEqual([]);
  }
  return results
    .filter((result) => result.messages.length > 0)
    .map((result) => path.relative(dir, result.filePath))
    .sort();
}

/** The files of one case that `flags` lists, relative to the case's folder. */
function inCase(name: string, flags: string[]) {
  const prefix = `${slug(name)}/`;
  return flags
    .filter((file) => file.startsWith(prefix))
    .map((file) => file.slice(prefix.length))
    .sort();
}

describe("the import-cycle check", () => {
  for (const [name, { flagged }] of Object.entries(CASES)) {
    it(`${name}: reports ${flagged.length === 0 ? "nothing" : flagged.join(", ")}, as import-x/no-cycle does`, () => {
      const flags = checked.cycles.flatMap((cycle) => cycle.flagged);
      expect(inCase(name, flags)).toEqual([...flagged].sort());
      expect(inCase(name, ruled)).toEqual([...flagged].sort());
    });
  }

  it("prints each cycle's files and the imports around it and exits 1, or says how much it checked", () => {
    const dynamic = slug("dynamic import()");
    const cli = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "scripts/check-import-cycles.ts"), root],
      {
        cwd: repoRoot,
        encoding: "utf8",
      },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`files: ${dynamic}/l.ts, ${dynamic}/m.ts`);
    expect(cli.stderr).toContain(`${dynamic}/l.ts:2 imports "./m"`);
    expect(cli.stderr).toContain(`${dynamic}/m.ts:1 imports "./l"`);
    expect(cli.stderr).toMatch(/^6 import cycle\(s\):/);

    const clean = path.join(root, slug("type-only imports (import type, and { type A } alone) close no cycle"));
    expect(formatCycles(clean, findImportCycles(clean))).toBe("No import cycles: 4 files, 2 imports checked.\n");
  });

  it("skips the folders eslint.config.js ignores", () => {
    const ignores = eslintConfig.find((entry) => Object.keys(entry).join() === "ignores")?.ignores ?? [];
    expect(ignores.map((pattern: string) => pattern.replace(/\/$/, "")).sort()).toEqual([...IGNORED_FOLDERS].sort());
  });
});
