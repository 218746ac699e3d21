// Import cycles, found once over the whole import graph (ADR 023, addendum of 2026-11-30 late evening).
//
// This replaces eslint-plugin-import-x's `no-cycle` rule with `ignoreExternal: true`, which searched
// the graph again from every linted file (60-64 % of `eslint .`'s rule time). It means the same
// thing (read from import-x 4.18.1's lib/rules/no-cycle.js, utils/module-visitor.js and
// core/ast-module.js):
//
// - Edges: static imports (side-effect ones too), `export … from`, `export * from` and `import()`
//   with a string literal. `require()` calls are not edges: the rule's `commonjs` option is off.
// - Type-only edges are skipped: `import type …`, and `import { type A, type B }` whose every
//   specifier is a type (`import A, { type B }` and `import * as A` still count). The rule skips
//   `export type … from` and `export { type A } from` only after the first step of its search
//   (its first step from the linted file filters type-only *imports* alone), and counts
//   `import x = require()` only as that first step. So such an edge F -> G makes F part of a
//   cycle when G reaches F through counted edges; it is kept here with that same meaning.
// - Specifiers are resolved with TypeScript's own resolver and tsconfig.json (`~/…`, `@db/…`);
//   anything in node_modules, or not a .ts/.tsx/.js/.jsx/.cts/.mts/.cjs/.mjs file, is no edge
//   (`ignoreExternal`: nothing in node_modules imports back into the app). A file importing itself
//   is no cycle.
// - The files checked are those the rule linted: *.ts, *.tsx, *.js, *.jsx outside the folders
//   eslint.config.js ignores (tests/unit/import-cycles.test.ts checks the two lists agree); files
//   they import are followed wherever they are.
//
// Usage: `tsx scripts/check-import-cycles.ts [root]` (part of `npm run lint`). Prints every cycle
// (its files, and one path around it with the import lines) and exits 1 when there is one.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

/** Top-level folders eslint.config.js ignores (plus node_modules anywhere and .git). */
export const IGNORED_FOLDERS = [
  "build",
  "public/build",
  ".data",
  "coverage",
  "test-results",
  "tmp",
  "drizzle",
  "node_modules",
  ".cache",
];

const CHECKED_EXTENSIONS = /\.(ts|tsx|js|jsx)$/;
const MODULE_EXTENSIONS = new Set([".ts", ".tsx", ".cts", ".mts", ".js", ".jsx", ".cjs", ".mjs"]);

/** `value`: counted at every step. `first-step`: counted only leaving the file that has it. */
export type EdgeKind = "value" | "first-step";

export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
  line: number;
  kind: EdgeKind;
}

export interface CycleReport {
  /** The files of one strongly connected component (or of one cycle closed by a first-step edge). */
  files: string[];
  /** Those of them the rule reported: checked files with a counted first step into the cycle. */
  flagged: string[];
  /** One path around it, each step an import. */
  path: ImportEdge[];
}

export interface CycleResult {
  files: number;
  edges: number;
  cycles: CycleReport[];
}

/** The module specifiers a file imports, with how each one counts (see the header). */
export function importsOf(fileName: string, text: string): { specifier: string; line: number; kind: EdgeKind }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKind(fileName));
  const found: { specifier: string; line: number; kind: EdgeKind }[] = [];
  // The line is where the statement (or the import() call) starts, as the rule reported it.
  const add = (literal: ts.Expression, kind: EdgeKind, at: ts.Node) => {
    if (!ts.isStringLiteral(literal)) return;
    const line = source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1;
    found.push({ specifier: literal.text, line, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((element) => element.isTypeOnly)));
      if (!onlyTypes) add(node.moduleSpecifier, "value", node);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      const clause = node.exportClause;
      const onlyTypes =
        node.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((element) => element.isTypeOnly));
      add(node.moduleSpecifier, onlyTypes ? "first-step" : "value", node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      if (!node.isTypeOnly) add(node.moduleReference.expression, "first-step", node);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0
    ) {
      add(node.arguments[0], "value", node);
    }
    if (mayHoldImportCall) ts.forEachChild(node, visit);
  };
  // An `import(` can only be inside a statement when the text has one (the rule's own test for it,
  // import-x's DYNAMIC_IMPORT_HINT_PATTERN): otherwise the top level is enough.
  const mayHoldImportCall = /\bimport\s*(?:\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\/\s*|\/\/[^\n]*\n\s*)*\(/.test(text);
  source.statements.forEach(visit);
  return found;
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (fileName.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (fileName.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** The files the rule linted: *.ts, *.tsx, *.js, *.jsx under root, outside the ignored folders. */
export function listCheckedFiles(root: string): string[] {
  const ignored = new Set(IGNORED_FOLDERS.map((folder) => path.join(root, folder)));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules" || entry.name === ".git" || ignored.has(full)) continue;
        walk(full);
      } else if (entry.isFile() && CHECKED_EXTENSIONS.test(entry.name)) {
        files.push(full);
      }
    }
  };
  walk(root);
  return files.sort();
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = path.join(root, "tsconfig.json");
  if (!fs.existsSync(configPath)) return { moduleResolution: ts.ModuleResolutionKind.Bundler, allowJs: true };
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  // Only the options are needed: no directory walk for the config's file list.
  const host: ts.ParseConfigHost = { ...ts.sys, readDirectory: () => [] };
  return ts.parseJsonConfigFileContent(read.config, host, root, undefined, configPath).options;
}

