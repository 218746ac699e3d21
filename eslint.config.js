// ESLint flat config (docs/decisions/024-lint-and-format.md). Formatting is Prettier's job: no style rules here.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig([
  {
    ignores: [
      "build/",
      "public/build/",
      ".data/",
      "coverage/",
      "test-results/",
      "tmp/",
      "drizzle/",
      "node_modules/",
      ".cache/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // Server, scripts and tests run on Node; app/ code also runs in the browser.
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Hostile-input handling strips control characters on purpose (docs/decisions/019): those regexes are the point.
      "no-control-regex": "off",
      // `_name` marks a parameter or binding kept on purpose (positional arguments, destructuring to omit a key).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },

  // React: components, hooks and accessibility of the markup.
  {
    files: ["**/*.tsx", "**/*.jsx"],
    ...react.configs.flat.recommended,
    settings: { react: { version: "18.3" } },
  },
  { files: ["**/*.tsx", "**/*.jsx"], ...react.configs.flat["jsx-runtime"] },
  {
    files: ["**/*.tsx", "**/*.jsx"],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    // Only app/ runs React: tests' `useTestDatabase()` is a vitest helper, not a hook.
    files: ["app/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["**/*.tsx", "**/*.jsx"],
    rules: {
      // Props are typed by TypeScript; runtime prop-types would duplicate them.
      "react/prop-types": "off",
      // Apostrophes and quotes in UK English copy are safe in JSX text; still catch stray `>` and `}`.
      "react/no-unescaped-entities": ["error", { forbid: [">", "}"] }],
      // NHS.UK frontend's own markup wraps callout labels in <span role="text"> so VoiceOver reads them as one phrase.
      "jsx-a11y/aria-role": ["error", { allowedInvalidRoles: ["text"] }],
      // Scrollable table wrappers are role="region" with tabIndex={0} so keyboard users can scroll them (WCAG 2.1.1).
      "jsx-a11y/no-noninteractive-tabindex": [
        "error",
        { tags: [], roles: ["tabpanel", "region"], allowExpressionValues: true },
      ],
    },
  },
  // Import cycles are checked once over the whole import graph by scripts/check-import-cycles.ts
  // (`npm run lint` runs it after eslint), not by import-x/no-cycle, which searched the graph again
  // from every file (ADR 023, addendum of 2026-11-30 late evening).
]);
