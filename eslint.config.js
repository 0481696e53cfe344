// Lint configuration: type-aware rules as errors, and the layer rules of ARCHITECTURE.md as import zones.
import { readdirSync } from 'node:fs';

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const connectorSrc = 'packages/connector/src';

/**
 * The codemap of ARCHITECTURE.md, "may import" column: the folders each folder of the connector may import.
 * `types` lists those it may import types from only. A test (src/architecture.test.ts) plants every import this
 * forbids and checks lint fails, and checks this table against ARCHITECTURE.md. cli/ and main.ts import anything.
 */
export const CODEMAP = {
  errors: { may: [], types: [] },
  config: { may: ['errors'], types: [] },
  logging: { may: ['errors'], types: [] },
  domain: { may: ['errors'], types: [] },
  services: { may: ['domain', 'errors'], types: ['logging'] },
  salesforce: { may: ['domain', 'errors', 'logging'], types: ['config'] },
  crypto: { may: ['domain', 'errors', 'logging'], types: [] },
  setup: { may: ['domain', 'errors'], types: [] },
  store: { may: ['domain', 'errors', 'logging'], types: ['config'] },
  jobs: { may: ['domain', 'errors', 'logging'], types: [] },
  http: { may: ['services', 'domain', 'errors', 'logging'], types: [] },
  notify: { may: ['domain', 'errors', 'logging'], types: [] },
  search: { may: ['domain', 'errors'], types: [] },
  mcp: { may: ['services', 'http', 'domain', 'errors', 'logging'], types: [] },
};
const FOLDERS = [...Object.keys(CODEMAP), 'cli'];

const sources = (name) => [`**/${name}/*`, `../${name}`, `../../${name}`];

/**
 * The emulator's one layer rule (ARCHITECTURE.md, emulator codemap): the org data engine knows nothing of HTTP,
 * tokens or faults. Its folders may import one another, `util/` and the top-level helpers (ids, format, clock,
 * errors), no other folder of emulator src. src/architecture.test.ts checks this against ARCHITECTURE.md.
 */
export const EMULATOR_ENGINE = { folders: ['org', 'schema', 'soql', 'sosl'], may: ['util'] };
const emulatorFolders = () =>
  readdirSync(new URL('packages/emulator/src/', import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
const CONNECTOR_BAN = {
  group: ['casebridge', '**/connector/**'],
  message: 'The emulator never imports connector code.',
};

/**
 * The composition files at the top of connector src: only cli/ (and main.ts) import them, so no zone reaches the
 * concrete adapters through main.ts, nor the real clock past its injected Clock (src/architecture.test.ts).
 */
export const COMPOSITION_FILES = ['main', 'system-clock'];
const composition = COMPOSITION_FILES.flatMap((name) => [
  `../${name}.js`,
  `../../${name}.js`,
  `../../../${name}.js`,
]);

/** Forbid a folder every import of ARCHITECTURE.md's codemap does not allow it (tests beside the code may wire). */
function layer(folder) {
  const { may, types } = CODEMAP[folder];
  const forbidden = FOLDERS.filter((name) => name !== folder && !may.includes(name) && !types.includes(name));
  const patterns = [
    ...forbidden.map((name) => ({
      group: sources(name),
      message: `${folder}/ may not import ${name}/ (see ARCHITECTURE.md).`,
    })),
    ...types.map((name) => ({
      group: sources(name),
      allowTypeImports: true,
      message: `${folder}/ may import only types from ${name}/ (see ARCHITECTURE.md).`,
    })),
    { group: composition, message: `${folder}/ may not import main.ts or system-clock.ts: cli/ composes.` },
  ];
  return {
    files: [`${connectorSrc}/${folder}/**/*.ts`],
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
    },
  };
}

/**
 * ARCHITECTURE.md invariant 7: every error raised on purpose is an AppError with a registered code (an
 * InvariantError for a can't-happen state). Checked by packages/connector/src/raised-errors.test.ts.
 */
export const PLAIN_ERROR_SELECTORS = [
  {
    selector: "NewExpression[callee.name='Error']",
    message:
      'Raise an AppError with a registered code (errors/codes/), or an InvariantError for a can\u2019t-happen state.',
  },
  {
    selector: "CallExpression[callee.name='Error']",
    message:
      'Raise an AppError with a registered code (errors/codes/), or an InvariantError for a can\u2019t-happen state.',
  },
];

/**
 * ARCHITECTURE.md invariant 1 and its clock rule: every read of time goes through an injected Clock. The one system
 * clock of each package (connector src/system-clock.ts, emulator src/clock.ts) says why with an eslint-disable
 * comment. Checked by packages/connector/src/clock-reads.test.ts.
 */
export const CLOCK_READ_SELECTORS = [
  {
    selector: "MemberExpression[object.name='Date'][property.name='now']",
    message: 'Read time from the injected Clock (clock.now()), not Date.now.',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read time from the injected Clock (clock.now()), not new Date() without an argument.',
  },
  {
    selector: "CallExpression[callee.name='Date']",
    message: 'Read time from the injected Clock (clock.now()), not Date().',
  },
];

export const SOURCE_RULES = [
  {
    files: [`${connectorSrc}/**/*.ts`],
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: { 'no-restricted-syntax': ['error', ...PLAIN_ERROR_SELECTORS, ...CLOCK_READ_SELECTORS] },
  },
  {
    files: ['packages/emulator/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CLOCK_READ_SELECTORS] },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'tmp-*/**',
      'packages/*/.test-cli-*/**',
      'tools/sf-cli/**',
      '**/dist/**',
      'packages/*/bin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after'],
              package: 'node:test',
            },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      // keep disableTypeChecked's parser options: plain JS files belong to no tsconfig project
      parserOptions: { projectService: false, project: false, program: null },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['packages/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['casebridge', '**/connector/**'],
              message: 'The emulator never imports connector code.',
            },
          ],
        },
      ],
    },
  },
  ...Object.keys(CODEMAP).map(layer),
  {
    files: EMULATOR_ENGINE.folders.map((folder) => `packages/emulator/src/${folder}/**/*.ts`),
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            CONNECTOR_BAN,
            {
              // every other folder of emulator src, as it is on disk: a new one is outside the engine at once
              group: emulatorFolders()
                .filter(
                  (name) => !EMULATOR_ENGINE.folders.includes(name) && !EMULATOR_ENGINE.may.includes(name),
                )
                .flatMap((name) => [`../${name}/*`, `../../${name}/*`, `**/src/${name}/*`]),
              message:
                'The org data engine (org/, schema/, soql/, sosl/) knows nothing of HTTP, tokens or faults.',
            },
          ],
        },
      ],
    },
  },
  ...SOURCE_RULES,
);