/** Builds the import graph of root once and returns its cycles (Tarjan's strongly connected components). */
export function findImportCycles(root: string, checked: string[] = listCheckedFiles(root)): CycleResult {
  const options = compilerOptions(root);
  const cache = ts.createModuleResolutionCache(root, (name) => name, options);
  const out = new Map<string, ImportEdge[]>();
  const queue = [...checked];
  const seen = new Set(queue);
  let edgeCount = 0;
  while (queue.length > 0) {
    const file = queue.pop()!;
    const edges: ImportEdge[] = [];
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      out.set(file, edges);
      continue;
    }
    for (const { specifier, line, kind } of importsOf(file, text)) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys, cache).resolvedModule;
      if (resolved === undefined || resolved.isExternalLibraryImport) continue;
      const to = path.resolve(resolved.resolvedFileName);
      if (to === file || !MODULE_EXTENSIONS.has(path.extname(to))) continue;
      if (to.split(path.sep).includes("node_modules")) continue;
      edges.push({ from: file, to, specifier, line, kind });
      edgeCount += 1;
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
    out.set(file, edges);
  }

  const valueEdges = (file: string) => (out.get(file) ?? []).filter((edge) => edge.kind === "value");
  const components = stronglyConnected([...out.keys()].sort(), (file) => valueEdges(file).map((edge) => edge.to));
  const componentOf = new Map<string, number>();
  components.forEach((members, index) => members.forEach((file) => componentOf.set(file, index)));
  const checkedSet = new Set(checked);
  const relative = (file: string) => path.relative(root, file);

  const cycles: CycleReport[] = [];
  for (const members of components) {
    if (members.length < 2 || !members.some((file) => checkedSet.has(file))) continue;
    const start = members[0];
    const first = valueEdges(start).find((edge) => componentOf.get(edge.to) === componentOf.get(start))!;
    cycles.push({
      files: members.map(relative),
      flagged: members.filter((file) => checkedSet.has(file)).map(relative),
      path: [first, ...shortestPath(first.to, start, valueEdges)!],
    });
  }
  // A first-step edge F -> G closes a cycle when G reaches F by counted edges (and F is not already in one).
  for (const file of checked) {
    if (components[componentOf.get(file)!].length > 1) continue;
    for (const edge of out.get(file) ?? []) {
      if (edge.kind !== "first-step") continue;
      const back = shortestPath(edge.to, file, valueEdges);
      if (back === undefined) continue;
      const route = [edge, ...back];
      cycles.push({ files: route.map((step) => relative(step.from)), flagged: [relative(file)], path: route });
      break;
    }
  }
  return { files: out.size, edges: edgeCount, cycles };
}

/** Tarjan's algorithm, iterative. Components come out in reverse topological order; each sorted. */
export function stronglyConnected(nodes: string[], next: (node: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; children: string[]; at: number }[] = [];
    const enter = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: next(node), at: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.at < frame.children.length) {
        const child = frame.children[frame.at++];
        if (!index.has(child)) enter(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const members: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          members.push(member);
        } while (member !== frame.node);
        components.push(members.sort());
      }
    }
  }
  return components;
}

/** The fewest counted imports from `from` to `to` (breadth first), or undefined when there is no path. */
function shortestPath(from: string, to: string, next: (file: string) => ImportEdge[]): ImportEdge[] | undefined {
  if (from === to) return [];
  const via = new Map<string, ImportEdge>();
  const queue = [from];
  const seen = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    for (const edge of next(queue[i])) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      via.set(edge.to, edge);
      if (edge.to === to) {
        const route: ImportEdge[] = [];
        for (let at = to; at !== from; at = via.get(at)!.from) route.unshift(via.get(at)!);
        return route;
      }
      queue.push(edge.to);
    }
  }
  return undefined;
}

export function formatCycles(root: string, result: CycleResult): string {
  if (result.cycles.length === 0) {
    return `No import cycles: ${result.files} files, ${result.edges} imports checked.\n`;
  }
  const lines = [`${result.cycles.length} import cycle(s):`];
  for (const cycle of result.cycles) {
    lines.push("", `  files: ${cycle.files.join(", ")}`);
    for (const step of cycle.path) {
      lines.push(`    ${path.relative(root, step.from)}:${step.line} imports "${step.specifier}"`);
    }
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = path.resolve(process.argv[2] ?? process.cwd());
  const result = findImportCycles(root);
  const text = formatCycles(root, result);
  if (result.cycles.length > 0) {
    process.stderr.write(text);
    process.exitCode = 1;
  } else {
    process.stdout.write(text);
  }
}
