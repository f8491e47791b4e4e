// @ts-check
/**
 * One lint for the whole repository: typescript-eslint with type information (promises that
 * nobody awaits, promises where a callback expects a value, `import type` for types), and the
 * layering of ARCHITECTURE.md as import rules, so an arrow pointing up fails CI:
 *
 *   apps/server ─► api ─► api-core ─► db, auth          modules ─► module-sdk ─► api-core
 *   module-runtime ─► module-sdk        module-testing ─► module-runtime
 *
 * auth and db know nothing above them; a module imports only the module SDK (and its tests
 * the module test harness); the SDK ships no server code (types only from @tenantry/api); no
 * package reaches into another's files by a relative path.
 */
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Workspace packages a layer may import (`@tenantry/<name>`); anything else is refused. */
const layers = [
  { files: ["packages/auth/**"], may: [] },
  { files: ["packages/db/**"], may: [] },
  { files: ["packages/api-core/**"], may: ["auth", "db"] },
  { files: ["packages/module-sdk/**"], may: ["api-core", "db"] },
  { files: ["packages/module-runtime/**"], may: ["api-core", "db", "module-sdk"] },
  { files: ["packages/module-testing/**"], may: ["api-core", "auth", "db", "module-runtime", "module-sdk"] },
  { files: ["packages/api/**"], may: ["api-core", "auth", "db", "module-sdk", "module-runtime", "module-[a-z0-9-]+"] },
  { files: ["modules/*/src/**"], may: ["module-sdk"] },
  { files: ["modules/*/test/**"], may: ["module-sdk", "module-testing"] },
];

// Two or more `../` reach the repository's top folders from any package; one `../` stays inside
// the package (packages/api/src/openapi → ../modules is the api's own modules folder).
const crossPackageRelative = {
  regex: "^(\\.\\./){2,}(apps|packages|modules|bench)/",
  message: "Import the package by its name (@tenantry/…); never reach into another package's files.",
};

const layerRules = layers.map(({ files, may }) => ({
  files,
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: may.length ? `^@tenantry/(?!(${may.join("|")})(/|$))` : "^@tenantry/",
            message: `This layer may import ${may.length ? may.map((m) => `@tenantry/${m}`).join(", ") : "no other @tenantry package"} (see eslint.config.js).`,
          },
          crossPackageRelative,
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/generated/**", "**/.turbo/**", ".scaffold-check-*/**", "**/coverage/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", fetch: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-import-type-side-effects": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-restricted-imports": "off",
      // A token a client callback reads, assigned once it exists, stays `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [crossPackageRelative] }],
    },
  },
  ...layerRules,
  {
    // The SDK is what a browser loads: the server's router is a type, never code.
    files: ["packages/sdk/src/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@tenantry/(?!api$)",
              message: "The SDK ships no server code; it may only import types from @tenantry/api.",
            },
            {
              regex: "^@tenantry/api$",
              allowTypeImports: true,
              message: "The SDK ships no server code: `import type` from @tenantry/api only.",
            },
            crossPackageRelative,
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
